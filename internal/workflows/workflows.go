// Package workflows writes the project's two GitHub Actions workflows from
// plain values: wellknown-pr.yml tests every pull request and shows each
// environment's `cdk diff`, and wellknown-deploy.yml deploys the
// environments one after another, verifying each before the next.
//
// AWS access is by OIDC only: a job that needs AWS asks GitHub for a token
// (permissions: id-token: write, on that job alone) and
// aws-actions/configure-aws-credentials exchanges it for a session of the
// environment's role from the CI roles stack (stacks.NewWellKnownCIStack).
// No AWS key is stored anywhere. The output depends on the input only, byte
// for byte.
package workflows

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/toolchain"
)

// The generated files, relative to the repository root. GeneratedGlob
// matches them, and whatever an earlier version of the generator wrote.
const (
	PullRequestPath = ".github/workflows/wellknown-pr.yml"
	DeployPath      = ".github/workflows/wellknown-deploy.yml"
	GeneratedGlob   = ".github/workflows/wellknown-*.yml"
)

// runner is pinned so that a new ubuntu-latest image cannot change a run.
const runner = "ubuntu-24.04"

// Input is everything the workflows depend on.
type Input struct {
	// Repository is the GitHub repository, "owner/name".
	Repository string
	// DefaultBranch is the branch whose pushes deploy; empty means main.
	// A push filter names branches: GitHub has no "default branch" filter.
	DefaultBranch string
	// Environments in promotion order: each deploys only after the one
	// before it deployed and verified.
	Environments []Environment
	// GoVersion is the go line of go.mod (toolchain.GoVersion).
	GoVersion string
	// NodeMajor is the Node.js major version that runs the CDK CLI, which
	// package-lock.json pins and npx runs.
	NodeMajor int
}

// Environment is one deployment target and its CI roles.
type Environment struct {
	Name    string
	Account string
	Region  string
	// DeployRoleARN is assumed by the environment's deploy job,
	// DiffRoleARN by the pull request diff job.
	DeployRoleARN string
	DiffRoleARN   string
	// LookupRoleARN is the CDK lookup role of the environment's account and
	// region, which the deploy job assumes for `wellknown doctor`: the
	// deploy role itself may read nothing.
	LookupRoleARN string
}

// NewEnvironment is the environment name of account and region with the
// CI roles of that account and the bootstrap qualifier's lookup role.
func NewEnvironment(name, account, region, qualifier string) Environment {
	return Environment{
		Name: name, Account: account, Region: region,
		DeployRoleARN: ciroles.DeployRoleARN(account, region, name),
		DiffRoleARN:   ciroles.DiffRoleARN(account, region, name),
		LookupRoleARN: ciroles.BootstrapRoleARN(account, region, qualifier, config.LookupRole),
	}
}

// File is a generated file.
type File struct {
	Path string
	Data []byte
}

// Generate returns both workflows, pull request first.
func Generate(in Input) ([]File, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	return []File{
		{PullRequestPath, pullRequest(in).bytes()},
		{DeployPath, deploy(in).bytes()},
	}, nil
}

var (
	goVersionShape = regexp.MustCompile(`^[0-9]+\.[0-9]+(\.[0-9]+)?((rc|beta)[0-9]+)?$`)
	roleARNShape   = regexp.MustCompile(`^arn:(aws[a-z-]*):iam::([0-9]{12}):role/[A-Za-z0-9+=,.@_/-]{1,512}$`)
)

func (in Input) validate() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if err := ciroles.CheckRepository(in.Repository); err != nil {
		errs = append(errs, err)
	}
	if b := in.DefaultBranch; b != "" {
		if err := config.CheckBranch(b); err != nil {
			fail("default branch: %w", err)
		}
	}
	if !goVersionShape.MatchString(in.GoVersion) {
		fail("Go version %q: want the go line of go.mod, e.g. 1.25.0", in.GoVersion)
	}
	if in.NodeMajor < toolchain.MinNodeMajor {
		fail("Node.js major version %d: the CDK CLI and jsii need %d or newer", in.NodeMajor, toolchain.MinNodeMajor)
	}
	if len(in.Environments) == 0 {
		fail("no environments to deploy")
	}
	seen := map[string]bool{}
	for i, e := range in.Environments {
		where := fmt.Sprintf("environment %d (%s)", i+1, e.Name)
		if err := ciroles.CheckEnvName(e.Name); err != nil {
			fail("%s: %w", where, err)
		}
		if seen[e.Name] {
			fail("%s: listed twice; the promotion order names each environment once", where)
		}
		seen[e.Name] = true
		if err := ciroles.CheckAccount(e.Account); err != nil {
			fail("%s: %w", where, err)
		}
		if err := ciroles.CheckRegion(e.Region); err != nil {
			fail("%s: %w", where, err)
			continue
		}
		for _, r := range []struct{ field, arn string }{{"deploy role", e.DeployRoleARN}, {"diff role", e.DiffRoleARN}, {"lookup role", e.LookupRoleARN}} {
			field, arn := r.field, r.arn
			m := roleARNShape.FindStringSubmatch(arn)
			switch {
			case m == nil:
				fail("%s: %s %q is not an IAM role ARN", where, field, arn)
			case m[2] != e.Account:
				fail("%s: %s %s is in account %s, not %s", where, field, arn, m[2], e.Account)
			case m[1] != ciroles.Partition(e.Region):
				fail("%s: %s %s is in partition %s, but region %s is in %s", where, field, arn, m[1], e.Region, ciroles.Partition(e.Region))
			}
		}
	}
	return errors.Join(errs...)
}

func (in Input) branch() string {
	if in.DefaultBranch == "" {
		return "main"
	}
	return in.DefaultBranch
}

// header opens both files.
func header(purpose string) []string {
	return []string{
		"Generated by `wellknown ci`: do not edit by hand. Change cdk.json",
		"(\"wellknown:environments\") or go.mod and run `wellknown ci` again; it",
		"overwrites this file.",
		"",
		purpose,
	}
}
