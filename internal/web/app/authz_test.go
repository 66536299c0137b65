package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// audienceRoute is one route of the portal, the console, the portal API or
// the account pages, with its parameters filled with enterprise A's ids.
type audienceRoute struct {
	Method, Pattern, Path string
	HasID                 bool // the path names one of A's things
}

var paramRe = regexp.MustCompile(`:([a-z]+)(<[^>]+>)?`)

// TestAuthorizationMatrix sends every portal, console, portal-API, /biz
// and account route (read from the app's router, so a new route is in the
// matrix the day it is added) as each of six actors and checks each cell:
// anonymous, a consumer, a member of enterprise A, a member of enterprise
// B (always with A's ids), an operator, and a member of a suspended
// enterprise; then institution users: the admin and a buyer of
// institution A, the admin of B (always with A's ids) and the admin of a
// suspended institution. B must never read or change A's products, images,
// sub-orders, members, keys or quote lines by guessing ids, nor institution
// B A's members; at the end A's product, sub-order, quote line and buyer
// are unchanged.
func TestAuthorizationMatrix(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	ents := e.Enterprises(t, 3)
	entA, entB, entC := ents[0], ents[1], ents[2]

	var productA int64
	var nameA string
	var priceA int64
	if err := e.Pool.QueryRow(ctx, `UPDATE products SET stock = 100 WHERE id = (SELECT id FROM products
		WHERE enterprise_id = $1 AND status = 'active' AND kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = products.id)
		ORDER BY id LIMIT 1) RETURNING id, name, consumer_price`, entA).Scan(&productA, &nameA, &priceA); err != nil {
		t.Fatalf("a product of A: %v", err)
	}
	o := e.PaidOrder(t, productA, 1)
	var subA int64
	for _, so := range o.SubOrders {
		if so.EnterpriseID == entA {
			subA = so.ID
		}
	}
	invoiceA, _ := e.InvoiceOrder(t, productA, 1, priceA)
	ownerA := e.Member(t, entA, account.Owner)
	staffA := e.Member(t, entA, account.Staff)
	ownerB := e.Member(t, entB, account.Owner)
	ownerC := e.Member(t, entC, account.Owner)
	consumer := e.Consumer(t)
	operator := e.Operator(t)
	var staffAID int64
	if err := e.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, staffA).Scan(&staffAID); err != nil {
		t.Fatal(err)
	}
	actA, _, err := e.Accounts.SignIn(ctx, ownerA, webtest.Password, "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	keyA, _, err := e.Accounts.CreateAPIKey(account.NewContext(ctx, actA), entA, "matrix")
	if err != nil {
		t.Fatal(err)
	}

	// Institutions A and B (active, each with an admin and a buyer) and C,
	// suspended: A's member and institution ids are the ones guessed.
	instA := e.Institution(t, "대구광역시 가구청")
	instB := e.Institution(t, "경상북도 나교육청")
	instC := e.Institution(t, "다공단")
	// A quote request with a line asked of A (and none of B).
	quoteA, _ := e.QuoteRequest(t, 0, []int64{entA})

	// A's invoice order belongs to institution A, shipped and inspected, so
	// that its documents exist; its part is enterprise A's.
	if _, err := e.Pool.Exec(ctx, `UPDATE orders SET institution_id = $1 WHERE id = $2`, instA.ID, invoiceA.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE sub_orders SET status = 'shipped', courier = 'cj', tracking_number = '123456789012',
		shipped_at = now() - interval '1 day' WHERE order_id = $1`, invoiceA.ID); err != nil {
		t.Fatal(err)
	}
	setCoop(t, e)
	buyerA, _, err := e.Accounts.SignIn(ctx, instA.Buyer, webtest.Password, "192.0.2.11")
	if err != nil {
		t.Fatal(err)
	}
	invSubA := invoiceA.SubOrders[0].ID
	if _, err := e.Orders.Inspect(account.NewContext(ctx, buyerA), invSubA, order.InspectionInput{
		Date: time.Now().In(kr.Seoul()).Format(time.DateOnly), Inspector: "김검수", Result: order.InspectPass}); err != nil {
		t.Fatal(err)
	}
	// A card-terms public order of A awaiting payment, for the pay routes
	// (an invoice order's pay page sends its buyer back to the order).
	cardA, err := e.Orders.PlacePublic(account.NewContext(ctx, buyerA), order.PublicOrderInput{Key: "matrix-card",
		InstitutionID: instA.ID, UserID: buyerA.UserID, Buyer: order.Buyer{Name: buyerA.Name, Phone: "053-803-0114", Email: buyerA.Email},
		Address:         order.Address{Recipient: "가구청 총무과", Phone: "053-803-0114", Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
		DesiredDelivery: coop.Date(2099, 1, 1), Terms: order.TermsCard,
		Lines: []order.PublicLine{{ProductID: productA, Quantity: 1, UnitPrice: priceA}}})
	if err != nil {
		t.Fatal(err)
	}
	// Routes naming an order by its number.
	numbers := map[string]string{"/biz/orders/": invoiceA.Number,
		"/admin/legal/": "terms"} // a document kind: only operators may publish one
	// Routes whose parameter is another of A's things than their prefix says.
	routeIDs := map[string]int64{"/portal/orders/:id<int>/statement": invSubA, "/portal/orders/:id<int>/statement.pdf": invSubA}
	// A review and a question about A's product, for the portal's reply
	// and answer and the console's hide.
	reviewer := e.Consumer(t)
	delivered, _ := e.DeliveredOrder(t, productA, reviewer)
	reviewA, err := e.Reviews.Write(e.As(t, reviewer), delivered.SubOrders[0].Lines[0].ID,
		review.ReviewInput{Rating: 5, Body: "권한 확인용 구매평입니다. 잘 받았습니다."})
	if err != nil {
		t.Fatal(err)
	}
	questionA, err := e.Reviews.Ask(e.As(t, reviewer), productA, "권한 확인용 문의입니다.", true)
	if err != nil {
		t.Fatal(err)
	}

	// Institution A's own request with r1 sent (/biz/quotes/…).
	bizQuoteA := quoteOf(t, e, instA, entA, operator, ownerA)
	ids := map[string]int64{
		"/portal/reviews/": reviewA.ID, "/portal/questions/": questionA.ID, "/admin/reviews/": reviewA.ID,
		"/biz/quotes/": bizQuoteA.ID, "/biz/quotes/" + strconv.FormatInt(bizQuoteA.ID, 10) + "/r/": 1,
		"/biz/members/": instA.BuyerID, "/admin/institutions/": instA.ID,
		"/portal/products/": productA, "/portal/orders/": subA, "/portal/members/": staffAID, "/portal/keys/": keyA.ID,
		"/portal/quotes/": quoteA.ID, "/admin/quotes/": quoteA.ID,
		"/admin/enterprises/": entA, "/admin/products/": productA, "/admin/invoices/": invoiceA.ID,
		"/admin/bundles/":          productA, // not a bundle: the guard answers before the id matters
		"/admin/holidays/":         20260925, // a date's digits: only operators may remove one
		"/api/v1/portal/products/": productA, "/api/v1/portal/orders/": subA,
	}
	// A settlement statement of A (/portal/settlements/…, /admin/settlements/…).
	var statementA int64
	if err := e.Pool.QueryRow(ctx, `INSERT INTO settlement_statements (enterprise_id, period_from, period_to)
		VALUES ($1, '2026-10-01', '2026-10-31') RETURNING id`, entA).Scan(&statementA); err != nil {
		t.Fatal(err)
	}
	ids["/portal/settlements/"], ids["/admin/settlements/"] = statementA, statementA
	// A help desk request of A with an attachment.
	helpA, err := e.Helpdesk.Open(account.NewContext(ctx, actA), helpdesk.OpenInput{Category: helpdesk.Photo, Title: "권한 확인",
		Body: "첨부 확인", Attachments: []helpdesk.Upload{{Name: "a.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	ids["/portal/help/"], ids["/admin/help/"] = helpA.ID, helpA.ID
	fileA := helpA.Messages[0].Attachments[0].ID
	ids["/portal/help/"+strconv.FormatInt(helpA.ID, 10)+"/files/"] = fileA
	ids["/admin/help/"+strconv.FormatInt(helpA.ID, 10)+"/files/"] = fileA
	// An expo live now with A's booth (the portal's /portal/campaigns/…,
	// the console's campaign and booth).
	now := time.Now()
	var operatorID int64
	if err := e.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, operator).Scan(&operatorID); err != nil {
		t.Fatal(err)
	}
	opCtx := account.NewContext(ctx, &account.Actor{UserID: operatorID, Role: account.Operator, Name: "운영자"})
	expo, err := e.Curation.Create(opCtx, curation.Input{Slug: "matrix", Kind: "expo", Title: "권한 확인 박람회",
		Status: "published", Starts: curation.FormatKST(now.Add(-time.Hour)), Ends: curation.FormatKST(now.Add(24 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	boothA, err := e.Curation.AddBooth(opCtx, expo.ID, entA)
	if err != nil {
		t.Fatal(err)
	}
	ids["/portal/campaigns/"], ids["/admin/campaigns/"] = boothA.ID, expo.ID
	ids["/admin/campaigns/"+strconv.FormatInt(expo.ID, 10)+"/booths/"] = boothA.ID
	ids["/portal/campaigns/"+strconv.FormatInt(boothA.ID, 10)+"/images/"] = 0 // the first picture
	// A draft notice with a file (/admin/board/…), and another for the
	// delete route, which the operator's row of the matrix really sends.
	postA, err := e.Board.Create(opCtx, board.Input{Kind: board.Notice, Title: "권한 확인 공지",
		Files: []helpdesk.Upload{{Name: "a.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	postDel, err := e.Board.Create(opCtx, board.Input{Kind: board.Notice, Title: "지울 공지"})
	if err != nil {
		t.Fatal(err)
	}
	ids["/admin/board/"] = postA.ID
	ids["/admin/board/"+strconv.FormatInt(postA.ID, 10)+"/files/"] = postA.Files[0].ID
	routeIDs["/admin/board/:id<int>/delete"] = postDel.ID
	var routes []audienceRoute
	seen := map[string]bool{}
	for _, r := range e.App.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == http.MethodOptions || seen[r.Method+r.Path] {
			continue
		}
		if !strings.HasPrefix(r.Path, "/portal") && !strings.HasPrefix(r.Path, "/admin") && !strings.HasPrefix(r.Path, "/api/v1/portal") &&
			!strings.HasPrefix(r.Path, "/biz") {
			continue
		}
		if publicBiz[r.Path] { // the landing page and the forms anyone may use
			continue
		}
		seen[r.Method+r.Path] = true
		ar := audienceRoute{Method: r.Method, Pattern: r.Path}
		path := r.Path
		for {
			loc := paramRe.FindStringIndex(path)
			if loc == nil {
				break
			}
			val, ok := "", false
			for prefix, v := range ids {
				if strings.HasPrefix(path[:loc[0]], prefix) && len(path[:loc[0]]) == len(prefix) {
					val, ok = strconv.FormatInt(v, 10), true
				}
			}
			for prefix, v := range numbers {
				if strings.HasPrefix(path[:loc[0]], prefix) && len(path[:loc[0]]) == len(prefix) {
					val, ok = v, true
				}
			}
			if v, found := routeIDs[r.Path]; found {
				val, ok = strconv.FormatInt(v, 10), true
			}
			if strings.HasPrefix(r.Path, "/biz/orders/:number/pay") {
				val, ok = cardA.Number, true
			}
			if strings.HasPrefix(r.Path, "/biz/orders/") && strings.HasSuffix(path[:loc[0]], "/parts/") {
				val, ok = strconv.FormatInt(invSubA, 10), true
			}
			if !ok {
				t.Fatalf("route %s %s: no id of A for its parameter (add its prefix to the matrix)", r.Method, r.Path)
			}
			path = path[:loc[0]] + val + path[loc[1]:]
			ar.HasID = true
		}
		ar.Path = path
		routes = append(routes, ar)
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].Pattern+routes[i].Method < routes[j].Pattern+routes[j].Method })
	if len(routes) < 40 {
		t.Fatalf("only %d portal/console/API routes found", len(routes))
	}

	if _, err := e.Pool.Exec(ctx, `UPDATE enterprises SET status = 'suspended' WHERE id = $1`, entC); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE institutions SET status = 'suspended' WHERE id = $1`, instC.ID); err != nil {
		t.Fatal(err)
	}

	type actor struct {
		name   string
		b      *webtest.Shopper
		expect func(r audienceRoute) []int // allowed statuses; nil: not checked
	}
	browser := func(email string) *webtest.Shopper {
		b := e.Shopper()
		if email != "" {
			b.SignIn(t, email, webtest.Password)
		}
		return b
	}
	area := func(r audienceRoute) string {
		switch {
		case strings.HasPrefix(r.Pattern, "/api/"):
			return "api"
		case strings.HasPrefix(r.Pattern, "/admin"):
			return "admin"
		case strings.HasPrefix(r.Pattern, "/biz"):
			return "biz"
		}
		return "portal"
	}
	// institution is the expectation for an institution user: the portal and
	// the portal API refuse, the console does not exist, and /biz answers
	// by its own rules.
	institution := func(biz func(r audienceRoute) []int) func(r audienceRoute) []int {
		return func(r audienceRoute) []int {
			switch area(r) {
			case "admin":
				return []int{404}
			case "api":
				return []int{401, 403}
			case "portal":
				return []int{403}
			}
			return biz(r)
		}
	}
	adminOnly := func(r audienceRoute) bool { return strings.HasPrefix(r.Pattern, "/biz/members") }
	isGet := func(r audienceRoute) bool { return r.Method == http.MethodGet }
	actors := []actor{
		{"anonymous", browser(""), func(r audienceRoute) []int {
			switch {
			case area(r) == "api":
				return []int{401}
			case isGet(r):
				return []int{303}
			}
			return []int{401, 403}
		}},
		{"consumer", browser(consumer), func(r audienceRoute) []int {
			if area(r) == "admin" {
				return []int{404}
			}
			return []int{403}
		}},
		{"member of A", browser(ownerA), func(r audienceRoute) []int {
			switch {
			case area(r) == "admin":
				return []int{404}
			case area(r) == "biz":
				return []int{403}
			case isGet(r):
				return []int{200}
			}
			return nil // A's own writes are the feature tests' business
		}},
		{"member of B", browser(ownerB), func(r audienceRoute) []int {
			switch {
			case area(r) == "admin":
				return []int{404}
			case area(r) == "biz":
				return []int{403}
			case r.HasID:
				return []int{404}
			case isGet(r):
				return []int{200}
			}
			return nil
		}},
		{"operator", browser(operator), func(r audienceRoute) []int {
			switch {
			case area(r) != "admin":
				return []int{403}
			case isGet(r):
				return []int{200}
			}
			return nil // the console's writes are tested on their own
		}},
		{"member of a suspended enterprise", browser(ownerC), func(r audienceRoute) []int {
			if area(r) == "admin" {
				return []int{404}
			}
			return []int{403}
		}},
		{"admin of institution A", browser(instA.Admin), institution(func(r audienceRoute) []int {
			if isGet(r) {
				return []int{200}
			}
			return nil // A's own member changes are the feature tests' business
		})},
		{"buyer of institution A", browser(instA.Buyer), institution(func(r audienceRoute) []int {
			switch {
			case adminOnly(r):
				return []int{403}
			case isGet(r):
				return []int{200}
			}
			return nil
		})},
		{"admin of institution B", browser(instB.Admin), institution(func(r audienceRoute) []int {
			switch {
			case r.HasID:
				return []int{404}
			case isGet(r):
				return []int{200}
			}
			return nil
		})},
		{"admin of a suspended institution", browser(instC.Admin), institution(func(r audienceRoute) []int {
			if r.Pattern == "/biz/institution" {
				return []int{200} // where things stand
			}
			return []int{403}
		})},
	}
	for _, a := range actors {
		tok := ""
		if a.name != "anonymous" {
			tok = a.b.CSRF(t, "/account")
		} else {
			tok = a.b.CSRF(t, "/account/signin")
		}
		for _, r := range routes {
			want := a.expect(r)
			if want == nil {
				continue
			}
			var resp *http.Response
			var body string
			switch {
			case isGet(r):
				resp, body = a.b.Do(t, r.Method, r.Path, "", nil)
			case area(r) == "api":
				resp, body = a.b.Do(t, r.Method, r.Path, "application/json", strings.NewReader(`{}`))
			default:
				resp, body = a.b.Do(t, r.Method, r.Path, "application/x-www-form-urlencoded",
					strings.NewReader(url.Values{"_csrf": {tok}, "reason": {"권한 확인"}}.Encode()))
			}
			ok := false
			for _, s := range want {
				ok = ok || resp.StatusCode == s
			}
			if ok && resp.StatusCode == 303 && !strings.HasPrefix(resp.Header.Get("Location"), "/account/signin") {
				ok = false
			}
			if !ok {
				t.Errorf("%-34s %-6s %-45s → %d %s, want %v\n%s", a.name, r.Method, r.Pattern, resp.StatusCode,
					resp.Header.Get("Location"), want, webtest.Truncate(body, 300))
			}
		}
	}

	// The priority-purchase report takes an institution id in its query:
	// another institution's buyer naming A gets not found, and the operator
	// gets A's.
	buyerB := browser(instB.Buyer)
	for _, path := range []string{"/biz/reports", "/biz/reports.csv", "/biz/reports.xlsx"} {
		if resp, body := buyerB.Do(t, http.MethodGet, path+"?institution="+strconv.FormatInt(instA.ID, 10), "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("buyer of B, %s for A: %d %s", path, resp.StatusCode, webtest.Truncate(body, 200))
		}
	}
	opB := browser(operator)
	if resp, _ := opB.Do(t, http.MethodGet, "/admin/reports/procurement?institution="+strconv.FormatInt(instA.ID, 10), "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("operator, A's report: %d", resp.StatusCode)
	}
	// The sales report (in the matrix with every /admin route) is the
	// operators' alone, also as a file.
	for _, path := range []string{"/admin/reports/sales", "/admin/reports/sales.csv", "/admin/reports/sales.xlsx"} {
		if resp, _ := buyerB.Do(t, http.MethodGet, path+"?kind=year", "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("buyer of B, %s: %d, want 404", path, resp.StatusCode)
		}
		if resp, _ := opB.Do(t, http.MethodGet, path+"?kind=year", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("operator, %s: %d", path, resp.StatusCode)
		}
	}

	// Nothing of A's changed under the others' requests.
	var name string
	var price int64
	var status string
	if err := e.Pool.QueryRow(ctx, `SELECT name, consumer_price, status FROM products WHERE id = $1`, productA).Scan(&name, &price, &status); err != nil {
		t.Fatal(err)
	}
	if name != nameA || price != priceA || status != "active" {
		t.Errorf("A's product changed: %q %d %s", name, price, status)
	}
	var sub string
	if err := e.Pool.QueryRow(ctx, `SELECT status FROM sub_orders WHERE id = $1`, subA).Scan(&sub); err != nil || sub != "paid" {
		t.Errorf("A's sub-order: %q %v, want still paid", sub, err)
	}
	var offer string
	if err := e.Pool.QueryRow(ctx, `SELECT status FROM quote_line_offers WHERE line_id = $1`, quoteA.Lines[0].ID).Scan(&offer); err != nil || offer != "asked" {
		t.Errorf("A's quote line: %q %v, want still asked", offer, err)
	}
	// A's review and question are as they were.
	var replied, hidden, answered bool
	if err := e.Pool.QueryRow(ctx, `SELECT r.reply <> '', r.hidden_at IS NOT NULL, q.answered_at IS NOT NULL
		FROM reviews r, questions q WHERE r.id = $1 AND q.id = $2`, reviewA.ID, questionA.ID).Scan(&replied, &hidden, &answered); err != nil ||
		replied || hidden || answered {
		t.Errorf("A's review replied %v, hidden %v, question answered %v (%v): want none", replied, hidden, answered, err)
	}
	if got, err := e.Quotes.FindRequest(e.Actor(t, operator), bizQuoteA.ID); err != nil || got.Status != quote.Quoted || got.Decision != nil {
		t.Errorf("institution A's quote changed: %v", err)
	}
	// Nothing of institution A's changed either.
	var buyer, inst string
	if err := e.Pool.QueryRow(ctx, `SELECT m.status || '/' || m.role, i.status FROM institution_members m
		JOIN institutions i ON i.id = m.institution_id WHERE m.user_id = $1`, instA.BuyerID).Scan(&buyer, &inst); err != nil ||
		buyer != "active/buyer" || inst != "active" {
		t.Errorf("A's buyer %q, institution %q (%v), want active/buyer, active", buyer, inst, err)
	}
	fmt.Fprintf(testWriter{t}, "authorization matrix: %d routes × %d actors\n", len(routes), len(actors))
}

// publicBiz are the /biz routes anyone may use.
var publicBiz = map[string]bool{"/biz": true, "/biz/": true, "/biz/register": true, "/biz/join": true}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestAccountPagesNeedASignIn: the member-only account pages send an
// anonymous visitor to the sign-in and never show anything.
func TestAccountPagesNeedASignIn(t *testing.T) {
	e := webtest.NewEnv(t)
	b := e.Shopper()
	for _, p := range []string{"/account", "/account/password", "/account/orders/claim", "/account/addresses", "/account/orders"} {
		resp, body := b.Do(t, http.MethodGet, p, "", nil)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/account/signin?next="+url.QueryEscape(p) {
			t.Errorf("GET %s anonymous: %d %q\n%s", p, resp.StatusCode, resp.Header.Get("Location"), webtest.Truncate(body, 200))
		}
	}
}

// setCoop gives the co-op the business details and account its documents
// name.
func setCoop(t *testing.T, e *webtest.Env) {
	t.Helper()
	if _, err := e.Pool.Exec(context.Background(), `UPDATE coop_settings SET name = '두레 사회적협동조합', representative = '김두레',
		business_number = '1208147521', address = '대구광역시 중구 동덕로 115', bank_name = '대구은행',
		bank_account = '508-10-123456-7', bank_holder = '두레 사회적협동조합'`); err != nil {
		t.Fatal(err)
	}
}

// quoteOf is a request of institution inst's buyer for a product of ent,
// answered by ent's owner and sent as r1 by the operator.
func quoteOf(t *testing.T, e *webtest.Env, inst *webtest.Inst, ent int64, operator, owner string) *quote.Request {
	t.Helper()
	ctx := context.Background()
	var pid int64
	if err := e.Pool.QueryRow(ctx, `SELECT id FROM products p WHERE p.enterprise_id = $1 AND p.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1`, ent).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	day := quote.Today(time.Now()).AddDate(0, 0, 7)
	r, err := e.Quotes.CreateRequest(e.Actor(t, inst.Buyer), quote.RequestInput{DesiredDate: day,
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88"}, Lines: []quote.LineInput{{ProductID: pid, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Quotes.AnswerLines(e.Actor(t, owner), r.ID, []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 5000, AvailableDate: day}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Quotes.SendRevision(e.Actor(t, operator), r.ID, quote.RevisionInput{DeliveryDate: day, ValidUntil: day}); err != nil {
		t.Fatal(err)
	}
	return r
}
