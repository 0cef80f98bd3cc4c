package stacks

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/config"
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
	return awscdk.NewApp(appProps), nil
}

// Synth synthesizes the app and returns the cloud assembly directory. The
// CDK reports failed validations by throwing, which jsii turns into a
// panic; here it becomes an error.
func Synth(app awscdk.App) (dir string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesis failed: %v", r)
		}
	}()
	asm := app.Synth(nil)
	return *asm.Directory(), nil
}
