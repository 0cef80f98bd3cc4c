# WK-008: every CloudFront distribution serves HTTPS only, TLS 1.2+, GET
# and HEAD
#
# Why: REFERENCE.md "Serving rules" and "CloudFront facts": Apple and Google
# fetch the files over HTTPS and refuse redirects, so redirect-to-https only
# adds a 3xx that no verifier follows, and allow-all serves the files in
# clear text. The files are read, never written: only GET and HEAD.
# Required on AWS::CloudFront::Distribution.DistributionConfig:
#   - DefaultCacheBehavior and every CacheBehaviors entry: ViewerProtocolPolicy
#     "https-only"; AllowedMethods absent (CloudFront's default is GET, HEAD)
#     or exactly GET and HEAD;
#   - ViewerCertificate: MinimumProtocolVersion one of TLSv1.2_2021,
#     TLSv1.2_2025, TLSv1.3_2025; SslSupportMethod "sni-only"; not the
#     default *.cloudfront.net certificate (its minimum is TLSv1).

package cdk_rules.wellknown

import rego.v1

wk008 := "WK-008"

wk008_fix := "Configure the distribution as stacks/cdn.go does: ViewerProtocolPolicy https-only, AllowedMethods [GET, HEAD], ViewerCertificate with the domain's ACM certificate, MinimumProtocolVersion TLSv1.2_2021 and SslSupportMethod sni-only."

min_protocols := {"TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"}

cache_behaviors(d) := bs if {
	cfg := props(d).DistributionConfig
	others := [{"path": sprintf("Properties.DistributionConfig.CacheBehaviors.%d", [i]), "value": b} |
		some i, b in as_list(object.get(cfg, "CacheBehaviors", []))
	]
	bs := array.concat([{"path": "Properties.DistributionConfig.DefaultCacheBehavior", "value": object.get(cfg, "DefaultCacheBehavior", {})}], others)
}

violation contains v if {
	some d in resources_of_type(distribution_type)
	some b in cache_behaviors(d)
	object.get(b.value, "ViewerProtocolPolicy", "allow-all") != "https-only"
	v := make_diag_full(wk008, "ERROR", d, concat("", [b.path, ".ViewerProtocolPolicy"]),
		sprintf("Distribution %v serves with ViewerProtocolPolicy %v; Apple and Google fetch over HTTPS and refuse redirects, so it must be https-only", [d, object.get(b.value, "ViewerProtocolPolicy", "allow-all (the default)")]),
		wk008_fix, "security")
}

violation contains v if {
	some d in resources_of_type(distribution_type)
	some b in cache_behaviors(d)
	methods := object.get(b.value, "AllowedMethods", ["GET", "HEAD"])
	not get_head_only(methods)
	v := make_diag_full(wk008, "ERROR", d, concat("", [b.path, ".AllowedMethods"]),
		sprintf("Distribution %v allows %v; the link files are only read: GET and HEAD", [d, methods]),
		wk008_fix, "security")
}

violation contains v if {
	some d in resources_of_type(distribution_type)
	cert := object.get(props(d).DistributionConfig, "ViewerCertificate", {})
	not strong_viewer_certificate(cert)
	v := make_diag_full(wk008, "ERROR", d, "Properties.DistributionConfig.ViewerCertificate",
		sprintf("Distribution %v: ViewerCertificate must be the domain's ACM certificate with MinimumProtocolVersion TLSv1.2_2021 or newer and SslSupportMethod sni-only, got %v", [d, cert]),
		wk008_fix, "security")
}

get_head_only(methods) if {
	is_array(methods)
	count(methods) == 2
	{m | some m in methods} == {"GET", "HEAD"}
}

strong_viewer_certificate(cert) if {
	not is_true(object.get(cert, "CloudFrontDefaultCertificate", false))
	object.get(cert, "MinimumProtocolVersion", "") in min_protocols
	object.get(cert, "SslSupportMethod", "") == "sni-only"
}
