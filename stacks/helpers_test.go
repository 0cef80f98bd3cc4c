package stacks_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/preflight"
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
	res, err := preflight.Run(ctx, projectDir)
	if err != nil || !res.OK() {
		t.Fatalf("example config does not validate: %v %v", err, res.Problems)
	}
	return ctx, res.Targets
}

// buildTarget builds one environment's stack in its own app, with the
// feature flags of cdk.json, writing to a temporary directory.
func buildTarget(t *testing.T, ctx config.Context, target preflight.Target) (awscdk.App, awscdk.Stack, string) {
	t.Helper()
	return buildTargetIn(t, ctx, target, t.TempDir())
}

func buildTargetIn(t *testing.T, ctx config.Context, target preflight.Target, outdir string) (awscdk.App, awscdk.Stack, string) {
	t.Helper()
	app, err := stacks.NewApp(&stacks.AppProps{Context: ctx, Outdir: outdir})
	if err != nil {
		t.Fatal(err)
	}
	stack := stacks.NewWellKnownStack(app, target.Env.StackName(), &stacks.WellKnownStackProps{Environment: target.Env, Files: target.Files})
	return app, stack, outdir
}

// synthTarget builds and synthesizes one environment's stack.
func synthTarget(t *testing.T, ctx config.Context, target preflight.Target) (awscdk.Stack, assertions.Template, string) {
	t.Helper()
	app, stack, outdir := buildTarget(t, ctx, target)
	if _, err := stacks.Synth(app); err != nil {
		t.Fatal(err)
	}
	return stack, assertions.Template_FromStack(stack, nil), outdir
}

// scratch holds assemblies that outlive one test: see synthExample.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stacks-test")
	if err != nil {
		panic(err)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
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
	app, stack, outdir := buildTargetIn(t, ctx, target, filepath.Join(scratch, target.Env.Name))
	if _, err := stacks.Synth(app); err != nil {
		t.Fatal(err)
	}
	s := synthesized{stack, assertions.Template_FromStack(stack, nil), outdir}
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
