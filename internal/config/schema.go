package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

// A Field is one setting a section accepts: its JSON type, whether it is
// required, and an example value (JSON text) used in fixes. Every section
// is decoded through Fields, so null, a wrong type or an unknown key is
// caught the same way for a setting added later.
type Field struct {
	Name     string
	Kind     jsontree.Kind // String, Bool, Object or Array
	Required bool
	Example  string // JSON text of a valid value, e.g. `"eu-west-1"`
	// Default says what an absent optional setting means, for fixes.
	Default string
	// Fields are the settings of an Object field.
	Fields []Field
}

// reader decodes one JSON object of a section against its fields and
// collects one problem per wrong value.
type reader struct {
	source string // the problems' File
	path   string // JSON path of the object
	node   *jsontree.Node
	ps     *[]diag.Problem
}

func (r *reader) errorAt(path, message, fix string) {
	*r.ps = append(*r.ps, diag.Problem{File: r.source, Path: path, Severity: diag.Error, Message: message, Fix: fix})
}

// givenWithFlag reports a section written as `cdk -c KEY=<JSON>`. The
// CDK CLI passes every -c value as a string, so the JSON arrives as text,
// and the usual "must be an object, got "{…}"" with an example to paste
// would ask for what -c cannot give: sections belong in a file. A string
// that is not JSON is left to the section's own check.
func givenWithFlag(e entry, key string, ps *[]diag.Problem) bool {
	if !e.flag || e.node == nil || e.node.Kind != jsontree.String {
		return false
	}
	if _, _, err := jsontree.Parse([]byte(e.node.Str)); err != nil {
		return false
	}
	*ps = append(*ps, diag.Problem{File: e.source, Path: SectionPath(key), Severity: diag.Error,
		Message: "is a string: cdk -c passes every value as a string, so JSON given there arrives as text, never as an object",
		Fix:     fmt.Sprintf(`put %q in cdk.json's "context" object instead of passing it with -c`, key)})
	return true
}

// object checks that r's node is an object and reports its unknown keys.
func (r *reader) object(what, example string, fields []Field) bool {
	if r.node == nil || r.node.Kind != jsontree.Object {
		got := "nothing"
		if r.node != nil {
			got = shown(r.node)
		}
		r.errorAt(r.path, fmt.Sprintf("must be %s, got %s", what, got), "e.g. "+example)
		return false
	}
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	for _, k := range r.node.Keys {
		if !slices.Contains(names, k) {
			r.errorAt(r.path+pathKey(k), fmt.Sprintf("unknown setting %s", quoted(k)), "known settings: "+strings.Join(names, ", ")+suggest(k, names))
		}
	}
	for _, f := range fields {
		if _, ok := r.node.Get(f.Name); !ok && f.Required {
			r.errorAt(r.path+pathKey(f.Name), "is required", fmt.Sprintf("add %q: %s", f.Name, f.Example))
		}
	}
	return true
}

// value returns field f's node when it is present and of f's kind; a
// present value of another kind (null included) is reported once, with a
// fix that is itself valid JSON.
func (r *reader) value(f Field) (*jsontree.Node, bool) {
	n, ok := r.node.Get(f.Name)
	if !ok {
		return nil, false
	}
	if n.Kind == f.Kind {
		return n, true
	}
	msg := fmt.Sprintf("must be %s, got %s", kindName(f.Kind), shown(n))
	r.errorAt(r.path+pathKey(f.Name), msg, fixFor(f, n))
	return nil, false
}

func (r *reader) str(f Field) (string, bool) {
	n, ok := r.value(f)
	if !ok {
		return "", false
	}
	return n.Str, true
}

func (r *reader) boolean(f Field) (bool, bool) {
	n, ok := r.value(f)
	if !ok {
		return false, false
	}
	return n.Str == "true", true
}

// child is a reader for an object field.
func (r *reader) child(f Field) (*reader, bool) {
	n, ok := r.value(f)
	if !ok {
		return nil, false
	}
	c := &reader{source: r.source, path: r.path + pathKey(f.Name), node: n, ps: r.ps}
	return c, c.object("an object", f.Example, f.Fields)
}

func kindName(k jsontree.Kind) string {
	switch k {
	case jsontree.String:
		return "a string"
	case jsontree.Bool:
		return "true or false"
	case jsontree.Array:
		return "an array"
	case jsontree.Object:
		return "an object"
	case jsontree.Number:
		return "a number"
	}
	return "null"
}

// shown is a value as it appears in a message: its JSON text, cut short.
func shown(n *jsontree.Node) string {
	switch n.Kind {
	case jsontree.Null:
		return "null"
	case jsontree.Bool, jsontree.Number:
		return n.Str
	case jsontree.String:
		return quoted(n.Str)
	case jsontree.Array:
		return "an array"
	}
	return "an object"
}

// fixFor says how to write f, starting from the wrong value n where that
// is what the user meant (a number that should be a string, a one-element
// array, a quoted boolean), else from f's example. The fix always holds a
// `"name": value` that parses as JSON.
func fixFor(f Field, n *jsontree.Node) string {
	member := func(value string) string { return fmt.Sprintf("%q: %s", f.Name, value) }
	switch {
	case f.Kind == jsontree.String && n.Kind == jsontree.Number:
		return "quote the value, e.g. " + member(quoted(n.Str))
	case f.Kind == jsontree.String && n.Kind == jsontree.Array && len(n.Elems) == 1 && n.Elems[0].Kind == jsontree.String:
		return "write a single string, not an array: " + member(quoted(n.Elems[0].Str))
	case f.Kind == jsontree.Bool && n.Kind == jsontree.String && (n.Str == "true" || n.Str == "false"):
		return "write the boolean without quotes: " + member(n.Str)
	case f.Kind == jsontree.Bool:
		return fmt.Sprintf("write %s or %s, without quotes%s", member("true"), member("false"), orDefault(f))
	}
	return "write " + member(f.Example) + orDefault(f)
}

func orDefault(f Field) string {
	if f.Required || f.Default == "" {
		return ""
	}
	return fmt.Sprintf(", or remove %q to get the default (%s)", f.Name, f.Default)
}

// quoted shows a value of cdk.json in a message: whole up to maxShown
// characters, which every valid value fits (a DNS name has 253), and cut
// short beyond, so that a megabyte of bucket name cannot make a megabyte
// of error line. It is a JSON string literal, so fixes that show it still
// parse.
func quoted(s string) string { return jsontree.QuoteMax(s, maxShown) }

const maxShown = 256

// suggest names the known setting a key differs from only in case, the
// usual typo ("bucketname").
func suggest(key string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(k, key) {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
	}
	return ""
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// pathKey renders one key of a cdk.json path: dotted when plain,
// bracket-quoted otherwise.
func pathKey(key string) string {
	if plainKey.MatchString(key) && len(key) <= maxShown {
		return "." + key
	}
	// Cut short like every echoed value, so that one absurd key cannot
	// make a problem's path megabytes long.
	return "[" + quoted(key) + "]"
}

// renderPath renders a path that starts at a context key:
// context["wellknown:environments"].dev.region.
func renderPath(segs []jsontree.Seg) string {
	p := fmt.Sprintf("context[%q]", segs[0].Key)
	for _, s := range segs[1:] {
		if s.IsKey {
			p += pathKey(s.Key)
		} else {
			p += fmt.Sprintf("[%d]", s.Index)
		}
	}
	return p
}
