package shop

import (
	"maps"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web/view"
)

type searchView struct {
	layout
	listing
	Heading string
	// Note says what the results were read as ('tkrhk' → 사과) or which
	// words were left out; Literal links to the search for the text as typed.
	Note, Literal string
	Category      *catalog.Category
	Roots         []*catalog.Category
}

// searchPage shows search results with facets, sort and pagination.
func (s *server) searchPage(c *fiber.Ctx) error {
	v, typed, q, errs, err := listingQuery(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ix, err := s.Categories.Get(ctx)
	if err != nil {
		return err
	}
	var cat *catalog.Category
	if q.CategoryID != 0 {
		if cat = ix.ByID(q.CategoryID); cat == nil {
			return apperr.Errorf(apperr.Invalid, "존재하지 않는 카테고리입니다.")
		}
	}
	live := s.discountsLive(ctx) // asked while the search runs
	res, err := s.Search.Search(ctx, q)
	if err != nil {
		return err
	}
	if q.Page <= 1 && len(errs) == 0 { // a search is counted once, not once per page
		s.Stats.Search(q.Text, res.Total)
	}
	pv := searchView{
		listing:  buildListing(listingOptions{action: "/search", showFacets: true, showCategory: true}, v, q, res, ix),
		Category: cat,
		Roots:    ix.Roots,
	}
	s.listingCards(c, &pv.layout, pv.Cards, live) // campaign prices at render, cart forms
	pv.withErrors(c, typed, errs)
	pv.Q = q.Text
	pv.NoIndex = true
	if pv.Note = view.ReadingNote(res, q.Text); res.Reading.Text != "" && res.Reading.Text != q.Text {
		lv := maps.Clone(v)
		lv.Set("literal", "1")
		lv.Del("page")
		pv.Literal = "/search?" + lv.Encode()
	}
	switch {
	case q.Text != "":
		pv.Title = "'" + q.Text + "' 검색 결과"
		pv.Heading = "'" + q.Text + "' 검색 결과 " + strconv.Itoa(res.Total) + "개"
	case cat != nil:
		pv.Title = cat.Name
		pv.Heading = cat.Name + " 상품 " + strconv.Itoa(res.Total) + "개"
	default:
		pv.Title = "전체 상품"
		pv.Heading = "전체 상품 " + strconv.Itoa(res.Total) + "개"
	}
	return s.render(c, "shop/search", &pv)
}

// searchFrom returns the query of the search page ref (a Referer) names, if
// it is one of this site's: a product opened from a search result counts as
// a click on that query (strict-origin-when-cross-origin sends the whole URL
// within the site, and nothing else is needed — no tracking parameter).
func searchFrom(ref, host string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Host != host || u.Path != "/search" {
		return "", false
	}
	q := u.Query().Get("q")
	return q, q != ""
}
