// Package doctor reads, and never changes, what in the target AWS accounts
// makes a first `cdk deploy` of a WellKnown stack fail: credentials for
// another account, a missing or outdated CDK bootstrap, S3 Block Public
// Access on the account, a bucket name taken elsewhere or in another
// region, and a stack stuck in a state CloudFormation cannot update; for
// a custom domain, a certificate CloudFront cannot use and a hosted zone
// that is not the public one named; with CI, roles and an OIDC provider
// the workflows cannot use.
//
// It links the AWS SDK only, never the CDK: the wellknown command must not
// start the jsii runtime. Every call it can make is in allowedOperations,
// enforced by a middleware on every client (readonly.go).
package doctor

import (
	"context"
	"fmt"
	"slices"
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
	// /.well-known files are fetched from it by Apple and Google). False
	// for a custom domain without keepS3Public: CloudFront reads the
	// private bucket, so account-level Block Public Access does not matter.
	PublicBucket bool
	// Domain is the environment's own host, nil when the files are served
	// from the S3 host.
	Domain *Domain
	// CI is set when cdk.json has a "wellknown:ci" section: the account's
	// CI roles stack then holds roles for this environment.
	CI *CI
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

	// CertStack is set when the deploy also creates the domain's
	// certificate stack in us-east-1 (config.Environment.HasCertStack).
	CertStack *CertStack
}

// CertStack is the us-east-1 certificate stack of a target, with what its
// deploy requires of that region's bootstrap (from the cloud assembly, as
// for the target's own stack).
type CertStack struct {
	Name                     string
	RequiredBootstrapVersion int
	BootstrapParameter       string
	AssemblyNote             string
}

// Domain is a custom domain as the checks need it (config.Domain).
type Domain struct {
	Name string
	// CertificateARN is the ACM certificate (us-east-1) to use; empty
	// means the deploy creates one, validated in the hosted zone.
	CertificateARN string
	// HostedZoneID and HostedZoneName name the Route 53 zone; both empty
	// when no DNS records are created.
	HostedZoneID, HostedZoneName string
}

// CI is what the environment's CI roles must trust.
type CI struct {
	// Repository is the GitHub repository, "owner/name".
	Repository string
	// ProviderARN is the account's GitHub OIDC provider: the configured
	// existing one, or the one the CI roles stack creates (the same ARN:
	// IAM names a provider after its URL).
	ProviderARN string
	// ExistingProvider: cdk.json names the provider as existing
	// ("oidcProviderArns"), so the CI roles stack does not create it.
	ExistingProvider bool
}

// checks are the target's rows, in order: identity and the deploy
// checks always, the domain's and the CI roles' when configured.
func (t Target) checks() []string {
	names := []string{CheckIdentity, CheckBootstrap}
	if t.CertStack != nil {
		names = append(names, CheckCertBootstrap)
	}
	names = append(names, CheckPublicAccess, CheckOrgPublicAccess, CheckBucket, CheckStack)
	if t.CertStack != nil {
		names = append(names, CheckCertStack)
	}
	if t.Domain != nil {
		names = append(names, CheckCertificate)
		if t.Domain.HostedZoneID != "" {
			names = append(names, CheckHostedZone)
		}
	}
	if t.CI != nil {
		names = append(names, CheckCIRoles)
	}
	return names
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
	// providers shares one GetOpenIDConnectProvider answer among the
	// environments of an account: the provider is per account.
	providers memo[providerAnswer]
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
		for _, name := range t.checks()[1:] {
			rep.Checks = append(rep.Checks, Check{Name: name, Status: Skip, Message: reason})
		}
		if id.credErr != nil {
			return rep, id.credErr
		}
		return rep, nil
	}

	var (
		wg                     sync.WaitGroup
		boot, certBoot         Check
		certStack              stackInfo
		bpa, orgBPA            Check
		stack                  stackInfo
		bucketAnswer           bucketProbe
		cert, zone, ciRoles    Check
		rows                   = t.checks()
		hasCert, hasZone, isCI = slices.Contains(rows, CheckCertificate), slices.Contains(rows, CheckHostedZone), slices.Contains(rows, CheckCIRoles)
	)
	wg.Add(4)
	go func() { defer wg.Done(); boot = d.bootstrap(ctx, c, t) }()
	if t.CertStack != nil {
		wg.Add(1)
		go func() { defer wg.Done(); certBoot = d.certBootstrap(ctx, c, t) }()
		wg.Add(1)
		go func() { defer wg.Done(); certStack = d.describeCertStack(ctx, c, t) }()
	}
	go func() { defer wg.Done(); bpa, orgBPA = d.publicAccess(ctx, c, t) }()
	go func() { defer wg.Done(); stack = d.describeStack(ctx, c, t) }()
	go func() { defer wg.Done(); bucketAnswer = d.probeBucket(ctx, c, t) }()
	if hasCert {
		wg.Add(1)
		go func() { defer wg.Done(); cert = d.certificate(ctx, c, t) }()
	}
	if hasZone {
		wg.Add(1)
		go func() { defer wg.Done(); zone = d.hostedZone(ctx, c, t) }()
	}
	if isCI {
		wg.Add(1)
		go func() { defer wg.Done(); ciRoles = d.ciRoles(ctx, c, t) }()
	}
	wg.Wait()
	bucket := d.bucketVerdict(ctx, c, t, bucketAnswer, stack)
	rep.Checks = append(rep.Checks, boot)
	if t.CertStack != nil {
		rep.Checks = append(rep.Checks, certBoot)
	}
	rep.Checks = append(rep.Checks, bpa, orgBPA, bucket, stack.check)
	if t.CertStack != nil {
		rep.Checks = append(rep.Checks, certStack.check)
	}
	if hasCert {
		rep.Checks = append(rep.Checks, cert)
	}
	if hasZone {
		rep.Checks = append(rep.Checks, zone)
	}
	if isCI {
		rep.Checks = append(rep.Checks, ciRoles)
	}
	return rep, nil
}
