package stacks

import (
	"errors"
	"fmt"

	"github.com/acme/wellknown/internal/config"
)

// CIEnvironment is one environment whose stack, WellKnown-<Name>, the
// account's roles deploy.
type CIEnvironment struct {
	Name       string
	Region     string
	BucketName string
	// CertificateRegion is the region of the environment's
	// WellKnownCert-<Name> stack, us-east-1, when its deployment includes
	// one (a created certificate outside us-east-1, see
	// config.Environment.HasCertStack); empty otherwise. `cdk deploy` and
	// `cdk diff WellKnown-<Name>` also select the stacks it depends on, so
	// the environment's roles reach the CDK bootstrap roles of that region
	// too, and the account must be bootstrapped there with
	// wellknown-cfn-exec.
	CertificateRegion string
	// Domain is set when the environment serves a custom domain through
	// CloudFront.
	Domain *CIDomain
}

// CIDomain is what the CloudFormation execution policy needs to know about
// an environment's custom domain.
type CIDomain struct {
	// HostedZoneID is the Route 53 zone that gets the alias records (and a
	// created certificate's validation record); empty without a zone.
	HostedZoneID string
	// CreatesCertificate: the stacks create the DNS-validated certificate
	// (no certificateArn in cdk.json).
	CreatesCertificate bool
	// AccessLogs: the environment keeps access logs; in us-east-1 the
	// distribution's are then delivered by CloudWatch Logs delivery
	// resources (cdnlogs.go).
	AccessLogs bool
}

// regions are where the environment's stacks are deployed: its region,
// and its certificate stack's.
func (e CIEnvironment) regions() []string {
	if e.CertificateRegion == "" {
		return []string{e.Region}
	}
	return []string{e.Region, e.CertificateRegion}
}

// checkDomain checks CertificateRegion and Domain against each other and
// against the account's partition.
func (e CIEnvironment) checkDomain(partition string) []error {
	var errs []error
	d := e.Domain
	switch {
	case e.CertificateRegion == "":
	case e.CertificateRegion != config.CertificateRegion:
		errs = append(errs, fmt.Errorf("CertificateRegion %q: a certificate stack is in %s, where CloudFront takes certificates from", e.CertificateRegion, config.CertificateRegion))
	case e.Region == config.CertificateRegion:
		errs = append(errs, fmt.Errorf("CertificateRegion %s: the environment is in %s itself, so its stack holds the certificate", e.CertificateRegion, e.Region))
	case d == nil || !d.CreatesCertificate:
		errs = append(errs, fmt.Errorf("CertificateRegion %s: only a created certificate has a stack of its own; set Domain.CreatesCertificate", e.CertificateRegion))
	}
	if d == nil {
		return errs
	}
	if partition != "aws" {
		errs = append(errs, fmt.Errorf("Domain: custom domains are served by CloudFront with an ACM certificate, supported here only in the aws partition, not %s", partition))
	}
	if d.HostedZoneID != "" {
		if err := config.CheckHostedZoneID(d.HostedZoneID); err != nil {
			errs = append(errs, fmt.Errorf("Domain.HostedZoneID: %w", err))
		}
	}
	if d.CreatesCertificate {
		if d.HostedZoneID == "" {
			errs = append(errs, errors.New("Domain: a created certificate is validated in the hosted zone; set HostedZoneID"))
		}
		if e.Region != config.CertificateRegion && e.CertificateRegion == "" {
			errs = append(errs, fmt.Errorf("Domain.CreatesCertificate: outside %s the certificate is created in a stack of its own there; set CertificateRegion to %s", config.CertificateRegion, config.CertificateRegion))
		}
	}
	return errs
}
