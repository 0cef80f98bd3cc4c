package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
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

// During the migration (keepS3Public) handoff lists both hosts' values,
// the domain's first, in the text and in JSON; the text says which is being
// migrated away from. Without keepS3Public only the domain is listed.
func TestHandoffDomainEnvironment(t *testing.T) {
	const s3 = "wellknown-dev-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com"
	type handoffJSON struct {
		Environments []struct {
			Host        string   `json:"host"`
			RedirectURL string   `json:"redirect_url"`
			S3Host      string   `json:"s3_host"`
			Alexa       []string `json:"alexa_redirect_urls"`
			IdP         []string `json:"idp_callback_urls"`
			IOS         struct {
				AssociatedDomains []string `json:"associated_domains"`
			} `json:"ios"`
			Android struct {
				Host string `json:"host"`
			} `json:"android"`
		} `json:"environments"`
	}
	for _, keep := range []bool{true, false} {
		dir := project(t)
		withDomain(t, dir, keep)
		code, out, stderr := run(t, "handoff", "--dir", dir, "--env", "dev", "--json")
		if code != exit.OK {
			t.Fatalf("keepS3Public %v: exit %d\n%s", keep, code, stderr)
		}
		var got handoffJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Environments) != 1 {
			t.Fatalf("%v\n%s", err, out)
		}
		e := got.Environments[0]
		urls, domains, s3Host := []string{"https://links.acme.com/"}, []string{"applinks:links.acme.com"}, ""
		if keep {
			urls, domains, s3Host = append(urls, "https://"+s3+"/"), append(domains, "applinks:"+s3), s3
		}
		if e.Host != "links.acme.com" || e.RedirectURL != "https://links.acme.com/" || e.Android.Host != "links.acme.com" || e.S3Host != s3Host ||
			!slices.Equal(e.Alexa, urls) || !slices.Equal(e.IdP, urls) || !slices.Equal(e.IOS.AssociatedDomains, domains) {
			t.Errorf("keepS3Public %v: %+v", keep, e)
		}
		_, text, _ := run(t, "handoff", "--dir", dir, "--env", "dev")
		lists := "Your Redirect URLs:\n  https://links.acme.com/\n"
		if keep {
			lists += "  https://" + s3 + "/\n  (the second, the S3 URL, is the one being migrated away from"
		}
		for _, want := range []string{lists, "Associated Domains (com.apple.developer.associated-domains):\n  " + strings.Join(domains, "\n  ") + "\n"} {
			if !strings.Contains(text, want) {
				t.Errorf("keepS3Public %v: text lacks %q:\n%s", keep, want, text)
			}
		}
		if migrating := strings.Contains(text, "Migration from "+s3+" to links.acme.com"); migrating != keep {
			t.Errorf("keepS3Public %v: migration paragraph %v:\n%s", keep, migrating, text)
		}
	}
}
