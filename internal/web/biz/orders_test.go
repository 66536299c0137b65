package biz_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// publicFlow is a public order on invoice of three enterprises' products,
// made from an accepted consortium quote by a buyer of a fresh
// institution, each part shipped.
type publicFlow struct {
	e        *webtest.Env
	inst     *webtest.Inst
	buyer    *webtest.Shopper
	o        *order.Order
	products []int64
	names    []string           // the enterprises' names
	members  []*webtest.Shopper // a member of each enterprise, signed in
	quote    string             // the request's /biz address
}

// goodsOf returns a goods product without options of each of n
// enterprises, with stock.
func goodsOf(t *testing.T, e *webtest.Env, n int) ([]int64, []int64, []string) {
	t.Helper()
	rows, err := e.Pool.Query(context.Background(), `SELECT DISTINCT ON (p.enterprise_id) p.id, p.enterprise_id, e.name
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.enterprise_id, p.id LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids, ents []int64
	var names []string
	for rows.Next() {
		var id, ent int64
		var name string
		if err := rows.Scan(&id, &ent, &name); err != nil {
			t.Fatal(err)
		}
		ids, ents, names = append(ids, id), append(ents, ent), append(names, name)
	}
	if len(ids) < n {
		t.Fatalf("want %d enterprises with goods, have %d", n, len(ids))
	}
	if _, err := e.Pool.Exec(context.Background(), `UPDATE products SET stock = 100 WHERE id = ANY($1)`, ids); err != nil {
		t.Fatal(err)
	}
	return ids, ents, names
}

func setCoop(t *testing.T, e *webtest.Env) {
	t.Helper()
	if _, err := e.Pool.Exec(context.Background(), `UPDATE coop_settings SET name = '두레 사회적협동조합', representative = '김두레',
		business_number = '1208147521', address = '대구광역시 중구 동덕로 115', bank_name = '대구은행',
		bank_account = '508-10-123456-7', bank_holder = '두레 사회적협동조합'`); err != nil {
		t.Fatal(err)
	}
}

// flowPrices are the accepted quote's unit prices of the three parts (the
// first ships for 3,000원): 10 × 12,345 (r2, down from 12,500 in r1),
// 3 × 30,001, and 청소 용역 5 × 9,900 as the third enterprise's service.
const (
	flowPrice0, flowPrice1, flowPrice2 = 12_345, 30_001, 9_900
	flowShipping                       = 3_000
)

// newPublicFlow is the public journey up to shipping, driven through the
// pages as each party would: the buyer asks on /biz for two catalogue
// items, 청소 용역 and a banner (free text); the operator routes the free
// lines on /admin; the three enterprises answer on /portal (the banner
// cannot be supplied; 청소 용역 is supplied as the third one's service
// product); the operator sends r1, the first enterprise lowers its price,
// r2 goes out; the buyer accepts r2 on invoice, which places the order
// with one sub-order per enterprise; each enterprise accepts and ships its
// part on /portal.
func newPublicFlow(t *testing.T) *publicFlow {
	t.Helper()
	e := webtest.NewEnv(t)
	setCoop(t, e)
	ctx := context.Background()
	f := &publicFlow{e: e, inst: e.Institution(t, "대구광역시 수성구청")}
	products, ents, names := goodsOf(t, e, 2)
	var cleaner int64
	var cleanerName string
	if err := e.Pool.QueryRow(ctx, `SELECT e.id, e.name FROM enterprises e WHERE e.status = 'active' AND EXISTS (
			SELECT 1 FROM products p WHERE p.enterprise_id = e.id AND p.status = 'active' AND p.kind = 'service'
			  AND p.tax_type = 'taxable' AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id))
		ORDER BY e.id LIMIT 1`).Scan(&cleaner, &cleanerName); err != nil {
		t.Fatalf("an enterprise with a service: %v", err)
	}
	service := e.Linkable(t, cleaner)
	f.products, f.names = append(products, service), append(names, cleanerName)
	ents = append(ents, cleaner)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	// The buyer's request, line by line.
	f.buyer = e.Shopper()
	f.buyer.SignIn(t, f.inst.Buyer, webtest.Password)
	v := place(url.Values{"lines": {"4"}, "op": {"submit"}, "notes": {"명절 행사와 청사 청소"},
		"line_1_product": {id(products[0])}, "line_1_quantity": {"10"},
		"line_2_product": {id(products[1])}, "line_2_quantity": {"3"},
		"line_3_name": {"청소 용역"}, "line_3_quantity": {"5"}, "line_3_unit": {"회"},
		"line_4_name": {"대형 현수막 제작"}, "line_4_quantity": {"1"}, "line_4_unit": {"개"}})
	loc, _, _ := f.buyer.Post(t, "/biz/quotes/new", form(t, f.buyer, "/biz/quotes/new", v), http.StatusSeeOther)
	qid, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(loc, "/biz/quotes/"), "?done=quote_requested"), 10, 64)
	if err != nil {
		t.Fatalf("after requesting: %q", loc)
	}
	f.quote = "/biz/quotes/" + id(qid)
	r, err := e.Quotes.FindRequest(e.Actor(t, e.Operator(t)), qid)
	if err != nil || len(r.Lines) != 4 {
		t.Fatalf("stored request: %v", err)
	}
	lines := [4]string{id(r.Lines[0].ID), id(r.Lines[1].ID), id(r.Lines[2].ID), id(r.Lines[3].ID)}

	// The co-op routes the free-text lines.
	op := e.Shopper()
	op.SignIn(t, e.Operator(t), webtest.Password)
	admin := "/admin/quotes/" + id(qid)
	for _, rt := range [][2]string{{lines[2], id(cleaner)}, {lines[3], id(ents[0])}} {
		op.Post(t, admin+"/route", url.Values{"_csrf": {op.CSRF(t, admin)}, "line": {rt[0]}, "enterprise": {rt[1]}}, http.StatusSeeOther)
	}

	// Each enterprise answers its lines on the portal.
	day := quote.Today(time.Now()).AddDate(0, 0, 5).Format(time.DateOnly)
	members := make([]*webtest.Shopper, 3)
	portal := "/portal/quotes/" + id(qid)
	answer := func(i int, v url.Values, status int) *goquery.Document {
		t.Helper()
		v.Set("_csrf", members[i].CSRF(t, portal))
		_, doc, _ := members[i].Post(t, portal+"/answer", v, status)
		return doc
	}
	for i := range members {
		members[i] = e.Shopper()
		members[i].SignIn(t, e.Member(t, ents[i], account.Owner), webtest.Password)
	}
	answer(0, url.Values{"line": {lines[0], lines[3]}, "supply_" + lines[0]: {"yes"}, "price_" + lines[0]: {"12,500"},
		"date_" + lines[0]: {day}, "supply_" + lines[3]: {"no"}, "reason_" + lines[3]: {"현수막 장비가 없습니다"}}, http.StatusSeeOther)
	answer(1, url.Values{"line": {lines[1]}, "supply_" + lines[1]: {"yes"}, "price_" + lines[1]: {"30,001"}, "date_" + lines[1]: {day}},
		http.StatusSeeOther)
	// 청소 용역 without a product to supply it as: refused beside the
	// field, the form kept; then with the enterprise's service.
	clean := url.Values{"line": {lines[2]}, "supply_" + lines[2]: {"yes"}, "price_" + lines[2]: {"9,900"}, "date_" + lines[2]: {day}}
	doc := answer(2, clean, http.StatusUnprocessableEntity)
	if msg := doc.Find("#product-" + lines[2] + "-err").Text(); !strings.Contains(msg, "상품(용역)을 골라") {
		t.Errorf("free-text line without a product: %q", msg)
	}
	if doc.Find("#price-"+lines[2]).AttrOr("value", "") != "9,900" || doc.Find(`#product-`+lines[2]+` option[value="`+id(service)+`"]`).Length() != 1 {
		t.Error("the answer form was not kept, or does not offer the enterprise's service")
	}
	clean.Set("product_"+lines[2], id(service))
	answer(2, clean, http.StatusSeeOther)

	// r1, then r2 after the first enterprise lowers its price.
	send := func() {
		t.Helper()
		today := quote.Today(time.Now())
		op.Post(t, admin+"/revisions", url.Values{"_csrf": {op.CSRF(t, admin)}, "action": {"send"},
			"delivery_date": {today.AddDate(0, 0, 7).Format(time.DateOnly)}, "valid_until": {today.AddDate(0, 0, 14).Format(time.DateOnly)},
			"remarks": {"부가세 포함"}, "shipping_" + id(ents[0]): {"3,000"}}, http.StatusSeeOther)
	}
	send()
	answer(0, url.Values{"line": {lines[0], lines[3]}, "supply_" + lines[0]: {"yes"}, "price_" + lines[0]: {"12,345"},
		"date_" + lines[0]: {day}, "supply_" + lines[3]: {"no"}, "reason_" + lines[3]: {"현수막 장비가 없습니다"}}, http.StatusSeeOther)
	send()

	// The buyer sees r2 with the banner as not supplied, and accepts it.
	total := int64(10*flowPrice0 + flowShipping + 3*flowPrice1 + 5*flowPrice2)
	doc = f.buyer.Page(t, f.quote, http.StatusOK)
	main := doc.Find("main").Text()
	for _, want := range []string{"견적서 r2", kr.Won(total), "대형 현수막 제작", "현수막 장비가 없습니다", "청소 용역"} {
		if !strings.Contains(main, want) {
			t.Errorf("the quote page lacks %q", want)
		}
	}
	_, doc, _ = f.buyer.Post(t, f.quote+"/accept", form(t, f.buyer, f.quote, url.Values{"revision": {"1"}, "terms": {"invoice"}}), http.StatusConflict)
	if msg := doc.Find(`[role="alert"]`).Text(); !strings.Contains(msg, "r2") {
		t.Errorf("accepting r1 after r2: %q", msg)
	}
	loc, _, _ = f.buyer.Post(t, f.quote+"/accept", form(t, f.buyer, f.quote, url.Values{"revision": {"2"}, "terms": {"invoice"}}), http.StatusSeeOther)
	if loc != f.quote+"?done=quote_accepted" {
		t.Fatalf("accepted to %q", loc)
	}
	var number string
	if err := e.Pool.QueryRow(ctx, `SELECT number FROM orders WHERE quote_id = $1`, qid).Scan(&number); err != nil {
		t.Fatalf("the accepted quote's order: %v", err)
	}
	if f.o, err = e.Orders.FindOrder(ctx, number); err != nil {
		t.Fatal(err)
	}
	if len(f.o.SubOrders) != 3 || f.o.Total != total || f.o.Terms != order.TermsInvoice || f.o.Status != order.Confirmed {
		t.Fatalf("order: %d sub-orders, total %d (want %d), %s/%s", len(f.o.SubOrders), f.o.Total, total, f.o.Terms, f.o.Status)
	}
	for i, so := range f.o.SubOrders {
		l := so.Lines[0]
		if so.EnterpriseID != ents[i] || len(so.Lines) != 1 || l.ProductID != f.products[i] ||
			l.UnitPrice != [3]int64{flowPrice0, flowPrice1, flowPrice2}[i] || l.EnterpriseName != f.names[i] {
			t.Errorf("part %d: enterprise %d, line %+v", i, so.EnterpriseID, l)
		}
	}
	if l := f.o.SubOrders[2].Lines[0]; l.Name != "청소 용역" || l.Kind != "service" || l.Quantity != 5 {
		t.Errorf("the free-text line as ordered: %q %s × %d", l.Name, l.Kind, l.Quantity)
	}

	// Each enterprise accepts and ships its part on the portal.
	for i, so := range f.o.SubOrders {
		part := "/portal/orders/" + id(so.ID)
		members[i].Post(t, part+"/accept", url.Values{"_csrf": {members[i].CSRF(t, part)}}, http.StatusSeeOther)
		members[i].Post(t, part+"/ship", url.Values{"_csrf": {members[i].CSRF(t, part)}, "courier": {"cj"},
			"tracking_number": {"12345678901" + strconv.Itoa(i)}}, http.StatusSeeOther)
	}
	f.members = members
	return f
}

func today() string { return time.Now().In(kr.Seoul()).Format(time.DateOnly) }

// TestPublicOrderFlow is issue 10's whole flow (newPublicFlow: request →
// consortium quote from 3 enterprises with a line nobody supplies →
// revision → acceptance → invoice order of 3 sub-orders → shipped), then
// on /biz: the list, the parts with their 검수 deadline
// (D-14), 검수 forms refused with Korean messages and kept, one partial
// and two passed 검수, the operator's transfer, and the 거래명세서 and
// 청구서 (pdftotext finds the names and figures), the 우선구매 report
// matching the 검수 to the won (page and CSV), the enterprise dashboard
// counting the invoice part, and a guest-style cancel refused; a buyer of
// another institution gets 404 on every address of the order.
func TestPublicOrderFlow(t *testing.T) {
	f := newPublicFlow(t)
	e, o := f.e, f.o
	orderURL := "/biz/orders/" + o.Number

	doc := f.buyer.Page(t, "/biz/orders", http.StatusOK)
	if doc.Find(`a[href="`+orderURL+`"]`).Length() != 1 || !strings.Contains(doc.Find("main").Text(), "미입금") {
		t.Errorf("order list: %s", doc.Find("main").Text())
	}
	doc = f.buyer.Page(t, orderURL, http.StatusOK)
	if n := doc.Find("form.inspect-form").Length(); n != 3 {
		t.Errorf("%d 검수 forms, want one per shipped part", n)
	}
	if !strings.Contains(doc.Find("#part-"+strconv.FormatInt(o.SubOrders[0].ID, 10)).Text(), "D-14") {
		t.Errorf("no D-14 countdown: %s", doc.Find("main").Text())
	}

	other := e.Institution(t, "경상북도 다른청")
	ob := e.Shopper()
	ob.SignIn(t, other.Buyer, webtest.Password)
	for _, p := range []string{orderURL, orderURL + "/statement", orderURL + "/statement.pdf", orderURL + "/invoice", orderURL + "/invoice.pdf"} {
		if resp, _ := ob.Do(t, http.MethodGet, p, "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another institution's buyer GET %s: %d, want 404", p, resp.StatusCode)
		}
	}

	part := func(i int) (string, *order.SubOrder) {
		so := o.SubOrders[i]
		return orderURL + "/parts/" + strconv.FormatInt(so.ID, 10) + "/inspect", so
	}
	action, so := part(0)
	line := strconv.FormatInt(so.Lines[0].ID, 10)
	tomorrow := time.Now().In(kr.Seoul()).AddDate(0, 0, 1).Format(time.DateOnly)
	for _, c := range []struct {
		name  string
		v     url.Values
		field string // the error's element id prefix
		msg   string
	}{
		{"a date in the future", url.Values{"date": {tomorrow}, "inspector": {"김검수"}, "result": {"pass"}}, "d-", "오늘이나 그 이전"},
		{"no inspector", url.Values{"date": {today()}, "inspector": {""}, "result": {"pass"}}, "n-", "검수자 이름"},
		{"reject without a reason", url.Values{"date": {today()}, "inspector": {"김검수"}, "result": {"reject"}}, "s-", "사유를 입력"},
		{"partial with nothing accepted", url.Values{"date": {today()}, "inspector": {"김검수"}, "result": {"partial"},
			"reason": {"파손"}, "accepted_" + line: {"0"}}, "a-", "한 개 이상"},
	} {
		c.v.Set("_csrf", f.buyer.CSRF(t, orderURL))
		_, doc, _ := f.buyer.Post(t, action, c.v, http.StatusUnprocessableEntity)
		id := "#" + c.field + strconv.FormatInt(so.ID, 10) + "-error"
		if msg := doc.Find(id).Text(); !strings.Contains(msg, c.msg) {
			t.Errorf("%s: error %s = %q, want %q", c.name, id, msg, c.msg)
		}
		form := doc.Find(`form[action="` + action + `"]`)
		if got := form.Find(`input[name="inspector"]`).AttrOr("value", "?"); got != c.v.Get("inspector") {
			t.Errorf("%s: inspector kept as %q", c.name, got)
		}
		if got := form.Find(`input[name="result"][checked]`).AttrOr("value", ""); got != c.v.Get("result") {
			t.Errorf("%s: result kept as %q", c.name, got)
		}
	}
	var n int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM inspections`).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused 검수 wrote %d rows (%v)", n, err)
	}

	// Part 1 partly accepted (8 of 10), parts 2 and 3 passed.
	v := url.Values{"date": {today()}, "inspector": {"김검수"}, "result": {"partial"}, "reason": {"2개 파손"}, "accepted_" + line: {"8"}}
	v.Set("_csrf", f.buyer.CSRF(t, orderURL))
	if loc, _, _ := f.buyer.Post(t, action, v, http.StatusSeeOther); !strings.HasPrefix(loc, orderURL+"?done=inspected") {
		t.Errorf("after 검수: %q", loc)
	}
	for _, i := range []int{1, 2} {
		action, _ := part(i)
		v := url.Values{"date": {today()}, "inspector": {"이검수"}, "result": {"pass"}, "_csrf": {f.buyer.CSRF(t, orderURL)}}
		f.buyer.Post(t, action, v, http.StatusSeeOther)
	}
	claimed := int64(8*12_345 + 3_000 + 3*30_001 + 5*9_900)

	// The operator records a transfer of part of it.
	op := e.Shopper()
	op.SignIn(t, e.Operator(t), webtest.Password)
	adminURL := "/admin/invoices/" + strconv.FormatInt(o.ID, 10)
	op.Post(t, adminURL+"/transfers", url.Values{"_csrf": {op.CSRF(t, adminURL)}, "date": {today()}, "amount": {"100,000"},
		"payer": {"수성구청"}}, http.StatusSeeOther)

	doc = f.buyer.Page(t, orderURL, http.StatusOK)
	main := doc.Find("main").Text()
	for _, want := range []string{"부분 합격", "부분 입금", kr.Won(claimed), kr.Won(claimed - 100_000), "508-10-123456-7"} {
		if !strings.Contains(main, want) {
			t.Errorf("order page lacks %q", want)
		}
	}
	if doc.Find("form.inspect-form").Length() != 0 {
		t.Error("a 검수 form is still offered after every part passed")
	}

	doc = f.buyer.Page(t, orderURL+"/statement", http.StatusOK)
	if s := doc.Text(); !strings.Contains(s, "거래명세서") || !strings.Contains(s, f.names[0]) {
		t.Errorf("statement page lacks its title or the first enterprise")
	}
	text := pdfText(t, f.buyer, orderURL+"/statement.pdf")
	for _, want := range []string{"거래명세서", "두레 사회적협동조합", "대구광역시 수성구청", f.names[0], f.names[1], f.names[2],
		kr.Comma(claimed), kr.Comma(8 * 12_345), "청소 용역"} {
		if !strings.Contains(text, want) {
			t.Errorf("statement PDF lacks %q", want)
		}
	}
	text = pdfText(t, f.buyer, orderURL+"/invoice.pdf")
	for _, want := range []string{"청구서", "508-10-123456-7", kr.Comma(claimed), kr.Comma(claimed - 100_000)} {
		if !strings.Contains(text, want) {
			t.Errorf("invoice PDF lacks %q", want)
		}
	}
	// The enterprise's own part, and the operator's tax-invoice data.
	ent := e.Shopper()
	ent.SignIn(t, e.Member(t, so.EnterpriseID, account.Staff), webtest.Password)
	text = pdfText(t, ent, "/portal/orders/"+strconv.FormatInt(so.ID, 10)+"/statement.pdf")
	if !strings.Contains(text, f.names[0]) || strings.Contains(text, f.names[1]) || !strings.Contains(text, kr.Comma(8*12_345+3_000)) {
		t.Errorf("the enterprise's statement is not its own part alone:\n%s", text)
	}
	resp, body := op.Do(t, http.MethodGet, "/admin/taxinvoices.csv?from="+today()+"&to="+today(), "", nil)
	if resp.StatusCode != http.StatusOK || strings.Count(body, "\r\n") < 2 || !strings.Contains(body, f.names[0]) {
		t.Errorf("tax invoice CSV %d:\n%s", resp.StatusCode, webtest.Truncate(body, 500))
	}
	resp, _ = op.Do(t, http.MethodGet, "/admin/taxinvoices.csv?from="+today()+"&to=2020-01-01", "", nil)
	if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a reversed period: %d", resp.StatusCode)
	}

	// The 우선구매 report counts what passed 검수 (8 of the first part's
	// 10), without shipping, to the won, on the page and in the CSV.
	counted := [3]int64{8 * flowPrice0, 3 * flowPrice1, 5 * flowPrice2}
	report := "/biz/reports?kind=range&from=" + today() + "&to=" + today()
	doc = f.buyer.Page(t, report, http.StatusOK)
	if got, want := doc.Find(`[data-figure="amount"]`).Text(), kr.Won(counted[0]+counted[1]+counted[2]); got != want {
		t.Errorf("report amount %q, want %s", got, want)
	}
	if got := doc.Find(`[data-figure="orders"]`).Text(); got != "1건" {
		t.Errorf("report orders %q, want 1건", got)
	}
	tables := pageTables(doc)
	byEnt := map[string]string{}
	for _, row := range tables["enterprise"] {
		byEnt[row[0]] = strings.Join(row[1:], ",")
	}
	for i, name := range f.names {
		if !strings.Contains(","+byEnt[name]+",", ","+strconv.FormatInt(counted[i], 10)+",") {
			t.Errorf("report row of %s: %q, want %d", name, byEnt[name], counted[i])
		}
	}
	resp, body = f.buyer.Do(t, http.MethodGet, strings.Replace(report, "reports?", "reports.csv?", 1), "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report CSV: %d", resp.StatusCode)
	}
	sameTables(t, "report CSV", tables, csvTables(t, []byte(body)))

	// The second enterprise's dashboard counts its invoice part today.
	dash := f.members[1].Page(t, "/portal", http.StatusOK)
	if cur := dash.Find(".sales-table").First().Find("tbody tr.current").Text(); !strings.Contains(cur, kr.Won(o.SubOrders[1].Total)) ||
		!strings.Contains(cur, "1건") {
		t.Errorf("dashboard today %q, want %s in 1 order", cur, kr.Won(o.SubOrders[1].Total))
	}

	// A guest-style cancel with the order number and the phone is refused
	// for an institution's order, in Korean, and cancels nothing.
	guest := e.Shopper()
	v = url.Values{"_csrf": {guest.CSRF(t, "/orders/lookup")}, "number": {o.Number}, "phone": {"053-803-0114"}}
	if loc, _, _ := guest.Post(t, "/orders/lookup", v, http.StatusSeeOther); loc != "/orders/"+o.Number {
		t.Fatalf("lookup went to %q", loc)
	}
	v = url.Values{"_csrf": {guest.CSRF(t, "/orders/lookup")}, "phone": {"053-803-0114"}}
	_, doc, _ = guest.Post(t, "/orders/"+o.Number+"/cancel", v, http.StatusUnprocessableEntity)
	if msg := doc.Find(".notice-warn, [role=alert]").Text(); !strings.Contains(msg, "기관 주문") {
		t.Errorf("guest cancel of an invoice order: %q", msg)
	}
	var status string
	if err := e.Pool.QueryRow(context.Background(), `SELECT status FROM orders WHERE id = $1`, o.ID).Scan(&status); err != nil || status == "cancelled" {
		t.Errorf("order status after a refused cancel: %s %v", status, err)
	}
}

// pdfText downloads a PDF as b and returns pdftotext's text of it.
func pdfText(t *testing.T, b *webtest.Shopper, path string) string {
	t.Helper()
	resp, body := b.Do(t, http.MethodGet, path, "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, webtest.Truncate(body, 300))
	}
	name := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", name, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (poppler-utils: scripts/docs-deps)", err)
	}
	return string(out)
}

// TestPayCardOrder: a quote accepted on card terms makes an order awaiting
// payment; its /biz page offers the card payment, the payment page (the
// shop's payment path, here stripe-mock's test card) pays it, and the
// order is paid with its payment succeeded; axe-core finds nothing
// serious on the order and payment pages at 1280 and 390 px. Another institution's buyer
// gets 404 on the payment page and cannot pay; a paid order's payment
// page goes back to the order.
func TestPayCardOrder(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	inst := e.Institution(t, "대구광역시 카드구청")
	ents := e.Enterprises(t, 1)
	p := goods(t, e, ents[0])
	day := quote.Today(time.Now()).AddDate(0, 0, 5)
	r, err := e.Quotes.CreateRequest(e.Actor(t, inst.Buyer), quote.RequestInput{DesiredDate: day,
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88"}, Lines: []quote.LineInput{{ProductID: p, Quantity: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	member := e.Actor(t, e.Member(t, ents[0], account.Owner))
	if err := e.Quotes.AnswerLines(member, r.ID, []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 25_000, AvailableDate: day}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Quotes.SendRevision(member, r.ID, quote.RevisionInput{DeliveryDate: day, ValidUntil: day,
		Shipping: map[int64]int64{ents[0]: 3_000}}); err != nil {
		t.Fatal(err)
	}
	b := e.Shopper()
	b.SignIn(t, inst.Buyer, webtest.Password)
	page := "/biz/quotes/" + strconv.FormatInt(r.ID, 10)
	b.Post(t, page+"/accept", form(t, b, page, url.Values{"revision": {"1"}, "terms": {"card"}}), http.StatusSeeOther)
	var number string
	if err := e.Pool.QueryRow(ctx, `SELECT number FROM orders WHERE quote_id = $1 AND payment_terms = 'card' AND status = 'pending_payment'`,
		r.ID).Scan(&number); err != nil {
		t.Fatalf("the card order: %v", err)
	}
	orderPage := "/biz/orders/" + number
	doc := b.Page(t, orderPage, http.StatusOK)
	if doc.Find(`a[href="`+orderPage+`/pay"]`).Length() != 1 {
		t.Fatalf("no payment link on %s", orderPage)
	}

	other := e.Shopper()
	other.SignIn(t, e.Institution(t, "경상북도 남의청").Buyer, webtest.Password)
	if resp, _ := other.Do(t, http.MethodGet, orderPage+"/pay", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another institution's buyer GET pay: %d", resp.StatusCode)
	}
	other.Post(t, orderPage+"/pay/test", url.Values{"_csrf": {other.CSRF(t, "/biz/orders")}}, http.StatusNotFound)

	// axe-core on the order awaiting payment and its payment page.
	br := browser.New(t, e)
	br.SignIn(inst.Buyer, webtest.Password)
	for _, p := range []string{orderPage, orderPage + "/pay"} {
		br.CheckAxe(t, p)
		br.CheckFocus(t, p)
	}

	doc = b.Page(t, orderPage+"/pay", http.StatusOK)
	box := doc.Find(".pay-box")
	if !strings.Contains(box.Text(), kr.Won(4*25_000+3_000)) || box.Find(`form[action="`+orderPage+`/pay/test"]`).Length() != 1 {
		t.Fatalf("payment page: %s", box.Text())
	}
	loc, _, _ := b.Post(t, orderPage+"/pay/test", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}}, http.StatusSeeOther)
	if loc != orderPage+"?done=paid" {
		t.Errorf("after paying: %q", loc)
	}
	var status, payment string
	if err := e.Pool.QueryRow(ctx, `SELECT o.status, p.status FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.number = $1`,
		number).Scan(&status, &payment); err != nil || status != "paid" || payment != "succeeded" {
		t.Errorf("after paying: order %s, payment %s (%v)", status, payment, err)
	}
	if !strings.Contains(b.Page(t, loc, http.StatusOK).Find("main").Text(), "카드 결제를 마쳤습니다") {
		t.Error("no notice after paying")
	}
	if resp, _ := b.Do(t, http.MethodGet, orderPage+"/pay", "", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the payment page of a paid order: %d, want 303 to the order", resp.StatusCode)
	}
}
