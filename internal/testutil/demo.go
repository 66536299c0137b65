package testutil

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/demo"
	"github.com/dure-coop/dure/internal/postgres"
)

// SeedDemo imports the demo catalogue into the test's database (from NewDB)
// through the same importer `dure seed` uses, and returns what it did. Every
// imported row also leaves a search_outbox row, as any import does.
func SeedDemo(tb testing.TB, pool *pgxpool.Pool) catalog.ImportStats {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stats, err := catalog.Import(ctx, postgres.NewCatalogStore(pool), bytes.NewReader(demo.Catalogue()))
	if err != nil {
		tb.Fatalf("testutil: seed demo catalogue: %v", err)
	}
	return stats
}
