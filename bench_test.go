package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The synth benchmarks time the app binary end to end, as `cdk synth` runs
// it: jsii start-up, validation, construct tree, the CloudFormation
// validation plugin and writing the assembly. Run them with
//
//	go test -run '^$' -bench Synth -benchtime 3x .
//
// b.N counts whole synthesis runs; s/synth and ms/stack are the figures to
// compare.

func BenchmarkSynthExample(b *testing.B) {
	benchmarkSynth(b, func(p *project) {})
}

// The example with config.Sections' pipeline section: its stack, two
// support stacks and a stage per environment.
func BenchmarkSynthExampleWithPipeline(b *testing.B) {
	benchmarkSynth(b, func(p *project) { withPipeline(b, p) })
}

func BenchmarkSynth100Environments(b *testing.B) {
	benchmarkSynth(b, func(p *project) {
		envs := map[string]interface{}{}
		for i := 0; i < 100; i++ {
			envs[fmt.Sprintf("env%03d", i)] = map[string]interface{}{
				"account": fmt.Sprintf("%012d", 100000000000+i),
				"region":  []string{"eu-west-1", "us-east-1", "ap-southeast-2"}[i%3],
				"assets":  filepath.Join("assets", []string{"dev", "staging", "prod"}[i%3]),
			}
		}
		p.context["wellknown:environments"] = envs
		delete(p.context, "wellknown:ci") // its promotion names the example's environments
	})
}

// benchmarkSynth times the configuration with the CDK's built-in
// validation on (as `cdk synth` runs) and off (CDK_VALIDATION=false); the
// project's rules and cdk-nag run in both.
func benchmarkSynth(b *testing.B, configure func(p *project)) {
	for _, validation := range []bool{true, false} {
		name := "validation=on"
		if !validation {
			name = "validation=off"
		}
		b.Run(name, func(b *testing.B) {
			p := newProject(b)
			configure(p)
			p.cdkValidation = validation
			stacks := len(p.envs())
			var total time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				os.RemoveAll(filepath.Join(p.dir, "cdk.out"))
				b.StartTimer()
				start := time.Now()
				res := p.appRun(nil)
				total += time.Since(start)
				if res.exit != 0 {
					b.Fatalf("synth failed (exit %d):\n%s", res.exit, res.stderr)
				}
			}
			perRun := total.Seconds() / float64(b.N)
			b.ReportMetric(perRun, "s/synth")
			b.ReportMetric(perRun*1000/float64(stacks), "ms/stack")
		})
	}
}
