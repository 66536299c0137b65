package shop_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestLegalFooterAndDocuments: the footer carries the co-op's business
// details and the intermediary notice from /admin/settings, and links the
// terms and the privacy policy, whose versions are pages of their own.
func TestLegalFooterAndDocuments(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	// Before any page is shown (the footer is cached for 30 s).
	if _, err := e.Pool.Exec(ctx, `UPDATE coop_settings SET name = '두레 사회적협동조합', representative = '김두레',
		business_number = '1208147521', mail_order_number = '제2026-대구중구-0123호', address = '대구광역시 중구 동덕로 115',
		phone = '053-123-4567', email = 'hello@dure.test', hosting_provider = '두레 클라우드', intermediary = true`); err != nil {
		t.Fatal(err)
	}
	doc := e.Page(t, "/", http.StatusOK)
	footer := doc.Find("footer.site-footer").Text()
	for _, want := range []string{"두레 사회적협동조합", "대표자 김두레", "사업자등록번호 120-81-47521",
		"통신판매업 신고번호 제2026-대구중구-0123호", "주소 대구광역시 중구 동덕로 115", "053-123-4567", "hello@dure.test",
		"호스팅 제공자 두레 클라우드", "통신판매중개자이며 통신판매의 당사자가 아닙니다"} {
		if !strings.Contains(footer, want) {
			t.Errorf("footer lacks %q: %s", want, strings.Join(strings.Fields(footer), " "))
		}
	}
	if doc.Find(`footer a[href="/terms"]`).Length() != 1 || doc.Find(`footer a[href="/privacy"]`).Length() != 1 {
		t.Error("footer does not link the terms and the privacy policy")
	}

	terms := e.Page(t, "/terms", http.StatusOK)
	if h := terms.Find("h1").Text(); h != "이용약관" || !strings.Contains(terms.Find(".page-head").Text(), "제1판") ||
		!strings.Contains(terms.Find(".legal-text").Text(), "청약철회") {
		t.Errorf("/terms: %q %q", h, terms.Find(".page-head").Text())
	}
	privacy := e.Page(t, "/privacy", http.StatusOK)
	if !strings.Contains(privacy.Find(".legal-text").Text(), "보유 기간") {
		t.Error("/privacy lacks the retention period")
	}
	e.Page(t, "/terms?v=9", http.StatusNotFound)
	e.Page(t, "/terms?v=abc", http.StatusNotFound)

	// A new version: /terms shows it, ?v=1 the old one with a link back.
	docs := e.Documents
	if _, err := docs.Publish(ctx, coop.Terms, "새 약관"); err == nil {
		t.Error("a visitor published the terms")
	}
	if _, err := docs.Publish(e.Actor(t, e.Operator(t)), coop.Terms, "제1조 (목적) 바뀐 약관입니다."); err != nil {
		t.Fatal(err)
	}
	if s := e.Page(t, "/terms", http.StatusOK).Find(".page-head").Text(); !strings.Contains(s, "제2판") {
		t.Errorf("/terms after publishing: %q", s)
	}
	old := e.Page(t, "/terms?v=1", http.StatusOK)
	if !strings.Contains(old.Find(".page-head").Text(), "제1판") || old.Find(`.notice a[href="/terms"]`).Length() != 1 {
		t.Error("/terms?v=1 is not the first version with a link to the current one")
	}
	var audits int
	if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = $1 AND entity_id = 'terms:2'`,
		coop.ActionDocumentPublish).Scan(&audits); err != nil || audits != 1 {
		t.Errorf("publish audit records: %d (%v)", audits, err)
	}
}

// TestCheckoutConsents: the checkout asks for the two required consents
// (unticked) and the optional marketing one; without them nothing is
// ordered and the form comes back with Korean messages beside the boxes;
// with them the order records the versions shown and when.
func TestCheckoutConsents(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	pid, _ := e.Goods(t)
	b := e.Shopper()
	addToCart(t, b, pid, "1")
	doc := b.Page(t, "/checkout", http.StatusOK)
	for _, id := range []string{"agree_terms", "agree_privacy", "marketing", "same_as_buyer"} {
		box := doc.Find("#" + id)
		if box.Length() != 1 || box.AttrOr("type", "") != "checkbox" {
			t.Fatalf("no #%s checkbox", id)
		}
		if _, on := box.Attr("checked"); on {
			t.Errorf("#%s is ticked before the buyer ticks it", id)
		}
	}
	notice := doc.Find("#agree_privacy-desc").Text()
	for _, want := range []string{"수집 항목", "이용 목적", "보유 기간"} {
		if !strings.Contains(notice, want) {
			t.Errorf("the collection notice lacks %q: %q", want, notice)
		}
	}

	f := checkoutForm(t, doc, "41940")
	f.Del("agree_terms")
	f.Del("agree_privacy")
	f.Set("marketing", "1")
	f.Set("buyer_email", "hong@naver") // no domain: not an address
	_, d, _ := b.Post(t, "/checkout", f, http.StatusUnprocessableEntity)
	if msg := d.Find("#buyer_email-error").Text(); !strings.Contains(msg, "이메일 주소를 확인해 주세요") {
		t.Errorf("hong@naver: message %q", msg)
	}
	for _, id := range []string{"agree_terms", "agree_privacy"} {
		msg := d.Find("#" + id + "-error").Text()
		if !korean.MatchString(msg) || !strings.Contains(msg, "동의") {
			t.Errorf("%s: message %q", id, msg)
		}
		if d.Find("#"+id).AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s not marked invalid", id)
		}
	}
	if v := d.Find("#buyer_name").AttrOr("value", ""); v != "김두레" {
		t.Errorf("buyer name not kept: %q", v)
	}
	if _, on := d.Find("#marketing").Attr("checked"); !on {
		t.Error("the marketing box lost its tick")
	}
	if _, ok := d.Find("form.checkout-form").Attr("data-focus-error"); !ok {
		t.Error("the refused form does not ask for the focus on its first error")
	}
	if n := orderCount(t, e); n != 0 {
		t.Fatalf("%d orders without consent", n)
	}

	// A document id of the wrong kind (tampered) is no consent.
	f = checkoutForm(t, d, "41940")
	f.Set("terms_doc", f.Get("privacy_doc"))
	b.Post(t, "/checkout", f, http.StatusUnprocessableEntity)

	// 주문자 정보와 동일 without JavaScript: the server copies the buyer.
	f = checkoutForm(t, d, "41940")
	f.Set("recipient", "")
	f.Set("phone", "")
	f.Set("same_as_buyer", "1")
	before := time.Now().Add(-time.Minute)
	loc, _, _ := b.Post(t, "/checkout", f, http.StatusSeeOther)
	number := strings.TrimSuffix(strings.TrimPrefix(loc, "/orders/"), "/pay")
	want := testutil.Consent(t, e.Pool)
	var terms, privacy int64
	var at time.Time
	var marketing bool
	var recipient, phone string
	if err := e.Pool.QueryRow(ctx, `SELECT agreed_terms_id, agreed_privacy_id, agreed_at, marketing_consent, recipient, recipient_phone
		FROM orders WHERE number = $1`, number).Scan(&terms, &privacy, &at, &marketing, &recipient, &phone); err != nil {
		t.Fatal(err)
	}
	if terms != want.TermsDocID || privacy != want.PrivacyDocID || at.Before(before) || marketing {
		t.Errorf("consent recorded as terms %d privacy %d at %s marketing %v; want %d, %d, now, false (not ticked this time)",
			terms, privacy, at, marketing, want.TermsDocID, want.PrivacyDocID)
	}
	if recipient != "김두레" || phone != "010-1234-5678" {
		t.Errorf("주문자 정보와 동일 gave recipient %q %q", recipient, phone)
	}

	// The order page says what was agreed and the return policy.
	page := b.Page(t, "/orders/"+number, http.StatusOK)
	agreed := strings.Join(strings.Fields(page.Find(".order-consent").Text()), " ")
	for _, w := range []string{"이용약관 제1판", "개인정보 수집·이용 동의 (주문) 제1판", "마케팅 정보 수신: 동의하지 않음", "동의 일시"} {
		if !strings.Contains(agreed, w) {
			t.Errorf("order page consent lacks %q: %q", w, agreed)
		}
	}
	if page.Find(`.order-consent a[href="/terms?v=1"]`).Length() != 1 {
		t.Error("the order page does not link the agreed version of the terms")
	}
	if r := page.Find(".return-policy").Text(); !strings.Contains(r, "7일") || !strings.Contains(r, "반품 배송비") {
		t.Errorf("order page return policy: %q", strings.Join(strings.Fields(r), " "))
	}
}

// TestCheckoutAgreedVersionKept: a buyer who ticked the boxes under version
// 1 while the operator published version 2 has agreed to version 1, which
// the order records; a form shown afterwards offers version 2 unticked.
func TestCheckoutAgreedVersionKept(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	pid, _ := e.Goods(t)
	b := e.Shopper()
	addToCart(t, b, pid, "1")
	f := checkoutForm(t, b.Page(t, "/checkout", http.StatusOK), "41940")
	v1 := testutil.Consent(t, e.Pool)
	if _, err := e.Documents.Publish(e.Actor(t, e.Operator(t)), coop.Terms, "바뀐 약관"); err != nil {
		t.Fatal(err)
	}
	f.Set("marketing", "1")
	loc, _, _ := b.Post(t, "/checkout", f, http.StatusSeeOther)
	number := strings.TrimSuffix(strings.TrimPrefix(loc, "/orders/"), "/pay")
	var terms int64
	var marketing bool
	if err := e.Pool.QueryRow(ctx, `SELECT agreed_terms_id, marketing_consent FROM orders WHERE number = $1`, number).Scan(&terms, &marketing); err != nil ||
		terms != v1.TermsDocID || !marketing {
		t.Errorf("agreed terms %d, marketing %v (%v); want version 1's %d and the optional consent", terms, marketing, err, v1.TermsDocID)
	}
	addToCart(t, b, pid, "1")
	doc := b.Page(t, "/checkout", http.StatusOK)
	if doc.Find(`input[name="terms_doc"]`).AttrOr("value", "") == strconv.FormatInt(v1.TermsDocID, 10) ||
		!strings.Contains(doc.Find("#agree_terms-desc").Text(), "제2판") {
		t.Error("the checkout still offers version 1 of the terms")
	}
}

// TestProductSellerAndBuyBar: the product page names the seller (상호,
// 대표자, 사업자등록번호, 연락처, 반품 주소), says the return policy, and its
// buy bar has the price, the quantity, 장바구니 담기 and 바로 구매, which goes
// to the checkout; app.js's add-to-cart is answered in JSON and stays.
func TestProductSellerAndBuyBar(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	pid, _ := e.Goods(t)
	var ent, repr, brn, phone, addr string
	if err := e.Pool.QueryRow(ctx, `SELECT e.name, e.representative, e.business_number, e.phone, e.address FROM products p
		JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = $1`, pid).Scan(&ent, &repr, &brn, &phone, &addr); err != nil {
		t.Fatal(err)
	}
	b := e.Shopper()
	doc := b.Page(t, "/p/"+strconv.FormatInt(pid, 10), http.StatusOK)
	nospace := func(s string) string { return strings.Join(strings.Fields(s), "") }
	seller := nospace(doc.Find(".seller-info").Text())
	for _, want := range []string{"판매자정보", "상호" + ent, "대표자" + repr, "사업자등록번호" + brn[:3] + "-" + brn[3:5] + "-" + brn[5:],
		phone, "반품주소" + nospace(addr)} {
		if !strings.Contains(seller, nospace(want)) {
			t.Errorf("seller details lack %q: %q", want, seller)
		}
	}
	if r := doc.Find(".return-policy").Text(); !strings.Contains(r, "7일") || !strings.Contains(r, "구매자가 부담") {
		t.Errorf("return policy: %q", strings.Join(strings.Fields(r), " "))
	}
	bar := doc.Find("form.add-cart.buy-bar")
	if bar.Find(".buy-bar-price").Text() == "" || bar.Find(`input[name="quantity"]`).Length() != 1 ||
		!strings.Contains(bar.Find(`button:not([name])`).Text(), "장바구니 담기") ||
		bar.Find(`button[name="buy"][value="now"]`).Text() != "바로 구매" {
		t.Errorf("buy bar: %s", strings.Join(strings.Fields(bar.Text()), " "))
	}
	form := url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "product_id": {strconv.FormatInt(pid, 10)}, "quantity": {"2"}, "buy": {"now"}}
	if loc, _, _ := b.Post(t, "/cart/items", form, http.StatusSeeOther); loc != "/checkout" {
		t.Errorf("바로 구매 went to %q", loc)
	}

	// app.js's request: JSON with the message and the new count; a refusal
	// is a 400 with the cart's message.
	send := func(q string) (int, map[string]any) {
		t.Helper()
		body := url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "product_id": {strconv.FormatInt(pid, 10)}, "quantity": {q}}
		req := httptest.NewRequest(http.MethodPost, "/cart/items", strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Dure-Stay", "1")
		var cookies []string
		for k, v := range b.Cookies {
			cookies = append(cookies, k+"="+v)
		}
		req.Header.Set("Cookie", strings.Join(cookies, "; "))
		resp, err := e.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("not JSON: %s", raw)
		}
		return resp.StatusCode, out
	}
	if st, a := send("1"); st != http.StatusOK || a["message"] != "장바구니에 담았습니다." || a["count"] != float64(1) {
		t.Errorf("stay add: %d %v", st, a)
	}
	if st, a := send("60"); st != http.StatusBadRequest || !strings.Contains(a["message"].(string), "재고") {
		t.Errorf("stay add beyond stock: %d %v", st, a)
	}
}

// TestServicesSpeakOfBooking: a service's cart and checkout messages say
// 예약, never 재고 or 품절.
func TestServicesSpeakOfBooking(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	var pid int64
	if err := e.Pool.QueryRow(ctx, `UPDATE products SET stock = 3 WHERE id = (SELECT id FROM products WHERE kind = 'service'
		AND status = 'active' AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = products.id) ORDER BY id LIMIT 1)
		RETURNING id`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	b := e.Shopper()
	doc := b.Page(t, "/p/"+strconv.FormatInt(pid, 10), http.StatusOK)
	if s := doc.Find(`button[name="buy"]`).Text(); s != "바로 예약" {
		t.Errorf("service buy-now button %q", s)
	}
	_, d, _ := b.Post(t, "/cart/items", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "product_id": {strconv.FormatInt(pid, 10)},
		"quantity": {"5"}}, http.StatusBadRequest)
	if msg := d.Find("#add-cart-error").Text(); !strings.Contains(msg, "예약 가능한 수가 3건") || strings.Contains(msg, "재고") {
		t.Errorf("too many bookings: %q", msg)
	}
	addToCart(t, b, pid, "3")
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 1 WHERE id = $1`, pid); err != nil {
		t.Fatal(err)
	}
	cart := b.Page(t, "/cart", http.StatusOK)
	if n := cart.Find(".line-notice").Text(); !strings.Contains(n, "예약 가능한 수가 1건") || strings.Contains(n, "재고") {
		t.Errorf("cart notice for a service: %q", n)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 0 WHERE id = $1`, pid); err != nil {
		t.Fatal(err)
	}
	cart = b.Page(t, "/cart", http.StatusOK)
	if n := cart.Find(".line-notice").Text(); !strings.Contains(n, "예약이 마감") || strings.Contains(n, "품절") {
		t.Errorf("cart notice for a fully booked service: %q", n)
	}
}
