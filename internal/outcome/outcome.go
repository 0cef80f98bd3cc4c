// Package outcome owns what `wellknown verify` and `wellknown doctor`
// share: the status of a check, its mark in the table, and the tally and
// summary line that decide whether the run failed. One owner keeps the
// marks, the JSON values and the verdict identical in both commands.
package outcome

import (
	"fmt"
	"io"

	"github.com/acme/wellknown/internal/diag"
)

// Status is the outcome of one check; the values are the JSON "status".
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn" // does not fail the run
	Skip Status = "skip" // not checked because an earlier check failed
)

// Symbol is the mark shown in the table.
func (s Status) Symbol() string {
	switch s {
	case Pass:
		return "✓"
	case Fail:
		return "✗"
	case Warn:
		return "!"
	}
	return "–"
}

// Check is one row: what was found and, unless it passed, what to do.
type Check struct {
	Name    string `json:"check"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// Detail is the message followed by the fix after " — ", as in every
// other wellknown diagnostic.
func (c Check) Detail() string {
	if c.Fix == "" {
		return c.Message
	}
	return c.Message + " — " + c.Fix
}

// TallyOf counts the checks of every group (a request, an environment).
func TallyOf(groups ...[]Check) Tally {
	var t Tally
	for _, g := range groups {
		for _, c := range g {
			t.Add(c.Status)
		}
	}
	return t
}

// Tally counts the checks of a run. Embedded in a report, its fields are
// the report's top-level JSON counts.
type Tally struct {
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Warnings int `json:"warnings"`
	Skipped  int `json:"skipped"`
}

// Add counts one check.
func (t *Tally) Add(s Status) {
	switch s {
	case Pass:
		t.Passed++
	case Fail:
		t.Failed++
	case Warn:
		t.Warnings++
	default:
		t.Skipped++
	}
}

// OK reports whether no check failed (warnings are allowed).
func (t Tally) OK() bool { return t.Failed == 0 }

// WriteSummary writes the line under the table, e.g.
// "ok: 3 requests, 12 passed, 0 failed, 1 warning, 0 skipped".
func (t Tally) WriteSummary(w io.Writer, n int, noun string) error {
	verdict := "ok"
	if !t.OK() {
		verdict = "FAILED"
	}
	_, err := fmt.Fprintf(w, "\n%s: %s, %d passed, %d failed, %s, %d skipped\n",
		verdict, diag.Plural(n, noun), t.Passed, t.Failed, diag.Plural(t.Warnings, "warning"), t.Skipped)
	return err
}
