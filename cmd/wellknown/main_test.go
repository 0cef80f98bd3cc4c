package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The command must not link the CDK: importing it starts the jsii runtime
// (a node process) and turns a millisecond check into seconds.
func TestNoCDKDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"github.com/aws/aws-cdk-go", "github.com/aws/jsii-runtime-go", "github.com/acme/wellknown/stacks"} {
		if strings.Contains(string(out), banned) {
			t.Errorf("cmd/wellknown depends on %s", banned)
		}
	}
}

func TestBinaryHelp(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "wellknown")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--help").Output()
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, c := range []string{"check", "verify", "new-env", "handoff", "Exit codes"} {
		if !strings.Contains(string(out), c) {
			t.Errorf("--help lacks %q:\n%s", c, out)
		}
	}
	err = exec.Command(bin, "nope").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Errorf("unknown command: %v, want exit 2", err)
	}
}
