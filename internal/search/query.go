package search

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/textin"
)

// Sorts lists the accepted sort orders.
var Sorts = []Sort{SortRelevance, SortPriceAsc, SortPriceDesc, SortNewest, SortPopular, SortRating}

// Valid reports whether s is a known sort order.
func (s Sort) Valid() bool {
	switch s {
	case SortRelevance, SortPriceAsc, SortPriceDesc, SortNewest, SortPopular, SortRating:
		return true
	}
	return false
}

// textRule is the search text: textin's rule (valid UTF-8, no control
// characters, at most MaxTextLen characters), so the PostgreSQL fallback is
// never sent what it would refuse.
var textRule = textin.Rule{Label: "검색어", Max: MaxTextLen}

// Validate checks q's limits and values. It returns apperr.Invalid with a
// Korean message (and Fields keyed by the URL parameter) for the first problem.
func (q Query) Validate() error {
	invalid := func(field, msg string) error {
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	if msg := textRule.Message(q.Text); msg != "" {
		return invalid("q", msg)
	}
	if q.Page < 1 || q.Page > MaxPage {
		return invalid("page", "페이지 번호는 1부터 "+strconv.Itoa(MaxPage)+"까지입니다.")
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		return invalid("per_page", "한 페이지의 상품 수는 1부터 "+strconv.Itoa(MaxPerPage)+"까지입니다.")
	}
	if q.CategoryID < 0 {
		return invalid("category", "카테고리 번호가 올바르지 않습니다.")
	}
	if q.EnterpriseID < 0 {
		return invalid("enterprise", "기업 번호가 올바르지 않습니다.")
	}
	for _, t := range q.EnterpriseTypes {
		if !t.Valid() {
			return invalid("type", "알 수 없는 기업 유형입니다.")
		}
	}
	for _, r := range q.Regions {
		if !r.Valid() {
			return invalid("region", "알 수 없는 지역입니다.")
		}
	}
	if q.TaxType != "" && !q.TaxType.Valid() {
		return invalid("tax", "과세 구분은 과세(taxable) 또는 면세(exempt)입니다.")
	}
	if q.Kind != "" && !q.Kind.Valid() {
		return invalid("kind", "상품 종류는 상품(goods) 또는 서비스(service)입니다.")
	}
	if q.MinPrice < 0 || q.MaxPrice < 0 {
		return invalid("min_price", "가격은 0원 이상이어야 합니다.")
	}
	if q.MaxPrice > 0 && q.MinPrice > q.MaxPrice {
		return invalid("min_price", "최저 가격이 최고 가격보다 높습니다.")
	}
	if !q.Sort.Valid() {
		return invalid("sort", "알 수 없는 정렬 방식입니다.")
	}
	return nil
}

// ParseQuery reads a search from URL parameters — the same ones for the
// search page and /api/v1/search: q, category, enterprise, type (repeatable),
// region (repeatable), tax, kind, min_price, max_price, in_stock=1, sort, page,
// per_page. Empty parameters mean "not given". The result is validated; bad
// input is apperr.Invalid with a Korean message, never a panic or a 500.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{Page: 1, PerPage: DefaultPerPage}
	q.Text = strings.Join(strings.Fields(v.Get("q")), " ")

	var err error
	num := func(name, what string, dst *int64) {
		s := strings.TrimSpace(v.Get(name))
		if s == "" || err != nil {
			return
		}
		s = strings.ReplaceAll(s, ",", "") // "12,000" as typed by people
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || n < 0 {
			msg := what + "은(는) 0 이상의 숫자로 입력해 주세요."
			err = &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{name: msg}}
			return
		}
		*dst = n
	}
	var page, perPage int64
	num("category", "카테고리", &q.CategoryID)
	num("enterprise", "기업", &q.EnterpriseID)
	num("min_price", "최저 가격", &q.MinPrice)
	num("max_price", "최고 가격", &q.MaxPrice)
	num("page", "페이지", &page)
	num("per_page", "페이지당 상품 수", &perPage)
	if err != nil {
		return q, err
	}
	if page != 0 || v.Get("page") != "" {
		q.Page = clampInt(page)
	}
	if perPage != 0 || v.Get("per_page") != "" {
		q.PerPage = clampInt(perPage)
	}
	for _, s := range values(v, "type") {
		q.EnterpriseTypes = append(q.EnterpriseTypes, catalog.EnterpriseType(s))
	}
	for _, s := range values(v, "region") {
		q.Regions = append(q.Regions, catalog.Region(s))
	}
	q.TaxType = catalog.TaxType(strings.TrimSpace(v.Get("tax")))
	q.Kind = catalog.Kind(strings.TrimSpace(v.Get("kind")))
	switch s := strings.TrimSpace(v.Get("in_stock")); s {
	case "", "0", "false":
	case "1", "true", "on":
		q.InStock = true
	default:
		msg := "재고 필터는 in_stock=1 로 지정해 주세요."
		return q, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"in_stock": msg}}
	}
	q.Sort = Sort(strings.TrimSpace(v.Get("sort")))
	if q.Sort == "relevance" {
		q.Sort = SortRelevance
	}
	return q, q.Validate()
}

// values returns the non-empty values of a repeatable parameter, also
// accepting comma-separated lists (type=a,b), without duplicates.
func values(v url.Values, name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range v[name] {
		for _, s := range strings.Split(raw, ",") {
			s = strings.TrimSpace(s)
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// clampInt keeps a parsed page number inside int without overflow; Validate
// then rejects it if it is out of range.
func clampInt(n int64) int {
	if n > 1<<30 {
		return 1 << 30
	}
	return int(n)
}
