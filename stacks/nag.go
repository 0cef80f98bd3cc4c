package stacks

import (
	"errors"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Every cdk-nag suppression is listed here, narrow (one resource, and the
// exact findings where the rule reports them) and with its reason. The
// README's "Security exceptions" table mirrors this file.
func suppressNagFindings(h *WellKnownHosting) error {
	stack, bucket, accessLogs := awscdk.Stack_Of(h.Construct), h.bucket, h.logs != nil
	var content []*cdknag.NagPackSuppression
	if h.publicS3() {
		content = append(content, &cdknag.NagPackSuppression{
			Id:     jsii.String("AwsSolutions-S2"),
			Reason: jsii.String("Public read is the product: Apple and Google fetch /.well-known/* anonymously. The bucket policy grants only s3:GetObject on .well-known/*; ACLs stay disabled and BlockPublicAcls/IgnorePublicAcls stay on (Security Hub S3.2, S3.8)."),
		})
	}
	if !accessLogs {
		content = append(content, &cdknag.NagPackSuppression{
			Id:     jsii.String("AwsSolutions-S1"),
			Reason: jsii.String("Server access logging is switched off for this environment by \"accessLogs\": false in cdk.json (Security Hub S3.9)."),
		})
	}
	if len(content) > 0 {
		cdknag.NagSuppressions_AddResourceSuppressions(bucket, &content, jsii.Bool(false))
	}
	if h.cdn != nil {
		suppressCDNFindings(h)
	}

	// The upload is aws-s3-deployment's own singleton Lambda; its role and
	// runtime are chosen by the CDK, not by this project.
	handler, err := uploadHandler(stack)
	if err != nil {
		return err
	}
	cdknag.NagSuppressions_AddResourceSuppressions(handler, &[]*cdknag.NagPackSuppression{
		{
			Id:        jsii.String("AwsSolutions-IAM4"),
			Reason:    jsii.String("CDK's BucketDeployment handler uses the AWS managed AWSLambdaBasicExecutionRole for its CloudWatch Logs only."),
			AppliesTo: &[]interface{}{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
		},
		{
			Id:     jsii.String("AwsSolutions-IAM5"),
			Reason: jsii.String("CDK's BucketDeployment handler needs object-level wildcards to read its staged asset and to sync and prune the .well-known/ prefix of the content bucket."),
			AppliesTo: &[]interface{}{
				"Action::s3:GetBucket*", "Action::s3:GetObject*", "Action::s3:List*", "Action::s3:Abort*", "Action::s3:DeleteObject*",
				map[string]interface{}{"regex": "/^Resource::arn:(aws[a-z-]*|<AWS::Partition>):s3:::cdk-[a-z0-9]+-assets-[0-9]+-[a-z0-9-]+\\/\\*$/"},
				map[string]interface{}{"regex": "/^Resource::<Bucket[0-9A-F]+\\.Arn>\\/\\*$/"},
			},
		},
		{
			Id:     jsii.String("AwsSolutions-L1"),
			Reason: jsii.String("The BucketDeployment handler's runtime is pinned by aws-cdk-lib and moves with CDK upgrades."),
		},
	}, jsii.Bool(true))
	return nil
}

// uploadHandler finds the singleton Lambda that BucketDeployment adds at
// stack level. Its ID is a fixed UUID plus the memory size, so it is looked
// up by prefix rather than spelled out.
func uploadHandler(stack awscdk.Stack) (constructs.IConstruct, error) {
	for _, c := range *stack.Node().Children() {
		if strings.HasPrefix(*c.Node().Id(), "Custom::CDKBucketDeployment") {
			return c, nil
		}
	}
	return nil, errors.New("stacks: BucketDeployment handler not found; aws-cdk-lib changed its construct ID")
}

// The CI roles stack has one finding to suppress, on wellknown-cfn-exec,
// and only for the resources listed: AwsSolutions-IAM5 reports every
// resource with a wildcard, and each of these stands for names that cannot
// be known before CloudFormation creates them (its generated
// <stack>-<logical ID>-<random> names, the layer's versions, the CDK asset
// objects named by content hash), for IDs that CloudFront, ACM, Route 53
// and CloudWatch Logs generate (distributions, origin access controls,
// certificates, DNS changes, log deliveries; the certificate stacks' stack
// IDs), or for "*" on the actions IAM authorizes without a resource
// (logs:DescribeLogGroups and, with a custom domain, creating a
// distribution, an origin access control or a certificate, listing hosted
// zones and log deliveries). The CI roles themselves name exact ARNs.
func suppressCINagFindings(policy awsiam.ManagedPolicy, wildcardResources []string) {
	appliesTo := make([]interface{}, 0, len(wildcardResources))
	for _, r := range wildcardResources {
		appliesTo = append(appliesTo, "Resource::"+r)
	}
	if len(appliesTo) == 0 {
		return
	}
	cdknag.NagSuppressions_AddResourceSuppressions(policy, &[]*cdknag.NagPackSuppression{{
		Id:        jsii.String("AwsSolutions-IAM5"),
		Reason:    jsii.String("wellknown-cfn-exec scopes CloudFormation to the WellKnown stacks' resources; the wildcards stand for names CloudFormation generates (<stack>-<logical ID>-<random>), layer versions, content-addressed CDK assets, IDs that CloudFront, ACM, Route 53 and CloudWatch Logs generate (distributions, origin access controls, certificates, changes, log deliveries) and the certificate stacks' IDs, and \"*\" holds only actions IAM authorizes without a resource (logs:DescribeLogGroups; with a custom domain cloudfront:CreateDistribution, cloudfront:CreateOriginAccessControl, acm:RequestCertificate, route53:ListHostedZones, logs:DescribeDeliveries)."),
		AppliesTo: &appliesTo,
	}}, jsii.Bool(false))
}

// suppressCDNFindings: what cdk-nag flags on the distribution that serves
// the link files, and why it stays.
func suppressCDNFindings(h *WellKnownHosting) {
	logs := "CloudFront standard logging (v2) delivers this distribution's access logs, without query strings and cookies, to the private access-log bucket; cdk-nag recognises only legacy logging (cdk-nag 1876), which needs bucket ACLs that every bucket here has disabled."
	switch {
	case h.logs == nil:
		logs = "Access logging is switched off for this environment by \"accessLogs\": false in cdk.json."
	case !h.cdn.loggingOn:
		logs = "CloudFront standard logging (v2) needs its delivery source in us-east-1 and this environment's stack is in " + h.region + "; legacy logging needs bucket ACLs, which every bucket here has disabled. The README's \"Custom domain\" section says how to add a us-east-1 delivery."
	}
	cdknag.NagSuppressions_AddResourceSuppressions(h.cdn.cfn, &[]*cdknag.NagPackSuppression{
		{
			Id:     jsii.String("AwsSolutions-CFR1"),
			Reason: jsii.String("No geo restriction: Apple's CDN and Google's verifier fetch the files from anywhere, and app users travel; a blocked country would fail the verification."),
		},
		{
			Id:     jsii.String("AwsSolutions-CFR2"),
			Reason: jsii.String("No WAF by default: bot-control and rate rules can block Apple's CDN and Google's verifier while a browser passes, which silently breaks app links; the distribution serves two small public files with GET/HEAD only. The README says how to add a web ACL."),
		},
		{Id: jsii.String("AwsSolutions-CFR3"), Reason: jsii.String(logs)},
	}, jsii.Bool(false))
	// With a distribution the upload also invalidates its cache, which
	// the CDK grants on every distribution.
	if handler, err := uploadHandler(awscdk.Stack_Of(h.Construct)); err == nil {
		cdknag.NagSuppressions_AddResourceSuppressions(handler, &[]*cdknag.NagPackSuppression{{
			Id:        jsii.String("AwsSolutions-IAM5"),
			Reason:    jsii.String("CDK's BucketDeployment handler invalidates the distribution's cache after an upload with cloudfront:CreateInvalidation and GetInvalidation, which the CDK grants on Resource::*."),
			AppliesTo: &[]interface{}{"Resource::*"},
		}}, jsii.Bool(true))
	}
}
