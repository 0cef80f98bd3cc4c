package cdkapp

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/cdkout"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/testenv"
)

// testContext is cdk.json's context, feature flags included.
func testContext(t *testing.T) config.Context {
	t.Helper()
	ctx, err := config.ReadCDKJSON(filepath.Join("..", "..", "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// earlierAssembly fills outdir with what a good earlier run left.
func earlierAssembly(t *testing.T) string {
	t.Helper()
	outdir := filepath.Join(t.TempDir(), "cdk.out")
	os.MkdirAll(outdir, 0o755)
	// A pipeline stage's nested assembly, deployable on its own.
	os.MkdirAll(filepath.Join(outdir, "assembly-WellKnownPipeline-old"), 0o755)
	for _, f := range []string{"manifest.json", "WellKnown-old.template.json", "WellKnown-old.assets.json", "tree.json", "assembly-WellKnownPipeline-old/manifest.json"} {
		os.WriteFile(filepath.Join(outdir, f), []byte("{}"), 0o644)
	}
	return outdir
}

// deployable lists what `cdk deploy` could act on in outdir, and any
// staging directory left over.
func leftovers(t *testing.T, outdir string) []string {
	t.Helper()
	var out []string
	for _, pattern := range append(cdkout.Deployable, stagingPrefix+"*") {
		found, _ := filepath.Glob(filepath.Join(outdir, pattern))
		out = append(out, found...)
	}
	return out
}

func noExit(t *testing.T) func(int) {
	return func(code int) { t.Errorf("exit(%d) called without a signal", code) }
}

func stack(app awscdk.App, id string) awscdk.Stack {
	return awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
}

// goodStack passes every check: a template needs a resource, and a wait
// condition handle has nothing for a rule to object to.
func goodStack(app awscdk.App, id string) awscdk.Stack {
	s := stack(app, id)
	awscdk.NewCfnWaitConditionHandle(s, jsii.String("Handle"), nil)
	return s
}

// Every way a synthesis can fail leaves nothing deployable in outdir, from
// this run or the earlier one.
func TestFailedSynthesisLeavesNothingDeployable(t *testing.T) {
	ctx := testContext(t)
	for name, tc := range map[string]struct {
		build func(awscdk.App) error
		want  string
	}{
		"invalid input": {func(app awscdk.App) error { return errors.New("bad input") }, "bad input"},
		"panic in Go":   {func(app awscdk.App) error { panic("boom") }, "boom"},
		"jsii panic while building": {func(app awscdk.App) error {
			awss3.NewBucket(stack(app, "Broken"), jsii.String("B"), &awss3.BucketProps{BucketName: jsii.String("Not_A_Bucket")})
			return nil
		}, "Invalid S3 bucket name"},
		"policy rule": {func(app awscdk.App) error {
			// A bucket without TLS-only policy and Block Public Access
			// breaks WK-002 and WK-003.
			awss3.NewCfnBucket(stack(app, "Rules"), jsii.String("B"), &awss3.CfnBucketProps{})
			return nil
		}, "validation-report.json"},
		"cdk-nag": {func(app awscdk.App) error {
			awssns.NewTopic(stack(app, "Nag"), jsii.String("T"), nil)
			return nil
		}, "Validation failed"},
	} {
		t.Run(name, func(t *testing.T) {
			outdir := earlierAssembly(t)
			err := Synth(ctx, outdir, tc.build, noExit(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if got := leftovers(t, outdir); len(got) != 0 {
				t.Errorf("left behind: %v", got)
			}
			if strings.Contains(err.Error(), stagingPrefix) {
				t.Errorf("the error names the staging directory: %v", err)
			}
		})
	}
}

func TestFailedRuleKeepsTheReport(t *testing.T) {
	outdir := earlierAssembly(t)
	err := Synth(testContext(t), outdir, func(app awscdk.App) error {
		awss3.NewCfnBucket(stack(app, "Rules"), jsii.String("B"), &awss3.CfnBucketProps{})
		return nil
	}, noExit(t))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(outdir, "validation-report.json")) {
		t.Fatalf("err = %v", err)
	}
	report, rerr := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
	if rerr != nil || !strings.Contains(string(report), "WK-002") {
		t.Errorf("report missing or without WK-002: %v", rerr)
	}
}

// A narrower run replaces the whole assembly: the stacks it did not
// synthesize, a pipeline stage's nested assembly included, are not left
// next to its manifest.
func TestNarrowerRunReplacesTheAssembly(t *testing.T) {
	ctx := testContext(t)
	outdir := filepath.Join(t.TempDir(), "cdk.out")
	two := func(app awscdk.App) error {
		goodStack(app, "A")
		goodStack(app, "B")
		stage := awscdk.NewStage(app, jsii.String("Stage"), nil)
		awscdk.NewCfnWaitConditionHandle(awscdk.NewStack(stage, jsii.String("C"), nil), jsii.String("Handle"), nil)
		return nil
	}
	if err := Synth(ctx, outdir, two, noExit(t)); err != nil {
		t.Fatal(err)
	}
	if nested, _ := filepath.Glob(filepath.Join(outdir, "assembly-*")); len(nested) != 1 {
		t.Fatalf("nested assemblies after the first run: %v", nested)
	}
	if err := Synth(ctx, outdir, func(app awscdk.App) error { goodStack(app, "A"); return nil }, noExit(t)); err != nil {
		t.Fatal(err)
	}
	found, _ := filepath.Glob(filepath.Join(outdir, "*.template.json"))
	if len(found) != 1 || filepath.Base(found[0]) != "A.template.json" {
		t.Errorf("templates after the narrower run: %v", found)
	}
	var manifest struct{ Artifacts map[string]json.RawMessage }
	data, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil || json.Unmarshal(data, &manifest) != nil {
		t.Fatalf("manifest: %v", err)
	}
	if _, ok := manifest.Artifacts["B"]; ok {
		t.Error("the manifest still lists B")
	}
	if nested, _ := filepath.Glob(filepath.Join(outdir, "assembly-*")); len(nested) != 0 {
		t.Errorf("nested assemblies after the narrower run: %v", nested)
	}
	if staged, _ := filepath.Glob(filepath.Join(outdir, stagingPrefix+"*")); len(staged) != 0 {
		t.Errorf("staging left behind: %v", staged)
	}
}

// helperEnv makes the test binary act as a synthesizing process that
// blocks until it is signalled.
const helperEnv = "CDKAPP_SYNTH_HELPER_OUTDIR"

func TestMain(m *testing.M) {
	if outdir := os.Getenv(validationHelperEnv); outdir != "" {
		os.Exit(validationHelper(outdir))
	}
	if outdir := os.Getenv(helperEnv); outdir != "" {
		ctx, err := config.ReadCDKJSON(filepath.Join("..", "..", "cdk.json"))
		if err != nil {
			panic(err)
		}
		err = Synth(ctx, outdir, func(app awscdk.App) error {
			goodStack(app, "A")
			os.WriteFile(filepath.Join(outdir, "ready"), nil, 0o644)
			time.Sleep(time.Minute)
			return nil
		}, os.Exit)
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	// The CDK's built-in CloudFormation validation costs about 3 s of every
	// synthesis; these tests look at what the project builds and checks
	// (its rules run whatever CDK_VALIDATION says), and the end-to-end
	// tests of the root package synthesize the example, the pipeline and
	// the custom-domain modes with it on. The node process reads the
	// variable when it starts, with the first construct.
	os.Setenv("CDK_VALIDATION", "false")
	os.Exit(testenv.Main(m, nil, jsii.Close))
}

// SIGINT or SIGTERM during a synthesis ends the process with 128+signal
// and nothing deployable in outdir.
func TestSignalDuringSynthesis(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			outdir := earlierAssembly(t)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), helperEnv+"="+outdir)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(60 * time.Second)
			for !fileExists(filepath.Join(outdir, "ready")) {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("the helper never started synthesizing")
				}
				time.Sleep(50 * time.Millisecond)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
				t.Errorf("exit: %v, want %d\n%s", err, 128+int(sig), stderr.String())
			}
			if !strings.Contains(stderr.String(), "nothing deployable was left") {
				t.Errorf("stderr: %s", stderr.String())
			}
			if got := leftovers(t, outdir); len(got) != 0 {
				t.Errorf("left behind: %v", got)
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
