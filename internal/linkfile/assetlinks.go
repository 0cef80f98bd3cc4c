package linkfile

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

const assetLinksExample = `[{"relation": ["` + HandleAllURLs + `"], "target": {"namespace": "android_app", "package_name": "com.example.app", "sha256_cert_fingerprints": ["14:6D:E9:…"]}}]`

const fingerprintFix = "want 32 colon-separated hex bytes, e.g. from Play Console → Setup → App signing (the app signing key, not the upload key)"

var fingerprintRE = regexp.MustCompile(`^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$`)

// validateAssetLinksFile validates an assetlinks.json file.
func validateAssetLinksFile(file string, data []byte) []diag.Problem {
	c, _ := validateAssetLinks(file, data)
	return c.ps
}

func validateAssetLinks(file string, data []byte) (*checker, *jsontree.Node) {
	c := newChecker(file, AssetLinks, assetLinksExample)
	root := c.decode(data)
	if root != nil {
		c.statements(root)
	}
	return c, root
}

func (c *checker) statements(root *jsontree.Node) {
	fix := "write a JSON array of statements, e.g. " + assetLinksExample
	if root.Kind == jsontree.Object {
		if _, ok := root.Get("target"); ok {
			fix = "wrap the statement in [ ]: the file is a list of statements"
		}
	}
	if !c.want(root, "$", jsontree.Array, "an array of statements", fix) {
		return
	}
	if len(root.Elems) == 0 {
		c.errorf("$", "add a statement, e.g. "+assetLinksExample, "contains no statements")
	}
	for i, st := range root.Elems {
		c.statement(st, jsontree.IndexPath("$", i))
	}
}

func (c *checker) statement(n *jsontree.Node, path string) {
	if !c.want(n, path, jsontree.Object, "an object", `write {"relation": [...], "target": {...}}`) {
		return
	}
	c.unknownKeys(diag.Warning, n, path, "statement", []string{"relation", "target", "relation_extensions"})
	relFix := `write "relation": ["` + HandleAllURLs + `"]`
	if r, ok := n.Get("relation"); !ok {
		c.errorf(path, "add "+relFix[len("write "):], `missing "relation"`)
	} else {
		for _, it := range c.stringArray(r, jsontree.KeyPath(path, "relation"), relFix, true) {
			if it.s != HandleAllURLs && it.s != GetLoginCreds {
				c.warnf(it.path, "known relations are "+HandleAllURLs+" (app links) and "+GetLoginCreds+" (shared sign-in)",
					"unknown relation %s", jsontree.Quote(it.s))
			}
		}
	}
	// relation_extensions carries Android 15+ dynamic App Links rules; only
	// its shape is checked here.
	if x, ok := n.Get("relation_extensions"); ok {
		c.want(x, jsontree.KeyPath(path, "relation_extensions"), jsontree.Object, "an object",
			`write "relation_extensions": {"`+HandleAllURLs+`": {...}}`)
	}
	t, ok := n.Get("target")
	if !ok {
		c.errorf(path, `add "target": {"namespace": "android_app", "package_name": ..., "sha256_cert_fingerprints": [...]}`, `missing "target"`)
		return
	}
	c.target(t, jsontree.KeyPath(path, "target"))
}

func (c *checker) target(n *jsontree.Node, path string) {
	if !c.want(n, path, jsontree.Object, "an object", `write {"namespace": "android_app", ...}`) {
		return
	}
	nsFix := `use "android_app" for an app or "web" for a site`
	ns, ok := n.Get("namespace")
	if !ok {
		c.errorf(path, nsFix, `missing "namespace"`)
		return
	}
	nsPath := jsontree.KeyPath(path, "namespace")
	if !c.want(ns, nsPath, jsontree.String, "a string", nsFix) {
		return
	}
	switch ns.Str {
	case "android_app":
		c.unknownKeys(diag.Warning, n, path, "android_app target", []string{"namespace", "package_name", "sha256_cert_fingerprints"})
		c.androidApp(n, path)
	case "web":
		c.unknownKeys(diag.Warning, n, path, "web target", []string{"namespace", "site"})
		c.web(n, path)
	default:
		c.errorf(nsPath, nsFix, `namespace %s is not "android_app" or "web"`, jsontree.Quote(ns.Str))
	}
}

func (c *checker) androidApp(n *jsontree.Node, path string) {
	pkgFix := "use the app's applicationId from build.gradle or Play Console, e.g. com.example.app"
	if p, ok := n.Get("package_name"); !ok {
		c.errorf(path, `add "package_name": "com.example.app"`, `missing "package_name"`)
	} else if c.want(p, jsontree.KeyPath(path, "package_name"), jsontree.String, "a string", pkgFix) {
		if err := checkPackageName(p.Str); err != nil {
			c.errorf(jsontree.KeyPath(path, "package_name"), pkgFix, "%s is not a valid package name: %v", jsontree.Quote(p.Str), err)
		}
	}
	f, ok := n.Get("sha256_cert_fingerprints")
	if !ok {
		c.errorf(path, `add "sha256_cert_fingerprints": ["14:6D:E9:…"]; `+fingerprintFix, `missing "sha256_cert_fingerprints"`)
		return
	}
	seen := map[string]string{}
	for _, it := range c.stringArray(f, jsontree.KeyPath(path, "sha256_cert_fingerprints"), fingerprintFix, true) {
		if !fingerprintRE.MatchString(it.s) {
			c.errorf(it.path, fingerprintFix, "%s is not a SHA-256 fingerprint%s", jsontree.Quote(it.s), fingerprintHint(it.s))
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

// checkPackageName follows Android's applicationId rules: at least two
// segments, each starting with a letter, then letters, digits or '_'.
func checkPackageName(s string) error {
	if s == "" {
		return errors.New("it is empty")
	}
	segs := strings.Split(s, ".")
	if len(segs) < 2 {
		return errors.New("it needs at least two segments separated by \".\"")
	}
	for _, seg := range segs {
		if seg == "" {
			return errors.New("it has an empty segment")
		}
		for i, r := range seg {
			letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if i == 0 && !letter {
				return fmt.Errorf("segment %s must start with a letter", jsontree.Quote(seg))
			}
			if !letter && !(r >= '0' && r <= '9') && r != '_' {
				return fmt.Errorf("%q is not allowed; use letters, digits and _", r)
			}
		}
	}
	return nil
}

func (c *checker) web(n *jsontree.Node, path string) {
	fix := `write the origin only, e.g. "https://example.com"`
	s, ok := n.Get("site")
	if !ok {
		c.errorf(path, `add "site": "https://example.com"`, `missing "site"`)
		return
	}
	p := jsontree.KeyPath(path, "site")
	if !c.want(s, p, jsontree.String, "a string", fix) {
		return
	}
	if err := checkSite(s.Str); err != nil {
		c.errorf(p, err.fix, "site %s %s", jsontree.Quote(s.Str), err.msg)
	}
}

// checkSite checks the origin form Google matches against: https, a
// host, a port only when it is not 443, and nothing after it.
func checkSite(s string) *siteError {
	origin := `write the origin only, e.g. "https://example.com"`
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return &siteError{"is not a URL", origin}
	case u.Scheme == "http":
		return &siteError{"uses http", "use https://; links are verified over HTTPS"}
	case u.Scheme != "https" || u.Opaque != "":
		return &siteError{"does not start with https://", origin}
	case u.User != nil:
		return &siteError{"contains user info", "remove the user@ part"}
	case u.Host == "" || u.Hostname() == "":
		return &siteError{"has no host", origin}
	case u.Path == "/":
		return &siteError{"has a trailing slash", `remove the trailing "/"`}
	case u.Path != "" || u.RawPath != "":
		return &siteError{"has a path", "remove the path: a web target is an origin"}
	case u.RawQuery != "" || u.ForceQuery || strings.Contains(s, "#"):
		return &siteError{"has a query or fragment", origin}
	}
	if port := u.Port(); port != "" || strings.HasSuffix(u.Host, ":") {
		n, err := strconv.Atoi(port)
		switch {
		case err != nil || n < 1 || n > 65535:
			return &siteError{"has an invalid port", "use a port from 1 to 65535, or none for 443"}
		case n == 443:
			return &siteError{"names the default port 443", `remove ":443"`}
		}
	}
	return nil
}

// siteError is what is wrong with a web target's site, and the fix.
type siteError struct{ msg, fix string }

func (e *siteError) Error() string { return e.msg }
