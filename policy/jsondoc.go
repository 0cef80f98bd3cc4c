package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The engine reads the template text itself, and two of its outputs depend
// on the text's order, which encoding/json's maps lose: outgoingRefs lists
// references in the order they appear (the rules print them, WK-001's
// "references: ..."), and diagnostics are sorted by their source position.
// So the template is parsed into this order-preserving tree, whose nodes
// carry their pre-order index: comparing two indexes compares the start
// positions the engine reports (a member's key starts before its value and
// everything in it, an element before everything in it).

// node is one JSON value of the template.
type node struct {
	// pos is the pre-order index of the value, or, for an object member, of
	// its key (the engine's span of a property is its key).
	pos int
	// kind is one of the kind* constants.
	kind int
	// str is a string's value or a number's literal text.
	str string
	b   bool
	// elems are an array's elements.
	elems []*node
	// keys and members are an object's keys in text order and its members.
	keys    []string
	members map[string]*node
}

const (
	kindNull = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// member returns the object member key, or nil.
func (n *node) member(key string) *node {
	if n == nil || n.kind != kindObject {
		return nil
	}
	return n.members[key]
}

// parseTemplate parses a JSON template. A duplicate key is an error: which
// of the two the engine would keep is not something to guess about.
func parseTemplate(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &parser{dec: dec}
	root, err := p.value(nil)
	if err != nil {
		return nil, fmt.Errorf("template JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("template JSON: data after the top-level value")
	}
	if root.kind != kindObject {
		return nil, errors.New("template JSON: not an object")
	}
	return root, nil
}

type parser struct {
	dec  *json.Decoder
	next int
}

// value reads one value; tok is its first token when the caller already
// read it.
func (p *parser) value(tok json.Token) (*node, error) {
	if tok == nil {
		var err error
		if tok, err = p.dec.Token(); err != nil {
			return nil, err
		}
	}
	n := &node{pos: p.next}
	p.next++
	switch t := tok.(type) {
	case nil:
		n.kind = kindNull
	case bool:
		n.kind, n.b = kindBool, t
	case json.Number:
		n.kind, n.str = kindNumber, t.String()
	case string:
		n.kind, n.str = kindString, t
	case json.Delim:
		switch t {
		case '[':
			n.kind = kindArray
			for p.dec.More() {
				e, err := p.value(nil)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, e)
			}
		case '{':
			n.kind, n.members = kindObject, map[string]*node{}
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key %v is not a string", kt)
				}
				if _, dup := n.members[key]; dup {
					return nil, fmt.Errorf("duplicate key %q", key)
				}
				keyPos := p.next
				p.next++
				v, err := p.value(nil)
				if err != nil {
					return nil, err
				}
				// A member is found at its key's position, which precedes
				// everything inside its value.
				v.pos = keyPos
				n.keys = append(n.keys, key)
				n.members[key] = v
			}
		default:
			return nil, fmt.Errorf("unexpected %v", t)
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unexpected token %v", tok)
	}
	return n, nil
}
