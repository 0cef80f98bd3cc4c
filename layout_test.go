package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The README's Layout section lists every folder of the repository that
// holds code, one line each, indented by two spaces per level, and nothing
// that does not exist.
func TestREADMELayoutMatchesTree(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Layout\n\n```\n")
	block, _, _ := strings.Cut(section, "```")
	var listed, stack []string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		indent := (len(line) - len(strings.TrimLeft(line, " "))) / 2
		name := strings.Fields(line)[0]
		stack = append(stack[:min(indent, len(stack))], strings.TrimSuffix(name, "/"))
		if strings.HasSuffix(name, "/") {
			listed = append(listed, filepath.Join(stack...))
		}
	}
	var actual []string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == "." {
			return err
		}
		switch base := d.Name(); {
		case strings.HasPrefix(base, ".") || base == "node_modules" || base == "cdk.out" || base == "testdata":
			return filepath.SkipDir
		case strings.HasPrefix(path, "assets"+string(filepath.Separator)):
			return filepath.SkipDir // one folder per environment, described by assets/
		}
		actual = append(actual, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range actual {
		if !slices.Contains(listed, d) {
			t.Errorf("folder %s is missing from the README's Layout section", d)
		}
	}
	for _, d := range listed {
		if !slices.Contains(actual, d) {
			t.Errorf("the README's Layout section lists %s, which does not exist", d)
		}
	}
}
