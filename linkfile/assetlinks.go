package linkfile

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

const assetLinksExample = `[{"relation": ["delegate_permission/common.handle_all_urls"], "target": {"namespace": "android_app", "package_name": "com.example.app", "sha256_cert_fingerprints": ["14:6D:E9:…"]}}]`

const (
	handleAllURLs = "delegate_permission/common.handle_all_urls"
	getLoginCreds = "delegate_permission/common.get_login_creds"
)

const fingerprintFix = "want 32 colon-separated hex bytes, e.g. from Play Console → Setup → App signing (the app signing key, not the upload key)"

var fingerprintRE = regexp.MustCompile(`^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$`)

// ValidateAssetLinks validates an assetlinks.json file.
func ValidateAssetLinks(file string, data []byte) []Problem {
	c, _ := validateAssetLinks(file, data)
	return c.ps
}

func validateAssetLinks(file string, data []byte) (*checker, *node) {
	c := newChecker(file, AssetLinks, assetLinksExample)
	root := c.decode(data)
	if root != nil {
		c.statements(root)
	}
	return c, root
}

func (c *checker) statements(root *node) {
	fix := "write a JSON array of statements, e.g. " + assetLinksExample
	if root.kind == kindObject {
		if _, ok := root.get("target"); ok {
			fix = "wrap the statement in [ ]: the file is a list of statements"
		}
	}
	if !c.want(root, "$", kindArray, "an array of statements", fix) {
		return
	}
	if len(root.elems) == 0 {
		c.errorf("$", "add a statement, e.g. "+assetLinksExample, "contains no statements")
	}
	for i, st := range root.elems {
		c.statement(st, indexPath("$", i))
	}
}

func (c *checker) statement(n *node, path string) {
	if !c.want(n, path, kindObject, "an object", `write {"relation": [...], "target": {...}}`) {
		return
	}
	c.unknownKeys(Warning, n, path, "statement", []string{"relation", "target", "relation_extensions"})
	relFix := `write "relation": ["` + handleAllURLs + `"]`
	if r, ok := n.get("relation"); !ok {
		c.errorf(path, "add "+relFix[len("write "):], `missing "relation"`)
	} else {
		for _, it := range c.stringArray(r, keyPath(path, "relation"), relFix, true) {
			if it.s != handleAllURLs && it.s != getLoginCreds {
				c.warnf(it.path, "known relations are "+handleAllURLs+" (app links) and "+getLoginCreds+" (shared sign-in)",
					"unknown relation %s", quote(it.s))
			}
		}
	}
	// relation_extensions carries Android 15+ dynamic App Links rules; only
	// its shape is checked here.
	if x, ok := n.get("relation_extensions"); ok {
		c.want(x, keyPath(path, "relation_extensions"), kindObject, "an object",
			`write "relation_extensions": {"`+handleAllURLs+`": {...}}`)
	}
	t, ok := n.get("target")
	if !ok {
		c.errorf(path, `add "target": {"namespace": "android_app", "package_name": ..., "sha256_cert_fingerprints": [...]}`, `missing "target"`)
		return
	}
	c.target(t, keyPath(path, "target"))
}

func (c *checker) target(n *node, path string) {
	if !c.want(n, path, kindObject, "an object", `write {"namespace": "android_app", ...}`) {
		return
	}
	nsFix := `use "android_app" for an app or "web" for a site`
	ns, ok := n.get("namespace")
	if !ok {
		c.errorf(path, nsFix, `missing "namespace"`)
		return
	}
	nsPath := keyPath(path, "namespace")
	if !c.want(ns, nsPath, kindString, "a string", nsFix) {
		return
	}
	switch ns.str {
	case "android_app":
		c.unknownKeys(Warning, n, path, "android_app target", []string{"namespace", "package_name", "sha256_cert_fingerprints"})
		c.androidApp(n, path)
	case "web":
		c.unknownKeys(Warning, n, path, "web target", []string{"namespace", "site"})
		c.web(n, path)
	default:
		c.errorf(nsPath, nsFix, `namespace %s is not "android_app" or "web"`, quote(ns.str))
	}
}

func (c *checker) androidApp(n *node, path string) {
	pkgFix := "use the app's applicationId from build.gradle or Play Console, e.g. com.example.app"
	if p, ok := n.get("package_name"); !ok {
		c.errorf(path, `add "package_name": "com.example.app"`, `missing "package_name"`)
	} else if c.want(p, keyPath(path, "package_name"), kindString, "a string", pkgFix) {
		if msg := packageProblem(p.str); msg != "" {
			c.errorf(keyPath(path, "package_name"), pkgFix, "%s is not a valid package name: %s", quote(p.str), msg)
		}
	}
	f, ok := n.get("sha256_cert_fingerprints")
	if !ok {
		c.errorf(path, `add "sha256_cert_fingerprints": ["14:6D:E9:…"]; `+fingerprintFix, `missing "sha256_cert_fingerprints"`)
		return
	}
	seen := map[string]string{}
	for _, it := range c.stringArray(f, keyPath(path, "sha256_cert_fingerprints"), fingerprintFix, true) {
		if !fingerprintRE.MatchString(it.s) {
			c.errorf(it.path, fingerprintFix, "%s is not a SHA-256 fingerprint%s", quote(it.s), fingerprintHint(it.s))
			continue
		}
		up := strings.ToUpper(it.s)
		if up != it.s {
			c.warnf(it.path, "write the hex digits in uppercase, as Play Console shows them", "fingerprint uses lowercase hex; Google documents uppercase")
		}
		if first, dup := seen[up]; dup {
			c.warnf(it.path, "remove the duplicate", "same fingerprint as %s", first)
		} else {
			seen[up] = it.path
		}
	}
}

// fingerprintHint names the two usual mistakes: a SHA-1 pasted instead of
// the SHA-256, and the colon-less form some tools print.
func fingerprintHint(s string) string {
	if len(s) == 64 && isHex(s) {
		return " (the hex bytes must be separated by colons)"
	}
	parts := strings.Split(s, ":")
	for _, p := range parts {
		if len(p) != 2 || !isHex(p) {
			return ""
		}
	}
	if len(parts) == 20 {
		return " (20 bytes: that is a SHA-1 fingerprint)"
	}
	return fmt.Sprintf(" (%d bytes)", len(parts))
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F') {
			return false
		}
	}
	return true
}

// packageProblem follows Android's applicationId rules: at least two
// segments, each starting with a letter, then letters, digits or '_'.
func packageProblem(s string) string {
	if s == "" {
		return "it is empty"
	}
	segs := strings.Split(s, ".")
	if len(segs) < 2 {
		return "it needs at least two segments separated by \".\""
	}
	for _, seg := range segs {
		if seg == "" {
			return "it has an empty segment"
		}
		for i, r := range seg {
			letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if i == 0 && !letter {
				return fmt.Sprintf("segment %s must start with a letter", quote(seg))
			}
			if !letter && !(r >= '0' && r <= '9') && r != '_' {
				return fmt.Sprintf("%q is not allowed; use letters, digits and _", r)
			}
		}
	}
	return ""
}

func (c *checker) web(n *node, path string) {
	fix := `write the origin only, e.g. "https://example.com"`
	s, ok := n.get("site")
	if !ok {
		c.errorf(path, `add "site": "https://example.com"`, `missing "site"`)
		return
	}
	p := keyPath(path, "site")
	if !c.want(s, p, kindString, "a string", fix) {
		return
	}
	msg, fix := siteProblem(s.str)
	if msg != "" {
		c.errorf(p, fix, "site %s %s", quote(s.str), msg)
	}
}

// siteProblem checks the origin form Google matches against: https, a
// host, a port only when it is not 443, and nothing after it.
func siteProblem(s string) (msg, fix string) {
	origin := `write the origin only, e.g. "https://example.com"`
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a URL", origin
	case u.Scheme == "http":
		return "uses http", "use https://; links are verified over HTTPS"
	case u.Scheme != "https" || u.Opaque != "":
		return "does not start with https://", origin
	case u.User != nil:
		return "contains user info", "remove the user@ part"
	case u.Host == "" || u.Hostname() == "":
		return "has no host", origin
	case u.Path == "/":
		return "has a trailing slash", `remove the trailing "/"`
	case u.Path != "" || u.RawPath != "":
		return "has a path", "remove the path: a web target is an origin"
	case u.RawQuery != "" || u.ForceQuery || strings.Contains(s, "#"):
		return "has a query or fragment", origin
	}
	if port := u.Port(); port != "" || strings.HasSuffix(u.Host, ":") {
		n, err := strconv.Atoi(port)
		switch {
		case err != nil || n < 1 || n > 65535:
			return "has an invalid port", "use a port from 1 to 65535, or none for 443"
		case n == 443:
			return "names the default port 443", `remove ":443"`
		}
	}
	return "", ""
}
