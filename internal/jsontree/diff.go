package jsontree

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// FirstDifference compares two JSON documents semantically (key order and
// number spelling do not matter, array order does) and returns "" when they
// are equal, else the JSON path of the first difference, visiting object
// keys in sorted order so the answer is deterministic. A path that exists
// in only one document is itself the difference.
func FirstDifference(a, b []byte) (path string, err error) {
	na, err := parseTree(a)
	if err != nil {
		return "", fmt.Errorf("first document: %w", err)
	}
	nb, err := parseTree(b)
	if err != nil {
		return "", fmt.Errorf("second document: %w", err)
	}
	segs, differ := diff(na, nb)
	if !differ {
		return "", nil
	}
	slices.Reverse(segs)
	return Render(segs), nil
}

func parseTree(data []byte) (*Node, error) {
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return nil, err
	}
	n, _, err := Parse(data)
	return n, err
}

// diff returns the path to the first difference in reverse order, so that
// unwinding deep input appends instead of re-copying the path.
func diff(a, b *Node) ([]Seg, bool) {
	if a.Kind != b.Kind {
		return nil, true
	}
	switch a.Kind {
	case Number:
		return nil, !sameNumber(a.Str, b.Str)
	case String, Bool:
		return nil, a.Str != b.Str
	case Array:
		for i := range min(len(a.Elems), len(b.Elems)) {
			if s, d := diff(a.Elems[i], b.Elems[i]); d {
				return append(s, Seg{Index: i}), true
			}
		}
		if len(a.Elems) != len(b.Elems) {
			return []Seg{{Index: min(len(a.Elems), len(b.Elems))}}, true
		}
	case Object:
		keys := slices.Concat(a.Keys, b.Keys)
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			av, aok := a.Fields[k]
			bv, bok := b.Fields[k]
			if !aok || !bok {
				return []Seg{{Key: k, IsKey: true}}, true
			}
			if s, d := diff(av, bv); d {
				return append(s, Seg{Key: k, IsKey: true}), true
			}
		}
	}
	return nil, false
}

// sameNumber compares JSON numbers by exact decimal value: floats would
// merge distinct large integers and big.Rat would expand huge exponents.
func sameNumber(x, y string) bool {
	xn, xd, xe := decimal(x)
	yn, yd, ye := decimal(y)
	return xn == yn && xd == yd && xe.Cmp(ye) == 0
}

// decimal splits a valid JSON number into sign, significant digits and
// exponent with value = digits × 10^exp; zero is ("", 0) and never negative.
func decimal(s string) (neg bool, digits string, exp *big.Int) {
	exp = new(big.Int)
	neg = strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp.SetString(s[i+1:], 10)
		s = s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	exp.Sub(exp, big.NewInt(int64(len(frac))))
	digits = strings.TrimLeft(intPart+frac, "0")
	trimmed := strings.TrimRight(digits, "0")
	exp.Add(exp, big.NewInt(int64(len(digits)-len(trimmed))))
	if trimmed == "" {
		return false, "", new(big.Int)
	}
	return neg, trimmed, exp
}
