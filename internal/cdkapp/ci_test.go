package cdkapp

import (
	"reflect"
	"testing"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/stacks"
)

// The CI roles stack learns from cdk.json where an environment's stacks go
// and what its domain creates.
func TestCIEnvironment(t *testing.T) {
	zone := config.Domain{Name: "links.acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com"}
	given := config.Domain{Name: "links.acme.com", CertificateARN: "arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}
	env := func(region string, d *config.Domain, logs bool) config.Environment {
		return config.Environment{Name: "web", Account: "111111111111", Region: region, BucketName: "acme-links-web", AccessLogs: logs, Domain: d}
	}
	base := stacks.CIEnvironment{Name: "web", BucketName: "acme-links-web"}
	for name, tc := range map[string]struct {
		env  config.Environment
		want stacks.CIEnvironment
	}{
		"no domain": {env("eu-west-1", nil, true), with(base, "eu-west-1", "", nil)},
		"created certificate outside us-east-1": {env("eu-west-1", &zone, true),
			with(base, "eu-west-1", "us-east-1", &stacks.CIDomain{HostedZoneID: zone.HostedZoneID, CreatesCertificate: true, AccessLogs: true})},
		"created certificate in us-east-1": {env("us-east-1", &zone, false),
			with(base, "us-east-1", "", &stacks.CIDomain{HostedZoneID: zone.HostedZoneID, CreatesCertificate: true})},
		"given certificate": {env("eu-west-1", &given, true),
			with(base, "eu-west-1", "", &stacks.CIDomain{AccessLogs: true})},
	} {
		if got := ciEnvironment(tc.env); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v (domain %+v), want %+v (domain %+v)", name, got, got.Domain, tc.want, tc.want.Domain)
		}
	}
}

func with(e stacks.CIEnvironment, region, certRegion string, d *stacks.CIDomain) stacks.CIEnvironment {
	e.Region, e.CertificateRegion, e.Domain = region, certRegion, d
	return e
}
