package shop

import (
	"io"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/storefront"
)

// benchProduct is a product page's data shaped like the demo catalogue's.
func benchProduct() (*catalog.Product, *catalog.CategoryIndex) {
	parent := int64(1)
	until := time.Date(2028, 7, 13, 0, 0, 0, 0, time.UTC)
	cats := []*catalog.Category{{ID: 1, Slug: "food", Name: "식품"}, {ID: 2, Slug: "fruit-veg", Name: "과일·채소", ParentID: &parent}}
	e := &catalog.Enterprise{ID: 1, Name: "(주)햇살농원", Type: catalog.PreSocialEnterprise, CertNumber: "경기-2025-40",
		CertValidUntil: &until, Region: "gyeonggi", Mission: "이천 소농 11가구가 함께 친환경으로 기른 농산물을 제값에 팝니다.",
		Shipping: catalog.ShippingPolicy{Fee: 2500, FreeThreshold: 50000, RemoteSurcharge: 5000}}
	p := &catalog.Product{ID: 1, EnterpriseID: 1, CategoryID: 2, Kind: catalog.Goods, Name: "제철 채소 꾸러미 소",
		Summary: "이번 주 밭에서 나온 제철 채소 모둠", Description: "이번 주 밭에서 나온 제철 채소 모둠. (주)햇살농원에서 새벽에 수확해 선별한 뒤 당일 발송합니다.",
		Unit: "상자", TaxType: catalog.Exempt, ConsumerPrice: 25800, PublicPrice: 25000, Stock: 61,
		Options:    []catalog.Option{{ID: 1, Name: "소", Stock: 3}, {ID: 2, Name: "대", ExtraPrice: 5000}},
		Enterprise: e, Category: cats[1]}
	return p, catalog.NewCategoryIndex(cats)
}

// BenchmarkRenderProductPage measures the product page's view building and
// template execution alone (no database, no HTTP).
func BenchmarkRenderProductPage(b *testing.B) {
	t, err := web.LoadTemplates(storefront.FS(), "", Pages()...)
	if err != nil {
		b.Fatal(err)
	}
	p, ix := benchProduct()
	for b.Loop() {
		v := newProductView(p, ix)
		v.Layout.Forms, v.Layout.CSRF = true, "token"
		if err := t.Render(io.Discard, "shop/product", newBaseView(&v.Layout, v)); err != nil {
			b.Fatal(err)
		}
	}
}
