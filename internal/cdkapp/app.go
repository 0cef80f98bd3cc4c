// Package cdkapp is the CDK app of this project: an awscdk.App with the
// project's checks (cdk-nag, the policy/ rules), one WellKnownStack per
// validated target, and a synthesis that never leaves a deployable
// assembly behind unless it succeeded.
package cdkapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/linkfile"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/policy"
	"github.com/acme/wellknown/stacks"
)

// newApp creates an app that writes its assembly to outdir. The context is
// passed explicitly so that runs without the CDK CLI (go run ., tests)
// synthesize exactly what `cdk synth` does.
func newApp(ctx config.Context, outdir string) (awscdk.App, error) {
	values := map[string]interface{}{}
	for k, raw := range ctx.Values() {
		var v interface{}
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("context %q: %w", k, err)
		}
		values[k] = v
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &values, Outdir: jsii.String(outdir)})
	// cdk-nag's findings are error annotations, which fail synthesis (the
	// annotationsInValidationReport feature flag routes them into the
	// validation report); Reports writes AwsSolutions-<stack>-NagReport.csv.
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Reports: jsii.Bool(true)}), nil)
	// The project's invariants (policy/*.rego) run in a plugin of their own
	// (OPA, in this process) whatever CDK_VALIDATION says; an ERROR fails
	// synthesis. The CDK's own default validation is left to the CDK: it
	// registers it unless CDK_VALIDATION=false (cdk synth --no-validation).
	awscdk.Validations_Of(app).AddPlugins(policy.Plugin())
	return app, nil
}

// AddStacks adds one WellKnownStack per target, named after its
// environment, in the environment's account and region; before it, for a
// custom domain whose certificate is created outside us-east-1, the
// WellKnownCert-<env> stack there. It returns the names of the certificate
// stacks.
func AddStacks(app awscdk.App, targets []preflight.Target) (certStacks []string, err error) {
	for _, t := range targets {
		cert, err := addEnvironment(app, t)
		if err != nil {
			return nil, err
		}
		if cert != "" {
			certStacks = append(certStacks, cert)
		}
	}
	return certStacks, nil
}

// addEnvironment adds one environment's stacks to scope, the app or a
// pipeline stage: the same code either way, so that the pipeline deploys
// exactly the stacks of a direct `cdk deploy`. It returns the name of the
// certificate stack, if there is one.
func addEnvironment(scope constructs.Construct, t preflight.Target) (certStack string, err error) {
	props := StackProps(t)
	if t.Env.HasCertStack() {
		d := t.Env.Domain
		certStack = t.Env.CertStackName()
		_, cert, err := stacks.NewWellKnownCertStack(scope, certStack, &stacks.WellKnownCertStackProps{
			StackProps: awscdk.StackProps{
				Env:                   &awscdk.Environment{Account: jsii.String(t.Env.Account), Region: jsii.String(config.CertificateRegion)},
				StackName:             jsii.String(certStack),
				TerminationProtection: jsii.Bool(t.Env.TerminationProtection),
			},
			DomainName: d.Name, HostedZoneID: d.HostedZoneID, HostedZoneName: d.HostedZoneName,
		})
		if err != nil {
			return "", err
		}
		props.Hosting.Domain.Certificate = cert
	}
	if _, err := stacks.NewWellKnownStack(scope, t.Env.StackName(), props); err != nil {
		return "", err
	}
	return certStack, nil
}

// StackProps maps a validated target onto the stack's plain props.
func StackProps(t preflight.Target) *stacks.WellKnownStackProps {
	e := t.Env
	files := map[string][]byte{}
	for _, f := range t.Files {
		files[f.Name] = f.Data
	}
	removal := awscdk.RemovalPolicy_RETAIN
	if e.RemovalPolicy == config.Destroy {
		removal = awscdk.RemovalPolicy_DESTROY
	}
	return &stacks.WellKnownStackProps{
		StackProps: awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(e.Account), Region: jsii.String(e.Region)},
			// Explicit, so that the stack has this name inside a pipeline
			// stage too, where it would otherwise be <stage>-<id>.
			StackName:             jsii.String(e.StackName()),
			TerminationProtection: jsii.Bool(e.TerminationProtection),
			Description:           jsii.String("wellknown: public /" + linkfile.Dir + " app-link files for " + e.Name),
		},
		Hosting: stacks.WellKnownHostingProps{
			BucketName:        e.BucketName,
			Files:             files,
			RemovalPolicy:     removal,
			DisableAccessLogs: !e.AccessLogs,
			Domain:            domainProps(e.Domain),
		},
	}
}

func domainProps(d *config.Domain) *stacks.DomainProps {
	if d == nil {
		return nil
	}
	return &stacks.DomainProps{
		Name: d.Name, CertificateArn: d.CertificateARN,
		HostedZoneID: d.HostedZoneID, HostedZoneName: d.HostedZoneName,
		KeepS3Public: d.KeepS3Public, PriceClass: priceClasses[d.PriceClass],
	}
}

var priceClasses = map[string]awscloudfront.PriceClass{
	"100": awscloudfront.PriceClass_PRICE_CLASS_100,
	"200": awscloudfront.PriceClass_PRICE_CLASS_200,
	"All": awscloudfront.PriceClass_PRICE_CLASS_ALL,
}

// AddCIStacks adds, when the configuration has a "wellknown:ci" section,
// one WellKnownCI-<account> stack per AWS account its environments use, in
// the region config.Config.CIStackRegion gives (the partition's IAM region
// unless "stackRegions" names one), and returns their names.
func AddCIStacks(app awscdk.App, cfg config.Config) ([]string, error) {
	if cfg.CI == nil {
		return nil, nil
	}
	var accounts []string
	byAccount := map[string][]stacks.CIEnvironment{}
	for _, name := range cfg.CI.Promotion {
		e, ok := cfg.Find(name)
		if !ok {
			return nil, fmt.Errorf("promotion names %q, which is not a valid environment", name)
		}
		if _, seen := byAccount[e.Account]; !seen {
			accounts = append(accounts, e.Account)
		}
		byAccount[e.Account] = append(byAccount[e.Account], ciEnvironment(e))
	}
	var names []string
	for _, account := range accounts {
		envs := byAccount[account]
		name := ciroles.StackName(account)
		_, err := stacks.NewWellKnownCIStack(app, name, &stacks.WellKnownCIStackProps{
			StackProps: awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(cfg.CIStackRegion(account))},
				// The roles are what every later deploy of the account
				// depends on; deleting the stack must be deliberate.
				TerminationProtection: jsii.Bool(true),
			},
			Repository:              cfg.CI.Repository,
			Environments:            envs,
			BootstrapQualifier:      cfg.Qualifier,
			ExistingOIDCProviderARN: cfg.CI.OIDCProviderARNs[account],
		})
		var tooLarge *stacks.PolicyTooLargeError
		if errors.As(err, &tooLarge) {
			// Not a fault of the stack but of how cdk.json spreads the
			// environments: say it in cdk.json's terms.
			var envNames []string
			for _, e := range envs {
				envNames = append(envNames, e.Name)
			}
			return nil, fmt.Errorf("%s: %s: account %s (%s): %w — give the account fewer environments (move some to another account: each account has a CI roles stack of its own), or shorter environment and bucket names",
				config.FileName, config.SectionPath(config.CIKey), account, strings.Join(envNames, ", "), tooLarge)
		}
		if err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

// ciEnvironment is what the CI roles stack needs to know about an
// environment: where its stacks are deployed and what they contain.
func ciEnvironment(e config.Environment) stacks.CIEnvironment {
	ci := stacks.CIEnvironment{Name: e.Name, Region: e.Region, BucketName: e.BucketName}
	if e.HasCertStack() {
		ci.CertificateRegion = config.CertificateRegion
	}
	if d := e.Domain; d != nil {
		ci.Domain = &stacks.CIDomain{
			HostedZoneID:       d.HostedZoneID,
			CreatesCertificate: d.CertificateARN == "",
			AccessLogs:         e.AccessLogs,
		}
	}
	return ci
}
