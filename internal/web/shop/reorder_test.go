package shop_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestCheckoutWithSavedAddress: checkout fills the recipient from the
// default saved address (without JavaScript), ?address= picks another of
// the member's own (another member's is 404), and 이 주소 저장 keeps a new
// address once.
func TestCheckoutWithSavedAddress(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	me, other := e.Consumer(t), e.Consumer(t)
	book := &order.AddressBook{Store: postgres.NewAddressStore(e.Pool)}
	mk := func(email, label, postcode string, def bool) int64 {
		a, err := book.CreateAddress(e.As(t, email), order.AddressInput{Label: label, MakeDefault: def, Address: order.Address{
			Recipient: "최" + label, Phone: "010-3333-4444", Postcode: postcode, Road: label + "로 1", Detail: "2층"}})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	mk(me, "집", "41940", true)
	jeju := mk(me, "제주", "63100", false)
	theirs := mk(other, "남", "41940", true)

	b := e.Shopper()
	b.SignIn(t, me, webtest.Password)
	addToCart(t, b, pid, "1")
	doc := b.Page(t, "/checkout", http.StatusOK)
	if v, _ := doc.Find("#road").Attr("value"); v != "집로 1" {
		t.Errorf("checkout road %q, want the default address", v)
	}
	plain, _ := strconv.ParseInt(doc.Find(`input[name="expected_total"]`).AttrOr("value", ""), 10, 64)
	doc = b.Page(t, "/checkout?address="+strconv.FormatInt(jeju, 10), http.StatusOK)
	if v, _ := doc.Find("#postcode").Attr("value"); v != "63100" || doc.Find(`.saved-list a[aria-current="true"]`).Length() != 1 {
		t.Errorf("?address= filled postcode %q", v)
	}
	if remote, _ := strconv.ParseInt(doc.Find(`input[name="expected_total"]`).AttrOr("value", ""), 10, 64); remote <= plain {
		t.Errorf("the 제주 address' total %d is not above %d: the surcharge is decided by the postcode", remote, plain)
	}
	b.Page(t, "/checkout?address="+strconv.FormatInt(theirs, 10), http.StatusNotFound)
	b.Page(t, "/checkout?address=abc", http.StatusNotFound)

	// A new address, saved at checkout; the form as the page filled it.
	doc = b.Page(t, "/checkout", http.StatusOK)
	f := checkoutForm(t, doc, "41940")
	f.Set("road", "새주소로 9")
	f.Set("save_address", "1")
	loc, _, _ := b.Post(t, "/checkout", f, http.StatusSeeOther)
	if !strings.HasSuffix(loc, "/pay") {
		t.Fatalf("checkout went to %q", loc)
	}
	if n, _ := savedCount(t, e, me); n != 3 {
		t.Errorf("%d addresses after 이 주소 저장, want 3", n)
	}
	var memo string
	if err := e.Pool.QueryRow(context.Background(), `SELECT detail FROM saved_addresses WHERE road = '새주소로 9'`).Scan(&memo); err != nil || memo != "3층" {
		t.Errorf("saved detail %q (%v)", memo, err)
	}
	// A guest sees no saved addresses and no 이 주소 저장.
	g := e.Shopper()
	addToCart(t, g, pid, "1")
	if doc := g.Page(t, "/checkout", http.StatusOK); doc.Find("#save_address").Length() != 0 || doc.Find(".saved-list").Length() != 0 {
		t.Error("a guest's checkout offers saved addresses")
	}
}

// memberOrder is a paid order of quantity of product placed by the member
// email.
func memberOrder(t *testing.T, e *webtest.Env, email string, product int64, quantity int) *order.Order {
	t.Helper()
	o := e.PaidOrder(t, product, quantity)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE orders SET user_id = (SELECT id FROM users WHERE lower(email) = lower($2)) WHERE id = $1`,
		o.ID, email); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestOrderHistoryAndReorder: /account/orders shows each part's state and
// tracking; 재주문 puts what is still sold into the cart, clamped to the
// stock with a Korean message, never changes the old order, and the cart
// then checks out without overselling; another member's order is 404.
func TestOrderHistoryAndReorder(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	pid, name := e.Goods(t)
	me, other := e.Consumer(t), e.Consumer(t)
	shipped, _ := e.DeliveredOrder(t, pid, me)
	o := memberOrder(t, e, me, pid, 5)
	o, err := e.Orders.FindOrder(ctx, o.Number) // as paid
	if err != nil {
		t.Fatal(err)
	}

	b := e.Shopper()
	b.SignIn(t, me, webtest.Password)
	doc := b.Page(t, "/account/orders", http.StatusOK)
	if doc.Find(".my-order").Length() != 2 {
		t.Fatalf("order history lists %d orders, want 2", doc.Find(".my-order").Length())
	}
	text := doc.Find(".my-orders").Text()
	if !strings.Contains(text, "123456789012") || doc.Find("a.tracking-link").Length() != 1 || !strings.Contains(text, "배송 완료") {
		t.Errorf("the delivered order lacks its tracking number, link or state: %q", webtest.Truncate(text, 600))
	}

	// Stock 2 of 5 ordered.
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 2 WHERE id = $1`, pid); err != nil {
		t.Fatal(err)
	}
	tok := webtest.CSRFOf(t, doc)
	loc, _, _ := b.Post(t, "/account/orders/"+o.Number+"/reorder", url.Values{"_csrf": {tok}}, http.StatusSeeOther)
	if loc != "/cart?done=reordered" {
		t.Fatalf("the reorder sent the buyer to %q, want the cart page", loc)
	}
	doc = b.Page(t, loc, http.StatusOK)
	var after *order.Order
	notes := doc.Find(".notice").Text()
	if !strings.Contains(notes, "2개만 담았습니다") || !strings.Contains(notes, name) {
		t.Errorf("reorder notices %q lack the reduced line", notes)
	}
	if got := doc.Find(`input[name="quantity"]`).AttrOr("value", ""); got != "2" {
		t.Errorf("cart quantity %q after the reorder, want 2", got)
	}
	// A reload shows the cart as it is, without the reorder's notices,
	// and adds nothing.
	doc = b.Page(t, loc, http.StatusOK)
	if strings.Contains(doc.Find(".notice").Text(), "2개만 담았습니다") || doc.Find(`input[name="quantity"]`).AttrOr("value", "") != "2" {
		t.Errorf("the reloaded cart page: notices %q, quantity %q", doc.Find(".notice").Text(), doc.Find(`input[name="quantity"]`).AttrOr("value", ""))
	}
	after, err = e.Orders.FindOrder(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != o.Status || after.Total != o.Total || after.SubOrders[0].Lines[0].Quantity != 5 {
		t.Errorf("the reorder changed the old order: %s %d × %d", after.Status, after.Total, after.SubOrders[0].Lines[0].Quantity)
	}
	// Again: the cart already holds all the stock.
	loc, _, _ = b.Post(t, "/account/orders/"+o.Number+"/reorder", url.Values{"_csrf": {tok}}, http.StatusSeeOther)
	doc = b.Page(t, loc, http.StatusOK)
	if got := doc.Find(`input[name="quantity"]`).AttrOr("value", ""); got != "2" || !strings.Contains(doc.Find(".notice").Text(), "이미 2개") {
		t.Errorf("a second reorder: quantity %q, notices %q", got, doc.Find(".notice").Text())
	}
	// Another member's order, and a guest: 404 and the sign-in.
	c := e.Shopper()
	c.SignIn(t, other, webtest.Password)
	c.Post(t, "/account/orders/"+o.Number+"/reorder", url.Values{"_csrf": {c.CSRF(t, "/account/addresses")}}, http.StatusNotFound)

	// The cart checks out; the stock reaches 0, never below.
	doc = b.Page(t, "/checkout", http.StatusOK)
	b.Post(t, "/checkout", checkoutForm(t, doc, "41940"), http.StatusSeeOther)
	var stock int
	if err := e.Pool.QueryRow(ctx, `SELECT stock FROM products WHERE id = $1`, pid).Scan(&stock); err != nil || stock != 0 {
		t.Errorf("stock %d after checking out the reordered cart (%v), want 0", stock, err)
	}
	// Sold out, then no longer sold: nothing added, a Korean message.
	loc, _, _ = b.Post(t, "/account/orders/"+shipped.Number+"/reorder", url.Values{"_csrf": {tok}}, http.StatusSeeOther)
	doc = b.Page(t, loc, http.StatusOK)
	if !strings.Contains(doc.Find(".notice").Text(), "판매하지 않거나 품절") || doc.Find(`input[name="quantity"]`).Length() != 0 {
		t.Errorf("reordering a sold-out product: %q", doc.Find(".notice").Text())
	}
}
