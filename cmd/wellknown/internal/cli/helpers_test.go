package cli

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"flag"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/verify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// run runs the command in-process.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// project copies testdata/project (cdk.json and assets/) to a scratch
// directory that tests may change.
func project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/project")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// tlsServer starts an HTTPS server with httptest's self-signed certificate
// and returns it with a PEM file of that certificate for --ca-file. All
// httptest servers share the certificate, so one CA file trusts them all.
func tlsServer(t *testing.T, h http.Handler) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	// Handshakes that the client aborts on purpose are not news.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemData, 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

// fileServer serves <assets>/.well-known/* correctly; override replaces the
// response for one file name.
func fileServer(assets string, override map[string]http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/.well-known/")
		if h := override[name]; ok && h != nil {
			h(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(assets, ".well-known", name))
		if !ok || err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	})
}

type verifyOutput struct {
	OK      bool            `json:"ok"`
	BaseURL string          `json:"base_url"`
	Results []verify.Result `json:"results"`
	Failed  int             `json:"failed"`
}

func runVerifyJSON(t *testing.T, args ...string) (int, verifyOutput, string) {
	t.Helper()
	code, stdout, stderr := run(t, append([]string{"verify", "--json"}, args...)...)
	var out verifyOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("verify --json output is not JSON (exit %d): %v\n%s\nstderr: %s", code, err, stdout, stderr)
	}
	return code, out, stderr
}

// row returns the check of the given name on the request for file.
func (o verifyOutput) row(t *testing.T, file, check string) verify.Check {
	t.Helper()
	for _, r := range o.Results {
		if r.File != file {
			continue
		}
		for _, c := range r.Checks {
			if c.Name == check {
				return c
			}
		}
	}
	t.Fatalf("no %s row for %s in %+v", check, file, o.Results)
	return verify.Check{}
}

func wantRow(t *testing.T, o verifyOutput, file, check string, status verify.Status, contains ...string) {
	t.Helper()
	c := o.row(t, file, check)
	if c.Status != status {
		t.Errorf("%s %s: status %s (%q), want %s", file, check, c.Status, c.Message, status)
	}
	for _, s := range contains {
		if !strings.Contains(c.Message, s) {
			t.Errorf("%s %s: message %q lacks %q", file, check, c.Message, s)
		}
	}
}

func newHTTPServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
