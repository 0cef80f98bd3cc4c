package scaffold

import (
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
