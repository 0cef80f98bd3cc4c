package config

import (
	"fmt"
	"strings"
)

// What "wellknown:ci" names after an environment, and the limits those
// names put on the environment's name. They live here so that `check`,
// the synthesis and `wellknown ci` report a name that is too long at its
// key in cdk.json; internal/ciroles builds the role names from these
// prefixes, and stacks.NewWellKnownCIStack checks its plain props, and
// scopes wellknown-cfn-exec, with the same constants.

const (
	// CIDeployRolePrefix and CIDiffRolePrefix begin the names of an
	// environment's CI roles; the deploy role's name is the longer.
	CIDeployRolePrefix = "wellknown-deploy-"
	CIDiffRolePrefix   = "wellknown-diff-"
	// RoleNameLimit is IAM's limit on role names, those CloudFormation
	// generates included.
	RoleNameLimit = 64
)

// CloudFormation names an unnamed role, function or bucket
// <stack name>-<logical ID>-<random suffix> and shortens the logical ID to
// fit the type's name limit; deployed names keep the whole stack name
// (e.g. "AppStack-CustomCDKBucketDeployment8693BB64968944B6-GQdSBL5N4uaZ",
// a 63-character function name; roles reach 64). wellknown-cfn-exec
// scopes such names by the part of the logical ID that survives that
// shortening (stacks/cfnexec_policy.go), assuming the longest random
// suffix and the smaller limit.
const (
	GeneratedNameRandom        = 13
	GeneratedFunctionNameLimit = 63
	GeneratedBucketNameLimit   = 63
	// GeneratedPrefixKept is how much of a logical ID the patterns keep at
	// least: all of "Custom", the prefix of the custom resource
	// providers' roles and functions, so that their patterns match nothing
	// else of the stack.
	GeneratedPrefixKept = len("Custom")
	// MaxGeneratedStackName is the longest stack name for which every
	// generated name keeps GeneratedPrefixKept characters of its logical ID.
	MaxGeneratedStackName = min(RoleNameLimit, GeneratedFunctionNameLimit, GeneratedBucketNameLimit) - 2 - GeneratedNameRandom - GeneratedPrefixKept
)

// MaxCIEnvName is the longest environment name "wellknown:ci" allows:
// its stack name WellKnown-<env> must not exceed MaxGeneratedStackName,
// and its deploy role's name must fit IAM.
const MaxCIEnvName = min(MaxGeneratedStackName-len(stackPrefix), RoleNameLimit-len(CIDeployRolePrefix))

// CheckCIEnvName says why a valid environment name is too long for
// "wellknown:ci", or returns nil.
func CheckCIEnvName(name string) error {
	if len(name) <= MaxCIEnvName {
		return nil
	}
	var why []string
	if len(stackPrefix)+len(name) > MaxGeneratedStackName {
		why = append(why, fmt.Sprintf("CloudFormation would shorten the names it generates for %s's resources so much that the CI roles stack's execution policy could not scope them (stack names of at most %d characters)",
			Environment{Name: name}.StackName(), MaxGeneratedStackName))
	}
	if len(CIDeployRolePrefix)+len(name) > RoleNameLimit {
		why = append(why, fmt.Sprintf("the role name %s%s would exceed IAM's %d characters", CIDeployRolePrefix, name, RoleNameLimit))
	}
	return fmt.Errorf("environment name %q is %d characters long, over the %d that \"wellknown:ci\" allows: %s", name, len(name), MaxCIEnvName, strings.Join(why, ", and "))
}

// CIOutputSuffix is the part of an environment's CI role outputs' logical
// IDs (DeployRoleArn<suffix>) taken from its name: eu-prod → EuProd. Two
// environments of one account must not share it ("a-1" and "a1").
func CIOutputSuffix(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
