package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
)

// CloudFormation names an unnamed role, function or bucket
// <stack name>-<logical ID>-<random suffix> and shortens the logical ID to
// fit the type's name limit; deployed names keep the whole stack name
// (e.g. "AppStack-CustomCDKBucketDeployment8693BB64968944B6-GQdSBL5N4uaZ",
// a 63-character function name; roles reach 64). The patterns keep only the
// part of the logical ID that survives that shortening, assuming the
// longest random suffix (13 characters) and the smaller limit.
const (
	generatedRandom    = 13
	roleNameLimit      = 64
	functionNameLimit  = 63
	bucketNameLimit    = 63
	minGeneratedPrefix = len(providerPrefix)
)

// maxGeneratedStackName is the longest stack name for which every
// generated name keeps minGeneratedPrefix characters of the logical ID.
const maxGeneratedStackName = min(roleNameLimit, functionNameLimit, bucketNameLimit) - 2 - generatedRandom - minGeneratedPrefix

// generatedNamePattern is the IAM pattern matching every name CloudFormation
// may generate, within limit, for a resource of stack whose logical ID
// starts with prefix. The stack name must not exceed maxGeneratedStackName.
func generatedNamePattern(stack, prefix string, limit int) string {
	keep := limit - len(stack) - 2 - generatedRandom
	return stack + "-" + prefix[:min(keep, len(prefix))] + "*"
}

// cfnExecTarget is what the policy needs to know about one environment.
type cfnExecTarget struct {
	stack, region, bucket string
}

// cfnExecResources turns every scope into the ARNs and patterns of the
// given environments of one account.
func cfnExecResources(account, partition, qualifier string, targets []cfnExecTarget) (map[cfnScope][]string, error) {
	res := map[cfnScope][]string{}
	add := func(s cfnScope, arns ...string) {
		for _, a := range arns {
			if !slices.Contains(res[s], a) {
				res[s] = append(res[s], a)
			}
		}
	}
	var errs []error
	for _, t := range targets {
		if len(t.stack) > maxGeneratedStackName {
			errs = append(errs, fmt.Errorf("stack name %s is too long: CloudFormation shortens the names it generates for the stack's resources so much that %s cannot scope them (at most %d characters, an environment name of %d)",
				t.stack, ciroles.CFNExecPolicyName, maxGeneratedStackName, maxGeneratedStackName-len("WellKnown-")))
			continue
		}
		add(scopeBuckets, fmt.Sprintf("arn:%s:s3:::%s", partition, t.bucket))
		// S3 bucket names are lowercase, so CloudFormation lowercases
		// the whole generated name.
		add(scopeBuckets, fmt.Sprintf("arn:%s:s3:::%s", partition, strings.ToLower(generatedNamePattern(t.stack, logBucketPrefix, bucketNameLimit))))
		// The custom resource providers' roles and functions.
		role := ciroles.RoleARN(partition, account, generatedNamePattern(t.stack, providerPrefix, roleNameLimit))
		fn := generatedNamePattern(t.stack, providerPrefix, functionNameLimit)
		add(scopeRoles, role)
		add(scopePassRole, role)
		add(scopeAttachPolicy, role)
		add(scopeFunctions, fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", partition, t.region, account, fn))
		// The pattern's trailing * also covers the ":*" form of log group
		// ARNs that some Logs actions are checked against.
		add(scopeLogGroups, fmt.Sprintf("arn:%s:logs:%s:%s:log-group:/aws/lambda/%s", partition, t.region, account, fn))
		add(scopeLayers, fmt.Sprintf("arn:%s:lambda:%s:%s:layer:%s*", partition, t.region, account, layerPrefix))
		add(scopeAssets, fmt.Sprintf("arn:%s:s3:::cdk-%s-assets-%s-%s/*", partition, qualifier, account, t.region))
		add(scopeBootstrapVersion, fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", partition, t.region, account, config.BootstrapVersionParameter(qualifier)))
	}
	add(scopeAll, "*")
	return res, errors.Join(errs...)
}

// cfnExecActions collects, per scope, every action of the mapping, sorted.
func cfnExecActions() map[cfnScope][]string {
	out := map[cfnScope][]string{}
	add := func(grants []cfnGrant) {
		for _, g := range grants {
			for _, a := range g.actions {
				if !slices.Contains(out[g.scope], a) {
					out[g.scope] = append(out[g.scope], a)
				}
			}
		}
	}
	for _, t := range cfnExecPermissions {
		add(t.always)
		for _, gs := range t.properties {
			add(gs)
		}
	}
	for _, gs := range cfnExecParameterTypes {
		add(gs)
	}
	for s := range out {
		slices.Sort(out[s])
	}
	return out
}

// statementOrder fixes the order and Sid of the policy's statements.
var statementOrder = []struct {
	scope cfnScope
	sid   string
}{
	{scopeBuckets, "WellKnownBuckets"},
	{scopeRoles, "WellKnownRoles"},
	{scopeAttachPolicy, "AttachLambdaLoggingPolicyOnly"},
	{scopePassRole, "PassRolesToLambdaOnly"},
	{scopeFunctions, "WellKnownFunctions"},
	{scopeLogGroups, "WellKnownLogGroups"},
	{scopeLayers, "UploadLayer"},
	{scopeAssets, "ReadCDKAssets"},
	{scopeBootstrapVersion, "ReadBootstrapVersion"},
	{scopeAll, "NoResourceLevelPermissions"},
}

// cfnExecStatements builds the policy's statements. It also returns the
// resources that contain a wildcard, which cdk-nag reports (AwsSolutions-
// IAM5) and nag.go suppresses one by one.
func cfnExecStatements(partition string, res map[cfnScope][]string) ([]awsiam.PolicyStatement, []string) {
	actions := cfnExecActions()
	var out []awsiam.PolicyStatement
	var wildcards []string
	for _, s := range statementOrder {
		if len(actions[s.scope]) == 0 {
			continue
		}
		props := &awsiam.PolicyStatementProps{
			Sid:       jsii.String(s.sid),
			Effect:    awsiam.Effect_ALLOW,
			Actions:   jsii.Strings(actions[s.scope]...),
			Resources: jsii.Strings(res[s.scope]...),
		}
		switch s.scope {
		case scopePassRole:
			props.Conditions = &map[string]interface{}{
				"StringEquals": map[string]interface{}{"iam:PassedToService": "lambda.amazonaws.com"},
			}
		case scopeAttachPolicy:
			var arns []interface{}
			for _, p := range allowedManagedPolicies {
				arns = append(arns, fmt.Sprintf("arn:%s:iam::aws:policy/%s", partition, p))
			}
			props.Conditions = &map[string]interface{}{
				"ArnEquals": map[string]interface{}{"iam:PolicyARN": arns},
			}
		}
		out = append(out, awsiam.NewPolicyStatement(props))
		for _, r := range res[s.scope] {
			if strings.Contains(r, "*") && !slices.Contains(wildcards, r) {
				wildcards = append(wildcards, r)
			}
		}
	}
	return out, wildcards
}

// cfnExecTargets maps the CI environments onto their WellKnown stacks.
func cfnExecTargets(envs []CIEnvironment) []cfnExecTarget {
	out := make([]cfnExecTarget, 0, len(envs))
	for _, e := range envs {
		out = append(out, cfnExecTarget{stack: config.Environment{Name: e.Name}.StackName(), region: e.Region, bucket: e.BucketName})
	}
	return out
}

// policyChars is the size IAM counts for a policy document: its JSON
// without whitespace.
func policyChars(statements []awsiam.PolicyStatement) int {
	docs := make([]interface{}, 0, len(statements))
	for _, s := range statements {
		docs = append(docs, s.ToStatementJson())
	}
	b, err := json.Marshal(map[string]interface{}{"Version": "2012-10-17", "Statement": docs})
	if err != nil {
		return maxManagedPolicyChars + 1
	}
	return len(b)
}
