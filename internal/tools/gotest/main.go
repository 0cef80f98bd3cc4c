// Command gotest is `make test`'s go test: it runs `go test -json` with
// the given arguments and prints what a person waiting for it wants to
// see — each package as it starts and finishes, the tests still running
// every 20 seconds, and the whole output of every failed test — instead of
// go test's silence until a package is done (a package of end-to-end tests
// runs for minutes). It exits with go test's exit code.
//
//	go run ./internal/tools/gotest ./...
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail
	Test       string
	Elapsed    float64
	Output     string
}

// every is how often the tests still running are listed.
const every = 20 * time.Second

func main() {
	cmd := exec.Command("go", append([]string{"test", "-json"}, os.Args[1:]...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fatal(err)
	}
	if err := cmd.Start(); err != nil {
		fatal(err)
	}
	p := newProgress(os.Stdout)
	stop := p.tick(every)
	p.read(out)
	stop()
	err = cmd.Wait()
	p.summary()
	if ee, ok := err.(*exec.ExitError); ok {
		os.Exit(ee.ExitCode())
	} else if err != nil {
		fatal(err)
	}
	if p.failed {
		os.Exit(1) // a failure go test's exit code did not carry
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gotest:", err)
	os.Exit(2)
}

type progress struct {
	mu  sync.Mutex
	out io.Writer
	// started maps the running top-level tests ("pkg TestName") to their
	// start.
	started map[string]time.Time
	// output holds every test's output, by "pkg Test" ("pkg " for the
	// package's own), until its package ends. A failed test's messages
	// come after its "--- FAIL" line, so after its fail event.
	output map[string][]string
	// failed lists each package's failed tests, subtests included, in
	// the order they failed.
	failedTests map[string][]string
	// passed and skipped count the packages.
	passed, skipped int
	failures        []string
	failed          bool
}

func newProgress(out io.Writer) *progress {
	return &progress{out: out, started: map[string]time.Time{}, output: map[string][]string{}, failedTests: map[string][]string{}}
}

func (p *progress) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// go test prints some failures (a package that does not
			// compile, before Go 1.24) as plain text.
			p.mu.Lock()
			fmt.Fprintln(p.out, sc.Text())
			p.mu.Unlock()
			continue
		}
		p.handle(e)
	}
}

func short(pkg string) string {
	if i := strings.Index(pkg, "/wellknown"); i >= 0 {
		if rest := pkg[i+len("/wellknown"):]; rest != "" {
			return strings.TrimPrefix(rest, "/")
		}
		return "."
	}
	return pkg
}

func (p *progress) handle(e event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := e.Package + " " + e.Test
	switch e.Action {
	case "build-output":
		p.output["build "+e.ImportPath] = append(p.output["build "+e.ImportPath], e.Output)
	case "build-fail":
		p.failed = true
		fmt.Fprintf(p.out, "FAIL  %s: does not build\n%s", short(e.ImportPath), strings.Join(p.output["build "+e.ImportPath], ""))
	case "start":
		fmt.Fprintf(p.out, "▶     %s\n", short(e.Package))
	case "run":
		if !strings.Contains(e.Test, "/") {
			p.started[key] = time.Now()
		}
	case "output":
		p.output[key] = append(p.output[key], e.Output)
	case "pass", "skip", "fail":
		if e.Test != "" {
			delete(p.started, key)
			if e.Action == "fail" {
				p.failedTests[e.Package] = append(p.failedTests[e.Package], e.Test)
				if !strings.Contains(e.Test, "/") {
					p.failures = append(p.failures, short(e.Package)+" "+e.Test)
				}
			}
			return
		}
		p.packageDone(e)
	}
}

// packageDone prints a package's result: the whole output of each failed
// test, each subtest's after its parent's, then the package line.
func (p *progress) packageDone(e event) {
	switch e.Action {
	case "pass":
		p.passed++
		fmt.Fprintf(p.out, "ok    %-40s %6.1fs\n", short(e.Package), e.Elapsed)
	case "skip":
		p.skipped++
	case "fail":
		p.failed = true
		tests := p.failedTests[e.Package]
		sort.SliceStable(tests, func(i, j int) bool { return strings.Split(tests[i], "/")[0] < strings.Split(tests[j], "/")[0] })
		for _, t := range tests {
			fmt.Fprint(p.out, strings.Join(p.output[e.Package+" "+t], ""))
		}
		// Output outside any test: a panic in TestMain, a timeout.
		fmt.Fprint(p.out, strings.Join(p.output[e.Package+" "], ""))
		fmt.Fprintf(p.out, "FAIL  %-40s %6.1fs\n", short(e.Package), e.Elapsed)
	}
	for k := range p.output {
		if strings.HasPrefix(k, e.Package+" ") {
			delete(p.output, k)
		}
	}
	delete(p.failedTests, e.Package)
}

// tick lists the tests still running every d until stop is called.
func (p *progress) tick(d time.Duration) (stop func()) {
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.running()
			}
		}
	}()
	return func() { t.Stop(); close(done) }
}

func (p *progress) running() {
	p.mu.Lock()
	defer p.mu.Unlock()
	var names []string
	for key, since := range p.started {
		pkg, test, _ := strings.Cut(key, " ")
		names = append(names, fmt.Sprintf("%s %s (%ds)", short(pkg), test, int(time.Since(since).Seconds())))
	}
	if len(names) == 0 {
		return
	}
	sort.Strings(names)
	fmt.Fprintf(p.out, "…     running: %s\n", strings.Join(names, ", "))
}

func (p *progress) summary() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.failures) > 0 {
		slices.Sort(p.failures)
		fmt.Fprintf(p.out, "\nfailed tests:\n  %s\n", strings.Join(p.failures, "\n  "))
	}
	fmt.Fprintf(p.out, "%d packages passed, %d without tests\n", p.passed, p.skipped)
}
