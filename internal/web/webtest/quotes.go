package webtest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/testutil"
)

// QuoteRequest has a buyer of a new institution (direct-contract limit
// limit, 0 for the co-op default) ask for a quote: one line of the first
// goods product without options of each enterprise in ents (stock set to
// 100), then a free-text line per name in freeText. It returns the request
// and the buyer's context.
func (e *Env) QuoteRequest(t testing.TB, limit int64, ents []int64, freeText ...string) (*quote.Request, context.Context) {
	t.Helper()
	ctx := context.Background()
	inst := testutil.QuoteInstitution(t, e.Pool, "대구광역시 중구청", limit)
	buyer := account.NewContext(ctx, testutil.QuoteUser(t, e.Pool, account.InstitutionUser, "김구매", inst))
	in := quote.RequestInput{DesiredDate: quote.Today(time.Now()).AddDate(0, 0, 10),
		Place: quote.Place{Postcode: "41911", Road: "대구광역시 중구 공평로 88", Detail: "별관 2층"}, Notes: "명절 행사용"}
	for _, ent := range ents {
		var id int64
		if err := e.Pool.QueryRow(ctx, `UPDATE products SET stock = 100 WHERE id = (SELECT id FROM products p
			WHERE p.enterprise_id = $1 AND p.status = 'active' AND p.kind = 'goods'
			  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1)
			RETURNING id`, ent).Scan(&id); err != nil {
			t.Fatalf("a product of enterprise %d: %v", ent, err)
		}
		in.Lines = append(in.Lines, quote.LineInput{ProductID: id, Quantity: 10})
	}
	for _, name := range freeText {
		in.Lines = append(in.Lines, quote.LineInput{Name: name, Quantity: 20, Unit: "실"})
	}
	r, err := e.Quotes.CreateRequest(buyer, in)
	if err != nil {
		t.Fatalf("quote request: %v", err)
	}
	return r, buyer
}

// Actor returns the actor of the user with e-mail address email, as a
// session of theirs carries it, in a context.
func (e *Env) Actor(t testing.TB, email string) context.Context {
	t.Helper()
	a, _, err := e.Accounts.SignIn(context.Background(), email, Password, "192.0.2.20")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return account.NewContext(context.Background(), a)
}

// SetCoopDetails enters the co-op's business details (as an operator does
// at /admin/settings), which documents print as their issuer.
func (e *Env) SetCoopDetails(t testing.TB) {
	t.Helper()
	s := coop.Settings{Name: "두레 사회적협동조합", Representative: "김두레",
		BusinessNumber: "504820123" + strconv.Itoa(kr.BusinessNumberCheckDigit("504820123")),
		Address:        "대구광역시 중구 동덕로 115", Phone: "0531234567", InspectionDays: 10, ClaimWorkingDays: 5,
		ReportBasis: coop.BasisInspected, DirectContractLimit: coop.DefaultDirectContractLimit}
	if _, err := e.Coop.UpdateSettings(e.Actor(t, e.Operator(t)), s); err != nil {
		t.Fatalf("co-op details: %v", err)
	}
}

// Linkable returns a product enterprise ent can supply a free-text quote
// line as (taxable, without options, a service when it has one), with its
// stock set to 1,000.
func (e *Env) Linkable(t testing.TB, ent int64) int64 {
	t.Helper()
	var id int64
	if err := e.Pool.QueryRow(context.Background(), `UPDATE products SET stock = 1000 WHERE id = (SELECT id FROM products p
		WHERE p.enterprise_id = $1 AND p.status = 'active' AND p.tax_type = 'taxable'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.kind = 'service' DESC, p.id LIMIT 1) RETURNING id`, ent).Scan(&id); err != nil {
		t.Fatalf("a linkable product of enterprise %d: %v", ent, err)
	}
	return id
}
