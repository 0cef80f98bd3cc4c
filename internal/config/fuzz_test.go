package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/diag"
)

// FuzzParse feeds arbitrary bytes as the "wellknown:environments" value and
// an arbitrary -c env selection. Parsing must never panic; every problem
// must point into cdk.json with a JSON path; an accepted environment must
// satisfy every rule the stack relies on.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"dev": {"account": "111111111111", "region": "eu-west-1"}}`), "dev")
	f.Add([]byte(`{"prod": {"account": "333333333333", "region": "us-east-1", "bucketName": "acme-links-prod", "terminationProtection": true, "removalPolicy": "destroy"}}`), "prod,dev")
	f.Add([]byte(`{"Dev": {"account": 1, "region": null, "assets": ""}}`), "")
	f.Add([]byte(`[]`), "x")
	f.Add([]byte(`{"a": {"bucketName": "a.b", "accessLogs": "no"}}`), "a")
	f.Add([]byte(`{"web": {"account": "444444444444", "region": "eu-west-1", "domain": {"name": "links.acme.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com", "keepS3Public": true, "priceClass": "All"}}}`), "web")
	f.Add([]byte(`{"a": {"account": "444444444444", "region": "us-east-1", "domain": {"name": "10.0.0.1", "certificateArn": "arn:aws:acm:us-east-1:444444444444:certificate/x"}}, "b": {"account": "555555555555", "region": "eu-west-1", "domain": {"name": "Links.acme.com."}}}`), "a,b")
	f.Fuzz(func(t *testing.T, envs []byte, selection string) {
		root := `context["wellknown:environments"]`
		cfg, problems := Parse(NewContext(map[string]json.RawMessage{ContextKey: json.RawMessage(envs)}), ".")
		for _, p := range problems {
			if p.File != FileName || !strings.HasPrefix(p.Path, root) || p.Message == "" {
				t.Fatalf("problem without file, path or message: %#v", p)
			}
		}
		if !diag.HasErrors(problems) {
			for _, e := range cfg.Environments {
				if !envNameShape.MatchString(e.Name) || !accountShape.MatchString(e.Account) || !KnownRegion(e.Region) {
					t.Fatalf("accepted invalid environment %+v", e)
				}
				if err := CheckBucketName(e.BucketName); err != nil {
					t.Fatalf("accepted bucket name: %s", err)
				}
				if e.RemovalPolicy != Retain && e.RemovalPolicy != Destroy {
					t.Fatalf("accepted removal policy %q", e.RemovalPolicy)
				}
				if d := e.Domain; d != nil {
					if err := CheckHostName(d.Name); err != nil {
						t.Fatalf("accepted domain name: %s", err)
					}
					if d.CertificateARN != "" {
						if err := CheckCertificateARN(d.CertificateARN, e.Account); err != nil {
							t.Fatalf("accepted certificate: %s", err)
						}
					} else if err := CheckCertificateName(d.Name); err != nil || d.HostedZoneID == "" {
						t.Fatalf("accepted a domain whose certificate cannot be created: %v (zone %q)", err, d.HostedZoneID)
					}
					if d.HostedZoneID != "" {
						if err := CheckHostedZone(d.HostedZoneID, d.HostedZoneName, d.Name); err != nil {
							t.Fatalf("accepted hosted zone: %s", err)
						}
					}
				}
			}
		}
		if picked, err := cfg.Select(NewSelection("-c env", selection)); err == nil {
			for _, e := range picked {
				if _, ok := cfg.Find(e.Name); !ok {
					t.Fatalf("selected unknown environment %q", e.Name)
				}
			}
		}
	})
}

// FuzzReadCDKJSON feeds arbitrary bytes as a whole cdk.json: reading it
// either fails with an error that names the file, or yields a context whose
// every problem (duplicates, settings) is complete.
func FuzzReadCDKJSON(f *testing.F) {
	f.Add([]byte(`{"context": {"wellknown:environments": {"dev": {"account": "111111111111", "region": "eu-west-1"}}}}`))
	f.Add([]byte(`{"context": {"wellknown:environments": {"a": {}, "a": {"region": null, "region": 1}}, "wellknown:x": 1}, "context": {}}`))
	f.Add([]byte("{\n  \"context\": {,}\n}"))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"context": {"wellknown:environments": {"dev": {"account": "111111111111", "region": "eu-west-1"}}, "wellknown:ci": {"github": {"repository": "acme/app-links"}, "promotion": ["dev"], "stackRegions": {"111111111111": "eu-west-1"}}}}`))
	f.Add([]byte(`{"context": {"wellknown:environments": {"dev": {"account": "111111111111", "region": "eu-west-1"}}, "wellknown:pipeline": {"account": "999999999999", "region": "eu-west-1", "source": {"connectionArn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/x", "repository": "acme/app-links"}, "waves": [["dev"]], "approvalBefore": ["dev"]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), FileName)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, err := ReadCDKJSON(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		_, problems := Parse(ctx, ".")
		for _, p := range problems {
			if p.File != FileName || !strings.HasPrefix(p.Path, "context") || p.Message == "" || p.Fix == "" {
				t.Fatalf("incomplete problem: %#v", p)
			}
		}
	})
}
