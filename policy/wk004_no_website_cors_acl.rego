# WK-004: no website hosting, CORS or canned ACL on any bucket
#
# Why: REFERENCE.md "S3 facts": the files are served from the regional REST
# endpoint https://<bucket>.s3.<region>.amazonaws.com/ over HTTPS. The S3
# website endpoint is HTTP-only (both verifiers require HTTPS and do not
# follow redirects, REFERENCE.md "Serving rules"), website routing rules can
# add redirects, and a website configuration is the usual first step to
# "publicReadAccess". The verifiers fetch server-side, so no browser needs
# CORS. A canned ACL (AccessControl, e.g. PublicRead) is rejected by
# BucketOwnerEnforced buckets and is the legacy way to go public (WK-003).

package cdk_rules.wellknown

import rego.v1

wk004 := "WK-004"

forbidden_bucket_properties := {
	"WebsiteConfiguration": "website hosting serves HTTP only and can redirect; Apple and Google need HTTPS without redirects from the REST endpoint (remove WebsiteIndexDocument/WebsiteErrorDocument/WebsiteRedirect/WebsiteRoutingRules)",
	"CorsConfiguration": "the verifiers fetch server-side and need no CORS; a CORS rule only widens browser access (remove Cors)",
	"AccessControl": "canned ACLs are disabled with BucketOwnerEnforced and must never make objects public (remove AccessControl; access is granted by the bucket policy only)",
}

violation contains v if {
	some b in buckets
	some key, why in forbidden_bucket_properties
	key in object.keys(props(b))
	v := make_diag_full(wk004, "ERROR", b, sprintf("Properties.%s", [key]),
		sprintf("Bucket %v sets %s: %s", [b, key, why]),
		sprintf("Remove %s from the bucket (construct props or escape-hatch override).", [key]),
		"security")
}
