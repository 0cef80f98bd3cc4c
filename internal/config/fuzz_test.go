package config

import (
	"encoding/json"
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
