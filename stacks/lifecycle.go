package stacks

import (
	"errors"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// autoDeleteLogDays is how long the S3 auto-delete handler's logs are kept
// while a destroyable environment exists.
const autoDeleteLogDays = 30

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
	logGroup := handler.Node().TryFindChild(jsii.String("LogGroup"))
	if logGroup == nil {
		return errors.New("stacks: the BucketDeployment handler has no CDK-managed log group; is @aws-cdk/aws-lambda:useCdkManagedLogGroup on?")
	}
	// Only the custom resource waits: the handler's layer is a dependency
	// of the handler, which the log group's name refers to.
	for _, c := range *h.upload.Node().Children() {
		if strings.HasPrefix(*c.Node().Id(), "CustomResource") {
			c.Node().AddDependency(logGroup)
		}
	}
	if removal != awscdk.RemovalPolicy_DESTROY {
		return nil
	}
	if lg, ok := logGroup.(awslogs.LogGroup); ok {
		lg.ApplyRemovalPolicy(awscdk.RemovalPolicy_DESTROY)
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

// autoDeleteLogGroup is the log group of the stack's S3 auto-delete
// handler, created once per stack.
func autoDeleteLogGroup(stack awscdk.Stack) (constructs.IConstruct, error) {
	const id = "AutoDeleteObjectsLogGroup"
	if existing := stack.Node().TryFindChild(jsii.String(id)); existing != nil {
		return existing, nil
	}
	var handler awscdk.CfnResource
	for _, c := range *stack.Node().Children() {
		if strings.HasPrefix(*c.Node().Id(), "Custom::S3AutoDeleteObjectsCustomResourceProvider") {
			if r, ok := c.Node().TryFindChild(jsii.String("Handler")).(awscdk.CfnResource); ok {
				handler = r
			}
		}
	}
	if handler == nil {
		return nil, errors.New("stacks: S3 auto-delete handler not found; aws-cdk-lib changed its construct ID")
	}
	lg := awslogs.NewCfnLogGroup(stack, jsii.String(id), &awslogs.CfnLogGroupProps{
		LogGroupName:    awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("/aws/lambda/"), handler.Ref()}),
		RetentionInDays: jsii.Number(autoDeleteLogDays),
	})
	lg.ApplyRemovalPolicy(awscdk.RemovalPolicy_DESTROY, nil)
	return lg, nil
}
