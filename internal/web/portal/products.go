package portal

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountProducts registers the product screens on the /portal group. The
// upload routes come before the :id ones.
func (s *server) mountProducts(g fiber.Router) {
	g.Get("/products", s.productsPage)
	g.Get("/products/new", s.newProductPage)
	g.Post("/products", s.createProduct)
	s.mountUpload(g)
	g.Get("/products/:id<int>/edit", s.editProductPage)
	g.Post("/products/:id<int>", s.updateProduct)
	g.Post("/products/:id<int>/publish", s.publishProduct)
	g.Post("/products/:id<int>/unpublish", s.unpublishProduct)
	g.Post("/products/:id<int>/sold-out", s.soldOutProduct)
	g.Get("/products/:id<int>/delete", s.deleteProductPage)
	g.Post("/products/:id<int>/delete", s.deleteProduct)
	s.mountImages(g)
	g.Get("/stock", s.stockPage)
	g.Post("/stock", s.saveStock)
}

// done are the notices a redirect's ?done= shows, by code: fixed texts, so
// a link cannot make the portal say anything else.
var done = map[string]string{
	"created":       "상품을 등록했습니다. 아래에서 이미지를 올릴 수 있습니다.",
	"created-draft": "상품을 판매중지 상태로 저장했습니다. 준비가 끝나면 '판매 시작'을 눌러 주세요.",
	"saved":         "저장했습니다.",
	"saved-review":  "저장했습니다. 운영자 검토를 받는 기업이라 검토가 끝나면 다시 공개됩니다.",
	"published":     "판매를 시작했습니다. 쇼핑몰과 검색에 곧 나타납니다.",
	"review":        "판매를 요청했습니다. 운영자 검토가 끝나면 공개됩니다.",
	"unpublished":   "판매를 중지했습니다. 쇼핑몰과 검색에서 곧 사라집니다.",
	"sold-out":      "품절로 바꿨습니다. 재고가 모두 0이 되었습니다.",
	"deleted":       "상품을 삭제했습니다.",
	"archived":      "주문 이력이 있는 상품이라 삭제 대신 보관 처리했습니다. 쇼핑몰과 목록에서는 사라지고, 지난 주문 내역에는 남습니다.",
	"image-added":   "이미지를 올렸습니다.",
	"image-removed": "이미지를 뺐습니다.",
	"image-moved":   "이미지 순서를 바꿨습니다.",
	"image-alt":     "이미지 설명을 저장했습니다.",
	"stock-saved":   "재고를 저장했습니다.",
	"stock-same":    "바뀐 재고가 없습니다.",
	"applied":       "파일의 내용을 반영했습니다.",
}

// doneNotice is the notice of the request's ?done= code ("" for none).
func doneNotice(c *fiber.Ctx) string { return done[c.Query("done")] }

// productID reads the :id of a product route.
func productID(c *fiber.Ctx) (int64, error) { return view.ParseID(c.Params("id"), "상품") }

// editURL is a product's edit page, with a done notice.
func editURL(id int64, doneCode string) string {
	u := "/portal/products/" + strconv.FormatInt(id, 10) + "/edit"
	if doneCode != "" {
		u += "?done=" + doneCode
	}
	return u
}

// The product list.

// listStatuses are the status filter's choices, in order.
var listStatuses = []struct{ value, label string }{
	{"", "전체"},
	{catalog.StatusActive, "판매중"},
	{catalog.StatusDraft, "판매중지"},
	{catalog.StatusPendingReview, "검토 대기"},
	{catalog.StatusHidden, "운영자 숨김"},
}

// listSorts are the list's orders.
var listSorts = []struct {
	value catalog.ProductSort
	label string
}{
	{catalog.SortNewest, "최근 등록순"},
	{catalog.SortUpdated, "최근 수정순"},
	{catalog.SortName, "이름순"},
	{catalog.SortLowStock, "재고 적은순"},
}

type choice struct {
	Value, Label string
	Selected     bool
}

// productRow is one product of the list.
type productRow struct {
	ID          int64
	Name        string
	Code        string
	EditURL     string
	ShopURL     string // "" unless it is on sale
	Thumb       string
	Status      string
	StatusLabel string
	Price       string
	Stock       string
	LowStock    bool
	Options     int
}

type productsView struct {
	layout
	Q        string
	Statuses []choice
	Sorts    []choice
	Rows     []productRow
	Total    int
	Filtered bool
	Pager    view.Pager
}

const productsPerPage = 20

// lowStock is the stock the lists call low.
const lowStock = 5

// productsPage is GET /portal/products: the enterprise's products by
// status, name or 상품코드, newest first, 20 a page.
func (s *server) productsPage(c *fiber.Ctx) error {
	q, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(q, productsPerPage, productsPerPage)
	if err != nil {
		return err
	}
	f := catalog.ManagedProductFilter{Query: strings.TrimSpace(q.Get("q")), Limit: productsPerPage, Offset: (page - 1) * productsPerPage}
	if len([]rune(f.Query)) > 100 {
		return apperr.Errorf(apperr.Invalid, "검색어는 100자 이하로 입력해 주세요.")
	}
	v := productsView{Q: f.Query}
	for _, st := range listStatuses {
		sel := q.Get("status") == st.value
		if sel {
			f.Status = st.value
		}
		v.Statuses = append(v.Statuses, choice{Value: st.value, Label: st.label, Selected: sel})
	}
	for _, so := range listSorts {
		sel := q.Get("sort") == string(so.value)
		if sel {
			f.Sort = so.value
		}
		v.Sorts = append(v.Sorts, choice{Value: string(so.value), Label: so.label, Selected: sel})
	}
	products, total, err := s.Manager.FindPortalProducts(c.UserContext(), f)
	if err != nil {
		return err
	}
	v.Total, v.Filtered = total, f.Query != "" || f.Status != ""
	for _, p := range products {
		v.Rows = append(v.Rows, rowOf(p))
	}
	link := func(n int) string {
		u := url.Values{}
		for _, k := range []string{"q", "status", "sort"} {
			if val := q.Get(k); val != "" {
				u.Set(k, val)
			}
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/portal/products"
		}
		return "/portal/products?" + u.Encode()
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, productsPerPage, 1000), link)
	v.Title, v.Nav, v.Done = "상품", navProducts, doneNotice(c)
	return s.render(c, "portal/products", &v)
}

func rowOf(p *catalog.Product) productRow {
	r := productRow{ID: p.ID, Name: p.Name, Code: p.Code, EditURL: editURL(p.ID, ""), Status: p.Status,
		StatusLabel: catalog.ProductStatusLabel(p.Status), Price: kr.Won(p.ConsumerPrice),
		Stock: kr.Comma(int64(p.Stock)), LowStock: p.Stock <= lowStock, Options: len(p.Options)}
	if p.Status == catalog.StatusActive {
		r.ShopURL = view.ProductURL(p.ID)
	}
	if len(p.Images) > 0 {
		r.Thumb = p.Images[0].ThumbURL
		if r.Thumb == "" {
			r.Thumb = p.Images[0].URL
		}
	}
	return r
}

// The product form.

// maxOptionRows bounds the option rows a form may post and show.
const maxOptionRows = catalog.MaxOptions

// emptyOptionRows are the blank option rows a form offers, and how many
// "옵션 줄 추가" adds.
const emptyOptionRows = 2

// productForm is the product form as typed: every value is kept as text so
// that a form with errors shows exactly what was entered.
type productForm struct {
	Name, Code, CategoryID, Kind, TaxType   string
	ConsumerPrice, PublicPrice, Stock, Unit string
	ConsumerTiers, PublicTiers              string // "10:9000;50:8500"
	Summary, Description, Status            string
	Options                                 []optionRow
}

// optionRow is one row of the options table.
type optionRow struct {
	N                       int    // the row's place in the form
	No                      int    // N+1, as people count
	ID                      string // an existing option's id ("" for a new one)
	Code                    string // an existing option's code
	Name, ExtraPrice, Stock string
	Remove                  bool
	Err                     map[string]string // by "name", "extra_price", "stock"
}

// blank reports whether nothing was typed in the row.
func (o optionRow) blank() bool {
	return o.ID == "" && strings.TrimSpace(o.Name) == "" && strings.TrimSpace(o.ExtraPrice) == "" && strings.TrimSpace(o.Stock) == ""
}

// formOf is the form of an existing product, with blank option rows.
func formOf(p *catalog.Product) productForm {
	f := productForm{Name: p.Name, Code: p.Code, CategoryID: strconv.FormatInt(p.CategoryID, 10), Kind: string(p.Kind),
		TaxType: string(p.TaxType), ConsumerPrice: strconv.FormatInt(p.ConsumerPrice, 10),
		PublicPrice: strconv.FormatInt(p.PublicPrice, 10), Stock: strconv.Itoa(p.Stock), Unit: p.Unit,
		ConsumerTiers: catalog.FormatTiers(p.ConsumerTiers), PublicTiers: catalog.FormatTiers(p.PublicTiers),
		Summary: p.Summary, Description: p.Description, Status: p.Status}
	for _, o := range p.Options {
		f.Options = append(f.Options, optionRow{ID: strconv.FormatInt(o.ID, 10), Code: o.Code, Name: o.Name,
			ExtraPrice: strconv.FormatInt(o.ExtraPrice, 10), Stock: strconv.Itoa(o.Stock)})
	}
	f.addRows(emptyOptionRows)
	return f
}

// addRows adds n blank option rows, up to maxOptionRows, and numbers them.
func (f *productForm) addRows(n int) {
	for i := 0; i < n && len(f.Options) < maxOptionRows; i++ {
		f.Options = append(f.Options, optionRow{})
	}
	for i := range f.Options {
		f.Options[i].N, f.Options[i].No = i, i+1
	}
}

// readForm reads the posted product form.
func readForm(c *fiber.Ctx) productForm {
	f := productForm{Name: c.FormValue("name"), Code: c.FormValue("code"), CategoryID: c.FormValue("category_id"),
		Kind: c.FormValue("kind"), TaxType: c.FormValue("tax_type"), ConsumerPrice: c.FormValue("consumer_price"),
		PublicPrice: c.FormValue("public_price"), Stock: c.FormValue("stock"), Unit: c.FormValue("unit"),
		ConsumerTiers: c.FormValue("consumer_tiers"), PublicTiers: c.FormValue("public_tiers"),
		Summary: c.FormValue("summary"), Description: c.FormValue("description"), Status: c.FormValue("status")}
	n, _ := strconv.Atoi(c.FormValue("option_rows"))
	n = min(max(n, 0), maxOptionRows)
	for i := range n {
		p := "options[" + strconv.Itoa(i) + "]."
		f.Options = append(f.Options, optionRow{ID: c.FormValue(p + "id"), Code: c.FormValue(p + "code"),
			Name: c.FormValue(p + "name"), ExtraPrice: c.FormValue(p + "extra_price"), Stock: c.FormValue(p + "stock"),
			Remove: c.FormValue(p+"remove") != ""})
	}
	f.addRows(0)
	return f
}

// parseNumber reads a whole number as people type it: "12000", "12,000",
// "12,000원", "3개"; "" is 0 and not ok.
func parseNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "원"), "개"))
	s = strings.NewReplacer(",", "", " ", "").Replace(s)
	if s == "" || len(s) > 15 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Messages of the form's own checks (the catalogue's rules say the rest).
const (
	msgNumber      = "숫자만 입력해 주세요 (예: 12000 또는 12,000)."
	msgCategory    = "카테고리를 선택해 주세요."
	msgStockNumber = "재고는 0 이상의 숫자로 입력해 주세요."
)

// formProduct turns the form into the product it describes, with the
// problems of fields that are not numbers where numbers belong. rows maps
// the index of each option in the product to its form row.
func formProduct(f *productForm) (p *catalog.Product, errs map[string]string, rows []int) {
	errs = map[string]string{}
	p = &catalog.Product{Name: f.Name, Code: f.Code, Kind: catalog.Kind(f.Kind), TaxType: catalog.TaxType(f.TaxType),
		Unit: f.Unit, Summary: f.Summary, Description: f.Description}
	if id, err := strconv.ParseInt(f.CategoryID, 10, 64); err == nil && id > 0 {
		p.CategoryID = id
	}
	num := func(field, raw, msg string) int64 {
		n, ok := parseNumber(raw)
		if !ok && strings.TrimSpace(raw) != "" {
			errs[field] = msg
		}
		return n
	}
	p.ConsumerPrice = num("consumer_price", f.ConsumerPrice, msgNumber)
	p.PublicPrice = num("public_price", f.PublicPrice, msgNumber)
	tiers := func(field, raw string) []catalog.Tier {
		t, err := catalog.ParseTiers(raw)
		if err != nil {
			errs[field] = err.Error()
		}
		return t
	}
	p.ConsumerTiers = tiers("consumer_tiers", f.ConsumerTiers)
	p.PublicTiers = tiers("public_tiers", f.PublicTiers)
	for i := range f.Options {
		o := &f.Options[i]
		if o.Remove || o.blank() {
			continue
		}
		opt := catalog.Option{Code: o.Code, Name: o.Name}
		if id, err := strconv.ParseInt(o.ID, 10, 64); err == nil && id > 0 {
			opt.ID = id
		}
		k := "options[" + strconv.Itoa(len(rows)) + "]."
		opt.ExtraPrice = num(k+"extra_price", o.ExtraPrice, msgNumber)
		opt.Stock = int(clampInt(num(k+"stock", o.Stock, msgStockNumber)))
		p.Options = append(p.Options, opt)
		rows = append(rows, i)
	}
	if len(p.Options) == 0 {
		p.Stock = int(clampInt(num("stock", f.Stock, msgStockNumber)))
		if strings.TrimSpace(f.Stock) == "" {
			errs["stock"] = "재고를 입력해 주세요. 옵션이 있으면 옵션마다 입력합니다."
		}
	}
	return p, errs, rows
}

// clampInt keeps a number within int32, so that a huge one is refused by
// the catalogue's range check rather than wrapped.
func clampInt(n int64) int64 { return min(max(n, -1<<31), 1<<31-1) }

// localCheck runs the catalogue's rules on a form that could not be fully
// read, so every problem is shown at once; the numbers that were not
// numbers stand in as valid ones. Option codes and the stock sum are the
// Manager's to fill, so their rules are left out.
func localCheck(p *catalog.Product, errs map[string]string) {
	q := p.Clone()
	for k := range errs {
		switch {
		case k == "consumer_price":
			q.ConsumerPrice, q.ConsumerTiers = 1, nil // tiers are judged against a price once it is read
		case k == "public_price":
			q.PublicPrice, q.PublicTiers = 1, nil
		}
	}
	for i := range q.Options {
		q.Options[i].Code = "opt" + strconv.Itoa(i+1)
		q.Options[i].ExtraPrice = max(q.Options[i].ExtraPrice, 0)
	}
	if len(q.Options) > 0 {
		q.Stock = 0
		for _, o := range q.Options {
			q.Stock += max(o.Stock, 0)
		}
	}
	q.Normalize()
	var ae *apperr.Error
	if err := q.Validate(); errors.As(err, &ae) {
		for k, msg := range ae.Fields {
			if _, ok := errs[k]; !ok && !strings.HasSuffix(k, ".code") {
				errs[k] = msg
			}
		}
	}
}

// fieldLabels name the form's fields in the error summary, in form order.
var fieldLabels = []struct{ field, label, anchor string }{
	{"name", "상품명", "f-name"},
	{"code", "상품코드", "f-code"},
	{"category_id", "카테고리", "f-category"},
	{"kind", "구분", "f-kind-goods"},
	{"tax_type", "과세 구분", "f-tax-taxable"},
	{"consumer_price", "소비자가", "f-consumer-price"},
	{"public_price", "공공기관가", "f-public-price"},
	{"consumer_tiers", "소비자 수량별 단가", "f-consumer-tiers"},
	{"public_tiers", "공공기관 수량별 단가", "f-public-tiers"},
	{"unit", "단위", "f-unit"},
	{"stock", "재고", "f-stock"},
	{"summary", "요약", "f-summary"},
	{"description", "상세 설명", "f-description"},
	{"status", "판매 상태", "f-status-active"},
	{"options", "옵션", "options"},
	{"images", "이미지", "images"},
}

// summaryItem is one entry of the error summary: a link to the field.
type summaryItem struct {
	Label, Anchor, Message string
}

type categoryChoice struct {
	ID       int64
	Label    string
	Selected bool
}

// productFormView is the create and edit page.
type productFormView struct {
	layout
	F          productForm
	Err        map[string]string // by form field
	Summary    []summaryItem
	Problem    string
	Categories []categoryChoice
	New        bool
	Action     string // where the form posts
	// The edit page's product and its other sections.
	ID          int64
	Status      string
	StatusLabel string
	ShopURL     string
	Hidden      bool // hidden by an operator: it cannot be published
	Draft       bool
	Images      []imageRow
	ImageErr    string
	ImageAlt    string // the alt text typed with a refused upload
	CanAddImage bool
}

// categoryChoices lists every category by its path, in tree order.
func categoryChoices(ix *catalog.CategoryIndex, selected string) []categoryChoice {
	var out []categoryChoice
	var walk func(cs []*catalog.Category, prefix string)
	walk = func(cs []*catalog.Category, prefix string) {
		for _, c := range cs {
			label := prefix + c.Name
			id := strconv.FormatInt(c.ID, 10)
			out = append(out, categoryChoice{ID: c.ID, Label: label, Selected: id == selected})
			walk(c.Children, label+" > ")
		}
	}
	walk(ix.Roots, "")
	return out
}

// renderForm writes the create or edit page with status.
func (s *server) renderForm(c *fiber.Ctx, v *productFormView, status int) error {
	ix, err := s.Categories.Get(c.UserContext())
	if err != nil {
		return err
	}
	v.Categories = categoryChoices(ix, v.F.CategoryID)
	if v.Err == nil {
		v.Err = map[string]string{}
	}
	for _, fl := range fieldLabels {
		if msg, ok := v.Err[fl.field]; ok {
			v.Summary = append(v.Summary, summaryItem{Label: fl.label, Anchor: fl.anchor, Message: msg})
		}
	}
	for i := range v.F.Options {
		o := &v.F.Options[i]
		for _, k := range []string{"name", "extra_price", "stock"} {
			if msg, ok := o.Err[k]; ok {
				label := map[string]string{"name": "옵션명", "extra_price": "추가 금액", "stock": "옵션 재고"}[k]
				v.Summary = append(v.Summary, summaryItem{Label: strconv.Itoa(o.N+1) + "번째 옵션의 " + label,
					Anchor: "f-opt-" + strconv.Itoa(o.N) + "-" + strings.ReplaceAll(k, "_", "-"), Message: msg})
			}
		}
	}
	v.Nav = navProducts
	if v.New {
		v.Title, v.Action = "상품 등록", "/portal/products"
	} else {
		v.Title, v.Action = "상품 수정: "+v.F.Name, "/portal/products/"+strconv.FormatInt(v.ID, 10)
	}
	c.Status(status)
	return s.render(c, "portal/product_form", v)
}

// placeErrors puts the catalogue's field errors next to their fields: the
// options' by row (rows maps an option's index to its row), the rest by
// field name.
func placeErrors(v *productFormView, fields map[string]string, rows []int) {
	if v.Err == nil {
		v.Err = map[string]string{}
	}
	for k, msg := range fields {
		idx, sub, ok := optionField(k)
		if !ok {
			if strings.HasPrefix(k, "images") {
				k = "images"
			}
			if _, dup := v.Err[k]; !dup {
				v.Err[k] = msg
			}
			continue
		}
		if idx >= len(rows) || sub == "code" {
			if _, dup := v.Err["options"]; !dup {
				v.Err["options"] = msg
			}
			continue
		}
		o := &v.F.Options[rows[idx]]
		if o.Err == nil {
			o.Err = map[string]string{}
		}
		o.Err[sub] = msg
	}
}

// optionField splits "options[3].stock" into 3 and "stock".
func optionField(k string) (int, string, bool) {
	rest, ok := strings.CutPrefix(k, "options[")
	if !ok {
		return 0, "", false
	}
	num, sub, ok := strings.Cut(rest, "].")
	if !ok {
		return 0, "", false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, "", false
	}
	return n, sub, true
}

// formError re-renders the form for a refusal that names fields (422) or
// a conflict (409, a name taken); any other error is returned.
func (s *server) formError(c *fiber.Ctx, v *productFormView, err error, rows []int) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Conflict) {
		return err
	}
	placeErrors(v, ae.Fields, rows)
	v.Problem = ae.Message
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Conflict {
		status = fiber.StatusConflict
	}
	return s.renderForm(c, v, status)
}

// newProductPage is GET /portal/products/new.
func (s *server) newProductPage(c *fiber.Ctx) error {
	v := productFormView{New: true, F: productForm{Kind: string(catalog.Goods), TaxType: string(catalog.Taxable),
		Status: catalog.StatusActive}}
	v.F.addRows(emptyOptionRows)
	return s.renderForm(c, &v, fiber.StatusOK)
}

// addingRows handles the form's "옵션 줄 추가" button: the same form, all
// input kept, with more blank option rows; nothing is saved.
func (s *server) addingRows(c *fiber.Ctx, v *productFormView) (bool, error) {
	if c.FormValue("action") != "add_option" {
		return false, nil
	}
	v.F.addRows(emptyOptionRows + 1)
	return true, s.renderForm(c, v, fiber.StatusOK)
}

// createProduct is POST /portal/products.
func (s *server) createProduct(c *fiber.Ctx) error {
	v := productFormView{New: true, F: readForm(c)}
	if ok, err := s.addingRows(c, &v); ok {
		return err
	}
	p, errs, rows := formProduct(&v.F)
	p.EnterpriseID = enterprise(c).ID
	p.Status = catalog.StatusActive
	if v.F.Status == catalog.StatusDraft {
		p.Status = catalog.StatusDraft
	}
	if len(errs) > 0 {
		localCheck(p, errs)
		return s.formError(c, &v, invalidFields(errs), rows)
	}
	if err := s.Manager.CreateProduct(c.UserContext(), p); err != nil {
		return s.formError(c, &v, err, rows)
	}
	code := "created"
	if p.Status == catalog.StatusDraft {
		code = "created-draft"
	}
	return c.Redirect(editURL(p.ID, code), fiber.StatusSeeOther)
}

// invalidFields is the form's own refusal of fields.
func invalidFields(errs map[string]string) error {
	msg := "입력한 내용을 확인해 주세요."
	if len(errs) > 1 {
		msg = "입력한 내용 중 " + strconv.Itoa(len(errs)) + "곳을 확인해 주세요."
	}
	return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: errs}
}

// editView fills the edit page's parts that come from the product as
// stored: its status, shop link and images.
func editView(p *catalog.Product, f productForm) productFormView {
	v := productFormView{F: f, ID: p.ID, Status: p.Status, StatusLabel: catalog.ProductStatusLabel(p.Status),
		Hidden: p.Status == catalog.StatusHidden, Draft: p.Status == catalog.StatusDraft,
		CanAddImage: len(p.Images) < catalog.MaxImages}
	if p.Status == catalog.StatusActive {
		v.ShopURL = view.ProductURL(p.ID)
	}
	v.Images = imageRows(p)
	return v
}

// editProductPage is GET /portal/products/:id/edit.
func (s *server) editProductPage(c *fiber.Ctx) error {
	p, err := s.findProduct(c)
	if err != nil {
		return err
	}
	v := editView(p, formOf(p))
	v.Done = doneNotice(c)
	return s.renderForm(c, &v, fiber.StatusOK)
}

// findProduct reads the :id product of the actor's enterprise; another
// enterprise's is not found.
func (s *server) findProduct(c *fiber.Ctx) (*catalog.Product, error) {
	id, err := productID(c)
	if err != nil {
		return nil, err
	}
	return s.Manager.FindPortalProduct(c.UserContext(), id)
}

// updateOf is the update that leaves p as it is: what the image and
// status screens change one field of.
func updateOf(p *catalog.Product) catalog.ProductUpdate {
	return catalog.ProductUpdate{CategoryID: p.CategoryID, Kind: p.Kind, Name: p.Name, Code: p.Code, Summary: p.Summary,
		Description: p.Description, Unit: p.Unit, TaxType: p.TaxType, ConsumerPrice: p.ConsumerPrice,
		PublicPrice: p.PublicPrice, ConsumerTiers: p.ConsumerTiers, PublicTiers: p.PublicTiers, Stock: p.Stock,
		Options: p.Options, Images: p.Images}
}

// updateProduct is POST /portal/products/:id: the full edit. The images
// are kept as stored (the image section changes them).
func (s *server) updateProduct(c *fiber.Ctx) error {
	cur, err := s.findProduct(c)
	if err != nil {
		return err
	}
	v := editView(cur, readForm(c))
	if ok, err := s.addingRows(c, &v); ok {
		return err
	}
	p, errs, rows := formProduct(&v.F)
	if len(errs) > 0 {
		localCheck(p, errs)
		return s.formError(c, &v, invalidFields(errs), rows)
	}
	upd := updateOf(p)
	upd.Images = cur.Images
	after, err := s.Manager.UpdateProduct(c.UserContext(), cur.ID, upd)
	if err != nil {
		return s.formError(c, &v, err, rows)
	}
	code := "saved"
	if after.Status == catalog.StatusPendingReview && cur.Status == catalog.StatusActive {
		code = "saved-review"
	}
	return c.Redirect(editURL(cur.ID, code), fiber.StatusSeeOther)
}

// publishProduct is POST /portal/products/:id/publish.
func (s *server) publishProduct(c *fiber.Ctx) error {
	id, err := productID(c)
	if err != nil {
		return err
	}
	p, err := s.Manager.SetStatus(c.UserContext(), id, catalog.StatusActive)
	if err != nil {
		return err
	}
	code := "published"
	if p.Status == catalog.StatusPendingReview {
		code = "review"
	}
	return c.Redirect(editURL(id, code), fiber.StatusSeeOther)
}

// unpublishProduct is POST /portal/products/:id/unpublish.
func (s *server) unpublishProduct(c *fiber.Ctx) error {
	id, err := productID(c)
	if err != nil {
		return err
	}
	if _, err := s.Manager.SetStatus(c.UserContext(), id, catalog.StatusDraft); err != nil {
		return err
	}
	return c.Redirect(editURL(id, "unpublished"), fiber.StatusSeeOther)
}

// soldOutProduct is POST /portal/products/:id/sold-out: every stock to 0.
func (s *server) soldOutProduct(c *fiber.Ctx) error {
	id, err := productID(c)
	if err != nil {
		return err
	}
	if _, err := s.Manager.MarkSoldOut(c.UserContext(), id); err != nil {
		return err
	}
	return c.Redirect(editURL(id, "sold-out"), fiber.StatusSeeOther)
}

type deleteView struct {
	layout
	ID   int64
	Name string
}

// deleteProductPage is GET /portal/products/:id/delete: the question
// before the deletion.
func (s *server) deleteProductPage(c *fiber.Ctx) error {
	p, err := s.findProduct(c)
	if err != nil {
		return err
	}
	v := deleteView{ID: p.ID, Name: p.Name}
	v.Title, v.Nav = "상품 삭제: "+p.Name, navProducts
	return s.render(c, "portal/product_delete", &v)
}

// deleteProduct is POST /portal/products/:id/delete. The Manager archives
// a product that was ever ordered instead; the notice says which happened.
func (s *server) deleteProduct(c *fiber.Ctx) error {
	id, err := productID(c)
	if err != nil {
		return err
	}
	archived, err := s.Manager.DeleteProduct(c.UserContext(), id)
	if err != nil {
		return err
	}
	code := "deleted"
	if archived {
		code = "archived"
	}
	return c.Redirect("/portal/products?done="+code, fiber.StatusSeeOther)
}
