package workflows

import (
	"errors"
	"fmt"

	"golang.org/x/mod/modfile"
)

// GoVersionFromGoMod returns the go line of a go.mod file, the version the
// workflows install: the one the module declares it needs.
func GoVersionFromGoMod(data []byte) (string, error) {
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return "", fmt.Errorf("go.mod: %w", err)
	}
	if f.Go == nil || f.Go.Version == "" {
		return "", errors.New("go.mod has no go line")
	}
	return f.Go.Version, nil
}
