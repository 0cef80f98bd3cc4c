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

// Names CloudFormation generates (<stack name>-<logical ID,
// shortened>-<random suffix>) and their limits are config's (cilimits.go):
// they also limit the environment names "wellknown:ci" allows.
const (
	generatedRandom       = config.GeneratedNameRandom
	roleNameLimit         = config.RoleNameLimit
	functionNameLimit     = config.GeneratedFunctionNameLimit
	bucketNameLimit       = config.GeneratedBucketNameLimit
	maxGeneratedStackName = config.MaxGeneratedStackName
)

// The providers' patterns keep all of providerPrefix only if config keeps
// that many characters: a longer prefix fails to compile here.
var _ [config.GeneratedPrefixKept - len(providerPrefix)]struct{}

// generatedNamePattern is the IAM pattern matching every name CloudFormation
// may generate, within limit, for a resource of stack whose logical ID
// starts with prefix: the part of the logical ID that survives the
// shortening, assuming the longest random suffix. The stack name must not
// exceed maxGeneratedStackName.
func generatedNamePattern(stack, prefix string, limit int) string {
	keep := limit - len(stack) - 2 - generatedRandom
	return stack + "-" + prefix[:min(keep, len(prefix))] + "*"
}

// cfnExecTarget is what the policy needs to know about one environment.
type cfnExecTarget struct {
	stack, region, bucket string
	// certStack and certRegion name the environment's WellKnownCert-<env>
	// stack, when it has one.
	certStack, certRegion string
	domain                *CIDomain
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
				t.stack, ciroles.CFNExecPolicyName, maxGeneratedStackName, maxGeneratedStackName-len(config.Environment{}.StackName())))
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
		add(scopeBootstrapVersion, bootstrapVersionARN(partition, t.region, account, qualifier))
		if t.certStack != "" {
			// The certificate stack checks the bootstrap version of its
			// region, and the environment's stack reads its output.
			add(scopeBootstrapVersion, bootstrapVersionARN(partition, t.certRegion, account, qualifier))
			add(scopeCertStacks, fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/*", partition, t.certRegion, account, t.certStack))
		}
		if d := t.domain; d != nil {
			domainResources(add, account, partition, t.region, d)
		}
	}
	add(scopeAll, "*")
	return res, errors.Join(errs...)
}

// domainResources adds what a custom domain creates. Where the service
// generates the ID (distributions, origin access controls, certificates,
// Route 53 changes, log deliveries) the pattern is every such resource of
// the account: the ID is unknown until the resource exists, and these
// resources carry no tag or name that IAM could match instead.
func domainResources(add func(cfnScope, ...string), account, partition, region string, d *CIDomain) {
	add(scopeCloudFront,
		fmt.Sprintf("arn:%s:cloudfront::%s:distribution/*", partition, account),
		fmt.Sprintf("arn:%s:cloudfront::%s:origin-access-control/*", partition, account))
	if d.CreatesCertificate {
		add(scopeCertificates, fmt.Sprintf("arn:%s:acm:%s:%s:certificate/*", partition, config.CertificateRegion, account))
	}
	if d.HostedZoneID != "" {
		add(scopeHostedZones, fmt.Sprintf("arn:%s:route53:::hostedzone/%s", partition, d.HostedZoneID))
		add(scopeDNSChanges, fmt.Sprintf("arn:%s:route53:::change/*", partition))
	}
	if d.AccessLogs && standardLoggingIn(region) {
		logs := fmt.Sprintf("arn:%s:logs:%s:%s:", partition, region, account)
		add(scopeLogDeliveries, logs+"delivery-source:"+deliveryNamePrefix+"*", logs+"delivery-destination:"+deliveryNamePrefix+"*", logs+"delivery:*")
	}
}

func bootstrapVersionARN(partition, region, account, qualifier string) string {
	return fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", partition, region, account, config.BootstrapVersionParameter(qualifier))
}

// usedIn reports whether grants can occur in an account whose scopes have
// the resources res: whether a scope of theirs other than "*" has any.
func usedIn(grants []cfnGrant, res map[cfnScope][]string) bool {
	for _, g := range grants {
		if g.scope != scopeAll && len(res[g.scope]) > 0 {
			return true
		}
	}
	return false
}

// cfnExecActions collects, per scope, every action of the mapping that an
// account with the resources res can need, sorted.
func cfnExecActions(res map[cfnScope][]string) map[cfnScope][]string {
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
		if !usedIn(t.always, res) {
			continue
		}
		add(t.always)
		for _, gs := range t.properties {
			add(gs)
		}
	}
	for _, m := range []map[string][]cfnGrant{cfnExecParameterTypes, cfnExecIntrinsics} {
		for _, gs := range m {
			if usedIn(gs, res) {
				add(gs)
			}
		}
	}
	for s := range out {
		slices.Sort(out[s])
	}
	return out
}

// statementOrder fixes the order and Sid of the policy's statements: one
// per scope, except that scopes of one service share a statement when each
// of their actions applies to one scope's resource type only (Route 53's
// zones and changes; CloudWatch Logs' log groups and deliveries): IAM
// matches an action only against ARNs of its own resource type, so the
// merged statement allows the same, in fewer of IAM's 6,144 characters.
var statementOrder = []struct {
	sid    string
	scopes []cfnScope
}{
	{"WellKnownBuckets", []cfnScope{scopeBuckets}},
	{"WellKnownRoles", []cfnScope{scopeRoles}},
	{"AttachLambdaLoggingPolicyOnly", []cfnScope{scopeAttachPolicy}},
	{"PassRolesToLambdaOnly", []cfnScope{scopePassRole}},
	{"WellKnownFunctions", []cfnScope{scopeFunctions}},
	{"WellKnownLogs", []cfnScope{scopeLogGroups, scopeLogDeliveries}},
	{"UploadLayer", []cfnScope{scopeLayers}},
	{"ReadCDKAssets", []cfnScope{scopeAssets}},
	{"ReadBootstrapVersion", []cfnScope{scopeBootstrapVersion}},
	{"CloudFront", []cfnScope{scopeCloudFront}},
	{"Certificates", []cfnScope{scopeCertificates}},
	{"Route53", []cfnScope{scopeHostedZones, scopeDNSChanges}},
	{"ReadCertificateStacks", []cfnScope{scopeCertStacks}},
	{"NoResourceLevelPermissions", []cfnScope{scopeAll}},
}

// cfnExecStatements builds the policy's statements. It also returns the
// resources that contain a wildcard, which cdk-nag reports (AwsSolutions-
// IAM5) and nag.go suppresses one by one.
func cfnExecStatements(partition string, res map[cfnScope][]string) ([]awsiam.PolicyStatement, []string) {
	actions := cfnExecActions(res)
	var out []awsiam.PolicyStatement
	var wildcards []string
	for _, s := range statementOrder {
		var acts, arns []string
		for _, scope := range s.scopes {
			if len(actions[scope]) == 0 || len(res[scope]) == 0 {
				continue
			}
			acts = append(acts, actions[scope]...)
			arns = append(arns, res[scope]...)
		}
		if len(acts) == 0 {
			continue
		}
		slices.Sort(acts)
		props := &awsiam.PolicyStatementProps{
			Sid:       jsii.String(s.sid),
			Effect:    awsiam.Effect_ALLOW,
			Actions:   jsii.Strings(slices.Compact(acts)...),
			Resources: jsii.Strings(arns...),
		}
		switch s.scopes[0] {
		case scopePassRole:
			props.Conditions = &map[string]interface{}{
				"StringEquals": map[string]interface{}{"iam:PassedToService": "lambda.amazonaws.com"},
			}
		case scopeAttachPolicy:
			var policies []interface{}
			for _, p := range allowedManagedPolicies {
				policies = append(policies, fmt.Sprintf("arn:%s:iam::aws:policy/%s", partition, p))
			}
			props.Conditions = &map[string]interface{}{
				"ArnEquals": map[string]interface{}{"iam:PolicyARN": policies},
			}
		}
		out = append(out, awsiam.NewPolicyStatement(props))
		for _, r := range arns {
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
		env := config.Environment{Name: e.Name}
		t := cfnExecTarget{stack: env.StackName(), region: e.Region, bucket: e.BucketName, domain: e.Domain}
		if e.CertificateRegion != "" {
			t.certStack, t.certRegion = env.CertStackName(), e.CertificateRegion
		}
		out = append(out, t)
	}
	return out
}

// policyChars is the size IAM counts for a policy document: its JSON
// without whitespace.
func policyChars(statements []awsiam.PolicyStatement) int {
	docs := make([]interface{}, 0, len(statements))
	for _, s := range statements {
		docs = append(docs, unwrapJSIIMaps(s.ToStatementJson()))
	}
	b, err := json.Marshal(map[string]interface{}{"Version": "2012-10-17", "Statement": docs})
	if err != nil {
		return maxManagedPolicyChars + 1
	}
	return len(b)
}

// unwrapJSIIMaps removes the {"$jsii.map": …} wrappers in which the jsii
// runtime hands maps back to Go (a statement's conditions): the template
// has none, so they must not count.
func unwrapJSIIMaps(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		if inner, ok := x["$jsii.map"]; ok && len(x) == 1 {
			return unwrapJSIIMaps(inner)
		}
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			out[k] = unwrapJSIIMaps(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = unwrapJSIIMaps(e)
		}
		return out
	}
	return v
}
