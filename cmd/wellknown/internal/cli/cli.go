// Package cli implements the wellknown command. It must stay free of the
// CDK packages (stacks, aws-cdk-go): importing them would start the jsii
// runtime, and the command is meant to answer in milliseconds.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/outcome"
	"github.com/acme/wellknown/internal/preflight"
)

// session is what a subcommand writes to, plus the --dir and --json in
// effect.
type session struct {
	stdout, stderr io.Writer
	dir            string
	// json is the command's --json: its output, problems that stop it
	// included, is one JSON document on stdout.
	json bool
}

// command is one subcommand. run returns nil for exit 0, or an error that
// carries the exit code (package exit); Run maps it to the process exit.
type command struct {
	name, args, summary, help string
	// hidden commands are steps of the Makefile, left out of the usage.
	hidden bool
	run    func(s *session, c command, args []string) error
}

var commands []command

func init() {
	commands = []command{checkCommand, verifyCommand, doctorCommand, newEnvCommand, handoffCommand, ciCommand,
		synthPreflightCommand, synthCleanupCommand, synthSummaryCommand}
}

// Run runs the command line args (without the program name) and returns
// the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	name, err := dispatch(args, stdout, stderr)
	prog := "wellknown"
	if name != "" {
		prog += " " + name
	}
	return exit.Print(stderr, prog, err)
}

// dispatch parses the global flags and runs the subcommand, returning its
// name (when it got that far) and its result.
func dispatch(args []string, stdout, stderr io.Writer) (string, error) {
	global := flag.NewFlagSet("wellknown", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dir := global.String("dir", ".", "project directory `DIR` containing cdk.json")
	switch err := global.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return "", nil
	case err != nil:
		fmt.Fprintf(stderr, "wellknown: %v\n\n", err)
		usage(stderr)
		return "", exit.Silent(exit.Usage)
	}
	rest := global.Args()
	if len(rest) == 0 {
		usage(stderr)
		return "", exit.Silent(exit.Usage)
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		if len(rest) == 0 {
			usage(stdout)
			return "", nil
		}
		name, rest = rest[0], []string{"--help"}
	}
	out := &countingWriter{w: stdout}
	s := &session{stdout: out, stderr: stderr, dir: *dir}
	for _, c := range commands {
		if c.name == name {
			err := c.run(s, c, rest)
			var mistake commandLineError
			if s.json && out.n == 0 && exit.Code(err) != exit.OK && !errors.As(err, &mistake) {
				// --json promises one JSON document on stdout whatever
				// happens to the run: a command stopped before it wrote one
				// (no credentials, an unreadable cdk.json) says why there
				// too, in check --json's shape. A mistake on the command
				// line is for the person typing it, on stderr alone.
				s.writeProblems([]diag.Problem{stopProblem(err)})
			}
			return name, err
		}
	}
	fmt.Fprintf(stderr, "wellknown: unknown command %q\n\n", name)
	usage(stderr)
	return "", exit.Silent(exit.Usage)
}

// countingWriter counts what a command wrote.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// stopProblem is the error that stopped a command as a problem with no
// file: its message, and its hint as the fix.
func stopProblem(err error) diag.Problem {
	p := diag.Problem{Severity: diag.Error, Message: err.Error()}
	var e *exit.Error
	if errors.As(err, &e) {
		p.Fix = e.Hint
		if e.Err == nil {
			p.Message = "stopped with exit code " + strconv.Itoa(e.Code)
		}
	}
	return p
}

func usage(w io.Writer) {
	fmt.Fprint(w, `wellknown checks, verifies and scaffolds the /.well-known app-link files
(assetlinks.json, apple-app-site-association) of the WellKnown CDK app.

Usage:
  wellknown [--dir DIR] <command> [flags] [args]

Commands:
`)
	for _, c := range commands {
		if !c.hidden {
			fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprint(w, `
Global flags:
  --dir DIR  project directory containing cdk.json (default ".")

Exit codes: 0 ok (warnings allowed), 1 a check failed, 2 usage or config error.
Run "wellknown <command> --help" for a command's flags.
`)
}

// flags builds a subcommand's FlagSet; every subcommand also accepts --dir.
func (s *session) flags(c command) *flag.FlagSet {
	fs := flag.NewFlagSet("wellknown "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&s.dir, "dir", s.dir, "project directory `DIR` containing cdk.json")
	fs.Usage = func() {}
	return fs
}

// jsonFlag adds the command's --json flag.
func (s *session) jsonFlag(fs *flag.FlagSet, usage string) {
	fs.BoolVar(&s.json, "json", false, usage)
}

// parse parses flags and positional arguments in any order (the standard
// flag package stops at the first positional one, but `new-env NAME
// --account …` is the natural order) and returns the positional ones.
// After --help it returns exit.Done.
func (s *session) parse(c command, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			commandUsage(s.stdout, c, fs)
			return nil, exit.Done
		}
		if err != nil {
			return nil, usageError(c, "%v", err)
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

func commandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: wellknown %s %s\n\n%s\n\nFlags (-flag and --flag are the same):\n", c.name, c.args, strings.TrimSpace(c.help))
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// usageError is a mistake on the command line: exit 2, with a pointer to
// the command's help.
func usageError(c command, format string, args ...any) error {
	return &exit.Error{Code: exit.Usage, Err: commandLineError{fmt.Errorf(format, args...)},
		Hint: fmt.Sprintf("Run \"wellknown %s --help\" for usage.", c.name)}
}

// commandLineError marks a usage error as a mistake in the arguments.
type commandLineError struct{ error }

func (e commandLineError) Unwrap() error { return e.error }

// envList is a repeatable --env flag; "a,b" also works.
type envList struct{ sel config.Selection }

func (l *envList) String() string { return strings.Join(l.sel.Names, ",") }
func (l *envList) Set(v string) error {
	l.sel = config.NewSelection("--env", append(l.sel.Names, v)...)
	return nil
}

// loadTargets reads cdk.json in the project directory and runs the synth
// preflight on the selected environments. Configuration errors and
// unknown names are usage errors (exit 2); problems in the selected
// environments' files are returned for the caller to judge.
func (s *session) loadTargets(c command, sel config.Selection) (preflight.Result, error) {
	path := filepath.Join(s.dir, config.FileName)
	ctx, err := config.ReadProject(s.dir)
	if err != nil {
		return preflight.Result{}, exit.WithCode(exit.Usage, err)
	}
	res, selErr := preflight.Run(ctx, s.dir, sel)
	if diag.HasErrors(res.Settings) {
		s.writeProblems(res.Settings)
		return res, exit.Usagef("fix %s first", path)
	}
	if selErr != nil {
		return res, usageError(c, "%v", selErr)
	}
	return res, nil
}

// loadValidTargets is loadTargets for commands that must not act on invalid
// local files: it prints their problems and refuses with exit 1.
func (s *session) loadValidTargets(c command, sel config.Selection, refusal string) (preflight.Result, error) {
	res, err := s.loadTargets(c, sel)
	if err == nil && !res.OK() {
		s.writeProblems(res.Problems)
		return res, exit.Failf("%s", refusal)
	}
	return res, err
}

// problemsJSON is how --json prints problems, in check's report and when
// problems stop any other command.
type problemsJSON struct {
	Problems []problemJSON `json:"problems"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
}

// problemJSON is a diag.Problem as --json prints it.
type problemJSON struct {
	File     string `json:"file"`
	Path     string `json:"path"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

func newProblemsJSON(ps []diag.Problem) problemsJSON {
	counts := diag.Count(ps)
	out := problemsJSON{Problems: []problemJSON{}, Errors: counts.Errors, Warnings: counts.Warnings}
	for _, p := range ps {
		out.Problems = append(out.Problems, problemJSON{p.File, p.Path, p.Severity.String(), p.Message, p.Fix})
	}
	return out
}

// writeProblems reports problems that stop a command: one line each on
// stderr, where the command's own output does not go, or under --json on
// stdout as check --json prints them, so that stdout is one JSON document
// whatever happened. The reason the command stopped stays on stderr.
func (s *session) writeProblems(ps []diag.Problem) {
	if s.json {
		writeJSON(s.stdout, newProblemsJSON(ps))
		return
	}
	diag.Write(s.stderr, ps)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// reported is the exit of verify and doctor once their report is written:
// the write error, else 1 when a check failed (warnings do not fail).
func reported(err error, t outcome.Tally) error {
	if err != nil {
		return err
	}
	if !t.OK() {
		return exit.Silent(exit.Failed)
	}
	return nil
}
