# WK-002: every bucket's policy denies requests without TLS
#
# Why: REFERENCE.md "Serving rules": both verifiers fetch over HTTPS only,
# and nothing in these buckets should ever be readable or writable in clear
# text. REFERENCE.md "CDK facts": enforceSSL adds the aws:SecureTransport
# deny; this rule makes sure every AWS::S3::Bucket of the template (content
# and access-log bucket) keeps it, whatever the construct code does.
#
# Required: an AWS::S3::BucketPolicy of that bucket (Ref or literal name) with
# a statement, not behind an Fn::If, that has
#   Effect Deny, Principal "*" or {"AWS": "*"}, Action "s3:*" (or "*"),
#   Condition exactly {"Bool": {"aws:SecureTransport": "false"}},
#   no NotAction / NotResource / NotPrincipal, and Resource covering both
#   the bucket (its Arn, or arn:<partition>:s3:::<name>) and its objects
#   (Arn + "/*", or the literal ARN + "/*"); "*" covers both.
# A narrower deny (extra condition keys, fewer actions or resources) does
# not count.

package cdk_rules.wellknown

import rego.v1

wk002 := "WK-002"

violation contains v if {
	some b in buckets
	not has_tls_deny(b)
	v := make_diag_full(wk002, "ERROR", b, "Properties",
		sprintf("Bucket %v has no bucket policy statement that denies s3:* on the bucket and its objects to everyone when aws:SecureTransport is false", [b]),
		"Set EnforceSSL: jsii.Bool(true) on the awss3.Bucket (it adds the aws:SecureTransport deny to the bucket policy) and do not override or remove that statement.",
		"security")
}

has_tls_deny(b) if {
	some s in statements
	s.bucket == b
	not is_object_conditional(s.policy, s.path)
	tls_deny(s)
}

# branches() expands an Fn::If statement into both branches; such a deny
# exists only under a condition, so it does not count.
is_object_conditional(p, path) if {
	some i, elem in as_list(props(p).PolicyDocument.Statement)
	path in {sprintf("Properties.PolicyDocument.Statement.%d", [i]), "Properties.PolicyDocument.Statement"}
	is_object(elem)
	elem.__conditional
}

tls_deny(s) if {
	st := s.value
	is_object(st)
	st.Effect == "Deny"
	not st.NotAction
	not st.NotResource
	not st.NotPrincipal
	deny_principal(st.Principal)
	some a in as_list(st.Action)
	a in {"s3:*", "*"}
	object.keys(st.Condition) == {"Bool"}
	object.keys(st.Condition.Bool) == {"aws:SecureTransport"}
	every c in as_list(st.Condition.Bool["aws:SecureTransport"]) {
		is_false(c)
	}
	entries := resource_entries(s)
	some r1 in entries
	covers_bucket(s.policy, r1, s.bucket)
	some r2 in entries
	covers_objects(s.policy, r2, s.bucket)
}

deny_principal(pr) if pr == "*"

deny_principal(pr) if {
	is_object(pr)
	object.keys(pr) == {"AWS"}
	every x in as_list(pr.AWS) {
		x == "*"
	}
}

covers_bucket(_, r, _) if r.value == "*"

covers_bucket(_, r, b) if {
	is_object(r.value)
	r.value.__kind == "getatt:Arn"
	r.value.__ref == b
}

covers_bucket(_, r, b) if is_literal_arn(r.value, b, "")

covers_objects(_, r, _) if r.value == "*"

covers_objects(p, r, b) if is_arn(p, r.path, r.value, b, "/*")
