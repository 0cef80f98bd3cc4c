package doctor

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	rep := newReport([]EnvReport{
		{Env: "dev", Checks: []Check{{Name: CheckIdentity, Status: Pass, Message: "fine"}, {Name: CheckBucket, Status: Warn, Message: "hmm", Fix: "do this"}}},
		{Env: "prod", Checks: []Check{{Name: CheckIdentity, Status: Fail, Message: "wrong", Fix: "fix it"}, {Name: CheckBucket, Status: Skip, Message: "not checked"}}},
	})
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `ENV   CHECK     RESULT  DETAIL
dev   identity  ✓       fine
dev   bucket    !       hmm — do this
prod  identity  ✗       wrong — fix it
prod  bucket    –       not checked

FAILED: 2 environments, 1 passed, 1 failed, 1 warning, 1 skipped
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if rep.OK() {
		t.Error("OK with a failure")
	}
	if !strings.HasPrefix(newReport(nil).summaryForTest(), "ok:") {
		t.Error("empty report is not ok")
	}
}

func (r Report) summaryForTest() string {
	var b bytes.Buffer
	r.WriteText(&b)
	return b.String()[strings.Index(b.String(), "\n\n")+2:]
}

// The README's doctor table has a row for every check, so a check added
// later is documented where users look for what a row means.
func TestREADMEDocumentsEveryCheck(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range CheckNames {
		if !strings.Contains(string(data), "\n| `"+name+"` ") {
			t.Errorf("README.md has no table row for the %s check", name)
		}
	}
}
