package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

const (
	devAccount   = "111111111111"
	prodAccount  = "333333333333"
	otherAccount = "999999999999"
	devKey       = "TESTKEYDEV0000000001"
	prodKey      = "TESTKEYPROD000000001"
	devARN       = "arn:aws:iam::111111111111:user/deployer"
	devBucket    = "wellknown-dev-111111111111-eu-west-1"
	bootParam    = "/cdk-bootstrap/hnb659fds/version"
)

// newFake starts a fake where the dev credentials belong to devAccount and
// the prod ones to prodAccount; nothing is bootstrapped yet.
func newFake(t *testing.T) *fakeaws.Server {
	t.Helper()
	srv, err := fakeaws.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.AddCredentials(devKey, devAccount, devARN)
	srv.AddCredentials(prodKey, prodAccount, "arn:aws:sts::333333333333:assumed-role/Deploy/ci")
	return srv
}

// healthyFake is newFake with devAccount bootstrapped in eu-west-1 at
// version 30: the dev target passes everything but the org reminder.
func healthyFake(t *testing.T) *fakeaws.Server {
	srv := newFake(t)
	srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
	return srv
}

// devTarget is the dev environment with the requirements of a real
// assembly (testdata/manifest.json).
func devTarget() Target {
	return Target{
		Env: "dev", Account: devAccount, Region: "eu-west-1",
		BucketName: devBucket, StackName: "WellKnown-dev", PublicBucket: true,
		RequiredBootstrapVersion: 6, BootstrapParameter: bootParam, LookupBootstrapVersion: 8,
	}
}

// options run against srv with static keys, never touching the
// environment or the network; backoff is shortened so retries cost
// milliseconds (their number is what the tests assert).
func options(srv *fakeaws.Server, key string) Options {
	cfg := aws.Config{Credentials: credentials.NewStaticCredentialsProvider(key, "fake-secret", "")}
	return Options{Config: &cfg, HTTPClient: srv.HTTPClient(), MaxBackoff: time.Millisecond, Timeout: 20 * time.Second}
}

func runWith(t *testing.T, opts Options, targets ...Target) (Report, error) {
	t.Helper()
	return Run(context.Background(), targets, opts)
}

// mustRun runs with the dev credentials and fails the test on a run-level
// error.
func mustRun(t *testing.T, srv *fakeaws.Server, targets ...Target) Report {
	t.Helper()
	rep, err := runWith(t, options(srv, devKey), targets...)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// wantRow asserts the status of env's check row and that its message and
// fix together contain each of contains.
func wantRow(t *testing.T, rep Report, env, check string, status Status, contains ...string) Check {
	t.Helper()
	c, ok := rep.Find(env, check)
	if !ok {
		t.Fatalf("no %s row for %s in %+v", check, env, rep.Environments)
	}
	if c.Status != status {
		t.Errorf("%s %s: status %s (%q — %q), want %s", env, check, c.Status, c.Message, c.Fix, status)
	}
	text := c.Message + " — " + c.Fix
	for _, s := range contains {
		if !strings.Contains(text, s) {
			t.Errorf("%s %s: %q lacks %q", env, check, text, s)
		}
	}
	return c
}

// wantRows asserts the statuses of all of env's rows, in order; the rows
// must be in CheckNames order.
func wantRows(t *testing.T, rep Report, env string, statuses ...Status) {
	t.Helper()
	for _, e := range rep.Environments {
		if e.Env != env {
			continue
		}
		var got []Status
		present := map[string]bool{}
		for _, c := range e.Checks {
			got = append(got, c.Status)
			present[c.Name] = true
		}
		if len(got) != len(statuses) {
			t.Fatalf("%s: %d rows %v, want %v", env, len(got), got, statuses)
		}
		var order []string
		for _, name := range CheckNames {
			if present[name] {
				order = append(order, name)
			}
		}
		for i := range got {
			if i >= len(order) || e.Checks[i].Name != order[i] || got[i] != statuses[i] {
				t.Errorf("%s row %d: %s %s (%s), want %s in CheckNames order", env, i, e.Checks[i].Name, got[i], e.Checks[i].Message, statuses[i])
			}
		}
		return
	}
	t.Fatalf("no rows for %s", env)
}

const (
	repo        = "acme/app-links"
	devProvider = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
	devCert     = "arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	devZone     = "Z0123456789ABCDEFGHIJ"
	devHost     = "links.acme.com"
)

// ciTarget is devTarget with a "wellknown:ci" section for acme/app-links.
func ciTarget() Target {
	t := devTarget()
	t.CI = &CI{Repository: repo, ProviderARN: devProvider}
	return t
}

// domainTarget is devTarget served at links.acme.com through CloudFront:
// a certificate, the acme.com zone, and a private bucket.
func domainTarget() Target {
	t := devTarget()
	t.PublicBucket = false
	t.Domain = &Domain{Name: devHost, CertificateARN: devCert, HostedZoneID: devZone, HostedZoneName: "acme.com"}
	return t
}

// trustPolicy is a CI role's trust policy as the CI roles stack writes
// it (awsiam.WebIdentityPrincipal with a StringEquals condition).
func trustPolicy(provider, subject string) string {
	return audienceTrustPolicy(provider, subject, "sts.amazonaws.com")
}

// audienceTrustPolicy is trustPolicy with the aud condition of another
// partition.
func audienceTrustPolicy(provider, subject, audience string) string {
	return `{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{` +
		`"token.actions.githubusercontent.com:aud":"` + audience + `","token.actions.githubusercontent.com:sub":"` + subject + `"}},` +
		`"Effect":"Allow","Principal":{"Federated":"` + provider + `"}}]}`
}

// withCIRoles deploys the dev account's CI roles stack into the fake: both
// roles of env dev and GitHub's provider.
func withCIRoles(srv *fakeaws.Server) {
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trustPolicy(devProvider, "repo:acme/app-links:environment:dev")})
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-diff-dev", TrustPolicy: trustPolicy(devProvider, "repo:acme/app-links:pull_request")})
	srv.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com", ClientIDs: []string{"sts.amazonaws.com"}})
}

// farFuture is a certificate expiry no test run reaches.
var farFuture = time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)

// withDomain gives the dev account an issued wildcard certificate for
// acme.com and the public zone acme.com.
func withDomain(srv *fakeaws.Server) {
	srv.SetCertificate(devAccount, fakeaws.Certificate{ARN: devCert, DomainName: "acme.com", SubjectAlternativeNames: []string{"*.acme.com"},
		Status: "ISSUED", NotAfter: farFuture, RenewalEligibility: "ELIGIBLE"})
	srv.SetHostedZone(devAccount, fakeaws.HostedZone{ID: devZone, Name: "acme.com"})
}
