package shop

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web/view"
)

type enterpriseView struct {
	layout
	listing
	E        *catalog.Enterprise
	About    string
	Shipping []string
}

// enterprisePage shows an enterprise's profile and its products.
func (s *server) enterprisePage(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "기업")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	e, err := s.Catalog.FindEnterpriseByID(ctx, id)
	if err != nil {
		return view.FriendlyNotFound(err, "기업을 찾을 수 없습니다.")
	}
	v, q, err := view.SearchParams(c, "enterprise") // the page is the enterprise
	if err != nil {
		return err
	}
	q.EnterpriseID = e.ID
	live := s.discountsLive(ctx) // asked while the search runs
	res, err := s.Search.Search(ctx, q)
	if err != nil {
		return err
	}
	ix, err := s.Categories.Get(ctx)
	if err != nil {
		return err
	}
	pv := enterpriseView{
		listing:  buildListing(listingOptions{action: view.EnterpriseURL(e.ID)}, v, q, res, ix),
		E:        e,
		About:    typeAbout[e.Type],
		Shipping: shippingLines(catalog.Goods, e.Shipping),
	}
	s.listingCards(c, &pv.layout, pv.Cards, live) // campaign prices at render, cart forms
	pv.Title = e.Name
	pv.Description = e.Name + " (" + e.Type.Label() + ", " + e.Region.Label() + ") — " + e.Mission
	return s.render(c, "shop/enterprise", &pv)
}

// dirOption is a choice of the directory's filter form with its count.
type dirOption struct {
	Value, Label string
	Count        int
	Checked      bool
	URL          string // the directory with this choice and the other filters
}

type enterprisesView struct {
	layout
	Enterprises []*catalog.Enterprise
	Total       int
	Q, Sort     string
	Types       []dirOption // "" (전체) first
	Regions     []dirOption
	Sorts       []dirOption
	Filtered    bool
	ClearURL    string
	Errors      map[string]string
	Pager       view.Pager
}

// directoryURL is /enterprises with f's filters and page n (1: none).
func directoryURL(f catalog.DirectoryFilter, n int) string {
	q := url.Values{}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	if f.Type != "" {
		q.Set("type", string(f.Type))
	}
	if f.Region != "" {
		q.Set("region", string(f.Region))
	}
	if f.Sort != "" && f.Sort != catalog.DirectoryByName {
		q.Set("sort", string(f.Sort))
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return "/enterprises"
	}
	return "/enterprises?" + q.Encode()
}

// enterprisesPage is the directory of member enterprises: a GET form to
// filter by type and region (with counts per type and region under the
// other filters), search by name and sort by name or newest. A bad
// parameter shows the page again with the message and the rest kept (400).
func (s *server) enterprisesPage(c *fiber.Ctx) error {
	v, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, per, err := view.PageParams(v, 30, 100)
	if err != nil {
		return err
	}
	pv := enterprisesView{}
	f, ferr := catalog.ParseDirectoryFilter(v.Get("type"), v.Get("region"), v.Get("q"), v.Get("sort"))
	if ferr != nil {
		var ae *apperr.Error
		if !errors.As(ferr, &ae) {
			return ferr
		}
		pv.Errors = ae.Fields
		// Drop what was refused, keep the rest.
		if ae.Fields["type"] != "" {
			f.Type = ""
		}
		if ae.Fields["region"] != "" {
			f.Region = ""
		}
		if ae.Fields["sort"] != "" {
			f.Sort = catalog.DirectoryByName
		}
		if ae.Fields["q"] != "" {
			f.Query = ""
		}
		c.Status(fiber.StatusBadRequest)
		page = 1
	}
	f.Limit, f.Offset = per, (page-1)*per
	d, err := s.Catalog.FindDirectory(c.UserContext(), f)
	if err != nil {
		return err
	}
	pv.Enterprises, pv.Total, pv.Q, pv.Sort = d.Enterprises, d.Total, f.Query, string(f.Sort)
	if ferr != nil {
		pv.Q = textin.ForDisplay(strings.TrimSpace(v.Get("q"))) // kept as typed, without broken bytes
	}
	all := 0
	for _, n := range d.TypeCounts {
		all += n
	}
	g := f
	g.Type = ""
	pv.Types = append(pv.Types, dirOption{Label: "전체", Count: all, Checked: f.Type == "", URL: directoryURL(g, 1)})
	for _, t := range catalog.EnterpriseTypes {
		g.Type = t
		pv.Types = append(pv.Types, dirOption{Value: string(t), Label: t.Label(), Count: d.TypeCounts[t], Checked: f.Type == t, URL: directoryURL(g, 1)})
	}
	for _, r := range catalog.Regions {
		pv.Regions = append(pv.Regions, dirOption{Value: string(r), Label: r.Label(), Count: d.RegionCounts[r], Checked: f.Region == r})
	}
	for _, so := range []catalog.DirectorySort{catalog.DirectoryByName, catalog.DirectoryNewest} {
		pv.Sorts = append(pv.Sorts, dirOption{Value: string(so), Label: so.Label(), Checked: f.Sort == so})
	}
	pv.Filtered = f.Type != "" || f.Region != "" || f.Query != ""
	pv.ClearURL = "/enterprises"
	pv.Pager = view.BuildPager(page, view.TotalPages(d.Total, per, 1000), func(n int) string { return directoryURL(f, n) })
	pv.Title = "입점기업"
	if f.Type != "" {
		pv.Title = f.Type.Label() + " — 입점기업"
	}
	pv.Nav = "enterprises"
	pv.Description = "두레에 함께하는 사회적경제기업 " + kr.Comma(int64(all)) + "곳: 기업 유형과 지역으로 찾아보세요."
	return s.render(c, "shop/enterprises", &pv)
}
