package cli

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
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
	devAccount  = "111111111111"
	prodAccount = "333333333333"
	devKey      = "TESTKEYDEV0000000001"
	prodKey     = "TESTKEYPROD000000001"
	bootParam   = "/cdk-bootstrap/hnb659fds/version"
)

// doctorFake starts a fake AWS and routes the doctor command to it. The
// process environment is stripped of every AWS setting; with key set,
// the standard chain finds that key (and only it) in AWS_ACCESS_KEY_ID.
func doctorFake(t *testing.T, key string) *fakeaws.Server {
	t.Helper()
	srv, err := fakeaws.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	env, err := fakeaws.IsolatedEnv(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	if key != "" {
		t.Setenv("AWS_ACCESS_KEY_ID", key)
		t.Setenv("AWS_SECRET_ACCESS_KEY", "fake-secret")
	}
	testDoctorOptions = func(o *doctor.Options) {
		o.HTTPClient = srv.HTTPClient()
		o.MaxBackoff = time.Millisecond // the number of attempts is what tests assert
	}
	t.Cleanup(func() { testDoctorOptions = nil })
	srv.AddCredentials(devKey, devAccount, "arn:aws:iam::111111111111:user/deployer")
	srv.AddCredentials(prodKey, prodAccount, "arn:aws:sts::333333333333:assumed-role/Deploy/ci")
	return srv
}

// writeAssembly writes a cloud assembly manifest as the CDK does, with one
// stack per environment (name → "account/region") and its asset manifest,
// all requiring bootstrap version required.
func writeAssembly(t *testing.T, dir string, required int, envs map[string]string) {
	t.Helper()
	artifacts := map[string]any{}
	for name, env := range envs {
		stack := "WellKnown-" + name
		artifacts[stack+".assets"] = map[string]any{"type": "cdk:asset-manifest", "properties": map[string]any{
			"file": stack + ".assets.json", "requiresBootstrapStackVersion": required, "bootstrapStackVersionSsmParameter": bootParam}}
		artifacts[stack] = map[string]any{
			"type": "aws:cloudformation:stack", "environment": "aws://" + env, "dependencies": []string{stack + ".assets"},
			"properties": map[string]any{"templateFile": stack + ".template.json", "requiresBootstrapStackVersion": required, "bootstrapStackVersionSsmParameter": bootParam,
				"lookupRole": map[string]any{"requiresBootstrapStackVersion": 8, "bootstrapStackVersionSsmParameter": bootParam}},
		}
	}
	data, err := json.MarshalIndent(map[string]any{"version": "54.0.0", "artifacts": artifacts}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// doctorProject is the test project with a synthesized assembly for all
// its environments.
func doctorProject(t *testing.T) string {
	dir := project(t)
	writeAssembly(t, filepath.Join(dir, "cdk.out"), 6, map[string]string{
		"dev": "111111111111/eu-west-1", "ios": "444444444444/ap-southeast-2", "prod": "333333333333/us-east-1"})
	return dir
}

type doctorOutput struct {
	OK           bool               `json:"ok"`
	Assembly     string             `json:"assembly"`
	Environments []doctor.EnvReport `json:"environments"`
	Passed       int                `json:"passed"`
	Failed       int                `json:"failed"`
	Warnings     int                `json:"warnings"`
	Skipped      int                `json:"skipped"`
}

func runDoctorJSON(t *testing.T, args ...string) (int, doctorOutput, string) {
	t.Helper()
	code, stdout, stderr := run(t, append([]string{"doctor", "--json"}, args...)...)
	var out doctorOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("doctor --json output is not JSON (exit %d): %v\n%s\nstderr: %s", code, err, stdout, stderr)
	}
	return code, out, stderr
}

func (o doctorOutput) row(t *testing.T, env, check string) doctor.Check {
	t.Helper()
	for _, e := range o.Environments {
		for _, c := range e.Checks {
			if e.Env == env && c.Name == check {
				return c
			}
		}
	}
	t.Fatalf("no %s row for %s in %+v", check, env, o.Environments)
	return doctor.Check{}
}

func wantDoctorRow(t *testing.T, o doctorOutput, env, check string, status doctor.Status, contains ...string) {
	t.Helper()
	c := o.row(t, env, check)
	if c.Status != status {
		t.Errorf("%s %s: status %s (%q — %q), want %s", env, check, c.Status, c.Message, c.Fix, status)
	}
	for _, s := range contains {
		if !strings.Contains(c.Message+" — "+c.Fix, s) {
			t.Errorf("%s %s: %q — %q lacks %q", env, check, c.Message, c.Fix, s)
		}
	}
}

func TestDoctorPasses(t *testing.T) {
	srv := doctorFake(t, devKey)
	srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
	dir := doctorProject(t)

	code, stdout, stderr := run(t, "doctor", "--dir", dir, "--env", "dev")
	if code != exit.OK || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	for _, want := range []string{
		"dev: aws://111111111111/eu-west-1, stack WellKnown-dev, bucket wellknown-dev-111111111111-eu-west-1\n\nENV  CHECK              RESULT  DETAIL\n",
		"dev  identity           ✓       credentials are for account 111111111111 (arn:aws:iam::111111111111:user/deployer)\n",
		"dev  bootstrap          ✓       bootstrap version 30 in eu-west-1 (the synthesized stack requires ≥ 6)\n",
		"dev  public-access      ✓       account 111111111111 has no account-level S3 Block Public Access\n",
		"dev  org-public-access  !       service control policies and other organization guardrails cannot be read from a member account",
		"dev  bucket             ✓       bucket wellknown-dev-111111111111-eu-west-1 does not exist yet; the deploy creates it\n",
		"dev  stack              ✓       WellKnown-dev does not exist in aws://111111111111/eu-west-1; the deploy creates it\n",
		"\nok: 1 environment, 5 passed, 0 failed, 1 warning, 0 skipped\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	code, out, _ := runDoctorJSON(t, "--dir", dir, "--env", "dev")
	if code != exit.OK || !out.OK || out.Passed != 5 || out.Warnings != 1 || out.Assembly != filepath.Join(dir, "cdk.out") {
		t.Errorf("exit %d, %+v", code, out)
	}
	e := out.Environments[0]
	if e.Env != "dev" || e.Account != devAccount || e.Region != "eu-west-1" || e.Stack != "WellKnown-dev" || e.Bucket != "wellknown-dev-111111111111-eu-west-1" || len(e.Checks) != 6 {
		t.Errorf("environment %+v", e)
	}
}

func TestDoctorFails(t *testing.T) {
	srv := doctorFake(t, prodKey)
	srv.SetParameter(prodAccount, "us-east-1", bootParam, "5")
	srv.SetPublicAccessBlock(prodAccount, &fakeaws.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true})
	srv.AddBucket("acme-links-prod", "999999999999", "us-east-1")
	srv.SetStack(prodAccount, "us-east-1", fakeaws.Stack{Name: "WellKnown-prod", Status: "ROLLBACK_COMPLETE"})
	dir := doctorProject(t)

	code, out, _ := runDoctorJSON(t, "--dir", dir, "--env", "prod")
	if code != exit.Failed || out.OK || out.Failed != 4 {
		t.Errorf("exit %d, %+v", code, out)
	}
	wantDoctorRow(t, out, "prod", "identity", doctor.Pass, "account 333333333333")
	wantDoctorRow(t, out, "prod", "bootstrap", doctor.Fail, "bootstrap version 5", "older than the 6", "npx cdk bootstrap aws://333333333333/us-east-1")
	wantDoctorRow(t, out, "prod", "public-access", doctor.Fail, "BlockPublicPolicy makes S3 reject the public bucket policy", "turns BlockPublicPolicy and RestrictPublicBuckets off")
	wantDoctorRow(t, out, "prod", "bucket", doctor.Fail, "bucket name acme-links-prod is taken")
	wantDoctorRow(t, out, "prod", "stack", doctor.Fail, "ROLLBACK_COMPLETE", "delete-stack --stack-name WellKnown-prod --region us-east-1")

	code, text, _ := run(t, "doctor", "--dir", dir, "--env", "prod")
	if code != exit.Failed || !strings.Contains(text, "\nFAILED: 1 environment, 1 passed, 4 failed, 1 warning, 0 skipped\n") || strings.Count(text, "✗") != 4 {
		t.Errorf("exit %d:\n%s", code, text)
	}
}

// Without --env every environment is checked, in name order; credentials
// reach one account, so the others fail their identity row.
func TestDoctorAllEnvironments(t *testing.T) {
	srv := doctorFake(t, devKey)
	srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
	code, out, _ := runDoctorJSON(t, "--dir", doctorProject(t))
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	var names []string
	for _, e := range out.Environments {
		names = append(names, e.Env)
	}
	if strings.Join(names, ",") != "dev,ios,prod" {
		t.Errorf("environments %v", names)
	}
	wantDoctorRow(t, out, "dev", "stack", doctor.Pass)
	wantDoctorRow(t, out, "ios", "identity", doctor.Fail, "the credentials are for account 111111111111", "but ios deploys to account 444444444444")
	wantDoctorRow(t, out, "prod", "bucket", doctor.Skip, "not checked: the credentials are for account 111111111111, not 333333333333")
}

func TestDoctorCredentials(t *testing.T) {
	t.Run("expired", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.ExpireCredentials(devKey)
		code, stdout, stderr := run(t, "doctor", "--dir", doctorProject(t), "--env", "dev")
		if code != exit.Usage || stdout != "" ||
			!strings.Contains(stderr, "wellknown doctor: the AWS credentials have expired (ExpiredToken: The security token included in the request is expired)\n") ||
			!strings.Contains(stderr, "aws sso login --profile NAME") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
	t.Run("missing", func(t *testing.T) {
		srv := doctorFake(t, "")
		code, stdout, stderr := run(t, "doctor", "--dir", doctorProject(t), "--json")
		if code != exit.Usage || !strings.Contains(stderr, "wellknown doctor: no usable AWS credentials:") || !strings.Contains(stderr, "AWS_ACCESS_KEY_ID") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		// --json: stdout is one JSON document whatever stopped the run.
		var doc struct {
			Problems []struct{ Severity, Message, Fix string }
			Errors   int
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil || doc.Errors != 1 || len(doc.Problems) != 1 ||
			!strings.HasPrefix(doc.Problems[0].Message, "no usable AWS credentials:") || !strings.Contains(doc.Problems[0].Fix, "AWS_ACCESS_KEY_ID") {
			t.Errorf("--json stdout is not the problem as JSON (%v): %q", err, stdout)
		}
		if calls := srv.Calls(); len(calls) != 0 {
			t.Errorf("requests sent without credentials: %+v", calls)
		}
	})
	t.Run("unknown profile", func(t *testing.T) {
		doctorFake(t, devKey)
		code, _, stderr := run(t, "doctor", "--dir", doctorProject(t), "--profile", "nope")
		if code != exit.Usage || !strings.Contains(stderr, `AWS profile "nope" is not in the shared config or credentials file`) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("profile", func(t *testing.T) {
		srv := doctorFake(t, "")
		srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
		creds := os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
		os.WriteFile(creds, []byte("[deploy-dev]\naws_access_key_id = "+devKey+"\naws_secret_access_key = fake-secret\n"), 0o600)
		code, out, _ := runDoctorJSON(t, "--dir", doctorProject(t), "--env", "dev", "--profile", "deploy-dev")
		if code != exit.OK {
			t.Errorf("exit %d", code)
		}
		wantDoctorRow(t, out, "dev", "identity", doctor.Pass, "account 111111111111")
	})
	// The usual cross-account setup: a profile that assumes a deploy role
	// with the keys of another profile, and no region anywhere.
	t.Run("assume-role profile", func(t *testing.T) {
		srv := doctorFake(t, "")
		srv.SetParameter(prodAccount, "us-east-1", bootParam, "30")
		os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte("[base]\naws_access_key_id = "+devKey+"\naws_secret_access_key = fake-secret\n"), 0o600)
		os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte("[profile deploy-prod]\nrole_arn = arn:aws:iam::333333333333:role/Deploy\nsource_profile = base\n"), 0o600)
		code, out, stderr := runDoctorJSON(t, "--dir", doctorProject(t), "--env", "prod", "--profile", "deploy-prod")
		if code != exit.OK {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		wantDoctorRow(t, out, "prod", "identity", doctor.Pass, "credentials are for account 333333333333 (arn:aws:sts::333333333333:assumed-role/Deploy/")
		wantDoctorRow(t, out, "prod", "bootstrap", doctor.Pass)
		if n := srv.Count("AssumeRole"); n != 1 {
			t.Errorf("%d AssumeRole calls, want 1 (credentials are resolved once)", n)
		}
	})
}

func TestDoctorAssembly(t *testing.T) {
	t.Run("requirement from the manifest", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
		dir := project(t)
		writeAssembly(t, filepath.Join(dir, "cdk.out"), 31, map[string]string{"dev": "111111111111/eu-west-1"})
		code, out, _ := runDoctorJSON(t, "--dir", dir, "--env", "dev")
		if code != exit.Failed {
			t.Errorf("exit %d", code)
		}
		wantDoctorRow(t, out, "dev", "bootstrap", doctor.Fail, "bootstrap version 30 in aws://111111111111/eu-west-1 is older than the 31 the synthesized stack requires")
	})
	t.Run("none", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
		dir := project(t)
		code, out, _ := runDoctorJSON(t, "--dir", dir, "--env", "dev")
		if code != exit.OK || out.Assembly != "" {
			t.Errorf("exit %d, assembly %q", code, out.Assembly)
		}
		wantDoctorRow(t, out, "dev", "bootstrap", doctor.Warn, "the version the stack requires is unknown: no cloud assembly in "+filepath.Join(dir, "cdk.out"), "run `make synth` first")
	})
	t.Run("--assembly", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
		elsewhere := t.TempDir()
		writeAssembly(t, elsewhere, 40, map[string]string{"dev": "111111111111/eu-west-1"})
		code, out, _ := runDoctorJSON(t, "--dir", project(t), "--env", "dev", "--assembly", elsewhere)
		if code != exit.Failed || out.Assembly != elsewhere {
			t.Errorf("exit %d, assembly %q", code, out.Assembly)
		}
		wantDoctorRow(t, out, "dev", "bootstrap", doctor.Fail, "older than the 40")
	})
	t.Run("--assembly missing", func(t *testing.T) {
		doctorFake(t, devKey)
		code, _, stderr := run(t, "doctor", "--dir", project(t), "--assembly", t.TempDir())
		if code != exit.Usage || !strings.Contains(stderr, "no manifest.json there") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("broken manifest", func(t *testing.T) {
		doctorFake(t, devKey)
		dir := project(t)
		os.MkdirAll(filepath.Join(dir, "cdk.out"), 0o755)
		os.WriteFile(filepath.Join(dir, "cdk.out", "manifest.json"), []byte("{"), 0o644)
		code, _, stderr := run(t, "doctor", "--dir", dir)
		if code != exit.Usage || !strings.Contains(stderr, "not a cloud assembly manifest") || !strings.Contains(stderr, "make synth") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

// The qualifier comes from cdk.json's context, as the CDK reads it.
func TestDoctorQualifier(t *testing.T) {
	setQualifier := func(t *testing.T, dir, value string) {
		t.Helper()
		path := filepath.Join(dir, "cdk.json")
		data := readFile(t, path)
		patched := strings.Replace(string(data), `"context": {`, `"context": {`+"\n    \"@aws-cdk/core:bootstrapQualifier\": "+value+",", 1)
		if err := os.WriteFile(path, []byte(patched), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("custom", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.SetParameter(devAccount, "eu-west-1", bootParam, "30") // the default qualifier's: must not count
		dir := project(t)
		setQualifier(t, dir, `"acme1"`)
		code, out, _ := runDoctorJSON(t, "--dir", dir, "--env", "dev")
		if code != exit.Failed {
			t.Errorf("exit %d", code)
		}
		wantDoctorRow(t, out, "dev", "bootstrap", doctor.Fail, "/cdk-bootstrap/acme1/version does not exist", "npx cdk bootstrap aws://111111111111/eu-west-1 --qualifier acme1")

		srv.SetParameter(devAccount, "eu-west-1", "/cdk-bootstrap/acme1/version", "30")
		code, out, _ = runDoctorJSON(t, "--dir", dir, "--env", "dev")
		if code != exit.OK {
			t.Errorf("exit %d", code)
		}
		wantDoctorRow(t, out, "dev", "bootstrap", doctor.Warn, "bootstrapped (/cdk-bootstrap/acme1/version = 30)")
	})
	for _, bad := range []string{`42`, `"much-too-long-qualifier"`, `"a/b"`} {
		t.Run(bad, func(t *testing.T) {
			doctorFake(t, devKey)
			dir := project(t)
			setQualifier(t, dir, bad)
			code, _, stderr := run(t, "doctor", "--dir", dir)
			if code != exit.Usage || !strings.Contains(stderr, `cdk.json: context["@aws-cdk/core:bootstrapQualifier"]: is `+bad+`, not a bootstrap qualifier`) {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
}

func TestDoctorUsage(t *testing.T) {
	srv := doctorFake(t, devKey)
	dir := project(t)
	for _, args := range [][]string{
		{"--env", "nope"},
		{"--timeout", "0s"},
		{"--timeout", "soon"},
		{"extra"},
		{"--role-arn", "notanarn"},
		{"--role-arn", "arn:aws:iam::111111111111:user/deployer"},
	} {
		code, stdout, stderr := run(t, append([]string{"doctor", "--dir", dir}, args...)...)
		if code != exit.Usage || stdout != "" || stderr == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if _, _, stderr := run(t, "doctor", "--dir", dir, "--role-arn", "notanarn"); !strings.Contains(stderr, `--role-arn "notanarn" is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)`) {
		t.Errorf("--role-arn notanarn: %q", stderr)
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("usage errors sent requests: %+v", calls)
	}
	code, stdout, _ := run(t, "doctor", "--help")
	if code != exit.OK || !strings.Contains(stdout, "Usage: wellknown doctor [--env NAME]… [--json] [--timeout DURATION] [--profile PROFILE] [--role-arn ARN] [--assembly DIR]") {
		t.Errorf("help: exit %d\n%s", code, stdout)
	}
	if _, usage, _ := run(t, "--help"); !strings.Contains(usage, "  doctor    read-only pre-deploy checks") {
		t.Errorf("doctor missing from the command list:\n%s", usage)
	}
}

// Throttling and a slow endpoint reach the table as failed rows, with
// the exit code of a failed check.
func TestDoctorFaults(t *testing.T) {
	t.Run("throttled", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
		srv.SetFault("GetParameter", fakeaws.Fault{Throttle: 1000})
		code, out, _ := runDoctorJSON(t, "--dir", doctorProject(t), "--env", "dev")
		if code != exit.Failed {
			t.Errorf("exit %d", code)
		}
		wantDoctorRow(t, out, "dev", "bootstrap", doctor.Fail, "AWS throttled all 3 attempts (ThrottlingException: Rate exceeded)")
		if n := srv.Count("GetParameter"); n != 3 {
			t.Errorf("%d GetParameter requests, want 3", n)
		}
	})
	t.Run("slow", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
		// The first call hangs, so nothing else has to finish in time.
		srv.SetFault("GetCallerIdentity", fakeaws.Fault{Delay: 10 * time.Minute})
		code, out, _ := runDoctorJSON(t, "--dir", doctorProject(t), "--env", "dev", "--timeout", "500ms")
		if code != exit.Failed {
			t.Errorf("exit %d", code)
		}
		wantDoctorRow(t, out, "dev", "identity", doctor.Fail, "could not ask STS who these credentials are: no answer within 500ms (--timeout)", "longer --timeout")
		wantDoctorRow(t, out, "dev", "stack", doctor.Skip)
	})
	t.Run("garbage", func(t *testing.T) {
		srv := doctorFake(t, devKey)
		srv.SetFault("GetCallerIdentity", fakeaws.Fault{Garbage: true})
		code, out, _ := runDoctorJSON(t, "--dir", doctorProject(t), "--env", "dev")
		if code != exit.Failed {
			t.Errorf("exit %d", code)
		}
		wantDoctorRow(t, out, "dev", "identity", doctor.Fail, "could not ask STS who these credentials are: unexpected response (HTTP 200, text/html; charset=utf-8) that is not an AWS answer")
		wantDoctorRow(t, out, "dev", "stack", doctor.Skip)
	})
}

// Invalid local files do not stop doctor, which checks the account, but
// it says that the synthesis will refuse them.
func TestDoctorNotesInvalidFiles(t *testing.T) {
	srv := doctorFake(t, devKey)
	srv.SetParameter(devAccount, "eu-west-1", bootParam, "30")
	dir := doctorProject(t)
	if err := os.WriteFile(filepath.Join(dir, "assets", "dev", ".well-known", "assetlinks.json"), []byte("[}"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "doctor", "--dir", dir, "--env", "dev")
	if code != exit.OK || !strings.Contains(stderr, "note: the local files have 1 error; `wellknown check` lists them") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// In CI the deploy role may only assume the CDK bootstrap roles; doctor
// assumes the lookup role (--role-arn) and checks as that role.
func TestDoctorAssumesRole(t *testing.T) {
	srv := doctorFake(t, devKey)
	dir := project(t)
	lookup := "arn:aws:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-eu-west-1"
	code, out, stderr := runDoctorJSON(t, "--dir", dir, "--env", "dev", "--role-arn", lookup)
	if code == exit.Usage {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	wantDoctorRow(t, out, "dev", "identity", doctor.Pass, "assumed-role/cdk-hnb659fds-lookup-role-111111111111-eu-west-1/wellknown-doctor")
	if srv.Count("AssumeRole") != 1 {
		t.Errorf("AssumeRole calls: %d, want 1 (the credentials are cached)", srv.Count("AssumeRole"))
	}
}

// AWS out of reach reads the same whether the checks find out (each row)
// or the credentials do (--role-arn assumes a role first): "no connection
// to AWS", with the same fix.
func TestDoctorNoConnection(t *testing.T) {
	doctorFake(t, devKey)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	testDoctorOptions = func(o *doctor.Options) {
		o.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", closed)
		}}}
		o.MaxBackoff = time.Millisecond
	}
	dir := doctorProject(t)
	code, out, _ := runDoctorJSON(t, "--dir", dir, "--env", "dev")
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantDoctorRow(t, out, "dev", "identity", doctor.Fail, "no connection to AWS: dial tcp "+closed, "check the network path to AWS (DNS, proxy via HTTPS_PROXY, VPN)")
	lookup := "arn:aws:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-eu-west-1"
	code, _, stderr := run(t, "doctor", "--dir", dir, "--env", "dev", "--role-arn", lookup)
	if code != exit.Usage || !strings.Contains(stderr, "wellknown doctor: no connection to AWS: dial tcp "+closed) ||
		!strings.Contains(stderr, "check the network path to AWS (DNS, proxy via HTTPS_PROXY, VPN)") {
		t.Errorf("--role-arn: exit %d\n%s", code, stderr)
	}
}
