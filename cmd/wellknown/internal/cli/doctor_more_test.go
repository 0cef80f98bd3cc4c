package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acme/wellknown/internal/doctor"
	"github.com/acme/wellknown/internal/doctor/fakeaws"
	"github.com/acme/wellknown/internal/exit"
)

const (
	devProvider = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
	devCert     = "arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	devZone     = "Z0123456789ABCDEFGHIJ"
)

// editCDKJSON rewrites dir's cdk.json through edit, on its context.
func editCDKJSON(t *testing.T, dir string, edit func(ctx map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, "cdk.json")
	var doc map[string]any
	if err := json.Unmarshal(readFile(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc["context"].(map[string]any))
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// withCISection adds a "wellknown:ci" section for acme/app-links; extra
// settings (oidcProviderArns) are merged in.
func withCISection(extra map[string]any) func(map[string]any) {
	return func(ctx map[string]any) {
		ci := map[string]any{"github": map[string]any{"repository": "acme/app-links"}, "promotion": []string{"dev", "ios", "prod"}}
		for k, v := range extra {
			ci[k] = v
		}
		ctx["wellknown:ci"] = ci
	}
}

// withDevDomain gives dev the domain object.
func withDevDomain(domain map[string]any) func(map[string]any) {
	return func(ctx map[string]any) {
		ctx["wellknown:environments"].(map[string]any)["dev"].(map[string]any)["domain"] = domain
	}
}

// devCIRoles deploys the dev account's WellKnownCI stack into the fake,
// trusting repo.
func devCIRoles(srv *fakeaws.Server, repo string) {
	devRolesOnly(srv, repo)
	srv.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com", ClientIDs: []string{"sts.amazonaws.com"}})
}

// devRolesOnly creates the roles but no provider (a stack deployed with
// oidcProviderArns naming a provider that is not there).
func devRolesOnly(srv *fakeaws.Server, repo string) {
	trust := func(sub string) string {
		return `{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{` +
			`"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"` + sub + `"}},` +
			`"Effect":"Allow","Principal":{"Federated":"` + devProvider + `"}}]}`
	}
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trust("repo:" + repo + ":environment:dev")})
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-diff-dev", TrustPolicy: trust("repo:" + repo + ":pull_request")})
}

func TestDoctorCIRoles(t *testing.T) {
	for _, tc := range []struct {
		name     string
		extra    map[string]any
		setup    func(*fakeaws.Server)
		code     int
		status   doctor.Status
		contains []string
	}{
		{"deployed", nil, func(s *fakeaws.Server) { devCIRoles(s, "acme/app-links") }, exit.OK, doctor.Pass,
			[]string{"wellknown-deploy-dev trusts exactly repo:acme/app-links:environment:dev and wellknown-diff-dev exactly repo:acme/app-links:pull_request (aud sts.amazonaws.com), through GitHub's OIDC provider " + devProvider}},
		{"not deployed", nil, func(*fakeaws.Server) {}, exit.OK, doctor.Warn,
			[]string{"role wellknown-deploy-dev does not exist", "the account's WellKnownCI-111111111111 stack is not deployed or out of date",
				`an administrator of account 111111111111 deploys WellKnownCI-111111111111 from this cdk.json ("wellknown:ci" → github.repository acme/app-links), as in README "Deploying from CI"`}},
		{"another repository", nil, func(s *fakeaws.Server) { devCIRoles(s, "acme/old-links") }, exit.Failed, doctor.Fail,
			[]string{"role wellknown-deploy-dev must trust exactly sub repo:acme/app-links:environment:dev (aud sts.amazonaws.com) from GitHub's OIDC provider, but it trusts sub repo:acme/old-links:environment:dev",
				"role wellknown-diff-dev must trust exactly sub repo:acme/app-links:pull_request", "deploys WellKnownCI-111111111111 from this cdk.json"}},
		{"IAM not readable", nil, func(s *fakeaws.Server) { devCIRoles(s, "acme/app-links"); s.Deny(devAccount, "GetRole") }, exit.OK, doctor.Warn,
			[]string{"cannot read IAM with these credentials (AccessDenied:", "allow iam:GetRole and iam:GetOpenIDConnectProvider"}},
		{"existing provider missing", map[string]any{"oidcProviderArns": map[string]any{devAccount: devProvider}}, func(s *fakeaws.Server) {
			devRolesOnly(s, "acme/app-links")
			s.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "gitlab.example.com", ClientIDs: []string{"sts.amazonaws.com"}})
		}, exit.Failed, doctor.Fail, []string{`GitHub's OIDC provider ` + devProvider + `, which "wellknown:ci" → oidcProviderArns names as existing, does not exist`,
			"remove account 111111111111 from oidcProviderArns so that WellKnownCI-111111111111 creates the provider"}},
		{"existing provider without the audience", map[string]any{"oidcProviderArns": map[string]any{devAccount: devProvider}}, func(s *fakeaws.Server) {
			devRolesOnly(s, "acme/app-links")
			s.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com"})
		}, exit.Failed, doctor.Fail, []string{"does not accept the audience sts.amazonaws.com (client IDs: none)", "aws iam add-client-id-to-open-id-connect-provider"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := doctorFake(t, devKey)
			srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
			tc.setup(srv)
			dir := doctorProject(t)
			editCDKJSON(t, dir, withCISection(tc.extra))
			code, out, stderr := runDoctorJSON(t, "--dir", dir, "--env", "dev")
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			wantDoctorRow(t, out, "dev", "ci-roles", tc.status, tc.contains...)
			if n := len(out.Environments[0].Checks); n != 7 {
				t.Errorf("%d rows, want 7", n)
			}
		})
	}
}

// Without a "wellknown:ci" section (the test project) there is no
// ci-roles row and IAM is not asked.
func TestDoctorNoCISection(t *testing.T) {
	srv := doctorFake(t, devKey)
	srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
	code, out, _ := runDoctorJSON(t, "--dir", doctorProject(t), "--env", "dev")
	if code != exit.OK || len(out.Environments[0].Checks) != 6 {
		t.Errorf("exit %d, %+v", code, out.Environments)
	}
	for _, c := range srv.Calls() {
		if c.Service == "IAM" {
			t.Errorf("IAM asked without a CI section: %+v", c)
		}
	}
}

// The example project's cdk.json has a "wellknown:ci" section: doctor
// checks the CI roles of its environments.
func TestDoctorExampleProjectCI(t *testing.T) {
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	srv := doctorFake(t, devKey)
	srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
	devCIRoles(srv, "acme/app-links")
	asm := t.TempDir()
	writeAssembly(t, asm, 6, map[string]string{"dev": "111111111111/eu-west-1"})
	code, out, stderr := runDoctorJSON(t, "--dir", root, "--env", "dev", "--assembly", asm)
	if code != exit.OK {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	wantDoctorRow(t, out, "dev", "ci-roles", doctor.Pass, "repo:acme/app-links:environment:dev")
}

func TestDoctorDomain(t *testing.T) {
	full := map[string]any{"name": "links.acme.com", "certificateArn": devCert, "hostedZoneId": devZone, "hostedZoneName": "acme.com"}
	issued := func(s *fakeaws.Server) {
		s.SetCertificate(devAccount, fakeaws.Certificate{ARN: devCert, DomainName: "links.acme.com", Status: "ISSUED",
			NotAfter: time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC), RenewalEligibility: "ELIGIBLE"})
	}
	publicZone := func(s *fakeaws.Server) {
		s.SetHostedZone(devAccount, fakeaws.HostedZone{ID: devZone, Name: "acme.com"})
	}
	both := func(s *fakeaws.Server) { issued(s); publicZone(s) }
	type row struct {
		check    string
		status   doctor.Status
		contains []string
	}
	for _, tc := range []struct {
		name   string
		domain map[string]any
		setup  func(*fakeaws.Server)
		code   int
		rows   []row
	}{
		{"ready", full, both, exit.OK, []row{
			{"certificate", doctor.Pass, []string{"certificate " + devCert + " is ISSUED for links.acme.com, valid until 2099-01-02"}},
			{"hosted-zone", doctor.Pass, []string{"public hosted zone acme.com. (Z0123456789ABCDEFGHIJ) in account 111111111111"}},
			{"public-access", doctor.Pass, []string{"stays private (CloudFront serves links.acme.com through origin access control)"}},
			{"org-public-access", doctor.Pass, []string{"the bucket is not public"}},
		}},
		{"certificate pending, zone private", full, func(s *fakeaws.Server) {
			s.SetCertificate(devAccount, fakeaws.Certificate{ARN: devCert, DomainName: "links.acme.com", Status: "PENDING_VALIDATION"})
			s.SetHostedZone(devAccount, fakeaws.HostedZone{ID: devZone, Name: "acme.com", Private: true})
		}, exit.Failed, []row{
			{"certificate", doctor.Fail, []string{"it is PENDING_VALIDATION: ACM has not found its DNS validation record (CNAME ", "create the validation record in the DNS zone of links.acme.com"}},
			{"hosted-zone", doctor.Fail, []string{"is private", "use the public hosted zone of acme.com"}},
		}},
		{"nothing there", full, func(*fakeaws.Server) {}, exit.Failed, []row{
			{"certificate", doctor.Fail, []string{"does not exist in ACM in us-east-1 of account 111111111111"}},
			{"hosted-zone", doctor.Fail, []string{"hosted zone Z0123456789ABCDEFGHIJ does not exist in account 111111111111"}},
		}},
		{"not readable", full, func(s *fakeaws.Server) {
			both(s)
			s.Deny(devAccount, "DescribeCertificate")
			s.Deny(devAccount, "GetHostedZone")
		}, exit.OK, []row{
			{"certificate", doctor.Warn, []string{"cannot read certificate", "allow acm:DescribeCertificate"}},
			{"hosted-zone", doctor.Warn, []string{"cannot read hosted zone", "allow route53:GetHostedZone"}},
		}},
		{"certificate created by the stack", map[string]any{"name": "links.acme.com", "hostedZoneId": devZone, "hostedZoneName": "acme.com"}, func(s *fakeaws.Server) {
			publicZone(s)
			s.SetParameter(devAccount, "us-east-1", bootParam, "30")
		}, exit.OK, []row{
			{"certificate", doctor.Pass, []string{"no certificateArn: a certificate for links.acme.com, validated by DNS in hosted zone acme.com, is created by stack WellKnownCert-dev in us-east-1"}},
			{"hosted-zone", doctor.Pass, nil},
			{"cert-bootstrap", doctor.Warn, []string{"bootstrapped (/cdk-bootstrap/hnb659fds/version = 30 in us-east-1), but the version WellKnownCert-dev requires is unknown"}},
		}},
		{"certificate stack, us-east-1 not bootstrapped", map[string]any{"name": "links.acme.com", "hostedZoneId": devZone, "hostedZoneName": "acme.com"}, publicZone, exit.Failed, []row{
			{"cert-bootstrap", doctor.Fail, []string{"aws://111111111111/us-east-1 is not bootstrapped", "npx cdk bootstrap aws://111111111111/us-east-1"}},
		}},
		{"keepS3Public with Block Public Access on", map[string]any{"name": "links.acme.com", "certificateArn": devCert, "keepS3Public": true}, func(s *fakeaws.Server) {
			issued(s)
			s.SetPublicAccessBlock(devAccount, &fakeaws.PublicAccessBlock{BlockPublicPolicy: true})
		}, exit.Failed, []row{
			{"public-access", doctor.Fail, []string{"BlockPublicPolicy makes S3 reject the public bucket policy"}},
			{"certificate", doctor.Pass, nil},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := doctorFake(t, devKey)
			srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
			tc.setup(srv)
			dir := doctorProject(t)
			editCDKJSON(t, dir, withDevDomain(tc.domain))
			code, out, stderr := runDoctorJSON(t, "--dir", dir, "--env", "dev")
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			for _, r := range tc.rows {
				wantDoctorRow(t, out, "dev", r.check, r.status, r.contains...)
			}
			_, hasZone := tc.domain["hostedZoneId"]
			if _, ok := findRow(out, "dev", "hosted-zone"); ok != hasZone {
				t.Errorf("hosted-zone row present: %v, want %v", ok, hasZone)
			}
			if keep, _ := tc.domain["keepS3Public"].(bool); !keep && srv.Count("GetPublicAccessBlock") != 0 {
				t.Error("Block Public Access read for a private bucket")
			}
		})
	}
}

func findRow(o doctorOutput, env, check string) (doctor.Check, bool) {
	for _, e := range o.Environments {
		for _, c := range e.Checks {
			if e.Env == env && c.Name == check {
				return c, true
			}
		}
	}
	return doctor.Check{}, false
}

// The table of an environment with a domain and CI: the header names the
// domain, and the rows come in the documented order.
func TestDoctorDomainAndCIText(t *testing.T) {
	srv := doctorFake(t, devKey)
	srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
	devCIRoles(srv, "acme/app-links")
	srv.SetCertificate(devAccount, fakeaws.Certificate{ARN: devCert, DomainName: "acme.com", SubjectAlternativeNames: []string{"*.acme.com"},
		Status: "ISSUED", NotAfter: time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC), RenewalEligibility: "ELIGIBLE"})
	srv.SetHostedZone(devAccount, fakeaws.HostedZone{ID: devZone, Name: "acme.com"})
	dir := doctorProject(t)
	editCDKJSON(t, dir, withCISection(nil))
	editCDKJSON(t, dir, withDevDomain(map[string]any{"name": "links.acme.com", "certificateArn": devCert, "hostedZoneId": devZone, "hostedZoneName": "acme.com"}))
	code, stdout, stderr := run(t, "doctor", "--dir", dir, "--env", "dev")
	if code != exit.OK || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	if !strings.HasPrefix(stdout, "dev: aws://111111111111/eu-west-1, stack WellKnown-dev, bucket wellknown-dev-111111111111-eu-west-1, domain links.acme.com\n") {
		t.Errorf("header:\n%s", stdout)
	}
	var order []string
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "dev" {
			order = append(order, f[1])
		}
	}
	if got := strings.Join(order, " "); got != "identity bootstrap public-access org-public-access bucket stack certificate hosted-zone ci-roles" {
		t.Errorf("rows %s", got)
	}
	if !strings.Contains(stdout, "\nok: 1 environment, 9 passed, 0 failed, 0 warnings, 0 skipped\n") {
		t.Errorf("summary:\n%s", stdout)
	}
}
