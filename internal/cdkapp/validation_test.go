package cdkapp

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/policy"
)

// validationHelperEnv makes the test binary synthesize the first example
// environment into the outdir it names, broken as validationHelperBreak
// says: "rule" adds a public grant on "/*" (WK-001), "schema" a property
// that only the CDK's default rules reject (F3002, an unknown property of
// a wait condition handle, which neither the project's rules nor cdk-nag
// look at). The CDK reads CDK_VALIDATION in its node process, which starts
// with the Go process, so each setting needs a process of its own.
const (
	validationHelperEnv   = "CDKAPP_VALIDATION_HELPER_OUTDIR"
	validationHelperBreak = "CDKAPP_VALIDATION_HELPER_BREAK"
)

func validationHelper(outdir string) int {
	ctx, err := config.ReadCDKJSON(filepath.Join("..", "..", "cdk.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	res, err := preflight.Run(ctx, filepath.Join("..", ".."), config.Selection{})
	if err != nil || !res.OK() || len(res.Targets) == 0 {
		fmt.Fprintln(os.Stderr, "example config:", err, res.Problems)
		return 2
	}
	target := res.Targets[0]
	err = Synth(ctx, outdir, func(app awscdk.App) error {
		if _, err := AddStacks(app, []preflight.Target{target}); err != nil {
			return err
		}
		stack := app.Node().FindChild(jsii.String(target.Env.StackName()))
		switch os.Getenv(validationHelperBreak) {
		case "":
			return nil
		case "schema":
			h := awscdk.NewCfnWaitConditionHandle(stack.(awscdk.Stack), jsii.String("Handle"), nil)
			h.AddPropertyOverride(jsii.String("Foo"), 1)
			return nil
		}
		bucket, ok := stack.Node().FindChild(jsii.String("Default")).Node().FindChild(jsii.String("Bucket")).(awss3.Bucket)
		if !ok {
			return fmt.Errorf("content bucket of %s not found", target.Env.StackName())
		}
		// What publicReadAccess would add: every object, to everyone.
		bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Effect:     awsiam.Effect_ALLOW,
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    jsii.Strings("s3:GetObject"),
			Resources:  &[]*string{bucket.ArnForObjects(jsii.String("*"))},
		}))
		return nil
	}, os.Exit)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthesis failed:", err)
		return 1
	}
	return 0
}

// The project's rules run whatever CDK_VALIDATION says, and the CDK's own
// default validation ("CloudFormation Validate") is the CDK's: registered
// when the variable is unset, skipped when it is "false" (what
// `cdk synth --no-validation` sets). The report lists only plugins with
// findings, so the default plugin's run shows by a template only it
// rejects.
func TestRulesRunWhateverCDKValidationSays(t *testing.T) {
	const cdkDefault = "CloudFormation Validate"
	for _, tc := range []struct {
		name, validation, breakWith string // validation "": unset
		fails                       bool
		plugins                     []string // plugins with findings
		rule                        string   // a rule those findings include
	}{
		{"WK-001, CDK_VALIDATION=false", "false", "rule", true, []string{policy.PluginName}, "WK-001"},
		{"WK-001, CDK_VALIDATION unset", "", "rule", true, []string{policy.PluginName}, "WK-001"},
		{"default rule, CDK_VALIDATION=false", "false", "schema", false, nil, ""},
		{"default rule, CDK_VALIDATION unset", "", "schema", true, []string{cdkDefault}, "F3002"},
		{"passing, CDK_VALIDATION=false", "false", "", false, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outdir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "CDK_") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(cmd.Env, validationHelperEnv+"="+outdir, validationHelperBreak+"="+tc.breakWith)
			if tc.validation != "" {
				cmd.Env = append(cmd.Env, "CDK_VALIDATION="+tc.validation)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.fails]; code != want {
				t.Fatalf("exit %d, want %d\n%s", code, want, stderr.String())
			}
			plugins, violations := readValidationReport(t, outdir)
			if !slices.Equal(plugins, tc.plugins) {
				t.Errorf("plugins with findings: %v, want %v", plugins, tc.plugins)
			}
			if tc.rule != "" && !slices.Contains(violations[tc.plugins[0]], tc.rule) {
				t.Errorf("violations: %v, want %s from %s", violations, tc.rule, tc.plugins[0])
			}
			if tc.validation == "false" && strings.Contains(stderr.String(), cdkDefault) {
				t.Errorf("stderr mentions %s:\n%s", cdkDefault, stderr.String())
			}
			if tc.fails {
				if !strings.Contains(stderr.String(), tc.rule) {
					t.Errorf("stderr does not show %s:\n%s", tc.rule, stderr.String())
				}
				if got := leftovers(t, outdir); len(got) != 0 {
					t.Errorf("left behind: %v", got)
				}
			} else if _, err := os.Stat(filepath.Join(outdir, "manifest.json")); err != nil {
				t.Errorf("no assembly after a passing synthesis: %v", err)
			}
		})
	}
}

// readValidationReport returns the plugins of the report and the rules
// each one reported.
func readValidationReport(t *testing.T, outdir string) (plugins []string, violations map[string][]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil // no plugin found anything
		}
		t.Fatalf("validation report: %v", err)
	}
	var report struct {
		PluginReports []struct {
			PluginName string `json:"pluginName"`
			Violations []struct {
				RuleName string `json:"ruleName"`
			} `json:"violations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	violations = map[string][]string{}
	for _, p := range report.PluginReports {
		plugins = append(plugins, p.PluginName)
		for _, v := range p.Violations {
			violations[p.PluginName] = append(violations[p.PluginName], v.RuleName)
		}
	}
	return plugins, violations
}
