package shop

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/web/view"
)

// The co-op's board: 공지사항 at /notices and 자료실 at /downloads, a post
// at /notices/:id (/downloads/:id) and its files below it. Drafts, and a
// post under the other kind's address, are not found.

func (s *server) mountBoard(r fiber.Router) {
	for _, k := range board.Kinds {
		r.Get(k.Path(), s.boardPage(k))
		r.Get(k.Path()+"/:id<int>", s.postPage(k))
		r.Get(k.Path()+"/:id<int>/files/:file<int>", s.postFile(k))
	}
}

// postItem is a post in a list.
type postItem struct {
	Title, URL, Date string
	Pinned           bool
	Files            int
}

func postItems(ps []*board.Post) []postItem {
	out := make([]postItem, 0, len(ps))
	for _, p := range ps {
		out = append(out, postItem{Title: p.Title, URL: p.URL(), Date: view.FormatDate(p.PublishedAt), Pinned: p.Pinned})
	}
	return out
}

type boardView struct {
	layout
	Kind, Other     string // labels
	OtherURL, Intro string
	Posts           []postItem
	Total           int
	Pager           view.Pager
}

const boardPerPage = 20

// boardPage lists kind's published posts, pinned first, then newest.
func (s *server) boardPage(kind board.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := view.QueryValues(c)
		if err != nil {
			return err
		}
		page, per, err := view.PageParams(v, boardPerPage, boardPerPage)
		if err != nil {
			return err
		}
		ps, total, err := s.Board.PublicPosts(c.UserContext(), kind, per, (page-1)*per)
		if err != nil {
			return err
		}
		other := board.Download
		pv := boardView{Kind: kind.Label(), Posts: postItems(ps), Total: total,
			Intro: "두레 사회적협동조합이 알려 드리는 소식입니다."}
		if kind == board.Download {
			other, pv.Intro = board.Notice, "입점 안내서, 우선구매 자료 같은 서식과 자료를 내려받을 수 있습니다."
		}
		pv.Other, pv.OtherURL = other.Label(), other.Path()
		pv.Pager = view.BuildPager(page, view.TotalPages(total, per, 1000), func(n int) string {
			if n == 1 {
				return kind.Path()
			}
			return kind.Path() + "?page=" + strconv.Itoa(n)
		})
		pv.Title, pv.Description = kind.Label(), pv.Intro
		return s.render(c, "shop/board", &pv)
	}
}

// fileItem is an attachment as a post's page lists it.
type fileItem struct {
	Name, URL, Size, Type string
}

type postView struct {
	layout
	Kind, KindURL, Date string
	PostTitle           string
	Body                template.HTML
	Files               []fileItem
}

// postPage shows a published post of kind.
func (s *server) postPage(kind board.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := view.ParseID(c.Params("id"), "글")
		if err != nil {
			return err
		}
		p, err := s.Board.Public(c.UserContext(), kind, id)
		if err != nil {
			return view.FriendlyNotFound(err, "찾는 글이 없습니다. 지워졌거나 주소가 바뀌었을 수 있어요.")
		}
		pv := postView{Kind: kind.Label(), KindURL: kind.Path(), Date: view.FormatDate(p.PublishedAt), PostTitle: p.Title,
			Body: view.PlainText(p.Body)}
		for _, f := range p.Files {
			pv.Files = append(pv.Files, fileItem{Name: f.Name, URL: p.URL() + "/files/" + strconv.FormatInt(f.ID, 10),
				Size: view.FileSize(f.Size), Type: fileTypeLabel(f.ContentType)})
		}
		pv.Title = p.Title + " — " + kind.Label()
		pv.Description = kind.Label() + ": " + p.Title
		return s.render(c, "shop/post", &pv)
	}
}

// fileTypeLabel names a stored file's type for the download link.
func fileTypeLabel(ct string) string {
	switch ct {
	case "application/pdf":
		return "PDF"
	case "image/jpeg":
		return "JPG"
	case "image/png":
		return "PNG"
	}
	return "파일"
}

// postFile sends an attachment of a published post of kind.
func (s *server) postFile(kind board.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := view.ParseID(c.Params("id"), "글")
		if err != nil {
			return err
		}
		fid, err := view.ParseID(c.Params("file"), "파일")
		if err != nil {
			return err
		}
		f, rc, err := s.Board.OpenFile(c.UserContext(), kind, id, fid, false)
		if err != nil {
			return err
		}
		return view.SendStored(c, f.Name, f.ContentType, rc)
	}
}
