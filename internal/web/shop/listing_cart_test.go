package shop_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestListingCardAddToCart: a search result of an in-stock goods item
// without options carries the product page's add form (outside the card's
// one link) and posting it adds to the cart and, without JavaScript, goes
// to the cart as before; a product with options, a service and a sold-out
// product have no button, the first two a cue to choose on the product page.
func TestListingCardAddToCart(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	goods, _ := e.Goods(t)
	one := func(q string) (id int64) {
		t.Helper()
		if err := e.Pool.QueryRow(ctx, `SELECT p.id FROM products p WHERE p.status = 'active' AND p.stock > 0 AND `+q+`
			AND p.id <> $1 ORDER BY p.id LIMIT 1`, goods).Scan(&id); err != nil {
			t.Fatalf("no product where %s: %v", q, err)
		}
		return id
	}
	options := one(`p.kind = 'goods' AND EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)`)
	service := one(`p.kind = 'service'`)
	soldOut := one(`p.kind = 'goods' AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)`)
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 0 WHERE id = $1`, soldOut); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) VALUES ('product', $1)`, soldOut); err != nil {
		t.Fatal(err)
	}
	e.DrainSearch(t)

	b := e.Shopper()
	card := func(id int64) (*goquery.Document, *goquery.Selection) {
		t.Helper()
		var name string
		if err := e.Pool.QueryRow(ctx, `SELECT name FROM products WHERE id = $1`, id).Scan(&name); err != nil {
			t.Fatal(err)
		}
		doc := b.Page(t, "/search?q="+url.QueryEscape(name), http.StatusOK)
		c := doc.Find(`article.card:has(a.card-link[href="/p/` + strconv.FormatInt(id, 10) + `"])`).First()
		if c.Length() == 0 {
			t.Fatalf("searching %q shows no card of product %d", name, id)
		}
		if n := c.Find(".card-link a, .card-link button, .card-link form, .card-link input").Length(); n != 0 {
			t.Errorf("product %d: %d interactive elements inside the card's link", id, n)
		}
		return doc, c
	}

	for what, id := range map[string]int64{"options": options, "service": service, "sold out": soldOut} {
		_, c := card(id)
		if c.Find("form, button").Length() != 0 {
			t.Errorf("%s card has an add button: %s", what, strings.Join(strings.Fields(c.Text()), " "))
		}
		want := map[string]string{"options": "옵션 선택", "service": "예약 안내 보기", "sold out": ""}[what]
		if got := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.Find(".card-choose").Text()), "›")); got != want {
			t.Errorf("%s card's cue %q, want %q", what, got, want)
		}
	}

	_, c := card(goods)
	form := c.Find(`form.card-add[action="/cart/items"][method="post"][data-stay]`)
	if form.Length() != 1 || form.Find(".add-cart-status[role=status]").Length() != 1 {
		t.Fatalf("goods card has no stay-on-the-page add form: %s", strings.Join(strings.Fields(c.Text()), " "))
	}
	if s := strings.Join(strings.Fields(form.Find("button").Text()), " "); !strings.HasSuffix(s, "장바구니 담기") || len(s) <= len("장바구니 담기") {
		t.Errorf("add button's name %q does not name the product", s)
	}
	vals := webtest.FormValues(form)
	if vals.Get("product_id") != strconv.FormatInt(goods, 10) || vals.Get("quantity") != "1" || vals.Get("_csrf") == "" {
		t.Errorf("card form values %v", vals)
	}
	if loc, _, _ := b.Post(t, "/cart/items", vals, http.StatusSeeOther); loc != "/cart?done=added" {
		t.Errorf("the card's form (no JavaScript) went to %q, want the cart", loc)
	}
	var cj webtest.CartJSON
	b.API(t, http.MethodGet, "/api/v1/cart", nil, http.StatusOK, &cj)
	if len(cj.Data.Lines) != 1 || cj.Data.Lines[0].ProductID != goods || cj.Data.Lines[0].Quantity != 1 {
		t.Errorf("cart after the card's add: %+v", cj.Data.Lines)
	}
}
