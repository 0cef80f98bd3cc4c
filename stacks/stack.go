package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/linkfile"
)

// WellKnownStackProps configures a WellKnownStack. StackProps.Env must name
// the account and region.
type WellKnownStackProps struct {
	awscdk.StackProps
	Hosting WellKnownHostingProps
}

// OutputNames maps each link file to the logical ID of its URL output.
var OutputNames = map[string]string{
	linkfile.AssetLinks:              "AssetLinksURL",
	linkfile.AppleAppSiteAssociation: "AppleAppSiteAssociationURL",
}

// NewWellKnownStack creates one environment: the hosting and its outputs,
// each exported as <stack name>-<output>.
func NewWellKnownStack(scope constructs.Construct, id string, props *WellKnownStackProps) (awscdk.Stack, error) {
	sprops := props.StackProps
	if sprops.Description == nil {
		sprops.Description = jsii.String("wellknown: public /" + linkfile.Dir + " app-link files")
	}
	stack := awscdk.NewStack(scope, &id, &sprops)
	// The ID "Default" is left out of logical IDs, so the resources keep the
	// IDs they had as direct children of the stack: a stack deployed before
	// the construct existed updates in place instead of replacing buckets.
	h, err := NewWellKnownHosting(stack, "Default", &props.Hosting)
	if err != nil {
		return nil, err
	}
	output := func(id, description string, value *string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{
			Value:       value,
			Description: jsii.String(description),
			ExportName:  jsii.String(*stack.StackName() + "-" + id),
		})
	}
	output("RedirectURL", "Redirect URL for the Alexa console (Your Redirect URLs) and the identity provider's callback URLs", jsii.String(h.RedirectURL()))
	for _, name := range h.FileNames() {
		output(OutputNames[name], "Public URL of "+linkfile.Prefix+name, jsii.String(h.FileURL(name)))
	}
	output("BucketName", "Bucket holding the "+linkfile.Dir+" files", h.Bucket().BucketName())
	if d := h.Distribution(); d != nil {
		output("DistributionId", "CloudFront distribution serving the files", d.DistributionId())
		output("DistributionDomainName", "CNAME target for the domain when Route 53 does not hold its zone", d.DistributionDomainName())
		output("CertificateArn", "Certificate of the domain (us-east-1)", h.Certificate().CertificateArn())
		if props.Hosting.Domain.KeepS3Public {
			output("S3URL", "The S3 host, still serving the files while apps and the Alexa console move to the domain", jsii.String(h.S3URL()))
		}
	}
	return stack, nil
}
