package stacks_test

// Tests for the policy-as-code rules (policy/*.rego, WK-001…WK-006) as they
// run in real syntheses: the example environments pass with no finding, and
// a stack broken through an escape hatch fails synthesis with the rule's ID.
//
// The Synth error itself does not carry the report: a Go app is not in the
// CDK's "inmemory" app mode, so the CDK prints the report to stderr and
// throws "Validation failed. A copy of this report can be found in:
// <outdir>/validation-report.json". The tests read that file, which the CDK
// writes on success and failure alike, and check that the error points to it.
//
// The template-level edge cases of each rule (Fn::If, Fn::Sub, Ref instead of
// Arn, NotPrincipal, string booleans, ...) are covered without a synthesis
// per case in policy/engine_test.go.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/policy"
)

// finding is one rule's entry of the validation report.
type finding struct {
	Plugin   string
	Severity string
	// Paths are "<logicalId>:<propertyPath>" of every violating resource.
	Paths []string
}

// policyResult is the outcome of one synthesis.
type policyResult struct {
	// Err is what the synthesis returned.
	Err error
	// Findings are the validation report's entries by rule ID.
	Findings map[string]finding
	// Template is the synthesized template (nil when synthesis failed: the
	// templates are removed then).
	Template map[string]interface{}
}

// synthPolicy is synthTarget that returns the Synth error instead of
// failing: it builds one environment's stack in its own app (cdk.json's
// context, so validateAgainstDefaultRules is on), applies mutate (nil for
// none), synthesizes, and reads the validation report.
func synthPolicy(t *testing.T, ctx config.Context, target preflight.Target, mutate func(awscdk.Stack)) policyResult {
	t.Helper()
	outdir := t.TempDir()
	var stack awscdk.Stack
	res := policyResult{}
	res.Err = synthTo(t, ctx, outdir, buildTarget(target, &stack, mutate))
	res.Findings = readReport(t, outdir)
	if raw, err := os.ReadFile(filepath.Join(outdir, target.Env.StackName()+".template.json")); err == nil {
		if err := json.Unmarshal(raw, &res.Template); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

func readReport(t *testing.T, outdir string) map[string]finding {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
	if err != nil {
		t.Fatalf("no validation report: %v", err)
	}
	var report struct {
		PluginReports []struct {
			PluginName string `json:"pluginName"`
			Violations []struct {
				RuleName            string `json:"ruleName"`
				Severity            string `json:"severity"`
				ViolatingConstructs []struct {
					CloudFormationResource struct {
						LogicalID     string   `json:"logicalId"`
						PropertyPaths []string `json:"propertyPaths"`
					} `json:"cloudFormationResource"`
				} `json:"violatingConstructs"`
			} `json:"violations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatalf("validation report: %v", err)
	}
	out := map[string]finding{}
	for _, pr := range report.PluginReports {
		for _, v := range pr.Violations {
			f := out[v.RuleName]
			f.Plugin, f.Severity = pr.PluginName, v.Severity
			for _, c := range v.ViolatingConstructs {
				r := c.CloudFormationResource
				for _, p := range r.PropertyPaths {
					f.Paths = append(f.Paths, r.LogicalID+":"+p)
				}
				if len(r.PropertyPaths) == 0 {
					f.Paths = append(f.Paths, r.LogicalID+":")
				}
			}
			out[v.RuleName] = f
		}
	}
	return out
}

// wkRules returns the project rule IDs present in the findings, sorted.
func wkRules(findings map[string]finding) []string {
	var ids []string
	for id := range findings {
		if strings.HasPrefix(id, "WK-") {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// assertFails checks that synthesis failed because of rule id, that no
// other project rule fired, and that the finding names every wanted
// property path (a suffix of "<logicalId>:<propertyPath>").
func assertFails(t *testing.T, res policyResult, id string, wantPaths ...string) {
	t.Helper()
	err, findings := res.Err, res.Findings
	if err == nil {
		t.Fatalf("synthesis succeeded; want it to fail with %s", id)
	}
	if !strings.Contains(err.Error(), "validation-report.json") {
		t.Errorf("synthesis error does not point to the validation report: %v", err)
	}
	f, ok := findings[id]
	if !ok {
		t.Fatalf("report has no %s; findings: %v (error: %v)", id, findings, err)
	}
	if f.Severity != "error" || f.Plugin != policy.PluginName {
		t.Errorf("%s: severity %q from plugin %q, want error from %s", id, f.Severity, f.Plugin, policy.PluginName)
	}
	if got := wkRules(findings); !slices.Equal(got, []string{id}) {
		t.Errorf("project rules in the report: %v, want only %s", got, id)
	}
	for _, want := range wantPaths {
		if !slices.ContainsFunc(f.Paths, func(p string) bool { return strings.HasSuffix(p, want) }) {
			t.Errorf("%s does not report %s; reported: %v", id, want, f.Paths)
		}
	}
}

func assertPasses(t *testing.T, res policyResult) {
	t.Helper()
	if res.Err != nil {
		t.Fatalf("synthesis failed: %v\nfindings: %v", res.Err, res.Findings)
	}
	// Zero violations of any plugin and severity, not just no WK error.
	for id, f := range res.Findings {
		t.Errorf("unexpected finding %s (%s, %s): %v", id, f.Severity, f.Plugin, f.Paths)
	}
}

// targetByRemoval returns an example environment with the given removal
// policy and access logs on.
func targetByRemoval(t *testing.T, targets []preflight.Target, rp config.RemovalPolicy) preflight.Target {
	t.Helper()
	for _, target := range targets {
		if target.Env.RemovalPolicy == rp && target.Env.AccessLogs {
			return target
		}
	}
	t.Fatalf("no example environment with removal policy %s and access logs", rp)
	return preflight.Target{}
}

// Escape hatches into the stack's constructs, which live in its
// WellKnownHosting (ID "Default").

func hosting(stack awscdk.Stack) constructs.Node {
	return stack.Node().FindChild(jsii.String("Default")).Node()
}

func contentBucket(t *testing.T, stack awscdk.Stack) awss3.Bucket {
	t.Helper()
	b, ok := hosting(stack).FindChild(jsii.String("Bucket")).(awss3.Bucket)
	if !ok {
		t.Fatal("content bucket construct not found")
	}
	return b
}

func cfnBucket(t *testing.T, stack awscdk.Stack, id string) awss3.CfnBucket {
	t.Helper()
	b, ok := hosting(stack).FindChild(jsii.String(id)).Node().DefaultChild().(awss3.CfnBucket)
	if !ok {
		t.Fatalf("CfnBucket of %s not found", id)
	}
	return b
}

func uploadResource(t *testing.T, stack awscdk.Stack) awscdk.CfnResource {
	t.Helper()
	for _, c := range *hosting(stack).FindChild(jsii.String("Upload")).Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if r, ok := c.(awscdk.CfnResource); ok && *awscdk.CfnResource_IsCfnResource(c) && *r.CfnResourceType() == "Custom::CDKBucketDeployment" {
			return r
		}
	}
	t.Fatal("Custom::CDKBucketDeployment not found under Upload")
	return nil
}

// The example environments synthesize without a finding: a retain and a
// destroy environment (the latter adds the CDK's auto-delete provider and
// its Allow statements in both bucket policies), the environment with a
// literal bucket name, and an environment without access logs (no log
// bucket, and the rules must not ask for one). Every template also carries
// the BucketDeployment Lambda, its role and role policy, and the log
// bucket's logging.s3.amazonaws.com statement, so none of the rules fires
// on the CDK's own resources.
func TestPolicyExampleEnvironmentsPass(t *testing.T) {
	ctx, targets := exampleTargets(t)
	noLogs := targetByRemoval(t, targets, config.Destroy)
	noLogs.Env.AccessLogs = false
	cases := map[string]preflight.Target{}
	for _, target := range targets {
		cases[target.Env.Name] = target
	}
	cases["no-access-logs"] = noLogs
	for name, target := range cases {
		t.Run(name, func(t *testing.T) {
			res := synthPolicy(t, ctx, target, nil)
			assertPasses(t, res)
			checkCDKResourcesPresent(t, res.Template, target.Env)
		})
	}
}

// checkCDKResourcesPresent makes the passing synthesis meaningful: the
// CDK-generated resources the rules must leave alone are in the template.
func checkCDKResourcesPresent(t *testing.T, tmpl map[string]interface{}, env config.Environment) {
	t.Helper()
	count := func(typ string) int { return len(resourcesOfType(tmpl, typ)) }
	wantBuckets := 1
	if env.AccessLogs {
		wantBuckets = 2
	}
	if n := count("AWS::S3::Bucket"); n != wantBuckets {
		t.Errorf("%d buckets, want %d", n, wantBuckets)
	}
	if count("Custom::CDKBucketDeployment") != 1 || count("AWS::IAM::Policy") == 0 || count("AWS::Lambda::Function") == 0 {
		t.Error("BucketDeployment custom resource, Lambda or role policy missing")
	}
	if auto := count("Custom::S3AutoDeleteObjects"); (env.RemovalPolicy == config.Destroy) != (auto > 0) {
		t.Errorf("%d auto-delete resources with removal policy %s", auto, env.RemovalPolicy)
	}
	// Non-public Allow statements the CDK adds to the bucket policies: the
	// auto-delete provider's role (destroy environments) and S3 log delivery.
	var logDelivery, autoDeleteRole int
	for _, p := range resourcesOfType(tmpl, "AWS::S3::BucketPolicy") {
		doc := p["Properties"].(map[string]interface{})["PolicyDocument"].(map[string]interface{})
		for _, s := range asList(doc["Statement"]) {
			pr, _ := s.(map[string]interface{})["Principal"].(map[string]interface{})
			if pr["Service"] == "logging.s3.amazonaws.com" {
				logDelivery++
			}
			if att, ok := pr["AWS"].(map[string]interface{}); ok && strings.Contains(fmt.Sprint(att["Fn::GetAtt"]), "AutoDeleteObjects") {
				autoDeleteRole++
			}
		}
	}
	if (logDelivery > 0) != env.AccessLogs {
		t.Errorf("%d logging.s3.amazonaws.com statements with access logs %v", logDelivery, env.AccessLogs)
	}
	if (autoDeleteRole > 0) != (env.RemovalPolicy == config.Destroy) {
		t.Errorf("%d auto-delete role statements with removal policy %s", autoDeleteRole, env.RemovalPolicy)
	}
}

// WK-001: a broader public statement added next to the correct one, the
// way publicReadAccess or GrantPublicRead() would (s3:GetObject on /*).
func TestPolicyWK001PublicStatementTooBroad(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Retain), func(stack awscdk.Stack) {
		bucket := contentBucket(t, stack)
		bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Effect:     awsiam.Effect_ALLOW,
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    jsii.Strings("s3:GetObject", "s3:ListBucket"),
			Resources:  &[]*string{bucket.ArnForObjects(jsii.String("*"))},
		}))
	})
	assertFails(t, res, "WK-001", ".Action.1", ".Resource")
}

// WK-001: the existing public statement widened through the L1 escape
// hatch to s3:Get* on every object.
func TestPolicyWK001PublicStatementOverridden(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Destroy), func(stack awscdk.Stack) {
		policy := contentBucket(t, stack).Policy().Node().DefaultChild().(awss3.CfnBucketPolicy)
		// Statement 3: after the two TLS denies, the auto-delete role's
		// Allow in this destroy environment is 2, the public read is 3.
		policy.AddPropertyOverride(jsii.String("PolicyDocument.Statement.3.Action"), "s3:Get*")
		policy.AddPropertyOverride(jsii.String("PolicyDocument.Statement.3.Resource"), "*")
	})
	assertFails(t, res, "WK-001", "Statement.3.Action", "Statement.3.Resource")
}

// WK-002: the content bucket's aws:SecureTransport deny is neutralised.
func TestPolicyWK002TLSDenyMissing(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Destroy), func(stack awscdk.Stack) {
		policy := contentBucket(t, stack).Policy().Node().DefaultChild().(awss3.CfnBucketPolicy)
		// EnforceSSL's statement is the first of the policy.
		policy.AddPropertyOverride(jsii.String("PolicyDocument.Statement.0.Condition.Bool.aws:SecureTransport"), "true")
	})
	assertFails(t, res, "WK-002", "Bucket83908E77:Properties")
}

// WK-003: ACLs turned back on for the content bucket.
func TestPolicyWK003ContentBucketACLs(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Retain), func(stack awscdk.Stack) {
		b := cfnBucket(t, stack, "Bucket")
		b.AddPropertyOverride(jsii.String("PublicAccessBlockConfiguration.IgnorePublicAcls"), false)
		b.AddPropertyOverride(jsii.String("OwnershipControls.Rules.0.ObjectOwnership"), "ObjectWriter")
	})
	assertFails(t, res, "WK-003", "PublicAccessBlockConfiguration.IgnorePublicAcls", "Properties.OwnershipControls")
}

// WK-003: the log bucket loses BlockPublicPolicy, and the content bucket's
// LoggingConfiguration is deleted as well: the log bucket is still private
// because it is not the upload destination.
func TestPolicyWK003LogBucketNotFullyBlocked(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Destroy), func(stack awscdk.Stack) {
		cfnBucket(t, stack, "AccessLogs").AddPropertyOverride(jsii.String("PublicAccessBlockConfiguration.BlockPublicPolicy"), false)
		cfnBucket(t, stack, "Bucket").AddPropertyDeletionOverride(jsii.String("LoggingConfiguration"))
	})
	assertFails(t, res, "WK-003", "PublicAccessBlockConfiguration.BlockPublicPolicy")
	if p := res.Findings["WK-003"].Paths; slices.ContainsFunc(p, func(s string) bool { return strings.HasPrefix(s, "Bucket83908E77:") }) {
		t.Errorf("WK-003 reports the content bucket: %v", p)
	}
}

// WK-004: website hosting, CORS and a canned ACL through escape hatches.
func TestPolicyWK004WebsiteCorsACL(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Retain), func(stack awscdk.Stack) {
		b := cfnBucket(t, stack, "Bucket")
		b.AddPropertyOverride(jsii.String("WebsiteConfiguration"), map[string]interface{}{"IndexDocument": "index.html"})
		b.AddPropertyOverride(jsii.String("CorsConfiguration"), map[string]interface{}{
			"CorsRules": []interface{}{map[string]interface{}{"AllowedMethods": []string{"GET"}, "AllowedOrigins": []string{"*"}}},
		})
		cfnBucket(t, stack, "AccessLogs").AddPropertyOverride(jsii.String("AccessControl"), "LogDeliveryWrite")
	})
	assertFails(t, res, "WK-004", "Properties.WebsiteConfiguration", "Properties.CorsConfiguration", "Properties.AccessControl")
}

// WK-005: the upload loses its content type and its prefix (whole bucket).
func TestPolicyWK005Upload(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Destroy), func(stack awscdk.Stack) {
		upload := uploadResource(t, stack)
		upload.AddPropertyOverride(jsii.String("SystemMetadata.content-type"), "text/plain")
		upload.AddPropertyDeletionOverride(jsii.String("DestinationBucketKeyPrefix"))
	})
	assertFails(t, res, "WK-005", "SystemMetadata.content-type", "Properties.DestinationBucketKeyPrefix")
}

// WK-006: versioning suspended on the content bucket.
func TestPolicyWK006Versioning(t *testing.T) {
	ctx, targets := exampleTargets(t)
	res := synthPolicy(t, ctx, targetByRemoval(t, targets, config.Retain), func(stack awscdk.Stack) {
		cfnBucket(t, stack, "Bucket").AddPropertyOverride(jsii.String("VersioningConfiguration.Status"), "Suspended")
	})
	assertFails(t, res, "WK-006", "Properties.VersioningConfiguration.Status")
}

// Every documented rule has a broken-stack test above, and the failing
// behaviour depends on the feature flag that cdk.json sets.
func TestPolicyRulesCoveredAndEnforced(t *testing.T) {
	var src []byte
	files, _ := filepath.Glob("policy*_test.go")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, data...)
	}
	for _, id := range policy.RuleIDs {
		if !strings.Contains(string(src), `assertFails(t, res, "`+id+`"`) {
			t.Errorf("%s has no broken-stack test", id)
		}
	}
	ctx, err := config.ReadCDKJSON(filepath.Join(projectDir, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Without this flag the CDK downgrades every finding of its own
	// CloudFormation validation plugin (its default rules) to a warning; the
	// WK rules run in policy.Plugin, which the flag does not touch.
	if v, _ := ctx.Value("@aws-cdk/core:validateAgainstDefaultRules"); string(v) != "true" {
		t.Errorf("cdk.json: @aws-cdk/core:validateAgainstDefaultRules is %s, want true", v)
	}
}
