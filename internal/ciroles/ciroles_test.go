package ciroles_test

import (
	"testing"

	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
)

func TestNamesAndARNs(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{ciroles.DeploySubject("acme/wellknown", "prod"), "repo:acme/wellknown:environment:prod"},
		{ciroles.PullRequestSubject("acme/wellknown"), "repo:acme/wellknown:pull_request"},
		{ciroles.DeployRoleARN("111111111111", "eu-west-1", "dev"), "arn:aws:iam::111111111111:role/wellknown-deploy-dev"},
		{ciroles.DiffRoleARN("111111111111", "cn-north-1", "dev"), "arn:aws-cn:iam::111111111111:role/wellknown-diff-dev"},
		{ciroles.ProviderARN("222222222222", "us-gov-west-1"), "arn:aws-us-gov:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"},
		{ciroles.CFNExecPolicyARN("333333333333", "us-east-1"), "arn:aws:iam::333333333333:policy/wellknown-cfn-exec"},
		{ciroles.BootstrapRoleARN("333333333333", "us-east-1", "hnb659fds", config.FilePublishingRole), "arn:aws:iam::333333333333:role/cdk-hnb659fds-file-publishing-role-333333333333-us-east-1"},
		{config.BootstrapVersionParameter("abc"), "/cdk-bootstrap/abc/version"},
		{ciroles.StackName("111111111111"), "WellKnownCI-111111111111"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		valid bool
	}{
		{"repo ok", ciroles.CheckRepository("Octo-Org/octo.repo_1"), true},
		{"repo without owner", ciroles.CheckRepository("wellknown"), false},
		{"repo owner hyphen end", ciroles.CheckRepository("acme-/wellknown"), false},
		{"repo dotdot", ciroles.CheckRepository("acme/.."), false},
		{"repo wildcard", ciroles.CheckRepository("acme/*"), false},
		{"repo nested", ciroles.CheckRepository("acme/a/b"), false},
		{"env ok", ciroles.CheckEnvName("eu-prod"), true},
		{"env upper", ciroles.CheckEnvName("Prod"), false},
		{"env too long for IAM", ciroles.CheckEnvName("a2345678901234567890123456789012345678901234567x"), false},
		{"env too long for the execution policy", ciroles.CheckEnvName("a23456789012345678901234567890123"), false},
		{"env longest", ciroles.CheckEnvName("a2345678901234567890123456789012"), true},
		{"account", ciroles.CheckAccount("12345678901"), false},
		{"qualifier long", config.CheckQualifier("abcdefghijk"), false},
		{"qualifier ok", config.CheckQualifier("hnb659fds"), true},
		{"region", ciroles.CheckRegion("eu-west-9"), false},
		{"isolated region", ciroles.CheckRegion("us-iso-east-1"), false},
	} {
		if (tc.err == nil) != tc.valid {
			t.Errorf("%s: err = %v, want valid %v", tc.name, tc.err, tc.valid)
		}
	}
}
