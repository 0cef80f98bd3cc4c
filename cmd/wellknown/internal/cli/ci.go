package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/toolchain"
	"github.com/acme/wellknown/internal/workflows"
)

var ciCommand = command{
	name:    "ci",
	args:    "[--check]",
	summary: "write the GitHub Actions workflows for cdk.json's \"wellknown:ci\" section",
	help: `Writes .github/workflows/wellknown-pr.yml and wellknown-deploy.yml from
cdk.json ("wellknown:environments" and "wellknown:ci") and go.mod: the
same input always gives the same bytes. Pull requests run the tests and a
cdk diff per environment; a push to the default branch deploys each
environment in the "promotion" order, each after the one before it
deployed and verified, with roles assumed by OIDC (no stored AWS keys).

--check writes nothing: it exits 1 and shows the difference, as a unified
diff that git apply takes, when the committed files are not what cdk.json
gives (run "wellknown ci" and commit). Without a "wellknown:ci" section
there is nothing to generate: --check passes when no generated workflow
(.github/workflows/wellknown-*.yml) exists, and reports those that do as
stale.

Exit 0 written or up to date, 1 stale (--check), 2 usage or configuration
errors (writing without a "wellknown:ci" section among them).`,
	run: runCI,
}

func runCI(s *session, c command, args []string) error {
	fs := s.flags(c)
	check := fs.Bool("check", false, "only compare the committed workflows with what cdk.json gives; exit 1 when they differ")
	pos, err := s.parse(c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError(c, "unexpected argument %q", pos[0])
	}
	res, err := s.loadTargets(c, config.Selection{})
	if err != nil {
		return err
	}
	cfg := res.Config
	if cfg.CI == nil {
		if *check {
			return s.checkNoWorkflows()
		}
		return exit.Usagef("%s has no %q section; add e.g. %q: {\"github\": {\"repository\": \"acme/app-links\"}, \"promotion\": [%s]}",
			filepath.Join(s.dir, config.FileName), config.CIKey, config.CIKey, `"`+strings.Join(cfg.Declared, `", "`)+`"`)
	}
	files, err := s.workflows(cfg)
	if err != nil {
		return err
	}
	if *check {
		return s.checkWorkflows(files)
	}
	for _, f := range files {
		path := filepath.Join(s.dir, f.Path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return exit.WithCode(exit.Failed, err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return exit.WithCode(exit.Failed, err)
		}
		fmt.Fprintf(s.stdout, "wrote %s\n", f.Path)
	}
	fmt.Fprintln(s.stdout, "next: commit them; the README's \"Deploying from CI\" lists the one-time steps per account")
	return nil
}

// workflows generates the files from a configuration with a CI section.
func (s *session) workflows(cfg config.Config) ([]workflows.File, error) {
	goVersion, err := toolchain.Go(s.dir)
	if err != nil {
		return nil, exit.WithCode(exit.Usage, err)
	}
	in := workflows.Input{Repository: cfg.CI.Repository, DefaultBranch: cfg.CI.DefaultBranch, GoVersion: goVersion, NodeMajor: toolchain.NodeMajor}
	for _, name := range cfg.CI.Promotion {
		e, _ := cfg.Find(name)
		in.Environments = append(in.Environments, workflows.NewEnvironment(e.Name, e.Account, e.Region, cfg.Qualifier))
	}
	files, err := workflows.Generate(in)
	return files, exit.WithCode(exit.Usage, err)
}

// checkNoWorkflows is --check without a "wellknown:ci" section, a project
// that does not deliver from GitHub Actions: it passes unless generated
// workflows are left from an earlier section, which would go on deploying
// with roles that cdk.json no longer describes.
func (s *session) checkNoWorkflows() error {
	found, err := filepath.Glob(filepath.Join(s.dir, filepath.FromSlash(workflows.GeneratedGlob)))
	if err != nil {
		return exit.WithCode(exit.Usage, err)
	}
	if len(found) == 0 {
		fmt.Fprintf(s.stdout, "%s has no %q section and there are no generated workflows: nothing to check\n", config.FileName, config.CIKey)
		return nil
	}
	var rel []string
	for _, f := range found {
		r, _ := filepath.Rel(s.dir, f)
		rel = append(rel, filepath.ToSlash(r))
		fmt.Fprintf(s.stdout, "%s is stale: %s has no %q section\n", filepath.ToSlash(r), config.FileName, config.CIKey)
	}
	return exit.Failf("%d generated workflow(s) but no %q section in %s; delete them (git rm %s) or add the section and run \"wellknown ci\"",
		len(found), config.CIKey, config.FileName, strings.Join(rel, " "))
}

// checkWorkflows compares the committed files with files. Each difference
// is a unified diff against the repository root: the output as a whole is
// a patch that `git apply` (or `patch -p1`) turns into what `wellknown ci`
// writes.
func (s *session) checkWorkflows(files []workflows.File) error {
	stale := 0
	for _, f := range files {
		have, err := os.ReadFile(filepath.Join(s.dir, f.Path))
		switch {
		case os.IsNotExist(err):
			fmt.Fprintf(s.stdout, "%s is missing:\n%s", f.Path, unifiedDiff(f.Path, false, "", string(f.Data)))
			stale++
		case err != nil:
			return exit.WithCode(exit.Usage, err)
		case !bytes.Equal(have, f.Data):
			fmt.Fprintf(s.stdout, "%s is stale:\n%s", f.Path, unifiedDiff(f.Path, true, string(have), string(f.Data)))
			stale++
		}
	}
	if stale > 0 {
		return exit.Failf("%d of %d workflows differ from what cdk.json gives; run \"wellknown ci\" and commit the result", stale, len(files))
	}
	fmt.Fprintf(s.stdout, "%d workflows up to date\n", len(files))
	return nil
}
