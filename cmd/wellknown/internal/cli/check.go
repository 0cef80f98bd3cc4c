package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/linkfile"
	"github.com/acme/wellknown/preflight"
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

// problemJSON is a linkfile.Problem as --json prints it.
type problemJSON struct {
	File     string `json:"file"`
	Path     string `json:"path"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

func runCheck(s *session, c command, args []string) int {
	fs := s.flags(c)
	asJSON := fs.Bool("json", false, "print the problems as JSON")
	paths, code, done := s.parse(c, fs, args)
	if done {
		return code
	}
	var problems []linkfile.Problem
	var scope string
	if len(paths) == 0 {
		res, code, ok := s.preflightAll()
		if !ok {
			return code
		}
		problems = res.Problems
		scope = fmt.Sprintf("%s (%s)", plural(len(res.Config.Environments), "environment"), strings.Join(res.Config.Names(), ", "))
	} else {
		for _, p := range paths {
			ps, err := checkPath(p)
			if err != nil {
				return s.usageError(c, "%v", err)
			}
			problems = append(problems, ps...)
		}
		scope = plural(len(paths), "path")
	}

	errs, warns := 0, 0
	if *asJSON {
		out := struct {
			Problems []problemJSON `json:"problems"`
			Errors   int           `json:"errors"`
			Warnings int           `json:"warnings"`
		}{Problems: []problemJSON{}}
		for _, p := range problems {
			out.Problems = append(out.Problems, problemJSON{p.File, p.Path, p.Severity.String(), p.Message, p.Fix})
			if p.Severity == linkfile.Error {
				out.Errors++
			} else {
				out.Warnings++
			}
		}
		errs = out.Errors
		if err := writeJSON(s.stdout, out); err != nil {
			fmt.Fprintf(s.stderr, "wellknown check: %v\n", err)
			return ExitFailed
		}
	} else {
		errs, warns = writeProblems(s.stdout, problems)
		fmt.Fprintf(s.stdout, "%s, %s in %s\n", plural(errs, "error"), plural(warns, "warning"), scope)
	}
	switch {
	case configErrors(problems):
		// Every problem is printed, but a broken cdk.json is a configuration
		// error (exit 2), as in every other subcommand.
		return ExitUsage
	case errs > 0:
		return ExitFailed
	}
	return ExitOK
}

func configErrors(ps []linkfile.Problem) bool {
	for _, p := range ps {
		if p.Severity == linkfile.Error && p.File == config.Source {
			return true
		}
	}
	return false
}

// preflightAll runs the synth preflight over every environment, so that
// configuration problems are printed together with the files' problems.
func (s *session) preflightAll() (res preflight.Result, code int, ok bool) {
	ctx, err := config.ReadCDKJSON(filepath.Join(s.dir, "cdk.json"))
	if err != nil {
		fmt.Fprintf(s.stderr, "wellknown check: %v\n", err)
		return res, ExitUsage, false
	}
	r, err := preflight.Run(selectEnvs(ctx, nil), s.dir)
	if err != nil {
		fmt.Fprintf(s.stderr, "wellknown check: %v\n", err)
		return res, ExitUsage, false
	}
	return r, ExitOK, true
}

// checkPath validates what one PATH names. A missing path or a directory
// that holds no .well-known/ is a usage error, not a finding.
func checkPath(p string) ([]linkfile.Problem, error) {
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
	if filepath.Base(filepath.Clean(p)) == ".well-known" {
		_, ps := linkfile.CheckDir(p)
		return ps, nil
	}
	wk := filepath.Join(p, ".well-known")
	if info, err := os.Stat(wk); err == nil && info.IsDir() {
		_, ps := linkfile.CheckDir(wk)
		return ps, nil
	}
	return nil, fmt.Errorf("%s: neither a link file, a .well-known directory nor a directory containing .well-known/", p)
}
