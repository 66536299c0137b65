package portal

import (
	"errors"
	"io"
	"mime"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/web/view"
)

// The help desk (애로 상담): the enterprise's requests to the co-op, a form
// to open one and each request's thread with a reply form. helpdesk.Service
// scopes every read to the actor's enterprise and leaves the operators'
// notes out.

// mountHelpdesk registers the help desk screens on the /portal group.
func (s *server) mountHelpdesk(g fiber.Router) {
	g.Get("/help", s.needHelpdesk, s.helpListPage)
	g.Get("/help/new", s.needHelpdesk, s.helpNewPage)
	g.Post("/help/new", s.needHelpdesk, s.helpOpen)
	g.Get("/help/:id<int>", s.needHelpdesk, s.helpPage)
	g.Post("/help/:id<int>/reply", s.needHelpdesk, s.helpReply)
	g.Get("/help/:id<int>/files/:file<int>", s.needHelpdesk, s.helpFile)
}

func (s *server) needHelpdesk(c *fiber.Ctx) error {
	if s.Helpdesk == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

func helpURL(id int64, done string) string {
	u := "/portal/help/" + strconv.FormatInt(id, 10)
	if done != "" {
		u += "?done=" + done
	}
	return u
}

var helpDone = map[string]string{
	"opened":  "상담 글을 보냈습니다. 협동조합 운영자가 답하면 메일로 알려 드립니다.",
	"replied": "글을 더했습니다.",
}

// helpRow is a request of the list.
type helpRow struct {
	URL, Title, Category, Status, StatusLabel, Opened, Updated string
}

type helpListView struct {
	layout
	Rows  []helpRow
	Total int
	Pager view.Pager
}

const helpPerPage = 20

// helpListPage is GET /portal/help: the enterprise's requests, newest first.
func (s *server) helpListPage(c *fiber.Ctx) error {
	q, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(q, helpPerPage, helpPerPage)
	if err != nil {
		return err
	}
	list, total, err := s.Helpdesk.FindRequests(c.UserContext(), helpdesk.Filter{Limit: helpPerPage, Offset: (page - 1) * helpPerPage}, true)
	if err != nil {
		return err
	}
	v := &helpListView{Total: total, Pager: view.BuildPager(page, view.TotalPages(total, helpPerPage, 1000),
		func(n int) string { return "/portal/help?page=" + strconv.Itoa(n) })}
	v.Title, v.Nav = "애로 상담", navHelp
	for _, r := range list {
		v.Rows = append(v.Rows, helpRow{URL: helpURL(r.ID, ""), Title: r.Title, Category: r.Category.Label(),
			Status: string(r.Status), StatusLabel: r.Status.Label(), Opened: view.FormatDateTime(r.CreatedAt), Updated: view.FormatDateTime(r.UpdatedAt)})
	}
	return s.render(c, "portal/help_list", v)
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

type helpForm struct {
	Category, Title, Body, ProductID, SubOrderID string
}

type helpNewView struct {
	layout
	Form       helpForm
	Err        map[string]string
	Problem    string
	Categories []option
	Products   []option
	Orders     []option
	Files      FileField
}

// FileField is the data of the help_files partial.
type FileField struct {
	ID, Err string
	Max     int
}

func (s *server) renderHelpNew(c *fiber.Ctx, v *helpNewView, status int) error {
	subj, err := s.Helpdesk.Subjects(c.UserContext())
	if err != nil {
		return err
	}
	v.Title, v.Nav = "새 상담", navHelp
	v.Files = FileField{ID: "h-files", Err: v.Err["files"], Max: helpdesk.MaxAttachments}
	for _, cat := range helpdesk.Categories {
		v.Categories = append(v.Categories, option{string(cat), cat.Label(), string(cat) == v.Form.Category})
	}
	for _, p := range subj.Products {
		id := strconv.FormatInt(p.ID, 10)
		v.Products = append(v.Products, option{id, p.Label, id == v.Form.ProductID})
	}
	for _, o := range subj.Orders {
		id := strconv.FormatInt(o.ID, 10)
		v.Orders = append(v.Orders, option{id, o.Label, id == v.Form.SubOrderID})
	}
	c.Status(status)
	return s.render(c, "portal/help_new", v)
}

// helpNewPage is GET /portal/help/new (?product= or ?order= preselects).
func (s *server) helpNewPage(c *fiber.Ctx) error {
	return s.renderHelpNew(c, &helpNewView{Form: helpForm{ProductID: c.Query("product"), SubOrderID: c.Query("order"),
		Category: c.Query("category")}}, fiber.StatusOK)
}

// Uploads reads the form's "files" (none chosen: an empty list).
func Uploads(c *fiber.Ctx) ([]helpdesk.Upload, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, nil //nolint:nilerr // a urlencoded form has no files
	}
	var out []helpdesk.Upload
	for _, fh := range form.File["files"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue // the browser's empty file field
		}
		if fh.Size > helpdesk.MaxAttachmentSize {
			out = append(out, helpdesk.Upload{Name: fh.Filename, Data: make([]byte, helpdesk.MaxAttachmentSize+1)})
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, helpdesk.MaxAttachmentSize+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, helpdesk.Upload{Name: fh.Filename, Data: data})
	}
	return out, nil
}

// formID reads an optional id field ("" → 0; anything else not a number →
// -1, which no product or order has).
func formID(s string) int64 {
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return -1
	}
	return n
}

// fieldErrors returns an Invalid error's field messages and message; other
// errors come back as they are.
func fieldErrors(err error) (map[string]string, string, error) {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		return ae.Fields, ae.Message, nil
	}
	return nil, "", err
}

// helpOpen is POST /portal/help/new (multipart: category, title, body,
// product_id, sub_order_id, files).
func (s *server) helpOpen(c *fiber.Ctx) error {
	form := helpForm{Category: c.FormValue("category"), Title: c.FormValue("title"), Body: c.FormValue("body"),
		ProductID: c.FormValue("product_id"), SubOrderID: c.FormValue("sub_order_id")}
	ups, err := Uploads(c)
	if err != nil {
		return err
	}
	r, err := s.Helpdesk.Open(c.UserContext(), helpdesk.OpenInput{Category: helpdesk.Category(form.Category), Title: form.Title,
		Body: form.Body, ProductID: formID(form.ProductID), SubOrderID: formID(form.SubOrderID), Attachments: ups})
	if err != nil {
		fields, msg, err := fieldErrors(err)
		if err != nil {
			return err
		}
		return s.renderHelpNew(c, &helpNewView{Form: form, Err: fields, Problem: msg}, fiber.StatusUnprocessableEntity)
	}
	return c.Redirect(helpURL(r.ID, "opened"), fiber.StatusSeeOther)
}

// HelpMessage is a message of a thread as the pages show it (the console's
// too).
type HelpMessage struct {
	ID               int64
	Author, Role, At string
	Body             string
	Operator, Note   bool
	Files            []HelpFile
}

// HelpFile is an attachment as the pages show it.
type HelpFile struct {
	URL, Name, Size string
	Image           bool
}

// HelpThread turns a request's thread into the pages' messages; base is
// the request's address (its files are base/files/<id>).
func HelpThread(r *helpdesk.Request, base string) []HelpMessage {
	out := make([]HelpMessage, 0, len(r.Messages))
	for _, m := range r.Messages {
		hm := HelpMessage{ID: m.ID, Author: m.AuthorName, At: view.FormatDateTime(m.CreatedAt), Body: m.Body,
			Operator: m.AuthorRole == "operator", Note: m.Kind == helpdesk.Note}
		hm.Role = "입점기업"
		if hm.Operator {
			hm.Role = "협동조합"
		}
		if hm.Author == "" {
			hm.Author = "(탈퇴한 회원)"
		}
		for _, a := range m.Attachments {
			hm.Files = append(hm.Files, HelpFile{URL: base + "/files/" + strconv.FormatInt(a.ID, 10), Name: a.Name,
				Size: view.FileSize(a.Size), Image: a.IsImage()})
		}
		out = append(out, hm)
	}
	return out
}

type helpView struct {
	layout
	ID                          int64
	ReqTitle, Category, Subject string
	Status, StatusLabel, Opened string
	Messages                    []HelpMessage
	Body                        string
	Err                         map[string]string
	Problem                     string
	Files                       FileField
	IsDone                      bool
}

func (s *server) renderHelp(c *fiber.Ctx, id int64, v *helpView, status int) error {
	r, err := s.Helpdesk.FindRequest(c.UserContext(), id, true)
	if err != nil {
		return err
	}
	v.Title, v.Nav = r.Title+" - 애로 상담", navHelp
	v.ID, v.ReqTitle, v.Category, v.Subject = r.ID, r.Title, r.Category.Label(), r.Subject
	v.Status, v.StatusLabel, v.Opened, v.IsDone = string(r.Status), r.Status.Label(), view.FormatDateTime(r.CreatedAt), r.Status == helpdesk.Done
	v.Messages = HelpThread(r, helpURL(r.ID, ""))
	v.Files = FileField{ID: "r-files", Err: v.Err["files"], Max: helpdesk.MaxAttachments}
	if v.Done == "" {
		v.Done = helpDone[c.Query("done")]
	}
	c.Status(status)
	return s.render(c, "portal/help", v)
}

// helpPage is GET /portal/help/:id.
func (s *server) helpPage(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상담")
	if err != nil {
		return err
	}
	return s.renderHelp(c, id, &helpView{}, fiber.StatusOK)
}

// helpReply is POST /portal/help/:id/reply (multipart: body, files).
func (s *server) helpReply(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "상담")
	if err != nil {
		return err
	}
	ups, err := Uploads(c)
	if err != nil {
		return err
	}
	body := c.FormValue("body")
	if _, err := s.Helpdesk.Reply(c.UserContext(), id, helpdesk.ReplyInput{Body: body, Attachments: ups}, true); err != nil {
		fields, msg, err := fieldErrors(err)
		if err != nil {
			return err
		}
		return s.renderHelp(c, id, &helpView{Body: body, Err: fields, Problem: msg}, fiber.StatusUnprocessableEntity)
	}
	return c.Redirect(helpURL(id, "replied")+"#reply", fiber.StatusSeeOther)
}

// helpFile is GET /portal/help/:id/files/:file: an attachment, images
// inline and PDFs as downloads, never cached by shared caches.
func (s *server) helpFile(c *fiber.Ctx) error {
	return SendHelpFile(c, s.Helpdesk, true)
}

// SendHelpFile answers an attachment route (:id, :file) of the portal
// (portal true) or the console.
func SendHelpFile(c *fiber.Ctx, svc *helpdesk.Service, portal bool) error {
	id, err := view.ParseID(c.Params("id"), "상담")
	if err != nil {
		return err
	}
	fid, err := view.ParseID(c.Params("file"), "파일")
	if err != nil {
		return err
	}
	at, rc, err := svc.OpenAttachment(c.UserContext(), id, fid, portal)
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	disp := "inline"
	if !at.IsImage() {
		disp = "attachment"
	}
	c.Set(fiber.HeaderContentType, at.ContentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType(disp, map[string]string{"filename": at.Name}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(data)
}
