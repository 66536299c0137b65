package taxinvoice_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/doctest"
	"github.com/dure-coop/dure/internal/document/taxinvoice"
)

// readCSV checks the byte-order mark and parses the file into maps by header.
func readCSV(t *testing.T, name string, b []byte) []map[string]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatalf("%s: no UTF-8 byte-order mark", name)
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Errorf("%s: lines do not end in CRLF", name)
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

func TestCSVExport(t *testing.T) {
	d := doctest.Consortium(document.Statement, 31)
	bills, err := taxinvoice.FromDocument(d)
	if err != nil {
		t.Fatal(err)
	}
	// 빵공방: 과세 only; 청소: 과세 only; 농장: 면세 apples and a 과세 shipping fee.
	if len(bills) != 4 {
		t.Fatalf("%d bills, want 4 (the farm's 과세 shipping and 면세 apples apart)", len(bills))
	}
	var tax, exempt, items bytes.Buffer
	var iss taxinvoice.Issuer = &taxinvoice.CSV{TaxInvoices: &tax, Invoices: &exempt, Items: &items}
	if err := iss.Issue(context.Background(), bills); err != nil {
		t.Fatal(err)
	}
	taxRows := readCSV(t, "세금계산서", tax.Bytes())
	exRows := readCSV(t, "계산서", exempt.Bytes())
	itemRows := readCSV(t, "품목", items.Bytes())
	if len(taxRows) != 3 || len(exRows) != 1 {
		t.Fatalf("%d 세금계산서 and %d 계산서 rows, want 3 and 1", len(taxRows), len(exRows))
	}
	if h := strings.Split(strings.SplitN(tax.String()[3:], "\r\n", 2)[0], ","); len(h) != 62 || h[0] != "세금계산서종류" || h[58] != "영수(01)/청구(02)" {
		t.Errorf("세금계산서 header: %d columns, %q … %q", len(h), h[0], h[58])
	}
	if _, ok := exRows[0]["세액"]; ok {
		t.Error("the 계산서 file has a 세액 column")
	}

	// Every figure adds up, per supplier, to the document's totals.
	var supply, vat, exemptSum, total int64
	for _, r := range append(taxRows, exRows...) {
		s, v := atoi(t, r["공급가액"]), int64(0)
		if r["세액"] != "" {
			v = atoi(t, r["세액"])
		}
		if atoi(t, r["합계금액"]) != s+v {
			t.Errorf("%s: 합계 %s ≠ %d + %d", r["공급자 상호"], r["합계금액"], s, v)
		}
		supply, vat, total = supply+s, vat+v, total+s+v
		if r["작성일자"] != "20261123" || r["문서번호"] != d.Number || r["공급받는자 등록번호"] != "5048300012" || r["공급받는자 상호"] != d.Buyer.Name {
			t.Errorf("row %v: wrong date, number or buyer", r)
		}
		if r["영수(01)/청구(02)"] != "02" {
			t.Errorf("an unpaid bill is not a 청구 (02)")
		}
	}
	for _, r := range exRows {
		exemptSum += atoi(t, r["공급가액"])
	}
	if supply != d.Totals.Supply || vat != d.Totals.VAT || total != d.Totals.Total || exemptSum != d.Totals.Exempt {
		t.Errorf("CSV sums %d/%d/%d (면세 %d), document %+v", supply, vat, total, exemptSum, d.Totals)
	}

	bread := taxRows[0]
	s := d.Suppliers[0]
	if bread["공급자 등록번호"] != s.IDNumber || bread["공급자 상호"] != s.Name || bread["공급자 성명"] != s.Representative || bread["공급자 업태"] != "제조" {
		t.Errorf("bakery row: %v", bread)
	}
	// 11 items and shipping: more than four, so one summary item.
	if bread["품목1"] != "명절 선물세트 1호 외 11건" || bread["품목2"] != "" || bread["공급가액1"] != bread["공급가액"] || bread["일자1"] != "23" {
		t.Errorf("bakery items: 품목1 %q, 품목2 %q, 공급가액1 %q, 일자1 %q", bread["품목1"], bread["품목2"], bread["공급가액1"], bread["일자1"])
	}
	if bread["품목요약"] != "명절 선물세트 1호 외 11건" {
		t.Errorf("품목요약 %q", bread["품목요약"])
	}
	farmTax := taxRows[2]
	if farmTax["공급자 상호"] != "달성 마을농장" || farmTax["품목1"] != "배송비" || farmTax["공급가액1"] != "4545" || farmTax["세액1"] != "455" {
		t.Errorf("farm's shipping bill: %v", farmTax)
	}
	// Every supplied line is in the items file once, amounts included.
	var n int
	var itemSupply int64
	for _, r := range itemRows {
		n++
		itemSupply += atoi(t, r["공급가액"])
	}
	if n != len(d.Lines) || itemSupply != d.Totals.Supply {
		t.Errorf("items file: %d rows summing to %d, want %d lines summing to %d", n, itemSupply, len(d.Lines), d.Totals.Supply)
	}
	// An apple line: 35,000 × qty, 면세, with its whole-won 공급단가.
	apple := itemRows[len(itemRows)-2]
	if apple["종류"] != "계산서" || apple["단가"] != "35000" || apple["세액"] != "0" {
		t.Errorf("apple item row: %v", apple)
	}
}

func TestFromDocument(t *testing.T) {
	if _, err := taxinvoice.FromDocument(doctest.Consortium(document.Quote, 5)); !errors.Is(err, document.ErrInvalid) {
		t.Errorf("a quote: %v, want refused", err)
	}
	bad := doctest.Consortium(document.Invoice, 5)
	bad.Totals.VAT++
	if _, err := taxinvoice.FromDocument(bad); !errors.Is(err, document.ErrInvalid) {
		t.Errorf("inconsistent totals: %v, want refused", err)
	}
	bills, err := taxinvoice.FromDocument(doctest.Consortium(document.Invoice, 2))
	if err != nil {
		t.Fatal(err)
	}
	// A VAT-included price split per line has no whole-won 공급단가: quantity and unit price are left out.
	for _, b := range bills {
		for _, it := range b.Items {
			if it.Quantity != 0 && it.Quantity*it.UnitPrice != it.Supply {
				t.Errorf("%s: %d × %d ≠ %d", it.Name, it.Quantity, it.UnitPrice, it.Supply)
			}
		}
	}
	var out bytes.Buffer
	b := bills[0]
	b.Supplier.Name, b.Paid = "=HYPERLINK(\"x\")", true
	if err := (&taxinvoice.CSV{TaxInvoices: &out}).Issue(context.Background(), []taxinvoice.Bill{b}); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, "세금계산서", out.Bytes())
	if rows[0]["공급자 상호"] != "'=HYPERLINK(\"x\")" || rows[0]["영수(01)/청구(02)"] != "01" || rows[0]["외상미수금"] != "" {
		t.Errorf("formula or receipt: %v", rows[0])
	}
}
