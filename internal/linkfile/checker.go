package linkfile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

// checker collects the problems of one file.
type checker struct {
	file    string
	example string // a minimal valid document, offered when there is nothing to build on
	aasa    bool
	ps      []diag.Problem
}

func newChecker(file, name, example string) *checker {
	if file == "" {
		file = name // a problem must always name a file
	}
	return &checker{file: file, example: example, aasa: name == AppleAppSiteAssociation}
}

func (c *checker) add(sev diag.Severity, path, fix, format string, args ...any) {
	c.ps = append(c.ps, diag.Problem{File: c.file, Path: path, Severity: sev, Message: fmt.Sprintf(format, args...), Fix: fix})
}

func (c *checker) errorf(path, fix, format string, args ...any) {
	c.add(diag.Error, path, fix, format, args...)
}

func (c *checker) warnf(path, fix, format string, args ...any) {
	c.add(diag.Warning, path, fix, format, args...)
}

// want reports a type mismatch and says whether n has kind k.
func (c *checker) want(n *jsontree.Node, path string, k jsontree.Kind, what, fix string) bool {
	if n.Kind == k {
		return true
	}
	c.errorf(path, fix, "must be %s, found %s", what, jsontree.Describe(n))
	return false
}

type item struct {
	s    string
	path string
}

// stringArray type-checks an array of strings and returns its strings.
func (c *checker) stringArray(n *jsontree.Node, path, fix string, nonEmpty bool) []item {
	if !c.want(n, path, jsontree.Array, "an array of strings", fix) {
		return nil
	}
	if nonEmpty && len(n.Elems) == 0 {
		c.errorf(path, fix, "must not be empty")
		return nil
	}
	var out []item
	for i, e := range n.Elems {
		p := jsontree.IndexPath(path, i)
		if c.want(e, p, jsontree.String, "a string", fix) {
			out = append(out, item{e.Str, p})
		}
	}
	return out
}

// unknownKeys flags keys the consumer ignores; a near miss in case is
// usually a typo that silently disables the setting.
func (c *checker) unknownKeys(sev diag.Severity, n *jsontree.Node, path, where string, known []string) {
	for _, k := range n.Keys {
		if slices.Contains(known, k) {
			continue
		}
		fix := "remove it; " + where + " keys are " + list(known)
		for _, kn := range known {
			if strings.EqualFold(k, kn) {
				fix = "rename it to " + jsontree.Quote(kn) + " (keys are case-sensitive)"
			}
		}
		verb := "is ignored"
		if sev == diag.Error {
			verb = "is not allowed"
		}
		c.add(sev, jsontree.KeyPath(path, k), fix, "unknown key %s %s", jsontree.Quote(k), verb)
	}
}

func list(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}
