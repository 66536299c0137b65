package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// While one instance runs a job, another's TryExclusive of the same name
// returns at once without running it; a job of another name runs; once the
// first is done (even with an error) the lock is free again.
func TestExclusiveRunsOneAtATime(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	a, b := postgres.NewExclusive(pool), postgres.NewExclusive(pool)
	ctx := context.Background()
	boom := errors.New("boom")
	ran, err := a.TryExclusive(ctx, "job", func(ctx context.Context) error {
		other, err := b.TryExclusive(ctx, "job", func(context.Context) error {
			t.Error("the second instance ran the job while the first held it")
			return nil
		})
		if other || err != nil {
			t.Errorf("second TryExclusive = %v, %v; want false, nil", other, err)
		}
		elsewhere, err := b.TryExclusive(ctx, "another job", func(context.Context) error { return nil })
		if !elsewhere || err != nil {
			t.Errorf("another job's TryExclusive = %v, %v; want true, nil", elsewhere, err)
		}
		return boom
	})
	if !ran || !errors.Is(err, boom) {
		t.Fatalf("TryExclusive = %v, %v; want true, boom", ran, err)
	}
	if ran, err := b.TryExclusive(ctx, "job", func(context.Context) error { return nil }); !ran || err != nil {
		t.Errorf("after the first finished, TryExclusive = %v, %v; want true, nil", ran, err)
	}
}
