package workflows

import (
	"strconv"
	"strings"
)

// A small YAML writer for the shapes a workflow has: ordered mappings,
// sequences, scalars and literal blocks. Writing it here, rather than
// marshalling maps, keeps the key order (name before steps, and so on) and
// the bytes identical from run to run, and lets each `uses:` carry its
// "# vX.Y.Z" comment.

type node interface {
	write(b *strings.Builder, indent int)
}

// mapping is a YAML mapping in the order written.
type mapping []pair

type pair struct {
	key   string
	value node
	// comment follows a scalar value on its line.
	comment string
	// blank separates this entry from the one before it.
	blank bool
}

type sequence []node

// scalar is a string, written plain when YAML reads it back as the same
// string and double-quoted otherwise.
type scalar string

// literal is a multi-line string, written as a literal block (|).
type literal string

// empty is a key with no value, as in `pull_request:`.
type empty struct{}

func (m mapping) add(key string, value node) mapping {
	return append(m, pair{key: key, value: value})
}

func pad(n int) string { return strings.Repeat(" ", n) }

func (m mapping) write(b *strings.Builder, indent int) { m.writeFrom(b, indent, true) }

// writeFrom writes the mapping at indent; the first key goes on the
// current line when it continues a sequence item ("- key: ...").
func (m mapping) writeFrom(b *strings.Builder, indent int, padFirst bool) {
	for i, p := range m {
		if p.blank && i > 0 {
			b.WriteString("\n")
		}
		if i > 0 || padFirst {
			b.WriteString(pad(indent))
		}
		b.WriteString(p.key)
		b.WriteString(":")
		switch v := p.value.(type) {
		case empty:
			b.WriteString("\n")
		case scalar, bareWord:
			b.WriteString(" ")
			v.write(b, indent)
			if p.comment != "" {
				b.WriteString(" # " + p.comment)
			}
			b.WriteString("\n")
		case literal:
			b.WriteString(" |\n")
			v.write(b, indent+2)
		case mapping:
			if len(v) == 0 {
				b.WriteString(" {}\n")
				continue
			}
			b.WriteString("\n")
			v.write(b, indent+2)
		case sequence:
			b.WriteString("\n")
			v.write(b, indent+2)
		}
	}
}

func (s sequence) write(b *strings.Builder, indent int) {
	for _, item := range s {
		b.WriteString(pad(indent) + "- ")
		switch v := item.(type) {
		case mapping:
			v.writeFrom(b, indent+2, false)
		case scalar:
			v.write(b, indent)
			b.WriteString("\n")
		}
	}
}

// isPlain reports whether s can be written unquoted and read back, by a
// YAML 1.1 or 1.2 parser, as the same string: it starts with a letter, '_'
// or '$' (so it is no number, date or YAML indicator), is no boolean or null
// word, and holds nothing that ends or comments a plain scalar.
func isPlain(s string) bool {
	if s == "" || yaml11[strings.ToLower(s)] || strings.HasSuffix(s, ":") || strings.HasSuffix(s, " ") ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	if c := s[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$') {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}

// yaml11 are the words YAML 1.1 parsers read as booleans or null.
var yaml11 = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true}

func (s scalar) write(b *strings.Builder, _ int) {
	if isPlain(string(s)) {
		b.WriteString(string(s))
		return
	}
	// A Go-quoted string is a valid YAML double-quoted scalar: both use
	// the same escapes.
	b.WriteString(strconv.Quote(string(s)))
}

func (l literal) write(b *strings.Builder, indent int) {
	for _, line := range strings.Split(strings.TrimSuffix(string(l), "\n"), "\n") {
		if line != "" {
			b.WriteString(pad(indent) + line)
		}
		b.WriteString("\n")
	}
}

func (empty) write(b *strings.Builder, _ int) {}
