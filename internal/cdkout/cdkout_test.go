package cdkout

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The CDK CLI names the directory in CDK_OUTDIR; without it, cdk.out in
// the project, where the CLI would put it.
func TestDir(t *testing.T) {
	t.Setenv("CDK_OUTDIR", "")
	if got := Dir("proj"); got != filepath.Join("proj", "cdk.out") {
		t.Errorf("without CDK_OUTDIR: %s", got)
	}
	t.Setenv("CDK_OUTDIR", "/elsewhere")
	if got := Dir("proj"); got != "/elsewhere" {
		t.Errorf("with CDK_OUTDIR: %s", got)
	}
}

// cdk.json's "output" moves the CLI's directory, so it moves ours too;
// a cdk.json that does not parse, or a wrong type, leaves the default.
func TestDirOutputSetting(t *testing.T) {
	t.Setenv("CDK_OUTDIR", "")
	for _, c := range []struct{ cdkJSON, want string }{
		{`{"app": "go run .", "output": "build/assembly"}`, "build/assembly"},
		{`{"app": "go run .", "output": "/abs/assembly"}`, "/abs/assembly"},
		{`{"app": "go run .", "output": ""}`, "cdk.out"},
		{`{"app": "go run .", "output": 3}`, "cdk.out"},
		{`{"app": `, "cdk.out"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(c.cdkJSON), 0o644); err != nil {
			t.Fatal(err)
		}
		want := c.want
		if !filepath.IsAbs(want) {
			want = filepath.Join(dir, want)
		}
		if got := Dir(dir); got != want {
			t.Errorf("%s: Dir = %s, want %s", c.cdkJSON, got, want)
		}
	}
}

// Discard removes what cdk deploy acts on, nested assemblies included,
// says what it removed, and leaves staged assets and reports.
func TestDiscard(t *testing.T) {
	out := t.TempDir()
	os.MkdirAll(filepath.Join(out, "assembly-Pipeline-dev"), 0o755)
	for _, f := range []string{"manifest.json", "A.template.json", "A.assets.json", "assembly-Pipeline-dev/manifest.json", "tree.json", "validation-report.json", "asset.0123"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := Discard(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range removed {
		names = append(names, filepath.Base(f))
	}
	slices.Sort(names)
	if want := []string{"A.assets.json", "A.template.json", "assembly-Pipeline-dev", "manifest.json"}; !slices.Equal(names, want) {
		t.Errorf("removed %v, want %v", names, want)
	}
	left, _ := os.ReadDir(out)
	if len(left) != 3 {
		t.Errorf("left %v, want the tree, the report and the staged asset", left)
	}
	if removed, err := Discard(filepath.Join(out, "missing")); err != nil || len(removed) != 0 {
		t.Errorf("a missing directory: %v %v", removed, err)
	}
}
