package shop

import (
	"io"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
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

// benchResult is a search's answer shaped like the bench's: 24 hits of 사과
// with the facets a broad query has on the bench catalogue (every region and
// enterprise type, eight categories).
func benchResult() (*search.Result, *catalog.CategoryIndex) {
	p, _ := benchProduct()
	var cats []*catalog.Category
	facets := map[string][]search.FacetValue{
		search.FacetTaxType: {{Value: "taxable", Count: 1000}, {Value: "exempt", Count: 234}},
		search.FacetKind:    {{Value: "goods", Count: 1200}, {Value: "service", Count: 34}},
	}
	for i, name := range []string{"식품", "과일·채소", "가공식품", "생활용품", "세제·위생", "사무용품", "공예·선물", "교육·체험"} {
		cats = append(cats, &catalog.Category{ID: int64(i + 1), Slug: "c" + strconv.Itoa(i+1), Name: name})
		facets[search.FacetCategory] = append(facets[search.FacetCategory], search.FacetValue{Value: strconv.Itoa(i + 1), Count: 900 - 100*i})
	}
	for i, t := range catalog.EnterpriseTypes {
		facets[search.FacetEnterpriseType] = append(facets[search.FacetEnterpriseType], search.FacetValue{Value: string(t), Count: 600 - 90*i})
	}
	for i, r := range catalog.Regions {
		facets[search.FacetRegion] = append(facets[search.FacetRegion], search.FacetValue{Value: string(r), Count: 1700 - 90*i})
	}
	ix := catalog.NewCategoryIndex(cats)
	res := &search.Result{Page: 1, PerPage: 24, Total: 1234, Facets: facets}
	for i := range 24 {
		res.Hits = append(res.Hits, search.Hit{ProductID: int64(1000 + i), Name: "청송 꿀사과 5kg 가정용", NameHighlight: "청송 꿀<mark>사과</mark> 5kg 가정용",
			Summary: p.Summary, EnterpriseID: 1, EnterpriseName: "(주)햇살농원", EnterpriseType: catalog.PreSocialEnterprise,
			Region: "gyeonggi", CategoryID: 2, Kind: catalog.Goods, TaxType: catalog.Exempt, ConsumerPrice: 25800 + int64(i)*100,
			InStock: i%5 != 0, ImageURL: "/media/p/1000.webp", RatingAvg: 460, ReviewCount: 12})
	}
	return res, ix
}

// searchPage builds the search page's view of res as the handler does, every
// in-stock card with its cart form.
func searchPage(res *search.Result, ix *catalog.CategoryIndex) searchView {
	v := url.Values{"q": {"사과"}}
	q := search.Query{Text: "사과", Page: 1, PerPage: 24}
	pv := searchView{listing: buildListing(listingOptions{action: "/search", showFacets: true, showCategory: true}, v, q, res, ix), Roots: ix.Roots}
	for i := range pv.Cards {
		if pv.Cards[i].InStock {
			pv.Cards[i].CSRF = "token"
		}
	}
	pv.Forms, pv.CSRF = true, "token"
	pv.Q, pv.Title, pv.Heading = "사과", "'사과' 검색 결과", "'사과' 검색 결과 1,234개"
	return pv
}

// BenchmarkRenderSearchPage measures the search page's listing building and
// template execution alone (no search, no database, no HTTP).
func BenchmarkRenderSearchPage(b *testing.B) {
	t, err := web.LoadTemplates(storefront.FS(), "", Pages()...)
	if err != nil {
		b.Fatal(err)
	}
	res, ix := benchResult()
	b.ReportAllocs()
	for b.Loop() {
		v := searchPage(res, ix)
		if err := t.Render(io.Discard, "shop/search", newBaseView(&v.layout, &v)); err != nil {
			b.Fatal(err)
		}
	}
}
