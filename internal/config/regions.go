package config

import "strings"

// Partition describes where a region lives and which S3 host suffix its
// virtual-hosted URLs use.
type Partition struct {
	ID           string // aws, aws-cn, aws-us-gov, aws-eusc
	DomainSuffix string // amazonaws.com, amazonaws.com.cn, amazonaws.eu
}

// publicRegions are the regions whose S3 endpoints Apple's and Google's
// verifiers can reach from the internet. The list mirrors aws-cdk-lib's
// region-info (AWS_REGIONS) minus the isolated partitions (us-iso*, eu-isoe-*),
// which have no public endpoints.
var publicRegions = map[string]bool{
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true,
	"ap-northeast-1": true, "ap-northeast-2": true, "ap-northeast-3": true,
	"ap-south-1": true, "ap-south-2": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true,
	"ap-southeast-4": true, "ap-southeast-5": true, "ap-southeast-6": true, "ap-southeast-7": true,
	"ca-central-1": true, "ca-west-1": true,
	"cn-north-1": true, "cn-northwest-1": true,
	"eu-central-1": true, "eu-central-2": true, "eu-north-1": true,
	"eu-south-1": true, "eu-south-2": true,
	"eu-west-1": true, "eu-west-2": true, "eu-west-3": true,
	"eusc-de-east-1": true,
	"il-central-1":   true, "me-central-1": true, "me-south-1": true, "mx-central-1": true,
	"sa-east-1": true,
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
	"us-gov-east-1": true, "us-gov-west-1": true,
}

// isolatedPrefixes are partitions that exist but are unreachable for the
// public verifiers, so a link file hosted there can never be validated.
var isolatedPrefixes = []string{"us-iso-", "us-isob-", "us-isof-", "eu-isoe-"}

// KnownRegion reports whether region is a public AWS region code.
func KnownRegion(region string) bool { return publicRegions[region] }

// isolatedRegion reports whether region belongs to an air-gapped partition.
func isolatedRegion(region string) bool {
	for _, p := range isolatedPrefixes {
		if strings.HasPrefix(region, p) {
			return true
		}
	}
	return false
}

// PartitionID is the ARN partition of a region: aws, aws-cn, aws-us-gov, …
func PartitionID(region string) string { return partitionOf(region).ID }

// IAMRegion is the region IAM signs for in region's partition, its home
// region. IAM is global, with one endpoint per partition signed for that
// region: iam.amazonaws.com (us-east-1), iam.cn-north-1.amazonaws.com.cn
// (cn-north-1, also for cn-northwest-1), iam.us-gov.amazonaws.com
// (us-gov-west-1, also for us-gov-east-1); a signature scoped to another
// region is refused. What matters is the partition: a region of another
// one reaches another IAM, which does not know the account.
//
// It is also where an account's WellKnownCI-<account> stack lives by
// default: a region that depends only on the partition, so that the
// stack of global IAM resources never moves when environments change.
func IAMRegion(region string) string {
	switch partitionOf(region).ID {
	case "aws":
		return "us-east-1"
	case "aws-cn":
		return "cn-north-1"
	case "aws-us-gov":
		return "us-gov-west-1"
	}
	// Other partitions (aws-eusc) name IAM's endpoint after their region;
	// the SDK's endpoint rules pick it and its signing region.
	return region
}

// partitionOf returns the partition of a supported region.
func partitionOf(region string) Partition {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return Partition{ID: "aws-cn", DomainSuffix: "amazonaws.com.cn"}
	case strings.HasPrefix(region, "us-gov-"):
		return Partition{ID: "aws-us-gov", DomainSuffix: "amazonaws.com"}
	case strings.HasPrefix(region, "eusc-"):
		return Partition{ID: "aws-eusc", DomainSuffix: "amazonaws.eu"}
	default:
		return Partition{ID: "aws", DomainSuffix: "amazonaws.com"}
	}
}
