package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/linkfile"
	"github.com/acme/wellknown/internal/preflight"
)

var checkCommand = command{
	name:    "check",
	args:    "[--json] [PATH…]",
	summary: "validate link files offline with exactly the rules used at synth",
	help: `Validates link files without deploying anything, with the same validator
the CDK app runs before synthesis. A PATH is a link file, a .well-known
directory, or an environment's assets directory (one containing .well-known/).
Without PATH, every environment in cdk.json is checked, configuration included.

Prints one line per problem (file: json.path: what is wrong — how to fix),
then a summary. Exit 0 when there is no error (warnings allowed), 1 when
there is one, 2 for a bad PATH or a cdk.json that is
unreadable or has configuration errors.`,
	run: runCheck,
}

func runCheck(s *session, c command, args []string) error {
	fs := s.flags(c)
	s.jsonFlag(fs, "print the problems as JSON")
	paths, err := s.parse(c, fs, args)
	if err != nil {
		return err
	}
	var problems []diag.Problem
	var scope string
	configErrors := false
	if len(paths) == 0 {
		res, err := s.preflightAll()
		if err != nil {
			return err
		}
		problems = res.Problems
		configErrors = diag.HasErrors(res.Settings)
		// Every environment was checked, the broken ones included.
		scope = fmt.Sprintf("%s (%s)", diag.Plural(len(res.Config.Declared), "environment"), strings.Join(res.Config.Declared, ", "))
	} else {
		for _, p := range paths {
			ps, err := checkPath(p)
			if err != nil {
				return usageError(c, "%v", err)
			}
			problems = append(problems, ps...)
		}
		scope = diag.Plural(len(paths), "path")
	}

	var counts diag.Counts
	if s.json {
		counts = diag.Count(problems)
		if err := writeJSON(s.stdout, newProblemsJSON(problems)); err != nil {
			return err
		}
	} else {
		counts = diag.Write(s.stdout, problems)
		fmt.Fprintf(s.stdout, "%s in %s\n", counts, scope)
	}
	switch {
	case configErrors:
		// Every problem is printed, but a broken cdk.json is a configuration
		// error (exit 2), as in every other subcommand.
		return exit.Silent(exit.Usage)
	case counts.Errors > 0:
		return exit.Silent(exit.Failed)
	}
	return nil
}

// preflightAll runs the synth preflight over every environment, so that
// configuration problems are printed together with the files' problems.
func (s *session) preflightAll() (preflight.Result, error) {
	ctx, err := config.ReadProject(s.dir)
	if err != nil {
		return preflight.Result{}, exit.WithCode(exit.Usage, err)
	}
	res, err := preflight.Run(ctx, s.dir, config.Selection{})
	return res, exit.WithCode(exit.Usage, err)
}

// checkPath validates what one PATH names. A missing path or a directory
// that holds no .well-known/ is a usage error, not a finding.
func checkPath(p string) ([]diag.Problem, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		return linkfile.Validate(p, data), nil
	}
	if filepath.Base(filepath.Clean(p)) == linkfile.Dir {
		_, ps := linkfile.CheckDir(p)
		return ps, nil
	}
	wk := filepath.Join(p, linkfile.Dir)
	if info, err := os.Stat(wk); err == nil && info.IsDir() {
		_, ps := linkfile.CheckDir(wk)
		return ps, nil
	}
	return nil, fmt.Errorf("%s: neither a link file, a .well-known directory nor a directory containing .well-known/", p)
}
