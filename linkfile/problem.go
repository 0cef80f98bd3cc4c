// Package linkfile validates the two app-link files served from
// /.well-known/: Google's assetlinks.json and Apple's
// apple-app-site-association. It works offline so that every problem is
// reported before anything is deployed.
package linkfile

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

const (
	AssetLinks              = "assetlinks.json"
	AppleAppSiteAssociation = "apple-app-site-association"
	// MaxSize is Apple's limit; it is applied to both files so that neither
	// verifier can be the first to reject a file that grew over time.
	MaxSize = 128 * 1024
)

// Names lists the file names that may be published, in a stable order.
var Names = []string{AssetLinks, AppleAppSiteAssociation}

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
	File     string // path exactly as the caller gave it
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
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// checker collects problems for one file.
type checker struct {
	file    string
	example string // a minimal valid document, offered when there is nothing to build on
	aasa    bool
	ps      []Problem
}

func (c *checker) add(sev Severity, path, fix, format string, args ...any) {
	c.ps = append(c.ps, Problem{File: c.file, Path: path, Severity: sev, Message: fmt.Sprintf(format, args...), Fix: fix})
}

func (c *checker) errorf(path, fix, format string, args ...any) {
	c.add(Error, path, fix, format, args...)
}

func (c *checker) warnf(path, fix, format string, args ...any) {
	c.add(Warning, path, fix, format, args...)
}

// quote shows a user value in a message; long values are cut so that one
// problem stays on one readable line.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return strconv.Quote(s)
}

// keyPath and indexPath build the JSON paths shown to users: "$" is the
// root, keys are dotted when they are identifiers and bracket-quoted
// otherwise.
func keyPath(parent, key string) string {
	if isIdent(key) {
		if parent == "$" {
			return key
		}
		return parent + "." + key
	}
	return base(parent) + "[" + strconv.Quote(key) + "]"
}

func indexPath(parent string, i int) string {
	return base(parent) + "[" + strconv.Itoa(i) + "]"
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
