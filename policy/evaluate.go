package policy

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Evaluator runs the rules on templates in-process with OPA, producing the
// diagnostics @aws/cloudformation-validate produces for the same rules
// (package comment). It is safe for concurrent use.
type Evaluator struct {
	// queries evaluate data.<package>.violation of every package the rules
	// declare, as the engine does.
	queries  []rego.PreparedEvalQuery
	packages []string
}

// NewEvaluator compiles the rule files (name → Rego source). Any compile
// error, or a rule the Go side cannot evaluate the engine's way, is an
// error.
func NewEvaluator(ctx context.Context, sources map[string]string) (*Evaluator, error) {
	mods, err := parseRules(sources)
	if err != nil {
		return nil, err
	}
	pkgs := map[string]bool{} // package → has a violation rule
	for _, m := range mods {
		p := m.Package.Path.String()
		pkgs[p] = pkgs[p] || slices.ContainsFunc(m.Rules, func(r *ast.Rule) bool { return r.Head.Ref()[0].Value.Compare(ast.Var("violation")) == 0 })
	}
	for p, ok := range pkgs {
		// The engine evaluates data.<package>.violation of every package
		// it is given, and fails on one that has none.
		if !ok {
			return nil, fmt.Errorf("policy: custom rule package '%s.violation' failed to evaluate: not a valid rule path", p)
		}
	}
	e := &Evaluator{}
	for p := range pkgs {
		e.packages = append(e.packages, p)
	}
	sort.Strings(e.packages)
	for _, p := range e.packages {
		opts := []func(*rego.Rego){
			rego.Query(p + ".violation"),
			// OPA's own non-strict default: a builtin given a value of the
			// wrong type is undefined, as in the engine ("strict builtin
			// errors" off); the engine's real errors are topdown.Halt.
			rego.StrictBuiltinErrors(false),
			// Keep the result an OPA value (a set stays a set, numbers keep
			// their literal) for diagnostics().
			rego.GenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t.Value, nil }),
		}
		for _, m := range mods {
			opts = append(opts, rego.ParsedModule(m))
		}
		opts = append(opts, builtinOptions()...)
		q, err := rego.New(opts...).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("policy: compiling the rules: %w", err)
		}
		e.queries = append(e.queries, q)
	}
	return e, nil
}

// Evaluate returns the diagnostics of the rules on one template (JSON).
// An error — a template the model cannot represent as the engine does, a
// rule that fails to evaluate, a malformed violation — means the rules
// could not be checked; it is never a pass.
func (e *Evaluator) Evaluate(ctx context.Context, template []byte, env Env) ([]Diagnostic, error) {
	tpl, err := parseTemplate(template)
	if err != nil {
		return nil, err
	}
	input, err := buildModel(tpl, env)
	if err != nil {
		return nil, err
	}
	m := &evalModel{types: map[string]string{}}
	if res := tpl.member("Resources"); res != nil {
		for _, id := range res.keys {
			m.ids = append(m.ids, id)
			if t := res.members[id].member("Type"); t != nil {
				m.types[id] = t.str
			}
		}
	}
	ctx = withModel(ctx, m)
	var out []Diagnostic
	for i, q := range e.queries {
		rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
		if err != nil {
			return nil, fmt.Errorf("policy: custom rule package '%s.violation' failed to evaluate: %w", e.packages[i], err)
		}
		if len(rs) == 0 || len(rs[0].Expressions) == 0 {
			continue // no violation rule, or undefined: nothing found
		}
		v, ok := rs[0].Expressions[0].Value.(ast.Value)
		if !ok {
			return nil, fmt.Errorf("policy: %s.violation: unexpected result %T", e.packages[i], rs[0].Expressions[0].Value)
		}
		d, err := diagnostics(v, tpl)
		if err != nil {
			return nil, fmt.Errorf("policy: %s.violation: %w", e.packages[i], err)
		}
		out = append(out, d...)
	}
	return out, nil
}

// sharedEvaluator is the evaluator of this package's rules, compiled once per
// process.
var sharedEvaluator = sync.OnceValues(func() (*Evaluator, error) {
	return NewEvaluator(context.Background(), Sources())
})

// Evaluate runs this package's rules on one template.
func Evaluate(ctx context.Context, template []byte, env Env) ([]Diagnostic, error) {
	e, err := sharedEvaluator()
	if err != nil {
		return nil, err
	}
	return e.Evaluate(ctx, template, env)
}
