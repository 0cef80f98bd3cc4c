package scaffold

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/acme/wellknown/internal/linkfile"
)

// The current AASA format (iOS 13+): applinks.details[].appIDs + components.
type aasaFile struct {
	AppLinks       aasaAppLinks `json:"applinks"`
	WebCredentials *aasaApps    `json:"webcredentials,omitempty"`
}

type aasaAppLinks struct {
	Details []aasaDetail `json:"details"`
}

type aasaDetail struct {
	AppIDs     []string        `json:"appIDs"`
	Components []aasaComponent `json:"components"`
}

type aasaComponent struct {
	Path    string            `json:"/"`
	Query   map[string]string `json:"?,omitempty"`
	Comment string            `json:"comment,omitempty"`
}

type aasaApps struct {
	Apps []string `json:"apps"`
}

type statement struct {
	Relation []string `json:"relation"`
	Target   target   `json:"target"`
}

type target struct {
	Namespace    string   `json:"namespace"`
	PackageName  string   `json:"package_name"`
	Fingerprints []string `json:"sha256_cert_fingerprints"`
}

// alexaComponent matches the Alexa redirect URL, which is the bucket root
// with the authorization code and state in the query.
var alexaComponent = aasaComponent{
	Path:    "/",
	Query:   map[string]string{"code": "?*", "state": "?*"},
	Comment: "Alexa app-to-app account linking: the redirect URL with the authorization code",
}

// AASA renders an apple-app-site-association file. paths replace the
// default Alexa redirect component; webCredentials lists the same app IDs
// for shared sign-in.
func AASA(appIDs, paths []string, webCredentials bool) ([]byte, error) {
	comps := []aasaComponent{alexaComponent}
	if len(paths) > 0 {
		comps = nil
		for _, p := range paths {
			comps = append(comps, aasaComponent{Path: p})
		}
	}
	f := aasaFile{AppLinks: aasaAppLinks{Details: []aasaDetail{{AppIDs: appIDs, Components: comps}}}}
	if webCredentials {
		f.WebCredentials = &aasaApps{Apps: appIDs}
	}
	return marshal(f)
}

// AssetLinks renders an assetlinks.json file with one statement per app.
func AssetLinks(apps []AndroidApp, webCredentials bool) ([]byte, error) {
	rel := []string{linkfile.HandleAllURLs}
	if webCredentials {
		rel = append(rel, linkfile.GetLoginCreds)
	}
	sts := []statement{}
	for _, a := range apps {
		fps := make([]string, len(a.Fingerprints))
		for i, f := range a.Fingerprints {
			fps[i] = canonicalFingerprint(f)
		}
		sts = append(sts, statement{Relation: rel, Target: target{Namespace: "android_app", PackageName: a.Package, Fingerprints: fps}})
	}
	return marshal(sts)
}

// canonicalFingerprint writes a SHA-256 fingerprint as Play Console shows
// it: uppercase, colon-separated. Input that is not 32 hex bytes is
// returned unchanged so the validator reports it as the user typed it.
func canonicalFingerprint(s string) string {
	hex := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), ":", ""))
	if len(hex) != 64 || strings.Trim(hex, "0123456789ABCDEF") != "" {
		return s
	}
	pairs := make([]string, 32)
	for i := range pairs {
		pairs[i] = hex[2*i : 2*i+2]
	}
	return strings.Join(pairs, ":")
}

// marshal is json.MarshalIndent with 2 spaces, no HTML escaping and a
// trailing newline, the style of the example files.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
