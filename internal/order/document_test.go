package order_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/doctest"
	"github.com/dure-coop/dure/internal/order"
)

// docParties are a co-op, an institution and two enterprises' contacts.
func docParties() order.DocumentParties {
	return order.DocumentParties{Issuer: doctest.Issuer(), Buyer: doctest.Buyer(),
		Bank: document.BankAccount{Bank: "대구은행", Number: "508-10-123456-7", Holder: "두레 사회적협동조합"},
		Suppliers: map[int64]document.Party{
			11: {Name: "옛 이름", IDNumber: doctest.BRN("999999999"), Representative: "박빵집", Phone: "0539401234"},
			22: {Representative: "최청결"},
		}}
}

// docLine is an order line of quantity at unit (VAT included).
func docLine(id int64, name string, qty int, unit int64, tax catalog.TaxType, ent string, brn string) order.Line {
	s, v := catalog.SplitVAT(int64(qty)*unit, tax)
	return order.Line{ID: id, Name: name, Kind: catalog.Goods, TaxType: tax, UnitPrice: unit, Quantity: qty,
		LineTotal: int64(qty) * unit, Supply: s, VAT: v, EnterpriseName: ent, BusinessNumber: brn}
}

// docOrder is an invoice order of two parts: enterprise 11 (a taxable line
// of 7 × 10,001원 and an exempt one of 3 × 9,999원, 3,000원 shipping) and
// enterprise 22 (2 × 55,555원).
func docOrder() *order.InvoiceData {
	brn11, brn22 := doctest.BRN("123450678"), doctest.BRN("214870011")
	o := &order.Order{ID: 42, Number: "D261123-ABCDEFGHJK", Channel: order.ChannelPublic, Terms: order.TermsInvoice,
		CreatedAt: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), Buyer: order.Buyer{Name: "이구매"},
		Address: order.Address{Road: "대구광역시 수성구 달구벌대로 2423", Detail: "총무과"},
		SubOrders: []*order.SubOrder{
			{ID: 1, EnterpriseID: 11, EnterpriseName: "행복한빵공방", Status: order.SubDelivered, ShippingFee: 3_000,
				Lines: []order.Line{docLine(101, "쿠키 세트", 7, 10_001, catalog.Taxable, "행복한빵공방 협동조합", brn11),
					docLine(102, "사과", 3, 9_999, catalog.Exempt, "행복한빵공방 협동조합", brn11)}},
			{ID: 2, EnterpriseID: 22, EnterpriseName: "맑은손", Status: order.SubShipped,
				Lines: []order.Line{docLine(201, "청소 용역", 2, 55_555, catalog.Taxable, "맑은손 청소 사회적기업", brn22)}},
		}}
	return &order.InvoiceData{Order: o, Inspections: map[int64]*order.Inspection{}, Claims: map[int64]*order.PaymentClaim{}}
}

func TestBuildStatementAndInvoice(t *testing.T) {
	issued := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC) // 12.02 in Korea
	d := docOrder()
	p := docParties()

	t.Run("before any 검수 the statement shows every part as ordered", func(t *testing.T) {
		doc, err := order.BuildStatement(d, p, 0, issued)
		if err != nil {
			t.Fatal(err)
		}
		if err := doc.Validate(); err != nil {
			t.Fatal(err)
		}
		if want := int64(7*10_001 + 3*9_999 + 3_000 + 2*55_555); doc.Totals.Total != want {
			t.Errorf("total %d, want %d", doc.Totals.Total, want)
		}
		if doc.Totals.Exempt != 3*9_999 {
			t.Errorf("면세 %d, want %d", doc.Totals.Exempt, 3*9_999)
		}
		if doc.Number != "S-20261123-000042" || !doc.IssueDate.Equal(coop.Date(2026, 12, 2)) {
			t.Errorf("number %s issued %s", doc.Number, doc.IssueDate)
		}
		s, _ := doc.Supplier(11)
		if s.Name != "행복한빵공방 협동조합" || s.IDNumber != doctest.BRN("123450678") || s.Representative != "박빵집" {
			t.Errorf("supplier 11 %+v: name and number from the snapshot, contacts current", s)
		}
		if doc.Buyer.Name != doctest.Buyer().Name || doc.Issuer.Name != doctest.Issuer().Name {
			t.Errorf("parties %q %q", doc.Buyer.Name, doc.Issuer.Name)
		}
	})
	t.Run("no claim, no invoice", func(t *testing.T) {
		_, err := order.BuildInvoice(&order.Invoice{Order: d.Order}, d, p, issued)
		wantCode(t, err, apperr.Conflict)
	})

	// Part 1 partly accepted (5 of 7 cookies, every apple), part 2 rejected.
	d.Inspections[1] = &order.Inspection{SubOrderID: 1, Result: order.InspectPartial, Accepted: map[int64]int{101: 5, 102: 3}}
	d.Inspections[2] = &order.Inspection{SubOrderID: 2, Result: order.InspectReject, Accepted: map[int64]int{201: 0}}
	claim := int64(5*10_001 + 3*9_999 + 3_000)
	d.Claims[1] = &order.PaymentClaim{SubOrderID: 1, Amount: claim, Date: coop.Date(2026, 11, 30), Due: coop.Date(2026, 12, 7)}

	t.Run("the statement reflects the partial 검수 to the won", func(t *testing.T) {
		doc, err := order.BuildStatement(d, p, 0, issued)
		if err != nil {
			t.Fatal(err)
		}
		if err := doc.Validate(); err != nil {
			t.Fatal(err)
		}
		if doc.Totals.Total != claim {
			t.Errorf("total %d, want the claim %d", doc.Totals.Total, claim)
		}
		if doc.Lines[0].Quantity != 5 || doc.Lines[0].Supply+doc.Lines[0].VAT != 50_005 {
			t.Errorf("partial line %+v, want 5 × 10,001원", doc.Lines[0])
		}
		if doc.Totals.Supply+doc.Totals.VAT != doc.Totals.Total || doc.Totals.VAT != doc.Lines[0].VAT+doc.Lines[2].VAT {
			t.Errorf("totals %+v do not add up", doc.Totals)
		}
		if _, ok := doc.Supplier(22); ok {
			t.Error("a rejected part is on the statement")
		}
	})
	t.Run("the invoice is the claims, with the balance", func(t *testing.T) {
		v := &order.Invoice{Order: d.Order, Reference: "DURE-ABC", Claimed: claim, Paid: 10_000, Balance: claim - 10_000,
			NextDue: coop.Date(2026, 12, 7)}
		doc, err := order.BuildInvoice(v, d, p, issued)
		if err != nil {
			t.Fatal(err)
		}
		if err := doc.Validate(); err != nil {
			t.Fatal(err)
		}
		if doc.Totals.Total != v.Claimed || !doc.DueDate.Equal(v.NextDue) || doc.Bank.Number != p.Bank.Number {
			t.Errorf("invoice total %d due %s bank %+v", doc.Totals.Total, doc.DueDate, doc.Bank)
		}
		if !strings.Contains(doc.Remarks, "DURE-ABC") || !strings.Contains(doc.Remarks, "잔액 73,002원") {
			t.Errorf("remarks %q", doc.Remarks)
		}
		p2 := p
		p2.Bank = document.BankAccount{}
		_, err = order.BuildInvoice(v, d, p2, issued)
		wantCode(t, err, apperr.Unavailable)
	})
	t.Run("one part's statement", func(t *testing.T) {
		doc, err := order.BuildStatement(d, p, 1, issued)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Number != "S-20261123-000042-1" || len(doc.Suppliers) != 1 {
			t.Errorf("number %s suppliers %d", doc.Number, len(doc.Suppliers))
		}
		_, err = order.BuildStatement(d, p, 2, issued)
		wantCode(t, err, apperr.Conflict)
	})
}

// setCoop gives the co-op its business details and account.
func (e *env) setCoop(t *testing.T) {
	t.Helper()
	e.exec(t, `UPDATE coop_settings SET name = '두레 사회적협동조합', representative = '김두레', business_number = $1,
		address = '대구광역시 중구 동덕로 115', bank_name = '대구은행', bank_account = '508-10-123456-7', bank_holder = '두레 사회적협동조합'`,
		doctest.BRN("504820123"))
}

func TestOrderDocuments(t *testing.T) {
	e := newEnv(t)
	inst, user, buyer := e.institution(t, "대구광역시", "5038000001")
	o, _, _ := e.shippedInvoiceOrder(t, buyer, inst, user, "quote:9:r1", coop.DateOf(time.Now()).AddDate(0, 0, -3))
	part1, part3 := o.SubOrders[0], o.SubOrders[1]

	_, err := e.svc.Statement(buyer, o.ID)
	wantCode(t, err, apperr.Unavailable) // the co-op's details are not set yet
	e.setCoop(t)

	today := time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateOnly)
	if _, err := e.svc.Inspect(buyer, part1.ID, order.InspectionInput{Date: today, Inspector: "김검수",
		Result: order.InspectPartial, Reason: "3개 파손", Accepted: map[int64]int{part1.Lines[0].ID: 7}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Inspect(buyer, part3.ID, order.InspectionInput{Date: today, Inspector: "김검수", Result: order.InspectPartial,
		Reason: "전량 불량", Accepted: map[int64]int{part3.Lines[0].ID: 0}})
	if wantCode(t, err, apperr.Invalid).Fields["accepted"] == "" {
		t.Error("a partial 검수 accepting nothing was taken")
	}
	if _, err := e.svc.Inspect(buyer, part3.ID, order.InspectionInput{Date: today, Inspector: "김검수", Result: order.InspectPass}); err != nil {
		t.Fatal(err)
	}
	inv, err := e.svc.InvoiceFor(buyer, o.ID)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the buyer's statement and invoice match the claims", func(t *testing.T) {
		st, err := e.svc.Statement(buyer, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Validate(); err != nil {
			t.Fatal(err)
		}
		want := int64(7*11_000 + 4*5_000 + 3_000 + 2*20_000)
		if st.Totals.Total != want || inv.Claimed != want {
			t.Errorf("statement %d, claims %d, want %d", st.Totals.Total, inv.Claimed, want)
		}
		if st.Buyer.Name != "대구광역시" || st.Buyer.Contact != "박주무관" || st.Issuer.Name != "두레 사회적협동조합" {
			t.Errorf("parties: buyer %+v issuer %+v", st.Buyer, st.Issuer)
		}
		if len(st.Suppliers) != 2 || st.Suppliers[0].Representative == "" {
			t.Errorf("suppliers %+v, want both with their current representative", st.Suppliers)
		}
		iv, err := e.svc.InvoiceDocument(buyer, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if iv.Totals.Total != inv.Claimed || iv.Bank == nil || iv.Bank.Number != "508-10-123456-7" {
			t.Errorf("invoice %d (bank %+v), want %d", iv.Totals.Total, iv.Bank, inv.Claimed)
		}
	})
	t.Run("others are told it does not exist", func(t *testing.T) {
		_, _, other := e.institution(t, "경상북도", "5038000002")
		for _, f := range []func(context.Context) error{
			func(ctx context.Context) error { _, err := e.svc.Statement(ctx, o.ID); return err },
			func(ctx context.Context) error { _, err := e.svc.InvoiceDocument(ctx, o.ID); return err },
		} {
			wantCode(t, f(other), apperr.NotFound)
			wantCode(t, f(staff(part1.EnterpriseID)), apperr.NotFound)
		}
		_, err := e.svc.EnterpriseStatement(staff(part3.EnterpriseID), part1.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.TaxInvoiceBills(buyer, coop.DateOf(time.Now()), coop.DateOf(time.Now()))
		wantCode(t, err, apperr.NotFound)
	})
	t.Run("an enterprise gets its own part's statement", func(t *testing.T) {
		doc, err := e.svc.EnterpriseStatement(staff(part1.EnterpriseID), part1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Suppliers) != 1 || doc.Suppliers[0].ID != part1.EnterpriseID || doc.Totals.Total != inv.Part(part1.ID).Claim.Amount {
			t.Errorf("part statement: %d suppliers, total %d", len(doc.Suppliers), doc.Totals.Total)
		}
	})
	t.Run("tax invoice data per enterprise for the period", func(t *testing.T) {
		op := e.operator(t)
		day := coop.DateOf(time.Now())
		bills, err := e.svc.TaxInvoiceBills(op, day.AddDate(0, 0, -1), day)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, b := range bills {
			sum += b.Total()
		}
		if sum != inv.Claimed || len(bills) < 2 {
			t.Errorf("%d bills of %d원, want the claims %d원", len(bills), sum, inv.Claimed)
		}
		none, err := e.svc.TaxInvoiceBills(op, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2))
		if err != nil || len(none) != 0 {
			t.Errorf("a later period: %d bills, %v", len(none), err)
		}
		_, err = e.svc.TaxInvoiceBills(op, day, day.AddDate(0, 0, -1))
		wantCode(t, err, apperr.Invalid)
	})
}
