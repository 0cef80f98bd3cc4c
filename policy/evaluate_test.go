package policy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/acme/wellknown/policy"
)

func TestProjectRulesCompile(t *testing.T) {
	if _, err := policy.NewEvaluator(context.Background(), policy.Sources()); err != nil {
		t.Fatal(err)
	}
}

// A rule the Go side cannot evaluate the engine's way is refused when the
// rules are compiled, loudly, naming file and line: it never runs as a
// rule that finds nothing.
func TestRefusedRules(t *testing.T) {
	for name, tc := range map[string]struct{ rule, want string }{
		"syntax error":       {`violation contains v if {`, "rego_parse_error"},
		"unsafe variable":    {`violation contains v if { v == 1 }`, "rego_unsafe_var_error"},
		"unknown function":   {`violation contains v if { v := resolve("B", "Properties.X") }`, "resolve"},
		"walk":               {`violation contains v if { walk(input, [p, x]); v := make_diag("X", "ERROR", "", "m") }`, "walk is not a builtin"},
		"other builtin":      {`violation contains make_diag("X", "ERROR", "", json.marshal(input.resources))`, "json.marshal is not a builtin"},
		"sprintf %x":         {`violation contains make_diag("X", "ERROR", "", sprintf("%x", [1]))`, "verb %x"},
		"sprintf %-5s":       {`violation contains make_diag("X", "ERROR", "", sprintf("%-5s", ["a"]))`, "verb %-5s"},
		"sprintf %q":         {`violation contains make_diag("X", "ERROR", "", sprintf("%q", ["a"]))`, "verb %q"},
		"sprintf variable":   {`f := "%v"` + "\n" + `violation contains make_diag("X", "ERROR", "", sprintf(f, ["a"]))`, "not a string literal"},
		"input.parameters":   {`violation contains make_diag("X", "ERROR", "", "m") if input.parameters`, "only input.resources"},
		"bare input":         {`violation contains make_diag("X", "ERROR", "", "m") if count(input) > 0`, "only input.resources"},
		"resource field":     {`violation contains make_diag("X", "ERROR", id, "m") if { some id, r in input.resources; r.condition }`, `"condition"`},
		"resource field ref": {`violation contains make_diag("X", "ERROR", "B", "m") if input.resources.B.incomingRefs`, "incomingRefs"},
		"no violation rule":  {`x := 1`, "not a valid rule path"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := policy.NewEvaluator(context.Background(), map[string]string{"p.rego": "package cdk_rules.p\nimport rego.v1\n" + tc.rule + "\n"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// A project rule broken by an edit fails compilation of them all.
func TestBrokenProjectRuleFailsLoudly(t *testing.T) {
	src := policy.Sources()
	src["wk004_no_website_cors_acl.rego"] += "\nviolation contains v if { some b in buckets; v := make_diag_full(wk004, \"ERROR\", b, \"\", walk(b), \"\", \"\") }\n"
	_, err := policy.NewEvaluator(context.Background(), src)
	if err == nil || !strings.Contains(err.Error(), "wk004_no_website_cors_acl.rego:") {
		t.Fatalf("err = %v, want it to name wk004_no_website_cors_acl.rego", err)
	}
}

// An error while evaluating — the engine's errors, and a template the
// model cannot represent — is an error of Evaluate, never a pass.
func TestEvaluationErrorsFail(t *testing.T) {
	tpl := []byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"S": "str", "N": 5}}}}`)
	for name, tc := range map[string]struct{ rule, want string }{
		"conflict":                 {"f(x) := 1 if x\nf(x) := 2 if x\nviolation contains make_diag(\"X\", \"ERROR\", \"B\", \"m\") if f(true)", "conflicting"},
		"some in a string":         {"violation contains make_diag(\"X\", \"ERROR\", \"B\", \"m\") if { some x in input.resources.B.properties.S; x }", "expects array/set/object"},
		"make_diag of a number":    {"violation contains make_diag(\"X\", \"ERROR\", \"B\", input.resources.B.properties.N)", "not a string"},
		"empty message":            {"violation contains make_diag(\"X\", \"ERROR\", \"B\", \"\")", "empty 'message'"},
		"invalid severity":         {"violation contains make_diag(\"X\", \"SEVERE\", \"B\", \"m\")", "Invalid severity"},
		"invalid rule ID":          {"violation contains make_diag(\"X/1\", \"ERROR\", \"B\", \"m\")", "invalid 'rule_id'"},
		"violation not an object":  {"violation contains 1", "missing required field 'rule_id'"},
		"resources_of_type number": {"violation contains make_diag(\"X\", \"ERROR\", \"B\", \"m\") if resources_of_type(1)", "not a string"},
	} {
		t.Run(name, func(t *testing.T) {
			e, err := policy.NewEvaluator(context.Background(), map[string]string{"p.rego": "package cdk_rules.p\nimport rego.v1\n" + tc.rule + "\n"})
			if err != nil {
				t.Fatal(err)
			}
			d, err := e.Evaluate(context.Background(), tpl, policy.Env{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (diagnostics %v), want it to mention %q", err, d, tc.want)
			}
		})
	}
	_, err := policy.Evaluate(context.Background(), []byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": {"Fn::Select": [0, ["a"]]}}}}}`), policy.Env{})
	if err == nil || !strings.Contains(err.Error(), "Fn::Select") {
		t.Errorf("a template with Fn::Select: err = %v", err)
	}
}
