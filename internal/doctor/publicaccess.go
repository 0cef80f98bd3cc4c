package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3controltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
)

// What each account-level flag does to a bucket that is public through its
// bucket policy. The other two flags (BlockPublicAcls, IgnorePublicAcls)
// concern ACLs, which the stack never uses.
var policyFlagEffects = []struct {
	name   string
	get    func(*s3controltypes.PublicAccessBlockConfiguration) *bool
	breaks string
}{
	{"BlockPublicPolicy", func(c *s3controltypes.PublicAccessBlockConfiguration) *bool { return c.BlockPublicPolicy },
		"makes S3 reject the public bucket policy (the deploy fails with Access Denied on PutBucketPolicy and rolls back)"},
	{"RestrictPublicBuckets", func(c *s3controltypes.PublicAccessBlockConfiguration) *bool { return c.RestrictPublicBuckets },
		"makes S3 refuse anonymous reads despite the policy (Apple and Google get 403; the app links do not verify)"},
}

// publicAccess reads the account's S3 Block Public Access, which
// overrides the bucket's own setting. The answer is the effective one: it
// already includes an AWS Organizations S3 policy. What a member account
// cannot read are the organization's other guardrails (service control
// policies denying s3:PutBucketPolicy, …), hence the second row.
func (d *doctor) publicAccess(ctx context.Context, c clients, t Target) (account, org Check) {
	account = d.accountPublicAccess(ctx, c, t)
	org = Check{Name: CheckOrgPublicAccess}
	if !t.PublicBucket {
		org.Status = Pass
		org.Message = "the bucket is not public, so organization policies against public buckets do not affect it"
		return account, org
	}
	org.Status = Warn
	org.Message = "service control policies and other organization guardrails cannot be read from a member account (public-access shows the effective account setting, an Organizations S3 policy included)"
	org.Fix = "if the deploy fails with Access Denied on the bucket policy although public-access passes, ask the organization's administrators about account " + t.Account
	return account, org
}

func (d *doctor) accountPublicAccess(ctx context.Context, c clients, t Target) Check {
	row := Check{Name: CheckPublicAccess}
	if !t.PublicBucket {
		// The flags block public bucket policies and anonymous reads; a
		// private bucket has neither (CloudFront reads it through origin
		// access control, a grant to cloudfront.amazonaws.com for one
		// distribution, which S3 does not count as public).
		row.Status = Pass
		row.Message = fmt.Sprintf("bucket %s stays private, so account %s's S3 Block Public Access does not affect it", t.BucketName, t.Account)
		if t.Domain != nil {
			row.Message = fmt.Sprintf("bucket %s stays private (CloudFront serves %s through origin access control), so account %s's S3 Block Public Access does not affect it", t.BucketName, t.Domain.Name, t.Account)
		}
		return row
	}
	out, err := c.s3control.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(t.Account)})
	var none *s3controltypes.NoSuchPublicAccessBlockConfiguration
	switch {
	case errors.As(err, &none):
		row.Status = Pass
		row.Message = fmt.Sprintf("account %s has no account-level S3 Block Public Access", t.Account)
		return row
	case isAccessDenied(err):
		row.Status = Warn
		row.Message = fmt.Sprintf("cannot read account %s's S3 Block Public Access: %s", t.Account, apiText(err))
		row.Fix = "allow s3:GetAccountPublicAccessBlock to check; if BlockPublicPolicy is on, the deploy fails at the bucket policy"
		return row
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		row.Status, row.Message, row.Fix = Fail, "could not read the account's S3 Block Public Access: "+f.message, f.fix
		return row
	}
	cfg := out.PublicAccessBlockConfiguration
	if cfg == nil {
		cfg = &s3controltypes.PublicAccessBlockConfiguration{}
	}
	var on, effects []string
	for _, f := range policyFlagEffects {
		if aws.ToBool(f.get(cfg)) {
			on = append(on, f.name)
			effects = append(effects, f.name+" "+f.breaks)
		}
	}
	switch {
	case len(on) == 0:
		row.Status = Pass
		row.Message = fmt.Sprintf("account %s allows public bucket policies (BlockPublicPolicy and RestrictPublicBuckets are off)", t.Account)
	default:
		row.Status = Fail
		row.Message = fmt.Sprintf("account %s has S3 Block Public Access on: %s", t.Account, strings.Join(effects, "; "))
		row.Fix = fmt.Sprintf("an administrator of account %s turns %s off (s3:PutAccountPublicAccessBlock; BlockPublicAcls and IgnorePublicAcls can stay on), or the organization's administrators if an AWS Organizations S3 policy sets it", t.Account, strings.Join(on, " and "))
	}
	return row
}
