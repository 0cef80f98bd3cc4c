package policy_test

// Running the engine itself: @aws/cloudformation-validate as aws-cdk-lib
// 2.277 bundles it, extracted from the aws-cdk-lib tarball in the Go module
// cache (extractEngine) and run with node, called the way the CDK's
// CloudFormationValidatePlugin calls it. The tests compare it with the Go
// evaluator; one node process runs every template of a test.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/testenv"
	"github.com/acme/wellknown/policy"
)

// harness reads a job (rule sets, and runs of a rule set on a template
// file with an account and region) and prints {id: {diagnostics} | {error}
// | {model}}. The engine is the CDK's: new CompositeEngine({regoRules}) and
// validateTemplate(content, {detailLevel: "STANDARD",
// pseudoParameterOverrides, severityLevel: "WARN"}) (its exclude list names
// only built-in rules, whose diagnostics are dropped here: only the custom
// rules are of interest). An engine error (a rule that fails to compile or
// evaluate) is that run's result, as the CDK plugin's exception would be.
// A run with "dump" returns the engine's input model instead, through a
// rule that puts json.marshal(input) in a message.
const harness = `
const cv = require(process.argv[2]);
const fs = require('fs');
const job = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const dumpRule = {name: 'dump.rego', content: 'package cdk_rules.dump\nimport rego.v1\nviolation contains make_diag_full("DUMP", "ERROR", "", "", json.marshal(input), "", "")\n'};
const out = {};
// One engine per rule set, freed before the next is made: engines left
// alive make building the next one slower and slower (WASM memory).
let engine, engineSet;
for (const r of job.runs) {
  const t0 = Date.now();
  try {
    const set = r.dump ? '\u0000dump' : r.rules;
    if (engineSet !== set) {
      if (engine) engine.free();
      engine = undefined;
      engineSet = set;
      engine = new cv.CompositeEngine({regoRules: r.dump ? [dumpRule] : job.rules[r.rules]});
    }
    const rep = engine.validateTemplate(new cv.TemplateContent(fs.readFileSync(r.file, 'utf8'), r.file), {
      detailLevel: 'STANDARD', severityLevel: 'WARN',
      pseudoParameterOverrides: {accountId: r.account || undefined, region: r.region || undefined},
    });
    const custom = rep.diagnostics.filter(d => d.source === 'CUSTOM');
    if (r.dump) {
      const model = JSON.parse(custom.find(d => d.ruleId === 'DUMP').message);
      const resources = {};
      for (const [id, res] of Object.entries(model.resources)) {
        resources[id] = {resourceType: res.resourceType, properties: res.properties, outgoingRefs: res.outgoingRefs};
      }
      out[r.id] = {model: {resources}};
      continue;
    }
    out[r.id] = {diagnostics: custom.map(d => ({
      rule: d.ruleId, severity: d.severity,
      resource: d.entity && d.entity.entityType === 'Resource' ? d.entity.logicalId : '',
      path: d.propertyPath || '', message: d.message, fix: d.suggestedFix || '', category: d.category || '',
    }))};
  } catch (e) {
    out[r.id] = {error: String(e && e.message || e)};
  } finally {
    if (process.env.HARNESS_TIMING) console.error(r.id, Date.now() - t0);
  }
}
if (engine) engine.free();
process.stdout.write(JSON.stringify(out));
`

// ruleSource is a rule file as the engine takes it.
type ruleSource struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// engineRun is one validation by the engine.
type engineRun struct {
	ID      string `json:"id"`
	Rules   string `json:"rules"`
	File    string `json:"file"`
	Account string `json:"account"`
	Region  string `json:"region"`
	Dump    bool   `json:"dump"`
}

type engineResult struct {
	Diagnostics []policy.Diagnostic `json:"diagnostics"`
	Error       string              `json:"error"`
	Model       interface{}         `json:"model"`
}

// projectRules are the embedded rules, named as the CDK plugin was given
// them.
func projectRules() []ruleSource {
	src := policy.Sources()
	var out []ruleSource
	for name, content := range src {
		out = append(out, ruleSource{Name: "policy/" + name, Content: content})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// engine is the extracted engine, shared by the tests of one run.
var engine = struct {
	once       sync.Once
	dir        string
	path, skip string
	err        error
}{}

// requireEngine returns the engine's directory, skipping the test where
// node or the tarball is missing.
func requireEngine(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH")
	}
	engine.once.Do(func() {
		engine.dir, engine.err = os.MkdirTemp("", "cfn-validate-")
		if engine.err == nil {
			engine.path, engine.skip, engine.err = extractEngine(engine.dir)
		}
	})
	if engine.err != nil {
		t.Fatal(engine.err)
	}
	if engine.skip != "" {
		t.Skip(engine.skip)
	}
	return engine.path
}

// runEngine runs the engine on every run of the job in one node process.
func runEngine(t *testing.T, dir string, rules map[string][]ruleSource, runs []engineRun) map[string]engineResult {
	t.Helper()
	path := requireEngine(t)
	job := filepath.Join(dir, "job.json")
	writeJSON(t, job, map[string]interface{}{"rules": rules, "runs": runs})
	script := filepath.Join(dir, "harness.js")
	if err := os.WriteFile(script, []byte(harness), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script, path, job)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("engine harness: %v", err)
	}
	var results map[string]engineResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("harness output: %v\n%.2000s", err, out)
	}
	for _, r := range runs {
		if _, ok := results[r.ID]; !ok {
			t.Fatalf("harness gave no result for %s", r.ID)
		}
	}
	return results
}

// sortedDiagnostics is a copy of ds in a fixed order of all their fields.
func sortedDiagnostics(ds []policy.Diagnostic) []policy.Diagnostic {
	out := append([]policy.Diagnostic{}, ds...)
	sort.Slice(out, func(i, j int) bool { return fmt.Sprintf("%+v", out[i]) < fmt.Sprintf("%+v", out[j]) })
	return out
}

func TestMain(m *testing.M) {
	// The base templates are synthesized without the CDK's built-in
	// validation (about 3 s): the root package's end-to-end tests run it on
	// the example, and these tests are about the project's rules, which run
	// whatever CDK_VALIDATION says. Node reads it when it starts.
	os.Setenv("CDK_VALIDATION", "false")
	os.Exit(testenv.Main(m, nil, jsii.Close))
}
