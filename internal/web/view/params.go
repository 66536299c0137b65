package view

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/search"
)

// MaxID bounds ids taken from URLs (JavaScript-safe integers; bigserial ids
// stay far below it).
const MaxID = 1 << 53

// ParseID reads a positive integer id from a path parameter; what names the
// thing in the Korean message ("상품", "기업").
func ParseID(raw, what string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || id > MaxID {
		return 0, apperr.Errorf(apperr.Invalid, "%s 번호가 올바르지 않습니다.", what)
	}
	return id, nil
}

// QueryValues parses the raw query string strictly: a malformed escape is a
// 400, not a silently dropped parameter.
func QueryValues(c *fiber.Ctx) (url.Values, error) {
	raw := string(c.Request().URI().QueryString())
	v, err := url.ParseQuery(raw)
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "주소의 검색 조건을 읽을 수 없습니다.")
	}
	return v, nil
}

// SearchParams reads the request's search parameters (the same for every
// listing page and /api/v1/search), without those the route itself fixes
// (e.g. "category" on a category page), and parses them into a Query.
func SearchParams(c *fiber.Ctx, fixed ...string) (url.Values, search.Query, error) {
	v, err := QueryValues(c)
	if err != nil {
		return nil, search.Query{}, err
	}
	for _, name := range fixed {
		v.Del(name)
	}
	q, err := SearchQuery(v)
	return v, q, err
}

// SearchQuery parses a listing's parameters into a Query (search.ParseQuery,
// and literal=1 for the text as typed).
func SearchQuery(v url.Values) (search.Query, error) {
	q, err := search.ParseQuery(v)
	if err == nil && v.Get("literal") == "1" && q.Text != "" {
		// The shopper asked for the text as typed, not what it was read as
		// ('tkrhk' rather than 사과): one reading, the text itself.
		q.Variants = []search.Variant{{Field: search.FieldText, Text: q.Text}}
	}
	return q, err
}

// ReadingNote is what a results page says when its results are for another
// reading of the query than the text as typed, and the words left out; ""
// when there is nothing to say.
func ReadingNote(r *search.Result, typed string) string {
	var parts []string
	if r.Reading.Text != "" && r.Reading.Text != typed {
		parts = append(parts, "'"+r.Reading.Text+"'(으)로 검색한 결과입니다.")
	}
	if len(r.Ignored) > 0 {
		parts = append(parts, "'"+strings.Join(r.Ignored, "', '")+"'(으)로는 찾은 상품이 없어 빼고 검색했습니다.")
	}
	return strings.Join(parts, " ")
}

// PageParams reads page and per_page for the simple (non-search) lists.
func PageParams(v url.Values, defPer, maxPer int) (page, per int, err error) {
	page, per = 1, defPer
	if s := strings.TrimSpace(v.Get("page")); s != "" {
		n, perr := strconv.Atoi(s)
		if perr != nil || n < 1 || n > 1000 {
			return 0, 0, apperr.Errorf(apperr.Invalid, "페이지 번호가 올바르지 않습니다. 1부터 1000 사이의 숫자를 입력해 주세요.")
		}
		page = n
	}
	if s := strings.TrimSpace(v.Get("per_page")); s != "" {
		n, perr := strconv.Atoi(s)
		if perr != nil || n < 1 || n > maxPer {
			return 0, 0, apperr.Errorf(apperr.Invalid, "페이지당 개수는 1부터 %d 사이여야 합니다.", maxPer)
		}
		per = n
	}
	return page, per, nil
}

// FriendlyNotFound replaces a store's generic not-found message with one
// written for the page; other errors pass through.
func FriendlyNotFound(err error, msg string) error {
	if apperr.Code(err) == apperr.NotFound {
		return &apperr.Error{Code: apperr.NotFound, Message: msg}
	}
	return err
}

// LineKey is a cart line's key in URLs: "<product>-<option>".
func LineKey(k cart.Key) string {
	return strconv.FormatInt(k.ProductID, 10) + "-" + strconv.FormatInt(k.OptionID, 10)
}

// ParseLineKey reads "<product>-<option>" from a URL.
func ParseLineKey(raw string) (cart.Key, error) {
	p, o, ok := strings.Cut(raw, "-")
	pid, err1 := strconv.ParseInt(p, 10, 64)
	oid, err2 := strconv.ParseInt(o, 10, 64)
	if !ok || err1 != nil || err2 != nil || pid <= 0 || pid > MaxID || oid < 0 || oid > MaxID {
		return cart.Key{}, apperr.Errorf(apperr.Invalid, "장바구니 항목 번호가 올바르지 않습니다.")
	}
	return cart.Key{ProductID: pid, OptionID: oid}, nil
}
