package workflows

import "fmt"

// deploy is wellknown-deploy.yml: on every push to the default branch (or
// by hand), each environment in promotion order. A job starts only when the
// one before it deployed and verified, so a failure stops the promotion
// where it happened.
func deploy(in Input) workflow {
	w := workflow{
		header: header("Deploys: each environment in promotion order, verified before the next."),
		name:   "wellknown deploy",
		on: mapping{
			{key: "push", value: mapping{{key: "branches", value: sequence{scalar(in.branch())}}}},
			{key: "workflow_dispatch", value: empty{}},
		},
		permissions: readOnly,
	}
	// Deploy from the default branch of this repository only: a manual run
	// on another branch, or a fork with Actions enabled, is skipped. The
	// GitHub environments' deployment branch rules are the gate a
	// repository admin sets; this keeps the workflow from even trying.
	cond := fmt.Sprintf("github.repository == '%s' && github.ref == 'refs/heads/%s'", in.Repository, in.branch())
	previous := ""
	for _, e := range in.Environments {
		j := deployJob(in, e, cond)
		if previous != "" {
			j.needs = []string{previous}
		}
		w.jobs = append(w.jobs, j)
		previous = j.id
	}
	return w
}

// deployJob deploys e and proves the result.
func deployJob(in Input, e Environment, cond string) job {
	steps := append([]step{checkoutStep()}, toolchainSteps(in, false)...)
	steps = append(steps, assumeRoleStep("deploy", e, e.DeployRoleARN))
	steps = append(steps, preDeploySteps(e)...)
	steps = append(steps,
		step{name: "cdk deploy WellKnown-" + e.Name, run: fmt.Sprintf("npx cdk deploy %s --require-approval never", stackArgs(e))},
		// A failed verify fails the job, and the next environment's job,
		// which needs this one, does not run.
		step{name: "wellknown verify " + e.Name, run: "go run ./cmd/wellknown verify --env " + e.Name},
		step{name: "Hand-off values of " + e.Name, run: handoffScript(e)},
	)
	return job{
		id:   "deploy-" + e.Name,
		name: "deploy " + e.Name,
		cond: cond,
		// The job's OIDC sub becomes repo:<owner>/<name>:environment:<env>,
		// the only subject the deploy role trusts; the environment's
		// protection rules (reviewers, branches) apply before it starts.
		environment: e.Name,
		// One deploy per environment at a time; a newer run waits rather
		// than cancelling a CloudFormation update halfway.
		concurrency: &concurrency{group: "wellknown-" + e.Name, cancelInProgress: false},
		permissions: withOIDC,
		timeout:     60,
		steps:       steps,
	}
}

// preDeploySteps run with the deploy role's session, after the toolchain
// and before cdk deploy: `wellknown doctor` reads what would make the
// deploy fail (Block Public Access, bootstrap version, a taken bucket name,
// a stack stuck in ROLLBACK_COMPLETE) and a failing check stops the job
// before CloudFormation is touched. It reads the bootstrap version the
// stack requires from the assembly, hence the synthesis first, and reads
// the account as the CDK lookup role: the deploy role may read nothing.
func preDeploySteps(e Environment) []step {
	return []step{
		{name: "Synthesize WellKnown-" + e.Name, run: fmt.Sprintf("npx cdk synth %s --quiet", stackArgs(e))},
		{name: "wellknown doctor " + e.Name, run: fmt.Sprintf("go run ./cmd/wellknown doctor --env %s --role-arn %s", e.Name, e.LookupRoleARN)},
	}
}

// handoffScript appends the values for the Alexa console, the identity
// provider and the apps to the job summary, as text: the Android intent
// filter is XML, which Markdown would swallow.
func handoffScript(e Environment) string {
	return fmt.Sprintf(`{
  echo "### Hand-off values of %s"
  echo
  echo '`+"````"+`text'
  go run ./cmd/wellknown handoff --env %s
  echo '`+"````"+`'
} >> "$GITHUB_STEP_SUMMARY"
`, e.Name, e.Name)
}
