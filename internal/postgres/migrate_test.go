package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/migrations"
)

// TestMigrateConcurrently: instances started together (a rollout) migrate one
// at a time under goose's advisory lock; every one succeeds and each
// migration is applied once.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testutil.NewDB(t)
	var want, wantRows int64
	if err := pool.QueryRow(ctx, `SELECT max(version_id), count(*) FILTER (WHERE version_id > 0) FROM goose_db_version`).Scan(&want, &wantRows); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = postgres.Migrate(ctx, pool)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	var got, applied int64
	if err := pool.QueryRow(ctx, `SELECT max(version_id), count(*) FILTER (WHERE version_id > 0) FROM goose_db_version`).Scan(&got, &applied); err != nil {
		t.Fatal(err)
	}
	if got != want || applied != wantRows {
		t.Errorf("after 4 concurrent migrations: version %d with %d applied, want %d with %d (each once)", got, applied, want, wantRows)
	}
}

// TestMigrationsDownAndUp: every migration's Down undoes its Up: the whole
// schema goes down to nothing, in reverse order, and up again, and ends
// with the same tables, columns and indexes.
func TestMigrationsDownAndUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testutil.NewDB(t)
	before := schemaShape(t, pool)
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithAllowOutofOrder(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down to 0: %v", err)
	}
	var left int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d tables left after every Down", left)
	}
	if err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if after := schemaShape(t, pool); after != before {
		b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
		for i := 0; i < max(len(a), len(b)); i++ {
			if i >= len(a) || i >= len(b) || a[i] != b[i] {
				t.Errorf("schema after down and up differs at line %d:\nbefore %q\nafter  %q", i+1, at(b, i), at(a, i))
				break
			}
		}
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(none)"
}

// schemaShape lists the public schema's columns and indexes, in order.
func schemaShape(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `SELECT
		(SELECT string_agg(table_name || '.' || column_name || ' ' || data_type, E'\n' ORDER BY table_name, column_name)
			FROM information_schema.columns WHERE table_schema = 'public') || E'\n' ||
		(SELECT string_agg(indexdef, E'\n' ORDER BY indexdef) FROM pg_indexes WHERE schemaname = 'public')`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
