package admin

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/view"
)

// Returns after delivery (반품): the operators watch them here; the
// enterprise approves, rejects and receives them in its portal.

var returnScopes = []option{{"open", "진행 중"}, {"all", "전체"}}

type returnRow struct {
	Number, Enterprise, Reason, Detail, FeePayer       string
	Paid, Fee, Refund, Requested, Updated, Status, Key string
	RejectReason                                       string
}

type returnsView struct {
	layout
	Scope   string
	Scopes  []option
	Total   int
	Returns []returnRow
	Pager   view.Pager
}

// returnsPage is GET /admin/returns: the returns in progress, the oldest
// first (?scope=all: every one, the newest first). Read only.
func (s *server) returnsPage(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := returnsView{Scope: qv.Get("scope"), Scopes: returnScopes}
	if v.Scope == "" {
		v.Scope = "open"
	}
	if !valid(v.Scopes, v.Scope) {
		return apperr.Errorf(apperr.Invalid, "반품 범위를 목록에서 골라 주세요.")
	}
	list, total, err := s.Orders.FindReturns(c.UserContext(), order.ReturnFilter{Open: v.Scope == "open",
		Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	for _, x := range list {
		updated := x.RequestedAt
		for _, at := range []*time.Time{x.ApprovedAt, x.RejectedAt, x.ReceivedAt, x.RefundedAt} {
			if at != nil && at.After(updated) {
				updated = *at
			}
		}
		v.Returns = append(v.Returns, returnRow{Number: x.OrderNumber, Enterprise: x.EnterpriseName,
			Reason: x.ReasonLabel(), Detail: x.Detail, FeePayer: x.FeePayerLabel(), Paid: kr.Won(x.PaidAmount),
			Fee: kr.Won(x.ReturnFee), Refund: kr.Won(x.RefundAmount), Requested: kr.DateTime(x.RequestedAt),
			Updated: kr.DateTime(updated), Status: x.StatusLabel(), Key: string(x.Status), RejectReason: x.RejectReason})
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string {
		return view.PageURL("/admin/returns", qv, n)
	})
	v.Title, v.Nav = "반품", navReturns
	return s.render(c, "admin/returns", &v)
}
