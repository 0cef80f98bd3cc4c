package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A real `go test -json` run of a scratch module with a passing package, a
// failing test (with a failing subtest) and a package that does not build,
// read back: each package named as it starts and ends, the failures'
// whole output, a summary, and failure detected.
func TestReadsRealGoTestOutput(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":                "module example.com/m\n\ngo 1.21\n",
		"good/good_test.go":     "package good\n\nimport \"testing\"\n\nfunc TestGood(t *testing.T) { t.Log(\"quiet when it passes\") }\n",
		"bad/bad_test.go":       "package bad\n\nimport \"testing\"\n\nfunc TestBad(t *testing.T) {\n\tt.Run(\"sub\", func(t *testing.T) { t.Error(\"the sub failed\") })\n\tt.Run(\"parallel\", func(t *testing.T) { t.Parallel(); t.Error(\"the parallel sub failed\") })\n\tt.Log(\"parent output\")\n}\n",
		"broken/broken_test.go": "package broken\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) { undefined() }\n",
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "test", "-json", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-count=1")
	out, _ := cmd.Output()
	var got strings.Builder
	p := newProgress(&got)
	p.read(strings.NewReader(string(out)))
	p.summary()
	text := got.String()
	for _, want := range []string{"▶     example.com/m/good", "ok    example.com/m/good", "the sub failed", "the parallel sub failed", "parent output", "FAIL  example.com/m/bad", "example.com/m/broken", "undefined: undefined", "failed tests:\n  example.com/m/bad TestBad", "1 packages passed"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "quiet when it passes") {
		t.Errorf("a passing test's output was printed:\n%s", text)
	}
	if !p.failed {
		t.Error("the failures were not detected")
	}
}
