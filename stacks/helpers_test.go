package stacks_test

import (
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
	outdir := t.TempDir()
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
