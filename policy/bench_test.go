package policy_test

import (
	"context"
	"os/exec"
	"testing"

	"github.com/acme/wellknown/policy"
)

// The cost of the rules in the plugin: compiling them (once per process)
// and evaluating one template (once per stack of a synthesis).
//
//	go test ./policy/ -run '^$' -bench . -benchtime 20x

func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := policy.NewEvaluator(context.Background(), policy.Sources()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	if _, err := exec.LookPath("node"); err != nil {
		b.Skip("node is not on PATH (the example templates are synthesized)")
	}
	bases := baseTemplates(b)
	e, err := policy.NewEvaluator(context.Background(), policy.Sources())
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"dev", "prod", "domain"} {
		base := bases[name]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Evaluate(context.Background(), base.raw, base.env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
