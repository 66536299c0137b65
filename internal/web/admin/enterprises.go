package admin

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

// Enterprise statuses as the console names them, in the filter's order.
var enterpriseStatuses = []option{
	{account.EnterprisePending, "심사 대기"},
	{account.EnterpriseActive, "입점"},
	{account.EnterpriseSuspended, "정지"},
	{account.EnterpriseRejected, "반려"},
}

// option is a value of a filter's select and its Korean label.
type option struct{ Value, Label string }

func label(opts []option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func valid(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// enterpriseTypes are the six types for the filter.
func enterpriseTypes() []option {
	out := make([]option, len(catalog.EnterpriseTypes))
	for i, t := range catalog.EnterpriseTypes {
		out[i] = option{string(t), t.Label()}
	}
	return out
}

func enterpriseURL(id int64) string { return "/admin/enterprises/" + strconv.FormatInt(id, 10) }

// enterpriseRow is an enterprise in the console's lists.
type enterpriseRow struct {
	ID             int64
	URL            string
	Name           string
	BusinessNumber string // 123-45-67890
	Type           string // the Korean label
	TypeKey        string // for the badge's colour
	Region         string
	Status         string // the Korean label
	StatusKey      string
	Products       int
	AppliedAt      string
	Owner          string // the first owner's name and address (applications)
}

func newEnterpriseRow(e *catalog.Enterprise) enterpriseRow {
	return enterpriseRow{ID: e.ID, URL: enterpriseURL(e.ID), Name: e.Name,
		BusinessNumber: kr.FormatBusinessNumber(e.BusinessNumber), Type: e.Type.Label(), TypeKey: string(e.Type),
		Region: e.Region.Label(), Status: label(enterpriseStatuses, e.Status), StatusKey: e.Status, Products: e.ProductCount}
}

func applicationRow(a *onboarding.Application) enterpriseRow {
	r := newEnterpriseRow(&a.Enterprise)
	r.AppliedAt = view.FormatDateTime(a.AppliedAt)
	if a.Owner != nil {
		r.Owner = a.Owner.Name + " (" + a.Owner.Email + ")"
	}
	return r
}

// enterprisesView is the enterprise list with its filters.
type enterprisesView struct {
	layout
	Q, Status, Type string
	Statuses, Types []option
	Rows            []enterpriseRow
	Total           int
	Pager           view.Pager
}

const perPage = 50

// enterprisesPage lists every enterprise: by name or 사업자등록번호 (q),
// status and type.
func (s *server) enterprisesPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := enterprisesView{Q: qv.Get("q"), Status: qv.Get("status"), Type: qv.Get("type"),
		Statuses: enterpriseStatuses, Types: enterpriseTypes()}
	v.Title, v.Nav = "입점기업", navEnterprises
	if v.Status != "" && !valid(v.Statuses, v.Status) {
		return apperr.Errorf(apperr.Invalid, "기업 상태를 목록에서 골라 주세요.")
	}
	if v.Type != "" && !catalog.EnterpriseType(v.Type).Valid() {
		return apperr.Errorf(apperr.Invalid, "기업 유형을 목록에서 골라 주세요.")
	}
	list, total, err := s.Catalog.FindAllEnterprises(c.UserContext(), catalog.ManagedEnterpriseFilter{
		Query: v.Q, Status: v.Status, Type: catalog.EnterpriseType(v.Type), Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	for _, e := range list {
		v.Rows = append(v.Rows, newEnterpriseRow(e))
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string {
		return view.PageURL("/admin/enterprises", qv, n)
	})
	return s.render(c, "admin/enterprises", &v)
}

// fact is a labelled value of a detail page.
type fact struct{ Label, Value string }

// enterpriseView is an enterprise's page: every field of its application,
// what the operator may do with it now, and its latest audit entries.
type enterpriseView struct {
	layout
	E               enterpriseRow
	Facts           []fact
	Mission         string
	RejectionReason string
	ReviewProducts  bool
	Pending, Active bool
	Suspended       bool
	CanAct          bool
	// The reject or suspend form (never both): the reason typed and the
	// fields' errors.
	Reason  string
	Errors  map[string]string
	Problem string // a refusal to show above the actions (a state conflict)

	ProductsURL string
	AuditURL    string
	Recent      []auditEntry
}

// enterprisePage shows one enterprise.
func (s *server) enterprisePage(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "기업")
	if err != nil {
		return err
	}
	v, err := s.enterpriseView(c, id)
	if err != nil {
		return err
	}
	return s.render(c, "admin/enterprise", v)
}

func (s *server) enterpriseView(c *fiber.Ctx, id int64) (*enterpriseView, error) {
	ctx := c.UserContext()
	a, err := s.Onboarding.FindApplication(ctx, id)
	if err != nil {
		return nil, view.FriendlyNotFound(err, "찾는 기업이 없습니다.")
	}
	e := &a.Enterprise
	v := &enterpriseView{E: applicationRow(a), Mission: e.Mission, RejectionReason: a.RejectionReason,
		ReviewProducts: e.ReviewProducts, Pending: e.Status == account.EnterprisePending,
		Active: e.Status == account.EnterpriseActive, Suspended: e.Status == account.EnterpriseSuspended,
		CanAct:      e.Status != account.EnterpriseRejected,
		ProductsURL: "/admin/products?enterprise=" + strconv.FormatInt(id, 10),
		AuditURL:    "/admin/audit?enterprise=" + strconv.FormatInt(id, 10)}
	v.Title, v.Nav = e.Name, navEnterprises
	if v.Pending {
		v.Nav = navQueue
	}
	valid := "기한 없음"
	if e.CertValidUntil != nil {
		valid = e.CertValidUntil.Format("2006.01.02")
	}
	owner := "없음"
	if a.Owner != nil {
		owner = v.E.Owner
	}
	bank := "없음"
	if a.Bank.Number != "" {
		bank = a.Bank.BankName + " " + a.Bank.Number + " (예금주 " + a.Bank.Holder + ")"
	}
	v.Facts = []fact{
		{"상태", v.E.Status},
		{"사업자등록번호", v.E.BusinessNumber},
		{"기업 유형", v.E.Type},
		{"인증·지정 번호", orNone(e.CertNumber)},
		{"인증 유효 기간", valid},
		{"지역", v.E.Region},
		{"대표자", orNone(e.Representative)},
		{"대표 전화", orNone(e.Phone)},
		{"기업 이메일", orNone(e.Email)},
		{"주소", orNone(e.Address)},
		{"정산 계좌", bank},
		{"대표 계정", owner},
		{"입점 신청", orNone(view.FormatDateTime(a.AppliedAt))},
		{"심사", orNone(view.FormatDateTime(a.ReviewedAt))},
	}
	recs, _, err := s.Accounts.FindAuditLog(ctx, account.AuditFilter{EnterpriseID: id, Limit: 10})
	if err != nil {
		return nil, err
	}
	if v.Recent, err = s.auditEntries(c, recs); err != nil {
		return nil, err
	}
	return v, nil
}

func orNone(s string) string {
	if s == "" {
		return "없음"
	}
	return s
}

// enterpriseAction runs one of the operator's actions on enterprise :id and
// redirects back to it with the notice done. A refusal the operator can act
// on (a missing reason, a status changed meanwhile) is shown on the
// enterprise's page, with what was typed.
func (s *server) enterpriseAction(c *fiber.Ctx, done string, do func(id int64) error) error {
	id, err := view.ParseID(c.Params("id"), "기업")
	if err != nil {
		return err
	}
	err = do(id)
	if err == nil {
		return redirectDone(c, enterpriseURL(id), done)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Conflict && (ae.Code != apperr.Invalid || len(ae.Fields) == 0)) {
		return err
	}
	v, verr := s.enterpriseView(c, id)
	if verr != nil {
		return verr
	}
	v.Reason, v.Errors = c.FormValue("reason"), ae.Fields
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Conflict {
		v.Problem, status = ae.Message, fiber.StatusConflict
	}
	c.Status(status)
	return s.render(c, "admin/enterprise", v)
}

// approve approves a pending application.
func (s *server) approve(c *fiber.Ctx) error {
	return s.enterpriseAction(c, "approved", func(id int64) error {
		return s.Onboarding.Approve(c.UserContext(), id)
	})
}

// reject rejects a pending application with the reason typed.
func (s *server) reject(c *fiber.Ctx) error {
	return s.enterpriseAction(c, "rejected", func(id int64) error {
		return s.Onboarding.Reject(c.UserContext(), id, c.FormValue("reason"))
	})
}

// suspend suspends an enterprise with the reason typed: its products leave
// search (outbox) and its members lose the portal; its orders stay.
func (s *server) suspend(c *fiber.Ctx) error {
	return s.enterpriseAction(c, "suspended", func(id int64) error {
		return s.Onboarding.Suspend(c.UserContext(), id, c.FormValue("reason"))
	})
}

// reinstate lifts a suspension.
func (s *server) reinstate(c *fiber.Ctx) error {
	return s.enterpriseAction(c, "reinstated", func(id int64) error {
		return s.Onboarding.Reinstate(c.UserContext(), id)
	})
}

// setReview says whether the enterprise's products wait for an operator's
// approval (review=on) before they are shown.
func (s *server) setReview(c *fiber.Ctx) error {
	on := c.FormValue("review") == "on"
	done := "review_off"
	if on {
		done = "review_on"
	}
	return s.enterpriseAction(c, done, func(id int64) error {
		_, err := s.Catalog.SetProductReview(c.UserContext(), id, on)
		return err
	})
}

// act starts acting on behalf of the enterprise (대리 등록): the session is
// rotated into one that carries the enterprise, and the operator goes to
// its portal.
func (s *server) act(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "기업")
	if err != nil {
		return err
	}
	sid, err := s.Accounts.StartActingFor(c.UserContext(), id)
	if err != nil {
		return err
	}
	s.kit.StartSession(c, account.FromContext(c.UserContext()), sid)
	return c.Redirect("/portal", fiber.StatusSeeOther)
}

// stopActing ends acting on behalf of an enterprise (the portal's banner
// posts here) and goes back to that enterprise in the console.
func (s *server) stopActing(c *fiber.Ctx) error {
	a := account.FromContext(c.UserContext())
	back := "/admin/enterprises"
	if a.OnBehalf {
		back = enterpriseURL(a.EnterpriseID)
	}
	sid, err := s.Accounts.StopActing(c.UserContext())
	if err != nil {
		return err
	}
	s.kit.StartSession(c, a, sid)
	return redirectDone(c, back, "acting_stopped")
}
