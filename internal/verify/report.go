package verify

import (
	"fmt"
	"github.com/acme/wellknown/internal/diag"
	"io"
	"text/tabwriter"
	"time"
)

// Status is the outcome of one check.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn" // does not fail the run
	Skip Status = "skip" // impossible after an earlier failure
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

// Check is one row: one requirement of one request.
type Check struct {
	Name    string `json:"check"`
	Status  Status `json:"status"`
	Message string `json:"message"`
}

// Result is one request and its checks.
type Result struct {
	Env       string        `json:"env"`
	File      string        `json:"file"`
	URL       string        `json:"url"`
	Latency   time.Duration `json:"-"`
	LatencyMS int64         `json:"latency_ms"`
	Checks    []Check       `json:"checks"`
}

func (r *Result) setLatency(d time.Duration) {
	r.Latency, r.LatencyMS = d, d.Milliseconds()
}

// Report is the outcome of a run.
type Report struct {
	Results  []Result `json:"results"`
	Passed   int      `json:"passed"`
	Failed   int      `json:"failed"`
	Warnings int      `json:"warnings"`
	Skipped  int      `json:"skipped"`
}

func newReport(results []Result) Report {
	rep := Report{Results: results}
	for _, r := range results {
		for _, c := range r.Checks {
			switch c.Status {
			case Pass:
				rep.Passed++
			case Fail:
				rep.Failed++
			case Warn:
				rep.Warnings++
			default:
				rep.Skipped++
			}
		}
	}
	return rep
}

// OK reports whether no check failed (warnings are allowed).
func (r Report) OK() bool { return r.Failed == 0 }

// WriteText writes the env × file × check table, the latency on each
// request's first row, then a summary line.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tFILE\tCHECK\tRESULT\tLATENCY\tDETAIL")
	for _, res := range r.Results {
		for i, c := range res.Checks {
			latency := ""
			if i == 0 && res.Latency > 0 {
				latency = formatLatency(res.Latency)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", res.Env, res.File, c.Name, c.Status.Symbol(), latency, c.Message)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := "ok"
	if !r.OK() {
		verdict = "FAILED"
	}
	_, err := fmt.Fprintf(w, "\n%s: %s, %d passed, %d failed, %s, %d skipped\n",
		verdict, diag.Plural(len(r.Results), "request"), r.Passed, r.Failed, diag.Plural(r.Warnings, "warning"), r.Skipped)
	return err
}

func formatLatency(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}
