package jsontree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// SyntaxError is invalid JSON, explained: Msg names the position and the
// usual cause (comments, trailing commas, single quotes) instead of the
// scanner state, and Fix says what to do.
type SyntaxError struct {
	Msg, Fix string
	// Comment is set when the cause is a comment, which some documents can
	// carry in a field of their own.
	Comment bool
}

func (e *SyntaxError) Error() string { return e.Msg }

// Position converts a byte offset to the 1-based line and column (in
// characters) an editor shows.
func Position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

func explain(data []byte, se *json.SyntaxError) *SyntaxError {
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
	line, col := Position(data, off)
	at := fmt.Sprintf("line %d col %d", line, col)
	b := data[off]
	switch {
	case b == '/' && off+1 < len(data) && (data[off+1] == '/' || data[off+1] == '*'):
		return &SyntaxError{Msg: "JSON does not allow comments (" + at + ")", Fix: "delete the comment", Comment: true}
	case strings.Contains(se.Error(), "after top-level value"):
		return &SyntaxError{Msg: "unexpected content after the JSON value at " + at,
			Fix: "the file must hold exactly one JSON value: remove everything after its closing bracket"}
	case (b == '}' || b == ']') && lastNonSpace(data[:off]) == ',':
		return &SyntaxError{Msg: fmt.Sprintf("trailing comma before %q at %s", b, at), Fix: "remove the comma after the last element"}
	case b == '\'':
		return &SyntaxError{Msg: "single-quoted string at " + at, Fix: `JSON strings use double quotes: write "value"`}
	case strings.Contains(se.Error(), "looking for beginning of object key"):
		return &SyntaxError{Msg: "object key is not a double-quoted string at " + at, Fix: `write keys as "key"`}
	}
	return &SyntaxError{Msg: "invalid JSON at " + at + ": " + se.Error(), Fix: "fix the syntax at that position"}
}

func explainEOF(data []byte) *SyntaxError {
	what, off := unclosed(data)
	line, col := Position(data, off)
	switch {
	case what == `"`:
		return &SyntaxError{Msg: fmt.Sprintf("JSON ends inside the string that starts at line %d col %d", line, col), Fix: `add the closing "`}
	case what != "":
		closer := map[string]string{"{": "}", "[": "]"}[what]
		return &SyntaxError{Msg: fmt.Sprintf("JSON ends before the %q opened at line %d col %d is closed", what, line, col),
			Fix: fmt.Sprintf("add the missing %q", closer)}
	case len(bytes.TrimSpace(data)) == 0:
		return &SyntaxError{Msg: "file contains only whitespace", Fix: "write the JSON document"}
	}
	line, col = Position(data, len(data))
	return &SyntaxError{Msg: fmt.Sprintf("JSON ends in the middle of a value at line %d col %d", line, col), Fix: "complete the value"}
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
