package policy_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/acme/wellknown/policy"
)

// The documented rules and the .rego files stay in step: every rule has its
// file and emits its ID, every file but lib.rego implements exactly one
// documented rule, and every file is in the shared package.
func TestRulesMatchFiles(t *testing.T) {
	src := policy.Sources()
	emitted := regexp.MustCompile(`(?m)^(wk\d{3}) := "(WK-\d{3})"$`)
	files := map[string]bool{"lib.rego": true}
	for _, r := range policy.Rules {
		files[r.File] = true
		content, ok := src[r.File]
		if !ok {
			t.Errorf("%s: file %s is not embedded", r.ID, r.File)
			continue
		}
		m := emitted.FindAllStringSubmatch(content, -1)
		if len(m) != 1 || m[0][2] != r.ID {
			t.Errorf("%s: %s defines rule IDs %v, want exactly %s", r.ID, r.File, m, r.ID)
		}
		if !strings.Contains(content, "make_diag_full("+m[0][1]+", \"ERROR\"") {
			t.Errorf("%s: %s does not report it with severity ERROR", r.ID, r.File)
		}
		if r.Summary == "" {
			t.Errorf("%s: no summary", r.ID)
		}
	}
	for name, content := range src {
		if !files[name] {
			t.Errorf("%s is embedded but documents no rule in policy.Rules", name)
		}
		if !strings.Contains(content, "\npackage cdk_rules.wellknown\n") {
			t.Errorf("%s: not in package cdk_rules.wellknown", name)
		}
	}
	if !slices.IsSorted(policy.RuleIDs) || len(policy.RuleIDs) != len(policy.Rules) {
		t.Errorf("RuleIDs %v", policy.RuleIDs)
	}
}

// In this engine a sprintf verb it cannot apply (%q, %d on a string) or a
// concat of a non-string does not raise an error: the expression is
// undefined and the violation silently disappears. Messages therefore use
// only %v, %s on strings and %d on indexes.
func TestNoSilentlyFailingFormatting(t *testing.T) {
	for name, content := range policy.Sources() {
		for i, line := range strings.Split(content, "\n") {
			if code, _, _ := strings.Cut(line, "#"); strings.Contains(code, "%q") {
				t.Errorf("%s:%d uses %%q, which this engine's sprintf does not support", name, i+1)
			}
		}
	}
}
