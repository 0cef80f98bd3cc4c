package config

import (
	"fmt"
	"regexp"
	"slices"
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
		return fmt.Errorf("%q is not a CodeConnections connection ARN", arn)
	}
	return nil
}

// parsePipeline reads the "wellknown:pipeline" section; envNames are every
// environment of the configuration, valid or not.
func parsePipeline(ctx Context, envNames []string, r *reader) *Pipeline {
	e, ok := ctx.entries[PipelineKey]
	if !ok {
		return nil
	}
	r.source, r.node, r.path = e.source, e.node, SectionPath(PipelineKey)
	if !r.object("an object", `{"account": "999999999999", "region": "eu-west-1", "source": {…}, "waves": [["dev"], ["prod"]]}`, pipelineFields) {
		return nil
	}
	f := func(n string) Field { return field(pipelineFields, n) }
	at := func(n string) string { return r.path + pathKey(n) }
	p := &Pipeline{Branch: "main"}
	if v, ok := r.str(f("account")); ok {
		p.Account = v
		if err := CheckAccount(v); err != nil {
			r.errorAt(at("account"), err.Error(), `use the tooling account's 12-digit ID as a string, e.g. "account": "999999999999"`)
		}
	}
	if v, ok := r.str(f("region")); ok {
		p.Region = v
		if prob := checkRegion(v); prob != nil {
			r.errorAt(at("region"), prob.Message, prob.Fix)
		}
	}
	if src, ok := r.child(f("source")); ok {
		sf := func(n string) Field { return field(pipelineFields[2].Fields, n) }
		if v, ok := src.str(sf("connectionArn")); ok {
			p.ConnectionARN = v
			if err := CheckConnectionARN(v); err != nil {
				src.errorAt(src.path+".connectionArn", err.Error(),
					`copy it from Developer Tools → Settings → Connections, e.g. "connectionArn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/…"`)
			}
		}
		if v, ok := src.str(sf("repository")); ok {
			p.Repository = v
			if err := CheckGitHubRepository(v); err != nil {
				src.errorAt(src.path+".repository", err.Error(), `write "owner/name", e.g. "repository": "acme/app-links"`)
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
	if n, ok := r.value(f("approvalBefore")); ok {
		for i, e := range n.Elems {
			pa := fmt.Sprintf("%s[%d]", at("approvalBefore"), i)
			switch {
			case e.Kind != jsontree.String:
				r.errorAt(pa, "must be an environment name, got "+shown(e), `write the names as strings, e.g. "approvalBefore": ["prod"]`)
			case !slices.Contains(envNames, e.Str):
				r.errorAt(pa, fmt.Sprintf("%q is not an environment", e.Str), "environments: "+strings.Join(envNames, ", "))
			case slices.Contains(p.ApprovalBefore, e.Str):
				r.errorAt(pa, fmt.Sprintf("%q is listed twice", e.Str), "list each environment once")
			default:
				p.ApprovalBefore = append(p.ApprovalBefore, e.Str)
			}
		}
	}
	return p
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
