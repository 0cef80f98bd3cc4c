package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Context is the CDK context: the "context" object of cdk.json merged with
// -c flags, as the CDK CLI hands it to the app.
type Context map[string]json.RawMessage

// The CDK CLI passes context in CDK_CONTEXT_JSON, or in a file named by
// CONTEXT_OVERFLOW_LOCATION_ENV when it is too large for the environment.
const (
	contextEnv         = "CDK_CONTEXT_JSON"
	contextOverflowEnv = "CONTEXT_OVERFLOW_LOCATION_ENV"
)

// ReadContext returns the context the app runs with. Under the CDK CLI that
// is what the CLI passed; run directly (go run ., go test, the wellknown
// command) there is nothing in the environment, so cdk.json in dir is read,
// which is what the CLI would have passed without -c flags.
func ReadContext(dir string) (Context, error) {
	jsonText, overflow := os.Getenv(contextEnv), os.Getenv(contextOverflowEnv)
	if jsonText == "" && overflow == "" {
		return ReadCDKJSON(filepath.Join(dir, "cdk.json"))
	}
	ctx := Context{}
	if overflow != "" {
		data, err := os.ReadFile(overflow)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", contextOverflowEnv, err)
		}
		if err := json.Unmarshal(data, &ctx); err != nil {
			return nil, fmt.Errorf("%s (%s): not a JSON object: %w", contextOverflowEnv, overflow, err)
		}
	}
	if jsonText != "" {
		var fromEnv Context
		if err := json.Unmarshal([]byte(jsonText), &fromEnv); err != nil {
			return nil, fmt.Errorf("%s: not a JSON object: %w", contextEnv, err)
		}
		for k, v := range fromEnv {
			ctx[k] = v
		}
	}
	return ctx, nil
}

// ReadCDKJSON returns the "context" object of a cdk.json file.
func ReadCDKJSON(path string) (Context, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Context Context `json:"context"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if file.Context == nil {
		file.Context = Context{}
	}
	return file.Context, nil
}
