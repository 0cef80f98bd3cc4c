// Package summary renders what people read after a synthesis: one row per
// synthesized environment with the redirect URL to hand on.
package summary

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/acme/wellknown/internal/preflight"
)

// Write writes a table with one row per synthesized environment, then the
// certificate stacks (deployed with their environment, which depends on
// them), the CI roles stacks, which an administrator deploys once per
// account, and the pipeline's stacks, deployed once and then updated by
// the pipeline itself.
func Write(w io.Writer, targets []preflight.Target, certStacks, ciStacks, pipelineStacks []string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tACCOUNT/REGION\tSTACK\tREDIRECT URL\tFILES")
	for _, t := range targets {
		e := t.Env
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\n", e.Name, e.Account, e.Region, e.StackName(), e.RedirectURL(), strings.Join(t.FileNames(), ", "))
	}
	tw.Flush()
	if len(certStacks) > 0 {
		fmt.Fprintf(w, "\nCertificates in us-east-1 (cdk deploy of the environment deploys them first): %s\n", strings.Join(certStacks, ", "))
	}
	if len(ciStacks) > 0 {
		fmt.Fprintf(w, "\nCI roles (deployed once per account by an administrator, see \"Deploying from CI\"): %s\n", strings.Join(ciStacks, ", "))
	}
	if len(pipelineStacks) > 0 {
		fmt.Fprintf(w, "\nPipeline (deployed once from a workstation, then it updates itself; see \"Deploying with CodePipeline\"): %s\n", strings.Join(pipelineStacks, ", "))
	}
}
