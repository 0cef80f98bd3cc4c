package stacks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/cdkapp"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/internal/testenv"
	"github.com/acme/wellknown/stacks"
)

const projectDir = ".."

// exampleTargets validates the example configuration in cdk.json exactly as
// the app does.
func exampleTargets(t *testing.T) (config.Context, []preflight.Target) {
	t.Helper()
	ctx, err := config.ReadCDKJSON(filepath.Join(projectDir, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := preflight.Run(ctx, projectDir, config.Selection{})
	if err != nil || !res.OK() {
		t.Fatalf("example config does not validate: %v %v", err, res.Problems)
	}
	return ctx, res.Targets
}

// synthTo synthesizes, as the app does, the stacks build adds, into outdir,
// and returns the synthesis error.
func synthTo(t *testing.T, ctx config.Context, outdir string, build func(app awscdk.App) error) error {
	t.Helper()
	return cdkapp.Synth(ctx, outdir, build, func(code int) { t.Errorf("signal during synthesis (exit %d)", code) })
}

// buildTarget returns a build function that adds target's stack, then
// applies mutate to it (nil for none); the stack is stored in *stack.
func buildTarget(target preflight.Target, stack *awscdk.Stack, mutate func(awscdk.Stack)) func(awscdk.App) error {
	return func(app awscdk.App) error {
		s, err := stacks.NewWellKnownStack(app, target.Env.StackName(), cdkapp.StackProps(target))
		if err != nil {
			return err
		}
		if mutate != nil {
			mutate(s)
		}
		*stack = s
		return nil
	}
}

// templateIn reads a stack's template from a synthesized assembly.
func templateIn(t *testing.T, outdir, stackName string) assertions.Template {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(outdir, stackName+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return assertions.Template_FromJSON(&v, nil)
}

// synthTarget builds and synthesizes one environment's stack into a fresh
// directory.
func synthTarget(t *testing.T, ctx config.Context, target preflight.Target) (awscdk.Stack, assertions.Template, string) {
	t.Helper()
	return synthTargetIn(t, ctx, target, t.TempDir())
}

func synthTargetIn(t *testing.T, ctx config.Context, target preflight.Target, outdir string) (awscdk.Stack, assertions.Template, string) {
	t.Helper()
	var stack awscdk.Stack
	if err := synthTo(t, ctx, outdir, buildTarget(target, &stack, nil)); err != nil {
		t.Fatal(err)
	}
	return stack, templateIn(t, outdir, target.Env.StackName()), outdir
}

// scratch holds assemblies that outlive one test: see synthExample.
var scratch string

func TestMain(m *testing.M) {
	// The CDK's built-in CloudFormation validation costs about 3 s of every
	// synthesis; these tests look at what the project builds and checks
	// (its rules run whatever CDK_VALIDATION says), and the end-to-end
	// tests of the root package synthesize the example, the pipeline and
	// the custom-domain modes with it on. The node process reads the
	// variable when it starts, with the first construct.
	os.Setenv("CDK_VALIDATION", "false")
	os.Exit(testenv.Main(m, func(dir string) error { scratch = dir; return nil }, jsii.Close))
}

type synthesized struct {
	stack  awscdk.Stack
	tmpl   assertions.Template
	outdir string
}

var exampleSynths = map[string]synthesized{}

// synthExample is synthTarget for an unmodified example environment: it
// synthesizes each one once per test binary, since the tests only read the
// template and the assembly.
func synthExample(t *testing.T, ctx config.Context, target preflight.Target) (awscdk.Stack, assertions.Template, string) {
	t.Helper()
	if s, ok := exampleSynths[target.Env.Name]; ok {
		return s.stack, s.tmpl, s.outdir
	}
	stack, tmpl, outdir := synthTargetIn(t, ctx, target, filepath.Join(scratch, target.Env.Name))
	s := synthesized{stack, tmpl, outdir}
	exampleSynths[target.Env.Name] = s
	return s.stack, s.tmpl, s.outdir
}

// assert turns a failed assertions-module match (a jsii panic) into a test
// failure that names what was being checked.
func assert(t *testing.T, what string, check func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", what, r)
		}
	}()
	check()
}

func resourcesOfType(tmpl map[string]interface{}, typ string) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	resources, _ := tmpl["Resources"].(map[string]interface{})
	for id, r := range resources {
		res := r.(map[string]interface{})
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

func asList(v interface{}) []interface{} {
	if l, ok := v.([]interface{}); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []interface{}{v}
}
