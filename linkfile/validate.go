package linkfile

import (
	"path/filepath"
	"slices"
	"strings"
)

// Validate validates content for the file name's base: AssetLinks or
// AppleAppSiteAssociation.
func Validate(file string, data []byte) []Problem {
	switch filepath.Base(file) {
	case AssetLinks:
		return ValidateAssetLinks(file, data)
	case AppleAppSiteAssociation:
		return ValidateAASA(file, data)
	}
	if file == "" {
		file = "(unnamed)"
	}
	return []Problem{{File: file, Path: "$", Severity: Error,
		Message: "not a link file: only " + AssetLinks + " and " + AppleAppSiteAssociation + " are published",
		Fix:     renameFix(filepath.Base(file))}}
}

// renameFix suggests the intended name for near misses such as
// "apple-app-site-association.json" or "AssetLinks.json".
func renameFix(name string) string {
	for _, n := range Names {
		trimmed := strings.TrimSuffix(name, ".json")
		if strings.EqualFold(name, n) || strings.EqualFold(trimmed, n) {
			return "rename it to " + n + " (exact spelling, no extra extension)"
		}
	}
	return "remove it or move it outside the assets directory"
}

func newChecker(file, name, example string) *checker {
	if file == "" {
		file = name // a problem must always name a file
	}
	return &checker{file: file, example: example, aasa: name == AppleAppSiteAssociation}
}

// want reports a type mismatch and says whether n has kind k.
func (c *checker) want(n *node, path string, k kind, what, fix string) bool {
	if n.kind == k {
		return true
	}
	c.errorf(path, fix, "must be %s, found %s", what, describe(n))
	return false
}

type item struct {
	s    string
	path string
}

// stringArray type-checks an array of strings and returns its strings.
func (c *checker) stringArray(n *node, path, fix string, nonEmpty bool) []item {
	if !c.want(n, path, kindArray, "an array of strings", fix) {
		return nil
	}
	if nonEmpty && len(n.elems) == 0 {
		c.errorf(path, fix, "must not be empty")
		return nil
	}
	var out []item
	for i, e := range n.elems {
		p := indexPath(path, i)
		if c.want(e, p, kindString, "a string", fix) {
			out = append(out, item{e.str, p})
		}
	}
	return out
}

// unknownKeys flags keys the consumer ignores; a near miss in case is
// usually a typo that silently disables the setting.
func (c *checker) unknownKeys(sev Severity, n *node, path, where string, known []string) {
	for _, k := range n.keys {
		if slices.Contains(known, k) {
			continue
		}
		fix := "remove it; " + where + " keys are " + list(known)
		for _, kn := range known {
			if strings.EqualFold(k, kn) {
				fix = "rename it to " + quote(kn) + " (keys are case-sensitive)"
			}
		}
		verb := "is ignored"
		if sev == Error {
			verb = "is not allowed"
		}
		c.add(sev, keyPath(path, k), fix, "unknown key %s %s", quote(k), verb)
	}
}

func list(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}
