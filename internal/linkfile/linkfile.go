// Package linkfile validates the two app-link files served from
// /.well-known/: Google's assetlinks.json and Apple's
// apple-app-site-association. It works offline so that every problem is
// reported before anything is deployed.
package linkfile

import (
	"path/filepath"
	"slices"
)

const (
	AssetLinks              = "assetlinks.json"
	AppleAppSiteAssociation = "apple-app-site-association"
	// Dir is where both verifiers look for the files, under the host root.
	Dir = ".well-known"
	// Prefix is Dir as an S3 key prefix and URL path segment: the only part
	// of a bucket that is public and that an upload may write or prune.
	Prefix = Dir + "/"
	// MaxSize is Apple's limit; it is applied to both files so that neither
	// verifier can be the first to reject a file that grew over time.
	MaxSize = 128 * 1024
)

// The assetlinks.json relations this project knows: App Links, and shared
// sign-in credentials.
const (
	HandleAllURLs = "delegate_permission/common.handle_all_urls"
	GetLoginCreds = "delegate_permission/common.get_login_creds"
)

// Names lists the file names that may be published, in a stable order.
var Names = []string{AssetLinks, AppleAppSiteAssociation}

// DirIn is the .well-known directory inside an assets directory.
func DirIn(assetsDir string) string { return filepath.Join(assetsDir, Dir) }

// URL is where the link file name is served for a host root URL ending in
// "/".
func URL(root, name string) string { return root + Prefix + name }

// IsLinkFile reports whether name may be in .well-known/: nothing but the
// two link files is ever published, so nothing is published by accident.
func IsLinkFile(name string) bool { return slices.Contains(Names, name) }
