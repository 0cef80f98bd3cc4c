package preflight

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/config"
)

func project(t *testing.T, envs string, files map[string]string) (config.Context, string) {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		path := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := config.NewContext(map[string]json.RawMessage{config.ContextKey: json.RawMessage(envs)})
	for flag := range config.RequiredFlags {
		ctx = ctx.With(flag, json.RawMessage("true"))
	}
	return ctx, dir
}

func TestRequiredFlags(t *testing.T) {
	ctx, dir := project(t, `{"a": {"account": "111111111111", "region": "eu-west-1"}}`, map[string]string{"assets/a/.well-known/assetlinks.json": validLinks})
	ctx = ctx.With("@aws-cdk/core:validateAgainstDefaultRules", json.RawMessage("false"))
	res, _ := Run(ctx, dir, config.Selection{})
	if res.OK() || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].String(), `context["@aws-cdk/core:validateAgainstDefaultRules"]: must be true`) {
		t.Errorf("problems = %v", res.Problems)
	}
}

const validLinks = `[{"relation": ["delegate_permission/common.handle_all_urls"], "target": {"namespace": "android_app", "package_name": "com.acme.app",
 "sha256_cert_fingerprints": ["14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5"]}}]`

func TestRunCollectsEveryEnvironment(t *testing.T) {
	ctx, dir := project(t, `{"a": {"account": "111111111111", "region": "eu-west-1"},
		"b": {"account": "222222222222", "region": "eu-west-1"},
		"c": {"account": "x", "region": "eu-west-1"}}`, map[string]string{
		"assets/a/.well-known/assetlinks.json": validLinks,
		"assets/b/.well-known/assetlinks.json": `[]`,
	})
	res, err := Run(ctx, dir, config.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || len(res.Targets) != 1 || res.Targets[0].Env.Name != "a" {
		t.Fatalf("targets %v, problems %v", res.Targets, res.Problems)
	}
	if names := res.Targets[0].FileNames(); len(names) != 1 || names[0] != "assetlinks.json" {
		t.Errorf("files %v", names)
	}
	text := ""
	for _, p := range res.Problems {
		text += p.String() + "\n"
	}
	for _, want := range []string{`.c.account: "x" is not an AWS account ID`, "assets/b/.well-known/assetlinks.json: $:"} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
}

// A selected environment that is missing because its own config is broken
// is explained by the config problem, not by "unknown environment".
func TestSelectionOfBrokenEnvironment(t *testing.T) {
	ctx, dir := project(t, `{"a": {"account": "1", "region": "eu-west-1"}}`, nil)
	res, err := Run(ctx, dir, config.NewSelection("-c env", "a"))
	if err != nil || res.OK() {
		t.Fatalf("err %v, problems %v", err, res.Problems)
	}
	ctx, dir = project(t, `{"a": {"account": "111111111111", "region": "eu-west-1"}}`, map[string]string{"assets/a/.well-known/assetlinks.json": validLinks})
	if _, err := Run(ctx, dir, config.NewSelection("-c env", "b")); err == nil || !strings.Contains(err.Error(), "known environments: a") {
		t.Errorf("unknown selection error = %v", err)
	}
}

// Environments sharing an assets directory report its problems once.
func TestSharedAssetsReportedOnce(t *testing.T) {
	ctx, dir := project(t, `{"a": {"account": "111111111111", "region": "eu-west-1", "assets": "shared"},
		"b": {"account": "111111111111", "region": "eu-west-2", "assets": "shared"}}`,
		map[string]string{"shared/.well-known/assetlinks.json": `{}`})
	res, _ := Run(ctx, dir, config.Selection{})
	if len(res.Problems) != 1 {
		t.Errorf("want the problem once, got %v", res.Problems)
	}
}
