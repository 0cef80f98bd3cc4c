package linkfile

import (
	"fmt"
	"strings"
)

const aasaExample = `{"applinks": {"details": [{"appIDs": ["ABCDE12345.com.example.app"], "components": [{"/": "/*"}]}]}}`

const appIDFix = "write <Team ID>.<bundle ID>, e.g. ABCDE12345.com.example.app; the Team ID is the 10 uppercase letters/digits at developer.apple.com → Account → Membership details"

// ValidateAASA validates an apple-app-site-association file.
func ValidateAASA(file string, data []byte) []Problem {
	c, _ := validateAASA(file, data)
	return c.ps
}

func validateAASA(file string, data []byte) (*checker, *node) {
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

func (c *checker) aasaRoot(root *node) {
	if !c.want(root, "$", kindObject, "an object", "start from "+aasaExample) {
		return
	}
	c.unknownKeys(Warning, root, "$", "top-level", sections)
	_, a := root.get("applinks")
	_, w := root.get("webcredentials")
	_, p := root.get("appclips")
	if !a && !w && !p {
		c.errorf("$", "add an applinks section, e.g. "+aasaExample,
			`has none of "applinks", "webcredentials" or "appclips", so it associates nothing`)
	}
	if n, ok := root.get("applinks"); ok {
		c.applinks(n, "applinks")
	}
	for _, s := range sections[1:] {
		if n, ok := root.get(s); ok {
			c.appsSection(n, s)
		}
	}
}

func (c *checker) applinks(n *node, path string) {
	if !c.want(n, path, kindObject, "an object", `write "applinks": {"details": [...]}`) {
		return
	}
	c.unknownKeys(Warning, n, path, "applinks", []string{"details", "apps", "defaults", "substitutionVariables"})
	if d, ok := n.get("details"); !ok {
		c.errorf(path, `add "details": [{"appIDs": ["ABCDE12345.com.example.app"], "components": [{"/": "/*"}]}]`,
			`missing "details" array`)
	} else if c.want(d, keyPath(path, "details"), kindArray, "an array", `write "details": [{...}, ...]`) {
		if len(d.elems) == 0 {
			c.warnf(keyPath(path, "details"), `add an entry with "appIDs" and "components"`,
				"is empty, so no app handles links for this domain")
		}
		for i, e := range d.elems {
			c.detail(e, indexPath(keyPath(path, "details"), i))
		}
	}
	if a, ok := n.get("apps"); ok {
		p := keyPath(path, "apps")
		fix := `write "apps": [] or remove it; app IDs belong in details[].appIDs`
		if c.want(a, p, kindArray, "an empty array", fix) && len(a.elems) > 0 {
			c.warnf(p, fix, "legacy \"apps\" must be empty; iOS ignores its %d entries", len(a.elems))
		}
	}
	if d, ok := n.get("defaults"); ok {
		c.defaults(d, keyPath(path, "defaults"))
	}
	if s, ok := n.get("substitutionVariables"); ok {
		p := keyPath(path, "substitutionVariables")
		if c.want(s, p, kindObject, "an object of string arrays", `write "substitutionVariables": {"name": ["value", ...]}`) {
			for _, k := range s.keys {
				c.stringArray(s.fields[k], keyPath(p, k), `write ["value", ...]`, false)
			}
		}
	}
}

func (c *checker) defaults(n *node, path string) {
	if !c.want(n, path, kindObject, "an object", `write "defaults": {"caseSensitive": false, "percentEncoded": true}`) {
		return
	}
	known := []string{"caseSensitive", "percentEncoded"}
	c.unknownKeys(Warning, n, path, "defaults", known)
	for _, k := range known {
		if v, ok := n.get(k); ok {
			c.boolean(v, keyPath(path, k))
		}
	}
}

func (c *checker) boolean(n *node, path string) {
	fix := "use true or false"
	if n.kind == kindString && (n.str == "true" || n.str == "false") {
		fix = "write " + n.str + " without quotes"
	}
	c.want(n, path, kindBool, "true or false", fix)
}

func (c *checker) detail(n *node, path string) {
	if !c.want(n, path, kindObject, "an object", `write {"appIDs": [...], "components": [...]}`) {
		return
	}
	c.unknownKeys(Warning, n, path, "details entry", []string{"appID", "appIDs", "paths", "components", "defaults"})
	one, hasOne := n.get("appID")
	many, hasMany := n.get("appIDs")
	switch {
	case !hasOne && !hasMany:
		c.errorf(path, `add "appIDs": ["ABCDE12345.com.example.app"]`, `has neither "appIDs" nor "appID"`)
	case hasOne && hasMany:
		c.warnf(path, `keep only "appIDs" (iOS 13+) or only "appID" (iOS 12 and earlier)`,
			`has both "appID" and "appIDs"; iOS 13+ reads only "appIDs"`)
	}
	if hasOne && c.want(one, keyPath(path, "appID"), kindString, "a string", appIDFix) {
		c.appID(one.str, keyPath(path, "appID"))
	}
	if hasMany {
		for _, it := range c.stringArray(many, keyPath(path, "appIDs"), `write "appIDs": ["ABCDE12345.com.example.app"]`, true) {
			c.appID(it.s, it.path)
		}
	}
	paths, hasPaths := n.get("paths")
	comps, hasComps := n.get("components")
	if !hasPaths && !hasComps {
		c.errorf(path, `add "components": [{"/": "/*"}] (or legacy "paths": ["*"])`,
			`has neither "components" nor "paths", so it matches no URL`)
	}
	if hasPaths {
		c.stringArray(paths, keyPath(path, "paths"), `write "paths": ["/path/*", "NOT /private/*"]`, false)
	}
	if hasComps {
		p := keyPath(path, "components")
		if c.want(comps, p, kindArray, "an array of objects", `write "components": [{"/": "/*"}]`) {
			for i, e := range comps.elems {
				c.component(e, indexPath(p, i))
			}
		}
	}
	if d, ok := n.get("defaults"); ok {
		c.defaults(d, keyPath(path, "defaults"))
	}
}

var componentKeys = []string{"/", "?", "#", "exclude", "comment", "caseSensitive", "percentEncoded"}

func (c *checker) component(n *node, path string) {
	if !c.want(n, path, kindObject, "an object", `write {"/": "/path/*"}`) {
		return
	}
	// Component keys are a closed set; an unknown one is usually a typo that
	// changes which URLs match, so it is an error rather than a warning.
	c.unknownKeys(Error, n, path, "component", componentKeys)
	for _, k := range n.keys {
		v, p := n.fields[k], keyPath(path, k)
		switch k {
		case "/", "#":
			c.want(v, p, kindString, "a string pattern", fmt.Sprintf(`write %q: "pattern"`, k))
		case "comment":
			c.want(v, p, kindString, "a string", `write "comment": "text"`)
		case "exclude", "caseSensitive", "percentEncoded":
			c.boolean(v, p)
		case "?":
			c.query(v, p)
		}
	}
}

func (c *checker) query(n *node, path string) {
	fix := `write "?": "pattern" or "?": {"name": "pattern"}`
	if n.kind == kindString {
		return
	}
	if !c.want(n, path, kindObject, "a string or an object of strings", fix) {
		return
	}
	for _, k := range n.keys {
		c.want(n.fields[k], keyPath(path, k), kindString, "a string pattern", fix)
	}
}

func (c *checker) appsSection(n *node, path string) {
	fix := fmt.Sprintf(`write %q: {"apps": ["ABCDE12345.com.example.app"]}`, path)
	if !c.want(n, path, kindObject, "an object", fix) {
		return
	}
	c.unknownKeys(Warning, n, path, path, []string{"apps"})
	a, ok := n.get("apps")
	if !ok {
		c.errorf(path, fix, `missing "apps" array`)
		return
	}
	p := keyPath(path, "apps")
	items := c.stringArray(a, p, fix, false)
	if a.kind == kindArray && len(a.elems) == 0 {
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
		c.errorf(path, appIDFix, "%s is not an app ID: it needs a Team ID, a \".\" and a bundle ID", quote(id))
	case !isTeamID(team):
		c.errorf(path, appIDFix, "%s is not an app ID: %s is not a 10-character Team ID of uppercase letters and digits", quote(id), quote(team))
	case bundle == "":
		c.errorf(path, appIDFix, "%s is not an app ID: the bundle ID after the Team ID is missing", quote(id))
	default:
		if msg := bundleProblem(bundle); msg != "" {
			c.errorf(path, "use the bundle identifier exactly as in Xcode, e.g. ABCDE12345.com.example.app",
				"%s is not an app ID: bundle ID %s %s", quote(id), quote(bundle), msg)
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

func bundleProblem(b string) string {
	for _, r := range b {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Sprintf("contains %q; bundle IDs use only letters, digits, \"-\" and \".\"", r)
		}
	}
	if strings.HasPrefix(b, ".") || strings.HasSuffix(b, ".") || strings.Contains(b, "..") {
		return "has an empty segment (a leading, trailing or doubled \".\")"
	}
	return ""
}
