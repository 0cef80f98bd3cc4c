# WK-006: the content bucket is versioned
#
# Why: the upload overwrites and prunes the published files in place
# (REFERENCE.md "CDK facts": prune deletes keys not in the source); with
# versioning a bad deploy or an accidental delete can be rolled back to the
# previous object version, and stacks.NoncurrentVersionDays bounds the cost.
# The content bucket is the BucketDeployment destination, plus any bucket
# with a public Allow statement (see content_buckets in lib.rego).

package cdk_rules.wellknown

import rego.v1

wk006 := "WK-006"

violation contains v if {
	some b in content_buckets
	not props(b).VersioningConfiguration.Status == "Enabled"
	v := make_diag_full(wk006, "ERROR", b, "Properties.VersioningConfiguration.Status",
		sprintf("Content bucket %v is not versioned (VersioningConfiguration.Status %v); overwritten or pruned .well-known files could not be restored", [b, object.get(object.get(props(b), "VersioningConfiguration", {}), "Status", "unset")]),
		"Set Versioned: jsii.Bool(true) on the content bucket (keep the noncurrent-version lifecycle rule).",
		"security")
}
