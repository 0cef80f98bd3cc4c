// Package stacks holds the CDK constructs that publish the /.well-known
// app-link files: WellKnownHosting, which platform teams can add to a CDK
// app of their own, and WellKnownStack, one environment of this project.
package stacks

import (
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/linkfile"
)

const (
	// CacheControl keeps edits visible within minutes; Apple's CDN adds its
	// own caching on top.
	CacheControl = "max-age=300"
	// ContentType is required by Google and expected by Apple for both files;
	// without it the extensionless AASA is served as binary/octet-stream.
	ContentType = "application/json"
	// NoncurrentVersionDays bounds how long overwritten files are kept.
	NoncurrentVersionDays = 30
)

// WellKnownHostingProps configures WellKnownHosting with plain values, so
// that any CDK app can fill them. The construct validates them with the
// same rules as `wellknown check` before it creates anything.
type WellKnownHostingProps struct {
	// BucketName names the content bucket (required). It must pass every
	// S3 naming rule and contain no dot: a dotted name breaks the
	// *.s3.<region>.amazonaws.com certificate, and Apple and Google then
	// refuse the files.
	BucketName string
	// Files maps link file names (assetlinks.json,
	// apple-app-site-association) to their bytes. Set Files or Dir.
	Files map[string][]byte
	// Dir is a .well-known directory whose link files are published; any
	// other entry in it is an error, since it would become public.
	Dir string
	// RemovalPolicy is what happens to the buckets when the stack is
	// deleted: awscdk.RemovalPolicy_RETAIN (the default) or
	// awscdk.RemovalPolicy_DESTROY, which empties and deletes them.
	RemovalPolicy awscdk.RemovalPolicy
	// DisableAccessLogs turns off S3 server access logging to a private
	// log bucket (AwsSolutions-S1, Security Hub S3.9).
	DisableAccessLogs bool
	// Domain, when set, serves the files on a host of your own through
	// CloudFront, and the bucket becomes private unless KeepS3Public.
	Domain *DomainProps
}

// WellKnownHosting is a bucket that serves the link files at
// https://<bucket>.s3.<region>.<suffix>/.well-known/<file> exactly as Apple
// and Google require: public read of .well-known/* only, application/json,
// TLS only, no ACLs, versioned, with server access logs.
//
// Children are created in the embedded Construct, never in the struct
// itself: jsii registers a Go value once, and passing the wrapper as a
// scope would register it a second time.
type WellKnownHosting struct {
	constructs.Construct
	bucket, logs awss3.Bucket
	upload       awss3deployment.BucketDeployment
	cdn          *cdn // nil without a domain
	files        []linkfile.File
	region       string
	props        WellKnownHostingProps
}

// NewWellKnownHosting validates props and creates the hosting in scope,
// which must be inside a stack with an explicit region. Nothing is created
// when props are invalid.
func NewWellKnownHosting(scope constructs.Construct, id string, props *WellKnownHostingProps) (*WellKnownHosting, error) {
	if props == nil {
		return nil, errors.New("WellKnownHosting: props are required")
	}
	stack := awscdk.Stack_Of(scope)
	region := *stack.Region()
	files, err := props.validate(region, *stack.Account())
	if err != nil {
		return nil, fmt.Errorf("WellKnownHosting %s: %w", id, err)
	}
	h := &WellKnownHosting{Construct: constructs.NewConstruct(scope, &id), files: files, region: region, props: *props}
	// S3 log delivery must write through a bucket policy: the buckets have
	// ACLs disabled, and the CDK's ACL-based default would throw. The flag
	// is set on this construct so that it holds in any app.
	h.Node().SetContext(jsii.String(serverAccessLogsFlag), true)
	if !props.DisableAccessLogs {
		h.logs = newAccessLogBucket(h.Construct, h.removal())
	}
	h.bucket = h.newContentBucket()
	if props.Domain != nil {
		if h.cdn, err = h.newCDN(); err != nil {
			return nil, fmt.Errorf("WellKnownHosting %s: %w", id, err)
		}
	}
	h.upload = awss3deployment.NewBucketDeployment(h.Construct, jsii.String("Upload"), &awss3deployment.BucketDeploymentProps{
		DestinationBucket:    h.bucket,
		DestinationKeyPrefix: jsii.String(linkfile.Prefix),
		Sources:              sources(files),
		ContentType:          jsii.String(ContentType),
		CacheControl:         &[]awss3deployment.CacheControl{awss3deployment.CacheControl_FromString(jsii.String(CacheControl))},
		// Prune is scoped to the destination prefix: a file removed from
		// assets/ disappears from .well-known/ and nothing else is touched.
		Prune:          jsii.Bool(true),
		RetainOnDelete: jsii.Bool(h.removal() == awscdk.RemovalPolicy_RETAIN),
		MemoryLimit:    jsii.Number(256),
		// With CloudFront in front, an upload invalidates the cached files
		// so a change is served at once, not after max-age.
		Distribution:      h.cdn.distributionOrNil(),
		DistributionPaths: h.cdn.invalidationPaths(),
	})
	if err := stabilizeOwnerTag(h.bucket, h.upload, linkfile.Prefix); err != nil {
		return nil, err
	}
	if err := h.deployTimeSafety(); err != nil {
		return nil, err
	}
	if err := suppressNagFindings(h); err != nil {
		return nil, err
	}
	return h, nil
}

// validate applies the rules of `wellknown check` to the props and returns
// the files to publish.
func (p *WellKnownHostingProps) validate(region, account string) ([]linkfile.File, error) {
	var errs []error
	if *awscdk.Token_IsUnresolved(region) {
		errs = append(errs, errors.New("the stack has no explicit region: set Env.Region on its StackProps (the redirect URL names the region)"))
	} else if !config.KnownRegion(region) {
		errs = append(errs, fmt.Errorf("stack region %q is not a public AWS region that Apple and Google can reach", region))
	}
	if err := config.CheckBucketName(p.BucketName); err != nil {
		errs = append(errs, fmt.Errorf("BucketName: %w", err))
	}
	switch p.RemovalPolicy {
	case "", awscdk.RemovalPolicy_RETAIN, awscdk.RemovalPolicy_DESTROY:
	default:
		errs = append(errs, fmt.Errorf("RemovalPolicy %q: use awscdk.RemovalPolicy_RETAIN or awscdk.RemovalPolicy_DESTROY", p.RemovalPolicy))
	}
	if p.Domain != nil {
		errs = append(errs, p.Domain.validate(region, account))
	}
	var files []linkfile.File
	var ps []diag.Problem
	switch {
	case p.Dir != "" && p.Files != nil:
		errs = append(errs, errors.New("set Files or Dir, not both"))
	case p.Dir != "":
		files, ps = linkfile.CheckDir(p.Dir)
	case len(p.Files) == 0:
		errs = append(errs, fmt.Errorf("no link files: set Files (%s and/or %s) or Dir", linkfile.AssetLinks, linkfile.AppleAppSiteAssociation))
	default:
		for _, name := range linkfile.Names {
			if data, ok := p.Files[name]; ok {
				files = append(files, linkfile.File{Name: name, Path: name, Data: data})
				ps = append(ps, linkfile.Validate(name, data)...)
			}
		}
		for name := range p.Files {
			if !linkfile.IsLinkFile(name) {
				ps = append(ps, linkfile.Validate(name, nil)...)
			}
		}
	}
	errs = append(errs, diag.Err(ps))
	return files, errors.Join(errs...)
}

func (h *WellKnownHosting) removal() awscdk.RemovalPolicy {
	if h.props.RemovalPolicy == awscdk.RemovalPolicy_DESTROY {
		return awscdk.RemovalPolicy_DESTROY
	}
	return awscdk.RemovalPolicy_RETAIN
}

func (h *WellKnownHosting) newContentBucket() awss3.Bucket {
	props := hardenedBucketProps(h.removal())
	props.BucketName = jsii.String(h.props.BucketName)
	// Only the bucket policy may make objects public; ACLs never can. A
	// bucket behind CloudFront is not public at all.
	props.BlockPublicAccess = awss3.BlockPublicAccess_BLOCK_ALL()
	if h.publicS3() {
		props.BlockPublicAccess = awss3.NewBlockPublicAccess(&awss3.BlockPublicAccessOptions{
			BlockPublicAcls:       jsii.Bool(true),
			IgnorePublicAcls:      jsii.Bool(true),
			BlockPublicPolicy:     jsii.Bool(false),
			RestrictPublicBuckets: jsii.Bool(false),
		})
	}
	props.Versioned = jsii.Bool(true)
	props.LifecycleRules = &[]*awss3.LifecycleRule{{
		Id:                                  jsii.String("expire-old-versions"),
		NoncurrentVersionExpiration:         awscdk.Duration_Days(jsii.Number(NoncurrentVersionDays)),
		AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
	}}
	if h.logs != nil {
		props.ServerAccessLogsBucket = h.logs
		props.ServerAccessLogsPrefix = jsii.String(h.props.BucketName + "/")
	}
	bucket := awss3.NewBucket(h.Construct, jsii.String("Bucket"), &props)
	wellKnownObjects := h.wellKnownObjects()
	if h.publicS3() {
		bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("PublicReadWellKnown"),
			Effect:     awsiam.Effect_ALLOW,
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    jsii.Strings("s3:GetObject"),
			// A literal ARN: reviewable in the template and provably limited
			// to the prefix. No s3:ListBucket, so missing keys answer 403.
			Resources: jsii.Strings(wellKnownObjects),
		}))
	}
	// BucketDeployment grants its handler write and delete on the whole
	// bucket; this deny bounds it (and everyone else) to .well-known/, so the
	// template itself shows that prune cannot reach any other key.
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:          jsii.String("DenyWritesOutsideWellKnown"),
		Effect:       awsiam.Effect_DENY,
		Principals:   &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:      jsii.Strings(writeActions...),
		NotResources: jsii.Strings(wellKnownObjects),
	}))
	return bucket
}

const serverAccessLogsFlag = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"

// publicS3 reports whether the bucket itself serves the files publicly.
func (h *WellKnownHosting) publicS3() bool {
	return h.props.Domain == nil || h.props.Domain.KeepS3Public
}

// wellKnownObjects is the ARN pattern of the published objects.
func (h *WellKnownHosting) wellKnownObjects() string {
	return config.BucketARN(h.props.BucketName, h.region) + "/" + linkfile.Prefix + "*"
}

// writeActions are the object writes the content bucket allows only under
// .well-known/.
var writeActions = []string{"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"}

// Source.data stages exactly the validated bytes, so what was checked is
// what gets published, whatever else lies in the directory.
func sources(files []linkfile.File) *[]awss3deployment.ISource {
	out := make([]awss3deployment.ISource, 0, len(files))
	for _, f := range files {
		out = append(out, awss3deployment.Source_Data(jsii.String(f.Name), jsii.String(string(f.Data)), nil))
	}
	return &out
}

// Bucket is the content bucket.
func (h *WellKnownHosting) Bucket() awss3.Bucket { return h.bucket }

// AccessLogBucket is the private bucket receiving the server access logs,
// or nil when they are disabled.
func (h *WellKnownHosting) AccessLogBucket() awss3.Bucket { return h.logs }

// Upload is the deployment of the files into .well-known/.
func (h *WellKnownHosting) Upload() awss3deployment.BucketDeployment { return h.upload }

// RedirectURL is the URL to register with Alexa and the identity provider
// (byte for byte, trailing slash included): https://<domain>/, or without
// a domain https://<bucket>.s3.<region>.<suffix>/.
func (h *WellKnownHosting) RedirectURL() string {
	if h.props.Domain != nil {
		return "https://" + h.props.Domain.Name + "/"
	}
	return h.S3URL()
}

// S3URL is the bucket's own root URL; it serves the files when there is no
// domain or the domain keeps S3 public.
func (h *WellKnownHosting) S3URL() string { return config.BucketURL(h.props.BucketName, h.region) }

// FileNames lists the published link files, in a stable order.
func (h *WellKnownHosting) FileNames() []string {
	var out []string
	for _, f := range h.files {
		out = append(out, f.Name)
	}
	return slices.Clip(out)
}

// FileURL is the public URL of a published link file.
func (h *WellKnownHosting) FileURL(name string) string { return linkfile.URL(h.RedirectURL(), name) }
