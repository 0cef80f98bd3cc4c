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
	"slices"
	"strings"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/linkfile"
	"github.com/acme/wellknown/preflight"
)

// Exit codes shared by every subcommand.
const (
	ExitOK     = 0 // warnings allowed
	ExitFailed = 1 // a check failed
	ExitUsage  = 2 // usage or config error
)

// session is what a subcommand writes to, plus the --dir in effect.
type session struct {
	stdout, stderr io.Writer
	dir            string
}

type command struct {
	name, args, summary, help string
	run                       func(s *session, c command, args []string) int
}

var commands []command

func init() {
	commands = []command{checkCommand, verifyCommand, newEnvCommand, handoffCommand}
}

// Run runs the command line args (without the program name) and returns
// the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("wellknown", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dir := global.String("dir", ".", "project directory `DIR` containing cdk.json")
	switch err := global.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "wellknown: %v\n\n", err)
		usage(stderr)
		return ExitUsage
	}
	rest := global.Args()
	if len(rest) == 0 {
		usage(stderr)
		return ExitUsage
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		if len(rest) == 0 {
			usage(stdout)
			return ExitOK
		}
		name, rest = rest[0], []string{"--help"}
	}
	s := &session{stdout: stdout, stderr: stderr, dir: *dir}
	for _, c := range commands {
		if c.name == name {
			return c.run(s, c, rest)
		}
	}
	fmt.Fprintf(stderr, "wellknown: unknown command %q\n\n", name)
	usage(stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `wellknown checks, verifies and scaffolds the /.well-known app-link files
(assetlinks.json, apple-app-site-association) of the WellKnown CDK app.

Usage:
  wellknown [--dir DIR] <command> [flags] [args]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
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

// parse parses flags and positional arguments in any order (the standard
// flag package stops at the first positional one, but `new-env NAME
// --account …` is the natural order). It returns the positional arguments
// and, when parsing ended the command, its exit code.
func (s *session) parse(c command, fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			commandUsage(s.stdout, c, fs)
			return nil, ExitOK, true
		}
		if err != nil {
			return nil, s.usageError(c, "%v", err), true
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), 0, false
		}
		if len(rest) == 0 {
			return pos, 0, false
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

func (s *session) usageError(c command, format string, args ...any) int {
	fmt.Fprintf(s.stderr, "wellknown %s: %s\n", c.name, fmt.Sprintf(format, args...))
	fmt.Fprintf(s.stderr, "Run \"wellknown %s --help\" for usage.\n", c.name)
	return ExitUsage
}

// envList is a repeatable --env flag; "a,b" also works.
type envList []string

func (l *envList) String() string { return strings.Join(*l, ",") }
func (l *envList) Set(v string) error {
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(*l, n) {
			*l = append(*l, n)
		}
	}
	return nil
}

// loadTargets reads cdk.json in the project directory and runs the synth
// preflight on the selected environments (all when names is empty). Config
// errors and unknown names are usage errors (exit 2); problems in the
// selected environments' files are returned for the caller to judge.
func (s *session) loadTargets(c command, names []string) (preflight.Result, int, bool) {
	path := filepath.Join(s.dir, "cdk.json")
	ctx, err := config.ReadCDKJSON(path)
	if err != nil {
		fmt.Fprintf(s.stderr, "wellknown %s: %v\n", c.name, err)
		return preflight.Result{}, ExitUsage, false
	}
	cfg, problems := config.Parse(ctx, s.dir)
	if linkfile.HasErrors(problems) {
		writeProblems(s.stderr, problems)
		fmt.Fprintf(s.stderr, "wellknown %s: fix %s first\n", c.name, path)
		return preflight.Result{}, ExitUsage, false
	}
	for _, n := range names {
		if !slices.Contains(cfg.Names(), n) {
			s.usageError(c, "--env %s: unknown environment; known environments: %s", n, strings.Join(cfg.Names(), ", "))
			return preflight.Result{}, ExitUsage, false
		}
	}
	res, err := preflight.Run(selectEnvs(ctx, names), s.dir)
	if err != nil {
		fmt.Fprintf(s.stderr, "wellknown %s: %v\n", c.name, err)
		return preflight.Result{}, ExitUsage, false
	}
	return res, ExitOK, true
}

// loadValidTargets is loadTargets for commands that must not act on invalid
// local files: it prints their problems and the refusal, and exits 1.
func (s *session) loadValidTargets(c command, names []string, refusal string) (preflight.Result, int, bool) {
	res, code, ok := s.loadTargets(c, names)
	if ok && !res.OK() {
		writeProblems(s.stderr, res.Problems)
		fmt.Fprintln(s.stderr, refusal)
		return res, ExitFailed, false
	}
	return res, code, ok
}

// selectEnvs sets the context's env selection the way `cdk synth -c env=…`
// does, so preflight selects exactly as synth would; no names means all,
// whatever cdk.json's context says.
func selectEnvs(ctx config.Context, names []string) config.Context {
	out := config.Context{}
	for k, v := range ctx {
		out[k] = v
	}
	delete(out, config.SelectKey)
	if len(names) > 0 {
		out[config.SelectKey], _ = json.Marshal(strings.Join(names, ","))
	}
	return out
}

// writeProblems prints one line per problem and returns the counts.
func writeProblems(w io.Writer, ps []linkfile.Problem) (errs, warns int) {
	for _, p := range ps {
		fmt.Fprintln(w, p.String())
		if p.Severity == linkfile.Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
