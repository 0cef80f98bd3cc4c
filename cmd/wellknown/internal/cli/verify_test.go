package cli

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acme/wellknown/internal/linkfile"
	"github.com/acme/wellknown/internal/verify"

	"github.com/acme/wellknown/internal/exit"
)

const (
	aasa = linkfile.AppleAppSiteAssociation
	al   = linkfile.AssetLinks
)

// verifyDev serves the dev environment's files, with override replacing
// one response, and runs verify --env dev against it.
func verifyDev(t *testing.T, override map[string]http.HandlerFunc, extra ...string) (int, verifyOutput) {
	t.Helper()
	dir := project(t)
	srv, ca := tlsServer(t, fileServer(filepath.Join(dir, "assets", "dev"), override))
	args := append([]string{"--dir", dir, "--env", "dev", "--base-url", srv.URL, "--ca-file", ca}, extra...)
	code, out, stderr := runVerifyJSON(t, args...)
	if stderr != "" {
		t.Logf("stderr: %s", stderr)
	}
	return code, out
}

var allChecks = []string{verify.CheckTLS, verify.CheckStatus, verify.CheckContentType, verify.CheckSize, verify.CheckValid, verify.CheckMatches}

func TestVerifyPasses(t *testing.T) {
	dir := project(t)
	srv, ca := tlsServer(t, fileServer(filepath.Join(dir, "assets", "dev"), nil))
	code, out, _ := runVerifyJSON(t, "--dir", dir, "--env", "dev", "--base-url", srv.URL+"/", "--ca-file", ca)
	if code != exit.OK || !out.OK {
		t.Fatalf("exit %d, ok %v: %+v", code, out.OK, out.Results)
	}
	if len(out.Results) != 2 {
		t.Fatalf("want one request per file, got %+v", out.Results)
	}
	for _, file := range []string{al, aasa} {
		for _, c := range allChecks {
			wantRow(t, out, file, c, verify.Pass)
		}
	}
	wantRow(t, out, al, verify.CheckMatches, verify.Pass, "same JSON as "+filepath.Join(dir, "assets/dev/.well-known/assetlinks.json"))
	if got := out.Results[0].URL; got != srv.URL+"/.well-known/assetlinks.json" {
		t.Errorf("URL %s", got)
	}

	// The table shows the same, with ✓ marks and a latency per request.
	code, text, _ := run(t, "verify", "--dir", dir, "--env", "dev", "--base-url", srv.URL, "--ca-file", ca)
	if code != exit.OK || strings.Contains(text, "✗") || strings.Count(text, "✓") != 12 || !strings.Contains(text, "ms ") {
		t.Errorf("exit %d, table:\n%s", code, text)
	}
	if !strings.Contains(text, "ok: 2 requests, 12 passed, 0 failed") {
		t.Errorf("summary missing:\n%s", text)
	}
}

func TestVerifyRedirectIsAFailure(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			code, out := verifyDev(t, map[string]http.HandlerFunc{al: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://elsewhere.example/.well-known/assetlinks.json", status)
			}})
			if code != exit.Failed {
				t.Errorf("exit %d", code)
			}
			want := fmt.Sprintf("%d %s → Location: https://elsewhere.example/.well-known/assetlinks.json", status, http.StatusText(status))
			wantRow(t, out, al, verify.CheckStatus, verify.Fail, want, "do not follow redirects")
			wantRow(t, out, al, verify.CheckContentType, verify.Skip, fmt.Sprintf("no file (status %d)", status))
			wantRow(t, out, aasa, verify.CheckStatus, verify.Pass) // the other file is unaffected
		})
	}
}

func TestVerifyForbidden(t *testing.T) {
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<Error><Code>AccessDenied</Code></Error>", http.StatusForbidden)
	}})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckStatus, verify.Fail, "403 Forbidden", "missing key")
	for _, c := range allChecks[2:] {
		wantRow(t, out, al, c, verify.Skip)
	}
}

func TestVerifyNotFound(t *testing.T) {
	code, out := verifyDev(t, map[string]http.HandlerFunc{aasa: http.NotFound})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, aasa, verify.CheckStatus, verify.Fail, "404 Not Found", "not deployed")
}

func TestVerifyWrongContentType(t *testing.T) {
	code, out := verifyDev(t, map[string]http.HandlerFunc{aasa: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "binary/octet-stream")
		w.Write(readFile(t, "testdata/project/assets/dev/.well-known/"+aasa))
	}})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, aasa, verify.CheckContentType, verify.Fail, `"binary/octet-stream", want application/json`)
	// The body itself is fine, and says so.
	wantRow(t, out, aasa, verify.CheckValid, verify.Pass)
	wantRow(t, out, aasa, verify.CheckMatches, verify.Pass)
}

func TestVerifyContentTypeParametersAllowed(t *testing.T) {
	code, out := verifyDev(t, map[string]http.HandlerFunc{aasa: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(readFile(t, "testdata/project/assets/dev/.well-known/"+aasa))
	}})
	if code != exit.OK {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, aasa, verify.CheckContentType, verify.Pass, "charset=utf-8")
}

func serveBody(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}

func TestVerifyBOM(t *testing.T) {
	local := readFile(t, "testdata/project/assets/dev/.well-known/"+al)
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: serveBody(append([]byte("\xEF\xBB\xBF"), local...))})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckValid, verify.Fail, "starts with a UTF-8 byte order mark", "without BOM")
	// Apart from the BOM the content is right, which narrows the fix down.
	wantRow(t, out, al, verify.CheckMatches, verify.Pass)
}

func TestVerifyInvalidJSON(t *testing.T) {
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: serveBody([]byte(`[{"relation": ["x"],}]`))})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckValid, verify.Fail, "$: trailing comma")
	wantRow(t, out, al, verify.CheckMatches, verify.Fail, "served body is not JSON")
}

func TestVerifyBodyDiffersFromLocal(t *testing.T) {
	local := readFile(t, "testdata/project/assets/dev/.well-known/"+al)
	changed := bytes.Replace(local, []byte("com.acme.shop.dev"), []byte("com.acme.shop.old"), 1)
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: serveBody(changed)})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckValid, verify.Pass)
	wantRow(t, out, al, verify.CheckMatches, verify.Fail, "differs from", "at [0].target.package_name")
}

func TestVerifyOversizedBody(t *testing.T) {
	big := append([]byte(`[{"relation": [], "padding": "`), bytes.Repeat([]byte("x"), linkfile.MaxSize)...)
	big = append(big, `"}]`...)
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: serveBody(big)})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckSize, verify.Fail, "over 131072 bytes")
	wantRow(t, out, al, verify.CheckValid, verify.Skip, "not read in full")
	wantRow(t, out, al, verify.CheckMatches, verify.Skip)
}

func TestVerifyTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: func(w http.ResponseWriter, r *http.Request) {
		select { // never answers; ends when the client gives up (bounded for safety)
		case <-r.Context().Done():
		case <-release:
		case <-time.After(10 * time.Second):
		}
	}}, "--timeout", "300ms")
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s; the timeout did not apply", d)
	}
	wantRow(t, out, al, verify.CheckTLS, verify.Pass)
	wantRow(t, out, al, verify.CheckStatus, verify.Fail, "no response within 300ms (--timeout)")
	wantRow(t, out, al, verify.CheckValid, verify.Skip, "no response")
	wantRow(t, out, aasa, verify.CheckMatches, verify.Pass)
}

func TestVerifyRunDeadline(t *testing.T) {
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}}, "--timeout", "5s", "--deadline", "300ms")
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckStatus, verify.Fail, "run deadline of 300ms reached")
}

func TestVerifyUntrustedCertificate(t *testing.T) {
	dir := project(t)
	srv, _ := tlsServer(t, fileServer(filepath.Join(dir, "assets", "dev"), nil))
	code, out, _ := runVerifyJSON(t, "--dir", dir, "--env", "dev", "--base-url", srv.URL) // no --ca-file
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	for _, f := range []string{al, aasa} {
		wantRow(t, out, f, verify.CheckTLS, verify.Fail, "certificate not trusted", "unknown authority", "--ca-file")
		wantRow(t, out, f, verify.CheckStatus, verify.Skip, "no response")
	}
}

func TestVerifyPlainHTTP(t *testing.T) {
	dir := project(t)
	srv := newHTTPServer(t, fileServer(filepath.Join(dir, "assets", "dev"), nil))
	code, out, _ := runVerifyJSON(t, "--dir", dir, "--env", "dev", "--base-url", srv)
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckTLS, verify.Fail, `scheme is "http"`)
	wantRow(t, out, al, verify.CheckStatus, verify.Pass) // the rest is still reported
}

func TestVerifyUsageErrors(t *testing.T) {
	dir := project(t)
	for _, args := range [][]string{
		{"verify", "--dir", dir, "--env", "qa"},
		{"verify", "--dir", dir, "--base-url", "not a url"},
		{"verify", "--dir", dir, "--ca-file", filepath.Join(dir, "cdk.json")},
		{"verify", "--dir", dir, "--timeout", "0s"},
		{"verify", "--dir", filepath.Join(dir, "missing")},
		{"verify", "--dir", dir, "extra"},
	} {
		if code, _, stderr := run(t, args...); code != exit.Usage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestVerifyBaseURLForSeveralEnvsIsAnnounced(t *testing.T) {
	dir := project(t)
	srv, ca := tlsServer(t, http.NotFoundHandler())
	_, _, stderr := run(t, "verify", "--dir", dir, "--base-url", srv.URL, "--ca-file", ca, "--timeout", "2s")
	if !strings.Contains(stderr, "is used for all 3 selected environments") {
		t.Errorf("stderr: %s", stderr)
	}
}

// A query or fragment in --base-url would be dropped from, or misplace,
// the file URLs; it is a usage error, not a silent fetch of "/".
func TestVerifyBaseURLWithQueryOrFragment(t *testing.T) {
	dir := project(t)
	for _, base := range []string{"https://links.example.com/#x", "https://links.example.com/?a=b", "https://links.example.com/?", "https://links.example.com#"} {
		code, _, stderr := run(t, "verify", "--dir", dir, "--env", "dev", "--base-url", base)
		if code != exit.Usage || !strings.Contains(stderr, "remove the query or fragment") {
			t.Errorf("%s: exit %d\n%s", base, code, stderr)
		}
	}
}

// A user name and password in a URL flag are refused (exit 2) before
// anything is fetched, and the password appears nowhere: not in the
// message, not on stdout, with or without --json, also when an unencoded
// "/", "?" or "#" in it keeps the URL from parsing.
func TestVerifyURLWithUserinfo(t *testing.T) {
	dir := project(t)
	srv, ca := tlsServer(t, fileServer(filepath.Join(dir, "assets", "dev"), nil))
	withUser := strings.Replace(srv.URL, "https://", "https://user:s3cret@", 1)
	for _, tc := range []struct{ flag, value string }{
		{"--base-url", withUser},
		{"--base-url", "https://user:s3cret@links.example.com/"},
		{"--base-url", "ftp://user:s3cret@links.example.com/"},
		{"--base-url", "https://user:p/s3cret@links.example.com/"},
		{"--base-url", "https://user:p?s3cret@links.example.com/"},
		{"--base-url", "https://user:p#s3cret@links.example.com/"},
		{"--base-url", "https://s3cret@links.example.com/"},
		{"--base-url", "user:s3cret@links.example.com"},
		{"--apple-cdn-url", "https://user:s3cret@cdn.example.com/a/v1/"},
		{"--google-dal-url", "https://user:s3cret@dal.example.com/v1/statements:list"},
	} {
		for _, asJSON := range []bool{false, true} {
			args := []string{"verify", "--dir", dir, "--env", "dev", "--ca-file", ca, "--apple-cdn", "--google-dal", tc.flag, tc.value}
			if tc.flag != "--base-url" {
				args = append(args, "--base-url", srv.URL)
			}
			if asJSON {
				args = append(args, "--json")
			}
			code, out, stderr := run(t, args...)
			if code != exit.Usage || out != "" {
				t.Errorf("%s %s (json %v): exit %d, want 2 and nothing on stdout\n%s", tc.flag, tc.value, asJSON, code, out)
			}
			if strings.Contains(out+stderr, "s3cret") {
				t.Errorf("%s %s (json %v): the password is shown:\n%s%s", tc.flag, tc.value, asJSON, out, stderr)
			}
			if tc.value != "user:s3cret@links.example.com" && !strings.Contains(stderr, "remove the user name and password") {
				t.Errorf("%s %s: no fix:\n%s", tc.flag, tc.value, stderr)
			}
		}
	}
	// The same server without credentials passes.
	if code, _, stderr := run(t, "verify", "--dir", dir, "--env", "dev", "--ca-file", ca, "--base-url", srv.URL); code != exit.OK {
		t.Errorf("without credentials: exit %d\n%s", code, stderr)
	}
}

// With --ca-file given, an untrusted certificate does not suggest passing
// it.
func TestVerifyUntrustedDespiteCAFile(t *testing.T) {
	dir := project(t)
	srv, _ := tlsServer(t, fileServer(filepath.Join(dir, "assets", "dev"), nil))
	other := filepath.Join(t.TempDir(), "other-ca.pem")
	if err := os.WriteFile(other, selfSignedPEM(t), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runVerifyJSON(t, "--dir", dir, "--env", "dev", "--base-url", srv.URL, "--ca-file", other)
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckTLS, verify.Fail, "certificate not trusted", "not even with the CA certificates of --ca-file "+other)
	if c := out.row(t, al, verify.CheckTLS); strings.Contains(c.Message, "pass --ca-file") {
		t.Errorf("hint to pass --ca-file although it was given: %s", c.Message)
	}
}

// A server that sends the headers and then stalls answered: the row says
// the body was too slow, not that there was no response.
func TestVerifySlowBody(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	code, out := verifyDev(t, map[string]http.HandlerFunc{al: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte(`[{"relation": `))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		case <-time.After(10 * time.Second):
		}
	}}, "--timeout", "300ms")
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckStatus, verify.Pass)
	wantRow(t, out, al, verify.CheckSize, verify.Fail, "the headers arrived but the body did not arrive in full within 300ms (--timeout)", "14 bytes received")
	if c := out.row(t, al, verify.CheckSize); strings.Contains(c.Message, "no response") {
		t.Errorf("slow body reported as no response: %s", c.Message)
	}
}

func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "unrelated test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
