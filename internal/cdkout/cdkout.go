// Package cdkout owns the cloud assembly directory the app writes and
// `cdk deploy` reads: where it is, and which of its files make it
// deployable. It links no CDK package, so that both the CDK app and the
// wellknown command (which must not start jsii) remove a failed run's
// assembly the same way.
package cdkout

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// Dir is the one directory a run writes its cloud assembly to:
// CDK_OUTDIR under the CDK CLI, and otherwise where the CLI would put it,
// Setting resolved against the project (the CDK itself would pick a
// temporary directory). Following the CLI keeps `go run .` and make
// synth's cleanup, which run without it, on the directory it writes.
func Dir(projectDir string) string {
	if d := os.Getenv("CDK_OUTDIR"); d != "" {
		return d
	}
	out := Setting(projectDir)
	if filepath.IsAbs(out) {
		return out
	}
	return filepath.Join(projectDir, out)
}

// Setting is where the CDK CLI writes the assembly of the project, as
// cdk.json says it: its "output", else cdk.out. A cdk.json that does not
// parse is reported by the config reader; here it means the default.
func Setting(projectDir string) string {
	var settings struct {
		Output string `json:"output"`
	}
	if data, err := os.ReadFile(filepath.Join(projectDir, "cdk.json")); err == nil &&
		json.Unmarshal(data, &settings) == nil && settings.Output != "" {
		return settings.Output
	}
	return "cdk.out"
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
