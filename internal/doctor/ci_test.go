package doctor

import (
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/doctor/fakeaws"
)

func TestCIRoles(t *testing.T) {
	const (
		deploySub = "repo:acme/app-links:environment:dev"
		prSub     = "repo:acme/app-links:pull_request"
		stackHint = "the account's WellKnownCI-111111111111 stack is not deployed or out of date"
		deployFix = `an administrator of account 111111111111 deploys WellKnownCI-111111111111 from this cdk.json ("wellknown:ci" → github.repository acme/app-links), as in README "Deploying from CI"`
		mustTrust = "role wellknown-deploy-dev must trust exactly sub " + deploySub + " (aud sts.amazonaws.com) from GitHub's OIDC provider, but it "
	)
	for _, tc := range []struct {
		name     string
		setup    func(*fakeaws.Server)
		status   Status
		contains []string
	}{
		{"deployed", withCIRoles, Pass, []string{
			"wellknown-deploy-dev trusts exactly " + deploySub + " and wellknown-diff-dev exactly " + prSub + " (aud sts.amazonaws.com), through GitHub's OIDC provider " + devProvider}},
		{"not deployed", func(*fakeaws.Server) {}, Warn, []string{
			"role wellknown-deploy-dev does not exist, so the deploy job of dev cannot assume it; role wellknown-diff-dev does not exist, so pull request diffs cannot assume it; GitHub's OIDC provider " + devProvider + " does not exist, so no workflow can assume a role; " + stackHint,
			deployFix}},
		{"environment added since the last deploy", func(s *fakeaws.Server) {
			s.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com", ClientIDs: []string{"sts.amazonaws.com"}})
		}, Warn, []string{"role wellknown-deploy-dev does not exist", "role wellknown-diff-dev does not exist", stackHint, deployFix}},
		{"another repository", func(s *fakeaws.Server) {
			withCIRoles(s)
			s.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trustPolicy(devProvider, "repo:acme/old-links:environment:dev")})
		}, Fail, []string{mustTrust + "trusts sub repo:acme/old-links:environment:dev", deployFix}},
		{"branch subject", func(s *fakeaws.Server) {
			withCIRoles(s)
			s.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trustPolicy(devProvider, "repo:acme/app-links:ref:refs/heads/main")})
		}, Fail, []string{mustTrust + "trusts sub repo:acme/app-links:ref:refs/heads/main"}},
		{"diff role trusts the deploy subject", func(s *fakeaws.Server) {
			withCIRoles(s)
			s.SetRole(devAccount, fakeaws.Role{Name: "wellknown-diff-dev", TrustPolicy: trustPolicy(devProvider, deploySub)})
		}, Fail, []string{"role wellknown-diff-dev must trust exactly sub " + prSub + " (aud sts.amazonaws.com) from GitHub's OIDC provider, but it trusts sub " + deploySub}},
		{"wildcard subject", func(s *fakeaws.Server) {
			withCIRoles(s)
			s.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + devProvider + `"},"Action":"sts:AssumeRoleWithWebIdentity",` +
				`"Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}}]}`})
		}, Fail, []string{mustTrust + "matches sub with StringLike repo:acme/*, a pattern"}},
		{"provider without the audience", func(s *fakeaws.Server) {
			withCIRoles(s)
			s.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com", ClientIDs: []string{"sigstore"}})
		}, Fail, []string{"GitHub's OIDC provider " + devProvider + " does not accept the audience sts.amazonaws.com (client IDs: sigstore), so STS refuses the workflows' tokens",
			"aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn " + devProvider + " --client-id sts.amazonaws.com"}},
		{"IAM not readable", func(s *fakeaws.Server) {
			withCIRoles(s)
			s.Deny(devAccount, "GetRole")
			s.Deny(devAccount, "GetOpenIDConnectProvider")
		}, Warn, []string{"cannot read IAM with these credentials (AccessDenied: User: " + devARN + " is not authorized to perform: iam:GetRole",
			"allow iam:GetRole and iam:GetOpenIDConnectProvider to check them (the CDK lookup role's ReadOnlyAccess has both)"}},
		{"missing and wrong", func(s *fakeaws.Server) {
			s.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trustPolicy(devProvider, "repo:acme/old-links:environment:dev")})
		}, Fail, []string{"trusts sub repo:acme/old-links", "role wellknown-diff-dev does not exist", stackHint, deployFix}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := healthyFake(t)
			tc.setup(srv)
			rep := mustRun(t, srv, ciTarget())
			c := wantRow(t, rep, "dev", CheckCIRoles, tc.status, tc.contains...)
			if tc.status != Pass && c.Fix == "" {
				t.Errorf("no fix: %q", c.Message)
			}
			wantRows(t, rep, "dev", Pass, Pass, Pass, Warn, Pass, Pass, tc.status)
		})
	}
}

// A provider cdk.json names as existing is not created by the stack:
// when it is missing, deploying the stack does not help.
func TestCIExistingProviderMissing(t *testing.T) {
	srv := healthyFake(t)
	srv.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.example.org"}) // another issuer only
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trustPolicy(devProvider, "repo:acme/app-links:environment:dev")})
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-diff-dev", TrustPolicy: trustPolicy(devProvider, "repo:acme/app-links:pull_request")})
	target := ciTarget()
	target.CI.ExistingProvider = true
	rep := mustRun(t, srv, target)
	c := wantRow(t, rep, "dev", CheckCIRoles, Fail, `which "wellknown:ci" → oidcProviderArns names as existing, does not exist`,
		"remove account 111111111111 from oidcProviderArns so that WellKnownCI-111111111111 creates the provider")
	if c.Message != `GitHub's OIDC provider `+devProvider+`, which "wellknown:ci" → oidcProviderArns names as existing, does not exist, so no workflow can assume a role` {
		t.Errorf("message %q", c.Message)
	}
}

// Without a CI section there is no row and no IAM call.
func TestNoCINoRow(t *testing.T) {
	srv := healthyFake(t)
	rep := mustRun(t, srv, devTarget())
	if _, ok := rep.Find("dev", CheckCIRoles); ok {
		t.Error("ci-roles row without a CI section")
	}
	for _, c := range srv.Calls() {
		if c.Service == "IAM" {
			t.Errorf("IAM call without a CI section: %+v", c)
		}
	}
}

// The provider is per account: environments of one account share one
// read. The roles are per environment.
func TestCIProviderReadOncePerAccount(t *testing.T) {
	srv := healthyFake(t)
	withCIRoles(srv)
	staging := ciTarget()
	staging.Env, staging.StackName, staging.BucketName = "staging", "WellKnown-staging", "wellknown-staging-111111111111-eu-west-1"
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-staging", TrustPolicy: trustPolicy(devProvider, "repo:acme/app-links:environment:staging")})
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-diff-staging", TrustPolicy: trustPolicy(devProvider, "repo:acme/app-links:pull_request")})
	rep := mustRun(t, srv, ciTarget(), staging)
	wantRow(t, rep, "dev", CheckCIRoles, Pass)
	wantRow(t, rep, "staging", CheckCIRoles, Pass, "wellknown-deploy-staging trusts exactly repo:acme/app-links:environment:staging")
	if n := srv.Count("GetOpenIDConnectProvider"); n != 1 {
		t.Errorf("%d GetOpenIDConnectProvider calls, want 1", n)
	}
	if n := srv.Count("GetRole"); n != 4 {
		t.Errorf("%d GetRole calls, want 4", n)
	}
}

// IAM is global with one endpoint per partition, signed for the
// partition's home region; the fake refuses any other signature scope.
func TestCIRolesPartitions(t *testing.T) {
	for _, tc := range []struct{ region, partition, host, signing, audience string }{
		{"eu-west-1", "aws", "iam.amazonaws.com", "us-east-1", "sts.amazonaws.com"},
		{"cn-northwest-1", "aws-cn", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "sts.amazonaws.com.cn"},
		{"us-gov-east-1", "aws-us-gov", "iam.us-gov.amazonaws.com", "us-gov-west-1", "sts.amazonaws.com"},
	} {
		t.Run(tc.partition, func(t *testing.T) {
			srv := newFake(t)
			provider := "arn:" + tc.partition + ":iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
			srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: audienceTrustPolicy(provider, "repo:acme/app-links:environment:dev", tc.audience)})
			srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-diff-dev", TrustPolicy: audienceTrustPolicy(provider, "repo:acme/app-links:pull_request", tc.audience)})
			srv.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com", ClientIDs: []string{tc.audience}})
			target := ciTarget()
			target.Region = tc.region
			target.CI.ProviderARN = provider
			rep := mustRun(t, srv, target)
			wantRow(t, rep, "dev", CheckCIRoles, Pass, provider, "(aud "+tc.audience+")")
			n := 0
			for _, c := range srv.Calls() {
				if c.Service != "IAM" {
					continue
				}
				n++
				if c.Host != tc.host || c.Region != tc.signing {
					t.Errorf("IAM call %+v, want %s signed for %s", c, tc.host, tc.signing)
				}
			}
			if n != 3 {
				t.Errorf("%d IAM calls, want 3", n)
			}
		})
	}
}

// In China the workflows ask for the audience sts.amazonaws.com.cn: roles
// and a provider written for sts.amazonaws.com (as the CI roles stack was
// before it knew the partition's audience) refuse their tokens, and the
// fixes say what to deploy and which client ID to add, in China's IAM.
func TestCIRolesChinaAudience(t *testing.T) {
	const provider = "arn:aws-cn:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
	srv := newFake(t)
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-deploy-dev", TrustPolicy: trustPolicy(provider, "repo:acme/app-links:environment:dev")})
	srv.SetRole(devAccount, fakeaws.Role{Name: "wellknown-diff-dev", TrustPolicy: audienceTrustPolicy(provider, "repo:acme/app-links:pull_request", "sts.amazonaws.com.cn")})
	srv.SetOIDCProvider(devAccount, fakeaws.OIDCProvider{URL: "token.actions.githubusercontent.com", ClientIDs: []string{"sts.amazonaws.com"}})
	target := ciTarget()
	target.Region = "cn-north-1"
	target.CI.ProviderARN = provider
	rep := mustRun(t, srv, target)
	c := wantRow(t, rep, "dev", CheckCIRoles, Fail,
		"role wellknown-deploy-dev must trust exactly sub repo:acme/app-links:environment:dev (aud sts.amazonaws.com.cn) from GitHub's OIDC provider, but it expects aud sts.amazonaws.com",
		"GitHub's OIDC provider "+provider+" does not accept the audience sts.amazonaws.com.cn (client IDs: sts.amazonaws.com)",
		"aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn "+provider+" --client-id sts.amazonaws.com.cn --region cn-north-1",
		"deploys WellKnownCI-111111111111")
	if strings.Contains(c.Message, "wellknown-diff-dev") {
		t.Errorf("the diff role trusts the China audience, yet: %s", c.Message)
	}
}
