package feeds_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/feed"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/internal/web/view"
)

const base = "https://dure.example"

// expected is a listed product as the catalogue says, read by a query of
// its own (not the feed code).
type expected struct {
	title, link, image string
	price, shipping    int64
}

// catalogue returns the products the feeds must list: active, of an active
// enterprise, in stock.
func catalogue(t *testing.T, pool *pgxpool.Pool) map[string]expected {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT p.id, p.name, p.consumer_price, p.kind,
			e.shipping_fee, e.free_shipping_threshold,
			coalesce((SELECT url FROM product_images i WHERE i.product_id = p.id ORDER BY position LIMIT 1), '')
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.stock > 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]expected{}
	for rows.Next() {
		var id, price, fee, free int64
		var name, kind, img string
		if err := rows.Scan(&id, &name, &price, &kind, &fee, &free, &img); err != nil {
			t.Fatal(err)
		}
		ship := fee
		if kind == "service" || (free > 0 && price >= free) {
			ship = 0
		}
		switch {
		case img == "":
			img = base + "/media/products/" + strconv.FormatInt(id, 10) + ".svg"
		case strings.HasPrefix(img, "/"):
			img = base + img
		}
		out[strconv.FormatInt(id, 10)] = expected{title: strings.Join(strings.Fields(name), " "),
			link: base + "/p/" + strconv.FormatInt(id, 10), image: img, price: price, shipping: ship}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type env struct {
	pool   *pgxpool.Pool
	app    *fiber.App
	worker *feed.Worker
}

func newEnv(t *testing.T, token string) *env {
	t.Helper()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	store := postgres.NewFeedStore(pool)
	pub := &feed.Publisher{Store: store, Channel: feed.Channel{Title: "두레"},
		Links: feed.Links{Base: base, Product: view.ProductURL, GeneratedImage: view.ProductImageURL}}
	a := app.New(app.Deps{Catalog: postgres.NewCatalogStore(pool), Feeds: pub, FeedToken: token,
		Log: slog.New(slog.DiscardHandler)})
	return &env{pool: pool, app: a, worker: &feed.Worker{Store: store, BatchSize: 50}}
}

func (e *env) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// change writes a product change the way catalogue writes do: the row and
// its search outbox row in one transaction.
func (e *env) change(t *testing.T, id int64, set string, args ...any) {
	t.Helper()
	ctx := context.Background()
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `UPDATE products SET `+set+` WHERE id = $1`, append([]any{id}, args...)...); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) VALUES ('product', $1)`, id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

func (e *env) drain(t *testing.T) {
	t.Helper()
	if _, err := e.worker.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (e *env) get(t *testing.T, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.app.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if r, err = gzip.NewReader(resp.Body); err != nil {
			t.Fatal(err)
		}
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// naverRows parses an EP file into maps by column, checking the header and
// that every line has as many fields as it.
func naverRows(t *testing.T, body []byte, cols []string) []map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if lines[0] != strings.Join(cols, "\t") {
		t.Fatalf("header %q", lines[0])
	}
	var out []map[string]string
	for i, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != len(cols) {
			t.Fatalf("line %d: %d fields, want %d: %q", i+2, len(f), len(cols), l)
		}
		m := map[string]string{}
		for j, c := range cols {
			m[c] = f[j]
		}
		out = append(out, m)
	}
	return out
}

func checkNaver(t *testing.T, rows []map[string]string, want map[string]expected) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range rows {
		id := r["id"]
		w, ok := want[id]
		if !ok {
			t.Errorf("naver: product %s (%s) listed but not orderable", id, r["title"])
			continue
		}
		seen[id] = true
		price := strconv.FormatInt(w.price, 10)
		if r["title"] != w.title || r["price_pc"] != price || r["price_mobile"] != price || r["link"] != w.link ||
			r["mobile_link"] != w.link || r["image_link"] != w.image || r["shipping"] != strconv.FormatInt(w.shipping, 10) {
			t.Errorf("naver %s = %v, want %+v", id, r, w)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("naver lists %d products, the catalogue has %d orderable", len(seen), len(want))
	}
}

type googleDoc struct {
	Channel struct {
		Items []googleXMLItem `xml:"item"`
	} `xml:"channel"`
}

type googleXMLItem struct {
	ID           string `xml:"http://base.google.com/ns/1.0 id"`
	Title        string `xml:"http://base.google.com/ns/1.0 title"`
	Link         string `xml:"http://base.google.com/ns/1.0 link"`
	Image        string `xml:"http://base.google.com/ns/1.0 image_link"`
	Availability string `xml:"http://base.google.com/ns/1.0 availability"`
	Price        string `xml:"http://base.google.com/ns/1.0 price"`
	Shipping     []struct {
		Country string `xml:"http://base.google.com/ns/1.0 country"`
		Price   string `xml:"http://base.google.com/ns/1.0 price"`
	} `xml:"http://base.google.com/ns/1.0 shipping"`
}

func checkGoogle(t *testing.T, format string, items []googleXMLItem, want map[string]expected) {
	t.Helper()
	if len(items) != len(want) {
		t.Errorf("%s lists %d products, the catalogue has %d orderable", format, len(items), len(want))
	}
	for _, it := range items {
		w, ok := want[it.ID]
		if !ok {
			t.Errorf("%s: product %s listed but not orderable", format, it.ID)
			continue
		}
		if it.Title != w.title || it.Link != w.link || it.Image != w.image || it.Availability != "in_stock" ||
			it.Price != strconv.FormatInt(w.price, 10)+" KRW" || len(it.Shipping) != 1 ||
			it.Shipping[0].Country != "KR" || it.Shipping[0].Price != strconv.FormatInt(w.shipping, 10)+" KRW" {
			t.Errorf("%s %s = %+v, want %+v", format, it.ID, it, w)
		}
	}
}

// checkAll fetches the three full feeds and checks each against the
// catalogue.
func checkAll(t *testing.T, e *env) map[string]expected {
	t.Helper()
	want := catalogue(t, e.pool)
	resp, body := e.get(t, "/feeds/naver.tsv", "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/tab-separated-values") {
		t.Fatalf("naver.tsv: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	checkNaver(t, naverRows(t, body, feed.NaverColumns), want)

	resp, body = e.get(t, "/feeds/google.xml")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`xmlns:g="http://base.google.com/ns/1.0"`)) {
		t.Fatalf("google.xml: %d\n%.500s", resp.StatusCode, body)
	}
	var doc googleDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("google.xml: %v", err)
	}
	checkGoogle(t, "google.xml", doc.Channel.Items, want)

	resp, body = e.get(t, "/feeds/google.json")
	var js struct {
		Items []feed.GoogleItem `json:"items"`
	}
	if err := json.Unmarshal(body, &js); resp.StatusCode != 200 || err != nil {
		t.Fatalf("google.json: %d %v\n%.500s", resp.StatusCode, err, body)
	}
	var items []googleXMLItem
	for _, it := range js.Items {
		x := googleXMLItem{ID: it.ID, Title: it.Title, Link: it.Link, Image: it.ImageLink, Availability: it.Availability, Price: it.Price}
		for _, s := range it.Shipping {
			x.Shipping = append(x.Shipping, struct {
				Country string `xml:"http://base.google.com/ns/1.0 country"`
				Price   string `xml:"http://base.google.com/ns/1.0 price"`
			}{s.Country, s.Price})
		}
		items = append(items, x)
	}
	checkGoogle(t, "google.json", items, want)
	return want
}

func pick(t *testing.T, e *env, cond string) int64 {
	t.Helper()
	var id int64
	err := e.pool.QueryRow(context.Background(), `SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.stock > 0
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) AND `+cond+` ORDER BY p.id LIMIT 1`).Scan(&id)
	if err != nil {
		t.Fatalf("pick %s: %v", cond, err)
	}
	return id
}

func TestFeedsMatchTheCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	// Before any change: a tab and a line break in a name, a hidden, a sold
	// out product and a suspended enterprise's products.
	tabbed := pick(t, e, "true")
	e.change(t, tabbed, `name = $2`, "줄바꿈\t있는\n상품 이름")
	hidden := pick(t, e, "p.id > "+strconv.FormatInt(tabbed, 10))
	e.change(t, hidden, `status = 'hidden'`)
	soldOut := pick(t, e, "p.id > "+strconv.FormatInt(hidden, 10))
	e.change(t, soldOut, `stock = 0`)
	var suspended int64
	if err := e.pool.QueryRow(context.Background(), `UPDATE enterprises SET status = 'suspended'
		WHERE id = (SELECT max(enterprise_id) FROM products) RETURNING id`).Scan(&suspended); err != nil {
		t.Fatal(err)
	}
	e.exec(t, `INSERT INTO search_outbox (entity, entity_id) VALUES ('enterprise', $1)`, suspended)
	e.drain(t)

	want := checkAll(t, e)
	if len(want) < 10 {
		t.Fatalf("only %d orderable demo products: the test proves little", len(want))
	}
	for name, id := range map[string]int64{"hidden": hidden, "sold out": soldOut} {
		if _, ok := want[strconv.FormatInt(id, 10)]; ok {
			t.Errorf("%s product %d is orderable by the catalogue query", name, id)
		}
	}
	if w := want[strconv.FormatInt(tabbed, 10)]; w.title != "줄바꿈 있는 상품 이름" {
		t.Errorf("tabbed product title %q", w.title)
	}

	// Conditional GET: the same version answers 304, by ETag and by date.
	resp, _ := e.get(t, "/feeds/naver.tsv", "Accept-Encoding", "gzip")
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || modified == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
		t.Fatalf("headers %v", resp.Header)
	}
	if r, _ := e.get(t, "/feeds/naver.tsv", "If-None-Match", etag); r.StatusCode != 304 {
		t.Errorf("If-None-Match %s: %d, want 304", etag, r.StatusCode)
	}
	if r, _ := e.get(t, "/feeds/naver.tsv", "If-Modified-Since", modified); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since %s: %d, want 304", modified, r.StatusCode)
	}

	// Changes after since: a price rise, a product hidden, one back in stock.
	time.Sleep(10 * time.Millisecond)
	since := time.Now()
	time.Sleep(10 * time.Millisecond)
	raised := pick(t, e, "p.id > "+strconv.FormatInt(soldOut, 10)+" AND p.enterprise_id <> "+strconv.FormatInt(suspended, 10))
	e.change(t, raised, `consumer_price = consumer_price + 1000`)
	hidden2 := pick(t, e, "p.id > "+strconv.FormatInt(raised, 10)+" AND p.enterprise_id <> "+strconv.FormatInt(suspended, 10))
	e.change(t, hidden2, `status = 'hidden'`)
	e.change(t, soldOut, `stock = 5`)
	// A sale that changes only the stock changes no item: no U line.
	e.change(t, tabbed, `stock = stock - 1`)

	// Before the worker runs, the feeds still say what they said.
	if r, _ := e.get(t, "/feeds/naver.tsv", "If-None-Match", etag); r.StatusCode != 304 {
		t.Errorf("before the worker: %d, want 304", r.StatusCode)
	}
	e.drain(t)
	want = checkAll(t, e)
	if r, _ := e.get(t, "/feeds/naver.tsv", "If-None-Match", etag); r.StatusCode != 200 || r.Header.Get("ETag") == etag {
		t.Errorf("after the change: %d, ETag %s (was %s), want 200 and a new one", r.StatusCode, r.Header.Get("ETag"), etag)
	}

	resp, body := e.get(t, "/feeds/naver-summary.tsv?since="+url.QueryEscape(since.Format(time.RFC3339Nano)))
	if resp.StatusCode != 200 {
		t.Fatalf("summary: %d %s", resp.StatusCode, body)
	}
	got := map[string]map[string]string{}
	for _, r := range naverRows(t, body, feed.NaverSummaryColumns) {
		got[r["id"]] = r
	}
	wantClass := map[int64]string{raised: "U", hidden2: "D", soldOut: "I"}
	if len(got) != len(wantClass) {
		t.Errorf("summary lists %d changes, want %d:\n%s", len(got), len(wantClass), body)
	}
	for id, class := range wantClass {
		r := got[strconv.FormatInt(id, 10)]
		if r == nil || r["class"] != class {
			t.Errorf("summary: product %d = %v, want class %s", id, r, class)
			continue
		}
		if _, err := time.ParseInLocation("2006-01-02 15:04:05", r["update_time"], time.UTC); err != nil {
			t.Errorf("summary: update_time %q: %v", r["update_time"], err)
		}
	}
	if r := got[strconv.FormatInt(raised, 10)]; r != nil &&
		r["price_pc"] != strconv.FormatInt(want[strconv.FormatInt(raised, 10)].price, 10) {
		t.Errorf("summary: raised price %s, catalogue %d", r["price_pc"], want[strconv.FormatInt(raised, 10)].price)
	}

	if r, body := e.get(t, "/feeds/naver-summary.tsv?since=어제"); r.StatusCode != 400 || !strings.Contains(string(body), "since") {
		t.Errorf("bad since: %d %s", r.StatusCode, body)
	}
}

func TestFeedTokenAndConcurrentWorkers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "s3cret-feed")
	// Several instances draining at once apply each change once and agree.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := e.worker.Drain(context.Background())
				if err != nil {
					errs <- err
					return
				}
				var left int
				if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM feed_outbox`).Scan(&left); err != nil {
					errs <- err
					return
				}
				if n == 0 && left == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var items, versions int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT version) FROM feed_items`).Scan(&items, &versions); err != nil {
		t.Fatal(err)
	}
	if want := len(catalogue(t, e.pool)); items != want || versions != items {
		t.Errorf("feed_items: %d rows, %d versions; want %d each (one write per product)", items, versions, want)
	}

	if r, body := e.get(t, "/feeds/google.xml"); r.StatusCode != 403 || !strings.Contains(string(body), "토큰") {
		t.Errorf("no token: %d %s", r.StatusCode, body)
	}
	if r, _ := e.get(t, "/feeds/google.xml?token=wrong"); r.StatusCode != 403 {
		t.Errorf("wrong token: %d", r.StatusCode)
	}
	r, body := e.get(t, "/feeds/google.xml?token=s3cret-feed")
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "private") {
		t.Fatalf("token: %d %s", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	var doc googleDoc
	if err := xml.Unmarshal(body, &doc); err != nil || len(doc.Channel.Items) != items {
		t.Errorf("google.xml with token: %v, %d items, want %d", err, len(doc.Channel.Items), items)
	}
}

// countingStore counts how often a full feed is read from the snapshot.
type countingStore struct {
	*postgres.FeedStore
	mu    sync.Mutex
	reads int
}

func (s *countingStore) EachItem(ctx context.Context, fn func(feed.Item) error) error {
	s.mu.Lock()
	s.reads++
	s.mu.Unlock()
	return s.FeedStore.EachItem(ctx, fn)
}

// A full feed is written once per snapshot version, whoever asks and however
// (gzip or not, at the same time): at 1M products writing it costs seconds
// and hundreds of MB, so it must not be paid per request. A new version
// writes it again.
func TestFullFeedWrittenOncePerVersion(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	store := &countingStore{FeedStore: postgres.NewFeedStore(pool)}
	pub := &feed.Publisher{Store: store, Channel: feed.Channel{Title: "두레"},
		Links: feed.Links{Base: base, Product: view.ProductURL, GeneratedImage: view.ProductImageURL}}
	e := &env{pool: pool, app: app.New(app.Deps{Catalog: postgres.NewCatalogStore(pool), Feeds: pub,
		Log: slog.New(slog.DiscardHandler)}), worker: &feed.Worker{Store: store.FeedStore, BatchSize: 50}}
	e.drain(t)

	var wg sync.WaitGroup
	plain := make([][]byte, 4)
	for i := range plain {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, plain[i] = e.get(t, "/feeds/naver.tsv")
		}()
	}
	wg.Wait()
	resp, unzipped := e.get(t, "/feeds/naver.tsv", "Accept-Encoding", "gzip") // get unzips
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("ETag"), `W/"naver-`) {
		t.Fatalf("gzip answer: Content-Encoding %q, ETag %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("ETag"))
	}
	for i, b := range plain {
		if len(b) < 100 || !bytes.Equal(b, unzipped) {
			t.Errorf("plain answer %d (%d bytes) differs from the gzip one (%d bytes)", i, len(b), len(unzipped))
		}
	}
	if store.reads != 1 {
		t.Errorf("the snapshot was read %d times for five requests of one version, want 1", store.reads)
	}

	var id int64
	if err := pool.QueryRow(context.Background(), `SELECT min(id) FROM products WHERE status = 'active' AND stock > 0`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	e.change(t, id, `name = $2`, "새 이름 상품")
	e.drain(t)
	if _, b := e.get(t, "/feeds/naver.tsv"); !bytes.Contains(b, []byte("새 이름 상품")) || store.reads != 2 {
		t.Errorf("after a change: %d reads, renamed product listed %v; want 2 and true", store.reads, bytes.Contains(b, []byte("새 이름 상품")))
	}
}
