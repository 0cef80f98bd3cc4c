// Package testenv keeps what a test binary writes where the test binary
// owns it.
package testenv

import (
	"fmt"
	"os"
	"testing"
)

// Main runs the tests with TMPDIR set to a directory of their own and
// removes it afterwards, so that nothing they or the processes they start
// write lands in the system's temporary directory, and concurrent runs do
// not meet there: every t.TempDir, the CDK's default assembly directory of
// an app without Outdir, and the jsii runtime's own directories
// (jsii-runtime.*, and jsii-kernel-* of a kernel that was killed) go there.
//
// setup, when not nil, runs first with that directory (to build binaries
// the tests share there, say); after, when not nil, runs after the tests
// and before the removal: jsii.Close for a package that started the
// runtime, whose node process would otherwise outlive the directory it
// writes in. It returns the exit code for os.Exit.
func Main(m *testing.M, setup func(dir string) error, after func()) int {
	dir, err := os.MkdirTemp("", "wellknown-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		return 2
	}
	defer os.RemoveAll(dir)
	os.Setenv("TMPDIR", dir)
	if setup != nil {
		if err := setup(dir); err != nil {
			fmt.Fprintln(os.Stderr, "testenv: setup:", err)
			return 2
		}
	}
	code := m.Run()
	if after != nil {
		after()
	}
	return code
}
