package biz

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web/view"
)

// statusLabels name an institution's statuses.
var statusLabels = map[string]string{
	account.InstitutionPending: "심사 중", account.InstitutionActive: "이용 중",
	account.InstitutionRejected: "반려", account.InstitutionSuspended: "이용 정지",
}

// fact is a labelled value.
type fact struct{ Label, Value string }

// institutionFacts are an institution's details as /biz shows them.
func institutionFacts(i *institution.Institution) []fact {
	addr := "(" + i.Postcode + ") " + i.RoadAddress
	if i.DetailAddress != "" {
		addr += " " + i.DetailAddress
	}
	admin := "없음"
	if i.Admin != nil {
		admin = i.Admin.Name + " (" + i.Admin.Email + ")"
	}
	return []fact{
		{"기관명", i.Name},
		{"기관 유형", i.Kind.Label()},
		{i.IDKind.Label(), i.FormattedID()},
		{"주소", addr},
		{"대표 전화", orNone(i.Phone)},
		{"기관 관리자", admin},
		{"구성원", strconv.Itoa(i.ActiveMembers) + "명 (승인 대기 " + strconv.Itoa(i.PendingMembers) + "명)"},
		{"등록 신청", view.FormatDate(i.AppliedAt)},
	}
}

func orNone(s string) string {
	if s == "" {
		return "없음"
	}
	return s
}

// homeView is /biz: the landing page, or an institution user's dashboard.
type homeView struct {
	layout
	SignedIn    bool   // anyone signed in
	OtherRole   string // the role label of a signed-in non-institution user
	Name        string
	Status      string
	StatusKey   string
	Reason      string // the rejection reason
	MemberWaits bool   // the actor's own membership awaits the admin
	Admin       bool
	Pending     int // colleagues waiting for the admin
	CanBuy      bool
	Todo        []todoItem // what waits for the buyer, when they may buy
	Year        int        // this year, for YearTotal
	YearTotal   string     // this year's purchases as the 우선구매 report counts them
	YearOrders  int64
}

// todoItem is one line of the dashboard's 할 일: what, how many, where.
type todoItem struct {
	Text, URL string
	Warn      bool // past a deadline
}

// homePage is GET /biz.
func (s *server) homePage(c *fiber.Ctx) error {
	a := account.FromContext(c.UserContext())
	v := &homeView{SignedIn: a != nil}
	v.Nav = navHome
	if !isInstitutionUser(a) {
		v.Title = "공공구매"
		if a != nil {
			v.OtherRole = a.Role.Label()
		}
		return s.render(c, "biz/home", v)
	}
	inst, err := s.Institutions.Mine(c.UserContext())
	if err != nil {
		return err
	}
	v.Title = "대시보드"
	v.Name, v.StatusKey, v.Status, v.Reason = inst.Name, inst.Status, statusLabels[inst.Status], inst.RejectionReason
	v.MemberWaits = a.InstitutionMember != account.InstitutionMemberActive
	v.Admin = account.CanManageInstitution(c.UserContext(), inst.ID) == nil
	v.Pending = inst.PendingMembers
	_, err = account.RequireInstitutionBuyer(c.UserContext())
	v.CanBuy = err == nil
	if v.CanBuy {
		if err := s.fillTodo(c, v); err != nil {
			return err
		}
	}
	return s.render(c, "biz/dashboard", v)
}

// fillTodo puts on the dashboard what waits for a buyer — answered quotes
// to decide, parts to inspect, invoices to pay — and this year's purchases.
func (s *server) fillTodo(c *fiber.Ctx, v *homeView) error {
	ctx := c.UserContext()
	if s.Quotes != nil {
		_, n, err := s.Quotes.FindRequests(ctx, quote.Filter{Status: quote.Quoted, Limit: 1})
		if err != nil {
			return err
		}
		if n > 0 {
			v.Todo = append(v.Todo, todoItem{Text: fmt.Sprintf("견적서가 도착한 요청 %d건: 견적을 보고 주문하거나 거절해 주세요.", n),
				URL: "/biz/quotes?status=" + string(quote.Quoted)})
		}
	}
	if s.Orders != nil {
		t, err := s.Orders.InstitutionTodo(ctx)
		if err != nil {
			return err
		}
		if t.PartsToInspect > 0 {
			text := fmt.Sprintf("검수할 납품 %d건", t.PartsToInspect)
			if t.PartsPastDue > 0 {
				text += fmt.Sprintf(" (그중 %d건은 검수 기한이 지났습니다)", t.PartsPastDue)
			}
			v.Todo = append(v.Todo, todoItem{Text: text, URL: "/biz/orders", Warn: t.PartsPastDue > 0})
		}
		if t.InvoiceBalance > 0 {
			text := "청구된 대금 중 입금할 금액 " + kr.Won(t.InvoiceBalance)
			if t.InvoicesOverdue > 0 {
				text += fmt.Sprintf(" (지급 기한이 지난 청구서 %d건)", t.InvoicesOverdue)
			}
			v.Todo = append(v.Todo, todoItem{Text: text, URL: "/biz/orders", Warn: t.InvoicesOverdue > 0})
		}
		if t.CardOrdersToPay > 0 {
			v.Todo = append(v.Todo, todoItem{Text: fmt.Sprintf("카드 결제를 기다리는 주문 %d건", t.CardOrdersToPay), URL: "/biz/orders"})
		}
	}
	if s.Reports != nil {
		p, err := s.Reports.Procurement(ctx, report.ProcurementRequest{})
		if err != nil {
			return err
		}
		v.Year, v.YearTotal, v.YearOrders = p.Period.Year, kr.Won(p.Total.Amount), p.Total.Orders
	}
	return nil
}

// input is one text field of a form, as the biz-input partial draws it.
type input struct {
	ID, Name, Label, Type, Value, Err, Hint string
	Required                                bool
	Autocomplete, Inputmode                 string
	MaxLength                               int
}

// option is a value of a select or radio group.
type option struct {
	Value, Label string
	Selected     bool
}

// formView is the register or join form.
type formView struct {
	layout
	Problem string
	Errors  map[string]string
	In      map[string]input
	Kinds   []option
	IDKinds []option
}

// fieldSpec describes a form field; the value and error come from the request.
type fieldSpec struct {
	name, label, typ, hint, autocomplete, inputmode string
	required                                        bool
	max                                             int
}

var registerFields = []fieldSpec{
	{"name", "기관명", "text", "예) 대구광역시 중구청, ○○초등학교", "organization", "", true, 100},
	{"id_number", "사업자등록번호 또는 고유번호", "text", "숫자 10자리, 하이픈(-)은 있어도 없어도 됩니다.", "off", "numeric", true, 12},
	{"postcode", "우편번호", "text", "숫자 5자리", "postal-code", "numeric", true, 5},
	{"road_address", "도로명주소", "text", "예) 대구광역시 중구 공평로 88", "address-line1", "", true, 200},
	{"detail_address", "상세주소", "text", "건물·층·호수", "address-line2", "", false, 100},
	{"phone", "기관 대표 전화", "tel", "예) 053-123-4567", "tel", "tel", true, 20},
	{"department", "담당 부서", "text", "예) 회계과, 행정지원팀", "off", "", true, 100},
	{"user_name", "담당자 이름", "text", "", "name", "", true, 50},
	{"email", "로그인 이메일", "email", "업무용 이메일 주소를 권합니다.", "email", "email", true, 254},
	{"user_phone", "담당자 전화", "tel", "선택. 예) 053-123-4567", "tel", "tel", false, 20},
	{"password", "비밀번호", "password", "10자 이상", "new-password", "", true, 512},
	{"password_confirm", "비밀번호 확인", "password", "", "new-password", "", true, 512},
}

var joinFields = []fieldSpec{
	{"id_number", "기관의 사업자등록번호 또는 고유번호", "text", "숫자 10자리. 기관 관리자에게 확인해 주세요.", "off", "numeric", true, 12},
	{"institution_name", "기관명", "text", "등록된 기관명과 같게 입력해 주세요(띄어쓰기는 달라도 됩니다).", "organization", "", true, 100},
	{"department", "담당 부서", "text", "예) 총무과", "off", "", true, 100},
	{"user_name", "이름", "text", "", "name", "", true, 50},
	{"email", "로그인 이메일", "email", "", "email", "email", true, 254},
	{"user_phone", "전화", "tel", "선택. 예) 053-123-4567", "tel", "tel", false, 20},
	{"password", "비밀번호", "password", "10자 이상", "new-password", "", true, 512},
	{"password_confirm", "비밀번호 확인", "password", "", "new-password", "", true, 512},
}

// newForm builds a form's inputs from c's posted values (passwords are never
// sent back) and errs.
func newForm(c *fiber.Ctx, specs []fieldSpec, errs map[string]string) *formView {
	v := &formView{Errors: errs, In: map[string]input{}}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	for _, f := range specs {
		in := input{ID: "f-" + f.name, Name: f.name, Label: f.label, Type: f.typ, Hint: f.hint, Required: f.required,
			Autocomplete: f.autocomplete, Inputmode: f.inputmode, MaxLength: f.max, Err: v.Errors[f.name]}
		if f.typ != "password" && c.Method() == fiber.MethodPost {
			in.Value = textin.ForDisplay(c.FormValue(f.name))
		}
		v.In[f.name] = in
	}
	kind, idKind := c.FormValue("kind"), c.FormValue("id_kind")
	if idKind == "" {
		idKind = string(institution.BusinessNumber)
	}
	for _, k := range institution.Kinds {
		v.Kinds = append(v.Kinds, option{string(k), k.Label(), string(k) == kind})
	}
	for _, k := range []institution.IDKind{institution.BusinessNumber, institution.UniqueNumber} {
		v.IDKinds = append(v.IDKinds, option{string(k), k.Label(), string(k) == idKind})
	}
	return v
}

// alreadyIn sends a signed-in visitor away from the registration forms: an
// institution user to /biz; others see the landing page's note.
func alreadyIn(c *fiber.Ctx) bool { return account.FromContext(c.UserContext()) != nil }

func (s *server) registerPage(c *fiber.Ctx) error {
	if alreadyIn(c) {
		return c.Redirect("/biz", fiber.StatusSeeOther)
	}
	v := newForm(c, registerFields, nil)
	v.Title = "기관 등록"
	return s.render(c, "biz/register", v)
}

// formProblem shows a form again with what was typed and the errors, or
// returns err when it is not the form's business.
func (s *server) formProblem(c *fiber.Ctx, page, title string, specs []fieldSpec, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Conflict) {
		return err
	}
	v := newForm(c, specs, ae.Fields)
	v.Title, v.Problem = title, ae.Message
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Conflict {
		status = fiber.StatusConflict
	}
	c.Status(status)
	return s.render(c, page, v)
}

// register is POST /biz/register: the institution and its admin account,
// then the admin is signed in and sees where the registration stands.
func (s *server) register(c *fiber.Ctx) error {
	if alreadyIn(c) {
		return apperr.Errorf(apperr.Conflict, "이미 로그인했습니다. 로그아웃한 뒤 새 기관을 등록해 주세요.")
	}
	in := institution.RegisterInput{Name: c.FormValue("name"), Kind: institution.Kind(c.FormValue("kind")),
		IDKind: institution.IDKind(c.FormValue("id_kind")), IDNumber: c.FormValue("id_number"),
		Postcode: c.FormValue("postcode"), RoadAddress: c.FormValue("road_address"), DetailAddress: c.FormValue("detail_address"),
		Phone: c.FormValue("phone"), Department: c.FormValue("department"), UserName: c.FormValue("user_name"),
		Email: c.FormValue("email"), UserPhone: c.FormValue("user_phone"), Password: c.FormValue("password"),
		PasswordConfirm: c.FormValue("password_confirm")}
	inst, err := s.Institutions.Register(c.UserContext(), in)
	if err != nil {
		return s.formProblem(c, "biz/register", "기관 등록", registerFields, err)
	}
	return s.signInAfter(c, inst.Admin.Email, in.Password, "registered")
}

// signInAfter signs the new account in and goes to /biz with done.
func (s *server) signInAfter(c *fiber.Ctx, email, password, done string) error {
	a, sid, err := s.Accounts.SignIn(c.UserContext(), email, password, c.IP())
	if err != nil {
		return c.Redirect(signInURL("/biz"), fiber.StatusSeeOther)
	}
	s.kit.StartSession(c, a, sid)
	return c.Redirect("/biz?done="+done, fiber.StatusSeeOther)
}

func (s *server) joinPage(c *fiber.Ctx) error {
	if alreadyIn(c) {
		return c.Redirect("/biz", fiber.StatusSeeOther)
	}
	v := newForm(c, joinFields, nil)
	v.Title = "기관에 합류하기"
	return s.render(c, "biz/join", v)
}

// join is POST /biz/join: a pending buyer of an existing institution.
func (s *server) join(c *fiber.Ctx) error {
	if alreadyIn(c) {
		return apperr.Errorf(apperr.Conflict, "이미 로그인했습니다. 로그아웃한 뒤 합류를 요청해 주세요.")
	}
	in := institution.JoinInput{IDNumber: c.FormValue("id_number"), InstitutionName: c.FormValue("institution_name"),
		Department: c.FormValue("department"), UserName: c.FormValue("user_name"), Email: c.FormValue("email"),
		UserPhone: c.FormValue("user_phone"), Password: c.FormValue("password"), PasswordConfirm: c.FormValue("password_confirm")}
	m, _, err := s.Institutions.Join(c.UserContext(), in)
	if err != nil {
		return s.formProblem(c, "biz/join", "기관에 합류하기", joinFields, err)
	}
	return s.signInAfter(c, m.User.Email, in.Password, "joined")
}

// institutionView is the institution's details.
type institutionView struct {
	layout
	Name      string
	Status    string
	StatusKey string
	Reason    string
	Facts     []fact
	Limit     int64 // the direct-contract limit, 0: the co-op's default
}

// institutionPage is GET /biz/institution.
func (s *server) institutionPage(c *fiber.Ctx) error {
	inst, err := s.Institutions.Mine(c.UserContext())
	if err != nil {
		return err
	}
	v := &institutionView{Name: inst.Name, Status: statusLabels[inst.Status], StatusKey: inst.Status,
		Reason: inst.RejectionReason, Facts: institutionFacts(inst), Limit: inst.DirectContractLimit}
	v.Title, v.Nav = "기관 정보", navInstitution
	return s.render(c, "biz/institution", v)
}

// memberRow is a member in the admin's list.
type memberRow struct {
	ID                      int64
	Name, Email, Department string
	Role, Status            string
	Pending, Admin, Me      bool
	Since                   string
}

type membersView struct {
	layout
	Members []memberRow
	Pending int
	Problem string
}

// membersPage is GET /biz/members (the institution's admin).
func (s *server) membersPage(c *fiber.Ctx) error {
	return s.renderMembers(c, &membersView{}, fiber.StatusOK)
}

func (s *server) renderMembers(c *fiber.Ctx, v *membersView, status int) error {
	a := account.FromContext(c.UserContext())
	list, err := s.Institutions.FindMembers(c.UserContext(), a.InstitutionID)
	if err != nil {
		return err
	}
	for _, m := range list {
		r := memberRow{ID: m.User.ID, Name: m.User.Name, Email: m.User.Email, Department: m.Department,
			Role: m.Role.Label(), Pending: m.Status == account.InstitutionMemberPending,
			Admin: m.Role == account.InstitutionAdmin, Me: m.User.ID == a.UserID, Since: view.FormatDate(m.CreatedAt)}
		r.Status = "승인됨"
		if r.Pending {
			r.Status = "승인 대기"
			v.Pending++
		}
		v.Members = append(v.Members, r)
	}
	v.Title, v.Nav = "구성원", navMembers
	c.Status(status)
	return s.render(c, "biz/members", v)
}

// memberAction is POST /biz/members/:uid/{approve,decline,remove,admin}.
func (s *server) memberAction(c *fiber.Ctx) error {
	uid, err := view.ParseID(c.Params("uid"), "구성원")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	inst := account.FromContext(ctx).InstitutionID
	path := c.Path()
	var done string
	switch {
	case strings.HasSuffix(path, "/approve"):
		err, done = s.Institutions.ApproveMember(ctx, inst, uid), "approved"
	case strings.HasSuffix(path, "/decline"):
		err, done = s.Institutions.DeclineMember(ctx, inst, uid), "declined"
	case strings.HasSuffix(path, "/remove"):
		err, done = s.Institutions.RemoveMember(ctx, inst, uid), "removed"
	default:
		err, done = s.Institutions.HandOverAdmin(ctx, inst, uid), "admin"
	}
	if apperr.Code(err) == apperr.Conflict {
		return s.renderMembers(c, &membersView{Problem: apperr.Message(err)}, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	if done == "admin" { // no longer the admin: the member list is not theirs
		return c.Redirect("/biz?done=admin", fiber.StatusSeeOther)
	}
	return c.Redirect("/biz/members?done="+done, fiber.StatusSeeOther)
}
