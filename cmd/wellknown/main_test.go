package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/acme/wellknown/internal/testenv"
)

var (
	buildOnce sync.Once
	binDir    string
	binErr    error
	binOut    []byte
)

// TestMain removes the binary that the tests build once and share.
func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, nil, nil))
}

// binary builds the command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "wellknown-bin-")
		if binErr != nil {
			return
		}
		binOut, binErr = exec.Command("go", "build", "-o", filepath.Join(binDir, "wellknown"), ".").CombinedOutput()
	})
	if binErr != nil {
		t.Fatalf("go build: %v\n%s", binErr, binOut)
	}
	return filepath.Join(binDir, "wellknown")
}

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
	bin := binary(t)
	out, err := exec.Command(bin, "--help").Output()
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, c := range []string{"check", "verify", "doctor", "new-env", "handoff", "Exit codes"} {
		if !strings.Contains(string(out), c) {
			t.Errorf("--help lacks %q:\n%s", c, out)
		}
	}
	err = exec.Command(bin, "nope").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Errorf("unknown command: %v, want exit 2", err)
	}
}
