package scaffold

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A stray file in the target directory would make the new environment fail
// synthesis, so new-env refuses before writing anything.
func TestNewPlanRefusesStrayFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"context": {"wellknown:environments": {}}}`), 0o644)
	os.MkdirAll(filepath.Join(dir, "assets/qa/.well-known"), 0o755)
	os.WriteFile(filepath.Join(dir, "assets/qa/.well-known/README"), []byte("notes"), 0o644)
	plan, problems, err := NewPlan(Props{Dir: dir, Name: "qa", Account: "555555555555", Region: "eu-west-2",
		IOSAppIDs: []string{"ABCDE12345.com.acme.qa"}})
	if err != nil || plan != nil || len(problems) != 1 || !strings.Contains(problems[0].String(), "assets/qa/.well-known/README: $: not published") {
		t.Fatalf("plan %v, err %v, problems %v", plan, err, problems)
	}
}

// With a pipeline, the new environment joins a last wave of its own, so
// that the section stays valid (every environment in exactly one wave);
// one already in a wave stays where it is.
func TestNewPlanAddsAPipelineWave(t *testing.T) {
	const pipeline = `"wellknown:pipeline": {"account": "999999999999", "region": "eu-west-1",
		"source": {"connectionArn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/0f0e0d0c-0b0a-0908-0706-050403020100", "repository": "acme/app-links"},
		"waves": [["dev"]%s]}`
	for name, tc := range map[string]struct {
		qaWave string
		added  bool
		want   [][]string
	}{
		"new environment":   {"", true, [][]string{{"dev"}, {"qa"}}},
		"already in a wave": {`, ["qa"]`, false, [][]string{{"dev"}, {"qa"}}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			envs := `"dev": {"account": "111111111111", "region": "eu-west-1"}`
			if !tc.added {
				envs += `, "qa": {"account": "555555555555", "region": "eu-west-2"}`
			}
			os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"context": {"wellknown:environments": {`+envs+`}, `+fmt.Sprintf(pipeline, tc.qaWave)+`}}`), 0o644)
			plan, problems, err := NewPlan(Props{Dir: dir, Name: "qa", Account: "555555555555", Region: "eu-west-2",
				IOSAppIDs: []string{"ABCDE12345.com.acme.qa"}, Force: !tc.added})
			if err != nil || plan == nil {
				t.Fatalf("plan: %v %v", err, problems)
			}
			if plan.Waved != tc.added {
				t.Errorf("Waved = %v, want %v", plan.Waved, tc.added)
			}
			var cdk struct {
				Context struct {
					Pipeline struct{ Waves [][]string } `json:"wellknown:pipeline"`
				}
			}
			if err := json.Unmarshal(plan.CDKJSON, &cdk); err != nil {
				t.Fatal(err)
			}
			if got := cdk.Context.Pipeline.Waves; fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("waves %v, want %v", got, tc.want)
			}
		})
	}
}
