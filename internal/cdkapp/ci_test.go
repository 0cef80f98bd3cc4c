package cdkapp

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/stacks"
)

// The CI roles stack learns from cdk.json where an environment's stacks go
// and what its domain creates.
func TestCIEnvironment(t *testing.T) {
	zone := config.Domain{Name: "links.acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com"}
	given := config.Domain{Name: "links.acme.com", CertificateARN: "arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}
	env := func(region string, d *config.Domain, logs bool) config.Environment {
		return config.Environment{Name: "web", Account: "111111111111", Region: region, BucketName: "acme-links-web", AccessLogs: logs, Domain: d}
	}
	base := stacks.CIEnvironment{Name: "web", BucketName: "acme-links-web"}
	for name, tc := range map[string]struct {
		env  config.Environment
		want stacks.CIEnvironment
	}{
		"no domain": {env("eu-west-1", nil, true), with(base, "eu-west-1", "", nil)},
		"created certificate outside us-east-1": {env("eu-west-1", &zone, true),
			with(base, "eu-west-1", "us-east-1", &stacks.CIDomain{HostedZoneID: zone.HostedZoneID, CreatesCertificate: true, AccessLogs: true})},
		"created certificate in us-east-1": {env("us-east-1", &zone, false),
			with(base, "us-east-1", "", &stacks.CIDomain{HostedZoneID: zone.HostedZoneID, CreatesCertificate: true})},
		"given certificate": {env("eu-west-1", &given, true),
			with(base, "eu-west-1", "", &stacks.CIDomain{AccessLogs: true})},
	} {
		if got := ciEnvironment(tc.env); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v (domain %+v), want %+v (domain %+v)", name, got, got.Domain, tc.want, tc.want.Domain)
		}
	}
}

func with(e stacks.CIEnvironment, region, certRegion string, d *stacks.CIDomain) stacks.CIEnvironment {
	e.Region, e.CertificateRegion, e.Domain = region, certRegion, d
	return e
}

// A CI stack holds global IAM resources with fixed names, so its region
// must not follow the environments: reordering the promotion or adding
// environments (in other regions, or ahead of the others) leaves every
// WellKnownCI-<account> where it was, in manifest.json; only
// "stackRegions" moves one.
func TestCIStackRegionIsStable(t *testing.T) {
	base := testContext(t)
	envs := map[string]interface{}{}
	raw, _ := base.Value(config.ContextKey)
	if err := json.Unmarshal(raw, &envs); err != nil {
		t.Fatal(err)
	}
	withEnvs := func(ctx config.Context, extra map[string]interface{}) config.Context {
		all := maps.Clone(envs)
		maps.Copy(all, extra)
		b, _ := json.Marshal(all)
		return ctx.With(config.ContextKey, b)
	}
	withCI := func(ctx config.Context, ci string) config.Context { return ctx.With(config.CIKey, json.RawMessage(ci)) }
	example := map[string]string{"111111111111": "us-east-1", "222222222222": "us-east-1", "333333333333": "us-east-1"}
	for _, tc := range []struct {
		name string
		ctx  config.Context
		want map[string]string
	}{
		{"example", base, example},
		{"promotion reordered", withCI(base, `{"github": {"repository": "acme/app-links"}, "promotion": ["prod", "staging", "dev"]}`), example},
		{"environments added first", withCI(withEnvs(base, map[string]interface{}{
			"qa":    map[string]string{"account": "111111111111", "region": "ap-south-1"},
			"china": map[string]string{"account": "444444444444", "region": "cn-northwest-1"},
		}), `{"github": {"repository": "acme/app-links"}, "promotion": ["qa", "china", "dev", "staging", "prod"]}`),
			map[string]string{"111111111111": "us-east-1", "222222222222": "us-east-1", "333333333333": "us-east-1", "444444444444": "cn-north-1"}},
		{"stackRegions", withCI(base, `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "staging", "prod"], "stackRegions": {"111111111111": "eu-west-1"}}`),
			map[string]string{"111111111111": "eu-west-1", "222222222222": "us-east-1", "333333333333": "us-east-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ps := config.Parse(tc.ctx, filepath.Join("..", ".."))
			if diag.HasErrors(ps) {
				t.Fatal(ps)
			}
			outdir := filepath.Join(t.TempDir(), "cdk.out")
			err := Synth(tc.ctx, outdir, func(app awscdk.App) error {
				_, err := AddCIStacks(app, cfg)
				return err
			}, noExit(t))
			if err != nil {
				t.Fatal(err)
			}
			got := ciStackRegions(t, outdir)
			if !maps.Equal(got, tc.want) {
				t.Errorf("CI stacks in %v, want %v", got, tc.want)
			}
			// China's tokens carry China's audience.
			if _, ok := tc.want["444444444444"]; ok {
				raw, err := os.ReadFile(filepath.Join(outdir, "WellKnownCI-444444444444.template.json"))
				if err != nil {
					t.Fatal(err)
				}
				var tmpl map[string]interface{}
				json.Unmarshal(raw, &tmpl)
				assertions.Template_FromJSON(&tmpl, nil).HasResourceProperties(jsii.String("AWS::IAM::OIDCProvider"),
					map[string]interface{}{"ClientIdList": []interface{}{"sts.amazonaws.com.cn"}})
			}
		})
	}
}

// ciStackRegions reads the region of each WellKnownCI-<account> stack
// from manifest.json, by account.
func ciStackRegions(t *testing.T, outdir string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]struct{ Type, Environment string }
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, a := range m.Artifacts {
		account, ok := strings.CutPrefix(name, "WellKnownCI-")
		if !ok || a.Type != "aws:cloudformation:stack" {
			continue
		}
		env, ok := strings.CutPrefix(a.Environment, "aws://"+account+"/")
		if !ok {
			t.Errorf("%s is in %s", name, a.Environment)
		}
		out[account] = env
	}
	return out
}

// The README's commands that deploy a CI stack name the region the app
// puts it in, for the example's accounts.
func TestREADMECIStackRegions(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, ps := config.Parse(testContext(t), filepath.Join("..", ".."))
	if diag.HasErrors(ps) {
		t.Fatal(ps)
	}
	commands := regexp.MustCompile(`--stack-name (WellKnownCI-([0-9]{12})) --region ([a-z0-9-]+)`).FindAllStringSubmatch(string(readme), -1)
	if len(commands) == 0 {
		t.Fatal("the README has no aws cloudformation deploy of a CI stack")
	}
	for _, m := range commands {
		if want := cfg.CIStackRegion(m[2]); m[3] != want {
			t.Errorf("the README deploys %s in %s; the app synthesizes it for %s", m[1], m[3], want)
		}
	}
	for _, m := range regexp.MustCompile(`npx cdk deploy (WellKnownCI-([0-9]{12}))\s.*\(([a-z0-9-]+) here\)`).FindAllStringSubmatch(string(readme), -1) {
		if want := cfg.CIStackRegion(m[2]); m[3] != want {
			t.Errorf("the README deploys %s in %s; the app synthesizes it for %s", m[1], m[3], want)
		}
	}
}

// An account whose environments outgrow the managed policy's limit is
// reported in cdk.json's terms: the section, the account and its
// environments, and what to change there.
func TestCIPolicyTooLargeNamesTheAccount(t *testing.T) {
	envs := map[string]map[string]string{}
	var names []string
	for i := range 8 {
		name := "envname" + string(rune('a'+i))
		envs[name] = map[string]string{"account": "111111111111", "region": "eu-west-1"}
		names = append(names, name)
	}
	rawEnvs, _ := json.Marshal(envs)
	rawCI, _ := json.Marshal(map[string]any{"github": map[string]string{"repository": "acme/app-links"}, "promotion": names})
	ctx := testContext(t).With(config.ContextKey, rawEnvs).With(config.CIKey, rawCI)
	cfg, ps := config.Parse(ctx, filepath.Join("..", ".."))
	if diag.HasErrors(ps) {
		t.Fatal(ps)
	}
	_, err := AddCIStacks(awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())}), cfg)
	want := regexp.MustCompile(`^cdk\.json: context\["wellknown:ci"\]: account 111111111111 \(envnamea, envnameb, .*envnameh\): the wellknown-cfn-exec policy for 8 environments would be \d+ characters, over IAM's limit of 6144 for a managed policy — give the account fewer environments`)
	if err == nil || !want.MatchString(err.Error()) {
		t.Errorf("error %v, want it to match %s", err, want)
	}
}

// The pipeline's synth step hands on cdk.json's "output", so one CodeBuild
// cannot take (outside the checkout) is refused at that key, before any
// construct is made.
func TestPipelineRefusesAnOutputOutsideTheRepository(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "package-lock.json"} {
		data, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"app": "go run .", "output": "/tmp/assembly"}`), 0o644)
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	_, err := AddPipelineStack(app, config.Config{Pipeline: &config.Pipeline{Account: "999999999999", Region: "eu-west-1"}}, nil, dir)
	want := `cdk.json: "output": "/tmp/assembly": the synth step's output must be a directory inside the repository, written relative to it — with "wellknown:pipeline", write a relative directory such as "cdk.out"`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if n := len(*app.Node().Children()); n != 0 {
		t.Errorf("%d constructs made", n)
	}
}
