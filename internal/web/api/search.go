package api

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

type apiHit struct {
	ID            int64         `json:"id"`
	Name          string        `json:"name"`
	NameHTML      string        `json:"name_html"` // escaped, matches in <mark>
	Summary       string        `json:"summary"`
	Kind          string        `json:"kind"`
	TaxType       string        `json:"tax_type"`
	ConsumerPrice int64         `json:"consumer_price"`
	PublicPrice   int64         `json:"public_price"`
	Currency      string        `json:"currency"`
	InStock       bool          `json:"in_stock"`
	RatingAverage json.Number   `json:"rating_average"` // 4.58; 0 without reviews
	ReviewCount   int           `json:"review_count"`
	CategoryID    int64         `json:"category_id"`
	Enterprise    enterpriseRef `json:"enterprise"`
	ImageURL      string        `json:"image_url"`
	URL           string        `json:"url"`
}

type apiFacetValue struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type apiSearchResponse struct {
	Data       []apiHit                   `json:"data"`
	Facets     map[string][]apiFacetValue `json:"facets"`
	Pagination pagination                 `json:"pagination"`
	Degraded   bool                       `json:"degraded"`
	// Reading is what the query was read as when not the text as typed
	// ('tkrhk' → 사과); Ignored the words left out because together they
	// found nothing.
	Reading *apiReading `json:"reading,omitempty"`
	Ignored []string    `json:"ignored,omitempty"`
}

type apiReading struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// apiSearch answers the same parameters as the search page with hits, facet
// counts (with Korean labels) and pagination.
func (s *server) apiSearch(c *fiber.Ctx) error {
	_, q, err := view.SearchParams(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	res, err := s.Search.Search(ctx, q)
	if err != nil {
		return err
	}
	ix, err := s.Categories.Get(ctx)
	if err != nil {
		return err
	}
	out := apiSearchResponse{Data: make([]apiHit, 0, len(res.Hits)), Facets: map[string][]apiFacetValue{}, Degraded: res.Degraded,
		Ignored: res.Ignored}
	if r := res.Reading; r.Text != "" && r.Text != q.Text {
		out.Reading = &apiReading{Kind: string(r.Kind), Text: r.Text}
	}
	for _, h := range res.Hits {
		card := view.CardFromHit(h)
		out.Data = append(out.Data, apiHit{
			ID: h.ProductID, Name: card.Name, NameHTML: string(card.NameHTML), Summary: h.Summary, Kind: string(h.Kind),
			TaxType: string(h.TaxType), ConsumerPrice: h.ConsumerPrice, PublicPrice: h.PublicPrice, Currency: currency,
			InStock: h.InStock, RatingAverage: ratingAverage(h.RatingAvg), ReviewCount: h.ReviewCount, CategoryID: h.CategoryID, ImageURL: card.ImageURL, URL: card.URL,
			Enterprise: enterpriseRef{ID: h.EnterpriseID, Name: h.EnterpriseName, Type: string(h.EnterpriseType),
				TypeLabel: h.EnterpriseType.Label(), Region: string(h.Region), URL: view.EnterpriseURL(h.EnterpriseID)},
		})
	}
	for name, values := range res.Facets {
		list := make([]apiFacetValue, 0, len(values))
		for _, fv := range values {
			list = append(list, apiFacetValue{Value: fv.Value, Label: facetLabel(name, fv.Value, ix), Count: fv.Count})
		}
		out.Facets[name] = list
	}
	per := q.PerPage
	if per <= 0 {
		per = search.DefaultPerPage
	}
	out.Pagination = pagination{Page: max(q.Page, 1), PerPage: per, Total: res.Total, TotalPages: view.TotalPages(res.Total, per, search.MaxPage)}
	return c.JSON(out)
}

// ratingAverage writes an average in hundredths as a JSON number (458 →
// 4.58) without going through a float.
func ratingAverage(hundredths int) json.Number {
	return json.Number(strconv.Itoa(hundredths/100) + "." + fmt.Sprintf("%02d", hundredths%100))
}

// facetLabel is the Korean label of a facet value.
func facetLabel(facet, value string, ix *catalog.CategoryIndex) string {
	switch facet {
	case search.FacetCategory:
		if id, err := strconv.ParseInt(value, 10, 64); err == nil {
			if c := ix.ByID(id); c != nil {
				return c.Name
			}
		}
	case search.FacetEnterpriseType:
		return catalog.EnterpriseType(value).Label()
	case search.FacetRegion:
		return catalog.Region(value).Label()
	case search.FacetTaxType:
		return catalog.TaxType(value).Label()
	case search.FacetKind:
		return catalog.Kind(value).Label()
	}
	return value
}
