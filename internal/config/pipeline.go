package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/acme/wellknown/internal/jsontree"
)

// PipelineKey is the context key of the CodePipeline delivery settings.
const PipelineKey = "wellknown:pipeline"

// Pipeline is the "wellknown:pipeline" section: a CDK Pipelines pipeline in
// a tooling account that deploys the environments in waves.
type Pipeline struct {
	Account, Region string
	// ConnectionARN is the CodeConnections (CodeStar Connections)
	// connection to the repository host.
	ConnectionARN, Repository, Branch string
	// Waves deploy in order; the environments of one wave in parallel.
	Waves [][]string
	// ApprovalBefore lists the environments that wait for a manual approval.
	ApprovalBefore []string
}

var pipelineFields = []Field{
	{Name: "account", Kind: jsontree.String, Required: true, Example: `"999999999999"`},
	{Name: "region", Kind: jsontree.String, Required: true, Example: `"eu-west-1"`},
	{Name: "source", Kind: jsontree.Object, Required: true,
		Example: `{"connectionArn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/0f0e0d0c-0b0a-0908-0706-050403020100", "repository": "acme/app-links", "branch": "main"}`,
		Fields: []Field{
			{Name: "connectionArn", Kind: jsontree.String, Required: true, Example: `"arn:aws:codeconnections:eu-west-1:999999999999:connection/0f0e0d0c-0b0a-0908-0706-050403020100"`},
			{Name: "repository", Kind: jsontree.String, Required: true, Example: `"acme/app-links"`},
			{Name: "branch", Kind: jsontree.String, Example: `"main"`, Default: `"main"`},
		}},
	{Name: "waves", Kind: jsontree.Array, Required: true, Example: `[["dev"], ["staging"], ["prod"]]`},
	{Name: "approvalBefore", Kind: jsontree.Array, Example: `["prod"]`, Default: "no manual approval"},
}

// connectionARN is a CodeConnections connection, under its current service
// prefix or the former codestar-connections one.
var connectionARN = regexp.MustCompile(`^arn:(aws[a-z-]*):(codeconnections|codestar-connections):([a-z0-9-]+):([0-9]{12}):connection/[A-Za-z0-9-]{1,64}$`)

// CheckConnectionARN accepts the ARN of a CodeConnections connection.
func CheckConnectionARN(arn string) error {
	if !connectionARN.MatchString(arn) {
		return fmt.Errorf("%s is not a CodeConnections connection ARN", quoted(arn))
	}
	return nil
}

// CheckPipelineConnection: the pipeline's role may use only a connection of
// its own account, CodePipeline takes it from the pipeline's region, and
// IAM does not cross partitions. Account and region are skipped when
// empty (reported at their own keys).
func CheckPipelineConnection(arn, account, region string) error {
	m := connectionARN.FindStringSubmatch(arn)
	switch {
	case region != "" && m[1] != partitionOf(region).ID:
		return fmt.Errorf("the connection is in partition %s, the pipeline in %s (%s)", m[1], partitionOf(region).ID, region)
	case account != "" && m[4] != account:
		return fmt.Errorf("the connection belongs to account %s, not to the tooling account %s", m[4], account)
	case region != "" && m[3] != region:
		return fmt.Errorf("the connection is in %s, the pipeline in %s", m[3], region)
	}
	return nil
}

// repositoryPath is a repository as CodeConnections names it: owner/name
// on GitHub and Bitbucket, group/subgroup/…/project on GitLab.
var repositoryPath = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$`)

// CheckConnectionRepository accepts a repository path of a host that
// CodeConnections supports (the source action's FullRepositoryId).
func CheckConnectionRepository(repo string) error {
	if !repositoryPath.MatchString(repo) {
		return fmt.Errorf("%s is not a repository path: want owner/name (or group/subgroup/project)", quoted(repo))
	}
	for _, seg := range strings.Split(repo, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("%s is not a repository path: %s is not a name", quoted(repo), quoted(seg))
		}
	}
	return nil
}

// parsePipeline reads the "wellknown:pipeline" section; envNames are every
// environment of the configuration, valid or not, envs the valid ones.
func parsePipeline(ctx Context, envNames []string, envs []Environment, r *reader) *Pipeline {
	e, ok := ctx.entries[PipelineKey]
	if !ok || givenWithFlag(e, PipelineKey, r.ps) {
		return nil
	}
	r.source, r.node, r.path = e.source, e.node, SectionPath(PipelineKey)
	if !r.object("an object", `{"account": "999999999999", "region": "eu-west-1", "source": {…}, "waves": [["dev"], ["prod"]]}`, pipelineFields) {
		return nil
	}
	f := func(n string) Field { return field(pipelineFields, n) }
	at := func(n string) string { return r.path + pathKey(n) }
	p := &Pipeline{Branch: "main"}
	// The account and region the connection is compared with: only valid
	// ones, so that one wrong value is not reported again there.
	var account, region string
	if v, ok := r.str(f("account")); ok {
		p.Account = v
		if err := CheckAccount(v); err != nil {
			r.errorAt(at("account"), err.Error(), `use the tooling account's 12-digit ID as a string, e.g. "account": "999999999999"`)
		} else {
			account = v
		}
	}
	if v, ok := r.str(f("region")); ok {
		p.Region = v
		if prob := checkRegion(v); prob != nil {
			r.errorAt(at("region"), prob.Message, prob.Fix)
		} else if checkPipelinePartition(r, at("region"), v, envs) {
			region = v
		}
	}
	if src, ok := r.child(f("source")); ok {
		sf := func(n string) Field { return field(pipelineFields[2].Fields, n) }
		if v, ok := src.str(sf("connectionArn")); ok {
			p.ConnectionARN = v
			if err := CheckConnectionARN(v); err != nil {
				src.errorAt(src.path+".connectionArn", err.Error(),
					`copy it from Developer Tools → Settings → Connections, e.g. "connectionArn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/…"`)
			} else if err := CheckPipelineConnection(v, account, region); err != nil {
				src.errorAt(src.path+".connectionArn", err.Error(),
					"create the connection in the tooling account and the pipeline's region (Developer Tools → Settings → Connections there) and use its ARN")
			}
		}
		if v, ok := src.str(sf("repository")); ok {
			p.Repository = v
			if err := CheckConnectionRepository(v); err != nil {
				src.errorAt(src.path+".repository", err.Error(), `write the repository's path on its host, e.g. "repository": "acme/app-links" (GitLab: "group/subgroup/project")`)
			}
		}
		if v, ok := src.str(sf("branch")); ok {
			p.Branch = v
			if err := CheckBranch(v); err != nil {
				src.errorAt(src.path+".branch", err.Error(), `write the branch the pipeline follows, e.g. "branch": "main"`)
			}
		}
	}
	if n, ok := r.value(f("waves")); ok {
		p.Waves = parseWaves(r, at("waves"), n, envNames)
	}
	// A name "wellknown:ci" already refuses (at most 32) is not reported
	// a second time here.
	_, withCI := ctx.entries[CIKey]
	for _, name := range envNames {
		if ValidEnvName(name) && len(name) <= maxEnvNameLength && !(withCI && CheckCIEnvName(name) != nil) {
			if err := CheckPipelineEnvName(name); err != nil {
				r.errorAt(EnvPath(name), err.Error(), fmt.Sprintf("rename the environment to at most %d characters", MaxPipelineEnvName))
			}
		}
	}
	if n, ok := r.value(f("approvalBefore")); ok {
		var seen []string
		p.ApprovalBefore = readEnvNames(r, at("approvalBefore"), n.Elems, envNames, &seen, `"approvalBefore": ["prod"]`,
			"is listed twice", "list each environment once")
	}
	return p
}

// MaxPipelineEnvName is the longest environment name a pipeline deploys:
// each environment is a stage, and CodePipeline (and aws-codepipeline's
// validateName, at synthesis) takes stage names of at most 100 characters.
const MaxPipelineEnvName = 100

// CheckPipelineEnvName says why a valid environment name is too long for
// a pipeline stage, or returns nil.
func CheckPipelineEnvName(name string) error {
	if len(name) > MaxPipelineEnvName {
		return fmt.Errorf("environment name %q is %d characters long, over the %d that %q allows: the pipeline deploys it as a CodePipeline stage of that name", name, len(name), MaxPipelineEnvName, PipelineKey)
	}
	return nil
}

// checkPipelinePartition reports a region outside the environments'
// partition, and returns false then: a pipeline deploys through the target
// accounts' bootstrap roles, which trust the tooling account by its ARN,
// and IAM trust does not cross partitions (aws, aws-cn, aws-us-gov).
func checkPipelinePartition(r *reader, path, region string, envs []Environment) bool {
	want := partitionOf(region).ID
	var others []string
	for _, e := range envs {
		if partitionOf(e.Region).ID != want {
			others = append(others, fmt.Sprintf("%s (%s, partition %s)", e.Name, e.Region, partitionOf(e.Region).ID))
		}
	}
	if len(others) > 0 {
		r.errorAt(path, fmt.Sprintf("%q is in partition %s, but the pipeline cannot deploy across partitions to %s", region, want, strings.Join(others, ", ")),
			"put the pipeline in a region of the environments' partition, or deliver the other partition's environments with GitHub Actions (\"wellknown:ci\")")
		return false
	}
	return true
}

// parseWaves checks that every environment is in exactly one wave.
func parseWaves(r *reader, path string, n *jsontree.Node, envNames []string) [][]string {
	var waves [][]string
	var seen []string
	for i, w := range n.Elems {
		wp := fmt.Sprintf("%s[%d]", path, i)
		if w.Kind != jsontree.Array || len(w.Elems) == 0 {
			r.errorAt(wp, "must be a non-empty array of environment names, got "+shown(w), `write each wave as a list, e.g. "waves": [["dev"], ["staging", "qa"], ["prod"]]`)
			continue
		}
		waves = append(waves, readEnvNames(r, wp, w.Elems, envNames, &seen, `["dev"]`,
			"is in more than one wave", "put every environment in exactly one wave"))
	}
	if missing := unlisted(envNames, seen); len(missing) > 0 {
		r.errorAt(path, fmt.Sprintf("no wave deploys %s", strings.Join(quoteAll(missing), ", ")), "put every environment in exactly one wave")
	}
	return waves
}

// PipelineStackName is the stack that holds the pipeline, in the tooling
// account; it is deployed once by hand and then updates itself.
const PipelineStackName = "WellKnownPipeline"
