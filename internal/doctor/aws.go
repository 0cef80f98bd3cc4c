package doctor

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"

	wkconfig "github.com/acme/wellknown/internal/config"
)

// loadConfig resolves the standard configuration chain (environment,
// shared config and credentials files, SSO, container and instance roles)
// the way the AWS CLI and the CDK CLI do, so doctor sees the account
// `cdk deploy` would.
//
// defaultRegion applies only when neither the environment nor the profile
// names one: every client gets its environment's region anyway, but the
// credential providers (assume-role profiles call STS) need one too.
func loadConfig(ctx context.Context, opts Options, defaultRegion string) (aws.Config, error) {
	if opts.Config != nil {
		cfg := opts.Config.Copy()
		if opts.HTTPClient != nil {
			cfg.HTTPClient = opts.HTTPClient
		}
		return cfg, nil
	}
	// The SDK logs to stderr on its own (the IMDS client's "falling back
	// to IMDSv1" warning, among others) before doctor can say anything;
	// what matters reaches the rows or the one credential error instead.
	load := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if defaultRegion != "" {
		load = append(load, config.WithDefaultRegion(defaultRegion))
	}
	if opts.Profile != "" {
		load = append(load, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.HTTPClient != nil {
		load = append(load, config.WithHTTPClient(opts.HTTPClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err == nil && opts.RoleARN != "" {
		// The AssumeRole call is credential acquisition, like an
		// assume-role profile's, not a check: it goes through its own STS
		// client, outside the read-only guard.
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), opts.RoleARN,
			func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "wellknown-doctor" }))
	}
	if err != nil {
		var missing config.SharedConfigProfileNotExistError
		if errors.As(err, &missing) {
			return aws.Config{}, &CredentialsError{
				Err:  fmt.Errorf("AWS profile %q is not in the shared config or credentials file", missing.Profile),
				Hint: "List the profiles with `aws configure list-profiles`, or configure one with `aws configure sso`.",
			}
		}
		return aws.Config{}, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	return cfg, nil
}

// retrieveCredentials resolves the credentials once, so a missing or
// expired login is one clear error instead of a failed row per check.
func retrieveCredentials(ctx context.Context, cfg aws.Config, timeout time.Duration) error {
	if cfg.Credentials == nil {
		return noCredentials(errors.New("no credential source configured"))
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	switch {
	case err != nil && ctx.Err() != nil:
		return noCredentials(fmt.Errorf("no credentials within %s (--timeout): %w", timeout, trimPrefixes(err)))
	case err != nil:
		if f, ok := connectionFailure(err); ok {
			// A credential source that calls AWS (--role-arn, an
			// assume-role or SSO profile) fails on the network as every
			// check would: in the words the checks' rows use.
			return &CredentialsError{Err: errors.New(f.message), Hint: "Doctor could not get credentials: " + f.fix + "."}
		}
		return noCredentials(trimPrefixes(err))
	case !creds.HasKeys():
		return noCredentials(errors.New("the credential chain returned no keys"))
	}
	return nil
}

// clients are one environment's service clients: the regional ones in
// its region, the global ones where their partition signs them.
type clients struct {
	sts *sts.Client
	ssm *ssm.Client
	// ssmCert reads us-east-1's bootstrap version for a certificate stack.
	ssmCert   *ssm.Client
	s3control *s3control.Client
	s3        *s3.Client
	cfn       *cloudformation.Client
	// cfnCert describes a certificate stack, which lives in us-east-1.
	cfnCert *cloudformation.Client
	iam     *iam.Client
	// acm and route53 serve only custom domains, which exist only in the
	// aws partition: both are in us-east-1, ACM because CloudFront takes
	// certificates from there only, Route 53 because its one endpoint
	// (route53.amazonaws.com) signs for us-east-1.
	acm     *acm.Client
	route53 *route53.Client
}

// clients builds region's clients. Every client gets the read-only guard
// and a bounded retryer: with the SDK's default backoff (up to 20 s
// between attempts) one throttled call could eat the whole --timeout.
func (d *doctor) clients(region string) clients {
	retryer := func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = d.opts.MaxAttempts
			o.MaxBackoff = d.opts.MaxBackoff
		})
	}
	guard := func(stack *middleware.Stack) error { return addReadOnlyGuard(stack) }
	return clients{
		sts: sts.NewFromConfig(d.cfg, func(o *sts.Options) {
			o.Region, o.Retryer = region, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		ssm: ssm.NewFromConfig(d.cfg, func(o *ssm.Options) {
			o.Region, o.Retryer = region, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		ssmCert: ssm.NewFromConfig(d.cfg, func(o *ssm.Options) {
			o.Region, o.Retryer = wkconfig.CertificateRegion, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		s3control: s3control.NewFromConfig(d.cfg, func(o *s3control.Options) {
			o.Region, o.Retryer = region, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		s3: s3.NewFromConfig(d.cfg, func(o *s3.Options) {
			o.Region, o.Retryer = region, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		cfn: cloudformation.NewFromConfig(d.cfg, func(o *cloudformation.Options) {
			o.Region, o.Retryer = region, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		cfnCert: cloudformation.NewFromConfig(d.cfg, func(o *cloudformation.Options) {
			o.Region, o.Retryer = wkconfig.CertificateRegion, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		// The SDK's endpoint rules derive IAM's endpoint and signing scope
		// from any region of the partition; naming the home region keeps
		// the client's region the one that is signed.
		iam: iam.NewFromConfig(d.cfg, func(o *iam.Options) {
			o.Region, o.Retryer = wkconfig.IAMRegion(region), retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		acm: acm.NewFromConfig(d.cfg, func(o *acm.Options) {
			o.Region, o.Retryer = wkconfig.CertificateRegion, retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
		route53: route53.NewFromConfig(d.cfg, func(o *route53.Options) {
			o.Region, o.Retryer = "us-east-1", retryer()
			o.APIOptions = append(o.APIOptions, guard)
		}),
	}
}

// memo runs a call once per key and shares its answer with every caller,
// including those that arrive while it runs.
type memo[T any] struct {
	mu    sync.Mutex
	calls map[string]*memoCall[T]
}

type memoCall[T any] struct {
	once  sync.Once
	value T
}

func (m *memo[T]) do(key string, f func() T) T {
	m.mu.Lock()
	if m.calls == nil {
		m.calls = map[string]*memoCall[T]{}
	}
	c, ok := m.calls[key]
	if !ok {
		c = &memoCall[T]{}
		m.calls[key] = c
	}
	m.mu.Unlock()
	c.once.Do(func() { c.value = f() })
	return c.value
}
