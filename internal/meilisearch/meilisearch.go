// Package meilisearch is the product search index on Meilisearch: it
// configures the index, runs search.Query, writes documents for the outbox
// worker and rebuilds the index for a reindex.
package meilisearch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	ms "github.com/meilisearch/meilisearch-go"
	fastjson "github.com/segmentio/encoding/json"

	"github.com/dure-coop/dure/internal/search"
)

// taskPoll is how often a write polls its task: tasks on loopback finish in
// milliseconds to a few hundred, and the outbox promises "about a second".
const taskPoll = 10 * time.Millisecond

// Client is the product index on one Meilisearch server.
type Client struct {
	sm       ms.ServiceManager
	url, key string
	hc       *http.Client // sm's, for the raw multi-search (multi.go)
	index    string
	// parallel sends a search's readings as parallel requests instead of
	// one multi-search (only the cost benchmark sets it, to compare).
	parallel bool
	// allAtOnce sends every reading's window at once instead of the first
	// reading first (sendWindows; only the cost benchmark sets it).
	allAtOnce bool
	synonyms  search.SynonymStore
	syn       synonymCopy // for highlighting (highlight.go)
}

var (
	_ search.Searcher    = (*Client)(nil)
	_ search.IndexWriter = (*Client)(nil)
	_ search.Builder     = (*Client)(nil)
)

// New returns a client for the index named index on the server at url.
//
// The HTTP transport does not ask for gzip: Meilisearch then answers gzip +
// chunked and, on a kept-alive connection, every search stalls ~40 ms
// (Nagle / delayed ACK; DESIGN.md §4). It keeps enough idle connections for a
// busy storefront. Retries on 502/503/504 are off: the Service falls back to
// PostgreSQL instead of waiting.
func New(url, key, index string) *Client {
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		DisableCompression:    true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     false,
	}
	hc := &http.Client{Transport: searchRetry{tr}}
	sm := ms.New(url, ms.WithAPIKey(key), ms.WithCustomClient(hc), ms.DisableRetries(), ms.WithCustomJsonUnmarshaler(rawPassthrough),
		ms.WithCustomJsonMarshaler(fastjson.Marshal))
	return &Client{sm: sm, url: strings.TrimRight(url, "/"), key: key, hc: hc, index: index}
}

// rawPassthrough is segmentio's Unmarshal, except that a *json.RawMessage
// takes the bytes as they are: meilisearch-go reads a raw search answer into
// one, and the default would scan the whole answer once more before Search
// decodes it (a fifth of our search CPU when answers carried whole documents).
//
// Search answers are decoded with github.com/segmentio/encoding/json (a
// drop-in for encoding/json), requests encoded with it: a window of 24 hits
// decodes in ~38 µs where encoding/json took ~105 µs, the largest piece of
// our CPU per search after the page's template. (goccy/go-json decodes in
// ~21 µs but reads the runtime's map internals: v0.10.5 panics encoding a
// map on Go 1.26.)
func rawPassthrough(data []byte, v any) error {
	if r, ok := v.(*json.RawMessage); ok {
		*r = data
		return nil
	}
	return fastjson.Unmarshal(data, v)
}

// searchRetry retries a search once when the connection fails. After
// Meilisearch restarts every kept-alive connection is dead, and Go's transport
// does not retry a POST that failed while writing; the first searches after a
// restart would then fall back to PostgreSQL for nothing. A search changes
// nothing, so it is safe to send again; the idle connections are dropped first
// so the retry dials afresh.
type searchRetry struct{ tr *http.Transport }

func (t searchRetry) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "search") || r.Body == nil { // /search, /multi-search
		return t.tr.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	send := func() (*http.Response, error) {
		rr := r.Clone(r.Context())
		rr.Body = io.NopCloser(bytes.NewReader(body))
		return t.tr.RoundTrip(rr)
	}
	resp, err := send()
	if err != nil && r.Context().Err() == nil {
		t.tr.CloseIdleConnections()
		resp, err = send()
	}
	return resp, err
}

// WithSynonyms makes every configuration of an index (start-up, worker
// recovery, reindex builds) also push the synonym dictionary from st; it
// returns c. Call it while wiring, before the client is shared.
func (c *Client) WithSynonyms(st search.SynonymStore) *Client {
	c.synonyms = st
	return c
}

// PushSynonyms replaces the live index's synonyms with the dictionary and
// waits until searches use them.
func (c *Client) PushSynonyms(ctx context.Context) error {
	return c.pushSynonyms(ctx, c.index, true)
}

// SendSynonyms is PushSynonyms without the wait: it returns once
// Meilisearch has accepted the task. The console uses it, because
// Meilisearch runs the tasks of every index one after another, so behind a
// large indexing batch the wait could outlast the operator's request; Dure's
// own query expansion reads the new dictionary at its next search anyway.
func (c *Client) SendSynonyms(ctx context.Context) error {
	return c.pushSynonyms(ctx, c.index, false)
}

// pushSynonyms replaces index uid's synonyms; with wait it returns only once
// the task has succeeded (a new index must be complete before it is swapped
// in).
func (c *Client) pushSynonyms(ctx context.Context, uid string, wait bool) error {
	if c.synonyms == nil {
		return nil
	}
	list, err := c.synonyms.FindSynonyms(ctx)
	if err != nil {
		return err
	}
	m := search.SynonymMap(list)
	c.syn.mu.Lock()
	c.syn.at = time.Time{} // this process reads the new dictionary at its next search
	c.syn.mu.Unlock()
	task, err := c.sm.Index(uid).UpdateSynonymsWithContext(ctx, &m)
	if err != nil {
		return fmt.Errorf("meilisearch: synonyms %s: %w", uid, err)
	}
	if !wait {
		return nil
	}
	if err := c.wait(ctx, task.TaskUID, taskPoll); err != nil {
		return fmt.Errorf("meilisearch: synonyms %s: %w", uid, err)
	}
	return nil
}

// Index returns the name of the live index.
func (c *Client) Index() string { return c.index }

// Health returns nil when the server answers and is available.
func (c *Client) Health(ctx context.Context) error {
	h, err := c.sm.HealthWithContext(ctx)
	if err != nil {
		return fmt.Errorf("meilisearch: health: %w", err)
	}
	if h.Status != "available" {
		return fmt.Errorf("meilisearch: health: status %q", h.Status)
	}
	return nil
}

// Count returns the number of documents in the live index.
func (c *Client) Count(ctx context.Context) (int, error) {
	st, err := c.sm.Index(c.index).GetStatsWithContext(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("meilisearch: stats %s: %w", c.index, err)
	}
	return int(st.NumberOfDocuments), nil
}

// Configure creates the live index if missing, applies the settings and
// warms the engine up. It is idempotent and waits until the settings task has
// finished. The worker runs it again after every failure, so a Meilisearch
// that restarted (even with its data lost) is configured again.
func (c *Client) Configure(ctx context.Context) error {
	return c.configure(ctx, c.index)
}

func (c *Client) configure(ctx context.Context, uid string) error {
	if err := c.createIndex(ctx, uid); err != nil {
		return err
	}
	task, err := c.sm.Index(uid).UpdateSettingsWithContext(ctx, settings())
	if err != nil {
		return fmt.Errorf("meilisearch: configure %s: %w", uid, err)
	}
	if err := c.wait(ctx, task.TaskUID, 50*time.Millisecond); err != nil {
		return fmt.Errorf("meilisearch: configure %s: %w", uid, err)
	}
	if err := c.pushSynonyms(ctx, uid, true); err != nil {
		return err
	}
	// Warm up: the first Korean query after Meilisearch starts loads the
	// index and the Korean dictionary (~0.3 s), longer than a search may take
	// before the Service falls back.
	per := int64(1)
	if _, err := c.sm.Index(uid).SearchRawWithContext(ctx, "사과", &ms.SearchRequest{HitsPerPage: &per, Page: 1,
		Locales: []string{"kor"}, AttributesToRetrieve: []string{"id"}}); err != nil {
		return fmt.Errorf("meilisearch: configure %s: warm-up search: %w", uid, err)
	}
	return nil
}

func (c *Client) createIndex(ctx context.Context, uid string) error {
	task, err := c.sm.CreateIndexWithContext(ctx, &ms.IndexConfig{Uid: uid, PrimaryKey: "id"})
	if err != nil {
		return fmt.Errorf("meilisearch: create index %s: %w", uid, err)
	}
	if err := c.wait(ctx, task.TaskUID, taskPoll); err != nil && !isCode(err, "index_already_exists") {
		return fmt.Errorf("meilisearch: create index %s: %w", uid, err)
	}
	return nil
}

// Index settings. searchable order matters (the attribute rule ranks a match
// in an earlier attribute higher): the name's head nouns first, so a head
// match (꿀사과 for 사과) ranks above a name that only mentions the word
// (사과 양념 불고기 소스), then the name, the pieces of its compounds, the
// categories, summary and description, and the enterprise's name last, so a
// product that does not say the word itself comes after those that do. The
// Korean search forms (jamo, 초성) come after the real attributes; only query
// variants search them (attributesToSearchOn), so a Latin query never matches
// their key alphabet.
var (
	textAttributes = []string{"name_head", "name", "name_parts", "category_names", "summary", "description",
		"enterprise_name"}
	jamoAttributes       = []string{"name_jamo"}
	choseongAttributes   = []string{"name_choseong"}
	searchableAttributes = append(append(append([]string{}, textAttributes...), jamoAttributes...), choseongAttributes...)
	filterableAttributes = []string{"id", "category_ids", "enterprise_id", "enterprise_type", "region", "tax_type", "kind",
		"consumer_price", "public_price", "in_stock", "featured"}
	sortableAttributes = []string{"consumer_price", "created_at", "popularity", "rating_avg", "review_count"}
	// retrieved are the attributes a result page shows.
	retrieved = []string{"id", "name", "summary", "category_id", "enterprise_id", "enterprise_name",
		"enterprise_type", "region", "kind", "tax_type", "consumer_price", "public_price", "in_stock", "image_url", "rating_avg", "review_count", "has_options"}
	facets = []string{search.FacetCategory, search.FacetEnterpriseType, search.FacetRegion, search.FacetTaxType, search.FacetKind}
)

// settings returns the index settings.
//
// Ranking: Meilisearch's default rules with two changes.
//   - attribute comes before exactness: a search's text reading matches
//     whole words only (VariantRequest), so what tells matches apart is
//     where the word is — the head noun, the name, a category, the
//     description, the enterprise — more than whether a field starts with
//     it (exactness ranks a name starting with the word first, which in a
//     head-final language is the modifier: 사과 양념 불고기 소스).
//   - in_stock:desc sits just before sort: sold-out products sink below
//     equally relevant ones, and with an explicit sort (price, newest) the
//     in-stock products come first, each group in the asked order; a sold-out
//     product that matches the words much better still ranks higher.
//
// popularity:desc breaks the remaining ties (it orders browsing without a
// query).
func settings() *ms.Settings {
	return &ms.Settings{
		SearchableAttributes: searchableAttributes,
		FilterableAttributes: filterableAttributes,
		SortableAttributes:   sortableAttributes,
		RankingRules: []string{"words", "typo", "proximity", "attribute", "exactness", "in_stock:desc", "sort",
			"popularity:desc"},
		// Without the Korean locale, short Korean queries such as '사과' were
		// seen to find nothing (DESIGN.md §3).
		LocalizedAttributes: []*ms.LocalizedAttributes{{Locales: []string{"kor"}, AttributePatterns: searchableAttributes}},
		// Typos only in the jamo and 초성 forms: there a one-jamo slip is one
		// typo of a word of keys, and the search's own reading shows it. In
		// the text (Meilisearch compares Hangul by jamo) a typo was a
		// different word: '청소' found 청송, '생수' the 성수 of an address.
		TypoTolerance: &ms.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: ms.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			DisableOnAttributes: textAttributes,
		},
		Faceting:   &ms.Faceting{MaxValuesPerFacet: 300, SortFacetValuesBy: map[string]ms.SortFacetType{"*": ms.SortFacetTypeCount}},
		Pagination: &ms.Pagination{MaxTotalHits: search.MaxPage * search.MaxPerPage},
	}
}

// wait waits for a task and turns a failed task into an error.
func (c *Client) wait(ctx context.Context, uid int64, poll time.Duration) error {
	t, err := c.sm.WaitForTaskWithContext(ctx, uid, poll)
	if err != nil {
		return err
	}
	if t.Status != ms.TaskStatusSucceeded {
		return &taskError{uid: uid, status: string(t.Status), code: t.Error.Code, msg: t.Error.Message}
	}
	return nil
}

type taskError struct {
	uid       int64
	status    string
	code, msg string
}

func (e *taskError) Error() string {
	return fmt.Sprintf("task %d %s: %s: %s", e.uid, e.status, e.code, e.msg)
}

// isCode reports whether err is a Meilisearch error (API or task) with code.
func isCode(err error, code string) bool {
	var te *taskError
	if errors.As(err, &te) {
		return te.code == code
	}
	var me *ms.Error
	if errors.As(err, &me) {
		return me.MeilisearchApiError.Code == code
	}
	return false
}

// Upsert adds or replaces docs in the live index and waits until they are
// searchable.
func (c *Client) Upsert(ctx context.Context, docs []search.Document) error {
	if len(docs) == 0 {
		return nil
	}
	pk := "id"
	task, err := c.sm.Index(c.index).AddDocumentsWithContext(ctx, docs, &ms.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("meilisearch: upsert %d documents: %w", len(docs), err)
	}
	if err := c.wait(ctx, task.TaskUID, taskPoll); err != nil {
		return fmt.Errorf("meilisearch: upsert %d documents: %w", len(docs), err)
	}
	return nil
}

// Delete removes the products with ids from the live index (missing ones are
// ignored) and waits until the deletion is visible.
func (c *Client) Delete(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = fmt.Sprint(id)
	}
	task, err := c.sm.Index(c.index).DeleteDocumentsWithContext(ctx, keys, nil)
	if err != nil {
		return fmt.Errorf("meilisearch: delete %d documents: %w", len(ids), err)
	}
	if err := c.wait(ctx, task.TaskUID, taskPoll); err != nil {
		return fmt.Errorf("meilisearch: delete %d documents: %w", len(ids), err)
	}
	return nil
}

// DeleteIndex deletes the index uid (for tests and cleanup); a missing index
// is not an error.
func (c *Client) DeleteIndex(ctx context.Context, uid string) error {
	task, err := c.sm.DeleteIndexWithContext(ctx, uid)
	if err != nil {
		return fmt.Errorf("meilisearch: delete index %s: %w", uid, err)
	}
	if err := c.wait(ctx, task.TaskUID, taskPoll); err != nil && !isCode(err, "index_not_found") {
		return fmt.Errorf("meilisearch: delete index %s: %w", uid, err)
	}
	return nil
}

// IndexExists reports whether the index uid exists.
func (c *Client) IndexExists(ctx context.Context, uid string) (bool, error) {
	_, err := c.sm.GetIndexWithContext(ctx, uid)
	if err == nil {
		return true, nil
	}
	if isCode(err, "index_not_found") {
		return false, nil
	}
	return false, fmt.Errorf("meilisearch: get index %s: %w", uid, err)
}
