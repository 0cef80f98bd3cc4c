// Package policy holds the project's security invariants as policy as code:
// Rego rules evaluated on every synthesized template by Plugin, a CDK
// validation plugin that runs them in-process with OPA.
//
// The rules were written for, and are still exactly what runs in,
// aws-cdk-lib's CloudFormationValidatePlugin (the @aws/cloudformation-validate
// engine, regorus-based, WASM). They no longer run there because the CDK
// honours CDK_VALIDATION=false (cdk synth --no-validation) only for its own
// auto-registered plugin: a project that registers a
// CloudFormationValidatePlugin for its rules replaces that default, so the
// CDK's ~3 s of built-in validation could not be switched off without
// losing the rules, and the registered plugin ignores the switch. With
// Plugin the project registers no CloudFormationValidatePlugin at all: the
// CDK's default validation is exactly the CDK's default (auto-registered,
// skipped by CDK_VALIDATION=false), and the project's rules run whatever
// the switch says. Plugin is not the CDK's plugin, so a finding of severity
// ERROR fails synthesis whatever "@aws-cdk/core:validateAgainstDefaultRules"
// says (that flag only downgrades the CDK plugin's findings).
//
// The Go evaluator (evaluate.go) reproduces the engine: its input model of
// the template (model.go, intrinsics.go), its builtins (builtins.go), its
// sprintf (sprintf.go, format.go) and its validation, ordering and
// deduplication of diagnostics (diagnostics.go); what it cannot reproduce it
// refuses (rewrite.go, model.go), so that nothing is silently dropped.
// policy/engine_test.go runs the engine itself (extracted from the
// aws-cdk-lib tarball, with node) next to the evaluator on every template
// variant and requires the same diagnostics.
//
// All eight rules are Rego, none needed an Aspect: the engine gives a rule the
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
