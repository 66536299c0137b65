package catalog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
)

// A catalogue file is JSON Lines: one object per line whose "type" is
// "category", "enterprise" or "product" (docs/catalogue-format.md has the
// fields). Rows carry stable external ids ("id") so that importing a file again
// updates what it imported before instead of duplicating it, and they refer to
// each other by those ids, in any order. A file with any bad row imports
// nothing: Parse reports every problem it finds, not just the first.

// Limits of the file format itself; the fields' own limits are the
// catalogue's rules (validate.go), the same for every way in.
const (
	maxLineBytes   = 1 << 20
	maxIDLen       = 100
	maxCycleReport = 10
)

// RowError is one problem with one row of a catalogue file.
type RowError struct {
	Line    int    // 1-based line number in the file; 0 when not tied to a line
	Field   string // the field at fault, e.g. "consumer_price" or "options[1].stock"; "" for the whole row
	Message string // the reason in Korean
	English string // the same reason in English
}

// String renders the problem as `line N: field: 한국어 이유 (English reason)`.
func (e RowError) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d: ", e.Line)
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	fmt.Fprintf(&b, "%s (%s)", e.Message, e.English)
	return b.String()
}

// ImportError reports every bad row of a catalogue file; when it is returned,
// nothing was imported. It unwraps to an apperr.Invalid error, so the web layer
// maps it to a 4xx with a safe Korean message.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	if len(e.Rows) == 0 {
		return "catalog: bad catalogue file"
	}
	return fmt.Sprintf("catalog: %d problem(s) in the catalogue file, nothing imported; first: %s", len(e.Rows), e.Rows[0])
}

// Unwrap returns the user-facing apperr.Invalid form of the error, with one
// entry per problem in Fields keyed "line:field".
func (e *ImportError) Unwrap() error {
	fields := make(map[string]string, len(e.Rows))
	for _, r := range e.Rows {
		k := strconv.Itoa(r.Line) + ":" + r.Field
		if _, ok := fields[k]; !ok {
			fields[k] = r.Message
		}
	}
	return &apperr.Error{
		Code:    apperr.Invalid,
		Message: fmt.Sprintf("카탈로그 파일에 문제가 %d건 있어 아무것도 가져오지 않았습니다.", len(e.Rows)),
		Fields:  fields,
	}
}

// ErrorAtLine returns err as an *ImportError naming line when it is an
// *apperr.Error (a rule the database enforced on that row, such as a name
// the enterprise already uses); other errors are returned as they are.
func ErrorAtLine(line int, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return err
	}
	if len(ae.Fields) == 0 {
		return &ImportError{Rows: []RowError{{Line: line, Message: ae.Message, English: "refused: " + ae.Code}}}
	}
	ie := &ImportError{}
	for _, k := range slices.Sorted(maps.Keys(ae.Fields)) {
		ie.Rows = append(ie.Rows, RowError{Line: line, Field: k, Message: ae.Fields[k], English: "refused: " + ae.Code})
	}
	return ie
}

// CategoryRow is a category line of a catalogue file.
type CategoryRow struct {
	Line int
	Category
	ParentRef string // external id of the parent category; "" for a root
}

// EnterpriseRow is an enterprise line of a catalogue file. BusinessNumber holds
// the 10 digits and Phone the hyphenated form.
type EnterpriseRow struct {
	Line int
	Enterprise
}

// ProductRow is a product line of a catalogue file.
type ProductRow struct {
	Line int
	Product
	EnterpriseRef string // external id of the enterprise
	CategoryRef   string // external id of the category
}

// Batch is a parsed and validated catalogue file, ready to be written.
// Categories are ordered parents first.
type Batch struct {
	Categories  []CategoryRow
	Enterprises []EnterpriseRow
	Products    []ProductRow
}

// ExistingCategory is a category already in the system of record.
type ExistingCategory struct {
	Parent string // external id of its parent; "" for a root
	Slug   string
}

// Existing is what the system of record already holds that a catalogue file
// may refer to or collide with, keyed by external id. A nil *Existing means an
// empty catalogue.
type Existing struct {
	Enterprises map[string]string // external id → business number (10 digits)
	Categories  map[string]ExistingCategory
}

// ImportCounts says what an import did to one kind of row.
type ImportCounts struct {
	Created   int
	Updated   int
	Unchanged int
}

// ImportStats says what an import did, per kind of row.
type ImportStats struct {
	Categories  ImportCounts
	Enterprises ImportCounts
	Products    ImportCounts
}

// String renders the statistics as a small table, one kind per line.
func (s ImportStats) String() string {
	var b strings.Builder
	for _, r := range []struct {
		name string
		c    ImportCounts
	}{{"categories", s.Categories}, {"enterprises", s.Enterprises}, {"products", s.Products}} {
		fmt.Fprintf(&b, "  %-12s created %5d   updated %5d   unchanged %5d\n", r.name, r.c.Created, r.c.Updated, r.c.Unchanged)
	}
	return b.String()
}

// Importer is the system of record's side of a catalogue import. It is kept
// apart from Store because only the import and seed commands need it.
type Importer interface {
	// FindImportRefs returns the enterprises and categories that already
	// exist, so that a file may refer to them without repeating them.
	FindImportRefs(ctx context.Context) (*Existing, error)
	// ImportCatalogue writes the batch in one transaction: rows are created or
	// updated by external id and every changed row is queued for the search
	// index. It checks references again under its own lock and returns an
	// *ImportError (apperr.Invalid) when one no longer resolves or a row breaks
	// a database constraint; nothing is written then.
	ImportCatalogue(ctx context.Context, b *Batch) (ImportStats, error)
}

// Import reads a catalogue file from r, validates every row against the file
// itself and what imp already holds, and imports it all or nothing. Bad rows
// are reported together as an *ImportError.
func Import(ctx context.Context, imp Importer, r io.Reader) (ImportStats, error) {
	existing, err := imp.FindImportRefs(ctx)
	if err != nil {
		return ImportStats{}, err
	}
	b, err := Parse(r, existing)
	if err != nil {
		return ImportStats{}, err
	}
	return imp.ImportCatalogue(ctx, b)
}

var integerRe = regexp.MustCompile(`^-?[0-9]+$`)

// importStatuses are the product statuses a catalogue file may set.
var importStatuses = map[string]bool{StatusDraft: true, StatusActive: true, StatusHidden: true}

// Parse reads a catalogue file and validates every row, including references
// between rows and to what already exists (existing may be nil). It returns an
// *ImportError listing every problem, sorted by line, when any row is bad;
// other errors are read failures. The rows' fields are judged by the same
// rules as the portal's forms (Product.Validate, Enterprise.Validate,
// Category.Validate); the file adds its own: JSON types, known fields, ids
// and references.
func Parse(r io.Reader, existing *Existing) (*Batch, error) {
	p := &parser{b: &Batch{}, catLines: map[string]int{}, entLines: map[string]int{}, prodLines: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		p.parseLine(line, sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		if !errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("catalog: read catalogue file: %w", err)
		}
		p.errs = append(p.errs, RowError{Line: line + 1, Message: fmt.Sprintf("줄이 너무 깁니다 (최대 %d바이트)", maxLineBytes),
			English: fmt.Sprintf("line is too long (at most %d bytes); reading stopped here", maxLineBytes)})
	}
	p.errs = append(p.errs, p.b.duplicateNames()...)
	p.errs = append(p.errs, p.b.CheckReferences(existing)...)
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return nil, &ImportError{Rows: p.errs}
	}
	p.b.Categories = parentsFirst(p.b.Categories)
	return p.b, nil
}

type parser struct {
	b                             *Batch
	errs                          []RowError
	catLines, entLines, prodLines map[string]int
}

// The fields of each type of row in the order their problems are reported.
var (
	categoryFields   = fieldOrder{top: []string{"type", "id", "slug", "name", "parent", "position"}}
	enterpriseFields = fieldOrder{top: []string{"type", "id", "name", "enterprise_type", "cert_number", "cert_valid_until",
		"business_number", "region", "representative", "phone", "email", "address", "mission", "description", "shipping", "status"},
		sub: map[string][]string{"shipping": {"fee", "free_threshold", "remote_surcharge"}}}
	productFields = fieldOrder{top: []string{"type", "id", "enterprise", "category", "kind", "name", "code", "summary", "description",
		"unit", "tax_type", "consumer_price", "public_price", "stock", "status", "featured", "popularity", "options", "images"},
		sub: map[string][]string{"options": {"name", "extra_price", "stock", "code"}, "images": {"url", "alt", "thumb_url"}}}
)

func (p *parser) parseLine(line int, text []byte) {
	if line == 1 {
		text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	}
	text = bytes.TrimSpace(text)
	if len(text) == 0 || text[0] == '#' {
		return
	}
	if !utf8.Valid(text) {
		p.errs = append(p.errs, RowError{Line: line, Message: "UTF-8이 아닌 문자가 있습니다", English: "line is not valid UTF-8"})
		return
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(text, &raw); err != nil || raw == nil {
		msg := "not a JSON object"
		if err != nil {
			msg = "not a JSON object: " + err.Error()
		}
		p.errs = append(p.errs, RowError{Line: line, Message: "한 줄이 하나의 JSON 객체여야 합니다", English: msg})
		return
	}
	var rowErrs []RowError
	f := &fields{line: line, raw: raw, errs: &rowErrs}
	order := productFields
	switch typ := f.str("type", true); typ {
	case "category":
		p.category(f)
		order = categoryFields
	case "enterprise":
		p.enterprise(f)
		order = enterpriseFields
	case "product":
		p.product(f)
	case "":
	default:
		f.fail("type", fmt.Sprintf("알 수 없는 종류 %q입니다 (category, enterprise, product 중 하나)", typ),
			fmt.Sprintf("unknown type %q (want category, enterprise or product)", typ))
	}
	sort.SliceStable(rowErrs, func(i, j int) bool { return order.less(rowErrs[i].Field, rowErrs[j].Field) })
	p.errs = append(p.errs, rowErrs...)
}

// id reads the row's external id and reports a duplicate of the same type.
func (p *parser) id(f *fields, seen map[string]int, kind, kindKo string) string {
	id := f.ref("id", true)
	if id == "" {
		return ""
	}
	if first, ok := seen[id]; ok {
		f.fail("id", fmt.Sprintf("%s id %q가 %d행과 중복됩니다", kindKo, id, first),
			fmt.Sprintf("duplicate %s id %q (first on line %d)", kind, id, first))
		return id
	}
	seen[id] = f.line
	return id
}

func (p *parser) category(f *fields) {
	f.only("type", "id", "slug", "name", "parent", "position")
	c := CategoryRow{Line: f.line}
	c.ExternalID = p.id(f, p.catLines, "category", "카테고리")
	c.Slug = f.str("slug", true)
	c.Name = f.str("name", true)
	c.ParentRef = f.ref("parent", false)
	c.Position = int(f.integer("position", false))
	f.validated(c.problems())
	p.b.Categories = append(p.b.Categories, c)
}

func (p *parser) enterprise(f *fields) {
	f.only("type", "id", "name", "enterprise_type", "cert_number", "cert_valid_until", "business_number", "region",
		"representative", "phone", "email", "address", "mission", "description", "shipping", "status")
	e := EnterpriseRow{Line: f.line}
	e.ExternalID = p.id(f, p.entLines, "enterprise", "기업")
	e.Name = f.str("name", true)
	e.Type = EnterpriseType(f.str("enterprise_type", true))
	e.CertNumber = f.str("cert_number", false)
	if s := f.str("cert_valid_until", false); s != "" {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			f.fail("cert_valid_until", "날짜는 YYYY-MM-DD 형식이어야 합니다", "must be a date written YYYY-MM-DD")
		} else {
			e.CertValidUntil = &d
		}
	}
	e.BusinessNumber = f.str("business_number", true)
	e.Region = Region(f.str("region", true))
	e.Representative = f.str("representative", true)
	e.Phone = f.str("phone", false)
	e.Email = f.str("email", false)
	e.Address = f.str("address", false)
	e.Mission = f.str("mission", false)
	e.Description = f.str("description", false)
	if sh, ok := f.object("shipping"); ok {
		sh.only("fee", "free_threshold", "remote_surcharge")
		e.Shipping.Fee = sh.integer("fee", false)
		e.Shipping.FreeThreshold = sh.integer("free_threshold", false)
		e.Shipping.RemoteSurcharge = sh.integer("remote_surcharge", false)
	}
	if e.Status = f.str("status", false); e.Status == "" {
		e.Status = EnterpriseActive
	}
	e.Normalize()
	f.validated(e.problems())
	p.b.Enterprises = append(p.b.Enterprises, e)
}

func (p *parser) product(f *fields) {
	f.only("type", "id", "enterprise", "category", "kind", "name", "summary", "description", "unit", "tax_type",
		"consumer_price", "public_price", "stock", "status", "featured", "popularity", "options", "images")
	pr := ProductRow{Line: f.line}
	pr.ExternalID = p.id(f, p.prodLines, "product", "상품")
	pr.EnterpriseRef = f.ref("enterprise", true)
	pr.CategoryRef = f.ref("category", true)
	pr.Kind = Kind(f.str("kind", true))
	pr.Name = f.str("name", true)
	pr.Summary = f.str("summary", false)
	pr.Description = f.str("description", false)
	pr.Unit = f.str("unit", false)
	pr.TaxType = TaxType(f.str("tax_type", true))
	pr.ConsumerPrice = f.integer("consumer_price", true)
	pr.PublicPrice = f.integer("public_price", true)
	pr.Stock = f.count("stock", true)
	if pr.Status = f.str("status", false); pr.Status == "" {
		pr.Status = StatusActive
	} else if !importStatuses[pr.Status] {
		f.fail("status", fmt.Sprintf("알 수 없는 상태 %q입니다", pr.Status),
			fmt.Sprintf("unknown status %q (want draft, active or hidden)", pr.Status))
	}
	pr.Featured = f.boolean("featured")
	pr.Popularity = f.count("popularity", false)

	// Elements that cannot be read still take their place, so that the
	// rules' problems name the same index as the file.
	items := f.array("options")
	for i, raw := range items {
		var o Option
		if of, ok := f.element("options", i, raw); ok {
			of.only("code", "name", "extra_price", "stock")
			o = Option{Code: of.ref("code", true), Name: of.str("name", true),
				ExtraPrice: of.integer("extra_price", false), Stock: of.count("stock", true)}
		}
		pr.Options = append(pr.Options, o)
	}
	items = f.array("images")
	for i, raw := range items {
		var im Image
		if imf, ok := f.element("images", i, raw); ok {
			imf.only("url", "alt")
			im = Image{URL: imf.str("url", true), Alt: imf.str("alt", false)}
		}
		pr.Images = append(pr.Images, im)
	}
	pr.Normalize()
	f.validated(pr.problems(false))
	p.b.Products = append(p.b.Products, pr)
}

// duplicateNames reports the products that have the name of an earlier
// product of the same enterprise in the file (the database refuses two
// products of one enterprise with one name).
func (b *Batch) duplicateNames() []RowError {
	var errs []RowError
	seen := map[[2]string]int{}
	for _, p := range b.Products {
		if p.EnterpriseRef == "" || p.Name == "" {
			continue
		}
		k := [2]string{p.EnterpriseRef, p.Name}
		if first, ok := seen[k]; ok {
			errs = append(errs, RowError{Line: p.Line, Field: "name",
				Message: fmt.Sprintf("같은 이름의 상품이 이미 있습니다 (%d행)", first),
				English: fmt.Sprintf("duplicate product name %q for enterprise %q (first on line %d)", p.Name, p.EnterpriseRef, first)})
			continue
		}
		seen[k] = p.Line
	}
	return errs
}

// CheckReferences reports the rows of b whose references do not resolve
// against the file and existing (which may be nil), category cycles, and
// business numbers or slugs that two enterprises or categories would share.
// Rows whose own id is empty are skipped: their problem is already reported.
func (b *Batch) CheckReferences(existing *Existing) []RowError {
	if existing == nil {
		existing = &Existing{}
	}
	var errs []RowError
	add := func(line int, field, ko, en string) {
		errs = append(errs, RowError{Line: line, Field: field, Message: ko, English: en})
	}

	// Categories: the tree after the import is the existing one with the
	// file's rows laid over it.
	parent := map[string]string{}
	slugOwner := map[string]string{}
	for id, c := range existing.Categories {
		parent[id] = c.Parent
	}
	inFile := map[string]bool{}
	for _, c := range b.Categories {
		if c.ExternalID != "" {
			inFile[c.ExternalID] = true
			parent[c.ExternalID] = c.ParentRef
		}
	}
	for id, c := range existing.Categories {
		if !inFile[id] && c.Slug != "" {
			slugOwner[c.Slug] = id
		}
	}
	for _, c := range b.Categories {
		if c.ExternalID == "" {
			continue
		}
		if c.Slug != "" {
			if owner, ok := slugOwner[c.Slug]; ok && owner != c.ExternalID {
				add(c.Line, "slug", fmt.Sprintf("slug %q는 이미 카테고리 %q가 쓰고 있습니다", c.Slug, owner),
					fmt.Sprintf("slug %q is already used by category %q", c.Slug, owner))
			} else {
				slugOwner[c.Slug] = c.ExternalID
			}
		}
		if c.ParentRef == "" {
			continue
		}
		if _, ok := parent[c.ParentRef]; !ok {
			add(c.Line, "parent", fmt.Sprintf("상위 카테고리 %q가 없습니다", c.ParentRef),
				fmt.Sprintf("unknown parent category %q", c.ParentRef))
			continue
		}
		if cycle := findCycle(c.ExternalID, parent); cycle != nil {
			add(c.Line, "parent", "상위 카테고리가 순환합니다: "+strings.Join(cycle, " → "),
				"category parents form a cycle: "+strings.Join(cycle, " → "))
		}
	}

	// Enterprises: a business number belongs to one enterprise.
	bnOwner := map[string]string{}
	entInFile := map[string]bool{}
	for _, e := range b.Enterprises {
		entInFile[e.ExternalID] = true
	}
	for id, bn := range existing.Enterprises {
		if !entInFile[id] {
			bnOwner[bn] = id
		}
	}
	for _, e := range b.Enterprises {
		if e.ExternalID == "" || e.BusinessNumber == "" {
			continue
		}
		if owner, ok := bnOwner[e.BusinessNumber]; ok && owner != e.ExternalID {
			add(e.Line, "business_number", fmt.Sprintf("사업자등록번호 %s는 이미 기업 %q에 등록되어 있습니다", kr.FormatBusinessNumber(e.BusinessNumber), owner),
				fmt.Sprintf("business number %s already belongs to enterprise %q", kr.FormatBusinessNumber(e.BusinessNumber), owner))
			continue
		}
		bnOwner[e.BusinessNumber] = e.ExternalID
	}

	// Products refer to an enterprise and a category.
	for _, p := range b.Products {
		if p.EnterpriseRef != "" && !entInFile[p.EnterpriseRef] {
			if _, ok := existing.Enterprises[p.EnterpriseRef]; !ok {
				add(p.Line, "enterprise", fmt.Sprintf("기업 %q가 파일에도 데이터베이스에도 없습니다", p.EnterpriseRef),
					fmt.Sprintf("unknown enterprise %q (neither in the file nor in the database)", p.EnterpriseRef))
			}
		}
		if p.CategoryRef != "" {
			if _, ok := parent[p.CategoryRef]; !ok {
				add(p.Line, "category", fmt.Sprintf("카테고리 %q가 파일에도 데이터베이스에도 없습니다", p.CategoryRef),
					fmt.Sprintf("unknown category %q (neither in the file nor in the database)", p.CategoryRef))
			}
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}

// findCycle follows parents from id and returns the cycle through id, if id
// is on one (a → b → a), or nil.
func findCycle(id string, parent map[string]string) []string {
	path := []string{id}
	seen := map[string]bool{id: true}
	for cur := parent[id]; cur != ""; cur = parent[cur] {
		path = append(path, cur)
		if cur == id {
			if len(path) > maxCycleReport {
				path = append(path[:maxCycleReport], "…")
			}
			return path
		}
		if seen[cur] {
			return nil // a cycle above id, reported on its own rows
		}
		seen[cur] = true
	}
	return nil
}

// parentsFirst orders categories so that a parent in the file comes before
// its children; the input is free of cycles.
func parentsFirst(cats []CategoryRow) []CategoryRow {
	byID := make(map[string]int, len(cats))
	for i, c := range cats {
		byID[c.ExternalID] = i
	}
	out := make([]CategoryRow, 0, len(cats))
	done := make([]bool, len(cats))
	var visit func(i int)
	visit = func(i int) {
		if done[i] {
			return
		}
		done[i] = true
		if j, ok := byID[cats[i].ParentRef]; ok && cats[i].ParentRef != "" {
			visit(j)
		}
		out = append(out, cats[i])
	}
	for i := range cats {
		visit(i)
	}
	return out
}

func joinCodes[T ~string](codes []T) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// fields reads the fields of one JSON object of a line, reporting every
// problem as a RowError. prefix names the object inside the row ("shipping.",
// "options[2]."). Readers check the JSON types only; what the values may be
// is the rules' business (validated).
type fields struct {
	line   int
	prefix string
	raw    map[string]json.RawMessage
	errs   *[]RowError
}

func (f *fields) fail(field, ko, en string) {
	*f.errs = append(*f.errs, RowError{Line: f.line, Field: f.prefix + field, Message: ko, English: en})
}

// validated adds the rules' problems, except those about a field that
// could not be read (its problem is already reported, and the rule saw a
// zero value in its place).
func (f *fields) validated(ps problems) {
	read := len(*f.errs)
	for _, p := range ps {
		if !f.unread(p, (*f.errs)[:read]) {
			f.fail(p.field, p.ko, p.en)
		}
	}
}

func (f *fields) unread(p problem, errs []RowError) bool {
	for _, e := range errs {
		if e.Field == p.field || strings.HasPrefix(p.field, e.Field+".") || strings.HasPrefix(p.field, e.Field+"[") ||
			(p.sum && strings.HasPrefix(e.Field, "options")) {
			return true
		}
	}
	return false
}

// only reports every field that is not one of names (typos must not be
// silently ignored).
func (f *fields) only(names ...string) {
	var unknown []string
	for k := range f.raw {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		f.fail(k, "알 수 없는 항목입니다", "unknown field")
	}
}

// has reports whether name is present and not null.
func (f *fields) has(name string) bool {
	raw, ok := f.raw[name]
	return ok && string(bytes.TrimSpace(raw)) != "null"
}

// str reads a string, trimmed; a required field must be present.
func (f *fields) str(name string, required bool) string {
	if !f.has(name) {
		if required {
			f.fail(name, "필수 항목입니다", "is required")
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(f.raw[name], &s); err != nil {
		f.fail(name, "문자열이어야 합니다", "must be a string")
		return ""
	}
	return strings.TrimSpace(s)
}

// ref reads an external id: a string without spaces, up to maxIDLen long.
func (f *fields) ref(name string, required bool) string {
	before := len(*f.errs)
	s := f.str(name, required)
	switch {
	case len(*f.errs) > before:
	case s == "" && required:
		f.fail(name, "필수 항목입니다", "is required")
	case utf8.RuneCountInString(s) > maxIDLen:
		f.fail(name, fmt.Sprintf("%d자 이하여야 합니다", maxIDLen), fmt.Sprintf("must be at most %d characters", maxIDLen))
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		f.fail(name, "id에는 공백을 쓸 수 없습니다", "ids must not contain spaces")
	}
	return s
}

// integer reads a JSON integer (no quotes, no fraction, no exponent); money
// is always read this way, so 12000.5 and "12000" fail.
func (f *fields) integer(name string, required bool) int64 {
	if !f.has(name) {
		if required {
			f.fail(name, "필수 항목입니다", "is required")
		}
		return 0
	}
	s := string(bytes.TrimSpace(f.raw[name]))
	if !integerRe.MatchString(s) {
		f.fail(name, "따옴표나 소수점 없는 정수여야 합니다", "must be a JSON integer (no quotes, no decimals)")
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.fail(name, "숫자가 너무 큽니다", fmt.Sprintf("must be at most %d", int64(math.MaxInt64)))
		return 0
	}
	return n
}

// count reads an integer that must fit an int (stock, popularity); a value
// beyond it is left to the rules' upper bound.
func (f *fields) count(name string, required bool) int {
	n := f.integer(name, required)
	return int(max(min(n, math.MaxInt32), math.MinInt32))
}

func (f *fields) boolean(name string) bool {
	if !f.has(name) {
		return false
	}
	var v bool
	if err := json.Unmarshal(f.raw[name], &v); err != nil {
		f.fail(name, "true 또는 false여야 합니다", "must be true or false")
	}
	return v
}

// object reads a nested JSON object.
func (f *fields) object(name string) (*fields, bool) {
	if !f.has(name) {
		return nil, false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(f.raw[name], &m); err != nil {
		f.fail(name, "JSON 객체({...})여야 합니다", "must be a JSON object")
		return nil, false
	}
	return &fields{line: f.line, prefix: f.prefix + name + ".", raw: m, errs: f.errs}, true
}

// array reads a JSON array; how many elements it may have is a rule.
func (f *fields) array(name string) []json.RawMessage {
	if !f.has(name) {
		return nil
	}
	var a []json.RawMessage
	if err := json.Unmarshal(f.raw[name], &a); err != nil {
		f.fail(name, "JSON 배열([...])이어야 합니다", "must be a JSON array")
		return nil
	}
	return a
}

// element reads the i-th object of array name.
func (f *fields) element(name string, i int, raw json.RawMessage) (*fields, bool) {
	field := fmt.Sprintf("%s[%d]", name, i)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		f.fail(field, "JSON 객체({...})여야 합니다", "must be a JSON object")
		return nil, false
	}
	return &fields{line: f.line, prefix: f.prefix + field + ".", raw: m, errs: f.errs}, true
}

// fieldOrder is the order in which a row's problems are reported: by the
// top-level field, then an array element's index, then the element's
// field. Fields not in the order (unknown ones) come first.
type fieldOrder struct {
	top []string
	sub map[string][]string
}

func (o fieldOrder) less(a, b string) bool {
	ka, kb := o.key(a), o.key(b)
	for i := range ka {
		if ka[i] != kb[i] {
			return ka[i] < kb[i]
		}
	}
	return false
}

// key splits "options[2].stock" into the ranks of "options", 2 and "stock".
func (o fieldOrder) key(field string) [3]int {
	top, rest := field, ""
	if i := strings.IndexAny(field, ".["); i >= 0 {
		top, rest = field[:i], field[i:]
	}
	k := [3]int{slices.Index(o.top, top), -1, -1}
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j > 0 {
			k[1], _ = strconv.Atoi(rest[1:j])
			rest = rest[j+1:]
		}
	}
	if sub, ok := strings.CutPrefix(rest, "."); ok {
		k[2] = slices.Index(o.sub[top], sub)
	}
	return k
}
