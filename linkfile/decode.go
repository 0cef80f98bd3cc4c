package linkfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// node is a JSON value that, unlike map[string]any, keeps key order so that
// problems are reported in file order.
type node struct {
	kind   kind
	str    string // string value, number text, or "true"/"false"
	elems  []*node
	keys   []string // first-occurrence order, without duplicates
	fields map[string]*node
}

func (n *node) get(key string) (*node, bool) {
	v, ok := n.fields[key]
	return v, ok
}

// describe names a value's type for "found ..." messages, with the value
// itself for scalars because that is usually what the user must change.
func describe(n *node) string {
	switch n.kind {
	case kindNull:
		return "null"
	case kindBool:
		return "boolean " + n.str
	case kindNumber:
		return "number " + n.str
	case kindString:
		return "string " + quote(n.str)
	case kindArray:
		return "an array"
	}
	return "an object"
}

var bom = []byte{0xEF, 0xBB, 0xBF}

const cdkTokenMarker = "${Token["

// decode runs the checks shared by both files and returns the document, or
// nil when the syntax is too broken to look inside.
func (c *checker) decode(data []byte) *node {
	if len(data) == 0 {
		c.errorf("$", "write the JSON document, e.g. "+c.example, "file is empty")
		return nil
	}
	if len(data) > MaxSize {
		c.errorf("$", "make the file smaller: remove unused entries or merge patterns with wildcards",
			"file is %d bytes, over the %d-byte (128 KiB) limit Apple applies", len(data), MaxSize)
	}
	body := data
	if bytes.HasPrefix(data, bom) {
		c.errorf("$", "save the file as UTF-8 without BOM", "starts with a UTF-8 byte order mark")
		// Blank the BOM instead of slicing it off so offsets still match the file.
		body = append([]byte("   "), data[len(bom):]...)
	}
	if off := invalidUTF8(body); off >= 0 {
		line, col := position(body, off)
		c.errorf("$", "save the file as UTF-8 (the byte is probably Latin-1 or Windows-1252 text)",
			"invalid UTF-8 at byte offset %d (line %d col %d)", off, line, col)
	}
	// The CDK reads "${Token[" in uploaded data as an unresolved deploy-time
	// value and fails the synthesis on it, so such text cannot be published.
	if off := bytes.Index(body, []byte(cdkTokenMarker)); off >= 0 {
		line, col := position(body, off)
		c.errorf("$", "remove or reword that text",
			"contains %q at line %d col %d, which the CDK would read as an unresolved token when uploading", cdkTokenMarker, line, col)
	}
	var raw json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			c.errorf("$", "check the JSON syntax", "invalid JSON: %v", err)
			return nil
		}
		msg, fix := c.explain(body, se)
		c.errorf("$", fix, "%s", msg)
		return nil
	}
	w := walker{dec: json.NewDecoder(bytes.NewReader(body)), data: body, c: c}
	w.dec.UseNumber()
	root, err := w.value()
	if err != nil { // unreachable after Unmarshal succeeded, but never panic
		c.errorf("$", "check the JSON syntax", "invalid JSON: %v", err)
		return nil
	}
	return root
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// seg is one step of a JSON path, kept as data so that paths are only
// rendered for the rare value that needs one (deep input stays linear).
type seg struct {
	key   string
	index int
	isKey bool
}

func render(segs []seg) string {
	p := "$"
	for _, s := range segs {
		if s.isKey {
			p = keyPath(p, s.key)
		} else {
			p = indexPath(p, s.index)
		}
	}
	return p
}

// walker builds the tree from json.Decoder tokens because Unmarshal hides
// duplicate keys: Go keeps the last value, other parsers may keep the first.
type walker struct {
	dec  *json.Decoder
	data []byte
	segs []seg
	c    *checker // nil: duplicates are ignored

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

func (w *walker) value() (*node, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return w.array()
		}
		if t == '{' {
			return w.object()
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case string:
		return &node{kind: kindString, str: t}, nil
	case json.Number:
		return &node{kind: kindNumber, str: string(t)}, nil
	case bool:
		return &node{kind: kindBool, str: fmt.Sprint(t)}, nil
	case nil:
		return &node{kind: kindNull}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func (w *walker) array() (*node, error) {
	n := &node{kind: kindArray}
	for i := 0; w.dec.More(); i++ {
		w.segs = append(w.segs, seg{index: i})
		e, err := w.value()
		w.segs = w.segs[:len(w.segs)-1]
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, e)
	}
	_, err := w.dec.Token()
	return n, err
}

func (w *walker) object() (*node, error) {
	n := &node{kind: kindObject, fields: map[string]*node{}}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("object key %v is not a string", tok)
		}
		line := w.line(int(w.dec.InputOffset()) - 1)
		w.segs = append(w.segs, seg{key: key, isKey: true})
		if _, dup := n.fields[key]; !dup {
			n.keys = append(n.keys, key)
		} else if w.c != nil {
			w.c.errorf(render(w.segs), "keep one "+quote(key)+" and merge the values into it",
				"duplicate key %s (line %d): parsers disagree on which value wins", quote(key), line)
		}
		v, err := w.value()
		if err != nil {
			return nil, err
		}
		w.segs = w.segs[:len(w.segs)-1]
		n.fields[key] = v // the last value wins, as in encoding/json
	}
	_, err := w.dec.Token()
	return n, err
}
