package linkfile

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseAASA(t *testing.T) {
	data := `{
	  "applinks": {"details": [
	    {"appIDs": ["ABCDE12345.com.example.app", "ABCDE12345.com.example.beta"], "components": []},
	    {"appID": "ABCDE12345.com.example.app", "paths": ["*"]},
	    {"appID": "FGHIJ67890.com.other", "paths": ["*"]}
	  ]},
	  "webcredentials": {"apps": ["ABCDE12345.com.example.app"]}
	}`
	got, err := ParseAASA([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := AASAInfo{
		AppLinksAppIDs:       []string{"ABCDE12345.com.example.app", "ABCDE12345.com.example.beta", "FGHIJ67890.com.other"},
		WebCredentialsAppIDs: []string{"ABCDE12345.com.example.app"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}

	got, err = ParseAASA([]byte(goodAASA))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.AppLinksAppIDs) != 2 || !reflect.DeepEqual(got.AppClipsAppIDs, []string{"ABCDE12345.com.example.app.Clip"}) {
		t.Errorf("got %+v", got)
	}
}

func TestParseAASAInvalid(t *testing.T) {
	for _, data := range []string{``, `[]`, `{"applinks": {"details": [{"appID": "bad", "paths": []}]}}`} {
		info, err := ParseAASA([]byte(data))
		if err == nil || !reflect.DeepEqual(info, AASAInfo{}) {
			t.Errorf("ParseAASA(%q) = %+v, %v; want error", data, info, err)
		}
	}
	// Warnings alone do not stop parsing.
	if _, err := ParseAASA([]byte(`{"applinks": {"details": []}, "extra": 1}`)); err != nil {
		t.Errorf("warnings only: %v", err)
	}
}

func TestParseAssetLinks(t *testing.T) {
	got, err := ParseAssetLinks([]byte(goodAssetLinks))
	if err != nil {
		t.Fatal(err)
	}
	want := AssetLinksInfo{
		AndroidApps: []AndroidApp{{
			PackageName:  "com.example.app",
			Fingerprints: []string{fp},
			Relations:    []string{"delegate_permission/common.handle_all_urls"},
		}},
		WebSites: []string{"https://example.com:8443"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestParseAssetLinksInvalid(t *testing.T) {
	_, err := ParseAssetLinks([]byte(androidTarget("com.example.app", `"AB:CD"`)))
	if err == nil || !strings.Contains(err.Error(), `assetlinks.json: [0].target.sha256_cert_fingerprints[0]: "AB:CD" is not a SHA-256 fingerprint`) {
		t.Errorf("err = %v", err)
	}
}
