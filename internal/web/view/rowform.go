package view

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/textin"
)

// QueryPage is the page number in query parameter name: 1 when it is
// missing, not a number or outside 1…1000.
func QueryPage(c *fiber.Ctx, name string) int {
	n, err := strconv.Atoi(c.Query(name))
	if err != nil || n < 1 || n > 1000 {
		return 1
	}
	return n
}

// Stars is a rating of n out of 5 as ★ and ☆.
func Stars(n int) string {
	n = min(max(n, 0), 5)
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// Refusal is a list page's one-row form (a reply, an answer, a reason to
// hide) that the service refused: the row, what was typed and why.
type Refusal struct {
	ID    int64
	Draft string
	Err   error
}

// Of returns what to show in row id's form: the draft and the message, or
// nothing for every other row.
func (r Refusal) Of(id int64) (draft, message string) {
	if r.Err == nil || r.ID != id {
		return "", ""
	}
	return r.Draft, apperr.Message(r.Err)
}

// RowForm handles the result err of a list page's one-row form whose text
// was typed: nil redirects (303) to done; an Invalid or Conflict shows the
// page again by again, with the row's Refusal and 422 or 409; any other
// error is returned.
func RowForm(c *fiber.Ctx, err error, id int64, typed, done string, again func(Refusal, int) error) error {
	if err == nil {
		return c.Redirect(done, fiber.StatusSeeOther)
	}
	switch apperr.Code(err) {
	case apperr.Invalid:
		return again(Refusal{ID: id, Draft: textin.ForDisplay(typed), Err: err}, fiber.StatusUnprocessableEntity)
	case apperr.Conflict:
		return again(Refusal{ID: id, Draft: textin.ForDisplay(typed), Err: err}, fiber.StatusConflict)
	}
	return err
}
