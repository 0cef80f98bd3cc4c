// Package lint_test lints the generated workflows with actionlint, as a
// library, and with shellcheck for the run: scripts when it is installed.
package lint_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

	"github.com/acme/wellknown/internal/workflows"
)

func env(name, account, region string) workflows.Environment {
	return workflows.NewEnvironment(name, account, region, "hnb659fds")
}

func inputs() map[string]workflows.Input {
	example := workflows.Input{
		Repository: "acme/wellknown",
		GoVersion:  "1.25.0",
		NodeMajor:  24,
		Environments: []workflows.Environment{
			env("dev", "111111111111", "eu-west-1"),
			env("staging", "222222222222", "eu-central-1"),
			env("prod", "333333333333", "us-east-1"),
		},
	}
	single := example
	single.Environments = example.Environments[:1]
	other := example
	other.Repository = "Octo-Org/links.site"
	other.DefaultBranch = "release/v2"
	other.NodeMajor = 22
	other.Environments = []workflows.Environment{env("eu-prod-2", "444444444444", "cn-north-1")}
	return map[string]workflows.Input{"example": example, "single": single, "other": other}
}

// shellcheck returns the shellcheck actionlint should run, or "" when it
// is not installed (actionlint then skips the run: scripts).
func shellcheck(t *testing.T) string {
	path, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Log("shellcheck is not on PATH: run: scripts are not checked")
		return ""
	}
	return path
}

func lint(t *testing.T, path string, data []byte) []*actionlint.Error {
	t.Helper()
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Shellcheck: shellcheck(t)})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

func TestGeneratedWorkflowsPassActionlint(t *testing.T) {
	for name, in := range inputs() {
		files, err := workflows.Generate(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range files {
			// The China environment's role steps carry the audience
			// input, so the linted files include it.
			if china := strings.Contains(string(f.Data), "aws-region: cn-"); china != strings.Contains(string(f.Data), "audience: sts.amazonaws.com.cn\n") {
				t.Errorf("%s: %s: China region %v, but the China audience %v", name, f.Path, china, !china)
			}
			for _, e := range lint(t, f.Path, f.Data) {
				t.Errorf("%s: %s:%d:%d: %s [%s]", name, f.Path, e.Line, e.Column, e.Message, e.Kind)
			}
		}
	}
}

// The linter runs and reports: the same files, broken on purpose, fail.
func TestActionlintCatchesBreakage(t *testing.T) {
	files, err := workflows.Generate(inputs()["example"])
	if err != nil {
		t.Fatal(err)
	}
	pr := string(files[0].Data)
	for what, broken := range map[string]string{
		"unknown job in needs": strings.Replace(pr, "needs: test", "needs: tests", 1),
		"unknown context":      strings.Replace(pr, "github.event.pull_request.head.repo.full_name", "github.events.pull_request.head.repo.full_name", 1),
		"unknown permission":   strings.Replace(pr, "id-token: write", "id-tokens: write", 1),
	} {
		if broken == pr {
			t.Fatalf("%s: the generated workflow changed; update the probe", what)
		}
		if errs := lint(t, files[0].Path, []byte(broken)); len(errs) == 0 {
			t.Errorf("%s: actionlint reported nothing", what)
		}
	}
	if shellcheck(t) != "" {
		unquoted := strings.Replace(pr, `>> "$GITHUB_STEP_SUMMARY"`, `>> $GITHUB_STEP_SUMMARY`, 1)
		found := false
		for _, e := range lint(t, files[0].Path, []byte(unquoted)) {
			found = found || e.Kind == "shellcheck"
		}
		if !found {
			t.Error("shellcheck reported nothing for an unquoted variable")
		}
	}
}
