package stacks

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/pipelines"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/toolchain"
)

// WellKnownPipelineStackProps configures the CodePipeline delivery with
// plain values. StackProps.Env must name the tooling account and region
// literally: the pipeline's cross-region artifact stores are named after
// them.
type WellKnownPipelineStackProps struct {
	awscdk.StackProps
	// ConnectionARN is the CodeConnections connection to the repository
	// host; its handshake is completed once in the console.
	ConnectionARN string
	// Repository is "owner/name"; Branch is the branch the pipeline follows
	// ("main" when empty).
	Repository, Branch string
	// Waves deploy in order; the environments of one wave in parallel.
	// Every environment is in exactly one wave.
	Waves [][]PipelineEnvironment
	// GoVersion is the go line of go.mod: the build steps run that exact
	// toolchain (GOTOOLCHAIN), whatever Go the build image has.
	GoVersion string
	// CLIVersion is the AWS CDK CLI version the pipeline updates itself
	// with, the one package-lock.json pins; empty means the CDK's default
	// (the newest 2.x at run time).
	CLIVersion string
	// AssemblyDir is where `make synth` writes the cloud assembly, relative
	// to the repository (cdk.json's "output"); empty means cdk.out.
	AssemblyDir string
	// CdkAssetsVersion is the cdk-assets version the asset publishing
	// steps install, which can assume every target account's
	// file-publishing role; empty means the CDK's default, the newest at
	// run time.
	CdkAssetsVersion string
}

// PipelineEnvironment is one environment, deployed by its own stage.
type PipelineEnvironment struct {
	// Name is the environment; it names the stage and the verify step.
	Name string
	// Approval puts a manual approval before the environment's deploy.
	Approval bool
	// AddStacks creates the environment's stacks in stage with the same
	// code as a direct `cdk deploy`, each with its StackName set: a stack
	// in a stage is otherwise named <stage>-<id>, and adopting the pipeline
	// would create a second stack whose fixed bucket names, exports and
	// termination protection collide with the first.
	AddStacks func(stage awscdk.Stage) error
	// Verify are the commands that check the deployed environment from the
	// source checkout; a failing command fails the pipeline.
	Verify []string
}

// Runtimes of the build steps on CodeBuild's Ubuntu standard 7.0 image
// (its runtimes.yml offers Node.js 20, 22 and 24): the Node.js major of the
// GitHub workflows runs the CDK CLI and jsii; for Go the newest the image
// has does, since GOTOOLCHAIN makes it fetch the exact toolchain go.mod
// names (the image's Go is 1.21 or newer, which knows GOTOOLCHAIN).
var (
	pipelineNodeRuntime = strconv.Itoa(toolchain.NodeMajor)
	pipelineGoRuntime   = "latest"
)

// NewWellKnownPipelineStack creates the CDK Pipelines pipeline that
// deploys the environments from the repository: source (CodeConnections),
// synth (`make synth`, the validation and synthesis of a workstation), the
// pipeline's own update (a new environment in cdk.json changes the
// pipeline first), the assets, then one pipeline stage per wave with one
// CDK stage per environment: an optional manual approval, the
// environment's stacks, their termination protection (which CDK Pipelines
// does not set) and the verification of the deployment.
//
// The artifact stores are buckets of this project's hardened kind, each
// with its own KMS key (CrossAccountKeys: the target accounts' deploy
// roles read them): in the pipeline's region in this stack, and in every
// other region the stages deploy to in a stack <id>-support-<region> of
// the tooling account, which `cdk deploy <id>` deploys first. It returns
// the pipeline stack and those support stacks. Invalid props create
// nothing.
func NewWellKnownPipelineStack(scope constructs.Construct, id string, props *WellKnownPipelineStackProps) (awscdk.Stack, []awscdk.Stack, error) {
	if props == nil {
		return nil, nil, errors.New("WellKnownPipelineStack: props are required")
	}
	account, region, err := props.validate()
	if err != nil {
		return nil, nil, fmt.Errorf("WellKnownPipelineStack %s: %w", id, err)
	}
	branch := props.Branch
	if branch == "" {
		branch = "main"
	}
	sprops := props.StackProps
	if sprops.Description == nil {
		sprops.Description = jsii.String("wellknown: the CodePipeline that deploys the environments from " + props.Repository + "@" + branch)
	}
	stack := awscdk.NewStack(scope, &id, &sprops)

	// The stages first: their stacks' regions decide where the pipeline
	// needs artifact stores.
	stages := make([][]awscdk.Stage, len(props.Waves))
	for i, wave := range props.Waves {
		for _, e := range wave {
			stage := awscdk.NewStage(stack, jsii.String(e.Name), nil)
			inheritAspects(stage)
			if err := e.AddStacks(stage); err != nil {
				return nil, nil, fmt.Errorf("WellKnownPipelineStack %s: environment %s: %w", id, e.Name, err)
			}
			if err := checkStageStacks(stage, region); err != nil {
				return nil, nil, fmt.Errorf("WellKnownPipelineStack %s: environment %s: %w", id, e.Name, err)
			}
			stages[i] = append(stages[i], stage)
		}
	}
	home := newArtifactStore(stack, *stack.StackName()+"-artifacts")
	stores := map[string]awss3.IBucket{region: home}
	parts := pipelineParts{stack: stack, stores: []awss3.Bucket{home}}
	var support []awscdk.Stack
	for _, r := range stageRegions(stages) {
		if r == region {
			continue
		}
		name := id + "-support-" + r
		s := awscdk.NewStack(scope, jsii.String(name), &awscdk.StackProps{
			Env:         &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(r)},
			StackName:   jsii.String(name),
			Description: jsii.String("wellknown: the " + r + " artifact store of the pipeline " + *stack.StackName()),
		})
		store := newArtifactStore(s, name+"-artifacts")
		stores[r] = store
		parts.stores = append(parts.stores, store)
		support = append(support, s)
	}

	source := pipelines.CodePipelineSource_Connection(jsii.String(props.Repository), jsii.String(branch), &pipelines.ConnectionSourceOptions{
		ConnectionArn: jsii.String(props.ConnectionARN),
	})
	pipeline := pipelines.NewCodePipeline(stack, jsii.String("Pipeline"), &pipelines.CodePipelineProps{
		PipelineName: stack.StackName(),
		Synth: pipelines.NewCodeBuildStep(jsii.String("Synth"), &pipelines.CodeBuildStepProps{
			Input: source,
			// The lockfiles decide what is installed: go.sum for the Go
			// modules, package-lock.json for the CDK CLI (the Makefile's
			// npm ci).
			InstallCommands: jsii.Strings("go mod download", "make node_modules/.installed"),
			// The validation and synthesis of a workstation: every problem
			// fails the build before anything is deployed.
			Commands:               jsii.Strings("make synth"),
			PrimaryOutputDirectory: jsii.String(assemblyDir(props.AssemblyDir)),
			PartialBuildSpec:       runtime("golang", pipelineGoRuntime),
			Env:                    goToolchain(props.GoVersion),
		}),
		// Every CodeBuild project — synth, the pipeline's update, asset
		// publishing, verification — runs the CDK and jsii on the same
		// Node.js.
		CodeBuildDefaults: &pipelines.CodeBuildOptions{
			BuildEnvironment: &awscodebuild.BuildEnvironment{
				BuildImage: awscodebuild.LinuxBuildImage_STANDARD_7_0(),
				// The CDK CLI sends usage telemetry unless told not to.
				EnvironmentVariables: &map[string]*awscodebuild.BuildEnvironmentVariable{
					"CDK_DISABLE_CLI_TELEMETRY": {Value: jsii.String("true")},
				},
			},
			PartialBuildSpec: runtime("nodejs", pipelineNodeRuntime),
		},
		// The deploy roles of the target accounts read the artifacts, which
		// the AWS managed S3 key cannot allow: the stores below carry keys
		// of their own, and CrossAccountKeys keeps CDK from ever falling
		// back to an unkeyed store of its own making.
		CrossAccountKeys:              jsii.Bool(true),
		CrossRegionReplicationBuckets: &stores,
		// One CodeBuild project publishes the few file assets, instead of
		// one project (and role) per asset.
		PublishAssetsInParallel: jsii.Bool(false),
		CliVersion:              cliVersion(props.CLIVersion),
		CdkAssetsCliVersion:     cliVersion(props.CdkAssetsVersion),
	})
	for i, wave := range props.Waves {
		w := pipeline.AddWave(jsii.String(waveID(i, wave)), nil)
		for j, e := range wave {
			verify := pipelines.NewCodeBuildStep(jsii.String("Verify"), &pipelines.CodeBuildStepProps{
				Input:            source,
				Commands:         jsii.Strings(e.Verify...),
				PartialBuildSpec: runtime("golang", pipelineGoRuntime),
				Env:              goToolchain(props.GoVersion),
			})
			tp, err := terminationProtectionStep(stages[i][j], config.PartitionID(region))
			if err != nil {
				return nil, nil, fmt.Errorf("WellKnownPipelineStack %s: environment %s: %w", id, e.Name, err)
			}
			// Post steps run in parallel unless they depend on each other:
			// the verification checks the environment as it is left.
			verify.AddStepDependency(tp)
			parts.post = append(parts.post, tp, verify)
			opts := &pipelines.AddStageOpts{Post: &[]pipelines.Step{tp, verify}}
			if e.Approval {
				opts.Pre = &[]pipelines.Step{pipelines.NewManualApprovalStep(jsii.String("Approve"), &pipelines.ManualApprovalStepProps{
					Comment: jsii.String("Deploy " + e.Name + "?"),
				})}
			}
			w.AddStage(stages[i][j], opts)
		}
	}
	// Built now rather than at synthesis, so that its constructs exist for
	// the cdk-nag suppressions.
	pipeline.BuildPipeline()
	parts.pipeline = pipeline
	if err := suppressPipelineNagFindings(parts); err != nil {
		return nil, nil, err
	}
	return stack, support, nil
}

func (p *WellKnownPipelineStackProps) validate() (account, region string, err error) {
	if p.Env == nil || p.Env.Account == nil || p.Env.Region == nil ||
		*awscdk.Token_IsUnresolved(*p.Env.Account) || *awscdk.Token_IsUnresolved(*p.Env.Region) {
		return "", "", errors.New("StackProps.Env must name the tooling account and region literally")
	}
	account, region = *p.Env.Account, *p.Env.Region
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	errs = append(errs, config.CheckAccount(account))
	if !config.KnownRegion(region) {
		fail("region %q is not a public AWS region", region)
	}
	if err := config.CheckConnectionARN(p.ConnectionARN); err != nil {
		errs = append(errs, err)
	} else if config.CheckAccount(account) == nil && config.KnownRegion(region) {
		errs = append(errs, config.CheckPipelineConnection(p.ConnectionARN, account, region))
	}
	errs = append(errs, config.CheckConnectionRepository(p.Repository))
	if p.Branch != "" {
		errs = append(errs, config.CheckBranch(p.Branch))
	}
	if err := CheckAssemblyDir(p.AssemblyDir); err != nil {
		fail("AssemblyDir %q: %w", p.AssemblyDir, err)
	}
	if p.GoVersion == "" {
		fail("GoVersion: the go line of go.mod is required")
	}
	if len(p.Waves) == 0 {
		fail("no waves: the pipeline needs at least one environment")
	}
	var names []string
	for i, wave := range p.Waves {
		if len(wave) == 0 {
			fail("Waves[%d] is empty", i)
		}
		for _, e := range wave {
			switch {
			case !config.ValidEnvName(e.Name):
				fail("Waves[%d]: %q is not an environment name", i, e.Name)
			case config.CheckPipelineEnvName(e.Name) != nil:
				fail("Waves[%d]: %w", i, config.CheckPipelineEnvName(e.Name))
			case slices.Contains(names, e.Name):
				fail("Waves[%d]: %s is in more than one wave", i, e.Name)
			case e.AddStacks == nil:
				fail("Waves[%d]: %s has no AddStacks", i, e.Name)
			case len(e.Verify) == 0:
				fail("Waves[%d]: %s has no Verify commands: a deploy that serves the files wrongly must fail the pipeline", i, e.Name)
			}
			names = append(names, e.Name)
		}
	}
	return account, region, errors.Join(errs...)
}

// inheritAspects gives stage the aspects of the app (or stage) around it.
// The CDK invokes aspects per stage, and those of the app stop at a stage's
// boundary: without this, the app's checks (cdk-nag) would never see the
// stacks the pipeline deploys. Aspects added to the app later are not
// inherited.
func inheritAspects(stage awscdk.Stage) {
	outer := awscdk.Stage_Of(stage.Node().Scope())
	for _, a := range *awscdk.Aspects_Of(outer).Applied() {
		awscdk.Aspects_Of(stage).Add(a.Aspect(), &awscdk.AspectOptions{Priority: a.Priority()})
	}
}

// checkStageStacks insists that every stack of a stage names itself, and
// is in the partition of the pipeline's region: CodePipeline cannot deploy
// across partitions.
func checkStageStacks(stage awscdk.Stage, pipelineRegion string) error {
	var errs []error
	for _, s := range stageStacks(stage) {
		if name, id := *s.StackName(), *s.Node().Id(); name != id {
			errs = append(errs, fmt.Errorf("stack %s is named %s; set StackName to %s so the pipeline deploys the stack a direct deploy creates", id, name, id))
		}
		if r := *s.Region(); *awscdk.Token_IsUnresolved(r) || config.PartitionID(r) != config.PartitionID(pipelineRegion) {
			errs = append(errs, fmt.Errorf("stack %s is in region %s, which a pipeline in %s (partition %s) cannot deploy to", *s.Node().Id(), r, pipelineRegion, config.PartitionID(pipelineRegion)))
		}
	}
	if len(errs) == 0 && len(stageStacks(stage)) == 0 {
		errs = append(errs, errors.New("AddStacks created no stack"))
	}
	return errors.Join(errs...)
}

func stageStacks(stage awscdk.Stage) []awscdk.Stack {
	var out []awscdk.Stack
	for _, c := range *stage.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if *awscdk.Stack_IsStack(c) {
			out = append(out, c.(awscdk.Stack))
		}
	}
	return out
}

// stageRegions are the regions the stages deploy to, sorted.
func stageRegions(stages [][]awscdk.Stage) []string {
	var out []string
	for _, wave := range stages {
		for _, stage := range wave {
			for _, s := range stageStacks(stage) {
				if r := *s.Region(); !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// waveID names a wave's pipeline stage after its environments. CodePipeline
// stage names are at most 100 characters; a longer name falls back to the
// wave's number (environment names start with a lowercase letter, so
// "Wave<n>" cannot collide with one).
func waveID(i int, wave []PipelineEnvironment) string {
	name := ""
	for j, e := range wave {
		if j > 0 {
			name += "_"
		}
		name += e.Name
	}
	if len(name) > 100 {
		return fmt.Sprintf("Wave%d", i+1)
	}
	return name
}

// runtime is a partial buildspec selecting one runtime of the image;
// CDK Pipelines merges it into the step's buildspec.
func runtime(name, version string) awscodebuild.BuildSpec {
	return awscodebuild.BuildSpec_FromObject(&map[string]interface{}{
		"phases": map[string]interface{}{
			"install": map[string]interface{}{"runtime-versions": map[string]interface{}{name: version}},
		},
	})
}

// goToolchain makes go run exactly the toolchain of go.mod's go line,
// downloading it when the image has another.
func goToolchain(goVersion string) *map[string]*string {
	return &map[string]*string{"GOTOOLCHAIN": jsii.String("go" + goVersion)}
}

// CheckAssemblyDir accepts a directory the synth step can hand on: CodeBuild
// takes its output from inside the checkout, named relative to it.
func CheckAssemblyDir(d string) error {
	if d != "" && (filepath.IsAbs(d) || d != filepath.Clean(d) || strings.HasPrefix(d, "..")) {
		return errors.New("the synth step's output must be a directory inside the repository, written relative to it")
	}
	return nil
}

func assemblyDir(d string) string {
	if d == "" {
		return "cdk.out"
	}
	return d
}

func cliVersion(v string) *string {
	if v == "" {
		return nil
	}
	return jsii.String(v)
}
