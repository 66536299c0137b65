package admin

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

// Joint products (공동상품): the operator lists bundles, creates one from
// parts of several enterprises with each part's share of the price, and
// puts a bundle on or off sale. Every write goes through catalog.Bundles,
// which checks the operator and records the audit log.

// bundleFormRows is how many part rows the form offers.
const bundleFormRows = 5

type bundlePartForm struct {
	N                                int // 1-based row number (field names part_N_…)
	Product, Option, Quantity, Share string
}

type bundleForm struct {
	Name, Summary, Description, Category, Price string
	Publish                                     bool
	Parts                                       []bundlePartForm
}

type bundlePartRow struct {
	Name, Enterprise, Quantity, Share, Stock string
}

type bundleRow struct {
	ID                        int64
	Name, Price, Status, Lead string
	StatusKey, ShopURL        string
	Available                 int
	Parts                     []bundlePartRow
	CanHide, CanShow          bool
	ActionURL                 string
}

type bundlesView struct {
	layout
	Bundles    []bundleRow
	F          bundleForm
	Categories []selectOption
	Errors     map[string]string
	Problem    string
}

func emptyBundleForm() bundleForm {
	f := bundleForm{Publish: true}
	for i := range bundleFormRows {
		f.Parts = append(f.Parts, bundlePartForm{N: i + 1})
	}
	return f
}

func (s *server) renderBundles(c *fiber.Ctx, f bundleForm, errs map[string]string, problem string, status int) error {
	if s.Bundles == nil {
		return fiber.ErrServiceUnavailable
	}
	ctx := c.UserContext()
	list, err := s.Bundles.List(ctx)
	if err != nil {
		return err
	}
	cats, err := s.Catalog.Store.FindCategories(ctx)
	if err != nil {
		return err
	}
	v := bundlesView{F: f, Errors: errs, Problem: problem}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Title, v.Nav = "공동상품", navBundles
	v.Categories = append(v.Categories, selectOption{"", "분류 선택", f.Category == ""})
	for _, cat := range cats {
		id := strconv.FormatInt(cat.ID, 10)
		v.Categories = append(v.Categories, selectOption{id, cat.Name, id == f.Category})
	}
	for _, b := range list {
		p := b.Product
		r := bundleRow{ID: p.ID, Name: p.Name, Price: kr.Won(p.ConsumerPrice), Status: catalog.ProductStatusLabel(p.Status),
			StatusKey: p.Status, Available: catalog.Available(b.Parts), ActionURL: "/admin/bundles/" + strconv.FormatInt(p.ID, 10) + "/status",
			CanHide: p.Status == catalog.StatusActive, CanShow: p.Status != catalog.StatusActive}
		if p.Enterprise != nil {
			r.Lead = p.Enterprise.Name
		}
		if p.Status == catalog.StatusActive {
			r.ShopURL = view.ProductURL(p.ID)
		}
		for _, bp := range b.Parts {
			name := bp.Product.Name
			if bp.OptionName != "" {
				name += " (" + bp.OptionName + ")"
			}
			r.Parts = append(r.Parts, bundlePartRow{Name: name, Enterprise: bp.Product.Enterprise.Name,
				Quantity: strconv.Itoa(bp.Quantity) + "개", Share: kr.Won(bp.Share), Stock: kr.Comma(int64(bp.Stock)) + "개"})
		}
		v.Bundles = append(v.Bundles, r)
	}
	c.Status(status)
	return s.render(c, "admin/bundles", &v)
}

// bundlesPage lists the bundles and offers the form for a new one.
func (s *server) bundlesPage(c *fiber.Ctx) error {
	return s.renderBundles(c, emptyBundleForm(), nil, "", fiber.StatusOK)
}

// formID reads a positive id typed in a form; -1 when it is not one (the
// domain then names the field), 0 when blank.
func formID(s string) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > view.MaxID {
		return -1
	}
	return n
}

// createBundle makes a bundle from the form; a refused form comes back with
// its values and a message beside each wrong field (422), nothing written.
func (s *server) createBundle(c *fiber.Ctx) error {
	if s.Bundles == nil {
		return fiber.ErrServiceUnavailable
	}
	f := bundleForm{Name: c.FormValue("name"), Summary: c.FormValue("summary"), Description: c.FormValue("description"),
		Category: c.FormValue("category_id"), Price: c.FormValue("price"), Publish: c.FormValue("publish") == "1"}
	in := catalog.BundleInput{Name: f.Name, Summary: f.Summary, Description: f.Description,
		CategoryID: max(formID(f.Category), 0), Price: number(f.Price), Publish: f.Publish}
	for i := range bundleFormRows {
		key := "part_" + strconv.Itoa(i+1) + "_"
		pf := bundlePartForm{N: i + 1, Product: c.FormValue(key + "product"), Option: c.FormValue(key + "option"),
			Quantity: c.FormValue(key + "quantity"), Share: c.FormValue(key + "share")}
		f.Parts = append(f.Parts, pf)
		if strings.TrimSpace(pf.Product+pf.Option+pf.Quantity+pf.Share) == "" {
			continue // an unused row
		}
		in.Parts = append(in.Parts, catalog.BundlePart{ProductID: formID(pf.Product), OptionID: formID(pf.Option),
			Quantity: int(max(min(number(pf.Quantity), 1000), -1)), Share: number(pf.Share)})
	}
	_, err := s.Bundles.Create(c.UserContext(), in)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		errs := renumber(ae.Fields, f.Parts)
		return s.renderBundles(c, f, errs, ae.Message, fiber.StatusUnprocessableEntity)
	}
	if errors.As(err, &ae) && ae.Code == apperr.Conflict {
		return s.renderBundles(c, f, map[string]string{"name": ae.Message}, ae.Message, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, "/admin/bundles", "bundle_created")
}

// renumber maps the domain's part fields (numbered among the rows filled
// in) to the form's rows (numbered among all rows), so that each message
// sits beside its row even when a row above was left blank.
func renumber(fields map[string]string, rows []bundlePartForm) map[string]string {
	out := make(map[string]string, len(fields))
	var used []int
	for _, r := range rows {
		if strings.TrimSpace(r.Product+r.Option+r.Quantity+r.Share) != "" {
			used = append(used, r.N)
		}
	}
	for k, v := range fields {
		var n int
		var rest string
		if after, ok := strings.CutPrefix(k, "part_"); ok {
			num, tail, _ := strings.Cut(after, "_")
			if x, err := strconv.Atoi(num); err == nil && x >= 1 && x <= len(used) {
				n, rest = used[x-1], tail
			}
		}
		if n == 0 {
			out[k] = v
			continue
		}
		out["part_"+strconv.Itoa(n)+"_"+rest] = v
	}
	return out
}

// setBundleStatus puts a bundle on sale or takes it off (status=active or
// hidden).
func (s *server) setBundleStatus(c *fiber.Ctx) error {
	if s.Bundles == nil {
		return fiber.ErrServiceUnavailable
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.Errorf(apperr.NotFound, "공동상품을 찾을 수 없습니다.")
	}
	if err := s.Bundles.SetStatus(c.UserContext(), id, c.FormValue("status")); err != nil {
		return err
	}
	return redirectDone(c, "/admin/bundles", "bundle_status")
}
