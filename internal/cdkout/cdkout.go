// Package cdkout owns the cloud assembly directory the app writes and
// `cdk deploy` reads: where it is, and which of its files make it
// deployable. It links no CDK package, so that both the CDK app and the
// wellknown command (which must not start jsii) remove a failed run's
// assembly the same way.
package cdkout

import (
	"errors"
	"os"
	"path/filepath"
)

// Dir is the one directory a run writes its cloud assembly to:
// CDK_OUTDIR under the CDK CLI, and otherwise cdk.out in the project
// directory, where the CLI would put it (the CDK itself would pick a
// temporary directory).
func Dir(projectDir string) string {
	if d := os.Getenv("CDK_OUTDIR"); d != "" {
		return d
	}
	return filepath.Join(projectDir, "cdk.out")
}

// Deployable are the parts of an assembly that `cdk deploy` acts on, the
// nested assemblies of pipeline stages included.
var Deployable = []string{"manifest.json", "*.template.json", "*.assets.json", "assembly-*"}

// Discard removes the deployable files of outdir: the manifest, the stack
// templates, their asset manifests and the nested assemblies. Staged
// assets and reports stay. It returns what it removed.
func Discard(outdir string) ([]string, error) {
	var removed []string
	var errs []error
	for _, pattern := range Deployable {
		found, _ := filepath.Glob(filepath.Join(outdir, pattern))
		for _, f := range found {
			if err := os.RemoveAll(f); err != nil {
				errs = append(errs, err)
				continue
			}
			removed = append(removed, f)
		}
	}
	return removed, errors.Join(errs...)
}
