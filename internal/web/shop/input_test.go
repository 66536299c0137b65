package shop_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/stripe"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// newFormEnv is the app on the real PostgreSQL (the demo catalogue) and
// Redis, with accounts, carts and orders but without Meilisearch (search
// finds nothing): what the form tests and fuzz targets need, built in a
// couple of seconds. Clients are told apart by X-Real-IP (the test
// connection's address is a trusted proxy). limit adds the Redis rate
// limiter.
func newFormEnv(tb testing.TB, limit bool) *webtest.Env {
	tb.Helper()
	cfg := testutil.Config(tb)
	pool := testutil.NewDB(tb)
	testutil.SeedDemo(tb, pool)
	rdb, prefix := testutil.NewRedis(tb)
	log := slog.New(slog.DiscardHandler)
	catalogStore := postgres.NewCatalogStore(pool)
	carts := cart.NewService(redis.NewCartStore(rdb, prefix), catalogStore)
	provider, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		tb.Fatal(err)
	}
	outbox := &mail.Outbox{}
	orders := order.NewService(postgres.NewOrderStore(pool), carts, payment.NewRegistry(provider, &payment.Invoice{}),
		order.Config{Logger: log, Mailer: outbox, Catalog: postgres.NewCatalogStore(pool)})
	accounts, err := account.NewService(postgres.NewAccountStore(pool), redis.NewSessionStore(rdb, prefix), outbox,
		redis.NewRateLimiter(rdb, prefix), account.Config{BaseURL: "http://dure.test", Logger: log,
			Password: account.PasswordParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		tb.Fatal(err)
	}
	d := app.Deps{Catalog: catalogStore, Search: webtest.SearchFn(webtest.OKSearch), Carts: carts, Orders: orders,
		Accounts: accounts, CookieSecret: []byte(cfg.CookieSecret), TestPayments: provider.IsMock, Metrics: metrics.New(),
		Documents: coop.NewDocuments(postgres.NewCoopStore(pool), accounts),
		Log:       log, TrustedProxies: []string{"0.0.0.0"}, ProxyHeader: "X-Real-IP"}
	if limit {
		d.Limiter = redis.NewRateLimiter(rdb, prefix)
	}
	return &webtest.Env{App: app.New(d), Pool: pool, Carts: carts, Orders: orders, Accounts: accounts, Mail: outbox,
		Secret: cfg.StripeWebhookKey}
}

// send runs one request from client ip with the given cookies and form
// (nil: a GET) and returns the answer with its body.
func send(t testing.TB, e *webtest.Env, method, target, ip string, cookies map[string]string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, body, err := try(e, method, target, ip, cookies, form)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp, body
}

// try is send that returns the error of a request the test client could
// not make (fuzzed cookies may not be sendable at all).
func try(e *webtest.Env, method, target, ip string, cookies map[string]string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if ip != "" {
		req.Header.Set("X-Real-IP", ip)
	}
	var jar []string
	for k, v := range cookies {
		jar = append(jar, k+"="+v) // as sent, unsanitised (http.Cookie would drop bytes)
	}
	if len(jar) > 0 {
		req.Header.Set("Cookie", strings.Join(jar, "; "))
	}
	resp, err := e.App.Test(req, 10_000) // the server's own ReadTimeout is longer
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp, string(raw), err
}

// korean matches a message in Korean.
var korean = regexp.MustCompile(`\p{Hangul}`)

// TestCheckoutRefusesBrokenText: a NUL byte or broken UTF-8 in any field of
// the checkout form (a 500 from PostgreSQL's SQLSTATE 22021 before) is a 422
// with a Korean message beside the field, the other input kept, the page
// valid UTF-8, and nothing written.
func TestCheckoutRefusesBrokenText(t *testing.T) {
	t.Parallel()
	e := newFormEnv(t, false)
	pid, _ := e.Goods(t)
	b := e.Shopper()
	addToCart(t, b, pid, "1")
	doc := b.Page(t, "/checkout", http.StatusOK)
	for _, bad := range []string{"\x00", "\xff", "\xed\xa0\x80" /* a UTF-16 surrogate */, "김두레"[:4]} {
		for _, field := range []string{"buyer_name", "buyer_email", "buyer_phone", "recipient", "phone", "postcode", "road", "detail", "memo"} {
			f := checkoutForm(t, doc, "41940")
			f.Set(field, f.Get(field)+bad)
			_, d, body := b.Post(t, "/checkout", f, http.StatusUnprocessableEntity)
			msg := strings.TrimSpace(d.Find("#" + field).Parent().Find(".field-error").Text())
			if !korean.MatchString(msg) {
				t.Errorf("%s with %q: no Korean message beside the field (%q)", field, bad, msg)
			}
			if !utf8.ValidString(body) || strings.ContainsRune(body, 0) {
				t.Errorf("%s with %q: the page shows broken bytes", field, bad)
			}
			if v, _ := d.Find("#road").Attr("value"); field != "road" && v != "대구광역시 중구 동덕로 115" {
				t.Errorf("%s with %q: road kept as %q", field, bad, v)
			}
		}
		f := checkoutForm(t, doc, "41940")
		f.Set("checkout_key", f.Get("checkout_key")[:16]+bad)
		_, d, _ := b.Post(t, "/checkout", f, http.StatusUnprocessableEntity)
		if p := d.Find(".notice-warn").Text(); !korean.MatchString(p) {
			t.Errorf("checkout_key with %q: no Korean message (%q)", bad, p)
		}
		if k, _ := d.Find(`input[name="checkout_key"]`).Attr("value"); len(k) < 16 || !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			t.Errorf("checkout_key with %q: the form came back with key %q, want a new one", bad, k)
		}
	}
	if n := orderCount(t, e); n != 0 {
		t.Errorf("%d orders written from broken forms", n)
	}
	f := checkoutForm(t, doc, "41940")
	f.Set("memo", "문 앞에\r\n놓아 주세요")
	if loc, _, _ := b.Post(t, "/checkout", f, http.StatusSeeOther); !strings.HasSuffix(loc, "/pay") {
		t.Errorf("the good form went to %q", loc)
	}
}

// lookupOrder places a guest order on the services and returns its number.
func lookupOrder(t testing.TB, e *webtest.Env) string {
	t.Helper()
	ctx := context.Background()
	pid, _ := e.Goods(t)
	cartID := testutil.Name("cart")
	if err := e.Carts.Add(ctx, cartID, cart.Key{ProductID: pid}, 1); err != nil {
		t.Fatal(err)
	}
	addr := order.Address{Recipient: "박수령", Phone: "010-2222-3333", Postcode: "41940", Road: "대구광역시 중구 동덕로 115"}
	v, err := e.Carts.View(ctx, cartID, addr.Postcode)
	if err != nil {
		t.Fatal(err)
	}
	o, err := e.Orders.Checkout(ctx, order.CheckoutInput{CheckoutKey: testutil.Name("checkout"), CartID: cartID,
		Buyer: order.Buyer{Name: "김두레", Phone: "010-1234-5678"}, Address: addr, ExpectedTotal: v.Price.Total,
		Consent: testutil.Consent(t, e.Pool)})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^D[0-9]{6}-[A-HJ-NP-Z2-9]{10}$`).MatchString(o.Number) {
		t.Errorf("order number %q: want D, the date, - and 10 characters", o.Number)
	}
	return o.Number
}

// lookupClient is a browser at ip with the lookup form's cookies and token.
type lookupClient struct {
	ip      string
	cookies map[string]string
	csrf    string
}

func newLookupClient(t *testing.T, e *webtest.Env, ip string) *lookupClient {
	t.Helper()
	resp, body := send(t, e, http.MethodGet, "/orders/lookup", ip, nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("lookup page: %d", resp.StatusCode)
	}
	c := &lookupClient{ip: ip, cookies: map[string]string{}}
	for _, ck := range resp.Cookies() {
		c.cookies[ck.Name] = ck.Value
	}
	c.csrf = webtest.CSRFOf(t, webtest.Parse(t, body))
	return c
}

func (c *lookupClient) lookup(t *testing.T, e *webtest.Env, number, phone string) (*http.Response, string) {
	t.Helper()
	resp, body := send(t, e, http.MethodPost, "/orders/lookup", c.ip, c.cookies, url.Values{"_csrf": {c.csrf}, "number": {number}, "phone": {phone}})
	for _, ck := range resp.Cookies() {
		c.cookies[ck.Name] = ck.Value
	}
	return resp, body
}

// TestLookupRefusesBrokenNumbers: a NUL byte or broken UTF-8 in the number
// or the phone is a 4xx with a Korean message, never a 500.
func TestLookupRefusesBrokenNumbers(t *testing.T) {
	t.Parallel()
	e := newFormEnv(t, false)
	number := lookupOrder(t, e)
	c := newLookupClient(t, e, "192.0.2.1")
	for _, tc := range [][2]string{{number + "\x00", "010-1234-5678"}, {number[:10] + "\xff", "010-1234-5678"},
		{"\x00", "\x00"}, {number, "010\x00"}, {number, "010-1234-5678\xff"}, {strings.Repeat("가", 30), "010-1234-5678"}} {
		resp, body := c.lookup(t, e, tc[0], tc[1])
		if resp.StatusCode/100 != 4 {
			t.Errorf("lookup %q, %q: %d, want 4xx", tc[0], tc[1], resp.StatusCode)
		}
		doc := webtest.Parse(t, body)
		if p := doc.Find(".notice-warn").Text(); !korean.MatchString(p) {
			t.Errorf("lookup %q, %q: no Korean message (%q)", tc[0], tc[1], p)
		}
		if !utf8.ValidString(body) || strings.ContainsRune(body, 0) {
			t.Errorf("lookup %q, %q: the page shows broken bytes", tc[0], tc[1])
		}
	}
	// An order from before numbers grew to ten characters still looks up.
	old := number[:len("D251123-")] + number[len(number)-6:]
	if _, err := e.Pool.Exec(context.Background(), `UPDATE orders SET number = $1 WHERE number = $2`, old, number); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.lookup(t, e, strings.ToLower(old), "01012345678"); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != "/orders/"+old {
		t.Errorf("lookup of an older number: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := send(t, e, http.MethodGet, "/orders/"+old, c.ip, c.cookies, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the older order's page: %d", resp.StatusCode)
	}
}

// TestLookupUnknownAndWrongPhoneAnswerAlike: an unknown number and a wrong
// phone get the same status, the same page (but for the number echoed in the
// form) and no cookie.
func TestLookupUnknownAndWrongPhoneAnswerAlike(t *testing.T) {
	t.Parallel()
	e := newFormEnv(t, false)
	number := lookupOrder(t, e)
	unknown := number[:len(number)-10] + "AAAAAAAAAA"
	c := newLookupClient(t, e, "192.0.2.2")
	r1, b1 := c.lookup(t, e, number, "010-9999-9999")
	r2, b2 := c.lookup(t, e, unknown, "010-8888-8888")
	if r1.StatusCode != http.StatusNotFound || r2.StatusCode != r1.StatusCode {
		t.Errorf("wrong phone %d, unknown number %d: want 404 both", r1.StatusCode, r2.StatusCode)
	}
	norm := func(body, number, phone string) string {
		body = strings.ReplaceAll(body, number, "NUMBER")
		body = strings.ReplaceAll(body, phone, "PHONE")
		return regexp.MustCompile(`name="_csrf" value="[^"]*"`).ReplaceAllString(body, `name="_csrf"`)
	}
	if n1, n2 := norm(b1, number, "010-9999-9999"), norm(b2, unknown, "010-8888-8888"); n1 != n2 {
		t.Errorf("the answers differ:\n%s\n---\n%s", webtest.Truncate(n1, 3000), webtest.Truncate(n2, 3000))
	}
	for _, r := range []*http.Response{r1, r2} {
		if len(r.Cookies()) != 0 {
			t.Errorf("a failed lookup set cookies %v", r.Cookies())
		}
	}
}

// TestLookupRateLimits: one client gets 429 (Korean message, Retry-After,
// the form kept) after its lookups for the window, whatever the numbers; one
// order number gets 429 after its tries from any number of clients, and the
// right phone is then refused too.
func TestLookupRateLimits(t *testing.T) {
	t.Parallel()
	e := newFormEnv(t, true)
	number := lookupOrder(t, e)

	t.Run("one client", func(t *testing.T) {
		c := newLookupClient(t, e, "198.51.100.7")
		for i := range 20 {
			n := number[:len(number)-10] + strings.Repeat(string("ABCDEFGHJK"[i%10]), 10)
			if resp, _ := c.lookup(t, e, n, "010-1234-5678"); resp.StatusCode != http.StatusNotFound {
				t.Fatalf("try %d: %d, want 404", i+1, resp.StatusCode)
			}
		}
		resp, body := c.lookup(t, e, number, "010-1234-5678")
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("try 21: %d, want 429", resp.StatusCode)
		}
		doc := webtest.Parse(t, body)
		if p := doc.Find(".notice-warn").Text(); !strings.Contains(p, "너무 여러 번") {
			t.Errorf("429 message %q", p)
		}
		if v, _ := doc.Find("#number").Attr("value"); v != number {
			t.Errorf("number kept as %q", v)
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s <= 0 {
			t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
		other := newLookupClient(t, e, "198.51.100.8")
		if resp, _ := other.lookup(t, e, number, "010-1234-5678"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("another client: %d, want the order (303)", resp.StatusCode)
		}
	})

	t.Run("one number from many clients", func(t *testing.T) {
		target := lookupOrder(t, e)
		for i := range 10 {
			c := newLookupClient(t, e, "203.0.113."+strconv.Itoa(i+1))
			if resp, _ := c.lookup(t, e, target, "010-0000-"+strconv.Itoa(1000+i)); resp.StatusCode != http.StatusNotFound {
				t.Fatalf("client %d: %d, want 404", i+1, resp.StatusCode)
			}
		}
		c := newLookupClient(t, e, "203.0.113.99")
		if resp, _ := c.lookup(t, e, target, "010-1234-5678"); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("the 11th try at one number, from a new client with the right phone: %d, want 429", resp.StatusCode)
		}
		if resp, _ := c.lookup(t, e, number, "010-1234-5678"); resp.StatusCode == http.StatusTooManyRequests {
			t.Error("other numbers are limited too")
		}
	})
}

// FuzzCheckoutForm posts the checkout form with any text in its fields, and
// the same text to the order lookup form: no answer is a 5xx, every page is
// valid UTF-8, and an order is only made from a form the rules accept.
func FuzzCheckoutForm(f *testing.F) {
	e := newFormEnv(f, false)
	ctx := context.Background()
	pid, _ := e.Goods(f)
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 1000000 WHERE id = $1`, pid); err != nil {
		f.Fatal(err)
	}
	cartID, cookie, csrf := formSession(f, e)
	if err := e.Carts.Add(ctx, cartID, cart.Key{ProductID: pid}, 1); err != nil {
		f.Fatal(err)
	}
	v, err := e.Carts.View(ctx, cartID, "41940")
	if err != nil {
		f.Fatal(err)
	}
	total := strconv.FormatInt(v.Price.Total, 10)
	consent := testutil.Consent(f, e.Pool)

	f.Add("김두레", "010-1234-5678", "doore@example.kr", "박수령", "010-2222-3333", "41940", "대구광역시 중구 동덕로 115", "3층", "문 앞에\r\n놓아 주세요", "k-0123456789abcdef", true)
	f.Add("김\x00두레", "010\x00", "a\x00@b.kr", "\xff", "\xed\xa0\x80", "4194\x00", "동덕로\x00", "\x1b[31m", "\x00", "0123456789abcdef\x00", true)
	f.Add("", "", "", "", "", "", "", "", "", "", false)
	f.Add(strings.Repeat("가", 31), "+82 10", "@", "<script>", "02-123-4567", "63100", strings.Repeat("길", 201), "\u2028", "\u202e", strings.Repeat("k", 101), true)
	f.Fuzz(func(t *testing.T, buyer, buyerPhone, email, recipient, phone, postcode, road, detail, memo, key string, rightTotal bool) {
		form := url.Values{"_csrf": {csrf}, "buyer_name": {buyer}, "buyer_phone": {buyerPhone}, "buyer_email": {email},
			"recipient": {recipient}, "phone": {phone}, "postcode": {postcode}, "road": {road}, "detail": {detail},
			"memo": {memo}, "checkout_key": {key}, "expected_total": {total},
			"agree_terms": {"1"}, "agree_privacy": {"1"}, "terms_doc": {strconv.FormatInt(consent.TermsDocID, 10)},
			"privacy_doc": {strconv.FormatInt(consent.PrivacyDocID, 10)}}
		if !rightTotal {
			form.Set("expected_total", detail)
		}
		resp, body := send(t, e, http.MethodPost, "/checkout", "", map[string]string{"dure_cart": cookie}, form)
		checkAnswer(t, "checkout", resp, body)
		if resp.StatusCode == http.StatusSeeOther && strings.HasSuffix(resp.Header.Get("Location"), "/pay") {
			// An order was made (the cart emptied) or found by its key:
			// the cart holds one again, as before.
			if err := e.Carts.Clear(ctx, cartID); err != nil {
				t.Fatal(err)
			}
			if err := e.Carts.Add(ctx, cartID, cart.Key{ProductID: pid}, 1); err != nil {
				t.Fatal(err)
			}
		}
		resp, body = send(t, e, http.MethodPost, "/orders/lookup", "", map[string]string{"dure_cart": cookie},
			url.Values{"_csrf": {csrf}, "number": {key}, "phone": {buyerPhone}})
		checkAnswer(t, "lookup", resp, body)
	})
}

// formSession starts a browser session as the lookup page does and returns
// its cart id, cart cookie and form token.
func formSession(tb testing.TB, e *webtest.Env) (cartID, cookie, csrf string) {
	tb.Helper()
	resp, body := send(tb, e, http.MethodGet, "/orders/lookup", "", nil, nil)
	for _, c := range resp.Cookies() {
		if c.Name == "dure_cart" {
			cookie = c.Value
		}
	}
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(body)
	cartID, _, _ = strings.Cut(cookie, ".")
	if cartID == "" || m == nil {
		tb.Fatal("the lookup page started no session")
	}
	return cartID, cookie, m[1]
}

// checkAnswer fails on a 5xx or a page that is not valid UTF-8.
func checkAnswer(t *testing.T, what string, resp *http.Response, body string) {
	t.Helper()
	if resp.StatusCode >= 500 {
		t.Fatalf("%s: %d\n%s", what, resp.StatusCode, webtest.Truncate(body, 1000))
	}
	if !utf8.ValidString(body) {
		t.Fatalf("%s: %d with broken UTF-8 in the page", what, resp.StatusCode)
	}
}

// FuzzCookies sends any cart cookie, session cookie, order-access cookie and
// CSRF token to the pages that read them (the cart, adding to it, an order's
// page, the cart API): no answer is a 5xx, every page is valid UTF-8.
func FuzzCookies(f *testing.F) {
	e := newFormEnv(f, false)
	pid, _ := e.Goods(f)
	number := lookupOrder(f, e)
	_, cartCookie, csrf := formSession(f, e)
	resp, _ := send(f, e, http.MethodPost, "/orders/lookup", "", map[string]string{"dure_cart": cartCookie},
		url.Values{"_csrf": {csrf}, "number": {number}, "phone": {"010-1234-5678"}})
	var orders string
	for _, c := range resp.Cookies() {
		if c.Name == "dure_orders" {
			orders = c.Value
		}
	}
	if orders == "" {
		f.Fatal("the lookup granted no order access")
	}
	f.Add(cartCookie, "", orders, csrf)
	f.Add(cartCookie+"\x00", "\x00", orders+"\xff", csrf+"\x00")
	f.Add(cartCookie[:22]+"."+strings.Repeat("A", 43), "s"+strings.Repeat("x", 100), strings.Replace(orders, "~", "~9", 1), "9999999999.x")
	f.Add("", "\xed\xa0\x80", number+"_"+number+"~99999999999999999999.sig", "-1.")
	f.Add("..", "%00", "~.", ".")
	f.Fuzz(func(t *testing.T, cart, session, access, token string) {
		cookies := map[string]string{"dure_cart": cart, "dure_session": session, "dure_orders": access}
		for _, r := range []struct {
			method, target string
			form           url.Values
		}{
			{http.MethodGet, "/cart", nil},
			{http.MethodPost, "/cart/items", url.Values{"_csrf": {token}, "product_id": {strconv.FormatInt(pid, 10)}, "quantity": {"1"}}},
			{http.MethodGet, "/orders/" + number, nil},
			{http.MethodGet, "/api/v1/cart", nil},
		} {
			resp, body, err := try(e, r.method, r.target, "", cookies, r.form)
			if err != nil {
				t.Logf("%s %s: not sendable: %v", r.method, r.target, err)
				continue
			}
			checkAnswer(t, r.method+" "+r.target, resp, body)
		}
	})
}
