// Package config reads the "wellknown:environments" section of the CDK
// context and turns it into validated, fully defaulted environments.
package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/acme/wellknown/internal/diag"
)

const (
	// ContextKey is the cdk.json context key holding the environments.
	ContextKey = "wellknown:environments"
	// FileName is the file users edit, so every problem points at it.
	FileName = "cdk.json"
)

// maxEnvNameLength keeps WellKnown-<env> within CloudFormation's 128
// characters for stack names.
const maxEnvNameLength = 128 - len("WellKnown-")

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
}

// Config is the parsed configuration, environments sorted by name.
type Config struct {
	Environments []Environment
	// Invalid are environments whose settings have errors. They are never
	// synthesized, but their files are still checked so that one run
	// reports everything.
	Invalid []Environment
}

var (
	envNameShape = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	accountShape = regexp.MustCompile(`^[0-9]{12}$`)
)

var knownSettings = []string{"account", "region", "bucketName", "removalPolicy", "terminationProtection", "assets", "accessLogs"}

// Parse validates the environments in ctx. Relative asset paths are resolved
// against dir. Every problem found is returned; the Config is only usable
// when there are none with Error severity.
func Parse(ctx Context, dir string) (Config, []diag.Problem) {
	root := rootPath
	raw, ok := ctx[ContextKey]
	if !ok {
		return Config{}, []diag.Problem{errorAt(root, "missing", `add "wellknown:environments": {"dev": {"account": "111111111111", "region": "eu-west-1"}} to the "context" object`)}
	}
	var envs map[string]json.RawMessage
	if err := decodeObject(raw, &envs); err != nil || len(envs) == 0 {
		return Config{}, []diag.Problem{errorAt(root, "must be a non-empty object of environment name → settings", `e.g. {"dev": {"account": "111111111111", "region": "eu-west-1"}}`)}
	}
	var cfg Config
	var problems []diag.Problem
	for _, name := range sortedKeys(envs) {
		env, ps := parseEnvironment(EnvPath(name), name, envs[name], dir)
		problems = append(problems, ps...)
		if diag.HasErrors(ps) {
			cfg.Invalid = append(cfg.Invalid, env)
		} else {
			cfg.Environments = append(cfg.Environments, env)
		}
	}
	problems = append(problems, duplicateBuckets(cfg.Environments)...)
	return cfg, problems
}

func parseEnvironment(path, name string, raw json.RawMessage, dir string) (Environment, []diag.Problem) {
	var ps []diag.Problem
	if !envNameShape.MatchString(name) {
		ps = append(ps, errorAt(path, fmt.Sprintf("environment name %q is not allowed", name),
			"use lowercase letters, digits and single hyphens, starting with a letter (e.g. \"dev\", \"eu-prod\")"))
	} else if len(name) > maxEnvNameLength {
		ps = append(ps, errorAt(path, fmt.Sprintf("environment name is %d characters long; the stack name WellKnown-<env> would exceed CloudFormation's 128", len(name)),
			fmt.Sprintf("use at most %d characters", maxEnvNameLength)))
	}
	var settings map[string]json.RawMessage
	if err := decodeObject(raw, &settings); err != nil {
		return Environment{}, append(ps, errorAt(path, "must be an object of settings", `e.g. {"account": "111111111111", "region": "eu-west-1"}`))
	}
	for _, key := range sortedKeys(settings) {
		if !slices.Contains(knownSettings, key) {
			ps = append(ps, errorAt(path+pathKey(key), fmt.Sprintf("unknown setting %q", key), "known settings: "+strings.Join(knownSettings, ", ")))
		}
	}
	f := fields{path: path, raw: settings}
	env := Environment{
		Name:                  name,
		Account:               f.str("account", true),
		Region:                f.str("region", true),
		BucketName:            f.str("bucketName", false),
		RemovalPolicy:         RemovalPolicy(f.str("removalPolicy", false)),
		TerminationProtection: f.boolean("terminationProtection", false),
		AssetsDir:             f.str("assets", false),
		AccessLogs:            f.boolean("accessLogs", true),
	}
	ps = append(ps, f.problems...)
	if env.Account != "" && !accountShape.MatchString(env.Account) {
		ps = append(ps, errorAt(path+".account", fmt.Sprintf("%q is not an AWS account ID", env.Account), "use the 12-digit account number as a string, e.g. \"111111111111\""))
	}
	if env.Region != "" {
		ps = append(ps, checkRegion(path+".region", env.Region)...)
	}
	switch env.RemovalPolicy {
	case "":
		env.RemovalPolicy = Retain
	case Retain, Destroy:
	default:
		ps = append(ps, errorAt(path+".removalPolicy", fmt.Sprintf("%q is not a removal policy", env.RemovalPolicy), `use "retain" (keep the bucket when the stack is deleted) or "destroy" (ephemeral environments)`))
	}
	if env.BucketName == "" && f.has("bucketName") {
		ps = append(ps, errorAt(path+".bucketName", "is empty", "remove it to get the default wellknown-<env>-<account>-<region>, or set a name"))
	}
	explicitBucket := env.BucketName != ""
	if !explicitBucket {
		env.BucketName = fmt.Sprintf("wellknown-%s-%s-%s", name, env.Account, env.Region)
	}
	if !diag.HasErrors(ps) {
		if err := CheckBucketName(env.BucketName); err != nil {
			why := err.Error()
			fix := "choose a bucket name of lowercase letters, digits and hyphens"
			if !explicitBucket {
				why = "the default bucket name " + why
				fix = `set "bucketName" explicitly, or use a shorter environment name`
			}
			ps = append(ps, errorAt(path+".bucketName", why, fix))
		}
	}
	if env.AssetsDir == "" {
		if f.has("assets") {
			ps = append(ps, errorAt(path+".assets", "is empty", "remove it to use assets/"+name+", or name the directory holding .well-known/"))
		}
		env.AssetsDir = filepath.Join("assets", name)
	}
	if !env.AccessLogs {
		ps = append(ps, diag.Problem{File: FileName, Path: path + ".accessLogs", Severity: diag.Warning,
			Message: "S3 server access logging is off, so reads of the public files leave no record (AwsSolutions-S1, Security Hub S3.9)",
			Fix:     `remove "accessLogs": false unless this environment is ephemeral`})
	}
	if !filepath.IsAbs(env.AssetsDir) {
		env.AssetsDir = filepath.Join(dir, env.AssetsDir)
	}
	return env, ps
}

func checkRegion(path, region string) []diag.Problem {
	switch {
	case KnownRegion(region):
		return nil
	case isolatedRegion(region):
		return []diag.Problem{errorAt(path, fmt.Sprintf("%q is in an isolated partition that Apple and Google cannot reach", region), "host the files in a public region")}
	default:
		return []diag.Problem{errorAt(path, fmt.Sprintf("%q is not an AWS region code", region), "use a region code such as \"eu-west-1\", \"us-east-1\", \"cn-north-1\" or \"us-gov-west-1\"")}
	}
}

// Two environments in one bucket would prune each other's files on deploy.
func duplicateBuckets(envs []Environment) []diag.Problem {
	seen := map[string]string{}
	var ps []diag.Problem
	for _, e := range envs {
		if other, ok := seen[e.BucketName]; ok {
			ps = append(ps, errorAt(EnvPath(e.Name)+".bucketName",
				fmt.Sprintf("bucket %q is also used by environment %q", e.BucketName, other),
				"give every environment its own bucket; one deployment would delete the other's files"))
			continue
		}
		seen[e.BucketName] = e.Name
	}
	return ps
}

// EnvPath is the JSON path of an environment's settings in cdk.json.
func EnvPath(name string) string { return rootPath + pathKey(name) }

var rootPath = fmt.Sprintf("context[%q]", ContextKey)

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

func decodeObject(raw json.RawMessage, into any) error {
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return fmt.Errorf("not an object")
	}
	return json.Unmarshal(raw, into)
}

func errorAt(path, message, fix string) diag.Problem {
	return diag.Problem{File: FileName, Path: path, Severity: diag.Error, Message: message, Fix: fix}
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func pathKey(key string) string {
	if plainKey.MatchString(key) {
		return "." + key
	}
	return fmt.Sprintf("[%q]", key)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
