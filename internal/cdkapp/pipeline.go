package cdkapp

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/cdkout"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/internal/toolchain"
	"github.com/acme/wellknown/stacks"
)

// AddPipelineStack adds, when the configuration has a "wellknown:pipeline"
// section, the WellKnownPipeline stack in the tooling account (and its
// artifact stores in the other regions it deploys to), with one stage per
// environment holding exactly the stacks AddStacks adds for it. targets
// must hold every environment; projectDir is where go.mod and
// package-lock.json pin the toolchain the pipeline builds with. It returns
// the names of the stacks it added.
func AddPipelineStack(app awscdk.App, cfg config.Config, targets []preflight.Target, projectDir string) ([]string, error) {
	p := cfg.Pipeline
	if p == nil {
		return nil, nil
	}
	tools, err := toolchain.Read(projectDir)
	if err != nil {
		return nil, err
	}
	assembly := cdkout.Setting(projectDir)
	if err := stacks.CheckAssemblyDir(assembly); err != nil {
		return nil, fmt.Errorf("%s: \"output\": %q: %w — with %q, write a relative directory such as \"cdk.out\"", config.FileName, assembly, err, config.PipelineKey)
	}
	byName := map[string]preflight.Target{}
	for _, t := range targets {
		byName[t.Env.Name] = t
	}
	approval := map[string]bool{}
	for _, name := range p.ApprovalBefore {
		approval[name] = true
	}
	waves := make([][]stacks.PipelineEnvironment, len(p.Waves))
	for i, wave := range p.Waves {
		for _, name := range wave {
			t, ok := byName[name]
			if !ok {
				return nil, fmt.Errorf("pipeline: wave %d names %q, which is not a synthesized environment", i+1, name)
			}
			waves[i] = append(waves[i], stacks.PipelineEnvironment{
				Name:     name,
				Approval: approval[name],
				AddStacks: func(stage awscdk.Stage) error {
					_, err := addEnvironment(stage, t)
					return err
				},
				Verify: []string{"go run ./cmd/wellknown verify --env " + name},
			})
		}
	}
	stack, support, err := stacks.NewWellKnownPipelineStack(app, config.PipelineStackName, &stacks.WellKnownPipelineStackProps{
		StackProps: awscdk.StackProps{
			Env:       &awscdk.Environment{Account: jsii.String(p.Account), Region: jsii.String(p.Region)},
			StackName: jsii.String(config.PipelineStackName),
			// Every later deploy goes through the pipeline; deleting it
			// must be deliberate.
			TerminationProtection: jsii.Bool(true),
		},
		ConnectionARN:    p.ConnectionARN,
		Repository:       p.Repository,
		Branch:           p.Branch,
		Waves:            waves,
		GoVersion:        tools.Go,
		CLIVersion:       tools.CLI,
		CdkAssetsVersion: tools.CdkAssets,
		// make synth in CodeBuild writes where cdk.json's "output" says.
		AssemblyDir: assembly,
	})
	if err != nil {
		return nil, err
	}
	names := []string{*stack.StackName()}
	for _, s := range support {
		names = append(names, *s.StackName())
	}
	return names, nil
}
