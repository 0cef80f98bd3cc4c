package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

type bucketState int

const (
	bucketFailed      bucketState = iota // no usable answer; row says why
	bucketAbsent                         // 404: nobody has the name
	bucketOurs                           // exists in the environment's account and region
	bucketElsewhere                      // 403: exists, not readable as the account's
	bucketOtherRegion                    // exists in another region
)

// bucketProbe is what S3 said about the bucket name.
type bucketProbe struct {
	state  bucketState
	region string // where the bucket is, when known
	// headDenied: HeadBucket was refused, but GetBucketLocation showed
	// the bucket is the account's.
	headDenied bool
	row        Check // for bucketFailed
}

// probeBucket asks S3 about the bucket name. Bucket names are global
// across all accounts of a partition, so the create fails when anyone
// anywhere has the name; a bucket cannot move between regions either.
// ExpectedBucketOwner turns "exists, but another account's" into a 403
// even when that account would let us read it.
func (d *doctor) probeBucket(ctx context.Context, c clients, t Target) bucketProbe {
	out, err := c.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(t.BucketName), ExpectedBucketOwner: aws.String(t.Account)})
	if err == nil {
		region := aws.ToString(out.BucketRegion)
		if region == "" {
			region = t.Region
		}
		if region != t.Region {
			return bucketProbe{state: bucketOtherRegion, region: region}
		}
		return bucketProbe{state: bucketOurs, region: region}
	}
	// S3 names the bucket's region in x-amz-bucket-region on the 301 (or
	// 400) it answers at another region's endpoint; HEAD has no body.
	if r := responseHeader(err, "x-amz-bucket-region"); r != "" && r != t.Region {
		return bucketProbe{state: bucketOtherRegion, region: r}
	}
	var nf *s3types.NotFound
	switch status := httpStatus(err); {
	case errors.As(err, &nf) || status == http.StatusNotFound:
		return bucketProbe{state: bucketAbsent}
	case status == http.StatusForbidden:
		return d.locateDenied(ctx, c, t)
	case status == http.StatusMovedPermanently:
		return bucketProbe{state: bucketOtherRegion}
	}
	f := describe(ctx, err, d.opts.Timeout)
	return bucketProbe{state: bucketFailed, row: Check{Name: CheckBucket, Status: Fail,
		Message: fmt.Sprintf("could not look up bucket %s: %s", t.BucketName, f.message), Fix: f.fix}}
}

// locateDenied follows a 403 from HeadBucket: GetBucketLocation, which the
// owner may call without s3:ListBucket, tells "the account's, but these
// credentials may not list it" from "another account's".
func (d *doctor) locateDenied(ctx context.Context, c clients, t Target) bucketProbe {
	out, err := c.s3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(t.BucketName), ExpectedBucketOwner: aws.String(t.Account)})
	switch {
	case err != nil && (httpStatus(err) == http.StatusForbidden || isAccessDenied(err)):
		return bucketProbe{state: bucketElsewhere}
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		return bucketProbe{state: bucketFailed, row: Check{Name: CheckBucket, Status: Fail,
			Message: fmt.Sprintf("could not look up bucket %s: %s", t.BucketName, f.message), Fix: f.fix}}
	}
	region := locationRegion(out.LocationConstraint)
	if region != t.Region {
		return bucketProbe{state: bucketOtherRegion, region: region, headDenied: true}
	}
	return bucketProbe{state: bucketOurs, region: region, headDenied: true}
}

// locationRegion maps GetBucketLocation's answer to a region: empty means
// us-east-1 and the legacy "EU" means eu-west-1.
func locationRegion(c s3types.BucketLocationConstraint) string {
	switch c {
	case "":
		return "us-east-1"
	case s3types.BucketLocationConstraintEu:
		return "eu-west-1"
	}
	return string(c)
}

// bucketVerdict judges the probe against the stack: the account's own
// bucket is fine only when the stack manages it; otherwise the create
// fails with "already exists". A bucket left behind by a deleted stack
// (removalPolicy "retain", the default) is the usual case.
func (d *doctor) bucketVerdict(ctx context.Context, c clients, t Target, p bucketProbe, stack stackInfo) Check {
	row := Check{Name: CheckBucket}
	renameFix := fmt.Sprintf(`choose another name: set "bucketName" of %q in cdk.json (context["wellknown:environments"].%s.bucketName)`, t.Env, t.Env)
	switch p.state {
	case bucketFailed:
		return p.row
	case bucketElsewhere:
		row.Status = Fail
		row.Message = fmt.Sprintf("bucket name %s is taken: the bucket exists but is not account %s's (403; bucket names are global across all AWS accounts)", t.BucketName, t.Account)
		row.Fix = renameFix
		return row
	case bucketOtherRegion:
		row.Status = Fail
		where := "another region"
		if p.region != "" {
			where = p.region
		}
		row.Message = fmt.Sprintf("bucket %s exists in %s, but %s deploys to %s; a bucket cannot change region and its name is global", t.BucketName, where, t.Env, t.Region)
		row.Fix = renameFix
		if p.headDenied || p.region != "" {
			row.Fix += fmt.Sprintf(", or, if the bucket in %s is yours and disposable, delete it first", where)
		}
		return row
	case bucketAbsent:
		row.Status = Pass
		row.Message = fmt.Sprintf("bucket %s does not exist yet; the deploy creates it", t.BucketName)
		if stack.exists {
			if found, _, err := d.stackBucket(ctx, c, t); err == nil && found {
				row.Status = Warn
				row.Message = fmt.Sprintf("stack %s manages bucket %s, but the bucket no longer exists (deleted outside CloudFormation?)", t.StackName, t.BucketName)
				row.Fix = "the next update that touches the bucket or its files fails; delete the stack and deploy again"
			}
		}
		return row
	}

	// The bucket is the account's, in the right region.
	denied := ""
	if p.headDenied {
		denied = " (HeadBucket was refused; GetBucketLocation shows it is the account's)"
	}
	leftOver := fmt.Sprintf("the create fails with \"%s already exists\"", t.BucketName)
	adopt := fmt.Sprintf("delete the bucket if its contents are disposable, adopt it with npx cdk import %s, or ", t.StackName)
	switch {
	case !stack.known:
		row.Status = Warn
		row.Message = fmt.Sprintf("bucket %s exists in account %s%s; whether stack %s manages it is unknown (see the stack row)", t.BucketName, t.Account, denied, t.StackName)
		return row
	case !stack.exists:
		row.Status = Fail
		row.Message = fmt.Sprintf("bucket %s already exists in account %s%s, but stack %s does not; %s (a stack deleted with removalPolicy \"retain\" leaves its bucket behind)", t.BucketName, t.Account, denied, t.StackName, leftOver)
		row.Fix = adopt + renameFix
		return row
	}
	found, status, err := d.stackBucket(ctx, c, t)
	switch {
	case err != nil:
		// Lacking the permission leaves a doubt; anything else is broken.
		f := describe(ctx, err, d.opts.Timeout)
		row.Status = Fail
		if isAccessDenied(err) {
			row.Status = Warn
		}
		row.Message = fmt.Sprintf("bucket %s exists in account %s%s; could not confirm that stack %s manages it: %s", t.BucketName, t.Account, denied, t.StackName, f.message)
		row.Fix = f.fix
	case !found:
		row.Status = Fail
		row.Message = fmt.Sprintf("bucket %s exists in account %s%s, but stack %s does not manage it; %s", t.BucketName, t.Account, denied, t.StackName, leftOver)
		row.Fix = adopt + renameFix
	case status == "DELETE_SKIPPED":
		row.Status = Warn
		row.Message = fmt.Sprintf("bucket %s was kept (DELETE_SKIPPED) when stack %s rolled back; once the stack is deleted, it blocks the next create", t.BucketName, t.StackName)
		row.Fix = fmt.Sprintf("when you delete the stack, delete the bucket too if its contents are disposable, or adopt it afterwards with npx cdk import %s", t.StackName)
	default:
		row.Status = Pass
		row.Message = fmt.Sprintf("bucket %s exists in account %s and is managed by stack %s%s", t.BucketName, t.Account, t.StackName, denied)
	}
	return row
}

// maxResourcePages bounds ListStackResources paging; the stack has about a
// dozen resources, so the first page is the usual end.
const maxResourcePages = 10

// stackBucket reports whether the stack has an AWS::S3::Bucket resource
// named t.BucketName, and its resource status.
func (d *doctor) stackBucket(ctx context.Context, c clients, t Target) (found bool, status string, err error) {
	in := &cloudformation.ListStackResourcesInput{StackName: aws.String(t.StackName)}
	for page := 0; page < maxResourcePages; page++ {
		out, err := c.cfn.ListStackResources(ctx, in)
		if err != nil {
			return false, "", err
		}
		for _, r := range out.StackResourceSummaries {
			if aws.ToString(r.ResourceType) == "AWS::S3::Bucket" && aws.ToString(r.PhysicalResourceId) == t.BucketName {
				return true, string(r.ResourceStatus), nil
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	return false, "", nil
}
