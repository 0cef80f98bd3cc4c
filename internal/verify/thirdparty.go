package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/jsontree"
	"github.com/acme/wellknown/internal/linkfile"
)

// host is what Apple's CDN and Google's API are asked about: the host the
// files are served from (the --base-url host when one is given).
func (t Target) host() string {
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// checkAppleCDN compares the copy iOS 14+ devices actually get, from
// Apple's CDN, with the local file. 404 means "not ingested yet", which is
// normal right after a first deploy, hence a warning.
func (v *Verifier) checkAppleCDN(ctx context.Context, t Target, f linkfile.File) Result {
	u := strings.TrimSuffix(v.props.AppleCDNURL, "/") + "/" + t.host()
	r := v.get(ctx, u, 4*linkfile.MaxSize)
	res := Result{Env: t.Env, File: f.Name, URL: u}
	res.setLatency(r.latency)
	check := func(s Status, format string, args ...any) {
		res.Checks = []Check{{Name: CheckAppleCDN, Status: s, Message: fmt.Sprintf(format, args...)}}
	}
	switch {
	case r.err != nil:
		check(Fail, "Apple's CDN not reachable: %v", r.err)
	case r.resp.StatusCode == http.StatusNotFound:
		check(Warn, "404: Apple's CDN has not ingested the file yet; it fetches on its own schedule (development builds can bypass it with ?mode=developer)")
	case r.resp.StatusCode != http.StatusOK:
		check(Fail, "Apple's CDN answered %s", statusText(r.resp.StatusCode))
	case r.readErr != nil:
		check(Fail, "Apple's CDN: %v", r.readErr)
	default:
		path, err := jsontree.FirstDifference(withoutBOM(f.Data), withoutBOM(r.body))
		switch {
		case err != nil:
			check(Fail, "Apple's CDN serves a body that is not JSON")
		case path != "":
			check(Fail, "Apple's CDN holds different content (first difference at %s); devices get that copy until the CDN refreshes on its own schedule", path)
		default:
			check(Pass, "Apple's CDN holds the same content as %s", f.Path)
		}
	}
	return res
}

// dalResponse is the statements:list response (ListResponse in
// developers.google.com/digital-asset-links/reference/rpc/google.digitalassetlinks.v1;
// field names checked against a real response): {"statements": [{"source": {"web": {"site":
// "https://host."}}, "relation": "delegate_permission/common.handle_all_urls",
// "target": {"androidApp": {"packageName": "…", "certificate":
// {"sha256Fingerprint": "AA:BB:…"}}}}], "maxAge": "…", "debugString": "…"}.
// One statement per (package, certificate) pair.
type dalResponse struct {
	Statements []struct {
		Relation string `json:"relation"`
		Target   struct {
			AndroidApp *struct {
				PackageName string `json:"packageName"`
				Certificate struct {
					SHA256Fingerprint string `json:"sha256Fingerprint"`
				} `json:"certificate"`
			} `json:"androidApp"`
		} `json:"target"`
	} `json:"statements"`
	DebugString string `json:"debugString"`
}

// checkGoogleDAL asks Google's Digital Asset Links API what it read from
// the host and requires every local android_app handle_all_urls target.
func (v *Verifier) checkGoogleDAL(ctx context.Context, t Target, f linkfile.File) Result {
	q := url.Values{"source.web.site": {"https://" + t.host()}, "relation": {linkfile.HandleAllURLs}}
	u := v.props.GoogleDALURL + "?" + q.Encode()
	res := Result{Env: t.Env, File: f.Name, URL: u}
	check := func(s Status, format string, args ...any) {
		res.Checks = []Check{{Name: CheckGoogleDAL, Status: s, Message: fmt.Sprintf(format, args...)}}
	}
	want := expectedApps(f.Data)
	if len(want) == 0 {
		check(Skip, "no android_app target with %s in %s", linkfile.HandleAllURLs, f.Path)
		return res
	}
	r := v.get(ctx, u, 4*linkfile.MaxSize)
	res.setLatency(r.latency)
	var body dalResponse
	switch {
	case r.err != nil:
		check(Fail, "Digital Asset Links API not reachable: %v", r.err)
		return res
	case r.resp.StatusCode != http.StatusOK:
		check(Fail, "Digital Asset Links API answered %s: %s", statusText(r.resp.StatusCode), firstLine(string(r.body)))
		return res
	case r.readErr != nil || json.Unmarshal(r.body, &body) != nil:
		check(Fail, "Digital Asset Links API response is not a statements:list response")
		return res
	}
	listed := map[string]bool{}
	for _, s := range body.Statements {
		if a := s.Target.AndroidApp; a != nil && s.Relation == linkfile.HandleAllURLs {
			listed[a.PackageName+" "+strings.ToUpper(a.Certificate.SHA256Fingerprint)] = true
		}
	}
	var missing []string
	for _, w := range want {
		if !listed[w] {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("Google does not list %d of %d android_app targets: %s", len(missing), len(want), strings.Join(missing, ", "))
		if d := firstLine(body.DebugString); d != "" {
			msg += "; debugString: " + d
		}
		check(Fail, "%s", msg)
		return res
	}
	check(Pass, "Google lists all %d android_app targets with handle_all_urls", len(want))
	return res
}

// expectedApps lists "package FINGERPRINT" for every android_app statement
// with handle_all_urls in a (validated) local assetlinks.json.
func expectedApps(data []byte) []string {
	info, err := linkfile.ParseAssetLinks(data)
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range info.AndroidApps {
		if !slices.Contains(a.Relations, linkfile.HandleAllURLs) {
			continue
		}
		for _, fp := range a.Fingerprints {
			out = append(out, a.PackageName+" "+strings.ToUpper(fp))
		}
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	const max = 200
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
