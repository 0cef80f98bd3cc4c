// Package summary renders what people read after a synthesis: one row per
// synthesized environment with the redirect URL to hand on.
package summary

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
)

// Stacks are the stacks synthesized besides the environments' own.
type Stacks struct {
	// Cert: certificate stacks, deployed with their environment, which
	// depends on them.
	Cert []string
	// CI: the CI roles stacks, which an administrator deploys once per
	// account.
	CI []string
	// Pipeline: the pipeline's stacks, deployed once and then updated by
	// the pipeline itself; the first is the pipeline.
	Pipeline []string
}

// Write writes a table with one row per synthesized environment, the other
// stacks by kind, and the line that says how many stacks are in outdir and
// what to deploy first.
func Write(w io.Writer, targets []preflight.Target, other Stacks, outdir string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tACCOUNT/REGION\tSTACK\tREDIRECT URL\tFILES")
	for _, t := range targets {
		e := t.Env
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\n", e.Name, e.Account, e.Region, e.StackName(), e.RedirectURL(), strings.Join(t.FileNames(), ", "))
	}
	tw.Flush()
	if len(other.Cert) > 0 {
		fmt.Fprintf(w, "\nCertificates in us-east-1 (cdk deploy of the environment deploys them first): %s\n", strings.Join(other.Cert, ", "))
	}
	if len(other.CI) > 0 {
		fmt.Fprintf(w, "\nCI roles (deployed once per account by an administrator, see \"Deploying from CI\"): %s\n", strings.Join(other.CI, ", "))
	}
	if len(other.Pipeline) > 0 {
		fmt.Fprintf(w, "\nPipeline (deployed once from a workstation, then it updates itself; see \"Deploying with CodePipeline\"): %s\n", strings.Join(other.Pipeline, ", "))
	}
	if len(targets) == 0 {
		return
	}
	n := len(targets) + len(other.Cert) + len(other.CI) + len(other.Pipeline)
	next := "Deploy one with: npx cdk deploy " + targets[0].Env.StackName()
	if len(other.Pipeline) > 0 {
		// Deploying an environment by hand next to the pipeline would race
		// it; the pipeline deploys them all, in its waves.
		next = "Deploy the pipeline with: npx cdk deploy " + other.Pipeline[0] + " (it deploys the environments)"
	}
	fmt.Fprintf(w, "\n%d stack(s) synthesized to %s. %s\n", n, outdir, next)
}

// FromAssembly sorts the stacks of an assembly (cdkout.Stacks, in manifest
// order) into the rows of the targets synthesized there and the other
// stacks by kind, so that the summary shows what was written, not what was
// meant to be.
func FromAssembly(targets []preflight.Target, stackNames []string) ([]preflight.Target, Stacks) {
	var rows []preflight.Target
	var other Stacks
	for _, t := range targets {
		if slices.Contains(stackNames, t.Env.StackName()) {
			rows = append(rows, t)
		}
	}
	for _, name := range stackNames {
		switch {
		case slices.ContainsFunc(targets, func(t preflight.Target) bool { return t.Env.CertStackName() == name }):
			other.Cert = append(other.Cert, name)
		case slices.ContainsFunc(targets, func(t preflight.Target) bool { return ciroles.StackName(t.Env.Account) == name }):
			other.CI = append(other.CI, name)
		case name == config.PipelineStackName || strings.HasPrefix(name, config.PipelineStackName+"-support-"):
			other.Pipeline = append(other.Pipeline, name)
		}
	}
	return rows, other
}
