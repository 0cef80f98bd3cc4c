package stacks_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/stacks"
)

// Both buckets follow the environment's removal policy: retain keeps them
// (and their objects), destroy empties and deletes them with the stack.
func TestDeletionSafety(t *testing.T) {
	ctx, targets := exampleTargets(t)
	for _, target := range targets {
		t.Run(target.Env.Name, func(t *testing.T) {
			_, tmpl, _ := synthExample(t, ctx, target)
			want := map[config.RemovalPolicy]string{config.Retain: "Retain", config.Destroy: "Delete"}[target.Env.RemovalPolicy]
			buckets := resourcesOfType(*tmpl.ToJSON(), "AWS::S3::Bucket")
			if len(buckets) != 2 {
				t.Fatalf("%d buckets, want content + access logs", len(buckets))
			}
			for id, b := range buckets {
				if b["DeletionPolicy"] != want || b["UpdateReplacePolicy"] != want {
					t.Errorf("%s: DeletionPolicy %v / UpdateReplacePolicy %v, want %s", id, b["DeletionPolicy"], b["UpdateReplacePolicy"], want)
				}
			}
			autoDelete := len(resourcesOfType(*tmpl.ToJSON(), "Custom::S3AutoDeleteObjects"))
			if wantAuto := map[string]int{"Retain": 0, "Delete": 2}[want]; autoDelete != wantAuto {
				t.Errorf("%d auto-delete resources, want %d", autoDelete, wantAuto)
			}
			// The upload's prune runs inside its destination prefix only;
			// retain environments also keep the files when the stack goes.
			assert(t, "upload scope", func() {
				tmpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), map[string]interface{}{
					"DestinationBucketKeyPrefix": ".well-known/",
					"DestinationBucketName":      map[string]interface{}{"Ref": contentBucketID(t, tmpl)},
					"Prune":                      true,
					"RetainOnDelete":             target.Env.RemovalPolicy == config.Retain,
				})
			})
		})
	}
}

func contentBucketID(t *testing.T, tmpl assertions.Template) string {
	t.Helper()
	for id, b := range resourcesOfType(*tmpl.ToJSON(), "AWS::S3::Bucket") {
		if props, ok := b["Properties"].(map[string]interface{}); ok && props["BucketName"] != nil {
			return id
		}
	}
	t.Fatal("no content bucket")
	return ""
}

func TestAccessLogBucket(t *testing.T) {
	ctx, targets := exampleTargets(t)
	target := targets[0]
	_, tmpl, _ := synthExample(t, ctx, target)
	content := contentBucketID(t, tmpl)
	var logID string
	for id := range resourcesOfType(*tmpl.ToJSON(), "AWS::S3::Bucket") {
		if id != content {
			logID = id
		}
	}
	assert(t, "content bucket logs to the log bucket", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
			"BucketName": target.Env.BucketName,
			"LoggingConfiguration": map[string]interface{}{
				"DestinationBucketName": map[string]interface{}{"Ref": logID},
				"LogFilePrefix":         target.Env.BucketName + "/",
			},
		})
	})
	assert(t, "log bucket is private, encrypted and expires logs", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
			"BucketName": assertions.Match_Absent(),
			"PublicAccessBlockConfiguration": assertions.Match_ObjectEquals(&map[string]interface{}{
				"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true,
			}),
			"OwnershipControls": map[string]interface{}{
				"Rules": []interface{}{map[string]interface{}{"ObjectOwnership": "BucketOwnerEnforced"}},
			},
			"BucketEncryption": map[string]interface{}{
				"ServerSideEncryptionConfiguration": []interface{}{map[string]interface{}{
					"ServerSideEncryptionByDefault": map[string]interface{}{"SSEAlgorithm": "AES256"},
				}},
			},
			"LifecycleConfiguration": map[string]interface{}{
				"Rules": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"ExpirationInDays": stacks.AccessLogRetentionDays, "Status": "Enabled",
				})}),
			},
			"WebsiteConfiguration": assertions.Match_Absent(),
			"CorsConfiguration":    assertions.Match_Absent(),
			"AccessControl":        assertions.Match_Absent(),
			"LoggingConfiguration": assertions.Match_Absent(),
		})
	})
	assert(t, "log bucket enforces TLS", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]interface{}{
			"Bucket": map[string]interface{}{"Ref": logID},
			"PolicyDocument": map[string]interface{}{
				"Statement": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"Effect":    "Deny",
					"Condition": map[string]interface{}{"Bool": map[string]interface{}{"aws:SecureTransport": "false"}},
				})}),
			},
		})
	})
	// Nothing about the log bucket is public.
	for id, policy := range resourcesOfType(*tmpl.ToJSON(), "AWS::S3::BucketPolicy") {
		props := policy["Properties"].(map[string]interface{})
		if ref, _ := props["Bucket"].(map[string]interface{}); ref["Ref"] != logID {
			continue
		}
		for _, s := range asList(props["PolicyDocument"].(map[string]interface{})["Statement"]) {
			st := s.(map[string]interface{})
			if st["Effect"] == "Allow" && isPublic(st["Principal"]) {
				t.Errorf("%s: log bucket has a public Allow statement: %v", id, st)
			}
		}
	}
}

func TestAccessLogsOff(t *testing.T) {
	ctx, targets := exampleTargets(t)
	target := targets[0]
	target.Env.AccessLogs = false
	_, tmpl, outdir := synthTarget(t, ctx, target)
	assert(t, "one bucket, no logging", func() {
		tmpl.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(1))
		tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
			"LoggingConfiguration": assertions.Match_Absent(),
		})
	})
	// The missing log bucket is an acknowledged exception, not a finding.
	if got := nagSuppressed(t, outdir, target); !slices.Contains(got, "AwsSolutions-S1") {
		t.Errorf("AwsSolutions-S1 is not suppressed with logs off: %v", got)
	}
}

// cdk-nag's AwsSolutions pack runs in every synthesis: no finding may be
// left unsuppressed, and only the documented exceptions may be suppressed.
func TestNagReportHasOnlyDocumentedExceptions(t *testing.T) {
	ctx, targets := exampleTargets(t)
	for _, target := range targets {
		t.Run(target.Env.Name, func(t *testing.T) {
			_, _, outdir := synthExample(t, ctx, target)
			got := nagSuppressed(t, outdir, target)
			want := []string{"AwsSolutions-IAM4", "AwsSolutions-IAM5", "AwsSolutions-L1", "AwsSolutions-S2"}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("suppressed rules = %v, want %v", got, want)
			}
		})
	}
}

// nagSuppressed reads the cdk-nag report, fails on any non-compliant row
// and returns the sorted IDs of suppressed rules.
func nagSuppressed(t *testing.T, outdir string, target preflight.Target) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(outdir, "AwsSolutions--"+target.Env.StackName()+"-NagReport.csv"))
	if err != nil {
		t.Fatalf("cdk-nag report missing: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		rule, resource, compliance := row[0], row[1], row[2]
		switch compliance {
		case "Non-Compliant", "UNKNOWN":
			t.Errorf("unsuppressed cdk-nag finding %s on %s", rule, resource)
		case "Suppressed":
			seen[rule] = true
		}
	}
	var out []string
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
