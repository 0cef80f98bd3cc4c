package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parse(t *testing.T, envs string) (Config, []string) {
	t.Helper()
	cfg, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs)}), ".")
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, p.String())
	}
	return cfg, msgs
}

func TestDefaults(t *testing.T) {
	cfg, problems := parse(t, `{"dev": {"account": "111111111111", "region": "eu-west-1"}}`)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	e := cfg.Environments[0]
	want := Environment{Name: "dev", Account: "111111111111", Region: "eu-west-1",
		BucketName: "wellknown-dev-111111111111-eu-west-1", RemovalPolicy: Retain,
		AssetsDir: "assets/dev", AccessLogs: true}
	if e != want {
		t.Errorf("got %+v\nwant %+v", e, want)
	}
	if e.StackName() != "WellKnown-dev" {
		t.Errorf("stack %q", e.StackName())
	}
}

func TestURLsPerPartition(t *testing.T) {
	for _, tc := range []struct{ region, redirect, arn string }{
		{"eu-west-1", "https://b-1.s3.eu-west-1.amazonaws.com/", "arn:aws:s3:::b-1"},
		{"cn-northwest-1", "https://b-1.s3.cn-northwest-1.amazonaws.com.cn/", "arn:aws-cn:s3:::b-1"},
		{"us-gov-west-1", "https://b-1.s3.us-gov-west-1.amazonaws.com/", "arn:aws-us-gov:s3:::b-1"},
		{"eusc-de-east-1", "https://b-1.s3.eusc-de-east-1.amazonaws.eu/", "arn:aws-eusc:s3:::b-1"},
	} {
		e := Environment{BucketName: "b-1", Region: tc.region}
		if e.RedirectURL() != tc.redirect || e.BucketARN() != tc.arn {
			t.Errorf("%s: %s %s", tc.region, e.RedirectURL(), e.BucketARN())
		}
	}
}

func TestExplicitSettings(t *testing.T) {
	cfg, problems := parse(t, `{"prod": {"account": "333333333333", "region": "us-east-1", "bucketName": "acme-links-prod",
		"removalPolicy": "destroy", "terminationProtection": true, "assets": "/srv/links", "accessLogs": false}}`)
	if len(problems) != 1 || !strings.Contains(problems[0], `prod.accessLogs: warning: S3 server access logging is off`) {
		t.Fatalf("want only the access-log warning, got %v", problems)
	}
	e := cfg.Environments[0]
	if e.BucketName != "acme-links-prod" || e.RemovalPolicy != Destroy || !e.TerminationProtection || e.AssetsDir != "/srv/links" || e.AccessLogs {
		t.Errorf("%+v", e)
	}
}

func TestSelect(t *testing.T) {
	cfg, _ := parse(t, `{"dev": {"account": "111111111111", "region": "eu-west-1"},
		"prod": {"account": "333333333333", "region": "us-east-1"}}`)
	sel := func(v string) Selection {
		t.Helper()
		s, err := ParseSelection(NewContext(map[string]json.RawMessage{selectKey: json.RawMessage(v)}))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	got, err := cfg.Select(sel(`"prod"`))
	if err != nil || len(got) != 1 || got[0].Name != "prod" {
		t.Errorf("select prod: %v %v", got, err)
	}
	got, err = cfg.Select(sel(`"dev, prod"`))
	if err != nil || len(got) != 2 {
		t.Errorf("select dev,prod: %v %v", got, err)
	}
	if _, err := cfg.Select(sel(`"qa"`)); err == nil || !strings.Contains(err.Error(), "known environments: dev, prod") {
		t.Errorf("unknown env error = %v", err)
	}
	if all, _ := cfg.Select(sel(`"dev,dev, prod"`)); len(all) != 2 {
		t.Errorf("repeated names select once")
	}
	if s, err := ParseSelection(Context{}); err != nil || !s.All() {
		t.Errorf("no selection should mean all environments: %v %v", s, err)
	}
	if all, _ := cfg.Select(Selection{}); len(all) != 2 {
		t.Errorf("no selection should mean all environments")
	}
	if _, err := ParseSelection(NewContext(map[string]json.RawMessage{selectKey: json.RawMessage(`" , "`)})); err == nil {
		t.Error("-c env= with no name accepted")
	}
	if _, err := cfg.Select(NewSelection("--env", "qa")); err == nil || err.Error() != "--env qa: unknown environment; known environments: dev, prod" {
		t.Errorf("--env error = %v", err)
	}
}

func TestBucketNameRules(t *testing.T) {
	ok := []string{"abc", "acme-links-prod", "a1-b2", strings.Repeat("a", 63)}
	for _, n := range ok {
		if err := CheckBucketName(n); err != nil {
			why := err.Error()
			t.Errorf("%q rejected: %s", n, why)
		}
	}
	bad := map[string]string{
		"ab":                    "3 to 63",
		strings.Repeat("a", 64): "3 to 63",
		"my.bucket":             "contains a dot",
		"My-Bucket":             "lowercase",
		"-bucket":               "start and end",
		"bucket-":               "start and end",
		"bucket_name":           "lowercase",
		"xn--bucket":            `prefix "xn--"`,
		"sthree-bucket":         `prefix "sthree-"`,
		"amzn-s3-demo-bucket":   `prefix "amzn-s3-demo-"`,
		"bucket-s3alias":        `suffix "-s3alias"`,
		"bucket--ol-s3":         `suffix "--ol-s3"`,
		"bucket--x-s3":          `suffix "--x-s3"`,
		"192.168.5.4":           "dot",
	}
	for n, want := range bad {
		if err := CheckBucketName(n); err == nil || !strings.Contains(err.Error(), want) {
			why := fmt.Sprint(err)
			t.Errorf("%q: got %q, want it to mention %q", n, why, want)
		}
	}
}

func TestRegions(t *testing.T) {
	for _, r := range []string{"us-east-1", "eu-central-2", "cn-north-1", "us-gov-east-1", "il-central-1", "mx-central-1"} {
		if !KnownRegion(r) {
			t.Errorf("%s should be known", r)
		}
	}
	for _, r := range []string{"us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1"} {
		if KnownRegion(r) || !isolatedRegion(r) {
			t.Errorf("%s should be isolated", r)
		}
	}
	if KnownRegion("eu-west-9") || isolatedRegion("eu-west-9") {
		t.Error("eu-west-9 is not a region")
	}
}

// Every region of a partition has the same IAM region.
func TestIAMRegion(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "us-east-1", "eu-west-1": "us-east-1", "ap-southeast-7": "us-east-1",
		"cn-north-1": "cn-north-1", "cn-northwest-1": "cn-north-1",
		"us-gov-west-1": "us-gov-west-1", "us-gov-east-1": "us-gov-west-1",
		"eusc-de-east-1": "eusc-de-east-1",
	} {
		if got := IAMRegion(region); got != want {
			t.Errorf("IAMRegion(%s) = %s, want %s", region, got, want)
		}
	}
}

func TestProblemsCarryPathAndFix(t *testing.T) {
	_, problems := parse(t, `{"dev": {"account": 1, "region": "mars-1", "extra": 1}, "prod": "x"}`)
	want := []string{
		`cdk.json: context["wellknown:environments"].dev.account: must be a string, got 1 — quote the value`,
		`cdk.json: context["wellknown:environments"].dev.extra: unknown setting "extra"`,
		`cdk.json: context["wellknown:environments"].dev.region: "mars-1" is not an AWS region code`,
		`cdk.json: context["wellknown:environments"].prod: must be an object of settings`,
	}
	joined := strings.Join(problems, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("missing %q in:\n%s", w, joined)
		}
	}
}

func parseWithCI(t *testing.T, ci string) (Config, []string) {
	t.Helper()
	envs := `{"dev": {"account": "111111111111", "region": "eu-west-1"}, "prod": {"account": "333333333333", "region": "cn-north-1"}}`
	cfg, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs), CIKey: json.RawMessage(ci)}), ".")
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, p.String())
	}
	return cfg, msgs
}

func TestCISection(t *testing.T) {
	cfg, problems := parseWithCI(t, `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "prod"],
		"oidcProviderArns": {"333333333333": "arn:aws-cn:iam::333333333333:oidc-provider/token.actions.githubusercontent.com"}}`)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	if cfg.CI == nil || cfg.CI.Repository != "acme/app-links" || strings.Join(cfg.CI.Promotion, ",") != "dev,prod" ||
		cfg.CI.OIDCProviderARNs["333333333333"] == "" {
		t.Errorf("%+v", cfg.CI)
	}
	if cfg, _ := parse(t, `{"dev": {"account": "111111111111", "region": "eu-west-1"}}`); cfg.CI != nil {
		t.Error("CI without a section")
	}
}

// The CI stack of an account is in its partition's IAM region unless
// "stackRegions" names another, whatever its environments are.
func TestCIStackRegion(t *testing.T) {
	cfg, problems := parseWithCI(t, `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "prod"]}`)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	for account, want := range map[string]string{"111111111111": "us-east-1", "333333333333": "cn-north-1", "999999999999": ""} {
		if got := cfg.CIStackRegion(account); got != want {
			t.Errorf("CIStackRegion(%s) = %q, want %q", account, got, want)
		}
	}
	cfg, problems = parseWithCI(t, `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "prod"],
		"stackRegions": {"111111111111": "eu-west-1", "333333333333": "cn-northwest-1"}}`)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	if got := cfg.CIStackRegion("111111111111") + " " + cfg.CIStackRegion("333333333333"); got != "eu-west-1 cn-northwest-1" {
		t.Errorf("overridden regions: %s", got)
	}
}

func TestCISectionProblems(t *testing.T) {
	ci := `context["wellknown:ci"]`
	for name, tc := range map[string]struct{ section, want string }{
		"repository shape":    {`{"github": {"repository": "acme"}, "promotion": ["dev", "prod"]}`, ci + `.github.repository: "acme" is not a GitHub repository`},
		"repository missing":  {`{"github": {}, "promotion": ["dev", "prod"]}`, ci + `.github.repository: is required — add "repository": "acme/app-links"`},
		"environment missing": {`{"github": {"repository": "a/b"}, "promotion": ["prod"]}`, ci + `.promotion: does not list "dev"`},
		"unknown environment": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod", "qa"]}`, ci + `.promotion[2]: "qa" is not an environment — environments: dev, prod`},
		"listed twice":        {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod", "dev"]}`, ci + `.promotion[2]: "dev" is listed twice`},
		"not a name":          {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod", null]}`, ci + `.promotion[2]: must be an environment name, got null`},
		"unknown account": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "oidcProviderArns": {"999999999999": "x"}}`,
			ci + `.oidcProviderArns["999999999999"]: account "999999999999" is not used by any environment`},
		"wrong partition": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "oidcProviderArns": {"333333333333": "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com"}}`,
			ci + `.oidcProviderArns["333333333333"]: "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com" is not the GitHub OIDC provider of account 333333333333 — write "333333333333": "arn:aws-cn:iam::333333333333:oidc-provider/token.actions.githubusercontent.com"`},
		"unknown key": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "promote": []}`, ci + `.promote: unknown setting "promote"`},
		"stack region of an unknown account": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "stackRegions": {"999999999999": "eu-west-1"}}`,
			ci + `.stackRegions["999999999999"]: account "999999999999" is not used by any environment — remove it, or fix the account ID`},
		"stack region null": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "stackRegions": {"111111111111": null}}`,
			ci + `.stackRegions["111111111111"]: must be a region code, got null — write "111111111111": "us-east-1", or remove it to get the default (us-east-1)`},
		"stack region unknown": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "stackRegions": {"111111111111": "eu-west-9"}}`,
			ci + `.stackRegions["111111111111"]: "eu-west-9" is not an AWS region code — write a region of aws, e.g. "111111111111": "us-east-1"`},
		"stack region isolated": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "stackRegions": {"111111111111": "us-iso-east-1"}}`,
			ci + `.stackRegions["111111111111"]: "us-iso-east-1" is in an isolated partition`},
		"stack region of another partition": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "stackRegions": {"333333333333": "eu-west-1"}}`,
			ci + `.stackRegions["333333333333"]: "eu-west-1" is in partition aws, but account 333333333333's environments are in aws-cn — write a region of aws-cn, e.g. "333333333333": "cn-north-1"`},
		"stack regions not an object": {`{"github": {"repository": "a/b"}, "promotion": ["dev", "prod"], "stackRegions": ["eu-west-1"]}`,
			ci + `.stackRegions: must be an object, got an array — write "stackRegions": {"111111111111": "eu-west-1"}`},
		"null section": {`null`, ci + `: must be an object, got null`},
	} {
		t.Run(name, func(t *testing.T) {
			_, problems := parseWithCI(t, tc.section)
			if joined := strings.Join(problems, "\n"); !strings.Contains(joined, "cdk.json: "+tc.want) {
				t.Errorf("problems lack %q:\n%s", tc.want, joined)
			}
		})
	}
}

func TestUnknownSection(t *testing.T) {
	_, problems := Parse(NewContext(map[string]json.RawMessage{
		ContextKey:              json.RawMessage(`{"dev": {"account": "111111111111", "region": "eu-west-1"}}`),
		"wellknown:enviroments": json.RawMessage(`{}`),
	}), ".")
	if len(problems) != 1 || !strings.Contains(problems[0].String(), `context["wellknown:enviroments"]: unknown section "wellknown:enviroments"`) {
		t.Errorf("%v", problems)
	}
}

func TestDomain(t *testing.T) {
	cfg, problems := parse(t, `{"prod": {"account": "333333333333", "region": "eu-west-1", "domain": {"name": "links.acme.com",
		"hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com", "keepS3Public": true, "priceClass": "All"}}}`)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	e := cfg.Environments[0]
	want := Domain{Name: "links.acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com", KeepS3Public: true, PriceClass: "All"}
	if e.Domain == nil || *e.Domain != want {
		t.Fatalf("%+v", e.Domain)
	}
	if e.RedirectURL() != "https://links.acme.com/" || e.S3URL() != "https://wellknown-prod-333333333333-eu-west-1.s3.eu-west-1.amazonaws.com/" || !e.PublicS3() {
		t.Errorf("%s %s %v", e.RedirectURL(), e.S3URL(), e.PublicS3())
	}
}

func TestDomainProblems(t *testing.T) {
	d := `context["wellknown:environments"].prod.domain`
	long := strings.Repeat("a", 58) + ".links.acme.com"
	cert := "arn:aws:acm:us-east-1:333333333333:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	for name, tc := range map[string]struct{ region, domain, want string }{
		"no certificate source": {"eu-west-1", `{"name": "links.acme.com"}`, d + `: no certificate`},
		"uppercase":             {"eu-west-1", `{"name": "Links.acme.com", "certificateArn": "` + cert + `"}`, d + `.name: "Links.acme.com" has uppercase letters`},
		"single label":          {"eu-west-1", `{"name": "links", "certificateArn": "` + cert + `"}`, d + `.name: "links" is not a fully qualified host name`},
		"AWS-owned":             {"eu-west-1", `{"name": "x.cloudfront.net", "certificateArn": "` + cert + `"}`, d + `.name: "x.cloudfront.net" is under cloudfront.net, which AWS owns`},
		"outside the zone":      {"eu-west-1", `{"name": "links.acme.com", "hostedZoneId": "Z1", "hostedZoneName": "other.com"}`, d + `.name: "links.acme.com" is not inside the hosted zone "other.com"`},
		"zone half given":       {"eu-west-1", `{"name": "links.acme.com", "hostedZoneId": "Z1"}`, d + `: hostedZoneId and hostedZoneName go together`},
		"bad zone ID":           {"eu-west-1", `{"name": "links.acme.com", "hostedZoneId": "abc", "hostedZoneName": "acme.com"}`, d + `.hostedZoneId: "abc" is not a Route 53 hosted zone ID`},
		"certificate region":    {"eu-west-1", `{"name": "links.acme.com", "certificateArn": "arn:aws:acm:eu-west-1:333333333333:certificate/abc"}`, d + `.certificateArn: the certificate is in eu-west-1; CloudFront takes certificates only from us-east-1`},
		"not an ARN":            {"eu-west-1", `{"name": "links.acme.com", "certificateArn": "abc"}`, d + `.certificateArn: "abc" is not an ACM certificate ARN`},
		"price class":           {"eu-west-1", `{"name": "links.acme.com", "certificateArn": "` + cert + `", "priceClass": "300"}`, d + `.priceClass: "300" is not a CloudFront price class`},
		"China":                 {"cn-north-1", `{"name": "links.acme.com", "certificateArn": "` + cert + `"}`, d + `: custom domains are served by CloudFront with an ACM certificate, which this project supports only in the aws partition, not aws-cn`},
		"GovCloud":              {"us-gov-west-1", `{"name": "links.acme.com", "certificateArn": "` + cert + `"}`, d + `: custom domains are served by CloudFront`},
		"IP address":            {"eu-west-1", `{"name": "123.45.67.89", "certificateArn": "` + cert + `"}`, d + `.name: "123.45.67.89" is an IP address, not a host name: its last label "89" is all digits`},
		"too long to certify": {"eu-west-1", `{"name": "` + long + `", "hostedZoneId": "Z1", "hostedZoneName": "acme.com"}`,
			d + `.name: "` + long + `" is 73 characters long; ACM issues certificates for names of at most 64 (the certificate's common name) — use a shorter host, or give certificateArn`},
		"certificate of another account": {"eu-west-1", `{"name": "links.acme.com", "certificateArn": "arn:aws:acm:us-east-1:999999999999:certificate/abc"}`,
			d + `.certificateArn: the certificate belongs to account 999999999999; CloudFront uses only certificates of the distribution's account, 333333333333`},
	} {
		t.Run(name, func(t *testing.T) {
			_, problems := parse(t, `{"prod": {"account": "333333333333", "region": "`+tc.region+`", "domain": `+tc.domain+`}}`)
			if joined := strings.Join(problems, "\n"); !strings.Contains(joined, "cdk.json: "+tc.want) {
				t.Errorf("problems lack %q:\n%s", tc.want, joined)
			}
		})
	}
	_, problems := parse(t, `{"a": {"account": "333333333333", "region": "eu-west-1", "domain": {"name": "links.acme.com", "certificateArn": "`+cert+`"}},
		"b": {"account": "333333333333", "region": "eu-west-2", "domain": {"name": "links.acme.com", "certificateArn": "`+cert+`"}}}`)
	if joined := strings.Join(problems, "\n"); !strings.Contains(joined, `.b.domain.name: host "links.acme.com" is also the domain of environment "a"`) {
		t.Errorf("duplicate host not reported:\n%s", joined)
	}
}

// A long name is fine when the certificate is given (a wildcard may cover
// it); one wrong value is one problem, never a second derived from it.
func TestDomainOneProblemPerValue(t *testing.T) {
	cert := "arn:aws:acm:us-east-1:333333333333:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	long := strings.Repeat("a", 58) + ".links.acme.com"
	if _, problems := parse(t, `{"prod": {"account": "333333333333", "region": "eu-west-1", "domain": {"name": "`+long+`", "certificateArn": "`+cert+`"}}}`); len(problems) != 0 {
		t.Errorf("long name with a certificate: %v", problems)
	}
	for _, name := range []string{"Links.acme.com", "links.acme.com.", "10.0.0.1", "x.amazonaws.com"} {
		_, problems := parse(t, `{"prod": {"account": "333333333333", "region": "eu-west-1", "domain": {"name": "`+name+`", "hostedZoneId": "Z1", "hostedZoneName": "acme.com"}}}`)
		if len(problems) != 1 || !strings.Contains(problems[0], `.domain.name: "`+name+`"`) {
			t.Errorf("%s: want one problem on name, got %v", name, problems)
		}
	}
}

// Environments that share a hosted zone agree on its name and account.
func TestSharedHostedZone(t *testing.T) {
	env := func(name, account, host, zoneName string) string {
		return `"` + name + `": {"account": "` + account + `", "region": "eu-west-1", "domain": {"name": "` + host + `", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "` + zoneName + `"}}`
	}
	for name, tc := range map[string]struct{ envs, want string }{
		"same zone, same account": {env("a", "333333333333", "a.acme.com", "acme.com") + ", " + env("b", "333333333333", "b.acme.com", "acme.com"), ""},
		"two names": {env("a", "333333333333", "a.acme.com", "acme.com") + ", " + env("b", "333333333333", "b.other.com", "other.com"),
			`.b.domain.hostedZoneName: hosted zone Z0123456789ABCDEFGHIJ is "acme.com" in environment "a", not "other.com"; one of them is wrong`},
		"two accounts": {env("a", "333333333333", "a.acme.com", "acme.com") + ", " + env("b", "444444444444", "b.acme.com", "acme.com"),
			`.b.domain.hostedZoneId: hosted zone Z0123456789ABCDEFGHIJ is also used by environment "a" in account 333333333333; a zone belongs to one account, and this environment deploys to 444444444444`},
	} {
		t.Run(name, func(t *testing.T) {
			_, problems := parse(t, "{"+tc.envs+"}")
			joined := strings.Join(problems, "\n")
			if (tc.want == "") != (len(problems) == 0) || !strings.Contains(joined, tc.want) {
				t.Errorf("problems %q, want %q", joined, tc.want)
			}
		})
	}
}

func parseWithPipeline(t *testing.T, section string) (Config, []string) {
	t.Helper()
	envs := `{"dev": {"account": "111111111111", "region": "eu-west-1"}, "prod": {"account": "333333333333", "region": "us-east-1"}}`
	cfg, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs), PipelineKey: json.RawMessage(section)}), ".")
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, p.String())
	}
	return cfg, msgs
}

const connection = "arn:aws:codeconnections:eu-west-1:999999999999:connection/0f0e0d0c-0b0a-0908-0706-050403020100"

// Any host CodeConnections supports: GitLab's subgroups and names GitHub
// would not allow are repository paths too.
func TestPipelineRepositoryHosts(t *testing.T) {
	for _, repo := range []string{"acme/platform/app-links", "acme_corp/app-links", "acme.corp/links"} {
		_, problems := parseWithPipeline(t, `{"account": "999999999999", "region": "eu-west-1",
		"source": {"connectionArn": "`+connection+`", "repository": "`+repo+`"}, "waves": [["dev"], ["prod"]]}`)
		if len(problems) != 0 {
			t.Errorf("%s: %v", repo, problems)
		}
	}
}

func TestPipelineSection(t *testing.T) {
	cfg, problems := parseWithPipeline(t, `{"account": "999999999999", "region": "eu-west-1",
		"source": {"connectionArn": "`+connection+`", "repository": "acme/app-links"},
		"waves": [["dev"], ["prod"]], "approvalBefore": ["prod"]}`)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	p := cfg.Pipeline
	if p == nil || p.Account != "999999999999" || p.Branch != "main" || len(p.Waves) != 2 || p.Waves[1][0] != "prod" || p.ApprovalBefore[0] != "prod" || p.ConnectionARN != connection {
		t.Errorf("%+v", p)
	}
}

func TestPipelineSectionProblems(t *testing.T) {
	pl := `context["wellknown:pipeline"]`
	base := func(waves, extra string) string {
		return `{"account": "999999999999", "region": "eu-west-1", "source": {"connectionArn": "` + connection + `", "repository": "acme/app-links"}, "waves": ` + waves + extra + `}`
	}
	for name, tc := range map[string]struct{ section, want string }{
		"env in two waves":  {base(`[["dev"], ["prod", "dev"]]`, ""), pl + `.waves[1][1]: "dev" is in more than one wave`},
		"env in no wave":    {base(`[["dev"]]`, ""), pl + `.waves: no wave deploys "prod"`},
		"unknown env":       {base(`[["dev"], ["prod"], ["qa"]]`, ""), pl + `.waves[2][0]: "qa" is not an environment`},
		"empty wave":        {base(`[["dev"], [], ["prod"]]`, ""), pl + `.waves[1]: must be a non-empty array of environment names`},
		"wave not an array": {base(`[["dev"], "prod"]`, ""), pl + `.waves[1]: must be a non-empty array of environment names, got "prod"`},
		"approval unknown":  {base(`[["dev"], ["prod"]]`, `, "approvalBefore": ["qa"]`), pl + `.approvalBefore[0]: "qa" is not an environment`},
		"bad connection":    {strings.Replace(base(`[["dev"], ["prod"]]`, ""), connection, "arn:aws:s3:::x", 1), pl + `.source.connectionArn: "arn:aws:s3:::x" is not a CodeConnections connection ARN`},
		"connection elsewhere": {strings.Replace(base(`[["dev"], ["prod"]]`, ""), connection, "arn:aws:codeconnections:us-east-1:999999999999:connection/abc", 1),
			pl + `.source.connectionArn: the connection is in us-east-1, the pipeline in eu-west-1`},
		"connection of another account": {strings.Replace(base(`[["dev"], ["prod"]]`, ""), connection, "arn:aws:codestar-connections:eu-west-1:888888888888:connection/abc", 1),
			pl + `.source.connectionArn: the connection belongs to account 888888888888, not to the tooling account 999999999999`},
		"connection in China": {strings.Replace(base(`[["dev"], ["prod"]]`, ""), connection, "arn:aws-cn:codestar-connections:cn-north-1:999999999999:connection/abc", 1),
			pl + `.source.connectionArn: the connection is in partition aws-cn, the pipeline in aws (eu-west-1)`},
		"repository not a path": {strings.Replace(base(`[["dev"], ["prod"]]`, ""), `"acme/app-links"`, `"app-links"`, 1),
			pl + `.source.repository: "app-links" is not a repository path`},
		"bad account":         {strings.Replace(base(`[["dev"], ["prod"]]`, ""), `"999999999999", "region"`, `"9", "region"`, 1), pl + `.account: "9" is not an AWS account ID`},
		"unknown key":         {base(`[["dev"], ["prod"]]`, `, "stages": []`), pl + `.stages: unknown setting "stages"`},
		"source missing":      {`{"account": "999999999999", "region": "eu-west-1", "waves": [["dev"], ["prod"]]}`, pl + `.source: is required`},
		"approval twice":      {base(`[["dev"], ["prod"]]`, `, "approvalBefore": ["prod", "prod"]`), pl + `.approvalBefore[1]: "prod" is listed twice — list each environment once`},
		"approval not a name": {base(`[["dev"], ["prod"]]`, `, "approvalBefore": [1]`), pl + `.approvalBefore[0]: must be an environment name, got 1 — write the names as strings, e.g. "approvalBefore": ["prod"]`},
		"other partition": {strings.Replace(base(`[["dev"], ["prod"]]`, ""), `"region": "eu-west-1"`, `"region": "cn-north-1"`, 1),
			pl + `.region: "cn-north-1" is in partition aws-cn, but the pipeline cannot deploy across partitions to dev (eu-west-1, partition aws), prod (us-east-1, partition aws)`},
	} {
		t.Run(name, func(t *testing.T) {
			_, problems := parseWithPipeline(t, tc.section)
			if joined := strings.Join(problems, "\n"); !strings.Contains(joined, "cdk.json: "+tc.want) {
				t.Errorf("problems lack %q:\n%s", tc.want, joined)
			}
		})
	}
}

// Every optional section's example is valid for the example environments,
// so the tests that break one setting at a time start from a valid section.
func TestSectionExamplesAreValid(t *testing.T) {
	envs := `{"dev": {"account": "111111111111", "region": "eu-west-1"}, "staging": {"account": "222222222222", "region": "eu-central-1"}, "prod": {"account": "333333333333", "region": "us-east-1"}}`
	for _, s := range Sections {
		if s.PerEnvironment {
			continue
		}
		_, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs), s.Key: json.RawMessage(s.Example)}), ".")
		if len(ps) != 0 {
			t.Errorf("%s example: %v", s.Key, ps)
		}
	}
}

// An account's CI roles stack holds all its environments' roles, so they
// must share the account's one partition.
func TestCIAccountInTwoPartitions(t *testing.T) {
	envs := `{"dev": {"account": "111111111111", "region": "eu-west-1"}, "china": {"account": "111111111111", "region": "cn-north-1"}}`
	ci := `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "china"]}`
	_, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs), CIKey: json.RawMessage(ci)}), ".")
	want := `cdk.json: context["wellknown:environments"].dev.region: "eu-west-1" is in partition aws, but environment "china" of the same account 111111111111 is in aws-cn (cn-north-1)`
	if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), want) || !strings.Contains(ps[0].Fix, "use a region of aws-cn, or the account ID of the aws account") {
		t.Errorf("want one problem %q, got %v", want, ps)
	}
	// Without CI the stacks are per environment and nothing collides.
	if _, ps := parse(t, envs); len(ps) != 0 {
		t.Errorf("without CI: %v", ps)
	}
}

// A key written twice under "stackRegions" is an error like any other
// duplicate in the project's sections.
func TestCIStackRegionsDuplicate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cdk.json")
	os.WriteFile(path, []byte(`{"context": {
  "wellknown:environments": {"dev": {"account": "111111111111", "region": "eu-west-1"}},
  "wellknown:ci": {"github": {"repository": "acme/app-links"}, "promotion": ["dev"],
    "stackRegions": {"111111111111": "eu-west-1",
      "111111111111": "us-east-1"}}}}`), 0o644)
	ctx, err := ReadCDKJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	_, ps := Parse(ctx, ".")
	want := `cdk.json: context["wellknown:ci"].stackRegions["111111111111"]: duplicate key "111111111111" (line 5)`
	if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), want) {
		t.Errorf("want %q, got %v", want, ps)
	}
}

// With "wellknown:ci" an environment's name also names its CI roles and
// bounds the names CloudFormation generates that wellknown-cfn-exec
// scopes: the limits are reported at the name in cdk.json, with a fix.
func TestCIEnvironmentNames(t *testing.T) {
	if MaxGeneratedStackName != 42 || MaxCIEnvName != 32 {
		t.Fatalf("MaxGeneratedStackName %d, MaxCIEnvName %d: the README says 32", MaxGeneratedStackName, MaxCIEnvName)
	}
	longest, over, overIAM := strings.Repeat("p", 32), strings.Repeat("p", 33), strings.Repeat("p", 48)
	parseNames := func(ci bool, names map[string]string) []string {
		t.Helper()
		envs := map[string]map[string]string{}
		var promotion []string
		for name, account := range names {
			// An explicit bucket name: the default would be too long.
			envs[name] = map[string]string{"account": account, "region": "eu-west-1", "bucketName": fmt.Sprintf("acme-links-%d-%s", len(name), strings.ReplaceAll(name, "-", ""))}
			promotion = append(promotion, name)
		}
		raw, _ := json.Marshal(envs)
		values := map[string]json.RawMessage{ContextKey: raw}
		if ci {
			p, _ := json.Marshal(promotion)
			values[CIKey] = json.RawMessage(`{"github": {"repository": "acme/app-links"}, "promotion": ` + string(p) + `}`)
		}
		_, ps := Parse(NewContext(values), ".")
		var out []string
		for _, p := range ps {
			out = append(out, p.String())
		}
		return out
	}
	env := `cdk.json: context["wellknown:environments"].`
	for _, tc := range []struct {
		name  string
		names map[string]string
		want  []string // one problem each, in order
	}{
		{"longest", map[string]string{longest: "111111111111"}, nil},
		{"one over", map[string]string{over: "111111111111"}, []string{env + over + `: environment name "` + over + `" is 33 characters long, over the 32 that "wellknown:ci" allows: CloudFormation would shorten the names it generates for WellKnown-` + over + `'s resources so much that the CI roles stack's execution policy could not scope them (stack names of at most 42 characters) — rename the environment to at most 32 characters`}},
		{"over IAM's role name limit", map[string]string{overIAM: "111111111111"}, []string{env + overIAM + `: environment name "` + overIAM + `" is 48 characters long, over the 32 that "wellknown:ci" allows: CloudFormation would shorten`,
			`, and the role name wellknown-deploy-` + overIAM + ` would exceed IAM's 64 characters — rename`}},
		{"outputs collide", map[string]string{"a-1": "111111111111", "a1": "111111111111"}, []string{env + `a1: "a-1" and "a1" of account 111111111111 would give WellKnownCI-111111111111 the same role outputs (DeployRoleArnA1): the names differ only in their hyphens — rename one of the two environments`}},
		{"outputs of two accounts", map[string]string{"a-1": "111111111111", "a1": "222222222222"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseNames(true, tc.names)
			if len(got) != min(len(tc.want), 1) || (len(tc.want) > 0 && !containsAll(got[0], tc.want)) {
				t.Errorf("problems %q, want one with %q", got, tc.want)
			}
			if without := parseNames(false, tc.names); len(without) != 0 {
				t.Errorf("without CI: %q", without)
			}
		})
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// A wrong type in one domain setting does not hide the problems of the
// others: one run reports them all, each once.
func TestDomainReportsEveryValue(t *testing.T) {
	_, problems := parse(t, `{"prod": {"account": "333333333333", "region": "eu-west-1", "domain": {"name": "Links.acme.com",
		"certificateArn": "arn:aws:acm:eu-west-1:999999999999:certificate/x", "hostedZoneId": "bad", "keepS3Public": null}}}`)
	joined := strings.Join(problems, "\n")
	for _, want := range []string{".domain.keepS3Public: must be", ".domain.name: \"Links.acme.com\"", ".domain.certificateArn: ", ".domain.hostedZoneId: \"bad\"", ".domain: hostedZoneId and hostedZoneName go together"} {
		if strings.Count(joined, want) != 1 {
			t.Errorf("want %q once in:\n%s", want, joined)
		}
	}
	if len(problems) != 5 {
		t.Errorf("want 5 problems, got %d:\n%s", len(problems), joined)
	}
	// A certificateArn of the wrong type is its own problem, not also "no
	// certificate".
	_, problems = parse(t, `{"prod": {"account": "333333333333", "region": "eu-west-1", "domain": {"name": "links.acme.com", "certificateArn": null}}}`)
	if len(problems) != 1 || !strings.Contains(problems[0], ".domain.certificateArn: must be a string, got null") {
		t.Errorf("want one problem on certificateArn, got %v", problems)
	}
}

// One wrong value, one problem: a pipeline region in the wrong partition
// is not reported again at the connection (which is in the right one),
// nor a name CI refuses again by the pipeline's limit.
func TestPipelineOneProblemPerValue(t *testing.T) {
	_, problems := parseWithPipeline(t, `{"account": "999999999999", "region": "cn-north-1",
		"source": {"connectionArn": "`+connection+`", "repository": "acme/app-links"}, "waves": [["dev"], ["prod"]]}`)
	if len(problems) != 1 || !strings.Contains(problems[0], `context["wellknown:pipeline"].region: "cn-north-1" is in partition aws-cn`) {
		t.Errorf("want one problem at the region, got %v", problems)
	}
	name := "e" + strings.Repeat("x", 100)
	envs := `{"` + name + `": {"account": "111111111111", "region": "eu-west-1", "bucketName": "acme-links-long"}}`
	ci := `{"github": {"repository": "acme/app-links"}, "promotion": ["` + name + `"]}`
	pipeline := `{"account": "999999999999", "region": "eu-west-1", "source": {"connectionArn": "` + connection + `", "repository": "acme/app-links"}, "waves": [["` + name + `"]]}`
	_, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs), CIKey: json.RawMessage(ci), PipelineKey: json.RawMessage(pipeline)}), ".")
	if len(ps) != 1 || !strings.Contains(ps[0].String(), `that "wellknown:ci" allows`) {
		t.Errorf("want one problem, CI's, at the name; got %v", ps)
	}
}

// A pipeline deploys each environment as a CodePipeline stage of its name,
// which ends at 100 characters: a longer name is reported at its key.
func TestPipelineEnvNameLength(t *testing.T) {
	for _, n := range []int{100, 101} {
		name := "e" + strings.Repeat("x", n-1)
		envs := `{"` + name + `": {"account": "111111111111", "region": "eu-west-1", "bucketName": "acme-links-long"}}`
		pipeline := `{"account": "999999999999", "region": "eu-west-1", "source": {"connectionArn": "` + connection + `", "repository": "acme/app-links"}, "waves": [["` + name + `"]]}`
		_, ps := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs), PipelineKey: json.RawMessage(pipeline)}), ".")
		var msgs []string
		for _, p := range ps {
			msgs = append(msgs, p.String())
		}
		want := fmt.Sprintf(`cdk.json: context["wellknown:environments"].%s: environment name %q is 101 characters long, over the 100 that "wellknown:pipeline" allows`, name, name)
		switch {
		case n == 100 && len(ps) != 0:
			t.Errorf("100 characters: %v", msgs)
		case n == 101 && (len(ps) != 1 || !strings.HasPrefix(msgs[0], want)):
			t.Errorf("101 characters: want %q, got %v", want, msgs)
		}
	}
}
