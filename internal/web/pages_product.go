package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
)

type productView struct {
	layout
	P          *catalog.Product
	E          *catalog.Enterprise
	Path       []*catalog.Category
	ImageURL   string
	ImageAlt   string
	Consumer   vatSplit
	Public     vatSplit
	Shipping   []string
	EntURL     string
	CategoryID int64
	// MaxQuantity bounds the add-to-cart quantity input.
	MaxQuantity int
}

// loadProduct reads the :id product and the category index every product
// route needs; a bad or unknown id is a friendly 400/404.
func (s *server) loadProduct(c *fiber.Ctx) (*catalog.Product, *catalog.CategoryIndex, error) {
	id, err := parseID(c.Params("id"), "상품")
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Catalog.FindProductByID(c.UserContext(), id)
	if err != nil {
		return nil, nil, friendlyNotFound(err, "상품을 찾을 수 없습니다. 판매가 끝났거나 주소가 바뀌었을 수 있어요.")
	}
	ix, err := s.cats.get(c.UserContext())
	if err != nil {
		return nil, nil, err
	}
	return p, ix, nil
}

// productPage shows one product with its prices, VAT split, stock, shipping
// and the enterprise that makes it.
func (s *server) productPage(c *fiber.Ctx) error {
	p, ix, err := s.loadProduct(c)
	if err != nil {
		return err
	}
	v := productView{P: p, E: p.Enterprise, Path: ix.Path(p.CategoryID), ImageURL: imageOf(p), ImageAlt: p.Name,
		EntURL: enterpriseURL(p.EnterpriseID), CategoryID: p.CategoryID}
	if len(p.Images) > 0 && p.Images[0].Alt != "" {
		v.ImageAlt = p.Images[0].Alt
	}
	if len(v.Path) == 0 && p.Category != nil {
		v.Path = []*catalog.Category{p.Category}
	}
	s1, t1 := catalog.SplitVAT(p.ConsumerPrice, p.TaxType)
	v.Consumer = vatSplit{Supply: s1, VAT: t1, Total: p.ConsumerPrice, Exempt: p.TaxType == catalog.Exempt}
	s2, t2 := catalog.SplitVAT(p.PublicPrice, p.TaxType)
	v.Public = vatSplit{Supply: s2, VAT: t2, Total: p.PublicPrice, Exempt: p.TaxType == catalog.Exempt}
	if p.Enterprise != nil {
		v.Shipping = shippingLines(p.Kind, p.Enterprise.Shipping)
	}
	v.Title = p.Name
	v.Forms = s.Carts != nil
	v.MaxQuantity = cart.MaxQuantity
	v.Description = p.Summary
	return s.render(c, "product", &v)
}
