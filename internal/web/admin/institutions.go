package admin

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/web/view"
)

// Institution statuses as the console names them, in the filter's order.
var institutionStatuses = []option{
	{account.InstitutionPending, "심사 대기"},
	{account.InstitutionActive, "이용 중"},
	{account.InstitutionSuspended, "정지"},
	{account.InstitutionRejected, "반려"},
}

func institutionURL(id int64) string { return "/admin/institutions/" + strconv.FormatInt(id, 10) }

// institutionRow is an institution in the console's list.
type institutionRow struct {
	ID        int64
	URL       string
	Name      string
	Kind      string
	Number    string // 123-45-67890 and which number it is
	Status    string
	StatusKey string
	Members   int
	Pending   int
	AppliedAt string
	Admin     string
}

func newInstitutionRow(i *institution.Institution) institutionRow {
	r := institutionRow{ID: i.ID, URL: institutionURL(i.ID), Name: i.Name, Kind: i.Kind.Label(),
		Number: i.IDKind.Label() + " " + i.FormattedID(), Status: label(institutionStatuses, i.Status), StatusKey: i.Status,
		Members: i.ActiveMembers, Pending: i.PendingMembers, AppliedAt: view.FormatDateTime(i.AppliedAt)}
	if i.Admin != nil {
		r.Admin = i.Admin.Name + " (" + i.Admin.Email + ")"
	}
	return r
}

type institutionsView struct {
	layout
	Q, Status string
	Statuses  []option
	Rows      []institutionRow
	Total     int
	Pager     view.Pager
}

// institutionsPage lists institutions by status and name or number.
func (s *server) institutionsPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := institutionsView{Q: qv.Get("q"), Status: qv.Get("status"), Statuses: institutionStatuses}
	v.Title, v.Nav = "공공기관", navInstitutions
	list, total, err := s.Institutions.FindInstitutions(c.UserContext(), institution.Filter{Status: v.Status, Query: v.Q,
		Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	for _, i := range list {
		v.Rows = append(v.Rows, newInstitutionRow(i))
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string {
		return view.PageURL("/admin/institutions", qv, n)
	})
	return s.render(c, "admin/institutions", &v)
}

// memberLine is a member on the institution's page.
type memberLine struct{ Name, Email, Department, Role, Status string }

// institutionView is an institution's review page.
type institutionView struct {
	layout
	I                          institutionRow
	Facts                      []fact
	RejectionReason            string
	Pending, Active, Suspended bool
	Members                    []memberLine
	Limit                      string // the limit as typed or stored ("" for the default)
	DefaultLimit               bool
	Reason                     string
	Errors                     map[string]string
	Problem                    string
	Recent                     []auditEntry
}

func (s *server) institutionPage(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "기관")
	if err != nil {
		return err
	}
	v, err := s.institutionView(c, id)
	if err != nil {
		return err
	}
	return s.render(c, "admin/institution", v)
}

func (s *server) institutionView(c *fiber.Ctx, id int64) (*institutionView, error) {
	ctx := c.UserContext()
	i, err := s.Institutions.FindInstitution(ctx, id)
	if err != nil {
		return nil, view.FriendlyNotFound(err, "찾는 기관이 없습니다.")
	}
	v := &institutionView{I: newInstitutionRow(i), RejectionReason: i.RejectionReason,
		Pending: i.Status == account.InstitutionPending, Active: i.Status == account.InstitutionActive,
		Suspended: i.Status == account.InstitutionSuspended, DefaultLimit: i.DirectContractLimit == 0, Errors: map[string]string{}}
	if i.DirectContractLimit > 0 {
		v.Limit = strconv.FormatInt(i.DirectContractLimit, 10)
	}
	v.Title, v.Nav = i.Name, navInstitutions
	addr := "(" + i.Postcode + ") " + i.RoadAddress + " " + i.DetailAddress
	v.Facts = []fact{
		{"상태", v.I.Status},
		{"기관 유형", v.I.Kind},
		{i.IDKind.Label(), i.FormattedID()},
		{"주소", strings.TrimSpace(addr)},
		{"대표 전화", orNone(i.Phone)},
		{"기관 관리자", orNone(v.I.Admin)},
		{"등록 신청", v.I.AppliedAt},
		{"심사", orNone(view.FormatDateTime(i.ReviewedAt))},
	}
	members, err := s.Institutions.FindInstitutionMembers(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		st := "승인됨"
		if m.Status == account.InstitutionMemberPending {
			st = "승인 대기"
		}
		v.Members = append(v.Members, memberLine{m.User.Name, m.User.Email, m.Department, m.Role.Label(), st})
	}
	recs, _, err := s.Accounts.FindAuditLog(ctx, account.AuditFilter{InstitutionID: id, Limit: 10})
	if err != nil {
		return nil, err
	}
	if v.Recent, err = s.auditEntries(c, recs); err != nil {
		return nil, err
	}
	return v, nil
}

// institutionAction is POST /admin/institutions/:id/{approve,reject,
// suspend,reinstate,limit}. A refusal the operator can act on is shown on
// the institution's page with what was typed.
func (s *server) institutionAction(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "기관")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	reason := c.FormValue("reason")
	path := c.Path()
	var done string
	switch {
	case strings.HasSuffix(path, "/approve"):
		err, done = s.Institutions.Approve(ctx, id), "inst_approved"
	case strings.HasSuffix(path, "/reject"):
		err, done = s.Institutions.Reject(ctx, id, reason), "inst_rejected"
	case strings.HasSuffix(path, "/suspend"):
		err, done = s.Institutions.Suspend(ctx, id, reason), "inst_suspended"
	case strings.HasSuffix(path, "/reinstate"):
		err, done = s.Institutions.Reinstate(ctx, id), "inst_reinstated"
	default:
		done = "inst_limit"
		raw := strings.NewReplacer(",", "", "원", "", " ", "").Replace(c.FormValue("limit"))
		var limit int64
		if raw != "" {
			if limit, err = strconv.ParseInt(raw, 10, 64); err != nil {
				err = apperr.Fields{"limit": "수의계약 한도는 원 단위 숫자로 입력해 주세요. 예: 22000000 (비우면 기본값)"}.Err()
			}
		}
		if err == nil {
			err = s.Institutions.SetDirectContractLimit(ctx, id, limit)
		}
	}
	if err == nil {
		return redirectDone(c, institutionURL(id), done)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Conflict && (ae.Code != apperr.Invalid || len(ae.Fields) == 0)) {
		return err
	}
	v, verr := s.institutionView(c, id)
	if verr != nil {
		return verr
	}
	v.Reason, v.Errors = reason, ae.Fields
	if _, ok := ae.Fields["limit"]; ok {
		v.Limit = c.FormValue("limit")
	}
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Conflict {
		v.Problem, status = ae.Message, fiber.StatusConflict
	}
	c.Status(status)
	return s.render(c, "admin/institution", v)
}
