// Package jsontree parses JSON into a tree that, unlike map[string]any,
// keeps key order, reports duplicate keys (encoding/json keeps the last
// value silently, other parsers the first) and knows the byte span of every
// value. It is the one JSON reader behind the link-file validator, the
// cdk.json reader and the cdk.json editor, so all three agree on what a
// document says and where.
package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// BOM is the UTF-8 byte order mark, which JSON does not allow (RFC 8259
// section 8.1) and some editors write.
var BOM = []byte{0xEF, 0xBB, 0xBF}

// Kind is a JSON value's type.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// Node is one JSON value.
type Node struct {
	Kind       Kind
	Str        string // string value, number text, or "true"/"false"
	Elems      []*Node
	Keys       []string // first-occurrence order, without duplicates
	Fields     map[string]*Node
	Members    []Member // every member in file order, duplicates included
	Start, End int      // byte span of the value in the document
}

// Member is one "key": value of an object.
type Member struct {
	Key      string
	KeyStart int // offset of the key's opening quote
	Value    *Node
}

// Get returns the value of key (the last one when it is duplicated, as in
// encoding/json).
func (n *Node) Get(key string) (*Node, bool) {
	v, ok := n.Fields[key]
	return v, ok
}

// Raw is the value's text in data.
func (n *Node) Raw(data []byte) json.RawMessage { return json.RawMessage(data[n.Start:n.End]) }

// Describe names a value's type for "found ..." messages, with the value
// itself for scalars because that is usually what the user must change.
func Describe(n *Node) string {
	switch n.Kind {
	case Null:
		return "null"
	case Bool:
		return "boolean " + n.Str
	case Number:
		return "number " + n.Str
	case String:
		return "string " + Quote(n.Str)
	case Array:
		return "an array"
	}
	return "an object"
}

// Seg is one step of a JSON path, kept as data so that callers render
// paths in their own style and only for the rare value that needs one.
type Seg struct {
	Key   string
	Index int
	IsKey bool
}

// Duplicate is a key that occurs more than once in one object.
type Duplicate struct {
	Path []Seg // ends with the duplicated key
	Key  string
	Line int // of the repeated occurrence
}

// Parse parses one JSON document. A syntax error is a *SyntaxError that
// names the position and the usual cause.
func Parse(data []byte) (*Node, []Duplicate, error) {
	if bytes.HasPrefix(data, BOM) {
		// encoding/json would say "invalid character 'ï'": the editor's
		// encoding setting, not the JSON, is what to change.
		return nil, nil, &SyntaxError{Msg: "the file starts with a UTF-8 byte order mark (line 1 col 1)", Fix: "save the file as UTF-8 without a byte order mark"}
	}
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, explain(data, se)
		}
		return nil, nil, err
	}
	w := walker{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	w.dec.UseNumber()
	root, err := w.value()
	if err != nil { // unreachable after Unmarshal succeeded, but never panic
		return nil, nil, err
	}
	return root, w.dups, nil
}

// walker builds the tree from json.Decoder tokens.
type walker struct {
	dec  *json.Decoder
	data []byte
	segs []Seg
	dups []Duplicate

	// Offsets only grow during the walk, so lines are counted incrementally
	// to keep many duplicate keys linear.
	lineOff, lineNo int
}

func (w *walker) line(off int) int {
	off = min(max(off, w.lineOff), len(w.data))
	w.lineNo += bytes.Count(w.data[w.lineOff:off], []byte{'\n'})
	w.lineOff = off
	return w.lineNo + 1
}

// next is the offset where the next token starts.
func (w *walker) next() int {
	i := int(w.dec.InputOffset())
	for i < len(w.data) && bytes.IndexByte([]byte(" \t\r\n,:"), w.data[i]) >= 0 {
		i++
	}
	return i
}

func (w *walker) value() (*Node, error) {
	start := w.next()
	tok, err := w.dec.Token()
	if err != nil {
		return nil, err
	}
	var n *Node
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			n, err = w.array()
		case '{':
			n, err = w.object()
		default:
			return nil, fmt.Errorf("unexpected %q", t)
		}
		if err != nil {
			return nil, err
		}
	case string:
		n = &Node{Kind: String, Str: t}
	case json.Number:
		n = &Node{Kind: Number, Str: string(t)}
	case bool:
		n = &Node{Kind: Bool, Str: strconv.FormatBool(t)}
	case nil:
		n = &Node{Kind: Null}
	default:
		return nil, fmt.Errorf("unexpected token %v", tok)
	}
	n.Start, n.End = start, int(w.dec.InputOffset())
	return n, nil
}

func (w *walker) array() (*Node, error) {
	n := &Node{Kind: Array}
	for i := 0; w.dec.More(); i++ {
		w.segs = append(w.segs, Seg{Index: i})
		e, err := w.value()
		w.segs = w.segs[:len(w.segs)-1]
		if err != nil {
			return nil, err
		}
		n.Elems = append(n.Elems, e)
	}
	_, err := w.dec.Token()
	return n, err
}

func (w *walker) object() (*Node, error) {
	n := &Node{Kind: Object, Fields: map[string]*Node{}}
	for w.dec.More() {
		keyStart := w.next()
		tok, err := w.dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("object key %v is not a string", tok)
		}
		w.segs = append(w.segs, Seg{Key: key, IsKey: true})
		if _, dup := n.Fields[key]; !dup {
			n.Keys = append(n.Keys, key)
		} else {
			path := append([]Seg(nil), w.segs...)
			w.dups = append(w.dups, Duplicate{Path: path, Key: key, Line: w.line(keyStart)})
		}
		v, err := w.value()
		if err != nil {
			return nil, err
		}
		w.segs = w.segs[:len(w.segs)-1]
		n.Fields[key] = v // the last value wins, as in encoding/json
		n.Members = append(n.Members, Member{Key: key, KeyStart: keyStart, Value: v})
	}
	_, err := w.dec.Token()
	return n, err
}
