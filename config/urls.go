package config

import (
	"fmt"
	"path/filepath"
)

// StackName is the CloudFormation stack of the environment.
func (e Environment) StackName() string { return "WellKnown-" + e.Name }

// Partition is the AWS partition of the environment's region.
func (e Environment) Partition() Partition { return PartitionOf(e.Region) }

// Host is the regional virtual-hosted S3 endpoint of the bucket. The legacy
// global endpoint can answer 307 for a day after creation, and both
// verifiers treat redirects as failure, so only the regional form is used.
func (e Environment) Host() string {
	return fmt.Sprintf("%s.s3.%s.%s", e.BucketName, e.Region, e.Partition().DomainSuffix)
}

// RedirectURL is the URL to register with Alexa and the identity provider;
// they compare it byte for byte, so the trailing slash is part of it.
func (e Environment) RedirectURL() string { return "https://" + e.Host() + "/" }

// FileURL is where a .well-known file of the environment is served.
func (e Environment) FileURL(name string) string {
	return e.RedirectURL() + ".well-known/" + name
}

// WellKnownDir is the local directory whose files are published.
func (e Environment) WellKnownDir() string { return filepath.Join(e.AssetsDir, ".well-known") }

// BucketARN is the bucket's ARN, known at synth time.
func (e Environment) BucketARN() string {
	return fmt.Sprintf("arn:%s:s3:::%s", e.Partition().ID, e.BucketName)
}
