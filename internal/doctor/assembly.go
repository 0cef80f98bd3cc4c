package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/acme/wellknown/internal/config"
)

// Assembly is what doctor needs from a cloud assembly (cdk.out): per stack,
// the bootstrap version and SSM parameter its deploy checks. The CDK
// records them in manifest.json at synthesis, so they match the CDK
// version the project uses, where a constant here would go stale.
type Assembly struct {
	Dir    string
	Stacks map[string]AssemblyStack
}

// AssemblyStack is one aws:cloudformation:stack artifact.
type AssemblyStack struct {
	// Environment is "aws://<account>/<region>".
	Environment string
	// RequiredBootstrapVersion is the highest version the stack and the
	// asset manifests it depends on require: the deploy publishes the
	// assets first, through the bootstrap's file-publishing role.
	RequiredBootstrapVersion int
	BootstrapParameter       string
	// LookupBootstrapVersion is what the lookup role requires.
	LookupBootstrapVersion int
}

// manifest is the subset of the cloud assembly schema read here.
type manifest struct {
	Artifacts map[string]struct {
		Type         string   `json:"type"`
		Environment  string   `json:"environment"`
		Dependencies []string `json:"dependencies"`
		Properties   struct {
			RequiresBootstrapStackVersion     int    `json:"requiresBootstrapStackVersion"`
			BootstrapStackVersionSsmParameter string `json:"bootstrapStackVersionSsmParameter"`
			LookupRole                        *struct {
				RequiresBootstrapStackVersion int `json:"requiresBootstrapStackVersion"`
			} `json:"lookupRole"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// ReadAssembly reads dir/manifest.json. A missing manifest is reported
// with an error that wraps fs.ErrNotExist: no synthesis yet, or the last
// one failed (a failed synthesis removes the manifest).
func ReadAssembly(dir string) (*Assembly, error) {
	path := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: not a cloud assembly manifest: %w", path, err)
	}
	a := &Assembly{Dir: dir, Stacks: map[string]AssemblyStack{}}
	for name, art := range m.Artifacts {
		if art.Type != "aws:cloudformation:stack" {
			continue
		}
		s := AssemblyStack{
			Environment:              art.Environment,
			RequiredBootstrapVersion: art.Properties.RequiresBootstrapStackVersion,
			BootstrapParameter:       art.Properties.BootstrapStackVersionSsmParameter,
		}
		if art.Properties.LookupRole != nil {
			s.LookupBootstrapVersion = art.Properties.LookupRole.RequiresBootstrapStackVersion
		}
		for _, dep := range art.Dependencies {
			if d, ok := m.Artifacts[dep]; ok && d.Type == "cdk:asset-manifest" {
				s.RequiredBootstrapVersion = max(s.RequiredBootstrapVersion, d.Properties.RequiresBootstrapStackVersion)
			}
		}
		a.Stacks[name] = s
	}
	return a, nil
}

// IsNotExist reports whether err from ReadAssembly means there is no
// assembly at all.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// Apply fills t's requirements from the assembly, or says in
// t.AssemblyNote why they are unknown or may be stale. A nil assembly
// means there is none in dir.
func (a *Assembly) Apply(t *Target, dir string) {
	if cs := t.CertStack; cs != nil {
		s, note := a.find(dir, cs.Name, t.Account, config.CertificateRegion, "synthesized before the domain was added?")
		cs.RequiredBootstrapVersion, cs.BootstrapParameter, cs.AssemblyNote = s.RequiredBootstrapVersion, s.BootstrapParameter, note
	}
	s, note := a.find(dir, t.StackName, t.Account, t.Region, "synthesized with -c env=… for other environments?")
	t.RequiredBootstrapVersion, t.BootstrapParameter, t.LookupBootstrapVersion = s.RequiredBootstrapVersion, s.BootstrapParameter, s.LookupBootstrapVersion
	t.AssemblyNote = note
	if note == "" && s.BootstrapParameter != "" && s.BootstrapParameter != config.BootstrapVersionParameter(t.qualifier()) {
		t.AssemblyNote = fmt.Sprintf("%s checks %s, but cdk.json's qualifier %q means %s: cdk.json changed since", a.Dir, s.BootstrapParameter, t.qualifier(), config.BootstrapVersionParameter(t.qualifier()))
	}
}

// find returns stack name's artifact, and a note when it is missing (why,
// per hint) or was synthesized for another account or region than
// aws://account/region, so that its requirement may be stale.
func (a *Assembly) find(dir, name, account, region, hint string) (AssemblyStack, string) {
	if a == nil {
		return AssemblyStack{}, fmt.Sprintf("no cloud assembly in %s", dir)
	}
	s, ok := a.Stacks[name]
	if !ok {
		return AssemblyStack{}, fmt.Sprintf("%s has no stack %s (%s)", a.Dir, name, hint)
	}
	if want := fmt.Sprintf("aws://%s/%s", account, region); s.Environment != want {
		return s, fmt.Sprintf("%s was synthesized for %s, not %s: cdk.json changed since", a.Dir, s.Environment, want)
	}
	return s, ""
}
