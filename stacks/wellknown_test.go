package stacks_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/linkfile"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/stacks"
)

func TestExampleEnvironments(t *testing.T) {
	ctx, targets := exampleTargets(t)
	if len(targets) < 3 {
		t.Fatalf("example config has %d environments, want at least 3", len(targets))
	}
	for _, target := range targets {
		t.Run(target.Env.Name, func(t *testing.T) {
			stack, tmpl, outdir := synthExample(t, ctx, target)
			env := target.Env
			checkBucket(t, tmpl, env)
			checkBucketPolicy(t, tmpl, env)
			checkUpload(t, tmpl, outdir, target)
			checkOutputs(t, tmpl, target)
			if got := *stack.TerminationProtection(); got != env.TerminationProtection {
				t.Errorf("termination protection = %v, want %v", got, env.TerminationProtection)
			}
			if *stack.Account() != env.Account || *stack.Region() != env.Region {
				t.Errorf("stack env = %s/%s, want %s/%s", *stack.Account(), *stack.Region(), env.Account, env.Region)
			}
		})
	}
}

func checkBucket(t *testing.T, tmpl assertions.Template, env config.Environment) {
	t.Helper()
	assert(t, "content bucket properties", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
			"BucketName": env.BucketName,
			"OwnershipControls": map[string]interface{}{
				"Rules": []interface{}{map[string]interface{}{"ObjectOwnership": "BucketOwnerEnforced"}},
			},
			"PublicAccessBlockConfiguration": assertions.Match_ObjectEquals(&map[string]interface{}{
				"BlockPublicAcls": true, "IgnorePublicAcls": true,
				"BlockPublicPolicy": false, "RestrictPublicBuckets": false,
			}),
			"BucketEncryption": map[string]interface{}{
				"ServerSideEncryptionConfiguration": []interface{}{map[string]interface{}{
					"ServerSideEncryptionByDefault": map[string]interface{}{"SSEAlgorithm": "AES256"},
				}},
			},
			"VersioningConfiguration": map[string]interface{}{"Status": "Enabled"},
			"LifecycleConfiguration": map[string]interface{}{
				"Rules": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"Status":                         "Enabled",
					"NoncurrentVersionExpiration":    map[string]interface{}{"NoncurrentDays": stacks.NoncurrentVersionDays},
					"AbortIncompleteMultipartUpload": map[string]interface{}{"DaysAfterInitiation": 1},
				})}),
			},
			"WebsiteConfiguration": assertions.Match_Absent(),
			"CorsConfiguration":    assertions.Match_Absent(),
			"AccessControl":        assertions.Match_Absent(),
		})
	})
	wantPolicy := "Retain"
	if env.RemovalPolicy == config.Destroy {
		wantPolicy = "Delete"
	}
	assert(t, "content bucket deletion policy", func() {
		tmpl.HasResource(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
			"Properties":     map[string]interface{}{"BucketName": env.BucketName},
			"DeletionPolicy": wantPolicy, "UpdateReplacePolicy": wantPolicy,
		})
	})
	// One auto-delete resource per bucket, content and access logs.
	autoDelete := 0.0
	if env.RemovalPolicy == config.Destroy {
		autoDelete = 1
		if env.AccessLogs {
			autoDelete = 2
		}
	}
	assert(t, "auto-delete only for destroy environments", func() {
		tmpl.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(autoDelete))
	})
}

func checkBucketPolicy(t *testing.T, tmpl assertions.Template, env config.Environment) {
	t.Helper()
	arn := env.BucketARN()
	assert(t, "TLS-only statements", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]interface{}{
			"PolicyDocument": map[string]interface{}{
				"Statement": assertions.Match_ArrayWith(&[]interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Effect": "Deny", "Action": "s3:*", "Principal": map[string]interface{}{"AWS": "*"},
						"Condition": map[string]interface{}{"Bool": map[string]interface{}{"aws:SecureTransport": "false"}},
					}),
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Effect": "Deny", "Action": "s3:*", "Principal": map[string]interface{}{"AWS": "*"},
						"Condition": map[string]interface{}{"NumericLessThan": map[string]interface{}{"s3:TlsVersion": 1.2}},
					}),
				}),
			},
		})
	})
	assert(t, "writes outside .well-known/ denied", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]interface{}{
			"PolicyDocument": map[string]interface{}{
				"Statement": assertions.Match_ArrayWith(&[]interface{}{map[string]interface{}{
					"Sid": "DenyWritesOutsideWellKnown", "Effect": "Deny", "Principal": map[string]interface{}{"AWS": "*"},
					"Action":      []interface{}{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"},
					"NotResource": arn + "/.well-known/*",
				}}),
			},
		})
	})
	// Every Allow with a public principal, wherever it comes from, must be
	// exactly s3:GetObject on the .well-known/ prefix.
	public := 0
	for id, policy := range resourcesOfType(*tmpl.ToJSON(), "AWS::S3::BucketPolicy") {
		doc := policy["Properties"].(map[string]interface{})["PolicyDocument"].(map[string]interface{})
		for _, s := range asList(doc["Statement"]) {
			st := s.(map[string]interface{})
			if st["Effect"] != "Allow" || !isPublic(st["Principal"]) {
				continue
			}
			public++
			actions, resources := asList(st["Action"]), asList(st["Resource"])
			if len(actions) != 1 || actions[0] != "s3:GetObject" {
				t.Errorf("%s: public statement allows %v, want only s3:GetObject", id, actions)
			}
			if len(resources) != 1 || resources[0] != arn+"/.well-known/*" {
				t.Errorf("%s: public statement covers %v, want only %s/.well-known/*", id, resources, arn)
			}
			if st["Condition"] != nil {
				t.Errorf("%s: public statement has an unexpected condition %v", id, st["Condition"])
			}
		}
	}
	if public != 1 {
		t.Errorf("found %d public Allow statements, want exactly 1", public)
	}
}

func isPublic(principal interface{}) bool {
	switch p := principal.(type) {
	case string:
		return p == "*"
	case map[string]interface{}:
		for _, v := range asList(p["AWS"]) {
			if v == "*" {
				return true
			}
		}
	}
	return false
}

func checkUpload(t *testing.T, tmpl assertions.Template, outdir string, target preflight.Target) {
	t.Helper()
	assert(t, "upload properties", func() {
		tmpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), map[string]interface{}{
			"DestinationBucketKeyPrefix": ".well-known/",
			"Prune":                      true,
			"SystemMetadata": assertions.Match_ObjectEquals(&map[string]interface{}{
				"content-type":  "application/json",
				"cache-control": "max-age=300",
			}),
			"SourceObjectKeys": assertions.Match_AnyValue(),
		})
	})
	deployments := resourcesOfType(*tmpl.ToJSON(), "Custom::CDKBucketDeployment")
	if len(deployments) != 1 {
		t.Fatalf("found %d bucket deployments, want 1", len(deployments))
	}
	// The staged assets are what CloudFormation uploads: they must be the
	// validated files, byte for byte, and nothing else.
	staged := map[string][]byte{}
	for _, d := range deployments {
		keys := asList(d["Properties"].(map[string]interface{})["SourceObjectKeys"])
		for _, k := range keys {
			dir := filepath.Join(outdir, "asset."+strings.TrimSuffix(k.(string), ".zip"))
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatalf("staged asset for %s: %v", k, err)
			}
			for _, e := range entries {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				staged[e.Name()] = data
			}
		}
	}
	if len(staged) != len(target.Files) {
		t.Errorf("staged %d files, want %d (%v)", len(staged), len(target.Files), target.FileNames())
	}
	for _, f := range target.Files {
		if !bytes.Equal(staged[f.Name], f.Data) {
			t.Errorf("staged %s differs from %s", f.Name, f.Path)
		}
	}
}

func checkOutputs(t *testing.T, tmpl assertions.Template, target preflight.Target) {
	t.Helper()
	env := target.Env
	want := map[string]string{"RedirectURL": env.RedirectURL()}
	for _, f := range target.Files {
		want[stacks.OutputNames[f.Name]] = linkfile.URL(env.RedirectURL(), f.Name)
	}
	for id, value := range want {
		assert(t, "output "+id, func() {
			tmpl.HasOutput(jsii.String(id), map[string]interface{}{
				"Value":  value,
				"Export": map[string]interface{}{"Name": env.StackName() + "-" + id},
			})
		})
	}
	assert(t, "output BucketName", func() {
		tmpl.HasOutput(jsii.String("BucketName"), map[string]interface{}{
			"Value":  map[string]interface{}{"Ref": assertions.Match_AnyValue()},
			"Export": map[string]interface{}{"Name": env.StackName() + "-BucketName"},
		})
	})
	outputs := (*tmpl.ToJSON())["Outputs"].(map[string]interface{})
	if len(outputs) != len(want)+1 {
		names := []string{}
		for k := range outputs {
			names = append(names, k)
		}
		t.Errorf("outputs = %v, want %d", names, len(want)+1)
	}
	if !strings.HasPrefix(env.RedirectURL(), "https://"+env.BucketName+".s3."+env.Region+".") || !strings.HasSuffix(env.RedirectURL(), "/") {
		t.Errorf("redirect URL %q is not the regional virtual-hosted form", env.RedirectURL())
	}
}

// A file missing from assets/ gets no output and is not staged; the China
// partition changes the host suffix and the ARN.
func TestSingleFileChinaEnvironment(t *testing.T) {
	ctx, _ := exampleTargets(t)
	aasa, err := os.ReadFile(filepath.Join(projectDir, "assets/dev/.well-known", linkfile.AppleAppSiteAssociation))
	if err != nil {
		t.Fatal(err)
	}
	target := preflight.Target{
		Env: config.Environment{Name: "china", Account: "444444444444", Region: "cn-north-1",
			BucketName: "acme-links-cn", RemovalPolicy: config.Retain, AccessLogs: true},
		Files: []linkfile.File{{Name: linkfile.AppleAppSiteAssociation, Data: aasa}},
	}
	_, tmpl, _ := synthTarget(t, ctx, target)
	assert(t, "China redirect URL", func() {
		tmpl.HasOutput(jsii.String("RedirectURL"), map[string]interface{}{"Value": "https://acme-links-cn.s3.cn-north-1.amazonaws.com.cn/"})
	})
	if found := tmpl.FindOutputs(jsii.String("AssetLinksURL"), map[string]interface{}{}); len(*found) != 0 {
		t.Errorf("AssetLinksURL output exists although the environment has no assetlinks.json")
	}
	raw, _ := json.Marshal(tmpl.ToJSON())
	if !strings.Contains(string(raw), `"arn:aws-cn:s3:::acme-links-cn/.well-known/*"`) {
		t.Errorf("public statement does not use the aws-cn partition")
	}
	checkBucketPolicy(t, tmpl, target.Env)
}
