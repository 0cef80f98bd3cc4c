package policy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Diagnostic is one finding, with the fields the engine's STANDARD report
// gives and the CDK reads.
type Diagnostic struct {
	RuleID   string `json:"rule"`
	Severity string `json:"severity"` // FATAL, ERROR, WARN
	// LogicalID is the resource, "" for a template-level finding.
	LogicalID string `json:"resource"`
	Path      string `json:"path"`
	Message   string `json:"message"`
	Fix       string `json:"fix"`
	Category  string `json:"category"`
}

var (
	ruleIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	// severityRank orders severities as the engine sorts them; INFO and
	// DEBUG are below the CDK's severityLevel "WARN" and dropped.
	severityRank = map[string]int{"FATAL": 0, "ERROR": 1, "WARN": 2, "INFO": 3, "DEBUG": 4}
)

// found is a diagnostic with what the engine sorts and deduplicates by.
type found struct {
	Diagnostic
	pos int // the source position of LogicalID/Path, -1 for none
	obj ast.Value
}

// diagnostics turns the value of a package's violation set into the
// engine's diagnostics: validated like the engine validates them (any
// malformed entry is an error), below WARN dropped, duplicates (same rule,
// severity, resource, path and message) reduced to the first in the
// engine's order of values, sorted like the engine sorts them: severity,
// rule ID, source position, message.
func diagnostics(set ast.Value, tpl *node) ([]Diagnostic, error) {
	var elems []*ast.Term
	switch v := set.(type) {
	case ast.Set:
		elems = v.Slice()
	case *ast.Array:
		for i := 0; i < v.Len(); i++ {
			elems = append(elems, v.Elem(i))
		}
	default:
		return nil, fmt.Errorf("violation is %v, not a set", ast.ValueName(set))
	}
	groups := map[[5]string]*found{}
	for _, e := range elems {
		d, err := toDiagnostic(e.Value)
		if err != nil {
			return nil, err
		}
		if severityRank[d.Severity] > severityRank["WARN"] {
			continue
		}
		key := [5]string{d.RuleID, d.Severity, d.LogicalID, d.Path, d.Message}
		f := &found{Diagnostic: d, pos: position(tpl, d.LogicalID, d.Path), obj: e.Value}
		if g, ok := groups[key]; !ok || compareValues(f.obj, g.obj) < 0 {
			groups[key] = f
		}
	}
	list := make([]*found, 0, len(groups))
	for _, f := range groups {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		switch {
		case a.Severity != b.Severity:
			return severityRank[a.Severity] < severityRank[b.Severity]
		case a.RuleID != b.RuleID:
			return a.RuleID < b.RuleID
		case a.pos != b.pos:
			return a.pos < b.pos
		case a.Message != b.Message:
			return a.Message < b.Message
		}
		return compareValues(a.obj, b.obj) < 0
	})
	out := make([]Diagnostic, len(list))
	for i, f := range list {
		out[i] = f.Diagnostic
	}
	return out, nil
}

// toDiagnostic validates one violation the way the engine does, with its
// messages.
func toDiagnostic(v ast.Value) (Diagnostic, error) {
	o, ok := v.(ast.Object)
	if !ok {
		return Diagnostic{}, fmt.Errorf("Diagnostic missing required field 'rule_id' (a violation is %v, not an object)", ast.ValueName(v))
	}
	field := func(name string) (string, bool, error) {
		t := o.Get(ast.StringTerm(name))
		if t == nil {
			return "", false, nil
		}
		s, ok := t.Value.(ast.String)
		if !ok {
			return "", true, fmt.Errorf("Diagnostic field '%s' is %v, not a string", name, ast.ValueName(t.Value))
		}
		return string(s), true, nil
	}
	var d Diagnostic
	var err error
	var present bool
	if d.RuleID, present, err = field("rule_id"); err != nil {
		return d, err
	} else if !present {
		return d, fmt.Errorf("Diagnostic missing required field 'rule_id'")
	} else if d.RuleID == "" {
		return d, fmt.Errorf("Diagnostic has an empty 'rule_id'")
	} else if !ruleIDPattern.MatchString(d.RuleID) {
		return d, fmt.Errorf("Custom/Guard diagnostic '%s' has an invalid 'rule_id': only letters, digits, and the separators '_', '.', '-' are allowed", d.RuleID)
	}
	sev, present, err := field("severity")
	if err != nil {
		return d, err
	} else if !present {
		return d, fmt.Errorf("Diagnostic '%s' missing required field 'severity'", d.RuleID)
	}
	d.Severity = strings.ToUpper(sev)
	if _, ok := severityRank[d.Severity]; !ok {
		return d, fmt.Errorf("Invalid severity '%s'; expected one of: fatal, error, warn, info, debug", sev)
	}
	if d.Message, present, err = field("message"); err != nil {
		return d, err
	} else if !present {
		return d, fmt.Errorf("Diagnostic '%s' missing required field 'message'", d.RuleID)
	} else if d.Message == "" {
		return d, fmt.Errorf("Diagnostic '%s' has an empty 'message'", d.RuleID)
	}
	for name, dst := range map[string]*string{"resource_id": &d.LogicalID, "resource_path": &d.Path, "suggested_fix": &d.Fix, "category": &d.Category} {
		if *dst, _, err = field(name); err != nil {
			return d, err
		}
	}
	return d, nil
}

// position is the pre-order index (jsondoc.go) of what the engine locates
// a diagnostic at: the deepest existing node along the property path of
// the resource, the resource's key for an empty or unknown path, the
// Resources key for a resource not in the template, none (-1) without a
// resource.
func position(tpl *node, logicalID, path string) int {
	if logicalID == "" {
		return -1
	}
	res := tpl.member("Resources")
	cur := res.member(logicalID)
	if cur == nil {
		if res == nil {
			return -1
		}
		return res.pos
	}
	if path == "" {
		return cur.pos
	}
	for _, seg := range strings.Split(path, ".") {
		var next *node
		switch cur.kind {
		case kindObject:
			next = cur.members[seg]
		case kindArray:
			var i int
			if _, err := fmt.Sscanf(seg, "%d", &i); err == nil && fmt.Sprint(i) == seg && i >= 0 && i < len(cur.elems) {
				next = cur.elems[i]
			}
		}
		if next == nil {
			break
		}
		cur = next
	}
	return cur.pos
}
