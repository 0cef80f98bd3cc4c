package policy

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/types"
)

// The engine's builtins the rules call, and the replacements for OPA
// builtins and constructs that behave differently in the engine. An
// argument the engine rejects is an evaluation error there ("failed to
// evaluate", which fails synthesis), so it halts evaluation here (rego.HaltError): OPA
// would otherwise turn a builtin's error into an undefined value and the
// violation would silently disappear.

// Names of the replacements the rules are rewritten to call (rewrite.go).
const (
	sprintfName  = "cfnvalidate.sprintf"
	iterableName = "cfnvalidate.iterable"
	everyName    = "cfnvalidate.every_domain"
)

type modelKey struct{}

// evalModel is what the builtins need of the template being evaluated.
type evalModel struct {
	// ids are the logical IDs in template order, types their Type.
	ids   []string
	types map[string]string
}

func fail(format string, args ...interface{}) error {
	return rego.NewHaltError(fmt.Errorf(format, args...))
}

func stringArg(fn string, i int, t *ast.Term) (string, error) {
	s, ok := t.Value.(ast.String)
	if !ok {
		return "", fail("%s: argument %d is %v, not a string", fn, i+1, ast.ValueName(t.Value))
	}
	return string(s), nil
}

func anyArgs(n int) []types.Type {
	out := make([]types.Type, n)
	for i := range out {
		out[i] = types.A
	}
	return out
}

func builtinOptions() []func(*rego.Rego) {
	return []func(*rego.Rego){
		// resources_of_type(type): the logical IDs of that type, in
		// template order.
		rego.Function1(&rego.Function{Name: "resources_of_type", Decl: types.NewFunction(anyArgs(1), types.NewArray(nil, types.S))},
			func(bctx rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
				typ, err := stringArg("resources_of_type", 0, a)
				if err != nil {
					return nil, err
				}
				m, _ := bctx.Context.Value(modelKey{}).(*evalModel)
				if m == nil {
					return nil, fail("resources_of_type: no template")
				}
				var out []*ast.Term
				for _, id := range m.ids {
					if m.types[id] == typ {
						out = append(out, ast.StringTerm(id))
					}
				}
				return ast.ArrayTerm(out...), nil
			}),
		rego.FunctionDyn(&rego.Function{Name: "make_diag", Decl: types.NewFunction(anyArgs(4), types.A)},
			func(_ topdown.BuiltinContext, args []*ast.Term) (*ast.Term, error) {
				return makeDiag("make_diag", args, []string{"rule_id", "severity", "resource_id", "message"})
			}),
		rego.FunctionDyn(&rego.Function{Name: "make_diag_at", Decl: types.NewFunction(anyArgs(5), types.A)},
			func(_ topdown.BuiltinContext, args []*ast.Term) (*ast.Term, error) {
				return makeDiag("make_diag_at", args, []string{"rule_id", "severity", "resource_id", "resource_path", "message"})
			}),
		// make_diag_full's seventh argument is the documentation URL, which
		// a STANDARD report (the CDK's) does not show: it is not the
		// diagnostic's category, so the project's "security" never reaches
		// the report.
		rego.FunctionDyn(&rego.Function{Name: "make_diag_full", Decl: types.NewFunction(anyArgs(7), types.A)},
			func(_ topdown.BuiltinContext, args []*ast.Term) (*ast.Term, error) {
				return makeDiag("make_diag_full", args, []string{"rule_id", "severity", "resource_id", "resource_path", "message", "suggested_fix", "documentation_url"})
			}),
		rego.Function2(&rego.Function{Name: sprintfName, Decl: types.NewFunction(anyArgs(2), types.S)},
			func(_ rego.BuiltinContext, format, args *ast.Term) (*ast.Term, error) {
				f, ok := format.Value.(ast.String)
				if !ok {
					return nil, nil
				}
				v, err := engineSprintf(string(f), args.Value)
				if err != nil {
					return nil, fail("sprintf: %v", err)
				}
				if v == nil {
					return nil, nil
				}
				return ast.NewTerm(v), nil
			}),
		// "some x in coll" over a value that is not a collection is an
		// error in the engine ("`some .. in collection` expects
		// array/set/object"); OPA iterates nothing.
		rego.Function1(&rego.Function{Name: iterableName, Decl: types.NewFunction(anyArgs(1), types.A)},
			func(_ rego.BuiltinContext, coll *ast.Term) (*ast.Term, error) {
				if isCollection(coll.Value) {
					return coll, nil
				}
				return nil, fail("`some .. in collection` expects array/set/object, got %v", formatValue(coll.Value))
			}),
		// "every x in v" is false in the engine when v is not a collection.
		rego.Function1(&rego.Function{Name: everyName, Decl: types.NewFunction(anyArgs(1), types.A)},
			func(_ rego.BuiltinContext, coll *ast.Term) (*ast.Term, error) {
				if isCollection(coll.Value) {
					return coll, nil
				}
				return nil, nil
			}),
	}
}

func isCollection(v ast.Value) bool {
	switch v.(type) {
	case *ast.Array, ast.Set, ast.Object:
		return true
	}
	return false
}

// makeDiag builds the object the engine's constructors return (without
// its source span, which the engine recomputes from resource_id and
// resource_path anyway). Empty optional strings are left out, as the
// engine leaves them out of the diagnostic.
func makeDiag(fn string, terms []*ast.Term, fields []string) (*ast.Term, error) {
	args := terms[:len(terms)-1] // the last term is the call's output
	if len(args) != len(fields) {
		return nil, fail("%s: %d arguments, want %d", fn, len(args), len(fields))
	}
	o := ast.NewObject()
	for i, f := range fields {
		s, err := stringArg(fn, i, args[i])
		if err != nil {
			return nil, err
		}
		if s == "" && (f == "suggested_fix" || f == "documentation_url") {
			continue
		}
		o.Insert(ast.StringTerm(f), ast.StringTerm(s))
	}
	if o.Get(ast.StringTerm("resource_path")) == nil {
		o.Insert(ast.StringTerm("resource_path"), ast.StringTerm(""))
	}
	return ast.NewTerm(o), nil
}

func withModel(ctx context.Context, m *evalModel) context.Context {
	return context.WithValue(ctx, modelKey{}, m)
}
