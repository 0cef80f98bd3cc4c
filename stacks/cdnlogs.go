package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
)

// cloudFrontLogFields are the fields of CloudFront's standard log that are
// delivered: all but cs-uri-query and cs(Cookie). A universal link that
// fails to open the app lands on the redirect URL with the authorization
// code in its query string; it must not end up in a log file.
var cloudFrontLogFields = []string{
	"date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem", "sc-status",
	"cs(Referer)", "cs(User-Agent)", "x-edge-result-type", "x-edge-request-id", "x-host-header", "cs-protocol",
	"cs-bytes", "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher", "x-edge-response-result-type",
	"cs-protocol-version", "fle-status", "fle-encrypted-fields", "c-port", "time-to-first-byte",
	"x-edge-detailed-result-type", "sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end",
}

// standardLoggingIn reports whether a stack in region can deliver a
// distribution's access logs with standard logging (v2): CloudFront's
// delivery source must be created in us-east-1.
func standardLoggingIn(region string) bool { return region == config.CertificateRegion }

// newCDNLogging delivers the distribution's access logs to the private
// access-log bucket with CloudFront standard logging (v2). Legacy logging
// would need bucket ACLs, which every bucket here has disabled (WK-003).
// A v2 delivery source for CloudFront must live in us-east-1, so only a
// stack there gets one (newCDN decides); elsewhere the suppression in
// nag.go says so.
func (h *WellKnownHosting) newCDNLogging(c *cdn) {
	stack := awscdk.Stack_Of(h.Construct)
	// Source and destination names share no namespace, so one unique name
	// (within CloudWatch Logs' 60 characters) serves both.
	name := awscdk.Names_UniqueResourceName(h.Construct, &awscdk.UniqueResourceNameOptions{MaxLength: jsii.Number(60), Separator: jsii.String("-")})
	source := awslogs.NewCfnDeliverySource(h.Construct, jsii.String("AccessLogSource"), &awslogs.CfnDeliverySourceProps{
		Name:        name,
		LogType:     jsii.String("ACCESS_LOGS"),
		ResourceArn: c.distributionARN(),
	})
	destination := awslogs.NewCfnDeliveryDestination(h.Construct, jsii.String("AccessLogDestination"), &awslogs.CfnDeliveryDestinationProps{
		Name:                   name,
		DestinationResourceArn: h.logs.BucketArn(),
		OutputFormat:           jsii.String("json"),
	})
	awslogs.NewCfnDelivery(h.Construct, jsii.String("AccessLogDelivery"), &awslogs.CfnDeliveryProps{
		DeliverySourceName:     source.Ref(),
		DeliveryDestinationArn: destination.AttrArn(),
		RecordFields:           jsii.Strings(cloudFrontLogFields...),
	})
	// CloudWatch Logs writes the files as delivery.logs.amazonaws.com, for
	// this account's delivery source only. It also reads the bucket's ACL
	// (and lists it) before delivering; without that statement in the
	// policy it appends one itself when the delivery is created, outside
	// CloudFormation, and the next update of the stack removes it again.
	logDelivery := awsiam.NewServicePrincipal(jsii.String("delivery.logs.amazonaws.com"), nil)
	sourceArn := fmt.Sprintf("arn:aws:logs:%s:%s:delivery-source:%s", h.region, *stack.Account(), *source.Ref())
	h.logs.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudFrontLogDelivery"),
		Effect:     awsiam.Effect_ALLOW,
		Principals: &[]awsiam.IPrincipal{logDelivery},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*h.logs.BucketArn() + "/AWSLogs/" + *stack.Account() + "/*"),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": *stack.Account()},
			"ArnLike":      map[string]interface{}{"aws:SourceArn": sourceArn},
		},
	}))
	h.logs.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudFrontLogDeliveryAclCheck"),
		Effect:     awsiam.Effect_ALLOW,
		Principals: &[]awsiam.IPrincipal{logDelivery},
		Actions:    jsii.Strings("s3:GetBucketAcl", "s3:ListBucket"),
		Resources:  jsii.Strings(*h.logs.BucketArn()),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": *stack.Account()},
			"ArnLike":      map[string]interface{}{"aws:SourceArn": sourceArn},
		},
	}))
	destination.Node().AddDependency(h.logs)
}
