// Package pdf renders a document.Document as an A4 PDF with
// github.com/go-pdf/fpdf and the NanumGothic fonts (Debian's fonts-nanum,
// installed by scripts/docs-deps), embedded as subsets so that the file
// prints the same anywhere: title and number, dates, the buyer's and the
// co-op's boxes, the total in figures and in Korean words, the supplying
// members with their shares, the line table grouped by supplier (its header
// repeated on every page), the totals, the bank account of an invoice and
// the remarks.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/kr"
)

// DefaultFontDir is where Debian's fonts-nanum puts NanumGothic
// (DURE_FONT_DIR's default).
const DefaultFontDir = "/usr/share/fonts/truetype/nanum"

// The font files the renderer needs in its font folder.
const (
	RegularFont = "NanumGothic.ttf"
	BoldFont    = "NanumGothicBold.ttf"
)

// ErrFont is what New's error wraps when the fonts are missing or unusable.
var ErrFont = errors.New("pdf: Korean font unavailable")

// Renderer renders documents; it holds the font files, read once. It is
// safe for concurrent use; at most Slots documents are drawn at once.
type Renderer struct {
	regular, bold []byte
	// slots bounds the documents being drawn at once: each one parses the
	// 4.6 MB of fonts again (fpdf keeps no parsed font between documents),
	// some 45 MB of heap for the length of a download, so a burst of
	// downloads would otherwise take memory without bound.
	slots chan struct{}
}

// Slots is how many documents one Renderer draws at once; the rest wait.
const Slots = 2

// New reads NanumGothic.ttf and NanumGothicBold.ttf from dir (DefaultFontDir
// when empty) and checks that fpdf can use them, so that a missing font
// fails start-up with a message saying what to install rather than the
// first download.
func New(dir string) (*Renderer, error) {
	if dir == "" {
		dir = DefaultFontDir
	}
	r := &Renderer{slots: make(chan struct{}, Slots)}
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{RegularFont, &r.regular}, {BoldFont, &r.bold}} {
		b, err := os.ReadFile(filepath.Join(dir, f.name))
		if err != nil {
			return nil, fmt.Errorf("%w: %v (install Debian's fonts-nanum with scripts/docs-deps, or set DURE_FONT_DIR to a folder holding %s and %s)",
				ErrFont, err, RegularFont, BoldFont)
		}
		*f.dst = b
	}
	p, release, err := r.newPDF()
	if err == nil {
		defer release()
		p.AddPage()
		p.SetFont(family, "B", 10)
		p.CellFormat(0, 5, "견적서", "", 1, "L", false, 0, "")
		err = p.Output(io.Discard)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the fonts in %s do not load: %v", ErrFont, dir, err)
	}
	return r, nil
}

const family = "nanum"

// newPDF waits for one of the renderer's slots and starts an A4 document
// with the fonts; the caller calls release when the document is written
// (on an error the slot is already free). fpdf panics on some broken font
// files, which is turned into an error here.
func (r *Renderer) newPDF() (p *fpdf.Fpdf, release func(), err error) {
	r.slots <- struct{}{}
	release = func() { <-r.slots }
	defer func() {
		if rec := recover(); rec != nil {
			p, err = nil, fmt.Errorf("%w: %v", ErrFont, rec)
		}
		if err != nil {
			release()
		}
	}()
	p = fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes(family, "", r.regular)
	p.AddUTF8FontFromBytes(family, "B", r.bold)
	return p, release, p.Error()
}

// Render validates d and writes its PDF to w. A document whose figures do
// not add up is refused (an error wrapping document.ErrInvalid), and
// nothing is written.
func (r *Renderer) Render(w io.Writer, d *document.Document) error {
	b, err := r.Bytes(d)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Bytes validates d and returns its PDF.
func (r *Renderer) Bytes(d *document.Document) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	p, release, err := r.newPDF()
	if err != nil {
		return nil, err
	}
	defer release()
	l := &layout{p: p, d: d}
	l.draw()
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %s %s: %w", d.Kind.Label(), d.Number, err)
	}
	return buf.Bytes(), nil
}

// Page geometry, in mm.
const (
	margin   = 12.0
	pageW    = 210.0
	pageH    = 297.0
	bodyW    = pageW - 2*margin
	bottom   = pageH - 16 // the table breaks above the footer
	lineH    = 4.4        // one text line of the table
	cellPad  = 1.2
	bodySize = 8.5
)

// table columns: No, 품명·규격, 단위, 수량, 단가, 공급가액, 세액, 비고.
var (
	colW     = []float64{8, 62, 11, 13, 21, 24, 20, 27}
	colAlign = []string{"C", "L", "C", "R", "R", "R", "R", "L"}
)

type layout struct {
	p *fpdf.Fpdf
	d *document.Document
}

func (l *layout) font(style string, size float64) { l.p.SetFont(family, style, size) }

func (l *layout) draw() {
	p, d := l.p, l.d
	p.SetTitle(d.Kind.Label()+" "+d.Number, true)
	p.SetCreator("Dure", true)
	p.SetCreationDate(d.IssueDate)
	p.SetModificationDate(d.IssueDate)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(false, 0)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(pageH - 11)
		l.font("", 7.5)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(bodyW/2, 4, d.Kind.Label()+" "+d.Number, "", 0, "L", false, 0, "")
		p.CellFormat(bodyW/2, 4, strconv.Itoa(p.PageNo())+" / {nb}", "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.SetDrawColor(60, 60, 60)
	p.SetLineWidth(0.2)
	p.AddPage()

	l.header()
	l.parties()
	l.amountBox()
	if len(d.Suppliers) > 0 {
		l.suppliers()
	}
	l.lines()
	l.totals()
	if d.Kind == document.Invoice && d.Bank != nil {
		l.bank()
	}
	l.remarks()
}

// header is the title, the number and the dates.
func (l *layout) header() {
	p, d := l.p, l.d
	l.font("B", 22)
	title := strings.Join(strings.Split(d.Kind.Label(), ""), " ")
	p.CellFormat(bodyW, 12, title, "", 1, "C", false, 0, "")
	l.font("", 9)
	num := "문서번호 " + d.Number
	if d.Revision > 0 {
		num += " (" + strconv.Itoa(d.Revision) + "차 수정)"
	}
	p.CellFormat(bodyW, 5, num, "", 1, "R", false, 0, "")
	var meta []string
	meta = append(meta, "발행일 "+kr.Date(d.IssueDate))
	if !d.ValidUntil.IsZero() {
		meta = append(meta, "유효기간 "+kr.Date(d.ValidUntil)+"까지")
	}
	if !d.DueDate.IsZero() {
		meta = append(meta, "납부기한 "+kr.Date(d.DueDate))
	}
	if !d.DeliveryDate.IsZero() {
		meta = append(meta, "납품일 "+kr.Date(d.DeliveryDate))
	}
	p.CellFormat(bodyW, 5, strings.Join(meta, "   "), "", 1, "R", false, 0, "")
	if d.Title != "" || d.DeliveryPlace != "" {
		l.font("", 9.5)
		if d.Title != "" {
			p.MultiCell(bodyW, 5, "건명: "+d.Title, "", "L", false)
		}
		if d.DeliveryPlace != "" {
			p.MultiCell(bodyW, 5, "납품 장소: "+d.DeliveryPlace, "", "L", false)
		}
	}
	p.Ln(2)
}

// parties draws the buyer's and the co-op's boxes side by side.
func (l *layout) parties() {
	p, d := l.p, l.d
	half := (bodyW - 4) / 2
	buyer := [][2]string{{"기관명", d.Buyer.Name}}
	if d.Buyer.IDNumber != "" {
		buyer = append(buyer, [2]string{"등록번호", d.Buyer.IDText()})
	}
	if who := strings.TrimSpace(d.Buyer.Department + " " + d.Buyer.Contact); who != "" {
		buyer = append(buyer, [2]string{"담당", who})
	}
	buyer = appendIf(buyer, "주소", d.Buyer.Address)
	buyer = appendIf(buyer, "전화", d.Buyer.PhoneText())
	issuer := [][2]string{{"상호", d.Issuer.Name}, {"등록번호", d.Issuer.IDText()}}
	issuer = appendIf(issuer, "대표자", d.Issuer.Representative)
	issuer = appendIf(issuer, "주소", d.Issuer.Address)
	issuer = appendIf(issuer, "전화", d.Issuer.PhoneText())
	issuer = appendIf(issuer, "이메일", d.Issuer.Email)

	y := p.GetY()
	h1 := l.box(margin, y, half, "공급받는자 (수신)", buyer)
	h2 := l.box(margin+half+4, y, half, "공급자 (발신)", issuer)
	p.SetY(y + max(h1, h2) + 3)
}

func appendIf(rows [][2]string, label, value string) [][2]string {
	if strings.TrimSpace(value) == "" {
		return rows
	}
	return append(rows, [2]string{label, value})
}

// box draws a titled box of label/value rows at x, y and returns its height.
func (l *layout) box(x, y, w float64, title string, rows [][2]string) float64 {
	p := l.p
	const labelW = 17.0
	p.SetXY(x, y)
	l.font("B", 9)
	p.SetFillColor(235, 240, 237)
	p.CellFormat(w, 6, title, "1", 2, "L", true, 0, "")
	l.font("", 8.5)
	for _, r := range rows {
		lines := p.SplitText(r[1], w-labelW)
		h := float64(len(lines)) * lineH
		yy := p.GetY()
		p.SetX(x)
		p.CellFormat(labelW, h, r[0], "L", 0, "L", false, 0, "")
		for i, s := range lines {
			p.SetXY(x+labelW, yy+float64(i)*lineH)
			p.CellFormat(w-labelW, lineH, s, "R", 0, "L", false, 0, "")
		}
		p.SetXY(x, yy+h)
	}
	p.Line(x, p.GetY(), x+w, p.GetY())
	return p.GetY() - y
}

// amountBox is the total in figures and in words.
func (l *layout) amountBox() {
	p, d := l.p, l.d
	p.SetFillColor(245, 245, 245)
	l.font("B", 11)
	p.CellFormat(32, 10, "합계금액", "1", 0, "C", true, 0, "")
	p.CellFormat(bodyW-32, 10, " "+d.AmountInWords()+"  ("+kr.Won(d.Totals.Total)+", 부가세 포함)", "1", 1, "L", false, 0, "")
	l.font("", 8.5)
	w := bodyW / 4
	p.CellFormat(w, 6, "공급가액 "+kr.Won(d.Totals.Supply), "1", 0, "C", false, 0, "")
	p.CellFormat(w, 6, "부가세 "+kr.Won(d.Totals.VAT), "1", 0, "C", false, 0, "")
	p.CellFormat(w, 6, "면세분 "+kr.Won(d.Totals.Exempt), "1", 0, "C", false, 0, "")
	p.CellFormat(w, 6, "합계 "+kr.Won(d.Totals.Total), "1", 1, "C", false, 0, "")
	p.Ln(3)
}

// suppliers lists the supplying members with their business details and
// their shares.
func (l *layout) suppliers() {
	p := l.p
	l.font("B", 9.5)
	title := "공급 회원사"
	if l.d.Consortium() {
		title += " (공동수급)"
	}
	p.CellFormat(bodyW, 6, title, "", 1, "L", false, 0, "")
	w := []float64{50, 24, 18, 50, 26, 18}
	head := []string{"상호", "사업자등록번호", "대표자", "주소 · 전화", "합계", "비율"}
	align := []string{"L", "C", "C", "L", "R", "R"}
	l.font("B", 8)
	p.SetFillColor(235, 240, 237)
	for i, h := range head {
		p.CellFormat(w[i], 6, h, "1", 0, "C", true, 0, "")
	}
	p.Ln(-1)
	l.font("", 8)
	for _, g := range l.d.Groups() {
		if g.Supplier.ID == 0 {
			continue
		}
		s := g.Supplier
		l.row(w, align, []string{s.Name, s.IDText(), s.Representative, strings.TrimSpace(s.Address + " · " + s.PhoneText()),
			kr.Won(g.Totals.Total), g.Share()}, false, nil)
	}
	p.Ln(3)
}

// tableHeader draws the line table's header row.
func (l *layout) tableHeader() {
	p := l.p
	l.font("B", 8)
	p.SetFillColor(235, 240, 237)
	unit := "단가(VAT포함)"
	if l.d.PriceBasis == document.VATExcluded {
		unit = "단가(공급)"
	}
	for i, h := range []string{"No", "품명 / 규격", "단위", "수량", unit, "공급가액", "세액", "비고"} {
		p.CellFormat(colW[i], 7, h, "1", 0, "C", true, 0, "")
	}
	p.Ln(-1)
	l.font("", bodySize)
}

// lines draws the line table, grouped by supplier, breaking pages with the
// header repeated.
func (l *layout) lines() {
	l.font("B", 9.5)
	l.p.CellFormat(bodyW, 6, "세부 내역", "", 1, "L", false, 0, "")
	l.tableHeader()
	for _, g := range l.d.Groups() {
		label := "공급 불가 품목"
		if g.Supplier.ID != 0 {
			label = g.Supplier.Name + " (" + g.Supplier.IDText() + ")"
		}
		l.font("B", bodySize)
		l.row([]float64{bodyW}, []string{"L"}, []string{label}, true, l.tableHeader)
		l.font("", bodySize)
		for _, ln := range g.Rows {
			name := ln.Name
			if ln.Spec != "" {
				name += " / " + ln.Spec
			}
			if ln.Exempt() {
				name += " (면세)"
			}
			cells := []string{strconv.Itoa(ln.No), name, ln.Unit, kr.Comma(ln.Quantity), kr.Comma(ln.UnitPrice),
				kr.Comma(ln.Supply), kr.Comma(ln.VAT), ln.Note}
			if ln.Unavailable {
				cells[4], cells[5], cells[6] = "", "공급 불가", ""
			}
			l.row(colW, colAlign, cells, false, l.tableHeader)
		}
		if g.Supplier.ID != 0 {
			l.font("B", bodySize)
			sub := colW[0] + colW[1] + colW[2] + colW[3] + colW[4]
			l.row([]float64{sub, colW[5], colW[6], colW[7]}, []string{"R", "R", "R", "R"},
				[]string{"소계 (합계 " + kr.Won(g.Totals.Total) + ")", kr.Comma(g.Totals.Supply), kr.Comma(g.Totals.VAT), g.Share()}, true, l.tableHeader)
			l.font("", bodySize)
		}
	}
}

// row draws one table row of wrapped cells; when it would cross the bottom
// it starts a new page first and calls again (the table's header).
func (l *layout) row(w []float64, align, cells []string, fill bool, again func()) {
	p := l.p
	wrapped := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		wrapped[i] = p.SplitText(c, w[i])
		if len(wrapped[i]) == 0 {
			wrapped[i] = []string{""}
		}
		n = max(n, len(wrapped[i]))
	}
	h := float64(n)*lineH + cellPad
	if p.GetY()+h > bottom {
		p.AddPage()
		if again != nil {
			again()
		}
	}
	x, y := p.GetX(), p.GetY()
	if fill {
		p.SetFillColor(248, 248, 248)
	}
	for i := range cells {
		p.Rect(x, y, w[i], h, map[bool]string{true: "FD", false: "D"}[fill])
		for j, s := range wrapped[i] {
			p.SetXY(x, y+cellPad/2+float64(j)*lineH)
			p.CellFormat(w[i], lineH, s, "", 0, align[i], false, 0, "")
		}
		x += w[i]
	}
	p.SetXY(margin, y+h)
}

// totals repeats the sums and the amount in words under the table.
func (l *layout) totals() {
	p, d := l.p, l.d
	rows := [][2]string{
		{"공급가액", kr.Won(d.Totals.Supply)},
		{"  과세분", kr.Won(d.Totals.Taxable())},
		{"  면세분", kr.Won(d.Totals.Exempt)},
		{"부가세", kr.Won(d.Totals.VAT)},
		{"합계", kr.Won(d.Totals.Total)},
	}
	need := float64(len(rows))*6 + 14
	if p.GetY()+need > bottom {
		p.AddPage()
	}
	p.Ln(3)
	x := margin + bodyW - 80
	for i, r := range rows {
		style := ""
		if i == len(rows)-1 {
			style = "B"
		}
		l.font(style, 9)
		p.SetX(x)
		p.CellFormat(35, 6, r[0], "1", 0, "L", false, 0, "")
		p.CellFormat(45, 6, r[1], "1", 1, "R", false, 0, "")
	}
	l.font("B", 10)
	p.CellFormat(bodyW, 8, "합계금액: "+d.AmountInWords()+" ("+kr.Won(d.Totals.Total)+")", "", 1, "R", false, 0, "")
}

// bank is an invoice's payment instructions.
func (l *layout) bank() {
	p, d := l.p, l.d
	if p.GetY()+20 > bottom {
		p.AddPage()
	}
	p.Ln(2)
	l.font("B", 9.5)
	p.CellFormat(bodyW, 6, "입금 계좌", "", 1, "L", false, 0, "")
	l.font("", 9)
	p.MultiCell(bodyW, 5, d.Bank.Bank+" "+d.Bank.Number+" (예금주 "+d.Bank.Holder+")\n납부기한 "+kr.Date(d.DueDate)+
		"까지 입금해 주십시오. 입금자명에 문서번호 "+d.Number+"를 적어 주시면 확인이 빠릅니다.", "1", "L", false)
}

// remarks is the 비고, wrapped, breaking pages as needed.
func (l *layout) remarks() {
	p, d := l.p, l.d
	text := strings.TrimSpace(d.Remarks)
	if d.HasUnavailable() {
		if text != "" {
			text += "\n"
		}
		text += "'공급 불가'로 표시된 품목은 이 견적의 금액에 포함되지 않았습니다."
	}
	if text == "" {
		return
	}
	if p.GetY()+16 > bottom {
		p.AddPage()
	}
	p.Ln(3)
	l.font("B", 9.5)
	p.CellFormat(bodyW, 6, "비고", "", 1, "L", false, 0, "")
	l.font("", 9)
	for _, s := range p.SplitText(text, bodyW) {
		if p.GetY()+5 > bottom {
			p.AddPage()
			l.font("", 9)
		}
		p.CellFormat(bodyW, 5, s, "", 1, "L", false, 0, "")
	}
}
