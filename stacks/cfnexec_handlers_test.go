package stacks

import (
	"slices"
	"testing"
)

// handlerPermissions are the IAM actions that the CloudFormation handlers
// of the custom-domain types declare in their registry schemas ("handlers":
// create, read, update and delete together; list is never called by a
// stack operation), as the us-east-1 registry published them in August 2026
// (the copies in hashicorp/terraform-provider-awscc,
// internal/service/cloudformation/schemas). AWS::Route53::RecordSet has no
// handlers in the registry; its list is that of the schema AWS published for
// it in October 2024 and withdrew.
var handlerPermissions = map[string][]string{
	"AWS::CloudFront::Distribution": {
		"cloudfront:CreateConnectionGroup", "cloudfront:CreateDistribution", "cloudfront:CreateDistributionWithTags",
		"cloudfront:GetConnectionGroup", "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig",
		"cloudfront:GetVpcOrigin", "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:ListTagsForResource",
		"cloudfront:UpdateDistribution", "cloudfront:UpdateDistributionWithStagingConfig", "cloudfront:DeleteDistribution",
	},
	"AWS::CloudFront::OriginAccessControl": {
		"cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl",
		"cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl",
	},
	"AWS::CertificateManager::Certificate": {
		"acm:RequestCertificate", "acm:DescribeCertificate", "route53:ChangeResourceRecordSets", "acm:AddTagsToCertificate",
		"acm-pca:IssueCertificate", "acm-pca:GetCertificate", "acm:ListTagsForCertificate", "acm:UpdateCertificateOptions",
		"acm:RemoveTagsFromCertificate", "acm:DeleteCertificate",
	},
	"AWS::Route53::RecordSet": {
		"route53:ListHostedZones", "route53:GetChange", "route53:ChangeResourceRecordSets",
		"route53:ListResourceRecordSets", "route53:GetHostedZone",
	},
	"AWS::Logs::DeliverySource": {
		"logs:PutDeliverySource", "logs:GetDeliverySource", "logs:DeleteDeliverySource",
		"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
		"logs:AllowVendedLogDeliveryForResource", "codewhisperer:AllowVendedLogDeliveryForResource",
		"autoloop:AllowVendedLogDeliveryForResource", "workmail:AllowVendedLogDeliveryForResource",
	},
	"AWS::Logs::DeliveryDestination": {
		"logs:PutDeliveryDestination", "logs:GetDeliveryDestination", "logs:DeleteDeliveryDestination",
		"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
		"logs:PutDeliveryDestinationPolicy", "logs:GetDeliveryDestinationPolicy", "logs:DeleteDeliveryDestinationPolicy",
	},
	"AWS::Logs::Delivery": {
		"logs:CreateDelivery", "logs:GetDelivery", "logs:DeleteDelivery", "logs:DescribeDeliveries",
		"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource",
		"logs:GetDeliverySource", "logs:GetDeliveryDestination", "logs:UpdateDeliveryConfiguration",
	},
}

// notGranted are the handler permissions the mapping leaves out, each with
// its reason (cfnexec.go's header says more).
var notGranted = map[string]map[string]string{
	"AWS::CloudFront::Distribution": {
		"cloudfront:CreateConnectionGroup":               "connection groups: the stacks set no ConnectionMode or AnycastIpListId",
		"cloudfront:GetConnectionGroup":                  "connection groups: the stacks set no ConnectionMode or AnycastIpListId",
		"cloudfront:GetVpcOrigin":                        "the origin is S3, not a VPC origin",
		"cloudfront:UpdateDistributionWithStagingConfig": "no continuous deployment (Staging, ContinuousDeploymentPolicyId)",
		"cloudfront:CreateDistributionWithTags":          "no IAM action: the API is authorized as CreateDistribution plus TagResource",
		"cloudfront:TagResource":                         "no Tags, and no CloudFormation system tags on distributions",
		"cloudfront:UntagResource":                       "no Tags, and no CloudFormation system tags on distributions",
	},
	"AWS::CertificateManager::Certificate": {
		"acm-pca:IssueCertificate":     "public certificates only: no CertificateAuthorityArn",
		"acm-pca:GetCertificate":       "public certificates only: no CertificateAuthorityArn",
		"acm:UpdateCertificateOptions": "no CertificateTransparencyLoggingPreference",
	},
	"AWS::Logs::DeliverySource": {
		"logs:AllowVendedLogDeliveryForResource":          "no IAM action; the source's service authorizes it (cloudfront:AllowVendedLogDeliveryForResource)",
		"codewhisperer:AllowVendedLogDeliveryForResource": "the source is a CloudFront distribution",
		"autoloop:AllowVendedLogDeliveryForResource":      "the source is a CloudFront distribution",
		"workmail:AllowVendedLogDeliveryForResource":      "the source is a CloudFront distribution",
	},
	"AWS::Logs::DeliveryDestination": {
		"logs:PutDeliveryDestinationPolicy": "no DeliveryDestinationPolicy: the delivery stays in the account",
	},
}

// beyondHandlers are what the mapping grants for these types that their
// handler lists do not name, each with its source.
var beyondHandlers = map[string]map[string]string{
	"AWS::Logs::DeliverySource": {
		"cloudfront:AllowVendedLogDeliveryForResource": "CloudWatch Logs user guide, vended logs V2, service-specific permissions",
	},
	"AWS::Logs::DeliveryDestination": {
		"s3:GetBucketPolicy": "CloudWatch Logs user guide, logs sent to Amazon S3 (V2): user permissions",
		"s3:PutBucketPolicy": "CloudWatch Logs user guide, logs sent to Amazon S3 (V2): user permissions",
	},
}

// checkedByOtherMeans are the types of the mapping that predate the
// handler lists above; their choices are documented in cfnexec.go.
var checkedByOtherMeans = []string{
	"AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Lambda::Function",
	"AWS::Lambda::LayerVersion", "AWS::Logs::LogGroup", "AWS::CDK::Metadata",
	"Custom::CDKBucketDeployment", "Custom::S3AutoDeleteObjects",
}

// The mapping grants each custom-domain type exactly its handlers'
// permissions, less what is left out for a stated reason, plus what is
// granted from another stated source; a new type comes with its list.
func TestCFNExecFollowsHandlerPermissions(t *testing.T) {
	for typ := range cfnExecPermissions {
		if _, ok := handlerPermissions[typ]; !ok && !slices.Contains(checkedByOtherMeans, typ) {
			t.Errorf("%s has no handlerPermissions entry: copy its schema's handler permissions", typ)
		}
	}
	for typ, handlers := range handlerPermissions {
		rt, ok := cfnExecPermissions[typ]
		if !ok {
			t.Errorf("%s has handler permissions but is not in cfnExecPermissions", typ)
			continue
		}
		granted := map[string]bool{}
		for _, gs := range append([][]cfnGrant{rt.always}, mapValues(rt.properties)...) {
			for _, g := range gs {
				for _, a := range g.actions {
					granted[a] = true
				}
			}
		}
		for _, a := range handlers {
			_, left := notGranted[typ][a]
			switch {
			case granted[a] && left:
				t.Errorf("%s: %s is granted and listed in notGranted", typ, a)
			case !granted[a] && !left:
				t.Errorf("%s: its handlers call %s, which the mapping does not grant: add it, or say in notGranted why not", typ, a)
			}
		}
		for a := range granted {
			if !slices.Contains(handlers, a) && beyondHandlers[typ][a] == "" {
				t.Errorf("%s: the mapping grants %s, which its handlers do not list: remove it, or name its source in beyondHandlers", typ, a)
			}
		}
		for a := range notGranted[typ] {
			if !slices.Contains(handlers, a) {
				t.Errorf("%s: notGranted lists %s, which its handlers do not call", typ, a)
			}
		}
	}
}

func mapValues[V any](m map[string]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
