// Package jsiiquiet shuts the jsii runtime down without its spurious
// "Runtime process exited abnormally: waitid: no child processes" line.
//
// jsii-runtime-go v1.139.0 reaps the node child twice: a goroutine started
// with the child and Close() both call cmd.Wait(), and the loser prints that
// line to os.Stderr although the child exited cleanly. The loser may print
// after jsii.Close has returned. Newer runtime releases are not served by
// the module proxy here, so instead os.Stderr (which the runtime resolves at
// print time) is routed through a filter for the whole run and is left
// closed afterwards, so a late line goes nowhere.
package jsiiquiet

import (
	"bufio"
	"bytes"
	"io"
	"os"

	"github.com/aws/jsii-runtime-go"
)

// Spurious is the text the runtime prints when it loses the reaping race.
const Spurious = "Runtime process exited abnormally: waitid: no child processes"

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
		Filter(r, real)
	}()
	os.Stderr = w
	code := fn()
	closeRuntime()
	w.Close()
	<-done
	r.Close()
	return code
}

// Filter copies src to dst without the spurious message. The runtime prints
// it without a trailing newline, so it can share a line with what comes
// next; only the message itself is removed.
func Filter(src io.Reader, dst io.Writer) {
	br := bufio.NewReader(src)
	for {
		line, err := br.ReadBytes('\n')
		if cleaned := bytes.ReplaceAll(line, []byte(Spurious), nil); len(cleaned) > 0 {
			dst.Write(cleaned)
		}
		if err != nil {
			return
		}
	}
}
