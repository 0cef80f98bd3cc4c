package stacks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
)

// WellKnownCIStackProps configures the CI roles of one AWS account with
// plain values. StackProps.Env must name the account and a region of the
// environments' partition: IAM is global, the region only decides where
// the stack lives. Keep that region fixed (the app uses the partition's
// IAM region, config.IAMRegion): the roles and the policy have fixed
// names, so a second copy of the stack in another region fails with
// "already exists".
//
// Without StackProps.Synthesizer the stack uses the LegacyStackSynthesizer:
// it is deployed by an administrator with their own credentials, with no
// CDK bootstrap role, asset bucket or bootstrap version check, so its
// region needs no `cdk bootstrap`. The template is then passed to
// CloudFormation inline, which limits it to 51,200 bytes; the policy
// size limit (maxManagedPolicyChars) keeps an account's stack well below.
type WellKnownCIStackProps struct {
	awscdk.StackProps
	// Repository is the GitHub repository, "owner/name" spelled exactly as
	// GitHub spells it, whose workflows may assume the roles.
	Repository string
	// Environments are the account's environments, in promotion order.
	Environments []CIEnvironment
	// BootstrapQualifier is the account's CDK bootstrap qualifier; empty
	// means the default, hnb659fds.
	BootstrapQualifier string
	// ExistingOIDCProviderARN, when set, uses the account's GitHub OIDC
	// provider instead of creating one: an account holds one provider per
	// issuer URL, and creating a second fails. It is always
	// arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com.
	ExistingOIDCProviderARN string
}

// NewWellKnownCIStack creates the stack an admin deploys once per account
// so that GitHub Actions can deploy without stored AWS keys:
//
//   - GitHub's OIDC provider (or a reference to the existing one);
//   - per environment, wellknown-deploy-<env>, which only a job declaring
//     `environment: <env>` in Repository can assume, and wellknown-diff-<env>,
//     which only pull request jobs can assume; both may do nothing but assume
//     the CDK bootstrap roles of the environment's region, and of its
//     certificate stack's region if it has one (deploy, file-publishing and
//     lookup, or lookup alone);
//   - wellknown-cfn-exec, the managed policy to bootstrap the account with
//     instead of AdministratorAccess (`cdk bootstrap
//     --cloudformation-execution-policies <arn>`), allowing CloudFormation
//     only what the WellKnown stacks need (cfnexec.go).
//
// Every name is fixed, so the outputs are literal ARNs. Nothing is created
// when props are invalid.
func NewWellKnownCIStack(scope constructs.Construct, id string, props *WellKnownCIStackProps) (awscdk.Stack, error) {
	if props == nil {
		return nil, errors.New("WellKnownCIStack: props are required")
	}
	v, err := props.validate()
	if err != nil {
		return nil, fmt.Errorf("WellKnownCIStack %s: %w", id, err)
	}
	sprops := props.StackProps
	if sprops.Synthesizer == nil {
		sprops.Synthesizer = awscdk.NewLegacyStackSynthesizer()
	}
	if sprops.Description == nil {
		sprops.Description = jsii.String("wellknown: GitHub Actions OIDC roles and the CloudFormation execution policy for account " + v.account)
	}
	stack := awscdk.NewStack(scope, &id, &sprops)

	providerARN := jsii.String(props.ExistingOIDCProviderARN)
	if props.ExistingOIDCProviderARN == "" {
		// IAM trusts GitHub's certificate through its own CA library, so
		// no thumbprint is pinned. Retained: other workflows of the account
		// may come to rely on the one provider it can have.
		provider := awsiam.NewOidcProviderNative(stack, jsii.String("GitHubOIDCProvider"), &awsiam.OidcProviderNativeProps{
			Url:           jsii.String(ciroles.OIDCURL),
			ClientIds:     jsii.Strings(ciroles.Audience(v.region)),
			RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		})
		providerARN = provider.OidcProviderArn()
	}

	output := func(id, description, value string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{
			Value:       jsii.String(value),
			Description: jsii.String(description),
		})
	}
	output("OIDCProviderArn", "GitHub Actions OIDC provider trusted by the CI roles", ciroles.ProviderARN(v.account, v.region))

	for _, e := range props.Environments {
		regions := e.regions()
		bootstrap := func(roles ...config.BootstrapRole) []string {
			var arns []string
			for _, region := range regions {
				for _, r := range roles {
					arns = append(arns, ciroles.BootstrapRoleARN(v.account, region, v.qualifier, r))
				}
			}
			return arns
		}
		where := strings.Join(regions, " and ")
		newCIRole(stack, "Deploy-"+e.Name, ciRole{
			name:        ciroles.DeployRoleName(e.Name),
			description: fmt.Sprintf("GitHub Actions deploy jobs of %s in environment %s: assume the CDK bootstrap roles of %s to deploy %s", props.Repository, e.Name, where, config.Environment{Name: e.Name}.StackName()),
			provider:    providerARN,
			subject:     ciroles.DeploySubject(props.Repository, e.Name),
			audience:    ciroles.Audience(v.region),
			assumable:   bootstrap(config.DeployRole, config.FilePublishingRole, config.LookupRole),
		})
		// cdk diff tries the deploy role first and falls back to the
		// lookup role (CLI 2.132+), which is all a pull request gets.
		newCIRole(stack, "Diff-"+e.Name, ciRole{
			name:        ciroles.DiffRoleName(e.Name),
			description: fmt.Sprintf("GitHub Actions pull request jobs of %s: assume the CDK lookup role of %s to diff %s", props.Repository, where, config.Environment{Name: e.Name}.StackName()),
			provider:    providerARN,
			subject:     ciroles.PullRequestSubject(props.Repository),
			audience:    ciroles.Audience(v.region),
			assumable:   bootstrap(config.LookupRole),
		})
		output(v.outputIDs[e.Name]["deploy"], "Role for the deploy jobs of environment "+e.Name, ciroles.DeployRoleARN(v.account, e.Region, e.Name))
		output(v.outputIDs[e.Name]["diff"], "Role for the pull request diff jobs of environment "+e.Name, ciroles.DiffRoleARN(v.account, e.Region, e.Name))
	}

	policy := awsiam.NewManagedPolicy(stack, jsii.String("CFNExecPolicy"), &awsiam.ManagedPolicyProps{
		ManagedPolicyName: jsii.String(ciroles.CFNExecPolicyName),
		Description:       jsii.String("CloudFormation execution policy for the WellKnown stacks of this account; use with cdk bootstrap --cloudformation-execution-policies instead of AdministratorAccess"),
		Document: awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
			// The statements are reviewed as written; the app's
			// minimizePolicies flag would merge and reorder them.
			Minimize:   jsii.Bool(false),
			Statements: &v.statements,
		}),
	})
	output("CFNExecPolicyArn", "cdk bootstrap --cloudformation-execution-policies value for this account", ciroles.CFNExecPolicyARN(v.account, v.region))
	suppressCINagFindings(policy, v.wildcards)
	return stack, nil
}

type ciRole struct {
	name, description, subject, audience string
	provider                             *string
	assumable                            []string
}

// newCIRole creates a role that GitHub's OIDC tokens with exactly
// aud=r.audience and sub=r.subject can assume (StringEquals, no
// wildcard: a StringLike on sub is how a fork or another branch gets in),
// for one hour at most, allowed to do nothing but assume r.assumable.
func newCIRole(stack awscdk.Stack, id string, r ciRole) awsiam.Role {
	return awsiam.NewRole(stack, jsii.String(id), &awsiam.RoleProps{
		RoleName:    jsii.String(r.name),
		Description: jsii.String(r.description),
		AssumedBy: awsiam.NewWebIdentityPrincipal(r.provider, &map[string]interface{}{
			"StringEquals": map[string]interface{}{
				ciroles.AudienceKey: r.audience,
				ciroles.SubjectKey:  r.subject,
			},
		}),
		MaxSessionDuration: awscdk.Duration_Seconds(jsii.Number(ciroles.MaxSessionSeconds)),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"AssumeCDKBootstrapRoles": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Minimize: jsii.Bool(false),
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:       jsii.String("AssumeCDKBootstrapRoles"),
					Effect:    awsiam.Effect_ALLOW,
					Actions:   jsii.Strings("sts:AssumeRole"),
					Resources: jsii.Strings(r.assumable...),
				})},
			}),
		},
	})
}

// validated is what validate derives from valid props.
type validated struct {
	account, region, partition, qualifier string
	statements                            []awsiam.PolicyStatement
	wildcards                             []string
	// outputIDs[env]["deploy"|"diff"] are the outputs' logical IDs.
	outputIDs map[string]map[string]string
}

// maxManagedPolicyChars is IAM's limit on a managed policy document,
// counted without whitespace.
const maxManagedPolicyChars = 6144

func (p *WellKnownCIStackProps) validate() (validated, error) {
	var v validated
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.Env == nil || p.Env.Account == nil || p.Env.Region == nil ||
		*awscdk.Token_IsUnresolved(*p.Env.Account) || *awscdk.Token_IsUnresolved(*p.Env.Region) {
		return v, errors.New("StackProps.Env must name the account and region literally: the role and policy ARNs are computed from them")
	}
	v.account, v.region = *p.Env.Account, *p.Env.Region
	if err := ciroles.CheckAccount(v.account); err != nil {
		errs = append(errs, err)
	}
	if err := ciroles.CheckRegion(v.region); err != nil {
		errs = append(errs, err)
	}
	v.partition = ciroles.Partition(v.region)
	if err := ciroles.CheckRepository(p.Repository); err != nil {
		errs = append(errs, err)
	}
	v.qualifier = p.BootstrapQualifier
	if v.qualifier == "" {
		v.qualifier = config.DefaultQualifier
	}
	if err := config.CheckQualifier(v.qualifier); err != nil {
		errs = append(errs, err)
	}
	if p.ExistingOIDCProviderARN != "" && p.ExistingOIDCProviderARN != ciroles.ProviderARN(v.account, v.region) {
		fail("ExistingOIDCProviderARN %q: GitHub's provider in this account is %s", p.ExistingOIDCProviderARN, ciroles.ProviderARN(v.account, v.region))
	}
	if len(p.Environments) == 0 {
		fail("no environments: the account needs at least one")
	}
	names, buckets, ids := map[string]bool{}, map[string]bool{}, map[string]string{}
	v.outputIDs = map[string]map[string]string{}
	for i, e := range p.Environments {
		where := fmt.Sprintf("Environments[%d] (%s)", i, e.Name)
		if err := ciroles.CheckEnvName(e.Name); err != nil {
			fail("%s: %w", where, err)
		}
		if names[e.Name] {
			fail("%s: environment listed twice", where)
		}
		names[e.Name] = true
		if err := ciroles.CheckRegion(e.Region); err != nil {
			fail("%s: %w", where, err)
		} else if ciroles.Partition(e.Region) != v.partition {
			fail("%s: region %s is in partition %s, but account %s is in %s (an account belongs to one partition)", where, e.Region, ciroles.Partition(e.Region), v.account, v.partition)
		}
		if err := config.CheckBucketName(e.BucketName); err != nil {
			fail("%s: BucketName: %w", where, err)
		}
		if buckets[e.BucketName] {
			fail("%s: bucket %s is used by another environment", where, e.BucketName)
		}
		buckets[e.BucketName] = true
		for _, err := range e.checkDomain(v.partition) {
			fail("%s: %w", where, err)
		}
		v.outputIDs[e.Name] = map[string]string{}
		for _, o := range []struct{ kind, prefix string }{{"deploy", "DeployRoleArn"}, {"diff", "DiffRoleArn"}} {
			kind, id := o.kind, o.prefix+config.CIOutputSuffix(e.Name)
			if other, ok := ids[id]; ok {
				fail("%s: its output %s would collide with environment %s's", where, id, other)
			}
			ids[id] = e.Name
			v.outputIDs[e.Name][kind] = id
		}
	}
	if len(errs) > 0 {
		return v, errors.Join(errs...)
	}
	res, err := cfnExecResources(v.account, v.partition, v.qualifier, cfnExecTargets(p.Environments))
	if err != nil {
		return v, err
	}
	v.statements, v.wildcards = cfnExecStatements(v.partition, res)
	if n := policyChars(v.statements); n > maxManagedPolicyChars {
		return v, &PolicyTooLargeError{Environments: len(p.Environments), Chars: n}
	}
	return v, nil
}

// PolicyTooLargeError: the account's wellknown-cfn-exec policy would not
// fit IAM's limit for a managed policy. It grows with every environment,
// its stack, bucket and domain resources, so how many fit depends on the
// names; the way out is fewer environments per account.
type PolicyTooLargeError struct {
	Environments, Chars int
}

func (e *PolicyTooLargeError) Error() string {
	return fmt.Sprintf("the %s policy for %d environments would be %d characters, over IAM's limit of %d for a managed policy",
		ciroles.CFNExecPolicyName, e.Environments, e.Chars, maxManagedPolicyChars)
}
