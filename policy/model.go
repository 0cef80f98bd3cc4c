package policy

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The rules read the template through the engine's input model
// (lib.rego's header describes it), not as CloudFormation JSON. This file
// builds that model the way @aws/cloudformation-validate 1.14 (aws-cdk-lib
// 2.277) does, for the part the rules read:
//
//	input.resources[logicalId] = {resourceType, properties, outgoingRefs}
//
// The engine's model has more (parameters, conditions, edges, incoming
// references, lint facts); a rule that reads any of it is refused when the
// rules are compiled (see unmodelledFields), so that it cannot silently read
// nothing.
//
// Each intrinsic form below was observed on the engine (dumping
// json.marshal(input) from a rule) and is kept so by the model test of
// policy/engine_test.go. A form whose representation was not verified —
// Fn::Select, Fn::Split, Fn::GetAZs, Fn::ImportValue,
// Fn::Base64, a Ref to a template parameter, a malformed intrinsic, ... — is
// an error, not a guess: a model that differs from the engine's could make
// a rule miss a violation, so such a template fails validation loudly.

// unsupportedError is a template construct the model does not reproduce.
type unsupportedError struct {
	resource, path, what string
}

func (e *unsupportedError) Error() string {
	return fmt.Sprintf("resource %s, %s: %s is not modelled the way the rule engine sees it, so the rules cannot be checked on this template", e.resource, e.path, e.what)
}

// class says what a resolved value is, for the intrinsics that combine
// values (Fn::Join, Fn::Sub).
type class int

const (
	classLiteral     class = iota // plain JSON, no marker inside
	classRef                      // {"__kind", "__ref"}
	classDynamic                  // {"__dynamic"}
	classConditional              // {"__conditional", ...}
	classMixed                    // an array or object with a marker inside
)

type modelBuilder struct {
	env       Env
	resources *node
	params    *node
	mappings  *node
	resource  string // logical ID being built
	refs      []*ast.Term
}

// buildModel returns the engine's input for the template.
func buildModel(tpl *node, env Env) (ast.Value, error) {
	b := &modelBuilder{env: env, resources: tpl.member("Resources"), params: tpl.member("Parameters"), mappings: tpl.member("Mappings")}
	out := ast.NewObject()
	if b.resources == nil {
		out.Insert(ast.StringTerm("resources"), ast.NewTerm(ast.NewObject()))
		return out, nil
	}
	if b.resources.kind != kindObject {
		return nil, fmt.Errorf("template Resources is not an object")
	}
	resources := ast.NewObject()
	for _, id := range b.resources.keys {
		r, err := b.resource_(id, b.resources.members[id])
		if err != nil {
			return nil, err
		}
		resources.Insert(ast.StringTerm(id), ast.NewTerm(r))
	}
	out.Insert(ast.StringTerm("resources"), ast.NewTerm(resources))
	return out, nil
}

func (b *modelBuilder) resource_(id string, r *node) (ast.Value, error) {
	b.resource, b.refs = id, nil
	if r.kind != kindObject {
		return nil, &unsupportedError{id, "", "a resource that is not an object"}
	}
	typ := r.member("Type")
	if typ == nil || typ.kind != kindString {
		return nil, &unsupportedError{id, "Type", "a resource without a string Type"}
	}
	props := ast.Value(ast.NewObject())
	for _, key := range r.keys {
		v := r.members[key]
		switch key {
		case "Type", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "DependsOn":
		case "Properties":
			if v.kind != kindObject {
				return nil, &unsupportedError{id, key, "Properties that are not an object"}
			}
			p, _, err := b.resolve(v, "Properties", nil)
			if err != nil {
				return nil, err
			}
			props = p
		case "Metadata":
			// Only its references reach the model (as outgoingRefs).
			if _, _, err := b.resolve(v, key, nil); err != nil {
				return nil, err
			}
		default:
			if hasIntrinsic(v) {
				return nil, &unsupportedError{id, key, "an intrinsic function in " + key}
			}
		}
	}
	// DependsOn references come after all others, in list order.
	if d := r.member("DependsOn"); d != nil {
		targets := []*node{d}
		if d.kind == kindArray {
			targets = d.elems
		}
		for _, t := range targets {
			if t.kind != kindString {
				return nil, &unsupportedError{id, "DependsOn", "a DependsOn entry that is not a string"}
			}
			b.edge("DependsOn", "DependsOn", t.str, "", nil)
		}
	}
	refs := make([]*ast.Term, len(b.refs))
	copy(refs, b.refs)
	return ast.NewObject(
		[2]*ast.Term{ast.StringTerm("resourceType"), ast.StringTerm(typ.str)},
		[2]*ast.Term{ast.StringTerm("properties"), ast.NewTerm(props)},
		[2]*ast.Term{ast.StringTerm("outgoingRefs"), ast.ArrayTerm(refs...)},
	), nil
}

// edge records one outgoing reference. conds are the Fn::If branches it is
// under ("C" true branch, "!C" false branch), outermost first.
func (b *modelBuilder) edge(kind, path, target, attr string, conds []string) {
	o := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("kind"), ast.StringTerm(kind)},
		[2]*ast.Term{ast.StringTerm("sourcePath"), ast.StringTerm(path)},
		[2]*ast.Term{ast.StringTerm("target"), ast.StringTerm(target)},
	)
	if kind == "GetAtt" || kind == "Sub" {
		o.Insert(ast.StringTerm("attr"), ast.StringTerm(attr))
	}
	if len(conds) > 0 {
		o.Insert(ast.StringTerm("conditionContext"), ast.StringTerm(strings.Join(conds, ",")))
	}
	b.refs = append(b.refs, ast.NewTerm(o))
}

func (b *modelBuilder) isResource(id string) bool { return b.resources.member(id) != nil }

func (b *modelBuilder) isParameter(id string) bool { return b.params.member(id) != nil }

// hasIntrinsic reports whether n holds anything that looks like an
// intrinsic function.
func hasIntrinsic(n *node) bool {
	switch n.kind {
	case kindArray:
		for _, e := range n.elems {
			if hasIntrinsic(e) {
				return true
			}
		}
	case kindObject:
		for _, k := range n.keys {
			if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") || hasIntrinsic(n.members[k]) {
				return true
			}
		}
	}
	return false
}

// resolve returns the engine's representation of the value n at path.
func (b *modelBuilder) resolve(n *node, path string, conds []string) (ast.Value, class, error) {
	switch n.kind {
	case kindNull:
		return ast.Null{}, classLiteral, nil
	case kindBool:
		return ast.Boolean(n.b), classLiteral, nil
	case kindString:
		return ast.String(n.str), classLiteral, nil
	case kindNumber:
		num, err := engineNumber(n.str)
		if err != nil {
			return nil, 0, &unsupportedError{b.resource, path, err.Error()}
		}
		return num, classLiteral, nil
	case kindArray:
		out := make([]*ast.Term, len(n.elems))
		cls := classLiteral
		for i, e := range n.elems {
			v, c, err := b.resolve(e, path+"."+strconv.Itoa(i), conds)
			if err != nil {
				return nil, 0, err
			}
			if c != classLiteral {
				cls = classMixed
			}
			out[i] = ast.NewTerm(v)
		}
		return ast.NewArray(out...), cls, nil
	}
	if len(n.keys) == 1 {
		key := n.keys[0]
		if key == "Ref" || key == "Condition" || strings.HasPrefix(key, "Fn::") {
			return b.intrinsic(key, n.members[key], path, conds)
		}
	}
	out := ast.NewObject()
	cls := classLiteral
	for _, k := range n.keys {
		v, c, err := b.resolve(n.members[k], path+"."+k, conds)
		if err != nil {
			return nil, 0, err
		}
		if c != classLiteral {
			cls = classMixed
		}
		out.Insert(ast.StringTerm(k), ast.NewTerm(v))
	}
	return out, cls, nil
}

// engineNumber converts a JSON number literal the way the engine reads it:
// an integer that fits in 64 bits stays exact, anything else becomes a
// float64 (so 12345678901234567890 reads as 12345678901234567000). The
// literal is kept in the shortest form that reads back as the same value;
// formatNumber (sprintf) prints it as the engine does.
func engineNumber(lit string) (ast.Number, error) {
	if !strings.ContainsAny(lit, ".eE") {
		if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return ast.Number(strconv.FormatInt(i, 10)), nil
		}
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && !isRangeError(err) {
		return "", fmt.Errorf("number %s", lit)
	}
	if math.IsInf(f, 0) {
		return "", fmt.Errorf("number %s out of range", lit)
	}
	return floatNumber(f), nil
}

// floatNumber keeps the float's sign (the engine prints -0.0 as "-0") and
// marks it as a float with a fraction or exponent part, which an integer
// literal of a rule never has.
func floatNumber(f float64) ast.Number {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return ast.Number(s)
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// numberIsInt reports whether an ast.Number literal is an integer literal
// (a rule's integer, or a template integer that fits in 64 bits).
func numberIsInt(n ast.Number) (*big.Int, bool) {
	s := string(n)
	if strings.ContainsAny(s, ".eE") {
		return nil, false
	}
	i, ok := new(big.Int).SetString(s, 10)
	return i, ok
}
