package meilisearch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dure-coop/dure/internal/search"
)

// The synonym copy is read once per TTL, also when the read fails: searches
// must not each pay a round trip for a dictionary Meilisearch cannot give.
func TestSynonymDictReadOncePerTTL(t *testing.T) {
	t.Parallel()
	var reads atomic.Int32
	fail := atomic.Bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/settings/synonyms") {
			http.NotFound(w, r)
			return
		}
		reads.Add(1)
		if fail.Load() {
			http.Error(w, `{"message":"down","code":"internal","type":"internal"}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"퐁퐁":["주방세제"]}`))
	}))
	defer srv.Close()
	ctx := context.Background()
	q := search.Query{Text: "퐁퐁"}

	c := New(srv.URL, "key", "products")
	for range 5 {
		if got := highlightWords(q, c.synonymDict(ctx)); !slices.Equal(got, []string{"퐁퐁", "주방세제"}) {
			t.Fatalf("highlightWords = %q, want 퐁퐁 and its synonym", got)
		}
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("%d synonym reads for 5 searches, want 1", n)
	}

	fail.Store(true)
	reads.Store(0)
	c = New(srv.URL, "key", "products")
	for range 5 {
		if got := highlightWords(q, c.synonymDict(ctx)); !slices.Equal(got, []string{"퐁퐁"}) {
			t.Fatalf("highlightWords without a dictionary = %q, want the query's words", got)
		}
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("%d synonym reads for 5 searches while Meilisearch fails, want 1", n)
	}
}
