package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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
	// The promotion it suggests is cdk.json's order of the environments
	// (an order people chose), not the alphabet's.
	data := strings.Replace(string(readFile(t, filepath.Join(dir, "cdk.json"))), `"wellknown:environments": {`, `"wellknown:environments": {
      "staging": {"account": "555555555555", "region": "eu-west-1", "assets": "assets/dev"},`, 1)
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(data), 0o644)
	if _, _, stderr := run(t, "ci", "--dir", dir); !strings.Contains(stderr, `"promotion": ["staging", "dev", "ios", "prod"]}`) {
		t.Errorf("suggested promotion:\n%s", stderr)
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

// The diff is what `diff -u` prints: a/ and b/ names, hunk headers with
// both ranges, three lines of context, blank lines kept.
func TestUnifiedDiff(t *testing.T) {
	for _, tc := range []struct {
		name, have, want, diff string
		exists                 bool
	}{
		{"change and addition in one hunk", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n",
			"--- a/f\n+++ b/f\n@@ -2,9 +2,10 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n i\n j\n+k\n", true},
		{"two hunks, blank context kept", "1\n\n3\n4\n5\n6\n7\n8\n9\n10\n\n12\n", "1\n\nthree\n4\n5\n6\n7\n8\n9\n10\n\n",
			"--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n 1\n \n-3\n+three\n 4\n 5\n 6\n@@ -9,4 +9,3 @@\n 9\n 10\n \n-12\n", true},
		{"insertion at the top", "b\nc\n", "a\nb\nc\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n+a\n b\n c\n", true},
		{"removal of everything", "a\nb\n", "", "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n", true},
		{"no newline at the end", "a\nb", "a\nb\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n", true},
		{"missing file", "", "a\n\nb\n", "--- /dev/null\n+++ b/f\n@@ -0,0 +1,3 @@\n+a\n+\n+b\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := unifiedDiff("f", tc.exists, tc.have, tc.want)
			if got != tc.diff {
				t.Errorf("got\n%s\nwant\n%s", got, tc.diff)
			}
			if tc.exists {
				if gnu := gnuDiff(t, tc.have, tc.want); gnu != "" && hunksOf(gnu) != hunksOf(normalizeCounts(got)) {
					t.Errorf("diff -u says\n%s\nwe say\n%s", gnu, got)
				}
			}
			applies(t, map[string]string{"f": tc.have}, tc.exists, got, map[string]string{"f": tc.want})
		})
	}
}

// Random edits of a workflow-like file: every diff applies and gives the
// new file.
func TestUnifiedDiffApplies(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	base := strings.Split(string(readFile(t, filepath.Join("..", "..", "..", "..", ".github", "workflows", "wellknown-deploy.yml"))), "\n")
	for i := range 20 {
		lines := slices.Clone(base)
		for range 1 + rng.IntN(8) {
			k := rng.IntN(len(lines))
			switch rng.IntN(3) {
			case 0:
				lines = slices.Delete(lines, k, k+1)
			case 1:
				lines = slices.Insert(lines, k, fmt.Sprintf("      added-%d: x", i))
			default:
				lines[k] = ""
			}
		}
		have, want := strings.Join(base, "\n"), strings.Join(lines, "\n")
		applies(t, map[string]string{"w.yml": have}, true, unifiedDiff("w.yml", true, have, want), map[string]string{"w.yml": want})
	}
}

// gnuDiff is `diff -u` of have and want, "" when diff is not installed.
func gnuDiff(t *testing.T, have, want string) string {
	path, err := exec.LookPath("diff")
	if err != nil {
		return ""
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "have"), []byte(have), 0o644)
	os.WriteFile(filepath.Join(dir, "want"), []byte(want), 0o644)
	out, _ := exec.Command(path, "-u", filepath.Join(dir, "have"), filepath.Join(dir, "want")).Output()
	return string(out)
}

// hunksOf drops a diff's two header lines.
func hunksOf(diff string) string {
	_, rest, _ := strings.Cut(diff, "\n@@")
	return "@@" + rest
}

// normalizeCounts writes one-line ranges as diff does: "-5,1" as "-5".
func normalizeCounts(diff string) string {
	return regexp.MustCompile(`([-+][0-9]+),1 `).ReplaceAllString(diff, "$1 ")
}

// applies applies patch to the files before (none when exist is false),
// with git apply and with patch -p1, each where installed, in a directory
// of its own, and expects the files after. Names are slash-separated.
func applies(t *testing.T, before map[string]string, exist bool, patch string, after map[string]string) {
	t.Helper()
	for _, tool := range []struct {
		name string
		args []string
	}{{"git", []string{"apply", "--whitespace=nowarn"}}, {"patch", []string{"-p1", "--batch", "--quiet"}}} {
		path, err := exec.LookPath(tool.name)
		if err != nil {
			t.Logf("%s is not installed: the diff is not applied with it", tool.name)
			continue
		}
		dir := t.TempDir()
		for name := range after {
			os.MkdirAll(filepath.Dir(filepath.Join(dir, filepath.FromSlash(name))), 0o755)
		}
		if exist {
			for name, data := range before {
				os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data), 0o644)
			}
		}
		cmd := exec.Command(path, tool.args...)
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(patch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s does not take the diff: %v\n%s\n%s", tool.name, err, out, patch)
			continue
		}
		for name, want := range after {
			if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name))); string(got) != want {
				t.Errorf("%s: %s after the patch:\n%s\nwant\n%s", tool.name, name, got, want)
			}
		}
	}
}

// The output of --check as a whole is a patch: applied to the committed
// files, it gives what `wellknown ci` writes.
func TestCICheckOutputIsAPatch(t *testing.T) {
	dir := exampleProject(t)
	if code, out, stderr := run(t, "ci", "--dir", dir); code != exit.OK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	before := map[string]string{}
	for _, f := range []string{".github/workflows/wellknown-pr.yml", ".github/workflows/wellknown-deploy.yml"} {
		before[f] = string(readFile(t, filepath.Join(dir, f)))
	}
	// A reordered promotion, another repository and a deleted file: hunks
	// all over both files, and one created from nothing.
	cdk := filepath.Join(dir, "cdk.json")
	edited := strings.Replace(string(readFile(t, cdk)), "\"staging\",\n        \"prod\"", "\"prod\",\n        \"staging\"", 1)
	edited = strings.Replace(edited, "acme/app-links", "acme/links", 1)
	os.WriteFile(cdk, []byte(edited), 0o644)
	os.Remove(filepath.Join(dir, ".github/workflows/wellknown-pr.yml"))
	code, patch, _ := run(t, "ci", "--dir", dir, "--check")
	if code != exit.Failed || !strings.Contains(patch, "--- /dev/null\n+++ b/.github/workflows/wellknown-pr.yml\n@@ -0,0 +1,") ||
		!strings.Contains(patch, "--- a/.github/workflows/wellknown-deploy.yml\n+++ b/.github/workflows/wellknown-deploy.yml\n@@ -") {
		t.Fatalf("exit %d\n%s", code, patch)
	}
	if code, out, stderr := run(t, "ci", "--dir", dir); code != exit.OK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	after := map[string]string{}
	for f := range before {
		after[f] = string(readFile(t, filepath.Join(dir, f)))
	}
	delete(before, ".github/workflows/wellknown-pr.yml")
	applies(t, before, true, patch, after)
}
