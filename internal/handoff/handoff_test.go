package handoff

import (
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
