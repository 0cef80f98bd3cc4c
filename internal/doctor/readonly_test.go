package doctor

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3controltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The exact set of operations doctor may send. Adding one is a
// deliberate change to this list; every one must only read.
var wantOperations = []string{
	"CloudFormation.DescribeStacks",
	"CloudFormation.ListStackResources",
	"S3 Control.GetPublicAccessBlock",
	"S3.GetBucketLocation",
	"S3.HeadBucket",
	"SSM.GetParameter",
	"STS.GetCallerIdentity",
}

func TestAllowedOperations(t *testing.T) {
	if got := AllowedOperations(); !slices.Equal(got, wantOperations) {
		t.Errorf("allowed operations %v, want %v", got, wantOperations)
	}
	for _, op := range AllowedOperations() {
		name := op[strings.LastIndex(op, ".")+1:]
		if !IsReadOnlyName(name) {
			t.Errorf("%s is allowed but its name is not a read-only verb", op)
		}
	}
	for name, want := range map[string]bool{
		"GetParameter": true, "ListStackResources": true, "DescribeStacks": true, "HeadBucket": true,
		"PutBucketPolicy": false, "DeleteStack": false, "CreateBucket": false, "Getaway": false, "Get": false, "UpdateStack": false,
	} {
		if IsReadOnlyName(name) != want {
			t.Errorf("IsReadOnlyName(%q) = %v", name, !want)
		}
	}
}

// Across runs that reach every branch, the fake receives exactly the
// allowed operations: none is dead, nothing else slips out.
func TestOperationsSent(t *testing.T) {
	srv := healthyFake(t)
	// dev: the account's bucket with HeadBucket denied (GetBucketLocation),
	// managed by an existing stack (ListStackResources).
	srv.AddBucket(devBucket, devAccount, "eu-west-1")
	srv.Deny(devAccount, "HeadBucket")
	srv.SetStack(devAccount, "eu-west-1", devStack("UPDATE_COMPLETE", "CREATE_COMPLETE"))
	// prod: another account, so only its identity is asked.
	prod := Target{Env: "prod", Account: prodAccount, Region: "us-east-1", BucketName: "acme-links-prod", StackName: "WellKnown-prod", PublicBucket: true}
	rep := mustRun(t, srv, devTarget(), prod)
	wantRow(t, rep, "dev", CheckBucket, Pass)
	if got := srv.Operations(); !slices.Equal(got, wantOperations) {
		t.Errorf("operations sent %v, want exactly %v", got, wantOperations)
	}
}

// The guard sits on every client doctor builds: a write is refused
// before it is signed or sent.
func TestGuardRefusesWrites(t *testing.T) {
	srv := healthyFake(t)
	opts := options(srv, devKey).withDefaults()
	d := &doctor{cfg: *opts.Config, opts: opts}
	d.cfg.HTTPClient = opts.HTTPClient
	c := d.clients("eu-west-1")
	ctx := context.Background()
	writes := map[string]func() error{
		"STS.AssumeRole": func() error {
			_, err := c.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/x"), RoleSessionName: aws.String("x")})
			return err
		},
		"SSM.PutParameter": func() error {
			_, err := c.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(bootParam), Value: aws.String("99")})
			return err
		},
		"S3 Control.PutPublicAccessBlock": func() error {
			_, err := c.s3control.PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{AccountId: aws.String(devAccount), PublicAccessBlockConfiguration: &s3controltypes.PublicAccessBlockConfiguration{}})
			return err
		},
		"S3.PutBucketPolicy": func() error {
			_, err := c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(devBucket), Policy: aws.String("{}")})
			return err
		},
		"S3.GetBucketPolicy": func() error { // reads, but is not on the list
			_, err := c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(devBucket)})
			return err
		},
		"CloudFormation.DeleteStack": func() error {
			_, err := c.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("WellKnown-dev")})
			return err
		},
	}
	for op, call := range writes {
		err := call()
		var refused *ErrNotReadOnly
		if !errors.As(err, &refused) || refused.Service+"."+refused.Operation != op {
			t.Errorf("%s: err = %v, want it refused by the guard", op, err)
		}
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("refused operations reached the endpoint: %+v", calls)
	}
}
