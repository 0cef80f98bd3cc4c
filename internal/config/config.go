// Package config reads this project's sections of the CDK context
// ("wellknown:environments") and turns them into validated, fully
// defaulted environments. Every problem names where the value came from
// (cdk.json, or the -c flag that set it), its JSON path and the fix.
package config

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

const (
	// ContextKey is the context key holding the environments.
	ContextKey = "wellknown:environments"
	// FileName is the file users edit.
	FileName = "cdk.json"
)

// maxEnvNameLength keeps WellKnown-<env> and WellKnownCert-<env> within CloudFormation's 128
// characters for stack names.
const maxEnvNameLength = 128 - len("WellKnownCert-")

// RemovalPolicy says what happens to the buckets when the stack is deleted.
type RemovalPolicy string

const (
	Retain  RemovalPolicy = "retain"
	Destroy RemovalPolicy = "destroy"
)

// Environment is one deployment target, with every default applied.
type Environment struct {
	Name                  string
	Account               string
	Region                string
	BucketName            string
	RemovalPolicy         RemovalPolicy
	TerminationProtection bool
	// AssetsDir holds the environment's .well-known directory.
	AssetsDir string
	// AccessLogs turns S3 server access logging to a separate bucket on.
	AccessLogs bool
	// Domain, when set, serves the files on the environment's own host
	// through CloudFront.
	Domain *Domain
}

// Config is the parsed configuration, environments sorted by name.
type Config struct {
	Environments []Environment
	// CI is the "wellknown:ci" section, nil when there is none.
	CI *CI
	// Qualifier is the CDK bootstrap qualifier the accounts use.
	Qualifier string
	// Pipeline is the "wellknown:pipeline" section, nil when there is none.
	Pipeline *Pipeline
	// Invalid are environments whose settings have errors. They are never
	// synthesized, but their files are still checked so that one run
	// reports everything.
	Invalid []Environment
	// Declared names every environment, valid or not, in the order
	// cdk.json lists them: the order people wrote and read.
	Declared []string
}

// Section is one of the project's context sections and its settings.
type Section struct {
	Key string
	// PerEnvironment sections map environment names to objects of Fields.
	PerEnvironment bool
	Fields         []Field
	// Example is a valid value for the example project (dev, staging,
	// prod), for sections that are optional.
	Example string
}

// Sections lists every context section the project reads; a
// "wellknown:" key that is not here is an error (a misspelt section would
// otherwise be ignored).
var Sections = []Section{
	{Key: ContextKey, PerEnvironment: true, Fields: environmentFields},
	{Key: CIKey, Fields: ciFields, Example: `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "staging", "prod"]}`},
	{Key: PipelineKey, Fields: pipelineFields, Example: `{"account": "999999999999", "region": "eu-west-1",
		"source": {"connectionArn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/0f0e0d0c-0b0a-0908-0706-050403020100", "repository": "acme/app-links"},
		"waves": [["dev"], ["staging"], ["prod"]], "approvalBefore": ["prod"]}`},
}

var environmentFields = []Field{
	{Name: "account", Kind: jsontree.String, Required: true, Example: `"111111111111"`},
	{Name: "region", Kind: jsontree.String, Required: true, Example: `"eu-west-1"`},
	{Name: "bucketName", Kind: jsontree.String, Example: `"acme-links-prod"`, Default: "wellknown-<env>-<account>-<region>"},
	{Name: "removalPolicy", Kind: jsontree.String, Example: `"retain"`, Default: `"retain"`},
	{Name: "terminationProtection", Kind: jsontree.Bool, Example: `true`, Default: "false"},
	{Name: "assets", Kind: jsontree.String, Example: `"assets/prod"`, Default: "assets/<env>"},
	{Name: "accessLogs", Kind: jsontree.Bool, Example: `true`, Default: "true"},
	{Name: "domain", Kind: jsontree.Object, Example: `{"name": "links.acme.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com"}`,
		Default: "the files are served from the S3 host", Fields: domainFields},
}

// field looks up one of fields by name.
func field(fields []Field, name string) Field {
	i := slices.IndexFunc(fields, func(f Field) bool { return f.Name == name })
	return fields[i]
}

var (
	envNameShape = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	accountShape = regexp.MustCompile(`^[0-9]{12}$`)
)

// ValidEnvName reports whether name is lowercase letters, digits and single
// hyphens, starting with a letter: it becomes part of stack, bucket and
// role names.
func ValidEnvName(name string) bool { return envNameShape.MatchString(name) }

// CheckAccount accepts a 12-digit AWS account ID.
func CheckAccount(id string) error {
	if !accountShape.MatchString(id) {
		return fmt.Errorf("%s is not an AWS account ID", quoted(id))
	}
	return nil
}

const envsExample = `{"dev": {"account": "111111111111", "region": "eu-west-1"}}`

// Parse validates the environments in ctx. Relative asset paths are resolved
// against dir. Every problem found is returned; the Config is only usable
// when there are none with Error severity.
func Parse(ctx Context, dir string) (Config, []diag.Problem) {
	problems := slices.Clone(ctx.Problems())
	problems = append(problems, unknownSections(ctx)...)
	q, qps := qualifier(ctx)
	problems = append(problems, qps...)
	e, ok := ctx.entries[ContextKey]
	root := SectionPath(ContextKey)
	if !ok {
		file, fix := ctx.Absent(ContextKey, fmt.Sprintf("%q: %s", ContextKey, envsExample))
		return Config{}, append(problems, diag.Problem{File: file, Path: root, Severity: diag.Error, Message: "missing", Fix: fix})
	}
	if givenWithFlag(e, ContextKey, &problems) {
		return Config{}, problems
	}
	r := &reader{source: e.source, path: root, node: e.node, ps: &problems}
	if e.node == nil || e.node.Kind != jsontree.Object || len(e.node.Keys) == 0 {
		got := "an empty object"
		if e.node == nil || e.node.Kind != jsontree.Object {
			got = "nothing"
			if e.node != nil {
				got = shown(e.node)
			}
		}
		r.errorAt(root, "must be a non-empty object of environment name → settings, got "+got, "e.g. "+envsExample)
		return Config{}, problems
	}
	cfg := Config{Qualifier: q, Declared: slices.Clone(e.node.Keys)}
	names := slices.Clone(e.node.Keys)
	sort.Strings(names)
	for _, name := range names {
		var ps []diag.Problem
		env := parseEnvironment(&reader{source: e.source, path: root + pathKey(name), node: e.node.Fields[name], ps: &ps}, name, dir)
		problems = append(problems, ps...)
		if diag.HasErrors(ps) {
			cfg.Invalid = append(cfg.Invalid, env)
		} else {
			cfg.Environments = append(cfg.Environments, env)
		}
	}
	problems = append(problems, duplicateBuckets(e.source, cfg.Environments)...)
	problems = append(problems, duplicateDomains(e.source, cfg.Environments)...)
	all := append(slices.Clone(cfg.Environments), cfg.Invalid...)
	slices.SortFunc(all, func(a, b Environment) int { return strings.Compare(a.Name, b.Name) })
	cfg.CI = parseCI(ctx, all, &reader{ps: &problems})
	cfg.Pipeline = parsePipeline(ctx, names, cfg.Environments, &reader{ps: &problems})
	return cfg, problems
}

// unknownSections reports "wellknown:" keys the project does not read.
func unknownSections(ctx Context) []diag.Problem {
	var known []string
	for _, s := range Sections {
		known = append(known, s.Key)
	}
	var ps []diag.Problem
	for _, k := range ctx.keys() {
		if strings.HasPrefix(k, sectionPrefix) && !slices.Contains(known, k) {
			ps = append(ps, diag.Problem{File: ctx.Source(k), Path: renderPath([]jsontree.Seg{{Key: k, IsKey: true}}), Severity: diag.Error,
				Message: fmt.Sprintf("unknown section %s", quoted(k)), Fix: "known sections: " + strings.Join(known, ", ") + suggest(k, known)})
		}
	}
	return ps
}

func parseEnvironment(r *reader, name, dir string) Environment {
	if !envNameShape.MatchString(name) {
		r.errorAt(r.path, fmt.Sprintf("environment name %s is not allowed", quoted(name)),
			"use lowercase letters, digits and single hyphens, starting with a letter (e.g. \"dev\", \"eu-prod\")")
	} else if len(name) > maxEnvNameLength {
		r.errorAt(r.path, fmt.Sprintf("environment name is %d characters long; the stack name WellKnown-<env> would exceed CloudFormation's 128", len(name)),
			fmt.Sprintf("use at most %d characters", maxEnvNameLength))
	}
	env := Environment{Name: name, RemovalPolicy: Retain, AccessLogs: true, AssetsDir: filepath.Join("assets", name)}
	if !r.object("an object of settings", `{"account": "111111111111", "region": "eu-west-1"}`, environmentFields) {
		return env
	}
	f := func(n string) Field { return field(environmentFields, n) }
	at := func(n string) string { return r.path + pathKey(n) }
	if v, ok := r.str(f("account")); ok {
		env.Account = v
		if err := CheckAccount(v); err != nil {
			r.errorAt(at("account"), err.Error(), `use the 12-digit account number as a string, e.g. "account": "111111111111"`)
		}
	}
	if v, ok := r.str(f("region")); ok {
		env.Region = v
		if p := checkRegion(v); p != nil {
			r.errorAt(at("region"), p.Message, p.Fix)
		}
	}
	if v, ok := r.str(f("removalPolicy")); ok {
		env.RemovalPolicy = RemovalPolicy(v)
		if env.RemovalPolicy != Retain && env.RemovalPolicy != Destroy {
			r.errorAt(at("removalPolicy"), fmt.Sprintf("%s is not a removal policy", quoted(v)), `use "retain" (keep the bucket when the stack is deleted) or "destroy" (ephemeral environments)`)
		}
	}
	if v, ok := r.boolean(f("terminationProtection")); ok {
		env.TerminationProtection = v
	}
	if v, ok := r.boolean(f("accessLogs")); ok {
		env.AccessLogs = v
		if !v {
			*r.ps = append(*r.ps, diag.Problem{File: r.source, Path: at("accessLogs"), Severity: diag.Warning,
				Message: "S3 server access logging is off, so reads of the public files leave no record (AwsSolutions-S1, Security Hub S3.9)",
				Fix:     `remove "accessLogs": false unless this environment is ephemeral`})
		}
	}
	if v, ok := r.str(f("assets")); ok {
		if v == "" {
			r.errorAt(at("assets"), "is empty", "remove it to use assets/"+name+", or name the directory holding .well-known/")
		} else {
			env.AssetsDir = v
		}
	}
	parseDomain(r, &env)
	if !filepath.IsAbs(env.AssetsDir) {
		env.AssetsDir = filepath.Join(dir, env.AssetsDir)
	}
	bucket, explicit := r.str(f("bucketName"))
	switch {
	case explicit && bucket == "":
		r.errorAt(at("bucketName"), "is empty", "remove it to get the default wellknown-<env>-<account>-<region>, or set a name")
	case explicit:
		env.BucketName = bucket
		if err := CheckBucketName(bucket); err != nil {
			r.errorAt(at("bucketName"), err.Error(), "choose a bucket name of lowercase letters, digits and hyphens")
		}
	case !diag.HasErrors(*r.ps):
		// The default is derived from the other settings, so it is only
		// judged once they are valid: a problem must name the setting the
		// user wrote, never a value computed from it.
		env.BucketName = fmt.Sprintf("wellknown-%s-%s-%s", name, env.Account, env.Region)
		if err := CheckBucketName(env.BucketName); err != nil {
			r.errorAt(at("bucketName"), "the default bucket name "+err.Error(), `set "bucketName" explicitly, or use a shorter environment name`)
		}
	}
	return env
}

func checkRegion(region string) *diag.Problem {
	switch {
	case KnownRegion(region):
		return nil
	case isolatedRegion(region):
		return &diag.Problem{Message: fmt.Sprintf("%s is in an isolated partition that Apple and Google cannot reach", quoted(region)), Fix: "host the files in a public region"}
	default:
		return &diag.Problem{Message: fmt.Sprintf("%s is not an AWS region code", quoted(region)), Fix: "use a region code such as \"eu-west-1\", \"us-east-1\", \"cn-north-1\" or \"us-gov-west-1\""}
	}
}

// Two environments in one bucket would prune each other's files on deploy.
func duplicateBuckets(source string, envs []Environment) []diag.Problem {
	seen := map[string]string{}
	var ps []diag.Problem
	for _, e := range envs {
		if other, ok := seen[e.BucketName]; ok {
			ps = append(ps, diag.Problem{File: source, Path: EnvPath(e.Name) + ".bucketName", Severity: diag.Error,
				Message: fmt.Sprintf("bucket %q is also used by environment %q", e.BucketName, other),
				Fix:     "give every environment its own bucket; one deployment would delete the other's files"})
			continue
		}
		seen[e.BucketName] = e.Name
	}
	return ps
}

// SectionPath is the JSON path of a context section in cdk.json.
func SectionPath(key string) string { return renderPath([]jsontree.Seg{{Key: key, IsKey: true}}) }

// EnvPath is the JSON path of an environment's settings in cdk.json.
func EnvPath(name string) string {
	return renderPath([]jsontree.Seg{{Key: ContextKey, IsKey: true}, {Key: name, IsKey: true}})
}

// Find returns the environment called name.
func (c Config) Find(name string) (Environment, bool) {
	for _, e := range c.Environments {
		if e.Name == name {
			return e, true
		}
	}
	return Environment{}, false
}

// Names lists the environment names, sorted.
func (c Config) Names() []string {
	out := make([]string, len(c.Environments))
	for i, e := range c.Environments {
		out[i] = e.Name
	}
	return out
}
