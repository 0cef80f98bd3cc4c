package doctor

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// identityResult is the identity row plus what the other checks need.
type identityResult struct {
	check Check
	// otherAccount is set when the credentials are valid but for another
	// account than the environment's.
	otherAccount string
	// credErr is set when AWS refused the credentials themselves.
	credErr *CredentialsError
}

// identity asks STS whose credentials these are. `cdk deploy` with
// credentials for another account fails late (the deploy role cannot be
// assumed, or the stack lands in the wrong account when roles are
// bypassed), so this comes first. The call is made in the environment's
// region: an opt-in region that is not enabled, or another partition,
// refuses the credentials there and nowhere else.
func (d *doctor) identity(ctx context.Context, c clients, t Target) identityResult {
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if ce := credentialsProblem(err); ce != nil {
			return identityResult{credErr: ce, check: Check{Name: CheckIdentity, Status: Fail,
				Message: fmt.Sprintf("AWS refused the credentials in %s: %s", t.Region, apiText(err)),
				Fix:     fmt.Sprintf("if other environments pass, %s may be an opt-in region not enabled for the account, or in a partition (China, GovCloud) that needs its own credentials", t.Region),
			}}
		}
		f := describe(ctx, err, d.opts.Timeout)
		return identityResult{check: Check{Name: CheckIdentity, Status: Fail, Message: "could not ask STS who these credentials are: " + f.message, Fix: f.fix}}
	}
	account, arn := aws.ToString(out.Account), aws.ToString(out.Arn)
	switch {
	case account == "":
		return identityResult{check: Check{Name: CheckIdentity, Status: Fail,
			Message: "STS answered GetCallerIdentity without an account ID",
			Fix:     "something other than AWS may be answering: check HTTPS_PROXY and AWS_ENDPOINT_URL"}}
	case account != t.Account:
		return identityResult{otherAccount: account, check: Check{Name: CheckIdentity, Status: Fail,
			Message: fmt.Sprintf("the credentials are for account %s (%s), but %s deploys to account %s", account, arn, t.Env, t.Account),
			Fix:     fmt.Sprintf("use credentials for account %s (--profile NAME or AWS_PROFILE), or select only the environments of account %s with --env", t.Account, account),
		}}
	}
	return identityResult{check: Check{Name: CheckIdentity, Status: Pass,
		Message: fmt.Sprintf("credentials are for account %s (%s)", account, arn)}}
}
