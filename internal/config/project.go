package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

// ReadProject returns the context of the project in dir as every command
// sees it: cdk.json's "context", with a problem for each key the project
// reads that the other files the CDK CLI merges also set.
//
// The CDK CLI deep-merges into the app's context, below cdk.json's values,
// the "context" of ~/.cdk.json and the top level of cdk.context.json (its
// Configuration.loadConfigFiles and Context.all): a "bucketName" there
// reaches the synthesized bucket and RedirectURL, a whole environment in
// ~/.cdk.json reaches the app, while `wellknown check`, `verify` and
// `handoff` read cdk.json alone. Merging those files here as well would
// make every command depend on a file outside the repository; refusing
// them keeps one configuration, the reviewed cdk.json, for the app and
// every command alike.
func ReadProject(dir string) (Context, error) {
	ctx, err := ReadCDKJSON(filepath.Join(dir, FileName))
	if err != nil {
		return Context{}, err
	}
	others, err := mergedFiles(dir)
	if err != nil {
		return Context{}, err
	}
	for _, o := range others {
		ctx.problems = append(ctx.problems, o.shadowing()...)
	}
	return ctx, nil
}

// mergedFile is a file whose context the CDK CLI merges with cdk.json's.
type mergedFile struct {
	// label names the file in problems; path is where it is.
	label, path string
	// nested: the context is under "context" (a settings file like
	// cdk.json), not at the top level (cdk.context.json).
	nested bool
	ctx    Context
}

// mergedFiles reads cdk.context.json in dir and ~/.cdk.json, those that
// exist. A syntax error in one stops every command, as it stops the CDK CLI;
// one it cannot read is absent, as for the CLI (fs-extra's pathExists).
func mergedFiles(dir string) ([]mergedFile, error) {
	files := []mergedFile{{label: contextFileName, path: filepath.Join(dir, contextFileName)}}
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, mergedFile{label: "~/" + userDefaultsName, path: filepath.Join(home, userDefaultsName), nested: true})
	}
	var out []mergedFile
	for _, f := range files {
		ctx, err := readDocument(f.path, f.label, f.nested)
		switch {
		case errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission):
			continue
		case err != nil:
			return nil, err
		}
		f.ctx = ctx
		out = append(out, f)
	}
	return out, nil
}

// projectKey reports whether the project reads context key k: its own
// sections, and the bootstrap qualifier the CI roles and doctor use.
func projectKey(k string) bool { return strings.HasPrefix(k, sectionPrefix) || k == QualifierKey }

// shadowing are the problems of the project's keys that f sets.
func (f mergedFile) shadowing() []diag.Problem {
	var ps []diag.Problem
	for _, k := range f.ctx.keys() {
		if !projectKey(k) {
			continue
		}
		path := renderPath([]jsontree.Seg{{Key: k, IsKey: true}})
		if !f.nested {
			path = strings.TrimPrefix(path, "context")
		}
		where := "cdk.json's \"context\""
		ps = append(ps, diag.Problem{File: f.label, Path: path, Severity: diag.Error,
			Message: fmt.Sprintf("the CDK CLI merges this file's context into cdk.json's, so cdk synth and cdk deploy would use settings that wellknown check, verify, handoff and doctor do not see (%s is read from cdk.json only)", quoted(k)),
			Fix:     fmt.Sprintf("move what it sets into %s and remove %s from %s", where, quoted(k), f.path)})
	}
	return ps
}

// shadowedKeys are the project keys that the files merged with cdk.json
// set, each reported by ReadProject.
func shadowedKeys(others []mergedFile) []string {
	var keys []string
	for _, o := range others {
		for _, k := range o.ctx.keys() {
			if projectKey(k) && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}
