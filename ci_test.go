package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Adding an environment (new-env adds it to the promotion) changes both
// workflows and the account's CI roles stack: --check catches the stale
// workflows, and the next synthesis has the new account's roles.
func TestNewEnvironmentReachesWorkflowsAndCIStack(t *testing.T) {
	p := newProject(t)
	p.writeCDKJSON()
	p.keepCDKJSON = true
	gomod, _ := os.ReadFile("go.mod")
	p.write("go.mod", string(gomod))
	if res := p.cli("ci"); res.exit != 0 {
		t.Fatalf("ci: exit %d\n%s", res.exit, res.stderr)
	}
	if res := p.cli("new-env", "qa", "--account", "444444444444", "--region", "eu-west-2", "--ios-app-id", "ABCDE12345.com.acme.qa"); res.exit != 0 {
		t.Fatalf("new-env: exit %d\n%s", res.exit, res.stderr)
	}
	if res := p.cli("ci", "--check"); res.exit != 1 || !strings.Contains(res.stdout, "+  deploy-qa:") || !strings.Contains(res.stdout, "+  diff-qa:") {
		t.Fatalf("ci --check after new-env: exit %d\n%s", res.exit, res.stdout)
	}
	if res := p.cli("ci"); res.exit != 0 {
		t.Fatalf("ci: exit %d\n%s", res.exit, res.stderr)
	}
	deploy, _ := os.ReadFile(filepath.Join(p.dir, ".github/workflows/wellknown-deploy.yml"))
	if !strings.Contains(string(deploy), "  deploy-qa:\n    name: deploy qa\n    needs: deploy-prod\n") {
		t.Errorf("qa does not deploy after prod:\n%s", deploy)
	}

	var cdk struct{ Context map[string]interface{} }
	raw, _ := os.ReadFile(filepath.Join(p.dir, "cdk.json"))
	json.Unmarshal(raw, &cdk)
	p.context = cdk.Context
	res := p.synth(nil)
	if res.exit != 0 {
		t.Fatalf("synth: exit %d\n%s", res.exit, res.stderr)
	}
	tmpl, err := os.ReadFile(filepath.Join(res.outdir, "WellKnownCI-444444444444.template.json"))
	if err != nil {
		t.Fatalf("no CI stack for the new account: %v\n%s", err, res.stdout)
	}
	for _, want := range []string{`"RoleName": "wellknown-deploy-qa"`, `"repo:acme/app-links:environment:qa"`, `cdk-hnb659fds-deploy-role-444444444444-eu-west-2`} {
		if !strings.Contains(string(tmpl), want) {
			t.Errorf("CI stack lacks %s", want)
		}
	}
	if !strings.Contains(res.summary, "WellKnownCI-444444444444") {
		t.Errorf("summary does not list the new CI stack:\n%s", res.summary)
	}
}
