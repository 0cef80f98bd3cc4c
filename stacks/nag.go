package stacks

import (
	"errors"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/pipelines"
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

// pipelineParts are the constructs of the pipeline stack that cdk-nag
// flags: all of them made by CDK Pipelines, which grants what its actions
// need with the wildcards below.
type pipelineParts struct {
	stack    awscdk.Stack
	pipeline pipelines.CodePipeline
	// stores are the artifact buckets: stores[0] in this stack, the others
	// in the support stacks of the other regions.
	stores []awss3.Bucket
	// post are the CodeBuild steps after each stage's deploy: termination
	// protection and verification.
	post []pipelines.CodeBuildStep
}

// suppressPipelineNagFindings: AwsSolutions-IAM5 is the only rule the
// pipeline stack trips (the support stacks, holding artifact stores only,
// trip none), on roles CDK Pipelines creates and grants itself. Each
// suppression is on one role (and its default policy) and lists the
// findings it covers.
func suppressPipelineNagFindings(p pipelineParts) error {
	artifacts, err := artifactFindings(p)
	if err != nil {
		return err
	}
	suppress := func(what string, c constructs.IConstruct, reason string, appliesTo ...interface{}) error {
		if c == nil {
			return errors.New("stacks: pipeline " + what + " not found; aws-cdk-lib changed CDK Pipelines' construct tree")
		}
		cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("AwsSolutions-IAM5"), Reason: jsii.String(reason), AppliesTo: &appliesTo,
		}}, jsii.Bool(true))
		return nil
	}
	// The CodeBuild projects log and report in the pipeline's region and
	// account.
	here := *p.stack.Region() + ":" + *p.stack.Account()
	artifactReason := "CDK Pipelines grants each action role object-level wildcards (s3:GetObject*, s3:List*, … on <artifact bucket>/*, and kms:GenerateDataKey*/ReEncrypt* on its key) on the pipeline's own artifact stores, to read its input and write its output artifacts; no other bucket or key is named."
	codeBuildReason := "CodeBuild writes the build's logs to /aws/codebuild/<project>:* and its test reports to report groups <project>-*, which CDK grants by that prefix: the project's own log streams and report groups only."

	// The pipeline's service role moves artifacts between the stores of
	// every region and assumes the action roles.
	pipelineRole := p.pipeline.Pipeline().Role()
	if err := suppress("role", pipelineRole, artifactReason, artifacts...); err != nil {
		return err
	}
	if err := suppress("role", pipelineRole, "The pipeline encrypts the artifacts it copies to the other regions' stores with their keys; CDK grants KMS use of a key in another region on Resource::* in the role's policy (the key's ARN is unknown here) and names the role in that key's policy. The tooling account holds the pipeline and its stores only.", "Resource::*"); err != nil {
		return err
	}

	// The source action's role uses the connection and writes the checkout.
	var sourceRole constructs.IConstruct
	if source := p.pipeline.Pipeline().Node().TryFindChild(jsii.String("Source")); source != nil {
		for _, action := range *source.Node().Children() {
			if r := action.Node().TryFindChild(jsii.String("CodePipelineActionRole")); r != nil {
				sourceRole = r
			}
		}
	}
	if err := suppress("source action role", sourceRole, artifactReason, artifacts...); err != nil {
		return err
	}

	// CodeBuild projects: synth, the pipeline's own update, the
	// termination protection and verification of each environment.
	projects := []awscodebuild.IProject{p.pipeline.SynthProject(), p.pipeline.SelfMutationProject()}
	for _, v := range p.post {
		projects = append(projects, v.Project())
	}
	for _, project := range projects {
		logicalID := *p.stack.GetLogicalId(project.Node().DefaultChild().(awscdk.CfnElement))
		if err := suppress("project role", project.Role(), artifactReason, artifacts...); err != nil {
			return err
		}
		if err := suppress("project role", project.Role(), codeBuildReason,
			regex(`^Resource::arn:[^:]+:logs:`+here+`:log-group:/aws/codebuild/<`+logicalID+`>:\*$`),
			regex(`^Resource::arn:[^:]+:codebuild:`+here+`:report-group/<`+logicalID+`>-\*$`)); err != nil {
			return err
		}
	}
	if err := suppress("self-mutation role", p.pipeline.SelfMutationProject().Role(), "The pipeline updates itself with `cdk deploy`, which assumes the tooling account's CDK bootstrap roles in any region (sts:AssumeRole on role/*, conditioned on the iam:ResourceTag/aws-cdk:bootstrap-role tag of the deploy, file- and image-publishing roles) and reads stack states and bucket lists (cloudformation:DescribeStacks, s3:ListBucket), which it needs on *.",
		regex(`^Resource::arn:\*:iam::`+*p.stack.Account()+`:role/\*$`), "Resource::*"); err != nil {
		return err
	}

	// The asset publishing role, shared by the asset projects, which
	// assume the target accounts' file-publishing roles. Stacks without
	// assets have none.
	assets := p.pipeline.Node().TryFindChild(jsii.String("Assets"))
	if assets == nil {
		return nil
	}
	fileRole := assets.Node().TryFindChild(jsii.String("FileRole"))
	if err := suppress("asset publishing role", fileRole, artifactReason, artifacts...); err != nil {
		return err
	}
	return suppress("asset publishing role", fileRole, "CDK Pipelines creates the asset publishing role before the projects that use it, so it grants CodeBuild logs and report groups under /aws/codebuild/* and report-group/* of the tooling account and region, and codebuild:StartBuild/BatchGetBuilds/StopBuild on *; what it may publish to is only the file-publishing roles of the target accounts, by exact ARN.",
		regex(`^Resource::arn:[^:]+:logs:`+here+`:log-group:/aws/codebuild/\*$`),
		regex(`^Resource::arn:[^:]+:codebuild:`+here+`:report-group/\*$`),
		"Resource::*")
}

// artifactFindings are the IAM5 findings of a grant on the artifact
// stores: the wildcard actions of CDK's read/write and encrypt/decrypt
// grants, and the stores' object ARNs.
func artifactFindings(p pipelineParts) ([]interface{}, error) {
	out := []interface{}{
		"Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:Abort*", "Action::s3:DeleteObject*",
		"Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*",
	}
	for i, b := range p.stores {
		if i == 0 {
			out = append(out, "Resource::<"+*p.stack.GetLogicalId(b.Node().DefaultChild().(awscdk.CfnElement))+".Arn>/*")
			continue
		}
		// Another region's store is named by its generated physical name.
		arn, ok := p.stack.Resolve(b.BucketArn()).(string)
		if !ok {
			return nil, errors.New("stacks: the ARN of the artifact store " + *b.Node().Path() + " is not a literal in the pipeline stack")
		}
		out = append(out, "Resource::"+arn+"/*")
	}
	return out, nil
}

// regex is a cdk-nag appliesTo pattern.
func regex(pattern string) interface{} {
	return map[string]interface{}{"regex": "/" + pattern + "/"}
}
