package jsontree

import (
	"strconv"
	"unicode/utf8"
)

// KeyPath and IndexPath build the JSON paths shown for documents: "$" is
// the root, keys are dotted when they are identifiers and bracket-quoted
// otherwise.
func KeyPath(parent, key string) string {
	if isIdent(key) {
		if parent == "$" {
			return key
		}
		return parent + "." + key
	}
	return base(parent) + "[" + strconv.Quote(key) + "]"
}

// IndexPath is the path of element i of parent.
func IndexPath(parent string, i int) string {
	return base(parent) + "[" + strconv.Itoa(i) + "]"
}

// Render renders segs in the KeyPath/IndexPath style.
func Render(segs []Seg) string {
	p := "$"
	for _, s := range segs {
		if s.IsKey {
			p = KeyPath(p, s.Key)
		} else {
			p = IndexPath(p, s.Index)
		}
	}
	return p
}

func base(parent string) string {
	if parent == "$" {
		return ""
	}
	return parent
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		letter := b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
		if !letter && (i == 0 || b < '0' || b > '9') {
			return false
		}
	}
	return true
}

// Quote shows a user value in a message; long values are cut so that one
// problem stays on one readable line.
func Quote(s string) string { return QuoteMax(s, 60) }

// QuoteMax is Quote for values that are legitimately longer (a DNS name
// has up to 253 characters): at most max characters are shown, the last
// being "…" when s is longer. The result is a JSON (and Go) string literal.
func QuoteMax(s string, max int) string {
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return strconv.Quote(s)
}
