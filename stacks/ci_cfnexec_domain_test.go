package stacks_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
)

// domainVariants are custom-domain environments covering every shape a
// domain gives the stacks: in account 444444444444 one outside us-east-1
// whose certificate is created (so WellKnownCert-web too) and one in
// us-east-1 with CloudFront's access logs; in account 555555555555 one
// with a given certificate that keeps S3 public.
func domainVariants(t *testing.T) []preflight.Target {
	t.Helper()
	variant := func(name, account, region string, d config.Domain) preflight.Target {
		target := domainTarget(t, region, d, config.Retain)
		target.Env.Name, target.Env.Account, target.Env.BucketName = name, account, "acme-links-"+name
		target.Env.Domain.Name = name + ".acme.com"
		return target
	}
	given := config.Domain{CertificateARN: "arn:aws:acm:us-east-1:555555555555:certificate/0f0e0d0c-0b0a-0908-0706-050403020100", KeepS3Public: true}
	out := []preflight.Target{
		variant("web", "444444444444", "eu-west-1", zone),
		variant("webeast", "444444444444", config.CertificateRegion, zone),
		variant("webgiven", "555555555555", "eu-central-1", given),
	}
	if !out[0].Env.HasCertStack() || out[1].Env.HasCertStack() || out[2].Env.HasCertStack() {
		t.Fatal("the variants no longer have the certificate stacks they are meant to")
	}
	return out
}

// With custom domains the policy grants CloudFront, ACM, Route 53 and log
// delivery on the account's resources of those kinds only, "*" only where
// IAM has no resource for the action, and nothing of it to an account
// without a domain.
func TestCFNExecDomainDeniesTheRest(t *testing.T) {
	policy := cfnExecStatementsOf(t, synthCI(t, "domain", ciDomainProps()).tmpl)
	const acct = "111111111111"
	dist := "arn:aws:cloudfront::" + acct + ":distribution/E2WELLKNOWN0TEST"
	for _, r := range []request{
		{"cloudfront:UpdateDistribution", dist, nil},
		{"cloudfront:AllowVendedLogDeliveryForResource", dist, nil},
		{"acm:DeleteCertificate", "arn:aws:acm:us-east-1:" + acct + ":certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", nil},
		{"route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + testZoneID, nil},
		{"logs:PutDeliverySource", "arn:aws:logs:us-east-1:" + acct + ":delivery-source:WellKnownwebeast", nil},
		{"cloudformation:DescribeStacks", "arn:aws:cloudformation:us-east-1:" + acct + ":stack/WellKnownCert-web/6d0e5f30-0000-11f0-8000-0a1b2c3d4e5f", nil},
	} {
		if !allowed(policy, r) {
			t.Errorf("denied %v; the probe no longer tests the deny cases below", r)
		}
	}
	for _, r := range []request{
		{"cloudfront:UpdateDistribution", "arn:aws:cloudfront::222222222222:distribution/E2WELLKNOWN0TEST", nil},
		{"cloudfront:CreateInvalidation", dist, nil},
		{"cloudfront:UpdateFunction", "arn:aws:cloudfront::" + acct + ":function/rewrite", nil},
		{"acm:DeleteCertificate", "arn:aws:acm:eu-west-1:" + acct + ":certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", nil},
		{"acm:ExportCertificate", "arn:aws:acm:us-east-1:" + acct + ":certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", nil},
		{"route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z9999999999OTHERZONE", nil},
		{"route53:DeleteHostedZone", "arn:aws:route53:::hostedzone/" + testZoneID, nil},
		{"logs:DeleteDeliverySource", "arn:aws:logs:us-east-1:" + acct + ":delivery-source:payroll", nil},
		{"logs:PutDeliverySource", "arn:aws:logs:eu-west-1:" + acct + ":delivery-source:WellKnownweb", nil},
		{"logs:PutDeliveryDestinationPolicy", "arn:aws:logs:us-east-1:" + acct + ":delivery-destination:WellKnownwebeast", nil},
		{"cloudformation:DescribeStacks", "arn:aws:cloudformation:us-east-1:" + acct + ":stack/payroll/6d0e5f30-0000-11f0-8000-0a1b2c3d4e5f", nil},
		{"cloudformation:UpdateStack", "arn:aws:cloudformation:us-east-1:" + acct + ":stack/WellKnownCert-web/6d0e5f30-0000-11f0-8000-0a1b2c3d4e5f", nil},
		{"ssm:GetParameters", "arn:aws:ssm:us-east-1:" + acct + ":parameter/prod/db-password", nil},
	} {
		if allowed(policy, r) {
			t.Errorf("%s allows %s on %s", ciroles.CFNExecPolicyName, r.action, r.resource)
		}
	}
	// "*" exactly for the actions IAM authorizes without a resource:
	// creating a distribution, an OAC or a certificate (no ARN yet), and
	// listing log groups, hosted zones and deliveries.
	want := `["acm:RequestCertificate","cloudfront:CreateDistribution","cloudfront:CreateOriginAccessControl","logs:DescribeDeliveries","logs:DescribeLogGroups","route53:ListHostedZones"]`
	if got := jsonOf(actionsOn(policy, "*")); got != want {
		t.Errorf("actions on *: %s, want %s", got, want)
	}
	plain := jsonOf(cfnExecStatementsOf(t, synthCI(t, "created", ciProps()).tmpl))
	for _, service := range []string{"cloudfront:", "acm:", "route53:", "Deliver", "cloudformation:", "us-east-1"} {
		if strings.Contains(plain, service) {
			t.Errorf("the policy of an account without a domain mentions %s", service)
		}
	}
}

// actionsOn lists, sorted, the actions the policy allows on resource
// pattern r exactly.
func actionsOn(policy []interface{}, r string) []string {
	var out []string
	for _, s := range policy {
		st := s.(map[string]interface{})
		if slices.Contains(asList(st["Resource"]), interface{}(r)) {
			for _, a := range asList(st["Action"]) {
				out = append(out, a.(string))
			}
		}
	}
	slices.Sort(out)
	return out
}
