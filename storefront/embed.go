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

// FS returns the embedded files: templates/layouts/<audience>.html (one
// layout per audience), templates/partials/*.html (shared by every audience),
// templates/<audience>/*.html (its pages) and templates/<audience>/partials/
// (its own partials), and static/*. It is a function, not a variable, so no
// caller can swap it.
func FS() fs.FS { return files }
