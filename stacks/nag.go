package stacks

import (
	"errors"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Every cdk-nag suppression is listed here, narrow (one resource, and the
// exact findings where the rule reports them) and with its reason. The
// README's "Security exceptions" table mirrors this file.
func suppressNagFindings(stack awscdk.Stack, bucket awss3.Bucket, accessLogs bool) error {
	content := []*cdknag.NagPackSuppression{{
		Id:     jsii.String("AwsSolutions-S2"),
		Reason: jsii.String("Public read is the product: Apple and Google fetch /.well-known/* anonymously. The bucket policy grants only s3:GetObject on .well-known/*; ACLs stay disabled and BlockPublicAcls/IgnorePublicAcls stay on (Security Hub S3.2, S3.8)."),
	}}
	if !accessLogs {
		content = append(content, &cdknag.NagPackSuppression{
			Id:     jsii.String("AwsSolutions-S1"),
			Reason: jsii.String("Server access logging is switched off for this environment by \"accessLogs\": false in cdk.json (Security Hub S3.9)."),
		})
	}
	cdknag.NagSuppressions_AddResourceSuppressions(bucket, &content, jsii.Bool(false))

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
// objects named by content hash) or for logs:DescribeLogGroups, which IAM
// authorizes on "*" only. The CI roles themselves name exact ARNs.
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
		Reason:    jsii.String("wellknown-cfn-exec scopes CloudFormation to the WellKnown stacks' resources; the wildcards stand for names CloudFormation generates (<stack>-<logical ID>-<random>), layer versions and content-addressed CDK assets, and logs:DescribeLogGroups, which IAM authorizes on \"*\" only."),
		AppliesTo: &appliesTo,
	}}, jsii.Bool(false))
}
