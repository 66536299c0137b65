// Package settlement is what the co-op pays each member enterprise: the
// commission it keeps (a co-op default per channel, overridden per
// enterprise for validity periods, in basis points), the entries that
// accrue as parts of orders are delivered or pass 검수 (and are reversed by
// refunds), and the monthly statement per enterprise, draft → confirmed
// (locked) → paid (with the bank transfer's reference).
//
// The figures of an entry (all integer won):
//   - sale (one per sub-order, when it accrues): goods = Σ the counted
//     lines' paid amounts (unit price × counted quantity: the quantity the
//     검수 accepted, else the line's); coop_discount = Σ the co-op-funded
//     discount of those lines ((list − paid unit price) × quantity), which
//     the co-op reimburses; shipping = the part's shipping fee; commission =
//     ⌊(goods + coop_discount) × rate / 10,000⌋ at the rate of the entry's
//     day and channel. Shipping carries no commission.
//   - refund (one per refund of an accrued part, on the refund's day): the
//     refund goes to the goods first, the rest to shipping; the co-op
//     discount is reversed in proportion to the goods refunded
//     (⌊discount × refunded goods / goods⌋) and the commission on what is
//     reversed, at the sale's rate, so that a whole refund undoes the sale
//     to the won.
//
// A statement of a period takes every entry of the enterprise not yet on a
// statement whose day is on or before the period's end: an entry that
// lands after its period's statement was confirmed is carried into the next
// one. payout = sales + shipping + co-op discount − refunds − commission;
// so Σ payout + Σ commission − Σ co-op discount = money received − refunds.
package settlement

import (
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/textin"
)

// MaxRate is 100 % in basis points.
const MaxRate = 10_000

// Channel is who bought: consumers (card) or public institutions.
type Channel string

// Channels.
const (
	Consumer Channel = "consumer"
	Public   Channel = "public"
)

// Channels in display order.
var Channels = []Channel{Consumer, Public}

// Label is the channel in Korean.
func (c Channel) Label() string {
	switch c {
	case Consumer:
		return "일반 소비자"
	case Public:
		return "공공기관"
	}
	return ""
}

// Basis is when a part accrues (coop_settings.commission_basis).
type Basis string

// Bases.
const (
	// BasisInspected: a part of an invoice order accrues when its 검수
	// passes (or partly passes: the accepted quantities), on the 검수 date;
	// every other part when it is delivered.
	BasisInspected Basis = "inspected"
	// BasisDelivered: every part when it is delivered (a 검수 already on
	// record limits it to the accepted quantities; a rejected part never
	// accrues).
	BasisDelivered Basis = "delivered"
)

// Label is the basis in Korean.
func (b Basis) Label() string {
	switch b {
	case BasisInspected:
		return "검수 완료 시 (후불 공공 주문), 그 밖에는 배송 완료 시"
	case BasisDelivered:
		return "배송 완료 시"
	}
	return ""
}

// Percent shows basis points as a percentage: 1000 → "10%", 1250 → "12.5%",
// 1234 → "12.34%".
func Percent(bp int) string {
	s := strconv.Itoa(bp / 100)
	if r := bp % 100; r != 0 {
		f := strconv.Itoa(r)
		if r < 10 {
			f = "0" + f
		}
		s += "." + strings.TrimRight(f, "0")
	}
	return s + "%"
}

// ParseRate reads a percentage as typed ("10", "10.5", "12.34%", "３"): at
// most two decimals, 0–100 %. The message is Korean.
func ParseRate(s string) (int, string) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, "수수료율을 입력해 주세요. 예: 10 또는 12.5"
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return 0, "수수료율은 소수점 둘째 자리까지의 숫자로 입력해 주세요. 예: 12.5"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.Atoi(whole + frac)
	if err != nil || n < 0 || strings.ContainsAny(whole+frac, "+-") {
		return 0, "수수료율은 0에서 100 사이의 숫자로 입력해 주세요. 예: 12.5"
	}
	if n > MaxRate {
		return 0, "수수료율은 100%를 넘을 수 없습니다. 0에서 100 사이로 입력해 주세요."
	}
	return n, ""
}

// Commission is ⌊base × rate / 10,000⌋ won.
func Commission(base int64, rateBP int) int64 {
	if base <= 0 {
		return 0
	}
	return base * int64(rateBP) / MaxRate
}

// Split is how a price divides between the enterprise and the co-op at a
// rate (the product page's open fees).
type Split struct {
	Price      int64
	RateBP     int
	Commission int64 // the co-op's
	Enterprise int64 // the enterprise's
}

// SplitPrice splits price at rateBP.
func SplitPrice(price int64, rateBP int) Split {
	c := Commission(price, rateBP)
	return Split{Price: price, RateBP: rateBP, Commission: c, Enterprise: price - c}
}

// Rate is an enterprise's commission override for one channel, valid from
// From to Until (both included; Until nil: open).
type Rate struct {
	ID           int64
	EnterpriseID int64
	Channel      Channel
	RateBP       int
	From         time.Time
	Until        *time.Time
	Note         string
	CreatedAt    time.Time
}

// PeriodLabel is "2026.01.01 ~ 2026.06.30" or "2026.01.01 ~".
func (r *Rate) PeriodLabel() string {
	s := r.From.Format("2006.01.02") + " ~"
	if r.Until != nil {
		s += " " + r.Until.Format("2006.01.02")
	}
	return s
}

// Percent is the rate as a percentage.
func (r *Rate) Percent() string { return Percent(r.RateBP) }

// RateInput is the override form as typed.
type RateInput struct {
	EnterpriseID int64
	Channel      string
	Rate         string // percent
	From, Until  string // YYYY-MM-DD; Until may be blank
	Note         string
}

var noteRule = textin.Rule{Label: "메모", Max: 200}

// Parse checks the form: apperr.Invalid with Fields channel, rate, from,
// until and note.
func (in RateInput) Parse() (*Rate, error) {
	f := apperr.Fields{}
	r := &Rate{EnterpriseID: in.EnterpriseID, Channel: Channel(strings.TrimSpace(in.Channel)), Note: strings.TrimSpace(in.Note)}
	if r.Channel.Label() == "" {
		f.Add("channel", "판매 채널을 일반 소비자 또는 공공기관 중에서 골라 주세요.")
	}
	var msg string
	if r.RateBP, msg = ParseRate(in.Rate); msg != "" {
		f.Add("rate", msg)
	}
	from, ok := coop.ParseDate(in.From)
	if !ok {
		f.Add("from", "적용 시작일을 2026-01-01 형식으로 입력해 주세요.")
	}
	r.From = from
	if s := strings.TrimSpace(in.Until); s != "" {
		until, ok := coop.ParseDate(s)
		switch {
		case !ok:
			f.Add("until", "적용 종료일을 2026-12-31 형식으로 입력하거나 비워 두세요.")
		case until.Before(from):
			f.Add("until", "적용 종료일이 시작일보다 앞섭니다.")
		default:
			r.Until = &until
		}
	}
	if m := noteRule.Message(r.Note); m != "" {
		f.Add("note", m)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// ErrOverlap is the answer to an override whose period overlaps another of
// the same enterprise and channel.
func ErrOverlap() error {
	msg := "같은 채널에 적용 기간이 겹치는 수수료율이 이미 있습니다. 기존 기간을 확인하고 겹치지 않게 입력해 주세요."
	return &apperr.Error{Code: apperr.Conflict, Message: msg, Fields: map[string]string{"from": msg}}
}

// Settings are the co-op's commission settings.
type Settings struct {
	Basis      Basis
	ConsumerBP int // default rate for consumer sales
	PublicBP   int // default rate for public sales
}

// Default is the default rate of channel c.
func (s *Settings) Default(c Channel) int {
	if c == Public {
		return s.PublicBP
	}
	return s.ConsumerBP
}

// SettingsInput is the settings form as typed.
type SettingsInput struct {
	Basis, Consumer, Public string
}

// Parse checks the form (apperr.Invalid with Fields basis, consumer and
// public).
func (in SettingsInput) Parse() (*Settings, error) {
	f := apperr.Fields{}
	s := &Settings{Basis: Basis(strings.TrimSpace(in.Basis))}
	if s.Basis.Label() == "" {
		f.Add("basis", "수수료 발생 시점을 골라 주세요.")
	}
	var msg string
	if s.ConsumerBP, msg = ParseRate(in.Consumer); msg != "" {
		f.Add("consumer", msg)
	}
	if s.PublicBP, msg = ParseRate(in.Public); msg != "" {
		f.Add("public", msg)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Status is a statement's state.
type Status string

// Statement states: draft → confirmed (locked) → paid.
const (
	Draft     Status = "draft"
	Confirmed Status = "confirmed"
	Paid      Status = "paid"
)

// Label is the status in Korean.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "작성 중"
	case Confirmed:
		return "확정"
	case Paid:
		return "지급 완료"
	}
	return ""
}

// Figures are a statement's sums (won).
type Figures struct {
	SalesConsumer int64 // goods sold to consumers (paid amounts)
	SalesPublic   int64 // goods sold to institutions
	Shipping      int64 // shipping fees collected for the enterprise
	CoopDiscount  int64 // co-op-funded discounts reimbursed (net of refunds)
	Refunds       int64 // money given back to buyers of accrued parts
	Commission    int64 // net of refunds
	Payout        int64
	Entries       int
}

// Sales is the goods sold on both channels.
func (f Figures) Sales() int64 { return f.SalesConsumer + f.SalesPublic }

// Statement is one enterprise's statement of one period.
type Statement struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string
	From, To       time.Time // civil dates
	Status         Status
	Figures
	BankName, BankAccount, BankHolder string // snapshotted when confirmed
	TransferReference                 string
	CreatedAt, UpdatedAt              time.Time
	ConfirmedAt                       *time.Time
	PaidOn                            *time.Time
}

// PeriodLabel is "2026년 10월" for a month, else the range.
func (s *Statement) PeriodLabel() string { return PeriodLabel(s.From, s.To) }

// PeriodLabel names a period.
func PeriodLabel(from, to time.Time) string {
	if from.Day() == 1 && to.Equal(from.AddDate(0, 1, -1)) {
		return strconv.Itoa(from.Year()) + "년 " + strconv.Itoa(int(from.Month())) + "월"
	}
	return from.Format("2006.01.02") + " ~ " + to.Format("2006.01.02")
}

// Slug is the period in file names (2026-10).
func (s *Statement) Slug() string { return s.From.Format("2006-01") }

// Kind is an entry's kind.
type Kind string

// Entry kinds.
const (
	Sale   Kind = "sale"
	Refund Kind = "refund"
)

// Label is the kind in Korean.
func (k Kind) Label() string {
	if k == Refund {
		return "환불"
	}
	return "매출"
}

// Entry is one accrued sale or refund (signed won; a refund's are negative).
type Entry struct {
	ID           int64
	EnterpriseID int64
	SubOrderID   int64
	RefundID     int64
	OrderNumber  string
	Kind         Kind
	Channel      Channel
	Day          time.Time
	RateBP       int
	Goods        int64
	Shipping     int64
	CoopDiscount int64
	Commission   int64
}

// Payout is what the entry adds to the payout.
func (e *Entry) Payout() int64 { return e.Goods + e.Shipping + e.CoopDiscount - e.Commission }

// SaleCandidate is an accrued part without its sale entry, as the store
// finds it.
type SaleCandidate struct {
	EnterpriseID int64
	SubOrderID   int64
	Channel      Channel
	Day          time.Time
	Goods        int64 // Σ paid unit price × counted quantity
	CoopDiscount int64 // Σ co-op-funded discount of the counted quantities
	Shipping     int64
	RateBP       int // the rate of Day and Channel
}

// SaleEntry computes the sale entry of c.
func SaleEntry(c SaleCandidate) Entry {
	return Entry{EnterpriseID: c.EnterpriseID, SubOrderID: c.SubOrderID, Kind: Sale, Channel: c.Channel, Day: c.Day,
		RateBP: c.RateBP, Goods: c.Goods, Shipping: c.Shipping, CoopDiscount: c.CoopDiscount,
		Commission: Commission(c.Goods+c.CoopDiscount, c.RateBP)}
}

// RefundCandidate is a refund of an accrued part without its entry: the
// part's sale entry and what earlier refund entries of the part already
// reversed (negative sums).
type RefundCandidate struct {
	RefundID int64
	Amount   int64
	Day      time.Time
	Sale     Entry
	Before   Entry // Σ earlier refund entries of the part
}

// RefundEntry computes the refund entry of c (see the package doc).
func RefundEntry(c RefundCandidate) Entry {
	s := c.Sale
	goodsLeft := max(s.Goods+c.Before.Goods, 0)
	shipLeft := max(s.Shipping+c.Before.Shipping, 0)
	g := min(c.Amount, goodsLeft)
	sh := min(c.Amount-g, shipLeft)
	// Cumulative: what all refunds of the part reversed so far, less what
	// the earlier ones did, so that the refunds of a part add up exactly to
	// the sale when the whole part is refunded.
	var d, comm int64
	if s.Goods > 0 {
		goodsCum := -c.Before.Goods + g
		discCum := s.CoopDiscount * goodsCum / s.Goods
		d = discCum + c.Before.CoopDiscount
		comm = Commission(goodsCum+discCum, s.RateBP) + c.Before.Commission
	}
	return Entry{EnterpriseID: s.EnterpriseID, SubOrderID: s.SubOrderID, RefundID: c.RefundID, Kind: Refund,
		Channel: s.Channel, Day: c.Day, RateBP: s.RateBP, Goods: -g, Shipping: -sh, CoopDiscount: -d, Commission: -comm}
}

// Sum adds entries into Figures.
func Sum(entries []Entry) Figures {
	var f Figures
	for _, e := range entries {
		f.Entries++
		if e.Kind == Sale {
			if e.Channel == Public {
				f.SalesPublic += e.Goods
			} else {
				f.SalesConsumer += e.Goods
			}
			f.Shipping += e.Shipping
		} else {
			f.Refunds -= e.Goods + e.Shipping
		}
		f.CoopDiscount += e.CoopDiscount
		f.Commission += e.Commission
	}
	f.Payout = f.Sales() + f.Shipping + f.CoopDiscount - f.Refunds - f.Commission
	return f
}

// Month returns the first and last day of the month of day.
func Month(day time.Time) (time.Time, time.Time) {
	from := coop.Date(day.Year(), day.Month(), 1)
	return from, from.AddDate(0, 1, -1)
}

// ParseMonth reads "2026-10" (or "2026.10"); blank is last month (today a
// civil date).
func ParseMonth(s string, today time.Time) (time.Time, time.Time, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ".", "-"))
	if s == "" {
		f, t := Month(today.AddDate(0, 0, -today.Day()))
		return f, t, nil
	}
	d, err := time.Parse("2006-01", s)
	if err != nil || d.Year() < 2000 || d.After(today) {
		msg := "정산 월을 2026-10 형식으로, 이번 달까지 입력해 주세요."
		return time.Time{}, time.Time{}, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"month": msg}}
	}
	f, t := Month(coop.Date(d.Year(), d.Month(), 1))
	return f, t, nil
}

// Bank is an enterprise's settlement account.
type Bank struct {
	EnterpriseID int64
	Name         string // 은행
	Account      string // digits and hyphens
	Holder       string // 예금주
}

// Label is "농협은행 301-1234-5678-91 (예금주 …)" or "".
func (b Bank) Label() string {
	if b.Account == "" {
		return ""
	}
	return strings.TrimSpace(b.Name+" "+b.Account) + " (예금주 " + b.Holder + ")"
}

var (
	bankNameRule = textin.Rule{Label: "은행", Required: true, Max: 30}
	holderRule   = textin.Rule{Label: "예금주", Required: true, Max: 50}
)

// Normalize trims the fields; Validate then checks them (apperr.Invalid
// with Fields bank_name, bank_account and bank_holder).
func (b *Bank) Normalize() {
	b.Name, b.Holder = strings.TrimSpace(b.Name), strings.TrimSpace(b.Holder)
	b.Account = strings.Join(strings.Fields(b.Account), "")
}

// Validate checks a normalised account.
func (b *Bank) Validate() error {
	f := apperr.Fields{}
	if m := bankNameRule.Message(b.Name); m != "" {
		f.Add("bank_name", m)
	}
	if m := holderRule.Message(b.Holder); m != "" {
		f.Add("bank_holder", m)
	}
	if !validAccount(b.Account) {
		f.Add("bank_account", "계좌번호는 숫자와 하이픈(-)으로 6~30자리를 입력해 주세요.")
	}
	return f.Err()
}

func validAccount(s string) bool {
	if len(s) < 6 || len(s) > 30 || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
