package biz

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web"
)

// quoteDocument is GET /biz/quotes/:id/r/:rev (the 견적서's page) and
// /biz/quotes/:id/r/:rev.pdf (its PDF): only for the buyers of the
// request's institution, as FindRequest decides.
func (s *server) quoteDocument(c *fiber.Ctx) error {
	id, err := quoteParam(c)
	if err != nil {
		return err
	}
	raw, asPDF := strings.CutSuffix(c.Params("rev"), ".pdf")
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		return apperr.Errorf(apperr.NotFound, "견적서를 찾을 수 없습니다.")
	}
	ctx := c.UserContext()
	r, err := s.Quotes.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	if n > len(r.Revisions) {
		return apperr.Errorf(apperr.NotFound, "견적서를 찾을 수 없습니다.")
	}
	if s.Coop == nil || (asPDF && s.PDF == nil) {
		return apperr.Errorf(apperr.Unavailable, "지금은 견적서를 만들 수 없습니다. 협동조합에 문의해 주세요.")
	}
	inst, err := s.Institutions.Mine(ctx)
	if err != nil {
		return err
	}
	d, err := s.quoteDoc(ctx, r, r.Revisions[n-1], inst)
	if err != nil {
		return err
	}
	if asPDF {
		return web.SendDocumentPDF(c, s.PDF, d)
	}
	base := bizQuoteURL(r.ID)
	return s.kit.RenderDocument(c, web.DocumentPage{Doc: d, PDFURL: base + "/r/" + raw + ".pdf", BackURL: base, BackLabel: "견적 요청으로 돌아가기"})
}

// quoteDoc is revision v of r as a document.Document: quote.DocumentOf's
// figures, the co-op as issuer, the institution as buyer and each
// supplying enterprise's business details.
func (s *server) quoteDoc(ctx context.Context, r *quote.Request, v *quote.Revision, inst *institution.Institution) (*document.Document, error) {
	q := quote.DocumentOf(r, v)
	issuer, err := s.issuer(ctx)
	if err != nil {
		return nil, err
	}
	place := strings.TrimSpace("(" + q.Place.Postcode + ") " + q.Place.Road + " " + q.Place.Detail)
	d := &document.Document{Kind: document.Quote, Number: q.Number, Revision: v.Number, Title: "견적 요청 " + r.Number,
		IssueDate: q.SentAt, ValidUntil: q.ValidUntil, DeliveryDate: q.DeliveryDate, DeliveryPlace: place,
		Issuer: issuer, PriceBasis: document.VATIncluded, Remarks: q.Remarks,
		Buyer: document.Party{Name: inst.Name, IDNumber: inst.IDNumber, Contact: q.RequesterName,
			Address: strings.TrimSpace(inst.RoadAddress + " " + inst.DetailAddress), Phone: inst.Phone}}
	for _, p := range q.Parts {
		e, err := s.Catalog.FindEnterpriseByID(ctx, p.EnterpriseID)
		if err != nil {
			return nil, err
		}
		d.Suppliers = append(d.Suppliers, document.Supplier{ID: p.EnterpriseID, Party: document.Party{Name: p.EnterpriseName,
			IDNumber: e.BusinessNumber, Representative: e.Representative, Address: e.Address, Phone: e.Phone, Email: e.Email}})
		var supply, vat int64
		for _, l := range p.Lines {
			d.Lines = append(d.Lines, docLine(p.EnterpriseID, l))
			supply, vat = supply+l.Supply, vat+l.VAT
		}
		if p.Shipping > 0 { // the share's figures less its lines' are the fee's split
			d.Lines = append(d.Lines, document.Line{SupplierID: p.EnterpriseID, Name: "배송비", Unit: "건", Quantity: 1,
				UnitPrice: p.Shipping, Supply: p.Supply - supply, VAT: p.VAT - vat, TaxType: catalog.Taxable, Shipping: true})
		}
	}
	for _, l := range q.Unsupplied {
		dl := docLine(0, l)
		dl.Unavailable, dl.Note, dl.UnitPrice, dl.Supply, dl.VAT = true, l.Unsupplied, 0, 0, 0
		d.Lines = append(d.Lines, dl)
	}
	d.Totals = document.Totals{Supply: q.Supply, VAT: q.VAT, Total: q.Total}
	for _, l := range d.Lines {
		if !l.Unavailable && l.Exempt() {
			d.Totals.Exempt += l.Supply
		}
	}
	return d, nil
}

func docLine(supplier int64, l *quote.RevisionLine) document.Line {
	unit := l.Unit
	if unit == "" {
		unit = "개"
	}
	return document.Line{SupplierID: supplier, Name: l.Name, Spec: l.OptionName, Unit: unit, Quantity: int64(l.Quantity),
		UnitPrice: l.UnitPrice, Supply: l.Supply, VAT: l.VAT, TaxType: l.TaxType}
}

// issuer is the co-op as the 견적서's issuer, from its settings;
// Unavailable until an operator has entered its 사업자등록번호.
func (s *server) issuer(ctx context.Context) (document.Party, error) {
	st, err := s.Coop.Settings(ctx)
	if err != nil {
		return document.Party{}, err
	}
	if st.Name == "" || st.BusinessNumber == "" {
		return document.Party{}, apperr.Errorf(apperr.Unavailable, "협동조합의 사업자 정보가 아직 등록되지 않아 견적서를 만들 수 없습니다. 협동조합에 문의해 주세요.")
	}
	return document.Party{Name: st.Name, IDNumber: st.BusinessNumber, Representative: st.Representative,
		Address: st.Address, Phone: st.Phone, Email: st.Email}, nil
}
