package admin

import (
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/web/portal"
	"github.com/dure-coop/dure/internal/web/view"
)

// The help desk (애로 상담) in the console: the inbox of requests (open ones
// oldest first, by category and assignee), a request's page (thread with
// internal notes, assignee and status, reply or note, acting on the
// enterprise's behalf for the request, and what was changed so), and the
// monthly count by category.

func (s *server) mountHelpdesk(g fiber.Router) {
	g.Get("/help", s.helpInbox)
	g.Get("/help/stats", s.helpStats)
	g.Get("/help/stats.csv", s.helpStatsCSV)
	g.Get("/help/:id<int>", s.helpPage)
	g.Post("/help/:id<int>/update", s.helpUpdate)
	g.Post("/help/:id<int>/reply", s.helpReply)
	g.Post("/help/:id<int>/act", s.helpAct)
	g.Get("/help/:id<int>/files/:file<int>", func(c *fiber.Ctx) error { return portal.SendHelpFile(c, s.Helpdesk, false) })
}

func adminHelpURL(id int64, done string) string {
	u := "/admin/help/" + strconv.FormatInt(id, 10)
	if done != "" {
		u += "?done=" + done
	}
	return u
}

type selectOption struct {
	Value, Label string
	Selected     bool
}

type inboxRow struct {
	URL, Title, Enterprise, Category, Status, StatusLabel, Opened, Age, Assignee string
}

type inboxView struct {
	layout
	Rows                          []inboxRow
	Total                         int
	Pager                         view.Pager
	States, Categories, Assignees []selectOption
}

const inboxPerPage = 30

// helpInbox is GET /admin/help (?state=open|received|in_progress|done|all,
// category, assignee=<id>|none): open requests oldest first by default.
func (s *server) helpInbox(c *fiber.Ctx) error {
	ctx := c.UserContext()
	q, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(q, inboxPerPage, inboxPerPage)
	if err != nil {
		return err
	}
	state, cat, asg := q.Get("state"), q.Get("category"), q.Get("assignee")
	f := helpdesk.Filter{Limit: inboxPerPage, Offset: (page - 1) * inboxPerPage, OldestFirst: true}
	switch st := helpdesk.Status(state); {
	case state == "all":
		f.OldestFirst = false
	case st.Valid():
		f.Status = st
		f.OldestFirst = st != helpdesk.Done
	default:
		state, f.Open = "open", true
	}
	if c := helpdesk.Category(cat); c.Valid() {
		f.Category = c
	} else {
		cat = ""
	}
	if asg == "none" {
		f.Unassigned = true
	} else if id, err := strconv.ParseInt(asg, 10, 64); err == nil && id > 0 {
		f.AssigneeID = id
	} else {
		asg = ""
	}
	list, total, err := s.Helpdesk.FindRequests(ctx, f, false)
	if err != nil {
		return err
	}
	ops, err := s.Helpdesk.Operators(ctx)
	if err != nil {
		return err
	}
	v := &inboxView{Total: total}
	v.Title, v.Nav = "애로 상담", navHelp
	for _, o := range []struct{ v, l string }{{"open", "처리 전·처리 중"}, {"received", "접수"}, {"in_progress", "처리 중"}, {"done", "완료"}, {"all", "전체"}} {
		v.States = append(v.States, selectOption{o.v, o.l, o.v == state})
	}
	v.Categories = append(v.Categories, selectOption{"", "전체", cat == ""})
	for _, k := range helpdesk.Categories {
		v.Categories = append(v.Categories, selectOption{string(k), k.Label(), string(k) == cat})
	}
	v.Assignees = append(v.Assignees, selectOption{"", "전체", asg == ""}, selectOption{"none", "담당자 없음", asg == "none"})
	for _, o := range ops {
		id := strconv.FormatInt(o.ID, 10)
		v.Assignees = append(v.Assignees, selectOption{id, o.Name, id == asg})
	}
	now := time.Now()
	for _, r := range list {
		row := inboxRow{URL: adminHelpURL(r.ID, ""), Title: r.Title, Enterprise: r.EnterpriseName, Category: r.Category.Label(),
			Status: string(r.Status), StatusLabel: r.Status.Label(), Opened: view.FormatDateTime(r.CreatedAt),
			Age: age(now.Sub(r.CreatedAt)), Assignee: r.AssigneeName}
		if row.Assignee == "" {
			row.Assignee = "없음"
		}
		v.Rows = append(v.Rows, row)
	}
	link := url.Values{"state": {state}, "category": {cat}, "assignee": {asg}}
	v.Pager = view.BuildPager(page, view.TotalPages(total, inboxPerPage, 1000), func(n int) string {
		link.Set("page", strconv.Itoa(n))
		return "/admin/help?" + link.Encode()
	})
	return s.render(c, "admin/help_inbox", v)
}

// age says how long a request has waited, as people say it.
func age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return strconv.Itoa(max(int(d.Minutes()), 0)) + "분"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + "시간"
	}
	return strconv.Itoa(int(d.Hours()/24)) + "일"
}

type helpChange struct{ At, Action, Entity, Who string }

type helpAdminView struct {
	layout
	ID                                             int64
	ReqTitle, Enterprise, EnterpriseURL, Category  string
	Subject, Status, StatusLabel, Opened, OpenedBy string
	Messages                                       []portal.HelpMessage
	Statuses, Assignees                            []selectOption
	Changes                                        []helpChange
	Body                                           string
	Note                                           bool
	Err                                            map[string]string
	Problem                                        string
	Files                                          portal.FileField
}

var helpDoneMessages = map[string]string{
	"help_updated": "담당자와 상태를 저장했습니다.",
	"help_replied": "답변을 보냈습니다. 기업의 구성원에게 메일로 알렸습니다.",
	"help_noted":   "내부 메모를 남겼습니다. 기업에는 보이지 않습니다.",
}

func (s *server) renderHelp(c *fiber.Ctx, id int64, v *helpAdminView, status int) error {
	ctx := c.UserContext()
	r, err := s.Helpdesk.FindRequest(ctx, id, false)
	if err != nil {
		return err
	}
	ops, err := s.Helpdesk.Operators(ctx)
	if err != nil {
		return err
	}
	v.Title, v.Nav = r.Title+" - 애로 상담", navHelp
	v.ID, v.ReqTitle, v.Enterprise, v.EnterpriseURL = r.ID, r.Title, r.EnterpriseName, enterpriseURL(r.EnterpriseID)
	v.Category, v.Subject, v.Status, v.StatusLabel = r.Category.Label(), r.Subject, string(r.Status), r.Status.Label()
	v.Opened, v.OpenedBy = view.FormatDateTime(r.CreatedAt), r.OpenedByName
	v.Messages = portal.HelpThread(r, adminHelpURL(r.ID, ""))
	v.Files = portal.FileField{ID: "a-files", Err: v.Err["files"], Max: helpdesk.MaxAttachments}
	for _, st := range helpdesk.Statuses {
		if st == r.Status || r.Status.CanMoveTo(st) {
			v.Statuses = append(v.Statuses, selectOption{string(st), st.Label(), st == r.Status})
		}
	}
	v.Assignees = append(v.Assignees, selectOption{"", "담당자 없음", r.AssigneeID == 0})
	for _, o := range ops {
		v.Assignees = append(v.Assignees, selectOption{strconv.FormatInt(o.ID, 10), o.Name, o.ID == r.AssigneeID})
	}
	recs, _, err := s.Accounts.FindAuditLog(ctx, account.AuditFilter{HelpRequestID: r.ID, Limit: 100})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.Entity == "help_request" {
			continue // the thread and the status say it
		}
		v.Changes = append(v.Changes, helpChange{At: view.FormatDateTime(rec.At), Action: rec.Action,
			Entity: rec.Entity + " " + rec.EntityID, Who: "운영자 #" + strconv.FormatInt(rec.ActorUserID, 10)})
	}
	if msg := helpDoneMessages[c.Query("done")]; msg != "" {
		v.Done = msg
	}
	c.Status(status)
	return s.render(c, "admin/help", v)
}

// helpPage is GET /admin/help/:id.
func (s *server) helpPage(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상담")
	if err != nil {
		return err
	}
	return s.renderHelp(c, id, &helpAdminView{}, fiber.StatusOK)
}

func formErrors(err error) (map[string]string, string, error) {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		return ae.Fields, ae.Message, nil
	}
	return nil, "", err
}

// helpUpdate is POST /admin/help/:id/update (status, assignee_id).
func (s *server) helpUpdate(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상담")
	if err != nil {
		return err
	}
	var assignee int64
	if a := c.FormValue("assignee_id"); a != "" {
		if assignee, err = strconv.ParseInt(a, 10, 64); err != nil || assignee <= 0 {
			assignee = -1
		}
	}
	if err := s.Helpdesk.Update(c.UserContext(), id, helpdesk.Status(c.FormValue("status")), assignee); err != nil {
		fields, msg, err := formErrors(err)
		if err != nil {
			return err
		}
		return s.renderHelp(c, id, &helpAdminView{Err: fields, Problem: msg}, fiber.StatusUnprocessableEntity)
	}
	return c.Redirect(adminHelpURL(id, "help_updated"), fiber.StatusSeeOther)
}

// helpReply is POST /admin/help/:id/reply (multipart: body, kind=reply|note,
// status, files).
func (s *server) helpReply(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상담")
	if err != nil {
		return err
	}
	ups, err := portal.Uploads(c)
	if err != nil {
		return err
	}
	body, note := c.FormValue("body"), c.FormValue("kind") == "note"
	in := helpdesk.ReplyInput{Body: body, Note: note, Status: helpdesk.Status(c.FormValue("status")), Attachments: ups}
	if _, err := s.Helpdesk.Reply(c.UserContext(), id, in, false); err != nil {
		fields, msg, err := formErrors(err)
		if err != nil {
			return err
		}
		return s.renderHelp(c, id, &helpAdminView{Body: body, Note: note, Err: fields, Problem: msg}, fiber.StatusUnprocessableEntity)
	}
	done := "help_replied"
	if note {
		done = "help_noted"
	}
	return c.Redirect(adminHelpURL(id, done)+"#reply", fiber.StatusSeeOther)
}

// helpAct is POST /admin/help/:id/act: acting on the request's enterprise's
// behalf, the session carrying the request so that every change made while
// acting is tied to it in the audit log.
func (s *server) helpAct(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상담")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	r, err := s.Helpdesk.FindRequest(ctx, id, false)
	if err != nil {
		return err
	}
	sid, err := s.Accounts.StartActingForRequest(ctx, r.EnterpriseID, r.ID)
	if err != nil {
		return err
	}
	s.kit.StartSession(c, account.FromContext(ctx), sid)
	return c.Redirect("/portal", fiber.StatusSeeOther)
}

type statsView struct {
	layout
	Categories []string
	Rows       []statsRow
	Totals     []int
	Total      int
}

type statsRow struct {
	Month  string
	Counts []int
	Total  int
}

func (s *server) monthly(c *fiber.Ctx) (*statsView, error) {
	months, err := s.Helpdesk.MonthlyCounts(c.UserContext(), 12)
	if err != nil {
		return nil, err
	}
	v := &statsView{Totals: make([]int, len(helpdesk.Categories))}
	for _, k := range helpdesk.Categories {
		v.Categories = append(v.Categories, k.Label())
	}
	for i := len(months) - 1; i >= 0; i-- { // newest first
		m := months[i]
		row := statsRow{Month: m.Month.Format("2006.01"), Total: m.Total}
		for j, k := range helpdesk.Categories {
			row.Counts = append(row.Counts, m.Counts[k])
			v.Totals[j] += m.Counts[k]
		}
		v.Total += m.Total
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// helpStats is GET /admin/help/stats: requests opened per month (KST) and
// category, the last 12 months.
func (s *server) helpStats(c *fiber.Ctx) error {
	v, err := s.monthly(c)
	if err != nil {
		return err
	}
	v.Title, v.Nav = "애로 상담 월별 통계", navHelp
	return s.render(c, "admin/help_stats", v)
}

// helpStatsCSV is GET /admin/help/stats.csv: the same table (UTF-8 with a
// byte-order mark, for Excel).
func (s *server) helpStatsCSV(c *fiber.Ctx) error {
	v, err := s.monthly(c)
	if err != nil {
		return err
	}
	rows := [][]string{append(append([]string{"월"}, v.Categories...), "합계")}
	for _, r := range v.Rows {
		rec := []string{r.Month}
		for _, n := range r.Counts {
			rec = append(rec, strconv.Itoa(n))
		}
		rows = append(rows, append(rec, strconv.Itoa(r.Total)))
	}
	return view.SendCSV(c, "dure-helpdesk-monthly.csv", view.CSVBytes(rows))
}
