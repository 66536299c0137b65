package catalog

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// Limits of the catalogue's fields, the same for the portal's forms, the CSV
// upload and the JSON Lines importer. Text is measured in characters, not
// bytes.
const (
	MaxNameLen        = 100 // product, option, enterprise and category names
	MaxCodeLen        = 100 // 상품코드 and option codes
	MaxSummaryLen     = 500
	MaxDescriptionLen = 20000
	MaxUnitLen        = 50
	MaxShortTextLen   = 500 // addresses, certification numbers, image descriptions
	MaxURLLen         = 2000
	MaxPrice          = 100_000_000 // 1억 원: prices, option extra prices, shipping charges
	MaxStock          = 1_000_000
	MaxOptions        = 50
	MaxImages         = 10
	MaxPopularity     = 1_000_000_000
	MaxPosition       = 1_000_000
)

// Messages shared by several fields.
const (
	msgPrice      = "가격은 1원 이상 1억원 이하로 입력해 주세요."
	msgExtraPrice = "추가 금액은 0원 이상 1억원 이하로 입력해 주세요."
	msgStock      = "재고는 0 이상 1,000,000 이하로 입력해 주세요."
	msgShipping   = "배송비는 0원 이상 1억원 이하로 입력해 주세요."
	// MsgNameTaken is the message for a product name another product of the
	// same enterprise already has.
	MsgNameTaken = "같은 이름의 상품이 이미 있습니다."
	// MsgCodeTaken is the message for a 상품코드 another product of the same
	// enterprise already has.
	MsgCodeTaken = "같은 상품코드가 이미 있습니다."
)

// problem is one broken rule: the field at fault, named as the forms name
// it ("name", "options[1].stock"), and the reason in Korean for people and
// in English for the importer's report.
type problem struct {
	field, ko, en string
	// sum marks the check of the options' stock sum, which means nothing
	// when an option could not be read.
	sum bool
}

type problems []problem

func (ps *problems) add(field, ko, en string) {
	*ps = append(*ps, problem{field: field, ko: ko, en: en})
}

// err returns ps as an apperr.Invalid error with the first message of each
// field in Fields, or nil when there are none.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	fields := make(map[string]string, len(ps))
	for _, p := range ps {
		if _, ok := fields[p.field]; !ok {
			fields[p.field] = p.ko
		}
	}
	msg := ps[0].ko
	if len(fields) > 1 {
		msg = fmt.Sprintf("입력한 내용 중 %d곳을 확인해 주세요.", len(fields))
	}
	return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: fields}
}

// fieldError returns an apperr error of code with one Korean message on field.
func fieldError(code, field, msg string) error {
	return &apperr.Error{Code: code, Message: msg, Fields: map[string]string{field: msg}}
}

// NameTakenError is the error for a product name that another (not
// archived) product of the same enterprise has: apperr.Conflict with
// Fields["name"]. The database's unique index is the last word; adapters
// translate its violation into this error.
func NameTakenError() error { return fieldError(apperr.Conflict, "name", MsgNameTaken) }

// CodeTakenError is NameTakenError for the 상품코드 (Fields["code"]).
func CodeTakenError() error { return fieldError(apperr.Conflict, "code", MsgCodeTaken) }

// UnknownCategoryError is the error for a category that does not exist:
// apperr.Invalid with Fields["category_id"].
func UnknownCategoryError() error {
	return fieldError(apperr.Invalid, "category_id", "카테고리를 다시 선택해 주세요.")
}

// text adds the problem of a text field under the one rule of outside text
// (textin): the same for the portal's forms, the CSV upload and the JSON
// Lines importer.
func (ps *problems) text(field, s string, r textin.Rule) {
	if p, ok := r.Check(s); !ok {
		ps.add(field, p.Ko, p.En)
	}
}

// price checks a price in 원: 1 to MaxPrice.
func (ps *problems) price(field string, v int64) {
	switch {
	case v < 1:
		ps.add(field, msgPrice, "must be greater than 0")
	case v > MaxPrice:
		ps.add(field, msgPrice, fmt.Sprintf("must be at most %d", MaxPrice))
	}
}

// amount checks a non-negative amount in 원 up to MaxPrice.
func (ps *problems) amount(field, ko string, v int64) {
	switch {
	case v < 0:
		ps.add(field, ko, "must not be negative")
	case v > MaxPrice:
		ps.add(field, ko, fmt.Sprintf("must be at most %d", MaxPrice))
	}
}

// stock checks a stock count and reports whether it is fine.
func (ps *problems) stock(field string, v int) bool {
	switch {
	case v < 0:
		ps.add(field, msgStock, "must not be negative")
	case v > MaxStock:
		ps.add(field, msgStock, fmt.Sprintf("must be at most %d", MaxStock))
	default:
		return true
	}
	return false
}

func (ps *problems) url(field, s string, required bool) {
	switch {
	case s == "":
		if required {
			ps.add(field, "이미지 주소를 입력해 주세요.", "is required")
		}
	case !textin.Clean(s, false) || strings.ContainsFunc(s, unicode.IsSpace):
		ps.add(field, "이미지 주소에 공백이나 제어 문자를 쓸 수 없습니다.", "must not contain spaces or control characters")
	case len(s) > MaxURLLen:
		ps.add(field, fmt.Sprintf("이미지 주소는 %d자 이하여야 합니다.", MaxURLLen), fmt.Sprintf("must be at most %d characters", MaxURLLen))
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "//"):
		// The storefront's Content-Security-Policy shows images of its
		// own origin only (img-src 'self'): an outside address would be
		// a broken image on every page.
		ps.add(field, "다른 사이트의 이미지 주소는 쓸 수 없습니다(보안 정책으로 표시되지 않습니다). 이미지를 올린 뒤 그 주소(/로 시작)를 넣어 주세요.",
			"must be an address on this site (starting with /): images of other sites are blocked by the Content-Security-Policy")
	case !strings.HasPrefix(s, "/"):
		ps.add(field, "이미지 주소는 /로 시작해야 합니다.", "must start with /")
	}
}

// Normalize trims the spaces around single-line fields and turns the CRLF or
// CR line breaks of the description into LF, as browsers and spreadsheets
// send them; Validate then judges what is left.
func (p *Product) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.Code = strings.TrimSpace(p.Code)
	p.Summary = strings.TrimSpace(p.Summary)
	p.Description = textin.NormalizeNewlines(strings.TrimSpace(p.Description))
	p.Unit = strings.TrimSpace(p.Unit)
	for i := range p.Options {
		o := &p.Options[i]
		o.Code, o.Name = strings.TrimSpace(o.Code), strings.TrimSpace(o.Name)
	}
	SortTiers(p.ConsumerTiers)
	SortTiers(p.PublicTiers)
	for i := range p.Images {
		im := &p.Images[i]
		im.URL, im.Alt, im.ThumbURL = strings.TrimSpace(im.URL), strings.TrimSpace(im.Alt), strings.TrimSpace(im.ThumbURL)
	}
}

// Validate checks p against the catalogue's rules: the name (1–100
// characters) and the other texts (valid UTF-8, no control characters but
// the description's newlines), kind and tax type, prices (1원 to 1억원),
// stock (0 to 1,000,000; with options, their sum), volume tiers per price
// list (at most 5, each below the list's base price and below the tier of
// the next smaller quantity: "consumer_tiers", "public_tiers"), up to 50 options with
// unique codes and names, extra prices of 0 or more, and up to 10 images.
// It returns nil or an apperr.Invalid *apperr.Error whose Fields hold one
// Korean message per form field: "name", "category_id", "consumer_price",
// "options[1].stock", "images[0].url", …. Call Normalize first.
func (p *Product) Validate() error { return p.problems(true).err() }

// problems lists every rule p breaks. withCategory says whether CategoryID
// must be set (the importer names the category by external id instead).
func (p *Product) problems(withCategory bool) problems {
	var ps problems
	if withCategory && p.CategoryID <= 0 {
		ps.add("category_id", "카테고리를 선택해 주세요.", "is required")
	}
	switch {
	case p.Kind == "":
		ps.add("kind", "구분(상품/서비스)을 선택해 주세요.", "is required")
	case !p.Kind.Valid():
		ps.add("kind", "구분은 상품 또는 서비스 중 하나여야 합니다.", fmt.Sprintf("unknown kind %q (want goods or service)", p.Kind))
	}
	ps.text("name", p.Name, textin.Rule{Label: "상품명", Required: true, Max: MaxNameLen})
	ps.text("code", p.Code, textin.Rule{Label: "상품코드", Max: MaxCodeLen, NoSpace: true})
	ps.text("summary", p.Summary, textin.Rule{Label: "요약", Max: MaxSummaryLen})
	ps.text("description", p.Description, textin.Rule{Label: "설명", Max: MaxDescriptionLen, Multiline: true})
	ps.text("unit", p.Unit, textin.Rule{Label: "단위", Max: MaxUnitLen})
	switch {
	case p.TaxType == "":
		ps.add("tax_type", "과세 구분(과세/면세)을 선택해 주세요.", "is required")
	case !p.TaxType.Valid():
		ps.add("tax_type", "과세 구분은 과세 또는 면세 중 하나여야 합니다.", fmt.Sprintf("unknown tax type %q (want taxable or exempt)", p.TaxType))
	}
	ps.price("consumer_price", p.ConsumerPrice)
	ps.price("public_price", p.PublicPrice)
	ps.tiers("consumer_tiers", "소비자가", p.ConsumerTiers, p.ConsumerPrice)
	ps.tiers("public_tiers", "공공기관가", p.PublicTiers, p.PublicPrice)
	ps.stock("stock", p.Stock)
	if p.Status != "" && !ValidProductStatus(p.Status) {
		ps.add("status", "판매 상태가 올바르지 않습니다.", fmt.Sprintf("unknown status %q", p.Status))
	}
	if p.Popularity < 0 || p.Popularity > MaxPopularity {
		ps.add("popularity", "인기도는 0 이상이어야 합니다.", fmt.Sprintf("must be between 0 and %d", MaxPopularity))
	}

	if len(p.Options) > MaxOptions {
		ps.add("options", fmt.Sprintf("옵션은 %d개까지 등록할 수 있습니다.", MaxOptions), fmt.Sprintf("must have at most %d elements", MaxOptions))
	}
	codes, names := map[string]int{}, map[string]int{}
	sum, stocksOK := 0, true
	for i, o := range p.Options {
		f := fmt.Sprintf("options[%d].", i)
		ps.text(f+"name", o.Name, textin.Rule{Label: "옵션명", Required: true, Max: MaxNameLen})
		if j, dup := names[o.Name]; dup && o.Name != "" {
			ps.add(f+"name", fmt.Sprintf("%d번째 옵션과 이름이 같습니다.", j+1), fmt.Sprintf("duplicate option name %q (also options[%d])", o.Name, j))
		} else {
			names[o.Name] = i
		}
		ps.amount(f+"extra_price", msgExtraPrice, o.ExtraPrice)
		stocksOK = ps.stock(f+"stock", o.Stock) && stocksOK
		ps.text(f+"code", o.Code, textin.Rule{Label: "옵션 코드", Required: true, Max: MaxCodeLen, NoSpace: true})
		if j, dup := codes[o.Code]; dup && o.Code != "" {
			ps.add(f+"code", fmt.Sprintf("%d번째 옵션과 옵션 코드가 같습니다.", j+1), fmt.Sprintf("duplicate option code %q (also options[%d])", o.Code, j))
		} else {
			codes[o.Code] = i
		}
		sum += o.Stock
	}
	if len(p.Options) > 0 && stocksOK && p.Stock != sum {
		ps = append(ps, problem{field: "stock", sum: true,
			ko: fmt.Sprintf("옵션이 있으면 재고는 옵션 재고의 합(%s)과 같아야 합니다.", kr.Comma(int64(sum))),
			en: fmt.Sprintf("with options, stock must equal the sum of the options' stock (%d)", sum)})
	}

	if len(p.Images) > MaxImages {
		ps.add("images", fmt.Sprintf("이미지는 %d장까지 등록할 수 있습니다.", MaxImages), fmt.Sprintf("must have at most %d elements", MaxImages))
	}
	for i, im := range p.Images {
		f := fmt.Sprintf("images[%d].", i)
		ps.url(f+"url", im.URL, true)
		ps.text(f+"alt", im.Alt, textin.Rule{Label: "이미지 설명", Max: MaxShortTextLen})
		ps.url(f+"thumb_url", im.ThumbURL, false)
	}
	return ps
}

// stockProblems checks only the stock of p and of its options: a stock
// change must not be refused because of another field that an older rule
// allowed.
func (p *Product) stockProblems() problems {
	var ps problems
	for _, pr := range p.problems(false) {
		if pr.field == "stock" || (strings.HasPrefix(pr.field, "options[") && strings.HasSuffix(pr.field, "].stock")) {
			ps = append(ps, pr)
		}
	}
	return ps
}

// Normalize trims the spaces around the enterprise's single-line fields,
// writes the 사업자등록번호 as its 10 digits and the phone number with
// hyphens when they are valid, and turns CRLF line breaks into LF.
func (e *Enterprise) Normalize() {
	e.Name = strings.TrimSpace(e.Name)
	e.CertNumber = strings.TrimSpace(e.CertNumber)
	e.Representative = strings.TrimSpace(e.Representative)
	e.Email = strings.TrimSpace(e.Email)
	e.Address = strings.TrimSpace(e.Address)
	e.Mission = textin.NormalizeNewlines(strings.TrimSpace(e.Mission))
	e.Description = textin.NormalizeNewlines(strings.TrimSpace(e.Description))
	if d, ok := kr.NormalizeBusinessNumber(strings.TrimSpace(e.BusinessNumber)); ok {
		e.BusinessNumber = d
	}
	if e.Phone = strings.TrimSpace(e.Phone); kr.ValidPhone(e.Phone) {
		e.Phone = kr.Phone(e.Phone)
	}
}

var enterpriseStatuses = map[string]bool{EnterprisePending: true, EnterpriseActive: true, EnterpriseSuspended: true}

// Validate checks e against the catalogue's rules and returns nil or an
// apperr.Invalid *apperr.Error with one Korean message per form field
// ("name", "enterprise_type", "business_number", "region", "representative",
// "phone", "email", "shipping.fee", …). Call Normalize first.
func (e *Enterprise) Validate() error { return e.problems().err() }

func (e *Enterprise) problems() problems {
	var ps problems
	ps.text("name", e.Name, textin.Rule{Label: "기업명", Required: true, Max: MaxNameLen})
	switch {
	case e.Type == "":
		ps.add("enterprise_type", "기업 유형을 선택해 주세요.", "is required")
	case !e.Type.Valid():
		ps.add("enterprise_type", "알 수 없는 기업 유형입니다.",
			fmt.Sprintf("unknown enterprise type %q (want one of %s)", e.Type, joinCodes(EnterpriseTypes)))
	}
	ps.text("cert_number", e.CertNumber, textin.Rule{Label: "인증번호", Max: MaxShortTextLen})
	if e.BusinessNumber == "" {
		ps.add("business_number", "사업자등록번호를 입력해 주세요.", "is required")
	} else if _, ok := kr.NormalizeBusinessNumber(e.BusinessNumber); !ok {
		ps.add("business_number", "사업자등록번호가 올바르지 않습니다 (10자리, 마지막 자리는 검증번호).",
			"invalid business registration number (10 digits, the last one a check digit)")
	}
	switch {
	case e.Region == "":
		ps.add("region", "지역을 선택해 주세요.", "is required")
	case !e.Region.Valid():
		ps.add("region", "알 수 없는 지역입니다.", fmt.Sprintf("unknown region %q (want one of %s)", e.Region, joinCodes(Regions)))
	}
	ps.text("representative", e.Representative, textin.Rule{Label: "대표자", Required: true, Max: MaxNameLen})
	if e.Phone != "" && !kr.ValidPhone(e.Phone) {
		ps.add("phone", "전화번호 형식이 올바르지 않습니다 (예: 053-123-4567).", "invalid phone number (e.g. 053-123-4567)")
	}
	if e.Email != "" {
		if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email || len(e.Email) > 254 {
			ps.add("email", "이메일 주소 형식이 올바르지 않습니다.", "invalid e-mail address")
		}
	}
	ps.text("address", e.Address, textin.Rule{Label: "주소", Max: MaxShortTextLen})
	ps.text("mission", e.Mission, textin.Rule{Label: "미션", Max: MaxDescriptionLen, Multiline: true})
	ps.text("description", e.Description, textin.Rule{Label: "소개", Max: MaxDescriptionLen, Multiline: true})
	ps.amount("shipping.fee", msgShipping, e.Shipping.Fee)
	ps.amount("shipping.free_threshold", "무료배송 기준 금액은 0원 이상 1억원 이하로 입력해 주세요.", e.Shipping.FreeThreshold)
	ps.amount("shipping.remote_surcharge", "도서산간 추가 배송비는 0원 이상 1억원 이하로 입력해 주세요.", e.Shipping.RemoteSurcharge)
	if e.Status != "" && !enterpriseStatuses[e.Status] {
		ps.add("status", "기업 상태가 올바르지 않습니다.", fmt.Sprintf("unknown status %q (want pending, active or suspended)", e.Status))
	}
	return ps
}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks a category's slug, name and position and returns nil or
// an apperr.Invalid *apperr.Error with Fields "slug", "name", "position".
func (c *Category) Validate() error { return c.problems().err() }

func (c *Category) problems() problems {
	var ps problems
	switch {
	case c.Slug == "":
		ps.add("slug", "주소 이름(slug)을 입력해 주세요.", "is required")
	case len(c.Slug) > MaxCodeLen || !slugRe.MatchString(c.Slug):
		ps.add("slug", "영문 소문자, 숫자, 하이픈(-)만 쓸 수 있습니다.", "must be lower-case letters, digits and single hyphens")
	}
	ps.text("name", c.Name, textin.Rule{Label: "카테고리 이름", Required: true, Max: MaxNameLen})
	if c.Position < -MaxPosition || c.Position > MaxPosition {
		ps.add("position", fmt.Sprintf("순서는 ±%s 이내여야 합니다.", kr.Comma(MaxPosition)), fmt.Sprintf("must be between %d and %d", -MaxPosition, MaxPosition))
	}
	return ps
}
