package policy_test

// The engine's semantics that the Go evaluator reproduces, case by case:
// small rules on small templates, run through the engine and through
// policy.NewEvaluator. Each case names the engine behaviour it pins; a
// case must give the same diagnostics in the same order, or an error in
// both.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/acme/wellknown/policy"
)

type semanticsCase struct {
	name     string
	template string
	rules    string // the body of package cdk_rules.p
}

// propsTemplate has one bucket B whose properties the rules read as p.
const propsTemplate = `{"Resources": {
 "B": {"Type": "AWS::S3::Bucket", "Properties": {
  "S": "str", "N": 5, "Z": null, "T": true, "O": {"k": "v", "b": [1, {"c": null}]},
  "Str": ["q\"uote", "back\\slash", "nl\nx", "tab\tx", "\b\f\r", "é", "😀", "ctl\u0001x", "<>&", "\u2028", "\u007f"],
  "Num": [1, 1.0, 1.5, 0.1, 1e-7, 1e21, 1e300, 12345678901234567890, 9007199254740993, -0.0, -2.5, -3, -2.0, 123456789.123456789, 5e-324, 100, 1e2, 123e-20],
  "Obj": {"b": 1, "a": {"z": [], "y": {}}, "": null, "A": true, "é": 1, "10": 2, "9": 3}
 }},
 "A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "t"}},
 "Z": {"Type": "AWS::SNS::Topic"}
}}`

const semanticsPrelude = "package cdk_rules.p\nimport rego.v1\np := input.resources.B.properties\n"

func semanticsCases() []semanticsCase {
	msg := func(id, expr string) string {
		return fmt.Sprintf("violation contains make_diag_full(%q, \"ERROR\", \"B\", \"\", %s, \"\", \"\")\n", id, expr)
	}
	each := func(id, list, format string) string {
		return fmt.Sprintf("violation contains v if {\n some i, x in %s\n v := make_diag_full(sprintf(\"%s-%%d\", [i]), \"ERROR\", \"B\", \"\", sprintf(%q, [x]), \"\", \"\")\n}\n", list, id, format)
	}
	return []semanticsCase{
		// sprintf: %v/%s of every kind of value, strings escaped inside
		// composites as serde_json does, numbers in plain decimal.
		{"sprintf %v of strings", propsTemplate, each("S", "p.Str", "v=%v s=%s list=%v") + msg("L", `sprintf("%v", [p.Str])`)},
		{"sprintf %v of numbers", propsTemplate, each("N", "p.Num", "v=%v") + msg("L", `sprintf("%v", [p.Num])`)},
		{"sprintf %v of objects", propsTemplate, msg("O", `sprintf("%v|%s", [p.Obj, p.O])`)},
		{"sprintf %v of sets and rule values", propsTemplate, msg("V", `sprintf("%v %v %v", [{"a", 1, [1], {"k": 1}, null, true, {2}}, [{"a"}, set(), {}], [1.0, 100000000000000000000000, 0.5e1, -0]])`)},
		{"sprintf %d", propsTemplate, each("D", "p.Num", "d=%d") + msg("W", `sprintf("%02d|%5d|%05d|%2d|%03d|%3d", [p.N, p.N, p.Num[11], 123456, "s", true])`)},
		{"sprintf %d of a string is empty", propsTemplate, msg("E", `sprintf("[%d]", ["s"])`)},
		{"sprintf with too few or too many arguments is undefined", propsTemplate,
			msg("F", `sprintf("%v %v", [1])`) + msg("M", `sprintf("%v", [1, 2])`) + msg("A", `sprintf("%v", p.S)`) + msg("P", `sprintf("100%% %v", [1])`)},
		// Builtins given a value of the wrong type are undefined, not
		// errors; membership in a non-collection is false.
		{"builtins on wrong types", propsTemplate, `
vals := [object.get(p.S, "k", 1), object.keys(p.S), count(p.N), lower(p.N), startswith(p.N, "a"), split(p.N, ":"),
	regex.match("a", p.N), substring(p.N, 1, 2), concat("", [p.S, p.N]), array.concat(p.S, [1]), p.S.k, p.A.k, p.O.b[9]]
violation contains make_diag_full("U", "ERROR", "B", "", "some builtin was defined", "", "") if { some x in vals; x == x }
violation contains make_diag_full("C", "ERROR", "B", "", sprintf("count %v", [count(vals)]), "", "")
violation contains make_diag_full("G", "ERROR", "B", "", sprintf("%v %v %v", [object.get(p.O, "k", 1), object.get(p.O, ["b", 1, "c"], 2), count(p.S)]), "", "")
violation contains make_diag_full("I", "ERROR", "B", "", "in a string", "", "") if "s" in p.S
violation contains make_diag_full("J", "ERROR", "B", "", "not in a number", "", "") if not 1 in p.N
violation contains make_diag_full("K", "ERROR", "B", "", "not in nothing", "", "") if not 1 in p.Missing
violation contains make_diag_full("Q", "ERROR", "B", "", sprintf("%v %v %v %v", [1 in p.Missing, "s" in p.S, "v" in p.O, 1 in p.N]), "", "")
violation contains make_diag_full("R", "ERROR", "B", "", "k, v in an object", "", "") if "k", "v" in p.O
violation contains make_diag_full("S", "ERROR", "B", "", "index, value in a list", "", "") if 0, 1 in p.O.b
violation contains make_diag_full("T", "ERROR", "B", "", "not k, v in nothing", "", "") if not 0, 1 in p.Missing
violation contains make_diag_full("V", "ERROR", "B", "", "not in a set", "", "") if not 3 in {1, 2}
violation contains make_diag_full("L", "ERROR", "B", "", "1 == 1.0", "", "") if p.Num[0] == p.Num[1]
violation contains make_diag_full("M", "ERROR", "B", "", "number < string", "", "") if p.N < "a"
`},
		// Iteration: "some .. in" a value that is not a collection is an
		// error; over nothing it is empty; "every" over a non-collection or
		// nothing is false, over an empty list true.
		{"some in a string is an error", propsTemplate, `violation contains make_diag_full("X", "ERROR", "B", "", sprintf("%v", [x]), "", "") if { some x in p.S }` + "\n"},
		{"some k, v in a number is an error", propsTemplate, `violation contains make_diag_full("X", "ERROR", "B", "", "m", "", "") if { some k, x in p.N; k == x }` + "\n"},
		{"some in null is an error", propsTemplate, `violation contains make_diag_full("X", "ERROR", "B", "", "m", "", "") if { some x in p.Z; x }` + "\n"},
		{"some in nothing, every", propsTemplate, `
violation contains make_diag_full("A", "ERROR", "B", "", "some in nothing", "", "") if { some x in p.Missing; x }
violation contains make_diag_full("B", "ERROR", "B", "", "every over a number", "", "") if { every x in p.N { x == 1 } }
violation contains make_diag_full("C", "ERROR", "B", "", "every over a string", "", "") if { every x in p.S { x == 1 } }
violation contains make_diag_full("D", "ERROR", "B", "", "every over nothing", "", "") if { every x in p.Missing { x == 1 } }
violation contains make_diag_full("E", "ERROR", "B", "", "every over []", "", "") if { every x in p.O.b[1].nope { x == 1 } }
violation contains make_diag_full("F", "ERROR", "B", "", "every over a list", "", "") if { every x in p.O.b { x != 2 } }
violation contains make_diag_full("G", "ERROR", "B", "", "iterating an object", "", "") if { some k, x in p.O; k == "k"; x == "v" }
`},
		{"conflicting function results are an error", propsTemplate, `
f(x) := 1 if x
f(x) := 2 if x
violation contains make_diag_full("X", "ERROR", "B", "", "m", "", "") if f(true)
`},
		// Diagnostics: which fields reach the report, filtering by
		// severity, deduplication, order.
		{"diagnostic fields", propsTemplate, `
violation contains make_diag_full("P-1", "ERROR", "B", "Properties.S", "full", "fix", "security")
violation contains make_diag_full("P-2", "ERROR", "B", "", "no path, no fix", "", "")
violation contains make_diag_full("P-3", "warn", "A", "Properties", "lower-case severity", "f", "https://x")
violation contains make_diag_full("P-4", "INFO", "B", "", "below WARN", "f", "c")
violation contains make_diag_full("P-5", "debug", "B", "", "below WARN", "f", "c")
violation contains make_diag_full("P-6", "ERROR", "Nope", "Properties.X", "no such resource", "f", "c")
violation contains make_diag_full("P-7", "FATAL", "", "Properties.X", "template level", "", "")
violation contains make_diag_at("P-8", "ERROR", "B", "Properties.S", "at")
violation contains make_diag("P-9", "ERROR", "B", "plain")
violation contains {"rule_id": "P.10", "severity": "Error", "message": "direct", "resource_id": "B", "resource_path": "Properties.N", "category": "security", "suggested_fix": "sf"}
`},
		{"deduplication and order", propsTemplate, `
violation contains make_diag_full("D-1", "ERROR", "B", "Properties.S", "m", "", "")
violation contains make_diag_full("D-1", "WARN", "B", "Properties.S", "m", "", "")
violation contains make_diag_full("D-2", "ERROR", "B", "Properties.Nope1", "m", "", "")
violation contains make_diag_full("D-2", "ERROR", "B", "Properties.Nope2", "m", "", "")
violation contains make_diag_full("D-3", "ERROR", "B", "Properties.S", "m", "f1", "")
violation contains make_diag_full("D-3", "ERROR", "B", "Properties.S", "m", "f2", "")
violation contains {"rule_id": "D-4", "severity": "ERROR", "message": "m", "resource_id": "B", "category": "b"}
violation contains {"rule_id": "D-4", "severity": "ERROR", "message": "m", "resource_id": "B", "category": "a"}
violation contains make_diag_full("D-5", "ERROR", "B", "Properties.Nope1", "m", "z", "")
violation contains make_diag_full("D-5", "ERROR", "B", "Properties.Nope1", "m", "", "")
violation contains make_diag_full("D-6", "ERROR", "B", "Properties", "m", "", "")
violation contains make_diag_full("D-6", "ERROR", "B", "", "m", "", "")
violation contains make_diag_full("D-7", "ERROR", "A", "Properties.TopicName", "m1", "", "")
violation contains make_diag_full("D-7", "ERROR", "B", "Properties.Str.3", "m2", "", "")
violation contains make_diag_full("D-7", "ERROR", "B", "Properties.Str.1", "m3", "", "")
violation contains make_diag_full("D-7", "ERROR", "B", "Properties.Obj.a.z", "m0", "", "")
violation contains make_diag_full("D-8", "ERROR", "A", "Properties.TopicName", "m", "", "")
violation contains make_diag_full("D-8", "ERROR", "Nope", "Properties.TopicName", "m", "", "")
violation contains make_diag_full("D-8", "ERROR", "", "Properties.TopicName", "m", "", "")
violation contains make_diag_full("D-0", "WARN", "A", "", "a", "", "")
violation contains make_diag_full("D-9", "FATAL", "Z", "", "z", "", "")
`},
		{"a package without violation rule is an error", propsTemplate, "x := 1\n"},
		{"resources_of_type", propsTemplate, `violation contains make_diag_full("R", "ERROR", "", "", sprintf("%v %v", [resources_of_type("AWS::SNS::Topic"), resources_of_type("Nope")]), "", "")` + "\n"},
		{"resources_of_type of a number is an error", propsTemplate, `violation contains make_diag_full("R", "ERROR", "", "", sprintf("%v", [resources_of_type(p.N)]), "", "")` + "\n"},
		// Malformed diagnostics are errors.
		{"empty message", propsTemplate, msg("X", `sprintf("%d", ["s"])`)},
		{"invalid severity", propsTemplate, `violation contains make_diag_full("X", "BAD", "B", "", "m", "", "")` + "\n"},
		{"invalid rule ID", propsTemplate, `violation contains make_diag_full("X 1", "ERROR", "B", "", "m", "", "")` + "\n"},
		{"empty rule ID", propsTemplate, `violation contains make_diag_full("", "ERROR", "B", "", "m", "", "")` + "\n"},
		{"a violation that is not an object", propsTemplate, `violation contains "str"` + "\n"},
		{"a violation without message", propsTemplate, `violation contains {"rule_id": "X", "severity": "ERROR"}` + "\n"},
		{"make_diag_full of a number", propsTemplate, `violation contains make_diag_full("X", "ERROR", "B", "", p.N, "", "")` + "\n"},
		{"make_diag_full with a number as resource", propsTemplate, `violation contains make_diag_full("X", "ERROR", p.N, "", "m", "", "")` + "\n"},
	}
}

func TestEngineSemantics(t *testing.T) {
	requireEngine(t)
	dir := t.TempDir()
	cases := semanticsCases()
	rules := map[string][]ruleSource{}
	var runs []engineRun
	for i, c := range cases {
		id := fmt.Sprintf("case-%02d", i)
		f := filepath.Join(dir, id+".json")
		if err := os.WriteFile(f, []byte(c.template), 0o644); err != nil {
			t.Fatal(err)
		}
		rules[id] = []ruleSource{{Name: "p.rego", Content: semanticsPrelude + c.rules}}
		runs = append(runs, engineRun{ID: id, Rules: id, File: f, Account: "111111111111", Region: "eu-west-1"})
	}
	results := runEngine(t, dir, rules, runs)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := results[runs[i].ID]
			got, err := evaluateWith(semanticsPrelude+c.rules, []byte(c.template), policy.Env{AccountID: "111111111111", Region: "eu-west-1"})
			switch {
			case want.Error != "" && err == nil:
				t.Errorf("the engine fails (%s), the Go evaluator gives %s", want.Error, jsonString(got))
			case want.Error == "" && err != nil:
				t.Errorf("the Go evaluator fails (%v), the engine gives %s", err, jsonString(want.Diagnostics))
			case err != nil:
				t.Logf("both fail: engine %q; Go %v", firstLine(want.Error), err)
			case !slices.Equal(got, want.Diagnostics):
				t.Errorf("differ\n  Go:     %s\n  engine: %s", jsonString(got), jsonString(want.Diagnostics))
			}
		})
	}
}

func evaluateWith(rules string, template []byte, env policy.Env) ([]policy.Diagnostic, error) {
	e, err := policy.NewEvaluator(context.Background(), map[string]string{"p.rego": rules})
	if err != nil {
		return nil, err
	}
	return e.Evaluate(context.Background(), template, env)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
