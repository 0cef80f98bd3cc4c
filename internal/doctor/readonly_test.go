package doctor

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	route53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3controltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The exact set of operations doctor may send. Adding one is a
// deliberate change to this list; every one must only read.
var wantOperations = []string{
	"ACM.DescribeCertificate",
	"CloudFormation.DescribeStacks",
	"CloudFormation.ListStackResources",
	"IAM.GetOpenIDConnectProvider",
	"IAM.GetRole",
	"Route 53.GetHostedZone",
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
		"GetRole": true, "GetOpenIDConnectProvider": true, "DescribeCertificate": true, "GetHostedZone": true,
		"UpdateAssumeRolePolicy": false, "ChangeResourceRecordSets": false, "RequestCertificate": false,
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
	// ... served at a custom domain that keeps S3 public (so Block Public
	// Access is read), with CI roles.
	withDomain(srv)
	withCIRoles(srv)
	dev := domainTarget()
	dev.PublicBucket = true
	dev.CI = ciTarget().CI
	// prod: another account, so only its identity is asked.
	prod := Target{Env: "prod", Account: prodAccount, Region: "us-east-1", BucketName: "acme-links-prod", StackName: "WellKnown-prod", PublicBucket: true}
	rep := mustRun(t, srv, dev, prod)
	wantRow(t, rep, "dev", CheckBucket, Pass)
	wantRows(t, rep, "dev", Pass, Pass, Pass, Warn, Pass, Pass, Pass, Pass, Pass)
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
		"IAM.UpdateAssumeRolePolicy": func() error {
			_, err := c.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("wellknown-deploy-dev"), PolicyDocument: aws.String("{}")})
			return err
		},
		"IAM.ListRoles": func() error { // reads, but is not on the list
			_, err := c.iam.ListRoles(ctx, &iam.ListRolesInput{})
			return err
		},
		"ACM.DeleteCertificate": func() error {
			_, err := c.acm.DeleteCertificate(ctx, &acm.DeleteCertificateInput{CertificateArn: aws.String(devCert)})
			return err
		},
		"Route 53.ChangeResourceRecordSets": func() error {
			_, err := c.route53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(devZone),
				ChangeBatch: &route53types.ChangeBatch{Changes: []route53types.Change{{Action: route53types.ChangeActionDelete,
					ResourceRecordSet: &route53types.ResourceRecordSet{Name: aws.String(devHost), Type: route53types.RRTypeA}}}}})
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
