// Package ciroles names what GitHub Actions and AWS have to agree on for
// continuous delivery: GitHub's OIDC issuer and audience, the subject claims
// the trust policies match, the names and ARNs of the CI roles, and the CDK
// bootstrap roles those may assume (REFERENCE.md "Delivery facts").
//
// It links no CDK code, so a command that writes the workflows can compute
// the ARNs that stacks.NewWellKnownCIStack creates without starting jsii.
package ciroles

import (
	"fmt"

	"github.com/acme/wellknown/internal/config"
)

const (
	// OIDCHost is GitHub Actions' token issuer. IAM names the provider after
	// it and prefixes the trust policy's condition keys with it.
	OIDCHost = "token.actions.githubusercontent.com"
	// OIDCURL is the issuer URL the IAM OIDC provider is registered for. An
	// account can hold one provider per URL.
	OIDCURL = "https://" + OIDCHost
	// DefaultAudience is the aud claim aws-actions/configure-aws-credentials
	// asks GitHub for when its audience input is not set.
	DefaultAudience = "sts.amazonaws.com"
	// chinaAudience is the audience in the aws-cn partition, whose STS is
	// sts.<region>.amazonaws.com.cn.
	chinaAudience = "sts.amazonaws.com.cn"
	// AudienceKey and SubjectKey are the condition keys IAM derives from the
	// token's aud and sub claims.
	AudienceKey = OIDCHost + ":aud"
	SubjectKey  = OIDCHost + ":sub"

	// CFNExecPolicyName is the customer managed policy meant for
	// `cdk bootstrap --cloudformation-execution-policies`, one per account.
	CFNExecPolicyName = "wellknown-cfn-exec"

	// MaxSessionSeconds is the CI roles' MaxSessionDuration: one deploy
	// fits in an hour, and a leaked session dies soon after.
	MaxSessionSeconds = 3600
)

// Audience is the aud claim of the workflows' tokens in region's partition:
// what the configure-aws-credentials step asks GitHub for, the OIDC
// provider's only client ID, and the value the roles' trust conditions
// require. configure-aws-credentials documents sts.amazonaws.com.cn for
// China regions (README "OIDC Audience"; a token for sts.amazonaws.com is
// refused there with "Incorrect token audience", its issue 457) and uses
// DefaultAudience elsewhere.
func Audience(region string) string {
	if Partition(region) == "aws-cn" {
		return chinaAudience
	}
	return DefaultAudience
}

// StackName is the CI roles stack of an account, deployed once by an admin.
func StackName(account string) string { return "WellKnownCI-" + account }

// DeployRoleName is the role a deploy job of env assumes. Its prefix is
// config's, where it limits the length of environment names.
func DeployRoleName(env string) string { return config.CIDeployRolePrefix + env }

// DiffRoleName is the role a pull request's diff job of env assumes.
func DiffRoleName(env string) string { return config.CIDiffRolePrefix + env }

// DeploySubject is the sub claim of a job that declares `environment: env`:
// GitHub puts the environment, not the branch, into the subject of such a
// job, so a branch-based trust policy would never match it.
func DeploySubject(repo, env string) string { return "repo:" + repo + ":environment:" + env }

// PullRequestSubject is the sub claim of every job run for a pull_request
// event of repo.
func PullRequestSubject(repo string) string { return "repo:" + repo + ":pull_request" }

// Partition is the ARN partition of a public region (aws, aws-cn,
// aws-us-gov, ...), from internal/config's region table.
func Partition(region string) string { return config.PartitionID(region) }

// RoleARN is the ARN of an IAM role at path "/".
func RoleARN(partition, account, name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, account, name)
}

// DeployRoleARN is the ARN of env's deploy role. IAM is global, so region
// only selects the partition.
func DeployRoleARN(account, region, env string) string {
	return RoleARN(Partition(region), account, DeployRoleName(env))
}

// DiffRoleARN is the ARN of env's diff role.
func DiffRoleARN(account, region, env string) string {
	return RoleARN(Partition(region), account, DiffRoleName(env))
}

// ProviderARN is the ARN of the account's GitHub OIDC provider: IAM names
// a provider after its URL without the scheme, so it is the same whether the
// CI stack created it or it existed before.
func ProviderARN(account, region string) string {
	return fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", Partition(region), account, OIDCHost)
}

// CFNExecPolicyARN is the ARN of the account's wellknown-cfn-exec policy.
func CFNExecPolicyARN(account, region string) string {
	return fmt.Sprintf("arn:%s:iam::%s:policy/%s", Partition(region), account, CFNExecPolicyName)
}

// BootstrapRoleARN is cdk-<qualifier>-<role>-role-<account>-<region>.
func BootstrapRoleARN(account, region, qualifier string, role config.BootstrapRole) string {
	return RoleARN(Partition(region), account, config.BootstrapRoleName(account, region, qualifier, role))
}

// CheckRepository accepts "owner/name" as GitHub spells it.
func CheckRepository(repo string) error { return config.CheckGitHubRepository(repo) }

// CheckEnvName accepts an environment name that the CI roles stack and
// the workflows can use: the configuration's rules and its limits under
// "wellknown:ci" (config.CheckCIEnvName).
func CheckEnvName(env string) error {
	if !config.ValidEnvName(env) {
		return fmt.Errorf("environment name %q: use lowercase letters, digits and single hyphens, starting with a letter", env)
	}
	return config.CheckCIEnvName(env)
}

// CheckAccount accepts a 12-digit AWS account ID.
func CheckAccount(account string) error { return config.CheckAccount(account) }

// CheckRegion accepts a public region, where the link files can be served.
func CheckRegion(region string) error {
	if !config.KnownRegion(region) {
		return fmt.Errorf("region %q is not a public AWS region code", region)
	}
	return nil
}
