package quote_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/testutil"
)

// recordingOrderPlacer stands in for order.PlacePublic, which is not on
// main yet: it records every PublicOrder it is asked to place, returns one
// order id per idempotency key (as the real one must), and refuses, like
// the real one, a catalogue line whose quantity is beyond the product's
// stock in the test's database. The lead replaces it by the real placer.
type recordingOrderPlacer struct {
	pool   *pgxpool.Pool
	mu     sync.Mutex
	calls  []quote.PublicOrder
	orders map[string]int64
}

func (p *recordingOrderPlacer) PlacePublic(ctx context.Context, o quote.PublicOrder) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, o)
	if id, ok := p.orders[o.Key]; ok {
		return id, nil
	}
	for _, part := range o.Parts {
		for _, l := range part.Lines {
			if l.ProductID == 0 {
				continue
			}
			var stock int
			if err := p.pool.QueryRow(ctx, `SELECT stock FROM products WHERE id = $1`, l.ProductID).Scan(&stock); err != nil {
				return 0, err
			}
			if l.Quantity > stock {
				return 0, apperr.Errorf(apperr.Conflict, "%s의 재고가 %d개뿐입니다. 수량을 줄인 견적을 다시 받아 주세요.", l.Name, stock)
			}
		}
	}
	if p.orders == nil {
		p.orders = map[string]int64{}
	}
	id := int64(9000 + len(p.orders))
	p.orders[o.Key] = id
	return id, nil
}

// world is the quote service on a fresh database with the demo catalogue,
// two institutions (A with a 1,000,000원 direct-contract limit, B with the
// default), three enterprises with a goods product each, and the actors.
type world struct {
	pool     *pgxpool.Pool
	svc      *quote.Service
	placer   *recordingOrderPlacer
	now      time.Time
	ents     [3]int64
	products [3]int64
	prices   [3]int64
	instA    int64
	buyerA   context.Context
	buyerB   context.Context
	operator context.Context
	members  [3]context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	accounts, err := account.NewService(postgres.NewAccountStore(pool), nil, nil, nil,
		account.Config{BaseURL: "http://dure.test", Password: account.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewQuoteStore(pool)
	w := &world{pool: pool, placer: &recordingOrderPlacer{pool: pool}, now: time.Now()}
	w.svc = &quote.Service{Store: store, Audit: accounts, Orders: w.placer, Products: postgres.NewCatalogStore(pool),
		Coop: coop.NewService(postgres.NewCoopStore(pool), accounts), Now: func() time.Time { return w.now }}
	rows, err := pool.Query(ctx, `SELECT DISTINCT ON (p.enterprise_id) p.enterprise_id, p.id, p.public_price
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.tax_type = 'taxable'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.enterprise_id, p.id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(&w.ents[i], &w.products[i], &w.prices[i]); err != nil {
			t.Fatal(err)
		}
	}
	rows.Close()
	if w.ents[2] == 0 {
		t.Fatal("want three enterprises with a taxable goods product")
	}
	if _, err := pool.Exec(ctx, `UPDATE products SET stock = 100 WHERE id = ANY($1)`, w.products[:]); err != nil {
		t.Fatal(err)
	}
	w.instA = testutil.QuoteInstitution(t, pool, "대구광역시 중구청", 1_000_000)
	instB := testutil.QuoteInstitution(t, pool, "대구광역시 동구청", 0)
	w.buyerA = account.NewContext(ctx, testutil.QuoteUser(t, pool, account.InstitutionUser, "김구매", w.instA))
	w.buyerB = account.NewContext(ctx, testutil.QuoteUser(t, pool, account.InstitutionUser, "박구매", instB))
	w.operator = account.NewContext(ctx, testutil.QuoteUser(t, pool, account.Operator, "운영자", 0))
	for i, ent := range w.ents {
		a := testutil.QuoteUser(t, pool, account.EnterpriseStaff, "기업 담당자", 0)
		a.EnterpriseID, a.EnterpriseStatus, a.MemberRole = ent, account.EnterpriseActive, account.Owner
		w.members[i] = account.NewContext(ctx, a)
	}
	return w
}

func (w *world) day(n int) time.Time { return quote.Today(w.now).AddDate(0, 0, n) }

// mixedRequest is buyer A's request for a mixed basket: two catalogue lines
// (enterprises 0 and 1), 청소 용역 for 20 offices and a banner nobody will
// supply.
func (w *world) mixedRequest(t *testing.T) *quote.Request {
	t.Helper()
	r, err := w.svc.CreateRequest(w.buyerA, quote.RequestInput{
		DesiredDate: w.day(10),
		Place:       quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88", Detail: "별관 2층"},
		Notes:       "명절 행사용",
		Lines: []quote.LineInput{
			{ProductID: w.products[0], Quantity: 10},
			{ProductID: w.products[1], Quantity: 5, Notes: "포장 부탁드립니다"},
			{Name: "청소 용역", Quantity: 20, Unit: "실", Notes: "사무실 20곳"},
			{Name: "대형 현수막 제작", Quantity: 1, Unit: "개"},
		},
	})
	if err != nil {
		t.Fatalf("create request: %v", err)
	}
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestConsortiumQuote walks request → routing to three enterprises (one
// line nobody supplies) → answers → merged r1 → r2 → acceptance, with the
// figures checked to the won and each party's view checked.
func TestConsortiumQuote(t *testing.T) {
	w := newWorld(t)
	r := w.mixedRequest(t)
	if r.Status != quote.Submitted || len(r.Lines) != 4 || !strings.HasPrefix(r.Number, "Q") {
		t.Fatalf("request: %+v", r)
	}
	cleaning, banner := r.Lines[2], r.Lines[3]
	if len(r.Lines[0].Offers) != 1 || r.Lines[0].Offers[0].EnterpriseID != w.ents[0] || len(cleaning.Offers) != 0 {
		t.Fatalf("catalogue lines go to their enterprise, free text waits: %+v %+v", r.Lines[0].Offers, cleaning.Offers)
	}

	// Routing is the operator's; an enterprise cannot route.
	if err := w.svc.RouteLine(w.members[2], r.ID, cleaning.ID, w.ents[2]); apperr.Code(err) != apperr.NotFound {
		t.Errorf("enterprise routing: %v, want not found", err)
	}
	must(t, w.svc.RouteLine(w.operator, r.ID, cleaning.ID, w.ents[2]))
	must(t, w.svc.RouteLine(w.operator, r.ID, banner.ID, w.ents[2]))
	must(t, w.svc.RouteLine(w.operator, r.ID, banner.ID, w.ents[0]))

	// An enterprise sees only its own lines, and never another's answer.
	must(t, w.svc.AnswerLines(w.members[1], r.ID, []quote.Answer{{LineID: r.Lines[1].ID, Supply: true, UnitPrice: 33000, AvailableDate: w.day(5)}}))
	seen, err := w.svc.FindRequest(w.members[0], r.ID)
	must(t, err)
	if len(seen.Lines) != 2 || seen.Lines[0].ID != r.Lines[0].ID || seen.Lines[1].ID != banner.ID || len(seen.Lines[1].Offers) != 1 {
		t.Fatalf("enterprise 0 sees %d lines: %+v", len(seen.Lines), seen.Lines)
	}
	// Answering a line one was not asked for is refused, and so is a bad price.
	if err := w.svc.AnswerLines(w.members[0], r.ID, []quote.Answer{{LineID: r.Lines[1].ID, Supply: true, UnitPrice: 1, AvailableDate: w.day(1)}}); apperr.Code(err) != apperr.NotFound {
		t.Errorf("answer for another's line: %v", err)
	}
	err = w.svc.AnswerLines(w.members[0], r.ID, []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 0, AvailableDate: w.day(-1)}})
	var ae *apperr.Error
	if apperr.Code(err) != apperr.Invalid || !asErr(err, &ae) || ae.Fields["price_"+itoa(r.Lines[0].ID)] == "" || ae.Fields["date_"+itoa(r.Lines[0].ID)] == "" {
		t.Errorf("bad answer: %v %+v", err, ae)
	}
	if w.svc.SuggestedPrice(w.members[0], seen.Lines[0]) != w.prices[0] {
		t.Errorf("suggested price: %d, want the public price %d", w.svc.SuggestedPrice(w.members[0], seen.Lines[0]), w.prices[0])
	}
	must(t, w.svc.AnswerLines(w.members[0], r.ID, []quote.Answer{
		{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 12000, AvailableDate: w.day(3)},
		{LineID: banner.ID, Reason: "현수막 장비가 없습니다"},
	}))
	// A free-text line is supplied as one of the enterprise's own
	// products: none chosen, or another enterprise's, is refused.
	for _, pid := range []int64{0, w.products[0], -1} {
		err := w.svc.AnswerLines(w.members[2], r.ID, []quote.Answer{{LineID: cleaning.ID, Supply: true, UnitPrice: 150000,
			AvailableDate: w.day(7), ProductID: pid}})
		if !asErr(err, &ae) || ae.Fields["product_"+itoa(cleaning.ID)] == "" {
			t.Errorf("free-text line supplied as product %d: %v", pid, err)
		}
	}
	must(t, w.svc.AnswerLines(w.members[2], r.ID, []quote.Answer{
		{LineID: cleaning.ID, Supply: true, UnitPrice: 150000, AvailableDate: w.day(7), ProductID: w.products[2]},
		{LineID: banner.ID, Reason: "취급하지 않는 품목"},
	}))

	// Only the operator merges a consortium quote.
	in := quote.RevisionInput{DeliveryDate: w.day(10), ValidUntil: w.day(14), Remarks: "부가세 포함",
		Shipping: map[int64]int64{w.ents[0]: 3000}}
	if _, err := w.svc.SendRevision(w.members[0], r.ID, in); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("enterprise sending a consortium quote: %v", err)
	}
	r1, err := w.svc.SendRevision(w.operator, r.ID, in)
	must(t, err)
	if r1.Number != 1 || len(r1.Shares) != 3 || len(r1.Lines) != 4 {
		t.Fatalf("r1: %+v", r1)
	}
	checkAddsUp(t, r1)
	if r1.Lines[3].EnterpriseID != 0 || !strings.Contains(r1.Lines[3].Unsupplied, "현수막 장비가 없습니다") {
		t.Errorf("unsupplied banner: %+v", r1.Lines[3])
	}
	// 12,000×10 + 3,000 | 33,000×5 | 150,000×20
	if want := int64(120000 + 3000 + 165000 + 3000000); r1.Total != want {
		t.Errorf("r1 total %d, want %d", r1.Total, want)
	}
	// Direct-contract limit: A's is 1,000,000원; only the cleaning share exceeds it.
	for _, s := range r1.Shares {
		if s.OverLimit != (s.EnterpriseID == w.ents[2]) {
			t.Errorf("share %d (%d원): over limit %v", s.EnterpriseID, s.Total, s.OverLimit)
		}
	}

	// r2: enterprise 0 lowers its price; the operator sends again.
	must(t, w.svc.AnswerLines(w.members[0], r.ID, []quote.Answer{
		{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 11000, AvailableDate: w.day(3)},
		{LineID: banner.ID, Reason: "현수막 장비가 없습니다"},
	}))
	r2, err := w.svc.SendRevision(w.operator, r.ID, in)
	must(t, err)
	checkAddsUp(t, r2)
	if r2.Number != 2 || r2.Total != r1.Total-10000 {
		t.Errorf("r2: number %d total %d", r2.Number, r2.Total)
	}
	// A sent revision never changes.
	if _, err := w.pool.Exec(context.Background(), `UPDATE quote_revisions SET total = 1 WHERE id = $1`, r1.ID); err == nil {
		t.Error("a sent revision was updated")
	}

	// The enterprise's view of the revisions holds its own share only.
	seen, err = w.svc.FindRequest(w.members[1], r.ID)
	must(t, err)
	for _, v := range seen.Revisions {
		if len(v.Shares) != 1 || v.Shares[0].EnterpriseID != w.ents[1] || v.Total != 165000 || len(v.Lines) != 1 {
			t.Errorf("enterprise 1 sees revision %s: total %d, %d shares, %d lines", v.Label(), v.Total, len(v.Shares), len(v.Lines))
		}
	}
	// Another institution's buyer: not found, for reading and accepting.
	if _, err := w.svc.FindRequest(w.buyerB, r.ID); apperr.Code(err) != apperr.NotFound {
		t.Errorf("B reads A's request: %v", err)
	}
	if _, err := w.svc.Accept(w.buyerB, r.ID, 2, quote.TermsInvoice); apperr.Code(err) != apperr.NotFound {
		t.Errorf("B accepts A's quote: %v", err)
	}
	if list, n, err := w.svc.FindRequests(w.buyerB, quote.Filter{}); err != nil || n != 0 || len(list) != 0 {
		t.Errorf("B's list: %d %v", n, err)
	}
	if list, n, err := w.svc.FindRequests(w.members[1], quote.Filter{}); err != nil || n != 1 || list[0].LatestTotal != 165000 {
		t.Errorf("enterprise 1's list: %d %v %+v", n, err, list)
	}

	// Only the latest revision can be accepted.
	if _, err := w.svc.Accept(w.buyerA, r.ID, 1, quote.TermsInvoice); apperr.Code(err) != apperr.Conflict || !strings.Contains(apperr.Message(err), "r2") {
		t.Errorf("accept r1: %v", err)
	}
	if len(w.placer.calls) != 0 {
		t.Fatal("a refused acceptance placed an order")
	}
	if _, err := w.svc.Accept(w.buyerA, r.ID, 2, "cash"); apperr.Code(err) != apperr.Invalid || len(w.placer.calls) != 0 {
		t.Fatalf("unknown payment terms: %v, %d placements", err, len(w.placer.calls))
	}
	orderID, err := w.svc.Accept(w.buyerA, r.ID, 2, quote.TermsInvoice)
	must(t, err)
	again, err := w.svc.Accept(w.buyerA, r.ID, 2, quote.TermsInvoice)
	must(t, err)
	if again != orderID || len(w.placer.calls) != 1 {
		t.Errorf("accepting twice: orders %d and %d, %d placements", orderID, again, len(w.placer.calls))
	}
	po := w.placer.calls[0]
	if po.Key != quote.OrderKey(r.Number, 2) || po.Total != r2.Total || len(po.Parts) != 3 || po.InstitutionID != w.instA || po.Terms != quote.TermsInvoice {
		t.Errorf("placed order: %+v", po)
	}
	var lines int
	var sum int64
	for _, p := range po.Parts {
		lines += len(p.Lines)
		sum += p.Total
	}
	for _, p := range po.Parts {
		for _, l := range p.Lines {
			if l.FreeText != (l.Name == "청소 용역") || l.Name == "청소 용역" && l.ProductID != w.products[2] {
				t.Errorf("placed line %q: product %d, free text %v", l.Name, l.ProductID, l.FreeText)
			}
		}
	}
	if lines != 3 || sum != r2.Total {
		t.Errorf("placed %d lines summing to %d, want 3 lines and %d (the banner is not ordered)", lines, sum, r2.Total)
	}
	got, err := w.svc.FindRequest(w.buyerA, r.ID)
	must(t, err)
	if got.Status != quote.Accepted || got.Decision == nil || got.Decision.OrderID != orderID || got.Decision.RevisionNumber != 2 {
		t.Errorf("after acceptance: %s %+v", got.Status, got.Decision)
	}
	doc := quote.DocumentOf(got, got.Latest())
	if doc.Number != r.Number+"-r2" || len(doc.Parts) != 3 || len(doc.Unsupplied) != 1 || doc.Total != r2.Total || !doc.Parts[2].OverLimit {
		t.Errorf("document: %+v", doc)
	}

	// The operator's actions are in the audit log.
	var n int
	must(t, w.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE entity = 'quote_request' AND entity_id = $1
		AND action IN ('quote_request.route', 'quote.send')`, r.Number).Scan(&n))
	if n != 5 {
		t.Errorf("audit entries for routing and sending: %d, want 5", n)
	}
}

// checkAddsUp checks a revision's figures to the won: lines to shares,
// shares to the total, 공급가액 + 부가세 = 합계 everywhere.
func checkAddsUp(t *testing.T, v *quote.Revision) {
	t.Helper()
	var items, ship, supply, vat, total int64
	for _, s := range v.Shares {
		var li, ls, lv int64
		for _, l := range v.Lines {
			if l.EnterpriseID == s.EnterpriseID {
				li += l.Total
				ls += l.Supply
				lv += l.VAT
				if l.Total != l.UnitPrice*int64(l.Quantity) || l.Supply+l.VAT != l.Total {
					t.Errorf("line %s: %d×%d = %d (%d + %d)", l.Name, l.UnitPrice, l.Quantity, l.Total, l.Supply, l.VAT)
				}
			}
		}
		if li != s.ItemsTotal || s.ItemsTotal+s.Shipping != s.Total || s.Supply+s.VAT != s.Total || ls > s.Supply || lv > s.VAT {
			t.Errorf("share %s: lines %d, %+v", s.EnterpriseName, li, s)
		}
		items += s.ItemsTotal
		ship += s.Shipping
		supply += s.Supply
		vat += s.VAT
		total += s.Total
	}
	if items != v.ItemsTotal || ship != v.ShippingTotal || supply != v.Supply || vat != v.VAT || total != v.Total || v.Supply+v.VAT != v.Total {
		t.Errorf("revision %s does not add up: %+v", v.Label(), v)
	}
}

// TestAcceptanceRefusals: an expired quote, and a quantity beyond stock at
// acceptance, are refused in Korean and change nothing; the quote stays
// acceptable after the stock is back.
func TestAcceptanceRefusals(t *testing.T) {
	w := newWorld(t)
	r, err := w.svc.CreateRequest(w.buyerA, quote.RequestInput{DesiredDate: w.day(3),
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
		Lines: []quote.LineInput{{ProductID: w.products[0], Quantity: 30}}})
	must(t, err)
	must(t, w.svc.AnswerLines(w.members[0], r.ID, []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 5000, AvailableDate: w.day(2)}}))
	// A single-enterprise request: the enterprise prepares the quote itself.
	v, err := w.svc.SendRevision(w.members[0], r.ID, quote.RevisionInput{DeliveryDate: w.day(3), ValidUntil: w.day(0)})
	must(t, err)
	checkAddsUp(t, v)
	if v.DirectLimit != 1_000_000 || v.Shares[0].OverLimit {
		t.Errorf("limit %d, over %v", v.DirectLimit, v.Shares[0].OverLimit)
	}

	if _, err := w.pool.Exec(context.Background(), `UPDATE products SET stock = 20 WHERE id = $1`, w.products[0]); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Accept(w.buyerA, r.ID, 1, quote.TermsInvoice)
	if apperr.Code(err) != apperr.Conflict || !strings.Contains(apperr.Message(err), "재고") {
		t.Errorf("accept beyond stock: %v", err)
	}
	got, err := w.svc.FindRequest(w.buyerA, r.ID)
	must(t, err)
	if got.Status != quote.Quoted || got.Decision != nil {
		t.Errorf("after a refused acceptance: %s %+v", got.Status, got.Decision)
	}

	// The next day (KST) the quote valid until today has expired.
	w.now = w.now.Add(24 * time.Hour)
	if _, err := w.pool.Exec(context.Background(), `UPDATE products SET stock = 100 WHERE id = $1`, w.products[0]); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Accept(w.buyerA, r.ID, 1, quote.TermsInvoice)
	if apperr.Code(err) != apperr.Conflict || !strings.Contains(apperr.Message(err), "유효기간") {
		t.Errorf("accept expired: %v", err)
	}
	got, err = w.svc.FindRequest(w.buyerA, r.ID)
	must(t, err)
	if got.StatusAt(w.now) != quote.Expired || got.Decision != nil {
		t.Errorf("expired quote: %s", got.StatusAt(w.now))
	}
	if list, _, err := w.svc.FindRequests(w.operator, quote.Filter{Status: quote.Expired}); err != nil || len(list) != 1 || list[0].Status != quote.Expired {
		t.Errorf("operator's expired list: %+v %v", list, err)
	}
	if len(w.placer.calls) != 1 { // the stock refusal only
		t.Errorf("placements: %d", len(w.placer.calls))
	}
	// An expired quote may still be declined.
	must(t, w.svc.Decline(w.buyerA, r.ID, 1, "예산 부족"))
	if got, _ := w.svc.FindRequest(w.buyerA, r.ID); got.Status != quote.Declined || got.Decision.Reason != "예산 부족" {
		t.Errorf("declined: %s %+v", got.Status, got.Decision)
	}
}

// TestRequestInput: a delivery date in the past, an unknown product and an
// empty free-text line are refused together, and nothing is written.
func TestRequestInput(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.CreateRequest(w.buyerA, quote.RequestInput{DesiredDate: w.day(-1),
		Place: quote.Place{Postcode: "4191", Road: ""},
		Lines: []quote.LineInput{{ProductID: 999999, Quantity: 1}, {Name: " ", Quantity: 0}}})
	var ae *apperr.Error
	if !asErr(err, &ae) || ae.Code != apperr.Invalid {
		t.Fatalf("bad request: %v", err)
	}
	for _, k := range []string{"desired_date", "postcode", "road", "line_1_name", "line_2_name", "line_2_quantity"} {
		if ae.Fields[k] == "" {
			t.Errorf("no message for %s: %v", k, ae.Fields)
		}
	}
	if !strings.Contains(ae.Fields["desired_date"], "오늘") {
		t.Errorf("desired date message: %q", ae.Fields["desired_date"])
	}
	var n int
	must(t, w.pool.QueryRow(context.Background(), `SELECT count(*) FROM quote_requests`).Scan(&n))
	if n != 0 {
		t.Errorf("%d requests written", n)
	}
	// Only institution buyers ask for quotes.
	if _, err := w.svc.CreateRequest(w.operator, quote.RequestInput{}); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("operator's request: %v", err)
	}
}

// TestFiguresCheckedByTheDatabase: a revision whose lines do not add up to
// its shares is refused at commit.
func TestFiguresCheckedByTheDatabase(t *testing.T) {
	w := newWorld(t)
	r, err := w.svc.CreateRequest(w.buyerA, quote.RequestInput{DesiredDate: w.day(3),
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
		Lines: []quote.LineInput{{ProductID: w.products[0], Quantity: 2}}})
	must(t, err)
	ctx := context.Background()
	tx, err := w.pool.Begin(ctx)
	must(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	var rev int64
	must(t, tx.QueryRow(ctx, `INSERT INTO quote_revisions (request_id, number, delivery_date, valid_until, direct_limit,
		items_total, shipping_total, supply, vat, total, sent_at, sent_by)
		VALUES ($1, 1, current_date + 3, current_date + 3, 50000000, 11000, 0, 10000, 1000, 11000, now(), $2) RETURNING id`,
		r.ID, r.UserID).Scan(&rev))
	_, err = tx.Exec(ctx, `INSERT INTO quote_revision_shares VALUES ($1, $2, 11000, 0, 10000, 1000, 11000)`, rev, w.ents[0])
	must(t, err)
	_, err = tx.Exec(ctx, `INSERT INTO quote_revision_lines (revision_id, line_id, enterprise_id, unit_price, quantity, supply, vat, total)
		VALUES ($1, $2, $3, 5000, 2, 9091, 909, 10000)`, rev, r.Lines[0].ID, w.ents[0])
	must(t, err)
	if err := tx.Commit(ctx); err == nil || !strings.Contains(err.Error(), "does not add up") {
		t.Errorf("commit of a revision that does not add up: %v", err)
	}
}

func asErr(err error, target **apperr.Error) bool { return errors.As(err, target) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPublicListAndCoopLimit: the price an enterprise's answer starts from
// is the public list's for the line's quantity (a volume tier reached
// applies, one not reached does not), and an institution without its own
// direct-contract limit is checked against the co-op's setting, read when
// the quote is made.
func TestPublicListAndCoopLimit(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tier := w.prices[0] - 1000
	if _, err := w.pool.Exec(ctx, `INSERT INTO product_price_tiers (product_id, list, min_quantity, unit_price)
		VALUES ($1, 'public', 50, $2), ($1, 'consumer', 2, 1)`, w.products[0], tier); err != nil {
		t.Fatal(err)
	}
	if _, err := w.pool.Exec(ctx, `UPDATE coop_settings SET direct_contract_limit = 123456`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		qty  int
		want int64
	}{{49, w.prices[0]}, {50, tier}, {60, tier}} {
		r, err := w.svc.CreateRequest(w.buyerB, quote.RequestInput{DesiredDate: w.day(3),
			Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
			Lines: []quote.LineInput{{ProductID: w.products[0], Quantity: c.qty}}})
		must(t, err)
		seen, err := w.svc.FindRequest(w.members[0], r.ID)
		must(t, err)
		if got := w.svc.SuggestedPrice(w.members[0], seen.Lines[0]); got != c.want {
			t.Errorf("%d units: suggested %d, want %d", c.qty, got, c.want)
		}
		if c.qty != 60 {
			continue
		}
		must(t, w.svc.AnswerLines(w.members[0], r.ID, []quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: tier, AvailableDate: w.day(2)}}))
		v, err := w.svc.SendRevision(w.members[0], r.ID, quote.RevisionInput{DeliveryDate: w.day(3), ValidUntil: w.day(3)})
		must(t, err)
		if v.DirectLimit != 123456 || !v.Shares[0].OverLimit {
			t.Errorf("institution B's limit %d (want the co-op's 123,456), over %v", v.DirectLimit, v.Shares[0].OverLimit)
		}
	}
}
