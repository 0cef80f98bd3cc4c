// Command wellknown-app is the CDK app: it validates the configuration and
// the .well-known files of every selected environment, and only if all of
// them are valid creates one stack per environment and synthesizes them.
//
// The data flow, top to bottom: the CDK context (cdk.json, -c) → preflight
// (config, selection, link files) → stacks → cloud assembly.
//
// Like any CDK app it writes nothing to stdout, which belongs to the CDK
// CLI (`cdk synth WellKnown-dev > dev.yaml`, `cdk ls --json`); problems go
// to stderr, and `make synth` prints the summary from the assembly.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/cdkapp"
	"github.com/acme/wellknown/internal/cdkout"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/preflight"
)

func main() {
	code := exit.Print(os.Stderr, "wellknown", run(".", os.Stderr))
	jsii.Close()
	os.Exit(code)
}

// run returns nil when the stacks were synthesized, an error with exit code
// 1 for invalid input (nothing deployable is left in the output directory)
// and 2 for an unreadable context or an unknown environment.
func run(dir string, stderr io.Writer) (err error) {
	outdir := cdkout.Dir(dir)
	defer func() {
		if err != nil {
			// An assembly from an earlier run must not outlive a failed one.
			cdkout.Discard(outdir)
		}
	}()
	ctx, err := config.ReadContext(dir)
	if err != nil {
		return exit.WithCode(exit.Usage, err)
	}
	sel, err := config.ParseSelection(ctx)
	if err != nil {
		return exit.WithCode(exit.Usage, err)
	}
	checked, err := preflight.Run(ctx, dir, sel)
	if err != nil {
		return exit.WithCode(exit.Usage, err)
	}
	if counts := diag.Write(stderr, checked.Problems); counts.Errors > 0 {
		fmt.Fprintln(stderr, counts)
		return exit.Failf("nothing was synthesized; fix the errors above and run again")
	} else if counts.Warnings > 0 {
		fmt.Fprintln(stderr, counts)
	}
	return cdkapp.Synth(ctx, outdir, func(app awscdk.App) error {
		if _, err := cdkapp.AddStacks(app, checked.Targets); err != nil {
			return err
		}
		// The CI roles cover every environment of an account, and the
		// pipeline deploys them all, so both are synthesized with all of
		// them, not for -c env=….
		if !sel.All() {
			return nil
		}
		if _, err := cdkapp.AddCIStacks(app, checked.Config); err != nil {
			return err
		}
		_, err := cdkapp.AddPipelineStack(app, checked.Config, checked.Targets, dir)
		return err
	}, func(code int) { os.Exit(code) })
}
