package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/webtest"
)

func countCampaigns(t *testing.T, e *webtest.Env) int {
	t.Helper()
	var n int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM campaigns`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The operator makes a 기획전 through the console; bad input is refused in
// Korean with nothing written; a draft is seen by no consumer; once
// published and in its period its discount prices the cart and flows into
// the order lines; after it ends, a cart priced in it is checked out at
// the current price, and the buyer is told.
func TestCampaignLifecycle(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	pid, _ := e.Goods(t)
	var price int64
	if err := e.Pool.QueryRow(ctx, `SELECT consumer_price FROM products WHERE id = $1`, pid).Scan(&price); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	e.Curation.Now = func() time.Time { return now }

	op := e.Shopper()
	op.SignIn(t, e.Operator(t), webtest.Password)
	tok := op.CSRF(t, "/admin/campaigns/new")
	form := url.Values{"_csrf": {tok}, "kind": {"campaign"}, "title": {"겨울 나눔 기획전"}, "slug": {"winter"},
		"starts": {"2026-12-01T09:00"}, "ends": {"2026-12-01T23:00"}, "status": {"draft"},
		"discount_kind": {"percent"}, "discount_value": {"10"}, "funded_by": {"coop"}, "products": {strconv.FormatInt(pid, 10)}}

	for _, bad := range []struct {
		field, value, want string
	}{
		{"ends", "2026-11-30T09:00", "종료 일시는 시작 일시보다 뒤여야 합니다."},
		{"discount_value", "120", "할인율은 0%보다 크고 100%보다 작아야 합니다."},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(bad.field, bad.value)
		_, doc, _ := op.Post(t, "/admin/campaigns/new", f, http.StatusUnprocessableEntity)
		if got := doc.Find("#" + bad.field + "-error").Text(); got != bad.want {
			t.Fatalf("%s=%s: error %q, want %q", bad.field, bad.value, got, bad.want)
		}
		if v, _ := doc.Find("#title").Attr("value"); v != "겨울 나눔 기획전" {
			t.Fatalf("form not kept: title %q", v)
		}
	}
	// A won discount reaching the product's price.
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("discount_kind", "won")
	f.Set("discount_value", strconv.FormatInt(price, 10))
	_, doc, _ := op.Post(t, "/admin/campaigns/new", f, http.StatusUnprocessableEntity)
	if got := doc.Find("#discount_value-error").Text(); !strings.Contains(got, "가격") || !strings.Contains(got, "이상입니다") {
		t.Fatalf("won discount ≥ price: %q", got)
	}
	if n := countCampaigns(t, e); n != 0 {
		t.Fatalf("refused forms wrote %d campaigns", n)
	}

	loc, _, _ := op.Post(t, "/admin/campaigns/new", form, http.StatusSeeOther)
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/admin/campaigns/"), 10, 64)
	if id == 0 {
		t.Fatalf("created at %q", loc)
	}

	// A draft: no consumer sees it, nor its discount.
	visitor := e.Shopper()
	visitor.Page(t, "/campaigns/winter", http.StatusNotFound)
	if strings.Contains(visitor.Page(t, "/campaigns", http.StatusOK).Text(), "겨울 나눔 기획전") {
		t.Fatal("a draft is listed")
	}
	consumer := e.Shopper()
	consumer.SignIn(t, e.Consumer(t), webtest.Password)
	consumer.Page(t, "/campaigns/winter", http.StatusNotFound)
	consumer.Page(t, "/admin/campaigns", http.StatusNotFound) // the console does not exist for them
	consumer.Page(t, "/admin/campaigns/"+strconv.FormatInt(id, 10), http.StatusNotFound)
	cartID := testutil.Name("cart")
	if err := e.Carts.Add(ctx, cartID, cart.Key{ProductID: pid}, 3); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.Carts.View(ctx, cartID, ""); v.Lines[0].UnitPrice != price || v.Lines[0].Discount != nil {
		t.Fatalf("a draft discounted the cart: %+v", v.Lines[0])
	}

	// A listing's card (the search page, which asks "is any discount
	// campaign live?" while it searches) shows the list price of a draft's
	// product, and the campaign price once it is published.
	var name string
	if err := e.Pool.QueryRow(ctx, `SELECT name FROM products WHERE id = $1`, pid).Scan(&name); err != nil {
		t.Fatal(err)
	}
	e.DrainSearch(t)
	listed := func() (price, list string) {
		t.Helper()
		card := visitor.Page(t, "/search?q="+url.QueryEscape(name), http.StatusOK).
			Find(`article.card:has(a.card-link[href="/p/` + strconv.FormatInt(pid, 10) + `"])`).First()
		if card.Length() == 0 {
			t.Fatalf("searching %q shows no card of product %d", name, pid)
		}
		return card.Find(".card-price strong").Text(), card.Find(".card-price del").Text()
	}
	if got, list := listed(); got != wonText(price) || list != "" {
		t.Fatalf("a draft's product on the search page: price %q, list %q; want %s and none", got, list, wonText(price))
	}

	// Published: its page, its price on the cards and in the cart.
	form.Set("status", "published")
	form.Set("_csrf", op.CSRF(t, "/admin/campaigns/"+strconv.FormatInt(id, 10)))
	op.Post(t, "/admin/campaigns/"+strconv.FormatInt(id, 10), form, http.StatusSeeOther)
	// Both writes are in the audit log, with the operator as the actor (they
	// once were built and dropped).
	var audited int
	if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $1
		AND action IN ('campaign.create', 'campaign.update') AND actor_role = 'operator'`, strconv.FormatInt(id, 10)).Scan(&audited); err != nil || audited != 2 {
		t.Fatalf("audit rows for the campaign: %d, %v; want create and update", audited, err)
	}
	want := price - price*1000/10000
	page := visitor.Page(t, "/campaigns/winter", http.StatusOK)
	if got := page.Find(".card-price strong").First().Text(); got != wonText(want) {
		t.Fatalf("card price %q, want %s", got, wonText(want))
	}
	// Its cards add to the cart without leaving the page, as the listings do.
	if page.Find(`form.card-add input[name="product_id"][value="`+strconv.FormatInt(pid, 10)+`"]`).Length() != 1 {
		t.Fatal("the campaign's card has no 장바구니 담기 form")
	}
	if got, list := listed(); got != wonText(want) || !strings.Contains(list, wonText(price)) {
		t.Fatalf("search page card in the campaign: price %q, list %q; want %s and %s struck", got, list, wonText(want), wonText(price))
	}
	prod := visitor.Page(t, "/p/"+strconv.FormatInt(pid, 10), http.StatusOK)
	if got, list := prod.Find(".price-main .price").Text(), prod.Find(".price-list del").Text(); got != wonText(want) || list != wonText(price) {
		t.Fatalf("product page: price %q, list %q", got, list)
	}
	tok = webtest.CSRFOf(t, prod)
	visitor.Post(t, "/cart/items", url.Values{"_csrf": {tok}, "product_id": {strconv.FormatInt(pid, 10)}, "quantity": {"1"}}, http.StatusSeeOther)
	cartPage := visitor.Page(t, "/cart", http.StatusOK)
	if note := cartPage.Find(".campaign-note").Text(); !strings.Contains(note, "겨울 나눔 기획전") || !strings.Contains(note, wonText(want)) {
		t.Fatalf("cart page campaign note %q", note)
	}
	v, err := e.Carts.View(ctx, cartID, "41940")
	if err != nil {
		t.Fatal(err)
	}
	if l := v.Lines[0]; l.UnitPrice != want || l.Discount == nil || l.Discount.CampaignID != id {
		t.Fatalf("cart line in the campaign: %+v", l)
	}
	if !strings.Contains(v.Lines[0].Notice, "가격이") {
		t.Fatalf("the price change since adding is not said: %q", v.Lines[0].Notice)
	}

	// Checked out in the campaign: the order lines carry the discount.
	addr := order.Address{Recipient: "김두레", Phone: "010-2222-3333", Postcode: "41940", Road: "대구광역시 중구 동덕로 115", Detail: "3층"}
	buyer := order.Buyer{Name: "김두레", Phone: "010-1234-5678", Email: "doore@example.kr"}
	o, err := e.Orders.Checkout(ctx, order.CheckoutInput{CheckoutKey: testutil.Name("checkout"), CartID: cartID,
		Buyer: buyer, Address: addr, ExpectedTotal: v.Price.Total, Consent: testutil.Consent(t, e.Pool)})
	if err != nil {
		t.Fatal(err)
	}
	var unit, list, disc, total, supply, vat int64
	var funded string
	var campaign int64
	var taxType string
	err = e.Pool.QueryRow(ctx, `SELECT l.unit_price, l.list_unit_price, l.discount_amount, l.discount_funded_by, l.campaign_id,
			l.line_total, l.supply_amount, l.vat_amount, l.tax_type
		FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1`, o.Number).
		Scan(&unit, &list, &disc, &funded, &campaign, &total, &supply, &vat, &taxType)
	if err != nil {
		t.Fatal(err)
	}
	if unit != want || list != price || disc != 3*(price-want) || funded != "coop" || campaign != id || total != 3*want {
		t.Fatalf("order line: unit %d list %d discount %d funded %s campaign %d total %d", unit, list, disc, funded, campaign, total)
	}
	wantSupply, wantVAT := catalog.SplitVAT(total, catalog.TaxType(taxType))
	if supply != wantSupply || vat != wantVAT || supply+vat != total {
		t.Fatalf("VAT split of the discounted line %d: %d + %d, want %d + %d", total, supply, vat, wantSupply, wantVAT)
	}
	// The campaign has an order: it cannot be deleted (order_lines FK).
	if err := e.Curation.Delete(e.As(t, e.Operator(t)), id); apperr.Code(err) != apperr.Conflict {
		t.Fatalf("delete an ordered campaign: %v", err)
	}

	// Boundary: a cart priced in the campaign, checked out after it ended.
	cart2 := testutil.Name("cart")
	if err := e.Carts.Add(ctx, cart2, cart.Key{ProductID: pid}, 2); err != nil {
		t.Fatal(err)
	}
	in, err := e.Carts.View(ctx, cart2, addr.Postcode)
	if err != nil || in.Lines[0].UnitPrice != want {
		t.Fatalf("cart in the campaign: %v %+v", err, in)
	}
	now = time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC) // 23:00 KST: the end, exclusive
	_, err = e.Orders.Checkout(ctx, order.CheckoutInput{CheckoutKey: testutil.Name("checkout"), CartID: cart2,
		Buyer: buyer, Address: addr, ExpectedTotal: in.Price.Total, Consent: testutil.Consent(t, e.Pool)})
	if apperr.Code(err) != apperr.Conflict || apperr.Message(err) != "가격이나 배송비가 바뀌었습니다. 다시 확인해 주세요." {
		t.Fatalf("checkout after the end with the campaign's total: %v", err)
	}
	after, err := e.Carts.View(ctx, cart2, addr.Postcode)
	if err != nil {
		t.Fatal(err)
	}
	l := after.Lines[0]
	if l.UnitPrice != price || l.Discount != nil {
		t.Fatalf("cart after the end: %+v", l)
	}
	o2, err := e.Orders.Checkout(ctx, order.CheckoutInput{CheckoutKey: testutil.Name("checkout"), CartID: cart2,
		Buyer: buyer, Address: addr, ExpectedTotal: after.Price.Total, Consent: testutil.Consent(t, e.Pool)})
	if err != nil {
		t.Fatal(err)
	}
	if ln := o2.SubOrders[0].Lines[0]; ln.UnitPrice != price || ln.DiscountAmount != 0 || ln.CampaignID != 0 || ln.ListUnitPrice != price {
		t.Fatalf("order after the end: %+v", ln)
	}
	visitor.Page(t, "/campaigns/winter", http.StatusNotFound)
	// And one second before its start it is not live either.
	now = time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC) // 08:59:59 KST
	visitor.Page(t, "/campaigns/winter", http.StatusNotFound)
	now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) // 09:00 KST
	visitor.Page(t, "/campaigns/winter", http.StatusOK)
}

func wonText(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "원"
}

// An expo's booths: only the operator adds them; an enterprise edits its
// own booth and gets 404 for another's.
func TestBoothOwnership(t *testing.T) {
	e := webtest.NewEnv(t)
	ents := e.Enterprises(t, 2)
	opCtx := e.As(t, e.Operator(t))
	now := time.Now()
	var pid int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM products WHERE enterprise_id = $1 AND status = 'active' ORDER BY id LIMIT 1`,
		ents[0]).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	in := curationInput(now)
	in.Products = strconv.FormatInt(pid, 10)
	c, err := e.Curation.Create(opCtx, in)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Curation.AddBooth(opCtx, c.ID, ents[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Curation.AddBooth(opCtx, c.ID, ents[1])
	if err != nil {
		t.Fatal(err)
	}
	staffA := e.Member(t, ents[0], account.Owner)
	if _, err := e.Curation.AddBooth(e.As(t, staffA), c.ID, ents[0]); apperr.Code(err) == "" {
		t.Fatal("an enterprise added a booth")
	}
	s := e.Shopper()
	s.SignIn(t, staffA, webtest.Password)
	s.Page(t, "/portal/campaigns/"+strconv.FormatInt(b.ID, 10), http.StatusNotFound)
	tok := s.CSRF(t, "/portal/campaigns/"+strconv.FormatInt(a.ID, 10))
	s.Post(t, "/portal/campaigns/"+strconv.FormatInt(b.ID, 10), url.Values{"_csrf": {tok}, "story": {"남의 부스"}}, http.StatusNotFound)
	_, doc, _ := s.Post(t, "/portal/campaigns/"+strconv.FormatInt(a.ID, 10), url.Values{"_csrf": {tok}, "story": {"우리 이야기"},
		"video_url": {"javascript:alert(1)"}}, http.StatusUnprocessableEntity)
	if doc.Find("#video_url-error").Text() == "" {
		t.Fatal("a non-https video address was not refused")
	}
	s.Post(t, "/portal/campaigns/"+strconv.FormatInt(a.ID, 10), url.Values{"_csrf": {tok}, "story": {"우리 이야기"},
		"video_url": {"https://www.youtube.com/watch?v=x"}}, http.StatusSeeOther)
	var storyA, storyB string
	if err := e.Pool.QueryRow(context.Background(), `SELECT (SELECT story FROM campaign_booths WHERE id = $1), (SELECT story FROM campaign_booths WHERE id = $2)`,
		a.ID, b.ID).Scan(&storyA, &storyB); err != nil {
		t.Fatal(err)
	}
	if storyA != "우리 이야기" || storyB != "" {
		t.Fatalf("stories: A %q, B %q", storyA, storyB)
	}

	// An institution's buyer at booth A: 견적 문의 opens a quote request
	// with the booth's product.
	inst := e.Institution(t, "대구광역시 다구청")
	buyer := e.Shopper()
	buyer.SignIn(t, inst.Buyer, webtest.Password)
	page := buyer.Page(t, "/campaigns/fair/booths/"+strconv.FormatInt(a.ID, 10), http.StatusOK)
	href := page.Find(`#inquiry a.btn[href^="/biz/quotes/new"]`).AttrOr("href", "")
	if href != "/biz/quotes/new?product="+strconv.FormatInt(pid, 10) {
		t.Fatalf("quote link %q", href)
	}
	quote := buyer.Page(t, href, http.StatusOK)
	if got := quote.Find(`input[name="line_1_product"]`).AttrOr("value", ""); got != strconv.FormatInt(pid, 10) {
		t.Fatalf("quote request line: %q", got)
	}
	// Nobody sees a booth of a draft expo.
	if _, err := e.Curation.Update(opCtx, c.ID, func() curation.Input { in.Status = "draft"; return in }()); err != nil {
		t.Fatal(err)
	}
	buyer.Page(t, "/campaigns/fair/booths/"+strconv.FormatInt(a.ID, 10), http.StatusNotFound)
}

func curationInput(now time.Time) curation.Input {
	return curation.Input{Slug: "fair", Kind: "expo", Title: "사회적경제 온라인 박람회", Status: "published",
		Starts: curation.FormatKST(now.Add(-time.Hour)), Ends: curation.FormatKST(now.Add(24 * time.Hour))}
}
