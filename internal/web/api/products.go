package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web/view"
)

type apiProductSummary struct {
	ID            int64          `json:"id"`
	Name          string         `json:"name"`
	Summary       string         `json:"summary"`
	Kind          string         `json:"kind"`
	TaxType       string         `json:"tax_type"`
	ConsumerPrice int64          `json:"consumer_price"`
	PublicPrice   int64          `json:"public_price"`
	Currency      string         `json:"currency"`
	InStock       bool           `json:"in_stock"`
	Stock         int            `json:"stock"`
	CategoryID    int64          `json:"category_id"`
	Enterprise    *enterpriseRef `json:"enterprise,omitempty"`
	ImageURL      string         `json:"image_url"`
	URL           string         `json:"url"`
	CreatedAt     string         `json:"created_at"`
}

type apiPrice struct {
	Amount   int64  `json:"amount"`
	Supply   int64  `json:"supply"`
	VAT      int64  `json:"vat"`
	Currency string `json:"currency"`
}

type apiOption struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	ExtraPrice int64  `json:"extra_price"`
	Stock      int    `json:"stock"`
}

type apiImage struct {
	URL string `json:"url"`
	Alt string `json:"alt"`
}

type apiCategoryRef struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type apiProduct struct {
	ID            int64            `json:"id"`
	ExternalID    string           `json:"external_id"`
	Name          string           `json:"name"`
	Summary       string           `json:"summary"`
	Description   string           `json:"description"`
	Kind          string           `json:"kind"`
	Unit          string           `json:"unit"`
	TaxType       string           `json:"tax_type"`
	ConsumerPrice apiPrice         `json:"consumer_price"`
	PublicPrice   apiPrice         `json:"public_price"`
	Stock         int              `json:"stock"`
	InStock       bool             `json:"in_stock"`
	Options       []apiOption      `json:"options"`
	Images        []apiImage       `json:"images"`
	Category      *apiCategoryRef  `json:"category,omitempty"`
	CategoryPath  []apiCategoryRef `json:"category_path"`
	Enterprise    *apiEnterprise   `json:"enterprise,omitempty"`
	Shipping      *apiShipping     `json:"shipping,omitempty"`
	URL           string           `json:"url"`
	CreatedAt     string           `json:"created_at"`
	UpdatedAt     string           `json:"updated_at"`
}

func refOf(e *catalog.Enterprise) *enterpriseRef {
	if e == nil {
		return nil
	}
	return &enterpriseRef{ID: e.ID, Name: e.Name, Type: string(e.Type), TypeLabel: e.Type.Label(), Region: string(e.Region), URL: view.EnterpriseURL(e.ID)}
}

func summaryOf(p *catalog.Product, e *catalog.Enterprise) apiProductSummary {
	return apiProductSummary{
		ID: p.ID, Name: p.Name, Summary: p.Summary, Kind: string(p.Kind), TaxType: string(p.TaxType),
		ConsumerPrice: p.ConsumerPrice, PublicPrice: p.PublicPrice, Currency: currency, InStock: p.InStock(), Stock: p.Stock,
		CategoryID: p.CategoryID, Enterprise: refOf(e), ImageURL: view.ImageOf(p), URL: view.ProductURL(p.ID),
		CreatedAt: p.CreatedAt.UTC().Format(timeFormat),
	}
}

const timeFormat = "2006-01-02T15:04:05Z07:00"

func priceOf(amount int64, t catalog.TaxType) apiPrice {
	s, v := catalog.SplitVAT(amount, t)
	return apiPrice{Amount: amount, Supply: s, VAT: v, Currency: currency}
}

// apiProducts lists products newest first, by category (id or slug, with its
// subcategories) and enterprise.
func (s *server) apiProducts(c *fiber.Ctx) error {
	v, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, per, err := view.PageParams(v, 24, 100)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	f := catalog.ProductFilter{Limit: per, Offset: (page - 1) * per}
	if raw := strings.TrimSpace(v.Get("category")); raw != "" {
		ix, err := s.Categories.Get(ctx)
		if err != nil {
			return err
		}
		cat := ix.BySlug(raw)
		if id, perr := strconv.ParseInt(raw, 10, 64); perr == nil {
			cat = ix.ByID(id)
		}
		if cat == nil {
			return apperr.Errorf(apperr.Invalid, "존재하지 않는 카테고리입니다: %s", truncate(raw, 40))
		}
		f.CategoryIDs = ix.Descendants(cat.ID)
	}
	if raw := strings.TrimSpace(v.Get("enterprise")); raw != "" {
		if f.EnterpriseID, err = view.ParseID(raw, "기업"); err != nil {
			return err
		}
	}
	if v.Get("featured") == "true" || v.Get("featured") == "1" {
		f.Featured = true
	}
	products, total, err := s.Catalog.FindProducts(ctx, f)
	if err != nil {
		return err
	}
	ents, err := view.EnterprisesOf(ctx, s.Catalog, products)
	if err != nil {
		return err
	}
	data := make([]apiProductSummary, 0, len(products))
	for _, p := range products {
		data = append(data, summaryOf(p, ents[p.EnterpriseID]))
	}
	return c.JSON(listResponse{Data: data, Pagination: pagination{Page: page, PerPage: per, Total: total, TotalPages: view.TotalPages(total, per, 0)}})
}

// apiProduct returns one product with prices split into 공급가액 and 부가세,
// options, images, category path, enterprise and shipping policy.
func (s *server) apiProduct(c *fiber.Ctx) error {
	p, ix, err := view.LoadProduct(c, s.Catalog, s.Categories)
	if err != nil {
		return err
	}
	out := apiProduct{
		ID: p.ID, ExternalID: p.ExternalID, Name: p.Name, Summary: p.Summary, Description: p.Description,
		Kind: string(p.Kind), Unit: p.Unit, TaxType: string(p.TaxType),
		ConsumerPrice: priceOf(p.ConsumerPrice, p.TaxType), PublicPrice: priceOf(p.PublicPrice, p.TaxType),
		Stock: p.Stock, InStock: p.InStock(), Options: []apiOption{}, Images: []apiImage{}, CategoryPath: []apiCategoryRef{},
		URL: view.ProductURL(p.ID), CreatedAt: p.CreatedAt.UTC().Format(timeFormat), UpdatedAt: p.UpdatedAt.UTC().Format(timeFormat),
	}
	for _, o := range p.Options {
		out.Options = append(out.Options, apiOption{ID: o.ID, Code: o.Code, Name: o.Name, ExtraPrice: o.ExtraPrice, Stock: o.Stock})
	}
	for _, im := range p.Images {
		out.Images = append(out.Images, apiImage{URL: im.URL, Alt: im.Alt})
	}
	if len(out.Images) == 0 {
		out.Images = append(out.Images, apiImage{URL: view.GeneratedImageURL(p.ID, p.Name, p.CategoryID), Alt: p.Name})
	}
	for _, cat := range ix.Path(p.CategoryID) {
		out.CategoryPath = append(out.CategoryPath, apiCategoryRef{ID: cat.ID, Slug: cat.Slug, Name: cat.Name, URL: view.CategoryURL(cat.Slug)})
	}
	if n := len(out.CategoryPath); n > 0 {
		out.Category = &out.CategoryPath[n-1]
	}
	if p.Enterprise != nil {
		e := enterpriseOut(p.Enterprise)
		out.Enterprise = &e
		if p.Kind != catalog.Service {
			out.Shipping = &e.Shipping
		}
	}
	return c.JSON(itemResponse{Data: out})
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
