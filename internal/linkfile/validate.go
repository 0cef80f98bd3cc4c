package linkfile

import (
	"path/filepath"
	"strings"

	"github.com/acme/wellknown/internal/diag"
)

// Validate validates content for the file name's base: AssetLinks or
// AppleAppSiteAssociation.
func Validate(file string, data []byte) []diag.Problem {
	switch filepath.Base(file) {
	case AssetLinks:
		return validateAssetLinksFile(file, data)
	case AppleAppSiteAssociation:
		return validateAASAFile(file, data)
	}
	if file == "" {
		file = "(unnamed)"
	}
	return []diag.Problem{{File: file, Path: "$", Severity: diag.Error,
		Message: "not a link file: only " + AssetLinks + " and " + AppleAppSiteAssociation + " are published",
		Fix:     renameFix(filepath.Base(file))}}
}

// renameFix suggests the intended name for near misses such as
// "apple-app-site-association.json" or "AssetLinks.json".
func renameFix(name string) string {
	for _, n := range Names {
		trimmed := strings.TrimSuffix(name, ".json")
		if strings.EqualFold(name, n) || strings.EqualFold(trimmed, n) {
			return "rename it to " + n + " (exact spelling, no extra extension)"
		}
	}
	return "remove it or move it outside the assets directory"
}
