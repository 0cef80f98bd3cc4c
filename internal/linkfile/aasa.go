package linkfile

import (
	"errors"
	"fmt"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

const aasaExample = `{"applinks": {"details": [{"appIDs": ["ABCDE12345.com.example.app"], "components": [{"/": "/*"}]}]}}`

const appIDFix = "write <Team ID>.<bundle ID>, e.g. ABCDE12345.com.example.app; the Team ID is the 10 uppercase letters/digits at developer.apple.com → Account → Membership details"

// validateAASAFile validates an apple-app-site-association file.
func validateAASAFile(file string, data []byte) []diag.Problem {
	c, _ := validateAASA(file, data)
	return c.ps
}

func validateAASA(file string, data []byte) (*checker, *jsontree.Node) {
	c := newChecker(file, AppleAppSiteAssociation, aasaExample)
	root := c.decode(data)
	if root != nil {
		c.aasaRoot(root)
	}
	return c, root
}

// sections lists the top-level keys iOS reads; activitycontinuation (Handoff)
// is accepted so a file shared with that feature is not flagged.
var sections = []string{"applinks", "webcredentials", "appclips", "activitycontinuation"}

func (c *checker) aasaRoot(root *jsontree.Node) {
	if !c.want(root, "$", jsontree.Object, "an object", "start from "+aasaExample) {
		return
	}
	c.unknownKeys(diag.Warning, root, "$", "top-level", sections)
	_, a := root.Get("applinks")
	_, w := root.Get("webcredentials")
	_, p := root.Get("appclips")
	if !a && !w && !p {
		c.errorf("$", "add an applinks section, e.g. "+aasaExample,
			`has none of "applinks", "webcredentials" or "appclips", so it associates nothing`)
	}
	if n, ok := root.Get("applinks"); ok {
		c.applinks(n, "applinks")
	}
	for _, s := range sections[1:] {
		if n, ok := root.Get(s); ok {
			c.appsSection(n, s)
		}
	}
}

func (c *checker) applinks(n *jsontree.Node, path string) {
	if !c.want(n, path, jsontree.Object, "an object", `write "applinks": {"details": [...]}`) {
		return
	}
	c.unknownKeys(diag.Warning, n, path, "applinks", []string{"details", "apps", "defaults", "substitutionVariables"})
	if d, ok := n.Get("details"); !ok {
		c.errorf(path, `add "details": [{"appIDs": ["ABCDE12345.com.example.app"], "components": [{"/": "/*"}]}]`,
			`missing "details" array`)
	} else if c.want(d, jsontree.KeyPath(path, "details"), jsontree.Array, "an array", `write "details": [{...}, ...]`) {
		if len(d.Elems) == 0 {
			c.warnf(jsontree.KeyPath(path, "details"), `add an entry with "appIDs" and "components"`,
				"is empty, so no app handles links for this domain")
		}
		for i, e := range d.Elems {
			c.detail(e, jsontree.IndexPath(jsontree.KeyPath(path, "details"), i))
		}
	}
	if a, ok := n.Get("apps"); ok {
		p := jsontree.KeyPath(path, "apps")
		fix := `write "apps": [] or remove it; app IDs belong in details[].appIDs`
		if c.want(a, p, jsontree.Array, "an empty array", fix) && len(a.Elems) > 0 {
			c.warnf(p, fix, "legacy \"apps\" must be empty; iOS ignores its %d entries", len(a.Elems))
		}
	}
	if d, ok := n.Get("defaults"); ok {
		c.defaults(d, jsontree.KeyPath(path, "defaults"))
	}
	if s, ok := n.Get("substitutionVariables"); ok {
		p := jsontree.KeyPath(path, "substitutionVariables")
		if c.want(s, p, jsontree.Object, "an object of string arrays", `write "substitutionVariables": {"name": ["value", ...]}`) {
			for _, k := range s.Keys {
				c.stringArray(s.Fields[k], jsontree.KeyPath(p, k), `write ["value", ...]`, false)
			}
		}
	}
}

func (c *checker) defaults(n *jsontree.Node, path string) {
	if !c.want(n, path, jsontree.Object, "an object", `write "defaults": {"caseSensitive": false, "percentEncoded": true}`) {
		return
	}
	known := []string{"caseSensitive", "percentEncoded"}
	c.unknownKeys(diag.Warning, n, path, "defaults", known)
	for _, k := range known {
		if v, ok := n.Get(k); ok {
			c.boolean(v, jsontree.KeyPath(path, k))
		}
	}
}

func (c *checker) boolean(n *jsontree.Node, path string) {
	fix := "use true or false"
	if n.Kind == jsontree.String && (n.Str == "true" || n.Str == "false") {
		fix = "write " + n.Str + " without quotes"
	}
	c.want(n, path, jsontree.Bool, "true or false", fix)
}

func (c *checker) detail(n *jsontree.Node, path string) {
	if !c.want(n, path, jsontree.Object, "an object", `write {"appIDs": [...], "components": [...]}`) {
		return
	}
	c.unknownKeys(diag.Warning, n, path, "details entry", []string{"appID", "appIDs", "paths", "components", "defaults"})
	one, hasOne := n.Get("appID")
	many, hasMany := n.Get("appIDs")
	switch {
	case !hasOne && !hasMany:
		c.errorf(path, `add "appIDs": ["ABCDE12345.com.example.app"]`, `has neither "appIDs" nor "appID"`)
	case hasOne && hasMany:
		c.warnf(path, `keep only "appIDs" (iOS 13+) or only "appID" (iOS 12 and earlier)`,
			`has both "appID" and "appIDs"; iOS 13+ reads only "appIDs"`)
	}
	if hasOne && c.want(one, jsontree.KeyPath(path, "appID"), jsontree.String, "a string", appIDFix) {
		c.appID(one.Str, jsontree.KeyPath(path, "appID"))
	}
	if hasMany {
		for _, it := range c.stringArray(many, jsontree.KeyPath(path, "appIDs"), `write "appIDs": ["ABCDE12345.com.example.app"]`, true) {
			c.appID(it.s, it.path)
		}
	}
	paths, hasPaths := n.Get("paths")
	comps, hasComps := n.Get("components")
	if !hasPaths && !hasComps {
		c.errorf(path, `add "components": [{"/": "/*"}] (or legacy "paths": ["*"])`,
			`has neither "components" nor "paths", so it matches no URL`)
	}
	if hasPaths {
		c.stringArray(paths, jsontree.KeyPath(path, "paths"), `write "paths": ["/path/*", "NOT /private/*"]`, false)
	}
	if hasComps {
		p := jsontree.KeyPath(path, "components")
		if c.want(comps, p, jsontree.Array, "an array of objects", `write "components": [{"/": "/*"}]`) {
			for i, e := range comps.Elems {
				c.component(e, jsontree.IndexPath(p, i))
			}
		}
	}
	if d, ok := n.Get("defaults"); ok {
		c.defaults(d, jsontree.KeyPath(path, "defaults"))
	}
}

var componentKeys = []string{"/", "?", "#", "exclude", "comment", "caseSensitive", "percentEncoded"}

func (c *checker) component(n *jsontree.Node, path string) {
	if !c.want(n, path, jsontree.Object, "an object", `write {"/": "/path/*"}`) {
		return
	}
	// Component keys are a closed set; an unknown one is usually a typo that
	// changes which URLs match, so it is an error rather than a warning.
	c.unknownKeys(diag.Error, n, path, "component", componentKeys)
	for _, k := range n.Keys {
		v, p := n.Fields[k], jsontree.KeyPath(path, k)
		switch k {
		case "/", "#":
			c.want(v, p, jsontree.String, "a string pattern", fmt.Sprintf(`write %q: "pattern"`, k))
		case "comment":
			c.want(v, p, jsontree.String, "a string", `write "comment": "text"`)
		case "exclude", "caseSensitive", "percentEncoded":
			c.boolean(v, p)
		case "?":
			c.query(v, p)
		}
	}
}

func (c *checker) query(n *jsontree.Node, path string) {
	fix := `write "?": "pattern" or "?": {"name": "pattern"}`
	if n.Kind == jsontree.String {
		return
	}
	if !c.want(n, path, jsontree.Object, "a string or an object of strings", fix) {
		return
	}
	for _, k := range n.Keys {
		c.want(n.Fields[k], jsontree.KeyPath(path, k), jsontree.String, "a string pattern", fix)
	}
}

func (c *checker) appsSection(n *jsontree.Node, path string) {
	fix := fmt.Sprintf(`write %q: {"apps": ["ABCDE12345.com.example.app"]}`, path)
	if !c.want(n, path, jsontree.Object, "an object", fix) {
		return
	}
	c.unknownKeys(diag.Warning, n, path, path, []string{"apps"})
	a, ok := n.Get("apps")
	if !ok {
		c.errorf(path, fix, `missing "apps" array`)
		return
	}
	p := jsontree.KeyPath(path, "apps")
	items := c.stringArray(a, p, fix, false)
	if a.Kind == jsontree.Array && len(a.Elems) == 0 {
		c.warnf(p, "list the app IDs, e.g. ABCDE12345.com.example.app", "is empty, so %s applies to no app", path)
	}
	for _, it := range items {
		c.appID(it.s, it.path)
	}
}

// appID checks <Team ID>.<bundle ID>; iOS compares the string exactly with
// the app's entitlement, so a malformed ID silently never matches.
func (c *checker) appID(id, path string) {
	team, bundle, found := strings.Cut(id, ".")
	switch {
	case !found:
		c.errorf(path, appIDFix, "%s is not an app ID: it needs a Team ID, a \".\" and a bundle ID", jsontree.Quote(id))
	case !isTeamID(team):
		c.errorf(path, appIDFix, "%s is not an app ID: %s is not a 10-character Team ID of uppercase letters and digits", jsontree.Quote(id), jsontree.Quote(team))
	case bundle == "":
		c.errorf(path, appIDFix, "%s is not an app ID: the bundle ID after the Team ID is missing", jsontree.Quote(id))
	default:
		if err := checkBundleID(bundle); err != nil {
			c.errorf(path, "use the bundle identifier exactly as in Xcode, e.g. ABCDE12345.com.example.app",
				"%s is not an app ID: bundle ID %s %v", jsontree.Quote(id), jsontree.Quote(bundle), err)
		}
	}
}

func isTeamID(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

func checkBundleID(b string) error {
	for _, r := range b {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Errorf("contains %q; bundle IDs use only letters, digits, \"-\" and \".\"", r)
		}
	}
	if strings.HasPrefix(b, ".") || strings.HasSuffix(b, ".") || strings.Contains(b, "..") {
		return errors.New("has an empty segment (a leading, trailing or doubled \".\")")
	}
	return nil
}
