package curation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
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
	asks := &askCounter{Store: postgres.NewCurationStore(pool)}
	svc := &curation.Service{Store: asks, Now: func() time.Time { return now }}

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

	asks.asked = 0
	ds, err := svc.ConsumerDiscounts(ctx, []int64{p1, p2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds[p1]) != 2 || len(ds[p2]) != 1 || ds[p2][0].CampaignID != rule.ID {
		t.Fatalf("discounts at 12:00 KST: %+v", ds)
	}
	// A listing that was told a campaign is live is not asked again, and
	// gets the same discounts.
	live, err := svc.LiveConsumerDiscounts(ctx, []int64{p1, p2})
	if err != nil || !reflect.DeepEqual(live, ds) {
		t.Fatalf("LiveConsumerDiscounts = %+v, %v; want ConsumerDiscounts's %+v", live, err, ds)
	}
	if asks.asked != 1 {
		t.Fatalf("asked whether a discount is live %d times, want once (by ConsumerDiscounts only)", asks.asked)
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
	if all, _ := svc.AllConsumerDiscounts(ctx); len(all) != 0 {
		t.Fatalf("all discounts after the end: %+v", all)
	}
	if _, err := svc.Live(ctx, "rule"); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("ended campaign is live: %v", err)
	}
}

// Every campaign write leaves one audit record, written in its
// transaction; a refused write leaves none, and a record that cannot be
// written undoes the write.
func TestCampaignAudit(t *testing.T) {
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	ctx := context.Background()
	svc := &curation.Service{Store: postgres.NewCurationStore(pool), Audit: testutil.Auditor(t, pool)}
	var active, suspended int64
	if err := pool.QueryRow(ctx, `SELECT (SELECT min(id) FROM enterprises WHERE status = 'active'),
		coalesce((SELECT min(id) FROM enterprises WHERE status <> 'active'), 0)`).Scan(&active, &suspended); err != nil {
		t.Fatal(err)
	}
	in := curation.Input{Slug: "audit-expo", Kind: "expo", Title: "감사 박람회", Status: "draft",
		Starts: "2026-12-10T09:00", Ends: "2026-12-11T00:00"}
	c, err := svc.Create(operator(), in)
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(c.ID, 10)
	records := func() []*account.AuditRecord { return testutil.AuditRecords(t, pool, "campaign", id) }
	if r := records(); len(r) != 1 || r[0].Action != "campaign.create" || r[0].ActorUserID != 1 ||
		r[0].ActorRole != string(account.Operator) || r[0].Before != nil || !bytes.Contains(r[0].After, []byte("감사 박람회")) {
		t.Fatalf("records after create = %+v", r)
	}

	// Refused: a taken address, a second booth, an enterprise not on sale,
	// another enterprise's booth.
	if _, err := svc.Create(operator(), in); apperr.Code(err) != apperr.Conflict {
		t.Fatalf("a taken slug = %v, want Conflict", err)
	}
	booth, err := svc.AddBooth(operator(), c.ID, active)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddBooth(operator(), c.ID, active); apperr.Code(err) != apperr.Conflict {
		t.Fatalf("a second booth = %v, want Conflict", err)
	}
	if suspended != 0 {
		if _, err := svc.AddBooth(operator(), c.ID, suspended); apperr.Code(err) != apperr.Invalid {
			t.Fatalf("a booth for an enterprise not on sale = %v, want Invalid", err)
		}
	}
	other := account.NewContext(ctx, &account.Actor{UserID: 77, Role: account.EnterpriseStaff, EnterpriseID: active + 1000,
		EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Owner})
	if _, err := svc.EditBooth(other, booth.ID, curation.BoothInput{Story: "남의 부스"}); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("another enterprise's booth = %v, want NotFound", err)
	}
	member := account.NewContext(ctx, &account.Actor{UserID: 78, Role: account.EnterpriseStaff, EnterpriseID: active,
		EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
	if _, err := svc.EditBooth(member, booth.ID, curation.BoothInput{Story: "우리 부스 이야기"}); err != nil {
		t.Fatal(err)
	}
	in.Title = "감사 박람회 (개정)"
	if _, err := svc.Update(operator(), c.ID, in); err != nil {
		t.Fatal(err)
	}
	r := records()
	var actions []string
	for _, x := range r {
		actions = append(actions, x.Action)
	}
	if want := "campaign.create campaign.booth_add campaign.booth_edit campaign.update"; strings.Join(actions, " ") != want {
		t.Fatalf("actions = %v, want %s", actions, want)
	}
	if r[1].EnterpriseID != active || r[2].ActorUserID != 78 || r[2].EnterpriseID != active ||
		!bytes.Contains(r[2].After, []byte("우리 부스 이야기")) || !bytes.Contains(r[3].Before, []byte(`"감사 박람회"`)) {
		t.Errorf("records = %+v", r)
	}

	// A record that cannot be written: nothing changes.
	broken := &curation.Service{Store: postgres.NewCurationStore(pool), Audit: testutil.BrokenAuditor{}}
	in.Title = "기록 없는 제목"
	if _, err := broken.Update(operator(), c.ID, in); err == nil {
		t.Error("Update without its record succeeded")
	}
	if err := broken.RemoveBooth(operator(), booth.ID); err == nil {
		t.Error("RemoveBooth without its record succeeded")
	}
	if err := broken.Delete(operator(), c.ID); err == nil {
		t.Error("Delete without its record succeeded")
	}
	got, err := svc.Campaign(operator(), c.ID)
	if err != nil || got.Title != "감사 박람회 (개정)" || len(got.Booths) != 1 {
		t.Fatalf("campaign after refused writes = %+v, %v", got, err)
	}
	if n := len(records()); n != 4 {
		t.Errorf("%d records, want 4", n)
	}
	if err := svc.Delete(operator(), c.ID); err != nil {
		t.Fatal(err)
	}
	if r := records(); len(r) != 5 || r[4].Action != "campaign.delete" || r[4].After != nil {
		t.Errorf("records after delete = %+v", r)
	}
}

// askCounter is the PostgreSQL store, counting how often it is asked
// whether a discount campaign is live.
type askCounter struct {
	curation.Store
	asked int
}

func (s *askCounter) DiscountsLive(ctx context.Context, at time.Time) (bool, error) {
	s.asked++
	return s.Store.DiscountsLive(ctx, at)
}
