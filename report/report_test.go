package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/acme/wellknown/config"
	"github.com/acme/wellknown/linkfile"
	"github.com/acme/wellknown/preflight"
)

func TestProblems(t *testing.T) {
	var buf bytes.Buffer
	errs := Problems(&buf, []linkfile.Problem{
		{File: "a.json", Path: "$", Severity: linkfile.Error, Message: "bad", Fix: "fix it"},
		{File: "a.json", Path: "[0]", Severity: linkfile.Warning, Message: "odd"},
	})
	want := "a.json: $: bad — fix it\na.json: [0]: warning: odd\n1 error, 1 warning\n"
	if errs != 1 || buf.String() != want {
		t.Errorf("errs %d, output:\n%s", errs, buf.String())
	}
	buf.Reset()
	if Problems(&buf, nil) != 0 || buf.Len() != 0 {
		t.Errorf("no problems should print nothing, got %q", buf.String())
	}
}

func TestSummary(t *testing.T) {
	var buf bytes.Buffer
	Summary(&buf, []preflight.Target{{
		Env:   config.Environment{Name: "prod", Account: "333333333333", Region: "us-east-1", BucketName: "acme-links-prod"},
		Files: []linkfile.File{{Name: linkfile.AssetLinks}, {Name: linkfile.AppleAppSiteAssociation}},
	}})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ENV") {
		t.Fatalf("table:\n%s", buf.String())
	}
	for _, want := range []string{"prod", "333333333333/us-east-1", "WellKnown-prod", "https://acme-links-prod.s3.us-east-1.amazonaws.com/", "assetlinks.json, apple-app-site-association"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row lacks %q: %s", want, lines[1])
		}
	}
}
