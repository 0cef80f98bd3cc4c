// Package exit decides process exit codes in one place. Commands return an
// error; the code it carries is what the process exits with:
//
//	0  ok (warnings allowed)
//	1  a check failed, or input was invalid (nothing was written)
//	2  usage or configuration error
package exit

import (
	"errors"
	"fmt"
	"io"
)

// The exit codes every entry point documents.
const (
	OK     = 0
	Failed = 1
	Usage  = 2
)

// Error is an error with the exit code it ends the process with. Err may
// be nil when everything was already said (e.g. a failed check's table);
// Hint is printed on its own line after the message.
type Error struct {
	Code int
	Err  error
	Hint string
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Done ends a command successfully without more output (e.g. after --help).
var Done error = &Error{Code: OK}

// Failf is a failed check or invalid input: exit 1.
func Failf(format string, args ...any) error {
	return &Error{Code: Failed, Err: fmt.Errorf(format, args...)}
}

// Usagef is a usage or configuration error: exit 2.
func Usagef(format string, args ...any) error {
	return &Error{Code: Usage, Err: fmt.Errorf(format, args...)}
}

// WithCode gives err an exit code (nil stays nil).
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Code: code, Err: err}
}

// Silent ends with code after the output already said why.
func Silent(code int) error { return &Error{Code: code} }

// Code is err's exit code: 0 for nil, the carried code, else 1.
func Code(err error) int {
	var e *Error
	switch {
	case err == nil:
		return OK
	case errors.As(err, &e):
		return e.Code
	}
	return Failed
}

// Print writes err as "prog: message" (and its hint) to w and returns the
// exit code; nothing is written for nil or silent errors.
func Print(w io.Writer, prog string, err error) int {
	var e *Error
	if errors.As(err, &e) && e.Err == nil {
		return e.Code
	}
	if err != nil {
		fmt.Fprintf(w, "%s: %v\n", prog, err)
		if errors.As(err, &e) && e.Hint != "" {
			fmt.Fprintln(w, e.Hint)
		}
	}
	return Code(err)
}
