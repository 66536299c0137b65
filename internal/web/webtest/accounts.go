package webtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/testutil"
)

// Password is the password of every account the helpers create.
const Password = "test-password-2026"

var userSeq atomic.Int64

// Email returns a fresh e-mail address for a test user.
func Email(prefix string) string { return fmt.Sprintf("%s%d@dure.test", prefix, userSeq.Add(1)) }

// Enterprises returns the ids of n active demo enterprises, in id order.
func (e *Env) Enterprises(t testing.TB, n int) []int64 {
	t.Helper()
	rows, err := e.Pool.Query(context.Background(), `SELECT id FROM enterprises WHERE status = 'active' ORDER BY id LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) < n {
		t.Fatalf("want %d active enterprises, have %d", n, len(ids))
	}
	return ids
}

// Member creates an owner account of enterprise id and returns its e-mail.
func (e *Env) Member(t testing.TB, enterpriseID int64, role account.MemberRole) string {
	t.Helper()
	email := Email("member")
	if _, err := e.Accounts.CreateEnterpriseMember(context.Background(), enterpriseID, email, "테스트 담당자", Password, role); err != nil {
		t.Fatalf("create member: %v", err)
	}
	return email
}

// Operator creates an operator account and returns its e-mail.
func (e *Env) Operator(t testing.TB) string {
	t.Helper()
	email := Email("operator")
	if _, err := e.Accounts.CreateOperator(context.Background(), email, "테스트 운영자", Password); err != nil {
		t.Fatalf("create operator: %v", err)
	}
	return email
}

// Consumer signs up a consumer through the account service and returns its
// e-mail.
func (e *Env) Consumer(t testing.TB) string {
	t.Helper()
	email := Email("consumer")
	_, err := e.Accounts.SignUp(context.Background(), account.SignUpInput{Name: "김두레", Email: email,
		Phone: "010-1234-5678", Password: Password, PasswordConfirm: Password})
	if err != nil {
		t.Fatalf("sign up: %v", err)
	}
	return email
}

// CSRF returns the CSRF token of the form on page target.
func (b *Shopper) CSRF(t testing.TB, target string) string {
	t.Helper()
	doc := b.Page(t, target, http.StatusOK)
	tok, ok := doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok || tok == "" {
		t.Fatalf("GET %s: no CSRF field", target)
	}
	return tok
}

// SignIn signs the browser in through the sign-in form and returns where it
// was sent.
func (b *Shopper) SignIn(t testing.TB, email, password string) string {
	t.Helper()
	tok := b.CSRF(t, "/account/signin")
	resp, body := b.Do(t, http.MethodPost, "/account/signin", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"_csrf": {tok}, "email": {email}, "password": {password}}.Encode()))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d\n%s", email, resp.StatusCode, Truncate(body, 2000))
	}
	if b.Cookies["dure_session"] == "" {
		t.Fatalf("sign in %s: no session cookie", email)
	}
	return resp.Header.Get("Location")
}

// DrainSearch applies every pending search-outbox row to the test's index
// and waits for Meilisearch to finish.
func (e *Env) DrainSearch(t testing.TB) {
	t.Helper()
	if _, err := e.Indexer.Drain(context.Background()); err != nil {
		t.Fatalf("drain search outbox: %v", err)
	}
}

// PaidOrder orders quantity of product as a guest through the cart and
// checkout services, pays with stripe-mock's test card, and returns the
// order.
func (e *Env) PaidOrder(t testing.TB, product int64, quantity int) *order.Order {
	t.Helper()
	ctx := context.Background()
	cartID := testutil.Name("cart")
	if err := e.Carts.Add(ctx, cartID, cart.Key{ProductID: product}, quantity); err != nil {
		t.Fatalf("add to cart: %v", err)
	}
	addr := order.Address{Recipient: "김두레", Phone: "010-2222-3333", Postcode: "41940", Road: "대구광역시 중구 동덕로 115", Detail: "3층"}
	v, err := e.Carts.View(ctx, cartID, addr.Postcode)
	if err != nil {
		t.Fatal(err)
	}
	o, err := e.Orders.Checkout(ctx, order.CheckoutInput{CheckoutKey: testutil.Name("checkout"), CartID: cartID,
		Buyer: order.Buyer{Name: "김두레", Phone: "010-1234-5678", Email: "doore@example.kr"}, Address: addr, ExpectedTotal: v.Price.Total,
		Consent: testutil.Consent(t, e.Pool)})
	if err != nil {
		t.Fatalf("checkout: %v", err)
	}
	if err := e.Orders.ConfirmTestPayment(ctx, o.Number); err != nil {
		t.Fatalf("pay: %v", err)
	}
	return o
}
