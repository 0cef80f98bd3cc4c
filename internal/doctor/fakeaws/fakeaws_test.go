package fakeaws_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3controltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

const (
	account = "111111111111"
	key     = "TESTKEY0000000000001"
)

func start(t *testing.T) (*fakeaws.Server, aws.Config) {
	t.Helper()
	srv, err := fakeaws.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.AddCredentials(key, account, "arn:aws:iam::111111111111:user/test")
	cfg := aws.Config{
		Region:      "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider(key, "secret", ""),
		HTTPClient:  srv.HTTPClient(),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return srv, cfg
}

func code(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// The real SDK clients, unmodified except for the HTTP client, read the
// fake's answers and errors into their typed results.
func TestWireProtocols(t *testing.T) {
	srv, cfg := start(t)
	ctx := context.Background()

	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Account) != account || aws.ToString(id.Arn) != "arn:aws:iam::111111111111:user/test" {
		t.Errorf("GetCallerIdentity: %+v, %v", id, err)
	}

	ssmc := ssm.NewFromConfig(cfg)
	_, err = ssmc.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version")})
	var pnf *ssmtypes.ParameterNotFound
	if !errors.As(err, &pnf) {
		t.Errorf("missing parameter: %v, want *ParameterNotFound", err)
	}
	srv.SetParameter(account, "eu-west-1", "/cdk-bootstrap/hnb659fds/version", "30")
	p, err := ssmc.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version")})
	if err != nil || aws.ToString(p.Parameter.Value) != "30" || aws.ToString(p.Parameter.ARN) != "arn:aws:ssm:eu-west-1:111111111111:parameter/cdk-bootstrap/hnb659fds/version" {
		t.Errorf("GetParameter: %+v, %v", p, err)
	}

	ctl := s3control.NewFromConfig(cfg)
	_, err = ctl.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(account)})
	var nopab *s3controltypes.NoSuchPublicAccessBlockConfiguration
	if !errors.As(err, &nopab) {
		t.Errorf("no configuration: %v, want *NoSuchPublicAccessBlockConfiguration", err)
	}
	srv.SetPublicAccessBlock(account, &fakeaws.PublicAccessBlock{BlockPublicPolicy: true})
	pab, err := ctl.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(account)})
	if err != nil || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) || aws.ToBool(pab.PublicAccessBlockConfiguration.RestrictPublicBuckets) {
		t.Errorf("GetPublicAccessBlock: %+v, %v", pab, err)
	}

	cfn := cloudformation.NewFromConfig(cfg)
	_, err = cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("WellKnown-dev")})
	if code(err) != "ValidationError" || !strings.Contains(err.Error(), "Stack with id WellKnown-dev does not exist") {
		t.Errorf("missing stack: %v", err)
	}
	srv.SetStack(account, "eu-west-1", fakeaws.Stack{Name: "WellKnown-dev", Status: "ROLLBACK_COMPLETE", StatusReason: "boom",
		Resources: []fakeaws.Resource{{LogicalID: "B", PhysicalID: "b1", Type: "AWS::S3::Bucket", Status: "DELETE_SKIPPED"}}})
	ds, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("WellKnown-dev")})
	if err != nil || len(ds.Stacks) != 1 || ds.Stacks[0].StackStatus != "ROLLBACK_COMPLETE" || aws.ToString(ds.Stacks[0].StackStatusReason) != "boom" {
		t.Errorf("DescribeStacks: %+v, %v", ds, err)
	}
	lr, err := cfn.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("WellKnown-dev")})
	if err != nil || len(lr.StackResourceSummaries) != 1 || aws.ToString(lr.StackResourceSummaries[0].PhysicalResourceId) != "b1" || lr.StackResourceSummaries[0].ResourceStatus != "DELETE_SKIPPED" {
		t.Errorf("ListStackResources: %+v, %v", lr, err)
	}

	want := []string{"CloudFormation.DescribeStacks", "CloudFormation.ListStackResources", "S3 Control.GetPublicAccessBlock", "SSM.GetParameter", "STS.GetCallerIdentity"}
	if got := srv.Operations(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("operations %v, want %v", got, want)
	}
	for _, c := range srv.Calls() {
		if c.Region != "eu-west-1" || c.AccessKeyID != key || c.Proxied {
			t.Errorf("call %+v", c)
		}
		if c.Service == "S3 Control" && c.Host != "111111111111.s3-control.eu-west-1.amazonaws.com" {
			t.Errorf("S3 Control host %s", c.Host)
		}
	}
}

// S3 in both addressing styles: 404, 301 with the bucket's region, 403
// for another owner, 200 with the region.
func TestS3(t *testing.T) {
	for _, pathStyle := range []bool{false, true} {
		name := map[bool]string{false: "virtual-hosted", true: "path"}[pathStyle]
		t.Run(name, func(t *testing.T) {
			srv, cfg := start(t)
			ctx := context.Background()
			c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = pathStyle })
			head := func(bucket, owner string) (*s3.HeadBucketOutput, error) {
				in := &s3.HeadBucketInput{Bucket: aws.String(bucket)}
				if owner != "" {
					in.ExpectedBucketOwner = aws.String(owner)
				}
				return c.HeadBucket(ctx, in)
			}
			var nf *s3types.NotFound
			if _, err := head("free-name", ""); !errors.As(err, &nf) {
				t.Errorf("free name: %v, want *NotFound", err)
			}
			srv.AddBucket("mine", account, "eu-west-1")
			srv.AddBucket("theirs", "999999999999", "eu-west-1")
			srv.AddBucket("far", account, "ap-southeast-2")
			if out, err := head("mine", account); err != nil || aws.ToString(out.BucketRegion) != "eu-west-1" {
				t.Errorf("mine: %+v, %v", out, err)
			}
			if _, err := head("theirs", account); code(err) != "Forbidden" {
				t.Errorf("theirs: %v, want 403", err)
			}
			_, err := head("far", "")
			if code(err) != "MovedPermanently" {
				t.Errorf("far: %v, want 301", err)
			}
			loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("far")})
			if err != nil || loc.LocationConstraint != "ap-southeast-2" {
				t.Errorf("GetBucketLocation: %+v, %v", loc, err)
			}
			wantHost := map[bool]string{false: "mine.s3.eu-west-1.amazonaws.com", true: "s3.eu-west-1.amazonaws.com"}[pathStyle]
			found := false
			for _, call := range srv.Calls() {
				found = found || call.Host == wantHost
				if call.Operation != "HeadBucket" && call.Operation != "GetBucketLocation" {
					t.Errorf("call %+v", call)
				}
			}
			if !found {
				t.Errorf("no request to %s: %+v", wantHost, srv.Calls())
			}
		})
	}
}

func TestCredentialErrors(t *testing.T) {
	srv, cfg := start(t)
	ctx := context.Background()
	cfg.Credentials = credentials.NewStaticCredentialsProvider("TESTKEYNOBODY0000000", "x", "")
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); code(err) != "InvalidClientTokenId" {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("x")}); code(err) != "UnrecognizedClientException" {
		t.Errorf("unknown key, SSM: %v", err)
	}
	srv.ExpireCredentials(key)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(key, "x", "")
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); code(err) != "ExpiredToken" {
		t.Errorf("expired: %v", err)
	}
	if _, err := cloudformation.NewFromConfig(cfg).DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("x")}); code(err) != "ExpiredToken" {
		t.Errorf("expired, CloudFormation: %v", err)
	}
}

func TestFaults(t *testing.T) {
	srv, cfg := start(t)
	ctx := context.Background()
	c := sts.NewFromConfig(cfg)
	srv.SetFault("GetCallerIdentity", fakeaws.Fault{Throttle: 2})
	for i, want := range []string{"Throttling", "Throttling", ""} {
		if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); code(err) != want {
			t.Errorf("request %d: %v, want %q", i+1, err, want)
		}
	}
	srv.SetFault("GetCallerIdentity", fakeaws.Fault{Garbage: true})
	var de *smithy.DeserializationError
	if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); !errors.As(err, &de) {
		t.Errorf("garbage: %v, want a deserialization error", err)
	}
	if n := srv.Count("GetCallerIdentity"); n != 4 {
		t.Errorf("%d requests recorded, want 4", n)
	}
}

// The proxy terminates TLS for the requested host with a certificate from
// the test CA and never dials out.
func TestProxy(t *testing.T) {
	srv, _ := start(t)
	pem, err := os.ReadFile(srv.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	proxy, _ := url.Parse(srv.ProxyURL())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: pool}}}
	form := url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}
	req, _ := http.NewRequest(http.MethodPost, "https://sts.eu-west-1.amazonaws.com/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// Unsigned: refused the way STS refuses it, which proves the request
	// reached the fake's STS through the tunnel.
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>MissingAuthenticationToken</Code>") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	if len(resp.TLS.PeerCertificates) == 0 || resp.TLS.PeerCertificates[0].DNSNames[0] != "sts.eu-west-1.amazonaws.com" {
		t.Errorf("certificate %+v", resp.TLS.PeerCertificates)
	}
	calls := srv.Calls()
	if got := srv.Connects(); len(got) != 1 || got[0] != "sts.eu-west-1.amazonaws.com:443" || len(calls) != 1 || !calls[0].Proxied {
		t.Errorf("connects %v, calls %+v", got, calls)
	}

	// Anything that is not an AWS endpoint is refused, not tunnelled.
	req, _ = http.NewRequest(http.MethodGet, "https://example.org/", nil)
	if _, err := client.Do(req); err == nil {
		t.Error("the proxy tunnelled to example.org")
	}
}
