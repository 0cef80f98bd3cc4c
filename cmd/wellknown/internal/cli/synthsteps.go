package cli

import (
	"fmt"
	"strings"

	"github.com/acme/wellknown/internal/cdkout"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/exit"
)

// The two hidden steps of `make synth` around `cdk synth`. They are not
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
