package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web/view"
)

// portalOption is an option as its enterprise sees and writes it.
type portalOption struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	ExtraPrice int64  `json:"extra_price"`
	Stock      int    `json:"stock"`
}

// portalImage is a product picture as its enterprise sees and writes it.
type portalImage struct {
	URL      string `json:"url"`
	Alt      string `json:"alt"`
	ThumbURL string `json:"thumb_url"`
}

// portalProductSummary is a product in the enterprise's list.
type portalProductSummary struct {
	ID            int64          `json:"id"`
	ExternalID    string         `json:"external_id"`
	Code          string         `json:"code"`
	Name          string         `json:"name"`
	CategoryID    int64          `json:"category_id"`
	Kind          string         `json:"kind"`
	TaxType       string         `json:"tax_type"`
	ConsumerPrice int64          `json:"consumer_price"`
	PublicPrice   int64          `json:"public_price"`
	Currency      string         `json:"currency"`
	Stock         int            `json:"stock"`
	Status        string         `json:"status"`
	StatusLabel   string         `json:"status_label"`
	Options       []portalOption `json:"options"`
	ImageURL      string         `json:"image_url"`
	URL           string         `json:"url"`
	CreatedAt     string         `json:"created_at"`
	UpdatedAt     string         `json:"updated_at"`
}

// portalProduct is one product of the enterprise with every field it
// edits.
type portalProduct struct {
	portalProductSummary
	Summary       string        `json:"summary"`
	Description   string        `json:"description"`
	Unit          string        `json:"unit"`
	Images        []portalImage `json:"images"`
	ConsumerTiers []priceTier   `json:"consumer_tiers"`
	PublicTiers   []priceTier   `json:"public_tiers"`
}

// priceTier is a volume tier of a price list (catalog.Tier).
type priceTier struct {
	MinQuantity int   `json:"min_quantity"`
	UnitPrice   int64 `json:"unit_price"`
}

func priceTiersOf(tiers []catalog.Tier) []priceTier {
	out := make([]priceTier, 0, len(tiers))
	for _, t := range tiers {
		out = append(out, priceTier{MinQuantity: t.MinQuantity, UnitPrice: t.UnitPrice})
	}
	return out
}

func catalogTiers(tiers []priceTier) []catalog.Tier {
	out := make([]catalog.Tier, 0, len(tiers))
	for _, t := range tiers {
		out = append(out, catalog.Tier{MinQuantity: t.MinQuantity, UnitPrice: t.UnitPrice})
	}
	return out
}

func portalSummaryOf(p *catalog.Product) portalProductSummary {
	out := portalProductSummary{
		ID: p.ID, ExternalID: p.ExternalID, Code: p.Code, Name: p.Name, CategoryID: p.CategoryID,
		Kind: string(p.Kind), TaxType: string(p.TaxType), ConsumerPrice: p.ConsumerPrice, PublicPrice: p.PublicPrice,
		Currency: currency, Stock: p.Stock, Status: p.Status, StatusLabel: catalog.ProductStatusLabel(p.Status),
		Options: make([]portalOption, 0, len(p.Options)), ImageURL: view.ImageOf(p), URL: view.ProductURL(p.ID),
		CreatedAt: p.CreatedAt.UTC().Format(timeFormat), UpdatedAt: p.UpdatedAt.UTC().Format(timeFormat),
	}
	for _, o := range p.Options {
		out.Options = append(out.Options, portalOption{ID: o.ID, Code: o.Code, Name: o.Name, ExtraPrice: o.ExtraPrice, Stock: o.Stock})
	}
	return out
}

func portalProductOf(p *catalog.Product) portalProduct {
	out := portalProduct{portalProductSummary: portalSummaryOf(p), Summary: p.Summary, Description: p.Description,
		Unit: p.Unit, Images: make([]portalImage, 0, len(p.Images)),
		ConsumerTiers: priceTiersOf(p.ConsumerTiers), PublicTiers: priceTiersOf(p.PublicTiers)}
	for _, im := range p.Images {
		out.Images = append(out.Images, portalImage{URL: im.URL, Alt: im.Alt, ThumbURL: im.ThumbURL})
	}
	return out
}

// productInput is the body of POST /products and PATCH /products/:id. For
// a PATCH it starts as the product's current values, so the members left
// out keep them; options, images and tiers, when given, replace the whole list
// (an option with its id keeps its identity, which orders refer to; one
// without is added; one left out is removed).
type productInput struct {
	CategoryID    int64           `json:"category_id"`
	Kind          catalog.Kind    `json:"kind"`
	Name          string          `json:"name"`
	Code          string          `json:"code"`
	Summary       string          `json:"summary"`
	Description   string          `json:"description"`
	Unit          string          `json:"unit"`
	TaxType       catalog.TaxType `json:"tax_type"`
	ConsumerPrice int64           `json:"consumer_price"`
	PublicPrice   int64           `json:"public_price"`
	Stock         int             `json:"stock"`
	Status        string          `json:"status"`
	Options       []portalOption  `json:"options"`
	Images        []portalImage   `json:"images"`
	ConsumerTiers []priceTier     `json:"consumer_tiers"`
	PublicTiers   []priceTier     `json:"public_tiers"`
}

func (in productInput) options() []catalog.Option {
	out := make([]catalog.Option, 0, len(in.Options))
	for _, o := range in.Options {
		out = append(out, catalog.Option{ID: o.ID, Code: o.Code, Name: o.Name, ExtraPrice: o.ExtraPrice, Stock: o.Stock})
	}
	return out
}

func (in productInput) images() []catalog.Image {
	out := make([]catalog.Image, 0, len(in.Images))
	for _, im := range in.Images {
		out = append(out, catalog.Image{URL: im.URL, Alt: im.Alt, ThumbURL: im.ThumbURL})
	}
	return out
}

// portalSorts are the accepted ?sort= values of the product list.
var portalSorts = map[string]catalog.ProductSort{
	"": catalog.SortNewest, "newest": catalog.SortNewest, "updated": catalog.SortUpdated,
	"name": catalog.SortName, "low_stock": catalog.SortLowStock,
}

// portalProducts lists the enterprise's products (every status but
// deleted): ?status=, ?q= (part of the name or 상품코드), ?sort=, paged.
func (s *server) portalProducts(c *fiber.Ctx) error {
	v, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, per, err := view.PageParams(v, 50, 200)
	if err != nil {
		return err
	}
	f := catalog.ManagedProductFilter{Query: strings.TrimSpace(v.Get("q")), Status: strings.TrimSpace(v.Get("status")),
		Limit: per, Offset: (page - 1) * per}
	if f.Status != "" && (!catalog.ValidProductStatus(f.Status) || f.Status == catalog.StatusArchived) {
		return apperr.Errorf(apperr.Invalid, "판매 상태는 active, draft, pending_review, hidden 중 하나로 지정해 주세요.")
	}
	sort, ok := portalSorts[strings.TrimSpace(v.Get("sort"))]
	if !ok {
		return apperr.Errorf(apperr.Invalid, "정렬은 newest, updated, name, low_stock 중 하나로 지정해 주세요.")
	}
	f.Sort = sort
	if len([]rune(f.Query)) > catalog.MaxNameLen {
		return apperr.Errorf(apperr.Invalid, "검색어는 %d자 이하로 입력해 주세요.", catalog.MaxNameLen)
	}
	list, total, err := s.Manager.FindPortalProducts(c.UserContext(), f)
	if err != nil {
		return err
	}
	data := make([]portalProductSummary, 0, len(list))
	for _, p := range list {
		data = append(data, portalSummaryOf(p))
	}
	return c.JSON(listResponse{Data: data, Pagination: pagination{Page: page, PerPage: per, Total: total,
		TotalPages: view.TotalPages(total, per, 0)}})
}

// portalProduct answers one of the enterprise's products.
func (s *server) portalProduct(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상품")
	if err != nil {
		return err
	}
	p, err := s.Manager.FindPortalProduct(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(itemResponse{Data: portalProductOf(p)})
}

// portalCreateProduct creates a product of the actor's enterprise (201).
// status "active" (the default) publishes it — pending review when the
// co-op reviews the enterprise's products — and "draft" keeps it
// unpublished.
func (s *server) portalCreateProduct(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return err
	}
	var in productInput
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	p := &catalog.Product{EnterpriseID: ent, CategoryID: in.CategoryID, Kind: in.Kind, Name: in.Name, Code: in.Code,
		Summary: in.Summary, Description: in.Description, Unit: in.Unit, TaxType: in.TaxType,
		ConsumerPrice: in.ConsumerPrice, PublicPrice: in.PublicPrice, Stock: in.Stock, Status: in.Status,
		Options: in.options(), Images: in.images(),
		ConsumerTiers: catalogTiers(in.ConsumerTiers), PublicTiers: catalogTiers(in.PublicTiers)}
	if err := s.Manager.CreateProduct(ctx, p); err != nil {
		return err
	}
	created, err := s.Manager.FindPortalProduct(ctx, p.ID)
	if err != nil {
		return err
	}
	c.Location(apiPortalProductURL(p.ID))
	return c.Status(fiber.StatusCreated).JSON(itemResponse{Data: portalProductOf(created)})
}

// apiPortalProductURL is the API address of one of the enterprise's
// products.
func apiPortalProductURL(id int64) string {
	return "/api/v1/portal/products/" + strconv.FormatInt(id, 10)
}

// portalUpdateProduct changes the members the body gives (see
// productInput) and answers the product. The status changes only through
// publish and unpublish.
func (s *server) portalUpdateProduct(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := view.ParseID(c.Params("id"), "상품")
	if err != nil {
		return err
	}
	p, err := s.Manager.FindPortalProduct(ctx, id)
	if err != nil {
		return err
	}
	in := productInput{CategoryID: p.CategoryID, Kind: p.Kind, Name: p.Name, Code: p.Code, Summary: p.Summary,
		Description: p.Description, Unit: p.Unit, TaxType: p.TaxType, ConsumerPrice: p.ConsumerPrice,
		PublicPrice: p.PublicPrice, Stock: p.Stock, Status: p.Status}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if in.Status != p.Status {
		msg := "판매 상태는 /publish, /unpublish로 바꿔 주세요."
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"status": msg}}
	}
	upd := catalog.ProductUpdate{CategoryID: in.CategoryID, Kind: in.Kind, Name: in.Name, Code: in.Code,
		Summary: in.Summary, Description: in.Description, Unit: in.Unit, TaxType: in.TaxType,
		ConsumerPrice: in.ConsumerPrice, PublicPrice: in.PublicPrice, Stock: in.Stock,
		Options: p.Options, Images: p.Images, ConsumerTiers: p.ConsumerTiers, PublicTiers: p.PublicTiers}
	// null, like a member left out, keeps the list; [] empties it.
	if in.ConsumerTiers != nil {
		upd.ConsumerTiers = catalogTiers(in.ConsumerTiers)
	}
	if in.PublicTiers != nil {
		upd.PublicTiers = catalogTiers(in.PublicTiers)
	}
	if in.Options != nil {
		upd.Options = in.options()
	}
	if in.Images != nil {
		upd.Images = in.images()
	}
	after, err := s.Manager.UpdateProduct(ctx, id, upd)
	if err != nil {
		return err
	}
	return c.JSON(itemResponse{Data: portalProductOf(after)})
}

// portalDeleteProduct deletes a product, or archives it when it was ever
// ordered; either way it leaves the shop, search and these lists.
func (s *server) portalDeleteProduct(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상품")
	if err != nil {
		return err
	}
	archived, err := s.Manager.DeleteProduct(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(itemResponse{Data: struct {
		ID       int64 `json:"id"`
		Archived bool  `json:"archived"`
	}{id, archived}})
}

// stockInput is the body of PUT /products/:id/stock: the stock of a
// product without options, or the new stock of some of its options.
type stockInput struct {
	Stock   *int `json:"stock"`
	Options []struct {
		ID    int64 `json:"id"`
		Stock int   `json:"stock"`
	} `json:"options"`
}

// portalSetStock sets a product's stock, or its options' (the product's
// is then their sum), and answers the product. Another enterprise's
// product is not found before the body is read.
func (s *server) portalSetStock(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상품")
	if err != nil {
		return err
	}
	if _, err := s.Manager.FindPortalProduct(c.UserContext(), id); err != nil {
		return err
	}
	var in stockInput
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if in.Stock == nil && len(in.Options) == 0 {
		msg := "재고(stock) 또는 옵션별 재고(options)를 보내 주세요."
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"stock": msg}}
	}
	upd := catalog.StockUpdate{}
	if in.Stock != nil {
		upd.Stock = *in.Stock
	}
	for _, o := range in.Options {
		upd.Options = append(upd.Options, catalog.OptionStock{ID: o.ID, Stock: o.Stock})
	}
	p, err := s.Manager.SetStock(c.UserContext(), id, upd)
	if err != nil {
		return err
	}
	return c.JSON(itemResponse{Data: portalProductOf(p)})
}

// portalPublish puts a product on sale (pending review when the co-op
// reviews the enterprise's products).
func (s *server) portalPublish(c *fiber.Ctx) error {
	return s.portalProductAction(c, func(id int64) (*catalog.Product, error) {
		return s.Manager.SetStatus(c.UserContext(), id, catalog.StatusActive)
	})
}

// portalUnpublish takes a product off sale (draft).
func (s *server) portalUnpublish(c *fiber.Ctx) error {
	return s.portalProductAction(c, func(id int64) (*catalog.Product, error) {
		return s.Manager.SetStatus(c.UserContext(), id, catalog.StatusDraft)
	})
}

// portalSoldOut sets the stock of a product and of all its options to 0.
func (s *server) portalSoldOut(c *fiber.Ctx) error {
	return s.portalProductAction(c, func(id int64) (*catalog.Product, error) {
		return s.Manager.MarkSoldOut(c.UserContext(), id)
	})
}

// portalProductAction runs a body-less action on product :id and answers
// the product.
func (s *server) portalProductAction(c *fiber.Ctx, act func(id int64) (*catalog.Product, error)) error {
	id, err := view.ParseID(c.Params("id"), "상품")
	if err != nil {
		return err
	}
	p, err := act(id)
	if err != nil {
		return err
	}
	return c.JSON(itemResponse{Data: portalProductOf(p)})
}
