package admin

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

// auditActions are the recorded actions an operator may filter by, with
// their Korean names, in the filter's order.
var auditActions = []option{
	{onboarding.ActionApprove, "입점 승인"},
	{onboarding.ActionReject, "입점 반려"},
	{onboarding.ActionSuspend, "입점 정지"},
	{onboarding.ActionReinstate, "입점 정지 해제"},
	{catalog.ActionEnterpriseReview, "상품 승인 필요 설정"},
	{"acting.start", "대리 작업 시작"},
	{"acting.stop", "대리 작업 끝"},
	{catalog.ActionProductCreate, "상품 등록"},
	{catalog.ActionProductUpdate, "상품 수정"},
	{catalog.ActionProductUpload, "상품 일괄 등록(CSV)"},
	{catalog.ActionProductStock, "재고 변경"},
	{catalog.ActionProductStatus, "판매 상태 변경"},
	{catalog.ActionProductSoldOut, "품절 처리"},
	{catalog.ActionProductDelete, "상품 삭제"},
	{catalog.ActionProductArchive, "상품 삭제(주문 기록 보존)"},
	{catalog.ActionProductHide, "상품 숨김"},
	{catalog.ActionProductUnhide, "상품 숨김 해제"},
	{catalog.ActionProductApprove, "상품 승인"},
	{"member.invite", "구성원 초대"},
	{"member.join", "구성원 가입"},
	{"member.role", "구성원 역할 변경"},
	{"member.remove", "구성원 내보내기"},
	{"api_key.create", "API 키 발급"},
	{"api_key.revoke", "API 키 폐기"},
	{"user.status", "회원 이용 상태 변경"},
	{"seed.run", "시연 데이터 넣기"},
	{search.ActionSynonymAdd, "동의어 추가"},
	{search.ActionSynonymRemove, "동의어 삭제"},
	{search.ActionSynonymPush, "동의어 검색엔진 반영"},
}

// auditEntities are the kinds of things the audit log records.
var auditEntities = []option{
	{"enterprise", "기업"},
	{"product", "상품"},
	{"member", "구성원"},
	{"invitation", "초대"},
	{"api_key", "API 키"},
	{"user", "회원"},
	{"catalogue", "카탈로그"},
	{"synonym", "동의어"},
}

// auditEntry is an audit record as the console shows it.
type auditEntry struct {
	When          string // 2026.03.02 18:05, Asia/Seoul
	ISO           string // for <time datetime>
	Who           string
	Role          string
	OnBehalf      string // the enterprise an operator acted as; "" when not
	OnBehalfURL   string
	Enterprise    string // whose thing it is
	EnterpriseURL string
	Action        string
	Entity        string // 상품 #12
	EntityURL     string // the thing in the console, when it has a page
	HistoryURL    string // this thing's entries only
	Changes       []change
}

// auditView is the audit log with its filters.
type auditView struct {
	layout
	F                 auditForm
	Errors            map[string]string
	Actions, Entities []option
	Entries           []auditEntry
	Total             int
	Filtered          bool
	Pager             view.Pager
}

// auditForm is the filter form as typed.
type auditForm struct {
	From, To, Actor, Enterprise, Entity, EntityID, Action string
}

// auditPage shows the audit log, newest first, filtered by date range
// (Asia/Seoul days, both included), actor (e-mail, name or member number),
// enterprise (name, 사업자등록번호 or number), entity and action. A filter
// that names nobody or several is answered next to its field.
func (s *server) auditPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := auditView{Actions: auditActions, Entities: auditEntities, F: auditForm{
		From: qv.Get("from"), To: qv.Get("to"), Actor: strings.TrimSpace(qv.Get("actor")),
		Enterprise: strings.TrimSpace(qv.Get("enterprise")), Entity: qv.Get("entity"),
		EntityID: strings.TrimSpace(qv.Get("entity_id")), Action: qv.Get("action")}}
	v.Title, v.Nav = "감사 기록", navAudit
	v.Filtered = v.F != auditForm{}
	ctx := c.UserContext()
	f, errs, err := s.auditFilter(ctx, v.F)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		v.Errors = errs
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "admin/audit", &v)
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	recs, total, err := s.Accounts.FindAuditLog(ctx, f)
	if err != nil {
		return err
	}
	if v.Entries, err = s.auditEntries(c, recs); err != nil {
		return err
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string {
		return view.PageURL("/admin/audit", qv, n)
	})
	return s.render(c, "admin/audit", &v)
}

// auditFilter turns the form into a filter, or into Korean messages by
// field name when a value names nothing.
func (s *server) auditFilter(ctx context.Context, in auditForm) (account.AuditFilter, map[string]string, error) {
	var f account.AuditFilter
	errs := map[string]string{}
	if in.From != "" {
		if d, ok := parseDay(in.From); ok {
			f.From = d
		} else {
			errs["from"] = "날짜는 2026-03-02처럼 입력해 주세요."
		}
	}
	if in.To != "" {
		if d, ok := parseDay(in.To); ok {
			f.To = d.AddDate(0, 0, 1) // the whole last day
		} else {
			errs["to"] = "날짜는 2026-03-02처럼 입력해 주세요."
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs["to"] = "끝 날짜는 시작 날짜와 같거나 그 뒤여야 합니다."
	}
	if in.Entity != "" && !valid(auditEntities, in.Entity) {
		errs["entity"] = "대상을 목록에서 골라 주세요."
	}
	f.Entity = in.Entity
	if in.Action != "" && !valid(auditActions, in.Action) {
		errs["action"] = "작업을 목록에서 골라 주세요."
	}
	f.Action = in.Action
	if utf8.RuneCountInString(in.EntityID) > 40 {
		errs["entity_id"] = "대상 번호는 40자 이하로 입력해 주세요."
	}
	f.EntityID = in.EntityID
	if in.Actor != "" {
		id, msg, err := s.findActor(ctx, in.Actor)
		if err != nil {
			return f, nil, err
		}
		f.ActorUserID = id
		if msg != "" {
			errs["actor"] = msg
		}
	}
	if in.Enterprise != "" {
		id, msg, err := s.findEnterprise(ctx, in.Enterprise)
		if err != nil {
			return f, nil, err
		}
		f.EnterpriseID = id
		if msg != "" {
			errs["enterprise"] = msg
		}
	}
	return f, errs, nil
}

// parseDay reads 2026-03-02 (a date field) or 2026.03.02 as the start of
// that day in Asia/Seoul.
func parseDay(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006.01.02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), kr.Seoul()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// findActor returns the user that q names: a member number, an e-mail
// address, or a name only one user has; otherwise a message for the field.
func (s *server) findActor(ctx context.Context, q string) (int64, string, error) {
	if id, err := strconv.ParseInt(q, 10, 64); err == nil && id > 0 {
		return id, "", nil
	}
	users, _, err := s.Accounts.FindUsers(ctx, account.UserFilter{Query: q, Limit: 20})
	if err != nil {
		return 0, "", err
	}
	var exact []*account.User
	for _, u := range users {
		if strings.EqualFold(u.Email, q) || u.Name == q {
			exact = append(exact, u)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0].ID, "", nil
	case len(exact) == 0 && len(users) == 1:
		return users[0].ID, "", nil
	case len(users) == 0:
		return 0, "찾는 회원이 없습니다. 이메일 주소나 이름을 확인해 주세요.", nil
	}
	return 0, "여러 회원이 찾아집니다. 이메일 주소를 모두 입력해 주세요.", nil
}

// findEnterprise returns the enterprise that q names: an enterprise
// number, a 사업자등록번호, or a name (or part of one) only one enterprise
// has; otherwise a message for the field.
func (s *server) findEnterprise(ctx context.Context, q string) (int64, string, error) {
	if len(q) != 10 {
		if id, err := strconv.ParseInt(q, 10, 64); err == nil && id > 0 {
			return id, "", nil
		}
	}
	list, _, err := s.Catalog.FindAllEnterprises(ctx, catalog.ManagedEnterpriseFilter{Query: q, Limit: 20})
	if err != nil {
		return 0, "", err
	}
	for _, e := range list {
		if e.Name == q {
			return e.ID, "", nil
		}
	}
	switch len(list) {
	case 1:
		return list[0].ID, "", nil
	case 0:
		return 0, "찾는 기업이 없습니다. 기업 이름이나 사업자등록번호를 확인해 주세요.", nil
	}
	return 0, "여러 기업이 찾아집니다. 기업 이름을 모두 입력하거나 사업자등록번호로 찾아 주세요.", nil
}

// auditEntries makes the records readable: who (by name), on behalf of and
// for which enterprise (by name), what, and the fields that changed. Names
// are read once per page: one query for the enterprises, one per user.
func (s *server) auditEntries(c *fiber.Ctx, recs []*account.AuditRecord) ([]auditEntry, error) {
	ctx := c.UserContext()
	users := map[int64]*account.User{}
	var entIDs []int64
	seenEnt := map[int64]bool{}
	for _, r := range recs {
		if id := r.ActorUserID; id != 0 && users[id] == nil {
			u, err := s.Accounts.FindUserByID(ctx, id)
			if err != nil {
				u = &account.User{ID: id, Name: "회원 #" + strconv.FormatInt(id, 10)}
			}
			users[id] = u
		}
		for _, id := range []int64{r.EnterpriseID, r.OnBehalfEnterpriseID} {
			if id != 0 && !seenEnt[id] {
				seenEnt[id] = true
				entIDs = append(entIDs, id)
			}
		}
	}
	names := map[int64]string{}
	if len(entIDs) > 0 {
		list, _, err := s.Catalog.FindAllEnterprises(ctx, catalog.ManagedEnterpriseFilter{IDs: entIDs, Limit: len(entIDs)})
		if err != nil {
			return nil, err
		}
		for _, e := range list {
			names[e.ID] = e.Name
		}
	}
	entName := func(id int64) string {
		if n := names[id]; n != "" {
			return n
		}
		return "기업 #" + strconv.FormatInt(id, 10)
	}
	out := make([]auditEntry, 0, len(recs))
	for _, r := range recs {
		e := auditEntry{When: view.FormatDateTime(r.At), ISO: r.At.UTC().Format(time.RFC3339), Action: label(auditActions, r.Action),
			Changes: diff(r.Entity, r.Before, r.After)}
		switch {
		case r.ActorUserID != 0:
			u := users[r.ActorUserID]
			e.Who, e.Role = u.Name, account.Role(r.ActorRole).Label()
			if u.Email != "" {
				e.Who += " (" + u.Email + ")"
			}
		case r.ActorAPIKeyID != 0:
			e.Who, e.Role = "API 키 #"+strconv.FormatInt(r.ActorAPIKeyID, 10), "입점기업 API"
		default:
			e.Who, e.Role = "시스템", "자동 작업"
		}
		if id := r.OnBehalfEnterpriseID; id != 0 {
			e.OnBehalf, e.OnBehalfURL = entName(id), enterpriseURL(id)
		}
		if id := r.EnterpriseID; id != 0 {
			e.Enterprise, e.EnterpriseURL = entName(id), enterpriseURL(id)
		}
		e.Entity = label(auditEntities, r.Entity)
		if r.EntityID != "" {
			e.Entity += " #" + r.EntityID
			e.HistoryURL = "/admin/audit?" + url.Values{"entity": {r.Entity}, "entity_id": {r.EntityID}}.Encode()
			if r.Entity == "enterprise" {
				if id, err := strconv.ParseInt(r.EntityID, 10, 64); err == nil {
					e.EntityURL = enterpriseURL(id)
				}
			}
		}
		out = append(out, e)
	}
	return out, nil
}
