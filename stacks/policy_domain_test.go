package stacks_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
)

// Broken domain stacks for the CloudFront rules (WK-007, WK-008). The
// environment is in us-east-1, so its certificate is in the same stack.

func cfnDistribution(t *testing.T, stack awscdk.Stack) awscloudfront.CfnDistribution {
	t.Helper()
	d, ok := hosting(stack).FindChild(jsii.String("Distribution")).(awscloudfront.CfnDistribution)
	if !ok {
		t.Fatal("CfnDistribution not found")
	}
	return d
}

func cloudFrontGrant(resource string, conditions *map[string]interface{}) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Effect:     awsiam.Effect_ALLOW,
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudfront.amazonaws.com"), nil)},
		Actions:    jsii.Strings("s3:GetObject"),
		Resources:  jsii.Strings(resource),
		Conditions: conditions,
	})
}

func TestPolicyDomainEnvironmentsPass(t *testing.T) {
	ctx, _ := exampleTargets(t)
	for name, target := range map[string]struct {
		domain  config.Domain
		removal config.RemovalPolicy
	}{
		"private, destroy": {zone, config.Destroy},
		"keep S3 public":   {config.Domain{CertificateARN: testCertARN, KeepS3Public: true}, config.Retain},
	} {
		t.Run(name, func(t *testing.T) {
			assertPasses(t, synthPolicy(t, ctx, domainTarget(t, "us-east-1", target.domain, target.removal), nil))
		})
	}
}

func TestPolicyWK007CloudFrontGrantTooBroad(t *testing.T) {
	ctx, _ := exampleTargets(t)
	res := synthPolicy(t, ctx, domainTarget(t, "us-east-1", zone, config.Retain), func(stack awscdk.Stack) {
		contentBucket(t, stack).AddToResourcePolicy(cloudFrontGrant("arn:aws:s3:::acme-links-web/*", &map[string]interface{}{
			"StringEquals": map[string]interface{}{"AWS:SourceArn": "arn:aws:cloudfront::444444444444:distribution/" + *cfnDistribution(t, stack).Ref()},
		}))
	})
	assertFails(t, res, "WK-007", ".Resource")
}

func TestPolicyWK007CloudFrontGrantForAnyDistribution(t *testing.T) {
	ctx, _ := exampleTargets(t)
	res := synthPolicy(t, ctx, domainTarget(t, "us-east-1", zone, config.Retain), func(stack awscdk.Stack) {
		contentBucket(t, stack).AddToResourcePolicy(cloudFrontGrant("arn:aws:s3:::acme-links-web/.well-known/*", nil))
	})
	assertFails(t, res, "WK-007", ".Condition")
}

func TestPolicyWK007ForeignGrant(t *testing.T) {
	ctx, _ := exampleTargets(t)
	res := synthPolicy(t, ctx, domainTarget(t, "us-east-1", zone, config.Retain), func(stack awscdk.Stack) {
		contentBucket(t, stack).AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Effect:     awsiam.Effect_ALLOW,
			Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("999999999999"))},
			Actions:    jsii.Strings("s3:GetObject"),
			Resources:  jsii.Strings("arn:aws:s3:::acme-links-web/.well-known/*"),
		}))
	})
	assertFails(t, res, "WK-007", ".Principal")
}

func TestPolicyWK008RedirectToHTTPS(t *testing.T) {
	ctx, _ := exampleTargets(t)
	res := synthPolicy(t, ctx, domainTarget(t, "us-east-1", zone, config.Retain), func(stack awscdk.Stack) {
		cfnDistribution(t, stack).AddPropertyOverride(jsii.String("DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy"), "redirect-to-https")
	})
	assertFails(t, res, "WK-008", "DefaultCacheBehavior.ViewerProtocolPolicy")
}

func TestPolicyWK008MethodsAndTLS(t *testing.T) {
	ctx, _ := exampleTargets(t)
	res := synthPolicy(t, ctx, domainTarget(t, "us-east-1", zone, config.Retain), func(stack awscdk.Stack) {
		d := cfnDistribution(t, stack)
		d.AddPropertyOverride(jsii.String("DistributionConfig.DefaultCacheBehavior.AllowedMethods"), []string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"})
		d.AddPropertyOverride(jsii.String("DistributionConfig.ViewerCertificate.MinimumProtocolVersion"), "TLSv1")
	})
	assertFails(t, res, "WK-008", "DefaultCacheBehavior.AllowedMethods", "ViewerCertificate")
}
