package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/exit"
)

// exampleProject copies the real project's cdk.json, go.mod and assets.
func exampleProject(t *testing.T) string {
	t.Helper()
	root := filepath.Join("..", "..", "..", "..")
	dir := t.TempDir()
	for _, f := range []string{"cdk.json", "go.mod"} {
		if err := os.WriteFile(filepath.Join(dir, f), readFile(t, filepath.Join(root, f)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(dir, "assets"), os.DirFS(filepath.Join(root, "assets"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCIWritesAndChecks(t *testing.T) {
	dir := exampleProject(t)
	code, out, stderr := run(t, "ci", "--dir", dir)
	if code != exit.OK || !strings.Contains(out, "wrote .github/workflows/wellknown-deploy.yml") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	first := readFile(t, filepath.Join(dir, ".github/workflows/wellknown-deploy.yml"))
	if code, out, _ := run(t, "ci", "--dir", dir, "--check"); code != exit.OK || !strings.Contains(out, "2 workflows up to date") {
		t.Errorf("--check after writing: exit %d\n%s", code, out)
	}
	// Same input, same bytes.
	run(t, "ci", "--dir", dir)
	if string(readFile(t, filepath.Join(dir, ".github/workflows/wellknown-deploy.yml"))) != string(first) {
		t.Error("a second run wrote different bytes")
	}

	// prod before staging: --check shows the difference and writes nothing.
	cdk := filepath.Join(dir, "cdk.json")
	swapped := strings.Replace(string(readFile(t, cdk)), "\"staging\",\n        \"prod\"", "\"prod\",\n        \"staging\"", 1)
	if swapped == string(readFile(t, cdk)) {
		t.Fatal("could not reorder the promotion")
	}
	os.WriteFile(cdk, []byte(swapped), 0o644)
	code, out, stderr = run(t, "ci", "--dir", dir, "--check")
	if code != exit.Failed || !strings.Contains(out, ".github/workflows/wellknown-deploy.yml is stale") ||
		!strings.Contains(out, "-  deploy-staging:\n-    name: deploy staging\n+  deploy-prod:") || !strings.Contains(out, "+    needs: deploy-prod") ||
		!strings.Contains(stderr, "run \"wellknown ci\" and commit") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
	if string(readFile(t, filepath.Join(dir, ".github/workflows/wellknown-deploy.yml"))) != string(first) {
		t.Error("--check wrote a file")
	}
}

// An environment name the CI roles cannot take is a problem of cdk.json,
// reported at its name before any workflow is generated.
func TestCIReportsNameLimitsInCDKJSON(t *testing.T) {
	dir := exampleProject(t)
	cdk := filepath.Join(dir, "cdk.json")
	long := strings.Repeat("p", 46)
	edited := strings.Replace(string(readFile(t, cdk)), `"staging": {`, `"`+long+`": {"account": "111111111111", "region": "eu-west-1", "bucketName": "acme-links-long"},
      "staging": {`, 1)
	edited = strings.Replace(edited, "\"prod\"\n      ]", "\"prod\", \""+long+"\"\n      ]", 1)
	if strings.Count(edited, long) != 2 {
		t.Fatalf("could not add the environment and promote it:\n%s", edited)
	}
	os.WriteFile(cdk, []byte(edited), 0o644)
	os.CopyFS(filepath.Join(dir, "assets", long), os.DirFS(filepath.Join(dir, "assets", "dev")))
	want := `cdk.json: context["wellknown:environments"].` + long + `: environment name "` + long + `" is 46 characters long, over the 32 that "wellknown:ci" allows`
	for _, args := range [][]string{{"ci"}, {"ci", "--check"}, {"check"}} {
		code, out, stderr := run(t, append(args, "--dir", dir)...)
		if code != exit.Usage || !strings.Contains(out+stderr, want) || strings.Contains(out+stderr, "environment 4") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".github")); err == nil {
		t.Error("workflows were written")
	}
}

// Writing needs the section; without it there is nothing to write.
func TestCINeedsItsSection(t *testing.T) {
	dir := project(t) // testdata has no "wellknown:ci"
	code, _, stderr := run(t, "ci", "--dir", dir)
	if code != exit.Usage || !strings.Contains(stderr, `has no "wellknown:ci" section; add e.g. "wellknown:ci": {"github": {"repository": "acme/app-links"}, "promotion": [`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".github")); err == nil {
		t.Error("ci wrote workflows without a section")
	}
}

// A project without GitHub Actions delivery passes --check (make test runs
// it in every project), until generated workflows are left without the
// section that would keep them current.
func TestCICheckWithoutSection(t *testing.T) {
	dir := project(t)
	code, out, stderr := run(t, "ci", "--dir", dir, "--check")
	if code != exit.OK || out != "cdk.json has no \"wellknown:ci\" section and there are no generated workflows: nothing to check\n" {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
	// Files of the generator's, left from an earlier section: stale. Other
	// workflows are not the generator's business.
	os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755)
	for _, f := range []string{"wellknown-deploy.yml", "wellknown-pr.yml", "release.yml"} {
		os.WriteFile(filepath.Join(dir, ".github", "workflows", f), []byte("name: x\n"), 0o644)
	}
	code, out, stderr = run(t, "ci", "--dir", dir, "--check")
	if code != exit.Failed ||
		out != ".github/workflows/wellknown-deploy.yml is stale: cdk.json has no \"wellknown:ci\" section\n.github/workflows/wellknown-pr.yml is stale: cdk.json has no \"wellknown:ci\" section\n" ||
		!strings.Contains(stderr, `2 generated workflow(s) but no "wellknown:ci" section in cdk.json; delete them (git rm .github/workflows/wellknown-deploy.yml .github/workflows/wellknown-pr.yml) or add the section and run "wellknown ci"`) {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
}

func TestUnifiedDiff(t *testing.T) {
	have := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n"
	want := "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n"
	got := unifiedDiff("f", have, want)
	for _, line := range []string{"--- f (committed)", "+++ f (from cdk.json)", "@@ line 2 @@", " b", "-e", "+E", " h", "+k"} {
		if !strings.Contains(got, line+"\n") {
			t.Errorf("diff lacks %q:\n%s", line, got)
		}
	}
	if strings.Contains(got, " a\n") {
		t.Errorf("more than three lines of context:\n%s", got)
	}
}
