package stacks_test

// Tests of the CodePipeline delivery (stacks/pipeline.go) as app.go builds
// it: the example environments and two domain environments, with a
// "wellknown:pipeline" section added to a copy of cdk.json's context. One
// synthesis serves every test that only reads its assembly.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/cdkapp"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/jsontree"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/internal/toolchain"
	"github.com/acme/wellknown/stacks"
)

// The test pipeline: three waves, the middle one parallel, approvals
// before web (inside that wave) and prod.
var (
	testWaves     = [][]string{{"dev"}, {"staging", "web", "edge"}, {"prod"}}
	testApprovals = []string{"web", "prod"}
)

// pipelineContext is the example cdk.json's context with two more
// environments — web, a domain from eu-west-1 (its certificate in a
// WellKnownCert-web stack in us-east-1) with termination protection, and
// edge, a domain in us-east-1 (certificate and CloudFront logs in its own
// stack), both with the dev files — and a pipeline section:
// config.Sections' example with the test waves and approvals.
func pipelineContext(t *testing.T) config.Context {
	t.Helper()
	ctx, err := config.ReadCDKJSON(filepath.Join(projectDir, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(key string, change func(v map[string]interface{})) {
		raw, _ := ctx.Value(key)
		v := map[string]interface{}{}
		if raw != nil {
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatal(err)
			}
		}
		change(v)
		out, _ := json.Marshal(v)
		ctx = ctx.With(key, out)
	}
	domain := func(name string) map[string]interface{} {
		return map[string]interface{}{"name": name, "hostedZoneId": zone.HostedZoneID, "hostedZoneName": zone.HostedZoneName}
	}
	edit(config.ContextKey, func(envs map[string]interface{}) {
		envs["web"] = map[string]interface{}{"account": "444444444444", "region": "eu-west-1", "bucketName": "acme-links-web", "assets": "assets/dev", "domain": domain("links.acme.com"), "terminationProtection": true}
		envs["edge"] = map[string]interface{}{"account": "444444444444", "region": "us-east-1", "bucketName": "acme-links-edge", "assets": "assets/dev", "domain": domain("edge.acme.com")}
	})
	// Both delivery modes read the same environments: the CI section lists
	// the new ones too.
	edit(config.CIKey, func(ci map[string]interface{}) {
		ci["promotion"] = append(ci["promotion"].([]interface{}), "web", "edge")
	})
	// What the CDK CLI sets for `cdk synth`, as the pipeline's synth step
	// runs it: resource metadata with construct and asset paths, and the
	// CDKMetadata resource.
	for _, k := range []string{"aws:cdk:enable-path-metadata", "aws:cdk:enable-asset-metadata", "aws:cdk:version-reporting"} {
		ctx = ctx.With(k, json.RawMessage("true"))
	}
	edit(config.PipelineKey, func(p map[string]interface{}) {
		i := slices.IndexFunc(config.Sections, func(s config.Section) bool { return s.Key == config.PipelineKey })
		if err := json.Unmarshal([]byte(config.Sections[i].Example), &p); err != nil {
			t.Fatal(err)
		}
		p["waves"], p["approvalBefore"] = testWaves, testApprovals
	})
	return ctx
}

type pipelineAssembly struct {
	app    awscdk.App
	outdir string
	// stacks are the names AddPipelineStack returned.
	stacks []string
	cfg    config.Config
	// pipeline is the CodePipeline resource's Properties.
	pipeline map[string]interface{}
	template map[string]interface{}
}

var pipelineSynth *pipelineAssembly

// synthPipeline synthesizes, once per test binary, what app.go does for
// every environment of pipelineContext: the environments' own stacks and
// the pipeline.
func synthPipeline(t *testing.T) *pipelineAssembly {
	t.Helper()
	if pipelineSynth != nil {
		return pipelineSynth
	}
	ctx := pipelineContext(t)
	res, err := preflight.Run(ctx, projectDir, config.Selection{})
	if err != nil || !res.OK() {
		t.Fatalf("the pipeline configuration does not validate: %v %v", err, res.Problems)
	}
	a := &pipelineAssembly{outdir: filepath.Join(scratch, "pipeline"), cfg: res.Config}
	err = synthTo(t, ctx, a.outdir, func(app awscdk.App) (err error) {
		a.app = app
		if _, err := cdkapp.AddStacks(app, res.Targets); err != nil {
			return err
		}
		a.stacks, err = cdkapp.AddPipelineStack(app, res.Config, res.Targets, projectDir)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a.template = *templateIn(t, a.outdir, config.PipelineStackName).ToJSON()
	for _, r := range resourcesOfType(a.template, "AWS::CodePipeline::Pipeline") {
		a.pipeline = r["Properties"].(map[string]interface{})
	}
	if a.pipeline == nil {
		t.Fatal("no AWS::CodePipeline::Pipeline in the pipeline stack")
	}
	pipelineSynth = a
	return a
}

// action is one action of the pipeline, where it runs.
type action struct {
	stage    string
	name     string
	provider string
	runOrder float64
	region   string
	config   map[string]interface{}
}

func (a *pipelineAssembly) stages() (names []string, actions []action) {
	for _, s := range a.pipeline["Stages"].([]interface{}) {
		stage := s.(map[string]interface{})
		name := stage["Name"].(string)
		names = append(names, name)
		for _, x := range stage["Actions"].([]interface{}) {
			m := x.(map[string]interface{})
			cfg, _ := m["Configuration"].(map[string]interface{})
			region, _ := m["Region"].(string)
			actions = append(actions, action{
				stage: name, name: m["Name"].(string), provider: m["ActionTypeId"].(map[string]interface{})["Provider"].(string),
				runOrder: m["RunOrder"].(float64), region: region, config: cfg,
			})
		}
	}
	return names, actions
}

// envActions are the actions of one environment: in a wave of one, all of
// the wave's; in a wider wave, those named "<env>.…".
func envActions(actions []action, wave []string, env string) []action {
	stage := strings.Join(wave, "_")
	var out []action
	for _, a := range actions {
		if a.stage != stage {
			continue
		}
		if len(wave) == 1 {
			out = append(out, a)
		} else if rest, ok := strings.CutPrefix(a.name, env+"."); ok {
			a.name = rest
			out = append(out, a)
		}
	}
	return out
}

// buildSpec is the inline buildspec of a CodeBuild action's project.
func (a *pipelineAssembly) buildSpec(t *testing.T, act action) map[string]interface{} {
	t.Helper()
	ref, _ := act.config["ProjectName"].(map[string]interface{})
	project, ok := a.template["Resources"].(map[string]interface{})[fmt.Sprint(ref["Ref"])].(map[string]interface{})
	if !ok {
		t.Fatalf("action %s/%s: no project %v", act.stage, act.name, ref)
	}
	props := project["Properties"].(map[string]interface{})
	var spec map[string]interface{}
	if err := json.Unmarshal([]byte(props["Source"].(map[string]interface{})["BuildSpec"].(string)), &spec); err != nil {
		t.Fatalf("action %s/%s: buildspec: %v", act.stage, act.name, err)
	}
	spec["environment"] = props["Environment"]
	return spec
}

func TestPipelineStagesFollowTheWaves(t *testing.T) {
	a := synthPipeline(t)
	names, actions := a.stages()
	want := []string{"Source", "Build", "UpdatePipeline", "Assets"}
	for _, wave := range testWaves {
		want = append(want, strings.Join(wave, "_"))
	}
	if !slices.Equal(names, want) {
		t.Errorf("pipeline stages %v, want %v", names, want)
	}
	// Every environment deploys its stacks, named as a direct deploy names
	// them, in its account and region (the pipeline's region is left out).
	for _, wave := range testWaves {
		for _, env := range wave {
			e, _ := a.cfg.Find(env)
			stacks := []string{e.StackName()}
			if env == "web" {
				stacks = []string{e.CertStackName(), e.StackName()}
			}
			var deployed []string
			for _, act := range envActions(actions, wave, env) {
				if act.provider != "CloudFormation" || act.config["ActionMode"] != "CHANGE_SET_REPLACE" {
					continue
				}
				name := act.config["StackName"].(string)
				deployed = append(deployed, name)
				region := e.Region
				if name == e.CertStackName() {
					region = config.CertificateRegion
				}
				if region == a.cfg.Pipeline.Region {
					region = ""
				}
				role, _ := json.Marshal(act.config["RoleArn"])
				if act.region != region || !strings.Contains(string(role), fmt.Sprintf(":iam::%s:role/cdk-hnb659fds-cfn-exec-role-%s-", e.Account, e.Account)) {
					t.Errorf("%s: %s deploys in region %q with %s", env, name, act.region, role)
				}
			}
			slices.Sort(deployed)
			if slices.Sort(stacks); !slices.Equal(deployed, stacks) {
				t.Errorf("%s deploys %v, want %v", env, deployed, stacks)
			}
		}
	}
}

// A manual approval comes before an environment's first deploy exactly
// when approvalBefore names it, and a verification after its last.
func TestPipelineApprovalsAndVerification(t *testing.T) {
	a := synthPipeline(t)
	_, actions := a.stages()
	for _, wave := range testWaves {
		for _, env := range wave {
			acts := envActions(actions, wave, env)
			firstDeploy, lastDeploy := 1e9, 0.0
			for _, act := range acts {
				if act.provider == "CloudFormation" {
					firstDeploy, lastDeploy = min(firstDeploy, act.runOrder), max(lastDeploy, act.runOrder)
				}
			}
			var approvals, verifies []action
			for _, act := range acts {
				switch act.provider {
				case "Manual":
					approvals = append(approvals, act)
				case "CodeBuild":
					if act.name == "Verify" {
						verifies = append(verifies, act)
					}
				}
			}
			if want := slices.Contains(testApprovals, env); (len(approvals) == 1) != want || len(approvals) > 1 {
				t.Errorf("%s: %d approvals, want one: %v", env, len(approvals), want)
			}
			for _, ap := range approvals {
				if ap.runOrder >= firstDeploy {
					t.Errorf("%s: the approval (run order %v) does not come before the deploy (%v)", env, ap.runOrder, firstDeploy)
				}
			}
			if len(verifies) != 1 {
				t.Fatalf("%s: %d verifications, want one", env, len(verifies))
			}
			if verifies[0].runOrder <= lastDeploy {
				t.Errorf("%s: the verification (run order %v) does not come after the deploy (%v)", env, verifies[0].runOrder, lastDeploy)
			}
			spec := a.buildSpec(t, verifies[0])
			build, _ := json.Marshal(spec["phases"].(map[string]interface{})["build"])
			if want := `{"commands":["go run ./cmd/wellknown verify --env ` + env + `"]}`; string(build) != want {
				t.Errorf("%s: verification runs %s, want %s", env, build, want)
			}
			checkGoRuntimes(t, env+" verification", spec)
		}
	}
}

// checkGoRuntimes: the step has Node.js 22 and Go, and go runs the exact
// toolchain of go.mod's go line.
func checkGoRuntimes(t *testing.T, what string, spec map[string]interface{}) {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(projectDir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion, err := toolchain.GoVersion(gomod)
	if err != nil {
		t.Fatal(err)
	}
	runtimes, _ := json.Marshal(spec["phases"].(map[string]interface{})["install"].(map[string]interface{})["runtime-versions"])
	if string(runtimes) != `{"golang":"latest","nodejs":"24"}` {
		t.Errorf("%s: runtime-versions %s", what, runtimes)
	}
	env, _ := json.Marshal(spec["environment"])
	for _, want := range []string{`"Image":"aws/codebuild/standard:7.0"`, `{"Name":"GOTOOLCHAIN","Type":"PLAINTEXT","Value":"go` + goVersion + `"}`} {
		if !strings.Contains(string(env), want) {
			t.Errorf("%s: environment lacks %s: %s", what, want, env)
		}
	}
}

// The source is the configured connection, repository and branch; the
// synth step installs from the lockfiles and runs `make synth`, whose
// cdk.out is what the later stages deploy; the pipeline updates itself
// with the CDK CLI of package-lock.json.
func TestPipelineSourceAndSynth(t *testing.T) {
	a := synthPipeline(t)
	_, actions := a.stages()
	p := a.cfg.Pipeline
	var source, synth, update []action
	for _, act := range actions {
		switch act.stage {
		case "Source":
			source = append(source, act)
		case "Build":
			synth = append(synth, act)
		case "UpdatePipeline":
			update = append(update, act)
		}
	}
	if len(source) != 1 || source[0].provider != "CodeStarSourceConnection" {
		t.Fatalf("source actions %v", source)
	}
	for k, want := range map[string]string{"ConnectionArn": p.ConnectionARN, "FullRepositoryId": p.Repository, "BranchName": p.Branch} {
		if got := source[0].config[k]; got != want {
			t.Errorf("source %s = %v, want %s", k, got, want)
		}
	}
	if len(synth) != 1 || synth[0].provider != "CodeBuild" {
		t.Fatalf("build actions %v", synth)
	}
	spec := a.buildSpec(t, synth[0])
	phases, _ := json.Marshal(spec["phases"])
	for _, want := range []string{`"commands":["go mod download","make node_modules/.installed"]`, `"build":{"commands":["make synth"]}`} {
		if !strings.Contains(string(phases), want) {
			t.Errorf("synth phases lack %s: %s", want, phases)
		}
	}
	if dir := spec["artifacts"].(map[string]interface{})["base-directory"]; dir != "cdk.out" {
		t.Errorf("synth output %v, want cdk.out", dir)
	}
	checkGoRuntimes(t, "synth", spec)

	var lock struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	raw, _ := os.ReadFile(filepath.Join(projectDir, "package-lock.json"))
	json.Unmarshal(raw, &lock)
	if len(update) != 1 {
		t.Fatalf("update actions %v", update)
	}
	install, _ := json.Marshal(a.buildSpec(t, update[0])["phases"])
	if want := "npm install -g aws-cdk@" + lock.Packages["node_modules/aws-cdk"].Version; lock.Packages["node_modules/aws-cdk"].Version == "" || !strings.Contains(string(install), want) {
		t.Errorf("the pipeline updates itself without %q: %s", want, install)
	}
	// The asset publishing steps may assume every target account's
	// file-publishing role: they install the cdk-assets of the lockfile,
	// never whatever is newest at run time.
	var assets int
	for _, act := range actions {
		if act.stage != "Assets" {
			continue
		}
		assets++
		// Its buildspec is a file of the assembly (YAML), named by the project.
		ref, _ := act.config["ProjectName"].(map[string]interface{})
		project := a.template["Resources"].(map[string]interface{})[fmt.Sprint(ref["Ref"])].(map[string]interface{})
		file := project["Properties"].(map[string]interface{})["Source"].(map[string]interface{})["BuildSpec"].(string)
		spec, err := os.ReadFile(filepath.Join(a.outdir, file))
		if err != nil {
			t.Fatal(err)
		}
		want := "npm install -g cdk-assets@" + lock.Packages["node_modules/cdk-assets"].Version
		if lock.Packages["node_modules/cdk-assets"].Version == "" || !strings.Contains(string(spec), want) || strings.Contains(string(spec), "@latest") {
			t.Errorf("asset publishing without %q: %s", want, spec)
		}
	}
	if assets == 0 {
		t.Error("no asset publishing action")
	}
}

// stackArtifact is a stack of a cloud assembly manifest.
type stackArtifact struct {
	Type        string `json:"type"`
	Environment string `json:"environment"`
	Properties  struct {
		TemplateFile          string `json:"templateFile"`
		StackName             string `json:"stackName"`
		TerminationProtection bool   `json:"terminationProtection"`
	} `json:"properties"`
	dir string
}

// stacksIn reads the stacks of the assembly in dir by stack name, and the
// names of its nested assemblies.
func stacksIn(t *testing.T, dir string) (map[string]stackArtifact, []string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]struct {
			stackArtifact
			Properties struct {
				DirectoryName string `json:"directoryName"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	var plain struct {
		Artifacts map[string]stackArtifact `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || json.Unmarshal(raw, &plain) != nil {
		t.Fatalf("%s/manifest.json: %v", dir, err)
	}
	stacks := map[string]stackArtifact{}
	var nested []string
	for id, art := range plain.Artifacts {
		switch art.Type {
		case "aws:cloudformation:stack":
			name := art.Properties.StackName
			if name == "" {
				name = id
			}
			art.dir = dir
			stacks[name] = art
		case "cdk:cloud-assembly":
			nested = append(nested, m.Artifacts[id].Properties.DirectoryName)
		}
	}
	return stacks, nested
}

// Adopting the pipeline changes nothing: each stage holds the stacks a
// direct deploy creates, under the same names, in the same environments,
// with the same termination protection and the same template — logical
// IDs, properties, bucket names, exports, even the staged assets' hashes —
// so the first pipeline run updates the existing stacks with no change
// instead of creating second ones. The only difference allowed is in the
// resource metadata the CLI adds, the construct path (aws:cdk:path) and
// the asset's directory (aws:asset:path, relative to the nested
// assembly): CloudFormation does not update a stack for metadata alone.
func TestPipelineStagesEqualDirectDeploys(t *testing.T) {
	a := synthPipeline(t)
	top, nested := stacksIn(t, a.outdir)
	staged := map[string]stackArtifact{}
	for _, dir := range nested {
		stacks, _ := stacksIn(t, filepath.Join(a.outdir, dir))
		for name, s := range stacks {
			if _, dup := staged[name]; dup {
				t.Errorf("stack %s is in two stages", name)
			}
			staged[name] = s
		}
	}
	want := []string{}
	for _, e := range a.cfg.Environments {
		want = append(want, e.StackName())
		if e.Domain != nil && e.Region != config.CertificateRegion {
			want = append(want, e.CertStackName())
		}
	}
	slices.Sort(want)
	var got []string
	for name := range staged {
		got = append(got, name)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("the stages hold %v, want %v", got, want)
	}
	for _, name := range want {
		direct, stage := top[name], staged[name]
		if direct.Environment != stage.Environment || direct.Properties.TerminationProtection != stage.Properties.TerminationProtection {
			t.Errorf("%s: %s (termination protection %v) directly, %s (%v) in the pipeline", name,
				direct.Environment, direct.Properties.TerminationProtection, stage.Environment, stage.Properties.TerminationProtection)
		}
		d, err := os.ReadFile(filepath.Join(direct.dir, direct.Properties.TemplateFile))
		if err != nil {
			t.Fatal(err)
		}
		s, err := os.ReadFile(filepath.Join(stage.dir, stage.Properties.TemplateFile))
		if err != nil {
			t.Fatal(err)
		}
		if path, err := jsontree.FirstDifference(withoutPaths(t, d), withoutPaths(t, s)); err != nil || path != "" {
			t.Errorf("%s: the pipeline's template differs from the direct deploy's at %s (%v)", name, path, err)
		}
	}
}

// Making the stage's templates equal changed nothing for a direct deploy:
// the tags derived from construct paths are those the CDK gives a stack at
// the top of the app.
func TestDirectDeploysKeepTheirPathTags(t *testing.T) {
	a := synthPipeline(t)
	for _, e := range a.cfg.Environments {
		upload := a.app.Node().FindChild(jsii.String(e.StackName())).Node().FindChild(jsii.String("Default")).Node().FindChild(jsii.String("Upload"))
		var addr string
		for _, c := range *upload.Node().Children() {
			if strings.HasPrefix(*c.Node().Id(), "CustomResource") {
				addr = *c.Node().Addr()
			}
		}
		tmpl := templateIn(t, a.outdir, e.StackName())
		assert(t, e.Name+": the upload's owner tag", func() {
			tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
				"BucketName": e.BucketName,
				"Tags":       assertions.Match_ArrayWith(&[]interface{}{map[string]interface{}{"Key": "aws-cdk:cr-owned:.well-known/:" + addr[len(addr)-8:], "Value": "true"}}),
			})
		})
	}
	for stack, path := range map[string]string{"WellKnownCert-web": "WellKnownCert-web/Certificate", "WellKnown-edge": "WellKnown-edge/Default/Certificate"} {
		tmpl := templateIn(t, a.outdir, stack)
		assert(t, stack+": the certificate's Name tag", func() {
			tmpl.HasResourceProperties(jsii.String("AWS::CertificateManager::Certificate"), map[string]interface{}{
				"Tags": []interface{}{map[string]interface{}{"Key": "Name", "Value": path}},
			})
		})
	}
}

// withoutPaths drops the path metadata of a template's resources, after
// checking that the CLI's metadata is there at all.
func withoutPaths(t *testing.T, template []byte) []byte {
	t.Helper()
	var tmpl map[string]interface{}
	if err := json.Unmarshal(template, &tmpl); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range tmpl["Resources"].(map[string]interface{}) {
		if md, ok := r.(map[string]interface{})["Metadata"].(map[string]interface{}); ok {
			if _, ok := md["aws:cdk:path"]; ok {
				found = true
			}
			delete(md, "aws:cdk:path")
			delete(md, "aws:asset:path")
		}
	}
	if !found {
		t.Fatal("no aws:cdk:path metadata: the test no longer synthesizes as the CDK CLI does")
	}
	out, _ := json.Marshal(tmpl)
	return out
}

// The pipeline's artifact stores: one per region it deploys to, each a
// hardened bucket with a KMS key of its own, the ones outside the
// pipeline's region in support stacks that `cdk deploy WellKnownPipeline`
// deploys first. The project's rules and cdk-nag passed on all of them,
// or there would be no assembly.
func TestPipelineArtifactStores(t *testing.T) {
	a := synthPipeline(t)
	p := a.cfg.Pipeline
	regions := map[string]bool{p.Region: true}
	for _, e := range a.cfg.Environments {
		regions[e.Region] = true
		if e.Domain != nil {
			regions[config.CertificateRegion] = true
		}
	}
	var support []string
	for r := range regions {
		if r != p.Region {
			support = append(support, config.PipelineStackName+"-support-"+r)
		}
	}
	slices.Sort(support)
	if want := append([]string{config.PipelineStackName}, support...); !slices.Equal(a.stacks, want) {
		t.Errorf("AddPipelineStack returned %v, want %v", a.stacks, want)
	}
	stores := map[string]bool{}
	for _, s := range a.pipeline["ArtifactStores"].([]interface{}) {
		store := s.(map[string]interface{})
		stores[store["Region"].(string)] = true
		if key := store["ArtifactStore"].(map[string]interface{})["EncryptionKey"].(map[string]interface{}); key["Type"] != "KMS" {
			t.Errorf("artifact store in %v without a KMS key", store["Region"])
		}
	}
	if len(stores) != len(regions) {
		t.Errorf("artifact stores in %v, want %v", stores, regions)
	}
	top, _ := stacksIn(t, a.outdir)
	var deps struct {
		Artifacts map[string]struct{ Dependencies []string } `json:"artifacts"`
	}
	raw, _ := os.ReadFile(filepath.Join(a.outdir, "manifest.json"))
	json.Unmarshal(raw, &deps)
	for _, name := range support {
		if !slices.Contains(deps.Artifacts[config.PipelineStackName].Dependencies, name) {
			t.Errorf("%s does not depend on %s", config.PipelineStackName, name)
		}
		if want := "aws://" + p.Account + "/" + strings.TrimPrefix(name, config.PipelineStackName+"-support-"); top[name].Environment != want {
			t.Errorf("%s is in %s, want %s", name, top[name].Environment, want)
		}
	}
	for _, name := range append([]string{config.PipelineStackName}, support...) {
		tmpl := templateIn(t, a.outdir, name)
		assert(t, name+": artifact bucket", func() {
			tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
				"BucketEncryption": map[string]interface{}{"ServerSideEncryptionConfiguration": []interface{}{map[string]interface{}{
					"BucketKeyEnabled":              true,
					"ServerSideEncryptionByDefault": map[string]interface{}{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": anyValue()},
				}}},
				"LoggingConfiguration": anyValue(),
			})
		})
		assert(t, name+": key rotation", func() {
			tmpl.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]interface{}{"EnableKeyRotation": true})
		})
	}
}

// cdk-nag and the project's rules see the stacks of the pipeline's stages,
// not only the app's own: a stage stack that breaks them fails the
// synthesis. (CDK aspects stop at a stage boundary.)
func TestPipelineStagesAreChecked(t *testing.T) {
	ctx, _ := exampleTargets(t)
	outdir := t.TempDir()
	err := synthTo(t, ctx, outdir, func(app awscdk.App) error {
		_, _, err := stacks.NewWellKnownPipelineStack(app, "Pipeline", testPipelineProps(func(stage awscdk.Stage) error {
			s := awscdk.NewStack(stage, jsii.String("Bare"), &awscdk.StackProps{StackName: jsii.String("Bare"), Env: testEnv})
			awss3.NewCfnBucket(s, jsii.String("BareBucket"), &awss3.CfnBucketProps{})
			return nil
		}))
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "validation-report.json") {
		t.Fatalf("a stage stack with a bare bucket: %v", err)
	}
	findings := readReport(t, outdir)
	for _, id := range []string{"WK-002", "WK-003"} {
		if f := findings[id]; !slices.ContainsFunc(f.Paths, func(p string) bool { return strings.HasPrefix(p, "BareBucket:") }) {
			t.Errorf("%s does not name the stage's bucket: %v", id, f.Paths)
		}
	}
	nag, err := os.ReadFile(filepath.Join(outdir, "AwsSolutions-bare-Bare-NagReport.csv"))
	if err != nil || !strings.Contains(string(nag), `"AwsSolutions-S1","Pipeline/bare/Bare/BareBucket","Non-Compliant"`) {
		t.Errorf("cdk-nag did not check the stage's stack: %v\n%s", err, nag)
	}
}
