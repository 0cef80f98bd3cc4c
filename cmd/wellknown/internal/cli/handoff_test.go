package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/exit"
)

// golden compares got with testdata/<name>; go test -update rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := string(readFile(t, path))
	if got != want {
		t.Errorf("%s differs (go test -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestHandoffText(t *testing.T) {
	code, out, stderr := run(t, "handoff", "--dir", "testdata/project")
	if code != exit.OK || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "handoff.golden.txt", out)
}

func TestHandoffJSON(t *testing.T) {
	code, out, stderr := run(t, "handoff", "--dir", "testdata/project", "--json", "--env", "prod", "--env", "ios")
	if code != exit.OK || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "handoff.golden.json", out)
	var doc struct {
		Environments []struct {
			Env   string   `json:"env"`
			Alexa []string `json:"alexa_redirect_urls"`
			IdP   []string `json:"idp_callback_urls"`
		} `json:"environments"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// Environments come in --env order, as with `cdk synth -c env=prod,ios`.
	if len(doc.Environments) != 2 || doc.Environments[0].Env != "prod" {
		t.Fatalf("%+v", doc)
	}
	for _, e := range doc.Environments {
		if len(e.Alexa) != 1 || e.Alexa[0] != e.IdP[0] || !strings.HasSuffix(e.Alexa[0], ".amazonaws.com/") {
			t.Errorf("%s: Alexa %v and IdP %v must be the same URL with its trailing slash", e.Env, e.Alexa, e.IdP)
		}
	}
}

func TestHandoffRefusesInvalidFiles(t *testing.T) {
	dir := project(t)
	os.WriteFile(filepath.Join(dir, "assets", "ios", ".well-known", "apple-app-site-association"), []byte("{"), 0o644)
	code, out, stderr := run(t, "handoff", "--dir", dir, "--env", "ios")
	if code != exit.Failed || out != "" || !strings.Contains(stderr, "nothing was printed") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	// Another environment is unaffected.
	if code, _, _ := run(t, "handoff", "--dir", dir, "--env", "prod"); code != exit.OK {
		t.Errorf("prod: exit %d", code)
	}
}
