package workflows_test

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/acme/wellknown/internal/toolchain"
	"github.com/acme/wellknown/internal/workflows"
)

func env(name, account, region string) workflows.Environment {
	return workflows.NewEnvironment(name, account, region, "hnb659fds")
}

// input is the example configuration's promotion: dev, staging, prod.
func input() workflows.Input {
	return workflows.Input{
		Repository: "acme/wellknown",
		GoVersion:  "1.25.0",
		NodeMajor:  24,
		Environments: []workflows.Environment{
			env("dev", "111111111111", "eu-west-1"),
			env("staging", "222222222222", "eu-central-1"),
			env("prod", "333333333333", "us-east-1"),
		},
	}
}

func generate(t *testing.T, in workflows.Input) (pr, deploy []byte) {
	t.Helper()
	files, err := workflows.Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Path != workflows.PullRequestPath || files[1].Path != workflows.DeployPath {
		t.Fatalf("files %v", files)
	}
	return files[0].Data, files[1].Data
}

// parsed is a workflow as YAML reads it back: plain maps for lookups and
// the node tree for the order of the jobs.
type parsed struct {
	doc    map[string]interface{}
	jobIDs []string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	var p parsed
	if err := yaml.Unmarshal(data, &p.doc); err != nil {
		t.Fatalf("generated YAML does not parse: %v\n%s", err, data)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	top := root.Content[0]
	for i := 0; i < len(top.Content); i += 2 {
		if top.Content[i].Value == "jobs" {
			jobs := top.Content[i+1]
			for j := 0; j < len(jobs.Content); j += 2 {
				p.jobIDs = append(p.jobIDs, jobs.Content[j].Value)
			}
		}
	}
	return p
}

func (p parsed) job(t *testing.T, id string) map[string]interface{} {
	t.Helper()
	j, ok := p.doc["jobs"].(map[string]interface{})[id].(map[string]interface{})
	if !ok {
		t.Fatalf("no job %s (jobs %v)", id, p.jobIDs)
	}
	return j
}

func steps(job map[string]interface{}) []map[string]interface{} {
	var out []map[string]interface{}
	for _, s := range job["steps"].([]interface{}) {
		out = append(out, s.(map[string]interface{}))
	}
	return out
}

// stepIndex is the index of the first step whose run contains text, or
// whose uses starts with it; -1 if none.
func stepIndex(job map[string]interface{}, text string) int {
	for i, s := range steps(job) {
		if run, _ := s["run"].(string); strings.Contains(run, text) {
			return i
		}
		if uses, _ := s["uses"].(string); strings.HasPrefix(uses, text+"@") {
			return i
		}
	}
	return -1
}

func with(job map[string]interface{}, i int) map[string]interface{} {
	w, _ := steps(job)[i]["with"].(map[string]interface{})
	return w
}

func permissions(v interface{}) string {
	m, _ := v.(map[string]interface{})
	var parts []string
	for k, lvl := range m {
		parts = append(parts, fmt.Sprintf("%s=%v", k, lvl))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func TestPullRequestWorkflow(t *testing.T) {
	in := input()
	pr, _ := generate(t, in)
	p := parse(t, pr)
	if on := p.doc["on"].(map[string]interface{}); len(on) != 1 || !hasKey(on, "pull_request") {
		t.Errorf("on = %v, want pull_request only", on)
	}
	if got := permissions(p.doc["permissions"]); got != "contents=read" {
		t.Errorf("top-level permissions %s, want contents=read", got)
	}
	wantJobs := []string{"test", "diff-dev", "diff-staging", "diff-prod", "fork-notice"}
	if !slices.Equal(p.jobIDs, wantJobs) {
		t.Errorf("jobs %v, want %v", p.jobIDs, wantJobs)
	}

	test := p.job(t, "test")
	order := []string{"actions/checkout", "actions/setup-go", "actions/setup-node", "npm ci", "make test", "go run ./cmd/wellknown check"}
	checkOrder(t, "test", test, order)
	if v := with(test, stepIndex(test, "actions/setup-go"))["go-version"]; v != in.GoVersion {
		t.Errorf("setup-go go-version %v, want %s", v, in.GoVersion)
	}
	if v := with(test, stepIndex(test, "actions/setup-node"))["node-version"]; v != strconv.Itoa(in.NodeMajor) {
		t.Errorf("setup-node node-version %v, want %d", v, in.NodeMajor)
	}

	for _, e := range in.Environments {
		j := p.job(t, "diff-"+e.Name)
		if j["needs"] != "test" {
			t.Errorf("diff-%s needs %v, want test", e.Name, j["needs"])
		}
		if j["if"] != "github.event.pull_request.head.repo.full_name == github.repository" {
			t.Errorf("diff-%s if %v: pull requests from forks get no OIDC token and must be skipped", e.Name, j["if"])
		}
		if got := permissions(j["permissions"]); got != "contents=read,id-token=write" {
			t.Errorf("diff-%s permissions %s", e.Name, got)
		}
		checkOrder(t, "diff-"+e.Name, j, []string{"actions/checkout", "npm ci", "aws-actions/configure-aws-credentials", "npx cdk diff"})
		creds := with(j, stepIndex(j, "aws-actions/configure-aws-credentials"))
		if creds["role-to-assume"] != e.DiffRoleARN || creds["aws-region"] != e.Region || creds["allowed-account-ids"] != e.Account {
			t.Errorf("diff-%s credentials %v", e.Name, creds)
		}
		run := steps(j)[stepIndex(j, "npx cdk diff")]["run"].(string)
		for _, want := range []string{"npx cdk diff WellKnown-" + e.Name + " -c env=" + e.Name + " ", `>> "$GITHUB_STEP_SUMMARY"`, `exit "$status"`} {
			if !strings.Contains(run, want) {
				t.Errorf("diff-%s script lacks %q:\n%s", e.Name, want, run)
			}
		}
	}
	notice := p.job(t, "fork-notice")
	if notice["if"] != "github.event.pull_request.head.repo.full_name != github.repository" || notice["needs"] != nil {
		t.Errorf("fork-notice: if %v, needs %v", notice["if"], notice["needs"])
	}
	if run := steps(notice)[0]["run"].(string); !strings.HasPrefix(run, `echo "::notice `) {
		t.Errorf("fork-notice does not emit a notice: %s", run)
	}
}

func TestDeployWorkflow(t *testing.T) {
	in := input()
	in.DefaultBranch = "trunk"
	_, deploy := generate(t, in)
	p := parse(t, deploy)
	on := p.doc["on"].(map[string]interface{})
	push, _ := on["push"].(map[string]interface{})
	if len(on) != 2 || !hasKey(on, "workflow_dispatch") || fmt.Sprint(push["branches"]) != "[trunk]" {
		t.Errorf("on = %v, want push to trunk and workflow_dispatch", on)
	}
	if got := permissions(p.doc["permissions"]); got != "contents=read" {
		t.Errorf("top-level permissions %s, want contents=read", got)
	}
	var want []string
	for _, e := range in.Environments {
		want = append(want, "deploy-"+e.Name)
	}
	if !slices.Equal(p.jobIDs, want) {
		t.Errorf("jobs %v, want the promotion order %v", p.jobIDs, want)
	}
	for i, e := range in.Environments {
		id := "deploy-" + e.Name
		j := p.job(t, id)
		var needs interface{}
		if i > 0 {
			needs = "deploy-" + in.Environments[i-1].Name
		}
		if j["needs"] != needs {
			t.Errorf("%s needs %v, want %v", id, j["needs"], needs)
		}
		if j["environment"] != e.Name {
			t.Errorf("%s environment %v: the deploy role trusts only sub repo:...:environment:%s", id, j["environment"], e.Name)
		}
		if c, _ := j["concurrency"].(map[string]interface{}); c["group"] != "wellknown-"+e.Name || c["cancel-in-progress"] != false {
			t.Errorf("%s concurrency %v", id, j["concurrency"])
		}
		if got := permissions(j["permissions"]); got != "contents=read,id-token=write" {
			t.Errorf("%s permissions %s", id, got)
		}
		if j["if"] != "github.repository == 'acme/wellknown' && github.ref == 'refs/heads/trunk'" {
			t.Errorf("%s if %v", id, j["if"])
		}
		deployCmd := "npx cdk deploy WellKnown-" + e.Name + " -c env=" + e.Name + " --require-approval never"
		verify := "go run ./cmd/wellknown verify --env " + e.Name
		handoff := "go run ./cmd/wellknown handoff --env " + e.Name
		// doctor reads the account as the CDK lookup role before anything
		// is deployed; it needs the assembly for the bootstrap requirement.
		doctor := "go run ./cmd/wellknown doctor --env " + e.Name + " --role-arn " + e.LookupRoleARN
		synth := "npx cdk synth WellKnown-" + e.Name + " -c env=" + e.Name
		checkOrder(t, id, j, []string{"actions/checkout", "actions/setup-go", "actions/setup-node", "npm ci", "aws-actions/configure-aws-credentials", synth, doctor, deployCmd, verify, handoff})
		if !strings.Contains(e.LookupRoleARN, ":role/cdk-hnb659fds-lookup-role-"+e.Account+"-"+e.Region) {
			t.Errorf("%s doctor role %s is not the CDK lookup role", id, e.LookupRoleARN)
		}
		creds := with(j, stepIndex(j, "aws-actions/configure-aws-credentials"))
		if creds["role-to-assume"] != e.DeployRoleARN || creds["aws-region"] != e.Region || creds["allowed-account-ids"] != e.Account {
			t.Errorf("%s credentials %v", id, creds)
		}
		if run := steps(j)[stepIndex(j, verify)]["run"]; run != verify {
			t.Errorf("%s verify step runs %q; anything around it could hide its exit status", id, run)
		}
		if run := steps(j)[stepIndex(j, handoff)]["run"].(string); !strings.Contains(run, `>> "$GITHUB_STEP_SUMMARY"`) {
			t.Errorf("%s hand-off does not go to the job summary: %s", id, run)
		}
		// Deploys run no code restored from a cache.
		if w := with(j, stepIndex(j, "actions/setup-go")); w["cache"] != false {
			t.Errorf("%s setup-go cache %v, want false", id, w["cache"])
		}
		if w := with(j, stepIndex(j, "actions/setup-node")); w["package-manager-cache"] != false || w["cache"] != nil {
			t.Errorf("%s setup-node caches: %v", id, w)
		}
	}
	if strings.Contains(string(deploy), "continue-on-error") {
		t.Error("a step may continue on error; a failed deploy or verify must stop the promotion")
	}
}

func hasKey(m map[string]interface{}, k string) bool { _, ok := m[k]; return ok }

// checkOrder fails unless the steps matching each text appear in order.
func checkOrder(t *testing.T, id string, job map[string]interface{}, texts []string) {
	t.Helper()
	last := -1
	for _, text := range texts {
		i := stepIndex(job, text)
		if i < 0 {
			t.Errorf("%s has no step %q", id, text)
			continue
		}
		if i <= last {
			t.Errorf("%s: step %q comes too early", id, text)
		}
		last = i
	}
}

// Only jobs that assume a role get an OIDC token, and every such job does.
func TestIDTokenOnlyWhereARoleIsAssumed(t *testing.T) {
	pr, deploy := generate(t, input())
	for name, data := range map[string][]byte{"pr": pr, "deploy": deploy} {
		p := parse(t, data)
		for _, id := range p.jobIDs {
			j := p.job(t, id)
			assumes := stepIndex(j, "aws-actions/configure-aws-credentials") >= 0
			token := strings.Contains(permissions(j["permissions"]), "id-token=write")
			if assumes != token {
				t.Errorf("%s/%s: assumes a role %v, id-token: write %v", name, id, assumes, token)
			}
		}
		if strings.Contains(permissions(p.doc["permissions"]), "id-token") {
			t.Errorf("%s: id-token at the top level", name)
		}
	}
}

var usesLine = regexp.MustCompile(`(?m)^\s*(?:- )?uses: (\S+)(.*)$`)

// Every action is pinned to a full commit SHA of the table, with its tag.
func TestActionsPinnedBySHA(t *testing.T) {
	pins := map[string]workflows.Action{}
	for _, a := range workflows.Actions() {
		if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(a.SHA) || !regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`).MatchString(a.Tag) {
			t.Errorf("pin %+v: want a 40-character commit SHA and a vX.Y.Z tag", a)
		}
		pins[a.Repo] = a
	}
	pr, deploy := generate(t, input())
	for name, data := range map[string][]byte{"pr": pr, "deploy": deploy} {
		found := usesLine.FindAllStringSubmatch(string(data), -1)
		if len(found) == 0 {
			t.Fatalf("%s: no uses: lines", name)
		}
		for _, m := range found {
			repo, sha, _ := strings.Cut(m[1], "@")
			a, ok := pins[repo]
			if !ok || sha != a.SHA {
				t.Errorf("%s: uses %s, which is not pinned by the table", name, m[1])
				continue
			}
			if m[2] != " # "+a.Tag {
				t.Errorf("%s: uses %s without its tag comment %q (got %q)", name, m[1], a.Tag, m[2])
			}
		}
	}
}

// Inputs of the pinned releases (their action.yml at the pinned commit).
// actionlint cannot check inputs of SHA-pinned actions, so this does.
var actionInputs = map[string][]string{
	"actions/checkout":   {"allow-unsafe-pr-checkout", "clean", "fetch-depth", "fetch-tags", "filter", "github-server-url", "lfs", "path", "persist-credentials", "ref", "repository", "set-safe-directory", "show-progress", "sparse-checkout", "sparse-checkout-cone-mode", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "submodules", "token"},
	"actions/setup-go":   {"architecture", "cache", "cache-dependency-path", "check-latest", "go-download-base-url", "go-version", "go-version-file", "token"},
	"actions/setup-node": {"architecture", "cache", "cache-dependency-path", "check-latest", "mirror", "mirror-token", "node-version", "node-version-file", "package-manager-cache", "registry-url", "scope", "token"},
	"aws-actions/configure-aws-credentials": {"action-timeout-s", "allowed-account-ids", "audience", "aws-access-key-id", "aws-profile", "aws-region", "aws-secret-access-key", "aws-session-token", "custom-tags", "disable-retry", "force-skip-oidc", "http-proxy",
		"inline-session-policy", "managed-session-policies", "mask-aws-account-id", "no-proxy", "output-credentials", "output-env-credentials", "overwrite-aws-profile", "retry-max-attempts", "role-chaining", "role-duration-seconds", "role-external-id",
		"role-session-name", "role-skip-session-tagging", "role-to-assume", "special-characters-workaround", "sts-endpoint", "transitive-tag-keys", "unset-current-credentials", "use-existing-credentials", "web-identity-token-file"},
}

func TestStepInputsExist(t *testing.T) {
	pr, deploy := generate(t, input())
	for name, data := range map[string][]byte{"pr": pr, "deploy": deploy} {
		p := parse(t, data)
		for _, id := range p.jobIDs {
			for _, s := range steps(p.job(t, id)) {
				uses, _ := s["uses"].(string)
				repo, _, _ := strings.Cut(uses, "@")
				w, _ := s["with"].(map[string]interface{})
				for k := range w {
					if !slices.Contains(actionInputs[repo], k) {
						t.Errorf("%s/%s: %s has no input %q", name, id, repo, k)
					}
				}
			}
		}
	}
}

// No stored AWS key: nothing reads secrets, nothing passes keys.
func TestNoAWSSecrets(t *testing.T) {
	pr, deploy := generate(t, input())
	for name, data := range map[string][]byte{"pr": pr, "deploy": deploy} {
		for _, bad := range []string{"secrets.", "aws-access-key-id", "aws-secret-access-key", "aws-session-token", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

func TestGeneratedHeader(t *testing.T) {
	pr, deploy := generate(t, input())
	for name, data := range map[string][]byte{"pr": pr, "deploy": deploy} {
		if !bytes.HasPrefix(data, []byte("# Generated by `wellknown ci`: do not edit by hand.")) {
			t.Errorf("%s starts with %q", name, data[:min(80, len(data))])
		}
	}
}

func TestDeterministic(t *testing.T) {
	pr1, deploy1 := generate(t, input())
	for range 5 {
		pr2, deploy2 := generate(t, input())
		if !bytes.Equal(pr1, pr2) || !bytes.Equal(deploy1, deploy2) {
			t.Fatal("the same input gave different bytes")
		}
	}
}

func TestNewEnvironmentChangesBothWorkflows(t *testing.T) {
	in := input()
	pr1, deploy1 := generate(t, in)
	in.Environments = append(in.Environments, env("eu-prod", "444444444444", "eu-west-2"))
	pr2, deploy2 := generate(t, in)
	if bytes.Equal(pr1, pr2) || bytes.Equal(deploy1, deploy2) {
		t.Fatal("a new environment left a workflow unchanged")
	}
	if ids := parse(t, pr2).jobIDs; !slices.Contains(ids, "diff-eu-prod") {
		t.Errorf("pull request jobs %v lack diff-eu-prod", ids)
	}
	d := parse(t, deploy2)
	if last := d.jobIDs[len(d.jobIDs)-1]; last != "deploy-eu-prod" || d.job(t, last)["needs"] != "deploy-prod" {
		t.Errorf("deploy jobs %v: eu-prod should come last, after prod", d.jobIDs)
	}
}

func TestInputValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*workflows.Input)
		want   string
	}{
		{"repository", func(in *workflows.Input) { in.Repository = "acme" }, "owner/name"},
		{"go version", func(in *workflows.Input) { in.GoVersion = "go1.25" }, "Go version"},
		{"node", func(in *workflows.Input) { in.NodeMajor = 18 }, "Node.js"},
		{"branch", func(in *workflows.Input) { in.DefaultBranch = "main'" }, "default branch"},
		{"branch glob", func(in *workflows.Input) { in.DefaultBranch = "release/*" }, "default branch"},
		{"no environments", func(in *workflows.Input) { in.Environments = nil }, "no environments"},
		{"duplicate", func(in *workflows.Input) { in.Environments[2].Name = "dev" }, "listed twice"},
		{"env name", func(in *workflows.Input) { in.Environments[0].Name = "Dev" }, "environment name"},
		{"account", func(in *workflows.Input) { in.Environments[0].Account = "1111" }, "not an AWS account ID"},
		{"region", func(in *workflows.Input) { in.Environments[0].Region = "mars-1" }, "region"},
		{"deploy role", func(in *workflows.Input) { in.Environments[0].DeployRoleARN = "wellknown-deploy-dev" }, "not an IAM role ARN"},
		{"role in another account", func(in *workflows.Input) { in.Environments[0].DiffRoleARN = in.Environments[1].DiffRoleARN }, "in account 222222222222"},
		{"role in another partition", func(in *workflows.Input) {
			in.Environments[0].DeployRoleARN = "arn:aws-cn:iam::111111111111:role/wellknown-deploy-dev"
		}, "partition"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input()
			tc.mutate(&in)
			files, err := workflows.Generate(in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
			if files != nil {
				t.Error("files returned with an error")
			}
		})
	}
}

// The project's own go.mod gives a version the generator accepts.
func TestProjectGoVersion(t *testing.T) {
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	v, err := toolchain.GoVersion(data)
	if err != nil {
		t.Fatal(err)
	}
	in := input()
	in.GoVersion = v
	if _, err := workflows.Generate(in); err != nil {
		t.Errorf("the project's go line %q: %v", v, err)
	}
}

// A China environment's role steps ask GitHub for the token audience the
// aws-cn CI roles trust; the others keep the action's default, so their
// workflows do not change.
func TestChinaAudience(t *testing.T) {
	in := input()
	in.Environments = append(in.Environments, env("china", "444444444444", "cn-northwest-1"))
	pr, deploy := generate(t, in)
	for file, jobs := range map[string]parsed{"pr": parse(t, pr), "deploy": parse(t, deploy)} {
		prefix := map[string]string{"pr": "diff-", "deploy": "deploy-"}[file]
		for _, e := range in.Environments {
			j := jobs.job(t, prefix+e.Name)
			creds := with(j, stepIndex(j, "aws-actions/configure-aws-credentials"))
			aud, set := creds["audience"]
			switch {
			case e.Name == "china" && aud != "sts.amazonaws.com.cn":
				t.Errorf("%s %s: audience %v, want sts.amazonaws.com.cn", file, e.Name, aud)
			case e.Name != "china" && set:
				t.Errorf("%s %s: audience %v set outside China", file, e.Name, aud)
			}
		}
	}
}

// `wellknown ci --check` finds the generated files by GeneratedGlob when
// cdk.json has no section left to generate them from.
func TestGeneratedGlobMatchesTheFiles(t *testing.T) {
	for _, p := range []string{workflows.PullRequestPath, workflows.DeployPath} {
		if ok, err := path.Match(workflows.GeneratedGlob, p); !ok || err != nil {
			t.Errorf("%s does not match %s (%v)", p, workflows.GeneratedGlob, err)
		}
	}
	if ok, _ := path.Match(workflows.GeneratedGlob, ".github/workflows/release.yml"); ok {
		t.Errorf("%s matches workflows of others", workflows.GeneratedGlob)
	}
}
