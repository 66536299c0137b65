package admin_test

import (
	"context"
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

// consortium is a request of A's institution (direct-contract limit
// 1,000,000원) for two enterprises' products, 청소 용역 and a banner; the
// operator's browser is signed in.
type consortium struct {
	e     *webtest.Env
	ents  []int64
	r     *quote.Request
	buyer context.Context
	op    *webtest.Shopper
	page  string
}

func newConsortium(t *testing.T) *consortium {
	e := webtest.NewEnv(t)
	k := &consortium{e: e, ents: e.Enterprises(t, 3)}
	k.r, k.buyer = e.QuoteRequest(t, 1_000_000, k.ents[:2], "청소 용역", "대형 현수막 제작")
	k.op = e.Shopper()
	k.op.SignIn(t, e.Operator(t), webtest.Password)
	k.page = "/admin/quotes/" + strconv.FormatInt(k.r.ID, 10)
	return k
}

// answer has each enterprise answer its lines: 12,000원, 33,000원, 청소
// 150,000원 by the third, which cannot make the banner.
func (k *consortium) answer(t *testing.T) {
	t.Helper()
	day := quote.Today(time.Now()).AddDate(0, 0, 4)
	for i, ans := range [][]quote.Answer{
		{{LineID: k.r.Lines[0].ID, Supply: true, UnitPrice: 12000, AvailableDate: day}},
		{{LineID: k.r.Lines[1].ID, Supply: true, UnitPrice: 33000, AvailableDate: day}},
		{{LineID: k.r.Lines[2].ID, Supply: true, UnitPrice: 150000, AvailableDate: day, ProductID: k.e.Linkable(t, k.ents[2])}, {LineID: k.r.Lines[3].ID, Reason: "현수막 장비가 없습니다"}},
	} {
		m := k.e.Actor(t, k.e.Member(t, k.ents[i], account.Owner))
		if err := k.e.Quotes.AnswerLines(m, k.r.ID, ans); err != nil {
			t.Fatalf("enterprise %d answers: %v", i, err)
		}
	}
}

// TestConsoleQuotes: the inbox by status, routing the free-text lines,
// a wrong merge kept as typed, a preview, sending r1 with the unsupplied
// line and the direct-contract notice shown, all in the audit log.
func TestConsoleQuotes(t *testing.T) {
	k := newConsortium(t)
	doc := k.op.Page(t, "/admin/quotes", http.StatusOK)
	row := doc.Find(`a[href="` + k.page + `"]`).Closest("tr")
	if row.Length() != 1 || !strings.Contains(row.Text(), "기업 지정 필요 2개") {
		t.Fatalf("inbox row: %q", row.Text())
	}
	if k.op.Page(t, "/admin/quotes?status=accepted", http.StatusOK).Find(`a[href="`+k.page+`"]`).Length() != 0 {
		t.Error("a submitted request under 수락")
	}
	k.op.Page(t, "/admin/quotes?status=bogus", http.StatusBadRequest)

	doc = k.op.Page(t, k.page, http.StatusOK)
	tok := webtest.CSRFOf(t, doc)
	if doc.Find(`select[name="enterprise"]`).Length() != 4 {
		t.Errorf("a route form per line: %d", doc.Find(`select[name="enterprise"]`).Length())
	}
	l2, l3 := strconv.FormatInt(k.r.Lines[2].ID, 10), strconv.FormatInt(k.r.Lines[3].ID, 10)
	_, bad, _ := k.op.Post(t, k.page+"/route", url.Values{"_csrf": {tok}, "line": {l2}}, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.Find(`[role="alert"]`).Text(), "기업을 골라") {
		t.Errorf("routing without an enterprise: %q", bad.Find(`[role="alert"]`).Text())
	}
	third := strconv.FormatInt(k.ents[2], 10)
	for _, l := range []string{l2, l3} {
		loc, _, _ := k.op.Post(t, k.page+"/route", url.Values{"_csrf": {tok}, "line": {l}, "enterprise": {third}}, http.StatusSeeOther)
		if loc != k.page+"?done=quote_routed" {
			t.Errorf("routed: %q", loc)
		}
	}
	k.answer(t)

	today := quote.Today(time.Now())
	first := strconv.FormatInt(k.ents[0], 10)
	form := url.Values{"_csrf": {tok}, "delivery_date": {today.AddDate(0, 0, 10).Format("2006-01-02")},
		"valid_until": {today.AddDate(0, 0, -1).Format("2006-01-02")}, "remarks": {"부가세 포함 금액입니다"},
		"shipping_" + first: {"3,000"}, "action": {"send"}}
	_, bad, _ = k.op.Post(t, k.page+"/revisions", form, http.StatusUnprocessableEntity)
	if bad.Find("#valid_until-err").Length() != 1 || bad.Find("#remarks").Text() != "부가세 포함 금액입니다" ||
		bad.Find("#shipping-"+first).AttrOr("value", "") != "3,000" {
		t.Error("the wrong merge was not kept with its message")
	}
	form.Set("valid_until", today.AddDate(0, 0, 14).Format("2006-01-02"))
	form.Set("action", "preview")
	_, pre, _ := k.op.Post(t, k.page+"/revisions", form, http.StatusOK)
	preview := pre.Find("#rev-preview").Closest("section")
	if !strings.Contains(preview.Text(), "미리 보기") || !strings.Contains(preview.Text(), "3,453,000원") ||
		!strings.Contains(preview.Text(), "공급할 수 없는 품목") || !strings.Contains(preview.Text(), "수의계약 한도 초과") {
		t.Errorf("preview: %q", preview.Text())
	}
	var n int
	if err := k.e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM quote_revisions`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a preview wrote %d revisions (%v)", n, err)
	}
	form.Set("action", "send")
	loc, _, _ := k.op.Post(t, k.page+"/revisions", form, http.StatusSeeOther)
	if loc != k.page+"?done=quote_sent" {
		t.Errorf("sent: %q", loc)
	}
	doc = k.op.Page(t, loc, http.StatusOK)
	rev := doc.Find("#rev-1").Closest("section")
	if !strings.Contains(rev.Text(), "3,453,000원") || !strings.Contains(rev.Text(), "현수막 장비가 없습니다") ||
		rev.Find(".status-rejected").Length() != 1 || !strings.Contains(doc.Text(), "견적서를 기관에 보냈습니다") {
		t.Errorf("r1 on the page: %q", webtest.Truncate(rev.Text(), 600))
	}
	got, err := k.e.Quotes.FindRequest(k.buyer, k.r.ID)
	if err != nil || got.Status != quote.Quoted || got.Latest().Total != 3453000 {
		t.Fatalf("the buyer's request: %v", err)
	}
	if err := k.e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE entity = 'quote_request'
		AND entity_id = $1 AND action IN ('quote_request.route', 'quote.send') AND actor_role = 'operator'`, k.r.Number).Scan(&n); err != nil || n != 3 {
		t.Errorf("audit entries: %d %v, want 3", n, err)
	}
}

// TestBrowserConsoleQuotes runs axe-core on the console's quote pages, with
// a revision sent and with the merge form's errors.
func TestBrowserConsoleQuotes(t *testing.T) {
	k := newConsortium(t)
	op := k.e.Actor(t, k.e.Operator(t))
	for _, l := range k.r.Lines[2:] {
		if err := k.e.Quotes.RouteLine(op, k.r.ID, l.ID, k.ents[2]); err != nil {
			t.Fatal(err)
		}
	}
	k.answer(t)
	today := quote.Today(time.Now())
	if _, err := k.e.Quotes.SendRevision(op, k.r.ID, quote.RevisionInput{DeliveryDate: today.AddDate(0, 0, 5), ValidUntil: today.AddDate(0, 0, 14)}); err != nil {
		t.Fatal(err)
	}
	b := browser.New(t, k.e)
	b.SignIn(k.e.Operator(t), webtest.Password)
	for _, p := range []string{"/admin/quotes", "/admin/quotes?status=quoted", k.page} {
		b.CheckAxe(t, p)
	}
	b.Open(k.page)
	b.Fill(map[string]string{"#shipping-" + strconv.FormatInt(k.ents[0], 10): "많이"})
	if st := b.Submit("send a wrong merge", `form[action$="/revisions"] button[value="send"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("wrong merge: status %d, want 422", st)
	}
	b.CheckAxeCurrent(t, k.page+" with errors")
}
