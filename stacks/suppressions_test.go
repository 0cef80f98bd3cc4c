package stacks_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A rule can be silenced in code — Validations.Acknowledge for the WK
// rules, NagSuppressions for cdk-nag — without any rule firing. Every such
// exception must live in stacks/nag.go, which the README's "Security
// exceptions" table mirrors; anywhere else it fails the suite.
func TestNoSuppressionsOutsideNagGo(t *testing.T) {
	root := projectDir
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "cdk.out" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		src := string(data)
		if strings.Contains(src, ".Acknowledge(") {
			t.Errorf("%s acknowledges a validation rule; fix the finding instead", rel)
		}
		if strings.Contains(src, "NagSuppressions_") && rel != filepath.Join("stacks", "nag.go") {
			t.Errorf("%s suppresses a cdk-nag rule; suppressions belong in stacks/nag.go and the README table", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
