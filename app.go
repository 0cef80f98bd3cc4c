// Command wellknown-app is the CDK app: it validates the configuration and
// the .well-known files of every selected environment, and only if all of
// them are valid creates one stack per environment and synthesizes them.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/jsiiquiet"
	_ "github.com/acme/wellknown/nodebanner"
	"github.com/acme/wellknown/preflight"
	"github.com/acme/wellknown/report"
	"github.com/acme/wellknown/stacks"
)

func main() {
	os.Exit(jsiiquiet.Run(func() int {
		code := run(".", os.Stdout, os.Stderr)
		if code != 0 {
			// An assembly from an earlier run must not outlive a failed one.
			stacks.DiscardAssembly(stacks.Outdir("."))
		}
		return code
	}))
}

// run returns the exit code: 0 synthesized, 1 invalid input (nothing
// written), 2 unreadable context or unknown environment.
func run(dir string, stdout, stderr io.Writer) int {
	ctx, err := config.ReadContext(dir)
	if err != nil {
		fmt.Fprintf(stderr, "wellknown: %v\n", err)
		return 2
	}
	checked, err := preflight.Run(ctx, dir)
	if err != nil {
		fmt.Fprintf(stderr, "wellknown: %v\n", err)
		return 2
	}
	if report.Problems(stderr, checked.Problems) > 0 {
		fmt.Fprintln(stderr, "wellknown: nothing was synthesized; fix the errors above and run again")
		return 1
	}

	app, err := stacks.NewApp(&stacks.AppProps{Context: ctx})
	if err != nil {
		fmt.Fprintf(stderr, "wellknown: %v\n", err)
		return 2
	}
	for _, t := range checked.Targets {
		stacks.NewWellKnownStack(app, t.Env.StackName(), &stacks.WellKnownStackProps{Environment: t.Env, Files: t.Files})
	}
	outdir, err := stacks.Synth(app)
	if err != nil {
		fmt.Fprintf(stderr, "wellknown: %v\n", err)
		return 1
	}
	report.Summary(stdout, checked.Targets)
	fmt.Fprintf(stdout, "\n%d stack(s) synthesized to %s. Deploy one with: npx cdk deploy %s\n", len(checked.Targets), outdir, checked.Targets[0].Env.StackName())
	return 0
}
