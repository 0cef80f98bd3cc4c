// Package policy holds the project's security invariants as policy as code:
// Rego rules evaluated on every synthesized template by aws-cdk-lib's own
// CloudFormationValidatePlugin (the @aws/cloudformation-validate engine that
// also runs the CDK's default schema and lint rules).
//
// The project's CDK app (internal/cdkapp) registers SharedPlugin, so `cdk synth`, `go run .`
// and the tests all check the rules. With the feature flag
// "@aws-cdk/core:validateAgainstDefaultRules": true (cdk.json) a finding of
// severity ERROR fails synthesis; without that flag the CDK downgrades every
// finding of this plugin, custom rules included, to a warning.
//
// All six rules are Rego, none needed an Aspect: the engine gives a rule the
// whole template (every resource's properties, with Ref/GetAtt/Fn::Join/Fn::If
// kept visible, and its outgoing references), which is enough for the
// cross-resource checks (bucket <-> policy <-> deployment <-> log target).
// Guard rules are not used, after trying them on this engine (guardRules of
// the same plugin): a Guard rule name cannot contain "-" (parse error, so the
// IDs could not be WK-00x); "not exists" / "!exists" clauses never fail
// (`Properties.BucketEncryption not exists` passes on a bucket that has it,
// so a WK-004 written that way would pass silently; `empty` does work); and
// a rule reports only its first failing clause per resource.
//
// Engine facts the rules rely on, and the pitfalls of writing rules for this
// engine (no walk(), no recursion, and a sprintf or concat that cannot
// format its arguments makes a violation silently undefined), are
// documented at the top of lib.rego; policy/engine_test.go checks the rules
// on broken variants of the synthesized templates.
package policy

import (
	"embed"
	"io/fs"
	"sort"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

//go:embed *.rego
var files embed.FS

// Rule documents one rule ID.
type Rule struct {
	ID string
	// File is the .rego file that implements the rule.
	File string
	// Summary is what the rule requires.
	Summary string
}

// Rules lists every rule, in ID order. Each rule lives in its own file
// (helpers in lib.rego); policy_test.go keeps this list and the files in
// step.
var Rules = []Rule{
	{"WK-001", "wk001_public_read.rego", "Every public Allow statement (Principal \"*\" / {\"AWS\": \"*\"}) is on the upload destination and grants only s3:GetObject on arn:<partition>:s3:::<bucket>/.well-known/* (literal, or Fn::Join of the bucket Arn); no NotAction/NotResource, no NotPrincipal on any Allow."},
	{"WK-002", "wk002_tls_only.rego", "Every AWS::S3::Bucket has a bucket policy that denies s3:* on the bucket and its objects to everyone when aws:SecureTransport is false."},
	{"WK-003", "wk003_public_access_block.rego", "Every bucket has BlockPublicAcls and IgnorePublicAcls true and ObjectOwnership BucketOwnerEnforced; log buckets (LoggingConfiguration targets) and every bucket that is not the upload destination have all four Block Public Access flags true."},
	{"WK-004", "wk004_no_website_cors_acl.rego", "No bucket sets WebsiteConfiguration, CorsConfiguration or AccessControl."},
	{"WK-005", "wk005_upload.rego", "Every Custom::CDKBucketDeployment sets SystemMetadata content-type application/json and DestinationBucketKeyPrefix exactly \".well-known/\"."},
	{"WK-006", "wk006_versioning.rego", "The content bucket (upload destination, or any bucket with a public Allow) has VersioningConfiguration Status Enabled."},
	{"WK-007", "wk007_content_grants.rego", "Every Allow of a content bucket's policy is the public read of .well-known/*, CloudFront's read of .well-known/* (the CloudFront service principal alone, s3:GetObject only, conditioned on AWS:SourceArn equal to one ARN: a distribution of this template), or the CDK's auto-delete handler of that bucket."},
	{"WK-008", "wk008_distribution.rego", "Every CloudFront distribution is https-only (no redirect), allows GET and HEAD only, and uses a certificate with TLSv1.2_2021 or newer and SNI."},
}

// RuleIDs are the IDs of Rules, as they appear in the validation report.
var RuleIDs = func() []string {
	ids := make([]string, len(Rules))
	for i, r := range Rules {
		ids[i] = r.ID
	}
	return ids
}()

// Sources returns the embedded .rego files, keyed by file name.
func Sources() map[string]string {
	out := map[string]string{}
	names, _ := fs.Glob(files, "*.rego")
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			panic(err)
		}
		out[n] = string(b)
	}
	return out
}

// regoRules returns the rules in the form CloudFormationValidatePluginProps
// takes. All files share one Rego package (cdk_rules.wellknown); the engine
// merges them, so lib.rego's helpers are visible to every rule file.
func regoRules() *[]*awscdk.ValidationRuleSource {
	src := Sources()
	names := make([]string, 0, len(src))
	for n := range src {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*awscdk.ValidationRuleSource, 0, len(names))
	for _, n := range names {
		out = append(out, &awscdk.ValidationRuleSource{Name: jsii.String("policy/" + n), Content: jsii.String(src[n])})
	}
	return &out
}

// SharedPlugin returns the CloudFormation validation plugin with the CDK's
// default rules plus this package's rules. Registering a
// CloudFormationValidatePlugin replaces the CDK's auto-registered default
// instance, hence IncludeDefaultRules. Building the engine compiles every
// rule and schema, so one instance is shared by all apps of the process
// (the CDK does the same with its default singleton); a plugin holds no
// per-app state.
func SharedPlugin() awscdk.CloudFormationValidatePlugin {
	return shared()
}

var shared = sync.OnceValue(func() awscdk.CloudFormationValidatePlugin {
	return awscdk.NewCloudFormationValidatePlugin(&awscdk.CloudFormationValidatePluginProps{
		RegoRules:           regoRules(),
		IncludeDefaultRules: jsii.Bool(true),
	})
})
