package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// AccessLogRetentionDays is how long S3 server access logs are kept.
const AccessLogRetentionDays = 365

// newAccessLogBucket creates the private bucket that receives the content
// bucket's server access logs (Security Hub S3.9). Nothing here is public:
// all four Block Public Access flags are on, and S3's log delivery writes
// through a bucket policy that CDK adds (serverAccessLogsUseBucketPolicy).
// It is never a deployment destination, and it follows the content
// bucket's removal policy so that a destroyed environment leaves nothing
// behind.
func newAccessLogBucket(scope constructs.Construct, removal awscdk.RemovalPolicy) awss3.Bucket {
	props := hardenedBucketProps(removal)
	props.BlockPublicAccess = awss3.BlockPublicAccess_BLOCK_ALL()
	props.LifecycleRules = &[]*awss3.LifecycleRule{{
		Id:                                  jsii.String("expire-access-logs"),
		Expiration:                          awscdk.Duration_Days(jsii.Number(AccessLogRetentionDays)),
		AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
	}}
	return awss3.NewBucket(scope, jsii.String("AccessLogs"), &props)
}

// hardenedBucketProps holds what both buckets share: no ACLs, SSE-S3 (the
// only encryption anonymous readers and log delivery both work with), TLS
// 1.2+ only, and the removal policy, emptying the bucket first when it is
// destroyed.
func hardenedBucketProps(removal awscdk.RemovalPolicy) awss3.BucketProps {
	return awss3.BucketProps{
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		RemovalPolicy:     removal,
		AutoDeleteObjects: jsii.Bool(removal == awscdk.RemovalPolicy_DESTROY),
	}
}
