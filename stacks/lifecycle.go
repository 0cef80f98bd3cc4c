package stacks

import (
	"errors"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// How long handler logs are kept in the log groups created here:
// the upload's, when the CDK manages none, and the S3 auto-delete
// handler's, which only exists while a destroyable environment does.
const (
	uploadLogDays     = 365
	autoDeleteLogDays = 30
)

// deployTimeSafety fixes what only a deploy or a delete would reveal:
//
//   - A bucket policy is a resource of its own. Without the bucket's removal
//     policy, deleting a "retain" stack keeps the bucket but deletes its
//     policy: the retained content bucket loses its TLS-only deny and its
//     public read, the log bucket its log-delivery grant.
//   - BucketDeployment's handler gets a CDK-managed log group
//     (@aws-cdk/aws-lambda:useCdkManagedLogGroup) that nothing orders before
//     the handler's first run. If the upload runs first, Lambda creates
//     /aws/lambda/<handler> itself and the stack's log group then fails
//     with "already exists" (aws/aws-cdk 34612); the upload now waits for
//     the log group. The same order makes a stack deletion run the upload's
//     delete before the log group goes, so the handler cannot recreate it
//     afterwards (aws/aws-cdk 35632).
//   - In a "destroy" environment nothing may outlive the stack: the upload's
//     log group is deleted with it, and the S3 auto-delete handler — which
//     the CDK leaves to create its own log group, retained forever — gets a
//     stack-managed one that goes with the stack.
func (h *WellKnownHosting) deployTimeSafety() error {
	removal := h.removal()
	for _, b := range []awss3.Bucket{h.bucket, h.logs} {
		if b != nil && b.Policy() != nil {
			b.Policy().ApplyRemovalPolicy(removal)
		}
	}
	stack := awscdk.Stack_Of(h.Construct)
	handler, err := uploadHandler(stack)
	if err != nil {
		return err
	}
	uploadLogs, err := uploadLogGroup(stack, handler, removal)
	if err != nil {
		return err
	}
	// Only the custom resource waits: the handler's layer is a dependency
	// of the handler, which the log group's name refers to.
	for _, c := range *h.upload.Node().Children() {
		if strings.HasPrefix(*c.Node().Id(), "CustomResource") {
			c.Node().AddDependency(uploadLogs)
		}
	}
	if removal != awscdk.RemovalPolicy_DESTROY {
		return nil
	}
	autoDeleteLogs, err := autoDeleteLogGroup(stack)
	if err != nil {
		return err
	}
	for _, b := range []awss3.Bucket{h.bucket, h.logs} {
		if b == nil {
			continue
		}
		if cr := b.Node().TryFindChild(jsii.String("AutoDeleteObjectsCustomResource")); cr != nil {
			cr.Node().AddDependency(autoDeleteLogs)
		}
	}
	return nil
}

// uploadLogGroup is the upload handler's log group: the one the CDK
// manages when @aws-cdk/aws-lambda:useCdkManagedLogGroup is on (as in this
// project), else one created here, as an app without the flag would
// otherwise leave the handler to create its own, kept forever. A "destroy"
// environment deletes it with the stack.
func uploadLogGroup(stack awscdk.Stack, handler constructs.IConstruct, removal awscdk.RemovalPolicy) (constructs.IConstruct, error) {
	if managed := handler.Node().TryFindChild(jsii.String("LogGroup")); managed != nil {
		if lg, ok := managed.(awslogs.LogGroup); ok && removal == awscdk.RemovalPolicy_DESTROY {
			lg.ApplyRemovalPolicy(awscdk.RemovalPolicy_DESTROY)
		}
		return managed, nil
	}
	fn, ok := handler.(awslambda.Function)
	if !ok {
		return nil, errors.New("stacks: the BucketDeployment handler is not a Lambda function; aws-cdk-lib changed its constructs")
	}
	return handlerLogGroup(stack, "UploadLogGroup", fn.FunctionName(), uploadLogDays, removal), nil
}

// handlerLogGroup creates, once per stack, the log group Lambda would
// create for the function on its first run.
func handlerLogGroup(stack awscdk.Stack, id string, functionName *string, days float64, removal awscdk.RemovalPolicy) constructs.IConstruct {
	if existing := stack.Node().TryFindChild(jsii.String(id)); existing != nil {
		return existing
	}
	lg := awslogs.NewCfnLogGroup(stack, jsii.String(id), &awslogs.CfnLogGroupProps{
		LogGroupName:    awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("/aws/lambda/"), functionName}),
		RetentionInDays: jsii.Number(days),
	})
	lg.ApplyRemovalPolicy(removal, nil)
	return lg
}

// autoDeleteLogGroup is the log group of the stack's S3 auto-delete
// handler; it only exists in "destroy" environments and goes with them.
func autoDeleteLogGroup(stack awscdk.Stack) (constructs.IConstruct, error) {
	for _, c := range *stack.Node().Children() {
		if strings.HasPrefix(*c.Node().Id(), "Custom::S3AutoDeleteObjectsCustomResourceProvider") {
			if fn, ok := c.Node().TryFindChild(jsii.String("Handler")).(awscdk.CfnResource); ok {
				return handlerLogGroup(stack, "AutoDeleteObjectsLogGroup", fn.Ref(), autoDeleteLogDays, awscdk.RemovalPolicy_DESTROY), nil
			}
		}
	}
	return nil, errors.New("stacks: S3 auto-delete handler not found; aws-cdk-lib changed its construct ID")
}
