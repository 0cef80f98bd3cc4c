package fakeaws_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	route53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

const (
	trust    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:acme/app-links:environment:dev"}}}]}`
	certARN  = "arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	provider = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
)

// globalClients are the IAM, ACM and Route 53 clients as doctor builds
// them: IAM and Route 53 in the partition's signing region, ACM in
// us-east-1, where CloudFront takes certificates from.
func globalClients(cfg aws.Config) (*iam.Client, *acm.Client, *route53.Client) {
	cfg.Region = "us-east-1"
	return iam.NewFromConfig(cfg), acm.NewFromConfig(cfg), route53.NewFromConfig(cfg)
}

// IAM, ACM and Route 53 answers and errors reach the SDK's typed results.
func TestGlobalServices(t *testing.T) {
	srv, cfg := start(t)
	ctx := context.Background()
	iamc, acmc, r53 := globalClients(cfg)

	// IAM: a missing role, then the role with its trust policy, which
	// GetRole answers URL-encoded.
	_, err := iamc.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("wellknown-deploy-dev")})
	var nse *iamtypes.NoSuchEntityException
	if !errors.As(err, &nse) || !strings.Contains(err.Error(), "The role with name wellknown-deploy-dev cannot be found.") {
		t.Errorf("missing role: %v, want *NoSuchEntityException", err)
	}
	srv.SetRole(account, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trust})
	role, err := iamc.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("wellknown-deploy-dev")})
	if err != nil {
		t.Fatalf("GetRole: %v", err)
	}
	doc := aws.ToString(role.Role.AssumeRolePolicyDocument)
	if strings.ContainsAny(doc, `{":`) {
		t.Errorf("trust policy is not URL-encoded: %s", doc)
	}
	if decoded, err := url.PathUnescape(doc); err != nil || decoded != trust {
		t.Errorf("decoded trust policy %q (%v), want %q", decoded, err, trust)
	}
	if aws.ToString(role.Role.Arn) != "arn:aws:iam::111111111111:role/wellknown-deploy-dev" {
		t.Errorf("role ARN %s", aws.ToString(role.Role.Arn))
	}

	_, err = iamc.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(provider)})
	if !errors.As(err, &nse) {
		t.Errorf("missing provider: %v, want *NoSuchEntityException", err)
	}
	srv.SetOIDCProvider(account, fakeaws.OIDCProvider{URL: "https://token.actions.githubusercontent.com", ClientIDs: []string{"sts.amazonaws.com"}})
	p, err := iamc.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(provider)})
	if err != nil || aws.ToString(p.Url) != "token.actions.githubusercontent.com" || !slices.Equal(p.ClientIDList, []string{"sts.amazonaws.com"}) {
		t.Errorf("GetOpenIDConnectProvider: %+v, %v", p, err)
	}
	_, err = iamc.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String("arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com")})
	if code(err) != "AccessDenied" {
		t.Errorf("another account's provider: %v, want AccessDenied", err)
	}

	// ACM: unknown, then issued.
	_, err = acmc.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(certARN)})
	var rnf *acmtypes.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("missing certificate: %v, want *ResourceNotFoundException", err)
	}
	notAfter := time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)
	srv.SetCertificate(account, fakeaws.Certificate{ARN: certARN, DomainName: "acme.com", SubjectAlternativeNames: []string{"*.acme.com"},
		Status: "ISSUED", NotAfter: notAfter, RenewalEligibility: "ELIGIBLE"})
	c, err := acmc.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(certARN)})
	if err != nil {
		t.Fatalf("DescribeCertificate: %v", err)
	}
	d := c.Certificate
	if d.Status != acmtypes.CertificateStatusIssued || aws.ToString(d.DomainName) != "acme.com" || !slices.Equal(d.SubjectAlternativeNames, []string{"acme.com", "*.acme.com"}) ||
		!aws.ToTime(d.NotAfter).Equal(notAfter) || d.RenewalEligibility != acmtypes.RenewalEligibilityEligible || d.Type != acmtypes.CertificateTypeAmazonIssued {
		t.Errorf("certificate %+v", d)
	}
	// ACM is regional: the certificate is unknown in another region.
	euACM := acm.NewFromConfig(cfg) // eu-west-1
	if _, err := euACM.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(certARN)}); !errors.As(err, &rnf) {
		t.Errorf("certificate asked for in eu-west-1: %v, want *ResourceNotFoundException", err)
	}

	// Route 53: unknown, public, private.
	_, err = r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("Z0123456789ABCDEFGHIJ")})
	var nshz *route53types.NoSuchHostedZone
	if !errors.As(err, &nshz) || !strings.Contains(err.Error(), "No hosted zone found with ID: Z0123456789ABCDEFGHIJ") {
		t.Errorf("missing zone: %v, want *NoSuchHostedZone", err)
	}
	srv.SetHostedZone(account, fakeaws.HostedZone{ID: "Z0123456789ABCDEFGHIJ", Name: "acme.com"})
	srv.SetHostedZone(account, fakeaws.HostedZone{ID: "ZPRIVATE0000000000000", Name: "acme.com", Private: true})
	z, err := r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("/hostedzone/Z0123456789ABCDEFGHIJ")})
	if err != nil || aws.ToString(z.HostedZone.Name) != "acme.com." || aws.ToString(z.HostedZone.Id) != "/hostedzone/Z0123456789ABCDEFGHIJ" ||
		z.HostedZone.Config == nil || z.HostedZone.Config.PrivateZone || z.DelegationSet == nil || len(z.DelegationSet.NameServers) != 4 {
		t.Errorf("public zone: %+v, %v", z, err)
	}
	z, err = r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("ZPRIVATE0000000000000")})
	if err != nil || !z.HostedZone.Config.PrivateZone || len(z.VPCs) != 1 || z.DelegationSet != nil {
		t.Errorf("private zone: %+v, %v", z, err)
	}

	want := []string{"ACM.DescribeCertificate", "IAM.GetOpenIDConnectProvider", "IAM.GetRole", "Route 53.GetHostedZone"}
	if got := srv.Operations(); !slices.Equal(got, want) {
		t.Errorf("operations %v, want %v", got, want)
	}
	hosts := map[string]string{"IAM": "iam.amazonaws.com", "Route 53": "route53.amazonaws.com"}
	for _, c := range srv.Calls() {
		if want, ok := hosts[c.Service]; ok && (c.Host != want || c.Region != "us-east-1") {
			t.Errorf("call %+v: want %s signed for us-east-1", c, want)
		}
	}
}

// Denied, expired and throttled, in each service's own error shape.
func TestGlobalServiceErrors(t *testing.T) {
	srv, cfg := start(t)
	ctx := context.Background()
	iamc, acmc, r53 := globalClients(cfg)
	calls := map[string]func() error{
		"GetRole": func() error {
			_, err := iamc.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})
			return err
		},
		"DescribeCertificate": func() error {
			_, err := acmc.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(certARN)})
			return err
		},
		"GetHostedZone": func() error {
			_, err := r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("Z1")})
			return err
		},
	}
	for op, want := range map[string][3]string{ // denied, throttled, expired
		"GetRole":             {"AccessDenied", "Throttling", "ExpiredToken"},
		"DescribeCertificate": {"AccessDeniedException", "ThrottlingException", "ExpiredTokenException"},
		"GetHostedZone":       {"AccessDenied", "Throttling", "ExpiredToken"},
	} {
		srv.Deny(account, op)
		if err := calls[op](); code(err) != want[0] {
			t.Errorf("%s denied: %v, want %s", op, err, want[0])
		}
		srv.SetFault(op, fakeaws.Fault{Throttle: 1})
		if err := calls[op](); code(err) != want[1] {
			t.Errorf("%s throttled: %v, want %s", op, err, want[1])
		}
	}
	srv.ExpireCredentials(key)
	for op, want := range map[string]string{"GetRole": "ExpiredToken", "DescribeCertificate": "ExpiredTokenException", "GetHostedZone": "ExpiredToken"} {
		if err := calls[op](); code(err) != want {
			t.Errorf("%s expired: %v, want %s", op, err, want)
		}
	}
}

// IAM's endpoint and signing region depend on the partition; the fake
// refuses a signature scoped to any other region.
func TestIAMPartitions(t *testing.T) {
	srv, cfg := start(t)
	ctx := context.Background()
	srv.SetRole(account, fakeaws.Role{Name: "r", TrustPolicy: trust})
	for region, host := range map[string]string{
		"cn-north-1":    "iam.cn-north-1.amazonaws.com.cn",
		"us-gov-west-1": "iam.us-gov.amazonaws.com",
	} {
		c := cfg.Copy()
		c.Region = region
		out, err := iam.NewFromConfig(c).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})
		if err != nil {
			t.Errorf("%s: %v", region, err)
			continue
		}
		calls := srv.Calls()
		last := calls[len(calls)-1]
		if last.Host != host || last.Region != region {
			t.Errorf("%s: call %+v, want %s", region, last, host)
		}
		if !strings.HasPrefix(aws.ToString(out.Role.Arn), "arn:"+map[string]string{"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"}[region]+":iam::") {
			t.Errorf("%s: role ARN %s", region, aws.ToString(out.Role.Arn))
		}
	}
}

// The new hosts work through the CONNECT proxy, as the others do.
func TestGlobalServicesThroughProxy(t *testing.T) {
	srv, cfg := start(t)
	pem, err := os.ReadFile(srv.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	proxy, _ := url.Parse(srv.ProxyURL())
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: pool}}}
	srv.SetHostedZone(account, fakeaws.HostedZone{ID: "Z1", Name: "acme.com"})
	srv.SetCertificate(account, fakeaws.Certificate{ARN: certARN, DomainName: "links.acme.com", Status: "PENDING_VALIDATION"})
	srv.SetRole(account, fakeaws.Role{Name: "r", TrustPolicy: trust})
	iamc, acmc, r53 := globalClients(cfg)
	ctx := context.Background()
	if _, err := iamc.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}); err != nil {
		t.Errorf("GetRole: %v", err)
	}
	if _, err := acmc.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(certARN)}); err != nil {
		t.Errorf("DescribeCertificate: %v", err)
	}
	if _, err := r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("Z1")}); err != nil {
		t.Errorf("GetHostedZone: %v", err)
	}
	want := []string{"iam.amazonaws.com:443", "acm.us-east-1.amazonaws.com:443", "route53.amazonaws.com:443"}
	if got := srv.Connects(); !slices.Equal(got, want) {
		t.Errorf("connects %v, want %v", got, want)
	}
	for _, c := range srv.Calls() {
		if !c.Proxied {
			t.Errorf("not proxied: %+v", c)
		}
	}
}
