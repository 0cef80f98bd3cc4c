package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeSession is one "$ command" of a README code block and the output
// recorded under it.
type readmeSession struct {
	line int
	cmd  string
	want []string
}

// readmeSessions lists the README's sessions in order. A session's output
// runs to the next "$ " line or the end of the block, blank lines that
// separate it from the next one left out.
func readmeSessions(t *testing.T) []readmeSession {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out []readmeSession
	inBlock := false
	for i := 0; i < len(lines); i++ {
		switch l := lines[i]; {
		case strings.HasPrefix(l, "```"):
			inBlock = !inBlock
		case inBlock && strings.HasPrefix(l, "$ "):
			j := i + 1
			for j < len(lines) && !strings.HasPrefix(lines[j], "```") && !strings.HasPrefix(lines[j], "$ ") {
				j++
			}
			end := j
			for end > i+1 && lines[end-1] == "" {
				end--
			}
			out = append(out, readmeSession{line: i + 1, cmd: l[2:], want: lines[i+1 : end]})
			i = j - 1
		}
	}
	return out
}

// demoCopy copies the project's cdk.json and assets to a new directory,
// the README's /tmp/wellknown-demo and /tmp/wellknown-domain.
func demoCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "assets"), os.DirFS("assets")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "cdk.json"), string(data))
	return dir
}

// The README's sessions of the wellknown command are what it prints. Each
// that needs no network, AWS account or local server is run again — from
// the repository root, in copies of the project standing for
// /tmp/wellknown-demo and /tmp/wellknown-domain, set up as the README
// describes them — and compared line by line.
func TestREADMESessions(t *testing.T) {
	// /tmp/wellknown-demo: first "whose dev assetlinks.json has a lowercase
	// fingerprint and a pasted SHA-1", then, from the first new-env on, a
	// fresh copy that the sessions change in turn.
	demo := demoCopy(t)
	path := filepath.Join(demo, "assets", "dev", ".well-known", "assetlinks.json")
	var statements []map[string]interface{}
	if err := json.Unmarshal([]byte(readFileString(t, path)), &statements); err != nil {
		t.Fatal(err)
	}
	target := statements[0]["target"].(map[string]interface{})
	fps := target["sha256_cert_fingerprints"].([]interface{})
	fps[0] = strings.ToLower(fps[0].(string))
	target["sha256_cert_fingerprints"] = append(fps, "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42")
	broken, _ := json.MarshalIndent(statements, "", "  ")
	write(t, path, string(broken))
	// /tmp/wellknown-domain: prod with a custom domain that keeps S3 public.
	domain := demoCopy(t)
	cdk := readFileString(t, filepath.Join(domain, "cdk.json"))
	withDomain := strings.Replace(cdk, `"terminationProtection": true`, `"terminationProtection": true,
        "domain": {"name": "links.acme.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "acme.com", "keepS3Public": true}`, 1)
	if withDomain == cdk {
		t.Fatal("could not add the domain")
	}
	write(t, filepath.Join(domain, "cdk.json"), withDomain)

	ran, fresh := 0, false
	for _, s := range readmeSessions(t) {
		args := strings.Fields(s.cmd)
		if args[0] != "wellknown" || strings.Contains(s.cmd, " verify ") || strings.Contains(s.cmd, " doctor ") {
			continue // other tools, or sessions against servers and AWS
		}
		if strings.Contains(s.cmd, " new-env ") && !fresh {
			demo, fresh = demoCopy(t), true
		}
		subst := strings.NewReplacer("/tmp/wellknown-demo", demo, "/tmp/wellknown-domain", domain)
		for i := range args {
			args[i] = subst.Replace(args[i])
		}
		cmd := exec.Command(cliBinary, args[1:]...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		code := 0
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatal(err)
			}
			code = ee.ExitCode()
		}
		got := strings.Split(strings.TrimRight(out.String(), "\n")+fmt.Sprintf("\n[exit %d]", code), "\n")
		want := strings.Split(subst.Replace(strings.Join(s.want, "\n")), "\n")
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("README line %d: $ %s\n--- README\n%s\n--- real\n%s", s.line, s.cmd, strings.Join(want, "\n"), strings.Join(got, "\n"))
		}
		ran++
	}
	if ran < 10 {
		t.Errorf("only %d sessions ran; did the README's layout change?", ran)
	}
}

func readFileString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
