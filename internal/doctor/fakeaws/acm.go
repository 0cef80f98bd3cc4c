package fakeaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Certificate is an ACM certificate. Its ARN names its region and
// account; ACM is regional, so DescribeCertificate finds it only there.
type Certificate struct {
	ARN                     string // arn:aws:acm:us-east-1:<account>:certificate/<id>
	DomainName              string
	SubjectAlternativeNames []string // DomainName is added when missing, as ACM does
	Status                  string   // ISSUED, PENDING_VALIDATION, EXPIRED, …
	Type                    string   // AMAZON_ISSUED (default) or IMPORTED
	NotBefore, NotAfter     time.Time
	RenewalEligibility      string // ELIGIBLE or INELIGIBLE
	InUseBy                 []string
	FailureReason           string
	// ValidationRecord is the DNS record ACM asks for (name → value of
	// a CNAME); empty names derive one from the domain.
	ValidationRecordName, ValidationRecordValue string
}

// SetCertificate creates or replaces a certificate of the account.
func (s *Server) SetCertificate(accountID string, c Certificate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(accountID).certs[c.ARN] = c
}

// acm: DescribeCertificate (JSON 1.1). A certificate of another region or
// account is as unknown as a missing one: ResourceNotFoundException.
func (s *Server) acm(w http.ResponseWriter, r *request) {
	if r.operation != "DescribeCertificate" {
		r.fail(w, http.StatusBadRequest, "InvalidAction", "fakeaws: "+r.operation+" is not implemented")
		return
	}
	var in struct{ CertificateArn string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.CertificateArn == "" {
		r.fail(w, http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null")
		return
	}
	parts := strings.SplitN(in.CertificateArn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "acm" || !strings.HasPrefix(parts[5], "certificate/") {
		r.fail(w, http.StatusBadRequest, "InvalidArnException", fmt.Sprintf("String '%s' is not a valid ARN.", in.CertificateArn))
		return
	}
	c, ok := r.account.certs[in.CertificateArn]
	if !ok || parts[3] != r.region || parts[4] != r.caller.account {
		r.fail(w, http.StatusBadRequest, "ResourceNotFoundException", fmt.Sprintf("Could not find certificate %s.", in.CertificateArn))
		return
	}
	w.Header().Set("Content-Type", r.contentType())
	w.Header().Set("x-amzn-RequestId", r.requestID)
	json.NewEncoder(w).Encode(map[string]any{"Certificate": certificateDetail(c)})
}

// certificateDetail is the CertificateDetail ACM answers, timestamps in
// epoch seconds as JSON 1.1 writes them.
func certificateDetail(c Certificate) map[string]any {
	sans := c.SubjectAlternativeNames
	if !contains(sans, c.DomainName) {
		sans = append([]string{c.DomainName}, sans...)
	}
	kind := c.Type
	if kind == "" {
		kind = "AMAZON_ISSUED"
	}
	validation := "SUCCESS"
	if c.Status == "PENDING_VALIDATION" || c.Status == "VALIDATION_TIMED_OUT" || c.Status == "FAILED" {
		validation = c.Status
	}
	var options []map[string]any
	for _, name := range sans {
		rrName, rrValue := c.ValidationRecordName, c.ValidationRecordValue
		if rrName == "" {
			rrName = "_0f1e2d3c4b5a69788796a5b4c3d2e1f0." + strings.TrimPrefix(name, "*.") + "."
			rrValue = "_a1b2c3d4e5f60718293a4b5c6d7e8f90.xlfgrmvvlj.acm-validations.aws."
		}
		options = append(options, map[string]any{
			"DomainName": name, "ValidationDomain": strings.TrimPrefix(name, "*."), "ValidationMethod": "DNS", "ValidationStatus": validation,
			"ResourceRecord": map[string]any{"Name": rrName, "Type": "CNAME", "Value": rrValue},
		})
	}
	d := map[string]any{
		"CertificateArn":          c.ARN,
		"DomainName":              c.DomainName,
		"SubjectAlternativeNames": sans,
		"DomainValidationOptions": options,
		"Status":                  c.Status,
		"Type":                    kind,
		"KeyAlgorithm":            "RSA_2048",
		"SignatureAlgorithm":      "SHA256WITHRSA",
		"InUseBy":                 append([]string{}, c.InUseBy...),
		"CreatedAt":               1.735787045e9,
		"Options":                 map[string]any{"CertificateTransparencyLoggingPreference": "ENABLED", "Export": "DISABLED"},
	}
	if c.RenewalEligibility != "" {
		d["RenewalEligibility"] = c.RenewalEligibility
	}
	if c.FailureReason != "" {
		d["FailureReason"] = c.FailureReason
	}
	if !c.NotBefore.IsZero() {
		d["NotBefore"] = float64(c.NotBefore.Unix())
	}
	if !c.NotAfter.IsZero() {
		d["NotAfter"] = float64(c.NotAfter.Unix())
		d["Issuer"] = "Amazon"
		d["Subject"] = "CN=" + c.DomainName
	}
	return d
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
