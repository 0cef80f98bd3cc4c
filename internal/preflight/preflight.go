// Package preflight checks everything a synthesis depends on before any
// construct exists: the configuration, the environment selection and every
// selected environment's link files.
package preflight

import (
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/linkfile"
)

// Target is an environment whose files passed validation.
type Target struct {
	Env   config.Environment
	Files []linkfile.File
}

// FileNames lists the published file names of the target.
func (t Target) FileNames() []string {
	out := make([]string, len(t.Files))
	for i, f := range t.Files {
		out[i] = f.Name
	}
	return out
}

// Result is the outcome of a preflight: what may be synthesized and every
// problem found on the way, from all environments at once.
type Result struct {
	Config  config.Config
	Targets []Target
	// Settings are the problems of the environments' settings alone;
	// Problems holds them too, with those of the flags and the files.
	Settings []diag.Problem
	Problems []diag.Problem
}

// OK reports whether nothing blocks synthesis (warnings are allowed).
func (r Result) OK() bool { return !diag.HasErrors(r.Problems) }

// Run validates the configuration in ctx and the files of the selected
// environments. The returned error is for a selection naming an unknown
// environment, which is a usage mistake rather than a problem in a file.
func Run(ctx config.Context, dir string, sel config.Selection) (Result, error) {
	cfg, problems := config.Parse(ctx, dir)
	res := Result{Config: cfg, Settings: problems, Problems: slices.Clone(problems)}
	envs, err := cfg.Select(sel)
	if err != nil {
		if diag.HasErrors(problems) {
			// The environment may be missing because its config is broken;
			// the config problems explain that better than the selection.
			envs = nil
		} else {
			return res, err
		}
	}
	res.Problems = append(res.Problems, config.CheckFlags(ctx)...)
	for _, env := range envs {
		files, ps := checkFiles(env, true)
		res.Problems = append(res.Problems, ps...)
		if !diag.HasErrors(ps) {
			res.Targets = append(res.Targets, Target{Env: env, Files: files})
		}
	}
	// An environment with broken settings is not synthesized, but its files
	// are checked now rather than after the settings are fixed.
	for _, env := range cfg.Invalid {
		if sel.Includes(env.Name) {
			_, ps := checkFiles(env, false)
			res.Problems = append(res.Problems, ps...)
		}
	}
	res.Problems = dedupe(res.Problems)
	return res, nil
}

// checkFiles validates an environment's .well-known directory. A missing
// directory is a configuration matter, reported at the "assets" setting
// that points there; for an environment whose settings are already broken
// it is left to those problems (a misspelled name or path would otherwise
// be reported twice).
func checkFiles(env config.Environment, settingsValid bool) ([]linkfile.File, []diag.Problem) {
	dir := linkfile.DirIn(env.AssetsDir)
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		if !settingsValid {
			return nil, nil
		}
		return nil, []diag.Problem{{
			File: config.FileName, Path: config.EnvPath(env.Name) + ".assets", Severity: diag.Error,
			Message: fmt.Sprintf("%s does not exist", dir),
			Fix:     fmt.Sprintf("create it with %s and/or %s, or point \"assets\" at the directory that holds .well-known/", linkfile.AssetLinks, linkfile.AppleAppSiteAssociation),
		}}
	}
	return linkfile.CheckDir(dir)
}

// Environments sharing an assets directory would otherwise repeat its
// problems once per environment.
func dedupe(ps []diag.Problem) []diag.Problem {
	seen := map[string]bool{}
	out := ps[:0]
	for _, p := range ps {
		if key := p.String(); !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}
