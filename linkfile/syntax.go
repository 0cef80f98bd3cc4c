package linkfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// position converts a byte offset to the 1-based line and column (in
// characters) an editor shows.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

// explain turns encoding/json's syntax error into a message that names the
// usual cause (comments, trailing commas, single quotes) instead of the
// scanner state.
func (c *checker) explain(data []byte, se *json.SyntaxError) (msg, fix string) {
	off := int(se.Offset) - 1 // the scanner counts the offending byte
	// At the end of input the scanner reports either "unexpected end" or
	// the padding byte it feeds itself ("in literal true"); both mean the
	// document was cut short.
	atEnd := int(se.Offset) >= len(data)
	if atEnd && (strings.Contains(se.Error(), "unexpected end") ||
		strings.Contains(se.Error(), "invalid character ' '") && !isSpace(data[len(data)-1])) {
		return explainEOF(data)
	}
	off = min(max(off, 0), len(data)-1)
	line, col := position(data, off)
	at := fmt.Sprintf("line %d col %d", line, col)
	b := data[off]
	switch {
	case b == '/' && off+1 < len(data) && (data[off+1] == '/' || data[off+1] == '*'):
		fix = "delete the comment"
		if c.aasa {
			fix += ` (a component may carry a "comment" field instead)`
		}
		return "JSON does not allow comments (" + at + ")", fix
	case strings.Contains(se.Error(), "after top-level value"):
		return "unexpected content after the JSON value at " + at,
			"the file must hold exactly one JSON value: remove everything after its closing bracket"
	case (b == '}' || b == ']') && lastNonSpace(data[:off]) == ',':
		return fmt.Sprintf("trailing comma before %q at %s", b, at), "remove the comma after the last element"
	case b == '\'':
		return "single-quoted string at " + at, `JSON strings use double quotes: write "value"`
	case strings.Contains(se.Error(), "looking for beginning of object key"):
		return "object key is not a double-quoted string at " + at, `write keys as "key"`
	}
	return "invalid JSON at " + at + ": " + se.Error(), "fix the syntax at that position"
}

func explainEOF(data []byte) (msg, fix string) {
	what, off := unclosed(data)
	line, col := position(data, off)
	switch {
	case what == `"`:
		return fmt.Sprintf("JSON ends inside the string that starts at line %d col %d", line, col), `add the closing "`
	case what != "":
		closer := map[string]string{"{": "}", "[": "]"}[what]
		return fmt.Sprintf("JSON ends before the %q opened at line %d col %d is closed", what, line, col),
			fmt.Sprintf("add the missing %q", closer)
	case len(bytes.TrimSpace(data)) == 0:
		return "file contains only whitespace", "write the JSON document"
	}
	line, col = position(data, len(data))
	return fmt.Sprintf("JSON ends in the middle of a value at line %d col %d", line, col), "complete the value"
}

// unclosed finds the innermost string or bracket still open at the end of
// input; only called for input the scanner accepted up to its end.
func unclosed(data []byte) (what string, off int) {
	var stack []int
	inStr, esc, strStart := false, false, 0
	for i, b := range data {
		switch {
		case inStr && esc:
			esc = false
		case inStr && b == '\\':
			esc = true
		case inStr:
			inStr = b != '"'
		case b == '"':
			inStr, strStart = true, i
		case b == '{' || b == '[':
			stack = append(stack, i)
		case (b == '}' || b == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if inStr {
		return `"`, strStart
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return string(data[top]), top
	}
	return "", len(data)
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func lastNonSpace(b []byte) byte {
	b = bytes.TrimRight(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[len(b)-1]
}
