package doctor

import (
	"testing"
	"time"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

func TestCertificate(t *testing.T) {
	const replace = "request or import a certificate for links.acme.com in ACM in us-east-1 of account 111111111111 and set certificateArn to it, or remove certificateArn to have one created in the hosted zone"
	past := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	cert := func(mod func(*fakeaws.Certificate)) func(*fakeaws.Server) {
		return func(s *fakeaws.Server) {
			c := fakeaws.Certificate{ARN: devCert, DomainName: devHost, Status: "ISSUED", NotAfter: farFuture, RenewalEligibility: "ELIGIBLE"}
			mod(&c)
			s.SetCertificate(devAccount, c)
		}
	}
	for _, tc := range []struct {
		name     string
		setup    func(*fakeaws.Server)
		status   Status
		contains []string
	}{
		{"issued for the host", cert(func(*fakeaws.Certificate) {}), Pass,
			[]string{"certificate " + devCert + " is ISSUED for links.acme.com, valid until 2099-01-02; renewal eligible"}},
		{"a wildcard", cert(func(c *fakeaws.Certificate) {
			c.DomainName, c.SubjectAlternativeNames = "acme.com", []string{"*.acme.com"}
		}), Pass,
			[]string{"is ISSUED for links.acme.com (as *.acme.com)"}},
		{"an alternative name, imported, in use", cert(func(c *fakeaws.Certificate) {
			c.DomainName, c.SubjectAlternativeNames, c.Type = "www.acme.com", []string{"links.acme.com"}, "IMPORTED"
			c.InUseBy = []string{"arn:aws:cloudfront::111111111111:distribution/E2QWRUHAPOMQZL"}
		}), Pass, []string{"is ISSUED for links.acme.com, valid until 2099-01-02; imported: ACM does not renew it, replace it before it expires; in use by 1 resource(s)"}},
		{"pending validation", cert(func(c *fakeaws.Certificate) {
			c.Status, c.NotAfter = "PENDING_VALIDATION", time.Time{}
			c.ValidationRecordName, c.ValidationRecordValue = "_3639ac514e785e898d2646601fa951d5.links.acme.com.", "_98d2646601fa951d53639ac514e785e8.mhbtsbpdnt.acm-validations.aws."
		}), Fail, []string{"certificate " + devCert + " cannot serve links.acme.com: it is PENDING_VALIDATION: ACM has not found its DNS validation record (CNAME _3639ac514e785e898d2646601fa951d5.links.acme.com. → _98d2646601fa951d53639ac514e785e8.mhbtsbpdnt.acm-validations.aws.)",
			"create the validation record in the DNS zone of links.acme.com"}},
		{"expired", cert(func(c *fakeaws.Certificate) { c.Status, c.NotAfter = "EXPIRED", past }), Fail,
			[]string{"it is EXPIRED since 2020-01-02", replace}},
		{"issued but past its end", cert(func(c *fakeaws.Certificate) { c.NotAfter = past }), Fail,
			[]string{"it expired on 2020-01-02", replace}},
		{"validation timed out", cert(func(c *fakeaws.Certificate) { c.Status, c.NotAfter = "VALIDATION_TIMED_OUT", time.Time{} }), Fail,
			[]string{"it is VALIDATION_TIMED_OUT: ACM stops waiting for the validation record 72 hours after the request"}},
		{"failed", cert(func(c *fakeaws.Certificate) {
			c.Status, c.FailureReason, c.NotAfter = "FAILED", "CAA_ERROR", time.Time{}
		}), Fail,
			[]string{"it is FAILED (CAA_ERROR)"}},
		{"another name", cert(func(c *fakeaws.Certificate) { c.DomainName = "links.acme.org" }), Fail,
			[]string{"it covers links.acme.org, not links.acme.com", replace}},
		{"a wildcard one level too high", cert(func(c *fakeaws.Certificate) { c.DomainName = "*.com" }), Fail,
			[]string{"it covers *.com, not links.acme.com"}},
		{"the apex only", cert(func(c *fakeaws.Certificate) { c.DomainName = "acme.com" }), Fail,
			[]string{"it covers acme.com, not links.acme.com"}},
		{"pending and another name", cert(func(c *fakeaws.Certificate) { c.Status, c.DomainName = "PENDING_VALIDATION", "links.acme.org" }), Fail,
			[]string{"it is PENDING_VALIDATION", "; it covers links.acme.org, not links.acme.com", "create the validation record", "; " + replace}},
		{"missing", func(*fakeaws.Server) {}, Fail,
			[]string{"certificate " + devCert + " does not exist in ACM in us-east-1 of account 111111111111", replace}},
		{"denied", func(s *fakeaws.Server) { s.Deny(devAccount, "DescribeCertificate") }, Warn,
			[]string{"cannot read certificate " + devCert + ": AccessDeniedException: User: " + devARN + " is not authorized to perform: acm:DescribeCertificate",
				"allow acm:DescribeCertificate on it to check"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := healthyFake(t)
			srv.SetHostedZone(devAccount, fakeaws.HostedZone{ID: devZone, Name: "acme.com"})
			tc.setup(srv)
			rep := mustRun(t, srv, domainTarget())
			wantRow(t, rep, "dev", CheckCertificate, tc.status, tc.contains...)
			wantRows(t, rep, "dev", Pass, Pass, Pass, Pass, Pass, Pass, tc.status, Pass)
			// ACM is regional, and CloudFront reads certificates only from us-east-1.
			for _, c := range srv.Calls() {
				if c.Service == "ACM" && c.Host != "acm.us-east-1.amazonaws.com" {
					t.Errorf("ACM call to %s", c.Host)
				}
			}
		})
	}
}

// A certificate of another account is refused without asking ACM:
// CloudFront uses its own account's certificates only.
func TestCertificateOfAnotherAccount(t *testing.T) {
	srv := healthyFake(t)
	withDomain(srv)
	target := domainTarget()
	target.Domain.CertificateARN = "arn:aws:acm:us-east-1:999999999999:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	rep := mustRun(t, srv, target)
	wantRow(t, rep, "dev", CheckCertificate, Fail, "belongs to account 999999999999; CloudFront uses only certificates of the distribution's account, 111111111111", "request or import a certificate")
	if n := srv.Count("DescribeCertificate"); n != 0 {
		t.Errorf("%d DescribeCertificate calls, want none", n)
	}
}

// Without certificateArn the stack creates the certificate: nothing to
// read, and the row says where it comes from.
func TestCertificateCreated(t *testing.T) {
	for region, want := range map[string]string{
		"eu-west-1": "no certificateArn: a certificate for links.acme.com, validated by DNS in hosted zone acme.com, is created by stack WellKnownCert-dev in us-east-1 (CloudFront takes certificates only from there)",
		"us-east-1": "no certificateArn: a certificate for links.acme.com, validated by DNS in hosted zone acme.com, is created by stack WellKnown-dev",
	} {
		t.Run(region, func(t *testing.T) {
			srv := healthyFake(t)
			srv.SetParameter(devAccount, region, bootParam, "30")
			withDomain(srv)
			target := domainTarget()
			target.Region = region
			target.Domain.CertificateARN = ""
			rep := mustRun(t, srv, target)
			c := wantRow(t, rep, "dev", CheckCertificate, Pass)
			if c.Message != want || c.Fix != "" {
				t.Errorf("row %q — %q, want %q", c.Message, c.Fix, want)
			}
			if n := srv.Count("DescribeCertificate"); n != 0 {
				t.Errorf("%d DescribeCertificate calls, want none", n)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		name, host string
		want       bool
	}{
		{"links.acme.com", "links.acme.com", true},
		{"Links.Acme.com.", "links.acme.com", true},
		{"*.acme.com", "links.acme.com", true},
		{"*.acme.com", "acme.com", false},
		{"*.acme.com", "a.links.acme.com", false},
		{"*.links.acme.com", "links.acme.com", false},
		{"acme.com", "links.acme.com", false},
		{"*", "links", false},
		{"", "links.acme.com", false},
	} {
		if got := covers(tc.name, tc.host); got != tc.want {
			t.Errorf("covers(%q, %q) = %v", tc.name, tc.host, got)
		}
	}
}

// A private bucket (a domain without keepS3Public) is not affected by
// Block Public Access: the row passes without reading it.
func TestPublicAccessPrivateBucket(t *testing.T) {
	srv := healthyFake(t)
	withDomain(srv)
	srv.SetPublicAccessBlock(devAccount, &fakeaws.PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true})
	srv.Deny(devAccount, "GetPublicAccessBlock")
	rep := mustRun(t, srv, domainTarget())
	wantRow(t, rep, "dev", CheckPublicAccess, Pass,
		"bucket wellknown-dev-111111111111-eu-west-1 stays private (CloudFront serves links.acme.com through origin access control), so account 111111111111's S3 Block Public Access does not affect it")
	wantRow(t, rep, "dev", CheckOrgPublicAccess, Pass, "the bucket is not public")
	if n := srv.Count("GetPublicAccessBlock"); n != 0 {
		t.Errorf("%d GetPublicAccessBlock calls for a private bucket", n)
	}

	// keepS3Public: the S3 host stays public, so the flags matter again.
	public := domainTarget()
	public.PublicBucket = true
	rep = mustRun(t, srv, public)
	wantRow(t, rep, "dev", CheckPublicAccess, Warn, "cannot read account 111111111111's S3 Block Public Access")
}
