package shop

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
)

// Sign-up and enterprise applications per client address: enough for a
// family or an office behind one address, not for a script.
const (
	signupLimit  = 10
	signupWindow = time.Hour
)

// formField is one labelled input of a simple account form.
type formField struct {
	Name, Label, Type, Value, Error, Autocomplete, Hint string
	Required                                            bool
	MaxLength                                           int
}

// formView is the dot of shop/form: a heading, a lead text, the fields, a
// submit button and links under the form.
type formView struct {
	layout
	Heading, Lead string
	Notice        string // a success or information message above the form
	Problem       string // what went wrong, above the form
	Action        string
	Hidden        map[string]string
	Carry         []hiddenField // values carried over from a refused form
	Fields        []formField
	Submit        string
	Links         []formLink
}

type formLink struct{ Href, Text string }

// fieldErrors fills each field's error and value from err's Fields and the
// posted form, keeping what was typed (never a password).
func (v *formView) fill(c *fiber.Ctx, err error) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		v.Problem = ae.Message
		if len(ae.Fields) > 0 {
			v.Problem = "입력한 내용을 확인해 주세요."
		}
	}
	for i := range v.Fields {
		f := &v.Fields[i]
		if f.Type != "password" {
			f.Value = textin.ForDisplay(c.FormValue(f.Name))
		}
		if ae != nil {
			f.Error = ae.Fields[f.Name]
		}
	}
}

// renderForm renders a simple account form with status.
func (s *server) renderForm(c *fiber.Ctx, v *formView, status int) error {
	v.Title, v.NoIndex, v.Forms, v.HideSearch = v.Heading, true, true, true
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "shop/form", v)
}

// formStatus is the status of a form shown again after err: 422 for field
// errors, the error's own status otherwise (429 for rate limits).
func formStatus(err error) int {
	switch apperr.Code(err) {
	case apperr.TooMany:
		return fiber.StatusTooManyRequests
	case apperr.Unauthorized:
		return fiber.StatusUnauthorized
	case apperr.Forbidden:
		return fiber.StatusForbidden
	case apperr.Conflict:
		return fiber.StatusConflict
	case apperr.NotFound:
		return fiber.StatusNotFound
	}
	return fiber.StatusUnprocessableEntity
}

// shown reports whether err is one a form shows next to its fields rather
// than an error page.
func shown(err error) bool {
	switch apperr.Code(err) {
	case apperr.Invalid, apperr.TooMany, apperr.Unauthorized, apperr.Conflict, apperr.Forbidden, apperr.NotFound:
		return true
	}
	return false
}

// safeNext returns next when it is a path of this site, or def.
func safeNext(next, def string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return def
	}
	return next
}

// homeOf is where a signed-in actor lands without a next page.
func homeOf(a *account.Actor) string {
	switch a.Role {
	case account.Operator:
		return "/admin"
	case account.EnterpriseStaff:
		return "/portal"
	case account.InstitutionUser:
		return "/biz"
	}
	return "/account"
}

func signinView(next string) *formView {
	v := &formView{Heading: "로그인", Action: "/account/signin", Submit: "로그인",
		Hidden: map[string]string{"next": next},
		Fields: []formField{
			{Name: "email", Label: "이메일", Type: "email", Autocomplete: "username", Required: true, MaxLength: 254},
			{Name: "password", Label: "비밀번호", Type: "password", Autocomplete: "current-password", Required: true, MaxLength: 512},
		},
		Links: []formLink{{"/account/signup", "회원가입"}, {"/account/password/forgot", "비밀번호를 잊으셨나요?"}, {"/join", "입점 신청 (사회적경제기업)"}}}
	return v
}

func (s *server) signinPage(c *fiber.Ctx) error {
	if a := web.Actor(c); a != nil && a.SessionID != "" {
		return c.Redirect(safeNext(c.Query("next"), homeOf(a)), fiber.StatusSeeOther)
	}
	v := signinView(safeNext(c.Query("next"), ""))
	if c.Query("reset") == "1" {
		v.Notice = "비밀번호를 바꿨습니다. 새 비밀번호로 로그인해 주세요."
	}
	return s.renderForm(c, v, fiber.StatusOK)
}

func (s *server) signinSubmit(c *fiber.Ctx) error {
	next := safeNext(c.FormValue("next"), "")
	a, sid, err := s.Accounts.SignIn(c.UserContext(), c.FormValue("email"), c.FormValue("password"), c.IP())
	if err != nil {
		if !shown(err) {
			return err
		}
		v := signinView(next)
		if c.FormValue("resume_action") != "" { // still carrying a refused form
			v.Hidden["resume_action"], v.Hidden["resume_data"] = c.FormValue("resume_action"), c.FormValue("resume_data")
		}
		v.fill(c, err)
		return s.renderForm(c, v, formStatus(err))
	}
	s.startSession(c, a, sid)
	if v, ok := resumeAfterSignIn(c); ok {
		return s.renderForm(c, v, fiber.StatusOK)
	}
	return c.Redirect(safeNext(next, homeOf(a)), fiber.StatusSeeOther)
}

// startSession ends the browser's previous session, sends the new one's
// cookie and moves the guest cart into the account's cart.
func (s *server) startSession(c *fiber.Ctx, a *account.Actor, sid string) {
	ctx := c.UserContext()
	if old := c.Cookies(web.SessionCookie); old != "" && old != sid {
		if err := s.Accounts.SignOut(ctx, old); err != nil {
			s.kit.Log.Warn("sign out previous session", "request_id", web.RequestID(c), "err", err)
		}
	}
	guest, hasGuest := s.kit.GuestCart(c)
	s.kit.StartSession(c, a, sid)
	if hasGuest && s.Carts != nil {
		if _, err := s.Carts.Merge(ctx, guest, cart.UserCartID(a.UserID)); err != nil {
			s.kit.Log.Warn("merge guest cart at sign-in", "request_id", web.RequestID(c), "err", err)
		}
	}
}

func (s *server) signout(c *fiber.Ctx) error {
	if a := web.Actor(c); a != nil && a.SessionID != "" {
		if err := s.Accounts.SignOut(c.UserContext(), a.SessionID); err != nil {
			return err
		}
	}
	s.kit.ClearSession(c)
	return c.Redirect("/", fiber.StatusSeeOther)
}

func (s *server) signoutEverywhere(c *fiber.Ctx) error {
	a, err := account.RequireUser(c.UserContext())
	if err != nil {
		return err
	}
	if err := s.Accounts.SignOutEverywhere(c.UserContext(), a.UserID); err != nil {
		return err
	}
	s.kit.ClearSession(c)
	return c.Redirect("/account/signin", fiber.StatusSeeOther)
}

func signupView() *formView {
	return &formView{Heading: "회원가입", Lead: "두레에서 사회적경제기업의 상품을 구매하는 개인 회원으로 가입합니다.",
		Action: "/account/signup", Submit: "가입하기",
		Fields: []formField{
			{Name: "name", Label: "이름", Type: "text", Autocomplete: "name", Required: true, MaxLength: 30},
			{Name: "email", Label: "이메일", Type: "email", Autocomplete: "email", Required: true, MaxLength: 254},
			{Name: "phone", Label: "휴대전화", Type: "tel", Autocomplete: "tel", Hint: "010-1234-5678", MaxLength: 20},
			{Name: "password", Label: "비밀번호", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128, Hint: "10자 이상"},
			{Name: "password_confirm", Label: "비밀번호 확인", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128},
		},
		Links: []formLink{{"/account/signin", "이미 회원이신가요? 로그인"}}}
}

func (s *server) signupPage(c *fiber.Ctx) error {
	return s.renderForm(c, signupView(), fiber.StatusOK)
}

// limitSignups bounds sign-ups and applications per client address.
func (s *server) limitSignups(c *fiber.Ctx) error {
	if s.Limiter == nil {
		return nil
	}
	ok, err := s.Limiter.Allow(c.UserContext(), "signup:"+c.IP(), signupLimit, signupWindow)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Errorf(apperr.TooMany, "가입 요청이 너무 많습니다. 한 시간 뒤에 다시 시도해 주세요.")
	}
	return nil
}

func (s *server) signupSubmit(c *fiber.Ctx) error {
	in := account.SignUpInput{Name: c.FormValue("name"), Email: c.FormValue("email"), Phone: c.FormValue("phone"),
		Password: c.FormValue("password"), PasswordConfirm: c.FormValue("password_confirm")}
	err := s.limitSignups(c)
	if err == nil {
		_, err = s.Accounts.SignUp(c.UserContext(), in)
	}
	if err != nil {
		if !shown(err) {
			return err
		}
		v := signupView()
		v.fill(c, err)
		return s.renderForm(c, v, formStatus(err))
	}
	a, sid, err := s.Accounts.SignIn(c.UserContext(), in.Email, in.Password, c.IP())
	if err != nil {
		return c.Redirect("/account/signin", fiber.StatusSeeOther)
	}
	s.startSession(c, a, sid)
	return c.Redirect("/account?welcome=1", fiber.StatusSeeOther)
}

// accountView is the dot of shop/account: the member's page.
type accountView struct {
	layout
	A          *account.Actor
	RoleLabel  string
	Home       string // the portal or the console, for their members
	Welcome    bool
	Notice     string
	Orders     []*order.Order
	OrderTotal int
}

func (s *server) accountPage(c *fiber.Ctx) error {
	a, err := account.RequireUser(c.UserContext())
	if err != nil {
		return err
	}
	v := &accountView{A: a, RoleLabel: a.Role.Label(), Welcome: c.Query("welcome") == "1"}
	v.Nav = "account"
	if h := homeOf(a); h != "/account" {
		v.Home = h
	}
	switch c.Query("done") {
	case "password":
		v.Notice = "비밀번호를 바꿨습니다. 다른 기기의 로그인은 모두 끝냈습니다."
	case "claim":
		v.Notice = "주문을 내 계정으로 가져왔습니다."
	case "confirmed":
		v.Notice = "이메일 주소를 확인했습니다."
	}
	if s.Orders != nil {
		if v.Orders, v.OrderTotal, err = s.Orders.FindUserOrders(c.UserContext(), order.UserOrderFilter{Limit: 50}); err != nil {
			return err
		}
	}
	v.Title, v.NoIndex, v.Forms, v.HideSearch = "내 계정", true, true, true
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/account", v)
}

func passwordView() *formView {
	return &formView{Heading: "비밀번호 변경", Action: "/account/password", Submit: "비밀번호 바꾸기",
		Lead: "바꾸면 다른 기기의 로그인은 모두 끝납니다.",
		Fields: []formField{
			{Name: "current_password", Label: "현재 비밀번호", Type: "password", Autocomplete: "current-password", Required: true, MaxLength: 512},
			{Name: "password", Label: "새 비밀번호", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128, Hint: "10자 이상"},
			{Name: "password_confirm", Label: "새 비밀번호 확인", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128},
		},
		Links: []formLink{{"/account", "내 계정으로"}}}
}

func (s *server) passwordPage(c *fiber.Ctx) error {
	if _, err := account.RequireUser(c.UserContext()); err != nil {
		return err
	}
	return s.renderForm(c, passwordView(), fiber.StatusOK)
}

func (s *server) passwordSubmit(c *fiber.Ctx) error {
	if _, err := account.RequireUser(c.UserContext()); err != nil {
		return err
	}
	err := s.Accounts.ChangePassword(c.UserContext(), c.FormValue("current_password"), c.FormValue("password"), c.FormValue("password_confirm"))
	if err != nil {
		if !shown(err) {
			return err
		}
		v := passwordView()
		v.fill(c, err)
		return s.renderForm(c, v, formStatus(err))
	}
	return c.Redirect("/account?done=password", fiber.StatusSeeOther)
}

func forgotView() *formView {
	return &formView{Heading: "비밀번호 찾기", Action: "/account/password/forgot", Submit: "재설정 메일 받기",
		Lead:   "가입한 이메일 주소로 비밀번호를 다시 정하는 링크를 보내 드립니다. 링크는 1시간 동안 쓸 수 있습니다.",
		Fields: []formField{{Name: "email", Label: "이메일", Type: "email", Autocomplete: "email", Required: true, MaxLength: 254}},
		Links:  []formLink{{"/account/signin", "로그인"}}}
}

func (s *server) forgotPage(c *fiber.Ctx) error { return s.renderForm(c, forgotView(), fiber.StatusOK) }

func (s *server) forgotSubmit(c *fiber.Ctx) error {
	v := forgotView()
	if err := s.Accounts.RequestPasswordReset(c.UserContext(), c.FormValue("email")); err != nil {
		if !shown(err) {
			return err
		}
		v.fill(c, err)
		return s.renderForm(c, v, formStatus(err))
	}
	v.Fields[0].Value = c.FormValue("email")
	v.Notice = "입력한 주소가 가입된 주소라면 재설정 메일을 보냈습니다. 메일함을 확인해 주세요."
	return s.renderForm(c, v, fiber.StatusOK)
}

func resetView(token string) *formView {
	return &formView{Heading: "새 비밀번호 정하기", Action: "/account/password/reset", Submit: "비밀번호 정하기",
		Hidden: map[string]string{"token": token},
		Fields: []formField{
			{Name: "password", Label: "새 비밀번호", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128, Hint: "10자 이상"},
			{Name: "password_confirm", Label: "새 비밀번호 확인", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128},
		}}
}

// tokenProblem shows a form page that only says what is wrong with a
// mailed link (used, expired, unknown), with a way on.
func (s *server) tokenProblem(c *fiber.Ctx, heading string, err error, link formLink) error {
	if !shown(err) {
		return err
	}
	v := &formView{Heading: heading, Problem: apperr.Message(err), Links: []formLink{link}}
	return s.renderForm(c, v, formStatus(err))
}

func (s *server) resetPage(c *fiber.Ctx) error {
	token := c.Query("token")
	if err := s.Accounts.CheckPasswordResetToken(c.UserContext(), token); err != nil {
		return s.tokenProblem(c, "새 비밀번호 정하기", err, formLink{"/account/password/forgot", "재설정 메일 다시 받기"})
	}
	return s.renderForm(c, resetView(token), fiber.StatusOK)
}

func (s *server) resetSubmit(c *fiber.Ctx) error {
	token := c.FormValue("token")
	err := s.Accounts.ResetPassword(c.UserContext(), token, c.FormValue("password"), c.FormValue("password_confirm"))
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && len(ae.Fields) > 0 {
			v := resetView(token)
			v.fill(c, err)
			return s.renderForm(c, v, formStatus(err))
		}
		return s.tokenProblem(c, "새 비밀번호 정하기", err, formLink{"/account/password/forgot", "재설정 메일 다시 받기"})
	}
	s.kit.ClearSession(c)
	return c.Redirect("/account/signin?reset=1", fiber.StatusSeeOther)
}

func (s *server) confirmEmail(c *fiber.Ctx) error {
	if err := s.Accounts.ConfirmEmail(c.UserContext(), c.Query("token")); err != nil {
		return s.tokenProblem(c, "이메일 확인", err, formLink{"/account", "내 계정으로"})
	}
	return c.Redirect("/account?done=confirmed", fiber.StatusSeeOther)
}

func invitationView(token, enterprise string) *formView {
	return &formView{Heading: "구성원 초대 수락", Lead: enterprise + "의 입점기업 화면을 함께 쓰도록 초대받았습니다. 이름과 비밀번호를 정해 주세요.",
		Action: "/account/invitation", Submit: "초대 수락하기", Hidden: map[string]string{"token": token},
		Fields: []formField{
			{Name: "name", Label: "이름", Type: "text", Autocomplete: "name", Required: true, MaxLength: 30},
			{Name: "password", Label: "비밀번호", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128, Hint: "10자 이상"},
			{Name: "password_confirm", Label: "비밀번호 확인", Type: "password", Autocomplete: "new-password", Required: true, MaxLength: 128},
		}}
}

func (s *server) invitationPage(c *fiber.Ctx) error {
	token := c.Query("token")
	inv, err := s.Accounts.FindInvitation(c.UserContext(), token)
	if err != nil {
		return s.tokenProblem(c, "구성원 초대 수락", err, formLink{"/", "두레 첫 화면"})
	}
	return s.renderForm(c, invitationView(token, inv.EnterpriseName), fiber.StatusOK)
}

func (s *server) invitationSubmit(c *fiber.Ctx) error {
	token := c.FormValue("token")
	inv, err := s.Accounts.FindInvitation(c.UserContext(), token)
	if err != nil {
		return s.tokenProblem(c, "구성원 초대 수락", err, formLink{"/", "두레 첫 화면"})
	}
	u, err := s.Accounts.AcceptInvitation(c.UserContext(), token, c.FormValue("name"), c.FormValue("password"), c.FormValue("password_confirm"))
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && len(ae.Fields) > 0 {
			v := invitationView(token, inv.EnterpriseName)
			v.fill(c, err)
			return s.renderForm(c, v, formStatus(err))
		}
		return s.tokenProblem(c, "구성원 초대 수락", err, formLink{"/", "두레 첫 화면"})
	}
	a, sid, err := s.Accounts.SignIn(c.UserContext(), u.Email, c.FormValue("password"), c.IP())
	if err != nil {
		return c.Redirect("/account/signin?next=/portal", fiber.StatusSeeOther)
	}
	s.startSession(c, a, sid)
	return c.Redirect("/portal", fiber.StatusSeeOther)
}

func claimView() *formView {
	return &formView{Heading: "비회원 주문 가져오기", Action: "/account/orders/claim", Submit: "확인 코드 받기",
		Lead: "로그인하기 전에 한 주문을 내 계정으로 가져옵니다. 주문할 때 적은 이메일 주소로 6자리 확인 코드를 보내 드립니다.",
		Fields: []formField{
			{Name: "number", Label: "주문번호", Type: "text", Required: true, MaxLength: 20, Hint: "D251123-7KQ2MXH4PA"},
			{Name: "phone", Label: "주문하신 분 연락처", Type: "tel", Autocomplete: "tel", Required: true, MaxLength: 20},
		},
		Links: []formLink{{"/account", "내 계정으로"}}}
}

func claimCodeView(number string) *formView {
	return &formView{Heading: "확인 코드 입력", Action: "/account/orders/claim/confirm", Submit: "주문 가져오기",
		Lead:   "주문번호와 연락처가 맞으면 주문할 때 적은 이메일 주소로 확인 코드를 보냈습니다. 코드는 15분 동안 쓸 수 있습니다.",
		Hidden: map[string]string{"number": number},
		Fields: []formField{{Name: "code", Label: "확인 코드 (6자리)", Type: "text", Autocomplete: "one-time-code", Required: true, MaxLength: 6}},
		Links:  []formLink{{"/account/orders/claim", "코드를 다시 받기"}}}
}

func (s *server) claimPage(c *fiber.Ctx) error {
	if _, err := account.RequireUser(c.UserContext()); err != nil {
		return err
	}
	return s.renderForm(c, claimView(), fiber.StatusOK)
}

func (s *server) claimSubmit(c *fiber.Ctx) error {
	if _, err := account.RequireUser(c.UserContext()); err != nil {
		return err
	}
	number := strings.ToUpper(strings.TrimSpace(c.FormValue("number")))
	if err := s.Orders.StartClaim(c.UserContext(), number, c.FormValue("phone")); err != nil {
		if !shown(err) {
			return err
		}
		v := claimView()
		v.fill(c, err)
		return s.renderForm(c, v, formStatus(err))
	}
	return s.renderForm(c, claimCodeView(number), fiber.StatusOK)
}

func (s *server) claimConfirm(c *fiber.Ctx) error {
	if _, err := account.RequireUser(c.UserContext()); err != nil {
		return err
	}
	number := c.FormValue("number")
	if err := s.Orders.ConfirmClaim(c.UserContext(), number, strings.TrimSpace(c.FormValue("code"))); err != nil {
		if !shown(err) {
			return err
		}
		v := claimCodeView(number)
		v.fill(c, err)
		if v.Fields[0].Error == "" && v.Problem != "" {
			v.Fields[0].Error = v.Problem
		}
		return s.renderForm(c, v, formStatus(err))
	}
	return c.Redirect("/account?done=claim", fiber.StatusSeeOther)
}

// joinView is the dot of shop/join: the enterprise application form.
type joinView struct {
	layout
	In      map[string]formField // the plain inputs, by name
	F       map[string]string
	Errors  map[string]string
	Problem string
	Types   []catalog.EnterpriseType
	Regions []catalog.Region
}

// joinFields are the application form's fields (onboarding's field names).
var joinFields = []string{"name", "business_number", "type", "cert_number", "cert_valid_until", "region",
	"representative", "phone", "email", "address", "mission", "bank_name", "bank_account", "bank_holder",
	"owner_name", "owner_email"}

// joinInputs are the application's plain inputs: label, type,
// autocomplete, hint, required.
var joinInputs = []formField{
	{Name: "name", Label: "상호", Type: "text", Autocomplete: "organization", Required: true},
	{Name: "business_number", Label: "사업자등록번호", Type: "text", Hint: "123-45-67890 (숫자 10자리)", Required: true},
	{Name: "cert_number", Label: "인증·지정 번호", Type: "text", Hint: "사회적기업 인증번호, 마을기업 지정번호 등 (있는 경우)"},
	{Name: "cert_valid_until", Label: "인증·지정 유효기간 (끝나는 날)", Type: "date", Hint: "기한이 없으면 비워 두세요"},
	{Name: "representative", Label: "대표자", Type: "text", Required: true},
	{Name: "phone", Label: "대표 연락처", Type: "tel", Autocomplete: "tel", Hint: "053-123-4567", Required: true},
	{Name: "email", Label: "대표 이메일", Type: "email", Autocomplete: "email", Required: true},
	{Name: "address", Label: "사업장 주소", Type: "text", Autocomplete: "street-address", Required: true},
	{Name: "bank_name", Label: "은행", Type: "text", Required: true},
	{Name: "bank_account", Label: "계좌번호", Type: "text", Hint: "숫자와 - 만", Required: true},
	{Name: "bank_holder", Label: "예금주", Type: "text", Required: true},
	{Name: "owner_name", Label: "담당자 이름", Type: "text", Autocomplete: "name", Required: true},
	{Name: "owner_email", Label: "담당자 이메일 (로그인 아이디)", Type: "email", Autocomplete: "username", Required: true},
	{Name: "owner_password", Label: "비밀번호", Type: "password", Autocomplete: "new-password", Hint: "10자 이상", Required: true},
	{Name: "owner_password_confirm", Label: "비밀번호 확인", Type: "password", Autocomplete: "new-password", Required: true},
}

func (s *server) renderJoin(c *fiber.Ctx, v *joinView, status int) error {
	for k, val := range v.F {
		v.F[k] = textin.ForDisplay(val) // the input kept, without broken bytes or control characters
	}
	v.In = make(map[string]formField, len(joinInputs))
	for _, f := range joinInputs {
		if f.Type != "password" {
			f.Value = v.F[f.Name]
		}
		f.Error = v.Errors[f.Name]
		v.In[f.Name] = f
	}
	v.Types, v.Regions = catalog.EnterpriseTypes, catalog.Regions
	v.Title, v.NoIndex, v.Forms, v.HideSearch = "입점 신청", true, true, true
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "shop/join", v)
}

func (s *server) joinPage(c *fiber.Ctx) error {
	return s.renderJoin(c, &joinView{F: map[string]string{}}, fiber.StatusOK)
}

func (s *server) joinSubmit(c *fiber.Ctx) error {
	f := map[string]string{}
	for _, k := range joinFields {
		f[k] = c.FormValue(k)
	}
	in := onboarding.ApplicationInput{
		Name: f["name"], BusinessNumber: f["business_number"], Type: catalog.EnterpriseType(f["type"]),
		CertNumber: f["cert_number"], CertValidUntil: f["cert_valid_until"], Region: catalog.Region(f["region"]),
		Representative: f["representative"], Phone: f["phone"], Email: f["email"], Address: f["address"],
		Mission: f["mission"], BankName: f["bank_name"], BankAccount: f["bank_account"], BankHolder: f["bank_holder"],
		OwnerName: f["owner_name"], OwnerEmail: f["owner_email"],
		OwnerPassword: c.FormValue("owner_password"), OwnerPasswordConfirm: c.FormValue("owner_password_confirm"),
	}
	err := s.limitSignups(c)
	if err == nil {
		_, err = s.Onboarding.Apply(c.UserContext(), in)
	}
	if err != nil {
		if !shown(err) {
			return err
		}
		v := &joinView{F: f, Problem: apperr.Message(err)}
		var ae *apperr.Error
		if errors.As(err, &ae) && len(ae.Fields) > 0 {
			v.Errors, v.Problem = ae.Fields, "입력한 내용을 확인해 주세요. 잘못된 칸 아래에 이유를 적어 두었습니다."
		}
		return s.renderJoin(c, v, formStatus(err))
	}
	a, sid, err := s.Accounts.SignIn(c.UserContext(), in.OwnerEmail, in.OwnerPassword, c.IP())
	if err != nil {
		return c.Redirect("/account/signin?next="+url.QueryEscape("/portal"), fiber.StatusSeeOther)
	}
	s.startSession(c, a, sid)
	return c.Redirect("/portal", fiber.StatusSeeOther)
}

// needAccounts answers 503 when the app was built without accounts.
func (s *server) needAccounts(c *fiber.Ctx) error {
	if s.Accounts == nil || s.Onboarding == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}
