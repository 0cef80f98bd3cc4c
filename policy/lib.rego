# Shared helpers for the wellknown rules (WK-001 … WK-008).
#
# All files in policy/ share the package cdk_rules.wellknown; the engine
# (@aws/cloudformation-validate, bundled in aws-cdk-lib) merges files of one
# package, so the helpers below are defined exactly once. The package name
# must not collide with one of the engine's own packages (best_practices,
# intrinsics, structure, references, resources, ...): a custom rule in such a
# package crashes the engine. cdk_rules.<name> is the CDK's own convention.
#
# How the engine presents the template to a rule (verified on synthesized
# templates; policy/engine_test.go keeps these assumptions tested):
#   input.resources[logicalId].resourceType / .properties / .outgoingRefs
#   - {"Ref": X}               -> {"__kind": "resource", "__ref": X}
#   - {"Fn::GetAtt": [X, "A"]} -> {"__kind": "getatt:A", "__ref": X}
#   - Fn::Join/Fn::Sub with a reference -> {"__dynamic": "Join:...{ref:X}..."}
#     (Ref and every GetAtt attribute render the same "{ref:X}", so the
#     attribute is read from outgoingRefs, keyed by the property path)
#   - Fn::If -> {"__conditional": C, "__if_true": T, "__if_false": F}
#   - pseudo parameters (AWS::Partition, ...) are substituted.
# resolve(name, path) strips "__kind", picks the true branch of an Fn::If
# and returns undefined for a dynamic Fn::Join, so these rules read
# input.resources[...].properties directly and treat both Fn::If branches as
# possible values. The engine has no walk() builtin and Rego forbids
# recursion, so one level of Fn::If is expanded; a value still conditional
# after that is treated as the unsafe case (a public principal, an Allow,
# a resource or action that is not the allowed one).
#
# Writing rules for this engine (regorus-based, not OPA):
#   - A sprintf verb that does not fit its argument (%q at all, %d on a
#     string) or a concat of a non-string makes the expression undefined,
#     with no error: the violation silently disappears. Use %v, and %s on
#     strings; policy_test.go rejects %q.
#   - A compile or evaluation error (an unsafe variable, a conflicting
#     function result, an unknown builtin such as walk) makes the engine
#     throw, which fails every synthesis: the rules fail closed.
#   - Comprehensions in a rule head, or with a guard before their "some",
#     can fail to schedule ("statements not scheduled"); bind them in the
#     body.
#   - make_diag_full(id, severity, logicalId, path, message, fix, url)
#     gives the report its "Suggested fix"; its seventh argument is the
#     engine's documentation URL, which the CDK's report does not show (it
#     is not a category). The report has one violation per rule, severity
#     and "<path without Properties.>: <message>", listing every resource
#     with that finding.
#
# These rules no longer run in the engine itself: policy.Plugin evaluates
# them with OPA, reproducing the engine (model, builtins, sprintf,
# diagnostics; see policy/policy.go), and refuses what it cannot reproduce
# (a builtin not compared with the engine's, a sprintf verb other than %v,
# %s and %d, a field of the engine's model that the Go model lacks, an
# intrinsic function it does not model). policy/engine_test.go runs both
# on every test template and requires the same diagnostics.

package cdk_rules.wellknown

import rego.v1

bucket_type := "AWS::S3::Bucket"

policy_type := "AWS::S3::BucketPolicy"

deployment_type := "Custom::CDKBucketDeployment"

# The public prefix (stacks.WellKnownPrefix) and the media type of both files
# (stacks.ContentType; REFERENCE.md "Serving rules": Google requires
# application/json, Apple expects it).
well_known_prefix := ".well-known/"

content_type := "application/json"

props(name) := p if {
	p := input.resources[name].properties
	is_object(p)
} else := {}

as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

is_true(x) if x == true

is_true(x) if x == "true"

is_false(x) if x == false

is_false(x) if x == "false"

# The values an authored value may take: both branches of an Fn::If.
branches(x) := [x.__if_true, x.__if_false] if {
	is_object(x)
	x.__conditional
} else := [x]

buckets := {name | some name in resources_of_type(bucket_type)}

# The bucket a Ref / literal name / ARN value points to: a Ref to a bucket of
# this template, or a literal equal to a bucket's literal BucketName.
bucket_of(v) := b if {
	is_object(v)
	b := v.__ref
	b in buckets
}

bucket_of(v) := b if {
	is_string(v)
	some b in buckets
	props(b).BucketName == v
}

# The literal bucket name, when the template sets one.
literal_name(b) := n if {
	n := props(b).BucketName
	is_string(n)
}

# ------------------------------------------------------------------ roles --

# Upload destinations: the buckets a BucketDeployment writes to.
deployment_destinations contains b if {
	some d in resources_of_type(deployment_type)
	b := bucket_of(props(d).DestinationBucketName)
}

# Log buckets: targets of a LoggingConfiguration.DestinationBucketName.
log_destinations contains b if {
	some s in buckets
	b := bucket_of(props(s).LoggingConfiguration.DestinationBucketName)
}

# Content buckets: the upload destination, and any bucket whose policy has a
# public Allow statement (WK-001 separately reports a public statement on a
# bucket that is not the upload destination).
content_buckets contains b if some b in deployment_destinations

content_buckets contains b if {
	some s in public_allow_statements
	b := s.bucket
}

# Private buckets must block all public access (WK-003). A bucket is private
# when it receives access logs, or when it is not the upload destination.
# The second clause is what makes the identification robust: deleting the
# content bucket's LoggingConfiguration (or adding a second, unrelated
# bucket) cannot turn a bucket into one that may be public; only being the
# BucketDeployment destination can, and a log destination never can.
private_buckets contains b if some b in log_destinations

private_buckets contains b if {
	some b in buckets
	not b in deployment_destinations
}

# --------------------------------------------------------------- policies --

# The bucket a policy belongs to, or "" for a bucket outside this template.
policy_bucket(p) := b if {
	b := bucket_of(props(p).Bucket)
} else := ""

# Every statement of every bucket policy, with its property path and the
# bucket it belongs to. A statement behind an Fn::If yields both branches.
statements contains s if {
	some p in resources_of_type(policy_type)
	doc := props(p).PolicyDocument
	raw := doc.Statement
	is_array(raw)
	some i, elem in raw
	some value in branches(elem)
	value != null
	s := {
		"policy": p,
		"bucket": policy_bucket(p),
		"path": sprintf("Properties.PolicyDocument.Statement.%d", [i]),
		"value": value,
	}
}

statements contains s if {
	some p in resources_of_type(policy_type)
	raw := props(p).PolicyDocument.Statement
	is_object(raw)
	some value in branches(raw)
	value != null
	s := {
		"policy": p,
		"bucket": policy_bucket(p),
		"path": "Properties.PolicyDocument.Statement",
		"value": value,
	}
}

# A principal is public when it is "*" or any principal type (AWS, ...)
# lists "*". Both Fn::If branches count; a nested Fn::If counts as public.
public_principal(pr) if {
	some v in branches(pr)
	v == "*"
}

public_principal(pr) if {
	some v in branches(pr)
	is_conditional(v)
}

public_principal(pr) if {
	some v in branches(pr)
	is_object(v)
	some key, val in v
	not startswith(key, "__")
	some item in as_list(val)
	some x in branches(item)
	public_value(x)
}

public_value(x) if x == "*"

public_value(x) if is_conditional(x)

is_conditional(x) if {
	is_object(x)
	x.__conditional
}

is_allow(st) if {
	is_object(st)
	some e in branches(st.Effect)
	e == "Allow"
}

is_allow(st) if {
	is_object(st)
	some e in branches(st.Effect)
	is_conditional(e)
}

public_allow_statements contains s if {
	some s in statements
	is_allow(s.value)
	public_principal(s.value.Principal)
}

# The references the engine recorded for the value at property path `path`
# of resource `name` (the path itself or anything below it).
refs_at(name, path) := [e |
	some e in input.resources[name].outgoingRefs
	ref_under(e.sourcePath, path)
]

ref_under(p, path) if p == path

ref_under(p, path) if startswith(p, concat("", [path, "."]))

# v is exactly Fn::Join["", [Fn::GetAtt[b, "Arn"], suffix]] (any split of
# the literal part). A Ref, another attribute, another bucket or any extra
# reference in the join does not match.
is_arn_join(name, path, v, b, suffix) if {
	is_object(v)
	v.__dynamic == sprintf("Join:{ref:%s}%s", [b, suffix])
	refs := refs_at(name, path)
	count(refs) == 1
	refs[0].kind == "GetAtt"
	refs[0].attr == "Arn"
	refs[0].target == b
}

# v is the literal ARN arn:<partition>:s3:::<literal bucket name><suffix>.
is_literal_arn(v, b, suffix) if {
	is_string(v)
	parts := split(v, ":")
	count(parts) == 6
	parts[0] == "arn"
	regex.match(`^aws(-[a-z]+)*$`, parts[1])
	parts[2] == "s3"
	parts[3] == ""
	parts[4] == ""
	parts[5] == concat("", [literal_name(b), suffix])
}

is_arn(name, path, v, b, suffix) if is_arn_join(name, path, v, b, suffix)

is_arn(name, path, v, b, suffix) if is_literal_arn(v, b, suffix)

# Resource entries of a statement, with their property paths.
resource_entries(s) := entries if {
	resources := s.value.Resource
	is_array(resources)
	entries := [e |
		some j, r in resources
		e := {"path": sprintf("%s.Resource.%d", [s.path, j]), "value": r}
	]
}

resource_entries(s) := [{"path": sprintf("%s.Resource", [s.path]), "value": s.value.Resource}] if {
	not is_array(s.value.Resource)
	s.value.Resource
}

resource_entries(s) := [] if not s.value.Resource
