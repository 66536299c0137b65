package catalog_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

// goodProduct returns a product that passes Validate.
func goodProduct() *catalog.Product {
	return &catalog.Product{EnterpriseID: 1, CategoryID: 2, Kind: catalog.Goods, Name: "청송 꿀사과 5kg", TaxType: catalog.Exempt,
		ConsumerPrice: 45000, PublicPrice: 42000, Stock: 30, Status: catalog.StatusActive, Description: "첫 줄\n둘째 줄",
		Options: []catalog.Option{{Code: "mid", Name: "중과", Stock: 10}, {Code: "large", Name: "대과", ExtraPrice: 5000, Stock: 20}},
		Images:  []catalog.Image{{URL: "/media/u/a.jpg", Alt: "사과"}, {URL: "/static/b.svg"}}}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := err.(*apperr.Error)
	if !ok || e.Code != apperr.Invalid {
		t.Fatalf("Validate = %#v, want an *apperr.Error (invalid)", err)
	}
	return e.Fields
}

func TestProductValidate(t *testing.T) {
	if err := goodProduct().Validate(); err != nil {
		t.Fatalf("good product: %v", err)
	}
	const price = "가격은 1원 이상 1억원 이하로 입력해 주세요."
	const stock = "재고는 0 이상 1,000,000 이하로 입력해 주세요."
	tests := []struct {
		name   string
		change func(p *catalog.Product)
		want   map[string]string
	}{
		{"zero price", func(p *catalog.Product) { p.ConsumerPrice = 0 }, map[string]string{"consumer_price": price}},
		{"price above 1억", func(p *catalog.Product) { p.PublicPrice = 100_000_001 }, map[string]string{"public_price": price}},
		{"price of exactly 1억", func(p *catalog.Product) { p.PublicPrice = 100_000_000 }, nil},
		{"negative stock", func(p *catalog.Product) { p.Options, p.Stock = nil, -1 }, map[string]string{"stock": stock}},
		{"stock above 1,000,000", func(p *catalog.Product) { p.Options, p.Stock = nil, 1_000_001 }, map[string]string{"stock": stock}},
		{"empty name", func(p *catalog.Product) { p.Name = "" }, map[string]string{"name": "상품명을 입력해 주세요."}},
		{"100 characters", func(p *catalog.Product) { p.Name = strings.Repeat("가", 100) }, nil},
		{"101 characters", func(p *catalog.Product) { p.Name = strings.Repeat("가", 101) }, map[string]string{"name": "상품명은 100자 이하로 입력해 주세요."}},
		{"invalid UTF-8", func(p *catalog.Product) { p.Name = "사과\xff" }, map[string]string{"name": "상품명에 깨진 글자가 있습니다. UTF-8로 저장했는지 확인해 주세요."}},
		{"newline in the name", func(p *catalog.Product) { p.Name = "사과\n배" }, map[string]string{"name": "상품명에는 줄바꿈이나 제어 문자를 쓸 수 없습니다."}},
		{"tab in the description", func(p *catalog.Product) { p.Description = "a\tb" }, map[string]string{"description": "설명에 쓸 수 없는 제어 문자가 있습니다."}},
		{"control character in the summary", func(p *catalog.Product) { p.Summary = "a\x07" }, map[string]string{"summary": "요약에는 줄바꿈이나 제어 문자를 쓸 수 없습니다."}},
		{"space in the code", func(p *catalog.Product) { p.Code = "A 1" }, map[string]string{"code": "상품코드에는 공백을 쓸 수 없습니다."}},
		{"no category, kind or tax type", func(p *catalog.Product) { p.CategoryID, p.Kind, p.TaxType = 0, "", "vat" }, map[string]string{
			"category_id": "카테고리를 선택해 주세요.", "kind": "구분(상품/서비스)을 선택해 주세요.", "tax_type": "과세 구분은 과세 또는 면세 중 하나여야 합니다."}},
		{"unknown status", func(p *catalog.Product) { p.Status = "sold" }, map[string]string{"status": "판매 상태가 올바르지 않습니다."}},
		{"options", func(p *catalog.Product) {
			p.Options = []catalog.Option{{Code: "a", Name: "소", Stock: 1}, {Code: "a", Name: "소", ExtraPrice: -1, Stock: -2}, {Code: "", Name: "", Stock: 1}}
			p.Stock = 0
		}, map[string]string{
			"options[1].name": "1번째 옵션과 이름이 같습니다.", "options[1].code": "1번째 옵션과 옵션 코드가 같습니다.",
			"options[1].extra_price": "추가 금액은 0원 이상 1억원 이하로 입력해 주세요.", "options[1].stock": stock,
			"options[2].name": "옵션명을 입력해 주세요.", "options[2].code": "옵션 코드를 입력해 주세요."}},
		{"stock is not the options' sum", func(p *catalog.Product) { p.Stock = 31 }, map[string]string{"stock": "옵션이 있으면 재고는 옵션 재고의 합(30)과 같아야 합니다."}},
		{"51 options", func(p *catalog.Product) {
			p.Options = nil
			for i := range 51 {
				p.Options = append(p.Options, catalog.Option{Code: fmt.Sprint(i), Name: fmt.Sprint("옵션", i)})
			}
			p.Stock = 0
		}, map[string]string{"options": "옵션은 50개까지 등록할 수 있습니다."}},
		{"11 images", func(p *catalog.Product) {
			p.Images = nil
			for i := range 11 {
				p.Images = append(p.Images, catalog.Image{URL: fmt.Sprintf("/i/%d.jpg", i)})
			}
		}, map[string]string{"images": "이미지는 10장까지 등록할 수 있습니다."}},
		{"bad image", func(p *catalog.Product) { p.Images[0].URL = "javascript:alert(1)"; p.Images[1].URL = "" }, map[string]string{
			"images[0].url": "이미지 주소는 /로 시작해야 합니다.", "images[1].url": "이미지 주소를 입력해 주세요."}},
		// The CSP (img-src 'self') would block them on every page.
		{"image of another site", func(p *catalog.Product) {
			p.Images[0].URL = "https://cdn.example/a.jpg"
			p.Images[1].ThumbURL = "//cdn.example/t.jpg"
		}, map[string]string{
			"images[0].url":       "다른 사이트의 이미지 주소는 쓸 수 없습니다(보안 정책으로 표시되지 않습니다). 이미지를 올린 뒤 그 주소(/로 시작)를 넣어 주세요.",
			"images[1].thumb_url": "다른 사이트의 이미지 주소는 쓸 수 없습니다(보안 정책으로 표시되지 않습니다). 이미지를 올린 뒤 그 주소(/로 시작)를 넣어 주세요."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := goodProduct()
			tt.change(p)
			got := fieldsOf(t, p.Validate())
			if !maps.Equal(got, tt.want) {
				t.Errorf("Fields = %v\nwant     %v", got, tt.want)
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	p := goodProduct()
	p.ConsumerPrice = 0
	if msg := apperr.Message(p.Validate()); msg != "가격은 1원 이상 1억원 이하로 입력해 주세요." {
		t.Errorf("one problem: Message = %q", msg)
	}
	p.Name = ""
	if msg := apperr.Message(p.Validate()); msg != "입력한 내용 중 2곳을 확인해 주세요." {
		t.Errorf("two problems: Message = %q", msg)
	}
}

func TestProductNormalize(t *testing.T) {
	p := goodProduct()
	p.Name, p.Description, p.Options[0].Name = "  사과 ", "첫 줄\r\n둘째 줄\r셋째 줄", " 중과 "
	p.Normalize()
	if p.Name != "사과" || p.Description != "첫 줄\n둘째 줄\n셋째 줄" || p.Options[0].Name != "중과" {
		t.Errorf("Normalize: %q %q %q", p.Name, p.Description, p.Options[0].Name)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("a normalized description: %v", err)
	}
}

func TestEnterpriseValidate(t *testing.T) {
	good := func() *catalog.Enterprise {
		return &catalog.Enterprise{Name: "햇살농원", Type: catalog.Cooperative, BusinessNumber: "220-81-62517", Region: "daegu",
			Representative: "김민준", Phone: "05312345678", Email: "a@example.com", Status: catalog.EnterpriseActive,
			Shipping: catalog.ShippingPolicy{Fee: 3000, FreeThreshold: 30000}}
	}
	e := good()
	e.Normalize()
	if err := e.Validate(); err != nil || e.BusinessNumber != "2208162517" || e.Phone != "053-1234-5678" {
		t.Fatalf("good enterprise: %v (%q, %q)", err, e.BusinessNumber, e.Phone)
	}
	e = good()
	e.Name, e.Type, e.BusinessNumber, e.Region, e.Phone, e.Email = strings.Repeat("가", 101), "company", "220-81-62518", "tokyo", "12345", "x@"
	e.Shipping.Fee, e.Status = -1, "closed"
	got := fieldsOf(t, e.Validate())
	want := []string{"business_number", "email", "enterprise_type", "name", "phone", "region", "shipping.fee", "status"}
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, want) {
		t.Errorf("fields = %v, want %v", keys, want)
	}
	if got["shipping.fee"] != "배송비는 0원 이상 1억원 이하로 입력해 주세요." {
		t.Errorf("shipping.fee: %q", got["shipping.fee"])
	}
}

func TestProductChanges(t *testing.T) {
	a := goodProduct()
	b := a.Clone()
	if c := catalog.ProductChanges(a, b); len(c) != 0 {
		t.Errorf("a clone differs in %v", c)
	}
	b.Options[1].Stock = 3
	b.PublicPrice = 1
	b.Images = b.Images[:1]
	if c := catalog.ProductChanges(a, b); !slices.Equal(c, []string{"public_price", "options", "images"}) {
		t.Errorf("changes = %v", c)
	}
	if a.Options[1].Stock != 20 || len(a.Images) != 2 {
		t.Error("changing the clone changed the original")
	}
}
