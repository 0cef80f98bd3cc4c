package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/acme/wellknown/internal/verify"

	"github.com/acme/wellknown/internal/exit"
)

// appleCDN emulates https://app-site-association.cdn-apple.com/a/v1/<host>
// and records the hosts asked for.
type appleCDN struct {
	mu     sync.Mutex
	status int
	body   []byte
	hosts  []string
}

func (c *appleCDN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.hosts = append(c.hosts, strings.TrimPrefix(r.URL.Path, "/a/v1/"))
	c.mu.Unlock()
	if c.status != http.StatusOK {
		http.Error(w, "Not Found", c.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(c.body)
}

func verifyWithAppleCDN(t *testing.T, cdn *appleCDN) (int, verifyOutput, string) {
	t.Helper()
	dir := project(t)
	site, ca := tlsServer(t, fileServer(filepath.Join(dir, "assets", "dev"), nil))
	cdnSrv, _ := tlsServer(t, cdn)
	code, out, _ := runVerifyJSON(t, "--dir", dir, "--env", "dev", "--base-url", site.URL, "--ca-file", ca,
		"--apple-cdn", "--apple-cdn-url", cdnSrv.URL+"/a/v1/")
	host := strings.TrimPrefix(site.URL, "https://")
	if len(cdn.hosts) != 1 || cdn.hosts[0] != host {
		t.Errorf("CDN asked for %v, want [%s]", cdn.hosts, host)
	}
	return code, out, dir
}

func TestAppleCDNSameContent(t *testing.T) {
	cdn := &appleCDN{status: 200, body: readFile(t, "testdata/project/assets/dev/.well-known/"+aasa)}
	code, out, _ := verifyWithAppleCDN(t, cdn)
	if code != exit.OK {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, aasa, verify.CheckAppleCDN, verify.Pass, "same content")
}

func TestAppleCDNDifferentContent(t *testing.T) {
	local := readFile(t, "testdata/project/assets/dev/.well-known/"+aasa)
	cdn := &appleCDN{status: 200, body: bytes.Replace(local, []byte("/orders/*"), []byte("/old/*"), 1)}
	code, out, _ := verifyWithAppleCDN(t, cdn)
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, aasa, verify.CheckAppleCDN, verify.Fail, "different content", "applinks.details[0].components[3][\"/\"]")
}

func TestAppleCDNNotIngestedYetIsAWarning(t *testing.T) {
	code, out, _ := verifyWithAppleCDN(t, &appleCDN{status: 404})
	if code != exit.OK {
		t.Errorf("exit %d: a 404 from the CDN must not fail the run", code)
	}
	wantRow(t, out, aasa, verify.CheckAppleCDN, verify.Warn, "404", "not ingested the file yet")
}

// dalStatement renders one statement exactly as statements:list returns it.
func dalStatement(host, pkg, fp string) string {
	return fmt.Sprintf(`{"source": {"web": {"site": "https://%s."}}, "relation": "delegate_permission/common.handle_all_urls",
		"target": {"androidApp": {"packageName": %q, "certificate": {"sha256Fingerprint": %q}}}}`, host, pkg, fp)
}

const (
	prodFP1 = "37:E5:90:A1:91:23:46:C1:CC:97:E4:F5:07:48:1A:2B:6E:36:AF:04:66:99:79:54:5C:1E:1C:74:63:60:22:0A"
	prodFP2 = "3E:9A:F0:B7:36:2A:B6:C7:DF:C7:90:9A:60:56:CF:EE:5C:81:75:0D:72:93:2E:58:8E:8D:A7:E0:64:F4:3F:14"
)

// verifyProdWithDAL runs verify --google-dal for prod (two fingerprints)
// against an emulated Digital Asset Links API answering with statements.
func verifyProdWithDAL(t *testing.T, answer func(host string) string) (int, verifyOutput) {
	t.Helper()
	dir := project(t)
	site, ca := tlsServer(t, fileServer(filepath.Join(dir, "assets", "prod"), nil))
	host := strings.TrimPrefix(site.URL, "https://")
	var query url.Values
	dal, _ := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Query()
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		fmt.Fprint(w, answer(host))
	}))
	code, out, _ := runVerifyJSON(t, "--dir", dir, "--env", "prod", "--base-url", site.URL, "--ca-file", ca,
		"--google-dal", "--google-dal-url", dal.URL+"/v1/statements:list")
	if got := query.Get("source.web.site"); got != "https://"+host {
		t.Errorf("source.web.site = %q", got)
	}
	if got := query.Get("relation"); got != "delegate_permission/common.handle_all_urls" {
		t.Errorf("relation = %q", got)
	}
	return code, out
}

func TestGoogleDALListsEveryTarget(t *testing.T) {
	code, out := verifyProdWithDAL(t, func(host string) string {
		return `{"statements": [` + dalStatement(host, "com.acme.shop", prodFP1) + `, ` +
			dalStatement(host, "com.acme.shop", strings.ToLower(prodFP2)) + `], "maxAge": "599.9s"}`
	})
	if code != exit.OK {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckGoogleDAL, verify.Pass, "all 2 android_app targets")
}

func TestGoogleDALMissingTarget(t *testing.T) {
	code, out := verifyProdWithDAL(t, func(host string) string {
		return `{"statements": [` + dalStatement(host, "com.acme.shop", prodFP1) + `], "maxAge": "599.9s",
			"debugString": "********************* ERRORS *********************\nNone!"}`
	})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckGoogleDAL, verify.Fail, "does not list 1 of 2", "com.acme.shop "+prodFP2, "debugString: ****")
}

func TestGoogleDALEmptyList(t *testing.T) {
	code, out := verifyProdWithDAL(t, func(string) string {
		return `{"maxAge": "59.9s", "debugString": "Could not fetch statements: HTTP 404"}`
	})
	if code != exit.Failed {
		t.Errorf("exit %d", code)
	}
	wantRow(t, out, al, verify.CheckGoogleDAL, verify.Fail, "does not list 2 of 2", "Could not fetch statements")
}
