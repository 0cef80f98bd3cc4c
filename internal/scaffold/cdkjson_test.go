package scaffold

import (
	"strings"
	"testing"
)

var qa = Entry{{"account", stringValue("555555555555")}, {"region", stringValue("eu-west-2")}}

func TestSetEnvironmentLayouts(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"appended after the last environment",
			"{\n  \"app\": \"go run .\",\n  \"context\": {\n    \"wellknown:environments\": {\n      \"dev\": {\n        \"account\": \"111111111111\"\n      }\n    },\n    \"flag\": true\n  }\n}\n",
			"{\n  \"app\": \"go run .\",\n  \"context\": {\n    \"wellknown:environments\": {\n      \"dev\": {\n        \"account\": \"111111111111\"\n      },\n      \"qa\": {\n        \"account\": \"555555555555\",\n        \"region\": \"eu-west-2\"\n      }\n    },\n    \"flag\": true\n  }\n}\n"},
		{"four-space indentation is kept",
			"{\n    \"context\": {\n        \"wellknown:environments\": {\n            \"dev\": {}\n        }\n    }\n}",
			"{\n    \"context\": {\n        \"wellknown:environments\": {\n            \"dev\": {},\n            \"qa\": {\n                \"account\": \"555555555555\",\n                \"region\": \"eu-west-2\"\n            }\n        }\n    }\n}"},
		{"empty environments object",
			"{\n  \"context\": {\n    \"wellknown:environments\": {}\n  }\n}",
			"{\n  \"context\": {\n    \"wellknown:environments\": {\n      \"qa\": {\n        \"account\": \"555555555555\",\n        \"region\": \"eu-west-2\"\n      }\n    }\n  }\n}"},
		{"missing environments key",
			"{\n  \"context\": {\n    \"flag\": true\n  }\n}",
			"{\n  \"context\": {\n    \"flag\": true,\n    \"wellknown:environments\": {\n      \"qa\": {\n        \"account\": \"555555555555\",\n        \"region\": \"eu-west-2\"\n      }\n    }\n  }\n}"},
		{"missing context",
			"{\n  \"app\": \"x\"\n}",
			"{\n  \"app\": \"x\",\n  \"context\": {\n    \"wellknown:environments\": {\n      \"qa\": {\n        \"account\": \"555555555555\",\n        \"region\": \"eu-west-2\"\n      }\n    }\n  }\n}"},
		{"one-line file stays on one line",
			`{"context": {"wellknown:environments": {"dev": {"account": "111111111111"}}}}`,
			`{"context": {"wellknown:environments": {"dev": {"account": "111111111111"}, "qa": {"account":"555555555555","region":"eu-west-2"}}}}`},
		{"replaced in place",
			"{\n  \"context\": {\n    \"wellknown:environments\": {\n      \"qa\": {\"account\": \"1\"},\n      \"z\": {}\n    }\n  }\n}",
			"{\n  \"context\": {\n    \"wellknown:environments\": {\n      \"qa\": {\n        \"account\": \"555555555555\",\n        \"region\": \"eu-west-2\"\n      },\n      \"z\": {}\n    }\n  }\n}"},
		{"CRLF line endings",
			"{\r\n  \"context\": {\r\n    \"wellknown:environments\": {\r\n      \"dev\": {}\r\n    }\r\n  }\r\n}\r\n",
			"{\r\n  \"context\": {\r\n    \"wellknown:environments\": {\r\n      \"dev\": {},\r\n      \"qa\": {\r\n        \"account\": \"555555555555\",\r\n        \"region\": \"eu-west-2\"\r\n      }\r\n    }\r\n  }\r\n}\r\n"},
		{"escaped keys and strings elsewhere are untouched",
			"{\n  \"a\\\"b\": \"}{,\",\n  \"context\": {\n    \"wellknown:environments\": {\n      \"dev\": [1, {\"x\": \"}\"}]\n    }\n  }\n}",
			"{\n  \"a\\\"b\": \"}{,\",\n  \"context\": {\n    \"wellknown:environments\": {\n      \"dev\": [1, {\"x\": \"}\"}],\n      \"qa\": {\n        \"account\": \"555555555555\",\n        \"region\": \"eu-west-2\"\n      }\n    }\n  }\n}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := setEnvironment([]byte(tc.in), "qa", qa)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestSetEnvironmentRejects(t *testing.T) {
	for in, want := range map[string]string{
		`[1]`:            "top level is not an object",
		`{"context": 1}`: `"context" is not an object`,
		`{"context": {"wellknown:environments": []}}`: "is not an object",
		`{"context": {`: "not valid JSON",
	} {
		if _, err := setEnvironment([]byte(in), "qa", qa); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", in, err, want)
		}
	}
}

func TestCanonicalFingerprint(t *testing.T) {
	want := "A7:23:F8:4E:13:2D:E3:B6:B3:22:D9:F4:91:B0:B3:C6:0F:6E:FA:74:45:8E:28:BD:8E:A8:5C:D2:08:D4:F2:94"
	for _, in := range []string{want, strings.ToLower(want), strings.ReplaceAll(want, ":", ""), " " + strings.ToLower(strings.ReplaceAll(want, ":", "")) + " "} {
		if got := canonicalFingerprint(in); got != want {
			t.Errorf("%q → %q", in, got)
		}
	}
	for _, in := range []string{"AB:CD", "zz" + want[2:], want + ":00"} {
		if got := canonicalFingerprint(in); got != in {
			t.Errorf("invalid %q changed to %q", in, got)
		}
	}
}
