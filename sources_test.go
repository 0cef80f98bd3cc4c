package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/config"
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
	res = p.run(outdir, "CDK_CONTEXT_JSON="+string(ctxJSON), "CDK_OUTDIR="+outdir, "CDK_CLI_VERSION=2.1149.0")
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

// runUnderCLI runs the app the way the CDK CLI does: cdk.json as written,
// and CDK_CONTEXT_JSON its context merged with the -c values, which the CLI
// passes as strings.
func (p *project) runUnderCLI(flags map[string]string) synthResult {
	p.t.Helper()
	p.writeCDKJSON()
	ctx := map[string]interface{}{}
	for k, v := range p.context {
		ctx[k] = v
	}
	for k, v := range flags {
		ctx[k] = v
	}
	ctxJSON, _ := json.Marshal(ctx)
	outdir := filepath.Join(p.dir, "cdk.out")
	return p.run(outdir, "CDK_CONTEXT_JSON="+string(ctxJSON), "CDK_OUTDIR="+outdir, "CDK_CLI_VERSION=2.1149.0")
}

// A section written as `cdk -c KEY=<JSON>` arrives as a string. The error
// says so and sends the section to a file, instead of asking for an object
// that -c cannot pass. Every section the project reads is covered.
func TestSectionGivenWithCDKFlag(t *testing.T) {
	for _, sec := range config.Sections {
		t.Run(sec.Key, func(t *testing.T) {
			p := newProject(t)
			value := sec.Example
			if value == "" {
				value = `{"dev": {"account": "111111111111", "region": "eu-west-1"}}`
			}
			res := p.runUnderCLI(map[string]string{sec.Key: value})
			want := fmt.Sprintf(`cdk -c %s=…: context[%q]: is a string: cdk -c passes every value as a string`, sec.Key, sec.Key)
			if res.exit != 1 || !strings.Contains(res.stderr, want) || !strings.Contains(res.stderr, "instead of passing it with -c") {
				t.Errorf("exit %d, want 1 and %q\n%s", res.exit, want, res.stderr)
			}
			if strings.Contains(res.stderr, "e.g. {") || strings.Contains(res.stderr, `got "{`) {
				t.Errorf("the error asks for an object -c cannot pass:\n%s", res.stderr)
			}
			// A -c string that is not JSON is judged like any other value.
			res = p.runUnderCLI(map[string]string{sec.Key: "prod"})
			if res.exit != 1 || !strings.Contains(res.stderr, `got "prod"`) || strings.Contains(res.stderr, "passes every value as a string") {
				t.Errorf("a plain string: exit %d\n%s", res.exit, res.stderr)
			}
		})
	}
}

// An app run by hand with CDK_CONTEXT_JSON takes nothing from cdk.json. A
// key missing from the variable is reported there, and when cdk.json has
// it the fix says so instead of asking to add it to cdk.json; a key that
// neither has is cdk.json's to gain.
func TestRunByHandNamesWhatIsMissingWhere(t *testing.T) {
	p := newProject(t)
	p.writeCDKJSON()
	p.keepCDKJSON = true
	outdir := filepath.Join(p.dir, "cdk.out")
	envs, _ := json.Marshal(map[string]interface{}{"wellknown:environments": p.envs()})
	res := p.run(outdir, "CDK_CONTEXT_JSON="+string(envs))
	for _, flag := range []string{"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", "@aws-cdk/core:validateAgainstDefaultRules"} {
		want := fmt.Sprintf(`CDK_CONTEXT_JSON: context[%q]: must be true: `, flag)
		fix := fmt.Sprintf(`cdk.json has %q, but an app run by hand with CDK_CONTEXT_JSON takes its context from that variable alone`, flag)
		if res.exit != 1 || !strings.Contains(res.stderr, want) || !strings.Contains(res.stderr, fix) {
			t.Errorf("exit %d, want 1 with %q and %q\n%s", res.exit, want, fix, res.stderr)
		}
	}
	if strings.Contains(res.stderr, "cdk.json: ") || strings.Contains(res.stderr, `to the "context" object`) {
		t.Errorf("tells the user to add to cdk.json what it has:\n%s", res.stderr)
	}

	delete(p.context, "@aws-cdk/core:validateAgainstDefaultRules")
	p.writeCDKJSON()
	res = p.run(outdir, "CDK_CONTEXT_JSON="+string(envs))
	if want := `cdk.json: context["@aws-cdk/core:validateAgainstDefaultRules"]: must be true: a violated policy rule (policy/*.rego) fails the synthesis instead of printing a warning — add "@aws-cdk/core:validateAgainstDefaultRules": true to the "context" object (and to CDK_CONTEXT_JSON, for a run by hand)`; !strings.Contains(res.stderr, want) {
		t.Errorf("a flag neither has: stderr lacks %q\n%s", want, res.stderr)
	}
}

// The CDK CLI deep-merges cdk.context.json and ~/.cdk.json into the app's
// context: a bucketName of dev there, or a whole environment in the user's
// ~/.cdk.json, would reach the synthesized stacks while the commands read
// cdk.json. The app (run as the CLI runs it, with the merged context) and
// every command refuse it alike, naming the file.
func TestMergedFilesAreRefusedEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name, file, content, want string
		merge                     func(ctx map[string]interface{})
	}{
		{"cdk.context.json sets a bucket", "cdk.context.json", `{"wellknown:environments": {"dev": {"bucketName": "someone-elses-bucket"}}}`,
			`cdk.context.json: ["wellknown:environments"]: the CDK CLI merges this file's context into cdk.json's`,
			func(ctx map[string]interface{}) {
				ctx["wellknown:environments"].(map[string]interface{})["dev"].(map[string]interface{})["bucketName"] = "someone-elses-bucket"
			}},
		{"~/.cdk.json adds an environment", "home/.cdk.json", `{"context": {"wellknown:environments": {"qa": {"account": "444444444444", "region": "eu-west-2"}}}}`,
			`~/.cdk.json: context["wellknown:environments"]: the CDK CLI merges this file's context into cdk.json's`,
			func(ctx map[string]interface{}) {
				ctx["wellknown:environments"].(map[string]interface{})["qa"] = map[string]interface{}{"account": "444444444444", "region": "eu-west-2"}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProject(t)
			p.writeCDKJSON()
			p.keepCDKJSON = true
			p.write(tc.file, tc.content)
			t.Setenv("HOME", filepath.Join(p.dir, "home"))
			tc.merge(p.context) // what CDK_CONTEXT_JSON holds under the CLI
			res := p.appRun(nil)
			if res.exit != 1 || !strings.Contains(res.stderr, tc.want) {
				t.Errorf("synth: exit %d, want 1 naming %s\n%s", res.exit, tc.file, res.stderr)
			}
			if strings.Contains(res.stderr, "cdk -c") {
				t.Errorf("synth blames the command line:\n%s", res.stderr)
			}
			if len(templates(t, res.outdir)) != 0 {
				t.Error("synth wrote templates")
			}
			for _, args := range [][]string{{"check"}, {"handoff"}, {"verify", "--env", "dev"}, {"doctor", "--env", "dev"}, {"ci", "--check"}} {
				res := p.cli(args...)
				if res.exit != 2 || !strings.Contains(res.stdout+res.stderr, tc.want) {
					t.Errorf("%v: exit %d, want 2 naming %s\n%s%s", args, res.exit, tc.file, res.stdout, res.stderr)
				}
			}
		})
	}
}
