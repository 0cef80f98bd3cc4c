package cdkapp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/acme/wellknown/internal/cdkout"
	"github.com/acme/wellknown/internal/config"
)

// reports are the parts of a failed assembly that explain the failure.
var reports = []string{"validation-report.json", "*NagReport.csv"}

const stagingPrefix = ".synth-"

// Synth builds the stacks on a new app and synthesizes it into outdir.
//
// The assembly is written to a staging directory inside outdir and moved
// into place, manifest last, only when the synthesis succeeded; before
// that, every deployable file of an earlier run is removed. So whatever
// fails — invalid input caught by build, a policy rule or cdk-nag, a panic
// from jsii, SIGINT or SIGTERM — outdir holds no manifest.json, template or
// asset manifest, from this run or an earlier one, and a narrower -c env=
// run leaves no other environment's template next to its manifest.
//
// On a signal, exit is called with 128+signal after the cleanup: the
// synthesis runs in the jsii child and cannot be cancelled, so the process
// ends there.
func Synth(ctx config.Context, outdir string, build func(awscdk.App) error, exit func(code int)) (err error) {
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		return err
	}
	clearStaging(outdir)
	if _, err := cdkout.Discard(outdir); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(outdir, stagingPrefix)
	if err != nil {
		return err
	}
	var moving sync.Mutex
	var interrupted atomic.Bool
	stop := onSignal(func(sig os.Signal) {
		interrupted.Store(true)
		moving.Lock() // a move in progress finishes first; none starts after
		// The synthesis runs in the jsii node child, which would go on
		// writing the assembly after this process is gone.
		runtimeSaid := killChildren()
		os.RemoveAll(staging)
		cdkout.Discard(outdir)
		fmt.Fprintf(os.Stderr, "%swellknown: %v: synthesis interrupted; nothing deployable was left in %s\n", runtimeSaid, sig, outdir)
		exit(128 + int(sig.(syscall.Signal)))
	})
	defer stop()
	defer func() {
		r := recover()
		if interrupted.Load() {
			// Killing the jsii child makes the synthesis fail here too; the
			// signal handler owns the outcome and ends the process.
			select {}
		}
		if r != nil {
			err = fmt.Errorf("synthesis failed: %v", r)
		}
		if err != nil {
			keepReports(staging, outdir)
			os.RemoveAll(staging)
			cdkout.Discard(outdir)
			err = errors.New(strings.ReplaceAll(err.Error(), staging, outdir))
		}
	}()
	app, err := newApp(ctx, staging)
	if err != nil {
		return err
	}
	if err := build(app); err != nil {
		return err
	}
	// The CDK reports failed validations by throwing, which jsii turns into
	// a panic; the deferred recover makes it an error.
	app.Synth(nil)
	moving.Lock()
	defer moving.Unlock()
	return promote(staging, outdir)
}

// promote moves the staged assembly into outdir, manifest.json last: until
// it arrives, `cdk deploy` finds nothing to deploy.
func promote(staging, outdir string) error {
	entries, err := os.ReadDir(staging)
	if err != nil {
		return err
	}
	for _, last := range []bool{false, true} {
		for _, e := range entries {
			if (e.Name() == "manifest.json") != last {
				continue
			}
			dst := filepath.Join(outdir, e.Name())
			// Staged assets are named by content hash, so an existing one
			// of the same name holds the same bytes; it is replaced anyway so
			// that no half-written leftover survives.
			if err := os.RemoveAll(dst); err != nil {
				return err
			}
			if err := os.Rename(filepath.Join(staging, e.Name()), dst); err != nil {
				return err
			}
		}
	}
	return os.RemoveAll(staging)
}

// keepReports moves the reports of a failed synthesis where the error
// message says they are.
func keepReports(staging, outdir string) {
	for _, pattern := range reports {
		found, _ := filepath.Glob(filepath.Join(staging, pattern))
		for _, f := range found {
			os.Rename(f, filepath.Join(outdir, filepath.Base(f)))
		}
	}
}

// clearStaging removes staging directories that a killed run left behind.
func clearStaging(outdir string) {
	found, _ := filepath.Glob(filepath.Join(outdir, stagingPrefix+"*"))
	for _, d := range found {
		os.RemoveAll(d)
	}
}

// killChildren kills this process's descendants — the jsii runtime's node
// process and the kernel process it starts in turn (bin/jsii-runtime.js
// spawns lib/program.js, which does the writing) — where /proc lists
// them; elsewhere the children end when their stdin closes. It returns
// what the jsii runtime printed about its child meanwhile, ended by a
// newline: the runtime reaps a child that died of a signal with "Runtime
// process exited abnormally: signal: killed" and no newline (see
// docs/facts.md, "Runtime"), which would otherwise run into the line that
// says what happened.
func killChildren() string {
	real := os.Stderr
	r, w, err := os.Pipe()
	if err == nil {
		os.Stderr = w // the runtime looks os.Stderr up when it prints
	}
	pids := descendants(os.Getpid())
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	// Dead is gone or a zombie: a zombie writes nothing more.
	for deadline := time.Now().Add(time.Second); len(pids) > 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		pids = slices.DeleteFunc(pids, func(pid int) bool { state, ok := procState(pid); return !ok || state == "Z" })
	}
	if err != nil {
		return ""
	}
	time.Sleep(50 * time.Millisecond) // the runtime prints right after it reaps
	os.Stderr = real
	w.Close()
	said, _ := io.ReadAll(r)
	r.Close()
	if len(said) > 0 && !bytes.HasSuffix(said, []byte("\n")) {
		said = append(said, '\n')
	}
	return string(said)
}

// descendants lists the processes below pid, children first.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if parent, ok := procParent(p); ok {
			children[parent] = append(children[parent], p)
		}
	}
	var out []int
	for queue := children[pid]; len(queue) > 0; queue = queue[1:] {
		out = append(out, queue[0])
		queue = append(queue, children[queue[0]]...)
	}
	return out
}

// procStat is the fields of /proc/<pid>/stat after the command name
// (which may hold spaces): state, ppid, ….
func procStat(pid int) ([]string, bool) {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return nil, false
	}
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return fields, len(fields) > 1
}

func procState(pid int) (string, bool) {
	f, ok := procStat(pid)
	if !ok {
		return "", false
	}
	return f[0], true
}

func procParent(pid int) (int, bool) {
	f, ok := procStat(pid)
	if !ok {
		return 0, false
	}
	parent, err := strconv.Atoi(f[1])
	return parent, err == nil
}

// onSignal runs handle on SIGINT or SIGTERM until stop is called.
func onSignal(handle func(os.Signal)) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			handle(sig)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
