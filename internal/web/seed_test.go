package web_test

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/testutil"
)

// seed loads the demo catalogue (60+ enterprises, 600+ products) that
// `dure seed` loads.
func seed(t testing.TB, pool *pgxpool.Pool) { testutil.SeedDemo(t, pool) }
