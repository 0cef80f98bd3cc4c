package workflows

import (
	"fmt"
	"strconv"

	"github.com/acme/wellknown/internal/ciroles"
)

// Steps shared by the jobs.

// checkoutStep checks out the commit under test. The token is not left in
// .git/config: nothing after the checkout pushes, and every later step
// (npm packages, the CDK app) could read it there.
func checkoutStep() step {
	return step{name: "Check out", uses: &checkout, with: []input{{"persist-credentials", "false", true}}}
}

// toolchainSteps install Go (the version of go.mod), Node.js and the CDK
// CLI pinned in package-lock.json. cached=false for deploys: a deploy must
// not run code restored from a cache that another run wrote.
func toolchainSteps(in Input, cached bool) []step {
	goStep := step{name: "Set up Go", uses: &setupGo, with: []input{{key: "go-version", value: in.GoVersion}}}
	nodeStep := step{name: "Set up Node.js", uses: &setupNode, with: []input{{key: "node-version", value: strconv.Itoa(in.NodeMajor)}}}
	if cached {
		nodeStep.with = append(nodeStep.with, input{key: "cache", value: "npm"})
	} else {
		goStep.with = append(goStep.with, input{"cache", "false", true})
		nodeStep.with = append(nodeStep.with, input{"package-manager-cache", "false", true})
	}
	return []step{
		goStep,
		nodeStep,
		// The Makefile installs the same way; the package's postinstall
		// keeps `go ./...` out of node_modules, so scripts must run.
		{name: "Install the CDK CLI", run: "npm ci --no-audit --no-fund"},
	}
}

// assumeRoleStep exchanges the job's OIDC token for a session of role.
// allowed-account-ids makes the step fail if the role is not in the
// environment's account (a wrong ARN in cdk.json). CloudTrail shows the
// session as assumed-role/<role name>/<session name>: the role names the
// environment and the job kind, the session name the run and its attempt
// (session names are limited to 64 characters). Where the partition's
// audience is not the action's default (China), the token is asked for
// it: the OIDC provider and the trust conditions of the CI roles stack
// expect that audience there.
func assumeRoleStep(what string, e Environment, role string) step {
	with := []input{
		{key: "role-to-assume", value: role},
		{key: "aws-region", value: e.Region},
		{key: "allowed-account-ids", value: e.Account},
		{key: "role-session-name", value: "github-${{ github.run_id }}-${{ github.run_attempt }}"},
	}
	if aud := ciroles.Audience(e.Region); aud != ciroles.DefaultAudience {
		with = append(with, input{key: "audience", value: aud})
	}
	return step{
		name: fmt.Sprintf("Assume the %s role of %s", what, e.Name),
		uses: &configureAWSCredentials,
		with: with,
	}
}

// stackArgs select one environment's stack: -c env=<name> synthesizes only
// that environment, and reads only its link files.
func stackArgs(e Environment) string {
	return fmt.Sprintf("WellKnown-%s -c env=%s", e.Name, e.Name)
}
