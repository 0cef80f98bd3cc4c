package linkfile

import (
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/diag"
)

const (
	fp    = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5"
	appID = "ABCDE12345.com.example.app"
)

// aasaWith wraps one details entry in a minimal AASA document.
func aasaWith(detail string) string {
	return `{"applinks": {"details": [` + detail + `]}}`
}

// aasaComponent wraps one component in a minimal AASA document.
func aasaComponent(component string) string {
	return aasaWith(`{"appIDs": ["` + appID + `"], "components": [` + component + `]}`)
}

func aasaAppID(id string) string {
	return aasaWith(`{"appIDs": ["` + appID + `", "` + id + `"], "components": [{"/": "/*"}]}`)
}

// statement wraps one target in a minimal assetlinks document.
func statement(target string) string {
	return `[{"relation": ["delegate_permission/common.handle_all_urls"], "target": ` + target + `}]`
}

func androidTarget(pkg, fps string) string {
	return statement(`{"namespace": "android_app", "package_name": "` + pkg + `", "sha256_cert_fingerprints": [` + fps + `]}`)
}

func webTarget(site string) string {
	return statement(`{"namespace": "web", "site": "` + site + `"}`)
}

const (
	aasaFile = "assets/prod/.well-known/apple-app-site-association"
	alFile   = "assets/prod/.well-known/assetlinks.json"
)

func TestValidateBad(t *testing.T) {
	goodDetail := `{"appIDs": ["` + appID + `"], "components": [{"/": "/*"}]}`
	big := `{"applinks": {"details": [` + goodDetail + `]}, "x": "` + strings.Repeat("a", MaxSize) + `"}`
	tests := []struct {
		name, file, data, path string
		sev                    diag.Severity
		msg                    string
	}{
		// Syntax and encoding, shared by both files.
		{"empty", aasaFile, ``, "$", diag.Error, "file is empty"},
		{"whitespace only", alFile, " \n ", "$", diag.Error, "only whitespace"},
		{"bom", aasaFile, "\xEF\xBB\xBF" + aasaWith(goodDetail), "$", diag.Error, "starts with a UTF-8 byte order mark"},
		{"invalid utf8", aasaFile, `{"applinks": "` + "\xff" + `"}`, "$", diag.Error, "invalid UTF-8 at byte offset 14 (line 1 col 15)"},
		{"line comment", aasaFile, "{\n  // links\n  \"applinks\": {}}", "$", diag.Error, "JSON does not allow comments (line 2 col 3)"},
		{"block comment", alFile, "[/* x */]", "$", diag.Error, "JSON does not allow comments (line 1 col 2)"},
		{"comment after value", alFile, "[]\n// end", "$", diag.Error, "JSON does not allow comments (line 2 col 1)"},
		{"trailing garbage", aasaFile, aasaWith(goodDetail) + "\n}", "$", diag.Error, "unexpected content after the JSON value at line 2 col 1"},
		{"trailing comma", alFile, `[{"relation": [],}]`, "$", diag.Error, `trailing comma before '}' at line 1 col 18`},
		{"single quotes", aasaFile, `{'applinks': {}}`, "$", diag.Error, "single-quoted string at line 1 col 2"},
		{"unquoted key", aasaFile, `{applinks: {}}`, "$", diag.Error, "object key is not a double-quoted string"},
		{"unclosed object", aasaFile, "{\"applinks\": {\"details\": []\n", "$", diag.Error, `JSON ends before the "{" opened at line 1 col 14 is closed`},
		{"unclosed string", alFile, `["abc`, "$", diag.Error, "JSON ends inside the string that starts at line 1 col 2"},
		{"truncated literal", alFile, `tru`, "$", diag.Error, "JSON ends in the middle of a value at line 1 col 4"},
		{"missing comma", alFile, `[1 2]`, "$", diag.Error, "invalid JSON at line 1 col 4"},
		{"duplicate key", aasaFile, aasaWith(`{"appIDs": ["` + appID + `"],` + "\n" + `"appIDs": [], "components": []}`), "applinks.details[0].appIDs", diag.Error, `duplicate key "appIDs" (line 2)`},
		{"duplicate key line", aasaFile, "{\"a\": 1,\n\"a\": {\"b\": 1,\n\n\"b\": 2}}", "a", diag.Error, `duplicate key "a" (line 2)`},
		{"duplicate nested key line", aasaFile, "{\"a\": 1,\n\"a\": {\"b\": 1,\n\n\"b\": 2}}", "a.b", diag.Error, `duplicate key "b" (line 4)`},
		{"duplicate quoted key", aasaFile, aasaComponent(`{"/": "/a", "/": "/b"}`), `applinks.details[0].components[0]["/"]`, diag.Error, `duplicate key "/"`},
		{"duplicate key assetlinks", alFile, statement(`{"namespace": "web", "site": "https://a.example", "site": "https://b.example"}`), "[0].target.site", diag.Error, "duplicate key"},
		{"oversize", aasaFile, big, "$", diag.Error, "over the 131072-byte (128 KiB) limit"},
		{"wrong file name", "x/.well-known/apple-app-site-association.json", `{}`, "$", diag.Error, "not a link file: only assetlinks.json and apple-app-site-association are published"},

		// AASA structure.
		{"aasa root array", aasaFile, `[]`, "$", diag.Error, "must be an object, found an array"},
		{"aasa no sections", aasaFile, `{"appLinks": {}}`, "$", diag.Error, `has none of "applinks", "webcredentials" or "appclips"`},
		{"aasa unknown top-level", aasaFile, `{"applinks": {"details": []}, "extra": 1}`, "extra", diag.Warning, `unknown key "extra" is ignored`},
		{"aasa miscased top-level", aasaFile, `{"appLinks": {}}`, "appLinks", diag.Warning, `unknown key "appLinks"`},
		{"applinks not object", aasaFile, `{"applinks": []}`, "applinks", diag.Error, "must be an object, found an array"},
		{"details missing", aasaFile, `{"applinks": {}}`, "applinks", diag.Error, `missing "details" array`},
		{"details wrong type", aasaFile, `{"applinks": {"details": {}}}`, "applinks.details", diag.Error, "must be an array, found an object"},
		{"details empty", aasaFile, `{"applinks": {"details": []}}`, "applinks.details", diag.Warning, "is empty"},
		{"legacy apps not array", aasaFile, `{"applinks": {"apps": "x", "details": []}}`, "applinks.apps", diag.Error, `must be an empty array, found string "x"`},
		{"legacy apps non-empty", aasaFile, `{"applinks": {"apps": ["` + appID + `"], "details": []}}`, "applinks.apps", diag.Warning, `legacy "apps" must be empty`},
		{"defaults not object", aasaFile, `{"applinks": {"defaults": true, "details": []}}`, "applinks.defaults", diag.Error, "must be an object, found boolean true"},
		{"defaults quoted bool", aasaFile, `{"applinks": {"defaults": {"caseSensitive": "false"}, "details": []}}`, "applinks.defaults.caseSensitive", diag.Error, `must be true or false, found string "false"`},
		{"substitution not array", aasaFile, `{"applinks": {"substitutionVariables": {"ids": "1"}, "details": []}}`, "applinks.substitutionVariables.ids", diag.Error, "must be an array of strings"},
		{"substitution element", aasaFile, `{"applinks": {"substitutionVariables": {"ids": ["1", 2]}, "details": []}}`, "applinks.substitutionVariables.ids[1]", diag.Error, "must be a string, found number 2"},
		{"detail not object", aasaFile, aasaWith(`"x"`), "applinks.details[0]", diag.Error, `must be an object, found string "x"`},
		{"detail no app id", aasaFile, aasaWith(`{"components": []}`), "applinks.details[0]", diag.Error, `has neither "appIDs" nor "appID"`},
		{"detail both app ids", aasaFile, aasaWith(`{"appID": "` + appID + `", "appIDs": ["` + appID + `"], "paths": ["*"]}`), "applinks.details[0]", diag.Warning, `has both "appID" and "appIDs"`},
		{"appIDs empty", aasaFile, aasaWith(`{"appIDs": [], "paths": []}`), "applinks.details[0].appIDs", diag.Error, "must not be empty"},
		{"appIDs element type", aasaFile, aasaWith(`{"appIDs": [5], "paths": []}`), "applinks.details[0].appIDs[0]", diag.Error, "must be a string, found number 5"},
		{"appID not string", aasaFile, aasaWith(`{"appID": ["` + appID + `"], "paths": []}`), "applinks.details[0].appID", diag.Error, "must be a string, found an array"},
		{"appID bundle only", aasaFile, aasaWith(`{"appID": "com.example.app", "paths": []}`), "applinks.details[0].appID", diag.Error, `"com.example.app" is not an app ID: "com" is not a 10-character Team ID`},
		{"appID no dot", aasaFile, aasaAppID("ABCDE12345"), "applinks.details[0].appIDs[1]", diag.Error, "it needs a Team ID"},
		{"appID lowercase team", aasaFile, aasaAppID("abcde12345.com.example.app"), "applinks.details[0].appIDs[1]", diag.Error, `"abcde12345" is not a 10-character Team ID`},
		{"appID no bundle", aasaFile, aasaAppID("ABCDE12345."), "applinks.details[0].appIDs[1]", diag.Error, "bundle ID after the Team ID is missing"},
		{"appID bad char", aasaFile, aasaAppID("ABCDE12345.com.example_app"), "applinks.details[0].appIDs[1]", diag.Error, `contains '_'`},
		{"appID empty segment", aasaFile, aasaAppID("ABCDE12345.com..app"), "applinks.details[0].appIDs[1]", diag.Error, "empty segment"},
		{"no paths or components", aasaFile, aasaWith(`{"appIDs": ["` + appID + `"]}`), "applinks.details[0]", diag.Error, `has neither "components" nor "paths"`},
		{"paths element", aasaFile, aasaWith(`{"appID": "` + appID + `", "paths": ["/a", null]}`), "applinks.details[0].paths[1]", diag.Error, "must be a string, found null"},
		{"components not array", aasaFile, aasaWith(`{"appIDs": ["` + appID + `"], "components": {"/": "/*"}}`), "applinks.details[0].components", diag.Error, "must be an array of objects, found an object"},
		{"component not object", aasaFile, aasaComponent(`"/*"`), "applinks.details[0].components[0]", diag.Error, `must be an object, found string "/*"`},
		{"component unknown key", aasaFile, aasaComponent(`{"/": "/a"}, {"path": "/*"}`), "applinks.details[0].components[1].path", diag.Error, `unknown key "path" is not allowed`},
		{"component slash type", aasaFile, aasaComponent(`{"/": 1}`), `applinks.details[0].components[0]["/"]`, diag.Error, "must be a string pattern, found number 1"},
		{"component hash type", aasaFile, aasaComponent(`{"#": false}`), `applinks.details[0].components[0]["#"]`, diag.Error, "must be a string pattern"},
		{"component query type", aasaFile, aasaComponent(`{"?": ["a"]}`), `applinks.details[0].components[0]["?"]`, diag.Error, "must be a string or an object of strings, found an array"},
		{"component query value", aasaFile, aasaComponent(`{"?": {"id": 7}}`), `applinks.details[0].components[0]["?"].id`, diag.Error, "must be a string pattern, found number 7"},
		{"component exclude quoted", aasaFile, aasaComponent(`{"/": "/a", "exclude": "true"}`), "applinks.details[0].components[0].exclude", diag.Error, `must be true or false, found string "true"`},
		{"component comment type", aasaFile, aasaComponent(`{"comment": 1}`), "applinks.details[0].components[0].comment", diag.Error, "must be a string"},
		{"webcredentials not object", aasaFile, `{"webcredentials": ["` + appID + `"]}`, "webcredentials", diag.Error, "must be an object, found an array"},
		{"webcredentials bad app", aasaFile, `{"webcredentials": {"apps": ["com.example.app"]}}`, "webcredentials.apps[0]", diag.Error, "is not a 10-character Team ID"},
		{"webcredentials apps type", aasaFile, `{"webcredentials": {"apps": "` + appID + `"}}`, "webcredentials.apps", diag.Error, "must be an array of strings"},
		{"appclips missing apps", aasaFile, `{"appclips": {}}`, "appclips", diag.Error, `missing "apps" array`},

		// assetlinks.json structure.
		{"al root object", alFile, `{"relation": [], "target": {}}`, "$", diag.Error, "must be an array of statements, found an object"},
		{"al empty", alFile, `[]`, "$", diag.Error, "contains no statements"},
		{"al statement type", alFile, `[[]]`, "[0]", diag.Error, "must be an object, found an array"},
		{"al missing relation", alFile, `[{"target": {"namespace": "web", "site": "https://example.com"}}]`, "[0]", diag.Error, `missing "relation"`},
		{"al relation empty", alFile, `[{"relation": [], "target": {"namespace": "web", "site": "https://example.com"}}]`, "[0].relation", diag.Error, "must not be empty"},
		{"al relation string", alFile, `[{"relation": "x", "target": {"namespace": "web", "site": "https://example.com"}}]`, "[0].relation", diag.Error, "must be an array of strings"},
		{"al unknown relation", alFile, `[{"relation": ["delegate_permission/common.handle_all_urls", "delegate_permission/common.handle_all_url"], "target": {"namespace": "web", "site": "https://example.com"}}]`, "[0].relation[1]", diag.Warning, `unknown relation "delegate_permission/common.handle_all_url"`},
		{"al relation_extensions type", alFile, `[{"relation": ["delegate_permission/common.handle_all_urls"], "relation_extensions": [], "target": {"namespace": "web", "site": "https://example.com"}}]`, "[0].relation_extensions", diag.Error, "must be an object, found an array"},
		{"al missing target", alFile, `[{"relation": ["delegate_permission/common.handle_all_urls"]}]`, "[0]", diag.Error, `missing "target"`},
		{"al target type", alFile, statement(`"com.example.app"`), "[0].target", diag.Error, "must be an object"},
		{"al missing namespace", alFile, statement(`{"package_name": "com.example.app"}`), "[0].target", diag.Error, `missing "namespace"`},
		{"al bad namespace", alFile, statement(`{"namespace": "android"}`), "[0].target.namespace", diag.Error, `namespace "android" is not "android_app" or "web"`},
		{"al missing package", alFile, statement(`{"namespace": "android_app", "sha256_cert_fingerprints": ["` + fp + `"]}`), "[0].target", diag.Error, `missing "package_name"`},
		{"al package one segment", alFile, androidTarget("myapp", `"`+fp+`"`), "[0].target.package_name", diag.Error, `"myapp" is not a valid package name: it needs at least two segments`},
		{"al package digit start", alFile, androidTarget("com.1app", `"`+fp+`"`), "[0].target.package_name", diag.Error, `segment "1app" must start with a letter`},
		{"al package dash", alFile, androidTarget("com.my-app", `"`+fp+`"`), "[0].target.package_name", diag.Error, `'-' is not allowed`},
		{"al package empty segment", alFile, androidTarget("com..app", `"`+fp+`"`), "[0].target.package_name", diag.Error, "empty segment"},
		{"al missing fingerprints", alFile, statement(`{"namespace": "android_app", "package_name": "com.example.app"}`), "[0].target", diag.Error, `missing "sha256_cert_fingerprints"`},
		{"al fingerprints empty", alFile, androidTarget("com.example.app", ``), "[0].target.sha256_cert_fingerprints", diag.Error, "must not be empty"},
		{"al fingerprint short", alFile, androidTarget("com.example.app", `"`+fp+`", "AB:CD"`), "[0].target.sha256_cert_fingerprints[1]", diag.Error, `"AB:CD" is not a SHA-256 fingerprint (2 bytes)`},
		{"al fingerprint sha1", alFile, androidTarget("com.example.app", `"`+fp[:59]+`"`), "[0].target.sha256_cert_fingerprints[0]", diag.Error, "SHA-1"},
		{"al fingerprint no colons", alFile, androidTarget("com.example.app", `"`+strings.ReplaceAll(fp, ":", "")+`"`), "[0].target.sha256_cert_fingerprints[0]", diag.Error, "separated by colons"},
		{"al fingerprint type", alFile, androidTarget("com.example.app", `1`), "[0].target.sha256_cert_fingerprints[0]", diag.Error, "must be a string, found number 1"},
		{"al fingerprint lowercase", alFile, androidTarget("com.example.app", `"`+strings.ToLower(fp)+`"`), "[0].target.sha256_cert_fingerprints[0]", diag.Warning, "lowercase hex"},
		{"al fingerprint duplicate", alFile, androidTarget("com.example.app", `"`+fp+`", "`+strings.ToLower(fp)+`"`), "[0].target.sha256_cert_fingerprints[1]", diag.Warning, "same fingerprint as [0].target.sha256_cert_fingerprints[0]"},
		{"al web http", alFile, webTarget("http://example.com"), "[0].target.site", diag.Error, `site "http://example.com" uses http`},
		{"al web no scheme", alFile, webTarget("example.com"), "[0].target.site", diag.Error, "does not start with https://"},
		{"al web trailing slash", alFile, webTarget("https://example.com/"), "[0].target.site", diag.Error, "has a trailing slash"},
		{"al web path", alFile, webTarget("https://example.com/app"), "[0].target.site", diag.Error, "has a path"},
		{"al web query", alFile, webTarget("https://example.com?a=1"), "[0].target.site", diag.Error, "has a query or fragment"},
		{"al web fragment", alFile, webTarget("https://example.com#x"), "[0].target.site", diag.Error, "has a query or fragment"},
		{"al web userinfo", alFile, webTarget("https://me@example.com"), "[0].target.site", diag.Error, "user info"},
		{"al web port 443", alFile, webTarget("https://example.com:443"), "[0].target.site", diag.Error, "default port 443"},
		{"al web bad port", alFile, webTarget("https://example.com:99999"), "[0].target.site", diag.Error, "invalid port"},
		{"al web missing site", alFile, statement(`{"namespace": "web"}`), "[0].target", diag.Error, `missing "site"`},
		{"al unknown statement key", alFile, `[{"relation": ["delegate_permission/common.get_login_creds"], "target": {"namespace": "web", "site": "https://example.com"}, "comment": "x"}]`, "[0].comment", diag.Warning, `unknown key "comment" is ignored`},
		{"al unknown target key", alFile, statement(`{"namespace": "android_app", "package_name": "com.example.app", "sha256_cert_fingerprints": ["` + fp + `"], "site": "https://example.com"}`), "[0].target.site", diag.Warning, `unknown key "site"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Validate(tt.file, []byte(tt.data))
			for _, p := range ps {
				if p.Path == tt.path && p.Severity == tt.sev && strings.Contains(p.Message, tt.msg) {
					if p.File != tt.file {
						t.Errorf("File = %q, want %q", p.File, tt.file)
					}
					if p.Fix == "" {
						t.Errorf("problem has no fix: %v", p)
					}
					return
				}
			}
			t.Errorf("no %v at %q containing %q; got:\n%s", tt.sev, tt.path, tt.msg, dump(ps))
		})
	}
	if len(tests) < 40 {
		t.Fatalf("only %d cases", len(tests))
	}
}

func dump(ps []diag.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

const goodAASA = `{
  "applinks": {
    "defaults": {"caseSensitive": false, "percentEncoded": true},
    "substitutionVariables": {"food": ["burrito", "taco"]},
    "details": [
      {
        "appIDs": ["ABCDE12345.com.example.app", "ABCDE12345.com.example.app-beta"],
        "components": [
          {"#": "no_universal_links", "exclude": true, "comment": "opt-out by fragment"},
          {"/": "/buy/*", "?": {"media": "?*"}, "caseSensitive": true},
          {"/": "/help/*", "?": "articleNumber=????", "percentEncoded": false},
          {"/": "/alexa/link"}
        ],
        "defaults": {"caseSensitive": true}
      }
    ]
  },
  "webcredentials": {"apps": ["ABCDE12345.com.example.app"]},
  "appclips": {"apps": ["ABCDE12345.com.example.app.Clip"]}
}`

const legacyAASA = `{
  "applinks": {
    "apps": [],
    "details": [
      {"appID": "ABCDE12345.com.example.app", "paths": ["/alexa/*", "NOT /private/*"]},
      {"appID": "FGHIJ67890.com.example.other", "paths": ["*"]}
    ]
  }
}`

const goodAssetLinks = `[
  {
    "relation": ["delegate_permission/common.handle_all_urls"],
    "target": {
      "namespace": "android_app",
      "package_name": "com.example.app",
      "sha256_cert_fingerprints": ["` + fp + `"]
    }
  },
  {
    "relation": ["delegate_permission/common.get_login_creds"],
    "target": {"namespace": "web", "site": "https://example.com:8443"}
  }
]`

func TestValidateGood(t *testing.T) {
	for _, tt := range []struct{ name, file, data string }{
		{"current aasa", aasaFile, goodAASA},
		{"legacy aasa", aasaFile, legacyAASA},
		{"assetlinks", alFile, goodAssetLinks},
		{"relative name", "apple-app-site-association", goodAASA},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if ps := Validate(tt.file, []byte(tt.data)); len(ps) != 0 {
				t.Errorf("want no problems, got:\n%s", dump(ps))
			}
		})
	}
}

// TestValidateCollectsAll checks that validation keeps going after the
// first problem, including after encoding errors that do not stop parsing.
func TestValidateCollectsAll(t *testing.T) {
	data := "\xEF\xBB\xBF" + androidTarget("myapp", `"AB:CD", "`+strings.ToLower(fp)+`"`)
	ps := validateAssetLinksFile(alFile, []byte(data))
	want := []string{"$", "[0].target.package_name", "[0].target.sha256_cert_fingerprints[0]", "[0].target.sha256_cert_fingerprints[1]"}
	if len(ps) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(ps), len(want), dump(ps))
	}
	for i, p := range ps {
		if p.Path != want[i] {
			t.Errorf("problem %d at %q, want %q", i, p.Path, want[i])
		}
	}
}
