// Package doctest builds documents for the tests of the document renderers
// and exports: a co-op, an institution and a consortium of three supplying
// enterprises with many lines. It is imported by tests only.
package doctest

import (
	"fmt"
	"strconv"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/kr"
)

// BRN returns a valid 사업자등록번호 (10 digits, checksum included) whose
// first nine digits are d9.
func BRN(d9 string) string { return d9 + strconv.Itoa(kr.BusinessNumberCheckDigit(d9)) }

// Issuer is the co-op.
func Issuer() document.Party {
	return document.Party{Name: "두레 사회적협동조합", IDNumber: BRN("504820123"), Representative: "김두레",
		Address: "대구광역시 중구 동덕로 115, 3층", Phone: "0531234567", Email: "biz@dure.example",
		BusinessType: "도소매", BusinessItem: "사회적경제 제품"}
}

// Buyer is the institution.
func Buyer() document.Party {
	return document.Party{Name: "대구광역시 수성구청", IDNumber: "5048300012", Department: "총무과",
		Contact: "이구매", Address: "대구광역시 수성구 달구벌대로 2423", Phone: "0536662000", Email: "buy@suseong.example"}
}

// Suppliers are three member enterprises.
func Suppliers() []document.Supplier {
	return []document.Supplier{
		{ID: 11, Party: document.Party{Name: "행복한빵공방 협동조합", IDNumber: BRN("123450678"), Representative: "박빵집",
			Address: "대구광역시 동구 아양로 12", Phone: "0539401234", BusinessType: "제조", BusinessItem: "제과"}},
		{ID: 22, Party: document.Party{Name: "맑은손 청소 사회적기업", IDNumber: BRN("214870011"), Representative: "최청결",
			Address: "대구광역시 북구 침산로 77", Phone: "01022223333", BusinessType: "서비스", BusinessItem: "건물 청소"}},
		{ID: 33, Party: document.Party{Name: "달성 마을농장", IDNumber: BRN("503812345"), Representative: "정농부",
			Address: "대구광역시 달성군 화원읍 성천로 5", Phone: "0536141111", BusinessType: "농업", BusinessItem: "농산물"}},
	}
}

// Item is one line before its VAT split.
func Item(supplier int64, name, spec, unit string, qty, unitPrice int64, tax catalog.TaxType) document.Line {
	s, v := catalog.SplitVAT(qty*unitPrice, tax)
	return document.Line{SupplierID: supplier, Name: name, Spec: spec, Unit: unit, Quantity: qty, UnitPrice: unitPrice,
		Supply: s, VAT: v, TaxType: tax}
}

// Consortium is a 3-supplier document of kind k with n item lines spread
// over the suppliers (과세 and 면세 mixed), a shipping fee for two of them,
// and — for a quote — one line nobody can supply. Its totals are the sum.
func Consortium(k document.Kind, n int) *document.Document {
	issued := time.Date(2026, 11, 23, 10, 0, 0, 0, kr.Seoul())
	d := &document.Document{Kind: k, Number: document.Number(k, issued, 123), Title: "2026년 연말 행사 물품 및 용역",
		IssueDate: issued, Issuer: Issuer(), Buyer: Buyer(), Suppliers: Suppliers(),
		DeliveryDate: issued.AddDate(0, 0, 14), DeliveryPlace: "수성구청 본관 1층 총무과",
		Remarks: "납품 전 담당자와 일정을 협의합니다.\n검수 후 5영업일 이내 대금 청구."}
	switch k {
	case document.Quote:
		d.ValidUntil = issued.AddDate(0, 0, 30)
	case document.Invoice:
		d.DueDate = issued.AddDate(0, 0, 7)
		d.Bank = &document.BankAccount{Bank: "대구은행", Number: "508-10-123456-7", Holder: "두레 사회적협동조합"}
	}
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			d.Lines = append(d.Lines, Item(11, fmt.Sprintf("명절 선물세트 %d호", i+1), "수제 쿠키 12종", "세트", int64(10+i), 23000+int64(i)*100, catalog.Taxable))
		case 1:
			d.Lines = append(d.Lines, Item(22, fmt.Sprintf("사무실 정기 청소 %d구역", i+1), "월 4회", "식", 1, 330000+int64(i)*1000, catalog.Taxable))
		default:
			d.Lines = append(d.Lines, Item(33, fmt.Sprintf("유기농 사과 %d", i+1), "5kg 상자", "상자", int64(3+i%5), 35000, catalog.Exempt))
		}
	}
	ship := Item(11, "배송비", "", "건", 1, 3000, catalog.Taxable)
	ship.Shipping = true
	d.Lines = append(d.Lines, ship)
	ship = Item(33, "배송비", "냉장", "건", 1, 5000, catalog.Taxable)
	ship.Shipping = true
	d.Lines = append(d.Lines, ship)
	if k == document.Quote {
		d.Lines = append(d.Lines, document.Line{Name: "행사장 음향 장비 대여", Spec: "1일", Unit: "식", Quantity: 1,
			Unavailable: true, Note: "공급 가능한 회원사 없음"})
	}
	d.Totals = d.Sum()
	return d
}
