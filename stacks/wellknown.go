// Package stacks holds the CloudFormation stack that publishes one
// environment's .well-known files.
package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/linkfile"
)

const (
	// WellKnownPrefix is the only key prefix that is public and that the
	// upload may write or prune.
	WellKnownPrefix = ".well-known/"
	// CacheControl keeps edits visible within minutes; Apple's CDN adds its
	// own caching on top.
	CacheControl = "max-age=300"
	// ContentType is required by Google and expected by Apple for both files;
	// without it the extensionless AASA is served as binary/octet-stream.
	ContentType = "application/json"
	// NoncurrentVersionDays bounds how long overwritten files are kept.
	NoncurrentVersionDays = 30
)

// WellKnownStackProps configures a WellKnownStack.
type WellKnownStackProps struct {
	awscdk.StackProps
	// Environment is a validated environment from the config package.
	Environment config.Environment
	// Files are the validated link files to publish; nothing else is uploaded.
	Files []linkfile.File
}

// NewWellKnownStack creates the content bucket, its public-read policy for
// .well-known/* only, the upload of the files, and the outputs.
func NewWellKnownStack(scope constructs.Construct, id string, props *WellKnownStackProps) awscdk.Stack {
	env := props.Environment
	sprops := props.StackProps
	if sprops.Env == nil {
		sprops.Env = &awscdk.Environment{Account: jsii.String(env.Account), Region: jsii.String(env.Region)}
	}
	if sprops.TerminationProtection == nil {
		sprops.TerminationProtection = jsii.Bool(env.TerminationProtection)
	}
	if sprops.Description == nil {
		sprops.Description = jsii.String("wellknown: public /.well-known app-link files for " + env.Name)
	}
	stack := awscdk.NewStack(scope, &id, &sprops)

	var logs awss3.Bucket
	if env.AccessLogs {
		logs = newAccessLogBucket(stack, env)
	}
	bucket := newContentBucket(stack, env, logs)
	upload := awss3deployment.NewBucketDeployment(stack, jsii.String("Upload"), &awss3deployment.BucketDeploymentProps{
		DestinationBucket:    bucket,
		DestinationKeyPrefix: jsii.String(WellKnownPrefix),
		Sources:              sources(props.Files),
		ContentType:          jsii.String(ContentType),
		CacheControl:         &[]awss3deployment.CacheControl{awss3deployment.CacheControl_FromString(jsii.String(CacheControl))},
		// Prune is scoped to the destination prefix: a file removed from
		// assets/ disappears from .well-known/ and nothing else is touched.
		Prune:          jsii.Bool(true),
		RetainOnDelete: jsii.Bool(env.RemovalPolicy == config.Retain),
		MemoryLimit:    jsii.Number(256),
	})
	suppressNagFindings(stack, bucket, upload, env)
	addOutputs(stack, env, props.Files, bucket)
	return stack
}

func newContentBucket(stack awscdk.Stack, env config.Environment, logs awss3.Bucket) awss3.Bucket {
	props := hardenedBucketProps(env)
	props.BucketName = jsii.String(env.BucketName)
	// Only the bucket policy may make objects public; ACLs never can.
	props.BlockPublicAccess = awss3.NewBlockPublicAccess(&awss3.BlockPublicAccessOptions{
		BlockPublicAcls:       jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(false),
		RestrictPublicBuckets: jsii.Bool(false),
	})
	props.Versioned = jsii.Bool(true)
	props.LifecycleRules = &[]*awss3.LifecycleRule{{
		Id:                                  jsii.String("expire-old-versions"),
		NoncurrentVersionExpiration:         awscdk.Duration_Days(jsii.Number(NoncurrentVersionDays)),
		AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
	}}
	if logs != nil {
		props.ServerAccessLogsBucket = logs
		props.ServerAccessLogsPrefix = jsii.String(env.BucketName + "/")
	}
	bucket := awss3.NewBucket(stack, jsii.String("Bucket"), &props)
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("PublicReadWellKnown"),
		Effect:     awsiam.Effect_ALLOW,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("s3:GetObject"),
		// A literal ARN: reviewable in the template and provably limited to
		// the prefix. No s3:ListBucket, so missing keys answer 403.
		Resources: jsii.Strings(env.BucketARN() + "/" + WellKnownPrefix + "*"),
	}))
	// BucketDeployment grants its handler write and delete on the whole
	// bucket; this deny bounds it (and everyone else) to .well-known/, so the
	// template itself shows that prune cannot reach any other key.
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:          jsii.String("DenyWritesOutsideWellKnown"),
		Effect:       awsiam.Effect_DENY,
		Principals:   &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:      jsii.Strings(WriteActions...),
		NotResources: jsii.Strings(env.BucketARN() + "/" + WellKnownPrefix + "*"),
	}))
	return bucket
}

// WriteActions are the object writes the content bucket allows only under
// .well-known/.
var WriteActions = []string{"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"}

func removalPolicy(env config.Environment) awscdk.RemovalPolicy {
	if env.RemovalPolicy == config.Destroy {
		return awscdk.RemovalPolicy_DESTROY
	}
	return awscdk.RemovalPolicy_RETAIN
}

// Source.data stages exactly the validated bytes, so what was checked is
// what gets published, whatever else lies in the directory.
func sources(files []linkfile.File) *[]awss3deployment.ISource {
	out := make([]awss3deployment.ISource, 0, len(files))
	for _, f := range files {
		out = append(out, awss3deployment.Source_Data(jsii.String(f.Name), jsii.String(string(f.Data)), nil))
	}
	return &out
}

// OutputNames maps each link file to the logical ID of its URL output.
var OutputNames = map[string]string{
	linkfile.AssetLinks:              "AssetLinksURL",
	linkfile.AppleAppSiteAssociation: "AppleAppSiteAssociationURL",
}

func addOutputs(stack awscdk.Stack, env config.Environment, files []linkfile.File, bucket awss3.Bucket) {
	output := func(id, value, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{
			Value:       jsii.String(value),
			Description: jsii.String(description),
			ExportName:  jsii.String(env.StackName() + "-" + id),
		})
	}
	output("RedirectURL", env.RedirectURL(), "Redirect URL for the Alexa console (Your Redirect URLs) and the identity provider's callback URLs")
	for _, f := range files {
		output(OutputNames[f.Name], env.FileURL(f.Name), "Public URL of "+WellKnownPrefix+f.Name)
	}
	awscdk.NewCfnOutput(stack, jsii.String("BucketName"), &awscdk.CfnOutputProps{
		Value:       bucket.BucketName(),
		Description: jsii.String("Bucket holding the .well-known files"),
		ExportName:  jsii.String(env.StackName() + "-BucketName"),
	})
}
