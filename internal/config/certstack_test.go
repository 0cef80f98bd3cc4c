package config

import "testing"

// The environments whose deployment includes WellKnownCert-<env>: a created
// certificate outside us-east-1, and nothing else.
func TestHasCertStack(t *testing.T) {
	zone := Domain{Name: "links.acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com"}
	given := zone
	given.CertificateARN = "arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	for _, tc := range []struct {
		name   string
		region string
		domain *Domain
		want   bool
	}{
		{"no domain", "eu-west-1", nil, false},
		{"created certificate elsewhere", "eu-west-1", &zone, true},
		{"created certificate in us-east-1", "us-east-1", &zone, false},
		{"given certificate", "eu-west-1", &given, false},
	} {
		e := Environment{Name: "web", Region: tc.region, Domain: tc.domain}
		if got := e.HasCertStack(); got != tc.want {
			t.Errorf("%s: HasCertStack() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckHostedZoneID(t *testing.T) {
	if err := CheckHostedZoneID("Z0123456789ABCDEFGHIJ"); err != nil {
		t.Error(err)
	}
	for _, id := range []string{"", "*", "Z*", "z0123", "/hostedzone/Z0123", "Z0123/*"} {
		if CheckHostedZoneID(id) == nil {
			t.Errorf("%q accepted as a hosted zone ID", id)
		}
	}
}
