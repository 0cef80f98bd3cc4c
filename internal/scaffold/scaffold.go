// Package scaffold creates a new environment: its link files, generated
// from typed structs and checked with the synth-time validator, and its
// entry in cdk.json. Nothing is written until everything has been checked,
// and then everything is written or nothing is.
package scaffold

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
	"github.com/acme/wellknown/internal/linkfile"
)

// ErrExists is returned (wrapped) when the environment or one of its files
// exists and Force is not set.
var ErrExists = errors.New("already exists")

// AndroidApp is one Android application: its applicationId and the SHA-256
// fingerprints of its signing certificates.
type AndroidApp struct {
	Package      string
	Fingerprints []string
}

// Props describes the environment to create.
type Props struct {
	Dir        string // project directory holding cdk.json
	Name       string
	Account    string
	Region     string
	BucketName string // empty: the default wellknown-<env>-<account>-<region>, or the replaced entry's

	AndroidApps    []AndroidApp
	IOSAppIDs      []string
	IOSPaths       []string // AASA components; default: the Alexa redirect (bucket root with code and state)
	WebCredentials bool     // add webcredentials / get_login_creds
	Force          bool     // replace an existing environment and files
}

// File is a file the plan writes.
type File struct {
	Path string
	Data []byte
}

// Plan is a checked set of writes.
type Plan struct {
	Env         config.Environment
	Files       []File
	CDKJSONPath string
	CDKJSON     []byte
	Replaced    bool // the environment existed in cdk.json (Force)
	Promoted    bool // the environment was added to "wellknown:ci" promotion
	Waved       bool // the environment was added to "wellknown:pipeline" waves, in a last wave of its own
	// CI: cdk.json has "wellknown:ci", whose workflows name every
	// environment's account and region, and the edit changes them, so
	// `wellknown ci` must run again. NewCIAccount: no environment used the
	// account before, so its CI roles stack (WellKnownCI-<account>) is not
	// deployed yet.
	CI, NewCIAccount bool
	Kept             []string // other link files left in place
}

// NewPlan checks props and computes every write. Problems are invalid
// input, reported in the same terms as `wellknown check`; an error is an
// unreadable project or a refusal (ErrExists).
func NewPlan(p Props) (*Plan, []diag.Problem, error) {
	if len(p.AndroidApps) == 0 && len(p.IOSAppIDs) == 0 {
		return nil, nil, errors.New("nothing to publish: give --android-package with --android-fingerprint, and/or --ios-app-id")
	}
	cdkPath := filepath.Join(p.Dir, config.FileName)
	before, err := os.ReadFile(cdkPath)
	if err != nil {
		return nil, nil, err
	}
	ctx, err := config.ReadProject(p.Dir)
	if err != nil {
		return nil, nil, err
	}
	// Duplicate keys make the file new-env would edit ambiguous: which
	// "prod" is kept depends on the parser; a project key that another file
	// the CDK CLI merges sets makes the result differ from cdk.json.
	if dups := ctx.Problems(); diag.HasErrors(dups) {
		return nil, dups, nil
	}
	old, replaced := existingEntry(ctx, p.Name)
	if replaced && !p.Force {
		return nil, nil, fmt.Errorf("environment %q %w in %s; pass --force to replace it", p.Name, ErrExists, cdkPath)
	}
	after, err := setEnvironment(before, p.Name, newEntry(p, old))
	if err != nil {
		return nil, nil, err
	}
	// A new environment joins the end of the CI promotion, so the section
	// stays valid and `wellknown ci` picks it up.
	promotion, addToPromotion := promotionWithout(ctx, p.Name)
	if addToPromotion {
		if after, err = setPath(after, []string{"context", config.CIKey, "promotion"}, append(promotion, p.Name)); err != nil {
			return nil, nil, err
		}
	}
	// Likewise with a pipeline: the new environment deploys in a wave of
	// its own after the others, and the pipeline updates itself with it.
	waves, addWave := wavesWithout(ctx, p.Name)
	if addWave {
		if after, err = setPath(after, []string{"context", config.PipelineKey, "waves"}, append(waves, []string{p.Name})); err != nil {
			return nil, nil, err
		}
	}
	env, problems, err := checkConfig(ctx, after, p)
	if err != nil {
		return nil, problems, err
	}
	// The files are generated and validated even when the settings are
	// wrong, so that one run reports every problem.
	dir := linkfile.DirIn(env.AssetsDir)
	if env.Name == "" {
		dir = linkfile.DirIn(filepath.Join(p.Dir, "assets", p.Name))
	}
	plan := &Plan{Env: env, CDKJSONPath: cdkPath, CDKJSON: after, Replaced: replaced, Promoted: addToPromotion, Waved: addWave}
	if _, ok := ctx.Value(config.CIKey); ok {
		plan.CI, plan.NewCIAccount = ciChange(ctx, p.Dir, env, replaced)
	}
	if len(p.IOSAppIDs) > 0 {
		data, err := AASA(p.IOSAppIDs, p.IOSPaths, p.WebCredentials)
		if err != nil {
			return nil, nil, err
		}
		plan.Files = append(plan.Files, File{filepath.Join(dir, linkfile.AppleAppSiteAssociation), data})
	}
	if len(p.AndroidApps) > 0 {
		data, err := AssetLinks(p.AndroidApps, p.WebCredentials)
		if err != nil {
			return nil, nil, err
		}
		plan.Files = append(plan.Files, File{filepath.Join(dir, linkfile.AssetLinks), data})
	}
	for _, f := range plan.Files {
		problems = append(problems, linkfile.Validate(f.Path, f.Data)...)
	}
	problems = append(problems, strayFiles(dir)...)
	if diag.HasErrors(problems) {
		return nil, problems, nil
	}
	if err := plan.checkExisting(p.Force); err != nil {
		return nil, nil, err
	}
	return plan, problems, nil
}

// existingEntry returns the settings of the environment in cdk.json, as
// written, in file order.
func existingEntry(ctx config.Context, name string) (Entry, bool) {
	raw, ok := ctx.Value(config.ContextKey)
	if !ok {
		return nil, false
	}
	var envs map[string]json.RawMessage
	if json.Unmarshal(raw, &envs) != nil {
		return nil, false
	}
	rawEnv, ok := envs[name]
	if !ok {
		return nil, false
	}
	n, _, err := jsontree.Parse(rawEnv)
	if err != nil || n.Kind != jsontree.Object {
		return nil, true // not an object: the validator reports it
	}
	var e Entry
	for _, k := range n.Keys {
		e = append(e, Setting{k, n.Fields[k].Raw(rawEnv)})
	}
	return e, true
}

// promotionWithout returns the CI promotion when there is one, as a list
// of names, and whether name is missing from it.
func promotionWithout(ctx config.Context, name string) ([]string, bool) {
	raw, ok := ctx.Value(config.CIKey)
	if !ok {
		return nil, false
	}
	var ci struct {
		Promotion []string `json:"promotion"`
	}
	if json.Unmarshal(raw, &ci) != nil || ci.Promotion == nil || slices.Contains(ci.Promotion, name) {
		return nil, false // a broken section is reported by the validator
	}
	return ci.Promotion, true
}

// wavesWithout returns the pipeline's waves when there are any, and
// whether name is in none of them.
func wavesWithout(ctx config.Context, name string) ([][]string, bool) {
	raw, ok := ctx.Value(config.PipelineKey)
	if !ok {
		return nil, false
	}
	var pipeline struct {
		Waves [][]string `json:"waves"`
	}
	if json.Unmarshal(raw, &pipeline) != nil || pipeline.Waves == nil {
		return nil, false // a broken section is reported by the validator
	}
	for _, wave := range pipeline.Waves {
		if slices.Contains(wave, name) {
			return nil, false
		}
	}
	return pipeline.Waves, true
}

// newEntry is what the command line gives, then what the replaced entry
// has besides.
func newEntry(p Props, old Entry) Entry {
	e := Entry{{"account", stringValue(p.Account)}, {"region", stringValue(p.Region)}}
	given := []string{"account", "region"}
	if p.BucketName != "" {
		e = append(e, Setting{"bucketName", stringValue(p.BucketName)})
		given = append(given, "bucketName")
	}
	for _, s := range old {
		if !slices.Contains(given, s.Key) {
			e = append(e, s)
		}
	}
	return e
}

// ciChange says what the edit means for "wellknown:ci": whether the
// workflows change (a new environment, or a replaced one in another account
// or region), and whether no environment of the configuration before the
// edit — the replaced entry included, whose CI roles stack exists —
// deploys to the account, so that its WellKnownCI-<account> stack does not
// exist yet.
func ciChange(ctx config.Context, dir string, env config.Environment, replaced bool) (workflows, newAccount bool) {
	cfg, _ := config.Parse(ctx, dir)
	workflows, newAccount = !replaced, true
	for _, e := range append(cfg.Environments, cfg.Invalid...) {
		if e.Account == env.Account {
			newAccount = false
		}
		if e.Name == env.Name && (e.Account != env.Account || e.Region != env.Region) {
			workflows = true
		}
	}
	return workflows, newAccount && env.Account != ""
}

// checkConfig runs config.Parse on the edited cdk.json, so the new entry
// obeys exactly the rules of synth, and nothing is written into a
// configuration that has errors: it returns every error of the edited file
// — of the new environment (a setting carried over from the replaced entry
// included), of the sections, and of every other environment. An error of
// the replaced environment is gone with it unless carried over, so --force
// still repairs a broken entry. Warnings other environments already had
// are not new-env's to repeat.
func checkConfig(before config.Context, after []byte, p Props) (config.Environment, []diag.Problem, error) {
	tmp, err := os.CreateTemp("", "cdk.json")
	if err != nil {
		return config.Environment{}, nil, err
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(after)
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		return config.Environment{}, nil, errors.Join(werr, cerr)
	}
	edited, err := config.ReadCDKJSON(tmp.Name())
	if err != nil {
		return config.Environment{}, nil, err
	}
	_, old := config.Parse(before, p.Dir)
	seen := map[string]bool{}
	for _, pr := range old {
		seen[pr.String()] = true
	}
	cfg, all := config.Parse(edited, p.Dir)
	own, envs := config.EnvPath(p.Name), config.SectionPath(config.ContextKey)
	var problems []diag.Problem
	for _, pr := range all {
		if pr.Severity == diag.Error || inside(pr.Path, own) || !inside(pr.Path, envs) || !seen[pr.String()] {
			problems = append(problems, pr)
		}
	}
	env, ok := cfg.Find(p.Name) // absent when its settings have errors
	if !ok && !diag.HasErrors(problems) {
		return env, nil, fmt.Errorf("environment %q not found after adding it", p.Name)
	}
	return env, problems, nil
}

// inside reports whether path is within the object at prefix.
func inside(path, prefix string) bool {
	rest, ok := strings.CutPrefix(path, prefix)
	return ok && (rest == "" || rest[0] == '.' || rest[0] == '[')
}

// checkExisting refuses to overwrite files unless forced, and notes other
// link files that would stay and still be published.
func (pl *Plan) checkExisting(force bool) error {
	for _, name := range linkfile.Names {
		path := filepath.Join(linkfile.DirIn(pl.Env.AssetsDir), name)
		if _, err := os.Lstat(path); err != nil {
			continue
		}
		if !pl.writes(path) {
			pl.Kept = append(pl.Kept, path)
		} else if !force {
			return fmt.Errorf("%s %w; pass --force to overwrite it", path, ErrExists)
		}
	}
	return nil
}

func (pl *Plan) writes(path string) bool {
	for _, f := range pl.Files {
		if f.Path == path {
			return true
		}
	}
	return false
}

// strayFiles reports what already sits in the target .well-known directory
// besides the link files: it would be published, so synthesis refuses it,
// and new-env must not report success for an environment that cannot
// synthesize.
func strayFiles(dir string) []diag.Problem {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	return linkfile.Strays(dir, entries)
}
