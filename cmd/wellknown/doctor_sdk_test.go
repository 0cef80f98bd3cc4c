package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// The SDK's own log lines — the instance metadata client's "falling back
// to IMDSv1" warning, printed to the process's stderr — do not come before
// doctor's message. Here the metadata endpoint refuses IMDSv2 tokens (404)
// and has no role, so the credential chain ends with none.
func TestDoctorQuietSDK(t *testing.T) {
	var asked atomic.Int32
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.NotFound(w, r)
	}))
	defer imds.Close()
	// Metadata allowed, at the endpoint above.
	env := append(isolatedEnv(t), "AWS_EC2_METADATA_DISABLED=false", "AWS_EC2_METADATA_SERVICE_ENDPOINT="+imds.URL)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("internal/cli/testdata/project")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), "--dir", dir, "doctor", "--env", "dev")
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Errorf("exit: %v, want 2", err)
	}
	if asked.Load() == 0 {
		t.Fatal("the credential chain never asked the metadata endpoint; the test proves nothing")
	}
	if !strings.HasPrefix(stderr.String(), "wellknown doctor: no usable AWS credentials") || strings.Contains(stderr.String(), "SDK ") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}
