package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/jsontree"
)

// CIKey is the context key of the delivery settings for GitHub Actions.
const CIKey = "wellknown:ci"

// CI is the "wellknown:ci" section: where the workflows run and the order
// in which a merge is deployed.
type CI struct {
	// Repository is the GitHub repository, "owner/name"; it is part of the
	// OIDC subject the roles trust.
	Repository string
	// DefaultBranch is the branch whose pushes deploy.
	DefaultBranch string
	// Promotion lists every environment once, in deploy order.
	Promotion []string
	// OIDCProviderARNs maps accounts that already have the GitHub OIDC
	// provider to its ARN: an account holds one provider per issuer URL.
	OIDCProviderARNs map[string]string
	// StackRegions maps accounts to the region of their
	// WellKnownCI-<account> stack where cdk.json chooses one; see
	// Config.CIStackRegion for the others.
	StackRegions map[string]string
}

const githubOIDCHost = "token.actions.githubusercontent.com"

var ciFields = []Field{
	{Name: "github", Kind: jsontree.Object, Required: true, Example: `{"repository": "acme/app-links"}`, Fields: []Field{
		{Name: "repository", Kind: jsontree.String, Required: true, Example: `"acme/app-links"`},
		{Name: "defaultBranch", Kind: jsontree.String, Example: `"main"`, Default: `"main"`},
	}},
	{Name: "promotion", Kind: jsontree.Array, Required: true, Example: `["dev", "staging", "prod"]`},
	{Name: "oidcProviderArns", Kind: jsontree.Object, Example: `{"111111111111": "arn:aws:iam::111111111111:oidc-provider/` + githubOIDCHost + `"}`,
		Default: "a provider is created in each account"},
	{Name: "stackRegions", Kind: jsontree.Object, Example: `{"111111111111": "eu-west-1"}`,
		Default: "each account's WellKnownCI-<account> stack in its partition's IAM region: us-east-1, cn-north-1 or us-gov-west-1"},
}

// GitHub's rules for owner (user or organization) and repository names.
var (
	githubOwner = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)
	githubRepo  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

// branchShape is a branch name that is also safe in a workflow's push
// filter (no glob characters) and inside an expression's '…'.
var branchShape = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._/-]*$`)

// CheckBranch accepts a Git branch name the generated workflows can filter
// pushes on.
func CheckBranch(b string) error {
	if !branchShape.MatchString(b) || strings.Contains(b, "..") || strings.Contains(b, "//") ||
		strings.HasSuffix(b, "/") || strings.HasSuffix(b, ".lock") {
		return fmt.Errorf("%s is not a branch name the workflows can filter pushes on", quoted(b))
	}
	return nil
}

// CheckGitHubRepository accepts "owner/name" as GitHub spells it. The case
// matters: the OIDC sub claim carries the repository's own spelling and
// IAM's StringEquals compares it exactly.
func CheckGitHubRepository(repo string) error {
	owner, name, ok := strings.Cut(repo, "/")
	switch {
	case !ok:
		return fmt.Errorf("%s is not a GitHub repository: want owner/name", quoted(repo))
	case !githubOwner.MatchString(owner):
		return fmt.Errorf("%s is not a GitHub repository: owner %s is not a user or organization name (letters, digits and single hyphens, at most 39 characters)", quoted(repo), quoted(owner))
	case !githubRepo.MatchString(name) || name == "." || name == "..":
		return fmt.Errorf("%s is not a GitHub repository: %s is not a repository name (letters, digits, '.', '_' and '-', at most 100 characters)", quoted(repo), quoted(name))
	}
	return nil
}

// parseCI reads the "wellknown:ci" section; envs are every environment of
// the configuration, valid or not, sorted by name.
func parseCI(ctx Context, envs []Environment, r *reader) *CI {
	e, ok := ctx.entries[CIKey]
	if !ok || givenWithFlag(e, CIKey, r.ps) {
		return nil
	}
	var envNames []string
	for _, env := range envs {
		envNames = append(envNames, env.Name)
	}
	// The environments' own problems under CI are reported at their
	// names and regions, in the document that set the environments.
	envReader := &reader{source: ctx.Source(ContextKey), ps: r.ps}
	checkCINames(envReader, envs)
	accounts := ciAccounts(envReader, envs)
	r.source, r.node, r.path = e.source, e.node, SectionPath(CIKey)
	if !r.object("an object", `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "prod"]}`, ciFields) {
		return nil
	}
	ci := &CI{OIDCProviderARNs: map[string]string{}, StackRegions: map[string]string{}, DefaultBranch: "main"}
	if gh, ok := r.child(field(ciFields, "github")); ok {
		if b, ok := gh.str(field(ciFields[0].Fields, "defaultBranch")); ok {
			if err := CheckBranch(b); err != nil {
				gh.errorAt(gh.path+".defaultBranch", err.Error(), `write the branch a merge lands on, e.g. "defaultBranch": "main"`)
			}
			ci.DefaultBranch = b
		}
		if repo, ok := gh.str(field(ciFields[0].Fields, "repository")); ok {
			if err := CheckGitHubRepository(repo); err != nil {
				gh.errorAt(gh.path+".repository", err.Error(), `write "owner/name" as in the repository's URL, e.g. "repository": "acme/app-links"`)
			}
			ci.Repository = repo
		}
	}
	if n, ok := r.value(field(ciFields, "promotion")); ok {
		ci.Promotion = parsePromotion(r, r.path+".promotion", n, envNames)
	}
	if n, ok := r.value(field(ciFields, "oidcProviderArns")); ok {
		for _, account := range n.Keys {
			p := r.path + ".oidcProviderArns" + pathKey(account)
			envRegion, used := accounts[account]
			partition := partitionOf(envRegion).ID
			v := n.Fields[account]
			switch {
			case !used:
				r.errorAt(p, fmt.Sprintf("account %s is not used by any environment", quoted(account)), "remove it, or fix the account ID")
			case v.Kind != jsontree.String:
				r.errorAt(p, "must be a string, got "+shown(v), fmt.Sprintf(`write %q: "arn:%s:iam::%s:oidc-provider/%s"`, account, partition, account, githubOIDCHost))
			case v.Str != fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", partition, account, githubOIDCHost):
				r.errorAt(p, fmt.Sprintf("%s is not the GitHub OIDC provider of account %s", quoted(v.Str), account),
					fmt.Sprintf(`write %q: "arn:%s:iam::%s:oidc-provider/%s" (IAM → Identity providers shows it)`, account, partition, account, githubOIDCHost))
			default:
				ci.OIDCProviderARNs[account] = v.Str
			}
		}
	}
	if n, ok := r.value(field(ciFields, "stackRegions")); ok {
		parseStackRegions(r, r.path+".stackRegions", n, accounts, ci.StackRegions)
	}
	return ci
}

// checkCINames reports, at the environments' names, what the CI roles
// stack and the workflows cannot take: a name over MaxCIEnvName, and two
// environments of one account whose role outputs would share a logical ID.
// The stack would refuse both at synthesis; here they name cdk.json.
func checkCINames(r *reader, envs []Environment) {
	outputs := map[string]string{} // account + suffix → environment
	for _, env := range envs {
		if !ValidEnvName(env.Name) || len(env.Name) > maxEnvNameLength {
			continue // reported with the environment
		}
		if err := CheckCIEnvName(env.Name); err != nil {
			r.errorAt(EnvPath(env.Name), err.Error(), fmt.Sprintf("rename the environment to at most %d characters", MaxCIEnvName))
			continue
		}
		key := env.Account + "/" + CIOutputSuffix(env.Name)
		if other, ok := outputs[key]; ok {
			r.errorAt(EnvPath(env.Name), fmt.Sprintf("%q and %q of account %s would give WellKnownCI-%s the same role outputs (DeployRoleArn%s): the names differ only in their hyphens",
				other, env.Name, env.Account, env.Account, CIOutputSuffix(env.Name)), "rename one of the two environments")
			continue
		}
		outputs[key] = env.Name
	}
}

// ciAccounts maps each account of envs to the region of its first
// environment, which stands for the account's partition. An account
// belongs to one partition, and its CI roles stack holds every
// environment's roles: environments of one account in two partitions are
// reported at the later one's region.
func ciAccounts(r *reader, envs []Environment) map[string]string {
	accounts := map[string]string{}
	first := map[string]string{}
	for _, env := range envs {
		if !accountShape.MatchString(env.Account) || !KnownRegion(env.Region) {
			continue // reported with the environment
		}
		region, seen := accounts[env.Account]
		switch {
		case !seen:
			accounts[env.Account], first[env.Account] = env.Region, env.Name
		case partitionOf(region).ID != partitionOf(env.Region).ID:
			want, got := partitionOf(region).ID, partitionOf(env.Region).ID
			r.errorAt(EnvPath(env.Name)+".region",
				fmt.Sprintf("%q is in partition %s, but environment %q of the same account %s is in %s (%s); an AWS account belongs to one partition, and its WellKnownCI-%s stack holds the roles of both",
					env.Region, got, first[env.Account], env.Account, want, region, env.Account),
				fmt.Sprintf("use a region of %s, or the account ID of the %s account", want, got))
		}
	}
	return accounts
}

// parseStackRegions reads "stackRegions": account → region of its
// WellKnownCI-<account> stack, a public region of the account's partition.
// accounts maps each account to a region of its environments.
func parseStackRegions(r *reader, path string, n *jsontree.Node, accounts map[string]string, out map[string]string) {
	for _, account := range n.Keys {
		p := path + pathKey(account)
		envRegion, used := accounts[account]
		v := n.Fields[account]
		partition, home := partitionOf(envRegion).ID, IAMRegion(envRegion)
		switch {
		case !used:
			r.errorAt(p, fmt.Sprintf("account %s is not used by any environment", quoted(account)), "remove it, or fix the account ID")
		case v.Kind != jsontree.String:
			r.errorAt(p, "must be a region code, got "+shown(v), fmt.Sprintf(`write %q: %q, or remove it to get the default (%s)`, account, home, home))
		case checkRegion(v.Str) != nil:
			r.errorAt(p, checkRegion(v.Str).Message, fmt.Sprintf(`write a region of %s, e.g. %q: %q`, partition, account, home))
		case partitionOf(v.Str).ID != partition:
			r.errorAt(p, fmt.Sprintf("%s is in partition %s, but account %s's environments are in %s", quoted(v.Str), partitionOf(v.Str).ID, account, partition),
				fmt.Sprintf(`write a region of %s, e.g. %q: %q`, partition, account, home))
		default:
			out[account] = v.Str
		}
	}
}

// CIStackRegion is the region of account's WellKnownCI-<account> stack:
// the one "stackRegions" names, else the IAM region of the account's
// partition (IAMRegion), or "" for an account no environment uses. It
// depends on nothing else — not on which environments the account has,
// nor on their order — because the stack holds IAM resources with fixed
// names: a copy of it in another region fails with "already exists".
func (c Config) CIStackRegion(account string) string {
	if c.CI != nil {
		if r, ok := c.CI.StackRegions[account]; ok {
			return r
		}
	}
	for _, e := range c.Environments {
		if e.Account == account {
			return IAMRegion(e.Region)
		}
	}
	return ""
}

// parsePromotion checks that the list names every environment exactly once.
func parsePromotion(r *reader, path string, n *jsontree.Node, envNames []string) []string {
	var seen []string
	order := readEnvNames(r, path, n.Elems, envNames, &seen, `"promotion": ["dev", "prod"]`,
		"is listed twice", "list each environment once, in deploy order")
	if missing := unlisted(envNames, order); len(missing) > 0 {
		r.errorAt(path, fmt.Sprintf("does not list %s", strings.Join(quoteAll(missing), ", ")),
			"add every environment once, in the order a merge deploys them")
	}
	return order
}

// readEnvNames reads a list of environment names at path: each must be a
// string that names an environment and is not yet in seen, to which it is
// added. repeated and repeatFix word a second mention; example shows the
// list written right.
func readEnvNames(r *reader, path string, elems []*jsontree.Node, envNames []string, seen *[]string, example, repeated, repeatFix string) []string {
	var names []string
	for i, e := range elems {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case e.Kind != jsontree.String:
			r.errorAt(p, "must be an environment name, got "+shown(e), "write the names as strings, e.g. "+example)
		case !slices.Contains(envNames, e.Str):
			r.errorAt(p, fmt.Sprintf("%s is not an environment", quoted(e.Str)), "environments: "+strings.Join(envNames, ", "))
		case slices.Contains(*seen, e.Str):
			r.errorAt(p, fmt.Sprintf("%s %s", quoted(e.Str), repeated), repeatFix)
		default:
			names = append(names, e.Str)
			*seen = append(*seen, e.Str)
		}
	}
	return names
}

// unlisted returns the environments missing from listed, in config order.
func unlisted(envNames, listed []string) []string {
	var missing []string
	for _, name := range envNames {
		if !slices.Contains(listed, name) {
			missing = append(missing, name)
		}
	}
	return missing
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
