package doctor

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/acme/wellknown/internal/outcome"
)

// Status is the outcome of one check; the values and marks are those of
// `wellknown verify` (package outcome).
type Status = outcome.Status

const (
	Pass = outcome.Pass
	Fail = outcome.Fail
	Warn = outcome.Warn
	Skip = outcome.Skip // not checked because an earlier check failed
)

// The checks, in the order their rows are shown.
const (
	CheckIdentity  = "identity"
	CheckBootstrap = "bootstrap"
	// Only when the deploy creates a certificate stack in us-east-1.
	CheckCertBootstrap   = "cert-bootstrap"
	CheckPublicAccess    = "public-access"
	CheckOrgPublicAccess = "org-public-access"
	CheckBucket          = "bucket"
	CheckStack           = "stack"
	// Only when the deploy creates a certificate stack in us-east-1.
	CheckCertStack = "cert-stack"
	// Only for an environment with a custom domain (the hosted zone's row
	// only when it names one).
	CheckCertificate = "certificate"
	CheckHostedZone  = "hosted-zone"
	// Only with a "wellknown:ci" section.
	CheckCIRoles = "ci-roles"
)

// CheckNames lists every check in row order; an environment has the
// ones that apply to it.
var CheckNames = []string{CheckIdentity, CheckBootstrap, CheckCertBootstrap, CheckPublicAccess, CheckOrgPublicAccess, CheckBucket, CheckStack,
	CheckCertStack, CheckCertificate, CheckHostedZone, CheckCIRoles}

// Check is one row: what was found and, unless it passed, what to do.
type Check = outcome.Check

// EnvReport is one environment's rows.
type EnvReport struct {
	Env     string  `json:"env"`
	Account string  `json:"account"`
	Region  string  `json:"region"`
	Stack   string  `json:"stack"`
	Bucket  string  `json:"bucket"`
	Checks  []Check `json:"checks"`
}

// Report is the outcome of a run.
type Report struct {
	Environments []EnvReport `json:"environments"`
	outcome.Tally
}

func newReport(envs []EnvReport) Report {
	groups := make([][]Check, len(envs))
	for i, e := range envs {
		groups[i] = e.Checks
	}
	return Report{Environments: envs, Tally: outcome.TallyOf(groups...)}
}

// Find returns the row of check name for env.
func (r Report) Find(env, name string) (Check, bool) {
	for _, e := range r.Environments {
		if e.Env != env {
			continue
		}
		for _, c := range e.Checks {
			if c.Name == name {
				return c, true
			}
		}
	}
	return Check{}, false
}

// WriteText writes one row per env × check, grouped by env, then a summary
// line. The fix follows the message after " — ", as in every other
// wellknown diagnostic.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tCHECK\tRESULT\tDETAIL")
	for _, e := range r.Environments {
		for _, c := range e.Checks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Env, c.Name, c.Status.Symbol(), c.Detail())
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return r.WriteSummary(w, len(r.Environments), "environment")
}
