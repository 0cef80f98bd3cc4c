package stacks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/acme/wellknown/policy"
)

// readmeSection is the text of the README between heading and the next
// heading of the same or a higher level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(projectDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README lacks %q", heading)
	}
	level := strings.Index(heading, " ")
	if end := regexp.MustCompile(`\n#{1,` + string(rune('0'+level)) + `} `).FindStringIndex(rest); end != nil {
		rest = rest[:end[0]]
	}
	return rest
}

// The README's rules table lists every rule with its summary, and its
// security exceptions table every cdk-nag rule that nag.go suppresses.
func TestREADMETablesMatchTheCode(t *testing.T) {
	// Code spans are the README's formatting, not part of the summary.
	rules := strings.ReplaceAll(readmeSection(t, "### Project rules (`policy/`)"), "`", "")
	for _, r := range policy.Rules {
		if !strings.Contains(rules, "| "+r.ID+" | policy/"+r.File+" | "+r.Summary+" |") {
			t.Errorf("the README's rules table lacks %s as policy.Rules describes it", r.ID)
		}
	}
	nag, err := os.ReadFile("nag.go")
	if err != nil {
		t.Fatal(err)
	}
	exceptions := readmeSection(t, "### Security exceptions")
	for _, m := range regexp.MustCompile(`"(AwsSolutions-[A-Z]+[0-9]+)"`).FindAllStringSubmatch(string(nag), -1) {
		if !strings.Contains(exceptions, "| `"+m[1]+"` |") {
			t.Errorf("nag.go suppresses %s, which the README's Security exceptions table does not list", m[1])
		}
	}
}
