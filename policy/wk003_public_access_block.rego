# WK-003: ACLs are off everywhere; private buckets block all public access
#
# Why: REFERENCE.md "S3 facts": since April 2023 S3 disables ACLs
# (BucketOwnerEnforced) and blocks public access by default; the content
# bucket is made readable by its bucket policy alone, which needs only
# BlockPublicPolicy and RestrictPublicBuckets off, so BlockPublicAcls and
# IgnorePublicAcls stay on and ObjectOwnership stays BucketOwnerEnforced on
# every bucket: no object can be made public by an ACL.
#
# The access-log bucket (and any other bucket that is not the upload
# destination) holds nothing public, so all four Block Public Access flags
# are on there. Identification of that bucket (see private_buckets in
# lib.rego): a bucket is private when it is the
# LoggingConfiguration.DestinationBucketName of a bucket, OR when it is not
# the destination of a Custom::CDKBucketDeployment. The second clause keeps
# the rule in force when the logging link itself is broken; an environment
# without access logs ("accessLogs": false) has only the content bucket and
# no private bucket, so nothing is demanded. Flags may be booleans or the
# strings "true"/"false" (CloudFormation accepts both).

package cdk_rules.wellknown

import rego.v1

wk003 := "WK-003"

acl_flags := ["BlockPublicAcls", "IgnorePublicAcls"]

policy_flags := ["BlockPublicPolicy", "RestrictPublicBuckets"]

violation contains v if {
	some b in buckets
	some flag in acl_flags
	not is_true(object.get(object.get(props(b), "PublicAccessBlockConfiguration", {}), flag, null))
	v := make_diag_full(wk003, "ERROR", b, sprintf("Properties.PublicAccessBlockConfiguration.%s", [flag]),
		sprintf("Bucket %v: %s must be true; object ACLs must never make anything public (the content bucket is public through its bucket policy only)", [b, flag]),
		"Pass BlockPublicAccess with BlockPublicAcls and IgnorePublicAcls true (awss3.NewBlockPublicAccess for the content bucket, BlockPublicAccess_BLOCK_ALL() for any other bucket).",
		"security")
}

violation contains v if {
	some b in private_buckets
	some flag in policy_flags
	not is_true(object.get(object.get(props(b), "PublicAccessBlockConfiguration", {}), flag, null))
	v := make_diag_full(wk003, "ERROR", b, sprintf("Properties.PublicAccessBlockConfiguration.%s", [flag]),
		sprintf("Bucket %v is private (%v) but %s is not true; all four Block Public Access flags must be on", [b, private_reason(b), flag]),
		"Use BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL() on every bucket except the BucketDeployment destination.",
		"security")
}

violation contains v if {
	some b in buckets
	not bucket_owner_enforced(b)
	v := make_diag_full(wk003, "ERROR", b, "Properties.OwnershipControls",
		sprintf("Bucket %v: OwnershipControls must be exactly one rule with ObjectOwnership BucketOwnerEnforced (ACLs disabled)", [b]),
		"Set ObjectOwnership: awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED and do not set AccessControl.",
		"security")
}

bucket_owner_enforced(b) if {
	rules := as_list(props(b).OwnershipControls.Rules)
	count(rules) > 0
	every r in rules {
		r.ObjectOwnership == "BucketOwnerEnforced"
	}
}

private_reason(b) := "it receives access logs" if b in log_destinations

private_reason(b) := "it is not the BucketDeployment destination" if not b in log_destinations
