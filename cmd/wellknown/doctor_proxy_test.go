package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

const (
	proxyTestKey     = "TESTKEYPROXY00000001"
	proxyTestAccount = "111111111111"
)

// manifestDev is the dev stack of a cloud assembly as aws-cdk-lib (2.270 on)
// writes it, reduced to what doctor reads.
const manifestDev = `{
  "version": "54.0.0",
  "artifacts": {
    "WellKnown-dev.assets": {"type": "cdk:asset-manifest", "properties": {"file": "WellKnown-dev.assets.json", "requiresBootstrapStackVersion": 6, "bootstrapStackVersionSsmParameter": "/cdk-bootstrap/hnb659fds/version"}},
    "WellKnown-dev": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/eu-west-1", "dependencies": ["WellKnown-dev.assets"],
      "properties": {"templateFile": "WellKnown-dev.template.json", "requiresBootstrapStackVersion": 6, "bootstrapStackVersionSsmParameter": "/cdk-bootstrap/hnb659fds/version",
        "lookupRole": {"requiresBootstrapStackVersion": 8, "bootstrapStackVersionSsmParameter": "/cdk-bootstrap/hnb659fds/version"}}}
  }
}`

// runThroughProxy runs the built binary in a fresh process whose only
// route to AWS is HTTPS_PROXY. Each run is its own process because Go's
// http.ProxyFromEnvironment reads the environment once per process. The
// environment is built from scratch: no inherited AWS settings, empty
// shared config files, no instance metadata.
func runThroughProxy(t *testing.T, srv *fakeaws.Server, caBundle bool, args ...string) (string, string, int) {
	t.Helper()
	env := append(isolatedEnv(t),
		"HTTPS_PROXY="+srv.ProxyURL(),
		"AWS_ACCESS_KEY_ID="+proxyTestKey,
		"AWS_SECRET_ACCESS_KEY=fake-secret-for-tests",
	)
	if caBundle {
		env = append(env, "AWS_CA_BUNDLE="+srv.CAFile())
	}
	cmd := exec.Command(binary(t), args...)
	cmd.Env = env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

// isolatedEnv is an environment built from scratch for the binary: PATH,
// a HOME of its own, no inherited AWS settings, empty shared config files
// and no instance metadata.
func isolatedEnv(t *testing.T) []string {
	t.Helper()
	home := t.TempDir()
	isolated, err := fakeaws.IsolatedEnv(home)
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}
	for k, v := range isolated {
		env = append(env, k+"="+v)
	}
	return env
}

// The built binary, unchanged, works through a TLS-inspecting corporate
// proxy: only HTTPS_PROXY and AWS_CA_BUNDLE are set, no endpoint is
// overridden, and every AWS host is reached under its real name.
func TestDoctorThroughProxy(t *testing.T) {
	srv, err := fakeaws.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddCredentials(proxyTestKey, proxyTestAccount, "arn:aws:iam::111111111111:user/ci")
	srv.SetParameter(proxyTestAccount, "eu-west-1", "/cdk-bootstrap/hnb659fds/version", "30")

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("internal/cli/testdata/project")); err != nil {
		t.Fatal(err)
	}
	writeDevAssembly(t, dir)

	stdout, stderr, code := runThroughProxy(t, srv, true, "--dir", dir, "doctor", "--env", "dev")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"dev  identity           ✓       credentials are for account 111111111111 (arn:aws:iam::111111111111:user/ci)",
		"dev  bootstrap          ✓       bootstrap version 30 in eu-west-1 (the synthesized stack requires ≥ 6)",
		"dev  public-access      ✓",
		"dev  org-public-access  !",
		"dev  bucket             ✓       bucket wellknown-dev-111111111111-eu-west-1 does not exist yet",
		"dev  stack              ✓       WellKnown-dev does not exist",
		"ok: 1 environment, 5 passed, 0 failed, 1 warning, 0 skipped",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	connects := srv.Connects()
	for _, host := range []string{
		"sts.eu-west-1.amazonaws.com:443",
		"ssm.eu-west-1.amazonaws.com:443",
		"111111111111.s3-control.eu-west-1.amazonaws.com:443",
		"wellknown-dev-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com:443",
		"cloudformation.eu-west-1.amazonaws.com:443",
	} {
		if !slices.Contains(connects, host) {
			t.Errorf("no CONNECT to %s; got %v", host, connects)
		}
	}
	calls := srv.Calls()
	if len(calls) != 5 {
		t.Errorf("%d requests, want 5: %+v", len(calls), calls)
	}
	for _, c := range calls {
		if !c.Proxied || c.AccessKeyID != proxyTestKey {
			t.Errorf("request not through the proxy or not signed with the test key: %+v", c)
		}
	}

	// A failing environment, through the same proxy: the credentials are
	// for the dev account.
	stdout, _, code = runThroughProxy(t, srv, true, "--dir", dir, "doctor", "--env", "prod", "--json")
	if code != 1 || !strings.Contains(stdout, `"message": "the credentials are for account 111111111111 (arn:aws:iam::111111111111:user/ci), but prod deploys to account 333333333333"`) {
		t.Errorf("prod: exit %d\n%s", code, stdout)
	}

	// Without the CA bundle the proxy's certificates are not trusted:
	// TLS verification is on, and the failure says why.
	stdout, stderr, code = runThroughProxy(t, srv, false, "--dir", dir, "doctor", "--env", "dev")
	if code != 1 || !strings.Contains(stdout, "the TLS certificate is not trusted: tls: failed to verify certificate: x509: certificate signed by unknown authority — behind a TLS-inspecting proxy, point AWS_CA_BUNDLE at the proxy's CA certificate") {
		t.Errorf("without AWS_CA_BUNDLE: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// The IAM, ACM and Route 53 reads of an environment with a custom domain
// and CI roles go through the same proxy, to their real global hosts.
func TestDoctorThroughProxyDomainAndCI(t *testing.T) {
	srv, err := fakeaws.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const (
		provider = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
		cert     = "arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	)
	srv.AddCredentials(proxyTestKey, proxyTestAccount, "arn:aws:iam::111111111111:user/ci")
	srv.SetParameter(proxyTestAccount, "eu-west-1", "/cdk-bootstrap/hnb659fds/version", "30")
	for role, sub := range map[string]string{"wellknown-deploy-dev": "repo:acme/app-links:environment:dev", "wellknown-diff-dev": "repo:acme/app-links:pull_request"} {
		srv.SetRole(proxyTestAccount, fakeaws.Role{Name: role, TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider +
			`"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"` + sub + `"}}}]}`})
	}
	srv.SetOIDCProvider(proxyTestAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com", ClientIDs: []string{"sts.amazonaws.com"}})
	srv.SetCertificate(proxyTestAccount, fakeaws.Certificate{ARN: cert, DomainName: "links.acme.com", Status: "ISSUED", NotAfter: time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC)})
	srv.SetHostedZone(proxyTestAccount, fakeaws.HostedZone{ID: "Z0123456789ABCDEFGHIJ", Name: "acme.com"})

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("internal/cli/testdata/project")); err != nil {
		t.Fatal(err)
	}
	cdkJSON := filepath.Join(dir, "cdk.json")
	data, err := os.ReadFile(cdkJSON)
	if err != nil {
		t.Fatal(err)
	}
	patched := strings.Replace(string(data), `"removalPolicy": "destroy"`, `"removalPolicy": "destroy",
        "domain": {"name": "links.acme.com", "certificateArn": "`+cert+`", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com"}`, 1)
	patched = strings.Replace(patched, `"context": {`, `"context": {
    "wellknown:ci": {"github": {"repository": "acme/app-links"}, "promotion": ["dev", "ios", "prod"]},`, 1)
	if patched == string(data) {
		t.Fatal("cdk.json not patched")
	}
	if err := os.WriteFile(cdkJSON, []byte(patched), 0o644); err != nil {
		t.Fatal(err)
	}
	writeDevAssembly(t, dir)

	stdout, stderr, code := runThroughProxy(t, srv, true, "--dir", dir, "doctor", "--env", "dev")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"dev  certificate        ✓       certificate " + cert + " is ISSUED for links.acme.com",
		"dev  hosted-zone        ✓       public hosted zone acme.com. (Z0123456789ABCDEFGHIJ)",
		"dev  ci-roles           ✓       wellknown-deploy-dev trusts exactly repo:acme/app-links:environment:dev",
		"ok: 1 environment, 9 passed, 0 failed, 0 warnings, 0 skipped",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	connects := srv.Connects()
	for _, host := range []string{"iam.amazonaws.com:443", "acm.us-east-1.amazonaws.com:443", "route53.amazonaws.com:443"} {
		if !slices.Contains(connects, host) {
			t.Errorf("no CONNECT to %s; got %v", host, connects)
		}
	}
	for _, c := range srv.Calls() {
		if !c.Proxied || c.AccessKeyID != proxyTestKey {
			t.Errorf("request not through the proxy or not signed with the test key: %+v", c)
		}
	}
}

// writeDevAssembly gives the project a cloud assembly in which dev's stack
// requires bootstrap version 6, as make synth would leave it.
func writeDevAssembly(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "cdk.out"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.out", "manifest.json"), []byte(manifestDev), 0o644); err != nil {
		t.Fatal(err)
	}
}
