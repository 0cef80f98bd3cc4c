package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/acme/wellknown/internal/ciroles"
	wkconfig "github.com/acme/wellknown/internal/config"
)

// ciKind is what one IAM read found, from harmless to broken.
type ciKind int

const (
	ciOK      ciKind = iota
	ciDenied         // the credentials may not read it: unknown
	ciMissing        // not there: WellKnownCI-<account> is not deployed or out of date
	ciWrong          // there, but the workflows cannot use it
	ciError          // no usable answer
)

type ciFinding struct {
	kind    ciKind
	message string
	fix     string // ciWrong, ciError
}

// providerAnswer is GetOpenIDConnectProvider's answer, shared by the
// environments of an account.
type providerAnswer struct {
	out *iam.GetOpenIDConnectProviderOutput
	err error
}

// ciRoles reads what the account's WellKnownCI-<account> stack creates
// for the environment: the deploy and diff roles, whose trust policies
// must admit exactly this repository's tokens, and GitHub's OIDC
// provider, without which STS refuses every token. A workflow that
// cannot assume its role fails at its first step, after the merge.
func (d *doctor) ciRoles(ctx context.Context, c clients, t Target) Check {
	roles := []struct{ name, subject, who string }{
		{ciroles.DeployRoleName(t.Env), ciroles.DeploySubject(t.CI.Repository, t.Env), "the deploy job of " + t.Env},
		{ciroles.DiffRoleName(t.Env), ciroles.PullRequestSubject(t.CI.Repository), "pull request diffs"},
	}
	findings := make([]ciFinding, len(roles)+1)
	var wg sync.WaitGroup
	for i, r := range roles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			findings[i] = d.ciRole(ctx, c, t, r.name, r.subject, r.who)
		}()
	}
	wg.Add(1)
	go func() { defer wg.Done(); findings[len(roles)] = d.oidcProvider(ctx, c, t) }()
	wg.Wait()

	row := Check{Name: CheckCIRoles, Status: Pass}
	var messages, fixes []string
	addFix := func(f string) {
		if f != "" && !slices.Contains(fixes, f) {
			fixes = append(fixes, f)
		}
	}
	stack := ciroles.StackName(t.Account)
	denied, missing := false, false
	for _, f := range findings {
		switch f.kind {
		case ciOK:
			continue
		case ciDenied:
			if denied {
				continue // one sentence for all refused reads
			}
			denied = true
			row.Status = worse(row.Status, Warn)
			addFix("allow iam:GetRole and iam:GetOpenIDConnectProvider to check them (the CDK lookup role's ReadOnlyAccess has both)")
		case ciMissing:
			missing = true
			row.Status = worse(row.Status, Warn)
		case ciWrong, ciError:
			row.Status = Fail
		}
		messages = append(messages, f.message)
		addFix(f.fix)
	}
	if missing {
		messages = append(messages, fmt.Sprintf("the account's %s stack is not deployed or out of date", stack))
		addFix(deployCIStack(t))
	}
	if row.Status == Pass {
		row.Message = fmt.Sprintf("%s trusts exactly %s and %s exactly %s (aud %s), through GitHub's OIDC provider %s",
			roles[0].name, roles[0].subject, roles[1].name, roles[1].subject, ciroles.Audience(t.Region), t.CI.ProviderARN)
		return row
	}
	row.Message = strings.Join(messages, "; ")
	row.Fix = strings.Join(fixes, "; ")
	return row
}

// worse is the more severe of two statuses.
func worse(a, b Status) Status {
	rank := map[Status]int{Pass: 0, Skip: 0, Warn: 1, Fail: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// ciRole reads one role and judges its trust policy.
func (d *doctor) ciRole(ctx context.Context, c clients, t Target, name, subject, who string) ciFinding {
	out, err := c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	var missing *iamtypes.NoSuchEntityException
	switch {
	case errors.As(err, &missing):
		return ciFinding{kind: ciMissing, message: fmt.Sprintf("role %s does not exist, so %s cannot assume it", name, who)}
	case isAccessDenied(err):
		return ciFinding{kind: ciDenied, message: "cannot read IAM with these credentials (" + apiText(err) + ")"}
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		return ciFinding{kind: ciError, message: fmt.Sprintf("could not read role %s: %s", name, f.message), fix: f.fix}
	case out.Role == nil || aws.ToString(out.Role.AssumeRolePolicyDocument) == "":
		return ciFinding{kind: ciError, message: fmt.Sprintf("IAM answered GetRole for %s without a trust policy", name),
			fix: "something other than AWS may be answering: check HTTPS_PROXY and AWS_ENDPOINT_URL"}
	}
	stmts, err := decodeTrustPolicy(aws.ToString(out.Role.AssumeRolePolicyDocument))
	if err != nil {
		return ciFinding{kind: ciWrong, message: fmt.Sprintf("the trust policy of role %s cannot be read: %v", name, err), fix: deployCIStack(t)}
	}
	// The audience is the partition's (sts.amazonaws.com.cn in China), as
	// the workflows ask for it and the CI roles stack writes it.
	audience := ciroles.Audience(t.Region)
	if p := trustProblem(stmts, t.CI.ProviderARN, subject, audience); p != "" {
		return ciFinding{kind: ciWrong, fix: deployCIStack(t),
			message: fmt.Sprintf("role %s must trust exactly sub %s (aud %s) from GitHub's OIDC provider, but it %s", name, subject, audience, p)}
	}
	return ciFinding{kind: ciOK}
}

// deployCIStack is the fix for roles that are missing or trust the wrong
// subject: the stack writes both from cdk.json, so deploying it (again)
// repairs either.
func deployCIStack(t Target) string {
	return fmt.Sprintf(`an administrator of account %s deploys %s from this cdk.json ("wellknown:ci" → github.repository %s), as in README "Deploying from CI"`,
		t.Account, ciroles.StackName(t.Account), t.CI.Repository)
}

// oidcProvider reads the account's GitHub OIDC provider once per run:
// without it, or without the partition's audience among its client IDs,
// STS refuses GitHub's tokens for every role.
func (d *doctor) oidcProvider(ctx context.Context, c clients, t Target) ciFinding {
	arn := t.CI.ProviderARN
	ans := d.providers.do(arn, func() providerAnswer {
		out, err := c.iam.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
		return providerAnswer{out, err}
	})
	var missing *iamtypes.NoSuchEntityException
	switch err := ans.err; {
	case errors.As(err, &missing) && t.CI.ExistingProvider:
		return ciFinding{kind: ciWrong, message: fmt.Sprintf(`GitHub's OIDC provider %s, which "wellknown:ci" → oidcProviderArns names as existing, does not exist, so no workflow can assume a role`, arn),
			fix: fmt.Sprintf(`remove account %s from oidcProviderArns so that %s creates the provider, and have an administrator deploy it`, t.Account, ciroles.StackName(t.Account))}
	case errors.As(err, &missing):
		return ciFinding{kind: ciMissing, message: fmt.Sprintf("GitHub's OIDC provider %s does not exist, so no workflow can assume a role", arn)}
	case isAccessDenied(err):
		return ciFinding{kind: ciDenied, message: "cannot read IAM with these credentials (" + apiText(err) + ")"}
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		return ciFinding{kind: ciError, message: fmt.Sprintf("could not read GitHub's OIDC provider %s: %s", arn, f.message), fix: f.fix}
	}
	audience := ciroles.Audience(t.Region)
	if ids := ans.out.ClientIDList; !slices.Contains(ids, audience) {
		listed := "none"
		if len(ids) > 0 {
			listed = strings.Join(ids, ", ")
		}
		return ciFinding{kind: ciWrong,
			message: fmt.Sprintf("GitHub's OIDC provider %s does not accept the audience %s (client IDs: %s), so STS refuses the workflows' tokens", arn, audience, listed),
			fix: fmt.Sprintf("an administrator adds it: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn %s --client-id %s --region %s",
				arn, audience, wkconfig.IAMRegion(t.Region))}
	}
	return ciFinding{kind: ciOK}
}
