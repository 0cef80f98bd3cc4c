package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/acme/wellknown/internal/config"
)

// certificate checks the ACM certificate CloudFront is to serve the
// domain with. CloudFront refuses, and the deploy fails on, a certificate
// that is not ISSUED, does not cover the host, has expired, or belongs to
// another account or region.
func (d *doctor) certificate(ctx context.Context, c clients, t Target) Check {
	dom := t.Domain
	row := Check{Name: CheckCertificate}
	arn := dom.CertificateARN
	if arn == "" {
		row.Status = Pass
		where := "by stack " + t.StackName
		if t.Region != config.CertificateRegion {
			where = fmt.Sprintf("by stack %s in %s (CloudFront takes certificates only from there)",
				config.Environment{Name: t.Env}.CertStackName(), config.CertificateRegion)
		}
		row.Message = fmt.Sprintf("no certificateArn: a certificate for %s, validated by DNS in hosted zone %s, is created %s", dom.Name, dom.HostedZoneName, where)
		return row
	}
	replace := fmt.Sprintf("request or import a certificate for %s in ACM in %s of account %s and set certificateArn to it, or remove certificateArn to have one created in the hosted zone",
		dom.Name, config.CertificateRegion, t.Account)
	// The configuration refuses such an ARN too; a Target built by other
	// code gets the same rule, without a call.
	if err := config.CheckCertificateARN(arn, t.Account); err != nil {
		row.Status = Fail
		row.Message = fmt.Sprintf("certificate %s: %v", arn, err)
		row.Fix = replace
		return row
	}
	out, err := c.acm.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
	var notFound *acmtypes.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		row.Status = Fail
		row.Message = fmt.Sprintf("certificate %s does not exist in ACM in %s of account %s", arn, config.CertificateRegion, t.Account)
		row.Fix = replace
		return row
	case isAccessDenied(err):
		row.Status = Warn
		row.Message = fmt.Sprintf("cannot read certificate %s: %s", arn, apiText(err))
		row.Fix = fmt.Sprintf("allow acm:DescribeCertificate on it to check; CloudFront refuses a certificate that is not ISSUED or does not cover %s", dom.Name)
		return row
	case err != nil:
		f := describe(ctx, err, d.opts.Timeout)
		row.Status, row.Message, row.Fix = Fail, fmt.Sprintf("could not read certificate %s: %s", arn, f.message), f.fix
		return row
	case out.Certificate == nil:
		row.Status = Fail
		row.Message = "ACM answered DescribeCertificate without a certificate"
		row.Fix = "something other than AWS may be answering: check HTTPS_PROXY and AWS_ENDPOINT_URL"
		return row
	}
	return judgeCertificate(out.Certificate, dom.Name, time.Now(), replace)
}

// judgeCertificate turns a certificate's details into the row.
func judgeCertificate(cd *acmtypes.CertificateDetail, host string, now time.Time, replace string) Check {
	row := Check{Name: CheckCertificate}
	arn := aws.ToString(cd.CertificateArn)
	var problems, fixes []string
	fail := func(problem, fix string) {
		problems = append(problems, problem)
		if !slices.Contains(fixes, fix) {
			fixes = append(fixes, fix)
		}
	}
	notAfter := ""
	if cd.NotAfter != nil {
		notAfter = cd.NotAfter.UTC().Format(time.DateOnly)
	}
	switch cd.Status {
	case acmtypes.CertificateStatusIssued:
		if cd.NotAfter != nil && !cd.NotAfter.After(now) {
			fail("it expired on "+notAfter, replace)
		}
	case acmtypes.CertificateStatusPendingValidation:
		fail("it is PENDING_VALIDATION: ACM has not found its DNS validation "+validationRecords(cd),
			fmt.Sprintf("create the validation record in the DNS zone of %s (ACM console → the certificate → Create records in Route 53), then wait for ISSUED", host))
	case acmtypes.CertificateStatusExpired:
		fail("it is EXPIRED"+onDate(notAfter), replace)
	case acmtypes.CertificateStatusValidationTimedOut:
		fail("it is VALIDATION_TIMED_OUT: ACM stops waiting for the validation record 72 hours after the request", replace)
	default: // INACTIVE, REVOKED, FAILED, or a status added later
		status := string(cd.Status)
		if status == "" {
			status = "without a status"
		}
		reason := ""
		if cd.FailureReason != "" {
			reason = " (" + string(cd.FailureReason) + ")"
		}
		fail("it is "+status+reason, replace)
	}
	names := certificateNames(cd)
	match := slices.IndexFunc(names, func(n string) bool { return covers(n, host) })
	if match < 0 {
		fail(fmt.Sprintf("it covers %s, not %s", strings.Join(names, ", "), host), replace)
	}
	if len(problems) > 0 {
		row.Status = Fail
		row.Message = fmt.Sprintf("certificate %s cannot serve %s: %s", arn, host, strings.Join(problems, "; "))
		row.Fix = strings.Join(fixes, "; ")
		return row
	}
	as := ""
	if names[match] != host {
		as = " (as " + names[match] + ")"
	}
	row.Status = Pass
	row.Message = fmt.Sprintf("certificate %s is ISSUED for %s%s%s%s", arn, host, as, untilDate(notAfter), certificateNotes(cd))
	return row
}

// certificateNames are the names a certificate covers: its domain name
// and subject alternative names (which usually repeat it).
func certificateNames(cd *acmtypes.CertificateDetail) []string {
	var names []string
	for _, n := range append([]string{aws.ToString(cd.DomainName)}, cd.SubjectAlternativeNames...) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return []string{"no names"}
	}
	return names
}

// covers reports whether a certificate name matches host: exactly, or
// as a wildcard, which stands for exactly one label (*.acme.com covers
// links.acme.com, not acme.com or a.links.acme.com). DNS names compare
// without regard to case.
func covers(name, host string) bool {
	name, host = strings.ToLower(strings.TrimSuffix(name, ".")), strings.ToLower(host)
	if name == host {
		return true
	}
	parent, ok := strings.CutPrefix(name, "*.")
	if !ok {
		return false
	}
	_, hostParent, found := strings.Cut(host, ".")
	return found && hostParent == parent
}

// validationRecords names the DNS records ACM waits for.
func validationRecords(cd *acmtypes.CertificateDetail) string {
	var records []string
	for _, o := range cd.DomainValidationOptions {
		if o.ValidationStatus == acmtypes.DomainStatusSuccess || o.ResourceRecord == nil {
			continue
		}
		r := fmt.Sprintf("%s %s → %s", o.ResourceRecord.Type, aws.ToString(o.ResourceRecord.Name), aws.ToString(o.ResourceRecord.Value))
		if !slices.Contains(records, r) {
			records = append(records, r)
		}
	}
	switch len(records) {
	case 0:
		return "record"
	case 1:
		return "record (" + records[0] + ")"
	}
	return "records (" + strings.Join(records, ", ") + ")"
}

// certificateNotes is what is worth knowing about a usable certificate:
// who renews it and what uses it already.
func certificateNotes(cd *acmtypes.CertificateDetail) string {
	var notes []string
	switch {
	case cd.Type == acmtypes.CertificateTypeImported:
		notes = append(notes, "imported: ACM does not renew it, replace it before it expires")
	case cd.RenewalEligibility != "":
		notes = append(notes, "renewal "+strings.ToLower(string(cd.RenewalEligibility)))
	}
	if n := len(cd.InUseBy); n > 0 {
		notes = append(notes, fmt.Sprintf("in use by %d resource(s)", n))
	}
	if len(notes) == 0 {
		return ""
	}
	return "; " + strings.Join(notes, "; ")
}

func onDate(d string) string {
	if d == "" {
		return ""
	}
	return " since " + d
}

func untilDate(d string) string {
	if d == "" {
		return ""
	}
	return ", valid until " + d
}
