package order

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/taxinvoice"
	"github.com/dure-coop/dure/internal/kr"
)

// DocumentStore reads what a public order's documents name besides the
// order itself (postgres.OrderStore implements it).
type DocumentStore interface {
	// FindDocumentParties returns the buying institution's current details
	// (its name, number, address and phone, with buyer userID's 담당 부서)
	// and the current contact details of the enterprises (대표자, 주소,
	// 전화, 이메일; keyed by id). apperr.NotFound when the institution is
	// missing; a missing enterprise is left out of the map.
	FindDocumentParties(ctx context.Context, institutionID, userID int64, enterpriseIDs []int64) (document.Party, map[int64]document.Party, error)
	// FindClaimedOrders returns the ids of the invoice orders with a payment
	// claim dated from from to to (civil dates, both included), oldest
	// first.
	FindClaimedOrders(ctx context.Context, from, to time.Time) ([]int64, error)
}

// DocumentParties are the parties a document names: the co-op as issuer
// (with its bank account for an invoice), the institution as buyer and the
// current contact details of each supplying enterprise by id. The
// enterprise's name and 사업자등록번호 come from the order lines' snapshot,
// not from here.
type DocumentParties struct {
	Issuer    document.Party
	Bank      document.BankAccount
	Buyer     document.Party
	Suppliers map[int64]document.Party
}

// BuildStatement is the 거래명세서 of the order d (its parts partOnly, or
// every part when partOnly is 0), issued on issued: each part not cancelled
// with its lines at the quantity supplied — the accepted quantity once the
// part is inspected (a rejected part drops out, with its shipping), the
// ordered quantity before — and its shipping fee. Its number is the
// order's (S-YYYYMMDD-<order id>, with -<part no.> for one part).
// apperr.Conflict when nothing is left to state.
func BuildStatement(d *InvoiceData, p DocumentParties, partOnly int64, issued time.Time) (*document.Document, error) {
	o := d.Order
	doc := newDocument(document.Statement, o, p, issued)
	for i, so := range o.SubOrders {
		if partOnly != 0 && so.ID != partOnly {
			continue
		}
		if partOnly != 0 {
			doc.Number += "-" + strconv.Itoa(i+1)
		}
		addPart(doc, so, d.Inspections[so.ID], p)
	}
	return finish(doc, "거래명세서에 적을 공급 내역이 아직 없습니다.")
}

// BuildInvoice is the 청구서 of the invoice v (with d, its data): the parts
// with a payment claim, each at its accepted quantities and shipping (what
// the claim is), due on the first date the payments do not cover (the last
// claim's when all is paid), payable to the co-op's account, with the
// payments recorded and the balance in its remarks. apperr.Conflict before
// any claim; apperr.Unavailable when the co-op has no bank account yet.
func BuildInvoice(v *Invoice, d *InvoiceData, p DocumentParties, issued time.Time) (*document.Document, error) {
	o := d.Order
	doc := newDocument(document.Invoice, o, p, issued)
	bank := p.Bank
	if v.Account.Number != "" {
		bank = document.BankAccount{Bank: v.Account.Bank, Number: v.Account.Number, Holder: v.Account.Holder}
	}
	if bank.Number == "" {
		return nil, apperr.Errorf(apperr.Unavailable, "협동조합의 입금 계좌가 아직 등록되지 않아 청구서를 만들 수 없습니다.")
	}
	doc.Bank = &bank
	doc.DueDate = v.NextDue
	for _, so := range o.SubOrders {
		c := d.Claims[so.ID]
		if c == nil {
			continue
		}
		if c.Due.After(doc.DueDate) && v.NextDue.IsZero() {
			doc.DueDate = c.Due
		}
		addPart(doc, so, d.Inspections[so.ID], p)
	}
	doc.Remarks = "입금 시 받는 분 통장 표시: " + v.Reference + "\n청구액 " + won(v.Claimed) + " 중 입금 확인 " +
		won(v.Paid) + ", 잔액 " + won(v.Balance)
	return finish(doc, "검수를 마친 부분이 없어 아직 청구서가 없습니다.")
}

func won(n int64) string { return kr.Won(n) }

// newDocument is the frame of an order's document.
func newDocument(k document.Kind, o *Order, p DocumentParties, issued time.Time) *document.Document {
	doc := &document.Document{Kind: k, Number: document.Number(k, o.CreatedAt, o.ID),
		Title: "공공구매 주문 " + o.Number, IssueDate: coop.DateOf(issued), Issuer: p.Issuer, Buyer: p.Buyer,
		PriceBasis: document.VATIncluded, DeliveryPlace: strings.TrimSpace(o.Address.Road + " " + o.Address.Detail)}
	if o.DesiredDelivery != nil {
		doc.DeliveryDate = *o.DesiredDelivery
	}
	return doc
}

// addPart adds a part's supplier, lines and shipping to doc: at the
// accepted quantities when inspected, nothing when rejected or cancelled.
func addPart(doc *document.Document, so *SubOrder, in *Inspection, p DocumentParties) {
	if so.Status == SubCancelled || (in != nil && in.Result == InspectReject) {
		return
	}
	var lines []document.Line
	for _, l := range so.Lines {
		q := int64(l.Quantity)
		if in != nil {
			if a, ok := in.Accepted[l.ID]; ok {
				q = int64(a)
			}
		}
		if q == 0 {
			continue
		}
		supply, vat := l.Supply, l.VAT
		if q != int64(l.Quantity) {
			supply, vat = catalog.SplitVAT(q*l.UnitPrice, l.TaxType)
		}
		unit := "개"
		if l.Kind == catalog.Service {
			unit = "식"
		}
		lines = append(lines, document.Line{SupplierID: so.EnterpriseID, Name: l.Name, Spec: l.OptionName, Unit: unit,
			Quantity: q, UnitPrice: l.UnitPrice, Supply: supply, VAT: vat, TaxType: l.TaxType})
	}
	if so.ShippingFee > 0 && len(lines) > 0 {
		s, v := catalog.SplitVAT(so.ShippingFee, catalog.Taxable)
		lines = append(lines, document.Line{SupplierID: so.EnterpriseID, Name: "배송비", Unit: "건", Quantity: 1,
			UnitPrice: so.ShippingFee, Supply: s, VAT: v, TaxType: catalog.Taxable, Shipping: true})
	}
	if len(lines) == 0 {
		return
	}
	sup := p.Suppliers[so.EnterpriseID]
	sup.Name = so.EnterpriseName
	if len(so.Lines) > 0 {
		if snap := so.Lines[0]; snap.EnterpriseName != "" {
			sup.Name = snap.EnterpriseName
		}
		if snap := so.Lines[0]; snap.BusinessNumber != "" {
			sup.IDNumber = snap.BusinessNumber
		}
	}
	if _, ok := doc.Supplier(so.EnterpriseID); !ok {
		doc.Suppliers = append(doc.Suppliers, document.Supplier{ID: so.EnterpriseID, Party: sup})
	}
	doc.Lines = append(doc.Lines, lines...)
}

// finish totals doc, or says empty when it has no line.
func finish(doc *document.Document, empty string) (*document.Document, error) {
	if len(doc.Lines) == 0 {
		return nil, apperr.Errorf(apperr.Conflict, "%s", empty)
	}
	doc.Totals = doc.Sum()
	return doc, nil
}

// parties reads the co-op's settings and the order's institution and
// enterprises. apperr.Unavailable when the co-op's business details are
// not set (no document can name its issuer).
func (s *Service) parties(ctx context.Context, o *Order) (DocumentParties, error) {
	if s.cfg.Documents == nil || s.cfg.Coop == nil {
		return DocumentParties{}, apperr.Errorf(apperr.Unavailable, "지금은 문서를 만들 수 없습니다.")
	}
	st, err := s.cfg.Coop.Settings(ctx)
	if err != nil {
		return DocumentParties{}, err
	}
	if st.Name == "" || st.BusinessNumber == "" {
		return DocumentParties{}, apperr.Errorf(apperr.Unavailable, "협동조합의 사업자 정보가 아직 등록되지 않아 문서를 만들 수 없습니다.")
	}
	p := DocumentParties{
		Issuer: document.Party{Name: st.Name, IDNumber: st.BusinessNumber, Representative: st.Representative,
			Address: st.Address, Phone: st.Phone, Email: st.Email},
		Bank: document.BankAccount{Bank: st.BankName, Number: st.BankAccount, Holder: st.BankHolder},
	}
	ids := make([]int64, 0, len(o.SubOrders))
	for _, so := range o.SubOrders {
		ids = append(ids, so.EnterpriseID)
	}
	p.Buyer, p.Suppliers, err = s.cfg.Documents.FindDocumentParties(ctx, o.InstitutionID, o.UserID, ids)
	if err != nil {
		return DocumentParties{}, err
	}
	p.Buyer.Contact = o.Buyer.Name
	if p.Buyer.Email == "" {
		p.Buyer.Email = o.Buyer.Email
	}
	return p, nil
}

// publicOrder loads order orderID for its documents: an operator sees any
// public order, a buyer those of their institution; NotFound otherwise.
func (s *Service) publicOrder(ctx context.Context, orderID int64) (*InvoiceData, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.store.FindInvoice(ctx, orderID)
	if apperr.Code(err) == apperr.NotFound {
		return nil, notFoundOrder()
	}
	if err != nil {
		return nil, err
	}
	if d.Order.Channel != ChannelPublic || !canSeeInvoice(a, d.Order) {
		return nil, notFoundOrder()
	}
	return d, nil
}

// Statement returns the 거래명세서 of public order orderID (BuildStatement),
// issued today: for an operator or a buyer of its institution
// (apperr.NotFound for anyone else and for a consumer's order).
func (s *Service) Statement(ctx context.Context, orderID int64) (*document.Document, error) {
	d, err := s.publicOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p, err := s.parties(ctx, d.Order)
	if err != nil {
		return nil, err
	}
	return BuildStatement(d, p, 0, s.now())
}

// InvoiceDocument returns the 청구서 of invoice order orderID
// (BuildInvoice), issued today, for those InvoiceFor shows it to.
func (s *Service) InvoiceDocument(ctx context.Context, orderID int64) (*document.Document, error) {
	v, err := s.InvoiceFor(ctx, orderID)
	if err != nil {
		return nil, err
	}
	d, err := s.store.FindInvoice(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p, err := s.parties(ctx, d.Order)
	if err != nil {
		return nil, err
	}
	return BuildInvoice(v, d, p, s.now())
}

// EnterpriseStatement returns the 거래명세서 of the actor's enterprise's
// part id of a public order (its own part alone), issued today.
// apperr.NotFound as FindEnterpriseSubOrder, and for a consumer's order.
func (s *Service) EnterpriseStatement(ctx context.Context, subOrderID int64) (*document.Document, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	so, err := s.store.FindEnterpriseSubOrder(ctx, ent, subOrderID)
	if apperr.Code(err) == apperr.NotFound {
		return nil, errSubOrderNotFound()
	}
	if err != nil {
		return nil, err
	}
	d, err := s.store.FindInvoice(ctx, so.OrderID)
	if err != nil {
		return nil, err
	}
	if d.Order.Channel != ChannelPublic {
		return nil, errSubOrderNotFound()
	}
	p, err := s.parties(ctx, d.Order)
	if err != nil {
		return nil, err
	}
	return BuildStatement(d, p, subOrderID, s.now())
}

// TaxInvoiceBills returns the data of the 세금계산서 and 계산서 for the payment
// claims dated from from to to (civil dates, both included; at most a
// year): for each claimed part, a 거래명세서 dated on its claim
// (taxinvoice.FromDocument splits it by tax kind), oldest first. For
// operators (else apperr.NotFound); apperr.Invalid for a reversed or too
// long range.
func (s *Service) TaxInvoiceBills(ctx context.Context, from, to time.Time) ([]taxinvoice.Bill, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, apperr.Errorf(apperr.Invalid, "기간의 끝이 시작보다 앞섭니다. 날짜를 확인해 주세요.")
	}
	if to.After(from.AddDate(1, 0, 0)) {
		return nil, apperr.Errorf(apperr.Invalid, "기간은 1년 이내로 정해 주세요.")
	}
	if s.cfg.Documents == nil {
		return nil, apperr.Errorf(apperr.Unavailable, "지금은 문서를 만들 수 없습니다.")
	}
	ids, err := s.cfg.Documents.FindClaimedOrders(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []taxinvoice.Bill
	for _, id := range ids {
		d, err := s.store.FindInvoice(ctx, id)
		if err != nil {
			return nil, err
		}
		p, err := s.parties(ctx, d.Order)
		if err != nil {
			return nil, err
		}
		for _, so := range d.Order.SubOrders {
			c := d.Claims[so.ID]
			if c == nil || c.Date.Before(from) || c.Date.After(to) {
				continue
			}
			doc, err := BuildStatement(d, p, so.ID, c.Date)
			if apperr.Code(err) == apperr.Conflict {
				continue // a claim of shipping alone has no item to bill
			}
			if err != nil {
				return nil, err
			}
			bills, err := taxinvoice.FromDocument(doc)
			if err != nil {
				return nil, err
			}
			out = append(out, bills...)
		}
	}
	return out, nil
}
