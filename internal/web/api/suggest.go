package api

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

// suggestLimit is how many product names the search box offers.
const suggestLimit = 8

type apiSuggestion struct {
	Type string `json:"type"` // product | category
	Text string `json:"text"`
	URL  string `json:"url"`
}

type apiSuggestResponse struct {
	Data []apiSuggestion `json:"data"`
}

// SuggestHandler answers GET /api/v1/suggest?q= with what the search box
// offers while a shopper types: product names (linking to a product with that
// name) and categories (linking to the search page filtered by the category),
// 초성 and 한/영 aware. A blank q gives an empty list; q longer than
// search.MaxTextLen is a 400. Browsers may cache an answer briefly: the same
// prefix is asked again and again while typing.
func SuggestHandler(s search.Suggester) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := view.QueryValues(c)
		if err != nil {
			return err
		}
		text := strings.Join(strings.Fields(v.Get("q")), " ")
		if utf8.RuneCountInString(text) > search.MaxTextLen {
			msg := "검색어는 " + strconv.Itoa(search.MaxTextLen) + "자 이하로 입력해 주세요."
			return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"q": msg}}
		}
		out := apiSuggestResponse{Data: []apiSuggestion{}}
		if text != "" {
			list, err := s.Suggest(c.UserContext(), text, suggestLimit)
			if err != nil {
				return err
			}
			for _, sg := range list {
				a := apiSuggestion{Type: sg.Type, Text: sg.Text}
				switch sg.Type {
				case search.SuggestProduct:
					a.URL = "/p/" + strconv.FormatInt(sg.ID, 10)
				case search.SuggestCategory:
					a.URL = "/search?category=" + strconv.FormatInt(sg.ID, 10)
				}
				out.Data = append(out.Data, a)
			}
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=60")
		return c.JSON(out)
	}
}
