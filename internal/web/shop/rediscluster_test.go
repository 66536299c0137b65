package shop_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// A shop whose DURE_REDIS_URL names a Redis Cluster (the private
// three-master one of scripts/redis-cluster) works end to end: a guest adds
// to the cart, signs in to an account whose cart already holds the product
// (the merge moves the guest cart, in another slot, into the account's),
// and checks out the merged quantity; the sign-in session and the cart
// live on the Cluster.
func TestShopOnRedisCluster(t *testing.T) {
	e := webtest.NewEnvOnRedis(t, testutil.RedisClusterURL(t))
	pid, _ := e.Goods(t)
	email := e.Consumer(t)

	// The account's cart holds one unit, put there from another browser.
	before := e.Shopper()
	before.SignIn(t, email, webtest.Password)
	addToCart(t, before, pid, "1")

	b := e.Shopper()
	addToCart(t, b, pid, "2")
	tok := b.CSRF(t, "/account/signin")
	loc, _, _ := b.Post(t, "/account/signin", url.Values{"_csrf": {tok}, "email": {email}, "password": {webtest.Password}},
		http.StatusSeeOther)
	if b.Cookies["dure_session"] == "" {
		t.Fatalf("sign-in went to %q without a session", loc)
	}
	var cj webtest.CartJSON
	b.API(t, http.MethodGet, "/api/v1/cart", nil, http.StatusOK, &cj)
	if len(cj.Data.Lines) != 1 || cj.Data.Lines[0].Quantity != 3 {
		t.Fatalf("signed-in cart %+v, want the account's 1 and the guest's 2 units merged into 3", cj.Data.Lines)
	}

	form := checkoutForm(t, b.Page(t, "/checkout", http.StatusOK), "41940")
	loc, _, _ = b.Post(t, "/checkout", form, http.StatusSeeOther)
	if !strings.HasSuffix(loc, "/pay") {
		t.Fatalf("checkout went to %q, want the payment page", loc)
	}
	var qty int
	if err := e.Pool.QueryRow(context.Background(), `SELECT sum(l.quantity) FROM order_lines l
		JOIN orders o ON o.id = l.order_id JOIN users u ON u.id = o.user_id
		WHERE u.email = $1 AND l.product_id = $2`, email, pid).Scan(&qty); err != nil {
		t.Fatal(err)
	}
	if qty != 3 {
		t.Errorf("the order holds %d units, want the merged 3", qty)
	}
	b.API(t, http.MethodGet, "/api/v1/cart", nil, http.StatusOK, &cj)
	if len(cj.Data.Lines) != 0 {
		t.Errorf("the cart after checkout holds %+v, want it emptied", cj.Data.Lines)
	}
}
