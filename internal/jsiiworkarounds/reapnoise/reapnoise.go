// Package reapnoise shuts the jsii runtime down without its spurious
// "Runtime process exited abnormally: waitid: no child processes" line.
//
// Cause: jsii-runtime-go v1.139.0 (internal/kernel/process/process.go)
// reaps the node child twice — a goroutine started with the child and
// Close() both call cmd.Wait() — and the loser prints that line to
// os.Stderr although the child exited cleanly, sometimes after jsii.Close
// has returned. Users then see an alarming line after every good synth.
//
// Workaround: os.Stderr, which the runtime resolves at print time, is
// routed through a filter for the whole run and left closed afterwards, so
// a late line goes nowhere.
//
// Delete this package when go.mod moves to a jsii-runtime-go release that
// waits for the child once (none newer than v1.139.0 resolves from the
// module proxy these machines use): remove reapnoise.Run from app.go and
// check that `cdk synth` stays quiet (TestCDKCLISynthIsQuiet).
package reapnoise

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"sync"

	"github.com/aws/jsii-runtime-go"
)

// spurious is the text the runtime prints when it loses the reaping race.
const spurious = "Runtime process exited abnormally: waitid: no child processes"

// filter is the running filter, so that Exit can drain it.
var filter struct {
	sync.Mutex
	w    *os.File
	done chan struct{}
}

// Run runs fn with os.Stderr filtered, shuts the jsii runtime down and
// returns fn's result once every filtered byte has reached the real stderr.
// It is meant to wrap all of main and to be followed by os.Exit: afterwards
// os.Stderr is a closed file, so nothing else may be printed to it.
func Run(fn func() int) int {
	return run(fn, jsii.Close)
}

func run(fn func() int, closeRuntime func()) int {
	real := os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		defer closeRuntime()
		return fn()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		filterTo(r, real)
	}()
	filter.Lock()
	filter.w, filter.done = w, done
	filter.Unlock()
	os.Stderr = w
	code := fn()
	closeRuntime()
	drain()
	r.Close()
	return code
}

// Exit ends the process with code after what was printed to the filtered
// stderr has reached the real one; for exits that cannot return through
// Run, such as on a signal.
func Exit(code int) {
	drain()
	os.Exit(code)
}

func drain() {
	filter.Lock()
	defer filter.Unlock()
	if filter.w != nil {
		filter.w.Close()
		<-filter.done
		filter.w = nil
	}
}

// filterTo copies src to dst without the spurious message. The runtime prints
// it without a trailing newline, so it can share a line with what comes
// next; only the message itself is removed.
func filterTo(src io.Reader, dst io.Writer) {
	br := bufio.NewReader(src)
	for {
		line, err := br.ReadBytes('\n')
		if cleaned := bytes.ReplaceAll(line, []byte(spurious), nil); len(cleaned) > 0 {
			dst.Write(cleaned)
		}
		if err != nil {
			return
		}
	}
}
