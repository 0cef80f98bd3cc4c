// Package toolchain owns the versions the project builds and runs with on
// every machine that runs it — a workstation (the Makefile), the GitHub
// Actions workflows and the CodePipeline buildspec — so that all three run
// the same Go, Node.js, CDK CLI and cdk-assets. The pins themselves live
// where their tools read them: the go line of go.mod, package-lock.json,
// and for Node.js the constants here (the Makefile's NODE_VERSION and
// NODE_MIN_MAJOR are tested to agree with them).
package toolchain

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/modfile"
)

// Node.js majors, after the CDK's support table ("Node.js versions" in the
// AWS CDK Developer Guide): 24, the active LTS, until 2028-10-30; 22 until
// 2027-10-30; 20 ended on 2026-10-30, and jsii prints an end-of-life
// banner on every run of it that no variable silences.
const (
	// NodeMajor is what CI runs jsii and the CDK CLI on, and what the
	// Makefile installs where a machine's node is older than MinNodeMajor.
	NodeMajor = 24
	// MinNodeMajor is the oldest Node.js the project runs on unchanged.
	MinNodeMajor = 22
)

// Versions are the pinned versions of one checkout.
type Versions struct {
	// Go is the go line of go.mod: the version the module declares it
	// needs, which CI installs (GOTOOLCHAIN fetches it where the image's
	// Go is another).
	Go string
	// CLI and CdkAssets are the aws-cdk and cdk-assets versions that
	// package-lock.json pins.
	CLI, CdkAssets string
}

// Read reads the pins of the checkout in dir.
func Read(dir string) (Versions, error) {
	var v Versions
	var err error
	if v.Go, err = Go(dir); err != nil {
		return v, err
	}
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return v, err
	}
	var parsed struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	if err := json.Unmarshal(lock, &parsed); err != nil {
		return v, fmt.Errorf("package-lock.json: %w", err)
	}
	for _, pin := range []struct {
		pkg string
		to  *string
	}{{"aws-cdk", &v.CLI}, {"cdk-assets", &v.CdkAssets}} {
		if *pin.to = parsed.Packages["node_modules/"+pin.pkg].Version; *pin.to == "" {
			return v, fmt.Errorf("package-lock.json pins no %s: run npm install --save-dev --save-exact %s", pin.pkg, pin.pkg)
		}
	}
	return v, nil
}

// Go reads the go line of the go.mod in dir.
func Go(dir string) (string, error) {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	return GoVersion(gomod)
}

// GoVersion returns the go line of a go.mod file.
func GoVersion(gomod []byte) (string, error) {
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return "", fmt.Errorf("go.mod: %w", err)
	}
	if f.Go == nil || f.Go.Version == "" {
		return "", errors.New("go.mod has no go line")
	}
	return f.Go.Version, nil
}
