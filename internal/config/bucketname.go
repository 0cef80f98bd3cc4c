package config

import (
	"fmt"
	"net"
	"regexp"
	"strings"
)

var bucketNameShape = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)

// Reserved by S3 for access points, Object Lambda, Multi-Region Access
// Points, directory buckets and documentation examples.
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

// CheckBucketName applies every S3 general-purpose bucket naming rule plus
// this project's own: no dots, because a dotted name does not match the
// *.s3.<region>.amazonaws.com wildcard certificate and both Apple and Google
// then refuse the files. The error says what is wrong.
func CheckBucketName(name string) error {
	switch {
	case len(name) < 3 || len(name) > 63:
		return fmt.Errorf("%s is %d characters long; S3 bucket names must be 3 to 63 characters", quoted(name), len(name))
	case strings.Contains(name, "."):
		return fmt.Errorf("%s contains a dot; dotted bucket names break the TLS certificate of https://<bucket>.s3.<region>.amazonaws.com/, so Apple and Google reject the files", quoted(name))
	case !bucketNameShape.MatchString(name):
		return fmt.Errorf("%s may only contain lowercase letters, digits and hyphens, and must start and end with a letter or digit", quoted(name))
	case net.ParseIP(name) != nil:
		return fmt.Errorf("%s is formatted as an IP address, which S3 does not allow", quoted(name))
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return fmt.Errorf("%s starts with the reserved prefix %q", quoted(name), p)
		}
	}
	for _, s := range reservedBucketSuffixes {
		if strings.HasSuffix(name, s) {
			return fmt.Errorf("%s ends with the reserved suffix %q", quoted(name), s)
		}
	}
	return nil
}
