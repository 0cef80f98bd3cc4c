package policy

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The engine is regorus (Rust), and its sprintf differs from OPA's, which
// matters because messages carry template values: %v of a list or object
// is not OPA's JSON but `["a", 1]` / `{"k": "v"}` (", " and ": "), a set
// prints as `{1, "a"}` in regorus' order of values (null < boolean <
// number < string < array < set < object, where OPA puts objects before
// sets), numbers print in plain decimal (1e21 as 1000000000000000000000,
// 1.0 as 1, -0.0 as -0), and strings inside a composite are escaped the way
// serde_json does (only '"', '\\' and control characters). Observed on the
// engine; policy/engine_test.go compares both sprintfs.

// formatValue is regorus' rendering of v for %v and %s.
func formatValue(v ast.Value) string {
	var sb strings.Builder
	writeValue(&sb, v, true)
	return sb.String()
}

func writeValue(sb *strings.Builder, v ast.Value, top bool) {
	switch x := v.(type) {
	case ast.Null:
		sb.WriteString("null")
	case ast.Boolean:
		sb.WriteString(strconv.FormatBool(bool(x)))
	case ast.Number:
		sb.WriteString(formatNumber(x))
	case ast.String:
		if top {
			sb.WriteString(string(x))
		} else {
			writeQuoted(sb, string(x))
		}
	case *ast.Array:
		sb.WriteByte('[')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeValue(sb, x.Elem(i).Value, false)
		}
		sb.WriteByte(']')
	case ast.Set:
		elems := sortedValues(x.Slice())
		sb.WriteByte('{')
		for i, e := range elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeValue(sb, e, false)
		}
		sb.WriteByte('}')
	case ast.Object:
		keys := sortedValues(x.Keys())
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeValue(sb, k, false)
			sb.WriteString(": ")
			writeValue(sb, x.Get(ast.NewTerm(k)).Value, false)
		}
		sb.WriteByte('}')
	default:
		// Not a value a rule can hold at evaluation time.
		fmt.Fprintf(sb, "%v", v)
	}
}

// writeQuoted escapes like serde_json: '"', '\\', the short escapes \b \f
// \n \r \t, other control characters as \u00XX; everything else as is.
func writeQuoted(sb *strings.Builder, s string) {
	sb.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(sb, `\u%04x`, r)
			} else {
				sb.WriteRune(r)
			}
		}
	}
	sb.WriteByte('"')
}

// formatNumber prints an integer literal exactly and any other number as
// the shortest plain decimal that reads back as the same float64.
func formatNumber(n ast.Number) string {
	if i, ok := numberIsInt(n); ok {
		return i.String()
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !isRangeError(err) {
		return string(n)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// formatInt is %d of v: ok is false where the engine makes the whole
// sprintf undefined (a number that is not integral). The engine writes a
// "-" before a negative number's own rendering (which is padded to the
// width), so -3 prints as "--3"; a value that is not a number prints as ""
// and is not padded.
func formatInt(v ast.Value, width int, zero bool) (string, bool) {
	n, isNum := v.(ast.Number)
	if !isNum {
		return "", true
	}
	var neg bool
	var body string
	if i, isInt := numberIsInt(n); isInt {
		neg, body = i.Sign() < 0, i.String()
	} else {
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
			return "", false
		}
		neg, body = math.Signbit(f), strconv.FormatFloat(f, 'f', -1, 64)
		if f == 0 {
			body = "0"
		}
	}
	pad := " "
	if zero {
		pad = "0"
	}
	if n := utf8.RuneCountInString(body); n < width {
		body = strings.Repeat(pad, width-n) + body
	}
	if neg {
		return "-" + body, true
	}
	return body, true
}

// rank orders the kinds of values as regorus does.
func rank(v ast.Value) int {
	switch v.(type) {
	case ast.Null:
		return 0
	case ast.Boolean:
		return 1
	case ast.Number:
		return 2
	case ast.String:
		return 3
	case *ast.Array:
		return 4
	case ast.Set:
		return 5
	case ast.Object:
		return 6
	}
	return 7
}

// compareValues is regorus' order of values.
func compareValues(a, b ast.Value) int {
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case *ast.Array:
		y := b.(*ast.Array)
		for i := 0; i < x.Len() && i < y.Len(); i++ {
			if c := compareValues(x.Elem(i).Value, y.Elem(i).Value); c != 0 {
				return c
			}
		}
		return x.Len() - y.Len()
	case ast.Set:
		return compareSlices(sortedValues(x.Slice()), sortedValues(b.(ast.Set).Slice()))
	case ast.Object:
		y := b.(ast.Object)
		xk, yk := sortedValues(x.Keys()), sortedValues(y.Keys())
		for i := 0; i < len(xk) && i < len(yk); i++ {
			if c := compareValues(xk[i], yk[i]); c != 0 {
				return c
			}
			if c := compareValues(x.Get(ast.NewTerm(xk[i])).Value, y.Get(ast.NewTerm(yk[i])).Value); c != 0 {
				return c
			}
		}
		return len(xk) - len(yk)
	}
	// Scalars: OPA's order within one kind is regorus' (false < true,
	// numbers by value, strings by bytes).
	return ast.Compare(a, b)
}

func compareSlices(x, y []ast.Value) int {
	for i := 0; i < len(x) && i < len(y); i++ {
		if c := compareValues(x[i], y[i]); c != 0 {
			return c
		}
	}
	return len(x) - len(y)
}

func sortedValues(terms []*ast.Term) []ast.Value {
	out := make([]ast.Value, len(terms))
	for i, t := range terms {
		out[i] = t.Value
	}
	sort.SliceStable(out, func(i, j int) bool { return compareValues(out[i], out[j]) < 0 })
	return out
}
