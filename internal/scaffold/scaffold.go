// Package scaffold creates a new environment: its link files, generated
// from typed structs and checked with the synth-time validator, and its
// entry in cdk.json. Nothing is written until everything has been checked.
package scaffold

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
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
	BucketName string // empty: the default wellknown-<env>-<account>-<region>

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
	Replaced    bool     // the environment existed in cdk.json (Force)
	Kept        []string // other link files left in place
}

// NewPlan checks props and computes every write. Problems are invalid
// input, reported in the same terms as `wellknown check`; an error is an
// unreadable project or a refusal (ErrExists).
func NewPlan(p Props) (*Plan, []diag.Problem, error) {
	if len(p.AndroidApps) == 0 && len(p.IOSAppIDs) == 0 {
		return nil, nil, errors.New("nothing to publish: give --android-package with --android-fingerprint, and/or --ios-app-id")
	}
	cdkPath := filepath.Join(p.Dir, "cdk.json")
	before, err := os.ReadFile(cdkPath)
	if err != nil {
		return nil, nil, err
	}
	ctx, err := config.ReadCDKJSON(cdkPath)
	if err != nil {
		return nil, nil, err
	}
	replaced := hasEnv(ctx, p.Name)
	if replaced && !p.Force {
		return nil, nil, fmt.Errorf("environment %q %w in %s; pass --force to replace it", p.Name, ErrExists, cdkPath)
	}

	settings := existingSettings(ctx, p.Name)
	settings.Account, settings.Region = p.Account, p.Region
	if p.BucketName != "" {
		settings.BucketName = p.BucketName
	}
	after, err := setEnvironment(before, p.Name, settings)
	if err != nil {
		return nil, nil, err
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
	plan := &Plan{Env: env, CDKJSONPath: cdkPath, CDKJSON: after, Replaced: replaced}
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

func hasEnv(ctx config.Context, name string) bool {
	var envs map[string]json.RawMessage
	if json.Unmarshal(ctx[config.ContextKey], &envs) != nil {
		return false
	}
	_, ok := envs[name]
	return ok
}

// checkConfig runs config.Parse on the edited cdk.json, so the new entry
// obeys exactly the rules of synth, and returns the problems the edit
// introduced (problems already in the file are not new-env's to report).
func checkConfig(before config.Context, after []byte, p Props) (config.Environment, []diag.Problem, error) {
	var file struct {
		Context config.Context `json:"context"`
	}
	if err := json.Unmarshal(after, &file); err != nil {
		return config.Environment{}, nil, err
	}
	_, old := config.Parse(before, p.Dir)
	seen := map[string]bool{}
	for _, pr := range old {
		seen[pr.String()] = true
	}
	cfg, all := config.Parse(file.Context, p.Dir)
	var problems []diag.Problem
	for _, pr := range all {
		if !seen[pr.String()] {
			problems = append(problems, pr)
		}
	}
	env, ok := cfg.Find(p.Name) // absent when its settings have errors
	if !ok && !diag.HasErrors(problems) {
		return env, nil, fmt.Errorf("environment %q not found after adding it", p.Name)
	}
	return env, problems, nil
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

// Apply writes the files, then cdk.json, each atomically, so an
// interrupted run never leaves a half-written file behind.
func (pl *Plan) Apply() error {
	if err := os.MkdirAll(linkfile.DirIn(pl.Env.AssetsDir), 0o755); err != nil {
		return err
	}
	for _, f := range pl.Files {
		if err := writeAtomic(f.Path, f.Data); err != nil {
			return err
		}
	}
	return writeAtomic(pl.CDKJSONPath, pl.CDKJSON)
}

func writeAtomic(path string, data []byte) (err error) {
	mode := os.FileMode(0o644)
	if info, err := os.Stat(path); err == nil {
		mode = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(mode); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// existingSettings returns the entry --force replaces (zero when there is
// none). A value of the wrong type is dropped here and the new entry is
// validated like any other.
func existingSettings(ctx config.Context, name string) Settings {
	var envs map[string]json.RawMessage
	var s Settings
	if json.Unmarshal(ctx[config.ContextKey], &envs) == nil {
		if raw, ok := envs[name]; ok {
			var fields map[string]json.RawMessage
			if json.Unmarshal(raw, &fields) == nil {
				for key, v := range fields {
					one, _ := json.Marshal(map[string]json.RawMessage{key: v})
					json.Unmarshal(one, &s) // field by field: one bad value loses only itself
				}
			}
		}
	}
	return s
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
