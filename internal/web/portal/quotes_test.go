package portal_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestPortalQuotes: an enterprise sees the lines of a consortium request
// that were asked of it — never another member's line or price — answers
// them (a wrong form comes back as typed with each message beside its
// field), and an enterprise asked for nothing gets not found.
func TestPortalQuotes(t *testing.T) {
	w := newWorld(t)
	r, _ := w.e.QuoteRequest(t, 0, []int64{w.a, w.b}, "청소 용역")
	op := w.e.Actor(t, w.e.Operator(t))
	if err := w.e.Quotes.RouteLine(op, r.ID, r.Lines[2].ID, w.a); err != nil {
		t.Fatal(err)
	}
	memberB := w.e.Actor(t, w.e.Member(t, w.b, account.Owner))
	today := quote.Today(time.Now())
	if err := w.e.Quotes.AnswerLines(memberB, r.ID, []quote.Answer{{LineID: r.Lines[1].ID, Supply: true, UnitPrice: 77777, AvailableDate: today.AddDate(0, 0, 3)}}); err != nil {
		t.Fatal(err)
	}

	b := w.e.Shopper()
	b.SignIn(t, w.e.Member(t, w.a, account.Owner), webtest.Password)
	list := b.Page(t, "/portal/quotes", http.StatusOK)
	page := "/portal/quotes/" + strconv.FormatInt(r.ID, 10)
	if list.Find(`a[href="`+page+`"]`).Length() != 1 || !strings.Contains(list.Find("nav").Text(), "견적 요청") {
		t.Fatalf("the list has no link to %s", page)
	}
	doc := b.Page(t, page, http.StatusOK)
	html, _ := doc.Html()
	if n := doc.Find("li.quote-line").Length(); n != 2 {
		t.Errorf("A sees %d lines, want its own 2", n)
	}
	if strings.Contains(html, "77,777") || strings.Contains(html, r.Lines[1].Name) {
		t.Error("A's page shows B's line or price")
	}

	if doc.Find(`form[action$="/send"]`).Length() != 0 {
		t.Error("an enterprise may send a consortium quote from the portal")
	}

	l0, l2 := strconv.FormatInt(r.Lines[0].ID, 10), strconv.FormatInt(r.Lines[2].ID, 10)
	tok := webtest.CSRFOf(t, doc)
	date := today.AddDate(0, 0, 5).Format("2006-01-02")
	form := url.Values{"_csrf": {tok}, "line": {l0, l2}, "supply_" + l0: {"yes"}, "price_" + l0: {"많이"}, "date_" + l0: {date},
		"supply_" + l2: {"no"}, "reason_" + l2: {""}}
	_, bad, _ := b.Post(t, page+"/answer", form, http.StatusUnprocessableEntity)
	if bad.Find("#price-"+l0+"-err").Length() != 1 || bad.Find("#price-"+l0).AttrOr("value", "") != "많이" ||
		bad.Find("#date-"+l0).AttrOr("value", "") != date || bad.Find(`[role="alert"]`).Length() == 0 {
		t.Errorf("the wrong form was not kept with its message")
	}
	if bad.Find("#reason-"+l2+"-err").Length() != 1 || !strings.Contains(bad.Find("#reason-"+l2+"-err").Text(), "사유") {
		t.Errorf("no message for the missing reason beside the price's")
	}
	form.Set("price_"+l0, "12,000")
	form.Set("reason_"+l2, "청소 인력이 없습니다")
	loc, _, _ := b.Post(t, page+"/answer", form, http.StatusSeeOther)
	if loc != page+"?done=answered" {
		t.Errorf("answered: redirect to %q", loc)
	}
	var price int64
	var st string
	if err := w.e.Pool.QueryRow(t.Context(), `SELECT unit_price, status FROM quote_line_offers WHERE line_id = $1 AND enterprise_id = $2`,
		r.Lines[0].ID, w.a).Scan(&price, &st); err != nil || price != 12000 || st != "offered" {
		t.Errorf("A's answer stored: %d %s %v", price, st, err)
	}
	doc = b.Page(t, page+"?done=answered", http.StatusOK)
	if !strings.Contains(doc.Text(), "답변을 저장했습니다") || doc.Find("#price-"+l0).AttrOr("value", "") != "12,000" {
		t.Error("the page after answering does not show the answer")
	}

	// An enterprise asked for nothing of this request: not found, reading or answering.
	var c int64
	if err := w.e.Pool.QueryRow(t.Context(), `SELECT id FROM enterprises WHERE status = 'active' AND id NOT IN ($1, $2) ORDER BY id LIMIT 1`, w.a, w.b).Scan(&c); err != nil {
		t.Fatal(err)
	}
	other := w.e.Shopper()
	other.SignIn(t, w.e.Member(t, c, account.Owner), webtest.Password)
	other.Page(t, page, http.StatusNotFound)
	tokC := other.CSRF(t, "/portal/quotes")
	other.Post(t, page+"/answer", url.Values{"_csrf": {tokC}, "line": {l0}, "supply_" + l0: {"yes"}, "price_" + l0: {"1"}, "date_" + l0: {date}}, http.StatusNotFound)
	if err := w.e.Pool.QueryRow(t.Context(), `SELECT unit_price FROM quote_line_offers WHERE line_id = $1 AND enterprise_id = $2`,
		r.Lines[0].ID, w.a).Scan(&price); err != nil || price != 12000 {
		t.Errorf("A's answer after C's try: %d %v", price, err)
	}
}

// TestPortalSendsItsOwnQuote: for a request of its products alone, the
// enterprise sends the quote itself; a wrong form comes back as typed.
func TestPortalSendsItsOwnQuote(t *testing.T) {
	w := newWorld(t)
	r, buyer := w.e.QuoteRequest(t, 0, []int64{w.a})
	member := w.e.Member(t, w.a, account.Owner)
	today := quote.Today(time.Now())
	if err := w.e.Quotes.AnswerLines(w.e.Actor(t, member), r.ID, []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 9000,
		AvailableDate: today.AddDate(0, 0, 2)}}); err != nil {
		t.Fatal(err)
	}
	b := w.e.Shopper()
	b.SignIn(t, member, webtest.Password)
	page := "/portal/quotes/" + strconv.FormatInt(r.ID, 10)
	doc := b.Page(t, page, http.StatusOK)
	form := webtest.FormValues(doc.Find(`form[action$="/send"]`))
	if form.Get("_csrf") == "" {
		t.Fatal("no send form for a single-enterprise request")
	}
	form.Set("valid_until", today.AddDate(0, 0, -1).Format("2006-01-02"))
	form.Set("shipping", "3,000")
	_, bad, _ := b.Post(t, page+"/send", form, http.StatusUnprocessableEntity)
	if bad.Find("#valid_until-err").Length() != 1 || bad.Find("#shipping").AttrOr("value", "") != "3,000" {
		t.Error("the wrong quote form was not kept with its message")
	}
	form.Set("valid_until", today.AddDate(0, 0, 7).Format("2006-01-02"))
	if loc, _, _ := b.Post(t, page+"/send", form, http.StatusSeeOther); loc != page+"?done=sent" {
		t.Errorf("sent: %q", loc)
	}
	got, err := w.e.Quotes.FindRequest(buyer, r.ID)
	if err != nil || got.Status != quote.Quoted || got.Latest().Total != 9000*10+3000 {
		t.Fatalf("the buyer's request: %v %+v", err, got.Latest())
	}
	doc = b.Page(t, page+"?done=sent", http.StatusOK)
	if !strings.Contains(doc.Find("#rev-1").Closest("section").Text(), "93,000원") {
		t.Error("the portal does not show r1")
	}
}

// TestBrowserPortalQuotes runs axe-core on the quote screens at desktop
// and phone widths, also with the form's errors shown.
func TestBrowserPortalQuotes(t *testing.T) {
	w := newWorld(t)
	r, _ := w.e.QuoteRequest(t, 0, []int64{w.a}, "청소 용역")
	op := w.e.Actor(t, w.e.Operator(t))
	if err := w.e.Quotes.RouteLine(op, r.ID, r.Lines[1].ID, w.a); err != nil {
		t.Fatal(err)
	}
	member := w.e.Actor(t, w.e.Member(t, w.a, account.Owner))
	today := quote.Today(time.Now())
	if err := w.e.Quotes.AnswerLines(member, r.ID, []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 9000, AvailableDate: today.AddDate(0, 0, 2)},
		{LineID: r.Lines[1].ID, Reason: "인력 부족"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.e.Quotes.SendRevision(member, r.ID, quote.RevisionInput{DeliveryDate: today.AddDate(0, 0, 3), ValidUntil: today.AddDate(0, 0, 14),
		Shipping: map[int64]int64{w.a: 3000}}); err != nil {
		t.Fatal(err)
	}
	b := browser.New(t, w.e)
	b.SignIn(w.e.Member(t, w.a, account.Owner), webtest.Password)
	page := "/portal/quotes/" + strconv.FormatInt(r.ID, 10)
	for _, p := range []string{"/portal/quotes", "/portal/quotes?all=1", page} {
		b.CheckAxe(t, p)
	}
	b.Open(page)
	b.Fill(map[string]string{"#price-" + strconv.FormatInt(r.Lines[0].ID, 10): "많이"})
	if st := b.Submit("send a wrong answer", `form[action$="/answer"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("wrong answer: status %d, want 422", st)
	}
	b.CheckAxeCurrent(t, page+" with errors")
}

// TestDashboardWaitingAnswers: the dashboard counts the quote requests and
// the product questions waiting for the enterprise's answer, and links
// them; another enterprise's do not count.
func TestDashboardWaitingAnswers(t *testing.T) {
	w := newWorld(t)
	r, _ := w.e.QuoteRequest(t, 0, []int64{w.a})
	asker := w.e.Actor(t, w.e.Consumer(t))
	q, err := w.e.Reviews.Ask(asker, r.Lines[0].ProductID, "유통기한이 언제까지인가요?", false)
	if err != nil {
		t.Fatal(err)
	}
	counts := func(b *webtest.Shopper) (quotes, questions string) {
		t.Helper()
		doc := b.Page(t, "/portal", http.StatusOK)
		return strings.Join(strings.Fields(doc.Find(`.counts a[href="/portal/quotes"]`).Text()), " "),
			strings.Join(strings.Fields(doc.Find(`.counts a[href="/portal/questions?open=1"]`).Text()), " ")
	}
	a := w.e.Shopper()
	a.SignIn(t, w.e.Member(t, w.a, account.Owner), webtest.Password)
	if qs, qn := counts(a); qs != "견적 답변 전 1건" || qn != "문의 답변 전 1건" {
		t.Errorf("enterprise A: %q, %q", qs, qn)
	}
	bee := w.e.Shopper()
	bee.SignIn(t, w.e.Member(t, w.b, account.Owner), webtest.Password)
	if qs, qn := counts(bee); qs != "견적 답변 전 0건" || qn != "문의 답변 전 0건" {
		t.Errorf("enterprise B: %q, %q", qs, qn)
	}
	if err := w.e.Reviews.Answer(w.e.Actor(t, w.e.Member(t, w.a, account.Owner)), q.ID, "내년 3월까지입니다."); err != nil {
		t.Fatal(err)
	}
	if _, qn := counts(a); qn != "문의 답변 전 0건" {
		t.Errorf("after the answer: %q", qn)
	}
}
