package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/acme/wellknown/internal/diag"
	"github.com/acme/wellknown/internal/jsontree"
)

// The CDK CLI passes the context in CDK_CONTEXT_JSON, or partly in a file
// named by CONTEXT_OVERFLOW_LOCATION_ENV when it is too large for the
// environment, and sets CDK_CLI_VERSION.
const (
	contextEnv         = "CDK_CONTEXT_JSON"
	contextOverflowEnv = "CONTEXT_OVERFLOW_LOCATION_ENV"
	cliVersionEnv      = "CDK_CLI_VERSION"
	// contextFileName is where the CDK CLI caches lookups; it is merged
	// into the context like cdk.json.
	contextFileName = "cdk.context.json"
	// userDefaultsName is the per-user settings file in the home
	// directory, whose "context" the CDK CLI merges too.
	userDefaultsName = ".cdk.json"
	// sectionPrefix marks the context keys this project owns.
	sectionPrefix = "wellknown:"
)

// Context is the CDK context the app runs with — the "context" object of
// cdk.json merged with -c flags, as the CDK CLI hands it to the app — and,
// for every top-level key, the document it came from, so that a problem
// names the file or flag the user has to change.
type Context struct {
	entries map[string]entry
	// problems found while reading the documents: duplicate keys in the
	// project's sections.
	problems []diag.Problem
	// byHand names the variable the context came from when the app was
	// run by hand with CDK_CONTEXT_JSON: such a run takes no value from
	// cdk.json, so a key it lacks is missing there, and inFile says
	// whether cdk.json has it. Empty when the context is cdk.json's or the
	// CDK CLI's merge of it, where a missing key is missing from cdk.json.
	byHand string
	inFile map[string]bool
	// shadowed are the project keys that files merged by the CDK CLI set
	// besides cdk.json; see ReadProject.
	shadowed []string
}

type entry struct {
	node   *jsontree.Node
	raw    json.RawMessage
	source string
	// flag is set for a value given with `cdk -c`, which the CDK CLI
	// passes as a string whatever it looks like.
	flag bool
}

// NewContext is a context whose values all come from cdk.json, for callers
// that build one in memory.
func NewContext(values map[string]json.RawMessage) Context {
	c := Context{entries: map[string]entry{}}
	for k, raw := range values {
		c = c.With(k, raw)
	}
	return c
}

// With returns a copy of c with key set to raw (from cdk.json).
func (c Context) With(key string, raw json.RawMessage) Context {
	out := c
	out.entries = make(map[string]entry, len(c.entries)+1)
	for k, e := range c.entries {
		out.entries[k] = e
	}
	node, _, err := jsontree.Parse(raw)
	if err != nil {
		node = nil // Values keeps the text; parsing reports it as not an object
	}
	out.entries[key] = entry{node: node, raw: raw, source: FileName}
	return out
}

// Value returns the value of key.
func (c Context) Value(key string) (json.RawMessage, bool) {
	e, ok := c.entries[key]
	return e.raw, ok
}

// Values returns every key's value, for the CDK app.
func (c Context) Values() map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(c.entries))
	for k, e := range c.entries {
		out[k] = e.raw
	}
	return out
}

// Source names where key's value came from: cdk.json, cdk.context.json,
// the cdk command line, or CDK_CONTEXT_JSON.
func (c Context) Source(key string) string {
	if e, ok := c.entries[key]; ok {
		return e.source
	}
	return FileName
}

// Absent says where a key the context lacks has to be added, and how;
// member is the `"key": value` to add. That is cdk.json, under the CDK CLI
// or without it. An app run by hand with CDK_CONTEXT_JSON reads its values
// from that variable alone, so when cdk.json has the key it is missing from
// the variable — and telling the user to add it to cdk.json would ask for
// what is already done.
func (c Context) Absent(key, member string) (file, fix string) {
	switch {
	case c.byHand != "" && c.inFile[key]:
		return c.byHand, fmt.Sprintf("cdk.json has %s, but an app run by hand with %s takes its context from that variable alone: copy the key there from cdk.json, or run the app through the CDK CLI (npx cdk synth), which passes cdk.json's context", quoted(key), c.byHand)
	case c.byHand != "":
		return FileName, fmt.Sprintf("add %s to the \"context\" object (and to %s, for a run by hand)", member, c.byHand)
	}
	return FileName, fmt.Sprintf("add %s to the \"context\" object", member)
}

// Problems are those found reading the documents (duplicate keys in the
// project's sections).
func (c Context) Problems() []diag.Problem { return c.problems }

func (c Context) keys() []string {
	keys := make([]string, 0, len(c.entries))
	for k := range c.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ReadContext returns the context the app runs with. Under the CDK CLI that
// is what the CLI passed, each value attributed to cdk.json when it equals
// cdk.json's; cdk.json is read as well, because the CLI's own JSON parse
// hides its duplicate keys. A project key that cdk.context.json or
// ~/.cdk.json also sets is refused (ReadProject) and taken as cdk.json has
// it, so that the app acts on what every command sees. Run directly (go run
// ., go test) there is nothing in the environment, so the project is read
// as the commands read it, which is what the CLI would have passed without
// -c flags.
func ReadContext(dir string) (Context, error) {
	jsonText, overflow := os.Getenv(contextEnv), os.Getenv(contextOverflowEnv)
	if jsonText == "" && overflow == "" {
		return ReadProject(dir)
	}
	file, err := ReadCDKJSON(filepath.Join(dir, FileName))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Context{}, err
	}
	others, err := mergedFiles(dir)
	if err != nil {
		return Context{}, err
	}
	var cached Context
	for _, o := range others {
		file.problems = append(file.problems, o.shadowing()...)
		if o.label == contextFileName {
			cached = o.ctx
		}
	}
	label := contextEnv
	if os.Getenv(cliVersionEnv) != "" {
		label = "cdk -c"
	}
	ctx := Context{entries: map[string]entry{}, problems: file.problems, shadowed: shadowedKeys(others)}
	if label == contextEnv {
		ctx.byHand, ctx.inFile = contextEnv, map[string]bool{}
		for k := range file.entries {
			ctx.inFile[k] = true
		}
	}
	if overflow != "" {
		data, err := os.ReadFile(overflow)
		if err != nil {
			return Context{}, fmt.Errorf("%s: %w", contextOverflowEnv, err)
		}
		if err := ctx.merge(data, contextOverflowEnv+" ("+overflow+")", label, file, cached); err != nil {
			return Context{}, err
		}
	}
	if jsonText != "" {
		if err := ctx.merge([]byte(jsonText), contextEnv, label, file, cached); err != nil {
			return Context{}, err
		}
	}
	return ctx, nil
}

// merge adds the keys of a context document passed by the CLI. A value
// equal to cdk.json's (or cdk.context.json's) came from that file and is
// taken from it, with its positions; any other came from the command line.
func (c *Context) merge(data []byte, doc, label string, file, cached Context) error {
	root, dups, err := jsontree.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", doc, err)
	}
	if root.Kind != jsontree.Object {
		return fmt.Errorf("%s: not a JSON object", doc)
	}
	c.problems = append(c.problems, duplicates(dups, nil, label)...)
	for _, m := range root.Members {
		if slices.Contains(c.shadowed, m.Key) {
			// Refused where it is set; the app goes on with cdk.json's
			// value, as every command does, so that one wrong file is one
			// problem.
			if k, ok := file.entries[m.Key]; ok {
				c.entries[m.Key] = k
			}
			continue
		}
		raw := m.Value.Raw(data)
		e := entry{node: m.Value, raw: raw, source: sourceLabel(label, m.Key), flag: label != contextEnv}
		for _, known := range []Context{file, cached} {
			if k, ok := known.entries[m.Key]; ok && sameJSON(k.raw, raw) {
				e = k
				break
			}
		}
		c.entries[m.Key] = e
	}
	return nil
}

func sourceLabel(label, key string) string {
	if label == contextEnv {
		return label
	}
	return label + " " + key + "=…"
}

func sameJSON(a, b json.RawMessage) bool {
	d, err := jsontree.FirstDifference(a, b)
	return err == nil && d == ""
}

// ReadCLIFiles parses, with this project's reader, the files the CDK CLI
// parses itself before it runs the app: cdk.json, and cdk.context.json and
// ~/.cdk.json when they exist. The CLI reports a syntax error in them by
// character offset only and stops before the app runs, so the app can
// neither explain it nor clean up; the error returned here names the file,
// the line and the column.
func ReadCLIFiles(dir string) error {
	_, err := ReadProject(dir)
	return err
}

// ReadCDKJSON returns the "context" object of a cdk.json file. A syntax
// error names its line and column; duplicate keys in the project's sections
// become problems of the context.
func ReadCDKJSON(path string) (Context, error) {
	return readDocument(path, FileName, true)
}

func readDocument(path, name string, nested bool) (Context, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Context{}, err
	}
	root, dups, err := jsontree.Parse(data)
	var se *jsontree.SyntaxError
	switch {
	case errors.As(err, &se):
		return Context{}, fmt.Errorf("%s: %s — %s", path, se.Msg, se.Fix)
	case err != nil:
		return Context{}, fmt.Errorf("%s: %w", path, err)
	case root.Kind != jsontree.Object:
		return Context{}, fmt.Errorf("%s: the top level must be an object, found %s", path, jsontree.Describe(root))
	}
	ctx := Context{entries: map[string]entry{}}
	obj := root
	if nested {
		// Only the top-level "context" key's duplicates matter here; the
		// rest of cdk.json belongs to the CDK CLI.
		for _, d := range dups {
			if len(d.Path) == 1 && d.Key == "context" {
				ctx.problems = append(ctx.problems, duplicateProblem(name, "context", d))
			}
		}
		obj, _ = root.Get("context")
		if obj == nil {
			return ctx, nil
		}
		if obj.Kind != jsontree.Object {
			return Context{}, fmt.Errorf("%s: \"context\" must be an object, found %s", path, jsontree.Describe(obj))
		}
		prefix := []jsontree.Seg{{Key: "context", IsKey: true}}
		ctx.problems = append(ctx.problems, duplicates(dups, prefix, name)...)
	} else {
		ctx.problems = append(ctx.problems, duplicates(dups, nil, name)...)
	}
	for _, m := range obj.Members {
		ctx.entries[m.Key] = entry{node: m.Value, raw: m.Value.Raw(data), source: name}
	}
	return ctx, nil
}

// duplicates turns the duplicate keys under prefix that fall inside the
// project's sections into problems: which value wins differs between JSON
// parsers, so a second "prod" would silently replace the first.
func duplicates(dups []jsontree.Duplicate, prefix []jsontree.Seg, source string) []diag.Problem {
	var ps []diag.Problem
	for _, d := range dups {
		if len(d.Path) <= len(prefix) || !hasPrefix(d.Path, prefix) {
			continue
		}
		rel := d.Path[len(prefix):]
		if !rel[0].IsKey || !strings.HasPrefix(rel[0].Key, sectionPrefix) {
			continue
		}
		ps = append(ps, duplicateProblem(source, renderPath(rel), d))
	}
	return ps
}

func duplicateProblem(source, path string, d jsontree.Duplicate) diag.Problem {
	return diag.Problem{File: source, Path: path, Severity: diag.Error,
		Message: fmt.Sprintf("duplicate key %s (line %d): JSON parsers disagree on which value wins", quoted(d.Key), d.Line),
		Fix:     "keep one " + quoted(d.Key) + " and merge the settings into it"}
}

func hasPrefix(path, prefix []jsontree.Seg) bool {
	for i, s := range prefix {
		if path[i] != s {
			return false
		}
	}
	return true
}
