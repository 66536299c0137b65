package view

import (
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/quote"
)

// QuoteRevision is a quote revision as the portal, the console and the
// buyers' pages show it (partials/quote.html "quote-revision"): figures
// already in won, dates in KST, each enterprise's share with the
// direct-contract notice, and the lines nobody supplies kept in view.
type QuoteRevision struct {
	ID           string // the element id of its heading
	Label        string // "r2"
	Latest       bool
	SentAt       string
	DeliveryDate string
	ValidUntil   string
	Expired      bool
	Remarks      string
	Limit        string // the direct-contract limit, in won
	Parts        []QuotePart
	Unsupplied   []QuoteLine
	ItemsTotal   string
	Shipping     string
	Supply       string
	VAT          string
	Total        string
	Partial      bool // an enterprise's own share only
}

// QuotePart is one supplying enterprise's part of a revision.
type QuotePart struct {
	Enterprise string
	Lines      []QuoteLine
	Shipping   string
	Supply     string
	VAT        string
	Total      string
	OverLimit  bool
}

// QuoteLine is one line of a revision.
type QuoteLine struct {
	Name       string // with the option
	Quantity   string // "20실"
	UnitPrice  string
	Supply     string
	VAT        string
	Total      string
	Available  string
	Unsupplied string
}

// NewQuoteRevision is v for display; latest says it is the request's latest
// revision and partial that it holds only the viewer's share.
func NewQuoteRevision(v *quote.Revision, latest, partial bool, now time.Time) QuoteRevision {
	q := QuoteRevision{ID: "rev-" + strconv.Itoa(v.Number), Label: v.Label(), Latest: latest, SentAt: kr.DateTime(v.SentAt),
		DeliveryDate: kr.Date(v.DeliveryDate), ValidUntil: kr.Date(v.ValidUntil), Expired: v.ExpiredAt(now),
		Remarks: v.Remarks, Limit: kr.Won(v.DirectLimit), ItemsTotal: kr.Won(v.ItemsTotal), Shipping: kr.Won(v.ShippingTotal),
		Supply: kr.Won(v.Supply), VAT: kr.Won(v.VAT), Total: kr.Won(v.Total), Partial: partial}
	for _, s := range v.Shares {
		p := QuotePart{Enterprise: s.EnterpriseName, Shipping: kr.Won(s.Shipping), Supply: kr.Won(s.Supply), VAT: kr.Won(s.VAT),
			Total: kr.Won(s.Total), OverLimit: v.OverLimit(s)}
		for _, l := range v.Lines {
			if l.EnterpriseID == s.EnterpriseID {
				p.Lines = append(p.Lines, quoteLine(l))
			}
		}
		q.Parts = append(q.Parts, p)
	}
	for _, l := range v.Lines {
		if l.EnterpriseID == 0 {
			q.Unsupplied = append(q.Unsupplied, quoteLine(l))
		}
	}
	return q
}

func quoteLine(l *quote.RevisionLine) QuoteLine {
	ql := QuoteLine{Name: QuoteItemName(l.Name, l.OptionName), Quantity: QuoteQuantity(l.Quantity, l.Unit),
		Unsupplied: l.Unsupplied}
	if l.EnterpriseID != 0 {
		ql.UnitPrice, ql.Supply, ql.VAT, ql.Total = kr.Won(l.UnitPrice), kr.Won(l.Supply), kr.Won(l.VAT), kr.Won(l.Total)
		ql.Available = FormatDate(l.AvailableDate)
	}
	return ql
}

// QuoteItemName is "name (option)".
func QuoteItemName(name, option string) string {
	if option == "" {
		return name
	}
	return name + " (" + option + ")"
}

// QuoteQuantity is "20실", or "20개" without a unit.
func QuoteQuantity(n int, unit string) string {
	if strings.TrimSpace(unit) == "" {
		unit = "개"
	}
	return kr.Comma(int64(n)) + unit
}

// ParseFormDate reads an <input type=date> value (2026-12-01, or
// 2026.12.01 as people type it) as the date at midnight UTC, the way
// quote dates are kept; ok is false for anything else, and for "".
func ParseFormDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.NewReplacer(".", "-", "/", "-").Replace(s))
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// FormDate is a date as an <input type=date> value ("" for zero).
func FormDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// ParseWon reads an amount in won as typed ("12,000", "12000원"); ok is
// false for anything that is not a whole non-negative number.
func ParseWon(s string) (int64, bool) {
	s = strings.TrimSpace(strings.NewReplacer(",", "", "원", "", " ", "").Replace(s))
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}
