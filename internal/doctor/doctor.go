// Package doctor reads, and never changes, what in the target AWS accounts
// makes a first `cdk deploy` of a WellKnown stack fail: credentials for
// another account, a missing or outdated CDK bootstrap, S3 Block Public
// Access on the account, a bucket name taken elsewhere or in another
// region, and a stack stuck in a state CloudFormation cannot update.
//
// It links the AWS SDK only, never the CDK: the wellknown command must not
// start the jsii runtime. Every call it can make is in allowedOperations,
// enforced by a middleware on every client (readonly.go).
package doctor

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/acme/wellknown/internal/config"
)

// Target is one environment as the checks need it: plain values, so the
// package needs neither the configuration nor the CDK.
type Target struct {
	Env        string
	Account    string
	Region     string
	BucketName string
	StackName  string
	// PublicBucket says the bucket must be readable anonymously (the
	// /.well-known files are fetched by Apple and Google). True for every
	// environment today; an environment served through a private origin
	// would not care about account-level Block Public Access.
	PublicBucket bool
	// Qualifier of the bootstrap resources; empty means config.DefaultQualifier.
	Qualifier string

	// What the synthesized stack requires, from the cloud assembly. Zero
	// when unknown; AssemblyNote then says why (no cdk.out, stack missing
	// from it, …). AssemblyNote may also flag an assembly that no longer
	// matches cdk.json.
	RequiredBootstrapVersion int
	BootstrapParameter       string
	// LookupBootstrapVersion is what the lookup role needs, which `cdk
	// diff` falls back to; less critical than the deploy requirement.
	LookupBootstrapVersion int
	AssemblyNote           string
}

func (t Target) qualifier() string {
	if t.Qualifier == "" {
		return config.DefaultQualifier
	}
	return t.Qualifier
}

// bootstrapParameter is the parameter the deploy checks: the assembly's,
// else the one the qualifier implies.
func (t Target) bootstrapParameter() string {
	if t.BootstrapParameter != "" {
		return t.BootstrapParameter
	}
	return config.BootstrapVersionParameter(t.qualifier())
}

// Options configures a run. Zero values take the defaults.
type Options struct {
	// Profile is a shared-config profile (--profile); empty uses the
	// standard chain (AWS_PROFILE, environment, SSO, instance roles).
	Profile string
	// Timeout bounds the whole run, credentials included. Default 30s.
	Timeout time.Duration
	// MaxAttempts per call, the first included. Default 3: a throttled
	// account gets a short bounded retry, not a minute of waiting.
	MaxAttempts int
	// MaxBackoff caps the delay between attempts. Default 2s.
	MaxBackoff time.Duration
	// Concurrency is how many environments are checked at once. Default 4.
	Concurrency int

	// RoleARN, when set, is assumed with the resolved credentials before
	// the checks: in CI the deploy role may do nothing but assume the CDK
	// bootstrap roles, and the lookup role among them reads the account
	// (ReadOnlyAccess).
	RoleARN string

	// HTTPClient replaces the SDK's client (tests route it to a fake).
	HTTPClient aws.HTTPClient
	// Config replaces the loaded configuration entirely (tests).
	Config *aws.Config
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 3
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 2 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	return o
}

// Run checks every target and returns their rows in the targets' order.
// The error is for what makes every check meaningless: configuration that
// cannot be loaded and credentials that are missing, expired or rejected
// (a *CredentialsError). Everything else is a row.
func Run(ctx context.Context, targets []Target, opts Options) (Report, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	defaultRegion := ""
	if len(targets) > 0 {
		defaultRegion = targets[0].Region
	}
	cfg, err := loadConfig(ctx, opts, defaultRegion)
	if err != nil {
		return Report{}, err
	}
	// One retrieval up front: without credentials no call can succeed, and
	// the chain's own error (no profile, expired SSO session) is the one
	// to show, not five copies of it per environment.
	if err := retrieveCredentials(ctx, cfg, opts.Timeout); err != nil {
		return Report{}, err
	}
	d := &doctor{cfg: cfg, opts: opts}
	envs := make([]EnvReport, len(targets))
	credErrs := make([]error, len(targets))
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			envs[i], credErrs[i] = d.checkEnv(ctx, t)
		}()
	}
	wg.Wait()
	if err := allCredentialErrors(credErrs); err != nil {
		return newReport(envs), err
	}
	return newReport(envs), nil
}

// allCredentialErrors returns the first error when every environment's
// identity call was refused for the credentials: then the credentials are
// the problem, not the environments. When only some were (an opt-in
// region not enabled, another partition), their rows say so instead.
func allCredentialErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	for _, err := range errs {
		if err == nil {
			return nil
		}
	}
	return errs[0]
}

type doctor struct {
	cfg  aws.Config
	opts Options
}

// checkEnv runs one environment's checks. Identity comes first: with
// credentials for another account every other answer would describe that
// account, so the rest is skipped.
func (d *doctor) checkEnv(ctx context.Context, t Target) (EnvReport, error) {
	rep := EnvReport{Env: t.Env, Account: t.Account, Region: t.Region, Stack: t.StackName, Bucket: t.BucketName}
	c := d.clients(t.Region)
	id := d.identity(ctx, c, t)
	rep.Checks = append(rep.Checks, id.check)
	if id.check.Status != Pass {
		reason := "not checked: the identity check failed"
		if id.otherAccount != "" {
			reason = fmt.Sprintf("not checked: the credentials are for account %s, not %s", id.otherAccount, t.Account)
		}
		for _, name := range CheckNames[1:] {
			rep.Checks = append(rep.Checks, Check{Name: name, Status: Skip, Message: reason})
		}
		if id.credErr != nil {
			return rep, id.credErr
		}
		return rep, nil
	}

	var (
		wg           sync.WaitGroup
		boot         Check
		bpa, orgBPA  Check
		stack        stackInfo
		bucketAnswer bucketProbe
	)
	wg.Add(4)
	go func() { defer wg.Done(); boot = d.bootstrap(ctx, c, t) }()
	go func() { defer wg.Done(); bpa, orgBPA = d.publicAccess(ctx, c, t) }()
	go func() { defer wg.Done(); stack = d.describeStack(ctx, c, t) }()
	go func() { defer wg.Done(); bucketAnswer = d.probeBucket(ctx, c, t) }()
	wg.Wait()
	bucket := d.bucketVerdict(ctx, c, t, bucketAnswer, stack)
	rep.Checks = append(rep.Checks, boot, bpa, orgBPA, bucket, stack.check)
	return rep, nil
}
