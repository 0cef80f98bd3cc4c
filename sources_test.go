package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cdkJSONWithDuplicates is the example's cdk.json with a second "prod"
// environment and a setting written twice.
func cdkJSONWithDuplicates(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	s = strings.Replace(s, `"prod": {`, `"prod": {"account": "444444444444", "region": "eu-west-1"},
      "prod": {`, 1)
	s = strings.Replace(s, `"removalPolicy": "destroy"`, `"removalPolicy": "destroy",
        "removalPolicy": "retain"`, 1)
	if !json.Valid([]byte(s)) || s == string(data) {
		t.Fatal("could not build the duplicate cdk.json")
	}
	return s
}

// Duplicate keys in the project's sections of cdk.json are errors for
// synthesis (which reads cdk.json itself: the CDK CLI's JSON parse drops
// them) and for every command.
func TestDuplicateKeysInCDKJSON(t *testing.T) {
	p := newProject(t)
	p.write("cdk.json", cdkJSONWithDuplicates(t))
	p.keepCDKJSON = true
	want := []string{
		`cdk.json: context["wellknown:environments"].prod: duplicate key "prod" (line `,
		`cdk.json: context["wellknown:environments"].dev.removalPolicy: duplicate key "removalPolicy" (line `,
	}
	// Under the CLI, CDK_CONTEXT_JSON holds the context after a JSON parse:
	// the last "prod" and the last "removalPolicy".
	var cdk struct{ Context map[string]interface{} }
	raw, _ := os.ReadFile(filepath.Join(p.dir, "cdk.json"))
	json.Unmarshal(raw, &cdk)
	p.context = cdk.Context
	res := p.synth(nil)
	if res.exit != 1 {
		t.Errorf("synth: exit %d, want 1\n%s", res.exit, res.stderr)
	}
	for _, w := range want {
		if !strings.Contains(res.stderr, w) {
			t.Errorf("synth: stderr lacks %q:\n%s", w, res.stderr)
		}
	}
	for _, args := range [][]string{{"check"}, {"handoff"}, {"verify"}, {"new-env", "qa", "--account", "555555555555", "--region", "eu-west-2", "--ios-app-id", "ABCDE12345.com.acme.qa"}} {
		res := p.cli(args...)
		out := res.stdout + res.stderr
		if res.exit != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", args[0], res.exit, out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", args[0], w, out)
			}
		}
	}
	// new-env does not edit a file whose meaning depends on the parser.
	after, _ := os.ReadFile(filepath.Join(p.dir, "cdk.json"))
	if string(after) != string(raw) {
		t.Error("new-env wrote cdk.json although it refused")
	}
}

// A syntax error in cdk.json names the line and the column, in synthesis
// and in every command.
func TestCDKJSONSyntaxErrorNamesLineAndColumn(t *testing.T) {
	p := newProject(t)
	p.keepCDKJSON = true
	p.write("cdk.json", "{\n  \"context\": {\n    \"wellknown:environments\": {,}\n  }\n}\n")
	res := p.synth(nil)
	if res.exit != 2 || !strings.Contains(res.stderr, "cdk.json: ") || !strings.Contains(res.stderr, "line 3 col 32") {
		t.Errorf("synth: exit %d\n%s", res.exit, res.stderr)
	}
	for _, cmd := range []string{"check", "handoff", "verify"} {
		res := p.cli(cmd)
		if res.exit != 2 || !strings.Contains(res.stderr, "line 3 col 32") {
			t.Errorf("%s: exit %d\n%s", cmd, res.exit, res.stderr)
		}
	}
}

// A value given on the command line (-c) or in CDK_CONTEXT_JSON is
// reported against where it came from, not against cdk.json.
func TestProblemsNameTheirSource(t *testing.T) {
	p := newProject(t)
	envs := p.envs()
	bad := map[string]interface{}{}
	for k, v := range envs {
		bad[k] = v
	}
	bad["dev"] = map[string]interface{}{"account": "111111111111", "region": "eu-west-9"}
	path := `context["wellknown:environments"].dev.region: "eu-west-9" is not an AWS region code`

	res := p.synth(map[string]interface{}{"wellknown:environments": bad})
	if res.exit != 1 || !strings.Contains(res.stderr, "CDK_CONTEXT_JSON: "+path) || strings.Contains(res.stderr, "cdk.json: "+path) {
		t.Errorf("CDK_CONTEXT_JSON: exit %d\n%s", res.exit, res.stderr)
	}

	ctx := map[string]interface{}{}
	for k, v := range p.context {
		ctx[k] = v
	}
	ctx["wellknown:environments"] = bad
	ctxJSON, _ := json.Marshal(ctx)
	outdir := filepath.Join(p.dir, "cdk.out")
	res = p.run(outdir, "CDK_CONTEXT_JSON="+string(ctxJSON), "CDK_OUTDIR="+outdir, "CDK_CLI_VERSION=2.1148.1")
	if res.exit != 1 || !strings.Contains(res.stderr, "cdk -c wellknown:environments=…: "+path) {
		t.Errorf("-c under the CDK CLI: exit %d\n%s", res.exit, res.stderr)
	}

	// The same value in cdk.json is cdk.json's.
	envs["dev"] = bad["dev"]
	res = p.synth(nil)
	if res.exit != 1 || !strings.Contains(res.stderr, "cdk.json: "+path) {
		t.Errorf("cdk.json: exit %d\n%s", res.exit, res.stderr)
	}
}
