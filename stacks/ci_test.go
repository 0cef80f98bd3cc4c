package stacks_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/stacks"
)

const (
	ciRepo    = "acme/wellknown"
	ciAccount = "111111111111"
)

// ciProps is an account with two environments in two regions.
func ciProps() *stacks.WellKnownCIStackProps {
	return &stacks.WellKnownCIStackProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(ciAccount), Region: jsii.String("eu-west-1")}},
		Repository: ciRepo,
		Environments: []stacks.CIEnvironment{
			{Name: "dev", Region: "eu-west-1", BucketName: "wellknown-dev-111111111111-eu-west-1"},
			{Name: "qa", Region: "eu-central-1", BucketName: "acme-links-qa"},
		},
	}
}

const testZoneID = "Z0123456789ABCDEFGHIJ"

// ciDomainProps is an account with custom domains: web outside us-east-1,
// whose created certificate is in WellKnownCert-web in us-east-1, and
// webeast in us-east-1 with CloudFront's access logs.
func ciDomainProps() *stacks.WellKnownCIStackProps {
	return &stacks.WellKnownCIStackProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(ciAccount), Region: jsii.String("eu-west-1")}},
		Repository: ciRepo,
		Environments: []stacks.CIEnvironment{
			{Name: "web", Region: "eu-west-1", BucketName: "acme-links-web", CertificateRegion: "us-east-1",
				Domain: &stacks.CIDomain{HostedZoneID: testZoneID, CreatesCertificate: true, AccessLogs: true}},
			{Name: "webeast", Region: "us-east-1", BucketName: "acme-links-webeast",
				Domain: &stacks.CIDomain{HostedZoneID: testZoneID, CreatesCertificate: true, AccessLogs: true}},
		},
	}
}

type ciSynth struct {
	tmpl   map[string]interface{}
	outdir string
}

var ciSynths = map[string]ciSynth{}

// synthCI synthesizes a CI stack the way the app synthesizes, cdk-nag and
// the policy rules included, once per key and test binary.
func synthCI(t *testing.T, key string, props *stacks.WellKnownCIStackProps) ciSynth {
	t.Helper()
	if s, ok := ciSynths[key]; ok {
		return s
	}
	ctx, _ := exampleTargets(t)
	name := ciroles.StackName(*props.Env.Account)
	outdir := filepath.Join(scratch, "ci-"+key)
	err := synthTo(t, ctx, outdir, func(app awscdk.App) error {
		_, err := stacks.NewWellKnownCIStack(app, name, props)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s := ciSynth{tmpl: readTemplate(t, outdir, name), outdir: outdir}
	ciSynths[key] = s
	return s
}

func readTemplate(t *testing.T, outdir, stackName string) map[string]interface{} {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(outdir, stackName+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// roleNamed returns the properties of the role with RoleName name.
func roleNamed(t *testing.T, tmpl map[string]interface{}, name string) map[string]interface{} {
	t.Helper()
	for _, r := range resourcesOfType(tmpl, "AWS::IAM::Role") {
		props := r["Properties"].(map[string]interface{})
		if props["RoleName"] == name {
			return props
		}
	}
	t.Fatalf("no role %s", name)
	return nil
}

func jsonOf(v interface{}) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCIRolesTrustExactlyOneSubject(t *testing.T) {
	for _, tc := range []struct {
		key      string
		existing bool
		props    func() *stacks.WellKnownCIStackProps
	}{{"created", false, ciProps}, {"imported", true, ciProps}, {"domain", false, ciDomainProps}} {
		t.Run(tc.key, func(t *testing.T) {
			props := tc.props()
			if tc.existing {
				props.ExistingOIDCProviderARN = ciroles.ProviderARN(ciAccount, "eu-west-1")
			}
			tmpl := synthCI(t, tc.key, props).tmpl
			providers := resourcesOfType(tmpl, "AWS::IAM::OIDCProvider")
			var federated interface{}
			if tc.existing {
				if len(providers) != 0 {
					t.Fatalf("an existing provider was given, but the stack creates %d", len(providers))
				}
				federated = ciroles.ProviderARN(ciAccount, "eu-west-1")
			} else {
				if len(providers) != 1 {
					t.Fatalf("%d OIDC providers, want 1", len(providers))
				}
				for id, p := range providers {
					props := p["Properties"].(map[string]interface{})
					if props["Url"] != "https://token.actions.githubusercontent.com" || jsonOf(props["ClientIdList"]) != `["sts.amazonaws.com"]` {
						t.Errorf("provider %s: %s", id, jsonOf(props))
					}
					if p["DeletionPolicy"] != "Retain" {
						t.Errorf("provider %s: DeletionPolicy %v, want Retain", id, p["DeletionPolicy"])
					}
					federated = map[string]interface{}{"Ref": id}
				}
			}
			if n := len(resourcesOfType(tmpl, "Custom::AWSCDKOpenIdConnectProvider")); n != 0 {
				t.Errorf("%d custom-resource OIDC providers; the native resource needs no Lambda", n)
			}
			for _, e := range props.Environments {
				for name, sub := range map[string]string{
					"wellknown-deploy-" + e.Name: "repo:acme/wellknown:environment:" + e.Name,
					"wellknown-diff-" + e.Name:   "repo:acme/wellknown:pull_request",
				} {
					role := roleNamed(t, tmpl, name)
					want := map[string]interface{}{
						"Version": "2012-10-17",
						"Statement": []interface{}{map[string]interface{}{
							"Action":    "sts:AssumeRoleWithWebIdentity",
							"Effect":    "Allow",
							"Principal": map[string]interface{}{"Federated": federated},
							"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{
								"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
								"token.actions.githubusercontent.com:sub": sub,
							}},
						}},
					}
					if got := role["AssumeRolePolicyDocument"]; !reflect.DeepEqual(normalize(got), normalize(want)) {
						t.Errorf("%s trust policy:\n got  %s\n want %s", name, jsonOf(got), jsonOf(want))
					}
					if role["MaxSessionDuration"] != float64(3600) {
						t.Errorf("%s: MaxSessionDuration %v, want 3600", name, role["MaxSessionDuration"])
					}
				}
			}
		})
	}
}

// normalize round-trips a value through JSON so that Go maps and slices
// compare like the template's.
func normalize(v interface{}) interface{} {
	var out interface{}
	json.Unmarshal([]byte(jsonOf(v)), &out)
	return out
}

// Each role may assume the CDK bootstrap roles of its environment's region
// and nothing else; an environment with a WellKnownCert-<env> stack, which
// `cdk deploy` and `cdk diff` of its stack select too, also those of
// us-east-1 (and only that one does).
func TestCIRolesOnlyAssumeBootstrapRoles(t *testing.T) {
	// mixed: the certificate-stack environment next to one without a
	// domain outside us-east-1, which must not reach us-east-1.
	mixed := ciDomainProps()
	mixed.Environments[1] = ciProps().Environments[1]
	for key, props := range map[string]*stacks.WellKnownCIStackProps{"created": ciProps(), "domain": ciDomainProps(), "mixed": mixed} {
		t.Run(key, func(t *testing.T) { checkCIRolesAssume(t, synthCI(t, key, props).tmpl, props) })
	}
}

func checkCIRolesAssume(t *testing.T, tmpl map[string]interface{}, props *stacks.WellKnownCIStackProps) {
	t.Helper()
	bootstrap := func(region, role string) string {
		return "arn:aws:iam::111111111111:role/cdk-hnb659fds-" + role + "-role-111111111111-" + region
	}
	for _, e := range props.Environments {
		want := map[string][]string{
			"wellknown-deploy-" + e.Name: {bootstrap(e.Region, "deploy"), bootstrap(e.Region, "file-publishing"), bootstrap(e.Region, "lookup")},
			"wellknown-diff-" + e.Name:   {bootstrap(e.Region, "lookup")},
		}
		if e.CertificateRegion != "" {
			deploy, diff := "wellknown-deploy-"+e.Name, "wellknown-diff-"+e.Name
			want[deploy] = append(want[deploy], bootstrap("us-east-1", "deploy"), bootstrap("us-east-1", "file-publishing"), bootstrap("us-east-1", "lookup"))
			want[diff] = append(want[diff], bootstrap("us-east-1", "lookup"))
		}
		for name, want := range want {
			role := roleNamed(t, tmpl, name)
			if role["ManagedPolicyArns"] != nil || role["PermissionsBoundary"] != nil {
				t.Errorf("%s has managed policies: %v", name, role["ManagedPolicyArns"])
			}
			var statements []interface{}
			for _, p := range asList(role["Policies"]) {
				statements = append(statements, asList(p.(map[string]interface{})["PolicyDocument"].(map[string]interface{})["Statement"])...)
			}
			if len(statements) != 1 {
				t.Fatalf("%s: %d statements, want one: %s", name, len(statements), jsonOf(statements))
			}
			st := statements[0].(map[string]interface{})
			var resources []string
			for _, r := range asList(st["Resource"]) {
				resources = append(resources, r.(string))
			}
			if st["Effect"] != "Allow" || jsonOf(asList(st["Action"])) != `["sts:AssumeRole"]` || st["Condition"] != nil ||
				st["NotAction"] != nil || st["NotResource"] != nil {
				t.Errorf("%s: statement %s, want Allow sts:AssumeRole only", name, jsonOf(st))
			}
			slices.Sort(resources)
			slices.Sort(want)
			if !slices.Equal(resources, want) {
				t.Errorf("%s may assume %v, want %v", name, resources, want)
			}
			if strings.Contains(jsonOf(role["Policies"]), "*") {
				t.Errorf("%s: wildcard in its policy: %s", name, jsonOf(role["Policies"]))
			}
		}
	}

	// The CI roles are all the stack's roles; nothing else can be assumed.
	if n := len(resourcesOfType(tmpl, "AWS::IAM::Role")); n != 2*len(props.Environments) {
		t.Errorf("%d roles, want %d", n, 2*len(props.Environments))
	}
	if n := len(resourcesOfType(tmpl, "AWS::IAM::Policy")); n != 0 {
		t.Errorf("%d AWS::IAM::Policy resources; the roles' only policies are inline", n)
	}
}

func TestCIOutputs(t *testing.T) {
	props := ciProps()
	props.BootstrapQualifier = "acme1"
	tmpl := synthCI(t, "qualifier", props).tmpl
	outputs := tmpl["Outputs"].(map[string]interface{})
	want := map[string]string{
		"OIDCProviderArn":  "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
		"CFNExecPolicyArn": "arn:aws:iam::111111111111:policy/wellknown-cfn-exec",
		"DeployRoleArnDev": "arn:aws:iam::111111111111:role/wellknown-deploy-dev",
		"DiffRoleArnDev":   "arn:aws:iam::111111111111:role/wellknown-diff-dev",
		"DeployRoleArnQa":  "arn:aws:iam::111111111111:role/wellknown-deploy-qa",
		"DiffRoleArnQa":    "arn:aws:iam::111111111111:role/wellknown-diff-qa",
	}
	for id, value := range want {
		o, ok := outputs[id].(map[string]interface{})
		if !ok || o["Value"] != value {
			t.Errorf("output %s = %v, want %s", id, o["Value"], value)
		}
	}
	if len(outputs) != len(want) {
		t.Errorf("outputs %v, want exactly %v", keys(outputs), keys(want))
	}
	// The literal ARNs are the ARNs of what the stack creates.
	for _, e := range props.Environments {
		roleNamed(t, tmpl, ciroles.DeployRoleName(e.Name))
		roleNamed(t, tmpl, ciroles.DiffRoleName(e.Name))
		if !strings.Contains(jsonOf(roleNamed(t, tmpl, ciroles.DeployRoleName(e.Name))), "cdk-acme1-deploy-role-") {
			t.Errorf("deploy role of %s ignores the bootstrap qualifier", e.Name)
		}
	}
	for _, p := range resourcesOfType(tmpl, "AWS::IAM::ManagedPolicy") {
		if name := p["Properties"].(map[string]interface{})["ManagedPolicyName"]; name != "wellknown-cfn-exec" {
			t.Errorf("managed policy %v, want wellknown-cfn-exec", name)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// cdk-nag runs on the CI stack as on every stack: nothing unsuppressed,
// and the one suppression is IAM5 on the cfn-exec policy.
func TestCINagReport(t *testing.T) {
	for key, props := range map[string]*stacks.WellKnownCIStackProps{"created": ciProps(), "domain": ciDomainProps()} {
		t.Run(key, func(t *testing.T) { checkCINagReport(t, synthCI(t, key, props)) })
	}
}

func checkCINagReport(t *testing.T, s ciSynth) {
	t.Helper()
	f, err := os.Open(filepath.Join(s.outdir, "AwsSolutions--"+ciroles.StackName(ciAccount)+"-NagReport.csv"))
	if err != nil {
		t.Fatalf("cdk-nag report missing: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		rule, resource, compliance := row[0], row[1], row[2]
		switch {
		case compliance == "Non-Compliant" || compliance == "UNKNOWN":
			t.Errorf("unsuppressed cdk-nag finding %s on %s", rule, resource)
		case compliance == "Suppressed" && (rule != "AwsSolutions-IAM5" || !strings.HasSuffix(resource, "/CFNExecPolicy/Resource")):
			t.Errorf("unexpected suppression %s on %s", rule, resource)
		}
	}
}

func TestCIPropsValidation(t *testing.T) {
	// onDomain applies mutate to ciDomainProps instead.
	onDomain := func(mutate func(*stacks.WellKnownCIStackProps)) func(*stacks.WellKnownCIStackProps) {
		return func(p *stacks.WellKnownCIStackProps) { *p = *ciDomainProps(); mutate(p) }
	}
	for _, tc := range []struct {
		name   string
		mutate func(*stacks.WellKnownCIStackProps)
		want   string
	}{
		{"no env", func(p *stacks.WellKnownCIStackProps) { p.Env = nil }, "StackProps.Env"},
		{"bad account", func(p *stacks.WellKnownCIStackProps) { p.Env.Account = jsii.String("1234") }, "is not an AWS account ID"},
		{"bad repository", func(p *stacks.WellKnownCIStackProps) { p.Repository = "acme/*" }, "repository"},
		{"no environments", func(p *stacks.WellKnownCIStackProps) { p.Environments = nil }, "no environments"},
		{"duplicate env", func(p *stacks.WellKnownCIStackProps) { p.Environments[1].Name = "dev" }, "listed twice"},
		{"duplicate bucket", func(p *stacks.WellKnownCIStackProps) { p.Environments[1].BucketName = p.Environments[0].BucketName }, "used by another"},
		{"dotted bucket", func(p *stacks.WellKnownCIStackProps) { p.Environments[1].BucketName = "links.acme.com" }, "dot"},
		{"unknown region", func(p *stacks.WellKnownCIStackProps) { p.Environments[1].Region = "eu-west-9" }, "eu-west-9"},
		{"mixed partitions", func(p *stacks.WellKnownCIStackProps) { p.Environments[1].Region = "cn-north-1" }, "partition"},
		{"qualifier", func(p *stacks.WellKnownCIStackProps) { p.BootstrapQualifier = "far-too-long-qualifier" }, "qualifier"},
		{"provider of another account", func(p *stacks.WellKnownCIStackProps) {
			p.ExistingOIDCProviderARN = ciroles.ProviderARN("222222222222", "eu-west-1")
		}, "ExistingOIDCProviderARN"},
		{"output collision", func(p *stacks.WellKnownCIStackProps) {
			p.Environments[0].Name, p.Environments[1].Name = "a-1", "a1"
		}, "collide"},
		{"policy over IAM's size limit", func(p *stacks.WellKnownCIStackProps) {
			for i := range 8 {
				p.Environments = append(p.Environments, stacks.CIEnvironment{
					Name: fmt.Sprintf("env-%d", i), Region: "eu-west-2", BucketName: fmt.Sprintf("links-env-%d", i),
				})
			}
		}, "over IAM's limit"},
		{"stack name too long for generated names", func(p *stacks.WellKnownCIStackProps) {
			p.Environments[1].Name = "a-very-long-environment-name-xyz1"
		}, `is 33 characters long, over the 32 that "wellknown:ci" allows: CloudFormation would shorten the names`},
		{"role name too long", func(p *stacks.WellKnownCIStackProps) {
			p.Environments[1].Name = "a-very-long-environment-name-that-is-also-too-long-for-iam"
		}, "and the role name wellknown-deploy-a-very-long-environment-name-that-is-also-too-long-for-iam would exceed IAM's 64 characters"},
		{"certificate stack in another region", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments[0].CertificateRegion = "eu-central-1"
		}), "CertificateRegion \"eu-central-1\""},
		{"certificate stack in the environment's region", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments[1].CertificateRegion = "us-east-1"
		}), "its stack holds the certificate"},
		{"certificate stack without a created certificate", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments[0].Domain.CreatesCertificate = false
		}), "only a created certificate"},
		{"certificate stack without a domain", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments[0].Domain = nil
		}), "only a created certificate"},
		{"created certificate outside us-east-1 without its stack", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments[0].CertificateRegion = ""
		}), "set CertificateRegion"},
		{"created certificate without a zone", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments[1].Domain.HostedZoneID = ""
		}), "set HostedZoneID"},
		{"wildcard hosted zone", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments[1].Domain.HostedZoneID = "Z*"
		}), "not a Route 53 hosted zone ID"},
		{"domain outside the aws partition", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Env.Region = jsii.String("cn-north-1")
			p.Environments = []stacks.CIEnvironment{{Name: "cn", Region: "cn-north-1", BucketName: "acme-links-cn",
				Domain: &stacks.CIDomain{CreatesCertificate: false}}}
		}), "only in the aws partition"},
		{"domain policy over IAM's size limit", onDomain(func(p *stacks.WellKnownCIStackProps) {
			p.Environments = append(p.Environments, stacks.CIEnvironment{Name: "qa", Region: "eu-central-1", BucketName: "acme-links-qa"})
		}), "over IAM's limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			props := ciProps()
			tc.mutate(props)
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			stack, err := stacks.NewWellKnownCIStack(app, "CI", props)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
			if stack != nil || len(*app.Node().Children()) != 0 {
				t.Errorf("invalid props created constructs")
			}
		})
	}
}

// An environment name is part of the stack name, the role names and the
// patterns; the longest one the patterns allow still synthesizes.
func TestCIEnvNameLengthLimit(t *testing.T) {
	props := ciProps()
	props.Environments[1].Name = "a-very-long-environment-name-xyz"
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	if _, err := stacks.NewWellKnownCIStack(app, "CI", props); err != nil {
		t.Fatal(err)
	}
	if len(config.Environment{Name: props.Environments[1].Name}.StackName()) != 42 {
		t.Fatal("the test no longer probes the limit")
	}
}

// An administrator deploys the CI stack with their own credentials, in a
// region nothing else may have bootstrapped (the partition's IAM region):
// its artifact names no bootstrap role, asset bucket or bootstrap version,
// its template reads no bootstrap SSM parameter, and there is no asset
// manifest to publish.
func TestCIStackNeedsNoBootstrap(t *testing.T) {
	s := synthCI(t, "created", ciProps())
	name := ciroles.StackName(ciAccount)
	var manifest struct {
		Artifacts map[string]struct {
			Type         string
			Environment  string
			Properties   map[string]interface{}
			Dependencies []string
		}
	}
	raw, err := os.ReadFile(filepath.Join(s.outdir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	art, ok := manifest.Artifacts[name]
	if !ok || art.Type != "aws:cloudformation:stack" || art.Environment != "aws://"+ciAccount+"/eu-west-1" {
		t.Fatalf("artifact %s: %+v", name, art)
	}
	for _, key := range []string{"assumeRoleArn", "cloudFormationExecutionRoleArn", "stackTemplateAssetObjectUrl", "requiresBootstrapStackVersion", "bootstrapStackVersionSsmParameter", "lookupRole"} {
		if v, ok := art.Properties[key]; ok {
			t.Errorf("the CI stack's artifact has %s = %v: deploying it would need the CDK bootstrap", key, v)
		}
	}
	if len(art.Dependencies) != 0 {
		t.Errorf("the CI stack depends on %v (an asset manifest needs the bootstrap bucket)", art.Dependencies)
	}
	if _, err := os.Stat(filepath.Join(s.outdir, name+".assets.json")); err == nil {
		t.Errorf("%s.assets.json exists", name)
	}
	tmpl := templateIn(t, s.outdir, name)
	if ps := *tmpl.FindParameters(jsii.String("*"), nil); len(ps) != 0 {
		t.Errorf("parameters %v: the BootstrapVersion parameter reads the bootstrap's SSM parameter", ps)
	}
	if rules, ok := (*tmpl.ToJSON())["Rules"]; ok {
		t.Errorf("rules %v", rules)
	}
}

// Without a bootstrap bucket CloudFormation gets the template inline,
// which it takes up to 51,200 bytes (the CDK CLI sends YAML, smaller than
// the JSON that `aws cloudformation deploy --template-file` sends). The
// policy size limit caps an account's environments; the largest accounts
// it allows stay below.
func TestCIStackTemplateFitsInline(t *testing.T) {
	const inlineLimit = 51200
	largest := func(nameLen int, domain bool) *stacks.WellKnownCIStackProps {
		props := ciProps()
		props.Repository = strings.Repeat("o", 39) + "/" + strings.Repeat("r", 100)
		props.Env.Region = jsii.String("us-east-1")
		props.Environments = nil
		for n := 0; ; n++ {
			e := stacks.CIEnvironment{Name: fmt.Sprintf("e%02d%s", n, strings.Repeat("x", nameLen-3)), Region: "eu-west-1",
				BucketName: fmt.Sprintf("acme-links-%02d-%s", n, strings.Repeat("y", 40))}
			if domain {
				e.CertificateRegion = "us-east-1"
				e.Domain = &stacks.CIDomain{HostedZoneID: testZoneID, CreatesCertificate: true, AccessLogs: true}
			}
			try := *props
			try.Environments = append(slices.Clone(props.Environments), e)
			if _, err := stacks.NewWellKnownCIStack(awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())}), "CI", &try); err != nil {
				if n == 0 {
					t.Fatal(err)
				}
				return props
			}
			props.Environments = try.Environments
		}
	}
	for _, tc := range []struct {
		key     string
		nameLen int
		domain  bool
	}{{"largest-short-names", 8, false}, {"largest-long-names", 32, false}, {"largest-domains", 3, true}} {
		t.Run(tc.key, func(t *testing.T) {
			props := largest(tc.nameLen, tc.domain)
			s := synthCI(t, tc.key, props)
			fi, err := os.Stat(filepath.Join(s.outdir, ciroles.StackName(ciAccount)+".template.json"))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d environments: %d bytes", len(props.Environments), fi.Size())
			if fi.Size() > inlineLimit {
				t.Errorf("the template of %d environments is %d bytes, over the %d CloudFormation takes inline", len(props.Environments), fi.Size(), inlineLimit)
			}
		})
	}
}

// In China the tokens' audience is sts.amazonaws.com.cn: the provider
// accepts only it, and every role's trust requires it.
func TestCIChinaAudience(t *testing.T) {
	const region = "cn-north-1"
	props := &stacks.WellKnownCIStackProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(ciAccount), Region: jsii.String(region)}},
		Repository: ciRepo,
		Environments: []stacks.CIEnvironment{
			{Name: "cn", Region: "cn-north-1", BucketName: "acme-links-cn"},
			{Name: "cnnw", Region: "cn-northwest-1", BucketName: "acme-links-cnnw"},
		},
	}
	s := synthCI(t, "china", props)
	tmpl := templateIn(t, s.outdir, ciroles.StackName(ciAccount))
	tmpl.ResourceCountIs(jsii.String("AWS::IAM::OIDCProvider"), jsii.Number(1))
	tmpl.HasResourceProperties(jsii.String("AWS::IAM::OIDCProvider"), map[string]interface{}{
		"Url":          ciroles.OIDCURL,
		"ClientIdList": []interface{}{"sts.amazonaws.com.cn"},
	})
	roles := *tmpl.FindResources(jsii.String("AWS::IAM::Role"), nil)
	if len(roles) != 4 {
		t.Fatalf("%d roles, want 4", len(roles))
	}
	for _, env := range []string{"cn", "cnnw"} {
		for name, subject := range map[string]string{
			ciroles.DeployRoleName(env): ciroles.DeploySubject(ciRepo, env),
			ciroles.DiffRoleName(env):   ciroles.PullRequestSubject(ciRepo),
		} {
			tmpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]interface{}{
				"RoleName": name,
				"AssumeRolePolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{
					"Statement": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
						"Action": "sts:AssumeRoleWithWebIdentity",
						"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{
							ciroles.AudienceKey: "sts.amazonaws.com.cn",
							ciroles.SubjectKey:  subject,
						}},
					})},
				}),
			})
		}
	}
	if got := ciroles.Audience("eu-west-1") + " " + ciroles.Audience("us-gov-west-1"); got != "sts.amazonaws.com sts.amazonaws.com" {
		t.Errorf("audiences outside China: %s", got)
	}
}
