package reapnoise

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

func TestFilterDropsOnlyTheSpuriousLine(t *testing.T) {
	in := "real warning\n" + spurious + "next line\n" + spurious
	var out bytes.Buffer
	filterTo(strings.NewReader(in), &out)
	if got, want := out.String(), "real warning\nnext line\n"; got != want {
		t.Errorf("filterTo = %q, want %q", got, want)
	}
}

// The runtime's losing goroutine may print after Close returned; run must
// swallow that and still pass everything else through.
func TestRunSwallowsLateSpuriousLine(t *testing.T) {
	real := os.Stderr
	defer func() { os.Stderr = real }()
	capture, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	os.Stderr = capture

	printed := make(chan struct{})
	code := run(func() int {
		os.Stderr.WriteString("from the app\n")
		return 3
	}, func() {
		os.Stderr.WriteString("from the runtime\n")
		go func() {
			defer close(printed)
			time.Sleep(20 * time.Millisecond)
			os.Stderr.WriteString(spurious)
		}()
	})
	<-printed
	if code != 3 {
		t.Errorf("run returned %d, want fn's 3", code)
	}
	data, err := os.ReadFile(capture.Name())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), "from the app\nfrom the runtime\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}
