package cdkout

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/acme/wellknown/internal/jsontree"
)

// stackArtifact is the manifest's artifact type of a CloudFormation stack.
const stackArtifact = "aws:cloudformation:stack"

// Stacks lists the names of the stacks at the top level of the assembly in
// outdir, in the manifest's order (the order the CDK CLI lists them in);
// the stacks of nested assemblies (pipeline stages) are deployed by the
// pipeline and are not listed.
func Stacks(outdir string) ([]string, error) {
	path := filepath.Join(outdir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	root, _, err := jsontree.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	artifacts, _ := root.Get("artifacts")
	if artifacts == nil || artifacts.Kind != jsontree.Object {
		return nil, fmt.Errorf("%s: no artifacts", path)
	}
	var names []string
	for _, m := range artifacts.Members {
		if kind, _ := m.Value.Get("type"); kind == nil || kind.Str != stackArtifact {
			continue
		}
		name := m.Key
		if props, _ := m.Value.Get("properties"); props != nil {
			if n, _ := props.Get("stackName"); n != nil && n.Kind == jsontree.String {
				name = n.Str
			}
		}
		names = append(names, name)
	}
	return names, nil
}
