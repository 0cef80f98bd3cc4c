package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

// Domain is an environment's own host, served by CloudFront in front of
// the bucket.
type Domain struct {
	// Name is the host: the redirect URL becomes https://<Name>/.
	Name string
	// CertificateARN is an ACM certificate in us-east-1 covering Name;
	// empty means one is created, DNS-validated in the hosted zone.
	CertificateARN string
	// HostedZoneID and HostedZoneName name the Route 53 zone that gets the
	// alias records (and the certificate's validation records). Both or
	// neither.
	HostedZoneID, HostedZoneName string
	// KeepS3Public keeps the S3 host serving the files too, while installed
	// apps and the Alexa console still name it.
	KeepS3Public bool
	// PriceClass is CloudFront's price class: "100" (North America,
	// Europe, Israel), "200" or "All".
	PriceClass string
}

// CertificateRegion is where CloudFront takes certificates from.
const CertificateRegion = "us-east-1"

var domainFields = []Field{
	{Name: "name", Kind: jsontree.String, Required: true, Example: `"links.acme.com"`},
	{Name: "certificateArn", Kind: jsontree.String, Example: `"arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"`,
		Default: "a DNS-validated certificate is created in the hosted zone"},
	{Name: "hostedZoneId", Kind: jsontree.String, Example: `"Z0123456789ABCDEFGHIJ"`, Default: "no DNS records are created"},
	{Name: "hostedZoneName", Kind: jsontree.String, Example: `"acme.com"`, Default: "no DNS records are created"},
	{Name: "keepS3Public", Kind: jsontree.Bool, Example: `false`, Default: "false"},
	{Name: "priceClass", Kind: jsontree.String, Example: `"100"`, Default: `"100"`},
}

var (
	dnsLabel       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	hostedZoneID   = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	certificateARN = regexp.MustCompile(`^arn:([a-z-]+):acm:([a-z0-9-]+):([0-9]{12}):certificate/[A-Za-z0-9-]{1,64}$`)
	priceClasses   = []string{"100", "200", "All"}
)

// awsOwnedSuffixes are domains that AWS owns: a certificate for a name
// under them cannot be had, and the S3 or CloudFront host is already one.
var awsOwnedSuffixes = []string{"amazonaws.com", "amazonaws.com.cn", "amazonaws.eu", "cloudfront.net", "on.aws", "aws",
	"awsapps.com", "amazon.com", "elasticbeanstalk.com", "amplifyapp.com", "api.aws"}

// CheckHostName accepts a lowercase DNS host name that is not in a domain
// AWS owns: the name a custom domain serves the files on.
func CheckHostName(name string) error {
	if err := checkDNSName(name); err != nil {
		return err
	}
	if i := slices.IndexFunc(awsOwnedSuffixes, func(s string) bool { return under(name, s) }); i >= 0 {
		return fmt.Errorf("%s is under %s, which AWS owns", quoted(name), awsOwnedSuffixes[i])
	}
	return nil
}

// CheckHostedZoneID accepts a Route 53 hosted zone ID (Z and up to 31
// uppercase letters or digits); the ID becomes part of IAM ARNs, so nothing
// else, a wildcard least of all, may pass.
func CheckHostedZoneID(id string) error {
	if !hostedZoneID.MatchString(id) {
		return fmt.Errorf("%s is not a Route 53 hosted zone ID", quoted(id))
	}
	return nil
}

// CheckHostedZone accepts a Route 53 hosted zone ID and name (without the
// final dot) whose zone holds host.
func CheckHostedZone(id, name, host string) error {
	switch {
	case CheckHostedZoneID(id) != nil:
		return CheckHostedZoneID(id)
	case checkDNSName(name) != nil:
		return checkDNSName(name)
	case !under(host, name):
		return fmt.Errorf("%s is not inside the hosted zone %s", quoted(host), quoted(name))
	}
	return nil
}

// checkDNSName accepts a lowercase DNS host name of at least two labels.
func checkDNSName(name string) error {
	labels := strings.Split(name, ".")
	switch {
	case len(name) > 253:
		return fmt.Errorf("%s is %d characters long; DNS names have at most 253", quoted(name), len(name))
	case len(labels) < 2:
		return fmt.Errorf("%s is not a fully qualified host name", quoted(name))
	case strings.ToLower(name) != name:
		return fmt.Errorf("%s has uppercase letters; write DNS names in lowercase", quoted(name))
	}
	for _, l := range labels {
		if !dnsLabel.MatchString(l) {
			return fmt.Errorf("%s is not a DNS host name: label %s must be 1 to 63 letters, digits or inner hyphens", quoted(name), quoted(l))
		}
	}
	// No top-level domain is all digits, so such a name is an IP address
	// (or one in the making): ACM issues no certificate for it, and
	// CloudFront takes no alias like it.
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return fmt.Errorf("%s is an IP address, not a host name: its last label %s is all digits", quoted(name), quoted(tld))
	}
	return nil
}

// MaxCertificateName is the longest name ACM puts in a certificate it
// issues: the first domain name becomes the subject's common name, which
// X.509 limits to 64 characters.
const MaxCertificateName = 64

// CheckCertificateName accepts a host name ACM can issue a certificate
// for, when the deploy requests one.
func CheckCertificateName(name string) error {
	if len(name) > MaxCertificateName {
		return fmt.Errorf("%s is %d characters long; ACM issues certificates for names of at most %d (the certificate's common name)", quoted(name), len(name), MaxCertificateName)
	}
	return nil
}

// CheckCertificateARN accepts an ACM certificate that CloudFront can
// serve for an environment of account: in us-east-1, in the aws
// partition, and in the same account (CloudFront uses only its own
// account's certificates). An empty account skips the last check.
func CheckCertificateARN(arn, account string) error {
	m := certificateARN.FindStringSubmatch(arn)
	switch {
	case m == nil:
		return fmt.Errorf("%s is not an ACM certificate ARN", quoted(arn))
	case m[2] != CertificateRegion:
		return fmt.Errorf("the certificate is in %s; CloudFront takes certificates only from %s", m[2], CertificateRegion)
	case m[1] != "aws":
		return fmt.Errorf("the certificate is in partition %s, not aws", m[1])
	case account != "" && m[3] != account:
		return fmt.Errorf("the certificate belongs to account %s; CloudFront uses only certificates of the distribution's account, %s", m[3], account)
	}
	return nil
}

func under(name, zone string) bool { return name == zone || strings.HasSuffix(name, "."+zone) }

// parseDomain reads an environment's "domain" object.
func parseDomain(r *reader, env *Environment) {
	f := field(environmentFields, "domain")
	d, ok := r.child(f)
	if !ok {
		return
	}
	sub := func(n string) Field { return field(domainFields, n) }
	// Cross-checks ask whether a setting was written, not whether it was
	// valid: a certificateArn of the wrong type is one problem there, not
	// a second "no certificate" here — and every other value is still
	// checked in the same run.
	given := func(n string) bool { _, ok := d.node.Get(n); return ok }
	at := func(n string) string { return d.path + pathKey(n) }
	dom := &Domain{PriceClass: "100"}
	name, hasName := d.str(sub("name"))
	cert, hasCert := d.str(sub("certificateArn"))
	zoneID, hasZoneID := d.str(sub("hostedZoneId"))
	zoneName, hasZoneName := d.str(sub("hostedZoneName"))
	if v, ok := d.boolean(sub("keepS3Public")); ok {
		dom.KeepS3Public = v
	}
	if v, ok := d.str(sub("priceClass")); ok {
		if slices.Contains(priceClasses, v) {
			dom.PriceClass = v
		} else {
			d.errorAt(at("priceClass"), fmt.Sprintf("%s is not a CloudFront price class", quoted(v)), `use "100" (North America, Europe), "200" or "All"`)
		}
	}
	nameOK := false
	if hasName {
		dom.Name = name
		if err := checkDNSName(name); err != nil {
			d.errorAt(at("name"), err.Error(), `write the host the apps will use, e.g. "name": "links.acme.com"`)
		} else if err := CheckHostName(name); err != nil {
			d.errorAt(at("name"), err.Error(), "use a host in a domain you own; without a domain the S3 host is used")
		} else if err := CheckCertificateName(name); err != nil && !given("certificateArn") {
			d.errorAt(at("name"), err.Error(), "use a shorter host, or give certificateArn: a certificate that covers it, e.g. a wildcard for its parent domain")
		} else {
			nameOK = true
		}
	}
	if given("hostedZoneId") != given("hostedZoneName") {
		d.errorAt(d.path, "hostedZoneId and hostedZoneName go together", `give both, e.g. "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com" (Route 53 → Hosted zones)`)
	}
	if hasZoneID {
		dom.HostedZoneID = zoneID
		if !hostedZoneID.MatchString(zoneID) {
			d.errorAt(at("hostedZoneId"), fmt.Sprintf("%s is not a Route 53 hosted zone ID", quoted(zoneID)), `copy it from Route 53 → Hosted zones, e.g. "hostedZoneId": "Z0123456789ABCDEFGHIJ"`)
		}
	}
	if hasZoneName {
		dom.HostedZoneName = zoneName
		if err := checkDNSName(zoneName); err != nil {
			d.errorAt(at("hostedZoneName"), err.Error(), `write the zone's name without the final dot, e.g. "hostedZoneName": "acme.com"`)
		} else if nameOK && !under(name, zoneName) {
			d.errorAt(at("name"), fmt.Sprintf("%s is not inside the hosted zone %s", quoted(name), quoted(zoneName)), "use a name in the zone, or the zone the name belongs to")
		}
	}
	if hasCert {
		dom.CertificateARN = cert
		account := ""
		if CheckAccount(env.Account) == nil {
			account = env.Account
		}
		if err := CheckCertificateARN(cert, account); err != nil {
			fix := "request or import the certificate in ACM in us-east-1 of the environment's account, or remove certificateArn to have one created in the hosted zone"
			if !certificateARN.MatchString(cert) {
				fix = `copy it from ACM in us-east-1, e.g. "certificateArn": "arn:aws:acm:us-east-1:111111111111:certificate/…"`
			}
			d.errorAt(at("certificateArn"), err.Error(), fix)
		}
	} else if !given("certificateArn") && !given("hostedZoneId") && !given("hostedZoneName") {
		d.errorAt(d.path, "no certificate: give certificateArn, or hostedZoneId and hostedZoneName to have a DNS-validated certificate created",
			`add "certificateArn": "arn:aws:acm:us-east-1:…" or "hostedZoneId": "Z…", "hostedZoneName": "acme.com"`)
	}
	if p := PartitionID(env.Region); env.Region != "" && p != "aws" {
		d.errorAt(d.path, fmt.Sprintf("custom domains are served by CloudFront with an ACM certificate, which this project supports only in the aws partition, not %s (%s)", p, env.Region),
			"remove the domain; the environment is served from its S3 host")
	}
	env.Domain = dom
}

// duplicateDomains: two environments cannot serve the same host, and a
// hosted zone shared by environments has one name and one account (a
// Route 53 zone belongs to one account, and a stack writes records only
// into zones of its own account).
func duplicateDomains(source string, envs []Environment) []diag.Problem {
	hosts := map[string]string{}
	zones := map[string]Environment{}
	var ps []diag.Problem
	for _, e := range envs {
		if e.Domain == nil {
			continue
		}
		if other, ok := hosts[e.Domain.Name]; ok {
			ps = append(ps, diag.Problem{File: source, Path: EnvPath(e.Name) + ".domain.name", Severity: diag.Error,
				Message: fmt.Sprintf("host %s is also the domain of environment %q", quoted(e.Domain.Name), other),
				Fix:     "give every environment its own host"})
		} else {
			hosts[e.Domain.Name] = e.Name
		}
		id := e.Domain.HostedZoneID
		if id == "" {
			continue
		}
		first, ok := zones[id]
		if !ok {
			zones[id] = e
			continue
		}
		switch {
		case first.Domain.HostedZoneName != e.Domain.HostedZoneName:
			ps = append(ps, diag.Problem{File: source, Path: EnvPath(e.Name) + ".domain.hostedZoneName", Severity: diag.Error,
				Message: fmt.Sprintf("hosted zone %s is %s in environment %q, not %s; one of them is wrong", id, quoted(first.Domain.HostedZoneName), first.Name, quoted(e.Domain.HostedZoneName)),
				Fix:     "copy the zone's ID and name together from Route 53 → Hosted zones"})
		case first.Account != e.Account:
			ps = append(ps, diag.Problem{File: source, Path: EnvPath(e.Name) + ".domain.hostedZoneId", Severity: diag.Error,
				Message: fmt.Sprintf("hosted zone %s is also used by environment %q in account %s; a zone belongs to one account, and this environment deploys to %s", id, first.Name, first.Account, e.Account),
				Fix:     "use a zone of account " + e.Account + " (e.g. a subdomain delegated to it), or remove hostedZoneId and hostedZoneName there, give certificateArn and create the alias record yourself"})
		}
	}
	return ps
}
