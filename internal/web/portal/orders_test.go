package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// shop is one test's app with two enterprises that sell goods: A and B,
// each with one in-stock product without options.
type shop struct {
	e            *webtest.Env
	a, b         int64 // enterprises
	pa, pb       int64 // their products
	paName       string
	aName, bName string
}

// newShop picks two active enterprises with a goods product each and sets
// those products' stock to 20.
func newShop(t *testing.T) *shop {
	t.Helper()
	s := &shop{e: webtest.NewEnv(t)}
	ctx := context.Background()
	pick := func(skip int64) (ent, product int64, name, entName string) {
		err := s.e.Pool.QueryRow(ctx, `SELECT p.enterprise_id, p.id, p.name, e.name FROM products p JOIN enterprises e ON e.id = p.enterprise_id
			WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.enterprise_id <> $1
			  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
			ORDER BY p.enterprise_id, p.id LIMIT 1`, skip).Scan(&ent, &product, &name, &entName)
		if err != nil {
			t.Fatalf("no goods product: %v", err)
		}
		if _, err := s.e.Pool.Exec(ctx, `UPDATE products SET stock = 20 WHERE id = $1`, product); err != nil {
			t.Fatal(err)
		}
		return ent, product, name, entName
	}
	s.a, s.pa, s.paName, s.aName = pick(0)
	s.b, s.pb, _, s.bName = pick(s.a)
	return s
}

func (s *shop) count(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.e.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (s *shop) stock(t *testing.T, product int64) int64 {
	return s.count(t, `SELECT stock FROM products WHERE id = $1`, product)
}

// signedIn is a browser signed in as a new member of ent with role.
func (s *shop) signedIn(t *testing.T, ent int64, role account.MemberRole) *webtest.Shopper {
	t.Helper()
	b := s.e.Shopper()
	b.SignIn(t, s.e.Member(t, ent, role), webtest.Password)
	return b
}

// buy orders quantity of each product in a new browser, pays with the
// test card, and returns the buyer's browser and the order number.
func (s *shop) buy(t *testing.T, quantity map[int64]int) (*webtest.Shopper, string) {
	t.Helper()
	b := s.e.Shopper()
	for p, q := range quantity {
		doc := b.Page(t, "/p/"+strconv.FormatInt(p, 10), http.StatusOK)
		b.Post(t, "/cart/items", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "product_id": {strconv.FormatInt(p, 10)},
			"quantity": {strconv.Itoa(q)}}, http.StatusSeeOther)
	}
	doc := b.Page(t, "/checkout", http.StatusOK)
	v := url.Values{}
	doc.Find(`form.checkout-form input[type="hidden"]`).Each(func(_ int, h *goquery.Selection) {
		v.Set(h.AttrOr("name", ""), h.AttrOr("value", ""))
	})
	for k, val := range map[string]string{"buyer_name": "김두레", "buyer_phone": "01012345678", "buyer_email": "buyer@dure.test",
		"recipient": "박수령", "phone": "01022223333", "postcode": "41940", "road": "대구광역시 중구 동덕로 115",
		"detail": "3층", "memo": "문 앞에 놓아 주세요", "agree_terms": "1", "agree_privacy": "1"} {
		v.Set(k, val)
	}
	loc, _, _ := b.Post(t, "/checkout", v, http.StatusSeeOther)
	number := strings.TrimSuffix(strings.TrimPrefix(loc, "/orders/"), "/pay")
	pay := b.Page(t, loc, http.StatusOK)
	if done, _, _ := b.Post(t, "/orders/"+number+"/pay/test", url.Values{"_csrf": {webtest.CSRFOf(t, pay)}}, http.StatusSeeOther); done != "/orders/"+number+"/complete" {
		t.Fatalf("the test card went to %q", done)
	}
	return b, number
}

// part is the id and total of enterprise ent's part of order number.
func (s *shop) part(t *testing.T, number string, ent int64) (id, total int64) {
	t.Helper()
	err := s.e.Pool.QueryRow(context.Background(), `SELECT s.id, s.total FROM sub_orders s JOIN orders o ON o.id = s.order_id
		WHERE o.number = $1 AND s.enterprise_id = $2`, number, ent).Scan(&id, &total)
	if err != nil {
		t.Fatalf("part of %s for %d: %v", number, ent, err)
	}
	return id, total
}

func (s *shop) partStatus(t *testing.T, id int64) string {
	t.Helper()
	var st string
	if err := s.e.Pool.QueryRow(context.Background(), `SELECT status FROM sub_orders WHERE id = $1`, id).Scan(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// submit posts the form of doc matched by sel as a browser would (its
// hidden fields, set by fields), and checks the status.
func submit(t *testing.T, b *webtest.Shopper, doc *goquery.Document, sel string, fields url.Values, status int) (string, *goquery.Document) {
	t.Helper()
	form := doc.Find(sel)
	if form.Length() != 1 {
		t.Fatalf("%d forms %s on the page", form.Length(), sel)
	}
	v := url.Values{}
	form.Find(`input[type="hidden"]`).Each(func(_ int, h *goquery.Selection) {
		v.Set(h.AttrOr("name", ""), h.AttrOr("value", ""))
	})
	for k, vals := range fields {
		v[k] = vals
	}
	loc, d, _ := b.Post(t, form.AttrOr("action", ""), v, status)
	return loc, d
}

// tiedError returns the message tied to field #id by aria-describedby,
// checking the field says it is invalid.
func tiedError(t *testing.T, doc *goquery.Document, id string) string {
	t.Helper()
	f := doc.Find("#" + id)
	if f.Length() != 1 {
		t.Fatalf("no field #%s", id)
	}
	if f.AttrOr("aria-invalid", "") != "true" {
		t.Errorf("#%s is not aria-invalid", id)
	}
	for _, ref := range strings.Fields(f.AttrOr("aria-describedby", "")) {
		if m := doc.Find("#" + ref + ".field-error"); m.Length() == 1 {
			return strings.TrimSpace(m.Text())
		}
	}
	t.Errorf("#%s: no error message tied by aria-describedby", id)
	return ""
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// TestOrderFulfilment: an order with parts from A and B; a member of A
// accepts, ships with a tracking number and marks A's part delivered, each
// button pressed twice without a second effect; the buyer's page shows A's
// part on its way with the courier and a tracking link, B's untouched.
func TestOrderFulfilment(t *testing.T) {
	s := newShop(t)
	buyer, number := s.buy(t, map[int64]int{s.pa: 2, s.pb: 1})
	partA, totalA := s.part(t, number, s.a)
	partB, _ := s.part(t, number, s.b)
	m := s.signedIn(t, s.a, account.Staff)

	// The list: A's part only, waiting.
	list := m.Page(t, "/portal/orders?status=waiting", http.StatusOK)
	row := list.Find(".orders-table tbody tr").FilterFunction(func(_ int, r *goquery.Selection) bool {
		return strings.Contains(r.Text(), number)
	})
	if row.Length() != 1 {
		t.Fatalf("%d rows of %s in A's waiting list", row.Length(), number)
	}
	link := row.Find("a").AttrOr("href", "")
	if link != fmt.Sprintf("/portal/orders/%d", partA) {
		t.Errorf("the row links to %q", link)
	}
	if got := text(row); !strings.Contains(got, s.paName) || !strings.Contains(got, kr.Won(totalA)) || !strings.Contains(got, "할 일: 주문 접수") {
		t.Errorf("row %q", got)
	}
	if strings.Contains(list.Find("main").Text(), fmt.Sprintf("/portal/orders/%d", partB)) {
		t.Error("B's part is in A's list")
	}
	if cur := text(list.Find(`.status-tabs a[aria-current="page"]`)); !strings.HasPrefix(cur, "처리 대기") {
		t.Errorf("current tab %q", cur)
	}

	// The detail: buyer, recipient, address, phone numbers formatted.
	doc := m.Page(t, link, http.StatusOK)
	main := text(doc.Find("main"))
	for _, want := range []string{"김두레", "010-1234-5678", "박수령", "010-2222-3333", "41940", "대구광역시 중구 동덕로 115 3층",
		"문 앞에 놓아 주세요", s.paName, kr.Won(totalA)} {
		if !strings.Contains(main, want) {
			t.Errorf("the order page lacks %q", want)
		}
	}
	if doc.Find("#o-courier").Length() != 0 {
		t.Error("the ship form is offered before the order is accepted")
	}

	// 주문 접수, twice.
	loc, _ := submit(t, m, doc, `form[action$="/accept"]`, nil, http.StatusSeeOther)
	doc = m.Page(t, loc, http.StatusOK)
	if !strings.Contains(doc.Find(".notice-ok").Text(), "주문을 접수했습니다") || s.partStatus(t, partA) != "accepted" {
		t.Errorf("after accept: notice %q, status %s", doc.Find(".notice-ok").Text(), s.partStatus(t, partA))
	}
	_, again, _ := m.Post(t, link+"/accept", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}}, http.StatusConflict)
	if !strings.Contains(again.Find(".notice-warn").Text(), "이미 '주문 접수' 상태인 주문입니다") {
		t.Errorf("accept twice: %q", again.Find(".notice-warn").Text())
	}

	// 발송 처리: wrong first (every error beside its field, input kept), then right.
	_, bad := submit(t, m, doc, `form.ship-form`, url.Values{"courier": {""}, "tracking_number": {"12-34"}}, http.StatusUnprocessableEntity)
	if msg := tiedError(t, bad, "o-courier"); !strings.Contains(msg, "택배사") {
		t.Errorf("courier error %q", msg)
	}
	if msg := tiedError(t, bad, "o-tracking"); !strings.Contains(msg, "8~20자리") {
		t.Errorf("tracking error %q", msg)
	}
	if v := bad.Find("#o-tracking").AttrOr("value", ""); v != "12-34" {
		t.Errorf("tracking number kept as %q", v)
	}
	ship := url.Values{"courier": {"cj"}, "tracking_number": {"6012-3456-7890"}}
	loc, _ = submit(t, m, bad, `form.ship-form`, ship, http.StatusSeeOther)
	doc = m.Page(t, loc, http.StatusOK)
	track := doc.Find(`.tracking a[href]`)
	if href := track.AttrOr("href", ""); !strings.Contains(href, "cjlogistics.com") || !strings.Contains(href, "601234567890") {
		t.Errorf("tracking link %q", href)
	}
	if !strings.Contains(text(doc.Find("main")), "CJ대한통운") || s.partStatus(t, partA) != "shipped" {
		t.Error("the page does not say the part left with CJ대한통운")
	}
	// The same shipment again changes nothing.
	submit(t, m, doc, `form.ship-form`, ship, http.StatusSeeOther)
	if n := s.count(t, `SELECT count(*) FROM order_events WHERE sub_order_id = $1 AND to_status = 'shipped'`, partA); n != 1 {
		t.Errorf("%d shipped events after the same shipment twice", n)
	}

	// The buyer sees A's part on its way, B's as it was.
	page := buyer.Page(t, "/orders/"+number, http.StatusOK)
	var partsA, partsB *goquery.Selection
	page.Find(".order-part").Each(func(_ int, p *goquery.Selection) {
		switch strings.TrimSpace(p.Find("h3").Contents().First().Text()) {
		case s.aName:
			partsA = p
		case s.bName:
			partsB = p
		}
	})
	if partsA == nil || partsB == nil {
		t.Fatalf("the buyer's page has no part of A or B: %q", text(page.Find(".order-part")))
	}
	if got := text(partsA); !strings.Contains(got, "배송 중") || !strings.Contains(got, "CJ대한통운") || !strings.Contains(got, "601234567890") {
		t.Errorf("A's part on the buyer's page: %q", got)
	}
	if href := partsA.Find("a.tracking-link").AttrOr("href", ""); !strings.Contains(href, "601234567890") {
		t.Errorf("A's part tracking link %q", href)
	}
	if got := text(partsB.Find(".status")); got != "결제 완료" || partsB.Find("a.tracking-link").Length() != 0 {
		t.Errorf("B's part on the buyer's page: %q", got)
	}

	// 배송 완료, twice.
	loc, _ = submit(t, m, doc, `form[action$="/deliver"]`, nil, http.StatusSeeOther)
	doc = m.Page(t, loc, http.StatusOK)
	if s.partStatus(t, partA) != "delivered" || !strings.Contains(doc.Find(".notice-ok").Text(), "배송 완료") {
		t.Errorf("after deliver: %s", s.partStatus(t, partA))
	}
	if doc.Find(`form[action$="/deliver"], form.ship-form, a[href$="/cancel"]`).Length() != 0 {
		t.Error("a delivered part still offers actions")
	}
	_, again, _ = m.Post(t, link+"/deliver", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}}, http.StatusConflict)
	if !strings.Contains(again.Find(".notice-warn").Text(), "이미 '배송 완료' 상태인 주문입니다") {
		t.Errorf("deliver twice: %q", again.Find(".notice-warn").Text())
	}
	if n := doc.Find(".timeline li").Length(); n < 4 {
		t.Errorf("timeline has %d entries, want paid, accepted, shipped, delivered", n)
	}
	if got := text(buyer.Page(t, "/orders/"+number, http.StatusOK).Find(".order-part .status")); !strings.Contains(got, "배송 완료") {
		t.Errorf("the buyer's statuses %q", got)
	}
	if s.partStatus(t, partB) != "paid" {
		t.Errorf("B's part is %s", s.partStatus(t, partB))
	}
}

// TestOrderPartCancel: a member of A cancels A's part of an order with a
// reason: that part alone is refunded and its stock returned, once, even
// when the form is sent twice; B's part stays.
func TestOrderPartCancel(t *testing.T) {
	s := newShop(t)
	buyer, number := s.buy(t, map[int64]int{s.pa: 3, s.pb: 1})
	partA, totalA := s.part(t, number, s.a)
	partB, _ := s.part(t, number, s.b)
	if st := s.stock(t, s.pa); st != 17 {
		t.Fatalf("stock after the order %d, want 17", st)
	}
	m := s.signedIn(t, s.a, account.Owner)
	page := fmt.Sprintf("/portal/orders/%d", partA)

	doc := m.Page(t, page, http.StatusOK)
	if doc.Find(`a[href="`+page+`/cancel"]`).Length() != 1 {
		t.Fatal("no 부분 취소 link on a paid part")
	}
	form := m.Page(t, page+"/cancel", http.StatusOK)
	if got := text(form.Find("main")); !strings.Contains(got, kr.Won(totalA)) {
		t.Errorf("the cancel page does not say the refund %s: %q", kr.Won(totalA), got)
	}

	// No reason: refused beside the field, nothing done.
	_, bad := submit(t, m, form, `form[action="`+page+`/cancel"]`, url.Values{"reason": {"  "}}, http.StatusUnprocessableEntity)
	if msg := tiedError(t, bad, "c-reason"); !strings.Contains(msg, "취소 사유를 입력해 주세요") {
		t.Errorf("reason error %q", msg)
	}
	if s.partStatus(t, partA) != "paid" {
		t.Fatal("cancelled without a reason")
	}

	reason := url.Values{"reason": {"수확량이 모자라 보낼 수 없습니다"}}
	loc, _ := submit(t, m, form, `form[action="`+page+`/cancel"]`, reason, http.StatusSeeOther)
	doc = m.Page(t, loc, http.StatusOK)
	if got := doc.Find(".notice-ok").Text(); !strings.Contains(got, "환불 금액 "+kr.Won(totalA)) || !strings.Contains(got, "환불 완료") {
		t.Errorf("notice after cancel %q", got)
	}
	if got := text(doc.Find(".refund-amount")); !strings.Contains(got, kr.Won(totalA)) {
		t.Errorf("refund on the page %q", got)
	}

	// The same form again: the domain's conflict, shown; nothing twice.
	_, again := submit(t, m, form, `form[action="`+page+`/cancel"]`, reason, http.StatusConflict)
	if !strings.Contains(again.Find(".notice-warn").Text(), "이미 취소된 주문입니다") {
		t.Errorf("cancel twice: %q", again.Find(".notice-warn").Text())
	}
	if st := s.stock(t, s.pa); st != 20 {
		t.Errorf("stock %d after the cancel sent twice, want 20", st)
	}
	if n := s.count(t, `SELECT count(*) FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN orders o ON o.id = p.order_id
		WHERE o.number = $1`, number); n != 1 {
		t.Errorf("%d refunds, want 1", n)
	}
	if amt := s.count(t, `SELECT amount FROM refunds WHERE sub_order_id = $1`, partA); amt != totalA {
		t.Errorf("refund %d, want A's part %d", amt, totalA)
	}
	if s.partStatus(t, partB) != "paid" || s.count(t, `SELECT count(*) FROM orders WHERE number = $1 AND status = 'paid'`, number) != 1 {
		t.Error("B's part or the order changed")
	}
	if st := s.stock(t, s.pb); st != 19 {
		t.Errorf("B's stock %d, want 19", st)
	}

	// The buyer's page says so.
	parts := text(buyer.Page(t, "/orders/"+number, http.StatusOK).Find(".order-part"))
	if !strings.Contains(parts, "취소됨") || !strings.Contains(parts, "수확량이 모자라") || !strings.Contains(parts, "환불 "+kr.Won(totalA)) {
		t.Errorf("the buyer's parts %q", parts)
	}
}

// TestOrdersOfAnotherEnterprise: a member of B guessing the id of A's part
// gets 404 from every page and button, and A's part does not change.
func TestOrdersOfAnotherEnterprise(t *testing.T) {
	s := newShop(t)
	_, number := s.buy(t, map[int64]int{s.pa: 1, s.pb: 1})
	partA, _ := s.part(t, number, s.a)
	partB, _ := s.part(t, number, s.b)
	mb := s.signedIn(t, s.b, account.Owner)
	own := mb.Page(t, fmt.Sprintf("/portal/orders/%d", partB), http.StatusOK)
	tok := webtest.CSRFOf(t, own)

	for _, id := range []int64{partA, 987654321} {
		base := fmt.Sprintf("/portal/orders/%d", id)
		for _, p := range []string{base, base + "/cancel"} {
			if doc := mb.Page(t, p, http.StatusNotFound); !strings.Contains(doc.Find("main").Text(), "주문을 찾을 수 없습니다") {
				t.Errorf("GET %s: %q", p, text(doc.Find("main")))
			}
		}
		for p, form := range map[string]url.Values{
			base + "/accept":  {},
			base + "/ship":    {"courier": {"cj"}, "tracking_number": {"601234567890"}},
			base + "/deliver": {},
			base + "/cancel":  {"reason": {"남의 주문"}},
		} {
			form.Set("_csrf", tok)
			mb.Post(t, p, form, http.StatusNotFound)
		}
	}
	if s.partStatus(t, partA) != "paid" {
		t.Errorf("A's part is %s after B's guesses", s.partStatus(t, partA))
	}
	list := mb.Page(t, "/portal/orders", http.StatusOK)
	if strings.Contains(list.Text(), s.paName) || list.Find(fmt.Sprintf(`a[href="/portal/orders/%d"]`, partA)).Length() != 0 {
		t.Error("B's list shows A's part")
	}
}

// TestDashboard: the sales of a known order by day and week, the best
// seller, the part waiting, and low stock.
func TestDashboard(t *testing.T) {
	s := newShop(t)
	_, number := s.buy(t, map[int64]int{s.pa: 2})
	partA, totalA := s.part(t, number, s.a)
	if _, err := s.e.Pool.Exec(context.Background(), `UPDATE products SET stock = 2 WHERE id = $1`, s.pa); err != nil {
		t.Fatal(err)
	}
	m := s.signedIn(t, s.a, account.Staff)
	doc := m.Page(t, "/portal", http.StatusOK)

	tables := doc.Find(".sales-table")
	if tables.Length() != 2 {
		t.Fatalf("%d sales tables, want days and weeks", tables.Length())
	}
	if n := tables.Eq(0).Find("tbody tr").Length(); n != 14 {
		t.Errorf("%d days", n)
	}
	if n := tables.Eq(1).Find("tbody tr").Length(); n != 8 {
		t.Errorf("%d weeks", n)
	}
	tables.Each(func(i int, tb *goquery.Selection) {
		cur := text(tb.Find("tbody tr.current"))
		if !strings.Contains(cur, kr.Won(totalA)) || !strings.Contains(cur, "1건") {
			t.Errorf("table %d, current row %q; want %s in 1 order", i, cur, kr.Won(totalA))
		}
		if tb.Find("tbody tr.current .bar.w20").Length() != 1 {
			t.Errorf("table %d: the only sale's bar is not the full width", i)
		}
		if th := tb.Find("thead th"); th.Length() != 3 || th.First().AttrOr("scope", "") != "col" {
			t.Errorf("table %d has no column headers", i)
		}
	})
	if !strings.Contains(text(doc.Find("main")), "14일 합계 "+kr.Won(totalA)) {
		t.Error("no 14-day total")
	}
	if top := text(doc.Find("#top-h").Parent()); !strings.Contains(top, s.paName) || !strings.Contains(top, "2개") {
		t.Errorf("top products %q", top)
	}
	if doc.Find(fmt.Sprintf(`#wait-h ~ .table-wrap a[href="/portal/orders/%d"]`, partA)).Length() != 1 {
		t.Error("the waiting part is not linked")
	}
	if got := text(doc.Find(`a[href="/portal/orders?status=paid"]`)); got != "접수 전 1건" {
		t.Errorf("waiting count %q", got)
	}
	low := doc.Find(".low-list li").FilterFunction(func(_ int, li *goquery.Selection) bool {
		return strings.Contains(li.Text(), s.paName)
	})
	if low.Length() != 1 || !strings.Contains(low.Text(), "2개 남음") ||
		low.Find("a").AttrOr("href", "") != fmt.Sprintf("/portal/products/%d/edit", s.pa) {
		t.Errorf("low stock %q", text(doc.Find(".low-list")))
	}
	if doc.Find(`a[href="/portal/stock"]`).Length() == 0 {
		t.Error("no link to the stock screen")
	}
}
