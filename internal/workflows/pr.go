package workflows

import "fmt"

// sameRepository is true for pull requests whose branch is in this
// repository. GitHub gives pull requests from forks no OIDC token (and no
// secrets), so their diff jobs are skipped instead of failing.
const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository"

// pullRequest is wellknown-pr.yml: tests, then per environment the
// cdk diff against what is deployed, in the job summary.
func pullRequest(in Input) workflow {
	w := workflow{
		header: header("Pull requests: tests, wellknown check, and each environment's cdk diff."),
		name:   "wellknown pull request",
		on:     mapping{{key: "pull_request", value: empty{}}},
		// Least privilege: jobs read the repository; only the diff jobs
		// add an OIDC token.
		permissions: readOnly,
		// A new push to the pull request supersedes the running checks.
		concurrency: &concurrency{group: "wellknown-pr-${{ github.event.pull_request.number }}", cancelInProgress: true},
	}
	test := job{
		id:      "test",
		name:    "test",
		timeout: 30,
		steps: append(append([]step{checkoutStep()}, toolchainSteps(in, true)...),
			step{name: "make test", run: "make test"},
			step{name: "wellknown check", run: "go run ./cmd/wellknown check"},
		),
	}
	w.jobs = append(w.jobs, test)
	for _, e := range in.Environments {
		w.jobs = append(w.jobs, diffJob(in, e, test.id))
	}
	w.jobs = append(w.jobs, job{
		id:      "fork-notice",
		name:    "cdk diff skipped for forks",
		cond:    "github.event.pull_request.head.repo.full_name != github.repository",
		timeout: 5,
		steps: []step{{
			name: "Explain the skipped diffs",
			run:  `echo "::notice title=cdk diff skipped::This pull request comes from a fork, and GitHub gives forks no OIDC token, so the diff jobs cannot assume the AWS diff roles. Push the branch to this repository to see the diffs."`,
		}},
	})
	return w
}

// diffJob shows what merging would change in e: cdk diff with e's diff
// role, which may only assume the CDK lookup role (read-only).
func diffJob(in Input, e Environment, needs string) job {
	return job{
		id:          "diff-" + e.Name,
		name:        "cdk diff " + e.Name,
		needs:       []string{needs},
		cond:        sameRepository,
		permissions: withOIDC,
		timeout:     20,
		steps: append(append([]step{checkoutStep()}, toolchainSteps(in, true)...),
			assumeRoleStep("diff", e, e.DiffRoleARN),
			step{name: "cdk diff WellKnown-" + e.Name, run: diffScript(e)},
		),
	}
}

// diffScript writes the diff to the log and to the job summary (fenced with
// four backticks, which cdk diff output never contains), and keeps cdk
// diff's exit status: an error fails the job, a difference does not.
func diffScript(e Environment) string {
	return fmt.Sprintf(`out="$RUNNER_TEMP/cdk-diff.txt"
status=0
npx cdk diff %s > "$out" 2>&1 || status=$?
cat "$out"
{
  echo "### cdk diff WellKnown-%s"
  echo
  echo '`+"````"+`text'
  cat "$out"
  echo '`+"````"+`'
} >> "$GITHUB_STEP_SUMMARY"
exit "$status"
`, stackArgs(e), e.Name)
}
