package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
)

// What a row of an upload does.
const (
	UploadCreate    = "create"
	UploadUpdate    = "update"
	UploadUnchanged = "unchanged"
)

// FieldChange is one field an upload row changes, with the old and new
// values as the portal shows them.
type FieldChange struct {
	Field string // form field: "consumer_price", "options", …
	Label string // its Korean column name
	Old   string
	New   string
}

// UploadRow is what one row of an uploaded CSV does, or why it cannot.
type UploadRow struct {
	Line      int
	Code      string
	Name      string
	Action    string // UploadCreate, UploadUpdate or UploadUnchanged; "" when the row has errors
	ProductID int64  // the product the row updates; after ApplyUpload also the one it created
	Changes   []FieldChange
	Errors    []RowError
}

// UploadPreview is what an upload does: each row's action and changes, or
// every problem of the file. Nothing is written while Errors is not empty.
type UploadPreview struct {
	Rows []UploadRow
	// Errors lists every problem, by line: the rows' and the file's own
	// (header, quoting, encoding).
	Errors []RowError
	Counts ImportCounts
	// Token identifies what the preview shows; ApplyUpload given it refuses
	// (Conflict) when it would now do something else.
	Token string
}

// OK reports whether the upload can be applied.
func (p *UploadPreview) OK() bool { return len(p.Errors) == 0 }

// PreviewUpload reads an upload file for enterprise enterpriseID (which the
// actor must manage) and says what applying it would do, writing nothing.
// Rows with problems are reported in the preview (Invalid is only for a
// file that cannot be read: too large, unknown encoding).
func (s *Manager) PreviewUpload(ctx context.Context, enterpriseID int64, file io.Reader) (*UploadPreview, error) {
	if err := account.CanManageEnterprise(ctx, enterpriseID); err != nil {
		return nil, err
	}
	f, err := decodeCSV(file)
	if err != nil {
		return nil, err
	}
	e, err := s.Store.FindManagedEnterprise(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	cats, err := s.Store.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	current, err := s.Store.FindEnterpriseProducts(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	preview, _ := planUpload(f, e, cats, current)
	return preview, nil
}

// ApplyUpload applies an upload file for enterprise enterpriseID (which the
// actor must manage) in one transaction: every row is checked again against
// the products as they are now, and either every change is written (each
// queued for the search index) or nothing is. token is the preview's
// (UploadPreview.Token): when what the file would do has changed since, it
// returns Conflict; "" applies without that check. A file with problems is
// an *ImportError (Invalid) listing them all.
func (s *Manager) ApplyUpload(ctx context.Context, enterpriseID int64, file io.Reader, token string) (*UploadPreview, error) {
	if err := account.CanManageEnterprise(ctx, enterpriseID); err != nil {
		return nil, err
	}
	f, err := decodeCSV(file)
	if err != nil {
		return nil, err
	}
	cats, err := s.Store.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	var preview *UploadPreview
	changes, err := s.Store.ApplyProducts(ctx, enterpriseID, func(e *Enterprise, current []*Product) ([]ProductChange, error) {
		var changes []ProductChange
		preview, changes = planUpload(f, e, cats, current)
		if !preview.OK() {
			return nil, &ImportError{Rows: preview.Errors}
		}
		if token != "" && token != preview.Token {
			return nil, apperr.Errorf(apperr.Conflict, "미리보기 뒤에 상품 정보가 바뀌었습니다. 파일을 다시 올려 미리보기를 확인해 주세요.")
		}
		return changes, nil
	}, s.auditProduct(ctx, ActionProductUpload))
	if err != nil {
		return nil, err
	}
	byLine := map[int]*Product{}
	for _, c := range changes {
		byLine[c.Line] = c.After
	}
	for i := range preview.Rows {
		if p := byLine[preview.Rows[i].Line]; p != nil {
			preview.Rows[i].ProductID = p.ID
		}
	}
	return preview, nil
}

// auditValue keeps a nil *Product from becoming a non-nil any.
func auditValue(p *Product) any {
	if p == nil {
		return nil
	}
	return p
}

// ExportCSV writes the products of enterprise enterpriseID (which the actor
// must manage), archived ones aside, as an upload file: what an enterprise
// downloads, edits and uploads again. UTF-8 with a byte-order mark.
func (s *Manager) ExportCSV(ctx context.Context, enterpriseID int64, w io.Writer) error {
	if err := account.CanManageEnterprise(ctx, enterpriseID); err != nil {
		return err
	}
	cats, err := s.Store.FindCategories(ctx)
	if err != nil {
		return err
	}
	products, err := s.Store.FindEnterpriseProducts(ctx, enterpriseID)
	if err != nil {
		return err
	}
	cix := newCategoryNames(cats)
	var b bytes.Buffer
	b.Write(CSVTemplate())
	cw := csv.NewWriter(&b)
	cw.UseCRLF = true
	for _, p := range products {
		rec := make([]string, len(csvColumns))
		for i, c := range csvColumns {
			rec[i] = displayField(p, c.field, cix)
		}
		if p.Code == "" {
			rec[0] = p.ExternalID
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("catalog: export csv: %w", err)
		}
	}
	cw.Flush()
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("catalog: export csv: %w", err)
	}
	return nil
}

// categoryNames finds categories by what a spreadsheet row may call them
// (path "식품 > 과일·채소", slug, external id or a name no other category
// has) and writes their paths.
type categoryNames struct {
	ix    *CategoryIndex
	byKey map[string]int64
	names map[string][]int64
}

func newCategoryNames(cats []*Category) *categoryNames {
	cn := &categoryNames{ix: NewCategoryIndex(cats), byKey: map[string]int64{}, names: map[string][]int64{}}
	for _, c := range cats {
		cn.names[c.Name] = append(cn.names[c.Name], c.ID)
		cn.byKey[c.Slug] = c.ID
		cn.byKey[c.ExternalID] = c.ID
	}
	for _, c := range cats {
		cn.byKey[cn.path(c.ID)] = c.ID
	}
	return cn
}

func (cn *categoryNames) path(id int64) string {
	var names []string
	for _, c := range cn.ix.Path(id) {
		names = append(names, c.Name)
	}
	return strings.Join(names, " > ")
}

// find returns the category s names, or an error message.
func (cn *categoryNames) find(s string) (int64, string) {
	parts := strings.Split(s, ">")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	key := strings.Join(parts, " > ")
	if id, ok := cn.byKey[key]; ok {
		return id, ""
	}
	switch ids := cn.names[key]; len(ids) {
	case 1:
		return ids[0], ""
	case 0:
		return 0, fmt.Sprintf("카테고리 %q를 찾을 수 없습니다. '식품 > 과일·채소'처럼 적어 주세요.", s)
	default:
		return 0, fmt.Sprintf("이름이 %q인 카테고리가 여럿입니다. '상위 > 하위'처럼 적어 주세요.", s)
	}
}

// displayField writes a product's field as the upload file and the preview
// show it.
func displayField(p *Product, field string, cn *categoryNames) string {
	switch field {
	case "code":
		return p.Code
	case "name":
		return p.Name
	case "category_id":
		return cn.path(p.CategoryID)
	case "kind":
		if p.Kind == "" {
			return ""
		}
		return p.Kind.Label()
	case "tax_type":
		if p.TaxType == "" {
			return ""
		}
		return p.TaxType.Label()
	case "consumer_price":
		return strconv.FormatInt(p.ConsumerPrice, 10)
	case "public_price":
		return strconv.FormatInt(p.PublicPrice, 10)
	case "consumer_tiers":
		return FormatTiers(p.ConsumerTiers)
	case "public_tiers":
		return FormatTiers(p.PublicTiers)
	case "stock":
		return strconv.Itoa(p.Stock)
	case "unit":
		return p.Unit
	case "summary":
		return p.Summary
	case "description":
		return p.Description
	case "options":
		return formatOptions(p.Options)
	case "images":
		urls := make([]string, len(p.Images))
		for i, im := range p.Images {
			urls[i] = im.URL
		}
		return strings.Join(urls, "; ")
	case "status":
		return ProductStatusLabel(p.Status)
	case "featured":
		return strconv.FormatBool(p.Featured)
	case "popularity":
		return strconv.Itoa(p.Popularity)
	}
	return ""
}

// displayChange is displayField for a preview: money and counts with
// thousands separators.
func displayChange(p *Product, field string, cn *categoryNames) string {
	switch field {
	case "consumer_price":
		return kr.Won(p.ConsumerPrice)
	case "public_price":
		return kr.Won(p.PublicPrice)
	case "stock":
		return kr.Comma(int64(p.Stock))
	}
	return displayField(p, field, cn)
}

// requiredForCreate are the columns a new product needs.
var requiredForCreate = []string{"name", "category_id", "kind", "tax_type", "consumer_price", "public_price"}

// planUpload works out what f does to the enterprise's current products:
// the preview, and the changes to write when it has no errors. It is pure,
// so that the preview and the transaction of ApplyUpload decide alike.
func planUpload(f *csvFile, e *Enterprise, cats []*Category, current []*Product) (*UploadPreview, []ProductChange) {
	cn := newCategoryNames(cats)
	byCode := map[string]*Product{}
	for _, p := range current {
		if p.Code == "" && p.ExternalID != "" {
			byCode[p.ExternalID] = p // imported products are known by their external id until they get a code
		}
	}
	for _, p := range current {
		if p.Code != "" {
			byCode[p.Code] = p
		}
	}
	preview := &UploadPreview{Errors: append([]RowError(nil), f.errs...)}
	type planned struct {
		row           int // index in preview.Rows
		before, after *Product
	}
	var plans []planned
	codeLines := map[string]int{}
	rows := f.rows
	if !f.cols["code"] {
		rows = nil // the file's own error says why
	}
	for _, r := range rows {
		row, before, after := planRow(r, f.cols, e, cn, byCode, codeLines)
		preview.Rows = append(preview.Rows, row)
		plans = append(plans, planned{len(preview.Rows) - 1, before, after})
	}

	// Names: an enterprise sells one product per name. Names leave the
	// products the file renames before the file's rows take theirs, so two
	// products may swap names.
	owner := map[string]int64{}
	for _, p := range current {
		owner[p.Name] = p.ID
	}
	for _, pl := range plans {
		if pl.before != nil && len(preview.Rows[pl.row].Errors) == 0 && owner[pl.before.Name] == pl.before.ID {
			delete(owner, pl.before.Name)
		}
	}
	nameLines := map[string]int{}
	for _, pl := range plans {
		if pl.after == nil || pl.after.Name == "" {
			continue
		}
		row, name := &preview.Rows[pl.row], pl.after.Name
		if first, ok := nameLines[name]; ok {
			row.Errors = append(row.Errors, RowError{Line: row.Line, Field: "name",
				Message: fmt.Sprintf("같은 이름의 상품이 %d행에 있습니다.", first), English: fmt.Sprintf("duplicate product name (also line %d)", first)})
			continue
		}
		nameLines[name] = row.Line
		if id, ok := owner[name]; ok && (pl.before == nil || id != pl.before.ID) {
			row.Errors = append(row.Errors, RowError{Line: row.Line, Field: "name", Message: MsgNameTaken,
				English: "another product of the enterprise has this name"})
		}
	}

	var changes []ProductChange
	h := sha256.New()
	for _, pl := range plans {
		row := &preview.Rows[pl.row]
		if len(row.Errors) > 0 {
			row.Action, row.Changes = "", nil
			preview.Errors = append(preview.Errors, row.Errors...)
			continue
		}
		switch {
		case pl.before == nil:
			row.Action = UploadCreate
			preview.Counts.Created++
			for _, c := range csvColumns {
				if v := displayChange(pl.after, c.field, cn); v != "" {
					row.Changes = append(row.Changes, FieldChange{Field: c.field, Label: c.header, New: v})
				}
			}
		default:
			for _, field := range ProductChanges(pl.before, pl.after) {
				row.Changes = append(row.Changes, FieldChange{Field: field, Label: CSVColumnLabel(field),
					Old: displayChange(pl.before, field, cn), New: displayChange(pl.after, field, cn)})
			}
			if len(row.Changes) == 0 {
				row.Action = UploadUnchanged
				preview.Counts.Unchanged++
			} else {
				row.Action = UploadUpdate
				preview.Counts.Updated++
			}
		}
		fmt.Fprintf(h, "%d\x00%s\x00%d\x00", row.Line, row.Action, row.ProductID)
		if pl.before != nil {
			fmt.Fprintf(h, "%d\x00", pl.before.UpdatedAt.UnixNano())
		}
		for _, c := range row.Changes {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00", c.Field, c.Old, c.New)
		}
		if row.Action != UploadUnchanged {
			changes = append(changes, ProductChange{Line: row.Line, Before: pl.before, After: pl.after})
		}
	}
	slices.SortStableFunc(preview.Errors, func(a, b RowError) int { return a.Line - b.Line })
	preview.Token = hex.EncodeToString(h.Sum(nil))
	if !preview.OK() {
		changes = nil
	}
	return preview, changes
}

// planRow reads one row onto the product its code names (a copy) or a new
// one, and checks it. before is nil for a new product; after is nil when
// the row could not be read far enough to say.
func planRow(r csvRow, cols map[string]bool, e *Enterprise, cn *categoryNames, byCode map[string]*Product,
	codeLines map[string]int) (row UploadRow, before, after *Product) {

	row = UploadRow{Line: r.line}
	fail := func(field, ko, en string) {
		row.Errors = append(row.Errors, RowError{Line: r.line, Field: field, Message: ko, English: en})
	}
	code := strings.TrimSpace(r.cells["code"])
	row.Code, row.Name = code, strings.TrimSpace(r.cells["name"])
	if code == "" {
		fail("code", "상품코드를 입력해 주세요.", "is required")
		return row, nil, nil
	}
	if first, ok := codeLines[code]; ok {
		fail("code", fmt.Sprintf("상품코드 %q가 %d행과 중복됩니다.", code, first), fmt.Sprintf("duplicate 상품코드 %q (first on line %d)", code, first))
		return row, nil, nil
	}
	codeLines[code] = r.line

	before = byCode[code]
	var p *Product
	if before != nil {
		p = before.Clone()
		row.ProductID = p.ID
		if row.Name == "" && !cols["name"] {
			row.Name = p.Name
		}
	} else {
		p = &Product{EnterpriseID: e.ID}
		for _, field := range requiredForCreate {
			if !cols[field] {
				fail(field, fmt.Sprintf("새 상품에는 '%s' 열이 필요합니다.", CSVColumnLabel(field)), "a new product needs this column")
			}
		}
	}
	if before == nil || before.Code != "" || code != before.ExternalID {
		p.Code = code // an imported product named by its external id keeps no code
	}
	cell := func(field string) (string, bool) {
		v, ok := r.cells[field]
		return strings.TrimSpace(v), ok && cols[field]
	}
	if v, ok := cell("name"); ok {
		p.Name = v
	}
	if v, ok := cell("category_id"); ok {
		p.CategoryID = 0
		if v != "" {
			id, msg := cn.find(v)
			if msg != "" {
				fail("category_id", msg, "unknown or ambiguous category")
			}
			p.CategoryID = id
		}
	}
	if v, ok := cell("kind"); ok {
		p.Kind = csvKinds[strings.ToLower(v)]
		if v != "" && p.Kind == "" {
			fail("kind", "구분은 상품 또는 서비스로 적어 주세요.", fmt.Sprintf("unknown kind %q", v))
		}
	}
	if v, ok := cell("tax_type"); ok {
		p.TaxType = csvTaxTypes[strings.ToLower(v)]
		if v != "" && p.TaxType == "" {
			fail("tax_type", "과세구분은 과세 또는 면세로 적어 주세요.", fmt.Sprintf("unknown tax type %q", v))
		}
	}
	for _, field := range []string{"consumer_price", "public_price"} {
		if v, ok := cell(field); ok {
			n, good := parseWon(v)
			if !good && v != "" {
				fail(field, "가격은 숫자만 적어 주세요 (예: 45000 또는 45,000).", "must be a whole number")
			}
			if field == "consumer_price" {
				p.ConsumerPrice = n
			} else {
				p.PublicPrice = n
			}
		}
	}
	for _, field := range []string{"consumer_tiers", "public_tiers"} {
		if v, ok := cell(field); ok {
			tiers, err := ParseTiers(v)
			if err != nil {
				fail(field, err.Error(), "tiers must be written min_quantity:unit_price; …")
			}
			if field == "consumer_tiers" {
				p.ConsumerTiers = tiers
			} else {
				p.PublicTiers = tiers
			}
		}
	}
	if v, ok := cell("unit"); ok {
		p.Unit = v
	}
	if _, ok := cell("summary"); ok {
		p.Summary = r.cells["summary"]
	}
	if _, ok := cell("description"); ok {
		p.Description = r.cells["description"]
	}
	if v, ok := cell("options"); ok {
		opts, good := parseOptions(v)
		if !good {
			fail("options", "옵션은 '이름:추가금액:재고' 형식으로, 여럿이면 ;로 나누어 적어 주세요 (예: 중과:0:10; 대과:5000:20).",
				"options must be written name:extra_price:stock; …")
		} else {
			known := map[string]Option{}
			for _, o := range p.Options {
				known[o.Name] = o
			}
			for i := range opts {
				if o, ok := known[opts[i].Name]; ok {
					opts[i].ID, opts[i].Code = o.ID, o.Code
				}
			}
			p.Options = opts
		}
	}
	if v, ok := cell("images"); ok {
		known := map[string]Image{}
		for _, im := range p.Images {
			known[im.URL] = im
		}
		var imgs []Image
		for _, u := range parseImages(v) {
			im, ok := known[u]
			if !ok {
				im = Image{URL: u}
			}
			imgs = append(imgs, im)
		}
		p.Images = imgs
	}
	stockGiven := false
	if v, ok := cell("stock"); ok && v != "" {
		n, good := parseWon(v)
		if !good {
			fail("stock", "재고는 숫자만 적어 주세요.", "must be a whole number")
		}
		p.Stock, stockGiven = int(max(min(n, 1<<31-1), -1<<31)), true
	}
	switch {
	case len(p.Options) > 0 && !stockGiven:
		p.Stock = sumStock(p.Options)
	case len(p.Options) == 0 && !stockGiven && before == nil:
		fail("stock", "재고를 입력해 주세요.", "is required")
	}

	want := ""
	if v, ok := cell("status"); ok && v != "" {
		st, known := csvStatuses[strings.ReplaceAll(strings.ToLower(v), " ", "")]
		switch {
		case !known || (st != StatusActive && st != StatusDraft && (before == nil || st != before.Status)):
			fail("status", "상태는 판매중 또는 판매중지로 적어 주세요.", fmt.Sprintf("unknown status %q", v))
		case before != nil && before.Status == StatusHidden && st != StatusHidden:
			fail("status", msgHidden, "an operator hid this product")
		default:
			want = st
		}
	}
	switch {
	case before == nil && want == StatusDraft:
		p.Status = StatusDraft
	case before == nil:
		p.Status = publishedStatus(e)
	case want == StatusDraft:
		p.Status = StatusDraft
	case want == StatusActive && p.Status == StatusDraft:
		p.Status = publishedStatus(e)
	}

	p.Normalize()
	fillOptionCodes(p.Options)
	read := row.Errors
	for _, pr := range p.problems(true) {
		if !unreadField(pr, read) {
			fail(pr.field, pr.ko, pr.en)
		}
	}
	if before != nil {
		p.Status = reviewedStatus(e, before, p)
	}
	slices.SortStableFunc(row.Errors, func(a, b RowError) int {
		if csvFields.less(a.Field, b.Field) {
			return -1
		}
		if csvFields.less(b.Field, a.Field) {
			return 1
		}
		return 0
	})
	return row, before, p
}

// csvFields orders a row's problems as the template orders its columns.
var csvFields = func() fieldOrder {
	o := fieldOrder{sub: productFields.sub}
	for _, c := range csvColumns {
		o.top = append(o.top, c.field)
	}
	return o
}()

// unreadField reports whether a rule's problem is about a field that could
// not be read (and is reported already).
func unreadField(p problem, errs []RowError) bool {
	for _, e := range errs {
		if e.Field == p.field || strings.HasPrefix(p.field, e.Field+"[") || strings.HasPrefix(p.field, e.Field+".") ||
			(p.sum && (e.Field == "options" || e.Field == "stock")) {
			return true
		}
	}
	return false
}
