package admin

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/view"
)

// Invoices: public orders paid by bank transfer after 검수.

var invoiceStatuses = []option{
	{string(order.InvoiceUnpaid), order.InvoiceUnpaid.Label()},
	{string(order.InvoicePartial), order.InvoicePartial.Label()},
	{string(order.InvoicePaid), order.InvoicePaid.Label()},
	{string(order.InvoiceOverdue), order.InvoiceOverdue.Label()},
}

func invoiceURL(id int64) string { return "/admin/invoices/" + strconv.FormatInt(id, 10) }

type invoiceRow struct {
	URL, Number, Institution, Date, Total, Claimed, Paid, Status, StatusKey string
}

type invoicesView struct {
	layout
	Status   string
	Statuses []option
	Total    int
	Invoices []invoiceRow
	Pager    view.Pager
}

// invoicesPage lists the invoice orders, filtered by status.
func (s *server) invoicesPage(c *fiber.Ctx) error {
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
	v := invoicesView{Status: qv.Get("status"), Statuses: invoiceStatuses}
	v.Title, v.Nav = "청구서", navInvoices
	if v.Status != "" && !valid(v.Statuses, v.Status) {
		return apperr.Errorf(apperr.Invalid, "청구서 상태를 목록에서 골라 주세요.")
	}
	list, total, err := s.Orders.FindInvoices(c.UserContext(), order.InvoiceFilter{Status: order.InvoiceStatus(v.Status),
		Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	for _, x := range list {
		v.Invoices = append(v.Invoices, invoiceRow{URL: invoiceURL(x.OrderID), Number: x.Number,
			Institution: x.InstitutionName, Date: kr.Date(x.CreatedAt), Total: kr.Won(x.Total), Claimed: kr.Won(x.Claimed),
			Paid: kr.Won(x.Paid), Status: x.Status.Label(), StatusKey: string(x.Status)})
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string {
		return view.PageURL("/admin/invoices", qv, n)
	})
	return s.render(c, "admin/invoices", &v)
}

type invoicePartRow struct {
	Enterprise, Status, Total, Notice, Deadline, DaysLeft string
	PastDue                                               bool
	Inspection, Claim, ClaimDue                           string
}

type transferRow struct{ Date, Amount, Payer, Reference string }

type invoiceView struct {
	layout
	ID                                        int64
	Number, Institution, Reference, Account   string
	Total, Claimed, Paid, Balance, NextDue    string
	Status, StatusKey                         string
	Parts                                     []invoicePartRow
	Transfers                                 []transferRow
	Date, Amount, Payer, TransferRef, Problem string
	Errors                                    map[string]string
	ActionURL                                 string
}

func (s *server) invoiceView(c *fiber.Ctx, id int64) (*invoiceView, error) {
	inv, err := s.Orders.InvoiceFor(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	o := inv.Order
	v := &invoiceView{ID: o.ID, Number: o.Number, Reference: inv.Reference, Total: kr.Won(o.Total),
		Claimed: kr.Won(inv.Claimed), Paid: kr.Won(inv.Paid), Balance: kr.Won(inv.Balance), Status: inv.Status.Label(),
		StatusKey: string(inv.Status), Errors: map[string]string{}, ActionURL: invoiceURL(o.ID) + "/transfers",
		Date: time.Now().In(kr.Seoul()).Format(time.DateOnly)}
	v.Title, v.Nav = "청구서 "+o.Number, navInvoices
	if a := inv.Account; a.Number != "" {
		v.Account = a.Bank + " " + a.Number + " (예금주 " + a.Holder + ")"
	}
	if !inv.NextDue.IsZero() {
		v.NextDue = inv.NextDue.Format("2006.01.02")
	}
	for _, p := range inv.Parts {
		r := invoicePartRow{Enterprise: p.EnterpriseName, Status: p.Status.Label(), Total: kr.Won(p.Total), PastDue: p.PastDue}
		if p.Notice != nil {
			r.Notice = kr.Date(*p.Notice)
			r.Deadline = p.Deadline.Format("2006.01.02")
			switch {
			case p.Inspection != nil:
			case p.DaysLeft >= 0:
				r.DaysLeft = "D-" + strconv.Itoa(p.DaysLeft)
			default:
				r.DaysLeft = strconv.Itoa(-p.DaysLeft) + "일 지남"
			}
		}
		if in := p.Inspection; in != nil {
			r.Inspection = in.Result.Label() + " · " + in.Date.Format("2006.01.02") + " · " + in.Inspector
			if in.Reason != "" {
				r.Inspection += " (" + in.Reason + ")"
			}
		}
		if cl := p.Claim; cl != nil {
			r.Claim, r.ClaimDue = kr.Won(cl.Amount), cl.Due.Format("2006.01.02")
		}
		v.Parts = append(v.Parts, r)
	}
	for _, t := range inv.Transfers {
		v.Transfers = append(v.Transfers, transferRow{Date: t.Date.Format("2006.01.02"), Amount: kr.Won(t.Amount),
			Payer: t.Payer, Reference: t.Reference})
	}
	return v, nil
}

// invoicePage shows one invoice: its parts' 검수 deadlines, inspections and
// claims, the transfers recorded and the form recording another.
func (s *server) invoicePage(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	id, err := view.ParseID(c.Params("id"), "청구서")
	if err != nil {
		return err
	}
	v, err := s.invoiceView(c, id)
	if err != nil {
		return err
	}
	return s.render(c, "admin/invoice", v)
}

// recordTransfer records a bank transfer (audited); a refused form comes
// back with its values and a message beside the wrong field (422).
func (s *server) recordTransfer(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	id, err := view.ParseID(c.Params("id"), "청구서")
	if err != nil {
		return err
	}
	in := order.TransferInput{Date: c.FormValue("date"), Amount: c.FormValue("amount"), Payer: c.FormValue("payer"),
		Reference: c.FormValue("reference")}
	err = s.Orders.RecordTransfer(c.UserContext(), id, in)
	if err == nil {
		return redirectDone(c, invoiceURL(id), "transfer_recorded")
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid || len(ae.Fields) == 0 {
		return err
	}
	v, verr := s.invoiceView(c, id)
	if verr != nil {
		return verr
	}
	v.Date, v.Amount, v.Payer, v.TransferRef, v.Errors, v.Problem = in.Date, in.Amount, in.Payer, in.Reference, ae.Fields, ae.Message
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "admin/invoice", v)
}
