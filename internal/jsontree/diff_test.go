package jsontree

import (
	"strings"
	"testing"
)

func TestFirstDifference(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"equal reordered", `{"a": 1, "b": [1, 2]}`, ` {"b": [1,2], "a": 1}`, ""},
		{"numbers by value", `[1, 1.0, 1e2, -0, 0.10, 12345678901234567890]`, `[1.00, 1, 100, 0, 1e-1, 1.2345678901234567890e19]`, ""},
		{"escapes", `["\u00e9", "\/"]`, `["é", "/"]`, ""},
		{"root type", `[]`, `{}`, "$"},
		{"scalar root", `1`, `2`, "$"},
		{"big ints differ", `[12345678901234567890]`, `[12345678901234567891]`, "[0]"},
		{"huge exponents", `[1e999999999999999999]`, `[1e999999999999999998]`, "[0]"},
		{"nested value", `{"applinks": {"details": [{"appIDs": ["A"]}]}}`, `{"applinks": {"details": [{"appIDs": ["B"]}]}}`, "applinks.details[0].appIDs[0]"},
		{"missing key", `{"a": 1}`, `{"a": 1, "b": 2}`, "b"},
		{"sorted key order", `{"z": 1, "a": 1}`, `{"z": 2, "a": 2}`, "a"},
		{"quoted key", `[{"/": "/a"}]`, `[{"/": "/b"}]`, `[0]["/"]`},
		{"array length", `[1, 2]`, `[1, 2, 3]`, "[2]"},
		{"bool vs string", `{"x": true}`, `{"x": "true"}`, "x"},
		{"null", `null`, `null`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, swap := range []bool{false, true} {
				a, b := tt.a, tt.b
				if swap {
					a, b = b, a
				}
				got, err := FirstDifference([]byte(a), []byte(b))
				if err != nil || got != tt.want {
					t.Errorf("FirstDifference(%s, %s) = %q, %v; want %q", a, b, got, err, tt.want)
				}
			}
		})
	}
}

func TestFirstDifferenceInvalid(t *testing.T) {
	for _, tt := range []struct{ a, b string }{{`{`, `{}`}, {`{}`, `{} {}`}, {``, `1`}, {"\xEF\xBB\xBF{}", `{}`}} {
		if _, err := FirstDifference([]byte(tt.a), []byte(tt.b)); err == nil {
			t.Errorf("FirstDifference(%q, %q): want error", tt.a, tt.b)
		}
	}
}

func TestQuoteTruncates(t *testing.T) {
	q := Quote(strings.Repeat("é", 100))
	if n := len([]rune(q)); n != 62 || !strings.HasSuffix(q, `…"`) {
		t.Errorf("quote = %s (%d runes)", q, n)
	}
}
