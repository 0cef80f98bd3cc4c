package toolchain

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestGoVersion(t *testing.T) {
	v, err := GoVersion([]byte("module example.com/m\n\ngo 1.24.3\n\nrequire example.com/x v1.0.0\n"))
	if err != nil || v != "1.24.3" {
		t.Errorf("got %q, %v", v, err)
	}
	if _, err := GoVersion([]byte("module example.com/m\n")); err == nil {
		t.Error("no go line: no error")
	}
	if _, err := GoVersion([]byte("module example.com/m\ngo 1.2.3.4.5 !\n")); err == nil {
		t.Error("broken go.mod: no error")
	}
}

// The project's own pins read back: go.mod's go line, and the CLI and
// cdk-assets of package-lock.json, each also named in package.json.
func TestReadProject(t *testing.T) {
	v, err := Read("../..")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := os.ReadFile("../../package.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, version := range map[string]string{"aws-cdk": v.CLI, "cdk-assets": v.CdkAssets} {
		if want := `"` + name + `": "` + version + `"`; !strings.Contains(string(pkg), want) {
			t.Errorf("package.json does not pin %s exactly as package-lock.json does (%s)", name, want)
		}
	}
	if !regexp.MustCompile(`^1\.[0-9]+(\.[0-9]+)?$`).MatchString(v.Go) {
		t.Errorf("go line %q", v.Go)
	}
}

// The Makefile installs Node.js NodeMajor where the machine's is older
// than MinNodeMajor: its variables must say the same as the constants.
func TestMakefileNodeVersions(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) string {
		m := regexp.MustCompile(`(?m)^` + name + ` = (\S+)$`).FindSubmatch(mk)
		if m == nil {
			t.Fatalf("the Makefile sets no %s", name)
		}
		return string(m[1])
	}
	if version := get("NODE_VERSION"); !strings.HasPrefix(version, strconv.Itoa(NodeMajor)+".") {
		t.Errorf("Makefile NODE_VERSION %s is not a Node.js %d release", version, NodeMajor)
	}
	if min := get("NODE_MIN_MAJOR"); min != strconv.Itoa(MinNodeMajor) {
		t.Errorf("Makefile NODE_MIN_MAJOR %s, want %d", min, MinNodeMajor)
	}
}

// The README's prerequisites name the Go of go.mod's go line and the
// Node.js majors here; .ci/run reads go.mod itself.
func TestREADMEAgrees(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	v, err := Go("../..")
	if err != nil {
		t.Fatal(err)
	}
	minor := strings.Join(strings.SplitN(v, ".", 3)[:2], ".")
	for _, want := range []string{
		"Go ≥ " + minor,
		fmt.Sprintf("Node.js %d or %d", MinNodeMajor, NodeMajor),
		fmt.Sprintf("installs Node.js %d", NodeMajor),
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README does not say %q", want)
		}
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ci), "sed -n 's/^go //p' go.mod") || !strings.Contains(string(ci), "make test") {
		t.Error(".ci/run no longer names go.mod's Go or runs make test")
	}
}
