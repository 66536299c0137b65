package view

import (
	"html/template"
	"strconv"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/search"
)

// Card is one product in a grid, from a search hit or a catalogue row.
type Card struct {
	ID             int64
	URL            string
	Name           string
	NameHTML       template.HTML
	Summary        string
	ImageURL       string
	EnterpriseID   int64
	EnterpriseName string
	EnterpriseType catalog.EnterpriseType
	Region         catalog.Region
	Price          int64
	Kind           catalog.Kind
	TaxType        catalog.TaxType
	InStock        bool
	// RatingAvg is the average rating in hundredths, ReviewCount the number
	// of visible reviews (search.Hit); 0 for none.
	RatingAvg   int
	ReviewCount int
	// HasOptions says whether the product has options, when the search
	// document knew (search.Hit); nil: the shop asks PostgreSQL.
	HasOptions *bool

	// Set by done, for the card template, which then calls no functions
	// (each call is reflection in html/template; a listing has 24 cards).
	PriceText   string // 12,000원
	TypeLabel   string // 사회적기업; "" without an enterprise type
	RegionLabel string
	Service     bool
	RatingText  string // 4.6: the average to one decimal; "" without reviews
	// ListPriceText is the price before a campaign discount, set (with
	// Price, PriceText and Discount) by Discounted; "" when none.
	ListPriceText string
	Discount      string // the campaign's name

	// Set by the shop for the listing's 장바구니 담기 (issue 14): CSRF is the
	// add form's token, set only on an in-stock goods card without options
	// (the card then has the form); Choose is the cue inside the card's link
	// for one that needs a choice on its product page ("옵션 선택").
	CSRF   string
	Choose string
}

// Discounted is c priced at unit by campaign name: the list price shown
// struck through, the discounted price as the card's price.
func (c Card) Discounted(unit int64, campaign string) Card {
	if unit >= c.Price {
		return c
	}
	c.ListPriceText, c.Discount = c.PriceText, campaign
	c.Price, c.PriceText = unit, kr.Won(unit)
	return c
}

// done fills the card's display fields from the others.
func (c Card) done() Card {
	c.PriceText = kr.Won(c.Price)
	if c.EnterpriseType != "" {
		c.TypeLabel = c.EnterpriseType.Label()
	}
	if c.Region != "" {
		c.RegionLabel = c.Region.Label()
	}
	c.Service = c.Kind == catalog.Service
	if c.ReviewCount > 0 {
		c.RatingText = RatingText(c.RatingAvg)
	}
	return c
}

// CardFromHit makes the card of a search hit, its name highlighted.
func CardFromHit(h search.Hit) Card {
	name := StripHighlight(h.Name)
	hl := h.NameHighlight
	if hl == "" {
		hl = name
	}
	img := h.ImageURL
	if img == "" {
		img = GeneratedImageURL(h.ProductID, name, h.CategoryID)
	}
	return Card{
		ID: h.ProductID, URL: ProductURL(h.ProductID), Name: name, NameHTML: Highlight(hl), Summary: h.Summary,
		ImageURL: img, EnterpriseID: h.EnterpriseID, EnterpriseName: h.EnterpriseName,
		EnterpriseType: h.EnterpriseType, Region: h.Region, Price: h.ConsumerPrice, Kind: h.Kind,
		TaxType: h.TaxType, InStock: h.InStock, RatingAvg: h.RatingAvg, ReviewCount: h.ReviewCount,
		HasOptions: h.HasOptions,
	}.done()
}

// CardFromProduct makes the card of a catalogue product; e may be nil.
func CardFromProduct(p *catalog.Product, e *catalog.Enterprise) Card {
	c := Card{
		ID: p.ID, URL: ProductURL(p.ID), Name: p.Name, NameHTML: Highlight(p.Name), Summary: p.Summary,
		ImageURL: ImageOf(p), EnterpriseID: p.EnterpriseID, Price: p.ConsumerPrice, Kind: p.Kind,
		TaxType: p.TaxType, InStock: p.InStock(),
	}
	if e != nil {
		c.EnterpriseName, c.EnterpriseType, c.Region = e.Name, e.Type, e.Region
	}
	return c.done()
}

// RatingText is an average rating in hundredths to one decimal, rounded half
// up: 458 → "4.6", 500 → "5.0".
func RatingText(hundredths int) string {
	t := (hundredths + 5) / 10
	return strconv.Itoa(t/10) + "." + strconv.Itoa(t%10)
}
