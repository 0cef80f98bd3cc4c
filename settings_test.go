package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/jsontree"
)

// wrongValues are one JSON value of every type; each field gets all those
// its type does not allow, null included.
var wrongValues = []struct {
	kind  jsontree.Kind
	json  string
	shown string // how a problem quotes it
}{
	{jsontree.Null, `null`, "null"},
	{jsontree.Number, `12`, "12"},
	{jsontree.String, `"x"`, `"x"`},
	{jsontree.Bool, `true`, "true"},
	{jsontree.Array, `["eu-west-1"]`, "an array"},
	{jsontree.Object, `{"a": 1}`, "an object"},
}

var kindNames = map[jsontree.Kind]string{
	jsontree.String: "a string", jsontree.Bool: "true or false", jsontree.Object: "an object", jsontree.Array: "an array",
}

// settingCase is one field of one section set to one wrong value.
type settingCase struct {
	name  string
	field config.Field
	path  string // the problem's JSON path
	set   func(p *project)
	want  string // "<path>: must be …, got …"
	// givenByNewEnv: new-env's flags replace the value, so it succeeds.
	givenByNewEnv bool
}

// settingCases walks every field the parser knows, in every section, and
// builds a case for each wrong JSON type: a field added later is covered
// without anyone adding it here.
func settingCases(t *testing.T) []settingCase {
	var cases []settingCase
	for _, sec := range config.Sections {
		root := fmt.Sprintf("context[%q]", sec.Key)
		if sec.PerEnvironment {
			root += ".dev"
		}
		var walk func(fields []config.Field, path string, parents []config.Field)
		walk = func(fields []config.Field, path string, parents []config.Field) {
			for _, f := range fields {
				fpath := path + "." + f.Name
				for _, w := range wrongValues {
					if w.kind == f.Kind {
						continue
					}
					cases = append(cases, settingCase{
						name:          fmt.Sprintf("%s=%s", strings.TrimPrefix(fpath, "context"), w.json),
						field:         f,
						path:          fpath,
						set:           setter(t, sec, parents, f.Name, w.json),
						want:          fmt.Sprintf("%s: must be %s, got %s", fpath, kindNames[f.Kind], w.shown),
						givenByNewEnv: sec.PerEnvironment && len(parents) == 0 && (f.Name == "account" || f.Name == "region"),
					})
				}
				if f.Kind == jsontree.Object {
					walk(f.Fields, fpath, append(parents, f))
				}
			}
		}
		walk(sec.Fields, root, nil)
	}
	if len(cases) < 7*5 {
		t.Fatalf("only %d cases; every environment setting should have five", len(cases))
	}
	return cases
}

// setter returns a change of the example project that sets name, inside
// the objects parents (each filled with its example), to raw.
func setter(t *testing.T, sec config.Section, parents []config.Field, name, raw string) func(p *project) {
	return func(p *project) {
		var obj map[string]interface{}
		if sec.PerEnvironment {
			obj = p.env("dev")
		} else {
			obj, _ = p.context[sec.Key].(map[string]interface{})
			if obj == nil {
				if err := json.Unmarshal([]byte(sec.Example), &obj); err != nil || obj == nil {
					t.Fatalf("the example cdk.json has no %q section and config.Sections no example of it: %v", sec.Key, err)
				}
				p.context[sec.Key] = obj
			}
		}
		for _, f := range parents {
			child, ok := obj[f.Name].(map[string]interface{})
			if !ok {
				child = map[string]interface{}{}
				if err := json.Unmarshal([]byte(f.Example), &child); err != nil {
					t.Fatalf("example of %s: %v", f.Name, err)
				}
				obj[f.Name] = child
			}
			obj = child
		}
		var v interface{}
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			t.Fatal(err)
		}
		obj[name] = v
	}
}

// checkOneProblem asserts that out names the value's path exactly once,
// with the expected message, and a fix whose `"name": value` is valid JSON
// of the field's type.
func checkOneProblem(t *testing.T, who, out string, c settingCase) {
	t.Helper()
	var lines []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, c.path+": ") {
			lines = append(lines, line)
		}
	}
	if len(lines) != 1 {
		t.Errorf("%s: want exactly one problem at %s, got %d:\n%s", who, c.path, len(lines), out)
		return
	}
	if !strings.HasPrefix(lines[0], "cdk.json: "+c.want) {
		t.Errorf("%s: got %q, want it to start %q", who, lines[0], "cdk.json: "+c.want)
	}
	_, fix, ok := strings.Cut(lines[0], " — ")
	member := fmt.Sprintf("%q: ", c.field.Name)
	i := strings.Index(fix, member)
	if !ok || i < 0 {
		t.Errorf("%s: fix %q does not show %s<value>", who, fix, member)
		return
	}
	dec := json.NewDecoder(strings.NewReader(fix[i+len(member):]))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		t.Errorf("%s: the fix's value is not JSON: %q (%v)", who, fix, err)
		return
	}
	if n, _, err := jsontree.Parse(v); err != nil || n.Kind != c.field.Kind {
		t.Errorf("%s: the fix's value %s is not %s", who, v, kindNames[c.field.Kind])
	}
}

// Every setting, set to every JSON type it does not allow and to null, is
// rejected the same way by synthesis, check, handoff and new-env --force:
// one problem naming the setting, a fix that is valid JSON, and nothing
// written.
func TestEverySettingRejectsEveryWrongType(t *testing.T) {
	for _, c := range settingCases(t) {
		t.Run(c.name, func(t *testing.T) {
			// Invalid input never reaches jsii: each case is a few short
			// processes, which run side by side.
			t.Parallel()
			p := newProject(t)
			c.set(p)
			p.write("cdk.out/manifest.json", "{}")

			res := p.synth(nil)
			if res.exit != 1 {
				t.Errorf("synth: exit %d, want 1\n%s", res.exit, res.stderr)
			}
			checkOneProblem(t, "synth", res.stderr, c)
			if strings.Contains(res.stderr, "goroutine ") || strings.Contains(res.stderr, "panic") {
				t.Errorf("synth panicked:\n%s", res.stderr)
			}
			if len(templates(t, res.outdir)) != 0 || fileExists(filepath.Join(res.outdir, "manifest.json")) {
				t.Error("synth left a deployable assembly")
			}

			res = p.cli("check")
			if res.exit != 2 {
				t.Errorf("check: exit %d, want 2\n%s%s", res.exit, res.stdout, res.stderr)
			}
			checkOneProblem(t, "check", res.stdout, c)

			res = p.cli("handoff")
			if res.exit != 2 || res.stdout != "" {
				t.Errorf("handoff: exit %d, want 2, stdout %q", res.exit, res.stdout)
			}
			checkOneProblem(t, "handoff", res.stderr, c)

			before, _ := os.ReadFile(filepath.Join(p.dir, "cdk.json"))
			p.keepCDKJSON = true
			res = p.cli("new-env", "dev", "--force", "--account", "111111111111", "--region", "eu-west-1", "--ios-app-id", "ABCDE12345.com.acme.shop.dev")
			after, _ := os.ReadFile(filepath.Join(p.dir, "cdk.json"))
			if c.givenByNewEnv {
				// The command line replaces the broken value.
				if res.exit != 0 {
					t.Errorf("new-env: exit %d, want 0 (its flags replace %s)\n%s", res.exit, c.path, res.stderr)
				}
				if res := p.cli("check"); res.exit != 0 {
					t.Errorf("check after new-env: exit %d\n%s", res.exit, res.stdout)
				}
				return
			}
			if res.exit != 2 {
				t.Errorf("new-env --force: exit %d, want 2\n%s", res.exit, res.stderr)
			}
			checkOneProblem(t, "new-env", res.stderr, c)
			if string(before) != string(after) {
				t.Error("new-env changed cdk.json although it refused")
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
