package admin_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// bundleParts finds two in-stock goods without options of two enterprises.
func bundleParts(t *testing.T, e *webtest.Env) (a, entA, b int64) {
	t.Helper()
	ctx := context.Background()
	q := `SELECT p.id, p.enterprise_id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.enterprise_id <> $1
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1`
	var entB int64
	if err := e.Pool.QueryRow(ctx, q, 0).Scan(&a, &entA); err != nil {
		t.Fatal(err)
	}
	if err := e.Pool.QueryRow(ctx, q, entA).Scan(&b, &entB); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 20 WHERE id = ANY($1)`, []int64{a, b}); err != nil {
		t.Fatal(err)
	}
	return a, entA, b
}

func bundleForm(t *testing.T, e *webtest.Env, a, b int64, price, shareA, shareB string) url.Values {
	t.Helper()
	var cat int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM categories ORDER BY id LIMIT 1`).Scan(&cat); err != nil {
		t.Fatal(err)
	}
	// Row 2 is left blank: the parts are rows 1 and 3.
	return url.Values{"name": {"대구 명절 선물세트"}, "summary": {"두 기업의 선물"}, "category_id": {strconv.FormatInt(cat, 10)},
		"price": {price}, "publish": {"1"},
		"part_1_product": {strconv.FormatInt(a, 10)}, "part_1_quantity": {"2"}, "part_1_share": {shareA},
		"part_3_product": {strconv.FormatInt(b, 10)}, "part_3_quantity": {"1"}, "part_3_share": {shareB}}
}

// TestBundlesConsole: shares that do not sum to the price come back with
// the form and a Korean message (422), nothing written; a good form makes
// the bundle (audited), which the shop shows as one product with its parts
// and the cart as a 공동상품 line; enterprises and consumers have no such
// page.
func TestBundlesConsole(t *testing.T) {
	c := newConsole(t)
	a, entA, b := bundleParts(t, c.e)
	doc := c.op.Page(t, "/admin/bundles", 200)
	checkAccessible(t, "/admin/bundles", doc)

	_, doc = submit(t, c.op, "/admin/bundles", "/admin/bundles", bundleForm(t, c.e, a, b, "25,000", "16,000", "8,000"), 422)
	if msg := text(doc.Find("#parts-error")); !strings.Contains(msg, "구성품 몫의 합계 24,000원이 판매가 25,000원과 같아야 합니다. 지금은 1,000원 적습니다.") {
		t.Errorf("parts error %q", msg)
	}
	if v := doc.Find("#part_3_share").AttrOr("value", ""); v != "8,000" || doc.Find("#name").AttrOr("value", "") != "대구 명절 선물세트" {
		t.Errorf("form not kept: share %q", v)
	}
	checkAccessible(t, "/admin/bundles with errors", doc)
	_, doc = submit(t, c.op, "/admin/bundles", "/admin/bundles", bundleForm(t, c.e, a, b, "24,000", "16,001", "7,999"), 422)
	if msg := text(doc.Find("#part_1_share-error")); !strings.Contains(msg, "나누어떨어져야") {
		t.Errorf("share of row 1 error %q", msg)
	}
	if c.count(t, `SELECT count(*) FROM bundles`) != 0 {
		t.Fatal("a refused form wrote a bundle")
	}

	loc, _ := submit(t, c.op, "/admin/bundles", "/admin/bundles", bundleForm(t, c.e, a, b, "24,000", "16,000", "8,000"), 303)
	if !strings.Contains(loc, "done=bundle_created") {
		t.Errorf("redirect %q", loc)
	}
	var id int64
	if err := c.e.Pool.QueryRow(context.Background(), `SELECT product_id FROM bundles`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if c.count(t, `SELECT count(*) FROM audit_log WHERE action = 'bundle.create' AND actor_role = 'operator'`) != 1 {
		t.Error("the creation is not audited")
	}
	list := text(c.op.Page(t, "/admin/bundles", 200).Find("table"))
	for _, want := range []string{"대구 명절 선물세트", "24,000원", "10세트", "16,000원", "8,000원"} {
		if !strings.Contains(list, want) {
			t.Errorf("bundle list lacks %q: %s", want, list)
		}
	}

	// The shop shows it as one product with its parts and its stock.
	page := c.e.Page(t, "/p/"+strconv.FormatInt(id, 10), 200)
	parts := text(page.Find(".bundle-parts"))
	if page.Find(".bundle-part-list li").Length() != 2 || !strings.Contains(parts, "× 2개") {
		t.Errorf("product page parts: %q", parts)
	}
	if s := text(page.Find(".stock-ok")); s != "재고 10개" {
		t.Errorf("product page stock %q, want 재고 10개 (20/2, 20/1)", s)
	}
	shopper := c.e.Shopper()
	shopper.Post(t, "/cart/items", url.Values{"_csrf": {shopper.CSRF(t, "/p/"+strconv.FormatInt(id, 10))},
		"product_id": {strconv.FormatInt(id, 10)}, "quantity": {"1"}}, 303)
	cartPage := shopper.Page(t, "/cart", 200)
	if g := text(cartPage.Find(".cart-group").Last()); !strings.Contains(g, "공동상품") || !strings.Contains(g, "구성:") ||
		!strings.Contains(g, "배송비가 판매가에 포함") {
		t.Errorf("cart's bundle group: %q", g)
	}
	if total := text(cartPage.Find(".grand-total")); total != "24,000원" {
		t.Errorf("cart total %q, want 24,000원", total)
	}

	// Off sale: the product page is gone; only operators may do it.
	ent := c.e.Shopper()
	ent.SignIn(t, c.e.Member(t, entA, account.Owner), webtest.Password)
	ent.Page(t, "/admin/bundles", 404)
	consumer := c.e.Shopper()
	consumer.SignIn(t, c.e.Consumer(t), webtest.Password)
	consumer.Page(t, "/admin/bundles", 404)
	submit(t, c.op, "/admin/bundles", "/admin/bundles/"+strconv.FormatInt(id, 10)+"/status", url.Values{"status": {"hidden"}}, 303)
	c.e.Page(t, "/p/"+strconv.FormatInt(id, 10), 404)
}

// TestBrowserBundlesAccessible runs axe-core over the console's bundle
// page (also with the form's errors) and a bundle's product page.
func TestBrowserBundlesAccessible(t *testing.T) {
	e := webtest.NewEnv(t)
	br := browser.New(t, e)
	if landed := br.SignIn(e.Operator(t), webtest.Password); !strings.HasPrefix(landed, "/") {
		t.Fatalf("operator's sign-in landed on %q", landed)
	}
	a, _, b := bundleParts(t, e)
	br.CheckAxe(t, "/admin/bundles")
	br.Open("/admin/bundles")
	form := bundleForm(t, e, a, b, "30000", "16000", "8000")
	fill := map[string]string{}
	for k, v := range form {
		if k != "publish" {
			fill["#"+k] = v[0]
		}
	}
	br.Fill(fill)
	br.Submit("create a bundle whose shares fall short", `form[action="/admin/bundles"] button[type="submit"]`)
	br.CheckAxeCurrent(t, "the bundle form with its errors")
	br.Fill(map[string]string{"#price": "24000"})
	br.Submit("create the bundle", `form[action="/admin/bundles"] button[type="submit"]`)
	var id int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT product_id FROM bundles`).Scan(&id); err != nil {
		t.Fatalf("no bundle made in the browser: %v", err)
	}
	br.CheckAxeCurrent(t, "the bundle list with one bundle")
	br.CheckAxe(t, "/p/"+strconv.FormatInt(id, 10))
}
