package workflows

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Whatever a scalar holds, YAML reads back the same string: plain where
// that is safe, quoted otherwise.
func TestScalarRoundTrip(t *testing.T) {
	for _, s := range []string{
		"main", "on", "No", "true", "null", "~", "", " lead", "trail ", "1.25.0", "20", "0x1F", "1e3", ".inf",
		"111111111111", "12:30", "a: b", "a #b", "a#b", "-x", "? x", "*alias", "&anchor", "!tag", "|", ">", "%x", "@x", "`x",
		"'quoted'", `"double"`, "${{ github.run_id }}", "wellknown-${{ github.run_id }}",
		"github.repository == 'acme/wellknown' && github.ref == 'refs/heads/main'",
		"arn:aws:iam::111111111111:role/wellknown-deploy-dev", "tab\there", "new\nline", "ünïcode", "{a}", "[a]", "a, b",
	} {
		var b strings.Builder
		mapping{{key: "k", value: scalar(s)}}.write(&b, 0)
		var got map[string]string
		if err := yaml.Unmarshal([]byte(b.String()), &got); err != nil {
			t.Errorf("%q: written as %q, which does not parse: %v", s, b.String(), err)
			continue
		}
		if got["k"] != s {
			t.Errorf("%q: written as %q, read back as %q", s, b.String(), got["k"])
		}
		// YAML 1.1 readers (GitHub's parser among them) take these words
		// for booleans, so they must be quoted.
		if yaml11[strings.ToLower(s)] && !strings.Contains(b.String(), `"`) {
			t.Errorf("%q written unquoted", s)
		}
	}
}

func TestLiteralRoundTrip(t *testing.T) {
	script := "a=1\n\nif [ \"$a\" = 1 ]; then\n  echo '#' \"x: y\"\nfi\n"
	var b strings.Builder
	mapping{{key: "steps", value: sequence{mapping{{key: "name", value: scalar("x")}, {key: "run", value: literal(script)}}}}}.write(&b, 0)
	var got struct {
		Steps []struct{ Name, Run string }
	}
	if err := yaml.Unmarshal([]byte(b.String()), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(got.Steps) != 1 || got.Steps[0].Run != script {
		t.Errorf("read back %q from\n%s", got.Steps, b.String())
	}
}
