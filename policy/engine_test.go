package policy_test

// Template-level tests of the rules: the example environments are
// synthesized once (which already runs the rules through the CDK), then
// dozens of broken variants of those templates are checked directly with
// the engine aws-cdk-lib bundles (@aws/cloudformation-validate, taken from
// the aws-cdk-lib tarball in the Go module cache and run with node), one
// engine for all variants. This covers the edge cases that would each cost
// a synthesis in stacks/policy_test.go: Fn::If, Fn::Sub, Ref instead of
// Arn, NotPrincipal, string booleans, another partition, and so on.

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/acme/wellknown/internal/cdkapp"
	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/preflight"
	"github.com/acme/wellknown/policy"
	"github.com/acme/wellknown/stacks"
)

const projectDir = ".."

// extractEngine extracts @aws/cloudformation-validate from the aws-cdk-lib
// tarball that aws-cdk-go embeds into dir/cloudformation-validate. A
// returned skip reason means the tarball is not available.
func extractEngine(dir string) (path, skip string, err error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-cdk-go/awscdk/v2").Output()
	if err != nil {
		return "", fmt.Sprintf("aws-cdk-go module not found: %v", err), nil
	}
	tarballs, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "jsii", "aws-cdk-lib-*.tgz"))
	if len(tarballs) != 1 {
		return "", fmt.Sprintf("aws-cdk-lib tarball not found in %s", out), nil
	}
	f, err := os.Open(tarballs[0])
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return "", "", err
	}
	const prefix = "package/node_modules/@aws/cloudformation-validate/"
	path = filepath.Join(dir, "cloudformation-validate")
	tr := tar.NewReader(gz)
	found := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", err
		}
		name, ok := strings.CutPrefix(h.Name, prefix)
		if !ok || h.Typeflag != tar.TypeReg || strings.Contains(name, "..") {
			continue
		}
		found = true
		dst := filepath.Join(path, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", "", err
		}
		w, err := os.Create(dst)
		if err != nil {
			return "", "", err
		}
		_, err = io.Copy(w, tr)
		w.Close()
		if err != nil {
			return "", "", err
		}
	}
	if !found {
		return "", "", fmt.Errorf("@aws/cloudformation-validate is not in %s", tarballs[0])
	}
	return path, "", nil
}

// tmpl is a CloudFormation template as JSON.
type tmpl map[string]interface{}

func (t tmpl) clone() tmpl {
	raw, _ := json.Marshal(t)
	var out tmpl
	_ = json.Unmarshal(raw, &out)
	return out
}

func (t tmpl) resources() map[string]interface{} { return t["Resources"].(map[string]interface{}) }

func (t tmpl) props(id string) map[string]interface{} {
	return t.resources()[id].(map[string]interface{})["Properties"].(map[string]interface{})
}

func (t tmpl) ofType(typ string) []string {
	var ids []string
	for id, r := range t.resources() {
		if r.(map[string]interface{})["Type"] == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// content and logs are the logical IDs of the content bucket (it has a
// literal BucketName) and of the access-log bucket ("" when there is none).
func (t tmpl) content() string {
	for _, id := range t.ofType("AWS::S3::Bucket") {
		if _, ok := t.props(id)["BucketName"]; ok {
			return id
		}
	}
	panic("no content bucket")
}

func (t tmpl) logs() string {
	for _, id := range t.ofType("AWS::S3::Bucket") {
		if id != t.content() {
			return id
		}
	}
	return ""
}

func (t tmpl) policyOf(bucket string) string {
	for _, id := range t.ofType("AWS::S3::BucketPolicy") {
		if ref, _ := t.props(id)["Bucket"].(map[string]interface{}); ref["Ref"] == bucket {
			return id
		}
	}
	panic("no policy for " + bucket)
}

func (t tmpl) statements(policy string) []interface{} {
	return t.props(policy)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{})
}

func (t tmpl) setStatements(policy string, st []interface{}) {
	t.props(policy)["PolicyDocument"].(map[string]interface{})["Statement"] = st
}

// publicRead is the content bucket's public statement.
func (t tmpl) publicRead() map[string]interface{} {
	for _, s := range t.statements(t.policyOf(t.content())) {
		if st := s.(map[string]interface{}); st["Sid"] == "PublicReadWellKnown" {
			return st
		}
	}
	panic("no public read statement")
}

func (t tmpl) tlsDeny(policy string) map[string]interface{} {
	for _, s := range t.statements(policy) {
		st := s.(map[string]interface{})
		if c, ok := st["Condition"].(map[string]interface{}); ok && c["Bool"] != nil {
			return st
		}
	}
	panic("no TLS deny in " + policy)
}

// cloudFrontRead is the content bucket's grant to CloudFront.
func (t tmpl) cloudFrontRead() map[string]interface{} {
	for _, s := range t.statements(t.policyOf(t.content())) {
		if st := s.(map[string]interface{}); st["Sid"] == "CloudFrontReadsWellKnown" {
			return st
		}
	}
	panic("no CloudFront statement")
}

// distribution is the DistributionConfig of the template's distribution.
func (t tmpl) distribution() map[string]interface{} {
	return t.props(t.ofType("AWS::CloudFront::Distribution")[0])["DistributionConfig"].(map[string]interface{})
}

func (t tmpl) upload() map[string]interface{} {
	return t.props(t.ofType("Custom::CDKBucketDeployment")[0])
}

func (t tmpl) bucketName() string { return t.props(t.content())["BucketName"].(string) }

func (t tmpl) addCondition() {
	t["Conditions"] = map[string]interface{}{"C": map[string]interface{}{"Fn::Equals": []interface{}{"a", "b"}}}
}

func (t tmpl) removeResource(id string) {
	delete(t.resources(), id)
	for _, r := range t.resources() {
		res := r.(map[string]interface{})
		if deps, ok := res["DependsOn"].([]interface{}); ok {
			res["DependsOn"] = slices.DeleteFunc(deps, func(d interface{}) bool { return d == id })
		}
	}
}

func getAtt(id, attr string) map[string]interface{} {
	return map[string]interface{}{"Fn::GetAtt": []interface{}{id, attr}}
}

func join(parts ...interface{}) map[string]interface{} {
	return map[string]interface{}{"Fn::Join": []interface{}{"", parts}}
}

func obj(kv ...interface{}) map[string]interface{} {
	m := map[string]interface{}{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// base is one synthesized template: parsed, as written (the key order of
// the CDK's output, which outgoingRefs and source positions follow), and
// its stack's environment.
type base struct {
	tmpl tmpl
	raw  []byte
	env  policy.Env
}

// baseTemplates synthesizes the example environments plus one without
// access logs into one app and returns their templates by name. The
// synthesis itself runs the rules, so it must succeed.
func baseTemplates(t testing.TB) map[string]base {
	t.Helper()
	ctx, err := config.ReadCDKJSON(filepath.Join(projectDir, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := preflight.Run(ctx, projectDir, config.Selection{})
	if err != nil || !res.OK() {
		t.Fatalf("example config does not validate: %v %v", err, res.Problems)
	}
	ids := map[string]string{}
	envs := map[string]policy.Env{}
	dir := t.TempDir()
	err = cdkapp.Synth(ctx, dir, func(app awscdk.App) error {
		for _, target := range res.Targets {
			ids[target.Env.Name] = target.Env.StackName()
			envs[target.Env.Name] = policy.Env{AccountID: target.Env.Account, Region: target.Env.Region}
			if _, err := stacks.NewWellKnownStack(app, target.Env.StackName(), cdkapp.StackProps(target)); err != nil {
				return err
			}
			if target.Env.RemovalPolicy == config.Destroy && target.Env.AccessLogs {
				noLogs := target
				noLogs.Env.AccessLogs = false
				ids["nologs"] = "NoLogs"
				envs["nologs"] = policy.Env{AccountID: target.Env.Account, Region: target.Env.Region}
				if _, err := stacks.NewWellKnownStack(app, "NoLogs", cdkapp.StackProps(noLogs)); err != nil {
					return err
				}
				// A private bucket behind CloudFront, in us-east-1 so that
				// the certificate and the log delivery are in the stack.
				web := target
				web.Env.Name, web.Env.Region, web.Env.BucketName = "web", "us-east-1", "acme-links-web"
				web.Env.Domain = &config.Domain{Name: "links.acme.com", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "acme.com", PriceClass: "100"}
				ids["domain"] = "Domain"
				envs["domain"] = policy.Env{AccountID: web.Env.Account, Region: web.Env.Region}
				if _, err := stacks.NewWellKnownStack(app, "Domain", cdkapp.StackProps(web)); err != nil {
					return err
				}
			}
		}
		return nil
	}, func(int) { t.Error("signal during synthesis") })
	if err != nil {
		t.Fatalf("the example environments must pass the rules: %v", err)
	}
	out := map[string]base{}
	for name, id := range ids {
		raw, err := os.ReadFile(filepath.Join(dir, id+".template.json"))
		if err != nil {
			t.Fatal(err)
		}
		var tp tmpl
		if err := json.Unmarshal(raw, &tp); err != nil {
			t.Fatal(err)
		}
		out[name] = base{tmpl: tp, raw: raw, env: envs[name]}
	}
	for _, want := range []string{"dev", "staging", "prod", "nologs", "domain"} {
		if out[want].tmpl == nil {
			t.Fatalf("cdk.json no longer has the %q example environment these cases use (have %v)", want, ids)
		}
	}
	return out
}

type variant struct {
	name string
	base string // dev (destroy, logs), staging (retain, logs), prod (retain, named bucket), nologs, domain (private, CloudFront, destroy)
	want []string
	edit func(t tmpl)
}

func variants() []variant {
	none := []string{}
	wk := func(ids ...string) []string { return ids }
	pub := func(key string, v interface{}) func(t tmpl) {
		return func(t tmpl) { t.publicRead()[key] = v }
	}
	literal := func(t tmpl, suffix string) string { return "arn:aws:s3:::" + t.bucketName() + suffix }
	return []variant{
		// Correct templates, and equivalent correct forms.
		{"dev as synthesized", "dev", none, func(t tmpl) {}},
		{"staging as synthesized", "staging", none, func(t tmpl) {}},
		{"prod as synthesized", "prod", none, func(t tmpl) {}},
		{"no access logs as synthesized", "nologs", none, func(t tmpl) {}},
		{"public resource as Fn::Join of the Arn", "dev", none, func(t tmpl) {
			t.publicRead()["Resource"] = join(getAtt(t.content(), "Arn"), "/.well-known/*")
		}},
		{"public resource as Fn::Join of the Arn, literal split", "staging", none, func(t tmpl) {
			t.publicRead()["Resource"] = []interface{}{join(getAtt(t.content(), "Arn"), "/.well-known", "/*")}
		}},
		{"Principal \"*\"", "dev", none, pub("Principal", "*")},
		{"action in other case", "dev", none, pub("Action", []interface{}{"S3:GetObject"})},
		{"aws-cn partition literal", "prod", none, func(t tmpl) {
			t.publicRead()["Resource"] = "arn:aws-cn:s3:::" + t.bucketName() + "/.well-known/*"
		}},
		{"partition from AWS::Partition", "dev", none, func(t tmpl) {
			t.publicRead()["Resource"] = join("arn:", obj("Ref", "AWS::Partition"), ":s3:::"+t.bucketName()+"/.well-known/*")
		}},
		{"TLS deny with boolean false", "dev", none, func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Condition"] = obj("Bool", obj("aws:SecureTransport", false))
		}},
		{"TLS deny with literal ARNs", "prod", none, func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Resource"] = []interface{}{literal(t, ""), literal(t, "/*")}
		}},
		{"TLS deny on Resource *", "dev", none, func(t tmpl) { t.tlsDeny(t.policyOf(t.logs()))["Resource"] = "*" }},
		{"Block Public Access flags as strings", "staging", none, func(t tmpl) {
			t.props(t.content())["PublicAccessBlockConfiguration"] = obj("BlockPublicAcls", "true", "IgnorePublicAcls", "true", "BlockPublicPolicy", "false", "RestrictPublicBuckets", "false")
		}},

		// WK-001
		{"public resource /* (Fn::Join)", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = join(getAtt(t.content(), "Arn"), "/*")
		}},
		{"public resource *", "staging", wk("WK-001"), pub("Resource", "*")},
		{"public resource literal /*", "prod", wk("WK-001"), func(t tmpl) { t.publicRead()["Resource"] = literal(t, "/*") }},
		{"public resource deeper prefix", "dev", wk("WK-001"), func(t tmpl) { t.publicRead()["Resource"] = literal(t, "/.well-known/x/*") }},
		{"public resource other bucket literal", "dev", wk("WK-001"), pub("Resource", "arn:aws:s3:::other-bucket/.well-known/*")},
		{"public resource bogus partition", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = "arn:evil:s3:::" + t.bucketName() + "/.well-known/*"
		}},
		{"public resource Fn::Join of Ref (bucket name, not Arn)", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = join(obj("Ref", t.content()), "/.well-known/*")
		}},
		{"public resource Fn::Join of DomainName", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = join(getAtt(t.content(), "DomainName"), "/.well-known/*")
		}},
		{"public resource Fn::Join of the log bucket", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = join(getAtt(t.logs(), "Arn"), "/.well-known/*")
		}},
		{"public resource Fn::Join with a prefix", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = join("x", getAtt(t.content(), "Arn"), "/.well-known/*")
		}},
		{"public resource Fn::Sub", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = obj("Fn::Sub", "${"+t.content()+".Arn}/.well-known/*")
		}},
		{"public resources, one too broad", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Resource"] = []interface{}{literal(t, "/.well-known/*"), join(getAtt(t.content(), "Arn"), "/*")}
		}},
		{"public resource behind Fn::If", "dev", wk("WK-001"), func(t tmpl) {
			t.addCondition()
			t.publicRead()["Resource"] = obj("Fn::If", []interface{}{"C", literal(t, "/.well-known/*"), "*"})
		}},
		{"public extra action", "dev", wk("WK-001"), pub("Action", []interface{}{"s3:GetObject", "s3:ListBucket"})},
		{"public s3:*", "staging", wk("WK-001"), pub("Action", "s3:*")},
		{"public s3:Get*", "dev", wk("WK-001"), pub("Action", "s3:Get*")},
		{"public *", "dev", wk("WK-001"), pub("Action", "*")},
		{"public NotAction", "dev", wk("WK-001"), func(t tmpl) {
			delete(t.publicRead(), "Action")
			t.publicRead()["NotAction"] = "s3:PutObject"
		}},
		{"public NotResource", "dev", wk("WK-001"), func(t tmpl) {
			delete(t.publicRead(), "Resource")
			t.publicRead()["NotResource"] = literal(t, "/private/*")
		}},
		{"Allow with NotPrincipal", "dev", wk("WK-001"), func(t tmpl) {
			delete(t.publicRead(), "Principal")
			t.publicRead()["NotPrincipal"] = obj("AWS", "arn:aws:iam::111111111111:root")
		}},
		{"public principal in a list", "dev", wk("WK-001"), func(t tmpl) {
			t.publicRead()["Principal"] = obj("AWS", []interface{}{"arn:aws:iam::111111111111:root", "*"})
			t.publicRead()["Action"] = "s3:PutObject"
		}},
		{"public principal behind Fn::If", "dev", wk("WK-001"), func(t tmpl) {
			t.addCondition()
			t.publicRead()["Principal"] = obj("AWS", obj("Fn::If", []interface{}{"C", "arn:aws:iam::111111111111:root", "*"}))
			t.publicRead()["Action"] = "s3:*"
		}},
		{"principal behind nested Fn::If", "dev", wk("WK-001"), func(t tmpl) {
			t.addCondition()
			nested := obj("Fn::If", []interface{}{"C", "arn:aws:iam::111111111111:root", "*"})
			t.publicRead()["Principal"] = obj("AWS", obj("Fn::If", []interface{}{"C", "arn:aws:iam::111111111111:root", nested}))
			t.publicRead()["Resource"] = "*"
		}},
		{"statement behind nested Fn::If", "dev", wk("WK-001"), func(t tmpl) {
			t.addCondition()
			p := t.policyOf(t.content())
			bad := obj("Effect", "Allow", "Principal", "*", "Action", "s3:*", "Resource", "*")
			nested := obj("Fn::If", []interface{}{"C", bad, obj("Ref", "AWS::NoValue")})
			t.setStatements(p, append(t.statements(p), obj("Fn::If", []interface{}{"C", nested, obj("Ref", "AWS::NoValue")})))
		}},
		{"statement behind Fn::If", "dev", wk("WK-001"), func(t tmpl) {
			t.addCondition()
			p := t.policyOf(t.content())
			bad := obj("Effect", "Allow", "Principal", "*", "Action", "s3:GetObject", "Resource", "*")
			t.setStatements(p, append(t.statements(p), obj("Fn::If", []interface{}{"C", bad, obj("Ref", "AWS::NoValue")})))
		}},
		// A public statement on the log bucket is WK-001 (only the upload
		// destination may be public) and makes that bucket a content bucket,
		// which must be versioned (WK-006).
		{"public statement on the log bucket", "dev", wk("WK-001", "WK-006"), func(t tmpl) {
			p := t.policyOf(t.logs())
			t.setStatements(p, append(t.statements(p), obj("Effect", "Allow", "Principal", obj("AWS", "*"), "Action", "s3:GetObject",
				"Resource", join(getAtt(t.logs(), "Arn"), "/.well-known/*"))))
		}},
		// The TLS deny turned into an Allow is public s3:* (WK-001) and
		// leaves no deny (WK-002).
		{"TLS deny turned into Allow", "dev", wk("WK-001", "WK-002"), func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Effect"] = "Allow"
		}},

		// WK-002
		{"content TLS deny removed", "dev", wk("WK-002"), func(t tmpl) {
			p := t.policyOf(t.content())
			deny := t.tlsDeny(p)
			t.setStatements(p, slices.DeleteFunc(t.statements(p), func(s interface{}) bool { return fmt.Sprint(s) == fmt.Sprint(deny) }))
		}},
		{"log TLS deny removed", "staging", wk("WK-002"), func(t tmpl) {
			p := t.policyOf(t.logs())
			deny := t.tlsDeny(p)
			t.setStatements(p, slices.DeleteFunc(t.statements(p), func(s interface{}) bool { return fmt.Sprint(s) == fmt.Sprint(deny) }))
		}},
		{"TLS deny on SecureTransport true", "dev", wk("WK-002"), func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Condition"] = obj("Bool", obj("aws:SecureTransport", "true"))
		}},
		{"TLS deny narrowed by another condition", "dev", wk("WK-002"), func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Condition"].(map[string]interface{})["StringEquals"] = obj("aws:SourceVpc", "vpc-1")
		}},
		{"TLS deny on the bucket only", "dev", wk("WK-002"), func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Resource"] = []interface{}{getAtt(t.content(), "Arn")}
		}},
		{"TLS deny on the objects only", "dev", wk("WK-002"), func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Resource"] = join(getAtt(t.content(), "Arn"), "/*")
		}},
		{"TLS deny of GetObject only", "dev", wk("WK-002"), func(t tmpl) {
			t.tlsDeny(t.policyOf(t.content()))["Action"] = "s3:GetObject"
		}},
		{"TLS deny behind Fn::If", "dev", wk("WK-002"), func(t tmpl) {
			t.addCondition()
			p := t.policyOf(t.content())
			st, deny := t.statements(p), fmt.Sprint(t.tlsDeny(p))
			for i, s := range st {
				if fmt.Sprint(s) == deny {
					st[i] = obj("Fn::If", []interface{}{"C", s, obj("Ref", "AWS::NoValue")})
				}
			}
		}},
		{"content bucket policy removed", "staging", wk("WK-002"), func(t tmpl) { t.removeResource(t.policyOf(t.content())) }},
		{"no-logs bucket policy removed", "nologs", wk("WK-002"), func(t tmpl) { t.removeResource(t.policyOf(t.content())) }},

		// WK-003
		{"content BlockPublicAcls false", "dev", wk("WK-003"), func(t tmpl) {
			t.props(t.content())["PublicAccessBlockConfiguration"].(map[string]interface{})["BlockPublicAcls"] = false
		}},
		{"content IgnorePublicAcls missing", "staging", wk("WK-003"), func(t tmpl) {
			delete(t.props(t.content())["PublicAccessBlockConfiguration"].(map[string]interface{}), "IgnorePublicAcls")
		}},
		{"content Block Public Access missing", "nologs", wk("WK-003"), func(t tmpl) {
			delete(t.props(t.content()), "PublicAccessBlockConfiguration")
		}},
		{"log BlockPublicPolicy false", "dev", wk("WK-003"), func(t tmpl) {
			t.props(t.logs())["PublicAccessBlockConfiguration"].(map[string]interface{})["BlockPublicPolicy"] = false
		}},
		{"log RestrictPublicBuckets \"false\"", "staging", wk("WK-003"), func(t tmpl) {
			t.props(t.logs())["PublicAccessBlockConfiguration"].(map[string]interface{})["RestrictPublicBuckets"] = "false"
		}},
		{"log bucket unlinked and opened", "dev", wk("WK-003"), func(t tmpl) {
			delete(t.props(t.content()), "LoggingConfiguration")
			t.props(t.logs())["PublicAccessBlockConfiguration"].(map[string]interface{})["BlockPublicPolicy"] = false
		}},
		{"upload destination that receives logs must be private", "dev", wk("WK-003"), func(t tmpl) {
			t.props(t.content())["LoggingConfiguration"].(map[string]interface{})["DestinationBucketName"] = obj("Ref", t.content())
		}},
		{"content ObjectWriter", "dev", wk("WK-003"), func(t tmpl) {
			t.props(t.content())["OwnershipControls"] = obj("Rules", []interface{}{obj("ObjectOwnership", "ObjectWriter")})
		}},
		{"log OwnershipControls missing", "dev", wk("WK-003"), func(t tmpl) { delete(t.props(t.logs()), "OwnershipControls") }},

		// WK-004
		{"website", "dev", wk("WK-004"), func(t tmpl) { t.props(t.content())["WebsiteConfiguration"] = obj("IndexDocument", "index.html") }},
		{"CORS on the log bucket", "staging", wk("WK-004"), func(t tmpl) {
			t.props(t.logs())["CorsConfiguration"] = obj("CorsRules", []interface{}{obj("AllowedMethods", []interface{}{"GET"}, "AllowedOrigins", []interface{}{"*"})})
		}},
		{"canned ACL", "prod", wk("WK-004"), func(t tmpl) { t.props(t.content())["AccessControl"] = "PublicRead" }},
		{"website without access logs", "nologs", wk("WK-004"), func(t tmpl) {
			t.props(t.content())["WebsiteConfiguration"] = obj("RedirectAllRequestsTo", obj("HostName", "example.com"))
		}},

		// WK-005
		{"content type text/plain", "dev", wk("WK-005"), func(t tmpl) {
			t.upload()["SystemMetadata"].(map[string]interface{})["content-type"] = "text/plain"
		}},
		{"content type missing", "staging", wk("WK-005"), func(t tmpl) {
			delete(t.upload()["SystemMetadata"].(map[string]interface{}), "content-type")
		}},
		{"SystemMetadata missing", "dev", wk("WK-005"), func(t tmpl) { delete(t.upload(), "SystemMetadata") }},
		{"prefix missing (whole bucket)", "prod", wk("WK-005"), func(t tmpl) { delete(t.upload(), "DestinationBucketKeyPrefix") }},
		{"prefix without slash", "dev", wk("WK-005"), func(t tmpl) { t.upload()["DestinationBucketKeyPrefix"] = ".well-known" }},
		{"prefix /", "dev", wk("WK-005"), func(t tmpl) { t.upload()["DestinationBucketKeyPrefix"] = "/" }},

		// WK-006
		{"versioning suspended", "dev", wk("WK-006"), func(t tmpl) {
			t.props(t.content())["VersioningConfiguration"] = obj("Status", "Suspended")
		}},
		{"versioning missing", "prod", wk("WK-006"), func(t tmpl) { delete(t.props(t.content()), "VersioningConfiguration") }},
		{"versioning missing without access logs", "nologs", wk("WK-006"), func(t tmpl) {
			delete(t.props(t.content()), "VersioningConfiguration")
		}},
		// CloudFront (WK-007, WK-008).
		{"domain as synthesized", "domain", none, func(t tmpl) {}},
		{"CloudFront grant on the whole bucket", "domain", wk("WK-007"), func(t tmpl) {
			t.cloudFrontRead()["Resource"] = join(getAtt(t.content(), "Arn"), "/*")
		}},
		{"CloudFront grant of s3:*", "domain", wk("WK-007"), func(t tmpl) { t.cloudFrontRead()["Action"] = "s3:*" }},
		{"CloudFront grant of two actions", "domain", wk("WK-007"), func(t tmpl) {
			t.cloudFrontRead()["Action"] = []interface{}{"s3:GetObject", "s3:ListBucket"}
		}},
		{"CloudFront grant without condition", "domain", wk("WK-007"), func(t tmpl) { delete(t.cloudFrontRead(), "Condition") }},
		{"CloudFront grant for a literal distribution", "domain", wk("WK-007"), func(t tmpl) {
			t.cloudFrontRead()["Condition"] = obj("StringEquals", obj("AWS:SourceArn", "arn:aws:cloudfront::999999999999:distribution/E123"))
		}},
		{"CloudFront grant with StringLike", "domain", wk("WK-007"), func(t tmpl) {
			c := t.cloudFrontRead()["Condition"].(map[string]interface{})
			t.cloudFrontRead()["Condition"] = obj("StringLike", c["StringEquals"])
		}},
		{"CloudFront grant with NotResource", "domain", wk("WK-007"), func(t tmpl) {
			st := t.cloudFrontRead()
			st["NotResource"] = st["Resource"]
			delete(st, "Resource")
		}},
		{"CloudFront grant for this and another distribution", "domain", wk("WK-007"), func(t tmpl) {
			c := t.cloudFrontRead()["Condition"].(map[string]interface{})["StringEquals"].(map[string]interface{})
			c["AWS:SourceArn"] = []interface{}{c["AWS:SourceArn"], "arn:aws:cloudfront::999999999999:distribution/E123"}
		}},
		{"CloudFront grant for a distribution ARN with more after it", "domain", wk("WK-007"), func(t tmpl) {
			c := t.cloudFrontRead()["Condition"].(map[string]interface{})["StringEquals"].(map[string]interface{})
			c["AWS:SourceArn"] = join("arn:aws:cloudfront::111111111111:distribution/", obj("Ref", t.ofType("AWS::CloudFront::Distribution")[0]), "x")
		}},
		{"CloudFront grant for a distribution ARN with more before it", "domain", wk("WK-007"), func(t tmpl) {
			c := t.cloudFrontRead()["Condition"].(map[string]interface{})["StringEquals"].(map[string]interface{})
			c["AWS:SourceArn"] = join("arn:aws:cloudfront::111111111111:distribution/X:distribution/", obj("Ref", t.ofType("AWS::CloudFront::Distribution")[0]))
		}},
		{"CloudFront grant shared with another service", "domain", wk("WK-007"), func(t tmpl) {
			t.cloudFrontRead()["Principal"] = obj("Service", []interface{}{"cloudfront.amazonaws.com", "lambda.amazonaws.com"})
		}},
		{"CloudFront grant shared with everyone", "domain", wk("WK-007"), func(t tmpl) {
			t.cloudFrontRead()["Principal"] = obj("Service", "cloudfront.amazonaws.com", "AWS", "*")
		}},
		{"grant to another service", "domain", wk("WK-007"), func(t tmpl) {
			t.cloudFrontRead()["Principal"] = obj("Service", "lambda.amazonaws.com")
		}},
		{"grant to an account", "staging", wk("WK-007"), func(t tmpl) {
			p := t.policyOf(t.content())
			t.setStatements(p, append(t.statements(p), obj("Effect", "Allow", "Principal", obj("AWS", "arn:aws:iam::999999999999:root"),
				"Action", "s3:GetObject", "Resource", "arn:aws:s3:::"+t.bucketName()+"/.well-known/*")))
		}},
		{"viewer protocol allow-all", "domain", wk("WK-008"), func(t tmpl) {
			t.distribution()["DefaultCacheBehavior"].(map[string]interface{})["ViewerProtocolPolicy"] = "allow-all"
		}},
		{"viewer protocol unset", "domain", wk("WK-008"), func(t tmpl) {
			delete(t.distribution()["DefaultCacheBehavior"].(map[string]interface{}), "ViewerProtocolPolicy")
		}},
		{"a cache behavior with redirect-to-https", "domain", wk("WK-008"), func(t tmpl) {
			t.distribution()["CacheBehaviors"] = []interface{}{obj("PathPattern", "/x/*", "TargetOriginId", "WellKnownBucket", "ViewerProtocolPolicy", "redirect-to-https")}
		}},
		{"methods unset (GET, HEAD)", "domain", none, func(t tmpl) {
			delete(t.distribution()["DefaultCacheBehavior"].(map[string]interface{}), "AllowedMethods")
		}},
		{"methods with OPTIONS", "domain", wk("WK-008"), func(t tmpl) {
			t.distribution()["DefaultCacheBehavior"].(map[string]interface{})["AllowedMethods"] = []interface{}{"GET", "HEAD", "OPTIONS"}
		}},
		{"TLS 1.1", "domain", wk("WK-008"), func(t tmpl) {
			t.distribution()["ViewerCertificate"].(map[string]interface{})["MinimumProtocolVersion"] = "TLSv1.1_2016"
		}},
		{"TLS 1.3", "domain", none, func(t tmpl) {
			t.distribution()["ViewerCertificate"].(map[string]interface{})["MinimumProtocolVersion"] = "TLSv1.3_2025"
		}},
		{"default CloudFront certificate", "domain", wk("WK-008"), func(t tmpl) {
			t.distribution()["ViewerCertificate"] = obj("CloudFrontDefaultCertificate", true)
		}},
		{"dedicated IP instead of SNI", "domain", wk("WK-008"), func(t tmpl) {
			t.distribution()["ViewerCertificate"].(map[string]interface{})["SslSupportMethod"] = "vip"
		}},
	}
}

// variantEnv is the environment every variant is validated in.
var variantEnv = policy.Env{AccountID: "111111111111", Region: "eu-west-1"}

// Every base template (in its stack's environment) and every variant runs
// through the engine and through the Go evaluator (policy.Evaluate, what
// the app's plugin runs): the diagnostics must be identical, field by
// field, and come in the same order. Then each variant must fire exactly
// the rules it wants, with complete diagnostics.
func TestRulesOnTemplateVariants(t *testing.T) {
	requireEngine(t)
	start := time.Now()
	bases := baseTemplates(t)
	t.Logf("example environments synthesized in %v", time.Since(start).Round(time.Millisecond))

	dir := t.TempDir()
	var runs []engineRun
	names := make([]string, 0, len(bases))
	for name := range bases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := filepath.Join(dir, "base-"+name+".json")
		if err := os.WriteFile(f, bases[name].raw, 0o644); err != nil {
			t.Fatal(err)
		}
		env := bases[name].env
		runs = append(runs, engineRun{ID: "base " + name, Rules: "project", File: f, Account: env.AccountID, Region: env.Region})
	}
	cases := variants()
	for i, v := range cases {
		tp := bases[v.base].tmpl.clone()
		v.edit(tp)
		f := filepath.Join(dir, fmt.Sprintf("variant-%02d.json", i))
		writeJSON(t, f, tp)
		runs = append(runs, engineRun{ID: fmt.Sprintf("variant %02d", i), Rules: "project", File: f, Account: variantEnv.AccountID, Region: variantEnv.Region})
	}
	start = time.Now()
	results := runEngine(t, dir, map[string][]ruleSource{"project": projectRules()}, runs)
	t.Logf("%d templates checked by the engine in %v", len(runs), time.Since(start).Round(time.Millisecond))

	start = time.Now()
	for _, r := range runs {
		want := results[r.ID]
		if want.Error != "" {
			t.Fatalf("%s: engine failed (a rule that does not compile or evaluate fails every synthesis): %s", r.ID, want.Error)
		}
		raw, err := os.ReadFile(r.File)
		if err != nil {
			t.Fatal(err)
		}
		got, err := policy.Evaluate(context.Background(), raw, policy.Env{AccountID: r.Account, Region: r.Region})
		if err != nil {
			t.Errorf("%s: Go evaluator failed: %v", r.ID, err)
			continue
		}
		if !slices.Equal(sortedDiagnostics(got), sortedDiagnostics(want.Diagnostics)) {
			t.Errorf("%s: Go evaluator and engine differ\n  Go:     %s\n  engine: %s", r.ID, jsonString(got), jsonString(want.Diagnostics))
		} else if !slices.Equal(got, want.Diagnostics) {
			t.Errorf("%s: same diagnostics in another order\n  Go:     %s\n  engine: %s", r.ID, jsonString(got), jsonString(want.Diagnostics))
		}
	}
	t.Logf("%d templates checked by the Go evaluator in %v", len(runs), time.Since(start).Round(time.Millisecond))

	for _, name := range names {
		if d := results["base "+name].Diagnostics; len(d) > 0 {
			t.Errorf("base template %s: %s", name, jsonString(d))
		}
	}
	for i, v := range cases {
		t.Run(v.name, func(t *testing.T) {
			diags := results[fmt.Sprintf("variant %02d", i)].Diagnostics
			var got []string
			for _, d := range diags {
				if !slices.Contains(got, d.RuleID) {
					got = append(got, d.RuleID)
				}
				if d.Severity != "ERROR" || d.LogicalID == "" || d.Path == "" || d.Message == "" || d.Fix == "" {
					t.Errorf("incomplete diagnostic: %+v", d)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, v.want) && !(len(got) == 0 && len(v.want) == 0) {
				t.Errorf("rules fired: %v, want %v", got, v.want)
				for _, d := range diags {
					t.Logf("  %s %s %s: %s", d.RuleID, d.LogicalID, d.Path, d.Message)
				}
			}
		})
	}
}

func jsonString(v interface{}) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}

func writeJSON(t *testing.T, path string, v interface{}) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}
