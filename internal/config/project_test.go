package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/diag"
)

// project writes cdk.json (and optionally cdk.context.json and a
// ~/.cdk.json in a home of its own) and returns the project directory.
func project(t *testing.T, cdkJSON, contextJSON, userJSON string) string {
	t.Helper()
	dir, home := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	for path, data := range map[string]string{
		filepath.Join(dir, FileName):          cdkJSON,
		filepath.Join(dir, contextFileName):   contextJSON,
		filepath.Join(home, userDefaultsName): userJSON,
	} {
		if data == "" {
			continue
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const oneEnv = `{"context": {"wellknown:environments": {"dev": {"account": "111111111111", "region": "eu-west-1"}}}}`

// The CDK CLI deep-merges cdk.context.json and ~/.cdk.json into the app's
// context; a project key set there is refused, naming that file, for the
// app (ReadContext) and the commands (ReadProject) alike.
func TestProjectKeysInMergedFilesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, contextJSON, userJSON, want string
	}{
		{"bucketName in cdk.context.json", `{"wellknown:environments": {"dev": {"bucketName": "other-bucket"}}, "hosted-zone:account=1": {}}`, "",
			`cdk.context.json: ["wellknown:environments"]: the CDK CLI merges this file's context into cdk.json's`},
		{"an environment in ~/.cdk.json", "", `{"context": {"wellknown:environments": {"qa": {"account": "444444444444", "region": "eu-west-2"}}}}`,
			`~/.cdk.json: context["wellknown:environments"]: the CDK CLI merges this file's context into cdk.json's`},
		{"a pipeline section in ~/.cdk.json", "", `{"context": {"wellknown:pipeline": {}}}`,
			`~/.cdk.json: context["wellknown:pipeline"]: the CDK CLI merges`},
		{"the bootstrap qualifier in cdk.context.json", `{"@aws-cdk/core:bootstrapQualifier": "abc"}`, "",
			`cdk.context.json: ["@aws-cdk/core:bootstrapQualifier"]: the CDK CLI merges`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := project(t, oneEnv, tc.contextJSON, tc.userJSON)
			for reader, read := range map[string]func(string) (Context, error){"ReadProject": ReadProject, "ReadContext": ReadContext} {
				ctx, err := read(dir)
				if err != nil {
					t.Fatal(err)
				}
				_, ps := Parse(ctx, dir)
				got := diag.Err(ps)
				if got == nil || !strings.Contains(got.Error(), tc.want) {
					t.Errorf("%s: problems %v, want %q", reader, got, tc.want)
				}
				if n := diag.Count(ps).Errors; n != 1 {
					t.Errorf("%s: %d errors, want the one: %v", reader, n, got)
				}
			}
		})
	}
}

// Under the CDK CLI the app gets the merged context; a project key that a
// merged file changed is refused once, at that file, and the app goes on
// with cdk.json's value (not as if it had been given with -c).
func TestCLIMergedContextTakesCDKJSONsValue(t *testing.T) {
	dir := project(t, oneEnv, `{"wellknown:environments": {"dev": {"bucketName": "other-bucket"}}}`, "")
	t.Setenv(contextEnv, `{"wellknown:environments": {"dev": {"account": "111111111111", "region": "eu-west-1", "bucketName": "other-bucket"}}, "@aws-cdk/core:newStyleStackSynthesis": true}`)
	t.Setenv(cliVersionEnv, "2.1149.0")
	ctx, err := ReadContext(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, ps := Parse(ctx, dir)
	if n := diag.Count(ps).Errors; n != 1 || !strings.HasPrefix(ps[0].String(), "cdk.context.json:") {
		t.Errorf("want one problem at cdk.context.json, got %v", diag.Err(ps))
	}
	if len(cfg.Environments) != 1 || cfg.Environments[0].BucketName != "wellknown-dev-111111111111-eu-west-1" {
		t.Errorf("environments %+v, want cdk.json's dev", cfg.Environments)
	}
}

// Keys the project does not read (lookups, feature flags, the CLI's own
// settings) stay wherever the user keeps them.
func TestOtherKeysInMergedFilesAreFine(t *testing.T) {
	dir := project(t, oneEnv, `{"availability-zones:account=111111111111:region=eu-west-1": ["a"], "cli-telemetry": false}`,
		`{"context": {"@aws-cdk/core:newStyleStackSynthesis": true}}`)
	ctx, err := ReadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ps := Parse(ctx, dir); diag.HasErrors(ps) {
		t.Errorf("problems: %v", diag.Err(ps))
	}
}

// A syntax error in a merged file stops every command, as it stops the
// CDK CLI, naming the file, line and column.
func TestMergedFileSyntaxError(t *testing.T) {
	dir := project(t, oneEnv, `{"a": 1,}`, "")
	_, err := ReadProject(dir)
	if err == nil || !strings.Contains(err.Error(), contextFileName+": trailing comma before '}' at line 1 col 9") {
		t.Errorf("err = %v", err)
	}
}

// A byte order mark is named as such, not as an invalid character.
func TestCDKJSONWithBOM(t *testing.T) {
	dir := project(t, "\xEF\xBB\xBF"+oneEnv, "", "")
	_, err := ReadProject(dir)
	if err == nil || !strings.Contains(err.Error(), "starts with a UTF-8 byte order mark") || !strings.Contains(err.Error(), "save the file as UTF-8 without a byte order mark") {
		t.Errorf("err = %v", err)
	}
}

// A value is echoed whole up to the longest valid one, and cut short
// beyond: a megabyte of bucket name is not a megabyte of error line.
func TestLongValuesAreCutShort(t *testing.T) {
	long := strings.Repeat("a", 1_000_000)
	_, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(`{"dev": {"account": "111111111111", "region": "eu-west-1", "bucketName": "` + long + `", "` + long + `": 1}}`)}), ".")
	if len(ps) != 2 {
		t.Fatalf("problems: %v", ps)
	}
	for _, p := range ps {
		if n := len(p.String()); n > 2000 {
			t.Errorf("a problem of %d bytes: %.200s…", n, p.String())
		}
		if !strings.Contains(p.String(), strings.Repeat("a", 200)) {
			t.Errorf("the value is not shown at all: %s", p.String())
		}
	}
}
