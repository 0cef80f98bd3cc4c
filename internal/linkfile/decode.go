package linkfile

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"github.com/acme/wellknown/internal/jsontree"
)

const cdkTokenMarker = "${Token["

// decode runs the checks shared by both files and returns the document, or
// nil when the syntax is too broken to look inside.
func (c *checker) decode(data []byte) *jsontree.Node {
	if len(data) == 0 {
		c.errorf("$", "write the JSON document, e.g. "+c.example, "file is empty")
		return nil
	}
	if len(data) > MaxSize {
		c.ps = append(c.ps, sizeProblem(c.file, int64(len(data))))
	}
	body := data
	if bytes.HasPrefix(data, jsontree.BOM) {
		c.errorf("$", "save the file as UTF-8 without BOM", "starts with a UTF-8 byte order mark")
		// Blank the BOM instead of slicing it off so offsets still match the file.
		body = append([]byte("   "), data[len(jsontree.BOM):]...)
	}
	if off := invalidUTF8(body); off >= 0 {
		line, col := jsontree.Position(body, off)
		c.errorf("$", "save the file as UTF-8 (the byte is probably Latin-1 or Windows-1252 text)",
			"invalid UTF-8 at byte offset %d (line %d col %d)", off, line, col)
	}
	// The CDK reads "${Token[" in uploaded data as an unresolved deploy-time
	// value and fails the synthesis on it, so such text cannot be published.
	if off := bytes.Index(body, []byte(cdkTokenMarker)); off >= 0 {
		line, col := jsontree.Position(body, off)
		c.errorf("$", "remove or reword that text",
			"contains %q at line %d col %d, which the CDK would read as an unresolved token when uploading", cdkTokenMarker, line, col)
	}
	root, dups, err := jsontree.Parse(body)
	var se *jsontree.SyntaxError
	switch {
	case errors.As(err, &se):
		fix := se.Fix
		if se.Comment && c.aasa {
			fix += ` (a component may carry a "comment" field instead)`
		}
		c.errorf("$", fix, "%s", se.Msg)
		return nil
	case err != nil:
		c.errorf("$", "check the JSON syntax", "invalid JSON: %v", err)
		return nil
	}
	for _, d := range dups {
		c.errorf(jsontree.Render(d.Path), "keep one "+jsontree.Quote(d.Key)+" and merge the values into it",
			"duplicate key %s (line %d): parsers disagree on which value wins", jsontree.Quote(d.Key), d.Line)
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
