package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/testutil"
)

// The product page's one read gives the product as FindProductByID does
// and the same facts the separate reads give: the question count, the
// enterprise's consumer rate of the day (its own rate, else the co-op's
// default) and its impact figures in their order.
func TestFindProductPageMatchesSeparateReads(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	if _, err := importString(t, pool, goodFile); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var id, entID int64
	if err := pool.QueryRow(ctx, `SELECT id, enterprise_id FROM products WHERE external_id = 'apple'`).Scan(&id, &entID); err != nil {
		t.Fatal(err)
	}
	cat, settle, imp := postgres.NewCatalogStore(pool), postgres.NewSettlementStore(pool), postgres.NewImpactStore(pool)
	rv := postgres.NewReviewStore(pool)
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

	check := func(step string, wantRate, wantQuestions, wantFigures int) {
		t.Helper()
		p, f, err := cat.FindProductPage(ctx, id, day)
		if err != nil {
			t.Fatalf("%s: FindProductPage: %v", step, err)
		}
		alone, err := cat.FindProductByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p, alone) {
			t.Errorf("%s: product = %+v, want FindProductByID's %+v", step, p, alone)
		}
		rate, err := settle.RateOn(ctx, entID, settlement.Consumer, day)
		if err != nil {
			t.Fatal(err)
		}
		figs, err := imp.FindFigures(ctx, []int64{entID})
		if err != nil {
			t.Fatal(err)
		}
		_, qn, err := rv.FindQuestions(ctx, review.QuestionFilter{ProductID: id, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := rv.SummarizeReviews(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if f.ConsumerRateBP != rate || rate != wantRate {
			t.Errorf("%s: rate %d, separate read %d, want %d", step, f.ConsumerRateBP, rate, wantRate)
		}
		if f.QuestionCount != qn || qn != wantQuestions {
			t.Errorf("%s: questions %d, separate read %d, want %d", step, f.QuestionCount, qn, wantQuestions)
		}
		if f.ReviewCount != sum.Count || f.ReviewSum != sum.Sum {
			t.Errorf("%s: reviews %d/%d, separate read %d/%d", step, f.ReviewCount, f.ReviewSum, sum.Count, sum.Sum)
		}
		if len(f.Figures) != wantFigures || (wantFigures > 0 && !reflect.DeepEqual(f.Figures, figs[entID])) {
			t.Errorf("%s: figures %+v, separate read %+v, want %d", step, f.Figures, figs[entID], wantFigures)
		}
	}
	var defaultBP int
	if err := pool.QueryRow(ctx, `SELECT commission_consumer_bp FROM coop_settings`).Scan(&defaultBP); err != nil {
		t.Fatal(err)
	}
	check("bare", defaultBP, 0, 0)

	u := testutil.QuoteUser(t, pool, account.Consumer, "문의자", 0)
	for _, q := range []string{
		`INSERT INTO commission_rates (enterprise_id, channel, rate_bp, valid_from) VALUES ($1, 'consumer', 1234, '2026-11-01')`,
		`INSERT INTO commission_rates (enterprise_id, channel, rate_bp, valid_from) VALUES ($1, 'public', 777, '2026-11-01')`,
		`INSERT INTO enterprise_impacts (enterprise_id, kind, value, year, basis) VALUES ($1, 'work_minutes', 90, 2025, '근무일지'), ($1, 'jobs', 12, 2025, '고용보험')`,
	} {
		if _, err := pool.Exec(ctx, q, entID); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for range 2 {
		if _, err := pool.Exec(ctx, `INSERT INTO questions (product_id, enterprise_id, user_id, body) VALUES ($1, $2, $3, '배송은 언제 되나요?')`,
			id, entID, u.UserID); err != nil {
			t.Fatal(err)
		}
	}
	check("with facts", 1234, 2, 2)

	if _, _, err := cat.FindProductPage(ctx, id+1000, day); apperr.Code(err) != apperr.NotFound {
		t.Errorf("FindProductPage(missing) = %v, want NotFound", err)
	}
	if _, err := pool.Exec(ctx, `UPDATE products SET status = 'hidden' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cat.FindProductPage(ctx, id, day); apperr.Code(err) != apperr.NotFound {
		t.Errorf("FindProductPage(hidden) = %v, want NotFound", err)
	}
}
