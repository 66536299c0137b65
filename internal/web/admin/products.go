package admin

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

// productStatuses are the product statuses of the list's filter; "" lists
// every status but archived.
var productStatuses = []option{
	{catalog.StatusActive, catalog.ProductStatusLabel(catalog.StatusActive)},
	{catalog.StatusPendingReview, catalog.ProductStatusLabel(catalog.StatusPendingReview)},
	{catalog.StatusDraft, catalog.ProductStatusLabel(catalog.StatusDraft)},
	{catalog.StatusHidden, catalog.ProductStatusLabel(catalog.StatusHidden)},
	{catalog.StatusArchived, catalog.ProductStatusLabel(catalog.StatusArchived)},
}

// productRow is a product in the console's lists, with the operator's
// actions that apply to it now.
type productRow struct {
	ID             int64
	Name           string
	Code           string
	Thumb          string
	Enterprise     string
	EnterpriseURL  string
	Status         string
	StatusKey      string
	Price          string
	PublicPrice    string
	Stock          int
	Updated        string
	ShopURL        string // the shop's page, when the shop shows it
	CanApprove     bool
	CanHide        bool
	CanUnhide      bool
	ActionPrefix   string // /admin/products/ID/
	EnterpriseNote string // the enterprise's status when it keeps the product from the shop
}

func newProductRow(p *catalog.Product) productRow {
	r := productRow{ID: p.ID, Name: p.Name, Code: p.Code, Status: catalog.ProductStatusLabel(p.Status), StatusKey: p.Status,
		Price: kr.Won(p.ConsumerPrice), PublicPrice: kr.Won(p.PublicPrice), Stock: p.Stock, Updated: view.FormatDateTime(p.UpdatedAt),
		CanApprove:   p.Status == catalog.StatusPendingReview,
		CanHide:      p.Status != catalog.StatusHidden && p.Status != catalog.StatusArchived,
		CanUnhide:    p.Status == catalog.StatusHidden,
		ActionPrefix: "/admin/products/" + strconv.FormatInt(p.ID, 10) + "/"}
	r.Thumb = view.ImageOf(p)
	if len(p.Images) > 0 && p.Images[0].ThumbURL != "" {
		r.Thumb = p.Images[0].ThumbURL
	}
	if e := p.Enterprise; e != nil {
		r.Enterprise, r.EnterpriseURL = e.Name, enterpriseURL(e.ID)
		if e.Status != catalog.EnterpriseActive {
			r.EnterpriseNote = "기업 " + label(enterpriseStatuses, e.Status)
		}
		if p.Status == catalog.StatusActive && e.Status == catalog.EnterpriseActive {
			r.ShopURL = view.ProductURL(p.ID)
		}
	}
	return r
}

// queueView is the approval queue: applications and products waiting for
// an operator.
type queueView struct {
	layout
	Applications []enterpriseRow
	AppTotal     int
	Products     []productRow
	ProductTotal int
	Back         string // where the product forms come back to
}

// queuePage is the console's first page: the pending applications and the
// products pending review.
func (s *server) queuePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	apps, appTotal, err := s.Onboarding.FindApplications(ctx, onboarding.ApplicationFilter{Status: account.EnterprisePending, Limit: 100})
	if err != nil {
		return err
	}
	prods, prodTotal, err := s.Catalog.FindAllProducts(ctx, catalog.ManagedProductFilter{Status: catalog.StatusPendingReview, Limit: 100})
	if err != nil {
		return err
	}
	v := queueView{AppTotal: appTotal, ProductTotal: prodTotal, Back: "/admin"}
	v.Title, v.Nav = "승인 대기", navQueue
	for _, a := range apps {
		v.Applications = append(v.Applications, applicationRow(a))
	}
	for _, p := range prods {
		v.Products = append(v.Products, newProductRow(p))
	}
	return s.render(c, "admin/queue", &v)
}

// productsView is the list of every enterprise's products with filters.
type productsView struct {
	layout
	Q, EQ, Status string
	EnterpriseID  int64
	Enterprise    string // the name of the enterprise filtered by (EnterpriseID)
	ClearURL      string // the list without the enterprise filter
	Statuses      []option
	Products      []productRow
	Total         int
	Pager         view.Pager
	Back          string
}

// productsPage lists products of every enterprise: by name or 상품코드 (q),
// enterprise name or 사업자등록번호 (eq), one enterprise (enterprise) and
// status.
func (s *server) productsPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := productsView{Q: qv.Get("q"), EQ: qv.Get("eq"), Status: qv.Get("status"), Statuses: productStatuses}
	v.Title, v.Nav = "상품", navProducts
	if v.Status != "" && !valid(v.Statuses, v.Status) {
		return apperr.Errorf(apperr.Invalid, "상품 상태를 목록에서 골라 주세요.")
	}
	ctx := c.UserContext()
	if raw := strings.TrimSpace(qv.Get("enterprise")); raw != "" {
		if v.EnterpriseID, err = view.ParseID(raw, "기업"); err != nil {
			return err
		}
		a, err := s.Onboarding.FindApplication(ctx, v.EnterpriseID)
		if err != nil {
			return view.FriendlyNotFound(err, "찾는 기업이 없습니다.")
		}
		v.Enterprise = a.Enterprise.Name
		rest := cloneValues(qv)
		rest.Del("enterprise")
		v.ClearURL = view.PageURL("/admin/products", rest, 1)
	}
	list, total, err := s.Catalog.FindAllProducts(ctx, catalog.ManagedProductFilter{EnterpriseID: v.EnterpriseID,
		Query: v.Q, EnterpriseQuery: v.EQ, Status: v.Status, Sort: catalog.SortUpdated, Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	for _, p := range list {
		v.Products = append(v.Products, newProductRow(p))
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string {
		return view.PageURL("/admin/products", qv, n)
	})
	v.Back = view.PageURL("/admin/products", qv, page)
	return s.render(c, "admin/products", &v)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// productAction approves, hides or unhides product :id (the route's last
// segment) and goes back to the list the form was on.
func (s *server) productAction(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상품")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var done string
	switch {
	case strings.HasSuffix(c.Path(), "/approve"):
		done = "product_approved"
		_, err = s.Catalog.ApproveProduct(ctx, id)
	case strings.HasSuffix(c.Path(), "/hide"):
		done = "product_hidden"
		_, err = s.Catalog.HideProduct(ctx, id)
	default:
		done = "product_unhidden"
		_, err = s.Catalog.UnhideProduct(ctx, id)
	}
	if err != nil {
		return view.FriendlyNotFound(err, "찾는 상품이 없습니다.")
	}
	return redirectDone(c, backTo(c, "/admin/products"), done)
}
