package meilisearch

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/dure-coop/dure/internal/search"
)

// synonymTTL is how long searches reuse a copy of the index's synonyms for
// highlighting and ranking. A copy at most this old is harmless: it only
// decides which words of a name are marked and how a name that says a
// synonym ranks (search.Merge); what matches is Meilisearch's own, current
// dictionary.
const synonymTTL = time.Minute

// synonymCopy is the index's synonym dictionary as last read, refreshed by
// one search at a time while the others use the old copy.
type synonymCopy struct {
	mu         sync.Mutex
	m          map[string][]string
	at         time.Time
	refreshing bool
}

// synonymDict returns the index's synonym dictionary, at most synonymTTL old
// (nil until the first read succeeds).
func (c *Client) synonymDict(ctx context.Context) map[string][]string {
	s := &c.syn
	s.mu.Lock()
	// A failed read is not retried before the TTL either: searches must not
	// each wait for a dictionary Meilisearch cannot give.
	if s.refreshing || (!s.at.IsZero() && time.Since(s.at) < synonymTTL) {
		defer s.mu.Unlock()
		return s.m
	}
	s.refreshing = true
	s.mu.Unlock()

	got, err := c.sm.Index(c.index).GetSynonymsWithContext(ctx)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshing = false
	s.at = time.Now() // after a failure too: retried a TTL later, not by every search
	if err == nil && got != nil {
		s.m = *got
	}
	return s.m
}

// highlightWords are the words marked in names for q: its text readings
// (search.HighlightWords) and their synonyms in dict, as Meilisearch matches
// them.
func highlightWords(q search.Query, dict map[string][]string) []string {
	words := search.HighlightWords(q)
	if len(words) == 0 || len(dict) == 0 { // a listing without a query: nothing to mark
		return words
	}
	out := words
	seen := make(map[string]bool, len(words)+4)
	for _, w := range words {
		seen[w] = true
	}
	for _, w := range append([]string{search.NormalizeTerm(q.Text)}, words...) {
		for _, syn := range dict[strings.ToLower(w)] {
			if !seen[syn] {
				seen[syn] = true
				out = append(out, syn)
			}
		}
	}
	return out
}
