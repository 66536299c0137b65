// Package migrations embeds the SQL migrations that cmd/dure applies with goose.
// Files are append-only: never edit one that has been applied anywhere.
package migrations

import "embed"

// FS holds every *.sql migration, applied in file-name order.
//
//go:embed *.sql
var FS embed.FS
