package summary

import (
	"bytes"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/linkfile"
	"github.com/acme/wellknown/internal/preflight"
)

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, []preflight.Target{{
		Env:   config.Environment{Name: "prod", Account: "333333333333", Region: "us-east-1", BucketName: "acme-links-prod"},
		Files: []linkfile.File{{Name: linkfile.AssetLinks}, {Name: linkfile.AppleAppSiteAssociation}},
	}}, Stacks{}, "cdk.out")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ENV") || lines[3] != "1 stack(s) synthesized to cdk.out. Deploy one with: npx cdk deploy WellKnown-prod" {
		t.Fatalf("table:\n%s", buf.String())
	}
	for _, want := range []string{"prod", "333333333333/us-east-1", "WellKnown-prod", "https://acme-links-prod.s3.us-east-1.amazonaws.com/", "assetlinks.json, apple-app-site-association"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row lacks %q: %s", want, lines[1])
		}
	}
}

// The stacks deployed once by hand are listed after the table, each kind on
// its own line.
func TestWriteOneTimeStacks(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, []preflight.Target{{Env: config.Environment{Name: "web", Account: "444444444444", Region: "eu-west-1", BucketName: "acme-links-web"}}},
		Stacks{Cert: []string{"WellKnownCert-web"}, CI: []string{"WellKnownCI-444444444444"}, Pipeline: []string{"WellKnownPipeline", "WellKnownPipeline-support-us-east-1"}}, "cdk.out")
	out := buf.String()
	for _, want := range []string{
		"\nCertificates in us-east-1 (cdk deploy of the environment deploys them first): WellKnownCert-web\n",
		"\nCI roles (deployed once per account by an administrator, see \"Deploying from CI\"): WellKnownCI-444444444444\n",
		"\nPipeline (deployed once from a workstation, then it updates itself; see \"Deploying with CodePipeline\"): WellKnownPipeline, WellKnownPipeline-support-us-east-1\n",
		"\n5 stack(s) synthesized to cdk.out. Deploy the pipeline with: npx cdk deploy WellKnownPipeline (it deploys the environments)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
