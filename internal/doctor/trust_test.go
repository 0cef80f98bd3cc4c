package doctor

import (
	"net/url"
	"strings"
	"testing"
)

func TestTrustPolicy(t *testing.T) {
	const sub = "repo:acme/app-links:environment:dev"
	stmt := func(principal, action, condition string) string {
		return `{"Effect":"Allow","Principal":` + principal + `,"Action":` + action + `,"Condition":` + condition + `}`
	}
	fed := `{"Federated":"` + devProvider + `"}`
	web := `"sts:AssumeRoleWithWebIdentity"`
	exact := `{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"` + sub + `"}}`
	policy := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"as the stack writes it", trustPolicy(devProvider, sub), ""},
		{"one statement, not a list", `{"Version":"2012-10-17","Statement":` + stmt(fed, web, exact) + `}`, ""},
		{"tag session too", policy(stmt(fed, `["sts:AssumeRoleWithWebIdentity","sts:TagSession"]`, exact)), ""},
		{"values as one-element lists", policy(stmt(`{"Federated":["`+devProvider+`"]}`, web,
			`{"StringEquals":{"token.actions.githubusercontent.com:aud":["sts.amazonaws.com"],"token.actions.githubusercontent.com:sub":["`+sub+`"]}}`)), ""},
		{"condition keys in another case", policy(stmt(fed, web,
			`{"StringEquals":{"Token.Actions.GitHubUserContent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:SUB":"`+sub+`"}}`)), ""},
		{"a deny only narrows", policy(stmt(fed, web, exact), `{"Effect":"Deny","Principal":"*","Action":"sts:*"}`), ""},
		{"a pattern narrowed by an exact sub", policy(stmt(fed, web,
			`{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"`+sub+`"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}`)), ""},

		{"another repository", trustPolicy(devProvider, "repo:other/app-links:environment:dev"), "trusts sub repo:other/app-links:environment:dev"},
		{"two subjects", policy(stmt(fed, web,
			`{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":["`+sub+`","repo:acme/app-links:pull_request"]}}`)),
			"trusts sub repo:acme/app-links:environment:dev, repo:acme/app-links:pull_request"},
		{"a second statement for another subject", policy(stmt(fed, web, exact),
			stmt(fed, web, strings.Replace(exact, sub, "repo:acme/app-links:ref:refs/heads/main", 1))), "trusts sub repo:acme/app-links:ref:refs/heads/main"},
		{"pattern", policy(stmt(fed, web, `{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app-links:*"}}`)),
			"matches sub with StringLike repo:acme/app-links:*, a pattern"},
		{"no sub", policy(stmt(fed, web, `{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}`)),
			"has no condition on sub, so any repository's workflows can assume it"},
		{"no condition at all", policy(`{"Effect":"Allow","Principal":` + fed + `,"Action":` + web + `}`), "has no condition on sub, so any repository's workflows can assume it"},
		{"another audience", policy(stmt(fed, web, strings.Replace(exact, `"sts.amazonaws.com"`, `"sigstore"`, 1))), "expects aud sigstore"},
		{"no audience", policy(stmt(fed, web, `{"StringEquals":{"token.actions.githubusercontent.com:sub":"`+sub+`"}}`)), "has no StringEquals condition on aud"},
		{"anyone", policy(stmt(`"*"`, web, exact)), `trusts principal "*"`},
		{"an account too", policy(stmt(`{"Federated":"`+devProvider+`","AWS":"arn:aws:iam::999999999999:root"}`, web, exact)), "trusts AWS arn:aws:iam::999999999999:root"},
		{"another provider", policy(stmt(`{"Federated":"arn:aws:iam::111111111111:oidc-provider/gitlab.com"}`, web, exact)),
			"trusts Federated arn:aws:iam::111111111111:oidc-provider/gitlab.com"},
		{"not principal", policy(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":` + web + `,"Condition":` + exact + `}`),
			"has an Allow statement with NotPrincipal or NotAction, which admits more than GitHub's tokens"},
		{"another action", policy(stmt(fed, `"sts:AssumeRole"`, exact)), "allows sts:AssumeRole, not sts:AssumeRoleWithWebIdentity"},
		{"deny only", policy(`{"Effect":"Deny","Principal":"*","Action":"sts:*"}`), "allows no one to assume it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// As GetRole answers it: URL-encoded.
			stmts, err := decodeTrustPolicy(strings.ReplaceAll(url.QueryEscape(tc.doc), "+", "%20"))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got := trustProblem(stmts, devProvider, sub, "sts.amazonaws.com"); got != tc.want {
				t.Errorf("trustProblem = %q, want %q", got, tc.want)
			}
		})
	}
}

// GetRole answers RFC 3986 encoding; '+' for spaces and a plain
// document are read too. What is not a policy is an error, not a panic.
func TestDecodeTrustPolicy(t *testing.T) {
	doc := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "` + devProvider + `"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}`
	for name, encoded := range map[string]string{
		"RFC 3986":    strings.ReplaceAll(url.QueryEscape(doc), "+", "%20"),
		"plus":        url.QueryEscape(doc),
		"not encoded": doc,
	} {
		stmts, err := decodeTrustPolicy(encoded)
		if err != nil || len(stmts) != 1 || stmts[0].Effect != "Allow" || len(stmts[0].Action) != 1 {
			t.Errorf("%s: %+v, %v", name, stmts, err)
		}
	}
	for doc, want := range map[string]string{
		`%7B%22Statement%22%3A`:                "not a JSON policy document",
		`{}`:                                   "the policy has no Statement",
		`{"Statement": 7}`:                     "the Statement is neither a statement nor a list of them",
		`{"Statement": [{"Action": 7}]}`:       "the Statement is neither",
		`{"Statement": {"Condition": "nope"}}`: "the Statement is neither",
		`%ZZ`:                                  "not a JSON policy document",
	} {
		if _, err := decodeTrustPolicy(doc); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", doc, err, want)
		}
	}
}
