package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/testutil"
)

// With DURE_DATABASE_REPLICA_URL, serve's catalogue pages read the replica
// and the cart and the checkout the primary. The "replica" here is another
// database on the same server through its own pool, loaded with the same
// catalogue and then made to differ (a product renamed, as a lagging
// replica would show an old name): the product page shows the replica's
// name, the checkout page and the order the primary's, and the replica
// holds no order.
func TestServeReadsTheCatalogueFromTheReplica(t *testing.T) {
	t.Parallel()
	primary, replica := testutil.NewDB(t), testutil.NewDB(t)
	testutil.SeedDemo(t, primary)
	testutil.SeedDemo(t, replica)
	ctx := context.Background()
	var id int64
	var name string
	if err := primary.QueryRow(ctx, `SELECT p.id, p.name FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.stock >= 5
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1`).Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	tag, err := replica.Exec(ctx, `UPDATE products SET name = name || ' 복제본' WHERE id = $1 AND name = $2`, id, name)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("rename on the replica: %v (%d rows): the two catalogues differ", err, tag.RowsAffected())
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := testutil.Config(t)
	cfg.DatabaseURL = primary.Config().ConnString()
	cfg.DatabaseReplicaURL = replica.Config().ConnString()
	cfg.Addr, cfg.AdminAddr = addr, ""
	cfg.MeiliIndex = testutil.NewMeiliIndex(t)
	cfg.UploadDir = t.TempDir()
	cfg.RunWorker = false
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runServe(sctx, cfg, slog.New(slog.DiscardHandler), nil) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + addr
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, path, ctype, body string, want int) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %.300s", method, path, resp.StatusCode, want, b)
		}
		return resp, string(b)
	}
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/livez"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 60*time.Second {
			t.Fatal("serve did not start")
		}
	}

	if _, page := get("GET", fmt.Sprintf("/p/%d", id), "", "", 200); !strings.Contains(page, name+" 복제본") {
		t.Errorf("the product page does not show the replica's name %q", name+" 복제본")
	}
	get("POST", "/api/v1/cart/items", "application/json", fmt.Sprintf(`{"product_id":%d,"quantity":1}`, id), 201)
	_, page := get("GET", "/checkout", "", "", 200)
	if strings.Contains(page, "복제본") || !strings.Contains(page, name) {
		t.Errorf("the checkout page read the replica (or not the primary): want %q only", name)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	doc.Find(`form.checkout-form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	for k, v := range map[string]string{"buyer_name": "김두레", "buyer_phone": "010-1234-5678", "buyer_email": "r@example.kr",
		"recipient": "박수령", "phone": "010-2222-3333", "postcode": "41940", "road": "대구광역시 중구 동덕로 115", "detail": "3층",
		"agree_terms": "1", "agree_privacy": "1"} {
		form.Set(k, v)
	}
	get("POST", "/checkout", "application/x-www-form-urlencoded", form.Encode(), http.StatusSeeOther)
	var lineName string
	if err := primary.QueryRow(ctx, `SELECT product_name FROM order_lines WHERE product_id = $1`, id).Scan(&lineName); err != nil || lineName != name {
		t.Errorf("the order's line on the primary: %q, %v; want %q", lineName, err, name)
	}
	var onReplica int
	if err := replica.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&onReplica); err != nil || onReplica != 0 {
		t.Errorf("%d orders on the replica (%v), want 0", onReplica, err)
	}
}
