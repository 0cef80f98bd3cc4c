package verify

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acme/wellknown/internal/linkfile"
)

var assetLinks = []byte(`[{"relation": ["delegate_permission/common.handle_all_urls"], "target": {"namespace": "android_app", "package_name": "com.acme.app", "sha256_cert_fingerprints": ["A7:23:F8:4E:13:2D:E3:B6:B3:22:D9:F4:91:B0:B3:C6:0F:6E:FA:74:45:8E:28:BD:8E:A8:5C:D2:08:D4:F2:94"]}}]`)

func newVerifier(t *testing.T, srv *httptest.Server, props Props) *Verifier {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
	props.CAFile = ca
	v, err := New(props)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func target(base string) []Target {
	return []Target{{Env: "dev", BaseURL: base, Files: []linkfile.File{{Name: linkfile.AssetLinks, Path: "local/assetlinks.json", Data: assetLinks}}}}
}

func TestRunPassesAndCounts(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(assetLinks)
	}))
	defer srv.Close()
	rep := newVerifier(t, srv, Props{}).Run(context.Background(), target(srv.URL+"/"))
	if !rep.OK() || rep.Passed != 6 || len(rep.Results) != 1 || rep.Results[0].URL != srv.URL+"/.well-known/assetlinks.json" {
		t.Fatalf("%+v", rep)
	}
	var b strings.Builder
	rep.WriteText(&b)
	if !strings.Contains(b.String(), "ok: 1 request, 6 passed, 0 failed, 0 warnings, 0 skipped") {
		t.Errorf("%s", b.String())
	}
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	base := srv.URL + "/"
	v := newVerifier(t, srv, Props{Timeout: 2 * time.Second})
	srv.Close()
	rep := v.Run(context.Background(), target(base))
	c := rep.Results[0].Checks
	if rep.OK() || c[0].Name != CheckTLS || c[0].Status != Fail || !strings.Contains(c[0].Message, "no connection") || c[1].Status != Skip {
		t.Errorf("%+v", c)
	}
}

func TestNewRejectsBadCAFile(t *testing.T) {
	if _, err := New(Props{CAFile: "/nonexistent.pem"}); err == nil {
		t.Error("missing CA file accepted")
	}
	empty := filepath.Join(t.TempDir(), "empty.pem")
	os.WriteFile(empty, []byte("not pem"), 0o644)
	if _, err := New(Props{CAFile: empty}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("err = %v", err)
	}
}
