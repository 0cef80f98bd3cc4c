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
