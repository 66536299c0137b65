package biz_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// The parsers of /biz's own forms (the quote request, 검수, institution
// registration) facing broken input: NUL bytes, invalid UTF-8, over-long
// fields and an expired session get a Korean 4xx and write nothing; the
// fuzz targets (FUZZ_TARGETS in the Makefile) send anything and want no
// 5xx and a valid page.

var hangul = regexp.MustCompile(`\p{Hangul}`)

// answerOf checks an answer to a form post: never a 5xx, a valid UTF-8
// page without NUL; a 4xx says why in Korean (an alert, a field's error
// or the error page). It reports whether the answer was a 4xx.
func answerOf(t testing.TB, what string, resp *http.Response, body string) bool {
	t.Helper()
	if resp.StatusCode >= 500 {
		t.Fatalf("%s: %d\n%s", what, resp.StatusCode, webtest.Truncate(body, 1000))
	}
	if !utf8.ValidString(body) || strings.ContainsRune(body, 0) {
		t.Fatalf("%s: %d with broken bytes in the page", what, resp.StatusCode)
	}
	if resp.StatusCode/100 != 4 {
		return false
	}
	doc := webtest.Parse(t, body)
	msg := doc.Find(`[role="alert"], .field-error, .error-page`).Text()
	if !hangul.MatchString(msg) {
		t.Fatalf("%s: %d without a Korean message (%q)", what, resp.StatusCode, webtest.Truncate(body, 600))
	}
	return true
}

func post(t testing.TB, b *webtest.Shopper, target string, v url.Values) (*http.Response, string) {
	t.Helper()
	return b.Do(t, http.MethodPost, target, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

func count(t testing.TB, e *webtest.Env, table string) int {
	t.Helper()
	var n int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// shippedOrder is an invoice order of one enterprise's goods for a buyer of
// a new institution, its part shipped and so open to 검수.
func shippedOrder(t testing.TB, e *webtest.Env) (*order.Order, *webtest.Inst) {
	t.Helper()
	ctx := context.Background()
	inst := e.Institution(t, "대구광역시 검수구청")
	var pid, ent int64
	if err := e.Pool.QueryRow(ctx, `UPDATE products SET stock = 1000 WHERE id = (SELECT p.id FROM products p
		JOIN enterprises e ON e.id = p.enterprise_id WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1)
		RETURNING id, enterprise_id`).Scan(&pid, &ent); err != nil {
		t.Fatal(err)
	}
	a, _, err := e.Accounts.SignIn(ctx, inst.Buyer, webtest.Password, "192.0.2.31")
	if err != nil {
		t.Fatal(err)
	}
	o, err := e.Orders.PlacePublic(account.NewContext(ctx, a), order.PublicOrderInput{Key: "input:" + strconv.FormatInt(inst.ID, 10),
		InstitutionID: inst.ID, UserID: a.UserID, Buyer: order.Buyer{Name: a.Name, Phone: "053-803-0114", Email: a.Email},
		Address:         order.Address{Recipient: "검수구청", Phone: "053-803-0114", Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
		DesiredDelivery: coop.DateOf(time.Now()).AddDate(0, 0, 7), Terms: order.TermsInvoice,
		Lines: []order.PublicLine{{ProductID: pid, Quantity: 10, UnitPrice: 10_000}}})
	if err != nil {
		t.Fatal(err)
	}
	staff := account.NewContext(ctx, &account.Actor{UserID: 1, Name: "직원", Role: account.EnterpriseStaff,
		EnterpriseID: ent, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
	so := o.SubOrders[0]
	if err := e.Orders.AcceptSubOrder(staff, so.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Orders.ShipSubOrder(staff, so.ID, "cj", "123456789012"); err != nil {
		t.Fatal(err)
	}
	return o, inst
}

// broken are field values no form may store: a NUL byte, invalid UTF-8,
// a lone surrogate's bytes, and a field far over any limit.
var broken = map[string]string{
	"NUL":           "김\x00검수",
	"invalid UTF-8": "검수\xff\xfe",
	"surrogate":     "\xed\xa0\x80",
	"over-long":     strings.Repeat("가", 5000),
}

// TestFormsRefuseBrokenInput: each broken value in each text field of the
// quote request, the 검수 and the institution registration gets a Korean
// 4xx and writes nothing; so does each form posted after the session
// expired (signed out elsewhere) or, for the anonymous registration, with
// the form's token but without its browser session.
func TestFormsRefuseBrokenInput(t *testing.T) {
	e := webtest.NewEnv(t)
	o, inst := shippedOrder(t, e)
	b := e.Shopper()
	b.SignIn(t, inst.Buyer, webtest.Password)
	pid := strconv.FormatInt(o.SubOrders[0].Lines[0].ProductID, 10)
	day := time.Now().In(time.FixedZone("KST", 9*3600)).AddDate(0, 0, 10).Format(time.DateOnly)

	quoteForm := func() url.Values {
		return url.Values{"op": {"submit"}, "lines": {"2"}, "desired_date": {day}, "postcode": {"41911"},
			"road": {"대구광역시 중구 공평로 88"}, "detail": {"별관"}, "notes": {"메모"},
			"line_1_product": {pid}, "line_1_quantity": {"3"}, "line_2_name": {"청소 용역"}, "line_2_quantity": {"2"},
			"line_2_unit": {"회"}, "line_2_notes": {"주 1회"}}
	}
	orderURL := "/biz/orders/" + o.Number
	inspect := orderURL + "/parts/" + strconv.FormatInt(o.SubOrders[0].ID, 10) + "/inspect"
	line := "accepted_" + strconv.FormatInt(o.SubOrders[0].Lines[0].ID, 10)
	inspectForm := func() url.Values {
		return url.Values{"date": {time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateOnly)}, "inspector": {"김검수"},
			"result": {"partial"}, "reason": {"2개 파손"}, line: {"8"}}
	}
	registerForm := func() url.Values {
		in := webtest.RegisterInput("대구광역시 깨진구청")
		return url.Values{"name": {in.Name}, "kind": {string(in.Kind)}, "id_kind": {string(in.IDKind)}, "id_number": {in.IDNumber},
			"postcode": {in.Postcode}, "road_address": {in.RoadAddress}, "detail_address": {"3층"}, "phone": {in.Phone},
			"department": {in.Department}, "user_name": {in.UserName}, "email": {in.Email}, "user_phone": {"010-1234-5678"},
			"password": {in.Password}, "password_confirm": {in.PasswordConfirm}}
	}
	type formCase struct {
		name   string
		target string
		page   string // where the form's token comes from
		form   func() url.Values
		fields []string
		user   *webtest.Shopper // nil: a new anonymous browser per post
		tables []string
	}
	cases := []formCase{
		{"quote request", "/biz/quotes/new", "/biz/quotes/new", quoteForm,
			[]string{"desired_date", "postcode", "road", "detail", "notes", "line_1_quantity", "line_2_name", "line_2_unit", "line_2_notes"},
			b, []string{"quote_requests", "quote_request_lines"}},
		{"검수", inspect, orderURL, inspectForm, []string{"date", "inspector", "result", "reason", line}, b,
			[]string{"inspections", "inspection_lines", "payment_claims"}},
		{"institution registration", "/biz/register", "/biz/register", registerForm,
			[]string{"name", "kind", "id_kind", "id_number", "postcode", "road_address", "detail_address", "phone", "department",
				"user_name", "email", "user_phone"}, nil, []string{"institutions", "users"}},
	}
	for _, c := range cases {
		before := map[string]int{}
		for _, tb := range c.tables {
			before[tb] = count(t, e, tb)
		}
		for _, field := range c.fields {
			for kind, bad := range broken {
				if kind == "over-long" && (field == "result" || field == "kind" || field == "id_kind") {
					continue // a closed set: covered by the other values
				}
				u := c.user
				if u == nil {
					u = e.Shopper()
				}
				v := c.form()
				v.Set(field, bad)
				v.Set("_csrf", u.CSRF(t, c.page))
				resp, body := post(t, u, c.target, v)
				if !answerOf(t, c.name+" "+field+" "+kind, resp, body) {
					t.Errorf("%s with %s in %s: %d, want a 4xx", c.name, kind, field, resp.StatusCode)
				}
			}
		}
		for _, tb := range c.tables {
			if n := count(t, e, tb); n != before[tb] {
				t.Errorf("%s: refused posts changed %s from %d to %d rows", c.name, tb, before[tb], n)
			}
		}
	}

	// An expired session: signed out everywhere between loading the form
	// and posting it.
	tokQuote, tokInspect := b.CSRF(t, "/biz/quotes/new"), b.CSRF(t, orderURL)
	ctx := context.Background()
	a, _, err := e.Accounts.SignIn(ctx, inst.Buyer, webtest.Password, "192.0.2.32")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Accounts.SignOutEverywhere(account.NewContext(ctx, a), a.UserID); err != nil {
		t.Fatal(err)
	}
	requests, inspections := count(t, e, "quote_requests"), count(t, e, "inspections")
	// The app's answer is its resume page (web.Resume): a 4xx that says in
	// Korean that nothing was saved and keeps what was typed to post again.
	expired := func(what, target string, v url.Values) {
		t.Helper()
		resp, body := post(t, b, target, v)
		doc := webtest.Parse(t, body)
		if resp.StatusCode/100 != 4 || !hangul.MatchString(doc.Find("main h1").Text()) ||
			doc.Find(`input[type="hidden"][value="`+v.Get("_csrf")+`"]`).Length() != 0 {
			t.Errorf("%s after the session expired: %d %q", what, resp.StatusCode, doc.Find("main h1").Text())
		}
	}
	v := quoteForm()
	v.Set("_csrf", tokQuote)
	expired("quote request", "/biz/quotes/new", v)
	v = inspectForm()
	v.Set("_csrf", tokInspect)
	expired("검수", inspect, v)
	if count(t, e, "quote_requests") != requests || count(t, e, "inspections") != inspections {
		t.Error("a post after the session expired wrote")
	}
	// The anonymous registration: the form's token without its browser.
	u := e.Shopper()
	v = registerForm()
	v.Set("_csrf", u.CSRF(t, "/biz/register"))
	institutions := count(t, e, "institutions")
	if resp, body := post(t, e.Shopper(), "/biz/register", v); !answerOf(t, "registration without its session", resp, body) {
		t.Errorf("registration without its session: %d", resp.StatusCode)
	}
	if count(t, e, "institutions") != institutions {
		t.Error("a registration without its session wrote")
	}
}

// FuzzQuoteRequestForm posts anything as the quote request form of a
// signed-in buyer.
func FuzzQuoteRequestForm(f *testing.F) {
	e := webtest.NewEnv(f)
	inst := e.Institution(f, "대구광역시 퍼즈구청")
	b := e.Shopper()
	b.SignIn(f, inst.Buyer, webtest.Password)
	tok := b.CSRF(f, "/biz/quotes/new")
	f.Add("submit", "2026-12-24", "41911", "대구광역시 중구 공평로 88", "메모", "1", "1", "청소 용역", "3", "회")
	f.Add("submit", "2026-13-40", "4191\x00", "\xff", "\x00", "101", "-1", strings.Repeat("가", 200), "1e9", "\xed\xa0\x80")
	f.Add("add:1", "", "", "", "", "99999999999999999999", "abc", "", "", "")
	f.Add("remove:0", "2020-01-01", "", "", "", "1", "", "\u202e", "0", "")
	f.Fuzz(func(t *testing.T, op, date, postcode, road, notes, lines, product, name, qty, unit string) {
		v := url.Values{"_csrf": {tok}, "op": {op}, "desired_date": {date}, "postcode": {postcode}, "road": {road},
			"notes": {notes}, "lines": {lines}, "line_1_product": {product}, "line_1_name": {name}, "line_1_quantity": {qty},
			"line_1_unit": {unit}}
		resp, body := post(t, b, "/biz/quotes/new", v)
		answerOf(t, "quote request", resp, body)
	})
}

// FuzzInspectForm posts anything as the 검수 form of a shipped part.
func FuzzInspectForm(f *testing.F) {
	e := webtest.NewEnv(f)
	o, inst := shippedOrder(f, e)
	b := e.Shopper()
	b.SignIn(f, inst.Buyer, webtest.Password)
	page := "/biz/orders/" + o.Number
	tok := b.CSRF(f, page)
	target := page + "/parts/" + strconv.FormatInt(o.SubOrders[0].ID, 10) + "/inspect"
	line := "accepted_" + strconv.FormatInt(o.SubOrders[0].Lines[0].ID, 10)
	f.Add("2026-11-30", "김검수", "reject", "파손", "8")
	f.Add("2026-02-30", "\x00", "partial", "\xff", "-1")
	f.Add("", strings.Repeat("가", 40), "pass\x00", "", "1,000,000,000,000")
	f.Add("30000-01-01", "검수\u202e", "partial", strings.Repeat("사유", 300), "10")
	f.Fuzz(func(t *testing.T, date, inspector, result, reason, accepted string) {
		v := url.Values{"_csrf": {tok}, "date": {date}, "inspector": {inspector}, "result": {result}, "reason": {reason}, line: {accepted}}
		resp, body := post(t, b, target, v)
		answerOf(t, "검수", resp, body)
	})
}

// FuzzRegisterForm posts anything as the institution registration form of
// a new browser.
func FuzzRegisterForm(f *testing.F) {
	e := webtest.NewEnv(f)
	in := webtest.RegisterInput("대구광역시 등록구청")
	f.Add(in.Name, string(in.Kind), string(in.IDKind), in.IDNumber, in.Postcode, in.RoadAddress, in.Phone, in.Email, in.Password)
	f.Add("\x00", "\xff", "business", "123-45-6789\x00", "4191", "\xed\xa0\x80", "053-\x00", "a@b", "짧음")
	f.Add(strings.Repeat("기관", 100), "local", "unique", "99999999999", "00000", strings.Repeat("길", 300), "+82 53", "\u202e@x.kr", strings.Repeat("p", 200))
	f.Fuzz(func(t *testing.T, name, kind, idKind, idNumber, postcode, road, phone, email, password string) {
		u := e.Shopper()
		v := url.Values{"_csrf": {u.CSRF(t, "/biz/register")}, "name": {name}, "kind": {kind}, "id_kind": {idKind},
			"id_number": {idNumber}, "postcode": {postcode}, "road_address": {road}, "phone": {phone}, "department": {"회계과"},
			"user_name": {"박관리"}, "email": {email}, "password": {password}, "password_confirm": {password}}
		resp, body := post(t, u, "/biz/register", v)
		answerOf(t, "registration", resp, body)
	})
}
