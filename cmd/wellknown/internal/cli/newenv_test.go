package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/linkfile"

	"github.com/acme/wellknown/internal/exit"
)

var qaArgs = []string{"new-env", "qa", "--account", "555555555555", "--region", "eu-west-2",
	"--android-package", "com.acme.shop.qa",
	"--android-fingerprint", "a723f84e132de3b6b322d9f491b0b3c60f6efa74458e28bd8ea85cd208d4f294",
	"--android-fingerprint", "37:e5:90:a1:91:23:46:c1:cc:97:e4:f5:07:48:1a:2b:6e:36:af:04:66:99:79:54:5c:1e:1c:74:63:60:22:0a",
	"--android-package", "com.acme.reader.qa",
	"--android-fingerprint", "264ED3BAB5D9B684D35C178D46809076AF55925E3E78406030B014A3F574D58B",
	"--ios-app-id", "ABCDE12345.com.acme.shop.qa", "--ios-app-id", "ABCDE12345.com.acme.shop.qa.enterprise",
	"--webcredentials"}

func TestNewEnvGeneratesFilesAndConfig(t *testing.T) {
	dir := project(t)
	before := readFile(t, filepath.Join(dir, "cdk.json"))
	code, out, stderr := run(t, append(qaArgs, "--dir", dir)...)
	if code != exit.OK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, `added environment "qa"`) || !strings.Contains(out, "https://wellknown-qa-555555555555-eu-west-2.s3.eu-west-2.amazonaws.com/") {
		t.Errorf("output:\n%s", out)
	}

	al := readFile(t, filepath.Join(dir, "assets/qa/.well-known/assetlinks.json"))
	info, err := linkfile.ParseAssetLinks(al)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.AndroidApps) != 2 || info.AndroidApps[1].PackageName != "com.acme.reader.qa" {
		t.Fatalf("%+v", info)
	}
	// Fingerprints pair with the package before them and are canonical.
	want := []string{"A7:23:F8:4E:13:2D:E3:B6:B3:22:D9:F4:91:B0:B3:C6:0F:6E:FA:74:45:8E:28:BD:8E:A8:5C:D2:08:D4:F2:94", prodFP1}
	if got := info.AndroidApps[0].Fingerprints; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fingerprints %v", got)
	}
	if got := info.AndroidApps[1].Relations; len(got) != 2 || got[1] != "delegate_permission/common.get_login_creds" {
		t.Errorf("relations %v", got)
	}
	aasaData := readFile(t, filepath.Join(dir, "assets/qa/.well-known/apple-app-site-association"))
	var doc struct {
		AppLinks struct {
			Details []struct {
				AppIDs     []string         `json:"appIDs"`
				Components []map[string]any `json:"components"`
			} `json:"details"`
		} `json:"applinks"`
		WebCredentials struct {
			Apps []string `json:"apps"`
		} `json:"webcredentials"`
	}
	if err := json.Unmarshal(aasaData, &doc); err != nil {
		t.Fatal(err)
	}
	d := doc.AppLinks.Details[0]
	if len(d.AppIDs) != 2 || len(doc.WebCredentials.Apps) != 2 || d.Components[0]["/"] != "/" {
		t.Errorf("%s", aasaData)
	}
	if q, _ := json.Marshal(d.Components[0]["?"]); string(q) != `{"code":"?*","state":"?*"}` {
		t.Errorf("default component query %s", q)
	}
	if !bytes.HasPrefix(aasaData, []byte("{\n  \"applinks\": {\n    \"details\": [")) || !bytes.HasSuffix(aasaData, []byte("}\n")) {
		t.Errorf("not 2-space indented with a trailing newline:\n%s", aasaData)
	}

	// cdk.json: only the new entry was inserted, after the last environment.
	after := readFile(t, filepath.Join(dir, "cdk.json"))
	inserted := ",\n      \"qa\": {\n        \"account\": \"555555555555\",\n        \"region\": \"eu-west-2\"\n      }"
	if !bytes.Equal(bytes.Replace(after, []byte(inserted), nil, 1), before) {
		t.Errorf("cdk.json changed beyond the new entry:\n%s", after)
	}
	if code, out, _ := run(t, "check", "--dir", dir); code != exit.OK || !strings.Contains(out, "4 environments (dev, ios, prod, qa)") {
		t.Errorf("check after new-env: exit %d\n%s", code, out)
	}
}

func TestNewEnvIOSPaths(t *testing.T) {
	dir := project(t)
	code, _, stderr := run(t, "new-env", "--dir", dir, "web", "--account", "555555555555", "--region", "eu-west-2",
		"--bucket-name", "acme-links-web", "--ios-app-id", "ABCDE12345.com.acme.web", "--ios-path", "/orders/*", "--ios-path", "/auth/*")
	if code != exit.OK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data := readFile(t, filepath.Join(dir, "assets/web/.well-known/apple-app-site-association"))
	if !bytes.Contains(data, []byte(`"components": [
          {
            "/": "/orders/*"
          },
          {
            "/": "/auth/*"
          }
        ]`)) {
		t.Errorf("%s", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "assets/web/.well-known/assetlinks.json")); err == nil {
		t.Error("assetlinks.json written without --android-package")
	}
	cfg, _ := config.Parse(mustContext(t, dir), dir)
	if e, ok := cfg.Find("web"); !ok || e.BucketName != "acme-links-web" {
		t.Errorf("%+v", e)
	}
}

func mustContext(t *testing.T, dir string) config.Context {
	t.Helper()
	ctx, err := config.ReadCDKJSON(filepath.Join(dir, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

func TestNewEnvRefusesToOverwrite(t *testing.T) {
	dir := project(t)
	cdk := readFile(t, filepath.Join(dir, "cdk.json"))
	args := []string{"new-env", "--dir", dir, "prod", "--account", "333333333333", "--region", "us-east-1",
		"--bucket-name", "acme-links-prod", "--ios-app-id", "ABCDE12345.com.acme.shop"}
	code, _, stderr := run(t, args...)
	if code != exit.Usage || !strings.Contains(stderr, `environment "prod" already exists`) || !strings.Contains(stderr, "--force") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	// A file left from an earlier environment of the same name is protected too.
	os.MkdirAll(filepath.Join(dir, "assets/stale/.well-known"), 0o755)
	os.WriteFile(filepath.Join(dir, "assets/stale/.well-known/apple-app-site-association"), []byte("{}"), 0o644)
	code, _, stderr = run(t, "new-env", "--dir", dir, "stale", "--account", "555555555555", "--region", "eu-west-2", "--ios-app-id", "ABCDE12345.com.acme.x")
	if code != exit.Usage || !strings.Contains(stderr, "apple-app-site-association already exists; pass --force") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "cdk.json")), cdk) {
		t.Error("cdk.json changed although new-env refused")
	}

	// --force replaces the entry in place and the files.
	code, out, stderr := run(t, append(args, "--force", "--ios-path", "/x/*")...)
	if code != exit.OK || !strings.Contains(out, `replaced environment "prod"`) || !strings.Contains(out, "kept    "+filepath.Join(dir, "assets/prod/.well-known/assetlinks.json")) {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	after := string(readFile(t, filepath.Join(dir, "cdk.json")))
	if strings.Index(after, `"prod"`) < strings.Index(after, `"ios"`) {
		t.Errorf("prod not replaced in place:\n%s", after)
	}
	// Settings the command line does not cover survive the replacement.
	if !strings.Contains(after, `"terminationProtection": true`) {
		t.Errorf("--force dropped prod's terminationProtection:\n%s", after)
	}
}

func TestNewEnvInvalidInputWritesNothing(t *testing.T) {
	dir := project(t)
	cdk := readFile(t, filepath.Join(dir, "cdk.json"))
	cases := map[string][]string{
		"bad values": {"new-env", "--dir", dir, "Bad_Name", "--account", "12", "--region", "mars-1",
			"--ios-app-id", "abc", "--android-package", "x", "--android-fingerprint", "12:34"},
		"nothing to publish":         {"new-env", "--dir", dir, "qa", "--account", "555555555555", "--region", "eu-west-2"},
		"fingerprint before package": {"new-env", "--dir", dir, "qa", "--account", "555555555555", "--region", "eu-west-2", "--android-fingerprint", "AA"},
		"package without fingerprint": {"new-env", "--dir", dir, "qa", "--account", "555555555555", "--region", "eu-west-2",
			"--android-package", "com.acme.qa"},
		"missing region": {"new-env", "--dir", dir, "qa", "--account", "555555555555", "--ios-app-id", "ABCDE12345.com.acme.x"},
		"duplicate bucket": {"new-env", "--dir", dir, "qa", "--account", "555555555555", "--region", "eu-west-2",
			"--bucket-name", "acme-links-prod", "--ios-app-id", "ABCDE12345.com.acme.x"},
		"two names": {"new-env", "--dir", dir, "qa", "qb", "--account", "555555555555", "--region", "eu-west-2", "--ios-app-id", "ABCDE12345.com.acme.x"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, stderr := run(t, args...)
			if code != exit.Usage || out != "" || stderr == "" {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
			}
		})
	}
	_, _, stderr := run(t, cases["bad values"]...)
	for _, want := range []string{
		`.Bad_Name.account: "12" is not an AWS account ID`,
		`.Bad_Name.region: "mars-1" is not an AWS region code`,
		`apple-app-site-association: applinks.details[0].appIDs[0]: "abc" is not an app ID`,
		`assetlinks.json: [0].target.sha256_cert_fingerprints[0]: "12:34" is not a SHA-256 fingerprint`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "cdk.json")), cdk) {
		t.Error("cdk.json changed")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "assets"))
	if len(entries) != 3 {
		t.Errorf("assets/ gained entries: %v", entries)
	}
}

// TestNewEnvRoundTrip creates an environment in a copy of the real project
// and synthesizes it with the CDK app, exactly as `cdk synth` runs it.
func TestNewEnvRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesis takes about 10 s")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("synthesis needs node on PATH")
	}
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cdk.json"), readFile(t, filepath.Join(root, "cdk.json")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "assets"), os.DirFS(filepath.Join(root, "assets"))); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, append(qaArgs, "--dir", dir)...)
	if code != exit.OK {
		t.Fatalf("new-env: exit %d\n%s%s", code, out, stderr)
	}
	// The example has a CI promotion: the new environment deploys last.
	var cdk struct {
		Context struct {
			CI struct{ Promotion []string } `json:"wellknown:ci"`
		}
	}
	json.Unmarshal(readFile(t, filepath.Join(dir, "cdk.json")), &cdk)
	if p := cdk.Context.CI.Promotion; len(p) == 0 || p[len(p)-1] != "qa" || !strings.Contains(out, "promotion: qa deploys last") {
		t.Errorf("promotion %v\n%s", p, out)
	}
	if code, out, _ := run(t, "--dir", dir, "check", filepath.Join(dir, "assets", "qa")); code != exit.OK {
		t.Fatalf("check: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, "--dir", dir, "check"); code != exit.OK {
		t.Fatalf("check: exit %d\n%s", code, out)
	}

	app := filepath.Join(t.TempDir(), "app")
	build := exec.Command("go", "build", "-o", app, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the CDK app: %v\n%s", err, out)
	}
	ctx := mustContext(t, dir).Values()
	ctx["env"] = json.RawMessage(`"qa"`)
	ctxJSON, _ := json.Marshal(ctx)
	outdir := filepath.Join(t.TempDir(), "out")
	synth := exec.Command(app)
	synth.Dir = dir
	// The new environment is synthesized with the project's rules and
	// cdk-nag; the CDK's own schema validation (about 3 s) is the root
	// package's end-to-end tests' business.
	synth.Env = append(os.Environ(), "CDK_OUTDIR="+outdir, "CDK_CONTEXT_JSON="+string(ctxJSON), "CDK_VALIDATION=false")
	if out, err := synth.CombinedOutput(); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(outdir, "WellKnown-qa.template.json")); err != nil {
		t.Fatalf("template missing: %v", err)
	}
}

// runAsUnprivileged runs the command as a user that file permissions apply
// to: in-process when the tests are not root, else the built binary as
// nobody, since root writes any file.
func runAsUnprivileged(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		code, _, stderr := run(t, args...)
		return code, stderr
	}
	bin := filepath.Join(t.TempDir(), "wellknown")
	if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// nobody must reach the project and the binary, and may write where
	// the test allows it.
	for _, d := range []string{filepath.Dir(dir), filepath.Dir(bin)} {
		os.Chmod(d, 0o755)
	}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() {
			os.Chmod(path, 0o777)
		}
		return nil
	})
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stderr.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// A cdk.json the user cannot write stops new-env before anything is
// written: no link file is left for the next run to trip over.
func TestNewEnvUnwritableCDKJSON(t *testing.T) {
	dir := project(t)
	cdk := filepath.Join(dir, "cdk.json")
	before := readFile(t, cdk)
	if err := os.Chmod(cdk, 0o444); err != nil {
		t.Fatal(err)
	}
	code, stderr := runAsUnprivileged(t, dir, append(qaArgs, "--dir", dir)...)
	if code != exit.Failed || !strings.Contains(stderr, "is not writable") || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if !bytes.Equal(readFile(t, cdk), before) {
		t.Error("cdk.json changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "assets", "qa")); !os.IsNotExist(err) {
		t.Errorf("assets/qa exists after the refusal: %v", err)
	}
	// Once it is writable again, the same command works: nothing half-made
	// is in the way.
	os.Chmod(cdk, 0o644)
	if code, _, stderr := run(t, append(qaArgs, "--dir", dir)...); code != exit.OK {
		t.Errorf("second run: exit %d\n%s", code, stderr)
	}
}

// A symlinked cdk.json stays a symlink; its target gets the environment.
func TestNewEnvSymlinkedCDKJSON(t *testing.T) {
	dir := project(t)
	target := filepath.Join(t.TempDir(), "team-cdk.json")
	if err := os.Rename(filepath.Join(dir, "cdk.json"), target); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "cdk.json")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, append(qaArgs, "--dir", dir)...); code != exit.OK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "cdk.json")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("cdk.json was replaced by a plain file")
	}
	if !strings.Contains(string(readFile(t, target)), `"qa"`) {
		t.Error("the symlink's target lacks the new environment")
	}
}

// setSetting rewrites one setting of an environment in dir's cdk.json.
func setSetting(t *testing.T, dir, env, key string, value any) {
	t.Helper()
	editCDKJSON(t, dir, func(ctx map[string]any) {
		ctx["wellknown:environments"].(map[string]any)[env].(map[string]any)[key] = value
	})
}

// Nothing is written into a cdk.json that has errors, wherever they are:
// new-env refuses with exit 2 and lists them as check does, in text or, with
// --json, as check --json does. --force on the broken environment itself
// still repairs it.
func TestNewEnvRefusesAConfigurationWithErrors(t *testing.T) {
	dir := project(t)
	setSetting(t, dir, "ios", "region", nil)
	cdk := readFile(t, filepath.Join(dir, "cdk.json"))
	want := `cdk.json: context["wellknown:environments"].ios.region: must be a string, got null — write "region": "eu-west-1"`

	code, out, stderr := run(t, append(qaArgs, "--dir", dir)...)
	if code != exit.Usage || out != "" || !strings.Contains(stderr, want+"\n") || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	if _, checkOut, _ := run(t, "check", "--dir", dir); !strings.Contains(checkOut, want+"\n") {
		t.Errorf("check does not report it the same way:\n%s", checkOut)
	}

	code, out, stderr = run(t, append(qaArgs, "--dir", dir, "--json")...)
	var got problemsJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exit.Usage || got.Errors != 1 ||
		got.Problems[0].Path != `context["wellknown:environments"].ios.region` || got.Problems[0].Fix != `write "region": "eu-west-1"` {
		t.Errorf("--json: exit %d, %v\nstdout: %s\nstderr: %s", code, err, out, stderr)
	}
	if strings.Contains(stderr, "ios.region") {
		t.Errorf("--json printed the problem as text too:\n%s", stderr)
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "cdk.json")), cdk) {
		t.Error("cdk.json changed although new-env refused")
	}
	if _, err := os.Stat(filepath.Join(dir, "assets", "qa")); !os.IsNotExist(err) {
		t.Errorf("assets/qa exists after the refusal: %v", err)
	}

	// Replacing the broken environment with --force is the way to repair it.
	code, out, stderr = run(t, "new-env", "--dir", dir, "ios", "--force", "--account", "444444444444", "--region", "ap-southeast-2",
		"--ios-app-id", "ABCDE12345.com.acme.ios", "--json")
	var report struct {
		Env      string `json:"env"`
		Replaced bool   `json:"replaced"`
		problemsJSON
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil || code != exit.OK || !report.Replaced || report.Errors != 0 {
		t.Errorf("--force on the broken environment: exit %d, %v\n%s%s", code, err, out, stderr)
	}
	if code, out, _ := run(t, "check", "--dir", dir); code != exit.OK {
		t.Errorf("check after the repair: exit %d\n%s", code, out)
	}
}

// Under --json, problems that stop a command are one JSON document on
// stdout, as check --json prints them, whichever command it is; the reason
// it stopped is the one line on stderr.
func TestJSONProblemsEveryCommand(t *testing.T) {
	dir := project(t)
	setSetting(t, dir, "dev", "accessLogs", "no")
	for _, args := range [][]string{
		{"check"}, {"handoff"}, {"verify"}, {"doctor"},
		{"new-env", "qa", "--account", "555555555555", "--region", "eu-west-2", "--ios-app-id", "ABCDE12345.com.acme.qa"},
	} {
		code, out, stderr := run(t, append([]string{args[0], "--dir", dir, "--json"}, args[1:]...)...)
		var got problemsJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != exit.Usage || got.Errors != 1 ||
			got.Problems[0].Path != `context["wellknown:environments"].dev.accessLogs` || got.Problems[0].Severity != "error" {
			t.Errorf("%s --json: exit %d, %v\nstdout: %s\nstderr: %s", args[0], code, err, out, stderr)
		}
		if strings.Contains(stderr, "accessLogs") {
			t.Errorf("%s --json: the problem is on stderr too:\n%s", args[0], stderr)
		}
	}
}

// With "wellknown:ci" the workflows name every environment's account and
// region: new-env says to regenerate them, and, for an account no other
// environment uses, that its CI roles stack must be deployed first.
func TestNewEnvCINextSteps(t *testing.T) {
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() string {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "cdk.json"), readFile(t, filepath.Join(root, "cdk.json")), 0o644)
		if err := os.CopyFS(filepath.Join(dir, "assets"), os.DirFS(filepath.Join(root, "assets"))); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	files := []string{"--ios-app-id", "ABCDE12345.com.acme.shop.qa"}
	const newAccount = "account 555555555555 is new to CI: an administrator deploys WellKnownCI-555555555555 before the workflows can deploy"
	const regenerate = "then    run wellknown ci: the workflows name every environment's account and region"
	for _, tc := range []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"new environment, new account", []string{"new-env", "qa", "--account", "555555555555", "--region", "eu-west-2"},
			[]string{"promotion: qa deploys last; then run wellknown ci", newAccount}, []string{regenerate}},
		{"new environment, known account", []string{"new-env", "qa", "--account", "111111111111", "--region", "eu-west-2"},
			[]string{"promotion: qa deploys last"}, []string{"is new to CI", regenerate}},
		{"replaced environment, new account", []string{"new-env", "dev", "--account", "555555555555", "--region", "eu-west-1", "--force"},
			[]string{regenerate, "account 555555555555 is new to CI"}, []string{"deploys last"}},
		// dev's account keeps its CI roles stack: not new, whatever else
		// changes; the same account and region leave the workflows as
		// they are.
		{"replaced environment, same account and region", []string{"new-env", "dev", "--account", "111111111111", "--region", "eu-west-1", "--force"},
			nil, []string{regenerate, "is new to CI", "deploys last"}},
		{"replaced environment, other region", []string{"new-env", "dev", "--account", "111111111111", "--region", "eu-west-2", "--force"},
			[]string{regenerate}, []string{"is new to CI"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := fresh()
			code, out, stderr := run(t, append(append(tc.args, files...), "--dir", dir)...)
			if code != exit.OK {
				t.Fatalf("exit %d\n%s%s", code, out, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
}
