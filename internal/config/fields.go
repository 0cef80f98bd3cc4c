package config

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/acme/wellknown/internal/diag"
)

// fields reads typed settings from one environment object and records a
// problem for every value of the wrong JSON type.
type fields struct {
	path     string
	raw      map[string]json.RawMessage
	problems []diag.Problem
}

func (f *fields) has(key string) bool { _, ok := f.raw[key]; return ok }

func (f *fields) str(key string, required bool) string {
	raw, ok := f.raw[key]
	if !ok {
		if required {
			f.problems = append(f.problems, errorAt(f.path+"."+key, "is required", requiredFix[key]))
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		f.problems = append(f.problems, errorAt(f.path+"."+key, fmt.Sprintf("must be a string, got %s", raw), fmt.Sprintf("quote the value, e.g. \"%s\": %q", key, unquoted(raw))))
		return ""
	}
	return s
}

func (f *fields) boolean(key string, def bool) bool {
	raw, ok := f.raw[key]
	if !ok {
		return def
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		f.problems = append(f.problems, errorAt(f.path+"."+key, fmt.Sprintf("must be true or false, got %s", raw), fmt.Sprintf("write \"%s\": true or \"%s\": false, without quotes", key, key)))
		return def
	}
	return b
}

var requiredFix = map[string]string{
	"account": `add "account": "<12-digit AWS account ID>"`,
	"region":  `add "region": "<AWS region code, e.g. eu-west-1>"`,
}

// unquoted shows a wrongly typed value as the string it should have been:
// the raw JSON text, since decoding 111111111111 as a number would print
// 1.11111111111e+11.
func unquoted(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.Trim(string(raw), `"`)
}
