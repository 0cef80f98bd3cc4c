package doctor

import (
	"errors"
	"testing"
	"time"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

// Each operation, the row it feeds, and what makes the fake answer it
// for the dev target.
var operationRows = []struct {
	operation, check string
	setup            func(*fakeaws.Server)
}{
	{"GetCallerIdentity", CheckIdentity, func(*fakeaws.Server) {}},
	{"GetParameter", CheckBootstrap, func(*fakeaws.Server) {}},
	{"GetPublicAccessBlock", CheckPublicAccess, func(*fakeaws.Server) {}},
	{"HeadBucket", CheckBucket, func(*fakeaws.Server) {}},
	{"GetBucketLocation", CheckBucket, func(s *fakeaws.Server) {
		s.AddBucket(devBucket, devAccount, "eu-west-1")
		s.Deny(devAccount, "HeadBucket")
	}},
	{"DescribeStacks", CheckStack, func(*fakeaws.Server) {}},
	{"ListStackResources", CheckBucket, func(s *fakeaws.Server) {
		s.AddBucket(devBucket, devAccount, "eu-west-1")
		s.SetStack(devAccount, "eu-west-1", devStack("CREATE_COMPLETE", "CREATE_COMPLETE"))
	}},
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
		"GetCallerIdentity":    "Throttling: Rate exceeded",
		"GetParameter":         "ThrottlingException: Rate exceeded",
		"GetPublicAccessBlock": "SlowDown: Please reduce your request rate.",
		"DescribeStacks":       "Throttling: Rate exceeded",
	} {
		t.Run(op, func(t *testing.T) {
			srv := healthyFake(t)
			srv.SetFault(op, fakeaws.Fault{Throttle: 100})
			opts := options(srv, devKey)
			opts.MaxAttempts = 3
			rep, err := runWith(t, opts, devTarget())
			if err != nil {
				t.Fatal(err)
			}
			row := map[string]string{"GetCallerIdentity": CheckIdentity, "GetParameter": CheckBootstrap, "GetPublicAccessBlock": CheckPublicAccess, "DescribeStacks": CheckStack}[op]
			wantRow(t, rep, "dev", row, Fail, "AWS throttled all 3 attempts ("+code+")", "run again in a minute")
			if n := srv.Count(op); n != 3 {
				t.Errorf("%d %s requests, want exactly 3", n, op)
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
			rep := mustRun(t, srv, devTarget())
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
	} {
		t.Run(tc.operation, func(t *testing.T) {
			srv := healthyFake(t)
			srv.SetFault(tc.operation, fakeaws.Fault{Body: tc.body})
			rep := mustRun(t, srv, devTarget())
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
