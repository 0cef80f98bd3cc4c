package config

import "fmt"

// stackPrefix begins every environment's stack name.
const stackPrefix = "WellKnown-"

// StackName is the CloudFormation stack of the environment.
func (e Environment) StackName() string { return stackPrefix + e.Name }

// CertStackName is the us-east-1 stack that holds the certificate of the
// environment's custom domain when the certificate is created and the
// environment's region is another.
func (e Environment) CertStackName() string { return "WellKnownCert-" + e.Name }

// HasCertStack reports whether the environment's deployment includes
// CertStackName in CertificateRegion: its domain's certificate is created
// (no certificateArn) and CloudFront takes certificates only from
// CertificateRegion, which is not the environment's region.
func (e Environment) HasCertStack() bool {
	return e.Domain != nil && e.Domain.CertificateARN == "" && e.Region != CertificateRegion
}

// Host is where the files are served: the custom domain, or else the
// regional virtual-hosted S3 endpoint of the bucket (the legacy global
// endpoint can answer 307 for a day after creation, and both verifiers
// treat redirects as failure, so only the regional form is used).
func (e Environment) Host() string {
	if e.Domain != nil {
		return e.Domain.Name
	}
	return bucketHost(e.BucketName, e.Region)
}

// RedirectURL is the URL to register with Alexa and the identity provider;
// they compare it byte for byte, so the trailing slash is part of it.
func (e Environment) RedirectURL() string { return "https://" + e.Host() + "/" }

// S3URL is the bucket's own root URL, which serves the files when there is
// no domain or the domain keeps S3 public.
func (e Environment) S3URL() string { return BucketURL(e.BucketName, e.Region) }

// PublicS3 reports whether the bucket itself is public.
func (e Environment) PublicS3() bool { return e.Domain == nil || e.Domain.KeepS3Public }

// BucketARN is the bucket's ARN, known at synth time.
func (e Environment) BucketARN() string { return BucketARN(e.BucketName, e.Region) }

// bucketHost is the regional virtual-hosted S3 endpoint of a bucket.
func bucketHost(bucket, region string) string {
	return fmt.Sprintf("%s.s3.%s.%s", bucket, region, partitionOf(region).DomainSuffix)
}

// BucketURL is the root URL of a bucket: https://<host>/.
func BucketURL(bucket, region string) string { return "https://" + bucketHost(bucket, region) + "/" }

// BucketARN is the ARN of a bucket in region's partition.
func BucketARN(bucket, region string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", partitionOf(region).ID, bucket)
}
