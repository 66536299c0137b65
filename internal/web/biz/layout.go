package biz

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// layout is what /biz's layout (templates/layouts/biz.html) needs on every
// page. Views embed it; render fills the rest.
type layout struct {
	Title string // the page's title, without the site name
	Nav   string // the current menu entry
	Done  string // a notice about what the previous request did
	// Scripts are extra scripts the page loads (the card payment form).
	Scripts []string
	// Filled by render:
	CSRF        string
	UserName    string // "" when anonymous
	Institution string // the institution user's institution, "" for others
	Menu        bool   // show the buyer's menu (institution users)
}

func (l *layout) base() *layout { return l }

// Menu entries (layout.Nav).
const (
	navHome        = "home"
	navProducts    = "products"
	navOrders      = "orders"
	navQuotes      = "quotes"
	navInstitution = "institution"
	navMembers     = "members"
	navReports     = "reports"
)

// baseView is the dot of the layout.
type baseView struct {
	L    *layout
	Nav  []view.NavItem
	Page any
}

// menuFor is the buyer's menu: the members entry only for the admin.
func menuFor(a *account.Actor) []view.MenuEntry {
	m := []view.MenuEntry{
		{Key: navHome, Label: "대시보드", URL: "/biz"},
		{Key: navProducts, Label: "공공구매 상품", URL: "/biz/products"},
		{Key: navOrders, Label: "주문·검수", URL: "/biz/orders"},
		{Key: navReports, Label: "우선구매 실적", URL: "/biz/reports"},
		{Key: navQuotes, Label: "견적 요청", URL: "/biz/quotes"},
		{Key: navInstitution, Label: "기관 정보", URL: "/biz/institution"},
	}
	if a.InstitutionRole == account.InstitutionAdmin {
		m = append(m, view.MenuEntry{Key: navMembers, Label: "구성원", URL: "/biz/members"})
	}
	return m
}

// doneMessages are the notices a redirect may ask for (?done=…).
var doneMessages = map[string]string{
	"registered":      "기관 등록을 신청했습니다. 협동조합이 확인하고 승인하면 이메일로 알려 드립니다.",
	"joined":          "기관 합류를 요청했습니다. 기관 관리자가 승인하면 공공구매 화면을 쓸 수 있습니다.",
	"approved":        "구성원의 가입을 승인했습니다.",
	"declined":        "구성원의 가입 요청을 거절했습니다. 그 계정으로는 로그인할 수 없습니다.",
	"removed":         "구성원을 내보냈습니다. 그 계정으로는 더 이상 로그인할 수 없습니다.",
	"admin":           "기관 관리자 역할을 넘겼습니다. 이제 구매담당자로 이용합니다.",
	"inspected":       "검수 결과를 기록했습니다. 합격한 부분은 대금 청구가 시작됩니다.",
	"quote_requested": "견적을 요청했습니다. 공급 기업들의 답변을 모아 협동조합이 견적서를 보내 드립니다.",
	"quote_accepted":  "견적을 수락했습니다. 주문이 접수되었습니다.",
	"quote_declined":  "견적을 거절했습니다.",
	"paid":            "카드 결제를 마쳤습니다. 결제가 확인되면 주문 상태가 결제 완료로 바뀝니다.",
}

// isInstitutionUser reports whether a is a signed-in institution user.
func isInstitutionUser(a *account.Actor) bool {
	return a != nil && a.Role == account.InstitutionUser && a.InstitutionID != 0
}

// render writes a /biz page in its layout; pages are never cached.
func (s *server) render(c *fiber.Ctx, page string, data any) error {
	l := &layout{}
	if v, ok := data.(interface{ base() *layout }); ok {
		l = v.base()
	}
	l.CSRF = s.kit.CSRFToken(c)
	if l.Done == "" {
		l.Done = doneMessages[c.Query("done")]
	}
	bv := &baseView{L: l, Page: data}
	if a := account.FromContext(c.UserContext()); a != nil {
		l.UserName = a.Name
		if isInstitutionUser(a) {
			l.Menu = true
			if s.Institutions != nil {
				if inst, err := s.Institutions.Mine(c.UserContext()); err == nil {
					l.Institution = inst.Name
				}
			}
			bv.Nav = view.Nav(menuFor(a), l.Nav)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.kit.Render(c, page, bv)
}

// errorView is the data of the error page.
type errorView struct {
	layout
	Status  int
	Heading string
	Message string
	SignIn  string
}

// errorPage is /biz's error page (web.Kit.ErrorPages).
func (s *server) errorPage(c *fiber.Ctx, e web.ErrorInfo) error {
	v := errorView{Status: e.Status, Heading: e.Heading, Message: e.Message}
	v.Title = e.Title
	if e.Status == fiber.StatusUnauthorized {
		v.Title, v.Heading = "로그인이 필요합니다", "로그인이 필요합니다"
		v.SignIn = signInURL("/biz")
	}
	return s.render(c, "biz/error", &v)
}
