package admin

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web/portal"
	"github.com/dure-coop/dure/internal/web/view"
)

// 공지사항 and 자료실: the operator writes posts (title, plain-text body,
// attachments through the blob store with the help desk's upload checks),
// pins them, publishes or keeps them as drafts, and deletes them.
// board.Service checks the operator and writes the audit log.

const navBoard = "board"

func (s *server) mountBoard(g fiber.Router) {
	g.Get("/board", s.boardPage)
	g.Get("/board/new", s.newPostPage)
	g.Post("/board/new", s.createPost)
	g.Get("/board/:id<int>", s.postPage)
	g.Post("/board/:id<int>", s.updatePost)
	g.Post("/board/:id<int>/publish", s.postToggle(func(id int64, c *fiber.Ctx) (*board.Post, error) {
		return s.Board.SetPublished(c.UserContext(), id, true)
	}, "post_published"))
	g.Post("/board/:id<int>/unpublish", s.postToggle(func(id int64, c *fiber.Ctx) (*board.Post, error) {
		return s.Board.SetPublished(c.UserContext(), id, false)
	}, "post_unpublished"))
	g.Post("/board/:id<int>/pin", s.postToggle(func(id int64, c *fiber.Ctx) (*board.Post, error) {
		return s.Board.SetPinned(c.UserContext(), id, true)
	}, "post_pinned"))
	g.Post("/board/:id<int>/unpin", s.postToggle(func(id int64, c *fiber.Ctx) (*board.Post, error) {
		return s.Board.SetPinned(c.UserContext(), id, false)
	}, "post_unpinned"))
	g.Post("/board/:id<int>/delete", s.deletePost)
	g.Get("/board/:id<int>/files/:file<int>", s.postFile)
}

type postRow struct {
	ID                     int64
	Title, Kind, Date, URL string
	PublicURL              string
	Pinned, Published      bool
}

type boardListView struct {
	layout
	Posts []postRow
	Total int
	Kinds []choice
	Pager view.Pager
}

func (s *server) boardPage(c *fiber.Ctx) error {
	v, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, per, err := view.PageParams(v, 50, 50)
	if err != nil {
		return err
	}
	kind := board.Kind(v.Get("kind"))
	if kind != "" && !kind.Valid() {
		return apperr.Errorf(apperr.Invalid, "게시판 종류가 올바르지 않습니다.")
	}
	ps, total, err := s.Board.Posts(c.UserContext(), board.Filter{Kind: kind, Limit: per, Offset: (page - 1) * per})
	if err != nil {
		return err
	}
	lv := &boardListView{Total: total, Kinds: []choice{{Value: "", Label: "전체", Checked: kind == ""}}}
	for _, k := range board.Kinds {
		lv.Kinds = append(lv.Kinds, choice{Value: string(k), Label: k.Label(), Checked: kind == k})
	}
	for _, p := range ps {
		r := postRow{ID: p.ID, Title: p.Title, Kind: p.Kind.Label(), URL: "/admin/board/" + strconv.FormatInt(p.ID, 10),
			Pinned: p.Pinned, Published: p.Published(), Date: view.FormatDate(p.CreatedAt)}
		if p.Published() {
			r.Date, r.PublicURL = view.FormatDate(p.PublishedAt), p.URL()
		}
		lv.Posts = append(lv.Posts, r)
	}
	lv.Pager = view.BuildPager(page, view.TotalPages(total, per, 1000), func(n int) string {
		u := "/admin/board?page=" + strconv.Itoa(n)
		if kind != "" {
			u += "&kind=" + string(kind)
		}
		return u
	})
	lv.Title, lv.Nav = "공지사항·자료실", navBoard
	return s.render(c, "admin/board", lv)
}

// postFileRow is an attachment on the form, with its remove box.
type postFileRow struct {
	ID              int64
	Name, Size, URL string
	Remove          bool
}

type postFormView struct {
	layout
	ID        int64
	Action    string
	F         board.Input
	Kinds     []choice
	Files     []postFileRow
	FileField portal.FileField
	MaxFiles  int
	Errors    map[string]string
	Problem   string
	PublicURL string
}

func (s *server) postForm(c *fiber.Ctx, v *postFormView, p *board.Post, status int) error {
	for _, k := range board.Kinds {
		v.Kinds = append(v.Kinds, choice{Value: string(k), Label: k.Label(), Checked: v.F.Kind == k})
	}
	v.F.Title, v.F.Body = textin.ForDisplay(v.F.Title), textin.ForDisplay(v.F.Body)
	v.Action, v.Title = "/admin/board/new", "새 글 쓰기"
	if v.ID != 0 {
		v.Action, v.Title = "/admin/board/"+strconv.FormatInt(v.ID, 10), "글 고치기"
	}
	if p != nil {
		remove := map[int64]bool{}
		for _, id := range v.F.Remove {
			remove[id] = true
		}
		for _, f := range p.Files {
			v.Files = append(v.Files, postFileRow{ID: f.ID, Name: f.Name, Size: view.FileSize(f.Size), Remove: remove[f.ID],
				URL: "/admin/board/" + strconv.FormatInt(p.ID, 10) + "/files/" + strconv.FormatInt(f.ID, 10)})
		}
		if p.Published() {
			v.PublicURL = p.URL()
		}
	}
	v.MaxFiles = board.MaxFiles
	v.FileField = portal.FileField{ID: "post-files", Err: v.Errors["files"], Max: helpdesk.MaxAttachments}
	v.Nav = navBoard
	c.Status(status)
	return s.render(c, "admin/post", v)
}

// readPost reads the form (files are read separately).
func readPost(c *fiber.Ctx) board.Input {
	in := board.Input{Kind: board.Kind(c.FormValue("kind")), Title: c.FormValue("title"), Body: c.FormValue("body"),
		Pinned: c.FormValue("pinned") == "1", Published: c.FormValue("status") == "published"}
	if form, err := c.MultipartForm(); err == nil {
		for _, s := range form.Value["remove"] {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				in.Remove = append(in.Remove, id)
			}
		}
	} else {
		for _, b := range c.Request().PostArgs().PeekMulti("remove") {
			if id, err := strconv.ParseInt(string(b), 10, 64); err == nil {
				in.Remove = append(in.Remove, id)
			}
		}
	}
	return in
}

func (s *server) newPostPage(c *fiber.Ctx) error {
	kind := board.Kind(c.Query("kind"))
	if !kind.Valid() {
		kind = board.Notice
	}
	return s.postForm(c, &postFormView{F: board.Input{Kind: kind}}, nil, fiber.StatusOK)
}

// refusedPost shows the form again with the messages of an Invalid error
// (422), the input kept (files must be chosen again); other errors go to
// the error page.
func (s *server) refusedPost(c *fiber.Ctx, v *postFormView, p *board.Post, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Unavailable) {
		return err
	}
	v.Errors, v.Problem = ae.Fields, ae.Message
	if v.Errors == nil && ae.Code == apperr.Unavailable {
		v.Errors = map[string]string{"files": ae.Message}
	}
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Unavailable {
		status = fiber.StatusServiceUnavailable
	}
	return s.postForm(c, v, p, status)
}

func (s *server) createPost(c *fiber.Ctx) error {
	in := readPost(c)
	ups, err := portal.Uploads(c)
	if err != nil {
		return err
	}
	in.Files = ups
	p, err := s.Board.Create(c.UserContext(), in)
	if err != nil {
		in.Files = nil
		return s.refusedPost(c, &postFormView{F: in}, nil, err)
	}
	return redirectDone(c, "/admin/board/"+strconv.FormatInt(p.ID, 10), "post_saved")
}

func (s *server) postPage(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	p, err := s.Board.Post(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return s.postForm(c, &postFormView{ID: p.ID, F: board.InputOf(p)}, p, fiber.StatusOK)
}

func (s *server) updatePost(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	in := readPost(c)
	ups, err := portal.Uploads(c)
	if err != nil {
		return err
	}
	in.Files = ups
	if _, err := s.Board.Update(c.UserContext(), int64(id), in); err != nil {
		p, ferr := s.Board.Post(c.UserContext(), int64(id))
		if ferr != nil {
			return ferr
		}
		in.Files = nil
		return s.refusedPost(c, &postFormView{ID: p.ID, F: in}, p, err)
	}
	return redirectDone(c, "/admin/board/"+strconv.Itoa(id), "post_saved")
}

// postToggle answers the list's and the form's one-click changes
// (publish, unpublish, pin, unpin), back to where the form was.
func (s *server) postToggle(change func(id int64, c *fiber.Ctx) (*board.Post, error), done string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, _ := c.ParamsInt("id")
		if _, err := change(int64(id), c); err != nil {
			return err
		}
		return redirectDone(c, backTo(c, "/admin/board/"+strconv.Itoa(id)), done)
	}
}

func (s *server) deletePost(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	if err := s.Board.Delete(c.UserContext(), int64(id)); err != nil {
		return err
	}
	return redirectDone(c, "/admin/board", "post_deleted")
}

// postFile sends an attachment of any post, drafts included.
func (s *server) postFile(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	fid, _ := c.ParamsInt("file")
	f, rc, err := s.Board.OpenFile(c.UserContext(), "", int64(id), int64(fid), true)
	if err != nil {
		return err
	}
	return view.SendStored(c, f.Name, f.ContentType, rc)
}
