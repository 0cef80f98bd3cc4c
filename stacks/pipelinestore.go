package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ArtifactRetentionDays is how long pipeline artifacts (the synthesized
// cloud assembly of each run, the source checkout) are kept: long enough
// to retry or inspect a run, short enough that every merge does not add to
// the bill for good.
const ArtifactRetentionDays = 90

// newArtifactStore creates one region's pipeline artifact store in scope:
// a bucket with the project's hardened props (no ACLs, TLS 1.2+ only, all
// Block Public Access flags, server access logs to a private bucket),
// encrypted with a KMS key of its own, since CodePipeline hands the key to
// the target accounts' deploy roles and the AWS managed S3 key cannot be
// shared. The bucket is referred to by the alias, whose name is fixed: the
// pipeline in another region then refers to it by ARN, without a
// cross-region reference to the key.
func newArtifactStore(scope constructs.Construct, alias string) awss3.Bucket {
	c := constructs.NewConstruct(scope, jsii.String("ArtifactStore"))
	// S3 log delivery must write through a bucket policy: ACLs are off.
	c.Node().SetContext(jsii.String(serverAccessLogsFlag), true)
	key := awskms.NewKey(c, jsii.String("Key"), &awskms.KeyProps{
		Description:       jsii.String("Pipeline artifacts of " + alias),
		EnableKeyRotation: jsii.Bool(true),
		// The artifacts are transient (they expire after
		// ArtifactRetentionDays); a retained key would cost every month.
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	keyAlias := awskms.NewAlias(c, jsii.String("Alias"), &awskms.AliasProps{
		AliasName:     jsii.String("alias/" + alias),
		TargetKey:     key,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	// Kept, like CodePipeline's own artifact bucket, so that deleting the
	// pipeline does not fail on a non-empty bucket.
	removal := awscdk.RemovalPolicy_RETAIN
	logs := newAccessLogBucket(c, removal)
	props := hardenedBucketProps(removal)
	props.BucketName = awscdk.PhysicalName_GENERATE_IF_NEEDED()
	props.BlockPublicAccess = awss3.BlockPublicAccess_BLOCK_ALL()
	props.Encryption = awss3.BucketEncryption_KMS
	props.EncryptionKey = keyAlias
	props.BucketKeyEnabled = jsii.Bool(true)
	props.ServerAccessLogsBucket = logs
	props.LifecycleRules = &[]*awss3.LifecycleRule{{
		Id:                                  jsii.String("expire-artifacts"),
		Expiration:                          awscdk.Duration_Days(jsii.Number(ArtifactRetentionDays)),
		AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
	}}
	bucket := awss3.NewBucket(c, jsii.String("Bucket"), &props)
	// A retained bucket keeps its policy, and with it the TLS-only deny.
	for _, b := range []awss3.Bucket{bucket, logs} {
		if b.Policy() != nil {
			b.Policy().ApplyRemovalPolicy(removal)
		}
	}
	return bucket
}
