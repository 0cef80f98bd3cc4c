package config

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// selectKey is the context key of `cdk synth -c env=<name>[,<name>…]`.
const selectKey = "env"

// Selection is the environments a run acts on, in order and each once;
// empty means all. It is parsed once — from -c env=… or from the
// command's --env flags — and passed down as a value.
type Selection struct {
	Names []string
	// Flag is how the user wrote it ("-c env" or "--env"), for messages.
	Flag string
}

// NewSelection builds a selection from names, dropping blanks and repeats
// (env=dev,dev means dev).
func NewSelection(flag string, names ...string) Selection {
	s := Selection{Flag: flag}
	for _, n := range names {
		for _, name := range strings.Split(n, ",") {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(s.Names, name) {
				s.Names = append(s.Names, name)
			}
		}
	}
	return s
}

// ParseSelection reads -c env=<a>[,<b>…] from the context.
func ParseSelection(ctx Context) (Selection, error) {
	raw, ok := ctx.Value(selectKey)
	if !ok {
		return Selection{Flag: "-c " + selectKey}, nil
	}
	var list string
	if err := json.Unmarshal(raw, &list); err != nil {
		return Selection{}, fmt.Errorf("-c %s: want an environment name, got %s", selectKey, raw)
	}
	s := NewSelection("-c "+selectKey, list)
	if len(s.Names) == 0 {
		return Selection{}, fmt.Errorf("-c %s=%s: want an environment name", selectKey, list)
	}
	return s, nil
}

// All reports whether the selection names no environment, i.e. all of them.
func (s Selection) All() bool { return len(s.Names) == 0 }

// Includes reports whether the selection includes name.
func (s Selection) Includes(name string) bool { return s.All() || slices.Contains(s.Names, name) }

// Select returns the selected environments, in the selection's order.
func (c Config) Select(s Selection) ([]Environment, error) {
	if s.All() {
		return c.Environments, nil
	}
	var out []Environment
	for _, name := range s.Names {
		env, ok := c.Find(name)
		if !ok {
			return nil, &unknownEnvError{Selection: s, Name: name, Known: c.Names()}
		}
		out = append(out, env)
	}
	return out, nil
}

// unknownEnvError is a selection naming an environment cdk.json lacks.
type unknownEnvError struct {
	Selection Selection
	Name      string
	Known     []string
}

func (e *unknownEnvError) Error() string {
	known := strings.Join(e.Known, ", ")
	if e.Selection.Flag == "--env" {
		return fmt.Sprintf("--env %s: unknown environment; known environments: %s", e.Name, known)
	}
	return fmt.Sprintf("%s=%s: unknown environment %q; known environments: %s", e.Selection.Flag, strings.Join(e.Selection.Names, ","), e.Name, known)
}
