package stacks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/cdkapp"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
)

const testCertARN = "arn:aws:acm:us-east-1:444444444444:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"

// domainTarget is an example environment's files served on links.acme.com.
func domainTarget(t *testing.T, region string, d config.Domain, removal config.RemovalPolicy) preflight.Target {
	t.Helper()
	_, targets := exampleTargets(t)
	target := targets[0]
	d.Name = "links.acme.com"
	if d.PriceClass == "" {
		d.PriceClass = "100"
	}
	target.Env = config.Environment{Name: "web", Account: "444444444444", Region: region, BucketName: "acme-links-web",
		RemovalPolicy: removal, AccessLogs: true, Domain: &d}
	return target
}

// synthDomain synthesizes the target as the app does (AddStacks, with the
// certificate stack when one is needed) and returns the assembly.
func synthDomain(t *testing.T, target preflight.Target) (string, []string) {
	t.Helper()
	ctx, _ := exampleTargets(t)
	outdir := t.TempDir()
	var certStacks []string
	err := synthTo(t, ctx, outdir, func(app awscdk.App) (err error) {
		certStacks, err = cdkapp.AddStacks(app, []preflight.Target{target})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return outdir, certStacks
}

var zone = config.Domain{HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com"}

// Every domain mode: the distribution is HTTPS-only behind OAC, the bucket
// grants CloudFront .well-known/* only, and the outputs name the domain.
func TestDomainModes(t *testing.T) {
	for name, tc := range map[string]struct {
		region     string
		domain     config.Domain
		certStack  bool // a WellKnownCert-web stack in us-east-1
		records    bool // Route 53 alias records
		public     bool // the S3 host keeps serving
		logging    bool // CloudFront standard logging v2 in the stack
		certInside bool // the certificate is created in the environment's stack
	}{
		"created certificate, outside us-east-1": {region: "eu-west-1", domain: zone, certStack: true, records: true},
		"created certificate, in us-east-1":      {region: "us-east-1", domain: zone, records: true, logging: true, certInside: true},
		"given certificate, no zone":             {region: "eu-west-1", domain: config.Domain{CertificateARN: testCertARN}},
		"given certificate, zone, keep S3":       {region: "eu-central-1", domain: config.Domain{CertificateARN: testCertARN, HostedZoneID: zone.HostedZoneID, HostedZoneName: zone.HostedZoneName, KeepS3Public: true}, records: true, public: true},
		"given certificate in us-east-1":         {region: "us-east-1", domain: config.Domain{CertificateARN: testCertARN}, logging: true},
	} {
		t.Run(name, func(t *testing.T) {
			target := domainTarget(t, tc.region, tc.domain, config.Retain)
			outdir, certStacks := synthDomain(t, target)
			tmpl := templateIn(t, outdir, "WellKnown-web")
			checkDistribution(t, tmpl, tc.public)
			res := *tmpl.ToJSON()
			if n := len(resourcesOfType(res, "AWS::Route53::RecordSet")); (n == 2) != tc.records || (n != 0 && n != 2) {
				t.Errorf("%d alias records, want %v", n, tc.records)
			}
			if n := len(resourcesOfType(res, "AWS::Logs::Delivery")); (n == 1) != tc.logging {
				t.Errorf("%d log deliveries, want %v", n, tc.logging)
			}
			if tc.logging {
				checkLogDeliveryPolicy(t, tmpl)
			}
			if n := len(resourcesOfType(res, "AWS::CertificateManager::Certificate")); (n == 1) != tc.certInside {
				t.Errorf("%d certificates in the stack, want %v", n, tc.certInside)
			}
			certRef, _ := json.Marshal(res["Resources"].(map[string]interface{})["Distribution"].(map[string]interface{})["Properties"].(map[string]interface{})["DistributionConfig"].(map[string]interface{})["ViewerCertificate"].(map[string]interface{})["AcmCertificateArn"])
			switch {
			case tc.certStack:
				if len(certStacks) != 1 || certStacks[0] != "WellKnownCert-web" {
					t.Fatalf("certificate stacks %v", certStacks)
				}
				// A weak reference: read from the other region's stack at
				// deploy time, no custom resource, no Fn::ImportValue.
				if !strings.Contains(string(certRef), `"Fn::GetStackOutput":{"OutputName":`) || !strings.Contains(string(certRef), `"Region":"us-east-1","StackName":"WellKnownCert-web"`) {
					t.Errorf("certificate reference %s", certRef)
				}
				cert := templateIn(t, outdir, "WellKnownCert-web")
				assert(t, "DNS-validated certificate", func() {
					cert.HasResourceProperties(jsii.String("AWS::CertificateManager::Certificate"), map[string]interface{}{
						"DomainName": "links.acme.com", "ValidationMethod": "DNS",
						"DomainValidationOptions": []interface{}{map[string]interface{}{"DomainName": "links.acme.com", "HostedZoneId": zone.HostedZoneID}},
					})
				})
				raw, _ := json.Marshal(cert.ToJSON())
				if strings.Contains(string(raw), "Custom::") || strings.Contains(string(raw), "AWS::Lambda::Function") {
					t.Error("the certificate stack has a custom resource")
				}
			case tc.domain.CertificateARN != "":
				if string(certRef) != `"`+testCertARN+`"` {
					t.Errorf("certificate %s, want the configured ARN", certRef)
				}
			}
			raw, _ := json.Marshal(tmpl.ToJSON())
			if strings.Contains(string(raw), "Fn::ImportValue") || strings.Contains(string(raw), "Custom::CrossRegion") {
				t.Error("cross-stack reference through an export or a custom resource")
			}
			checkDomainOutputs(t, tmpl, tc.public)
		})
	}
}

// checkDistribution: the guarantees of the S3 mode, kept behind CloudFront.
func checkDistribution(t *testing.T, tmpl assertions.Template, public bool) {
	t.Helper()
	assert(t, "distribution", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]interface{}{
			"DistributionConfig": assertions.Match_ObjectLike(&map[string]interface{}{
				"Aliases": []interface{}{"links.acme.com"},
				"DefaultCacheBehavior": assertions.Match_ObjectLike(&map[string]interface{}{
					"ViewerProtocolPolicy": "https-only",
					"AllowedMethods":       []interface{}{"GET", "HEAD"},
					"CachedMethods":        []interface{}{"GET", "HEAD"},
					// Managed-CachingOptimized: honours the objects'
					// max-age; no query string in the cache key.
					"CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
				}),
				"ViewerCertificate": assertions.Match_ObjectLike(&map[string]interface{}{
					"MinimumProtocolVersion": "TLSv1.2_2021", "SslSupportMethod": "sni-only",
				}),
				"HttpVersion":       "http2and3",
				"IPV6Enabled":       true,
				"PriceClass":        "PriceClass_100",
				"DefaultRootObject": assertions.Match_Absent(),
				"Logging":           assertions.Match_Absent(),
				"Origins": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"OriginAccessControlId": map[string]interface{}{"Fn::GetAtt": []interface{}{assertions.Match_AnyValue(), "Id"}},
					"S3OriginConfig":        map[string]interface{}{"OriginAccessIdentity": ""},
				})},
			}),
		})
	})
	assert(t, "origin access control", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::CloudFront::OriginAccessControl"), map[string]interface{}{
			"OriginAccessControlConfig": assertions.Match_ObjectLike(&map[string]interface{}{"OriginAccessControlOriginType": "s3", "SigningBehavior": "always", "SigningProtocol": "sigv4"}),
		})
	})
	bpa := map[string]interface{}{"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}
	if public {
		bpa["BlockPublicPolicy"], bpa["RestrictPublicBuckets"] = false, false
	}
	assert(t, "content bucket public access", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
			"BucketName": "acme-links-web", "PublicAccessBlockConfiguration": assertions.Match_ObjectEquals(&bpa),
		})
	})
	// The content bucket grants CloudFront .well-known/* for this
	// distribution only, and the public only when S3 stays public.
	var grants []string
	for _, policy := range resourcesOfType(*tmpl.ToJSON(), "AWS::S3::BucketPolicy") {
		doc := policy["Properties"].(map[string]interface{})["PolicyDocument"].(map[string]interface{})
		for _, s := range asList(doc["Statement"]) {
			st := s.(map[string]interface{})
			if st["Effect"] != "Allow" {
				continue
			}
			p, _ := json.Marshal(st["Principal"])
			grants = append(grants, string(p))
			if strings.Contains(string(p), "cloudfront.amazonaws.com") {
				if st["Action"] != "s3:GetObject" || st["Resource"] != "arn:aws:s3:::acme-links-web/.well-known/*" {
					t.Errorf("CloudFront grant %v", st)
				}
				cond, _ := json.Marshal(st["Condition"])
				if !strings.Contains(string(cond), `{"StringEquals":{"AWS:SourceArn":{"Fn::Join":["",["arn:aws:cloudfront::444444444444:distribution/",{"Ref":"Distribution"}]]}}}`) {
					t.Errorf("CloudFront grant not limited to this distribution: %s", cond)
				}
			}
		}
	}
	joined := strings.Join(grants, " ")
	if !strings.Contains(joined, "cloudfront.amazonaws.com") {
		t.Error("no CloudFront grant")
	}
	if strings.Contains(joined, `{"AWS":"*"}`) != public {
		t.Errorf("public grant present = %v, want %v (%s)", !public, public, joined)
	}
	// The upload invalidates the cached files.
	assert(t, "invalidation on upload", func() {
		tmpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), map[string]interface{}{
			"DistributionId": map[string]interface{}{"Ref": "Distribution"}, "DistributionPaths": []interface{}{"/.well-known/*"},
		})
	})
}

func checkDomainOutputs(t *testing.T, tmpl assertions.Template, public bool) {
	t.Helper()
	for id, value := range map[string]interface{}{
		"RedirectURL":                "https://links.acme.com/",
		"AssetLinksURL":              "https://links.acme.com/.well-known/assetlinks.json",
		"AppleAppSiteAssociationURL": "https://links.acme.com/.well-known/apple-app-site-association",
		"DistributionId":             map[string]interface{}{"Ref": "Distribution"},
		"DistributionDomainName":     map[string]interface{}{"Fn::GetAtt": []interface{}{"Distribution", "DomainName"}},
		"CertificateArn":             assertions.Match_AnyValue(),
	} {
		assert(t, "output "+id, func() { tmpl.HasOutput(jsii.String(id), map[string]interface{}{"Value": value}) })
	}
	if found := tmpl.FindOutputs(jsii.String("S3URL"), map[string]interface{}{}); (len(*found) == 1) != public {
		t.Errorf("S3URL output present = %v, want %v", len(*found) == 1, public)
	}
}

// Synthesis needs no lookup: the manifest asks for no context, so no
// credentials are needed and cdk.context.json stays untouched.
func TestDomainNeedsNoLookups(t *testing.T) {
	outdir, _ := synthDomain(t, domainTarget(t, "eu-west-1", zone, config.Retain))
	raw, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest map[string]interface{}
	json.Unmarshal(raw, &manifest)
	if missing, ok := manifest["missing"]; ok {
		t.Errorf("the manifest lists missing context %v", missing)
	}
}

// A destroyed domain environment leaves nothing: the distribution, the
// records and the log delivery go with the stack.
func TestDomainDestroyLeavesNothing(t *testing.T) {
	outdir, _ := synthDomain(t, domainTarget(t, "us-east-1", zone, config.Destroy))
	res := *templateIn(t, outdir, "WellKnown-web").ToJSON()
	for id, r := range res["Resources"].(map[string]interface{}) {
		if dp := r.(map[string]interface{})["DeletionPolicy"]; dp == "Retain" {
			t.Errorf("%s is retained", id)
		}
	}
	checkLogGroupsBeforeHandlers(t, res, true)
}

// checkLogDeliveryPolicy: the log bucket's policy holds both statements
// CloudWatch Logs needs for a delivery to S3, each for this account's
// delivery source only, so it has nothing to add to the policy itself.
func checkLogDeliveryPolicy(t *testing.T, tmpl assertions.Template) {
	t.Helper()
	source := assertions.Match_ObjectLike(&map[string]interface{}{
		"StringEquals": assertions.Match_ObjectLike(&map[string]interface{}{"aws:SourceAccount": "444444444444"}),
		"ArnLike": map[string]interface{}{"aws:SourceArn": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
			"arn:aws:logs:us-east-1:444444444444:delivery-source:", map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AccessLogSource"))}}}}},
	})
	principal := map[string]interface{}{"Service": "delivery.logs.amazonaws.com"}
	assert(t, "log delivery statements", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]interface{}{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{
				"Statement": assertions.Match_ArrayWith(&[]interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{"Sid": "CloudFrontLogDelivery", "Principal": principal, "Action": "s3:PutObject", "Condition": source}),
					assertions.Match_ObjectLike(&map[string]interface{}{"Sid": "CloudFrontLogDeliveryAclCheck", "Principal": principal,
						"Action": []interface{}{"s3:GetBucketAcl", "s3:ListBucket"}, "Condition": source}),
				}),
			}),
		})
	})
}
