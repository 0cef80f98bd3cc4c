package linkfile

import (
	"encoding/json"
	"testing"

	"github.com/acme/wellknown/internal/diag"
)

// checkProblems holds for every input: problems are complete, and a file
// without errors is valid JSON that the Parse functions accept.
func checkProblems(t *testing.T, data []byte, ps []diag.Problem, parseErr error) {
	t.Helper()
	for _, p := range ps {
		if p.File == "" || p.Path == "" || p.Message == "" || p.Fix == "" {
			t.Fatalf("incomplete problem %#v", p)
		}
		if p.Severity != diag.Error && p.Severity != diag.Warning {
			t.Fatalf("bad severity %#v", p)
		}
	}
	if !diag.HasErrors(ps) && !json.Valid(data) {
		t.Fatalf("no errors for invalid JSON %q", data)
	}
	if (parseErr == nil) == diag.HasErrors(ps) {
		t.Fatalf("parse error %v disagrees with problems:\n%s", parseErr, dump(ps))
	}
}

func FuzzValidateAASA(f *testing.F) {
	for _, s := range []string{goodAASA, legacyAASA, ``, `{}`, `{"applinks": {"details": [{"appIDs": [""], "components": [{"?": {"": 1}}]}]}}`, "\xEF\xBB\xBF{}", `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := validateAASAFile(aasaFile, data)
		_, err := ParseAASA(data)
		checkProblems(t, data, ps, err)
	})
}

func FuzzValidateAssetLinks(f *testing.F) {
	for _, s := range []string{goodAssetLinks, ``, `[]`, `[{}]`, webTarget("https://[::1]:0"), androidTarget("a.b", `"`+fp+`"`), "[1,]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := validateAssetLinksFile(alFile, data)
		_, err := ParseAssetLinks(data)
		checkProblems(t, data, ps, err)
	})
}
