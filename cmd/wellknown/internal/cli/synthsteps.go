package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/acme/wellknown/internal/cdkout"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/summary"
)

// The hidden steps of `make synth` around `cdk synth`. They are not
// for users: the Makefile runs them so that a failed `make synth` keeps
// the README's promises even where the app never runs.

var synthPreflightCommand = command{
	name:    "synth-preflight",
	hidden:  true,
	summary: "make synth, before cdk synth: read the files the CDK CLI parses",
	help: `Reads cdk.json, and cdk.context.json and ~/.cdk.json when they exist, with
this project's JSON reader. The CDK CLI parses them itself before it runs the
app and reports a syntax error by character offset only; this names the file,
line and column. Exit 0 when they parse, 2 when one does not.`,
	run: runSynthPreflight,
}

var synthCleanupCommand = command{
	name:    "synth-cleanup",
	hidden:  true,
	summary: "make synth, after a failure: remove the deployable files of cdk.out",
	help: `Removes manifest.json, the stack templates, their asset manifests and nested
assemblies from the cloud assembly directory (cdk.out, or CDK_OUTDIR), the
way the app does when its synthesis fails, so that no earlier assembly can be
deployed after a failed run. Staged assets and reports stay.`,
	run: runSynthCleanup,
}

var synthSummaryCommand = command{
	name:    "synth-summary",
	hidden:  true,
	summary: "make synth, after cdk synth: the environments, their redirect URLs and the other stacks",
	help: `Prints the table make synth ends with: one row per environment synthesized into
the cloud assembly (cdk.out, or CDK_OUTDIR), with its redirect URL and files,
then the other stacks of the assembly by kind. The app itself prints nothing
on stdout, which belongs to the CDK CLI. Exit 2 when there is no assembly.`,
	run: runSynthSummary,
}

func runSynthPreflight(s *session, c command, args []string) error {
	if err := noArgs(s, c, args); err != nil {
		return err
	}
	if err := config.ReadCLIFiles(s.dir); err != nil {
		return &exit.Error{Code: exit.Usage, Err: err, Hint: "Nothing was synthesized; fix the file and run make synth again."}
	}
	return nil
}

func runSynthCleanup(s *session, c command, args []string) error {
	if err := noArgs(s, c, args); err != nil {
		return err
	}
	outdir := cdkout.Dir(s.dir)
	removed, err := cdkout.Discard(outdir)
	if len(removed) > 0 {
		fmt.Fprintf(s.stderr, "wellknown: the synthesis failed; removed %s of an earlier run from %s (%s), so nothing stale can be deployed\n",
			diag.Plural(len(removed), "deployable file"), outdir, strings.Join(cdkout.Deployable, ", "))
	}
	return exit.WithCode(exit.Failed, err)
}

// noArgs parses a command that takes only the global flags.
func noArgs(s *session, c command, args []string) error {
	pos, err := s.parse(c, s.flags(c), args)
	if err == nil && len(pos) > 0 {
		err = usageError(c, "unexpected argument %q", pos[0])
	}
	return err
}

func runSynthSummary(s *session, c command, args []string) error {
	if err := noArgs(s, c, args); err != nil {
		return err
	}
	res, err := s.loadTargets(c, config.Selection{})
	if err != nil {
		return err
	}
	outdir := cdkout.Dir(s.dir)
	names, err := cdkout.Stacks(outdir)
	if err != nil {
		return exit.Usagef("no cloud assembly to summarize: %v", err)
	}
	rows, other := summary.FromAssembly(res.Targets, names)
	summary.Write(s.stdout, rows, other, relative(s.dir, outdir))
	return nil
}

// relative names path from the project directory, as the CDK CLI does
// (cdk.out), unless it lies outside.
func relative(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
