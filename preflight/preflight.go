// Package preflight checks everything a synthesis depends on before any
// construct exists: the configuration, the environment selection and every
// selected environment's link files.
package preflight

import (
	"fmt"
	"os"
	"sort"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/linkfile"
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
	Config   config.Config
	Targets  []Target
	Problems []linkfile.Problem
}

// OK reports whether nothing blocks synthesis (warnings are allowed).
func (r Result) OK() bool { return !linkfile.HasErrors(r.Problems) }

// Run validates the configuration in ctx and the files of the selected
// environments. The returned error is for a bad selection (-c env=…), which
// is a usage mistake rather than a problem in a file.
func Run(ctx config.Context, dir string) (Result, error) {
	cfg, problems := config.Parse(ctx, dir)
	res := Result{Config: cfg, Problems: problems}
	envs, err := cfg.Select(ctx)
	if err != nil {
		if linkfile.HasErrors(problems) {
			// The environment may be missing because its config is broken;
			// the config problems explain that better than the selection.
			envs = nil
		} else {
			return res, err
		}
	}
	res.Problems = append(res.Problems, config.CheckFlags(ctx)...)
	for _, env := range envs {
		if _, err := os.Stat(env.WellKnownDir()); os.IsNotExist(err) {
			// The fix is in cdk.json or on disk; say which setting points here.
			res.Problems = append(res.Problems, linkfile.Problem{
				File: config.Source, Path: config.EnvPath(env.Name) + ".assets", Severity: linkfile.Error,
				Message: fmt.Sprintf("%s does not exist", env.WellKnownDir()),
				Fix:     fmt.Sprintf("create it with %s and/or %s, or point \"assets\" at the directory that holds .well-known/", linkfile.AssetLinks, linkfile.AppleAppSiteAssociation),
			})
			continue
		}
		files, ps := linkfile.CheckDir(env.WellKnownDir())
		res.Problems = append(res.Problems, ps...)
		if !linkfile.HasErrors(ps) {
			res.Targets = append(res.Targets, Target{Env: env, Files: files})
		}
	}
	// An environment with broken settings is not synthesized, but its files
	// are checked now rather than after the settings are fixed. A missing
	// directory is left to the settings' own problem (a misspelled name or
	// "assets" path would otherwise be reported twice).
	for _, env := range cfg.Invalid {
		if _, err := os.Stat(env.WellKnownDir()); err == nil && config.Selected(ctx, env.Name) {
			_, ps := linkfile.CheckDir(env.WellKnownDir())
			res.Problems = append(res.Problems, ps...)
		}
	}
	res.Problems = dedupe(res.Problems)
	return res, nil
}

// Environments sharing an assets directory would otherwise repeat its
// problems once per environment.
func dedupe(ps []linkfile.Problem) []linkfile.Problem {
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
