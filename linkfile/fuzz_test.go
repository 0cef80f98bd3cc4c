package linkfile

import (
	"encoding/json"
	"reflect"
	"testing"
)

// checkProblems holds for every input: problems are complete, and a file
// without errors is valid JSON that the Parse functions accept.
func checkProblems(t *testing.T, data []byte, ps []Problem, parseErr error) {
	t.Helper()
	for _, p := range ps {
		if p.File == "" || p.Path == "" || p.Message == "" || p.Fix == "" {
			t.Fatalf("incomplete problem %#v", p)
		}
		if p.Severity != Error && p.Severity != Warning {
			t.Fatalf("bad severity %#v", p)
		}
	}
	if !HasErrors(ps) && !json.Valid(data) {
		t.Fatalf("no errors for invalid JSON %q", data)
	}
	if (parseErr == nil) == HasErrors(ps) {
		t.Fatalf("parse error %v disagrees with problems:\n%s", parseErr, dump(ps))
	}
}

func FuzzValidateAASA(f *testing.F) {
	for _, s := range []string{goodAASA, legacyAASA, ``, `{}`, `{"applinks": {"details": [{"appIDs": [""], "components": [{"?": {"": 1}}]}]}}`, "\xEF\xBB\xBF{}", `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := ValidateAASA(aasaFile, data)
		_, err := ParseAASA(data)
		checkProblems(t, data, ps, err)
	})
}

func FuzzValidateAssetLinks(f *testing.F) {
	for _, s := range []string{goodAssetLinks, ``, `[]`, `[{}]`, webTarget("https://[::1]:0"), androidTarget("a.b", `"`+fp+`"`), "[1,]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := ValidateAssetLinks(alFile, data)
		_, err := ParseAssetLinks(data)
		checkProblems(t, data, ps, err)
	})
}

func FuzzFirstDifference(f *testing.F) {
	f.Add([]byte(goodAASA), []byte(legacyAASA))
	f.Add([]byte(`[1, 1.0e0]`), []byte(`[1.00, 10e-1]`))
	f.Add([]byte(`{"a":1,"a":2}`), []byte(`{"a":2}`))
	f.Add([]byte(`{`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		d, err := FirstDifference(a, b)
		valid := json.Valid(a) && json.Valid(b)
		if (err == nil) != valid {
			t.Fatalf("err = %v, but json.Valid = %v", err, valid)
		}
		if err != nil {
			return
		}
		if back, _ := FirstDifference(b, a); back != d {
			t.Fatalf("not symmetric: %q vs %q", d, back)
		}
		if self, _ := FirstDifference(a, a); self != "" {
			t.Fatalf("document differs from itself at %q", self)
		}
		var va, vb any
		if d == "" && json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil && !reflect.DeepEqual(va, vb) {
			t.Fatalf("reported equal but decode differently: %v vs %v", va, vb)
		}
	})
}
