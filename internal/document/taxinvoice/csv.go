package taxinvoice

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/kr"
)

// CSV is the Issuer that writes bills as CSV files for Excel (UTF-8 with a
// byte-order mark, CRLF) in the layout of 홈택스's bulk-issue spreadsheet
// (전자세금계산서 일괄발급 엑셀 양식):
//
//   - TaxInvoices gets one row per 세금계산서. Its first 59 columns follow
//     홈택스's 세금계산서 form in order: 종류 (01 일반), 작성일자 (YYYYMMDD),
//     공급자 등록번호 (digits only), 종사업장번호, 상호, 성명, 사업장주소, 업태,
//     종목, 이메일; the same for 공급받는자 with two e-mail columns; 공급가액,
//     세액, 비고; four item blocks of 일자 (day of month), 품목, 규격, 수량,
//     단가, 공급가액, 세액, 품목비고; 현금, 수표, 어음, 외상미수금 and 영수(01)/
//     청구(02). Dure's own columns follow: 문서번호, 합계금액, 품목요약. A bill of
//     more than four items fills the first block with "첫 품목 외 N건" and
//     its whole amounts (홈택스 takes four at most); Items has them all.
//   - Invoices gets the 계산서 (면세) in the same layout without the 세액
//     columns (종류 05).
//   - Items gets every item of every bill: 문서번호, 종류, 공급자 등록번호,
//     공급자 상호, 작성일자, 순번, 품목, 규격, 수량, 단가, 공급가액, 세액, 비고.
//
// A text cell starting with =, +, -, @ or a tab gets a leading ' so that
// Excel never runs it as a formula. The 홈택스 form's exact codes and column count change from time to time;
// check the current form before uploading a file unchanged. A nil writer
// skips its file.
type CSV struct {
	TaxInvoices io.Writer
	Invoices    io.Writer
	Items       io.Writer
}

// itemSlots is how many items one 홈택스 row holds.
const itemSlots = 4

// Issue writes the bills to the three files.
func (c *CSV) Issue(_ context.Context, bills []Bill) error {
	var tax, exempt []Bill
	for _, b := range bills {
		if b.Kind == Invoice {
			exempt = append(exempt, b)
		} else {
			tax = append(tax, b)
		}
	}
	if err := writeCSV(c.TaxInvoices, header(TaxInvoice), tax, billRow); err != nil {
		return fmt.Errorf("taxinvoice: 세금계산서 CSV: %w", err)
	}
	if err := writeCSV(c.Invoices, header(Invoice), exempt, billRow); err != nil {
		return fmt.Errorf("taxinvoice: 계산서 CSV: %w", err)
	}
	if err := writeItems(c.Items, bills); err != nil {
		return fmt.Errorf("taxinvoice: 품목 CSV: %w", err)
	}
	return nil
}

// header is the first row of a bill file of kind k.
func header(k Kind) []string {
	taxed := k == TaxInvoice
	h := []string{k.Label() + "종류", "작성일자",
		"공급자 등록번호", "공급자 종사업장번호", "공급자 상호", "공급자 성명", "공급자 사업장주소", "공급자 업태", "공급자 종목", "공급자 이메일",
		"공급받는자 등록번호", "공급받는자 종사업장번호", "공급받는자 상호", "공급받는자 성명", "공급받는자 사업장주소", "공급받는자 업태", "공급받는자 종목",
		"공급받는자 이메일1", "공급받는자 이메일2", "공급가액"}
	if taxed {
		h = append(h, "세액")
	}
	h = append(h, "비고")
	for i := 1; i <= itemSlots; i++ {
		n := strconv.Itoa(i)
		h = append(h, "일자"+n, "품목"+n, "규격"+n, "수량"+n, "단가"+n, "공급가액"+n)
		if taxed {
			h = append(h, "세액"+n)
		}
		h = append(h, "품목비고"+n)
	}
	return append(h, "현금", "수표", "어음", "외상미수금", "영수(01)/청구(02)", "문서번호", "합계금액", "품목요약")
}

// billRow is one bill's row under header(b.Kind).
func billRow(b Bill) []string {
	taxed := b.Kind != Invoice
	code := "01"
	if !taxed {
		code = "05"
	}
	date := b.Date.In(kr.Seoul())
	r := []string{code, date.Format("20060102")}
	r = append(r, party(b.Supplier.IDNumber), "", b.Supplier.Name, b.Supplier.Representative, b.Supplier.Address,
		b.Supplier.BusinessType, b.Supplier.BusinessItem, b.Supplier.Email)
	buyerName := b.Buyer.Representative
	if buyerName == "" {
		buyerName = b.Buyer.Contact
	}
	r = append(r, party(b.Buyer.IDNumber), "", b.Buyer.Name, buyerName, b.Buyer.Address,
		b.Buyer.BusinessType, b.Buyer.BusinessItem, b.Buyer.Email, "", num(b.Supply))
	if taxed {
		r = append(r, num(b.Tax))
	}
	r = append(r, b.Remarks)
	items := b.Items
	if len(items) > itemSlots {
		items = []Item{{Name: b.Summary(), Supply: b.Supply, Tax: b.Tax}}
	}
	day := date.Format("02")
	for i := 0; i < itemSlots; i++ {
		if i >= len(items) {
			r = append(r, "", "", "", "", "", "")
			if taxed {
				r = append(r, "")
			}
			r = append(r, "")
			continue
		}
		it := items[i]
		r = append(r, day, it.Name, it.Spec, optNum(it.Quantity), optNum(it.UnitPrice), num(it.Supply))
		if taxed {
			r = append(r, num(it.Tax))
		}
		r = append(r, it.Note)
	}
	unpaid, receipt := num(b.Total()), "02"
	if b.Paid {
		unpaid, receipt = "", "01"
	}
	return append(r, "", "", "", unpaid, receipt, b.DocumentNumber, num(b.Total()), b.Summary())
}

// itemHeader is the first row of the items file.
var itemHeader = []string{"문서번호", "종류", "공급자 등록번호", "공급자 상호", "작성일자", "순번", "품목", "규격", "수량", "단가", "공급가액", "세액", "비고"}

func writeItems(w io.Writer, bills []Bill) error {
	if w == nil {
		return nil
	}
	cw, err := start(w, itemHeader)
	if err != nil {
		return err
	}
	for _, b := range bills {
		for i, it := range b.Items {
			if err := cw.Write(safe([]string{b.DocumentNumber, b.Kind.Label(), party(b.Supplier.IDNumber), b.Supplier.Name,
				b.Date.In(kr.Seoul()).Format("20060102"), strconv.Itoa(i + 1), it.Name, it.Spec,
				optNum(it.Quantity), optNum(it.UnitPrice), num(it.Supply), num(it.Tax), it.Note})); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeCSV(w io.Writer, head []string, bills []Bill, row func(Bill) []string) error {
	if w == nil {
		return nil
	}
	cw, err := start(w, head)
	if err != nil {
		return err
	}
	for _, b := range bills {
		if err := cw.Write(safe(row(b))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// start writes the byte-order mark Excel needs to read UTF-8, and the header.
func start(w io.Writer, head []string) (*csv.Writer, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw, cw.Write(head)
}

// safe defuses cells Excel would read as formulas (CSV injection).
func safe(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

// party is a registration number as 홈택스 wants it: digits only.
func party(id string) string {
	d, _ := kr.NormalizeBusinessNumber(id)
	return d
}

func num(n int64) string { return strconv.FormatInt(n, 10) }

func optNum(n int64) string {
	if n == 0 {
		return ""
	}
	return num(n)
}
