package exit

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
		out  string
	}{
		{nil, OK, ""},
		{Done, OK, ""},
		{errors.New("boom"), Failed, "prog: boom\n"},
		{Failf("bad %d", 1), Failed, "prog: bad 1\n"},
		{Usagef("no such flag"), Usage, "prog: no such flag\n"},
		{fmt.Errorf("wrapped: %w", Usagef("inner")), Usage, "prog: wrapped: inner\n"},
		{&Error{Code: Usage, Err: errors.New("x"), Hint: "Run --help."}, Usage, "prog: x\nRun --help.\n"},
		{Silent(Failed), Failed, ""},
		{WithCode(Usage, errors.New("cfg")), Usage, "prog: cfg\n"},
	} {
		var buf bytes.Buffer
		if got := Print(&buf, "prog", tc.err); got != tc.code || buf.String() != tc.out || Code(tc.err) != tc.code {
			t.Errorf("%v: code %d output %q, want %d %q", tc.err, got, buf.String(), tc.code, tc.out)
		}
	}
	if WithCode(Usage, nil) != nil {
		t.Error("WithCode(nil) must stay nil")
	}
}
