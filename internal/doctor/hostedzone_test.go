package doctor

import (
	"testing"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

func TestHostedZone(t *testing.T) {
	for _, tc := range []struct {
		name     string
		zone     *fakeaws.HostedZone
		deny     bool
		status   Status
		contains []string
	}{
		{"public, as named", &fakeaws.HostedZone{ID: devZone, Name: "acme.com", NameServers: []string{"ns-1.awsdns-01.org", "ns-2.awsdns-02.com"}}, false, Pass,
			[]string{"public hosted zone acme.com. (Z0123456789ABCDEFGHIJ) in account 111111111111; links.acme.com resolves on the internet once acme.com is delegated to its name servers (ns-1.awsdns-01.org, ns-2.awsdns-02.com)"}},
		{"missing", nil, false, Fail,
			[]string{"hosted zone Z0123456789ABCDEFGHIJ does not exist in account 111111111111; the deploy writes the records of links.acme.com there",
				"set hostedZoneId to the ID of zone acme.com in account 111111111111 (Route 53 → Hosted zones)"}},
		{"another zone", &fakeaws.HostedZone{ID: devZone, Name: "acme.org"}, false, Fail,
			[]string{"hosted zone Z0123456789ABCDEFGHIJ is acme.org., not acme.com. (hostedZoneName)", "set hostedZoneId and hostedZoneName to the ID and name of the same zone"}},
		{"a subdomain's zone", &fakeaws.HostedZone{ID: devZone, Name: "links.acme.com"}, false, Fail,
			[]string{"is links.acme.com., not acme.com."}},
		{"private", &fakeaws.HostedZone{ID: devZone, Name: "acme.com", Private: true}, false, Fail,
			[]string{"hosted zone Z0123456789ABCDEFGHIJ (acme.com.) is private: its records exist only inside its VPCs, and Apple's and Google's verifiers resolve links.acme.com on the internet",
				"use the public hosted zone of acme.com"}},
		{"private and another", &fakeaws.HostedZone{ID: devZone, Name: "corp.internal", Private: true}, false, Fail,
			[]string{"is corp.internal., not acme.com.", "; hosted zone Z0123456789ABCDEFGHIJ (corp.internal.) is private", "same zone (Route 53 → Hosted zones); use the public hosted zone of acme.com"}},
		{"denied", &fakeaws.HostedZone{ID: devZone, Name: "acme.com"}, true, Warn,
			[]string{"cannot read hosted zone Z0123456789ABCDEFGHIJ: AccessDenied: User: " + devARN + " is not authorized to access this resource", "allow route53:GetHostedZone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := freshZones(t, tc.zone)
			if tc.deny {
				srv.Deny(devAccount, "GetHostedZone")
			}
			rep := mustRun(t, srv, domainTarget())
			wantRow(t, rep, "dev", CheckHostedZone, tc.status, tc.contains...)
			wantRows(t, rep, "dev", Pass, Pass, Pass, Pass, Pass, Pass, Pass, tc.status)
			for _, c := range srv.Calls() {
				if c.Service == "Route 53" && (c.Host != "route53.amazonaws.com" || c.Region != "us-east-1") {
					t.Errorf("Route 53 call %+v", c)
				}
			}
		})
	}
}

// freshZones is a healthy fake with the dev certificate, zone (when not
// nil) and another zone of the same name, which must not be confused
// with it.
func freshZones(t *testing.T, zone *fakeaws.HostedZone) *fakeaws.Server {
	srv := healthyFake(t)
	srv.SetCertificate(devAccount, fakeaws.Certificate{ARN: devCert, DomainName: devHost, Status: "ISSUED", NotAfter: farFuture})
	srv.SetHostedZone(devAccount, fakeaws.HostedZone{ID: "ZUNRELATED00000000000", Name: "acme.com"})
	if zone != nil {
		srv.SetHostedZone(devAccount, *zone)
	}
	return srv
}

// A domain without a hosted zone (a certificate of its own, DNS kept
// elsewhere) has no hosted-zone row and no Route 53 call.
func TestNoHostedZone(t *testing.T) {
	srv := healthyFake(t)
	withDomain(srv)
	target := domainTarget()
	target.Domain.HostedZoneID, target.Domain.HostedZoneName = "", ""
	rep := mustRun(t, srv, target)
	wantRows(t, rep, "dev", Pass, Pass, Pass, Pass, Pass, Pass, Pass)
	if _, ok := rep.Find("dev", CheckHostedZone); ok {
		t.Error("hosted-zone row without a hosted zone")
	}
	if n := srv.Count("GetHostedZone"); n != 0 {
		t.Errorf("%d GetHostedZone calls", n)
	}
}

// When the identity check fails, the domain's and the CI roles' rows are
// skipped like the others, and nothing else is asked.
func TestSkippedWithTheOtherAccount(t *testing.T) {
	srv := healthyFake(t)
	target := domainTarget()
	target.CI = ciTarget().CI
	target.Account = prodAccount
	rep := mustRun(t, srv, target)
	wantRows(t, rep, "dev", Fail, Skip, Skip, Skip, Skip, Skip, Skip, Skip, Skip)
	if got := srv.Operations(); len(got) != 1 || got[0] != "STS.GetCallerIdentity" {
		t.Errorf("operations %v, want only STS.GetCallerIdentity", got)
	}
}
