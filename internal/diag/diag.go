// Package diag holds the findings every layer reports — a problem in a
// file, at a JSON path, with its fix — and the one way they are written
// for people: `file: path: message — fix`, one per line, then the counts.
package diag

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Severity says whether a problem blocks publishing.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "Severity(" + strconv.Itoa(int(s)) + ")"
}

// Problem is one finding.
type Problem struct {
	File     string // where the value came from: a path as the caller gave it, or a source such as cdk.json
	Path     string // JSON path; "$" is the whole document
	Severity Severity
	Message  string // what is wrong
	Fix      string // how to fix it
}

// String renders `file: path: message — fix`, with "warning: " before the
// message for warnings.
func (p Problem) String() string {
	s := p.File + ": " + p.Path + ": "
	if p.Severity == Warning {
		s += "warning: "
	}
	s += p.Message
	if p.Fix != "" {
		s += " — " + p.Fix
	}
	return s
}

func (p Problem) Error() string { return p.String() }

// HasErrors reports whether any problem has Severity Error.
func HasErrors(ps []Problem) bool {
	return Count(ps).Errors > 0
}

// Err joins the problems of Severity Error into one error, or returns nil.
func Err(ps []Problem) error {
	var errs []error
	for _, p := range ps {
		if p.Severity == Error {
			errs = append(errs, p)
		}
	}
	return errors.Join(errs...)
}

// Counts are the numbers of errors and warnings among some problems.
type Counts struct{ Errors, Warnings int }

// Count counts ps by severity.
func Count(ps []Problem) Counts {
	var c Counts
	for _, p := range ps {
		if p.Severity == Error {
			c.Errors++
		} else {
			c.Warnings++
		}
	}
	return c
}

// String is "1 error, 2 warnings".
func (c Counts) String() string {
	return Plural(c.Errors, "error") + ", " + Plural(c.Warnings, "warning")
}

// Write prints one line per problem and returns their counts.
func Write(w io.Writer, ps []Problem) Counts {
	for _, p := range ps {
		fmt.Fprintln(w, p.String())
	}
	return Count(ps)
}

// Plural is "1 word" or "n words".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
