# WK-007: the content bucket (the BucketDeployment destination) grants nothing but the public read and
# CloudFront's read of .well-known/*
#
# Why: REFERENCE.md "CloudFront facts": with a custom domain, CloudFront
# reads the bucket through Origin Access Control, and the bucket policy
# grant is what makes that possible; S3BucketOrigin.withOriginAccessControl
# would grant <bucket>/* and a hand-written grant can name the wrong
# distribution or none. Every Allow statement of a content bucket's policy
# must therefore be one of:
#   - the public read of .well-known/* (checked in detail by WK-001);
#   - Principal exactly {"Service": "cloudfront.amazonaws.com"} (no other
#     service or principal beside it), Action exactly s3:GetObject, Resource
#     only arn:<partition>:s3:::<bucket>/.well-known/* (literal or Fn::Join
#     of the bucket's Arn), no NotAction/NotResource, and Condition exactly
#     {"StringEquals": {"AWS:SourceArn": <one value, nothing but
#     arn:<partition>:cloudfront::<account>:distribution/ and the Ref of an
#     AWS::CloudFront::Distribution of this template>}}. The account is the
#     one thing a rule cannot check, since the template does not name its
#     own: stacks/cdn.go takes it from the stack;
#   - the CDK's S3 auto-delete handler: Principal {"AWS": GetAtt R.Arn} where
#     R is the Role of the function that a Custom::S3AutoDeleteObjects of
#     this very bucket calls ("destroy" environments).
# Anything else — another service, an account, a role of the template — is
# a grant the product does not need.

package cdk_rules.wellknown

import rego.v1

wk007 := "WK-007"

distribution_type := "AWS::CloudFront::Distribution"

wk007_fix := "Grant CloudFront only with the statement of stacks/cdn.go: Principal cloudfront.amazonaws.com, Action s3:GetObject, Resource arn:<partition>:s3:::<bucket>/.well-known/*, Condition StringEquals AWS:SourceArn = arn:<partition>:cloudfront::<account>:distribution/<this distribution>."

violation contains v if {
	some s in statements
	s.bucket in deployment_destinations
	is_allow(s.value)
	not public_principal(s.value.Principal)
	not cloudfront_principal(s.value.Principal)
	not auto_delete_grant(s)
	v := make_diag_full(wk007, "ERROR", s.policy, concat("", [s.path, ".Principal"]),
		sprintf("Content bucket %v grants %v; its only grants may be the public read and CloudFront's read of .well-known/*, and the CDK's auto-delete handler", [bucket_label(s.bucket, s.policy), s.value.Principal]),
		wk007_fix, "security")
}

violation contains v if {
	some s in cloudfront_grants
	some key in ["NotAction", "NotResource"]
	s.value[key]
	v := make_diag_full(wk007, "ERROR", s.policy, sprintf("%s.%s", [s.path, key]),
		sprintf("CloudFront's Allow statement uses %s, which grants everything not listed; it may only grant s3:GetObject on .well-known/*", [key]),
		wk007_fix, "security")
}

violation contains v if {
	some s in cloudfront_grants
	actions := as_list(object.get(s.value, "Action", []))
	not single_get_object(actions)
	v := make_diag_full(wk007, "ERROR", s.policy, concat("", [s.path, ".Action"]),
		sprintf("CloudFront's Allow statement grants %v; CloudFront needs only s3:GetObject", [object.get(s.value, "Action", "no action")]),
		wk007_fix, "security")
}

violation contains v if {
	some s in cloudfront_grants
	some r in resource_entries(s)
	not is_arn(s.policy, r.path, r.value, s.bucket, "/.well-known/*")
	v := make_diag_full(wk007, "ERROR", s.policy, r.path,
		sprintf("CloudFront's Allow statement grants resource %v; CloudFront may read arn:<partition>:s3:::%v/.well-known/* only", [render(s.policy, r.path, r.value), bucket_label(s.bucket, s.policy)]),
		wk007_fix, "security")
}

violation contains v if {
	some s in cloudfront_grants
	count(resource_entries(s)) == 0
	v := make_diag_full(wk007, "ERROR", s.policy, s.path,
		"CloudFront's Allow statement names no Resource; it must grant .well-known/* only", wk007_fix, "security")
}

violation contains v if {
	some s in cloudfront_grants
	not source_is_distribution(s)
	v := make_diag_full(wk007, "ERROR", s.policy, concat("", [s.path, ".Condition"]),
		"CloudFront's Allow statement is not limited to a distribution of this stack; without Condition StringEquals AWS:SourceArn = this distribution's ARN any CloudFront distribution, in any account, could read the bucket",
		wk007_fix, "security")
}

violation contains v if {
	some s in cloudfront_grants
	not only_cloudfront(s.value.Principal)
	v := make_diag_full(wk007, "ERROR", s.policy, concat("", [s.path, ".Principal"]),
		sprintf("CloudFront's Allow statement names %v; beside cloudfront.amazonaws.com it would grant the others the same read", [s.value.Principal]),
		wk007_fix, "security")
}

cloudfront_grants contains s if {
	some s in statements
	s.bucket in deployment_destinations
	is_allow(s.value)
	cloudfront_principal(s.value.Principal)
}

cloudfront_principal(pr) if {
	is_object(pr)
	some x in as_list(pr.Service)
	x == "cloudfront.amazonaws.com"
}

only_cloudfront(pr) if {
	object.keys(pr) == {"Service"}
	others := [x | some x in as_list(pr.Service); x != "cloudfront.amazonaws.com"]
	count(others) == 0
}

single_get_object(actions) if {
	count(actions) == 1
	is_get_object(actions[0])
}

# The condition is exactly StringEquals AWS:SourceArn, and the value
# references a distribution of this template.
source_is_distribution(s) if {
	cond := s.value.Condition
	object.keys(cond) == {"StringEquals"}
	object.keys(cond.StringEquals) == {"AWS:SourceArn"}
	refs := refs_at(s.policy, concat("", [s.path, ".Condition"]))
	count(refs) == 1
	refs[0].kind == "Ref"
	input.resources[refs[0].target].resourceType == distribution_type
	distribution_arn(cond.StringEquals["AWS:SourceArn"], refs[0].target)
}

# One value (a list would admit other distributions beside this one) that is
# this distribution's ARN and nothing else.
distribution_arn(v, dist) if {
	is_object(v)
	regex.match(`^[A-Za-z0-9]+$`, dist) # a logical ID: nothing to escape below
	regex.match(sprintf(`^Join:arn:aws(-[a-z]+)*:cloudfront::[0-9]{12}:distribution/\{ref:%s\}$`, [dist]), v.__dynamic)
}

# The CDK's auto-delete handler of this bucket: the principal is the Arn
# of role R, R is the Role of function F, and a Custom::S3AutoDeleteObjects
# whose BucketName is this bucket calls F.
auto_delete_grant(s) if {
	refs := refs_at(s.policy, concat("", [s.path, ".Principal"]))
	count(refs) == 1
	refs[0].kind == "GetAtt"
	refs[0].attr == "Arn"
	role := refs[0].target
	input.resources[role].resourceType == "AWS::IAM::Role"
	some fn, res in input.resources
	res.resourceType == "AWS::Lambda::Function"
	some fr in refs_at(fn, "Properties.Role")
	fr.target == role
	some cr in resources_of_type("Custom::S3AutoDeleteObjects")
	some tr in refs_at(cr, "Properties.ServiceToken")
	tr.target == fn
	bucket_of(props(cr).BucketName) == s.bucket
}
