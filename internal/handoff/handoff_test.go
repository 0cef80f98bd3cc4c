package handoff

import (
	"slices"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/linkfile"
	"github.com/acme/wellknown/internal/preflight"
)

func TestBuildOnlyDeclaredServices(t *testing.T) {
	env := config.Environment{Name: "qa", Account: "555555555555", Region: "eu-west-2", BucketName: "links-qa"}
	aasa := []byte(`{"webcredentials": {"apps": ["ABCDE12345.com.acme.app"]}}`)
	e, err := Build(preflight.Target{Env: env, Files: []linkfile.File{{Name: linkfile.AppleAppSiteAssociation, Data: aasa}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.RedirectURL != "https://links-qa.s3.eu-west-2.amazonaws.com/" || e.AlexaRedirectURLs[0] != e.RedirectURL || e.IdPCallbackURLs[0] != e.RedirectURL {
		t.Errorf("%+v", e)
	}
	// No applinks section: no applinks entitlement, only webcredentials.
	if got := strings.Join(e.IOS.AssociatedDomains, " "); got != "webcredentials:links-qa.s3.eu-west-2.amazonaws.com" {
		t.Errorf("associated domains %q", got)
	}
	if e.Android != nil {
		t.Error("android section without assetlinks.json")
	}
}

func TestBuildRejectsInvalidFile(t *testing.T) {
	_, err := Build(preflight.Target{Files: []linkfile.File{{Name: linkfile.AssetLinks, Path: "x/assetlinks.json", Data: []byte("[")}}})
	if err == nil || !strings.HasPrefix(err.Error(), "x/assetlinks.json: ") {
		t.Errorf("err = %v", err)
	}
}

// During a migration to a custom domain (keepS3Public) both hosts' values
// are handed on, the domain's first, and the text says which one is being
// migrated away from; with the S3 host private, or without a domain, only
// the one host is.
func TestBuildDuringDomainMigration(t *testing.T) {
	aasa := []byte(`{"applinks": {"details": [{"appIDs": ["ABCDE12345.com.acme.app"], "components": [{"/": "/"}]}]}, "webcredentials": {"apps": ["ABCDE12345.com.acme.app"]}}`)
	build := func(d *config.Domain) Env {
		t.Helper()
		env := config.Environment{Name: "qa", Account: "555555555555", Region: "eu-west-2", BucketName: "links-qa", Domain: d}
		e, err := Build(preflight.Target{Env: env, Files: []linkfile.File{{Name: linkfile.AppleAppSiteAssociation, Data: aasa}}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	const s3 = "links-qa.s3.eu-west-2.amazonaws.com"
	for name, tc := range map[string]struct {
		domain            *config.Domain
		urls, domains     []string
		migrating, s3Host string
	}{
		"no domain": {nil, []string{"https://" + s3 + "/"}, []string{"applinks:" + s3, "webcredentials:" + s3}, "", ""},
		"private bucket": {&config.Domain{Name: "links.acme.com"}, []string{"https://links.acme.com/"},
			[]string{"applinks:links.acme.com", "webcredentials:links.acme.com"}, "", ""},
		"keepS3Public": {&config.Domain{Name: "links.acme.com", KeepS3Public: true}, []string{"https://links.acme.com/", "https://" + s3 + "/"},
			[]string{"applinks:links.acme.com", "webcredentials:links.acme.com", "applinks:" + s3, "webcredentials:" + s3}, "being migrated away from", s3},
	} {
		t.Run(name, func(t *testing.T) {
			e := build(tc.domain)
			if !slices.Equal(e.AlexaRedirectURLs, tc.urls) || !slices.Equal(e.IdPCallbackURLs, tc.urls) || !slices.Equal(e.IOS.AssociatedDomains, tc.domains) || e.S3Host != tc.s3Host {
				t.Errorf("alexa %v, idp %v, associated domains %v, s3 host %q", e.AlexaRedirectURLs, e.IdPCallbackURLs, e.IOS.AssociatedDomains, e.S3Host)
			}
			var text strings.Builder
			if err := WriteText(&text, []Env{e}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(text.String(), "being migrated away from"); (tc.migrating == "") != (got == 0) {
				t.Errorf("migration notes: %d\n%s", got, text.String())
			}
			if tc.migrating != "" && !strings.Contains(text.String(), "Migration from "+s3+" to links.acme.com (keepS3Public)") {
				t.Errorf("no migration paragraph naming both hosts:\n%s", text.String())
			}
		})
	}
}
