package policy

import (
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// A sprintf verb: %v and %s (the same in the engine), %d with an optional
// zero flag and width, or a literal %%. The rules need no more, and the
// engine's other verbs diverge from Go's (%o prints "0O10", %f "1.5", %-5s
// drops the flag), so any other verb is refused when the rules are
// compiled rather than imitated.
type verb struct {
	lit   string // the text before the verb, or a literal "%"
	conv  byte   // 'v', 's', 'd'; 0 for a literal
	width int
	zero  bool
}

// parseFormat splits a format into verbs; the error names what the engine
// would not print the same way.
func parseFormat(format string) ([]verb, error) {
	var out []verb
	var lit strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			lit.WriteByte(c)
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		v := verb{lit: lit.String()}
		lit.Reset()
		if i < len(format) && format[i] == '0' {
			v.zero = true
			i++
		}
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			v.width = v.width*10 + int(format[i]-'0')
			i++
		}
		if i >= len(format) {
			return nil, fmt.Errorf("format %q ends in a verb", format)
		}
		v.conv = format[i]
		switch {
		case v.conv == 'd':
		case (v.conv == 'v' || v.conv == 's') && v.width == 0 && !v.zero:
		default:
			start := strings.LastIndexByte(format[:i+1], '%')
			end := i
			for end < len(format) && !(format[end] >= 'a' && format[end] <= 'z' || format[end] >= 'A' && format[end] <= 'Z') {
				end++
			}
			return nil, fmt.Errorf("format %q: verb %s is not one the rules may use (%%v, %%s, %%d, %%0Nd)", format, format[start:min(end+1, len(format))])
		}
		out = append(out, v)
	}
	return append(out, verb{lit: lit.String()}), nil
}

// engineSprintf is the engine's sprintf: undefined (nil) when the
// arguments are not an array of exactly as many values as verbs.
func engineSprintf(format string, args ast.Value) (ast.Value, error) {
	verbs, err := parseFormat(format)
	if err != nil {
		return nil, err
	}
	arr, ok := args.(*ast.Array)
	if !ok {
		return nil, nil
	}
	var sb strings.Builder
	n := 0
	for _, v := range verbs {
		sb.WriteString(v.lit)
		if v.conv == 0 {
			continue
		}
		if n >= arr.Len() {
			return nil, nil
		}
		arg := arr.Elem(n).Value
		n++
		if v.conv == 'd' {
			s, ok := formatInt(arg, v.width, v.zero)
			if !ok {
				return nil, nil
			}
			sb.WriteString(s)
		} else {
			sb.WriteString(formatValue(arg))
		}
	}
	if n != arr.Len() {
		return nil, nil
	}
	return ast.String(sb.String()), nil
}
