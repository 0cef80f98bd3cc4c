package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/exit"
)

// The hidden steps of `make synth` (TestMakeSynth at the root runs them
// through the Makefile): the preflight names line and column of a syntax
// error in any file the CDK CLI parses, and the cleanup removes exactly
// the deployable files.
func TestSynthSteps(t *testing.T) {
	dir := project(t)
	if code, _, stderr := run(t, "--dir", dir, "synth-preflight"); code != exit.OK {
		t.Fatalf("preflight on a good project: exit %d\n%s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "cdk.context.json"), []byte("{\"a\": 1\n\"b\": 2}"), 0o644)
	code, _, stderr := run(t, "--dir", dir, "synth-preflight")
	if code != exit.Usage || !strings.Contains(stderr, "cdk.context.json: ") || !strings.Contains(stderr, "line 2 col 1") {
		t.Errorf("preflight on a broken cdk.context.json: exit %d\n%s", code, stderr)
	}

	out := filepath.Join(dir, "cdk.out")
	os.MkdirAll(filepath.Join(out, "assembly-WellKnownPipeline-dev"), 0o755)
	for _, f := range []string{"manifest.json", "WellKnown-dev.template.json", "WellKnown-dev.assets.json", "tree.json", "asset.abc"} {
		os.WriteFile(filepath.Join(out, f), []byte("{}"), 0o644)
	}
	code, _, stderr = run(t, "--dir", dir, "synth-cleanup")
	if code != exit.OK || !strings.Contains(stderr, "removed 4 deployable files of an earlier run from "+out) {
		t.Errorf("cleanup: exit %d\n%s", code, stderr)
	}
	entries, _ := os.ReadDir(out)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if strings.Join(left, " ") != "asset.abc tree.json" {
		t.Errorf("left in cdk.out: %v, want the staged asset and the tree", left)
	}
	// Nothing to remove: nothing to say.
	if code, _, stderr := run(t, "--dir", dir, "synth-cleanup"); code != exit.OK || stderr != "" {
		t.Errorf("second cleanup: exit %d %q", code, stderr)
	}
	// They are steps of the Makefile, not commands for users.
	if _, usage, _ := run(t, "--help"); strings.Contains(usage, "synth-") {
		t.Errorf("the usage lists the hidden steps:\n%s", usage)
	}
}
