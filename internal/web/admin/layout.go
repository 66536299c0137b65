package admin

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// layout is what the console's layout (templates/layouts/admin.html) needs
// on every page. Views embed it; render fills the rest.
type layout struct {
	Title string // the page's title, without the site name
	Nav   string // the current menu entry: navQueue, navEnterprises, …
	// Filled by render:
	Done     string // what the previous request did (the "done" parameter after a redirect)
	CSRF     string // the hidden _csrf field of the page's POST forms
	UserName string
	Operator bool // the visitor is an operator: show the console's menu
	// ActingFor is the enterprise the operator acts on behalf of (its name
	// and console address), "" when not acting.
	ActingFor    string
	ActingForURL string
}

func (l *layout) base() *layout { return l }

// Menu entries of the console (layout.Nav).
const (
	navQueue        = "queue"
	navEnterprises  = "enterprises"
	navProducts     = "products"
	navInstitutions = "institutions"
	navAudit        = "audit"
	navQuotes       = "quotes"
	navSearch       = "search"
	navHelp         = "help"
	navInvoices     = "invoices"
	navReturns      = "returns"
	navReports      = "reports"
	navSales        = "sales"
	navSettings     = "settings"
	navHolidays     = "holidays"
	navReviews      = "reviews"
	navBundles      = "bundles"
)

// menu is the console's menu: its entries in labelled groups, in order.
var menu = []view.MenuGroup{
	{Label: "회원·기업", Entries: []view.MenuEntry{
		{Key: navQueue, Label: "승인 대기", URL: "/admin"},
		{Key: navEnterprises, Label: "입점기업", URL: "/admin/enterprises"},
		{Key: navInstitutions, Label: "공공기관", URL: "/admin/institutions"},
		{Key: navHelp, Label: "애로 상담", URL: "/admin/help"},
	}},
	{Label: "상품·기획전", Entries: []view.MenuEntry{
		{Key: navProducts, Label: "상품", URL: "/admin/products"},
		{Key: navBundles, Label: "공동상품", URL: "/admin/bundles"},
		{Key: navCampaigns, Label: "기획전·박람회", URL: "/admin/campaigns"},
		{Key: navReviews, Label: "구매평", URL: "/admin/reviews"},
		{Key: navSearch, Label: "검색 관리", URL: "/admin/search"},
	}},
	{Label: "주문·조달", Entries: []view.MenuEntry{
		{Key: navQuotes, Label: "견적 요청", URL: "/admin/quotes"},
		{Key: navInvoices, Label: "청구서", URL: "/admin/invoices"},
		{Key: navReturns, Label: "반품", URL: "/admin/returns"},
	}},
	{Label: "정산·보고", Entries: []view.MenuEntry{
		{Key: navSettlements, Label: "정산", URL: "/admin/settlements"},
		{Key: navSales, Label: "판매 실적", URL: "/admin/reports/sales"},
		{Key: navReports, Label: "우선구매 실적", URL: "/admin/reports/procurement"},
	}},
	{Label: "운영·설정", Entries: []view.MenuEntry{
		{Key: navBoard, Label: "공지·자료실", URL: "/admin/board"},
		{Key: navSettings, Label: "설정", URL: "/admin/settings"},
		{Key: navHolidays, Label: "휴일", URL: "/admin/holidays"},
		{Key: navAudit, Label: "감사 기록", URL: "/admin/audit"},
	}},
}

// baseView is the dot of the console's layout: the layout, the menu (only
// for operators) and the page's own view (the dot of "content").
type baseView struct {
	L    *layout
	Nav  []view.NavGroup
	Page any
}

// doneMessages are the notices a redirect may ask for (?done=…): a fixed
// set, so that a link cannot make the console say anything else.
var doneMessages = map[string]string{
	"statements_generated":      "정산서를 만들었습니다. 확정하기 전까지는 다시 만들 수 있습니다.",
	"settlement_settings_saved": "수수료 설정을 저장했습니다. 앞으로 발생하는 정산에 적용됩니다.",
	"statement_confirmed":       "정산서를 확정했습니다. 이제 바뀌지 않으며, 이후의 환불은 다음 달 정산서에 반영됩니다.",
	"statement_paid":            "지급 완료로 기록했습니다.",
	"rate_added":                "수수료율을 추가했습니다.",
	"campaign_saved":            "기획전을 저장했습니다. 공개한 기획전은 기간 안에만 쇼핑몰에 보입니다.",
	"campaign_banner":           "배너 이미지를 바꿨습니다.",
	"booth_added":               "부스를 만들었습니다. 입점기업이 입점기업 화면에서 부스 소개를 채울 수 있습니다.",
	"booth_removed":             "부스를 뺐습니다.",
	"bundle_created":            "공동상품을 만들었습니다. 감사 기록에 남았습니다.",
	"bundle_status":             "공동상품의 판매 상태를 바꿨습니다.",
	"review_hidden":             "구매평을 숨겼습니다. 쓴 분에게만 사유와 함께 보이고, 감사 기록에 남았습니다.",
	"review_shown":              "구매평을 다시 보이게 했습니다. 감사 기록에 남았습니다.",
	"approved":                  "입점 신청을 승인했습니다. 이제 이 기업의 구성원이 입점기업 화면을 쓸 수 있습니다.",
	"rejected":                  "입점 신청을 반려했습니다. 신청한 기업에 사유를 알렸습니다.",
	"suspended":                 "입점을 정지했습니다. 이 기업의 상품이 곧 검색과 쇼핑몰에서 빠집니다. 진행 중인 주문은 그대로입니다.",
	"reinstated":                "입점 정지를 풀었습니다. 판매중인 상품이 곧 다시 검색됩니다.",
	"review_on":                 "이제 이 기업의 상품은 운영자가 승인해야 쇼핑몰에 보입니다.",
	"review_off":                "이제 이 기업의 상품은 승인 없이 바로 쇼핑몰에 보입니다.",
	"acting_stopped":            "대리 작업을 끝냈습니다.",
	"product_approved":          "상품을 승인했습니다. 곧 쇼핑몰과 검색에 보입니다.",
	"product_hidden":            "상품을 숨겼습니다. 곧 쇼핑몰과 검색에서 빠집니다.",
	"product_unhidden":          "상품 숨김을 풀었습니다. 판매중으로 바뀌어 곧 다시 보입니다.",
	"synonyms_added":            "동의어를 더하고 검색엔진에 보냈습니다. 보통 몇 초 안에 검색에 반영됩니다.",
	"synonym_removed":           "동의어 사전에서 지우고 검색엔진에 보냈습니다. 보통 몇 초 안에 검색에 반영됩니다.",
	"synonyms_pushed":           "동의어 사전을 검색엔진에 다시 보냈습니다. 보통 몇 초 안에 검색에 반영됩니다.",
	"synonyms_saved_not_pushed": "사전에 저장했지만 검색엔진이 응답하지 않아 아직 반영하지 못했습니다. 잠시 후 '검색엔진에 반영'을 눌러 주세요. 그동안 예비 검색(PostgreSQL)에는 이미 쓰입니다.",
	"inst_approved":             "기관 등록을 승인했습니다. 기관 관리자에게 메일로 알렸습니다.",
	"inst_rejected":             "기관 등록을 반려했습니다. 기관 관리자에게 사유를 알렸습니다.",
	"inst_suspended":            "기관 이용을 정지했습니다. 구매담당자는 다음 화면부터 공공구매를 쓸 수 없습니다.",
	"inst_reinstated":           "기관 이용 정지를 풀었습니다.",
	"inst_limit":                "수의계약 한도를 저장했습니다.",
	"quote_routed":              "기업에 견적을 요청했습니다. 기업의 입점기업 화면에 품목이 나타납니다.",
	"quote_sent":                "견적서를 기관에 보냈습니다. 보낸 견적서는 바꿀 수 없고, 고치려면 새 견적서(다음 번호)를 보냅니다.",
	"settings_saved":            "설정을 저장했습니다.",
	"document_published":        "새 판을 게시했습니다. 이제부터 쇼핑몰과 주문서에 새 판이 보이고, 이전 판에 동의한 주문 기록은 그대로입니다.",
	"holiday_added":             "휴일을 추가했습니다. 이후 계산하는 지급 기한부터 반영됩니다.",
	"holiday_deleted":           "휴일을 지웠습니다. 이후 계산하는 지급 기한부터 반영됩니다.",
	"transfer_recorded":         "입금을 기록했습니다.",
	"post_saved":                "글을 저장했습니다. 게시한 글만 쇼핑몰에 보입니다.",
	"post_published":            "글을 게시했습니다. 이제 쇼핑몰에 보입니다.",
	"post_unpublished":          "게시를 내렸습니다. 이제 운영자만 볼 수 있는 임시 글입니다.",
	"post_pinned":               "글을 목록 맨 위에 고정했습니다.",
	"post_unpinned":             "고정을 풀었습니다.",
	"post_deleted":              "글과 첨부파일을 지웠습니다. 감사 기록에 남았습니다.",
}

// render writes a console page ("admin/queue") in the console's layout.
// data is a pointer to a view embedding layout.
func (s *server) render(c *fiber.Ctx, page string, data any) error {
	l := &layout{}
	if v, ok := data.(interface{ base() *layout }); ok {
		l = v.base()
	}
	s.fillLayout(c, l)
	bv := &baseView{L: l, Page: data}
	if l.Operator {
		bv.Nav = view.GroupedNav(menu, l.Nav)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.kit.Render(c, page, bv)
}

// fillLayout sets the header's user, the acting banner, the notice and the
// CSRF token. Only an operator gets the menu and the banner: the error
// page of a refused request shows nothing of the console.
func (s *server) fillLayout(c *fiber.Ctx, l *layout) {
	ctx := c.UserContext()
	a := account.FromContext(ctx)
	if !a.IsOperator() {
		return
	}
	l.Operator, l.UserName = true, a.Name
	l.CSRF = s.kit.CSRFToken(c)
	l.Done = doneMessages[c.Query("done")]
	if a.OnBehalf {
		l.ActingFor = "기업 #" + strconv.FormatInt(a.EnterpriseID, 10)
		l.ActingForURL = enterpriseURL(a.EnterpriseID)
		if e, err := s.Catalog.Store.FindManagedEnterprise(ctx, a.EnterpriseID); err == nil {
			l.ActingFor = e.Name
		} else {
			s.kit.Log.Warn("admin: acting-for enterprise", "request_id", web.RequestID(c), "err", err)
		}
	}
}

// errorView is the data of the console's error page.
type errorView struct {
	layout
	Status  int
	Heading string
	Message string
	SignIn  string // the sign-in link, when signing in would help
}

// errorPage is the console's error page (web.Kit.ErrorPages). For anyone
// but an operator it is a plain page without the console's menu: the
// console does not exist for them.
func (s *server) errorPage(c *fiber.Ctx, e web.ErrorInfo) error {
	v := errorView{Status: e.Status, Heading: e.Heading, Message: e.Message}
	v.Title = e.Title
	if e.Status == fiber.StatusUnauthorized {
		v.Title, v.Heading = "로그인이 필요합니다", "로그인이 필요합니다"
		v.SignIn = signInURL("/admin")
	}
	return s.render(c, "admin/error", &v)
}

// redirectDone answers a form with a redirect to target showing the notice
// done (a key of doneMessages).
func redirectDone(c *fiber.Ctx, target, done string) error {
	u, err := url.Parse(target)
	if err != nil {
		u = &url.URL{Path: "/admin"}
	}
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	return c.Redirect(u.String(), fiber.StatusSeeOther)
}

// backTo returns the console address a form asked to return to (the list it
// was on, with its filters), or fallback when it is missing or not a
// console address.
func backTo(c *fiber.Ctx, fallback string) string {
	b := c.FormValue("back")
	if b == "" || strings.ContainsAny(b, "\\\r\n") || !(b == "/admin" || strings.HasPrefix(b, "/admin/") || strings.HasPrefix(b, "/admin?")) {
		return fallback
	}
	return b
}
