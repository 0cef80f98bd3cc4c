package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// fakeContext is what the CDK passes to a plugin, without the CDK.
type fakeContext struct {
	stacks []*awscdk.PolicyValidationStack
}

func (c fakeContext) AccountId() *string                               { return nil }
func (c fakeContext) AppConstruct() constructs.IConstruct              { return nil }
func (c fakeContext) Region() *string                                  { return nil }
func (c fakeContext) StackTemplates() *[]*awscdk.PolicyValidationStack { return &c.stacks }
func (c fakeContext) TemplatePaths() *[]*string                        { return nil }

// The report is built as aws-cdk-lib 2.277's CloudFormationValidatePlugin
// builds one: one violation per rule, severity and description (path
// without "Properties." + ": " + message), every resource with that
// finding under it across stacks, a template-level finding on the stack's
// construct path, no locations without a path, the fix as is, no
// ruleMetadata without a category.
func TestReportBuiltLikeTheCDKPlugin(t *testing.T) {
	var b reportBuilder
	b.add("Stack1", "/out/Stack1.template.json", []Diagnostic{
		{RuleID: "WK-002", Severity: "ERROR", LogicalID: "B1", Path: "Properties", Message: "m", Fix: "f"},
		{RuleID: "WK-003", Severity: "ERROR", LogicalID: "B1", Path: "Properties.PublicAccessBlockConfiguration.BlockPublicAcls", Message: "a", Fix: "f"},
		{RuleID: "X-1", Severity: "WARN", LogicalID: "", Path: "", Message: "template level", Category: "security"},
		{RuleID: "X-2", Severity: "FATAL", LogicalID: "R", Path: "Metadata.x", Message: "fatal"},
	})
	b.add("Stage/Stack2", "/out/assembly-Stage/Stack2.template.json", []Diagnostic{
		{RuleID: "WK-003", Severity: "ERROR", LogicalID: "B2", Path: "Properties.PublicAccessBlockConfiguration.BlockPublicAcls", Message: "a", Fix: "f"},
		{RuleID: "WK-003", Severity: "ERROR", LogicalID: "B2", Path: "Properties.PublicAccessBlockConfiguration.BlockPublicAcls", Message: "other", Fix: "f"},
	})
	got := compact(t, b.report())
	want := `{"success":false,"violations":[` +
		`{"description":"Properties: m","fix":"f","ruleName":"WK-002","severity":"error","violatingResources":[{"locations":["Properties"],"resourceLogicalId":"B1","templatePath":"/out/Stack1.template.json"}]},` +
		`{"description":"PublicAccessBlockConfiguration.BlockPublicAcls: a","fix":"f","ruleName":"WK-003","severity":"error","violatingResources":[` +
		`{"locations":["Properties.PublicAccessBlockConfiguration.BlockPublicAcls"],"resourceLogicalId":"B1","templatePath":"/out/Stack1.template.json"},` +
		`{"locations":["Properties.PublicAccessBlockConfiguration.BlockPublicAcls"],"resourceLogicalId":"B2","templatePath":"/out/assembly-Stage/Stack2.template.json"}]},` +
		`{"description":"template level","ruleMetadata":{"category":"security"},"ruleName":"X-1","severity":"warning","violatingResources":[{"constructPath":"Stack1","locations":[],"templatePath":"/out/Stack1.template.json"}]},` +
		`{"description":"Metadata.x: fatal","ruleName":"X-2","severity":"error","violatingResources":[{"locations":["Metadata.x"],"resourceLogicalId":"R","templatePath":"/out/Stack1.template.json"}]},` +
		`{"description":"PublicAccessBlockConfiguration.BlockPublicAcls: other","fix":"f","ruleName":"WK-003","severity":"error","violatingResources":[{"locations":["Properties.PublicAccessBlockConfiguration.BlockPublicAcls"],"resourceLogicalId":"B2","templatePath":"/out/assembly-Stage/Stack2.template.json"}]}]}`
	if got != want {
		t.Errorf("report\n got: %s\nwant: %s", got, want)
	}
	var empty reportBuilder
	if got := compact(t, empty.report()); got != `{"success":true,"violations":[]}` {
		t.Errorf("empty report: %s", got)
	}
	b = reportBuilder{}
	b.add("S", "t", []Diagnostic{{RuleID: "W", Severity: "WARN", LogicalID: "R", Message: "w"}})
	if r := b.report(); !*r.Success {
		t.Error("a report with warnings only must succeed")
	}
}

func TestPluginValidates(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "Bad.template.json")
	os.WriteFile(bad, []byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"WebsiteConfiguration": {}}}}}`), 0o644)
	p := Plugin()
	if *p.Name() != PluginName || *p.Version() != PluginVersion || len(*p.RuleIds()) != len(Rules) {
		t.Errorf("name %s, version %s, rule IDs %v", *p.Name(), *p.Version(), *p.RuleIds())
	}
	r := p.Validate(fakeContext{[]*awscdk.PolicyValidationStack{{StackConstructPath: jsii.String("Bad"), TemplatePath: jsii.String(bad), AccountId: jsii.String("111111111111"), Region: jsii.String("eu-west-1")}}})
	if *r.Success {
		t.Fatal("a bucket without policy and with a website passed")
	}
	rules := map[string]bool{}
	for _, v := range *r.Violations {
		rules[*v.RuleName] = true
	}
	for _, id := range []string{"WK-002", "WK-003", "WK-004"} {
		if !rules[id] {
			t.Errorf("no %s in %v", id, rules)
		}
	}
}

// A template that cannot be checked gives the CDK's report of a failed
// plugin: unsuccessful, no violations, the reason in metadata.error.
func TestPluginFailsClosed(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "Broken.template.json")
	os.WriteFile(broken, []byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Select": [0, ["a"]]}}}}}`), 0o644)
	for name, path := range map[string]string{"unmodelled intrinsic": broken, "missing file": filepath.Join(dir, "nope.json")} {
		r := Plugin().Validate(fakeContext{[]*awscdk.PolicyValidationStack{{StackConstructPath: jsii.String("S"), TemplatePath: jsii.String(path)}}})
		if *r.Success || len(*r.Violations) != 0 || r.Metadata == nil || !strings.HasPrefix(*(*r.Metadata)["error"], "Validation plugin 'wellknown rules' failed: ") ||
			!strings.Contains(*(*r.Metadata)["error"], path) {
			got, _ := json.Marshal(r)
			t.Errorf("%s: %s", name, got)
		}
	}
}

// compact is v as JSON without its null fields (jsii leaves an unset
// optional out of what the CDK sees).
func compact(t *testing.T, v interface{}) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x interface{}
	if err := json.Unmarshal(raw, &x); err != nil {
		t.Fatal(err)
	}
	var drop func(interface{}) interface{}
	drop = func(x interface{}) interface{} {
		switch y := x.(type) {
		case map[string]interface{}:
			for k, v := range y {
				if v == nil {
					delete(y, k)
				} else {
					y[k] = drop(v)
				}
			}
		case []interface{}:
			for i := range y {
				y[i] = drop(y[i])
			}
		}
		return x
	}
	out, _ := json.Marshal(drop(x))
	return string(out)
}
