package biz_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// goods returns a goods product without options of enterprise ent, with
// stock 100.
func goods(t *testing.T, e *webtest.Env, ent int64) int64 {
	t.Helper()
	var id int64
	if err := e.Pool.QueryRow(context.Background(), `UPDATE products SET stock = 100 WHERE id = (SELECT id FROM products p
		WHERE p.enterprise_id = $1 AND p.status = 'active' AND p.kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1)
		RETURNING id`, ent).Scan(&id); err != nil {
		t.Fatalf("a product of enterprise %d: %v", ent, err)
	}
	return id
}

// place is a valid delivery date and place.
func place(v url.Values) url.Values {
	v.Set("desired_date", quote.Today(time.Now()).AddDate(0, 0, 10).Format("2006-01-02"))
	v.Set("postcode", "41911")
	v.Set("road", "대구광역시 중구 공평로 88")
	v.Set("detail", "별관 2층")
	return v
}

// TestBuyerQuotes: a buyer builds a request line by line (a catalogue
// product and a free-text line); bad input is refused beside the fields
// with the form kept and nothing written; the operator and the
// enterprises make r1; the buyer sees it with each share, reads the
// 견적서 as a page and a PDF, and declines it with a reason. Another institution's buyer gets 404 on
// the request, its documents and its decisions.
func TestBuyerQuotes(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	a, other := e.Institution(t, "대구광역시 가구청"), e.Institution(t, "대구광역시 나구청")
	e.SetCoopDetails(t)
	ents := e.Enterprises(t, 2)
	pid := goods(t, e, ents[0])

	b := e.Shopper()
	b.SignIn(t, a.Buyer, webtest.Password)
	doc := b.Page(t, "/biz/quotes", http.StatusOK)
	if doc.Find(`nav a[href="/biz/quotes"]`).Length() == 0 {
		t.Error("no 견적 요청 entry in the biz menu")
	}
	if !strings.Contains(doc.Find("main").Text(), "견적 요청이 없습니다") {
		t.Errorf("empty list: %s", doc.Find("main").Text())
	}

	// Line by line: a product, then a free-text line.
	v := url.Values{"lines": {"0"}, "op": {"add:" + strconv.FormatInt(pid, 10)}}
	_, doc, _ = b.Post(t, "/biz/quotes/new", form(t, b, "/biz/quotes/new", v), http.StatusOK)
	if got := doc.Find(`input[name="line_1_product"]`).AttrOr("value", ""); got != strconv.FormatInt(pid, 10) {
		t.Fatalf("added product line: %q", got)
	}
	if !strings.Contains(doc.Find(".quote-line").Text(), "공공구매 단가") {
		t.Errorf("the product line shows no public price: %s", doc.Find(".quote-line").Text())
	}
	v = url.Values{"lines": {"1"}, "line_1_product": {strconv.FormatInt(pid, 10)}, "line_1_quantity": {"0"}, "op": {"add_free"}}
	_, doc, _ = b.Post(t, "/biz/quotes/new", form(t, b, "/biz/quotes/new", v), http.StatusOK)
	if doc.Find(`input[name="line_2_name"]`).Length() != 1 || doc.Find(`input[name="lines"]`).AttrOr("value", "") != "2" {
		t.Fatal("no free-text line added")
	}

	// Bad input: a past date, zero quantity.
	v = place(url.Values{"lines": {"2"}, "line_1_product": {strconv.FormatInt(pid, 10)}, "line_1_quantity": {"0"},
		"line_2_name": {"청소 용역"}, "line_2_quantity": {"20"}, "line_2_unit": {"실"}, "op": {"submit"}})
	v.Set("desired_date", quote.Today(time.Now()).AddDate(0, 0, -1).Format("2006-01-02"))
	_, doc, _ = b.Post(t, "/biz/quotes/new", form(t, b, "/biz/quotes/new", v), http.StatusUnprocessableEntity)
	if msg := doc.Find("#desired_date-error").Text(); !strings.Contains(msg, "오늘") {
		t.Errorf("past date: %q", msg)
	}
	if msg := doc.Find("#line-1-quantity-error").Text(); !strings.Contains(msg, "수량") {
		t.Errorf("zero quantity: %q", msg)
	}
	if doc.Find("#road").AttrOr("value", "") != "대구광역시 중구 공평로 88" || doc.Find("#line-2-name").AttrOr("value", "") != "청소 용역" ||
		doc.Find("#line-2-unit").AttrOr("value", "") != "실" {
		t.Error("the form was not kept")
	}
	// No lines.
	nv := place(url.Values{"lines": {"0"}, "op": {"submit"}})
	_, doc, _ = b.Post(t, "/biz/quotes/new", form(t, b, "/biz/quotes/new", nv), http.StatusUnprocessableEntity)
	if msg := doc.Find("#lines-error").Text(); !strings.Contains(msg, "하나 이상") {
		t.Errorf("no lines: %q", msg)
	}
	var n int
	if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM quote_requests`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused requests wrote %d rows (%v)", n, err)
	}

	v.Set("desired_date", quote.Today(time.Now()).AddDate(0, 0, 10).Format("2006-01-02"))
	v.Set("line_1_quantity", "10")
	loc, _, _ := b.Post(t, "/biz/quotes/new", form(t, b, "/biz/quotes/new", v), http.StatusSeeOther)
	id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(loc, "/biz/quotes/"), "?done=quote_requested"), 10, 64)
	if err != nil {
		t.Fatalf("after requesting: %q", loc)
	}
	page := "/biz/quotes/" + strconv.FormatInt(id, 10)
	doc = b.Page(t, loc, http.StatusOK)
	if txt := doc.Find("main").Text(); !strings.Contains(txt, "견적을 요청했습니다") || !strings.Contains(txt, "청소 용역 · 20실") ||
		!strings.Contains(txt, "아직 받은 견적서가 없습니다") {
		t.Errorf("request page: %s", txt)
	}
	if !strings.Contains(b.Page(t, "/biz/quotes", http.StatusOK).Find("table").Text(), "접수") {
		t.Error("the list does not show the request as 접수")
	}

	// The co-op routes the free line; both enterprises answer; r1 goes out.
	op := e.Actor(t, e.Operator(t))
	r, err := e.Quotes.FindRequest(op, id)
	if err != nil || len(r.Lines) != 2 || r.Lines[0].Quantity != 10 || r.Lines[1].Unit != "실" {
		t.Fatalf("stored request: %+v, %v", r, err)
	}
	if err := e.Quotes.RouteLine(op, id, r.Lines[1].ID, ents[1]); err != nil {
		t.Fatal(err)
	}
	day := quote.Today(time.Now()).AddDate(0, 0, 5)
	for i, ans := range []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 12000, AvailableDate: day},
		{LineID: r.Lines[1].ID, Supply: true, UnitPrice: 33000, AvailableDate: day, ProductID: e.Linkable(t, ents[1])}} {
		if err := e.Quotes.AnswerLines(e.Actor(t, e.Member(t, ents[i], account.Owner)), id, []quote.Answer{ans}); err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
	}
	rev, err := e.Quotes.SendRevision(op, id, quote.RevisionInput{DeliveryDate: day, ValidUntil: day,
		Shipping: map[int64]int64{ents[0]: 3000}})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Total != 10*12000+3000+20*33000 {
		t.Fatalf("r1 total %d", rev.Total)
	}

	doc = b.Page(t, page, http.StatusOK)
	txt := doc.Find("main").Text()
	for _, want := range []string{"견적서 r1", "783,000원", "660,000원", "123,000원", "수락하고 주문하기", "거절하기"} {
		if !strings.Contains(txt, want) {
			t.Errorf("quote page lacks %q", want)
		}
	}
	if doc.Find(`a[href="`+page+`/r/1.pdf"]`).Length() == 0 {
		t.Error("no PDF link")
	}
	doc = b.Page(t, page+"/r/1", http.StatusOK)
	if txt := doc.Text(); !strings.Contains(txt, r.Number+"-r1") || !strings.Contains(txt, "783,000") || !strings.Contains(txt, "배송비") {
		t.Errorf("견적서 page: %s", webtest.Truncate(txt, 2000))
	}
	resp, body := b.Do(t, http.MethodGet, page+"/r/1.pdf", "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := b.Do(t, http.MethodGet, page+"/r/2", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a revision not sent: %d", resp.StatusCode)
	}

	// Another institution's buyer sees nothing of it.
	o := e.Shopper()
	o.SignIn(t, other.Buyer, webtest.Password)
	for _, p := range []string{page, page + "/r/1", page + "/r/1.pdf"} {
		if resp, _ := o.Do(t, http.MethodGet, p, "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("institution B GET %s: %d", p, resp.StatusCode)
		}
	}
	o.Post(t, page+"/accept", form(t, o, "/biz/quotes", url.Values{"revision": {"1"}, "terms": {"invoice"}}), http.StatusNotFound)
	o.Post(t, page+"/decline", form(t, o, "/biz/quotes", url.Values{"revision": {"1"}, "reason": {"남의 견적"}}), http.StatusNotFound)
	if strings.Contains(o.Page(t, "/biz/quotes", http.StatusOK).Text(), r.Number) {
		t.Error("institution B's list shows A's request")
	}

	_, doc, _ = b.Post(t, page+"/decline", form(t, b, page, url.Values{"revision": {"1"}, "reason": {" "}}), http.StatusUnprocessableEntity)
	if msg := doc.Find("#reason-error").Text(); !strings.Contains(msg, "거절 사유") {
		t.Errorf("empty reason: %q", msg)
	}
	loc, _, _ = b.Post(t, page+"/decline", form(t, b, page, url.Values{"revision": {"1"}, "reason": {"예산이 줄었습니다"}}), http.StatusSeeOther)
	doc = b.Page(t, loc, http.StatusOK)
	if txt := doc.Find("main").Text(); !strings.Contains(txt, "거절했습니다") || !strings.Contains(txt, "예산이 줄었습니다") ||
		doc.Find(`form[action="`+page+`/accept"]`).Length() != 0 {
		t.Errorf("declined page: %s", txt)
	}
}

// TestQuoteFromCart: "견적 요청하기" from the shop cart turns the signed-in
// buyer's cart lines into the request's lines, and the request is made
// from them.
func TestQuoteFromCart(t *testing.T) {
	e := webtest.NewEnv(t)
	a := e.Institution(t, "대구광역시 다구청")
	ents := e.Enterprises(t, 2)
	p1, p2 := goods(t, e, ents[0]), goods(t, e, ents[1])
	b := e.Shopper()
	b.SignIn(t, a.Buyer, webtest.Password)

	_, doc, _ := b.Post(t, "/biz/quotes/cart", form(t, b, "/biz/quotes", url.Values{}), http.StatusOK)
	if !strings.Contains(doc.Find("main").Text(), "장바구니가 비어 있습니다") {
		t.Error("an empty cart is not said so")
	}
	for _, l := range []struct {
		id  int64
		qty int
	}{{p1, 3}, {p2, 7}} {
		if err := e.Carts.Add(context.Background(), cart.UserCartID(a.BuyerID), cart.Key{ProductID: l.id}, l.qty); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(b.Page(t, "/cart", http.StatusOK).Find(`form[action="/biz/quotes/cart"]`).Text(), "견적 요청하기") {
		t.Error("the cart offers an institution buyer no 견적 요청하기")
	}
	_, doc, _ = b.Post(t, "/biz/quotes/cart", form(t, b, "/biz/quotes", url.Values{}), http.StatusOK)
	v := place(url.Values{"op": {"submit"}, "lines": {doc.Find(`input[name="lines"]`).AttrOr("value", "")}})
	doc.Find(`input[name^="line_"]`).Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	got := map[string]string{v.Get("line_1_product"): v.Get("line_1_quantity"), v.Get("line_2_product"): v.Get("line_2_quantity")}
	if v.Get("lines") != "2" || got[strconv.FormatInt(p1, 10)] != "3" || got[strconv.FormatInt(p2, 10)] != "7" {
		t.Fatalf("cart lines as request lines: %v", v)
	}
	loc, _, _ := b.Post(t, "/biz/quotes/new", form(t, b, "/biz/quotes/new", v), http.StatusSeeOther)
	if !strings.Contains(loc, "done=quote_requested") {
		t.Fatalf("after requesting: %q", loc)
	}
	var lines, qty int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*), sum(quantity) FROM quote_request_lines`).Scan(&lines, &qty); err != nil || lines != 2 || qty != 10 {
		t.Errorf("stored lines %d, quantity %d (%v)", lines, qty, err)
	}
	// A shopper who is not an institution buyer cannot use it.
	s := e.Shopper()
	if resp, _ := s.Do(t, http.MethodGet, "/cart", "", nil); resp.StatusCode != http.StatusOK {
		t.Fatal(resp.StatusCode)
	}
	if strings.Contains(s.Page(t, "/cart", http.StatusOK).Text(), "견적 요청하기") {
		t.Error("an anonymous cart offers 견적 요청하기")
	}
}

// TestAcceptQuoteOrders: accepting r1 of a two-enterprise quote on the page
// places a real public order on invoice (order.QuoteOrders →
// order.PlacePublic) with the quote's lines, prices and shipping, reserving
// the stock; accepting again places nothing more; a stock shortage is
// refused with the quote left acceptable and nothing reserved.
func TestAcceptQuoteOrders(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	inst := e.Institution(t, "대구광역시 라구청")
	ents := e.Enterprises(t, 2)
	p1, p2 := goods(t, e, ents[0]), goods(t, e, ents[1])
	day := quote.Today(time.Now()).AddDate(0, 0, 5)
	r, err := e.Quotes.CreateRequest(e.Actor(t, inst.Buyer), quote.RequestInput{DesiredDate: day,
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88", Detail: "별관 2층"},
		Lines: []quote.LineInput{{ProductID: p1, Quantity: 10}, {ProductID: p2, Quantity: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, price := range []int64{12000, 33000} {
		if err := e.Quotes.AnswerLines(e.Actor(t, e.Member(t, ents[i], account.Owner)), r.ID,
			[]quote.Answer{{LineID: r.Lines[i].ID, Supply: true, UnitPrice: price, AvailableDate: day}}); err != nil {
			t.Fatal(err)
		}
	}
	rev, err := e.Quotes.SendRevision(e.Actor(t, e.Operator(t)), r.ID, quote.RevisionInput{DeliveryDate: day, ValidUntil: day,
		Shipping: map[int64]int64{ents[0]: 3000}})
	if err != nil {
		t.Fatal(err)
	}
	b := e.Shopper()
	b.SignIn(t, inst.Buyer, webtest.Password)
	page := "/biz/quotes/" + strconv.FormatInt(r.ID, 10)
	accept := func(status int) string {
		t.Helper()
		loc, doc, _ := b.Post(t, page+"/accept", form(t, b, page, url.Values{"revision": {"1"}, "terms": {"invoice"}}), status)
		return loc + doc.Find(`[role="alert"]`).Text()
	}
	count := func(q string, args ...any) (n int64) {
		t.Helper()
		if err := e.Pool.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Stock short: refused, nothing reserved, the quote still acceptable.
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 3 WHERE id = $1`, p1); err != nil {
		t.Fatal(err)
	}
	if msg := accept(http.StatusConflict); !strings.Contains(msg, "재고") {
		t.Errorf("stock short: %q", msg)
	}
	if n := count(`SELECT count(*) FROM orders`); n != 0 {
		t.Errorf("a refused acceptance made %d orders", n)
	}
	if n := count(`SELECT stock FROM products WHERE id = $1`, p2); n != 100 {
		t.Errorf("the other product's stock %d after a refusal, want 100", n)
	}
	if b.Page(t, page, http.StatusOK).Find(`form[action="`+page+`/accept"]`).Length() != 1 {
		t.Error("the quote is no longer acceptable after a refusal")
	}

	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 100 WHERE id = $1`, p1); err != nil {
		t.Fatal(err)
	}
	if loc := accept(http.StatusSeeOther); loc != page+"?done=quote_accepted" {
		t.Fatalf("accepted to %q", loc)
	}
	var orderID, total, items, shipping, quoteID, instID int64
	var channel, terms, status string
	if err := e.Pool.QueryRow(ctx, `SELECT id, total, items_total, shipping_total, channel, payment_terms, status, quote_id, institution_id
		FROM orders`).Scan(&orderID, &total, &items, &shipping, &channel, &terms, &status, &quoteID, &instID); err != nil {
		t.Fatal(err)
	}
	if total != rev.Total || total != 10*12000+4*33000+3000 || items != 10*12000+4*33000 || shipping != 3000 ||
		channel != "public" || terms != "invoice" || quoteID != r.ID || instID != inst.ID {
		t.Errorf("order: total %d items %d shipping %d %s/%s/%s quote %d institution %d; r1 total %d",
			total, items, shipping, channel, terms, status, quoteID, instID, rev.Total)
	}
	for _, l := range []struct {
		product, price, qty int64
	}{{p1, 12000, 10}, {p2, 33000, 4}} {
		if n := count(`SELECT count(*) FROM order_lines WHERE order_id = $1 AND product_id = $2 AND unit_price = $3 AND quantity = $4`,
			orderID, l.product, l.price, l.qty); n != 1 {
			t.Errorf("order line of product %d at %d × %d: %d rows", l.product, l.price, l.qty, n)
		}
	}
	if n := count(`SELECT stock FROM products WHERE id = $1`, p1); n != 90 {
		t.Errorf("stock after the order %d, want 90", n)
	}
	doc := b.Page(t, page, http.StatusOK)
	if txt := doc.Find("main").Text(); !strings.Contains(txt, "수락했습니다") || !strings.Contains(txt, strconv.FormatInt(orderID, 10)) {
		t.Errorf("accepted page: %s", txt)
	}

	// Again: the same order, nothing reserved twice.
	if loc := accept(http.StatusSeeOther); loc != page+"?done=quote_accepted" {
		t.Errorf("second accept to %q", loc)
	}
	if n := count(`SELECT count(*) FROM orders`); n != 1 {
		t.Errorf("%d orders after accepting twice", n)
	}
	if n := count(`SELECT stock FROM products WHERE id = $1`, p1); n != 90 {
		t.Errorf("stock after accepting twice %d, want 90", n)
	}
}
