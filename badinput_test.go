package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	devLinks   = "assets/dev/.well-known/assetlinks.json"
	devAASA    = "assets/dev/.well-known/apple-app-site-association"
	prodLinks  = "assets/prod/.well-known/assetlinks.json"
	configFile = `cdk.json: context["wellknown:environments"]`
)

// badInput is one way to get the configuration or a link file wrong. want
// holds substrings of stderr: the file and JSON path first, then what is
// wrong.
type badInput struct {
	name   string
	break_ func(p *project)
	want   []string
}

func setting(env, key string, value interface{}) func(p *project) {
	return func(p *project) { p.env(env)[key] = value }
}

func withFirstStatement(change func(st map[string]interface{})) func(v interface{}) interface{} {
	return func(v interface{}) interface{} {
		change(v.([]interface{})[0].(map[string]interface{}))
		return v
	}
}

func withFirstDetail(change func(d map[string]interface{})) func(v interface{}) interface{} {
	return func(v interface{}) interface{} {
		applinks := v.(map[string]interface{})["applinks"].(map[string]interface{})
		change(applinks["details"].([]interface{})[0].(map[string]interface{}))
		return v
	}
}

var badInputs = []badInput{
	// Configuration.
	{"account missing", func(p *project) { delete(p.env("dev"), "account") },
		[]string{configFile + ".dev.account: is required"}},
	{"account too short", setting("dev", "account", "11111111111"),
		[]string{configFile + `.dev.account: "11111111111" is not an AWS account ID`}},
	{"account as a number", setting("dev", "account", 111111111111),
		[]string{configFile + `.dev.account: must be a string, got 111111111111 — quote the value, e.g. "account": "111111111111"`}},
	{"region missing", func(p *project) { delete(p.env("staging"), "region") },
		[]string{configFile + ".staging.region: is required"}},
	{"region unknown", setting("dev", "region", "eu-west-9"),
		[]string{configFile + `.dev.region: "eu-west-9" is not an AWS region code`}},
	{"region isolated", setting("dev", "region", "us-iso-east-1"),
		[]string{configFile + `.dev.region: "us-iso-east-1" is in an isolated partition`}},
	{"environment name uppercase", func(p *project) { p.envs()["Dev"] = p.envs()["dev"]; delete(p.envs(), "dev") },
		[]string{configFile + `.Dev: environment name "Dev" is not allowed`}},
	{"environment name underscore", func(p *project) { p.envs()["qa_1"] = p.envs()["dev"]; delete(p.envs(), "dev") },
		[]string{configFile + `.qa_1: environment name "qa_1" is not allowed`}},
	{"bucket name with dots", setting("prod", "bucketName", "links.acme.com"),
		[]string{configFile + `.prod.bucketName: "links.acme.com" contains a dot`, "TLS certificate"}},
	{"bucket name uppercase", setting("prod", "bucketName", "Acme-Links"),
		[]string{configFile + `.prod.bucketName: "Acme-Links" may only contain lowercase letters`}},
	{"bucket name too short", setting("prod", "bucketName", "ab"),
		[]string{configFile + `.prod.bucketName: "ab" is 2 characters long`}},
	{"bucket name reserved prefix", setting("prod", "bucketName", "xn--links"),
		[]string{configFile + `.prod.bucketName: "xn--links" starts with the reserved prefix "xn--"`}},
	{"bucket name reserved suffix", setting("prod", "bucketName", "links-s3alias"),
		[]string{configFile + `.prod.bucketName: "links-s3alias" ends with the reserved suffix "-s3alias"`}},
	{"default bucket name too long", func(p *project) {
		// wellknown-customer-facing-preview-eu-444444444444-ap-southeast-2 is 64 characters.
		p.envs()["customer-facing-preview-eu"] = map[string]interface{}{"account": "444444444444", "region": "ap-southeast-2"}
	}, []string{configFile + `.customer-facing-preview-eu.bucketName: the default bucket name`, `set "bucketName" explicitly`}},
	{"bucket shared by two environments", setting("staging", "bucketName", "acme-links-prod"),
		[]string{`bucket "acme-links-prod" is also used by environment`}},
	{"removal policy unknown", setting("dev", "removalPolicy", "delete"),
		[]string{configFile + `.dev.removalPolicy: "delete" is not a removal policy`}},
	{"termination protection as string", setting("prod", "terminationProtection", "yes"),
		[]string{configFile + `.prod.terminationProtection: must be true or false`}},
	{"unknown setting", setting("dev", "bucketname", "x"),
		[]string{configFile + `.dev.bucketname: unknown setting "bucketname"`, "bucketName"}},
	{"assets directory missing", setting("dev", "assets", "assets/nowhere"),
		[]string{configFile + ".dev.assets: assets/nowhere/.well-known does not exist"}},
	{"environment name too long", func(p *project) {
		p.envs()[strings.Repeat("a", 119)] = map[string]interface{}{"account": "444444444444", "region": "eu-west-1", "bucketName": "long-env"}
	}, []string{"environment name is 119 characters long"}},
	{"environment name too long for the CI roles", func(p *project) {
		name := strings.Repeat("p", 33)
		p.envs()[name] = map[string]interface{}{"account": "111111111111", "region": "eu-west-1", "bucketName": "acme-links-long"}
		ci := p.context["wellknown:ci"].(map[string]interface{})
		ci["promotion"] = append(ci["promotion"].([]interface{}), name)
	}, []string{configFile + "." + strings.Repeat("p", 33) + `: environment name "` + strings.Repeat("p", 33) + `" is 33 characters long, over the 32 that "wellknown:ci" allows`,
		"rename the environment to at most 32 characters"}},
	{"required feature flag off", func(p *project) { p.context["@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"] = false },
		[]string{`cdk.json: context["@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"]: must be true`}},
	{"policy rules downgraded", func(p *project) { delete(p.context, "@aws-cdk/core:validateAgainstDefaultRules") },
		[]string{`cdk.json: context["@aws-cdk/core:validateAgainstDefaultRules"]: must be true`}},
	{"environments missing", func(p *project) { delete(p.context, "wellknown:environments") },
		[]string{configFile + ": missing"}},
	{"environments empty", func(p *project) { p.context["wellknown:environments"] = map[string]interface{}{} },
		[]string{configFile + ": must be a non-empty object"}},

	// The .well-known directory.
	{"no link file at all", func(p *project) { p.remove(devLinks); p.remove(devAASA) },
		[]string{"assets/dev/.well-known: $: contains neither"}},
	{"stray file", func(p *project) { p.write("assets/dev/.well-known/README.md", "notes") },
		[]string{"assets/dev/.well-known/README.md: $: not published"}},
	{"AASA with an extension", func(p *project) { p.write("assets/dev/.well-known/apple-app-site-association.json", "{}") },
		[]string{"assets/dev/.well-known/apple-app-site-association.json: $: not published"}},

	// Either file.
	{"byte order mark", func(p *project) { p.write(devLinks, "\uFEFF[]") },
		[]string{devLinks + ": $: ", "byte order mark"}},
	{"invalid UTF-8", func(p *project) { p.write(devLinks, "[\"\xff\"]") },
		[]string{devLinks + ": $: ", "UTF-8"}},
	{"comments", func(p *project) { p.write(devAASA, "{\n  // iOS\n  \"applinks\": {\"details\": []}\n}") },
		[]string{devAASA + ": $: ", "comments"}},
	{"trailing comma", func(p *project) { p.write(devLinks, `[{"relation": ["x"],}]`) },
		[]string{devLinks + ": $: ", "line 1"}},
	{"trailing garbage", func(p *project) { p.write(devLinks, "[]\n]") },
		[]string{devLinks + ": $: ", "after the JSON value"}},
	{"over 128 KiB", func(p *project) {
		p.write(devAASA, `{"applinks": {"details": []}, "x": "`+strings.Repeat("a", 128*1024)+`"}`)
	},
		[]string{devAASA + ": $: ", "128 KiB"}},
	{"text the CDK reads as a token", func(p *project) {
		p.edit(devAASA, withFirstDetail(func(d map[string]interface{}) {
			d["components"].([]interface{})[0].(map[string]interface{})["comment"] = "${Token[TOKEN.999]}"
		}))
	}, []string{devAASA + ": $: ", `contains "${Token[" at line`}},
	{"duplicate key", func(p *project) { p.write(devAASA, `{"applinks": {"details": []}, "applinks": {"details": []}}`) },
		[]string{devAASA + ": applinks: ", "duplicate"}},

	// assetlinks.json.
	{"fingerprint too short", func(p *project) {
		p.edit(prodLinks, withFirstStatement(func(st map[string]interface{}) {
			target := st["target"].(map[string]interface{})
			fps := target["sha256_cert_fingerprints"].([]interface{})
			fps[1] = "AB:CD"
		}))
	}, []string{prodLinks + `: [0].target.sha256_cert_fingerprints[1]: "AB:CD" is not a SHA-256 fingerprint`, "Play Console"}},
	{"package name invalid", func(p *project) {
		p.edit(devLinks, withFirstStatement(func(st map[string]interface{}) {
			st["target"].(map[string]interface{})["package_name"] = "com.acme.1shop"
		}))
	}, []string{devLinks + `: [0].target.package_name: `, "com.acme.1shop"}},
	{"namespace unknown", func(p *project) {
		p.edit(devLinks, withFirstStatement(func(st map[string]interface{}) {
			st["target"].(map[string]interface{})["namespace"] = "ios_app"
		}))
	}, []string{devLinks + `: [0].target.namespace: `, "ios_app"}},
	{"relation missing", func(p *project) {
		p.edit(devLinks, withFirstStatement(func(st map[string]interface{}) { delete(st, "relation") }))
	}, []string{devLinks + `: [0]`, "relation"}},
	{"web site with a path", func(p *project) {
		p.write(devLinks, `[{"relation": ["delegate_permission/common.get_login_creds"], "target": {"namespace": "web", "site": "https://acme.example/login"}}]`)
	}, []string{devLinks + `: [0].target.site: `, "path"}},
	{"no statements", func(p *project) { p.write(devLinks, `[]`) },
		[]string{devLinks + `: $: `}},
	{"object instead of array", func(p *project) { p.write(devLinks, `{"relation": []}`) },
		[]string{devLinks + `: $: `, "array"}},

	// apple-app-site-association.
	{"no known section", func(p *project) { p.write(devAASA, `{"apps": []}`) },
		[]string{devAASA + `: $: `, "applinks"}},
	{"details not an array", func(p *project) { p.write(devAASA, `{"applinks": {"details": {}}}`) },
		[]string{devAASA + `: applinks.details: `, "array"}},
	{"team ID too short", func(p *project) {
		p.edit(devAASA, withFirstDetail(func(d map[string]interface{}) {
			d["appIDs"] = []interface{}{"ABCDE1234.com.acme.shop"}
		}))
	}, []string{devAASA + `: applinks.details[0].appIDs[0]: `, "ABCDE1234.com.acme.shop"}},
	{"component key unknown", func(p *project) {
		p.edit(devAASA, withFirstDetail(func(d map[string]interface{}) {
			d["components"].([]interface{})[1].(map[string]interface{})["path"] = "/x"
		}))
	}, []string{devAASA + `: applinks.details[0].components[1].path: `, "path"}},
	{"neither paths nor components", func(p *project) {
		p.edit(devAASA, withFirstDetail(func(d map[string]interface{}) { delete(d, "components") }))
	}, []string{devAASA + `: applinks.details[0]: `, "components"}},
	{"webcredentials apps not an array", func(p *project) {
		p.write(devAASA, `{"webcredentials": {"apps": "ABCDE12345.com.acme.shop"}}`)
	}, []string{devAASA + `: webcredentials.apps: `}},
}

// Every bad input stops synthesis with exit code 1, names the file and the
// field in its message, and leaves no stack template behind.
func TestBadInputWritesNoStacks(t *testing.T) {
	if len(badInputs) < 30 {
		t.Fatalf("only %d bad inputs; the table is meant to cover at least 30", len(badInputs))
	}
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			p := newProject(t)
			tc.break_(p)
			// An assembly from an earlier, good run is in the way; a failed
			// run must not leave it deployable.
			p.write("cdk.out/WellKnown-dev.template.json", "{}")
			p.write("cdk.out/manifest.json", "{}")
			res := p.synth(nil)
			if res.exit != 1 {
				t.Errorf("exit = %d, want 1", res.exit)
			}
			for _, want := range tc.want {
				if !strings.Contains(res.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
				}
			}
			if !strings.Contains(res.stderr, "nothing was synthesized") {
				t.Errorf("stderr does not say that nothing was synthesized:\n%s", res.stderr)
			}
			if got := templates(t, res.outdir); len(got) != 0 {
				t.Errorf("templates left behind despite bad input: %v", got)
			}
			if _, err := os.Stat(filepath.Join(res.outdir, "manifest.json")); err == nil {
				t.Error("manifest.json left behind despite bad input")
			}
			if res.stdout != "" {
				t.Errorf("stdout should be empty on bad input, got:\n%s", res.stdout)
			}
		})
	}
}
