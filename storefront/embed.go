// Package storefront holds the storefront's HTML templates and static files,
// embedded in the binary. internal/web parses the templates once at start-up
// and serves the static files under fingerprinted names.
package storefront

import (
	"embed"
	"io/fs"
)

//go:embed templates static
var files embed.FS

// FS returns the embedded files: templates/{layouts,partials,pages}/*.html and
// static/*. It is a function, not a variable, so no caller can swap it.
func FS() fs.FS { return files }
