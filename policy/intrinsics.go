package policy

import (
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The intrinsic functions, as the engine represents them (see model.go).

func (b *modelBuilder) intrinsic(fn string, arg *node, path string, conds []string) (ast.Value, class, error) {
	switch fn {
	case "Ref":
		return b.ref(arg, path, conds)
	case "Fn::GetAtt":
		return b.getAtt(arg, path, conds)
	case "Fn::Join":
		return b.join(arg, path, conds)
	case "Fn::Sub":
		return b.sub(arg, path, conds)
	case "Fn::If":
		return b.if_(arg, path, conds)
	case "Fn::FindInMap":
		return b.findInMap(arg, path, conds)
	case "Fn::GetStackOutput":
		return b.getStackOutput(arg, path, conds)
	}
	return nil, 0, &unsupportedError{b.resource, path, fn}
}

func marker(kind, target string) ast.Value {
	return ast.NewObject(
		[2]*ast.Term{ast.StringTerm("__kind"), ast.StringTerm(kind)},
		[2]*ast.Term{ast.StringTerm("__ref"), ast.StringTerm(target)},
	)
}

func dynamic(s string) ast.Value {
	return ast.NewObject([2]*ast.Term{ast.StringTerm("__dynamic"), ast.StringTerm(s)})
}

// ref: a pseudo parameter is substituted, AWS::NoValue is null, a resource
// is a reference marker (and an outgoing reference), any other name is
// "unknown ref target" (no reference).
func (b *modelBuilder) ref(arg *node, path string, conds []string) (ast.Value, class, error) {
	if arg.kind != kindString {
		return nil, 0, &unsupportedError{b.resource, path, "a Ref whose target is not a string"}
	}
	name := arg.str
	if s, ok := b.env.pseudoString(name); ok {
		return ast.String(s), classLiteral, nil
	}
	switch {
	case name == "AWS::NoValue":
		return ast.Null{}, classLiteral, nil
	case name == "AWS::NotificationARNs":
		var arns []*ast.Term
		for _, a := range b.env.notificationARNs() {
			arns = append(arns, ast.StringTerm(a))
		}
		return ast.NewArray(arns...), classLiteral, nil
	case b.isParameter(name):
		return nil, 0, &unsupportedError{b.resource, path, "a Ref to the template parameter " + name}
	case strings.HasPrefix(name, "AWS::"):
		return nil, 0, &unsupportedError{b.resource, path, "the pseudo parameter " + name}
	case b.isResource(name):
		b.edge("Ref", path, name, "", conds)
		return marker("resource", name), classRef, nil
	}
	return dynamic("unknown ref target: " + name), classDynamic, nil
}

// getAtt: [logicalId, attribute] or "logicalId.attribute" is a marker with
// the attribute in __kind, and an outgoing reference even when the target
// is not in the template.
func (b *modelBuilder) getAtt(arg *node, path string, conds []string) (ast.Value, class, error) {
	var target, attr string
	switch {
	case arg.kind == kindArray && len(arg.elems) == 2 && arg.elems[0].kind == kindString && arg.elems[1].kind == kindString:
		target, attr = arg.elems[0].str, arg.elems[1].str
	case arg.kind == kindString && strings.Contains(arg.str, "."):
		target, attr, _ = strings.Cut(arg.str, ".")
	default:
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::GetAtt that is not [logicalId, attribute] or \"logicalId.attribute\" of strings"}
	}
	b.edge("GetAtt", path, target, attr, conds)
	return marker("getatt:"+attr, target), classRef, nil
}

// if_: both branches are kept, under the condition's name (which the
// engine does not check against Conditions).
func (b *modelBuilder) if_(arg *node, path string, conds []string) (ast.Value, class, error) {
	if arg.kind != kindArray || len(arg.elems) != 3 || arg.elems[0].kind != kindString {
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::If that is not [condition, value, value]"}
	}
	cond := arg.elems[0].str
	t, _, err := b.resolve(arg.elems[1], path+".Fn::If.1", append(conds[:len(conds):len(conds)], cond))
	if err != nil {
		return nil, 0, err
	}
	f, _, err := b.resolve(arg.elems[2], path+".Fn::If.2", append(conds[:len(conds):len(conds)], "!"+cond))
	if err != nil {
		return nil, 0, err
	}
	return ast.NewObject(
		[2]*ast.Term{ast.StringTerm("__conditional"), ast.StringTerm(cond)},
		[2]*ast.Term{ast.StringTerm("__if_true"), ast.NewTerm(t)},
		[2]*ast.Term{ast.StringTerm("__if_false"), ast.NewTerm(f)},
	), classConditional, nil
}

// join: all strings join to a string. With a reference or an unresolved
// value among them the engine keeps a rendering, "Join:" + the parts
// joined, each reference (Ref and every GetAtt alike) as "{ref:X}" and
// each unresolved value as "{dynamic}". An Fn::If element makes the whole
// "Join with unresolvable list element"; literals that are not strings
// make it "Join with non-string elements".
func (b *modelBuilder) join(arg *node, path string, conds []string) (ast.Value, class, error) {
	if arg.kind != kindArray || len(arg.elems) != 2 || arg.elems[0].kind != kindString || arg.elems[1].kind != kindArray {
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::Join that is not [literal delimiter, list]"}
	}
	delim := arg.elems[0].str
	var parts []string
	var refs, conditional, nonString bool
	for i, e := range arg.elems[1].elems {
		v, c, err := b.resolve(e, path+".Fn::Join.1."+strconv.Itoa(i), conds)
		if err != nil {
			return nil, 0, err
		}
		switch c {
		case classConditional:
			conditional = true
		case classRef:
			refs = true
			parts = append(parts, "{ref:"+string(v.(ast.Object).Get(ast.StringTerm("__ref")).Value.(ast.String))+"}")
		case classDynamic:
			refs = true
			parts = append(parts, "{dynamic}")
		case classLiteral:
			if s, ok := v.(ast.String); ok {
				parts = append(parts, string(s))
			} else {
				nonString = true
			}
		default:
			return nil, 0, &unsupportedError{b.resource, path, "an Fn::Join element that is a list or object holding references"}
		}
	}
	switch {
	case conditional:
		return dynamic("Join with unresolvable list element"), classDynamic, nil
	case refs && nonString:
		// Observed: the engine drops such an element from the rendering,
		// but where a delimiter goes around it was not; do not guess.
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::Join of references and literals that are not strings"}
	case refs:
		return dynamic("Join:" + strings.Join(parts, delim)), classDynamic, nil
	case nonString:
		return dynamic("Join with non-string elements"), classDynamic, nil
	}
	return ast.String(strings.Join(parts, delim)), classLiteral, nil
}

// sub: "${Name}" is substituted when Name is a pseudo parameter or a
// variable of the [string, {variables}] form with a literal string or
// integer value; "${!Text}" stands for "${Text}". Anything else stays as
// written and makes the value a rendering, "Sub:" + the string, in which
// "${!Text}" stays escaped: a resource ("${X}" a Ref, "${X.A}" a GetAtt,
// both outgoing references at the Fn::Sub's own path), a variable whose
// value is a reference, a condition or unresolved, and an unknown name (an
// outgoing reference of kind "Sub" to the name itself). A variable's
// references come first, at the Fn::Sub's path plus their path inside the
// variable's value.
func (b *modelBuilder) sub(arg *node, path string, conds []string) (ast.Value, class, error) {
	var text string
	vars := map[string]*string{} // nil: kept as written
	switch {
	case arg.kind == kindString:
		text = arg.str
	case arg.kind == kindArray && len(arg.elems) == 2 && arg.elems[0].kind == kindString && arg.elems[1].kind == kindObject:
		text = arg.elems[0].str
		m := arg.elems[1]
		for _, name := range m.keys {
			v, c, err := b.resolve(m.members[name], path, conds)
			if err != nil {
				return nil, 0, err
			}
			switch {
			case c == classRef || c == classDynamic || c == classConditional:
				vars[name] = nil
			case c == classLiteral:
				var s string
				switch x := v.(type) {
				case ast.String:
					s = string(x)
				case ast.Number:
					i, ok := numberIsInt(x)
					if !ok {
						return nil, 0, &unsupportedError{b.resource, path, "an Fn::Sub variable that is a non-integer number"}
					}
					s = i.String()
				default:
					return nil, 0, &unsupportedError{b.resource, path, "an Fn::Sub variable that is not a string, integer or reference"}
				}
				vars[name] = &s
			default:
				return nil, 0, &unsupportedError{b.resource, path, "an Fn::Sub variable that is a list or object holding references"}
			}
		}
	default:
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::Sub that is not a string or [string, {variables}]"}
	}
	var literal, rendered strings.Builder
	kept := false
	seen := map[string]bool{}
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			break // "a${T": no placeholder
		}
		raw, name := text[i:i+j+1], text[i+2:i+j]
		literal.WriteString(text[:i])
		rendered.WriteString(text[:i])
		text = text[i+j+1:]
		if strings.HasPrefix(name, "!") {
			literal.WriteString("${" + name[1:] + "}")
			rendered.WriteString(raw)
			continue
		}
		name = strings.TrimSpace(name)
		if v, ok := vars[name]; ok {
			if v != nil {
				literal.WriteString(*v)
				rendered.WriteString(*v)
				continue
			}
			kept = true
			rendered.WriteString(raw)
			continue
		}
		if s, ok := b.env.pseudoString(name); ok {
			literal.WriteString(s)
			rendered.WriteString(s)
			continue
		}
		if name == "AWS::NoValue" {
			literal.WriteString("null")
			rendered.WriteString("null")
			continue
		}
		target, attr, dotted := strings.Cut(name, ".")
		kept = true
		rendered.WriteString(raw)
		if seen[name] {
			continue // the engine records a name used twice once
		}
		seen[name] = true
		switch {
		case b.isParameter(target):
			return nil, 0, &unsupportedError{b.resource, path, "an Fn::Sub of the template parameter " + target}
		case name == "AWS::NotificationARNs":
			return nil, 0, &unsupportedError{b.resource, path, "an Fn::Sub of AWS::NotificationARNs"}
		case b.isResource(target) && !dotted:
			b.edge("Ref", path, target, "", conds)
		case b.isResource(target):
			b.edge("GetAtt", path, target, attr, conds)
		default:
			b.edge("Sub", path, name, name, conds)
		}
	}
	literal.WriteString(text)
	rendered.WriteString(text)
	if kept {
		return dynamic("Sub:" + rendered.String()), classDynamic, nil
	}
	return ast.String(literal.String()), classLiteral, nil
}

// findInMap: [map, key, key] with literal keys (a pseudo parameter
// included, as in the CDK's AWS::Partition lookups) is the mapping's value;
// a missing map or entry is a rendering saying so.
func (b *modelBuilder) findInMap(arg *node, path string, conds []string) (ast.Value, class, error) {
	if arg.kind != kindArray || len(arg.elems) != 3 || arg.elems[0].kind != kindString {
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::FindInMap that is not [map, key, key]"}
	}
	keys := make([]string, 3)
	for i, e := range arg.elems {
		v, c, err := b.resolve(e, path+".Fn::FindInMap."+strconv.Itoa(i), conds)
		if err != nil {
			return nil, 0, err
		}
		s, ok := v.(ast.String)
		if c != classLiteral || !ok {
			return nil, 0, &unsupportedError{b.resource, path, "an Fn::FindInMap whose map name and keys are not literal strings"}
		}
		keys[i] = string(s)
	}
	m := b.mappings.member(keys[0])
	if m == nil {
		return dynamic("mapping '" + keys[0] + "' not found"), classDynamic, nil
	}
	v := m.member(keys[1]).member(keys[2])
	if v == nil {
		return dynamic("no mapping entry for " + strings.Join(keys, "/")), classDynamic, nil
	}
	if hasIntrinsic(v) {
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::FindInMap of a mapping value holding an intrinsic function"}
	}
	// A plain value resolves to itself; no reference is recorded.
	return b.resolve(v, path, conds)
}

// getStackOutput (the CDK's weak cross-stack and cross-region reference)
// is a rendering of its literal StackName, Region and OutputName, in that
// order, each as a Rust debug string; a field that is a reference is left
// out of it (its outgoing reference is recorded).
func (b *modelBuilder) getStackOutput(arg *node, path string, conds []string) (ast.Value, class, error) {
	if arg.kind != kindObject {
		return nil, 0, &unsupportedError{b.resource, path, "an Fn::GetStackOutput that is not an object"}
	}
	fields := map[string]string{}
	for _, k := range arg.keys {
		v, c, err := b.resolve(arg.members[k], path+"."+k, conds)
		if err != nil {
			return nil, 0, err
		}
		s, isString := v.(ast.String)
		switch {
		case c == classRef:
		case c == classLiteral && isString:
			for _, r := range string(s) {
				if r < 0x20 || r == 0x7f {
					return nil, 0, &unsupportedError{b.resource, path, "an Fn::GetStackOutput field with a control character"}
				}
			}
			fields[k] = string(s)
		default:
			return nil, 0, &unsupportedError{b.resource, path, "an Fn::GetStackOutput field that is not a string or a reference"}
		}
	}
	var parts []string
	for _, k := range []string{"StackName", "Region", "OutputName"} {
		if v, ok := fields[k]; ok {
			v = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v)
			parts = append(parts, k+`="`+v+`"`)
		}
	}
	return dynamic("cross-stack output: " + strings.Join(parts, ", ")), classDynamic, nil
}
