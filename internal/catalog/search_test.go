package catalog_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// eventually polls cond until it holds; the outbox worker applies a change
// in well under a second, the deadline is for a loaded machine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Portal and console writes reach Meilisearch through the outbox worker.
// (A suspended enterprise's products leaving search is onboarding's
// TestSuspensionLeavesSearch.)
func TestWritesReachSearch(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := testutil.Config(t)
	client := meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, testutil.NewMeiliIndex(t))
	ix := &search.Indexer{Store: postgres.NewSearchOutbox(w.pool), Index: client, Builder: client,
		Prepare: client.Configure, Interval: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	if err := client.Configure(ctx); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if _, err := ix.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := ix.Run(ctx); err != nil {
			t.Errorf("worker: %v", err)
		}
	}()

	find := func(s search.Searcher, text string) []int64 {
		res, err := s.Search(context.Background(), search.Query{Text: text, Page: 1, PerPage: search.MaxPerPage})
		if err != nil {
			t.Logf("Search(%q): %v", text, err)
			return nil
		}
		var ids []int64
		for _, h := range res.Hits {
			ids = append(ids, h.ProductID)
		}
		return ids
	}
	apple, juice := w.fx.Products["Apple"], w.fx.Products["AppleJuice"]
	eventually(t, "the fixture is indexed", func() bool { return slices.Contains(find(client, "사과"), apple) })

	start := time.Now()
	p := w.create(t, member(w.a), w.newProduct(w.a, "홍옥 사과 2kg"))
	eventually(t, "the product created in the portal is searchable", func() bool { return slices.Contains(find(client, "홍옥"), p.ID) })
	t.Logf("a portal product was searchable %s after CreateProduct", time.Since(start).Round(time.Millisecond))

	// The document says whether the product has options (a listing's card
	// offers 장바구니 담기 or 옵션 선택 without asking PostgreSQL).
	options := func(id int64) *bool {
		res, err := client.Search(context.Background(), search.Query{Text: "홍옥", Page: 1, PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.ProductID == id {
				return h.HasOptions
			}
		}
		return nil
	}
	if has := options(p.ID); has == nil || *has {
		t.Errorf("a product without options: hit says has options %v, want false", has)
	}
	if _, err := w.m.UpdateProduct(member(w.a), p.ID, catalog.ProductUpdate{CategoryID: p.CategoryID, Kind: p.Kind, Name: p.Name,
		Unit: p.Unit, TaxType: p.TaxType, ConsumerPrice: p.ConsumerPrice, PublicPrice: p.PublicPrice, Stock: p.Stock,
		Options: []catalog.Option{{Name: "소과", Stock: 2}, {Name: "대과", ExtraPrice: 4000, Stock: 3}}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "options added in the portal reach the document", func() bool {
		has := options(p.ID)
		return has != nil && *has
	})

	// Hidden, unpublished and deleted products leave search too.
	op := operator()
	if _, err := w.m.HideProduct(op, apple); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.SetStatus(member(w.a), juice, catalog.StatusDraft); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.DeleteProduct(member(w.a), p.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "hidden, draft and deleted products leave Meilisearch", func() bool {
		ids := find(client, "사과")
		return len(ids) > 0 && !slices.Contains(ids, apple) && !slices.Contains(ids, juice) && !slices.Contains(ids, p.ID)
	})
}
