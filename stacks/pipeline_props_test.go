package stacks_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/stacks"
)

var testEnv = &awscdk.Environment{Account: jsii.String("999999999999"), Region: jsii.String("eu-west-1")}

const testConnection = "arn:aws:codeconnections:eu-west-1:999999999999:connection/0f0e0d0c-0b0a-0908-0706-050403020100"

// testPipelineProps are valid props for one environment, "bare", whose
// stacks addStacks creates.
func testPipelineProps(addStacks func(awscdk.Stage) error) *stacks.WellKnownPipelineStackProps {
	return &stacks.WellKnownPipelineStackProps{
		StackProps:    awscdk.StackProps{Env: testEnv},
		ConnectionARN: testConnection,
		Repository:    "acme/app-links",
		GoVersion:     "1.25.0",
		Waves: [][]stacks.PipelineEnvironment{{{
			Name: "bare", AddStacks: addStacks, Verify: []string{"go run ./cmd/wellknown verify --env bare"},
		}}},
	}
}

func anyValue() assertions.Matcher { return assertions.Match_AnyValue() }

// Invalid props are errors, not a broken pipeline: nothing is created.
func TestPipelinePropsAreValidated(t *testing.T) {
	named := func(stage awscdk.Stage) error {
		awscdk.NewCfnWaitConditionHandle(awscdk.NewStack(stage, jsii.String("S"), &awscdk.StackProps{StackName: jsii.String("S"), Env: testEnv}), jsii.String("H"), nil)
		return nil
	}
	for name, tc := range map[string]struct {
		change func(p *stacks.WellKnownPipelineStackProps)
		want   string
	}{
		"no account": {func(p *stacks.WellKnownPipelineStackProps) { p.Env = nil }, "must name the tooling account and region"},
		"connection": {func(p *stacks.WellKnownPipelineStackProps) { p.ConnectionARN = "arn:aws:iam::999999999999:role/x" }, "is not a CodeConnections connection ARN"},
		"connection of another account": {func(p *stacks.WellKnownPipelineStackProps) {
			p.ConnectionARN = strings.Replace(testConnection, "999999999999", "888888888888", 1)
		}, "the connection belongs to account 888888888888, not to the tooling account 999999999999"},
		"GitLab subgroup":   {func(p *stacks.WellKnownPipelineStackProps) { p.Repository = "acme/platform/../x" }, `"acme/platform/../x" is not a repository path`},
		"repository":        {func(p *stacks.WellKnownPipelineStackProps) { p.Repository = "app-links" }, "app-links"},
		"branch":            {func(p *stacks.WellKnownPipelineStackProps) { p.Branch = "a..b" }, "a..b"},
		"no go version":     {func(p *stacks.WellKnownPipelineStackProps) { p.GoVersion = "" }, "GoVersion"},
		"no waves":          {func(p *stacks.WellKnownPipelineStackProps) { p.Waves = nil }, "no waves"},
		"empty wave":        {func(p *stacks.WellKnownPipelineStackProps) { p.Waves = append(p.Waves, nil) }, "Waves[1] is empty"},
		"environment twice": {func(p *stacks.WellKnownPipelineStackProps) { p.Waves = append(p.Waves, p.Waves[0]) }, "bare is in more than one wave"},
		"bad name":          {func(p *stacks.WellKnownPipelineStackProps) { p.Waves[0][0].Name = "Bare" }, `"Bare" is not an environment name`},
		"no verification":   {func(p *stacks.WellKnownPipelineStackProps) { p.Waves[0][0].Verify = nil }, "no Verify commands"},
		// CodePipeline stage names end at 100 characters.
		"name too long for a stage": {func(p *stacks.WellKnownPipelineStackProps) { p.Waves[0][0].Name = "e" + strings.Repeat("x", 100) }, "is 101 characters long, over the 100"},
		"no stacks function":        {func(p *stacks.WellKnownPipelineStackProps) { p.Waves[0][0].AddStacks = nil }, "has no AddStacks"},
		"no stacks": {func(p *stacks.WellKnownPipelineStackProps) {
			p.Waves[0][0].AddStacks = func(awscdk.Stage) error { return nil }
		}, "AddStacks created no stack"},
		// Inside a stage a stack is named <stage>-<id> unless named
		// explicitly: the pipeline would create a second stack.
		"stack without its name": {func(p *stacks.WellKnownPipelineStackProps) {
			p.Waves[0][0].AddStacks = func(stage awscdk.Stage) error {
				awscdk.NewStack(stage, jsii.String("WellKnown-bare"), &awscdk.StackProps{Env: testEnv})
				return nil
			}
		}, "stack WellKnown-bare is named bare-WellKnown-bare; set StackName to WellKnown-bare"},
		"another partition": {func(p *stacks.WellKnownPipelineStackProps) {
			p.Waves[0][0].AddStacks = func(stage awscdk.Stage) error {
				awscdk.NewStack(stage, jsii.String("S"), &awscdk.StackProps{StackName: jsii.String("S"),
					Env: &awscdk.Environment{Account: jsii.String("999999999999"), Region: jsii.String("cn-north-1")}})
				return nil
			}
		}, "stack S is in region cn-north-1, which a pipeline in eu-west-1 (partition aws) cannot deploy to"},
		// The termination protection step acts through the stack's CDK
		// bootstrap deploy role, by its literal ARN.
		"no deploy role": {func(p *stacks.WellKnownPipelineStackProps) {
			p.Waves[0][0].AddStacks = func(stage awscdk.Stage) error {
				awscdk.NewStack(stage, jsii.String("S"), &awscdk.StackProps{StackName: jsii.String("S"), Env: testEnv,
					Synthesizer: awscdk.NewCliCredentialsStackSynthesizer(nil)})
				return nil
			}
		}, "stack S: its synthesizer names no CDK bootstrap deploy role"},
		"assembly outside the repository": {func(p *stacks.WellKnownPipelineStackProps) { p.AssemblyDir = "../out" }, `AssemblyDir "../out"`},
		"absolute assembly":               {func(p *stacks.WellKnownPipelineStackProps) { p.AssemblyDir = "/tmp/out" }, `AssemblyDir "/tmp/out"`},
		"stack without an account": {func(p *stacks.WellKnownPipelineStackProps) {
			p.Waves[0][0].AddStacks = func(stage awscdk.Stage) error {
				awscdk.NewStack(stage, jsii.String("S"), &awscdk.StackProps{StackName: jsii.String("S"), Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
				return nil
			}
		}, "is not a literal ARN"},
	} {
		t.Run(name, func(t *testing.T) {
			props := testPipelineProps(named)
			tc.change(props)
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			stack, support, err := stacks.NewWellKnownPipelineStack(app, "Pipeline", props)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if stack != nil || support != nil {
				t.Error("stacks returned with the error")
			}
		})
	}
	if _, _, err := stacks.NewWellKnownPipelineStack(awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())}), "Pipeline", nil); err == nil {
		t.Error("nil props accepted")
	}
}

// The synth step hands on the directory make synth writes, which follows
// cdk.json's "output".
func TestPipelineAssemblyDir(t *testing.T) {
	named := func(stage awscdk.Stage) error {
		awscdk.NewCfnWaitConditionHandle(awscdk.NewStack(stage, jsii.String("S"), &awscdk.StackProps{StackName: jsii.String("S"), Env: testEnv}), jsii.String("H"), nil)
		return nil
	}
	for dir, want := range map[string]string{"": "cdk.out", "build/assembly": "build/assembly"} {
		props := testPipelineProps(named)
		props.AssemblyDir = dir
		stack, _, err := stacks.NewWellKnownPipelineStack(awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())}), "Pipeline", props)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, res := range *assertions.Template_FromStack(stack, nil).FindResources(jsii.String("AWS::CodeBuild::Project"), nil) {
			spec, _ := (*res)["Properties"].(map[string]interface{})["Source"].(map[string]interface{})["BuildSpec"].(string)
			if strings.Contains(spec, "make synth") {
				found = true
				if !strings.Contains(spec, `"base-directory": "`+want+`"`) {
					t.Errorf("AssemblyDir %q: synth buildspec %s, want base-directory %s", dir, spec, want)
				}
			}
		}
		if !found {
			t.Errorf("AssemblyDir %q: no synth project", dir)
		}
	}
}
