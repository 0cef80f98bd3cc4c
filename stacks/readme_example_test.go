package stacks_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeProgram is the complete main.go the README shows under this
// heading, for another team's CDK app.
const readmeHeading = "### Using the construct in your own CDK app"

func readmeProgram(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(projectDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), readmeHeading)
	if !ok {
		t.Fatalf("README lacks %q", readmeHeading)
	}
	_, code, ok := strings.Cut(section, "```go\n")
	if !ok {
		t.Fatal("no ```go block after the heading")
	}
	code, _, _ = strings.Cut(code, "```")
	return code
}

// The README's program builds in a module of its own that requires this
// one, and synthesizes a template with the hosting in it.
func TestREADMEProgramBuildsInAnotherModule(t *testing.T) {
	root, err := filepath.Abs(projectDir)
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// The other module needs what this one needs, plus this one itself.
	_, requires, _ := strings.Cut(string(gomod), "\nrequire")
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/team-app\n\ngo 1.25.0\n\nrequire github.com/acme/wellknown v0.0.0\n\nreplace github.com/acme/wellknown => "+root+"\n\nrequire"+requires)
	gosum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	write("go.sum", string(gosum))
	write("main.go", readmeProgram(t))
	links := filepath.Join(mod, "links", ".well-known")
	os.MkdirAll(links, 0o755)
	aasa, _ := os.ReadFile(filepath.Join(root, "assets", "dev", ".well-known", "apple-app-site-association"))
	os.WriteFile(filepath.Join(links, "apple-app-site-association"), aasa, 0o644)

	bin := filepath.Join(mod, "team-app")
	build := exec.Command("go", "build", "-mod=mod", "-o", bin, ".")
	build.Dir = mod
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the README program does not build in another module: %v\n%s", err, out)
	}
	outdir := filepath.Join(mod, "cdk.out")
	run := exec.Command(bin)
	run.Dir = mod
	run.Env = append(os.Environ(), "CDK_OUTDIR="+outdir)
	var stderr bytes.Buffer
	run.Stderr = &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("the README program fails: %v\n%s", err, stderr.String())
	}
	tmpls, _ := filepath.Glob(filepath.Join(outdir, "*.template.json"))
	if len(tmpls) != 1 {
		t.Fatalf("templates %v", tmpls)
	}
	tmpl, _ := os.ReadFile(tmpls[0])
	for _, want := range []string{`"AWS::S3::Bucket"`, `"Custom::CDKBucketDeployment"`, `/.well-known/*`} {
		if !bytes.Contains(tmpl, []byte(want)) {
			t.Errorf("template lacks %s", want)
		}
	}
}
