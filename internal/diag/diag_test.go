package diag

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestProblemString(t *testing.T) {
	p := Problem{File: "a.json", Path: "$", Severity: Warning, Message: "m", Fix: "f"}
	if got := p.String(); got != "a.json: $: warning: m — f" {
		t.Errorf("got %q", got)
	}
	p.Severity, p.Fix = Error, ""
	if got := p.Error(); got != "a.json: $: m" {
		t.Errorf("got %q", got)
	}
	if Error.String() != "error" || Warning.String() != "warning" {
		t.Errorf("severity strings: %q %q", Error, Warning)
	}
	if !HasErrors([]Problem{{Severity: Warning}, {Severity: Error}}) || HasErrors([]Problem{{Severity: Warning}}) {
		t.Error("HasErrors wrong")
	}
}

func TestWriteCountsAndErr(t *testing.T) {
	ps := []Problem{
		{File: "f", Path: "$", Severity: Error, Message: "broken"},
		{File: "f", Path: "a", Severity: Warning, Message: "odd"},
		{File: "g", Path: "b", Severity: Error, Message: "also broken"},
	}
	var buf bytes.Buffer
	c := Write(&buf, ps)
	if c != (Counts{Errors: 2, Warnings: 1}) || c.String() != "2 errors, 1 warning" {
		t.Errorf("counts %+v %q", c, c)
	}
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 3 || lines[1] != "f: a: warning: odd" {
		t.Errorf("lines %q", lines)
	}
	err := Err(ps)
	var p Problem
	if !errors.As(err, &p) || strings.Contains(err.Error(), "odd") || !strings.Contains(err.Error(), "also broken") {
		t.Errorf("Err = %v", err)
	}
	if Err(ps[1:2]) != nil || HasErrors(ps[1:2]) || !HasErrors(ps) {
		t.Error("warnings alone are not errors")
	}
}

func TestPlural(t *testing.T) {
	if Plural(1, "file") != "1 file" || Plural(0, "file") != "0 files" || Plural(3, "error") != "3 errors" {
		t.Error(Plural(1, "file"), Plural(0, "file"))
	}
}

// The app prints the problems, then their counts.
func TestWriteThenCounts(t *testing.T) {
	var buf bytes.Buffer
	c := Write(&buf, []Problem{
		{File: "a.json", Path: "$", Severity: Error, Message: "bad", Fix: "fix it"},
		{File: "a.json", Path: "[0]", Severity: Warning, Message: "odd"},
	})
	fmt.Fprintln(&buf, c)
	want := "a.json: $: bad — fix it\na.json: [0]: warning: odd\n1 error, 1 warning\n"
	if c.Errors != 1 || buf.String() != want {
		t.Errorf("errs %d, output:\n%s", c.Errors, buf.String())
	}
	buf.Reset()
	if Write(&buf, nil) != (Counts{}) || buf.Len() != 0 {
		t.Errorf("no problems should print nothing, got %q", buf.String())
	}
}
