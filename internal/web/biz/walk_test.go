package biz_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserProcurementWalk is the public buyer's journey in headless
// Chromium, from the request to the downloaded report: the buyer turns the
// cart into a request and adds 청소 용역 and a banner; the cleaning
// enterprise answers on /portal, linking 청소 용역 to its service; the
// other answers and r1 come from the services; the buyer reads the quote
// (the banner shown as not supplied) and its 견적서, accepts on invoice,
// records a partial 검수 on the order page, reads the 거래명세서 and the
// 청구서, reads the 우선구매 report and downloads it as CSV (a real
// download, its figures checked). axe-core checks every page on the way
// at 1280 and 390 px: 0 serious or critical; keyboard focus visible.
func TestBrowserProcurementWalk(t *testing.T) {
	e := webtest.NewEnv(t)
	setCoop(t, e)
	ctx := context.Background()
	inst := e.Institution(t, "대구광역시 걷기구청")
	products, ents, _ := goodsOf(t, e, 2)
	var cleaner int64
	if err := e.Pool.QueryRow(ctx, `SELECT p.enterprise_id FROM products p WHERE p.status = 'active' AND p.kind = 'service'
		AND p.tax_type = 'taxable' AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.enterprise_id LIMIT 1`).Scan(&cleaner); err != nil {
		t.Fatal(err)
	}
	service := e.Linkable(t, cleaner)
	for i, qty := range []int{10, 3} {
		if err := e.Carts.Add(ctx, cart.UserCartID(inst.BuyerID), cart.Key{ProductID: products[i]}, qty); err != nil {
			t.Fatal(err)
		}
	}
	b := browser.New(t, e)
	check := func(what string) {
		t.Helper()
		b.CheckAxeCurrent(t, what)
		b.CheckFocus(t, what)
	}

	// The request, from the cart and line by line.
	b.SignIn(inst.Buyer, webtest.Password)
	check("/biz (active buyer)")
	b.Open("/biz/products")
	check("/biz/products")
	b.Open("/biz/institution")
	check("/biz/institution")
	b.Open("/cart")
	if st := b.Submit("견적 요청하기 from the cart", `form[action="/biz/quotes/cart"] button`); st != http.StatusOK {
		t.Fatalf("quote from the cart: %d", st)
	}
	check("/biz/quotes/new from the cart")
	for range 2 {
		if st := b.Submit("add a free-text line", `button[value="add_free"]`); st != http.StatusOK {
			t.Fatalf("add a line: %d", st)
		}
	}
	b.Fill(map[string]string{"#line-3-name": "청소 용역", "#line-3-quantity": "5", "#line-3-unit": "회",
		"#line-4-name": "대형 현수막 제작", "#line-4-quantity": "1", "#line-4-unit": "개",
		"#desired_date": quote.Today(time.Now()).AddDate(0, 0, 10).Format(time.DateOnly), "#postcode": "42106",
		"#road": "대구광역시 수성구 달구벌대로 2423"})
	if st := b.Submit("request", `button[value="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("main"), "견적을 요청했습니다") {
		t.Fatalf("request: %d %q", st, b.Text("main"))
	}
	check("/biz/quotes/:id (requested)")
	path, _, _ := strings.Cut(b.Path(), "?")
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/biz/quotes/"), 10, 64)
	if err != nil {
		t.Fatalf("request id from %s", b.Path())
	}
	b.Open("/biz/quotes")
	check("/biz/quotes")
	b.SignOut()

	// The co-op routes the free-text lines; the cleaning enterprise answers
	// on the portal, supplying 청소 용역 as its service.
	op := e.Actor(t, e.Operator(t))
	r, err := e.Quotes.FindRequest(op, id)
	if err != nil || len(r.Lines) != 4 {
		t.Fatalf("request: %v", err)
	}
	for _, rt := range [][2]int64{{r.Lines[2].ID, cleaner}, {r.Lines[3].ID, ents[0]}} {
		if err := e.Quotes.RouteLine(op, id, rt[0], rt[1]); err != nil {
			t.Fatal(err)
		}
	}
	cleanerEmail := e.Member(t, cleaner, account.Owner)
	b.SignIn(cleanerEmail, webtest.Password)
	portal := "/portal/quotes/" + strconv.FormatInt(id, 10)
	b.Open(portal)
	check(portal + " (to answer, a free-text line)")
	l3 := strconv.FormatInt(r.Lines[2].ID, 10)
	day := quote.Today(time.Now()).AddDate(0, 0, 5)
	b.Run("supply 청소 용역", chromedp.Click(chromedp.CSS(`input[name="supply_`+l3+`"][value="yes"]`)))
	b.Fill(map[string]string{"#price-" + l3: "9900", "#date-" + l3: day.Format(time.DateOnly), "#product-" + l3: strconv.FormatInt(service, 10)})
	if st := b.Submit("answer", `form[action$="/answer"] button[type="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("main"), "답변을 저장했습니다") {
		t.Fatalf("answer: %d %q", st, b.Text("main"))
	}
	b.SignOut()
	lineOf := map[int64]int64{} // product → its line (the cart's order is the cart's)
	for _, l := range r.Lines {
		lineOf[l.ProductID] = l.ID
	}
	for i, ans := range [][]quote.Answer{
		{{LineID: lineOf[products[0]], Supply: true, UnitPrice: flowPrice0, AvailableDate: day}, {LineID: r.Lines[3].ID, Reason: "현수막 장비가 없습니다"}},
		{{LineID: lineOf[products[1]], Supply: true, UnitPrice: flowPrice1, AvailableDate: day}},
	} {
		if err := e.Quotes.AnswerLines(e.Actor(t, e.Member(t, ents[i], account.Owner)), id, ans); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Quotes.SendRevision(op, id, quote.RevisionInput{DeliveryDate: day, ValidUntil: day.AddDate(0, 0, 7),
		Shipping: map[int64]int64{ents[0]: flowShipping}}); err != nil {
		t.Fatal(err)
	}

	// The buyer reads r1 and its 견적서 and accepts it on invoice.
	b.SignIn(inst.Buyer, webtest.Password)
	page := "/biz/quotes/" + strconv.FormatInt(id, 10)
	b.Open(page)
	total := int64(10*flowPrice0 + flowShipping + 3*flowPrice1 + 5*flowPrice2)
	if txt := b.Text("main"); !strings.Contains(txt, kr.Won(total)) || !strings.Contains(txt, "현수막 장비가 없습니다") {
		t.Errorf("quote page: %q", txt)
	}
	check(page + " (r1, a line not supplied)")
	b.Open(page + "/r/1")
	check(page + "/r/1")
	b.Open(page)
	b.Run("pay on invoice", chromedp.Click(chromedp.CSS(`input[name="terms"][value="invoice"]`)))
	if st := b.Submit("accept", `form[action$="/accept"] button[type="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("main"), "수락했습니다") {
		t.Fatalf("accept: %d %q", st, b.Text("main"))
	}
	check(page + " (accepted)")
	var number string
	if err := e.Pool.QueryRow(ctx, `SELECT number FROM orders WHERE quote_id = $1`, id).Scan(&number); err != nil {
		t.Fatal(err)
	}
	o, err := e.Orders.FindOrder(ctx, number)
	if err != nil || len(o.SubOrders) != 3 {
		t.Fatalf("order: %v", err)
	}
	for _, so := range o.SubOrders {
		staff := account.NewContext(ctx, &account.Actor{UserID: 1, Name: "직원", Role: account.EnterpriseStaff,
			EnterpriseID: so.EnterpriseID, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
		if err := e.Orders.AcceptSubOrder(staff, so.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.Orders.ShipSubOrder(staff, so.ID, "cj", "123456789012"); err != nil {
			t.Fatal(err)
		}
	}

	// 검수 on the order page: the first part partly (8 of 10), the others
	// passed.
	b.Open("/biz/orders")
	check("/biz/orders")
	orderPage := "/biz/orders/" + number
	b.Open(orderPage)
	check(orderPage + " (shipped)")
	var part0 *order.SubOrder // the first enterprise's part, 10 units
	for _, so := range o.SubOrders {
		if so.EnterpriseID == ents[0] {
			part0 = so
		}
	}
	first := strconv.FormatInt(part0.ID, 10)
	form := `#part-` + first + ` form.inspect-form`
	b.Run("partial", chromedp.Click(chromedp.CSS(form+` input[name="result"][value="partial"]`)))
	b.Fill(map[string]string{"#n-" + first: "김검수", "#s-" + first: "2개 파손",
		"#a-" + strconv.FormatInt(part0.Lines[0].ID, 10): "8"})
	if st := b.Submit("검수 partial", form+` button[type="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("main"), "부분 합격") {
		t.Fatalf("검수: %d %q", st, b.Text("main"))
	}
	buyer := e.Actor(t, inst.Buyer)
	for _, so := range o.SubOrders {
		if so == part0 {
			continue
		}
		if _, err := e.Orders.Inspect(buyer, so.ID, order.InspectionInput{Date: today(), Inspector: "이검수", Result: order.InspectPass}); err != nil {
			t.Fatal(err)
		}
	}
	opb := e.Shopper()
	opb.SignIn(t, e.Operator(t), webtest.Password)
	admin := "/admin/invoices/" + strconv.FormatInt(o.ID, 10)
	opb.Post(t, admin+"/transfers", url.Values{"_csrf": {opb.CSRF(t, admin)}, "date": {today()}, "amount": {"100,000"},
		"payer": {"걷기구청"}}, http.StatusSeeOther)
	b.Open(orderPage)
	check(orderPage + " (inspected, part paid)")
	for _, doc := range []string{"/statement", "/invoice"} {
		if st := b.Open(orderPage + doc); st != http.StatusOK {
			t.Fatalf("%s: %d", doc, st)
		}
		check(orderPage + doc)
	}

	// The report, then its CSV downloaded.
	counted := int64(8*flowPrice0 + 3*flowPrice1 + 5*flowPrice2)
	report := "/biz/reports?kind=range&from=" + today() + "&to=" + today()
	b.Open(report)
	if got := b.Text(`[data-figure="amount"]`); got != kr.Won(counted) {
		t.Errorf("report amount %q, want %s", got, kr.Won(counted))
	}
	check("/biz/reports")
	dir := t.TempDir()
	if _, err := chromedp.Call(b.Ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	b.Run("download the CSV", chromedp.Click(chromedp.CSS(`a[href^="/biz/reports.csv"]`)))
	var csv []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && csv == nil; time.Sleep(100 * time.Millisecond) {
		names, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, n := range names {
			if strings.HasSuffix(n, ".crdownload") {
				continue
			}
			if data, err := os.ReadFile(n); err == nil && len(data) > 0 {
				csv = data
			}
		}
	}
	if csv == nil {
		t.Fatal("no CSV was downloaded")
	}
	if s := string(csv); !strings.HasPrefix(s, "\ufeff") || !strings.Contains(s, "대구광역시 걷기구청") ||
		!strings.Contains(s, strconv.FormatInt(counted, 10)) {
		t.Errorf("downloaded CSV:\n%s", webtest.Truncate(s, 800))
	}
}
