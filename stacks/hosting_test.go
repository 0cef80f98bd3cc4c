package stacks_test

// These tests use only the public API, as another team's CDK app would:
// no internal package of this repository is imported here.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/stacks"
)

const hostingAASA = `{"applinks": {"details": [{"appIDs": ["ABCDE12345.com.acme.shop"], "components": [{"/": "/*"}]}]}}`

func hostingStack(t *testing.T, region string) awscdk.Stack {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	var env *awscdk.Environment
	if region != "" {
		env = &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String(region)}
	}
	return awscdk.NewStack(app, jsii.String("TeamStack"), &awscdk.StackProps{Env: env})
}

func TestHostingInAStackOfItsOwn(t *testing.T) {
	stack := hostingStack(t, "eu-west-2")
	h, err := stacks.NewWellKnownHosting(stack, "Links", &stacks.WellKnownHostingProps{
		BucketName: "team-links-eu",
		Files:      map[string][]byte{"apple-app-site-association": []byte(hostingAASA)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.RedirectURL(); got != "https://team-links-eu.s3.eu-west-2.amazonaws.com/" {
		t.Errorf("RedirectURL = %s", got)
	}
	if got := h.FileURL("apple-app-site-association"); got != "https://team-links-eu.s3.eu-west-2.amazonaws.com/.well-known/apple-app-site-association" {
		t.Errorf("FileURL = %s", got)
	}
	if h.AccessLogBucket() == nil || h.Bucket() == nil || h.Upload() == nil {
		t.Error("accessors must expose the buckets and the upload")
	}
	tmpl := assertions.Template_FromStack(stack, nil)
	assert(t, "content bucket", func() {
		tmpl.HasResource(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
			"Properties":     map[string]interface{}{"BucketName": "team-links-eu", "VersioningConfiguration": map[string]interface{}{"Status": "Enabled"}},
			"DeletionPolicy": "Retain",
		})
	})
	assert(t, "public read of .well-known/* only", func() {
		tmpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]interface{}{
			"PolicyDocument": map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
				assertions.Match_ObjectLike(&map[string]interface{}{
					"Sid": "PublicReadWellKnown", "Action": "s3:GetObject",
					"Resource": "arn:aws:s3:::team-links-eu/.well-known/*",
				}),
			})},
		})
	})
	assert(t, "upload as application/json", func() {
		tmpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), map[string]interface{}{
			"DestinationBucketKeyPrefix": ".well-known/",
			"SystemMetadata":             map[string]interface{}{"content-type": stacks.ContentType, "cache-control": stacks.CacheControl},
		})
	})
	tmpl.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(2))
	// This app lacks @aws-cdk/aws-lambda:useCdkManagedLogGroup, so the
	// construct gives the upload handler its log group itself.
	checkLogGroupsBeforeHandlers(t, *tmpl.ToJSON(), false)
}

func TestHostingFromADirectoryWithoutLogs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".well-known")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "apple-app-site-association"), []byte(hostingAASA), 0o644)
	stack := hostingStack(t, "us-east-1")
	h, err := stacks.NewWellKnownHosting(stack, "Links", &stacks.WellKnownHostingProps{
		BucketName: "team-links-us", Dir: dir, DisableAccessLogs: true, RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	if err != nil {
		t.Fatal(err)
	}
	if h.AccessLogBucket() != nil || strings.Join(h.FileNames(), ",") != "apple-app-site-association" {
		t.Errorf("logs %v, files %v", h.AccessLogBucket(), h.FileNames())
	}
	tmpl := assertions.Template_FromStack(stack, nil)
	tmpl.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(1))
	tmpl.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(1))
	checkHandlers(t, *tmpl.ToJSON(), 2) // the upload and one bucket's auto-delete
}

// Invalid props are refused with every reason, before anything is created.
func TestHostingRefusesInvalidProps(t *testing.T) {
	for _, tc := range []struct {
		name, region string
		props        stacks.WellKnownHostingProps
		want         []string
	}{
		{"dotted bucket, bad file, unknown name", "eu-west-1", stacks.WellKnownHostingProps{
			BucketName: "links.acme.com",
			Files:      map[string][]byte{"assetlinks.json": []byte(`{}`), "README.md": []byte("x")},
		}, []string{"BucketName: \"links.acme.com\" contains a dot", "assetlinks.json: $: must be an array", "README.md: $: not a link file"}},
		{"no region", "", stacks.WellKnownHostingProps{BucketName: "team-links", Files: map[string][]byte{"apple-app-site-association": []byte(hostingAASA)}},
			[]string{"no explicit region"}},
		{"no files", "eu-west-1", stacks.WellKnownHostingProps{BucketName: "team-links"}, []string{"no link files"}},
		{"files and dir", "eu-west-1", stacks.WellKnownHostingProps{BucketName: "team-links", Dir: "x", Files: map[string][]byte{}}, []string{"not both"}},
		{"snapshot removal", "eu-west-1", stacks.WellKnownHostingProps{BucketName: "team-links", RemovalPolicy: awscdk.RemovalPolicy_SNAPSHOT,
			Files: map[string][]byte{"apple-app-site-association": []byte(hostingAASA)}}, []string{"RemovalPolicy"}},
		{"missing dir", "eu-west-1", stacks.WellKnownHostingProps{BucketName: "team-links", Dir: "/nonexistent/.well-known"}, []string{"directory does not exist"}},
		// What the CDK's own constructs would refuse half way (a panic,
		// with the buckets already made) is refused first.
		{"name too long for a created certificate", "us-east-1", stacks.WellKnownHostingProps{BucketName: "team-links", Files: map[string][]byte{"apple-app-site-association": []byte(hostingAASA)},
			Domain: &stacks.DomainProps{Name: strings.Repeat("a", 60) + ".acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com"}},
			[]string{"Domain.Name: ", "is 69 characters long; ACM issues certificates for names of at most 64"}},
		{"certificate of another account", "us-east-1", stacks.WellKnownHostingProps{BucketName: "team-links", Files: map[string][]byte{"apple-app-site-association": []byte(hostingAASA)},
			Domain: &stacks.DomainProps{Name: "links.acme.com", CertificateArn: "arn:aws:acm:us-east-1:999999999999:certificate/abc"}},
			[]string{"Domain.CertificateArn: the certificate belongs to account 999999999999; CloudFront uses only certificates of the distribution's account, 123456789012"}},
		{"IP address", "us-east-1", stacks.WellKnownHostingProps{BucketName: "team-links", Files: map[string][]byte{"apple-app-site-association": []byte(hostingAASA)},
			Domain: &stacks.DomainProps{Name: "192.0.2.10", CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc"}},
			[]string{"Domain.Name: \"192.0.2.10\" is an IP address"}},
		{"unknown price class", "us-east-1", stacks.WellKnownHostingProps{BucketName: "team-links", Files: map[string][]byte{"apple-app-site-association": []byte(hostingAASA)},
			Domain: &stacks.DomainProps{Name: "links.acme.com", CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", PriceClass: "PriceClass_50"}},
			[]string{`Domain.PriceClass: "PriceClass_50" is not a CloudFront price class`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := hostingStack(t, tc.region)
			h, err := stacks.NewWellKnownHosting(stack, "Links", &tc.props)
			if err == nil || h != nil {
				t.Fatalf("accepted: %v", h)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if n := len(*stack.Node().Children()); n != 0 {
				t.Errorf("%d constructs created despite the error", n)
			}
		})
	}
	if _, err := stacks.NewWellKnownHosting(hostingStack(t, "eu-west-1"), "Links", nil); err == nil {
		t.Error("nil props accepted")
	}
}

// The certificate stack refuses what ACM would: a name over 64 characters
// fails before any construct is made.
func TestCertStackRefusesInvalidProps(t *testing.T) {
	for name, tc := range map[string]struct {
		props stacks.WellKnownCertStackProps
		want  string
	}{
		"other region": {stacks.WellKnownCertStackProps{StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")}},
			DomainName: "links.acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com"}, "StackProps.Env.Region must be us-east-1"},
		"name too long": {stacks.WellKnownCertStackProps{StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")}},
			DomainName: strings.Repeat("a", 60) + ".acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com"}, "ACM issues certificates for names of at most 64"},
		"outside the zone": {stacks.WellKnownCertStackProps{StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")}},
			DomainName: "links.acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "other.com"}, `"links.acme.com" is not inside the hosted zone "other.com"`},
	} {
		t.Run(name, func(t *testing.T) {
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			_, _, err := stacks.NewWellKnownCertStack(app, "WellKnownCert-web", &tc.props)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if n := len(*app.Node().Children()); n != 0 {
				t.Errorf("%d constructs created despite the error", n)
			}
		})
	}
}

// CloudFront refuses a distribution comment over 128 characters, and a host
// may be up to 253: a long name still makes a template CloudFront accepts.
func TestHostingLongDomainName(t *testing.T) {
	name := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + ".links.acme.com"
	stack := hostingStack(t, "us-east-1")
	_, err := stacks.NewWellKnownHosting(stack, "Links", &stacks.WellKnownHostingProps{
		BucketName: "team-links", Files: map[string][]byte{"apple-app-site-association": []byte(hostingAASA)},
		Domain: &stacks.DomainProps{Name: name, CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc"},
	})
	if err != nil {
		t.Fatal(err)
	}
	res := *assertions.Template_FromStack(stack, nil).FindResources(jsii.String("AWS::CloudFront::Distribution"), nil)
	if len(res) != 1 {
		t.Fatalf("%d distributions", len(res))
	}
	for _, d := range res {
		cfg := (*d)["Properties"].(map[string]interface{})["DistributionConfig"].(map[string]interface{})
		comment, _ := cfg["Comment"].(string)
		if len(comment) > 128 || !strings.HasPrefix(comment, "wellknown: /.well-known of aaaa") {
			t.Errorf("comment of %d characters: %q", len(comment), comment)
		}
		if aliases := cfg["Aliases"].([]interface{}); len(aliases) != 1 || aliases[0] != name {
			t.Errorf("aliases %v", aliases)
		}
	}
}
