package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/verify"
)

// withDomain gives the project's dev environment a custom domain.
func withDomain(t *testing.T, dir string, keepS3Public bool) {
	t.Helper()
	path := filepath.Join(dir, "cdk.json")
	var cdk map[string]interface{}
	if err := json.Unmarshal(readFile(t, path), &cdk); err != nil {
		t.Fatal(err)
	}
	dev := cdk["context"].(map[string]interface{})["wellknown:environments"].(map[string]interface{})["dev"].(map[string]interface{})
	dev["domain"] = map[string]interface{}{"name": "links.acme.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com", "keepS3Public": keepS3Public}
	data, _ := json.MarshalIndent(cdk, "", "  ")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A domain environment served by a local HTTPS server passes verify as
// the S3 one does; without --base-url it is fetched on its domain.
func TestVerifyDomainEnvironment(t *testing.T) {
	dir := project(t)
	withDomain(t, dir, false)
	srv, ca := tlsServer(t, fileServer(filepath.Join(dir, "assets", "dev"), nil))
	code, out, stderr := runVerifyJSON(t, "--dir", dir, "--env", "dev", "--base-url", srv.URL, "--ca-file", ca)
	if code != exit.OK || !out.OK {
		t.Fatalf("exit %d\n%+v\n%s", code, out, stderr)
	}
	for _, f := range []string{al, aasa} {
		wantRow(t, out, f, verify.CheckMatches, verify.Pass)
	}
	_, text, _ := run(t, "verify", "--dir", dir, "--env", "dev", "--timeout", "200ms", "--deadline", "1s")
	if !strings.HasPrefix(text, "dev: https://links.acme.com/.well-known/\n") {
		t.Errorf("default base is not the domain:\n%s", text)
	}
}

// With keepS3Public the S3 host is verified too.
func TestVerifyDomainKeepsS3(t *testing.T) {
	dir := project(t)
	withDomain(t, dir, true)
	_, text, _ := run(t, "verify", "--dir", dir, "--env", "dev", "--timeout", "200ms", "--deadline", "1s")
	for _, want := range []string{"dev: https://links.acme.com/.well-known/\n", "dev (S3): https://wellknown-dev-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com/.well-known/\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

func TestHandoffDomainEnvironment(t *testing.T) {
	dir := project(t)
	withDomain(t, dir, true)
	code, out, stderr := run(t, "handoff", "--dir", dir, "--env", "dev", "--json")
	if code != exit.OK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var got struct {
		Environments []struct {
			Host        string `json:"host"`
			RedirectURL string `json:"redirect_url"`
			S3Host      string `json:"s3_host"`
			IOS         struct {
				AssociatedDomains []string `json:"associated_domains"`
			} `json:"ios"`
			Android struct {
				Host string `json:"host"`
			} `json:"android"`
		} `json:"environments"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Environments) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	e := got.Environments[0]
	if e.Host != "links.acme.com" || e.RedirectURL != "https://links.acme.com/" || e.Android.Host != "links.acme.com" ||
		len(e.IOS.AssociatedDomains) == 0 || e.IOS.AssociatedDomains[0] != "applinks:links.acme.com" ||
		e.S3Host != "wellknown-dev-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com" {
		t.Errorf("%+v", e)
	}
	_, text, _ := run(t, "handoff", "--dir", dir, "--env", "dev")
	if !strings.Contains(text, "Migration: wellknown-dev-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com still serves the files") {
		t.Errorf("no migration note:\n%s", text)
	}
}
