package catalog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
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

// Limits that keep one row from being absurd.
const (
	maxLineBytes   = 1 << 20
	maxIDLen       = 100
	maxNameLen     = 200
	maxShortLen    = 500
	maxTextLen     = 20000
	maxOptions     = 100
	maxImages      = 20
	maxMoney       = 10_000_000_000 // 100억 원 per item is far beyond any real product
	maxCount       = 1_000_000_000  // fits the schema's int columns
	maxPosition    = 1_000_000
	maxURLLen      = 2000
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

var (
	slugRe    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	integerRe = regexp.MustCompile(`^-?[0-9]+$`)
)

var enterpriseStatuses = map[string]bool{"pending": true, "active": true, "suspended": true}

var productStatuses = map[string]bool{StatusDraft: true, StatusActive: true, StatusHidden: true}

// Parse reads a catalogue file and validates every row, including references
// between rows and to what already exists (existing may be nil). It returns an
// *ImportError listing every problem, sorted by line, when any row is bad;
// other errors are read failures.
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
	f := &fields{line: line, raw: raw, errs: &p.errs}
	switch typ := f.str("type", true, 20); typ {
	case "category":
		p.category(f)
	case "enterprise":
		p.enterprise(f)
	case "product":
		p.product(f)
	case "":
	default:
		f.fail("type", fmt.Sprintf("알 수 없는 종류 %q입니다 (category, enterprise, product 중 하나)", typ),
			fmt.Sprintf("unknown type %q (want category, enterprise or product)", typ))
	}
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
	c.Slug = f.str("slug", true, maxIDLen)
	if c.Slug != "" && !slugRe.MatchString(c.Slug) {
		f.fail("slug", "영문 소문자, 숫자, 하이픈(-)만 쓸 수 있습니다", "must be lower-case letters, digits and single hyphens")
	}
	c.Name = f.str("name", true, maxNameLen)
	c.ParentRef = f.ref("parent", false)
	c.Position = int(f.integer("position", false, -maxPosition, maxPosition))
	p.b.Categories = append(p.b.Categories, c)
}

func (p *parser) enterprise(f *fields) {
	f.only("type", "id", "name", "enterprise_type", "cert_number", "cert_valid_until", "business_number", "region",
		"representative", "phone", "email", "address", "mission", "description", "shipping", "status")
	e := EnterpriseRow{Line: f.line}
	e.ExternalID = p.id(f, p.entLines, "enterprise", "기업")
	e.Name = f.str("name", true, maxNameLen)
	e.Type = EnterpriseType(f.str("enterprise_type", true, 50))
	if e.Type != "" && !e.Type.Valid() {
		f.fail("enterprise_type", fmt.Sprintf("알 수 없는 기업 유형 %q입니다", e.Type),
			fmt.Sprintf("unknown enterprise type %q (want one of %s)", e.Type, joinCodes(EnterpriseTypes)))
	}
	e.CertNumber = f.str("cert_number", false, maxIDLen)
	if s := f.str("cert_valid_until", false, 20); s != "" {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			f.fail("cert_valid_until", "날짜는 YYYY-MM-DD 형식이어야 합니다", "must be a date written YYYY-MM-DD")
		} else {
			e.CertValidUntil = &d
		}
	}
	if s := f.str("business_number", true, 20); s != "" {
		d, ok := kr.NormalizeBusinessNumber(s)
		if !ok {
			f.fail("business_number", "사업자등록번호가 올바르지 않습니다 (10자리, 마지막 자리는 검증번호)",
				"invalid business registration number (10 digits, the last one a check digit)")
		}
		e.BusinessNumber = d
	}
	e.Region = Region(f.str("region", true, 20))
	if e.Region != "" && !e.Region.Valid() {
		f.fail("region", fmt.Sprintf("알 수 없는 지역 %q입니다", e.Region),
			fmt.Sprintf("unknown region %q (want one of %s)", e.Region, joinCodes(Regions)))
	}
	e.Representative = f.str("representative", true, maxNameLen)
	if s := f.str("phone", false, 30); s != "" {
		if !kr.ValidPhone(s) {
			f.fail("phone", "전화번호 형식이 올바르지 않습니다 (예: 053-123-4567)", "invalid phone number (e.g. 053-123-4567)")
		}
		e.Phone = kr.Phone(s)
	}
	if s := f.str("email", false, 254); s != "" {
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			f.fail("email", "이메일 주소 형식이 올바르지 않습니다", "invalid e-mail address")
		}
		e.Email = s
	}
	e.Address = f.str("address", false, maxShortLen)
	e.Mission = f.str("mission", false, maxTextLen)
	e.Description = f.str("description", false, maxTextLen)
	if sh, ok := f.object("shipping"); ok {
		sh.only("fee", "free_threshold", "remote_surcharge")
		e.Shipping.Fee = sh.integer("fee", false, 0, maxMoney)
		e.Shipping.FreeThreshold = sh.integer("free_threshold", false, 0, maxMoney)
		e.Shipping.RemoteSurcharge = sh.integer("remote_surcharge", false, 0, maxMoney)
	}
	e.Status = f.str("status", false, 20)
	if e.Status == "" {
		e.Status = "active"
	} else if !enterpriseStatuses[e.Status] {
		f.fail("status", fmt.Sprintf("알 수 없는 상태 %q입니다", e.Status),
			fmt.Sprintf("unknown status %q (want pending, active or suspended)", e.Status))
	}
	p.b.Enterprises = append(p.b.Enterprises, e)
}

func (p *parser) product(f *fields) {
	f.only("type", "id", "enterprise", "category", "kind", "name", "summary", "description", "unit", "tax_type",
		"consumer_price", "public_price", "stock", "status", "featured", "popularity", "options", "images")
	pr := ProductRow{Line: f.line}
	pr.ExternalID = p.id(f, p.prodLines, "product", "상품")
	pr.EnterpriseRef = f.ref("enterprise", true)
	pr.CategoryRef = f.ref("category", true)
	pr.Kind = Kind(f.str("kind", true, 20))
	if pr.Kind != "" && !pr.Kind.Valid() {
		f.fail("kind", fmt.Sprintf("알 수 없는 상품 구분 %q입니다 (goods 또는 service)", pr.Kind),
			fmt.Sprintf("unknown kind %q (want goods or service)", pr.Kind))
	}
	pr.Name = f.str("name", true, maxNameLen)
	pr.Summary = f.str("summary", false, maxShortLen)
	pr.Description = f.str("description", false, maxTextLen)
	pr.Unit = f.str("unit", false, 50)
	pr.TaxType = TaxType(f.str("tax_type", true, 20))
	if pr.TaxType != "" && !pr.TaxType.Valid() {
		f.fail("tax_type", fmt.Sprintf("알 수 없는 과세 구분 %q입니다 (taxable 또는 exempt)", pr.TaxType),
			fmt.Sprintf("unknown tax type %q (want taxable or exempt)", pr.TaxType))
	}
	pr.ConsumerPrice = f.integer("consumer_price", true, 1, maxMoney)
	pr.PublicPrice = f.integer("public_price", true, 1, maxMoney)
	pr.Stock = int(f.integer("stock", true, 0, maxCount))
	pr.Status = f.str("status", false, 20)
	if pr.Status == "" {
		pr.Status = StatusActive
	} else if !productStatuses[pr.Status] {
		f.fail("status", fmt.Sprintf("알 수 없는 상태 %q입니다", pr.Status),
			fmt.Sprintf("unknown status %q (want draft, active or hidden)", pr.Status))
	}
	pr.Featured = f.boolean("featured")
	pr.Popularity = int(f.integer("popularity", false, 0, maxCount))

	items, _ := f.array("options", maxOptions)
	codes := map[string]int{}
	optionStock, optionsOK := 0, true
	for i, raw := range items {
		of, ok := f.element("options", i, raw)
		if !ok {
			optionsOK = false
			continue
		}
		before := len(*f.errs)
		of.only("code", "name", "extra_price", "stock")
		o := Option{Code: of.ref("code", true), Name: of.str("name", true, maxNameLen),
			ExtraPrice: of.integer("extra_price", false, 0, maxMoney), Stock: int(of.integer("stock", true, 0, maxCount))}
		if j, dup := codes[o.Code]; dup && o.Code != "" {
			of.fail("code", fmt.Sprintf("옵션 코드 %q가 options[%d]와 중복됩니다", o.Code, j),
				fmt.Sprintf("duplicate option code %q (also options[%d])", o.Code, j))
		}
		codes[o.Code] = i
		if len(*f.errs) > before {
			optionsOK = false
		}
		optionStock += o.Stock
		pr.Options = append(pr.Options, o)
	}
	if len(items) > 0 && optionsOK && f.has("stock") && pr.Stock != optionStock {
		f.fail("stock", fmt.Sprintf("옵션이 있으면 재고는 옵션 재고의 합(%d)과 같아야 합니다", optionStock),
			fmt.Sprintf("with options, stock must equal the sum of the options' stock (%d)", optionStock))
	}

	items, _ = f.array("images", maxImages)
	for i, raw := range items {
		imf, ok := f.element("images", i, raw)
		if !ok {
			continue
		}
		imf.only("url", "alt")
		im := Image{URL: imf.str("url", true, maxURLLen), Alt: imf.str("alt", false, maxShortLen)}
		if im.URL != "" && !strings.HasPrefix(im.URL, "https://") && !strings.HasPrefix(im.URL, "http://") &&
			!(strings.HasPrefix(im.URL, "/") && !strings.HasPrefix(im.URL, "//")) {
			imf.fail("url", "이미지 주소는 http://, https:// 또는 /로 시작해야 합니다", "must start with http://, https:// or /")
		}
		pr.Images = append(pr.Images, im)
	}
	p.b.Products = append(p.b.Products, pr)
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
// "options[2].").
type fields struct {
	line   int
	prefix string
	raw    map[string]json.RawMessage
	errs   *[]RowError
}

func (f *fields) fail(field, ko, en string) {
	*f.errs = append(*f.errs, RowError{Line: f.line, Field: f.prefix + field, Message: ko, English: en})
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

func (f *fields) str(name string, required bool, max int) string {
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
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f.fail(name, "필수 항목입니다", "is required")
	case utf8.RuneCountInString(s) > max:
		f.fail(name, fmt.Sprintf("%d자 이하여야 합니다", max), fmt.Sprintf("must be at most %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		f.fail(name, "제어 문자를 쓸 수 없습니다", "must not contain control characters")
	}
	return s
}

// ref reads an external id: a string without spaces, up to maxIDLen long.
func (f *fields) ref(name string, required bool) string {
	s := f.str(name, required, maxIDLen)
	if strings.ContainsFunc(s, unicode.IsSpace) {
		f.fail(name, "id에는 공백을 쓸 수 없습니다", "ids must not contain spaces")
	}
	return s
}

// integer reads a JSON integer (no quotes, no fraction, no exponent) between
// min and max; money is always read this way, so 12000.5 and "12000" fail.
func (f *fields) integer(name string, required bool, min, max int64) int64 {
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
	switch {
	case err != nil || n > max:
		f.fail(name, fmt.Sprintf("%s 이하여야 합니다", kr.Comma(max)), fmt.Sprintf("must be at most %d", max))
	case n < min && min == 1:
		f.fail(name, "0보다 커야 합니다", "must be greater than 0")
	case n < min && min == 0:
		f.fail(name, "0 이상이어야 합니다", "must not be negative")
	case n < min:
		f.fail(name, fmt.Sprintf("%s 이상이어야 합니다", kr.Comma(min)), fmt.Sprintf("must be at least %d", min))
	default:
		return n
	}
	return 0
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

// array reads a JSON array of at most max elements.
func (f *fields) array(name string, max int) ([]json.RawMessage, bool) {
	if !f.has(name) {
		return nil, false
	}
	var a []json.RawMessage
	if err := json.Unmarshal(f.raw[name], &a); err != nil {
		f.fail(name, "JSON 배열([...])이어야 합니다", "must be a JSON array")
		return nil, false
	}
	if len(a) > max {
		f.fail(name, fmt.Sprintf("%d개 이하여야 합니다", max), fmt.Sprintf("must have at most %d elements", max))
		return nil, false
	}
	return a, true
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
