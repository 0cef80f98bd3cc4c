package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/policy"
)

// AppProps configures NewApp.
type AppProps struct {
	// Context is the CDK context, including feature flags. It is passed to
	// the app explicitly so that runs without the CDK CLI (go run ., tests)
	// synthesize exactly what `cdk synth` does.
	Context config.Context
	// Outdir overrides the cloud assembly directory (default: CDK_OUTDIR or cdk.out).
	Outdir string
}

// NewApp creates the CDK app every synthesis uses.
func NewApp(props *AppProps) (awscdk.App, error) {
	ctx := map[string]interface{}{}
	for k, raw := range props.Context {
		var v interface{}
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("context %q: %w", k, err)
		}
		ctx[k] = v
	}
	appProps := &awscdk.AppProps{Context: &ctx}
	if props.Outdir != "" {
		appProps.Outdir = jsii.String(props.Outdir)
	}
	app := awscdk.NewApp(appProps)
	// cdk-nag's findings are error annotations, which fail synthesis (the
	// annotationsInValidationReport feature flag routes them into the
	// validation report); Reports writes AwsSolutions-<stack>-NagReport.csv.
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Reports: jsii.Bool(true)}), nil)
	// The project's invariants (policy/*.rego, WK-001…WK-006) run in the
	// CDK's CloudFormation validation plugin, next to its default rules; with
	// validateAgainstDefaultRules (cdk.json) an ERROR fails synthesis.
	awscdk.Validations_Of(app).AddPlugins(policy.NewPlugin())
	return app, nil
}

// Synth synthesizes the app and returns the cloud assembly directory. The
// CDK reports failed validations by throwing, which jsii turns into a
// panic; here it becomes an error. The CDK writes the templates before it
// validates them, so on failure the assembly is discarded: a pipeline that
// deploys a pre-built cdk.out must never find a template that failed its
// rules.
func Synth(app awscdk.App) (dir string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesis failed: %v", r)
			DiscardAssembly(*app.Outdir())
		}
	}()
	asm := app.Synth(nil)
	return *asm.Directory(), nil
}

// DiscardAssembly removes the deployable parts of a cloud assembly — the
// stack templates, their asset manifests and the assembly manifest — so
// that a failed run never leaves an earlier or half-checked assembly for
// `cdk deploy --app cdk.out` to pick up. Staged assets and reports stay.
func DiscardAssembly(outdir string) {
	for _, pattern := range []string{"*.template.json", "*.assets.json", "manifest.json"} {
		found, _ := filepath.Glob(filepath.Join(outdir, pattern))
		for _, f := range found {
			os.Remove(f)
		}
	}
}

// Outdir is where the app writes its cloud assembly: CDK_OUTDIR under the
// CDK CLI, cdk.out in dir otherwise (the CDK's own default).
func Outdir(dir string) string {
	if d := os.Getenv("CDK_OUTDIR"); d != "" {
		return d
	}
	return filepath.Join(dir, "cdk.out")
}
