package biz_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestDashboardTodo: the buyer's dashboard says what waits for them — a
// quote answered, a delivery to inspect (and when its 검수 deadline has
// passed), what is owed on invoices (and when overdue) — and this year's
// purchases; an institution with nothing waiting is told so.
func TestDashboardTodo(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	o, inst := shippedOrder(t, e)
	b := e.Shopper()
	b.SignIn(t, inst.Buyer, webtest.Password)
	todo := func() string {
		t.Helper()
		doc := b.Page(t, "/biz", http.StatusOK)
		return strings.Join(strings.Fields(doc.Find("#d-todo-h").Parent().Text()), " ")
	}

	got := todo()
	if !strings.Contains(got, "검수할 납품 1건") || strings.Contains(got, "기한이 지났습니다") {
		t.Errorf("a shipped part: %q", got)
	}
	if !strings.Contains(got, "년 사회적경제기업 제품 구매") {
		t.Errorf("no year's purchases: %q", got)
	}

	// Shipped 30 days ago: past the 14-day 검수 deadline.
	so := o.SubOrders[0]
	if _, err := e.Pool.Exec(ctx, `UPDATE sub_orders SET shipped_at = now() - interval '30 days' WHERE id = $1`, so.ID); err != nil {
		t.Fatal(err)
	}
	if got := todo(); !strings.Contains(got, "그중 1건은 검수 기한이 지났습니다") {
		t.Errorf("past the deadline: %q", got)
	}

	// Inspected: the claim is owed; once its due date passes, overdue.
	if _, err := e.Orders.Inspect(e.Actor(t, inst.Buyer), so.ID, order.InspectionInput{
		Date: time.Now().Format(time.DateOnly), Inspector: "김검수", Result: order.InspectPass}); err != nil {
		t.Fatal(err)
	}
	var claimed int64
	if err := e.Pool.QueryRow(ctx, `SELECT amount FROM payment_claims WHERE sub_order_id = $1`, so.ID).Scan(&claimed); err != nil {
		t.Fatal(err)
	}
	got = todo()
	if strings.Contains(got, "검수할 납품") || !strings.Contains(got, "입금할 금액") || strings.Contains(got, "지급 기한이 지난") {
		t.Errorf("after 검수: %q", got)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE payment_claims SET claimed_on = current_date - 40, due_on = current_date - 10 WHERE sub_order_id = $1`, so.ID); err != nil {
		t.Fatal(err)
	}
	if got := todo(); !strings.Contains(got, "지급 기한이 지난 청구서 1건") {
		t.Errorf("overdue: %q", got)
	}

	// Another institution's buyer sees none of it; a quote answered shows.
	other := e.Institution(t, "대구광역시 빈구청")
	ob := e.Shopper()
	ob.SignIn(t, other.Buyer, webtest.Password)
	if got := strings.Join(strings.Fields(ob.Page(t, "/biz", http.StatusOK).Find("#d-todo-h").Parent().Text()), " "); !strings.Contains(got, "지금 처리할 일이 없습니다") {
		t.Errorf("an institution with nothing waiting: %q", got)
	}
	ents := e.Enterprises(t, 1)
	day := quote.Today(time.Now()).AddDate(0, 0, 5)
	r, err := e.Quotes.CreateRequest(e.Actor(t, other.Buyer), quote.RequestInput{DesiredDate: day,
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
		Lines: []quote.LineInput{{ProductID: goods(t, e, ents[0]), Quantity: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Quotes.AnswerLines(e.Actor(t, e.Member(t, ents[0], account.Owner)), r.ID,
		[]quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 9000, AvailableDate: day}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Quotes.SendRevision(e.Actor(t, e.Operator(t)), r.ID, quote.RevisionInput{DeliveryDate: day, ValidUntil: day}); err != nil {
		t.Fatal(err)
	}
	doc := ob.Page(t, "/biz", http.StatusOK)
	if got := doc.Find(`.todo-list a[href="/biz/quotes?status=quoted"]`).Text(); !strings.Contains(got, "견적서가 도착한 요청 1건") {
		t.Errorf("a quote answered: %q", got)
	}
}
