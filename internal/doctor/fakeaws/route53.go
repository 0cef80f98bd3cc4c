package fakeaws

import (
	"fmt"
	"net/http"
	"strings"
)

// HostedZone is a Route 53 hosted zone. Name is answered with the final
// dot, as Route 53 writes every name.
type HostedZone struct {
	ID          string // without the /hostedzone/ prefix
	Name        string
	Private     bool
	NameServers []string // public zones; empty answers four awsdns servers
}

// SetHostedZone creates or replaces a hosted zone of the account.
func (s *Server) SetHostedZone(accountID string, z HostedZone) {
	s.mu.Lock()
	defer s.mu.Unlock()
	z.ID = strings.TrimPrefix(z.ID, "/hostedzone/")
	s.acct(accountID).zones[z.ID] = z
}

const route53Prefix = "/2013-04-01/hostedzone"

// route53Operation names the hosted-zone requests of the REST-XML API.
func route53Operation(method, path string) string {
	rest, ok := strings.CutPrefix(path, route53Prefix)
	if !ok {
		return ""
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case rest == "" || rest == "/":
		return map[string]string{http.MethodGet: "ListHostedZones", http.MethodPost: "CreateHostedZone"}[method]
	case len(parts) == 1:
		return map[string]string{http.MethodGet: "GetHostedZone", http.MethodDelete: "DeleteHostedZone"}[method]
	case len(parts) == 2 && parts[1] == "rrset":
		return map[string]string{http.MethodGet: "ListResourceRecordSets", http.MethodPost: "ChangeResourceRecordSets"}[method]
	}
	return ""
}

// route53: GetHostedZone. A zone of another account is as unknown as a
// missing one: 404 NoSuchHostedZone.
func (s *Server) route53(w http.ResponseWriter, r *request) {
	if r.operation != "GetHostedZone" {
		r.fail(w, http.StatusBadRequest, "InvalidAction", "fakeaws: "+r.operation+" is not implemented")
		return
	}
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, route53Prefix), "/")
	z, ok := r.account.zones[id]
	if !ok {
		r.fail(w, http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: "+id)
		return
	}
	name := z.Name
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	// A private zone answers the VPCs it is associated with; a public
	// one its delegation set.
	tail := `<VPCs><VPC><VPCRegion>eu-west-1</VPCRegion><VPCId>vpc-0fa4e0c5d1b2a3f40</VPCId></VPC></VPCs>`
	if !z.Private {
		ns := z.NameServers
		if len(ns) == 0 {
			ns = []string{"ns-1234.awsdns-26.org", "ns-567.awsdns-06.net", "ns-1890.awsdns-44.co.uk", "ns-89.awsdns-11.com"}
		}
		var b strings.Builder
		for _, n := range ns {
			b.WriteString("<NameServer>" + esc(n) + "</NameServer>")
		}
		tail = "<DelegationSet><NameServers>" + b.String() + "</NameServers></DelegationSet>"
	}
	r.writeXML(w, fmt.Sprintf(`<?xml version="1.0"?>
<GetHostedZoneResponse xmlns="%s">
  <HostedZone>
    <Id>/hostedzone/%s</Id>
    <Name>%s</Name>
    <CallerReference>fakeaws-%s</CallerReference>
    <Config><Comment>fakeaws</Comment><PrivateZone>%t</PrivateZone></Config>
    <ResourceRecordSetCount>2</ResourceRecordSetCount>
  </HostedZone>
  %s
</GetHostedZoneResponse>`, xmlns["Route 53"], esc(z.ID), esc(name), esc(z.ID), z.Private, tail))
}
