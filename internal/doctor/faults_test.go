package doctor

import (
	"errors"
	"testing"
	"time"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

// Each operation, the row it feeds, and what makes the fake answer it
// for the dev target (or for target, when set).
var operationRows = []struct {
	operation, check string
	setup            func(*fakeaws.Server)
	target           func() Target
}{
	{"GetCallerIdentity", CheckIdentity, func(*fakeaws.Server) {}, nil},
	{"GetParameter", CheckBootstrap, func(*fakeaws.Server) {}, nil},
	{"GetPublicAccessBlock", CheckPublicAccess, func(*fakeaws.Server) {}, nil},
	{"HeadBucket", CheckBucket, func(*fakeaws.Server) {}, nil},
	{"GetBucketLocation", CheckBucket, func(s *fakeaws.Server) {
		s.AddBucket(devBucket, devAccount, "eu-west-1")
		s.Deny(devAccount, "HeadBucket")
	}, nil},
	{"DescribeStacks", CheckStack, func(*fakeaws.Server) {}, nil},
	{"ListStackResources", CheckBucket, func(s *fakeaws.Server) {
		s.AddBucket(devBucket, devAccount, "eu-west-1")
		s.SetStack(devAccount, "eu-west-1", devStack("CREATE_COMPLETE", "CREATE_COMPLETE"))
	}, nil},
	{"GetRole", CheckCIRoles, withCIRoles, ciTarget},
	{"GetOpenIDConnectProvider", CheckCIRoles, withCIRoles, ciTarget},
	{"DescribeCertificate", CheckCertificate, withDomain, domainTarget},
	{"GetHostedZone", CheckHostedZone, withDomain, domainTarget},
}

// targetFor is the target that makes operation's row run.
func targetFor(operation string) Target {
	for _, tc := range operationRows {
		if tc.operation == operation && tc.target != nil {
			return tc.target()
		}
	}
	return devTarget()
}

// A throttled call is retried a bounded number of times: two throttles
// are absorbed, a throttle on every attempt is a clear failure after
// exactly MaxAttempts requests.
func TestThrottling(t *testing.T) {
	t.Run("recovers", func(t *testing.T) {
		srv := healthyFake(t)
		srv.SetFault("GetParameter", fakeaws.Fault{Throttle: 2})
		rep := mustRun(t, srv, devTarget())
		wantRow(t, rep, "dev", CheckBootstrap, Pass, "bootstrap version 30")
		if n := srv.Count("GetParameter"); n != 3 {
			t.Errorf("%d GetParameter requests, want 3 (two throttled, one answered)", n)
		}
	})
	for op, code := range map[string]string{
		"GetCallerIdentity":        "Throttling: Rate exceeded",
		"GetParameter":             "ThrottlingException: Rate exceeded",
		"GetPublicAccessBlock":     "SlowDown: Please reduce your request rate.",
		"DescribeStacks":           "Throttling: Rate exceeded",
		"GetRole":                  "Throttling: Rate exceeded",
		"GetOpenIDConnectProvider": "Throttling: Rate exceeded",
		"DescribeCertificate":      "ThrottlingException: Rate exceeded",
		"GetHostedZone":            "Throttling: Rate exceeded",
	} {
		t.Run(op, func(t *testing.T) {
			srv := healthyFake(t)
			withCIRoles(srv)
			withDomain(srv)
			srv.SetFault(op, fakeaws.Fault{Throttle: 100})
			opts := options(srv, devKey)
			opts.MaxAttempts = 3
			rep, err := runWith(t, opts, targetFor(op))
			if err != nil {
				t.Fatal(err)
			}
			row := map[string]string{"GetCallerIdentity": CheckIdentity, "GetParameter": CheckBootstrap, "GetPublicAccessBlock": CheckPublicAccess, "DescribeStacks": CheckStack,
				"GetRole": CheckCIRoles, "GetOpenIDConnectProvider": CheckCIRoles, "DescribeCertificate": CheckCertificate, "GetHostedZone": CheckHostedZone}[op]
			want := 3
			if op == "GetRole" { // the deploy and the diff role, each throttled 3 times
				want = 6
			}
			wantRow(t, rep, "dev", row, Fail, "AWS throttled all 3 attempts ("+code+")", "run again in a minute")
			if n := srv.Count(op); n != want {
				t.Errorf("%d %s requests, want exactly %d", n, op, want)
			}
		})
	}
}

// A call that gets no answer ends at --timeout with a row that says so.
// Nothing here measures time: the fake holds its answer for ten minutes,
// so only the timeout can end the run.
func TestSlowEndpoint(t *testing.T) {
	t.Run("stack", func(t *testing.T) {
		// The other calls must answer within the timeout; loopback answers
		// in milliseconds, and 2s leaves room for a loaded machine.
		srv := healthyFake(t)
		srv.SetFault("DescribeStacks", fakeaws.Fault{Delay: 10 * time.Minute})
		opts := options(srv, devKey)
		opts.Timeout = 2 * time.Second
		rep, err := runWith(t, opts, devTarget())
		if err != nil {
			t.Fatal(err)
		}
		wantRow(t, rep, "dev", CheckStack, Fail, "could not describe WellKnown-dev: no answer within 2s (--timeout)", "longer --timeout")
		if rep.OK() {
			t.Error("a timed-out check must fail the run")
		}
	})
	t.Run("identity", func(t *testing.T) {
		srv := healthyFake(t)
		srv.SetFault("GetCallerIdentity", fakeaws.Fault{Delay: 10 * time.Minute})
		opts := options(srv, devKey)
		opts.Timeout = 500 * time.Millisecond
		rep, err := runWith(t, opts, devTarget())
		if err != nil {
			t.Fatal(err)
		}
		wantRows(t, rep, "dev", Fail, Skip, Skip, Skip, Skip, Skip)
		wantRow(t, rep, "dev", CheckIdentity, Fail, "no answer within 500ms (--timeout)")
	})
}

// Something other than AWS answering (a captive portal, a broken proxy)
// gives the row of that call a clear failure, never a panic, and leaves
// the other rows alone.
func TestGarbage(t *testing.T) {
	for _, tc := range operationRows {
		t.Run(tc.operation, func(t *testing.T) {
			srv := healthyFake(t)
			tc.setup(srv)
			srv.SetFault(tc.operation, fakeaws.Fault{Garbage: true})
			rep := mustRun(t, srv, targetFor(tc.operation))
			// HEAD has no body to misparse: the fake's proxy page is a 502.
			status := "200"
			if tc.operation == "HeadBucket" {
				status = "502"
			}
			wantRow(t, rep, "dev", tc.check, Fail, "unexpected response (HTTP "+status+", text/html; charset=utf-8) that is not an AWS answer", "proxy")
			if tc.check != CheckIdentity {
				wantRow(t, rep, "dev", CheckIdentity, Pass)
			}
		})
	}
}

// Well-formed answers with unexpected content.
func TestUnexpectedContent(t *testing.T) {
	for _, tc := range []struct {
		operation, body, check string
		contains               string
	}{
		{"GetCallerIdentity", `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult></GetCallerIdentityResult></GetCallerIdentityResponse>`,
			CheckIdentity, "STS answered GetCallerIdentity without an account ID"},
		{"GetParameter", `{}`, CheckBootstrap, `holds "", not a version number`},
		{"GetParameter", `{"Parameter":{"Value":"-3"}}`, CheckBootstrap, `holds "-3", not a version number`},
		{"GetParameter", `{"Parameter":{"Value":7}}`, CheckBootstrap, "not an AWS answer"},
		{"DescribeStacks", `<DescribeStacksResponse><DescribeStacksResult><Stacks></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
			CheckStack, "DescribeStacks returned no stack named WellKnown-dev"},
		{"GetPublicAccessBlock", `<PublicAccessBlockConfiguration></PublicAccessBlockConfiguration>`, CheckPublicAccess, "allows public bucket policies"},
		{"GetRole", `<GetRoleResponse><GetRoleResult></GetRoleResult></GetRoleResponse>`, CheckCIRoles, "IAM answered GetRole for wellknown-deploy-dev without a trust policy"},
		{"GetRole", `<GetRoleResponse><GetRoleResult><Role><RoleName>wellknown-deploy-dev</RoleName><AssumeRolePolicyDocument>%7B%22Statement%22%3A</AssumeRolePolicyDocument></Role></GetRoleResult></GetRoleResponse>`,
			CheckCIRoles, "the trust policy of role wellknown-deploy-dev cannot be read: not a JSON policy document"},
		{"GetRole", `<GetRoleResponse><GetRoleResult><Role><RoleName>wellknown-deploy-dev</RoleName><AssumeRolePolicyDocument>%7B%22Statement%22%3A%5B%5D%7D</AssumeRolePolicyDocument></Role></GetRoleResult></GetRoleResponse>`,
			CheckCIRoles, "role wellknown-deploy-dev must trust exactly sub repo:acme/app-links:environment:dev (aud sts.amazonaws.com) from GitHub's OIDC provider, but it allows no one to assume it"},
		{"GetOpenIDConnectProvider", `<GetOpenIDConnectProviderResponse><GetOpenIDConnectProviderResult></GetOpenIDConnectProviderResult></GetOpenIDConnectProviderResponse>`,
			CheckCIRoles, "does not accept the audience sts.amazonaws.com (client IDs: none)"},
		{"DescribeCertificate", `{}`, CheckCertificate, "ACM answered DescribeCertificate without a certificate"},
		{"DescribeCertificate", `{"Certificate":{}}`, CheckCertificate, "it is without a status; it covers no names, not links.acme.com"},
		{"DescribeCertificate", `{"Certificate":{"Status":"ISSUED","DomainName":7}}`, CheckCertificate, "not an AWS answer"},
		{"GetHostedZone", `<GetHostedZoneResponse></GetHostedZoneResponse>`, CheckHostedZone, "Route 53 answered GetHostedZone without a hosted zone"},
		{"GetHostedZone", `<GetHostedZoneResponse><HostedZone><Id>/hostedzone/Z0123456789ABCDEFGHIJ</Id></HostedZone></GetHostedZoneResponse>`,
			CheckHostedZone, "hosted zone Z0123456789ABCDEFGHIJ is , not acme.com. (hostedZoneName)"},
	} {
		t.Run(tc.operation, func(t *testing.T) {
			srv := healthyFake(t)
			withCIRoles(srv)
			withDomain(srv)
			srv.SetFault(tc.operation, fakeaws.Fault{Body: tc.body})
			rep := mustRun(t, srv, targetFor(tc.operation))
			c, _ := rep.Find("dev", tc.check)
			if c.Status == Pass && tc.check != CheckPublicAccess {
				t.Errorf("%s passed on %s", tc.check, tc.body)
			}
			wantRow(t, rep, "dev", tc.check, c.Status, tc.contains)
		})
	}
}

func TestRunLevelErrorsAreCredentialErrors(t *testing.T) {
	srv := healthyFake(t)
	srv.ExpireCredentials(devKey)
	_, err := runWith(t, options(srv, devKey), devTarget(), devTarget())
	var ce *CredentialsError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
}
