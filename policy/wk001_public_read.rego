# WK-001: the only public grant is s3:GetObject on <content bucket>/.well-known/*
#
# Why: the product is two anonymous-readable files (REFERENCE.md "Serving
# rules"); everything else in the bucket stays private. REFERENCE.md "S3
# facts": a bucket policy alone grants the public read (BlockPublicPolicy and
# RestrictPublicBuckets are off on the content bucket), so this statement is
# the single control between the internet and the bucket. No s3:ListBucket
# (a missing key answers 403, not 404, and that is intended), no writes, no
# wildcards, no other prefix. REFERENCE.md "CDK facts": publicReadAccess
# grants "/*", so a construct default must never be the source of the grant.
#
# Checked on every AWS::S3::BucketPolicy statement with Effect Allow and a
# public principal ("*", {"AWS": "*"}, or a list containing "*"; both
# branches of an Fn::If):
#   - the bucket is the BucketDeployment destination (only it may be public);
#   - no NotAction / NotResource (and no NotPrincipal on any Allow: "everyone
#     except X" is public);
#   - every Action is s3:GetObject (case-insensitive, as in IAM);
#   - every Resource is exactly arn:<partition>:s3:::<bucket>/.well-known/*,
#     as a literal (partition aws, aws-cn, aws-us-gov, ...; the bucket's
#     literal BucketName) or as Fn::Join ["", [Fn::GetAtt [<bucket>, Arn],
#     "/.well-known/*"]]. "/*", "*", Ref instead of Arn, Fn::Sub, another
#     bucket: all violations.
# Non-public statements (the CDK's auto-delete role, logging.s3.amazonaws.com
# on the log bucket, the aws:SecureTransport denies) are not matched.

package cdk_rules.wellknown

import rego.v1

wk001 := "WK-001"

wk001_fix := "Grant public read only with bucket.AddToResourcePolicy(PolicyStatement{Effect: ALLOW, Principals: [AnyPrincipal], Actions: [\"s3:GetObject\"], Resources: [\"arn:<partition>:s3:::<bucket>/.well-known/*\"]}) on the content bucket, as stacks/wellknown.go does; never publicReadAccess or GrantPublicAccess() without the .well-known/* key pattern."

violation contains v if {
	some s in statements
	is_conditional(s.value)
	v := make_diag_full(wk001, "ERROR", s.policy, s.path,
		"Bucket policy statement is behind nested Fn::If conditions; it cannot be verified that it grants no public access beyond s3:GetObject on .well-known/*",
		"Do not put bucket policy statements behind nested conditions; declare the statement directly.", "security")
}

violation contains v if {
	some s in statements
	is_allow(s.value)
	s.value.NotPrincipal
	v := make_diag_full(wk001, "ERROR", s.policy, concat("", [s.path, ".NotPrincipal"]),
		"Allow statement with NotPrincipal grants access to everyone except the listed principals, which makes it public; the content bucket's only public statement must name Principal \"*\" and grant s3:GetObject on .well-known/*",
		wk001_fix, "security")
}

violation contains v if {
	some s in public_allow_statements
	some key in ["NotAction", "NotResource"]
	s.value[key]
	v := make_diag_full(wk001, "ERROR", s.policy, sprintf("%s.%s", [s.path, key]),
		sprintf("Public Allow statement uses %s, which grants everything not listed; the public statement may only grant Action s3:GetObject on Resource .well-known/*", [key]),
		wk001_fix, "security")
}

violation contains v if {
	some s in public_allow_statements
	not s.bucket in deployment_destinations
	v := make_diag_full(wk001, "ERROR", s.policy, concat("", [s.path, ".Principal"]),
		sprintf("Public Allow statement on bucket %v, which is not the BucketDeployment destination; only the content bucket may be public (access-log and other buckets must stay private)", [bucket_label(s.bucket, s.policy)]),
		"Remove the public statement from this bucket's policy.", "security")
}

violation contains v if {
	some s in public_allow_statements
	some j, a in as_list(object.get(s.value, "Action", []))
	not is_get_object(a)
	v := make_diag_full(wk001, "ERROR", s.policy, action_path(s, j),
		sprintf("Public Allow statement grants action %v; the public statement may grant only s3:GetObject (no s3:*, s3:Get*, s3:ListBucket, writes or wildcards)", [a]),
		wk001_fix, "security")
}

violation contains v if {
	some s in public_allow_statements
	not s.value.Action
	not s.value.NotAction
	v := make_diag_full(wk001, "ERROR", s.policy, s.path,
		"Public Allow statement has no Action; the public statement must grant exactly s3:GetObject",
		wk001_fix, "security")
}

violation contains v if {
	some s in public_allow_statements
	some r in resource_entries(s)
	not is_arn(s.policy, r.path, r.value, s.bucket, "/.well-known/*")
	v := make_diag_full(wk001, "ERROR", s.policy, r.path,
		sprintf("Public Allow statement grants resource %v; the only public resource is arn:<partition>:s3:::%v/.well-known/* (literal ARN with the bucket's literal name, or Fn::Join of the bucket's Arn and \"/.well-known/*\")", [render(s.policy, r.path, r.value), bucket_label(s.bucket, s.policy)]),
		wk001_fix, "security")
}

is_get_object(a) if {
	is_string(a)
	lower(a) == "s3:getobject"
}

action_path(s, j) := sprintf("%s.Action.%d", [s.path, j]) if is_array(s.value.Action)

action_path(s, _) := sprintf("%s.Action", [s.path]) if not is_array(s.value.Action)

bucket_label(b, p) := n if {
	n := literal_name(b)
} else := b if {
	b != ""
} else := sprintf("(not in this template; policy %v)", [p])

# A readable form of a resource value for messages: literal, or the engine's
# rendering of the Fn::Join plus the references it contains.
render(p, path, x) := out if {
	is_object(x)
	x.__dynamic
	labels := [label |
		some e in refs_at(p, path)
		label := ref_label(e)
	]
	out := sprintf("%v (references: %v)", [x.__dynamic, concat(", ", labels)])
} else := sprintf("Fn::GetAtt %v.%v", [x.__ref, substring(x.__kind, 7, -1)]) if {
	is_object(x)
	startswith(x.__kind, "getatt:")
} else := sprintf("Ref %v", [x.__ref]) if {
	is_object(x)
	x.__kind == "resource"
} else := x

ref_label(e) := sprintf("GetAtt %v.%v", [e.target, e.attr]) if e.kind == "GetAtt"

else := sprintf("%v %v", [e.kind, e.target])
