package shop_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/webtest"
)

func savedCount(t *testing.T, e *webtest.Env, email string) (all, defaults int) {
	t.Helper()
	err := e.Pool.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE is_default) FROM saved_addresses a
		JOIN users u ON u.id = a.user_id WHERE lower(u.email) = lower($1)`, email).Scan(&all, &defaults)
	if err != nil {
		t.Fatal(err)
	}
	return all, defaults
}

func addressValues(tok, label, postcode string) url.Values {
	return url.Values{"_csrf": {tok}, "label": {label}, "recipient": {"박수령"}, "phone": {"01022223333"},
		"postcode": {postcode}, "road": {"대구광역시 중구 동덕로 115"}, "detail": {"3층"}}
}

// TestAddressBook: add (bad input is a 422 with Korean messages and the form
// kept, nothing written), the first address is the default, another made
// default takes over, edit, delete (the default passes on), and another
// member's address ids answer 404 on every route.
func TestAddressBook(t *testing.T) {
	e := webtest.NewEnv(t)
	me, other := e.Consumer(t), e.Consumer(t)
	b := e.Shopper()
	b.SignIn(t, me, webtest.Password)
	tok := b.CSRF(t, "/account/addresses")

	bad := addressValues(tok, "집", "12")
	bad.Set("phone", "전화")
	bad.Set("road", "")
	_, doc, _ := b.Post(t, "/account/addresses", bad, http.StatusUnprocessableEntity)
	for _, id := range []string{"postcode", "phone", "road"} {
		if doc.Find("#"+id+"-error").Length() != 1 {
			t.Errorf("no error next to %s", id)
		}
	}
	if v, _ := doc.Find("#label").Attr("value"); v != "집" {
		t.Errorf("label kept as %q", v)
	}
	if !strings.Contains(doc.Find("#postcode-error").Text(), "5자리") {
		t.Errorf("postcode message %q is not the Korean one", doc.Find("#postcode-error").Text())
	}
	if n, _ := savedCount(t, e, me); n != 0 {
		t.Fatalf("%d addresses after a refused form", n)
	}

	if loc, _, _ := b.Post(t, "/account/addresses", addressValues(tok, "집", "41940"), http.StatusSeeOther); loc != "/account/addresses?done=added" {
		t.Fatalf("add went to %q", loc)
	}
	if n, d := savedCount(t, e, me); n != 1 || d != 1 {
		t.Fatalf("after the first address: %d addresses, %d default (want 1, 1)", n, d)
	}
	office := addressValues(tok, "회사", "63100")
	office.Set("make_default", "1")
	b.Post(t, "/account/addresses", office, http.StatusSeeOther)
	doc = b.Page(t, "/account/addresses", http.StatusOK)
	items := doc.Find(".address-item")
	if items.Length() != 2 || !strings.Contains(items.First().Text(), "회사") || items.First().Find(".badge").Length() != 1 {
		t.Fatalf("the book lists %d addresses, the default first should be 회사: %q", items.Length(), items.First().Text())
	}
	if _, d := savedCount(t, e, me); d != 1 {
		t.Errorf("%d defaults", d)
	}
	if !strings.Contains(items.First().Text(), "010-2222-3333") {
		t.Errorf("the phone is not shown formatted: %q", items.First().Text())
	}

	var home, work int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT max(id) FILTER (WHERE label = '집'), max(id) FILTER (WHERE label = '회사') FROM saved_addresses`).Scan(&home, &work); err != nil {
		t.Fatal(err)
	}
	hs, ws := strconv.FormatInt(home, 10), strconv.FormatInt(work, 10)

	// Someone else's ids.
	o := e.Shopper()
	o.SignIn(t, other, webtest.Password)
	otok := o.CSRF(t, "/account/addresses")
	o.Page(t, "/account/addresses/"+hs+"/edit", http.StatusNotFound)
	o.Post(t, "/account/addresses/"+hs, addressValues(otok, "남의 집", "41940"), http.StatusNotFound)
	o.Post(t, "/account/addresses/"+hs+"/delete", url.Values{"_csrf": {otok}}, http.StatusNotFound)
	o.Post(t, "/account/addresses/"+hs+"/default", url.Values{"_csrf": {otok}}, http.StatusNotFound)
	o.Page(t, "/checkout?address="+hs, http.StatusSeeOther) // an empty cart goes to /cart before any address is read
	if n, d := savedCount(t, e, me); n != 2 || d != 1 {
		t.Fatalf("another member changed the book: %d addresses, %d default", n, d)
	}
	var label string
	if err := e.Pool.QueryRow(context.Background(), `SELECT label FROM saved_addresses WHERE id = $1`, home).Scan(&label); err != nil || label != "집" {
		t.Fatalf("label %q after another member's update (%v)", label, err)
	}

	// Edit, with bad input kept.
	doc = b.Page(t, "/account/addresses/"+hs+"/edit", http.StatusOK)
	if v, _ := doc.Find("#postcode").Attr("value"); v != "41940" {
		t.Errorf("the edit form shows postcode %q", v)
	}
	edit := addressValues(tok, "본가", "6310")
	_, doc, _ = b.Post(t, "/account/addresses/"+hs, edit, http.StatusUnprocessableEntity)
	if v, _ := doc.Find("#label").Attr("value"); v != "본가" || doc.Find("#postcode-error").Length() != 1 {
		t.Errorf("the refused edit: label %q, postcode error %d", v, doc.Find("#postcode-error").Length())
	}
	edit.Set("postcode", "63100")
	b.Post(t, "/account/addresses/"+hs, edit, http.StatusSeeOther)
	if err := e.Pool.QueryRow(context.Background(), `SELECT label FROM saved_addresses WHERE id = $1`, home).Scan(&label); err != nil || label != "본가" {
		t.Errorf("label %q after the edit (%v)", label, err)
	}

	// Deleting the default passes it on.
	b.Post(t, "/account/addresses/"+ws+"/delete", url.Values{"_csrf": {tok}}, http.StatusSeeOther)
	var def bool
	if err := e.Pool.QueryRow(context.Background(), `SELECT is_default FROM saved_addresses WHERE id = $1`, home).Scan(&def); err != nil || !def {
		t.Errorf("the remaining address is not the default after the default was deleted (%v)", err)
	}
	b.Post(t, "/account/addresses/"+ws+"/delete", url.Values{"_csrf": {tok}}, http.StatusNotFound)
	// No CSRF token: refused.
	if resp, _ := b.Do(t, http.MethodPost, "/account/addresses", "application/x-www-form-urlencoded",
		strings.NewReader(addressValues("", "x", "41940").Encode())); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an address without its CSRF token: %d, want 403", resp.StatusCode)
	}
	// Anonymous: sent to sign in.
	if resp, _ := e.Shopper().Do(t, http.MethodGet, "/account/addresses", "", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous /account/addresses: %d, want 303 to the sign-in", resp.StatusCode)
	}
}

// TestAddressLimitConcurrent: 12 saves at once into a book holding 8 keep
// exactly 10; the rest are a Conflict with the Korean message, and the
// HTML form answers 409 with what was typed.
func TestAddressLimitConcurrent(t *testing.T) {
	e := webtest.NewEnv(t)
	me := e.Consumer(t)
	ctx := e.As(t, me)
	book := &order.AddressBook{Store: postgres.NewAddressStore(e.Pool)}
	in := order.AddressInput{Address: order.Address{Recipient: "김두레", Phone: "010-1234-5678", Postcode: "41940", Road: "대구광역시 중구 동덕로 115"}}
	for i := 0; i < 8; i++ {
		if _, err := book.CreateAddress(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, full := 0, 0
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			in := in
			in.MakeDefault = i%2 == 0
			_, err := book.CreateAddress(ctx, in)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case apperr.Code(err) == apperr.Conflict && strings.Contains(apperr.Message(err), "10개까지"):
				full++
			default:
				t.Errorf("save: %v", err)
			}
		}(i)
	}
	wg.Wait()
	if n, d := savedCount(t, e, me); ok != 2 || full != 10 || n != 10 || d != 1 {
		t.Fatalf("12 saves into 8: %d saved, %d refused, %d kept, %d defaults (want 2, 10, 10, 1)", ok, full, n, d)
	}
	// The database refuses an 11th even past the service.
	if _, err := e.Pool.Exec(context.Background(), `INSERT INTO saved_addresses (user_id, recipient, phone, postcode, road)
		SELECT id, 'x', '010-1234-5678', '41940', 'y' FROM users WHERE lower(email) = lower($1)`, me); err == nil {
		t.Error("the database took an 11th address")
	}

	b := e.Shopper()
	b.SignIn(t, me, webtest.Password)
	doc := b.Page(t, "/account/addresses", http.StatusOK)
	if doc.Find("form.address-form").Length() != 0 {
		t.Error("a full book still offers the add form")
	}
	_, doc, _ = b.Post(t, "/account/addresses", addressValues(webtest.CSRFOf(t, doc), "열한째", "41940"), http.StatusConflict)
	if v, _ := doc.Find("#label").Attr("value"); v != "열한째" || !strings.Contains(doc.Find(".notice-warn").Text(), "10개까지") {
		t.Errorf("the refused 11th: label %q, notice %q", v, doc.Find(".notice-warn").Text())
	}
}

// TestPostcodeCSP: only the pages with an address form allow the postcode
// service; every other page keeps the strict policy.
func TestPostcodeCSP(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	me := e.Consumer(t)
	b := e.Shopper()
	b.SignIn(t, me, webtest.Password)
	addToCart(t, b, pid, "1")
	csp := func(path string) string {
		resp, _ := b.Do(t, http.MethodGet, path, "", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return resp.Header.Get("Content-Security-Policy")
	}
	strict := csp("/")
	if strings.Contains(strict, "daumcdn") || !strings.Contains(strict, "script-src 'self';") {
		t.Fatalf("the home page's CSP allows more than the site: %q", strict)
	}
	for _, p := range []string{"/checkout", "/account/addresses"} {
		if got := csp(p); got != web.PostcodeCSP {
			t.Errorf("%s CSP %q, want the postcode policy", p, got)
		}
	}
	for _, p := range []string{"/cart", "/account", "/account/orders", "/p/" + strconv.FormatInt(pid, 10), "/search?q=x"} {
		if got := csp(p); got != strict {
			t.Errorf("%s CSP %q differs from the strict policy", p, got)
		}
	}
	// The checkout form loads postcode.js, whose button is absent from the HTML.
	doc := b.Page(t, "/checkout", http.StatusOK)
	if doc.Find(`script[src*="postcode"]`).Length() != 1 || doc.Find("[data-postcode-search][hidden]").Length() != 1 ||
		doc.Find("button.postcode-btn").Length() != 0 {
		t.Error("checkout lacks postcode.js or its hidden placeholder, or has a button without JavaScript")
	}
	if doc := b.Page(t, "/cart", http.StatusOK); doc.Find(`script[src*="postcode"]`).Length() != 0 {
		t.Error("the cart page loads postcode.js")
	}
}
