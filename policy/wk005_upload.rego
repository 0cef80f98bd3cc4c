# WK-005: the upload writes application/json under .well-known/ only
#
# Why: REFERENCE.md "Serving rules": Google requires Content-Type
# application/json and Apple expects it; the AASA file has no extension, so
# without SystemMetadata content-type it would be served as
# binary/octet-stream. REFERENCE.md "CDK facts": BucketDeployment prunes
# (deletes) every key under its destination prefix that is not in the
# source, so the prefix must be exactly ".well-known/": without a prefix the
# upload owns, and prunes, the whole bucket; with another prefix the files
# land outside the public path.

package cdk_rules.wellknown

import rego.v1

wk005 := "WK-005"

violation contains v if {
	some d in resources_of_type(deployment_type)
	not props(d).SystemMetadata["content-type"] == content_type
	v := make_diag_full(wk005, "ERROR", d, "Properties.SystemMetadata.content-type",
		sprintf("BucketDeployment %v does not set content-type %s (found %v); assetlinks.json and the extensionless apple-app-site-association must be served as %s", [d, content_type, object.get(object.get(props(d), "SystemMetadata", {}), "content-type", "nothing"), content_type]),
		"Set ContentType: jsii.String(stacks.ContentType) on the awss3deployment.BucketDeployment.",
		"security")
}

violation contains v if {
	some d in resources_of_type(deployment_type)
	not props(d).DestinationBucketKeyPrefix == well_known_prefix
	v := make_diag_full(wk005, "ERROR", d, "Properties.DestinationBucketKeyPrefix",
		sprintf("BucketDeployment %v targets prefix %v; it must target exactly \"%v\" (no prefix means the whole bucket, and prune would delete every other key)", [d, object.get(props(d), "DestinationBucketKeyPrefix", "(none: whole bucket)"), well_known_prefix]),
		"Set DestinationKeyPrefix: jsii.String(stacks.WellKnownPrefix) on the awss3deployment.BucketDeployment.",
		"security")
}
