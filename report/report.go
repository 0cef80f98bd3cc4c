// Package report renders what people read after a synthesis or a check:
// the problems found and the per-environment summary.
package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/acme/wellknown/linkfile"
	"github.com/acme/wellknown/preflight"
)

// Problems writes one line per problem, then a count. It returns the number
// of errors.
func Problems(w io.Writer, ps []linkfile.Problem) int {
	errs := 0
	for _, p := range ps {
		fmt.Fprintln(w, p.String())
		if p.Severity == linkfile.Error {
			errs++
		}
	}
	if len(ps) > 0 {
		fmt.Fprintf(w, "%s, %s\n", plural(errs, "error"), plural(len(ps)-errs, "warning"))
	}
	return errs
}

// Summary writes a table with one row per synthesized environment.
func Summary(w io.Writer, targets []preflight.Target) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tACCOUNT/REGION\tSTACK\tREDIRECT URL\tFILES")
	for _, t := range targets {
		e := t.Env
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\n", e.Name, e.Account, e.Region, e.StackName(), e.RedirectURL(), strings.Join(t.FileNames(), ", "))
	}
	tw.Flush()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
