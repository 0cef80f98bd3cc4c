package stacks

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// A few values the CDK writes into templates derive from a construct's
// full path in the app. A stack inside a CDK Pipelines stage has the
// pipeline stack and the stage above it, so those values — and the
// template — would differ from the same stack deployed directly, and
// adopting the pipeline would change every environment. The helpers here
// replace them with the value the construct has when its stack is at the
// top of the app under its stack name, which is what a direct deploy has
// always used: the templates stay the same in both places.

// topLevelPath is c's construct path as it is when its stack sits at the
// top of the app, named by its stack name.
func topLevelPath(c constructs.IConstruct) string {
	stack := awscdk.Stack_Of(c)
	rel := strings.TrimPrefix(*c.Node().Path(), *stack.Node().Path())
	return *stack.StackName() + rel
}

// topLevelAddr is the construct address (constructs' addressOf: the SHA-1
// of the path's IDs from the app's empty root ID down, skipping "Default")
// that c has when its stack sits at the top of the app.
func topLevelAddr(c constructs.IConstruct) string {
	h := sha1.New()
	h.Write([]byte("\n"))
	for _, id := range strings.Split(topLevelPath(c), "/") {
		if id == "Default" {
			continue
		}
		h.Write([]byte(id + "\n"))
	}
	return "c8" + hex.EncodeToString(h.Sum(nil))
}

// certificateName is the Name tag of a certificate created at scope/id,
// which the CDK otherwise sets to the construct path.
func certificateName(scope constructs.IConstruct, id string) *string {
	return jsii.String(topLevelPath(scope) + "/" + id)
}

// stabilizeOwnerTag replaces the tag key BucketDeployment puts on its
// destination bucket, aws-cdk:cr-owned:<prefix>:<last 8 characters of its
// custom resource's address>, by its top-level form. Its handler only looks for the
// "aws-cdk:cr-owned:<prefix>" part (a bucket holding it is not emptied on
// delete), so the address only keeps two deployments into one bucket
// apart, and the top-level one does that as well.
func stabilizeOwnerTag(bucket constructs.IConstruct, deployment constructs.IConstruct, prefix string) error {
	const tag = "aws-cdk:cr-owned:"
	var cr constructs.IConstruct
	for _, c := range *deployment.Node().Children() {
		if strings.HasPrefix(*c.Node().Id(), "CustomResource") {
			cr = c
		}
	}
	if cr == nil {
		return errors.New("stacks: BucketDeployment's custom resource not found; aws-cdk-lib changed its construct ID")
	}
	have, want := *cr.Node().Addr(), topLevelAddr(cr)
	if have == want {
		return nil
	}
	awscdk.Tags_Of(bucket).Remove(jsii.String(tag+prefix+":"+have[len(have)-8:]), nil)
	awscdk.Tags_Of(bucket).Add(jsii.String(tag+prefix+":"+want[len(want)-8:]), jsii.String("true"), nil)
	return nil
}
