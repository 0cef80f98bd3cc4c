package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/manifest.json is the dev part of a manifest that aws-cdk-lib
// 2.270 synthesized for this project.
func TestReadAssembly(t *testing.T) {
	a, err := ReadAssembly("testdata")
	if err != nil {
		t.Fatal(err)
	}
	want := AssemblyStack{Environment: "aws://111111111111/eu-west-1", RequiredBootstrapVersion: 6, BootstrapParameter: bootParam, LookupBootstrapVersion: 8}
	if got := a.Stacks["WellKnown-dev"]; got != want || len(a.Stacks) != 1 {
		t.Errorf("stacks %+v, want only WellKnown-dev %+v", a.Stacks, want)
	}

	target := Target{Env: "dev", Account: devAccount, Region: "eu-west-1", StackName: "WellKnown-dev"}
	a.Apply(&target, "testdata")
	if target.RequiredBootstrapVersion != 6 || target.BootstrapParameter != bootParam || target.LookupBootstrapVersion != 8 || target.AssemblyNote != "" {
		t.Errorf("applied %+v", target)
	}
}

// The deploy publishes assets before the stack, through the bootstrap's
// file-publishing role, so an asset manifest's higher requirement counts.
func TestAssemblyAssetRequirement(t *testing.T) {
	data, err := os.ReadFile("testdata/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	raised := strings.Replace(string(data), `"file": "WellKnown-dev.assets.json",
        "requiresBootstrapStackVersion": 6`, `"file": "WellKnown-dev.assets.json",
        "requiresBootstrapStackVersion": 21`, 1)
	if raised == string(data) {
		t.Fatal("fixture changed; update the test")
	}
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(raised), 0o644)
	a, err := ReadAssembly(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Stacks["WellKnown-dev"].RequiredBootstrapVersion; got != 21 {
		t.Errorf("required %d, want 21 from the asset manifest", got)
	}
}

func TestAssemblyNotes(t *testing.T) {
	a, err := ReadAssembly("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		asm    *Assembly
		target Target
		note   string
	}{
		{"none", nil, Target{StackName: "WellKnown-dev"}, "no cloud assembly in cdk.out"},
		{"stack missing", a, Target{Env: "prod", StackName: "WellKnown-prod"}, "testdata has no stack WellKnown-prod (synthesized with -c env=… for other environments?)"},
		{"other region", a, Target{Account: devAccount, Region: "eu-west-2", StackName: "WellKnown-dev"}, "testdata was synthesized for aws://111111111111/eu-west-1, not aws://111111111111/eu-west-2"},
		{"other qualifier", a, Target{Account: devAccount, Region: "eu-west-1", StackName: "WellKnown-dev", Qualifier: "acme1"}, `testdata checks /cdk-bootstrap/hnb659fds/version, but cdk.json's qualifier "acme1" means /cdk-bootstrap/acme1/version`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target
			tc.asm.Apply(&target, "cdk.out")
			if !strings.Contains(target.AssemblyNote, tc.note) {
				t.Errorf("note %q, want %q", target.AssemblyNote, tc.note)
			}
		})
	}
}

func TestReadAssemblyErrors(t *testing.T) {
	if _, err := ReadAssembly(t.TempDir()); !IsNotExist(err) {
		t.Errorf("empty dir: %v, want not-exist", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte("{not json"), 0o644)
	if _, err := ReadAssembly(dir); err == nil || IsNotExist(err) || !strings.Contains(err.Error(), "not a cloud assembly manifest") {
		t.Errorf("broken manifest: %v", err)
	}
}

// The certificate stack's requirement is read from its own artifact, which
// must be in us-east-1 of the environment's account.
func TestAssemblyCertStack(t *testing.T) {
	a := &Assembly{Dir: "cdk.out", Stacks: map[string]AssemblyStack{
		"WellKnown-dev":     {Environment: "aws://111111111111/eu-west-1", RequiredBootstrapVersion: 6, BootstrapParameter: bootParam},
		"WellKnownCert-dev": {Environment: "aws://111111111111/us-east-1", RequiredBootstrapVersion: 7, BootstrapParameter: bootParam},
		"WellKnownCert-qa":  {Environment: "aws://111111111111/eu-west-1", RequiredBootstrapVersion: 6, BootstrapParameter: bootParam},
	}}
	for _, tc := range []struct {
		name string
		asm  *Assembly
		cert string
		want CertStack
	}{
		{"found", a, "WellKnownCert-dev", CertStack{Name: "WellKnownCert-dev", RequiredBootstrapVersion: 7, BootstrapParameter: bootParam}},
		{"missing", a, "WellKnownCert-prod", CertStack{Name: "WellKnownCert-prod", AssemblyNote: "cdk.out has no stack WellKnownCert-prod (synthesized before the domain was added?)"}},
		{"other region", a, "WellKnownCert-qa", CertStack{Name: "WellKnownCert-qa", RequiredBootstrapVersion: 6, BootstrapParameter: bootParam,
			AssemblyNote: "cdk.out was synthesized for aws://111111111111/eu-west-1, not aws://111111111111/us-east-1: cdk.json changed since"}},
		{"no assembly", nil, "WellKnownCert-dev", CertStack{Name: "WellKnownCert-dev", AssemblyNote: "no cloud assembly in cdk.out"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := Target{Env: "dev", Account: devAccount, Region: "eu-west-1", StackName: "WellKnown-dev", CertStack: &CertStack{Name: tc.cert}}
			tc.asm.Apply(&target, "cdk.out")
			if *target.CertStack != tc.want {
				t.Errorf("cert stack %+v, want %+v", *target.CertStack, tc.want)
			}
		})
	}
}
