// Package document is the model of the documents Dure issues to public
// buyers — the 견적서 (quote), the 거래명세서 (statement) and the 청구서
// (invoice) — independent of the database: procurement and order code fill a
// Document, Validate refuses one whose figures do not add up to the won, and
// the renderers (the HTML pages in storefront/templates/docs, the PDF in
// document/pdf) and the tax-invoice export (document/taxinvoice) read it.
//
// Money is int64 원. A line carries its own 공급가액 and 세액 as the pricing
// code computed them; the document never re-derives a VAT split, it only
// checks that every figure is consistent with the others.
package document

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
)

// Kind is the kind of a document.
type Kind string

// Kinds of documents.
const (
	Quote     Kind = "quote"     // 견적서
	Statement Kind = "statement" // 거래명세서
	Invoice   Kind = "invoice"   // 청구서
)

// Label is the Korean title of the kind (견적서, 거래명세서, 청구서).
func (k Kind) Label() string {
	switch k {
	case Quote:
		return "견적서"
	case Statement:
		return "거래명세서"
	case Invoice:
		return "청구서"
	}
	return ""
}

// prefix is the kind's letter in document numbers.
func (k Kind) prefix() string {
	switch k {
	case Quote:
		return "Q"
	case Statement:
		return "S"
	case Invoice:
		return "I"
	}
	return ""
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k.Label() != "" }

// Number is the conventional document number of a kind, issue date and
// sequence: Q-20261123-000123 (KST date). Callers that keep their own
// numbering may use any non-empty Number instead.
func Number(k Kind, issued time.Time, seq int64) string {
	return fmt.Sprintf("%s-%s-%06d", k.prefix(), issued.In(kr.Seoul()).Format("20060102"), seq)
}

// PriceBasis says what a line's UnitPrice is.
type PriceBasis string

// Price bases.
const (
	// VATIncluded: the unit price includes the VAT, as Dure's price lists
	// do; a line's 공급가액 + 세액 = 수량 × 단가.
	VATIncluded PriceBasis = "vat_included"
	// VATExcluded: the unit price is the 공급단가; 공급가액 = 수량 × 단가.
	VATExcluded PriceBasis = "vat_excluded"
)

// Party is one side of a document: the co-op (issuer), a supplying
// enterprise, or the buying institution.
type Party struct {
	Name           string // 상호 or 기관명
	IDNumber       string // 사업자등록번호 or 고유번호: 10 digits, hyphens allowed
	Representative string // 대표자
	Department     string // 담당 부서 (the buyer's)
	Contact        string // 담당자
	Address        string
	Phone          string
	Email          string
	BusinessType   string // 업태, for the tax invoice
	BusinessItem   string // 종목, for the tax invoice
}

// IDText is the party's 사업자등록번호 or 고유번호 as 123-45-67890.
func (p Party) IDText() string {
	d, _ := kr.NormalizeBusinessNumber(p.IDNumber)
	return kr.FormatBusinessNumber(d)
}

// PhoneText is the party's phone as 053-123-4567.
func (p Party) PhoneText() string { return kr.Phone(p.Phone) }

// Supplier is a supplying enterprise of a document (a consortium quote has
// several); lines refer to it by ID.
type Supplier struct {
	ID int64 // the enterprise's id; lines point at it with SupplierID
	Party
}

// Line is one row of a document: an item, or a supplier's shipping fee.
type Line struct {
	SupplierID int64 // the supplying enterprise; 0 only for an Unavailable line
	Name       string
	Spec       string // 규격 / option
	Unit       string // 단위: 개, 세트, 식, 회 …
	Quantity   int64
	UnitPrice  int64 // 원; what it is depends on Document.PriceBasis
	Supply     int64 // 공급가액
	VAT        int64 // 세액; 0 for 면세
	TaxType    catalog.TaxType
	Shipping   bool // a shipping fee line (배송비)
	// Unavailable marks a quote line nobody (or its enterprise) can supply
	// (공급 불가): it is shown as such, carries no figures, and counts in no
	// total.
	Unavailable bool
	Note        string // 비고
}

// Amount is the line's 합계: 공급가액 + 세액.
func (l Line) Amount() int64 { return l.Supply + l.VAT }

// Exempt reports whether the line is 면세.
func (l Line) Exempt() bool { return l.TaxType == catalog.Exempt }

// Totals are a document's (or a supplier's share's) sums.
type Totals struct {
	Supply int64 // 공급가액, 과세 (net of VAT) and 면세 alike
	VAT    int64 // 부가세
	Exempt int64 // the 면세 part of Supply
	Total  int64 // 합계 = Supply + VAT
}

// Taxable is the 과세 part of Supply.
func (t Totals) Taxable() int64 { return t.Supply - t.Exempt }

func (t *Totals) add(l Line) {
	if l.Unavailable {
		return
	}
	t.Supply += l.Supply
	t.VAT += l.VAT
	if l.Exempt() {
		t.Exempt += l.Supply
	}
	t.Total += l.Supply + l.VAT
}

// BankAccount is where an invoice is paid.
type BankAccount struct {
	Bank   string // 은행
	Number string // 계좌번호
	Holder string // 예금주
}

// Document is one 견적서, 거래명세서 or 청구서.
type Document struct {
	Kind     Kind
	Number   string // 문서번호
	Revision int    // a quote's revision (0: the first, not shown)
	Title    string // 건명, e.g. "2026년 설 명절 선물세트"

	IssueDate     time.Time
	ValidUntil    time.Time // quotes: 유효기간
	DueDate       time.Time // invoices: 납부기한
	DeliveryDate  time.Time // optional 납품(예정)일
	DeliveryPlace string    // optional 납품 장소

	Issuer    Party // the co-op
	Buyer     Party // the institution
	Suppliers []Supplier
	// PriceBasis says whether UnitPrice includes VAT ("" is VATIncluded).
	PriceBasis PriceBasis
	Lines      []Line
	Totals     Totals
	Bank       *BankAccount // invoices: the co-op's account
	Remarks    string       // 비고
}

// Sum adds up the lines: what Totals must equal. Callers building a new
// document set d.Totals = d.Sum(); callers rendering stored figures leave
// them and let Validate compare.
func (d *Document) Sum() Totals {
	var t Totals
	for _, l := range d.Lines {
		t.add(l)
	}
	return t
}

// AmountInWords is the total in Korean words: 금 일십이만삼천원정.
func (d *Document) AmountInWords() string { return KoreanAmount(d.Totals.Total) }

// Supplier returns the supplier of id.
func (d *Document) Supplier(id int64) (Supplier, bool) {
	for _, s := range d.Suppliers {
		if s.ID == id {
			return s, true
		}
	}
	return Supplier{}, false
}

// Consortium reports whether the document has more than one supplier.
func (d *Document) Consortium() bool { return len(d.Suppliers) > 1 }

// HasUnavailable reports whether some line cannot be supplied.
func (d *Document) HasUnavailable() bool {
	for _, l := range d.Lines {
		if l.Unavailable {
			return true
		}
	}
	return false
}

// Row is a line as a document shows it, numbered (No) across the groups.
type Row struct {
	No int
	Line
}

// Group is one supplier's part of a document: its rows (items first, then
// shipping, in document order) and its share of the total.
type Group struct {
	Supplier Supplier
	Rows     []Row
	Totals   Totals
	// ShareBP is the group's share of the document's 합계 in basis points
	// (10000 = 100%), rounded down.
	ShareBP int64
}

// Share is ShareBP as "34.56%".
func (g Group) Share() string {
	return strconv.FormatInt(g.ShareBP/100, 10) + "." + fmt.Sprintf("%02d", g.ShareBP%100) + "%"
}

// Groups splits the lines by supplier, in the order of d.Suppliers, with a
// last group (Supplier.ID 0, no name) for the lines nobody can supply.
func (d *Document) Groups() []Group {
	gs := make([]Group, 0, len(d.Suppliers)+1)
	idx := map[int64]int{}
	for _, s := range d.Suppliers {
		idx[s.ID] = len(gs)
		gs = append(gs, Group{Supplier: s})
	}
	var none Group
	for _, shipping := range []bool{false, true} {
		for _, l := range d.Lines {
			if l.Shipping != shipping {
				continue
			}
			i, ok := idx[l.SupplierID]
			if !ok {
				none.Rows = append(none.Rows, Row{Line: l})
				continue
			}
			gs[i].Rows = append(gs[i].Rows, Row{Line: l})
			gs[i].Totals.add(l)
		}
	}
	for i := range gs {
		if d.Totals.Total > 0 {
			gs[i].ShareBP = gs[i].Totals.Total * 10000 / d.Totals.Total
		}
	}
	if len(none.Rows) > 0 {
		gs = append(gs, none)
	}
	n := 0
	for i := range gs {
		for j := range gs[i].Rows {
			n++
			gs[i].Rows[j].No = n
		}
	}
	return gs
}

// maxAmount bounds every figure (1,000조 원) so that no product or sum can
// overflow int64.
const maxAmount = 1_000_000_000_000_000

// ErrInvalid is what Validate's errors wrap: the document is inconsistent.
// It is a defect of the code that built the document, never the user's
// input, so it is not an apperr: the web layer logs it and shows a generic
// error rather than a wrong document.
var ErrInvalid = errors.New("document: invalid")

// Validate checks that the document is complete and that its figures add up
// to the won: every line's 공급가액 and 세액 against its quantity and unit
// price, 면세 lines without VAT, every line's supplier present, and Totals
// equal to the sum of the lines. The error lists every problem found and
// wraps ErrInvalid.
func (d *Document) Validate() error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if !d.Kind.Valid() {
		bad("unknown kind %q", d.Kind)
	}
	if strings.TrimSpace(d.Number) == "" {
		bad("no document number")
	}
	if d.IssueDate.IsZero() {
		bad("no issue date")
	}
	if d.Kind == Quote && d.ValidUntil.IsZero() {
		bad("a quote without a valid-until date")
	}
	if d.Kind == Invoice && (d.DueDate.IsZero() || d.Bank == nil || d.Bank.Number == "") {
		bad("an invoice without a due date and bank account")
	}
	if strings.TrimSpace(d.Issuer.Name) == "" || !validBRN(d.Issuer.IDNumber) {
		bad("issuer: a name and a valid 사업자등록번호 are required")
	}
	if strings.TrimSpace(d.Buyer.Name) == "" {
		bad("buyer: no name")
	}
	if d.Buyer.IDNumber != "" && !tenDigits(d.Buyer.IDNumber) {
		bad("buyer: id number %q is not 10 digits", d.Buyer.IDNumber)
	}
	switch d.PriceBasis {
	case "", VATIncluded, VATExcluded:
	default:
		bad("unknown price basis %q", d.PriceBasis)
	}
	seen := map[int64]bool{}
	for _, s := range d.Suppliers {
		if s.ID == 0 || seen[s.ID] {
			bad("supplier %q: id %d is zero or repeated", s.Name, s.ID)
		}
		seen[s.ID] = true
		if strings.TrimSpace(s.Name) == "" || !validBRN(s.IDNumber) {
			bad("supplier %d: a name and a valid 사업자등록번호 are required", s.ID)
		}
	}
	if len(d.Lines) == 0 {
		bad("no lines")
	}
	for i, l := range d.Lines {
		for _, msg := range d.checkLine(l, seen) {
			bad("line %d (%s): %s", i+1, l.Name, msg)
		}
	}
	if len(p) == 0 {
		if sum := d.Sum(); sum != d.Totals {
			bad("totals %+v are not the sum of the lines %+v", d.Totals, sum)
		}
	}
	if len(p) > 0 {
		return fmt.Errorf("%w: %s %s: %s", ErrInvalid, d.Kind.Label(), d.Number, strings.Join(p, "; "))
	}
	return nil
}

// checkLine returns the problems of one line.
func (d *Document) checkLine(l Line, suppliers map[int64]bool) []string {
	var p []string
	if strings.TrimSpace(l.Name) == "" {
		p = append(p, "no name")
	}
	if l.Unavailable {
		if d.Kind != Quote {
			p = append(p, "only a quote may have a line that cannot be supplied")
		}
		if l.Supply != 0 || l.VAT != 0 {
			p = append(p, "a line that cannot be supplied carries no amounts")
		}
		if l.SupplierID != 0 && !suppliers[l.SupplierID] {
			p = append(p, fmt.Sprintf("unknown supplier %d", l.SupplierID))
		}
		return p
	}
	if !suppliers[l.SupplierID] {
		p = append(p, fmt.Sprintf("unknown supplier %d", l.SupplierID))
	}
	if !l.TaxType.Valid() {
		p = append(p, fmt.Sprintf("unknown tax type %q", l.TaxType))
	}
	if l.Quantity <= 0 || l.Quantity > maxAmount || l.UnitPrice < 0 || l.UnitPrice > maxAmount ||
		l.Supply < 0 || l.Supply > maxAmount || l.VAT < 0 || l.VAT > maxAmount {
		return append(p, "quantity, unit price or amounts out of range")
	}
	if l.UnitPrice > 0 && l.Quantity > maxAmount/l.UnitPrice {
		return append(p, "quantity × unit price out of range")
	}
	if l.Exempt() && l.VAT != 0 {
		p = append(p, "a 면세 line carries VAT")
	}
	amount := l.Quantity * l.UnitPrice
	if d.PriceBasis == VATExcluded {
		if l.Supply != amount {
			p = append(p, fmt.Sprintf("공급가액 %d ≠ 수량 %d × 단가 %d", l.Supply, l.Quantity, l.UnitPrice))
		}
	} else if l.Supply+l.VAT != amount {
		p = append(p, fmt.Sprintf("공급가액 %d + 세액 %d ≠ 수량 %d × 단가 %d", l.Supply, l.VAT, l.Quantity, l.UnitPrice))
	}
	return p
}

func validBRN(s string) bool { _, ok := kr.NormalizeBusinessNumber(s); return ok }

// tenDigits reports whether s is 10 digits once hyphens and spaces are
// dropped: an institution's 고유번호 need not pass the 사업자등록번호 checksum.
func tenDigits(s string) bool {
	d, _ := kr.NormalizeBusinessNumber(s)
	if len(d) != 10 {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// FileName is the download name of the document's PDF: 견적서_Q-20261123-000123.pdf
// (characters unsafe in a file name replaced).
func (d *Document) FileName() string {
	num := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < ' ' {
			return '_'
		}
		return r
	}, d.Number)
	return d.Kind.Label() + "_" + num + ".pdf"
}
