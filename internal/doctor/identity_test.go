package doctor

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestHealthyEnvironment(t *testing.T) {
	srv := healthyFake(t)
	rep := mustRun(t, srv, devTarget())
	wantRows(t, rep, "dev", Pass, Pass, Pass, Warn, Pass, Pass)
	wantRow(t, rep, "dev", CheckIdentity, Pass, "account 111111111111", devARN)
	if !rep.OK() || rep.Passed != 5 || rep.Warnings != 1 || rep.Failed != 0 || rep.Skipped != 0 {
		t.Errorf("summary %+v", rep)
	}
	// The calls went to the environment's region, signed by its key.
	for _, c := range srv.Calls() {
		if c.Region != "eu-west-1" || c.AccessKeyID != devKey {
			t.Errorf("call %+v: want eu-west-1, %s", c, devKey)
		}
	}
}

func TestIdentityOtherAccount(t *testing.T) {
	srv := healthyFake(t)
	prod := Target{Env: "prod", Account: prodAccount, Region: "us-east-1", BucketName: "acme-links-prod", StackName: "WellKnown-prod", PublicBucket: true}
	rep := mustRun(t, srv, devTarget(), prod)
	wantRows(t, rep, "dev", Pass, Pass, Pass, Warn, Pass, Pass)
	wantRow(t, rep, "prod", CheckIdentity, Fail,
		"the credentials are for account 111111111111 ("+devARN+"), but prod deploys to account 333333333333",
		"use credentials for account 333333333333 (--profile NAME or AWS_PROFILE)")
	for _, name := range prod.checks()[1:] {
		wantRow(t, rep, "prod", name, Skip, "not checked: the credentials are for account 111111111111, not 333333333333")
	}
	if rep.OK() || rep.Failed != 1 || rep.Skipped != 5 {
		t.Errorf("summary %+v", rep)
	}
	// Nothing but STS was asked about prod: its answers would describe
	// the wrong account.
	for _, c := range srv.Calls() {
		if c.Region == "us-east-1" && c.Operation != "GetCallerIdentity" {
			t.Errorf("prod call after the identity failed: %+v", c)
		}
	}
}

func TestExpiredCredentials(t *testing.T) {
	srv := healthyFake(t)
	srv.ExpireCredentials(devKey)
	_, err := runWith(t, options(srv, devKey), devTarget())
	var ce *CredentialsError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *CredentialsError", err)
	}
	if !strings.Contains(ce.Error(), "the AWS credentials have expired (ExpiredToken: The security token included in the request is expired)") ||
		!strings.Contains(ce.Hint, "aws sso login") {
		t.Errorf("error %q, hint %q", ce, ce.Hint)
	}
}

func TestUnknownCredentials(t *testing.T) {
	srv := healthyFake(t)
	_, err := runWith(t, options(srv, "TESTKEYUNKNOWN000000"), devTarget())
	var ce *CredentialsError
	if !errors.As(err, &ce) || !strings.Contains(ce.Error(), "AWS does not accept these credentials (InvalidClientTokenId") {
		t.Fatalf("err = %v, want InvalidClientTokenId as a *CredentialsError", err)
	}
}

func TestMissingCredentials(t *testing.T) {
	srv := healthyFake(t)
	for name, provider := range map[string]aws.CredentialsProvider{
		"no provider": nil,
		"provider fails": aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{}, errors.New("the SSO session associated with this profile has expired")
		}),
	} {
		t.Run(name, func(t *testing.T) {
			opts := options(srv, devKey)
			opts.Config.Credentials = provider
			_, err := runWith(t, opts, devTarget())
			var ce *CredentialsError
			if !errors.As(err, &ce) || !strings.Contains(ce.Error(), "no usable AWS credentials") || !strings.Contains(ce.Hint, "--profile") {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("requests were sent without credentials: %+v", calls)
	}
}

// In an opt-in region the account has not enabled, AWS refuses the same
// credentials that work elsewhere: that environment fails, the run does
// not end as a credentials error.
func TestCredentialsRefusedInOneRegion(t *testing.T) {
	srv := healthyFake(t)
	srv.DisableRegion(devAccount, "ap-east-1")
	hk := Target{Env: "hk", Account: devAccount, Region: "ap-east-1", BucketName: "links-hk", StackName: "WellKnown-hk", PublicBucket: true}
	rep := mustRun(t, srv, devTarget(), hk)
	wantRows(t, rep, "dev", Pass, Pass, Pass, Warn, Pass, Pass)
	wantRow(t, rep, "hk", CheckIdentity, Fail, "AWS refused the credentials in ap-east-1: InvalidClientTokenId", "opt-in region not enabled")
	wantRow(t, rep, "hk", CheckStack, Skip, "the identity check failed")

	// With that environment alone, the credentials are all there is to say.
	_, err := runWith(t, options(srv, devKey), hk)
	var ce *CredentialsError
	if !errors.As(err, &ce) {
		t.Errorf("err = %v, want a *CredentialsError", err)
	}
}
