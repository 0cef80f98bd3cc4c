package stacks_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/config"
)

// CDK Pipelines' deploy actions do not set a stack's termination
// protection (aws/aws-cdk#17871). Each environment's TerminationProtection
// step, after its last deploy and before its verification, sets it on
// every stack of its stage — the certificate stack in us-east-1 included —
// to what the stack declares, enabling or disabling it as `cdk deploy`
// does, through the CDK deploy role of the stack's account and region; its
// role may assume those roles and no others.
func TestPipelineSetsTerminationProtection(t *testing.T) {
	a := synthPipeline(t)
	_, actions := a.stages()
	declared, _ := stacksIn(t, a.outdir)
	flags := map[string]bool{}
	for _, wave := range testWaves {
		for _, env := range wave {
			e, _ := a.cfg.Find(env)
			var tp, verify []action
			lastDeploy := 0.0
			for _, act := range envActions(actions, wave, env) {
				switch {
				case act.provider == "CloudFormation":
					lastDeploy = max(lastDeploy, act.runOrder)
				case act.name == "TerminationProtection":
					tp = append(tp, act)
				case act.name == "Verify":
					verify = append(verify, act)
				}
			}
			if len(tp) != 1 || len(verify) != 1 {
				t.Fatalf("%s: %d termination protection and %d verify steps, want one each", env, len(tp), len(verify))
			}
			if tp[0].provider != "CodeBuild" || tp[0].runOrder <= lastDeploy || verify[0].runOrder <= tp[0].runOrder {
				t.Errorf("%s: termination protection (%s, run order %v) is not between the last deploy (%v) and the verification (%v)",
					env, tp[0].provider, tp[0].runOrder, lastDeploy, verify[0].runOrder)
			}

			type stack struct{ name, region string }
			stacks := []stack{{e.StackName(), e.Region}}
			if e.HasCertStack() {
				stacks = append([]stack{{e.CertStackName(), config.CertificateRegion}}, stacks...)
			}
			var want, roles []string
			for _, s := range stacks {
				role := fmt.Sprintf("arn:aws:iam::%s:role/cdk-%s-deploy-role-%s-%s", e.Account, a.cfg.Qualifier, e.Account, s.region)
				profile := "wellknown-" + e.Account + "-" + s.region
				if !slices.Contains(roles, role) {
					roles = append(roles, role)
					set := "aws configure set profile." + profile + "."
					want = append(want, set+"role_arn "+role, set+"credential_source EcsContainer", set+"role_session_name wellknown-pipeline-termination-protection")
				}
				// What the stack declares, which is what `cdk deploy` sets.
				on := declared[s.name].Properties.TerminationProtection
				if on != e.TerminationProtection {
					t.Errorf("%s declares termination protection %v, cdk.json says %v", s.name, on, e.TerminationProtection)
				}
				flag := map[bool]string{true: "--enable-termination-protection", false: "--no-enable-termination-protection"}[on]
				flags[flag] = true
				want = append(want, "aws cloudformation update-termination-protection --profile "+profile+" --region "+s.region+" --stack-name "+s.name+" "+flag)
			}
			spec := a.buildSpec(t, tp[0])
			var got []string
			for _, c := range spec["phases"].(map[string]interface{})["build"].(map[string]interface{})["commands"].([]interface{}) {
				got = append(got, c.(string))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: termination protection runs\n%s\nwant\n%s", env, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			assumed := a.assumableRoles(t, tp[0])
			slices.Sort(assumed)
			if slices.Sort(roles); !slices.Equal(assumed, roles) {
				t.Errorf("%s: the termination protection role may assume %v, want exactly %v", env, assumed, roles)
			}
		}
	}
	if len(flags) != 2 {
		t.Errorf("the test environments only exercise %v", flags)
	}
}

// assumableRoles are the resources of every statement of the CodeBuild
// action's project role that allows an sts: action, which must be
// sts:AssumeRole.
func (a *pipelineAssembly) assumableRoles(t *testing.T, act action) []string {
	t.Helper()
	resources := a.template["Resources"].(map[string]interface{})
	project := resources[fmt.Sprint(act.config["ProjectName"].(map[string]interface{})["Ref"])].(map[string]interface{})
	role := project["Properties"].(map[string]interface{})["ServiceRole"].(map[string]interface{})["Fn::GetAtt"].([]interface{})[0]
	list := func(v interface{}) []interface{} {
		if l, ok := v.([]interface{}); ok {
			return l
		}
		return []interface{}{v}
	}
	var out []string
	for _, r := range resourcesOfType(a.template, "AWS::IAM::Policy") {
		props := r["Properties"].(map[string]interface{})
		if !slices.ContainsFunc(props["Roles"].([]interface{}), func(x interface{}) bool { return fmt.Sprint(x) == fmt.Sprint(map[string]interface{}{"Ref": role}) }) {
			continue
		}
		for _, st := range props["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			st := st.(map[string]interface{})
			var sts bool
			for _, x := range list(st["Action"]) {
				if s := fmt.Sprint(x); strings.HasPrefix(s, "sts:") {
					sts = true
					if s != "sts:AssumeRole" || st["Effect"] != "Allow" {
						t.Errorf("%s: the role allows %s", act.name, s)
					}
				}
			}
			for _, x := range list(st["Resource"]) {
				if sts {
					out = append(out, fmt.Sprint(x))
				}
			}
		}
	}
	return out
}
