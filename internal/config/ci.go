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
		return fmt.Errorf("%q is not a branch name the workflows can filter pushes on", b)
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
		return fmt.Errorf("%q is not a GitHub repository: want owner/name", repo)
	case !githubOwner.MatchString(owner):
		return fmt.Errorf("%q is not a GitHub repository: owner %q is not a user or organization name (letters, digits and single hyphens, at most 39 characters)", repo, owner)
	case !githubRepo.MatchString(name) || name == "." || name == "..":
		return fmt.Errorf("%q is not a GitHub repository: %q is not a repository name (letters, digits, '.', '_' and '-', at most 100 characters)", repo, name)
	}
	return nil
}

// parseCI reads the "wellknown:ci" section; envNames are every environment
// of the configuration, valid or not, and accounts maps each account to
// the partition of its environments.
func parseCI(ctx Context, envNames []string, accounts map[string]string, r *reader) *CI {
	e, ok := ctx.entries[CIKey]
	if !ok || givenWithFlag(e, CIKey, r.ps) {
		return nil
	}
	r.source, r.node, r.path = e.source, e.node, SectionPath(CIKey)
	if !r.object("an object", `{"github": {"repository": "acme/app-links"}, "promotion": ["dev", "prod"]}`, ciFields) {
		return nil
	}
	ci := &CI{OIDCProviderARNs: map[string]string{}, DefaultBranch: "main"}
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
			partition, used := accounts[account]
			v := n.Fields[account]
			switch {
			case !used:
				r.errorAt(p, fmt.Sprintf("account %q is not used by any environment", account), "remove it, or fix the account ID")
			case v.Kind != jsontree.String:
				r.errorAt(p, "must be a string, got "+shown(v), fmt.Sprintf(`write %q: "arn:%s:iam::%s:oidc-provider/%s"`, account, partition, account, githubOIDCHost))
			case v.Str != fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", partition, account, githubOIDCHost):
				r.errorAt(p, fmt.Sprintf("%q is not the GitHub OIDC provider of account %s", v.Str, account),
					fmt.Sprintf(`write %q: "arn:%s:iam::%s:oidc-provider/%s" (IAM → Identity providers shows it)`, account, partition, account, githubOIDCHost))
			default:
				ci.OIDCProviderARNs[account] = v.Str
			}
		}
	}
	return ci
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
			r.errorAt(p, fmt.Sprintf("%q is not an environment", e.Str), "environments: "+strings.Join(envNames, ", "))
		case slices.Contains(*seen, e.Str):
			r.errorAt(p, fmt.Sprintf("%q %s", e.Str, repeated), repeatFix)
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
