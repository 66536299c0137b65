package curation

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/textin"
)

// Input is the console's campaign form, as typed.
type Input struct {
	Slug    string
	Kind    string
	Title   string
	Summary string
	Body    string
	// Starts and Ends are KST date-times as a datetime-local field sends
	// them ("2026-12-01T09:00"); a date alone is its midnight.
	Starts   string
	Ends     string
	Status   string
	Featured bool

	Types      []string
	Regions    []string
	CategoryID string
	Keyword    string

	// DiscountKind is "", "percent" or "won"; DiscountValue a percent
	// ("10", "12.5") or won ("1,000"); FundedBy "coop" or "enterprise".
	DiscountKind  string
	DiscountValue string
	FundedBy      string
	// Products are hand-picked product numbers, separated by commas,
	// spaces or lines.
	Products string
}

// MaxProducts is the most hand-picked products a campaign holds.
const MaxProducts = 200

var (
	slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,59}$`)
	titleRule   = textin.Rule{Label: "제목", Required: true, Max: 80}
	summaryRule = textin.Rule{Label: "요약", Max: 200}
	bodyRule    = textin.Rule{Label: "소개", Max: 5000, Multiline: true}
	keywordRule = textin.Rule{Label: "키워드", Max: 30}
	storyRule   = textin.Rule{Label: "기업 이야기", Max: 3000, Multiline: true}
	altRule     = textin.Rule{Label: "이미지 설명", Max: 100}
)

// ParseKST reads a datetime-local value ("2006-01-02T15:04", seconds
// allowed) or a date as a time in Asia/Seoul.
func ParseKST(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, kr.Seoul()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatKST is t as ParseKST reads it back, for a form's value.
func FormatKST(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(kr.Seoul()).Format("2006-01-02T15:04")
}

// ParsePercent reads a percent with at most two decimals ("10", "12.5",
// "7%") as basis points.
func ParsePercent(s string) (int64, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1000 {
		return 0, false
	}
	bp := w * 100
	if frac != "" {
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return 0, false
		}
		if len(frac) == 1 {
			f *= 10
		}
		bp += f
	}
	return bp, true
}

// FormatPercent is bp as a percent for display and forms ("12.5").
func FormatPercent(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if r := bp % 100; r != 0 {
		f := strconv.FormatInt(r+100, 10)[1:]
		s += "." + strings.TrimRight(f, "0")
	}
	return s
}

// parseWon reads a won amount ("1,000", "1000원").
func parseWon(s string) (int64, bool) {
	s = strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "원")
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseIDs reads product numbers separated by commas, spaces or lines,
// without repeats, in order.
func parseIDs(s string) ([]int64, bool) {
	var ids []int64
	seen := map[int64]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, false
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, true
}

// build checks in and returns the campaign it describes (without ID,
// banner or booths). Invalid with per-field messages: slug, kind, title,
// summary, body, starts, ends, status, types, regions, category_id,
// keyword, discount_kind, discount_value, funded_by, products.
func (in Input) build() (*Campaign, error) {
	f := apperr.Fields{}
	c := &Campaign{Slug: strings.ToLower(strings.TrimSpace(in.Slug)), Kind: Kind(in.Kind), Status: Status(in.Status),
		Title: strings.TrimSpace(in.Title), Summary: strings.TrimSpace(in.Summary),
		Body: strings.TrimSpace(textin.NormalizeNewlines(in.Body)), Featured: in.Featured}
	if !slugPattern.MatchString(c.Slug) {
		f.Add("slug", "주소 이름은 영문 소문자·숫자·하이픈(-)으로 60자까지 써 주세요. 예: 2026-winter-fair")
	}
	if !c.Kind.Valid() {
		f.Add("kind", "기획전인지 온라인 박람회인지 골라 주세요.")
	}
	if c.Status != Draft && c.Status != Published {
		f.Add("status", "공개 여부를 골라 주세요.")
	}
	f.Add("title", titleRule.Message(c.Title))
	f.Add("summary", summaryRule.Message(c.Summary))
	f.Add("body", bodyRule.Message(c.Body))
	var okStart, okEnd bool
	c.StartsAt, okStart = ParseKST(in.Starts)
	c.EndsAt, okEnd = ParseKST(in.Ends)
	if !okStart {
		f.Add("starts", "시작 일시를 2026-12-01 09:00 형식으로 넣어 주세요.")
	}
	if !okEnd {
		f.Add("ends", "종료 일시를 2026-12-31 23:59 형식으로 넣어 주세요.")
	}
	if okStart && okEnd && !c.EndsAt.After(c.StartsAt) {
		f.Add("ends", "종료 일시는 시작 일시보다 뒤여야 합니다.")
	}
	for _, t := range in.Types {
		if et := catalog.EnterpriseType(t); et.Valid() {
			c.Rule.Types = append(c.Rule.Types, et)
		} else {
			f.Add("types", "기업 유형을 목록에서 골라 주세요.")
		}
	}
	for _, r := range in.Regions {
		if rg := catalog.Region(r); rg.Valid() {
			c.Rule.Regions = append(c.Rule.Regions, rg)
		} else {
			f.Add("regions", "지역을 목록에서 골라 주세요.")
		}
	}
	if s := strings.TrimSpace(in.CategoryID); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			f.Add("category_id", "카테고리를 목록에서 골라 주세요.")
		}
		c.Rule.CategoryID = id
	}
	c.Rule.Keyword = strings.TrimSpace(in.Keyword)
	f.Add("keyword", keywordRule.Message(c.Rule.Keyword))
	switch in.DiscountKind {
	case "":
	case DiscountPercent:
		bp, ok := ParsePercent(in.DiscountValue)
		switch {
		case !ok:
			f.Add("discount_value", "할인율을 숫자로 넣어 주세요. 예: 10 또는 12.5")
		case bp <= 0 || bp >= 10000:
			f.Add("discount_value", "할인율은 0%보다 크고 100%보다 작아야 합니다.")
		}
		c.DiscountKind, c.DiscountValue = DiscountPercent, bp
	case DiscountWon:
		won, ok := parseWon(in.DiscountValue)
		switch {
		case !ok:
			f.Add("discount_value", "할인 금액을 원 단위 숫자로 넣어 주세요. 예: 1000")
		case won <= 0:
			f.Add("discount_value", "할인 금액은 1원 이상이어야 합니다.")
		}
		c.DiscountKind, c.DiscountValue = DiscountWon, won
	default:
		f.Add("discount_kind", "할인 방식을 골라 주세요.")
	}
	if c.DiscountKind != "" {
		switch in.FundedBy {
		case pricing.FundedByCoop, pricing.FundedByEnterprise:
			c.FundedBy = in.FundedBy
		default:
			f.Add("funded_by", "할인 금액을 협동조합과 입점기업 중 누가 부담하는지 골라 주세요.")
		}
	}
	ids, ok := parseIDs(in.Products)
	switch {
	case !ok:
		f.Add("products", "상품 번호를 쉼표나 줄바꿈으로 나누어 숫자로 넣어 주세요.")
	case len(ids) > MaxProducts:
		f.Add("products", "직접 고른 상품은 "+strconv.Itoa(MaxProducts)+"개까지 넣을 수 있습니다.")
	}
	c.ProductIDs = ids
	return c, f.Err()
}

// InputOf is c as its form shows it.
func InputOf(c *Campaign) Input {
	in := Input{Slug: c.Slug, Kind: string(c.Kind), Title: c.Title, Summary: c.Summary, Body: c.Body,
		Starts: FormatKST(c.StartsAt), Ends: FormatKST(c.EndsAt), Status: string(c.Status), Featured: c.Featured,
		Keyword: c.Rule.Keyword, DiscountKind: c.DiscountKind, FundedBy: c.FundedBy}
	for _, t := range c.Rule.Types {
		in.Types = append(in.Types, string(t))
	}
	for _, r := range c.Rule.Regions {
		in.Regions = append(in.Regions, string(r))
	}
	if c.Rule.CategoryID != 0 {
		in.CategoryID = strconv.FormatInt(c.Rule.CategoryID, 10)
	}
	switch c.DiscountKind {
	case DiscountPercent:
		in.DiscountValue = FormatPercent(c.DiscountValue)
	case DiscountWon:
		in.DiscountValue = strconv.FormatInt(c.DiscountValue, 10)
	}
	ids := make([]string, 0, len(c.ProductIDs))
	for _, id := range c.ProductIDs {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	in.Products = strings.Join(ids, ", ")
	return in
}

// DiscountLabel is c's discount in Korean ("10% 할인", "1,000원 할인"), ""
// when none.
func (c *Campaign) DiscountLabel() string {
	switch c.DiscountKind {
	case DiscountPercent:
		return FormatPercent(c.DiscountValue) + "% 할인"
	case DiscountWon:
		return kr.Won(c.DiscountValue) + " 할인"
	}
	return ""
}

// FundedByLabel says who bears c's discount.
func (c *Campaign) FundedByLabel() string {
	switch c.FundedBy {
	case pricing.FundedByCoop:
		return "협동조합 부담"
	case pricing.FundedByEnterprise:
		return "입점기업 부담"
	}
	return ""
}

// BoothInput is a booth's form.
type BoothInput struct {
	Story    string
	VideoURL string
}

// check normalises in. Invalid with fields story, video_url.
func (in *BoothInput) check() error {
	f := apperr.Fields{}
	in.Story = strings.TrimSpace(textin.NormalizeNewlines(in.Story))
	f.Add("story", storyRule.Message(in.Story))
	in.VideoURL = strings.TrimSpace(in.VideoURL)
	if in.VideoURL != "" && (!strings.HasPrefix(in.VideoURL, "https://") || len(in.VideoURL) > 300 || !textin.Clean(in.VideoURL, false) || strings.ContainsAny(in.VideoURL, " \"'<>")) {
		f.Add("video_url", "영상 주소는 https://로 시작하는 주소(300자까지)로 넣어 주세요. 예: https://www.youtube.com/watch?v=…")
	}
	return f.Err()
}
