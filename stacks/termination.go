package stacks

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/pipelines"
	"github.com/aws/jsii-runtime-go"
)

// terminationProtectionStep is the step after a stage's deploy that gives
// every stack of the stage exactly the termination protection it declares.
// `cdk deploy` sets it on every deploy; CDK Pipelines' deploy actions carry
// nothing for it (aws/aws-cdk#17871, #30405), so without this step a stack
// the pipeline creates would stay unprotected, and a changed setting would
// never reach a deployed stack.
//
// Like `cdk deploy`, it acts through the CDK bootstrap deploy role of each
// stack's account and region (the one the stack's synthesizer names, with
// the app's bootstrap qualifier): `cdk bootstrap --trust` lets the tooling
// account assume it, and its CliPermissions allow
// cloudformation:UpdateTerminationProtection. The project's role may
// assume exactly those roles. partition is the pipeline's, which
// checkStageStacks made every stage stack's.
func terminationProtectionStep(stage awscdk.Stage, partition string) (pipelines.CodeBuildStep, error) {
	var roles, commands []string
	for _, s := range stageStacks(stage) {
		role, err := deployRole(s, partition)
		if err != nil {
			return nil, err
		}
		// One AWS CLI profile per role: the CLI assumes it with the
		// project's own credentials (CodeBuild serves them as ECS
		// container credentials). Plain commands, no pipes or
		// substitutions: CodeBuild fails the build on the first command
		// that exits non-zero, which is all of `set -e` a command list
		// needs.
		profile := "wellknown-" + *s.Account() + "-" + *s.Region()
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
			set := "aws configure set profile." + profile + "."
			commands = append(commands,
				set+"role_arn "+role,
				set+"credential_source EcsContainer",
				// Names the sessions in the target account's CloudTrail.
				set+"role_session_name wellknown-pipeline-termination-protection")
		}
		flag := "--no-enable-termination-protection"
		if tp := s.TerminationProtection(); tp != nil && *tp {
			flag = "--enable-termination-protection"
		}
		commands = append(commands, fmt.Sprintf("aws cloudformation update-termination-protection --profile %s --region %s --stack-name %s %s",
			profile, *s.Region(), *s.StackName(), flag))
	}
	return pipelines.NewCodeBuildStep(jsii.String("TerminationProtection"), &pipelines.CodeBuildStepProps{
		Commands: jsii.Strings(commands...),
		RolePolicyStatements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("sts:AssumeRole"),
			Resources: jsii.Strings(roles...),
		})},
	}), nil
}

// deployRole is the literal ARN of the deploy role the stack's synthesizer
// names, the role the pipeline's own deploy actions of the stack assume.
func deployRole(s awscdk.Stack, partition string) (string, error) {
	synth, ok := s.Synthesizer().(awscdk.DefaultStackSynthesizer)
	if !ok {
		return "", fmt.Errorf("stack %s: its synthesizer names no CDK bootstrap deploy role (want the DefaultStackSynthesizer)", *s.Node().Id())
	}
	role := strings.ReplaceAll(*synth.DeployRoleArn(), "${AWS::Partition}", partition)
	if *awscdk.Token_IsUnresolved(role) || strings.ContainsAny(role, "${} '\"") {
		return "", errors.New("stack " + *s.Node().Id() + ": the deploy role " + role + " is not a literal ARN (the stack needs a literal account and region)")
	}
	return role, nil
}
