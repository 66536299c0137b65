package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// TestSynonymsCommand adds synonyms, lists them and pushes them to a fresh
// index, where a search for the new word then finds the products.
func TestSynonymsCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testutil.Config(t)
	pool := testutil.NewDB(t)
	fx := testutil.SeedSearchFixture(t, pool)
	store := postgres.NewSynonymStore(pool)
	client := meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, testutil.NewMeiliIndex(t)).WithSynonyms(store)
	ix := &search.Indexer{Store: postgres.NewSearchOutbox(pool), Index: client, Builder: client, Prepare: client.Configure}
	if _, err := ix.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := store.AddSynonyms(ctx, []string{"칫솔", "toothbrush"}, nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := listSynonyms(ctx, store, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "toothbrush\t칫솔\n") || !strings.Contains(out.String(), "먹는샘물\t") {
		t.Errorf("list lacks the new or the starter entries:\n%s", out.String())
	}
	if err := pushSynonyms(ctx, client, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	res, err := client.Search(ctx, search.Query{Text: "toothbrush", Page: 1, PerPage: 10})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].ProductID != fx.Products["Toothbrush"] {
		t.Errorf("search toothbrush after push = %+v, %v", res, err)
	}
}
