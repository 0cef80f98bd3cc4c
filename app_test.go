package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acme/wellknown/internal/testenv"
	"github.com/aws/jsii-runtime-go"
)

// appBinary is the CDK app built once for all tests in this package: the
// tests run it exactly as the CDK CLI does, with CDK_CONTEXT_JSON and
// CDK_OUTDIR, so what they observe is what `cdk synth` gets.
var appBinary string

// cliBinary is the wellknown command, built once, for tests that run every
// entry point on the same input.
var cliBinary string

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, func(dir string) error {
		appBinary = filepath.Join(dir, "app")
		cliBinary = filepath.Join(dir, "wellknown")
		for bin, pkg := range map[string]string{appBinary: ".", cliBinary: "./cmd/wellknown"} {
			if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
				return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
			}
		}
		return nil
		// The test binary links the app, whose aws-cdk-go imports start the
		// jsii client (and extract its runtime) as they initialize.
	}, jsii.Close))
}

// project is a scratch copy of the example project: cdk.json's context and
// the assets directory, both free to break.
type project struct {
	t       testing.TB
	dir     string
	context map[string]interface{}
	// keepCDKJSON leaves a cdk.json the test wrote itself in place.
	keepCDKJSON bool
	// cdkValidation runs the app with the CDK's built-in CloudFormation
	// validation, as a user's synthesis does. It costs about 3 s a run, so
	// only the tests of what users synthesize (the example, the pipeline,
	// the custom-domain modes) turn it on; the project's own rules and
	// cdk-nag run either way.
	cdkValidation bool
}

func newProject(t testing.TB) *project {
	t.Helper()
	data, err := os.ReadFile("cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var cdk struct {
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(data, &cdk); err != nil {
		t.Fatal(err)
	}
	p := &project{t: t, dir: t.TempDir(), context: cdk.Context}
	if err := os.CopyFS(filepath.Join(p.dir, "assets"), os.DirFS("assets")); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *project) envs() map[string]interface{} {
	return p.context["wellknown:environments"].(map[string]interface{})
}

func (p *project) env(name string) map[string]interface{} {
	return p.envs()[name].(map[string]interface{})
}

func (p *project) write(rel, content string) {
	p.t.Helper()
	path := filepath.Join(p.dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *project) remove(rel string) {
	p.t.Helper()
	if err := os.RemoveAll(filepath.Join(p.dir, rel)); err != nil {
		p.t.Fatal(err)
	}
}

// edit rewrites a JSON asset through a function on its decoded value.
func (p *project) edit(rel string, change func(v interface{}) interface{}) {
	p.t.Helper()
	data, err := os.ReadFile(filepath.Join(p.dir, rel))
	if err != nil {
		p.t.Fatal(err)
	}
	var v interface{}
	if err := json.Unmarshal(data, &v); err != nil {
		p.t.Fatal(err)
	}
	out, _ := json.MarshalIndent(change(v), "", "  ")
	p.write(rel, string(out))
}

type synthResult struct {
	exit           int
	stdout, stderr string
	outdir         string
	// summary is what `make synth` prints after a successful synthesis:
	// the wellknown command's synth-summary of the assembly.
	summary string
}

// synth runs the app like `cdk synth` would, with extra context (-c flags):
// cdk.json holds the project's context, and CDK_CONTEXT_JSON that merged
// with the extra values. A successful run gets the summary of make synth.
func (p *project) synth(extra map[string]interface{}) synthResult {
	p.t.Helper()
	return p.summarize(p.appRun(extra))
}

// appRun is synth without the summary: the app alone, as the benchmarks
// time it.
func (p *project) appRun(extra map[string]interface{}) synthResult {
	p.t.Helper()
	if _, err := os.Stat(filepath.Join(p.dir, "cdk.json")); err != nil || !p.keepCDKJSON {
		p.writeCDKJSON()
	}
	ctx := map[string]interface{}{}
	for k, v := range p.context {
		ctx[k] = v
	}
	for k, v := range extra {
		ctx[k] = v
	}
	ctxJSON, _ := json.Marshal(ctx)
	outdir := filepath.Join(p.dir, "cdk.out")
	return p.run(outdir, "CDK_CONTEXT_JSON="+string(ctxJSON), "CDK_OUTDIR="+outdir)
}

// summarize adds to a successful run the summary make synth prints, and
// fails the test if the app itself wrote on stdout, which belongs to the
// CDK CLI (cdk synth STACK > t.yaml, cdk ls --json).
func (p *project) summarize(res synthResult) synthResult {
	p.t.Helper()
	if res.exit != 0 {
		return res
	}
	if res.stdout != "" {
		p.t.Errorf("the app wrote on stdout, which is the CDK CLI's:\n%s", res.stdout)
	}
	cmd := exec.Command(cliBinary, "--dir", p.dir, "synth-summary")
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+res.outdir)
	sum := p.exec(cmd)
	if sum.exit != 0 {
		p.t.Fatalf("synth-summary: exit %d\n%s", sum.exit, sum.stderr)
	}
	res.summary = sum.stdout
	return res
}

// run runs the app binary in the project with env added to a copy of the
// test's environment that has no CDK variables of its own.
func (p *project) run(outdir string, env ...string) synthResult {
	p.t.Helper()
	cmd := exec.Command(appBinary)
	cmd.Dir = p.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CDK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if !p.cdkValidation {
		cmd.Env = append(cmd.Env, "CDK_VALIDATION=false")
	}
	cmd.Env = append(cmd.Env, env...)
	res := p.exec(cmd)
	res.outdir = outdir
	return res
}

// exec runs cmd and returns its exit code and output.
func (p *project) exec(cmd *exec.Cmd) synthResult {
	p.t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	exit := 0
	if ee, ok := err.(*exec.ExitError); ok {
		exit = ee.ExitCode()
	} else if err != nil {
		p.t.Fatal(err)
	}
	return synthResult{exit: exit, stdout: stdout.String(), stderr: stderr.String()}
}

// templates lists the stack templates a synthesis left behind.
func templates(t *testing.T, outdir string) []string {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(outdir, "*.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestExampleSynthesizesCleanly(t *testing.T) {
	p := newProject(t)
	p.cdkValidation = true
	res := p.synth(nil)
	if res.exit != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", res.exit, res.stderr)
	}
	got := templates(t, res.outdir)
	if len(got) != 3+3 {
		t.Errorf("templates = %v, want one per environment and one CI roles stack per account", got)
	}
	for _, want := range []string{
		"ENV", "REDIRECT URL",
		"https://wellknown-dev-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com/",
		"https://acme-links-prod.s3.us-east-1.amazonaws.com/",
		"WellKnown-staging",
	} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.summary)
		}
	}
	// Nothing but real findings belongs on stderr: no node banner, no jsii
	// shutdown race, no warnings for the example files.
	if strings.TrimSpace(res.stderr) != "" {
		t.Errorf("stderr is not empty:\n%s", res.stderr)
	}
}

// -c env=prod synthesizes only prod; a warning (access logs off) is shown
// but does not stop the synthesis.
func TestSelectOneEnvironment(t *testing.T) {
	p := newProject(t)
	p.env("prod")["accessLogs"] = false
	res := p.synth(map[string]interface{}{"env": "prod"})
	if res.exit != 0 {
		t.Fatalf("exit %d\n%s", res.exit, res.stderr)
	}
	if want := `cdk.json: context["wellknown:environments"].prod.accessLogs: warning: S3 server access logging is off`; !strings.Contains(res.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
	}
	got := templates(t, res.outdir)
	if len(got) != 1 || filepath.Base(got[0]) != "WellKnown-prod.template.json" {
		t.Errorf("templates = %v, want only WellKnown-prod", got)
	}
}

func TestUnknownEnvironmentListsKnownOnes(t *testing.T) {
	p := newProject(t)
	res := p.synth(map[string]interface{}{"env": "qa"})
	if res.exit != 2 {
		t.Errorf("exit = %d, want 2", res.exit)
	}
	if want := `unknown environment "qa"; known environments: dev, prod, staging`; !strings.Contains(res.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
	}
	if len(templates(t, res.outdir)) != 0 {
		t.Error("templates were written")
	}
}

// Problems in several environments, in config and in files, come out of one
// run together.
func TestAllProblemsReportedTogether(t *testing.T) {
	p := newProject(t)
	p.env("dev")["region"] = "eu-west-9"
	p.write("assets/dev/.well-known/assetlinks.json", `{}`)
	p.write("assets/prod/.well-known/assetlinks.json", `[]`)
	p.write("assets/staging/.well-known/apple-app-site-association", `{}`)
	res := p.synth(nil)
	for _, want := range []string{
		`cdk.json: context["wellknown:environments"].dev.region: "eu-west-9" is not an AWS region code`,
		// dev's settings are broken, and its files are checked all the same.
		"assets/dev/.well-known/assetlinks.json: $:",
		"assets/prod/.well-known/assetlinks.json: $:",
		"assets/staging/.well-known/apple-app-site-association: $:",
		"4 errors",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
}

// The real CDK CLI, as people script it, runs the app (the binary built
// for these tests, as cdk.json's "app" would): `cdk synth` is quiet — no
// feature-flag notice, no node banner, no jsii noise, no summary table —
// `cdk synth STACK > t.yaml` is YAML, `cdk ls` prints bare stack names and
// `cdk ls --long --json` is JSON, because the app writes nothing to stdout.
func TestCDKCLIScripting(t *testing.T) {
	cli := filepath.Join("node_modules", ".bin", "cdk")
	if _, err := os.Stat(cli); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing: CI must run `make test`, which installs the pinned CLI", cli)
		}
		t.Skip("CDK CLI not installed; run `make test` (npm ci) to include this test")
	}
	stacks := []string{"WellKnown-dev", "WellKnown-prod", "WellKnown-staging", "WellKnownCI-111111111111", "WellKnownCI-222222222222", "WellKnownCI-333333333333"}
	run := func(t *testing.T, args ...string) (stdout string) {
		t.Helper()
		// --no-ci: with CI=true (as in CI) the CLI writes its own messages
		// to stdout; this test is about what the app writes there.
		cmd := exec.Command(cli, append(args, "--no-ci", "--app", appBinary, "--output", t.TempDir())...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("cdk %v: %v\n%s%s", args, err, out.String(), errOut.String())
		}
		for _, noise := range []string{"feature flag", "!!", "end-of-life", "runtime process exited", "deprecated", "warning"} {
			if all := strings.ToLower(out.String() + errOut.String()); strings.Contains(all, noise) {
				t.Errorf("cdk %v output contains %q:\n%s%s", args, noise, out.String(), errOut.String())
			}
		}
		if all := out.String() + errOut.String(); strings.Contains(all, "ENV  ") || strings.Contains(all, "REDIRECT URL") {
			t.Errorf("cdk %v output contains the summary table, which is make synth's:\n%s", args, all)
		}
		return out.String()
	}
	t.Run("synth --quiet", func(t *testing.T) {
		t.Parallel()
		if out := run(t, "synth", "--quiet"); out != "" {
			t.Errorf("stdout is not empty:\n%s", out)
		}
	})
	t.Run("synth STACK is YAML", func(t *testing.T) {
		t.Parallel()
		var tmpl struct {
			Resources map[string]struct {
				Type string `yaml:"Type"`
			} `yaml:"Resources"`
		}
		out := run(t, "synth", "WellKnown-dev")
		if err := yaml.Unmarshal([]byte(out), &tmpl); err != nil || len(tmpl.Resources) == 0 {
			t.Errorf("stdout is not the template as YAML (%v):\n%.500s", err, out)
		}
	})
	t.Run("ls", func(t *testing.T) {
		t.Parallel()
		if got := strings.Fields(run(t, "ls")); !slices.Equal(got, stacks) {
			t.Errorf("cdk ls = %q, want %q", got, stacks)
		}
	})
	t.Run("ls --long --json", func(t *testing.T) {
		t.Parallel()
		var listed []struct{ ID string }
		out := run(t, "ls", "--long", "--json")
		if err := json.Unmarshal([]byte(out), &listed); err != nil {
			t.Fatalf("not JSON (%v):\n%s", err, out)
		}
		var ids []string
		for _, s := range listed {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, stacks) {
			t.Errorf("ids %q, want %q", ids, stacks)
		}
	})
}

// writeCDKJSON writes the project's context as its cdk.json, for runs
// without the CDK CLI.
func (p *project) writeCDKJSON() {
	p.t.Helper()
	data, err := json.MarshalIndent(map[string]interface{}{"app": "go run .", "context": p.context}, "", "  ")
	if err != nil {
		p.t.Fatal(err)
	}
	p.write("cdk.json", string(data))
}

// Run directly (go run ., no CDK CLI, no CDK_OUTDIR), the app writes to
// cdk.out in the project, as the CLI would, and a failed run cleans that
// same directory.
func TestDirectRunWritesToProjectCDKOut(t *testing.T) {
	p := newProject(t)
	p.writeCDKJSON()
	outdir := filepath.Join(p.dir, "cdk.out")
	res := p.summarize(p.run(outdir))
	if res.exit != 0 {
		t.Fatalf("exit %d\n%s", res.exit, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(outdir, "manifest.json")); err != nil {
		t.Fatalf("no manifest in the project's cdk.out: %v", err)
	}
	if got := templates(t, outdir); len(got) != 3+3 {
		t.Errorf("templates = %v", got)
	}
	if !strings.Contains(res.summary, "synthesized to cdk.out") {
		t.Errorf("summary does not name cdk.out:\n%s", res.summary)
	}
	p.write("assets/dev/.well-known/assetlinks.json", "[]")
	res = p.run(outdir)
	if res.exit != 1 {
		t.Fatalf("exit %d, want 1\n%s", res.exit, res.stderr)
	}
	if got := templates(t, outdir); len(got) != 0 {
		t.Errorf("templates of the earlier run left next to a failed one: %v", got)
	}
	if _, err := os.Stat(filepath.Join(outdir, "manifest.json")); err == nil {
		t.Error("manifest.json of the earlier run left behind")
	}
}

// cli runs the wellknown command in the project.
func (p *project) cli(args ...string) synthResult {
	p.t.Helper()
	if _, err := os.Stat(filepath.Join(p.dir, "cdk.json")); err != nil || !p.keepCDKJSON {
		p.writeCDKJSON()
	}
	return p.exec(exec.Command(cliBinary, append([]string{"--dir", p.dir}, args...)...))
}

// SIGINT while the real app synthesizes (inside jsii) ends it with 130 and
// leaves nothing deployable, from this run or an earlier one.
func TestInterruptedSynthesisLeavesNothingDeployable(t *testing.T) {
	p := newProject(t)
	envs := map[string]interface{}{}
	for i := 0; i < 40; i++ {
		envs[fmt.Sprintf("env%02d", i)] = map[string]interface{}{
			"account": fmt.Sprintf("%012d", 100000000000+i), "region": "eu-west-1", "assets": "assets/dev",
		}
	}
	p.context["wellknown:environments"] = envs
	delete(p.context, "wellknown:ci")
	p.writeCDKJSON()
	p.keepCDKJSON = true
	outdir := filepath.Join(p.dir, "cdk.out")
	p.write("cdk.out/manifest.json", "{}")
	p.write("cdk.out/WellKnown-old.template.json", "{}")
	ctxJSON, _ := json.Marshal(p.context)
	cmd := exec.Command(appBinary)
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "CDK_CONTEXT_JSON="+string(ctxJSON), "CDK_OUTDIR="+outdir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// The staging directory exists from the first construct until the
	// assembly is moved into place: a signal now is one during synthesis.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if staged, _ := filepath.Glob(filepath.Join(outdir, ".synth-*", "*")); len(staged) > 0 {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the app ended (%v) before it could be interrupted:\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("synthesis never started:\n%s", stderr.String())
		}
	}
	cmd.Process.Signal(os.Interrupt)
	err := <-exited
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("exit: %v, want 130\n%s", err, stderr.String())
	}
	// The jsii runtime's own line about the child it lost ends without a
	// newline; the app's line still starts a line of its own.
	if !regexp.MustCompile(`(?m)^wellknown: interrupt: synthesis interrupted; nothing deployable was left in `).MatchString(stderr.String()) {
		t.Errorf("the interrupt is not reported on a line of its own:\n%q", stderr.String())
	}
	time.Sleep(500 * time.Millisecond) // a surviving node child would write now
	for _, pattern := range []string{"manifest.json", "*.template.json", "*.assets.json", ".synth-*"} {
		if found, _ := filepath.Glob(filepath.Join(outdir, pattern)); len(found) > 0 {
			t.Errorf("left behind: %v", found)
		}
	}
}

// The custom-domain modes — a certificate created in the environment's
// stack (us-east-1), one created in WellKnownCert-<env> and read by weak
// reference (eu-west-1), and a given certificateArn with keepS3Public —
// synthesize as users synthesize them, the CDK's own validation included.
func TestDomainModesPassTheCDKValidation(t *testing.T) {
	p := newProject(t)
	p.cdkValidation = true
	zone := map[string]interface{}{"hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com"}
	withZone := func(name string) map[string]interface{} {
		d := map[string]interface{}{"name": name}
		for k, v := range zone {
			d[k] = v
		}
		return d
	}
	p.env("prod")["domain"] = withZone("links.acme.com")
	p.env("dev")["domain"] = withZone("links-dev.acme.com")
	p.env("staging")["domain"] = map[string]interface{}{"name": "links-staging.acme.com", "keepS3Public": true,
		"certificateArn": "arn:aws:acm:us-east-1:222222222222:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}
	p.env("dev")["account"] = "333333333333" // a zone belongs to one account
	res := p.synth(nil)
	if res.exit != 0 {
		t.Fatalf("exit %d\n%s", res.exit, res.stderr)
	}
	if strings.TrimSpace(res.stderr) != "" {
		t.Errorf("stderr is not empty:\n%s", res.stderr)
	}
	for _, want := range []string{"WellKnownCert-dev", "https://links.acme.com/", "https://links-staging.acme.com/"} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.summary)
		}
	}
}
