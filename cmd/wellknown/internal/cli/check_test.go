package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/exit"
)

func TestCheckAllEnvironments(t *testing.T) {
	dir := project(t)
	code, out, stderr := run(t, "--dir", dir, "check")
	if code != exit.OK || out != "0 errors, 0 warnings in 3 environments (dev, ios, prod)\n" || stderr != "" {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
}

func TestCheckReportsProblemsOnePerLine(t *testing.T) {
	dir := project(t)
	path := filepath.Join(dir, "assets", "dev", ".well-known", "assetlinks.json")
	if err := os.WriteFile(path, []byte(`[{"relation": ["delegate_permission/common.handle_all_urls"], "target": {"namespace": "android_app", "package_name": "com.acme", "sha256_cert_fingerprints": ["AB:CD"]}}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "check", "--dir", dir)
	want := path + `: [0].target.sha256_cert_fingerprints[0]: "AB:CD" is not a SHA-256 fingerprint (2 bytes) — want 32 colon-separated hex bytes`
	if code != exit.Failed || !strings.HasPrefix(out, want) || !strings.HasSuffix(out, "1 error, 0 warnings in 3 environments (dev, ios, prod)\n") {
		t.Errorf("exit %d\n%s", code, out)
	}
	// A PATH narrows the check to that file, directory or assets directory.
	for _, p := range []string{path, filepath.Dir(path), filepath.Join(dir, "assets", "dev")} {
		code, out, _ := run(t, "check", p)
		if code != exit.Failed || !strings.HasPrefix(out, want) || !strings.HasSuffix(out, "1 error, 0 warnings in 1 path\n") {
			t.Errorf("check %s: exit %d\n%s", p, code, out)
		}
	}
	if code, out, _ := run(t, "check", filepath.Join(dir, "assets", "prod"), filepath.Join(dir, "assets", "ios", ".well-known", "apple-app-site-association")); code != exit.OK {
		t.Errorf("valid paths: exit %d\n%s", code, out)
	}
}

// A broken cdk.json is a configuration error (exit 2); its problems are
// still printed like any other.
func TestCheckConfigProblemsAreConfigErrors(t *testing.T) {
	dir := project(t)
	data := strings.Replace(string(readFile(t, filepath.Join(dir, "cdk.json"))), `"111111111111"`, `"1111"`, 1)
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(data), 0o644)
	code, out, _ := run(t, "--dir", dir, "check")
	if code != exit.Usage || !strings.Contains(out, `cdk.json: context["wellknown:environments"].dev.account: "1111" is not an AWS account ID`) {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// The summary counts and names every environment of cdk.json, in its
// order, the one whose settings are broken (and so not validated further)
// included.
func TestCheckNamesEveryEnvironment(t *testing.T) {
	dir := project(t)
	data := strings.Replace(string(readFile(t, filepath.Join(dir, "cdk.json"))), `"us-east-1"`, `"us-east-9"`, 1)
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(data), 0o644)
	code, out, _ := run(t, "--dir", dir, "check")
	if code != exit.Usage || !strings.HasSuffix(out, "1 error, 0 warnings in 3 environments (dev, ios, prod)\n") {
		t.Errorf("exit %d\n%s", code, out)
	}
	// Listed in cdk.json's order, not sorted.
	prodFirst := strings.Replace(string(readFile(t, filepath.Join(dir, "cdk.json"))), `"us-east-9"`, `"us-east-1"`, 1)
	prodFirst = strings.Replace(prodFirst, `"wellknown:environments": {`, `"wellknown:environments": {
      "zeta": {"account": "555555555555", "region": "eu-west-1", "assets": "assets/dev"},`, 1)
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(prodFirst), 0o644)
	if code, out, _ := run(t, "--dir", dir, "check"); code != exit.OK || !strings.HasSuffix(out, "in 4 environments (zeta, dev, ios, prod)\n") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := project(t)
	path := filepath.Join(dir, "assets", "ios", ".well-known", "apple-app-site-association")
	os.WriteFile(path, []byte("\xEF\xBB\xBF{\"applinks\": {\"details\": [], \"extra\": 1}}"), 0o644)
	code, out, _ := run(t, "check", "--json", path)
	var got struct {
		Problems []map[string]string `json:"problems"`
		Errors   int                 `json:"errors"`
		Warnings int                 `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != exit.Failed || got.Errors != 1 || got.Warnings != 2 || len(got.Problems) != 3 {
		t.Fatalf("exit %d: %+v", code, got)
	}
	want := map[string]string{"file": path, "path": "$", "severity": "error",
		"message": "starts with a UTF-8 byte order mark", "fix": "save the file as UTF-8 without BOM"}
	for k, v := range want {
		if got.Problems[0][k] != v {
			t.Errorf("problem[0].%s = %q, want %q", k, got.Problems[0][k], v)
		}
	}
	// No problems is an empty list, not null.
	if _, out, _ := run(t, "check", "--json", filepath.Join(dir, "assets", "prod")); !strings.Contains(out, `"problems": []`) {
		t.Errorf("%s", out)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	dir := project(t)
	for _, args := range [][]string{
		{"check", filepath.Join(dir, "nope")},
		{"check", filepath.Join(dir, "assets")}, // neither .well-known nor an env's assets
		{"check", "--dir", filepath.Join(dir, "assets")},
		{"check", "--bogus"},
	} {
		if code, _, stderr := run(t, args...); code != exit.Usage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"context": `), 0o644)
	if code, _, _ := run(t, "--dir", dir, "check"); code != exit.Usage {
		t.Errorf("unreadable cdk.json: exit %d", code)
	}
}

func TestHelpAndUnknownCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := run(t, args...)
		if code != exit.OK || !strings.Contains(out, "Commands:") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	for _, c := range []string{"check", "verify", "new-env", "handoff"} {
		code, out, _ := run(t, c, "--help")
		if code != exit.OK || !strings.HasPrefix(out, "Usage: wellknown "+c) || !strings.Contains(out, "-dir") {
			t.Errorf("%s --help: exit %d\n%s", c, code, out)
		}
		if code2, out2, _ := run(t, "help", c); code2 != exit.OK || out2 != out {
			t.Errorf("help %s differs from %s --help", c, c)
		}
	}
	if code, _, stderr := run(t, "deploy"); code != exit.Usage || !strings.Contains(stderr, `unknown command "deploy"`) || !strings.Contains(stderr, "Commands:") {
		t.Errorf("unknown command: exit %d\n%s", code, stderr)
	}
	if code, _, _ := run(t); code != exit.Usage {
		t.Errorf("no command: exit %d", code)
	}
}
