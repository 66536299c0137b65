package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// layout is what the portal's layout (templates/layouts/portal.html) needs
// on every page. Views embed it; render fills the header's fields.
type layout struct {
	Title string // the page's title, without the site name
	Nav   string // the current menu entry: navDashboard, navProducts, …
	// Done is a notice about what the previous request did (after a
	// redirect), shown above the page.
	Done string
	// Scripts are the page's own scripts (static paths), loaded deferred.
	Scripts []string
	// Filled by render:
	CSRF       string // the hidden _csrf field of the page's POST forms
	Enterprise string // the enterprise's name; "" when no enterprise is in scope
	UserName   string
	OnBehalf   bool // an operator acts on behalf of the enterprise
	Menu       bool // show the portal's menu (not on refusals and the application status)
}

func (l *layout) base() *layout { return l }

// Menu entries of the portal's header (layout.Nav).
const (
	navDashboard = "dashboard"
	navProducts  = "products"
	navStock     = "stock"
	navUpload    = "upload"
	navOrders    = "orders"
	navQuotes    = "quotes"
	navMembers   = "members"
	navKeys      = "keys"
	navHelp      = "help"
	navReviews   = "reviews"
	navQuestions = "questions"
	navImpact    = "impact"
	navProfile   = "profile"
)

// menu is the portal's menu, in order.
var menu = []view.MenuEntry{
	{Key: navDashboard, Label: "대시보드", URL: "/portal"},
	{Key: navProducts, Label: "상품", URL: "/portal/products"},
	{Key: navStock, Label: "재고", URL: "/portal/stock"},
	{Key: navUpload, Label: "상품 일괄 등록", URL: "/portal/products/upload"},
	{Key: navOrders, Label: "주문", URL: "/portal/orders"},
	{Key: navQuotes, Label: "견적 요청", URL: "/portal/quotes"},
	{Key: navQuestions, Label: "문의", URL: "/portal/questions"},
	{Key: navReviews, Label: "구매평", URL: "/portal/reviews"},
	{Key: navMembers, Label: "구성원", URL: "/portal/members"},
	{Key: navKeys, Label: "API 키", URL: "/portal/keys"},
	{Key: navSettlements, Label: "정산", URL: "/portal/settlements"},
	{Key: navHelp, Label: "애로 상담", URL: "/portal/help"},
	{Key: navCampaigns, Label: "기획전 참가", URL: "/portal/campaigns"},
	{Key: navImpact, Label: "사회적 가치", URL: "/portal/impact"},
	{Key: navProfile, Label: "기업 정보", URL: "/portal/profile"},
}

// baseView is the dot of the portal's layout: the layout, the menu and the
// page's own view (the dot of its "content" template).
type baseView struct {
	L    *layout
	Nav  []view.NavItem
	Page any
}

// render writes a portal page ("portal/products") in the portal's layout.
// data is a pointer to a view embedding layout. Portal pages are never
// cached: they show one enterprise's private data.
func (s *server) render(c *fiber.Ctx, page string, data any) error {
	l := &layout{}
	if v, ok := data.(interface{ base() *layout }); ok {
		l = v.base()
	}
	s.fillLayout(c, l)
	bv := &baseView{L: l, Page: data}
	if l.Menu {
		bv.Nav = view.Nav(menu, l.Nav)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.kit.Render(c, page, bv)
}

// fillLayout sets the header's enterprise and user and the CSRF token
// (every portal page has a POST form: the operator's stop button at least).
func (s *server) fillLayout(c *fiber.Ctx, l *layout) {
	l.CSRF = s.kit.CSRFToken(c)
	if a := account.FromContext(c.UserContext()); a != nil {
		l.UserName, l.OnBehalf = a.Name, a.OnBehalf
	}
	if e := enterprise(c); e != nil {
		l.Enterprise, l.Menu = e.Name, true
	}
}

// errorView is the data of the portal's error page.
type errorView struct {
	layout
	Status  int
	Heading string
	Message string
	SignIn  string // the sign-in link, when signing in would help
}

// errorPage is the portal's error page (web.Kit.ErrorPages), in its layout.
func (s *server) errorPage(c *fiber.Ctx, e web.ErrorInfo) error {
	v := errorView{Status: e.Status, Heading: e.Heading, Message: e.Message}
	v.Title = e.Title
	switch e.Status {
	case fiber.StatusUnauthorized:
		v.Heading = "로그인이 필요합니다"
		v.SignIn = "/account/signin?next=%2Fportal"
	case fiber.StatusRequestEntityTooLarge:
		if isUpload(c) {
			v.Heading = "파일이 너무 큽니다"
			v.Message = "이미지와 CSV 파일은 10MB 이하만 올릴 수 있습니다. 파일 크기를 줄여 다시 올려 주세요."
		}
	}
	return s.render(c, "portal/error", &v)
}
