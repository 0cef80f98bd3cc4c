package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/config"
)

// withPipeline adds config.Sections' example pipeline section to the
// project, and the files the pipeline reads its toolchain from.
func withPipeline(t testing.TB, p *project) map[string]interface{} {
	t.Helper()
	i := slices.IndexFunc(config.Sections, func(s config.Section) bool { return s.Key == config.PipelineKey })
	var section map[string]interface{}
	if err := json.Unmarshal([]byte(config.Sections[i].Example), &section); err != nil {
		t.Fatal(err)
	}
	p.context[config.PipelineKey] = section
	for _, f := range []string{"go.mod", "package-lock.json"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p.write(f, string(data))
	}
	return section
}

// With a "wellknown:pipeline" section the app also synthesizes the
// pipeline — its stack, its artifact stores in the other regions and one
// nested assembly per environment — and the summary names them; a run for
// some environments only leaves it out, as it does the CI roles.
func TestPipelineIsSynthesizedWithEveryEnvironment(t *testing.T) {
	p := newProject(t)
	p.cdkValidation = true
	withPipeline(t, p)
	res := p.synth(nil)
	if res.exit != 0 {
		t.Fatalf("exit %d\n%s", res.exit, res.stderr)
	}
	if strings.TrimSpace(res.stderr) != "" {
		t.Errorf("stderr is not empty:\n%s", res.stderr)
	}
	stacks := []string{"WellKnownPipeline", "WellKnownPipeline-support-eu-central-1", "WellKnownPipeline-support-us-east-1"}
	for _, s := range stacks {
		if _, err := os.Stat(filepath.Join(res.outdir, s+".template.json")); err != nil {
			t.Errorf("no template of %s: %v", s, err)
		}
	}
	for _, env := range []string{"dev", "staging", "prod"} {
		if _, err := os.Stat(filepath.Join(res.outdir, "assembly-WellKnownPipeline-"+env, "manifest.json")); err != nil {
			t.Errorf("no stage of %s: %v", env, err)
		}
	}
	for _, want := range []string{
		`Pipeline (deployed once from a workstation, then it updates itself; see "Deploying with CodePipeline"): ` + strings.Join(stacks, ", "),
		"9 stack(s) synthesized",
	} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.summary)
		}
	}

	res = p.synth(map[string]interface{}{"env": "dev"})
	if res.exit != 0 {
		t.Fatalf("-c env=dev: exit %d\n%s", res.exit, res.stderr)
	}
	nested, _ := filepath.Glob(filepath.Join(res.outdir, "assembly-*"))
	if got := templates(t, res.outdir); len(got) != 1 || len(nested) != 0 || strings.Contains(res.summary, "WellKnownPipeline") {
		t.Errorf("-c env=dev synthesized %v and %v:\n%s", got, nested, res.summary)
	}
}

// A broken pipeline section is reported by `wellknown check` and stops the
// synthesis, every problem with the setting's path.
func TestCheckReportsABrokenPipelineSection(t *testing.T) {
	p := newProject(t)
	section := withPipeline(t, p)
	section["source"].(map[string]interface{})["connectionArn"] = "arn:aws:iam::999999999999:role/not-a-connection"
	section["waves"] = []interface{}{[]interface{}{"dev"}, []interface{}{"staging", "dev"}}
	section["approvalBefore"] = []interface{}{"qa"}
	root := `context["wellknown:pipeline"]`
	want := []string{
		root + `.source.connectionArn: "arn:aws:iam::999999999999:role/not-a-connection" is not a CodeConnections connection ARN`,
		root + `.waves[1][1]: "dev" is in more than one wave`,
		root + `.waves: no wave deploys "prod"`,
		root + `.approvalBefore[0]: "qa" is not an environment`,
	}
	res := p.cli("check")
	if res.exit != 2 {
		t.Errorf("check: exit %d, want 2\n%s%s", res.exit, res.stdout, res.stderr)
	}
	for _, w := range want {
		if !strings.Contains(res.stdout, "cdk.json: "+w) {
			t.Errorf("check does not report %q:\n%s", w, res.stdout)
		}
	}
	res = p.synth(nil)
	if res.exit != 1 {
		t.Errorf("synth: exit %d, want 1\n%s", res.exit, res.stderr)
	}
	for _, w := range want {
		if !strings.Contains(res.stderr, w) {
			t.Errorf("synth does not report %q:\n%s", w, res.stderr)
		}
	}
	if got := templates(t, res.outdir); len(got) != 0 {
		t.Errorf("templates written: %v", got)
	}
}
