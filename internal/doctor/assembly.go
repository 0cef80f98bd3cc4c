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
		a.applyCertStack(cs, t.Account, dir)
	}
	if a == nil {
		t.AssemblyNote = fmt.Sprintf("no cloud assembly in %s", dir)
		return
	}
	s, ok := a.Stacks[t.StackName]
	if !ok {
		t.AssemblyNote = fmt.Sprintf("%s has no stack %s (synthesized with -c env=… for other environments?)", a.Dir, t.StackName)
		return
	}
	t.RequiredBootstrapVersion = s.RequiredBootstrapVersion
	t.BootstrapParameter = s.BootstrapParameter
	t.LookupBootstrapVersion = s.LookupBootstrapVersion
	want := fmt.Sprintf("aws://%s/%s", t.Account, t.Region)
	switch {
	case s.Environment != want:
		t.AssemblyNote = fmt.Sprintf("%s was synthesized for %s, not %s: cdk.json changed since", a.Dir, s.Environment, want)
	case s.BootstrapParameter != "" && s.BootstrapParameter != config.BootstrapVersionParameter(t.qualifier()):
		t.AssemblyNote = fmt.Sprintf("%s checks %s, but cdk.json's qualifier %q means %s: cdk.json changed since", a.Dir, s.BootstrapParameter, t.qualifier(), config.BootstrapVersionParameter(t.qualifier()))
	}
}

// applyCertStack fills the certificate stack's requirement the same way.
func (a *Assembly) applyCertStack(cs *CertStack, account, dir string) {
	if a == nil {
		cs.AssemblyNote = fmt.Sprintf("no cloud assembly in %s", dir)
		return
	}
	s, ok := a.Stacks[cs.Name]
	if !ok {
		cs.AssemblyNote = fmt.Sprintf("%s has no stack %s (synthesized before the domain was added?)", a.Dir, cs.Name)
		return
	}
	cs.RequiredBootstrapVersion = s.RequiredBootstrapVersion
	cs.BootstrapParameter = s.BootstrapParameter
	if want := fmt.Sprintf("aws://%s/%s", account, config.CertificateRegion); s.Environment != want {
		cs.AssemblyNote = fmt.Sprintf("%s was synthesized for %s, not %s: cdk.json changed since", a.Dir, s.Environment, want)
	}
}
