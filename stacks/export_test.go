package stacks

import "slices"

// Test-only views of the cfn-exec mapping (cfnexec.go), for the coverage
// test in package stacks_test.

// CFNExecGrant is a grant of the mapping: actions on a kind of resource.
type CFNExecGrant struct {
	Scope   string
	Actions []string
}

// CFNExecRequirements returns what the mapping grants for a resource of
// type typ that sets props, the props the mapping does not know, and
// whether it knows the type at all.
func CFNExecRequirements(typ string, props []string) (grants []CFNExecGrant, unknown []string, ok bool) {
	t, ok := cfnExecPermissions[typ]
	if !ok {
		return nil, nil, false
	}
	add := func(gs []cfnGrant) {
		for _, g := range gs {
			grants = append(grants, CFNExecGrant{string(g.scope), slices.Clone(g.actions)})
		}
	}
	add(t.always)
	for _, p := range props {
		gs, known := t.properties[p]
		switch {
		case known:
			add(gs)
		case !t.anyProperty:
			unknown = append(unknown, p)
		}
	}
	return grants, unknown, true
}

// CFNExecParameterGrants returns what the mapping grants to resolve a
// template parameter of type typ.
func CFNExecParameterGrants(typ string) ([]CFNExecGrant, bool) {
	gs, ok := cfnExecParameterTypes[typ]
	var out []CFNExecGrant
	for _, g := range gs {
		out = append(out, CFNExecGrant{string(g.scope), slices.Clone(g.actions)})
	}
	return out, ok
}

// CFNExecIntrinsicGrants returns what the mapping grants for a template
// that uses the intrinsic function fn, and whether fn needs anything.
func CFNExecIntrinsicGrants(fn string) ([]CFNExecGrant, bool) {
	gs, ok := cfnExecIntrinsics[fn]
	var out []CFNExecGrant
	for _, g := range gs {
		out = append(out, CFNExecGrant{string(g.scope), slices.Clone(g.actions)})
	}
	return out, ok
}

// AllowedManagedPolicies are the AWS managed policies the stacks' roles
// may have.
var AllowedManagedPolicies = slices.Clone(allowedManagedPolicies)
