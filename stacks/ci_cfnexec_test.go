package stacks_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/acme/wellknown/internal/cdkapp"
	"github.com/acme/wellknown/internal/ciroles"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/stacks"
)

// The WellKnown stacks of the example configuration and of custom-domain
// variants, synthesized by the app's own path (cdkapp.AddStacks, which adds
// the WellKnownCert-<env> stacks too), must be deployable with nothing but
// wellknown-cfn-exec: every resource type and property they contain is in
// the mapping of cfnexec.go, every intrinsic function that makes
// CloudFormation call a service is too, and the policy that the CI stack of
// their account synthesizes (cdkapp.AddCIStacks) allows every action of
// the mapping on the ARN the resource will have. A new resource type,
// property or function fails here until the mapping, and so the policy,
// follows.
func TestCFNExecCoversWellKnownStacks(t *testing.T) {
	ctx, targets := exampleTargets(t)
	// Plus the longest environment name the CI stack accepts, where
	// CloudFormation shortens the generated names the most.
	long := targets[0]
	long.Env.Name = "a-very-long-environment-name-xyz"
	long.Env.BucketName = "wellknown-long-" + long.Env.Account
	targets = append(targets, long)
	targets = append(targets, domainVariants(t)...)
	outdir := filepath.Join(scratch, "cfnexec-wellknown")
	var certStacks []string
	err := synthTo(t, ctx, outdir, func(app awscdk.App) (err error) {
		certStacks, err = cdkapp.AddStacks(app, targets)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	policies := ciPolicies(t, targets)
	seen := map[string]bool{}
	var wantCertStacks []string
	for _, target := range targets {
		env := target.Env
		stacksOf := []struct{ name, region string }{{env.StackName(), env.Region}}
		if env.HasCertStack() {
			stacksOf = append(stacksOf, struct{ name, region string }{env.CertStackName(), config.CertificateRegion})
			wantCertStacks = append(wantCertStacks, env.CertStackName())
		}
		for _, s := range stacksOf {
			c := coverage{t: t, stack: s.name, account: env.Account, region: s.region,
				partition: ciroles.Partition(s.region), tmpl: readTemplate(t, outdir, s.name), policy: policies[env.Account]}
			c.check(seen)
		}
	}
	if !slices.Equal(certStacks, wantCertStacks) {
		t.Errorf("certificate stacks %v, want %v", certStacks, wantCertStacks)
	}
	// The stacks must exercise what the mapping is for.
	for _, want := range []string{
		"AWS::S3::Bucket", "AWS::Lambda::Function", "AWS::IAM::Role", "Custom::CDKBucketDeployment", "Custom::S3AutoDeleteObjects",
		"AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl", "AWS::CertificateManager::Certificate",
		"AWS::Route53::RecordSet", "AWS::Logs::DeliverySource", "AWS::Logs::DeliveryDestination", "AWS::Logs::Delivery",
		"Fn::GetStackOutput",
	} {
		if !seen[want] {
			t.Errorf("the stacks contain no %s; the coverage test no longer sees it", want)
		}
	}
}

// ciPolicies synthesizes, by the app's own path, the CI stack of every
// account of the targets and returns each account's wellknown-cfn-exec
// statements.
func ciPolicies(t *testing.T, targets []preflight.Target) map[string][]interface{} {
	t.Helper()
	cfg := config.Config{CI: &config.CI{Repository: ciRepo}, Qualifier: config.DefaultQualifier}
	for _, target := range targets {
		cfg.Environments = append(cfg.Environments, target.Env)
		cfg.CI.Promotion = append(cfg.CI.Promotion, target.Env.Name)
	}
	ctx, _ := exampleTargets(t)
	outdir := filepath.Join(scratch, "cfnexec-ci")
	var names []string
	err := synthTo(t, ctx, outdir, func(app awscdk.App) (err error) {
		names, err = cdkapp.AddCIStacks(app, cfg)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]interface{}{}
	for _, target := range targets {
		a := target.Env.Account
		if out[a] != nil {
			continue
		}
		if !slices.Contains(names, ciroles.StackName(a)) {
			t.Fatalf("no CI stack for account %s: %v", a, names)
		}
		out[a] = cfnExecStatementsOf(t, readTemplate(t, outdir, ciroles.StackName(a)))
	}
	return out
}

// cfnExecStatementsOf returns the statements of a CI stack's
// wellknown-cfn-exec policy.
func cfnExecStatementsOf(t *testing.T, tmpl map[string]interface{}) []interface{} {
	t.Helper()
	for _, p := range resourcesOfType(tmpl, "AWS::IAM::ManagedPolicy") {
		props := p["Properties"].(map[string]interface{})
		if props["ManagedPolicyName"] == ciroles.CFNExecPolicyName {
			return asList(props["PolicyDocument"].(map[string]interface{})["Statement"])
		}
	}
	t.Fatalf("no %s policy", ciroles.CFNExecPolicyName)
	return nil
}

type coverage struct {
	t                                 *testing.T
	stack, account, region, partition string
	tmpl                              map[string]interface{}
	policy                            []interface{}
}

// check requires what one template needs: its resources, its parameters
// and the intrinsic functions it uses. seen collects the types and
// functions met.
func (c coverage) check(seen map[string]bool) {
	c.t.Helper()
	resources := c.tmpl["Resources"].(map[string]interface{})
	for _, id := range keys(resources) {
		res := resources[id].(map[string]interface{})
		typ := res["Type"].(string)
		seen[typ] = true
		props, _ := res["Properties"].(map[string]interface{})
		grants, unknown, ok := stacks.CFNExecRequirements(typ, keys(props))
		if !ok {
			c.t.Errorf("%s: %s is of type %s, which is not in cfnExecPermissions (stacks/cfnexec.go): add what CloudFormation needs for it", c.stack, id, typ)
			continue
		}
		for _, p := range unknown {
			c.t.Errorf("%s: %s (%s) sets %s, which cfnExecPermissions does not list for the type: add it with the actions it needs", c.stack, id, typ, p)
		}
		for _, g := range grants {
			c.require(id, res, g)
		}
	}
	params, _ := c.tmpl["Parameters"].(map[string]interface{})
	for _, name := range keys(params) {
		p := params[name].(map[string]interface{})
		grants, ok := stacks.CFNExecParameterGrants(p["Type"].(string))
		if !ok {
			if strings.HasPrefix(p["Type"].(string), "AWS::") {
				c.t.Errorf("%s: parameter %s of type %s is resolved by CloudFormation and not in cfnExecParameterTypes", c.stack, name, p["Type"])
			}
			continue
		}
		for _, g := range grants {
			c.require("Parameters."+name, p, g)
		}
	}
	walkIntrinsics(c.tmpl, func(fn string, arg interface{}) {
		seen[fn] = true
		grants, ok := stacks.CFNExecIntrinsicGrants(fn)
		if !ok {
			if !resolvedWithoutCalls[fn] {
				c.t.Errorf("%s: uses %s, which is neither in cfnExecIntrinsics (stacks/cfnexec.go) nor known to need no call", c.stack, fn)
			}
			return
		}
		for _, g := range grants {
			c.require(fn, map[string]interface{}{"Type": fn, "Properties": arg}, g)
		}
	})
}

// resolvedWithoutCalls are the intrinsic functions CloudFormation resolves
// from the template and its parameters alone.
var resolvedWithoutCalls = map[string]bool{
	"Fn::Join": true, "Fn::GetAtt": true, "Fn::Sub": true, "Fn::Select": true, "Fn::Split": true,
	"Fn::FindInMap": true, "Fn::If": true, "Fn::Equals": true, "Fn::Not": true, "Fn::And": true,
	"Fn::Or": true, "Fn::Contains": true, "Fn::Base64": true,
}

// walkIntrinsics calls f for every intrinsic function of v ({"Fn::…": arg}).
func walkIntrinsics(v interface{}, f func(fn string, arg interface{})) {
	switch x := v.(type) {
	case map[string]interface{}:
		for _, k := range keys(x) {
			if strings.HasPrefix(k, "Fn::") && len(x) == 1 {
				f(k, x[k])
			}
			walkIntrinsics(x[k], f)
		}
	case []interface{}:
		for _, e := range x {
			walkIntrinsics(e, f)
		}
	}
}

// request is one API call CloudFormation makes: an action on a resource,
// with the condition keys IAM evaluates for it.
type request struct {
	action, resource string
	context          map[string]string
}

func (c coverage) require(id string, res map[string]interface{}, g stacks.CFNExecGrant) {
	c.t.Helper()
	reqs := c.requests(id, res, g)
	if len(reqs) == 0 {
		c.t.Errorf("%s: %s: no %s resource found for %v", c.stack, id, g.Scope, g.Actions)
	}
	for _, r := range reqs {
		if !allowed(c.policy, r) {
			c.t.Errorf("%s: %s: %s denies %s on %s (context %v)", c.stack, id, ciroles.CFNExecPolicyName, r.action, r.resource, r.context)
		}
	}
}

// requests expands a grant into the calls CloudFormation makes for one
// resource, on the ARNs the resource will have. Nothing here comes from
// the policy code: the ARNs are read off the template.
func (c coverage) requests(id string, res map[string]interface{}, g stacks.CFNExecGrant) []request {
	props, _ := res["Properties"].(map[string]interface{})
	var arns []string
	var contexts []map[string]string
	switch g.Scope {
	case "buckets":
		ref := id
		switch res["Type"] {
		case "AWS::S3::BucketPolicy":
			ref = refOf(props["Bucket"])
		case "AWS::Logs::DeliveryDestination":
			ref = getAttOf(props["DestinationResourceArn"])
		}
		for _, name := range c.bucketNames(ref) {
			arns = append(arns, fmt.Sprintf("arn:%s:s3:::%s", c.partition, name))
		}
	case "roles":
		refs := []string{id}
		if res["Type"] == "AWS::IAM::Policy" {
			refs = nil
			for _, r := range asList(props["Roles"]) {
				refs = append(refs, refOf(r))
			}
		}
		for _, r := range refs {
			arns = append(arns, c.roleARNs(r)...)
		}
	case "attach-policy":
		arns = c.roleARNs(id)
		for _, p := range asList(props["ManagedPolicyArns"]) {
			contexts = append(contexts, map[string]string{"iam:PolicyARN": c.resolve(p)})
		}
	case "pass-role":
		arns = c.roleARNs(getAttOf(props["Role"]))
		contexts = []map[string]string{{"iam:PassedToService": "lambda.amazonaws.com"}}
	case "functions":
		fn := id
		if strings.HasPrefix(res["Type"].(string), "Custom::") {
			fn = getAttOf(props["ServiceToken"])
		}
		for _, name := range c.generated(fn, []int{63, 64}, false) {
			arns = append(arns, fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", c.partition, c.region, c.account, name))
		}
	case "log-groups":
		for _, name := range c.logGroupNames(props["LogGroupName"]) {
			arn := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", c.partition, c.region, c.account, name)
			arns = append(arns, arn, arn+":*")
		}
	case "layers":
		layers := []string{id}
		if res["Type"] == "AWS::Lambda::Function" {
			layers = nil
			for _, l := range asList(props["Layers"]) {
				layers = append(layers, refOf(l))
			}
		}
		for _, l := range layers {
			arns = append(arns, fmt.Sprintf("arn:%s:lambda:%s:%s:layer:%s", c.partition, c.region, c.account, l),
				fmt.Sprintf("arn:%s:lambda:%s:%s:layer:%s:1", c.partition, c.region, c.account, l))
		}
	case "assets":
		for _, key := range []string{"Code", "Content"} {
			if loc, ok := props[key].(map[string]interface{}); ok {
				arns = append(arns, fmt.Sprintf("arn:%s:s3:::%s/%s", c.partition, loc["S3Bucket"], loc["S3Key"]))
			}
		}
	case "bootstrap-version":
		arns = []string{fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", c.partition, c.region, c.account, res["Default"])}
	case "cloudfront":
		switch res["Type"] {
		case "AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl":
			arns = []string{c.arnOf(id)}
		case "AWS::Logs::DeliverySource":
			arns = []string{c.resolve(props["ResourceArn"])}
		}
	case "certificates":
		arns = []string{c.arnOf(id)}
	case "hosted-zones":
		zones := []interface{}{props["HostedZoneId"]}
		if res["Type"] == "AWS::CertificateManager::Certificate" {
			zones = nil
			for _, o := range asList(props["DomainValidationOptions"]) {
				zones = append(zones, o.(map[string]interface{})["HostedZoneId"])
			}
		}
		for _, z := range zones {
			arns = append(arns, fmt.Sprintf("arn:%s:route53:::hostedzone/%s", c.partition, c.resolve(z)))
		}
	case "dns-changes":
		arns = []string{fmt.Sprintf("arn:%s:route53:::change/C0123456789ABCDEFGHIJ", c.partition)}
	case "log-deliveries":
		arns = []string{c.arnOf(id)}
		if res["Type"] == "AWS::Logs::Delivery" {
			// CreateDelivery is authorized on the source and the
			// destination as well.
			source := c.resolve(props["DeliverySourceName"])
			arns = append(arns, fmt.Sprintf("arn:%s:logs:%s:%s:delivery-source:%s", c.partition, c.region, c.account, source),
				c.resolve(props["DeliveryDestinationArn"]))
		}
	case "cert-stacks":
		// Fn::GetStackOutput: {StackName, OutputName, Region}.
		if props["RoleArn"] != nil {
			c.t.Errorf("%s: %s names a role; the mapping grants the execution role", c.stack, id)
		}
		region := c.region
		if r, ok := props["Region"].(string); ok {
			region = r
		}
		arns = []string{fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/6d0e5f30-0000-11f0-8000-0a1b2c3d4e5f", c.partition, region, c.account, c.resolve(props["StackName"]))}
	case "*":
		// An ARN no scoped statement covers: only "*" allows it.
		arns = []string{fmt.Sprintf("arn:%s:logs:%s:%s:log-group:unrelated", c.partition, c.region, c.account)}
	default:
		c.t.Fatalf("unknown scope %q", g.Scope)
	}
	if contexts == nil {
		contexts = []map[string]string{nil}
	}
	var out []request
	for _, a := range g.Actions {
		for _, arn := range arns {
			for _, ctx := range contexts {
				out = append(out, request{a, arn, ctx})
			}
		}
	}
	return out
}

// Physical IDs the services generate, standing in for the real ones.
const (
	testDistributionID = "E2WELLKNOWN0TEST"
	testOACID          = "E3WELLKNOWN0OAC"
	testCertificateID  = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	testDeliveryID     = "dYvmDzCgHABqbLz2"
)

// arnOf is the ARN the resource id will have.
func (c coverage) arnOf(id string) string {
	c.t.Helper()
	res := c.resource(id)
	props, _ := res["Properties"].(map[string]interface{})
	logs := fmt.Sprintf("arn:%s:logs:%s:%s:", c.partition, c.region, c.account)
	switch res["Type"] {
	case "AWS::CloudFront::Distribution":
		return fmt.Sprintf("arn:%s:cloudfront::%s:distribution/%s", c.partition, c.account, testDistributionID)
	case "AWS::CloudFront::OriginAccessControl":
		return fmt.Sprintf("arn:%s:cloudfront::%s:origin-access-control/%s", c.partition, c.account, testOACID)
	case "AWS::CertificateManager::Certificate":
		return fmt.Sprintf("arn:%s:acm:%s:%s:certificate/%s", c.partition, c.region, c.account, testCertificateID)
	case "AWS::Logs::DeliverySource":
		return logs + "delivery-source:" + c.resolve(props["Name"])
	case "AWS::Logs::DeliveryDestination":
		return logs + "delivery-destination:" + c.resolve(props["Name"])
	case "AWS::Logs::Delivery":
		return logs + "delivery:" + testDeliveryID
	}
	c.t.Fatalf("%s: no ARN known for %s (%s)", c.stack, id, res["Type"])
	return ""
}

// ref is what {"Ref": id} gives for the resources the tests resolve.
func (c coverage) ref(id string) string {
	c.t.Helper()
	if id == "AWS::Partition" {
		return c.partition
	}
	res := c.resource(id)
	switch res["Type"] {
	case "AWS::CloudFront::Distribution":
		return testDistributionID
	case "AWS::Logs::DeliverySource":
		return c.resolve(res["Properties"].(map[string]interface{})["Name"])
	}
	c.t.Fatalf("%s: cannot resolve a Ref to %s (%s)", c.stack, id, res["Type"])
	return ""
}

func (c coverage) resource(id string) map[string]interface{} {
	c.t.Helper()
	res, ok := c.tmpl["Resources"].(map[string]interface{})[id].(map[string]interface{})
	if !ok {
		c.t.Fatalf("%s: no resource %s", c.stack, id)
	}
	return res
}

func (c coverage) bucketNames(id string) []string {
	props, _ := c.resource(id)["Properties"].(map[string]interface{})
	if name, ok := props["BucketName"].(string); ok {
		return []string{name}
	}
	return c.generated(id, []int{63}, true)
}

func (c coverage) roleARNs(id string) []string {
	var out []string
	for _, name := range c.generated(id, []int{64}, false) {
		out = append(out, fmt.Sprintf("arn:%s:iam::%s:role/%s", c.partition, c.account, name))
	}
	return out
}

// generated lists names CloudFormation may give an unnamed resource:
// <stack>-<logical ID, shortened to fit limit>-<12 or 13 random
// characters>, lowercased for buckets.
func (c coverage) generated(id string, limits []int, lower bool) []string {
	c.t.Helper()
	c.resource(id)
	var out []string
	for _, limit := range limits {
		for _, random := range []int{12, 13} {
			keep := limit - len(c.stack) - 2 - random
			if keep < 1 {
				c.t.Fatalf("%s: no room for %s's logical ID in a generated name", c.stack, id)
			}
			name := c.stack + "-" + id[:min(keep, len(id))] + "-" + "Ab3De6Gh9Jk2M"[:random]
			if lower {
				name = strings.ToLower(name)
			}
			out = append(out, name)
		}
	}
	return out
}

// logGroupNames resolves a LogGroupName: a literal, or
// Fn::Join ["", ["/aws/lambda/", {"Ref": function}]].
func (c coverage) logGroupNames(v interface{}) []string {
	c.t.Helper()
	if s, ok := v.(string); ok {
		return []string{s}
	}
	parts := joinParts(v)
	if len(parts) != 2 || parts[0] != "/aws/lambda/" {
		c.t.Fatalf("%s: log group name %s: not a function's log group", c.stack, jsonOf(v))
	}
	var out []string
	for _, fn := range c.generated(refOf(parts[1]), []int{63, 64}, false) {
		out = append(out, "/aws/lambda/"+fn)
	}
	return out
}

// resolve renders a value the way CloudFormation will: literals, the
// partition pseudo parameter, Refs to the resources ref knows, a delivery
// destination's Arn, and Fn::Sub and Fn::Join of those.
func (c coverage) resolve(v interface{}) string {
	c.t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case map[string]interface{}:
		if sub, ok := x["Fn::Sub"].(string); ok {
			return strings.ReplaceAll(sub, "${AWS::Partition}", c.partition)
		}
		if r := refOf(x); r != "" {
			return c.ref(r)
		}
		if id := getAttOf(x); id != "" && c.resource(id)["Type"] == "AWS::Logs::DeliveryDestination" {
			return c.arnOf(id)
		}
		if parts := joinParts(x); parts != nil {
			var b strings.Builder
			for _, p := range parts {
				b.WriteString(c.resolve(p))
			}
			return b.String()
		}
	}
	c.t.Fatalf("%s: cannot resolve %s", c.stack, jsonOf(v))
	return ""
}

func joinParts(v interface{}) []interface{} {
	m, _ := v.(map[string]interface{})
	join, _ := m["Fn::Join"].([]interface{})
	if len(join) != 2 || join[0] != "" {
		return nil
	}
	parts, _ := join[1].([]interface{})
	return parts
}

func refOf(v interface{}) string {
	m, _ := v.(map[string]interface{})
	s, _ := m["Ref"].(string)
	return s
}

func getAttOf(v interface{}) string {
	m, _ := v.(map[string]interface{})
	if l, ok := m["Fn::GetAtt"].([]interface{}); ok && len(l) == 2 {
		s, _ := l[0].(string)
		return s
	}
	return ""
}

// allowed evaluates a request against Allow statements the way IAM does
// for the parts this policy uses: case-insensitive action globs,
// case-sensitive resource globs, and StringEquals / ArnEquals conditions,
// which fail when the request lacks the key. Anything else (Deny, Not*,
// another operator) makes a statement not apply.
func allowed(statements []interface{}, r request) bool {
	for _, s := range statements {
		st := s.(map[string]interface{})
		if st["Effect"] != "Allow" || st["NotAction"] != nil || st["NotResource"] != nil {
			continue
		}
		if !anyMatch(asList(st["Action"]), r.action, true) || !anyMatch(asList(st["Resource"]), r.resource, false) {
			continue
		}
		if conditionsHold(st["Condition"], r.context) {
			return true
		}
	}
	return false
}

func anyMatch(patterns []interface{}, value string, fold bool) bool {
	for _, p := range patterns {
		ps, _ := p.(string)
		if fold {
			ps, value = strings.ToLower(ps), strings.ToLower(value)
		}
		if globMatch(ps, value) {
			return true
		}
	}
	return false
}

// globMatch matches IAM wildcards: * any run, ? one character.
func globMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && globMatch(pattern[1:], s[1:])
}

func conditionsHold(cond interface{}, ctx map[string]string) bool {
	if cond == nil {
		return true
	}
	ops, ok := cond.(map[string]interface{})
	if !ok {
		return false
	}
	for op, kv := range ops {
		if op != "StringEquals" && op != "ArnEquals" {
			return false
		}
		for key, want := range kv.(map[string]interface{}) {
			got, present := ctx[key]
			if !present || !slices.ContainsFunc(asList(want), func(w interface{}) bool { return w == got }) {
				return false
			}
		}
	}
	return true
}

// The policy is no AdministratorAccess in disguise: requests outside the
// WellKnown stacks, or that would widen what they can do, are denied.
func TestCFNExecDeniesTheRest(t *testing.T) {
	props := ciProps()
	tmpl := synthCI(t, "created", props).tmpl
	var policy []interface{}
	for _, p := range resourcesOfType(tmpl, "AWS::IAM::ManagedPolicy") {
		policy = asList(p["Properties"].(map[string]interface{})["PolicyDocument"].(map[string]interface{})["Statement"])
	}
	role := "arn:aws:iam::111111111111:role/WellKnown-dev-CustomCDKBucketDeployment8693BB6-AbCdEfGhIjKl"
	allowedReqs := []request{
		{"iam:CreateRole", role, nil},
		{"iam:PassRole", role, map[string]string{"iam:PassedToService": "lambda.amazonaws.com"}},
		{"iam:AttachRolePolicy", role, map[string]string{"iam:PolicyARN": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}},
		{"s3:PutBucketPolicy", "arn:aws:s3:::acme-links-qa", nil},
	}
	for _, r := range allowedReqs {
		if !allowed(policy, r) {
			t.Errorf("denied %v; the probe no longer tests the deny cases below", r)
		}
	}
	for _, r := range []request{
		{"iam:CreateRole", "arn:aws:iam::111111111111:role/Admin", nil},
		{"iam:CreateRole", "arn:aws:iam::111111111111:role/WellKnown-prod-CustomX-AbCdEfGhIjKl", nil},
		{"iam:AttachRolePolicy", role, map[string]string{"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"}},
		{"iam:PassRole", role, map[string]string{"iam:PassedToService": "ec2.amazonaws.com"}},
		{"iam:CreateUser", "arn:aws:iam::111111111111:user/WellKnown-dev-Custom", nil},
		{"iam:CreatePolicyVersion", "arn:aws:iam::111111111111:policy/wellknown-cfn-exec", nil},
		{"s3:PutBucketPolicy", "arn:aws:s3:::someone-elses-bucket", nil},
		{"s3:PutBucketAcl", "arn:aws:s3:::acme-links-qa", nil},
		{"s3:PutBucketWebsite", "arn:aws:s3:::acme-links-qa", nil},
		{"s3:PutBucketCORS", "arn:aws:s3:::acme-links-qa", nil},
		{"s3:PutObject", "arn:aws:s3:::acme-links-qa/.well-known/assetlinks.json", nil},
		{"s3:GetObject", "arn:aws:s3:::wellknown-dev-111111111111-eu-west-1/.well-known/assetlinks.json", nil},
		{"s3:PutObject", "arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/x.zip", nil},
		{"lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:111111111111:function:payroll", nil},
		{"lambda:CreateFunction", "arn:aws:lambda:us-east-1:111111111111:function:WellKnown-dev-CustomX", nil},
		{"sts:AssumeRole", "arn:aws:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-eu-west-1", nil},
		{"logs:DeleteLogGroup", "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/payroll", nil},
		{"ssm:GetParameters", "arn:aws:ssm:eu-west-1:111111111111:parameter/prod/db-password", nil},
	} {
		if allowed(policy, r) {
			t.Errorf("%s allows %s on %s (context %v)", ciroles.CFNExecPolicyName, r.action, r.resource, r.context)
		}
	}
	// "*" only where IAM has no resource-level permission.
	for _, s := range policy {
		st := s.(map[string]interface{})
		if slices.Contains(asList(st["Resource"]), interface{}("*")) {
			actions := asList(st["Action"])
			sort.Slice(actions, func(i, j int) bool { return actions[i].(string) < actions[j].(string) })
			if jsonOf(actions) != `["logs:DescribeLogGroups"]` {
				t.Errorf("statement %v grants %v on *", st["Sid"], actions)
			}
		}
	}
}
