package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The rules are written for the engine (regorus); before OPA compiles them
// they are checked and rewritten so that OPA evaluates them the engine's
// way, or refuses them:
//   - sprintf calls the engine's sprintf (sprintf.go); its format must be a
//     literal with verbs whose output is known;
//   - "some x in coll" fails on a value that is not a collection, and
//     "every x in v" is false on one, as in the engine;
//   - "x in coll" (and "k, v in coll") is false, not undefined, when coll
//     is undefined or not a collection, as in the engine, so that
//     "not x in coll" holds there too;
//   - only builtins whose behaviour was compared with the engine's may be
//     called (a call to another one, walk() included, which the engine
//     lacks, is refused);
//   - input is read only where the model (model.go) reproduces it.

// allowedBuiltins are the OPA builtins the rules may call besides the
// engine's own (builtins.go). Each behaves the same in the engine for the
// values the rules pass it, with an argument of the wrong type undefined
// in both; policy/engine_test.go compares them. Extend the list only with
// a comparison.
var allowedBuiltins = map[string]bool{
	"eq": true, "assign": true, "equal": true, "neq": true,
	"lt": true, "lte": true, "gt": true, "gte": true,
	"internal.member_2": true, "internal.member_3": true,
	"count": true, "concat": true, "startswith": true, "endswith": true, "contains": true,
	"split": true, "lower": true, "upper": true, "substring": true,
	"regex.match": true,
	"object.get":  true, "object.keys": true, "array.concat": true,
	"is_object": true, "is_array": true, "is_string": true, "is_number": true, "is_boolean": true, "is_null": true,
	"resources_of_type": true, "make_diag": true, "make_diag_at": true, "make_diag_full": true,
	sprintfName: true, iterableName: true, everyName: true,
}

// modelledFields are the fields of input.resources[_] the model builds;
// unmodelledFields are the engine's others, which a rule must not read
// (the model would not have them, so the rule would read nothing).
var (
	modelledFields   = map[string]bool{"resourceType": true, "properties": true, "outgoingRefs": true}
	unmodelledFields = map[string]bool{
		"condition": true, "conditionRefs": true, "conditionallyNullProps": true, "creationPolicy": true,
		"deletionPolicy": true, "dependsOn": true, "emptyJoins": true, "findInMapRefs": true,
		"forEachExpansions": true, "hardcodedPartitionArns": true, "incomingRefs": true, "invalidRefs": true,
		"rawPseudoParams": true, "redundantSubs": true, "secretsmanagerRefPaths": true, "simpleSubs": true,
		"unsubstitutedVariables": true, "unusedSubKeys": true, "updatePolicy": true, "updateReplacePolicy": true,
	}
)

// parseRules parses and rewrites the rule files; the error lists every
// problem found, file and line.
func parseRules(sources map[string]string) ([]*ast.Module, error) {
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	var mods []*ast.Module
	funcs := map[string]bool{} // the rules' own functions, in any file
	for _, n := range names {
		m, err := ast.ParseModuleWithOpts(n, sources[n], ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		for _, r := range m.Rules {
			funcs[r.Head.Ref()[0].String()] = true
		}
		mods = append(mods, m)
	}
	var problems []string
	for _, m := range mods {
		problems = append(problems, rewriteModule(m, funcs)...)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("policy: the rules cannot be evaluated the way the engine evaluates them:\n  %s", strings.Join(problems, "\n  "))
	}
	return mods, nil
}

var (
	sprintfRef  = ast.MustParseRef(sprintfName)
	iterableRef = ast.MustParseRef(iterableName)
	everyRef    = ast.MustParseRef(everyName)
)

func rewriteModule(m *ast.Module, funcs map[string]bool) []string {
	var problems []string
	problem := func(loc *ast.Location, format string, args ...interface{}) {
		where := "?"
		if loc != nil {
			where = fmt.Sprintf("%s:%d", loc.File, loc.Row)
		}
		problems = append(problems, where+": "+fmt.Sprintf(format, args...))
	}
	// call checks and rewrites one call: its operator and arguments.
	call := func(loc *ast.Location, terms []*ast.Term) {
		op, ok := terms[0].Value.(ast.Ref)
		if !ok {
			return
		}
		name := op.String()
		if name == "sprintf" {
			terms[0] = ast.NewTerm(sprintfRef.Copy()).SetLocation(terms[0].Location)
			name = sprintfName
			if len(terms) != 3 {
				problem(loc, "sprintf with %d arguments", len(terms)-1)
				return
			}
			f, ok := terms[1].Value.(ast.String)
			if !ok {
				problem(loc, "sprintf format is not a string literal")
				return
			}
			if _, err := parseFormat(string(f)); err != nil {
				problem(loc, "%v", err)
			}
		}
		if !allowedBuiltins[name] && !(len(op) == 1 && funcs[name]) {
			problem(loc, "%s is not a builtin whose behaviour was compared with the engine's", name)
		}
	}
	ast.WalkExprs(m, func(e *ast.Expr) bool {
		if terms, ok := e.Terms.([]*ast.Term); ok && e.IsCall() {
			call(e.Location, terms)
		}
		switch t := e.Terms.(type) {
		case *ast.SomeDecl:
			// "some x in coll" / "some k, v in coll": the collection is the
			// member call's last argument.
			for _, sym := range t.Symbols {
				if c, ok := sym.Value.(ast.Call); ok && len(c) > 1 {
					c[len(c)-1] = ast.CallTerm(ast.NewTerm(iterableRef.Copy()), c[len(c)-1])
				}
			}
		case *ast.Every:
			t.Domain = ast.CallTerm(ast.NewTerm(everyRef.Copy()), t.Domain)
		}
		return false
	})
	rewriteMembership(m)
	ast.WalkTerms(m, func(t *ast.Term) bool {
		switch v := t.Value.(type) {
		case ast.Call:
			call(t.Location, v)
		case ast.Ref:
			checkInputRef(v, func(format string, args ...interface{}) { problem(t.Location, format, args...) })
		case ast.String:
			if unmodelledFields[string(v)] {
				problem(t.Location, "%q is a field of the engine's resource model that the Go model does not build", string(v))
			}
		}
		return false
	})
	return problems
}

// checkInputRef allows input.resources, input.resources[id] and
// input.resources[id].<modelled field>...
func checkInputRef(r ast.Ref, problem func(string, ...interface{})) {
	if !r[0].Equal(ast.InputRootDocument) {
		return
	}
	if len(r) < 2 || !r[1].Equal(ast.StringTerm("resources")) {
		problem("%v: the model builds only input.resources", r)
		return
	}
	if len(r) >= 4 {
		if f, ok := r[3].Value.(ast.String); !ok || !modelledFields[string(f)] {
			problem("%v: the model builds only resourceType, properties and outgoingRefs of a resource", r)
		}
	}
}

var (
	member2 = ast.Member.Ref()
	member3 = ast.MemberWithKey.Ref()
)

// rewriteMembership turns every membership test outside "some ... in"
// into count([1 | c = coll; v = c[k]; v == x]) > 0 (with k == key for
// "key, x in coll"): false where coll is undefined or not a collection,
// which is the engine's answer, where OPA's is undefined.
func rewriteMembership(m *ast.Module) {
	n := 0
	fresh := func() *ast.Term {
		n++
		return ast.VarTerm(fmt.Sprintf("__cfnv_%d", n))
	}
	replace := func(terms []*ast.Term) []*ast.Term {
		op, ok := terms[0].Value.(ast.Ref)
		if !ok || !(op.Equal(member2) && len(terms) == 3 || op.Equal(member3) && len(terms) == 4) {
			return nil
		}
		c, k, v := fresh(), fresh(), fresh()
		coll, x := terms[len(terms)-1], terms[len(terms)-2]
		body := ast.NewBody(
			ast.Equality.Expr(c, coll),
			ast.Equality.Expr(v, ast.RefTerm(c, k)),
			ast.Equal.Expr(v, x),
		)
		if len(terms) == 4 {
			body.Append(ast.Equal.Expr(k, terms[1]))
		}
		count := ast.CallTerm(ast.RefTerm(ast.VarTerm("count")), ast.ArrayComprehensionTerm(ast.IntNumberTerm(1), body))
		return []*ast.Term{ast.NewTerm(ast.GreaterThan.Ref()), count, ast.IntNumberTerm(0)}
	}
	ast.NewGenericVisitor(func(x interface{}) bool {
		switch t := x.(type) {
		case *ast.SomeDecl:
			return true // the iteration's own member call
		case *ast.Expr:
			if terms, ok := t.Terms.([]*ast.Term); ok && t.IsCall() {
				if r := replace(terms); r != nil {
					t.Terms = r
				}
			}
		case *ast.Term:
			if c, ok := t.Value.(ast.Call); ok {
				if r := replace(c); r != nil {
					t.Value = ast.Call(r)
				}
			}
		}
		return false
	}).Walk(m)
}
