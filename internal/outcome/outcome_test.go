package outcome

import (
	"strings"
	"testing"
)

func TestTally(t *testing.T) {
	var tl Tally
	for _, s := range []Status{Pass, Pass, Warn, Skip} {
		tl.Add(s)
	}
	var b strings.Builder
	if err := tl.WriteSummary(&b, 1, "environment"); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "\nok: 1 environment, 2 passed, 0 failed, 1 warning, 1 skipped\n"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	tl.Add(Fail)
	tl.Add(Warn)
	b.Reset()
	if err := tl.WriteSummary(&b, 3, "request"); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "\nFAILED: 3 requests, 2 passed, 1 failed, 2 warnings, 1 skipped\n"; got != want || tl.OK() {
		t.Errorf("summary %q (ok %v), want %q", got, tl.OK(), want)
	}
}

func TestSymbols(t *testing.T) {
	for s, want := range map[Status]string{Pass: "✓", Fail: "✗", Warn: "!", Skip: "–"} {
		if got := s.Symbol(); got != want {
			t.Errorf("%s: %q, want %q", s, got, want)
		}
	}
}

func TestTallyOfAndDetail(t *testing.T) {
	got := TallyOf([]Check{{Status: Pass}, {Status: Fail}}, nil, []Check{{Status: Warn}, {Status: Skip}, {Status: Pass}})
	if want := (Tally{Passed: 2, Failed: 1, Warnings: 1, Skipped: 1}); got != want {
		t.Errorf("tally %+v, want %+v", got, want)
	}
	if d := (Check{Message: "m"}).Detail(); d != "m" {
		t.Errorf("detail without fix %q", d)
	}
	if d := (Check{Message: "m", Fix: "f"}).Detail(); d != "m — f" {
		t.Errorf("detail with fix %q", d)
	}
}
