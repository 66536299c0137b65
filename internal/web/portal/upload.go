package portal

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// The CSV upload: a file is previewed (what it would create, change or
// leave, and every bad row), then applied when confirmed. Between the two
// the file is kept in the blob store under "portal-uploads/<enterprise>/
// <random id>.csv" — never served (/media/u/ serves image keys only) — and
// the confirmation posts that id with the preview's token, so the file is
// not sent twice and what is applied is what was previewed: ApplyUpload
// refuses (Conflict) when the products changed since. The kept file is
// deleted once applied, or at once when the preview found problems; a
// preview never confirmed stays in the store (a clean-up by age is still to
// be written).

// mountUpload registers the upload routes (before the product :id routes).
func (s *server) mountUpload(g fiber.Router) {
	g.Get("/products/upload", s.uploadPage)
	g.Post("/products/upload", s.uploadPreview)
	g.Post("/products/upload/apply", s.uploadApply)
	g.Get("/products/upload/template.csv", s.uploadTemplate)
	g.Get("/products/upload/export.csv", s.uploadExport)
}

// uploadIDs are the ids of kept uploads (web.RandomToken(16)).
var uploadIDs = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

func uploadKey(enterpriseID int64, id string) string {
	return "portal-uploads/" + strconv.FormatInt(enterpriseID, 10) + "/" + id + ".csv"
}

// rowProblem is one problem of an upload as the page lists it.
type rowProblem struct {
	Line    int
	Column  string
	Message string
}

// uploadRow is a row of the preview that creates or changes a product.
type uploadRow struct {
	Line    int
	Code    string
	Name    string
	Action  string // 새로 등록, 변경
	Create  bool
	EditURL string // after applying
	Changes []catalog.FieldChange
}

type uploadView struct {
	layout
	FileErr   string // the file field's error
	Problem   string
	Problems  []rowProblem
	Rows      []uploadRow
	Counts    catalog.ImportCounts
	UploadID  string
	Token     string
	CanApply  bool
	Previewed bool
	FileName  string
}

// uploadPage is GET /portal/products/upload.
func (s *server) uploadPage(c *fiber.Ctx) error {
	return s.renderUpload(c, "portal/upload", &uploadView{}, fiber.StatusOK)
}

func (s *server) renderUpload(c *fiber.Ctx, page string, v *uploadView, status int) error {
	v.Title, v.Nav = "상품 일괄 등록", navUpload
	c.Status(status)
	return s.render(c, page, v)
}

// uploadTemplate is GET /portal/products/upload/template.csv: the empty
// file with the header row (UTF-8 with a byte-order mark, for Excel).
func (s *server) uploadTemplate(c *fiber.Ctx) error {
	return view.SendCSV(c, "dure-products-template.csv", catalog.CSVTemplate())
}

// uploadExport is GET /portal/products/upload/export.csv: the enterprise's
// products as an upload file, to edit and upload again.
func (s *server) uploadExport(c *fiber.Ctx) error {
	var b bytes.Buffer
	if err := s.Manager.ExportCSV(c.UserContext(), enterprise(c).ID, &b); err != nil {
		return err
	}
	return view.SendCSV(c, "dure-products.csv", b.Bytes())
}

// spreadsheet magic numbers: a workbook saved as .xlsx (zip) or .xls (OLE).
var workbookMagic = [][]byte{[]byte("PK\x03\x04"), {0xd0, 0xcf, 0x11, 0xe0}}

// uploadPreview is POST /portal/products/upload (multipart: file): it keeps
// the file and shows what applying it would do, writing nothing.
func (s *server) uploadPreview(c *fiber.Ctx) error {
	if s.Blobs == nil {
		return fiber.ErrServiceUnavailable
	}
	v := &uploadView{}
	fh, err := c.FormFile("file")
	switch {
	case err != nil || fh.Size == 0:
		v.FileErr = "올릴 CSV 파일을 선택해 주세요."
	case fh.Size > catalog.MaxUploadBytes:
		v.FileErr = "파일이 너무 큽니다. 10MB 이하로 나누어 올려 주세요."
	}
	if v.FileErr != "" {
		return s.renderUpload(c, "portal/upload", v, fiber.StatusUnprocessableEntity)
	}
	v.FileName = fh.Filename
	f, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, catalog.MaxUploadBytes+1))
	f.Close()
	if err != nil {
		return err
	}
	for _, m := range workbookMagic {
		if bytes.HasPrefix(data, m) {
			v.FileErr = "엑셀 통합 문서(.xlsx, .xls)는 읽을 수 없습니다. 엑셀에서 '다른 이름으로 저장' → 'CSV UTF-8' 또는 'CSV (쉼표로 분리)'로 저장해 올려 주세요."
			return s.renderUpload(c, "portal/upload", v, fiber.StatusUnprocessableEntity)
		}
	}
	ctx := c.UserContext()
	ent := enterprise(c).ID
	preview, err := s.Manager.PreviewUpload(ctx, ent, bytes.NewReader(data))
	if err != nil {
		if apperr.Code(err) != apperr.Invalid {
			return err
		}
		v.FileErr = apperr.Message(err)
		return s.renderUpload(c, "portal/upload", v, fiber.StatusUnprocessableEntity)
	}
	fillPreview(v, preview)
	if !preview.OK() {
		v.Problem = "파일에서 문제 " + strconv.Itoa(len(v.Problems)) + "곳을 찾았습니다. 아무것도 반영하지 않았습니다. 고친 파일을 다시 올려 주세요."
		return s.renderUpload(c, "portal/upload_preview", v, fiber.StatusUnprocessableEntity)
	}
	if v.Counts.Created+v.Counts.Updated > 0 {
		v.UploadID = web.RandomToken(16)
		if err := s.Blobs.Put(ctx, uploadKey(ent, v.UploadID), bytes.NewReader(data), "text/csv"); err != nil {
			return err
		}
		v.CanApply = true
	}
	return s.renderUpload(c, "portal/upload_preview", v, fiber.StatusOK)
}

// fillPreview puts a preview's rows and problems on the page.
func fillPreview(v *uploadView, p *catalog.UploadPreview) {
	v.Previewed, v.Counts, v.Token = true, p.Counts, p.Token
	v.Problems = problemsOf(p.Errors)
	for _, r := range p.Rows {
		switch r.Action {
		case catalog.UploadCreate:
			v.Rows = append(v.Rows, uploadRow{Line: r.Line, Code: r.Code, Name: r.Name, Action: "새로 등록", Create: true, Changes: r.Changes})
		case catalog.UploadUpdate:
			v.Rows = append(v.Rows, uploadRow{Line: r.Line, Code: r.Code, Name: r.Name, Action: "변경", Changes: r.Changes,
				EditURL: editURL(r.ProductID, "")})
		}
	}
}

func problemsOf(errs []catalog.RowError) []rowProblem {
	out := make([]rowProblem, 0, len(errs))
	for _, e := range errs {
		col := ""
		if e.Field != "" {
			col = catalog.CSVColumnLabel(e.Field)
		}
		out = append(out, rowProblem{Line: e.Line, Column: col, Message: e.Message})
	}
	return out
}

// uploadApply is POST /portal/products/upload/apply (upload, token): it
// applies the kept file, all or nothing.
func (s *server) uploadApply(c *fiber.Ctx) error {
	if s.Blobs == nil {
		return fiber.ErrServiceUnavailable
	}
	id, token := c.FormValue("upload"), c.FormValue("token")
	v := &uploadView{}
	if !uploadIDs.MatchString(id) {
		v.FileErr = "확인할 파일 정보가 없습니다. 파일을 다시 올려 주세요."
		return s.renderUpload(c, "portal/upload", v, fiber.StatusUnprocessableEntity)
	}
	ctx := c.UserContext()
	ent := enterprise(c).ID
	key := uploadKey(ent, id)
	rc, _, err := s.Blobs.Open(ctx, key)
	if err != nil {
		if apperr.Code(err) != apperr.NotFound {
			return err
		}
		v.FileErr = "이미 반영했거나 오래된 미리보기입니다. 파일을 다시 올려 주세요."
		return s.renderUpload(c, "portal/upload", v, fiber.StatusConflict)
	}
	preview, err := s.Manager.ApplyUpload(ctx, ent, rc, token)
	rc.Close()
	var ie *catalog.ImportError
	switch {
	case errors.As(err, &ie):
		s.dropUpload(c, key)
		v.Previewed, v.Problems = true, problemsOf(ie.Rows)
		v.Problem = "반영하는 중에 문제 " + strconv.Itoa(len(v.Problems)) + "곳을 찾았습니다. 아무것도 반영하지 않았습니다. 고친 파일을 다시 올려 주세요."
		return s.renderUpload(c, "portal/upload_preview", v, fiber.StatusUnprocessableEntity)
	case apperr.Code(err) == apperr.Conflict:
		s.dropUpload(c, key)
		v.FileErr = apperr.Message(err)
		return s.renderUpload(c, "portal/upload", v, fiber.StatusConflict)
	case err != nil:
		return err
	}
	s.dropUpload(c, key)
	fillPreview(v, preview)
	for i := range v.Rows {
		if v.Rows[i].Create {
			for _, r := range preview.Rows {
				if r.Line == v.Rows[i].Line && r.ProductID != 0 {
					v.Rows[i].EditURL = editURL(r.ProductID, "")
				}
			}
		}
	}
	v.Done = done["applied"]
	return s.renderUpload(c, "portal/upload_done", v, fiber.StatusOK)
}

// dropUpload deletes a kept upload; a failure only leaves a file behind.
func (s *server) dropUpload(c *fiber.Ctx, key string) {
	if err := s.Blobs.Delete(c.UserContext(), key); err != nil {
		s.kit.Log.Warn("portal: delete kept upload", "request_id", web.RequestID(c), "key", key, "err", err)
	}
}
