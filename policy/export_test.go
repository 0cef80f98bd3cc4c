package policy

import "github.com/open-policy-agent/opa/v1/ast"

// ModelJSON is the Go model of a template (buildModel) as JSON values, for
// the comparison with the engine's model.
func ModelJSON(template []byte, env Env) (interface{}, error) {
	tpl, err := parseTemplate(template)
	if err != nil {
		return nil, err
	}
	v, err := buildModel(tpl, env)
	if err != nil {
		return nil, err
	}
	return ast.JSON(v)
}
