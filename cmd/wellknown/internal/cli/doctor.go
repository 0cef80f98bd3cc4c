package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/acme/wellknown/internal/cdkout"
	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/doctor"
	"github.com/acme/wellknown/internal/exit"
	"github.com/acme/wellknown/internal/jsontree"
)

var doctorCommand = command{
	name:    "doctor",
	args:    "[--env NAME]… [--json] [--timeout DURATION] [--profile PROFILE] [--role-arn ARN] [--assembly DIR]",
	summary: "read-only pre-deploy checks of the target AWS accounts",
	help: `Before "cdk deploy", reads — and never changes — what makes a first deploy
fail, for each selected environment (default: all), each as its own row:

  identity           the credentials are for the environment's account (STS)
  bootstrap          the CDK bootstrap version in the account/region is at least
                     what the synthesized stack requires (the assembly's manifest.json)
  public-access      the account's S3 Block Public Access lets the bucket policy
                     make the files public (BlockPublicPolicy, RestrictPublicBuckets)
  org-public-access  a reminder: organization guardrails cannot be read from a
                     member account
  bucket             the bucket name is free, or the stack's own bucket, and in
                     the environment's region
  stack              WellKnown-<env> is absent or in a state CloudFormation can update

With a "domain" (public-access passes for a bucket kept private):
  certificate        certificateArn is ISSUED in us-east-1 of the account, covers
                     the domain and has not expired (ACM)
  hosted-zone        hostedZoneId exists, is hostedZoneName and is public (Route 53)

When the deploy also creates WellKnownCert-<env> in us-east-1 (a "domain"
without certificateArn, outside us-east-1):
  cert-bootstrap     us-east-1 of the account is bootstrapped for that stack
  cert-stack         WellKnownCert-<env> is absent or in a state CloudFormation can update

With a "wellknown:ci" section:
  ci-roles           wellknown-deploy-<env> and wellknown-diff-<env> exist and trust
                     exactly this repository's subjects, and GitHub's OIDC provider
                     exists (IAM; deployed by WellKnownCI-<account>)

Credentials come from the standard AWS chain (AWS_PROFILE, environment
variables, SSO, instance and container roles, HTTPS_PROXY and
AWS_CA_BUNDLE included); --profile picks a profile, and --role-arn assumes
a role with them first (the CI workflow uses the CDK lookup role). Only
Get, List, Describe and Head operations are sent for the checks. Run "make synth" first so the
bootstrap requirement can be read from the cloud assembly.

Exit 0 when every check passes (warnings allowed), 1 when one fails, 2 for
usage or configuration errors and for missing, expired or rejected
credentials.`,
	run: runDoctor,
}

// roleARNShape is an IAM role ARN, path included.
var roleARNShape = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`)

// testDoctorOptions lets tests route the SDK to a fake (HTTP client) and
// shorten retry backoff; nil in the command.
var testDoctorOptions func(*doctor.Options)

func runDoctor(s *session, c command, args []string) error {
	fs := s.flags(c)
	var envs envList
	fs.Var(&envs, "env", "environment `NAME` to check (repeatable; default: all)")
	s.jsonFlag(fs, "print the results as JSON")
	timeout := fs.Duration("timeout", 30*time.Second, "timeout of the whole run, retries included")
	profile := fs.String("profile", "", "AWS shared-config `PROFILE` to use (default: the standard credential chain)")
	roleARN := fs.String("role-arn", "", "assume `ARN` first, e.g. the CDK lookup role in CI, where the deploy role reads nothing itself")
	assembly := fs.String("assembly", "", "cloud assembly `DIR` to read the bootstrap requirement from (default: where synthesis writes it, <dir>/cdk.out or cdk.json's \"output\")")
	pos, err := s.parse(c, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageError(c, "unexpected argument %q", pos[0])
	case *timeout <= 0:
		return usageError(c, "--timeout must be positive")
	case *roleARN != "" && !roleARNShape.MatchString(*roleARN):
		// Checked before any call: a typo would otherwise come back from
		// STS as an access error that looks like missing rights.
		return usageError(c, "--role-arn %s is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)", jsontree.Quote(*roleARN))
	}
	res, err := s.loadTargets(c, envs.sel)
	if err != nil {
		return err
	}
	selected, err := res.Config.Select(envs.sel)
	if err != nil {
		return usageError(c, "%v", err)
	}
	if n := diag.Count(res.Problems).Errors; n > 0 {
		// The local files are `check`'s business, but a clean doctor run
		// followed by a synthesis that refuses them would mislead.
		fmt.Fprintf(s.stderr, "wellknown doctor: note: the local files have %s; `wellknown check` lists them, and the synthesis refuses them\n", diag.Plural(n, "error"))
	}
	asm, asmDir, err := readAssembly(s.dir, *assembly)
	if err != nil {
		return err
	}

	targets := make([]doctor.Target, len(selected))
	for i, env := range selected {
		t := doctor.Target{
			Env: env.Name, Account: env.Account, Region: env.Region,
			BucketName: env.BucketName, StackName: env.StackName(),
			// Behind a custom domain CloudFront reads a private bucket,
			// unless keepS3Public keeps the S3 host serving too.
			PublicBucket: env.PublicS3(),
			Qualifier:    res.Config.Qualifier,
		}
		if d := env.Domain; d != nil {
			t.Domain = &doctor.Domain{Name: d.Name, CertificateARN: d.CertificateARN, HostedZoneID: d.HostedZoneID, HostedZoneName: d.HostedZoneName}
		}
		if env.HasCertStack() {
			t.CertStack = &doctor.CertStack{Name: env.CertStackName()}
		}
		if ci := res.Config.CI; ci != nil {
			t.CI = ciTarget(ci, env)
		}
		asm.Apply(&t, asmDir)
		targets[i] = t
	}
	opts := doctor.Options{Profile: *profile, Timeout: *timeout, RoleARN: *roleARN}
	if testDoctorOptions != nil {
		testDoctorOptions(&opts)
	}
	rep, err := doctor.Run(context.Background(), targets, opts)
	var credErr *doctor.CredentialsError
	switch {
	case errors.As(err, &credErr):
		return &exit.Error{Code: exit.Usage, Err: credErr, Hint: credErr.Hint}
	case err != nil:
		return exit.WithCode(exit.Usage, err)
	}

	if s.json {
		err = writeJSON(s.stdout, struct {
			OK       bool   `json:"ok"`
			Assembly string `json:"assembly,omitempty"`
			doctor.Report
		}{rep.OK(), asmPath(asm), rep})
	} else {
		for _, t := range targets {
			domain := ""
			if t.Domain != nil {
				domain = ", domain " + t.Domain.Name
			}
			fmt.Fprintf(s.stdout, "%s: aws://%s/%s, stack %s, bucket %s%s\n", t.Env, t.Account, t.Region, t.StackName, t.BucketName, domain)
		}
		fmt.Fprintln(s.stdout)
		err = rep.WriteText(s.stdout)
	}
	return reported(err, rep.Tally)
}

// ciTarget is what env's CI roles must trust. The provider is the one
// cdk.json names as existing in the account, else the one the CI roles
// stack creates; both have the same ARN, since IAM names a provider
// after its URL, but only the created one is the stack's to repair.
func ciTarget(ci *config.CI, env config.Environment) *doctor.CI {
	arn, existing := ci.OIDCProviderARNs[env.Account]
	if !existing {
		arn = ciroles.ProviderARN(env.Account, env.Region)
	}
	return &doctor.CI{Repository: ci.Repository, ProviderARN: arn, ExistingProvider: existing}
}

// readAssembly reads the cloud assembly: an explicit --assembly must
// exist; the default, the directory synthesis writes (cdk.out), may be
// missing (the checks then say so).
func readAssembly(projectDir, flagDir string) (*doctor.Assembly, string, error) {
	dir := flagDir
	if dir == "" {
		dir = cdkout.Dir(projectDir)
	}
	asm, err := doctor.ReadAssembly(dir)
	switch {
	case err == nil:
		return asm, dir, nil
	case doctor.IsNotExist(err) && flagDir == "":
		return nil, dir, nil
	case doctor.IsNotExist(err):
		return nil, dir, exit.Usagef("--assembly %s: no manifest.json there; run `make synth` or point --assembly at a cloud assembly", flagDir)
	}
	return nil, dir, exit.WithCode(exit.Usage, fmt.Errorf("%w (run `make synth` again)", err))
}

func asmPath(a *doctor.Assembly) string {
	if a == nil {
		return ""
	}
	return a.Dir
}
