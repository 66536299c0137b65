package shop_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestReturnAddressShown: without a return address of its own an
// enterprise's returns go to its place of business (seller details and
// 교환·반품 안내 on the product page); once set, the product page and the
// order page show it with its contact.
func TestReturnAddressShown(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	pid, _ := e.Goods(t)
	var ent int64
	var business, phone string
	if err := e.Pool.QueryRow(ctx, `UPDATE enterprises SET address = '대구광역시 중구 동덕로 115', return_postcode = '', return_road = '',
		return_detail = '', return_phone = '' WHERE id = (SELECT enterprise_id FROM products WHERE id = $1)
		RETURNING id, address, phone`, pid).Scan(&ent, &business, &phone); err != nil {
		t.Fatal(err)
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	facts := func(doc *goquery.Document) map[string]string { // the seller details, dt → dd
		m := map[string]string{}
		doc.Find(".seller-info dl > div").Each(func(_ int, d *goquery.Selection) { m[flat(d.Find("dt").Text())] = flat(d.Find("dd").Text()) })
		return m
	}
	b := e.Shopper()
	product := "/p/" + strconv.FormatInt(pid, 10)

	doc := b.Page(t, product, http.StatusOK)
	if f := facts(doc); f["반품 주소"] != business || f["반품 연락처"] != "" {
		t.Errorf("fallback seller details: %v", f)
	}
	if s := flat(doc.Find(".return-policy").Text()); !strings.Contains(s, "반품 주소: "+business) {
		t.Errorf("fallback return policy: %q", s)
	}

	if _, err := e.Pool.Exec(ctx, `UPDATE enterprises SET return_postcode = '42700', return_road = '대구광역시 달서구 성서공단로 11',
		return_detail = '물류동 1층', return_phone = '053-600-7000' WHERE id = $1`, ent); err != nil {
		t.Fatal(err)
	}
	const want = "(42700) 대구광역시 달서구 성서공단로 11 물류동 1층"
	doc = b.Page(t, product, http.StatusOK)
	if f := facts(doc); f["반품 주소"] != want || f["반품 연락처"] != "053-600-7000" || f["사업장 주소"] != business || f["연락처"] != phone {
		t.Errorf("seller details: %v", f)
	}
	if s := flat(doc.Find(".return-policy").Text()); !strings.Contains(s, "반품 주소: "+want+" (연락처 053-600-7000)") {
		t.Errorf("return policy: %q", s)
	}

	addToCart(t, b, pid, "1")
	loc, _, _ := b.Post(t, "/checkout", checkoutForm(t, b.Page(t, "/checkout", http.StatusOK), "41940"), http.StatusSeeOther)
	number := strings.TrimSuffix(strings.TrimPrefix(loc, "/orders/"), "/pay")
	page := b.Page(t, "/orders/"+number, http.StatusOK)
	if s := flat(page.Find(".return-policy").Text()); !strings.Contains(s, "반품 주소: "+want+" (연락처 053-600-7000)") {
		t.Errorf("order page return policy: %q", s)
	}
}
