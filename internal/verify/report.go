package verify

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/acme/wellknown/internal/outcome"
)

// Status is the outcome of one check; see package outcome.
type Status = outcome.Status

const (
	Pass = outcome.Pass
	Fail = outcome.Fail
	Warn = outcome.Warn
	Skip = outcome.Skip // impossible after an earlier failure
)

// Check is one row: one requirement of one request.
type Check = outcome.Check

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
	Results []Result `json:"results"`
	outcome.Tally
}

func newReport(results []Result) Report {
	groups := make([][]Check, len(results))
	for i, r := range results {
		groups[i] = r.Checks
	}
	return Report{Results: results, Tally: outcome.TallyOf(groups...)}
}

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
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", res.Env, res.File, c.Name, c.Status.Symbol(), latency, c.Detail())
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return r.WriteSummary(w, len(r.Results), "request")
}

func formatLatency(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}
