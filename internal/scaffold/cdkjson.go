package scaffold

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/acme/wellknown/internal/config"
	"github.com/acme/wellknown/internal/jsontree"
)

// cdk.json is edited as text, not re-encoded: re-encoding would sort the
// keys of every map and reformat a file people maintain by hand. Only the
// bytes of one member are inserted or replaced.

// object is an object of the document with its members' spans.
type object struct{ *jsontree.Node }

// member is one "key": value of an object, as byte offsets into the file.
type member struct {
	key              string
	keyStart         int // the opening quote
	valStart, valEnd int
	obj              *object // set when the value is an object
}

func (o *object) open() int  { return o.Start }
func (o *object) close() int { return o.End - 1 }

func (o *object) members() []member {
	out := make([]member, len(o.Members))
	for i, m := range o.Members {
		out[i] = member{key: m.Key, keyStart: m.KeyStart, valStart: m.Value.Start, valEnd: m.Value.End}
		if m.Value.Kind == jsontree.Object {
			out[i].obj = &object{m.Value}
		}
	}
	return out
}

func (o *object) find(key string) (member, bool) {
	ms := o.members()
	for i := len(ms) - 1; i >= 0; i-- { // the last duplicate wins, as in encoding/json
		if ms[i].key == key {
			return ms[i], true
		}
	}
	return member{}, false
}

// parseSpans maps the objects of a JSON document whose root is an object.
func parseSpans(data []byte) (*object, error) {
	root, _, err := jsontree.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if root.Kind != jsontree.Object {
		return nil, errors.New("the top level is not an object")
	}
	return &object{root}, nil
}

func skip(data []byte, i int, chars string) int {
	for i < len(data) && bytes.IndexByte([]byte(chars), data[i]) >= 0 {
		i++
	}
	return i
}

// style is the layout around an object, so that inserted text looks like
// the rest.
type style struct {
	compact bool   // the object (or the whole file) is on one line
	nl      string // "\n" or "\r\n"
	unit    string // one indentation level
}

func detectStyle(data []byte, o *object) style {
	s := style{nl: "\n", unit: "  "}
	if bytes.Contains(data, []byte("\r\n")) {
		s.nl = "\r\n"
	}
	oneLine := !bytes.Contains(data[o.open():o.close()], []byte("\n"))
	s.compact = !bytes.Contains(data, []byte("\n")) || oneLine && len(o.Members) > 0
	return s
}

// lineIndent is the leading whitespace of the line holding offset i.
func lineIndent(data []byte, i int) string {
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	end := skip(data, start, " \t")
	return string(data[start:end])
}

func (s style) render(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if !s.compact {
		enc.SetIndent(indent, s.unit)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.TrimRight(buf.Bytes(), "\n")
	if s.nl != "\n" {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte(s.nl))
	}
	return out, nil
}

// setMember replaces the value of key in o, or appends "key": v as the
// last member, indented like its siblings.
func setMember(data []byte, o *object, key string, v any) ([]byte, error) {
	s := detectStyle(data, o)
	outer := lineIndent(data, o.open())
	inner := outer + s.unit
	if len(o.Members) > 0 {
		inner = lineIndent(data, o.Members[0].KeyStart)
		if len(inner) > len(outer) && inner[:len(outer)] == outer {
			s.unit = inner[len(outer):] // keep the file's own indentation width
		}
	}
	value, err := s.render(v, inner)
	if err != nil {
		return nil, err
	}
	if m, ok := o.find(key); ok {
		return splice(data, m.valStart, m.valEnd, value), nil
	}
	entry := append(append(quoteKey(key), ": "...), value...)
	sep := s.nl + inner
	if s.compact {
		sep = " "
	}
	if len(o.Members) == 0 {
		closing := s.nl + outer
		if s.compact {
			closing = ""
		}
		text := append(append([]byte(sep), entry...), closing...)
		return splice(data, o.open()+1, o.close(), text), nil
	}
	last := o.members()[len(o.Members)-1]
	return splice(data, last.valEnd, last.valEnd, append([]byte(","+sep), entry...)), nil
}

func quoteKey(k string) []byte {
	b, _ := json.Marshal(k)
	return b
}

func splice(data []byte, from, to int, text []byte) []byte {
	return slices.Concat(data[:from], text, data[to:])
}

// Entry is the cdk.json value new-env writes for an environment: the
// settings it was given, then every other setting of the entry it
// replaces, as written there — so that regenerating an environment's files
// cannot quietly drop its termination protection or turn "destroy" into
// "retain", and a broken setting stays visible to the validator instead of
// being dropped.
type Entry []Setting

// Setting is one "key": value of an Entry.
type Setting struct {
	Key   string
	Value json.RawMessage
}

// MarshalJSON writes the settings in order.
func (e Entry) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, s := range e {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(quoteKey(s.Key))
		b.WriteByte(':')
		b.Write(s.Value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func stringValue(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// setEnvironment returns cdk.json with context["wellknown:environments"][name]
// set to s, creating "context" and the environments object when missing.
func setEnvironment(data []byte, name string, s Entry) ([]byte, error) {
	return setPath(data, []string{"context", config.ContextKey, name}, s)
}

// setPath returns data with the value at path (object keys from the root)
// set to v, creating the objects on the way that are missing. Everything
// else, including key order and formatting, stays as it was; that is
// verified before returning.
func setPath(data []byte, path []string, v any) ([]byte, error) {
	obj, err := parseSpans(data)
	if err != nil {
		return nil, fmt.Errorf("cdk.json: %w", err)
	}
	var out []byte
	for i, key := range path {
		m, ok := obj.find(key)
		switch {
		case !ok || i == len(path)-1:
			out, err = setMember(data, obj, key, nested(path[i+1:], v))
		case m.obj == nil:
			return nil, fmt.Errorf("cdk.json: %s is not an object", pathText(path[:i+1]))
		default:
			obj = m.obj
			continue
		}
		break
	}
	if err != nil {
		return nil, err
	}
	if err := checkEdit(data, out, path, v); err != nil {
		return nil, fmt.Errorf("cdk.json edit would change more than %s (%w); nothing written, make the change by hand", pathText(path), err)
	}
	return out, nil
}

// nested wraps v in one object per key of path.
func nested(path []string, v any) any {
	for i := len(path) - 1; i >= 0; i-- {
		v = map[string]any{path[i]: v}
	}
	return v
}

func pathText(path []string) string {
	if len(path) == 1 {
		return fmt.Sprintf("%q", path[0])
	}
	out := path[0]
	for _, k := range path[1:] {
		out += fmt.Sprintf("[%q]", k)
	}
	return out
}

// checkEdit proves the edit: the result parses, every member off the path
// has the same value and position as before, and the value at the path
// reads back as v.
func checkEdit(before, after []byte, path []string, v any) error {
	a, _ := parseSpans(before)
	b, err := parseSpans(after)
	if err != nil {
		return err
	}
	where := "$"
	for i, key := range path {
		if a != nil {
			if err := sameMembers(before, after, a, b, key, where); err != nil {
				return err
			}
		}
		got, ok := b.find(key)
		if !ok {
			return fmt.Errorf("%s missing", pathText(path[:i+1]))
		}
		if i == len(path)-1 || a == nil {
			want, _ := json.Marshal(nested(path[i+1:], v))
			if d, err := jsontree.FirstDifference(want, after[got.valStart:got.valEnd]); err != nil || d != "" {
				return fmt.Errorf("%s differs at %s", pathText(path[:i+1]), d)
			}
			return nil
		}
		if am, ok := a.find(key); ok && am.obj != nil {
			a = am.obj
		} else {
			a = nil // created by the edit: compared as a whole next round
		}
		b, where = got.obj, pathText(path[:i+1])
		if b == nil {
			return fmt.Errorf("%s is not an object", where)
		}
	}
	return nil
}

// sameMembers checks that a and b have the same keys in the same order,
// except the one edited key, and equal values for all the others.
func sameMembers(before, after []byte, a, b *object, edited, where string) error {
	drop := func(ms []member) []member {
		return slices.DeleteFunc(slices.Clone(ms), func(m member) bool { return m.key == edited })
	}
	am, bm := drop(a.members()), drop(b.members())
	if len(am) != len(bm) {
		return fmt.Errorf("keys of %s changed", where)
	}
	for i, m := range am {
		n := bm[i]
		if m.key != n.key {
			return fmt.Errorf("keys of %s changed order", where)
		}
		if d, err := jsontree.FirstDifference(before[m.valStart:m.valEnd], after[n.valStart:n.valEnd]); err != nil || d != "" {
			return fmt.Errorf("value of %s.%s changed", where, m.key)
		}
	}
	return nil
}
