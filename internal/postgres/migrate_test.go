package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
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
