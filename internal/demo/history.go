package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
)

// History seeds a demo institution's procurement history, so that /biz
// (dashboard, quotes, orders, reports) and the console's 우선구매 reports
// show figures after `make run`: quotes in each state, and orders on
// invoice accepted from them, shipped, inspected (검수) and paid over the
// last months. Every step goes through the domain services as the people
// concerned (account.SetupActor); only the dates, which the services take
// from the clock, are moved back afterwards (Backdate). Unlike Catalogue,
// the history reads the clock: it is dated back from today.
type History struct {
	Accounts *account.Service
	Quotes   *quote.Service
	Orders   *order.Service
	// Backdate moves request requestID and the order made from it (if any)
	// to the dates of at, rows the services stamped with the clock
	// included (postgres.DemoStore.Backdate).
	Backdate func(ctx context.Context, requestID int64, at Dates) error
	// Now defaults to time.Now.
	Now func() time.Time
}

// Dates are when each step of a demo request happened; a zero date is a
// step that did not.
type Dates struct {
	Requested, Answered, Sent, Decided time.Time
	Shipped, Inspected, Paid           time.Time
}

// HistoryAccounts are whose history it is and who else acts in it, by
// e-mail address: the operator, a buyer of the institution, and members
// (owners) of the enterprises whose products the quotes ask for.
type HistoryAccounts struct {
	Operator, Buyer string
	Members         []string
}

// HistoryNotes are the notes of the history's requests, oldest first; the
// first marks a history as seeded.
var HistoryNotes = []string{
	"상반기 청사 환경정비 물품입니다. 세금계산서 발행 부탁드립니다.",
	"복지관 어르신 나눔 행사용 물품입니다.",
	"직원 역량강화 교육 다과용입니다.",
	"연말 이웃돕기 행사 물품입니다. 분할 납품 가능합니다.",
	"민원실 비치용 물품입니다.",
	"신년 업무보고회 준비 물품입니다.",
	"2분기 사무용품 견적 부탁드립니다.",
}

// step is one request of the history: how long ago it was asked, how far
// it went, and which member's products it asks for.
type step struct {
	daysAgo int
	until   stage
	member  int
	qty     int
}

type stage int

const (
	requested stage = iota // waiting for the enterprises' answers
	quoted                 // a 견적서 sent, waiting for the buyer
	declined
	shipped   // accepted, ordered on invoice, shipped, not yet inspected
	inspected // 검수 passed, the claim not yet paid
	paid
)

var historySteps = []step{
	{daysAgo: 150, until: paid, member: 0, qty: 12},
	{daysAgo: 110, until: paid, member: 1, qty: 8},
	{daysAgo: 75, until: declined, member: 2, qty: 6},
	{daysAgo: 60, until: paid, member: 2, qty: 10},
	{daysAgo: 12, until: inspected, member: 0, qty: 6}, // its claim falls due in a few days
	{daysAgo: 9, until: shipped, member: 1, qty: 5},
	{daysAgo: 2, until: quoted, member: 0, qty: 4},
}

// Seed adds the history unless it is there (the institution's oldest
// request has the first of HistoryNotes): seeding twice adds nothing. A last request stays
// waiting for the enterprise's answer, for the portal.
func (h *History) Seed(ctx context.Context, acc HistoryAccounts) error {
	if len(acc.Members) < 3 {
		return errors.New("demo history: three enterprise members are needed")
	}
	buyer, err := h.actor(ctx, acc.Buyer)
	if err != nil {
		return err
	}
	// The history's first request is dated furthest back: the oldest
	// (the list is newest first) says whether it is there.
	_, total, err := h.Quotes.FindRequests(buyer, quote.Filter{Limit: 1})
	if err != nil {
		return fmt.Errorf("demo history: %w", err)
	}
	if total > 0 {
		oldest, _, err := h.Quotes.FindRequests(buyer, quote.Filter{Limit: 1, Offset: total - 1})
		if err != nil {
			return fmt.Errorf("demo history: the oldest request: %w", err)
		}
		if len(oldest) != 1 {
			return errors.New("demo history: the oldest request is not listed")
		}
		r, err := h.Quotes.FindRequest(buyer, oldest[0].ID)
		if err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
		if r.Notes == HistoryNotes[0] {
			return nil
		}
	}
	op, err := h.actor(ctx, acc.Operator)
	if err != nil {
		return err
	}
	members := make([]context.Context, len(acc.Members))
	for i, m := range acc.Members {
		if members[i], err = h.actor(ctx, m); err != nil {
			return err
		}
	}
	for i, st := range historySteps {
		if err := h.seedStep(ctx, buyer, op, members[st.member], st, HistoryNotes[i]); err != nil {
			return fmt.Errorf("demo history: request %d: %w", i+1, err)
		}
	}
	// One request the enterprises have not answered yet.
	_, err = h.request(buyer, members[2], 5, "연말 행사 물품 견적 요청입니다.")
	if err != nil {
		return fmt.Errorf("demo history: open request: %w", err)
	}
	return nil
}

func (h *History) actor(ctx context.Context, email string) (context.Context, error) {
	a, err := h.Accounts.SetupActor(ctx, email)
	if err != nil {
		return nil, fmt.Errorf("demo history: %s: %w", email, err)
	}
	return account.NewContext(ctx, a), nil
}

func (h *History) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// request asks for qty of the member enterprise's first two catalogue
// items.
func (h *History) request(buyer, member context.Context, qty int, notes string) (*quote.Request, error) {
	items, err := h.Quotes.LinkableProducts(member)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ProductID
	}
	var ps map[int64]*catalog.Product
	if h.Quotes.Products != nil {
		if ps, err = h.Quotes.Products.FindCartProducts(member, ids); err != nil {
			return nil, err
		}
	}
	var lines []quote.LineInput
	for _, it := range items {
		p := ps[it.ProductID]
		n := qty + 5*len(lines)
		if len(lines) == 2 || it.OptionID != 0 || (ps != nil && (p == nil || p.Stock < n+10)) {
			continue // two lines, each of an item with the stock to order it
		}
		lines = append(lines, quote.LineInput{ProductID: it.ProductID, Quantity: n})
	}
	if len(lines) == 0 {
		return nil, errors.New("the enterprise has nothing in stock to quote")
	}
	today := quote.Today(h.now())
	return h.Quotes.CreateRequest(buyer, quote.RequestInput{DesiredDate: today.AddDate(0, 0, 14), Notes: notes, Lines: lines,
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88", Detail: "본관 2층 회계과"}})
}

func (h *History) seedStep(ctx, buyer, op, member context.Context, st step, notes string) error {
	r, err := h.request(buyer, member, st.qty, notes)
	if err != nil {
		return err
	}
	d := h.now().In(kr.Seoul()).AddDate(0, 0, -st.daysAgo)
	t0 := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, kr.Seoul()) // asked at 10:00 KST
	day := func(n int) time.Time { return t0.AddDate(0, 0, n) }
	at := Dates{Requested: t0}
	if st.until >= quoted {
		if err := h.answer(member, r.ID); err != nil {
			return err
		}
		today := quote.Today(h.now())
		if _, err := h.Quotes.SendRevision(op, r.ID, quote.RevisionInput{DeliveryDate: today.AddDate(0, 0, 10),
			ValidUntil: today.AddDate(0, 0, 14), Remarks: "부가세 포함, 배송비 포함 금액입니다."}); err != nil {
			return err
		}
		at.Answered, at.Sent = day(1), day(2)
	}
	switch {
	case st.until == declined:
		if err := h.Quotes.Decline(buyer, r.ID, 1, "예산 사정으로 다음 분기로 미룹니다."); err != nil {
			return err
		}
		at.Decided = day(4)
	case st.until >= shipped:
		orderID, err := h.Quotes.Accept(buyer, r.ID, 1, quote.TermsInvoice)
		if err != nil {
			return err
		}
		at.Decided, at.Shipped = day(3), day(5)
		if err := h.fulfil(buyer, op, member, orderID, st.until); err != nil {
			return err
		}
		if st.until >= inspected {
			at.Inspected = day(8)
		}
		if st.until == paid {
			at.Paid = day(14)
		}
	}
	if h.Backdate == nil {
		return nil
	}
	return h.Backdate(ctx, r.ID, at)
}

// answer supplies every line at its suggested public price.
func (h *History) answer(member context.Context, id int64) error {
	r, err := h.Quotes.FindRequest(member, id)
	if err != nil {
		return err
	}
	avail := quote.Today(h.now()).AddDate(0, 0, 5)
	var as []quote.Answer
	for _, l := range r.Lines {
		as = append(as, quote.Answer{LineID: l.ID, Supply: true, UnitPrice: h.Quotes.SuggestedPrice(member, l), AvailableDate: avail})
	}
	return h.Quotes.AnswerLines(member, id, as)
}

// fulfil has the enterprise accept and ship the order's parts, then, as
// far as until goes, the buyer pass its 검수 and the operator record the
// transfer of what was claimed. The dates are today's; Backdate moves them.
func (h *History) fulfil(buyer, op, member context.Context, orderID int64, until stage) error {
	o, err := h.Orders.FindInstitutionOrder(buyer, orderID)
	if err != nil {
		return err
	}
	for i, so := range o.SubOrders {
		if err := h.Orders.AcceptSubOrder(member, so.ID); err != nil {
			return err
		}
		if err := h.Orders.ShipSubOrder(member, so.ID, "cj", fmt.Sprintf("5%05d%06d", orderID%100000, i)); err != nil {
			return err
		}
	}
	if until < inspected {
		return nil
	}
	today := coop.DateOf(h.now()).Format(time.DateOnly)
	for _, so := range o.SubOrders {
		if _, err := h.Orders.Inspect(buyer, so.ID, order.InspectionInput{Date: today, Inspector: "김검수", Result: order.InspectPass}); err != nil {
			return err
		}
	}
	if until < paid {
		return nil
	}
	inv, err := h.Orders.InvoiceFor(buyer, orderID)
	if err != nil {
		return err
	}
	return h.Orders.RecordTransfer(op, orderID, order.TransferInput{Date: today, Amount: kr.Comma(inv.Claimed), Payer: "대구광역시 ○○구청"})
}
