package onboarding_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// A suspended enterprise's products, also one made in the portal just
// before, leave Meilisearch, the PostgreSQL fallback and the shop; the
// outbox row commits with the status change; reinstating brings them back.
func TestSuspensionLeavesSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	fx := testutil.SeedSearchFixture(t, e.pool)
	cfg := testutil.Config(t)
	client := meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, testutil.NewMeiliIndex(t))
	ix := &search.Indexer{Store: postgres.NewSearchOutbox(e.pool), Index: client, Builder: client, Prepare: client.Configure}
	if err := client.Configure(ctx); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	drain := func() {
		t.Helper()
		if _, err := ix.Drain(ctx); err != nil {
			t.Fatalf("Drain: %v", err)
		}
	}
	fallback := postgres.NewSearchFallback(e.pool)
	find := func(s search.Searcher) []int64 {
		t.Helper()
		res, err := s.Search(ctx, search.Query{Text: "사과", Page: 1, PerPage: search.MaxPerPage})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		var ids []int64
		for _, h := range res.Hits {
			ids = append(ids, h.ProductID)
		}
		return ids
	}
	outbox := func() int {
		t.Helper()
		var n int
		if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM search_outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	a, apple, juice := fx.Enterprises["apple_village"], fx.Products["Apple"], fx.Products["AppleJuice"]
	member := account.NewContext(ctx, &account.Actor{UserID: 100, Role: account.EnterpriseStaff,
		EnterpriseID: a, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
	p := &catalog.Product{EnterpriseID: a, CategoryID: fx.Categories["fruit"], Kind: catalog.Goods, Name: "홍옥 사과 2kg",
		TaxType: catalog.Exempt, ConsumerPrice: 20000, PublicPrice: 18000, Stock: 5, Unit: "박스"}
	if err := (&catalog.Manager{Store: postgres.NewCatalogStore(e.pool)}).CreateProduct(member, p); err != nil {
		t.Fatal(err)
	}
	drain()
	if ids := find(client); !slices.Contains(ids, apple) || !slices.Contains(ids, p.ID) {
		t.Fatalf("before the suspension Meilisearch finds %v, want %d and %d among them", ids, apple, p.ID)
	}

	op := as(e.operator())
	if err := e.svc.Suspend(op, a, ""); apperr.Code(err) != apperr.Invalid || outbox() != 0 {
		t.Fatalf("suspending without a reason: %v, %d outbox rows", err, outbox())
	}
	if err := e.svc.Suspend(op, a, "원산지 표시 위반 신고 확인 중"); err != nil {
		t.Fatal(err)
	}
	if n := outbox(); n != 1 {
		t.Errorf("%d outbox rows after the suspension, want 1 (the enterprise)", n)
	}
	drain()
	if ids := find(client); len(ids) == 0 || slices.Contains(ids, apple) || slices.Contains(ids, juice) || slices.Contains(ids, p.ID) {
		t.Errorf("Meilisearch still finds the suspended enterprise's products (or nothing at all): %v", ids)
	}
	if ids := find(fallback); len(ids) == 0 || slices.Contains(ids, apple) || slices.Contains(ids, p.ID) {
		t.Errorf("the fallback still finds the suspended enterprise's products (or nothing at all): %v", ids)
	}
	if _, err := postgres.NewCatalogStore(e.pool).FindProductByID(ctx, apple); apperr.Code(err) != apperr.NotFound {
		t.Errorf("the shop still shows a suspended enterprise's product: %v", err)
	}
	if err := e.svc.Suspend(op, a, "다시"); apperr.Code(err) != apperr.Conflict {
		t.Errorf("suspending twice: %v; want Conflict", err)
	}

	if err := e.svc.Reinstate(op, a); err != nil {
		t.Fatal(err)
	}
	drain()
	if ids := find(client); !slices.Contains(ids, apple) || !slices.Contains(ids, p.ID) {
		t.Errorf("after reinstating Meilisearch finds %v, want %d and %d among them", ids, apple, p.ID)
	}
	if ids := find(fallback); !slices.Contains(ids, apple) || !slices.Contains(ids, p.ID) {
		t.Errorf("after reinstating the fallback finds %v, want %d and %d among them", ids, apple, p.ID)
	}
}
