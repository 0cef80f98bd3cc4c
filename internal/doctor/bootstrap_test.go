package doctor

import "testing"

func TestBootstrap(t *testing.T) {
	noAssembly := devTarget()
	noAssembly.RequiredBootstrapVersion, noAssembly.BootstrapParameter, noAssembly.LookupBootstrapVersion = 0, "", 0
	noAssembly.AssemblyNote = "no cloud assembly in cdk.out"
	custom := devTarget()
	custom.Qualifier, custom.BootstrapParameter = "acme1", "/cdk-bootstrap/acme1/version"
	stale := devTarget()
	stale.AssemblyNote = "cdk.out was synthesized for aws://111111111111/eu-west-2, not aws://111111111111/eu-west-1: cdk.json changed since"

	for _, tc := range []struct {
		name     string
		target   Target
		param    string // SSM parameter to set
		value    string // "" leaves it unset
		deny     bool
		status   Status
		contains []string
	}{
		{"current", devTarget(), bootParam, "30", false, Pass,
			[]string{"bootstrap version 30 in eu-west-1 (the synthesized stack requires ≥ 6)"}},
		{"exactly the requirement of the lookup role", devTarget(), bootParam, "8", false, Pass, nil},
		{"not bootstrapped", devTarget(), bootParam, "", false, Fail,
			[]string{"aws://111111111111/eu-west-1 is not bootstrapped: /cdk-bootstrap/hnb659fds/version does not exist", "run npx cdk bootstrap aws://111111111111/eu-west-1"}},
		{"older than required", devTarget(), bootParam, "5", false, Fail,
			[]string{"bootstrap version 5 in aws://111111111111/eu-west-1 is older than the 6 the synthesized stack requires", "run npx cdk bootstrap aws://111111111111/eu-west-1 (updates the bootstrap stack in place)"}},
		{"enough to deploy, not for the lookup role", devTarget(), bootParam, "7", false, Warn,
			[]string{"enough to deploy (the stack requires ≥ 6), but the lookup role that `cdk diff` falls back to requires ≥ 8"}},
		{"custom qualifier", custom, "/cdk-bootstrap/acme1/version", "", false, Fail,
			[]string{"/cdk-bootstrap/acme1/version does not exist", "npx cdk bootstrap aws://111111111111/eu-west-1 --qualifier acme1"}},
		{"custom qualifier bootstrapped", custom, "/cdk-bootstrap/acme1/version", "21", false, Pass, nil},
		{"no assembly, bootstrapped", noAssembly, bootParam, "30", false, Warn,
			[]string{"bootstrapped (/cdk-bootstrap/hnb659fds/version = 30), but the version the stack requires is unknown: no cloud assembly in cdk.out", "run `make synth` first"}},
		{"no assembly, not bootstrapped", noAssembly, bootParam, "", false, Fail,
			[]string{"is not bootstrapped", "(no cloud assembly in cdk.out)", "npx cdk bootstrap aws://111111111111/eu-west-1"}},
		{"stale assembly", stale, bootParam, "30", false, Warn,
			[]string{"bootstrap version 30", "but cdk.out was synthesized for aws://111111111111/eu-west-2", "run `make synth` again"}},
		{"not a number", devTarget(), bootParam, "latest", false, Fail,
			[]string{`/cdk-bootstrap/hnb659fds/version holds "latest", not a version number`}},
		{"access denied", devTarget(), bootParam, "30", true, Warn,
			[]string{"cannot read /cdk-bootstrap/hnb659fds/version: AccessDeniedException: User: " + devARN + " is not authorized to perform: ssm:GetParameter", "the deploy itself may still work"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFake(t)
			if tc.value != "" {
				srv.SetParameter(devAccount, "eu-west-1", tc.param, tc.value)
			}
			if tc.deny {
				srv.Deny(devAccount, "GetParameter")
			}
			rep := mustRun(t, srv, tc.target)
			wantRow(t, rep, "dev", CheckBootstrap, tc.status, tc.contains...)
			if n := srv.Count("GetParameter"); n != 1 {
				t.Errorf("%d GetParameter calls, want 1", n)
			}
		})
	}
}

// The parameter is looked up in the environment's own region: a
// bootstrap elsewhere in the account does not count.
func TestBootstrapIsPerRegion(t *testing.T) {
	srv := newFake(t)
	srv.SetParameter(devAccount, "us-east-1", bootParam, "30")
	rep := mustRun(t, srv, devTarget())
	wantRow(t, rep, "dev", CheckBootstrap, Fail, "aws://111111111111/eu-west-1 is not bootstrapped")
}

// An environment whose deploy creates the certificate stack in us-east-1
// needs that region bootstrapped too: its own row, read there, with the
// certificate stack's requirement and the command for us-east-1.
func TestCertBootstrap(t *testing.T) {
	certStack := func(need int, note string) Target {
		t := domainTarget()
		t.Domain.CertificateARN = ""
		t.CertStack = &CertStack{Name: "WellKnownCert-dev", RequiredBootstrapVersion: need, BootstrapParameter: bootParam, AssemblyNote: note}
		return t
	}
	for _, tc := range []struct {
		name     string
		target   Target
		value    string // us-east-1's version; "" leaves it unset
		status   Status
		contains []string
	}{
		{"bootstrapped", certStack(6, ""), "30", Pass,
			[]string{"bootstrap version 30 in us-east-1 (the synthesized WellKnownCert-dev requires ≥ 6)"}},
		{"not bootstrapped", certStack(6, ""), "", Fail,
			[]string{"aws://111111111111/us-east-1 is not bootstrapped: /cdk-bootstrap/hnb659fds/version does not exist; WellKnownCert-dev, which the deploy of WellKnown-dev creates first, is deployed there",
				"run npx cdk bootstrap aws://111111111111/us-east-1"}},
		{"older", certStack(6, ""), "5", Fail,
			[]string{"bootstrap version 5 in aws://111111111111/us-east-1 is older than the 6 the synthesized WellKnownCert-dev requires"}},
		{"not in the assembly", certStack(0, "cdk.out has no stack WellKnownCert-dev"), "30", Warn,
			[]string{"bootstrapped (/cdk-bootstrap/hnb659fds/version = 30 in us-east-1), but the version WellKnownCert-dev requires is unknown: cdk.out has no stack WellKnownCert-dev"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := healthyFake(t)
			withDomain(srv)
			if tc.value != "" {
				srv.SetParameter(devAccount, "us-east-1", bootParam, tc.value)
			}
			rep := mustRun(t, srv, tc.target)
			wantRow(t, rep, "dev", CheckBootstrap, Pass)
			wantRow(t, rep, "dev", CheckCertBootstrap, tc.status, tc.contains...)
			if n := srv.Count("GetParameter"); n != 2 {
				t.Errorf("%d GetParameter calls, want 2 (eu-west-1 and us-east-1)", n)
			}
		})
	}
	// Without a certificate stack there is no such row and no second read.
	srv := healthyFake(t)
	withDomain(srv)
	rep := mustRun(t, srv, domainTarget())
	if _, ok := rep.Find("dev", CheckCertBootstrap); ok || srv.Count("GetParameter") != 1 {
		t.Errorf("cert-bootstrap row or read without a certificate stack (%d reads)", srv.Count("GetParameter"))
	}
}
