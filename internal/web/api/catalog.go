package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

type apiCategory struct {
	ID       int64         `json:"id"`
	Slug     string        `json:"slug"`
	Name     string        `json:"name"`
	ParentID *int64        `json:"parent_id"`
	URL      string        `json:"url"`
	ImageURL string        `json:"image_url"`
	Children []apiCategory `json:"children"`
}

func categoryTree(cats []*catalog.Category) []apiCategory {
	out := make([]apiCategory, 0, len(cats))
	for _, c := range cats {
		out = append(out, apiCategory{ID: c.ID, Slug: c.Slug, Name: c.Name, ParentID: c.ParentID, URL: view.CategoryURL(c.Slug),
			ImageURL: view.CategoryImageURL(c.Slug), Children: categoryTree(c.Children)})
	}
	return out
}

// apiCategories returns the whole category tree.
func (s *server) apiCategories(c *fiber.Ctx) error {
	ix, err := s.Categories.Get(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(itemResponse{Data: categoryTree(ix.Roots)})
}

type apiShipping struct {
	Fee             int64  `json:"fee"`
	FreeThreshold   int64  `json:"free_threshold"`
	RemoteSurcharge int64  `json:"remote_surcharge"`
	Currency        string `json:"currency"`
}

type apiEnterprise struct {
	ID                   int64       `json:"id"`
	Name                 string      `json:"name"`
	Type                 string      `json:"type"`
	TypeLabel            string      `json:"type_label"`
	CertNumber           string      `json:"cert_number"`
	CertValidUntil       *string     `json:"cert_valid_until"`
	BusinessNumber       string      `json:"business_number"`
	BusinessNumberFormat string      `json:"business_number_formatted"`
	Region               string      `json:"region"`
	RegionLabel          string      `json:"region_label"`
	Representative       string      `json:"representative"`
	Phone                string      `json:"phone"`
	Email                string      `json:"email"`
	Address              string      `json:"address"`
	Mission              string      `json:"mission"`
	Description          string      `json:"description,omitempty"`
	Shipping             apiShipping `json:"shipping"`
	ProductCount         int         `json:"product_count"`
	URL                  string      `json:"url"`
}

func enterpriseOut(e *catalog.Enterprise) apiEnterprise {
	out := apiEnterprise{
		ID: e.ID, Name: e.Name, Type: string(e.Type), TypeLabel: e.Type.Label(), CertNumber: e.CertNumber,
		BusinessNumber: e.BusinessNumber, BusinessNumberFormat: kr.FormatBusinessNumber(e.BusinessNumber),
		Region: string(e.Region), RegionLabel: e.Region.Label(), Representative: e.Representative,
		Phone: kr.Phone(e.Phone), Email: e.Email, Address: e.Address, Mission: e.Mission, Description: e.Description,
		Shipping: apiShipping{Fee: e.Shipping.Fee, FreeThreshold: e.Shipping.FreeThreshold,
			RemoteSurcharge: e.Shipping.RemoteSurcharge, Currency: currency},
		ProductCount: e.ProductCount, URL: view.EnterpriseURL(e.ID),
	}
	if e.CertValidUntil != nil {
		d := e.CertValidUntil.Format("2006-01-02")
		out.CertValidUntil = &d
	}
	return out
}

// apiCount is a directory count: a type or region with its enterprises.
type apiCount struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// apiDirectoryCounts are the directory's counts, each under the other
// filters.
type apiDirectoryCounts struct {
	Types   []apiCount `json:"types"`
	Regions []apiCount `json:"regions"`
}

// apiDirectory is the body of /api/v1/enterprises.
type apiDirectory struct {
	Data       []apiEnterprise    `json:"data"`
	Counts     apiDirectoryCounts `json:"counts"`
	Pagination pagination         `json:"pagination"`
}

// apiEnterprises is the enterprise directory as /enterprises shows it:
// type, region, q (part of the name) and sort (name | newest) filters,
// paging, and the counts per type and region.
func (s *server) apiEnterprises(c *fiber.Ctx) error {
	v, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, per, err := view.PageParams(v, 50, 200)
	if err != nil {
		return err
	}
	f, err := catalog.ParseDirectoryFilter(v.Get("type"), v.Get("region"), v.Get("q"), v.Get("sort"))
	if err != nil {
		return err
	}
	f.Limit, f.Offset = per, (page-1)*per
	d, err := s.Catalog.FindDirectory(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := apiDirectory{Data: make([]apiEnterprise, 0, len(d.Enterprises)),
		Pagination: pagination{Page: page, PerPage: per, Total: d.Total, TotalPages: view.TotalPages(d.Total, per, 0)}}
	for _, e := range d.Enterprises {
		x := enterpriseOut(e)
		x.Description = ""
		out.Data = append(out.Data, x)
	}
	for _, t := range catalog.EnterpriseTypes {
		out.Counts.Types = append(out.Counts.Types, apiCount{Value: string(t), Label: t.Label(), Count: d.TypeCounts[t]})
	}
	for _, r := range catalog.Regions {
		out.Counts.Regions = append(out.Counts.Regions, apiCount{Value: string(r), Label: r.Label(), Count: d.RegionCounts[r]})
	}
	return c.JSON(out)
}

// apiEnterprise returns one enterprise's full profile.
func (s *server) apiEnterprise(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "기업")
	if err != nil {
		return err
	}
	e, err := s.Catalog.FindEnterpriseByID(c.UserContext(), id)
	if err != nil {
		return view.FriendlyNotFound(err, "기업을 찾을 수 없습니다.")
	}
	return c.JSON(itemResponse{Data: enterpriseOut(e)})
}
