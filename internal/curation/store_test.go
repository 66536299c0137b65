package curation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/feed"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

func operator() context.Context {
	return account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.Operator})
}

// Rule-based and hand-picked products, overlapping discounts and the
// period read at every call (no restart, no flag), against PostgreSQL;
// the feeds price with the same discounts at the moment they are written.
func TestDiscountsAndFeeds(t *testing.T) {
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	ctx := context.Background()
	now := time.Date(2026, 12, 10, 3, 0, 0, 0, time.UTC)
	svc := &curation.Service{Store: postgres.NewCurationStore(pool), Now: func() time.Time { return now }}

	// Two products of one enterprise: the rule (its type and region)
	// selects both; a second campaign hand-picks the first only.
	var p1, p2, ent int64
	var price1, price2 int64
	var entType, region string
	err := pool.QueryRow(ctx, `SELECT a.id, a.consumer_price, b.id, b.consumer_price, e.id, e.type, e.region
		FROM enterprises e JOIN products a ON a.enterprise_id = e.id JOIN products b ON b.enterprise_id = e.id AND b.id > a.id
		WHERE e.status = 'active' AND a.status = 'active' AND b.status = 'active' AND a.stock > 0 AND b.stock > 0
		  AND a.consumer_price > 20000 AND b.consumer_price > 20000
		ORDER BY a.id, b.id LIMIT 1`).Scan(&p1, &price1, &p2, &price2, &ent, &entType, &region)
	if err != nil {
		t.Fatal(err)
	}
	var others int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND e.type = $1 AND e.region = $2`, entType, region).Scan(&others); err != nil {
		t.Fatal(err)
	}
	rule, err := svc.Create(operator(), curation.Input{Slug: "rule", Kind: "campaign", Title: "유형·지역 기획전", Status: "published",
		Starts: "2026-12-10T09:00", Ends: "2026-12-11T00:00", Types: []string{entType}, Regions: []string{region},
		DiscountKind: "percent", DiscountValue: "10", FundedBy: "coop"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Create(operator(), curation.Input{Slug: "picked", Kind: "campaign", Title: "골라 담은 기획전", Status: "published",
		Starts: "2026-12-10T09:00", Ends: "2026-12-10T18:00", Products: strconv.FormatInt(p1, 10),
		DiscountKind: "won", DiscountValue: "5000", FundedBy: "enterprise"})
	if err != nil {
		t.Fatal(err)
	}
	// A consumer may not write campaigns.
	consumer := account.NewContext(ctx, &account.Actor{UserID: 2, Role: account.Consumer})
	if _, err := svc.Create(consumer, curation.Input{}); apperr.Code(err) != apperr.NotFound && apperr.Code(err) != apperr.Forbidden {
		t.Fatalf("a consumer created a campaign: %v", err)
	}

	ds, err := svc.ConsumerDiscounts(ctx, []int64{p1, p2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds[p1]) != 2 || len(ds[p2]) != 1 || ds[p2][0].CampaignID != rule.ID {
		t.Fatalf("discounts at 12:00 KST: %+v", ds)
	}
	all, err := svc.AllConsumerDiscounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(all)) != others {
		t.Fatalf("rule holds %d products, want %d", len(all), others)
	}
	listed, err := svc.Products(ctx, rule, 0, 500)
	if err != nil || int64(len(listed)) != others {
		t.Fatalf("rule's product list: %d (%v), want %d", len(listed), err, others)
	}

	// The feed written now prices p1 at the better of 10% and 5,000원.
	store := postgres.NewFeedStore(pool)
	if _, err := (&feed.Worker{Store: store, BatchSize: 500}).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	pub := &feed.Publisher{Store: store, Discounts: svc, Links: feed.Links{Base: "https://dure.test",
		Product: func(id int64) string { return "/p/" + strconv.FormatInt(id, 10) }, GeneratedImage: func(id int64) string { return "/i/" + strconv.FormatInt(id, 10) }}}
	feedPrice := func(id int64) string {
		t.Helper()
		var buf bytes.Buffer
		if err := pub.GoogleJSON(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Items []struct{ ID, Price string } `json:"items"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, it := range doc.Items {
			if it.ID == strconv.FormatInt(id, 10) {
				return it.Price
			}
		}
		t.Fatalf("product %d not in the feed", id)
		return ""
	}
	best := min(price1-price1/10, price1-5000)
	if got := feedPrice(p1); got != feed.GooglePrice(best) {
		t.Fatalf("feed price of p1 at 12:00 KST %s, want %s", got, feed.GooglePrice(best))
	}
	st1, err := pub.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC); !st1.Prices.Equal(want) {
		t.Fatalf("prices changed at %v, want the start %v", st1.Prices, want)
	}
	// 18:00 KST: the hand-picked one has ended, the rule's runs on.
	now = time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)
	st2, err := pub.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st2.Tag() == st1.Tag() || !st2.Prices.Equal(now) {
		t.Fatalf("the feed's validator did not move at the end: %s → %s", st1.Tag(), st2.Tag())
	}
	if got := feedPrice(p1); got != feed.GooglePrice(price1-price1/10) {
		t.Fatalf("feed price of p1 at 18:00 KST %s", got)
	}
	// Midnight: both ended; list prices again.
	now = time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)
	if got := feedPrice(p2); got != feed.GooglePrice(price2) {
		t.Fatalf("feed price of p2 after the end %s, want %d", got, price2)
	}
	if ds, _ := svc.ConsumerDiscounts(ctx, []int64{p1, p2}); len(ds) != 0 {
		t.Fatalf("discounts after the end: %+v", ds)
	}
	if _, err := svc.Live(ctx, "rule"); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("ended campaign is live: %v", err)
	}
}
