package policy

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// PluginName is the plugin's name in the validation report.
const PluginName = "wellknown rules"

// PluginVersion versions the plugin for the CDK's analytics (semver).
const PluginVersion = "1.0.0"

// Plugin returns the validation plugin that checks every synthesized
// template against the rules. Register it on the app
// (awscdk.Validations_Of(app).AddPlugins(policy.Plugin())): the CDK then
// gives it the stacks of every assembly, CDK Pipelines stages included.
//
// Each call returns a new plugin: jsii passes a Go value to the CDK by
// reference only as a pointer to a struct that is not empty (an empty
// struct is serialized as a plain map, and the CDK rejects it).
func Plugin() awscdk.IPolicyValidationPlugin { return &plugin{name: PluginName} }

type plugin struct{ name string }

func (p *plugin) Name() *string    { return jsii.String(p.name) }
func (p *plugin) Version() *string { return jsii.String(PluginVersion) }
func (p *plugin) RuleIds() *[]*string {
	return jsii.Strings(RuleIDs...)
}

// Validate builds the report exactly as aws-cdk-lib 2.277's
// CloudFormationValidatePlugin.validate builds one from the engine's
// diagnostics, so that a finding reads the same as when the rules ran
// there. A template that cannot be checked gives the report the CDK makes
// of a plugin that threw (mkPluginFailure): unsuccessful, no violations,
// the reason in metadata.error. That fails synthesis, as the engine's
// error did; returning it rather than panicking keeps the jsii callback
// protocol intact (a panic in a callback aborts the whole synthesis
// without a report).
func (p *plugin) Validate(ctx awscdk.IPolicyValidationContext) *awscdk.PolicyValidationPluginReport {
	report, err := validate(context.Background(), ctx.StackTemplates())
	if err != nil {
		return &awscdk.PolicyValidationPluginReport{
			Success:    jsii.Bool(false),
			Violations: &[]*awscdk.PolicyViolation{},
			Metadata:   &map[string]*string{"error": jsii.String(fmt.Sprintf("Validation plugin '%s' failed: %v", p.name, err))},
		}
	}
	return report
}

func validate(ctx context.Context, stacks *[]*awscdk.PolicyValidationStack) (*awscdk.PolicyValidationPluginReport, error) {
	var b reportBuilder
	if stacks != nil {
		for _, s := range *stacks {
			if s == nil || s.TemplatePath == nil {
				return nil, fmt.Errorf("a stack without a template path")
			}
			raw, err := os.ReadFile(*s.TemplatePath)
			if err != nil {
				return nil, err
			}
			diags, err := Evaluate(ctx, raw, Env{AccountID: deref(s.AccountId), Region: deref(s.Region)})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", *s.TemplatePath, err)
			}
			b.add(deref(s.StackConstructPath), *s.TemplatePath, diags)
		}
	}
	return b.report(), nil
}

// reportBuilder groups diagnostics into violations as the CDK plugin
// does: one violation per rule, severity and description (the property
// path without its "Properties." prefix, ": ", the message), listing every
// resource it was found on, across all stacks.
type reportBuilder struct {
	violations []*awscdk.PolicyViolation
}

func (b *reportBuilder) add(stackPath, templatePath string, diags []Diagnostic) {
	for _, d := range diags {
		severity := mapSeverity(d.Severity)
		res := &awscdk.PolicyViolatingResource{
			TemplatePath: jsii.String(templatePath),
			Locations:    &[]*string{},
		}
		if d.LogicalID != "" {
			res.ResourceLogicalId = jsii.String(d.LogicalID)
		} else {
			res.ConstructPath = jsii.String(stackPath)
		}
		description := d.Message
		if d.Path != "" {
			res.Locations = &[]*string{jsii.String(d.Path)}
			description = strings.TrimPrefix(d.Path, "Properties.") + ": " + d.Message
		}
		var existing *awscdk.PolicyViolation
		for _, v := range b.violations {
			if *v.RuleName == d.RuleID && *v.Severity == severity && *v.Description == description {
				existing = v
				break
			}
		}
		if existing != nil {
			*existing.ViolatingResources = append(*existing.ViolatingResources, res)
			continue
		}
		v := &awscdk.PolicyViolation{
			RuleName:           jsii.String(d.RuleID),
			Description:        jsii.String(description),
			Severity:           jsii.String(severity),
			ViolatingResources: &[]*awscdk.PolicyViolatingResource{res},
		}
		if d.Fix != "" {
			v.Fix = jsii.String(d.Fix)
		}
		if d.Category != "" {
			v.RuleMetadata = &map[string]*string{"category": jsii.String(d.Category)}
		}
		b.violations = append(b.violations, v)
	}
}

func (b *reportBuilder) report() *awscdk.PolicyValidationPluginReport {
	success := true
	for _, v := range b.violations {
		if *v.Severity == "error" || *v.Severity == "fatal" {
			success = false
		}
	}
	violations := b.violations
	if violations == nil {
		violations = []*awscdk.PolicyViolation{}
	}
	return &awscdk.PolicyValidationPluginReport{Success: jsii.Bool(success), Violations: &violations}
}

// mapSeverity is the CDK plugin's mapping of engine severities.
func mapSeverity(s string) string {
	switch s {
	case "FATAL", "ERROR":
		return "error"
	case "WARN":
		return "warning"
	case "INFO":
		return "informational"
	case "DEBUG":
		return "debug"
	}
	return "warning"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
