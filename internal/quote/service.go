package quote

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/textin"
)

// Products reads catalogue products with their options, enterprise and
// volume tiers, for pricing on the public list (postgres.CatalogStore, as
// for carts and orders).
type Products interface {
	// FindCartProducts returns the active products of active enterprises
	// among ids.
	FindCartProducts(ctx context.Context, ids []int64) (map[int64]*catalog.Product, error)
}

// Settings gives the co-op's settings (*coop.Service): the default
// direct-contract limit.
type Settings interface {
	Settings(ctx context.Context) (*coop.Settings, error)
}

// Service is the quote flow. Store, Audit and Coop are required; Orders may
// be nil (acceptance then answers Unavailable), Products too (the
// enterprises' answer forms then start empty), Now defaults to time.Now.
type Service struct {
	Store    Store
	Audit    Auditor
	Orders   OrderPlacer
	Products Products
	Coop     Settings
	Now      func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// notFound is the one answer for a request that does not exist and one
// the actor may not see.
func notFound() error {
	return apperr.Errorf(apperr.NotFound, "견적 요청을 찾을 수 없습니다.")
}

// Limits of a request's input.
const (
	MaxLines = 100
	maxQty   = 100000
)

// LineInput is one line as the buyer asks for it: a catalogue item
// (ProductID, OptionID) or free text (Name; ProductID 0). A request from
// the cart is one LineInput per cart line (internal/cart's Line has the
// same ProductID, OptionID and Quantity); quote does not import cart, so
// that order may one day import quote without a cycle (cart imports order).
type LineInput struct {
	ProductID int64
	OptionID  int64
	Name      string // free-text lines: what is wanted
	Quantity  int
	Unit      string
	Notes     string
}

// RequestInput is the quote request form.
type RequestInput struct {
	DesiredDate time.Time // a date, not before today (KST)
	Place       Place
	Notes       string
	Lines       []LineInput
}

var (
	nameRule   = textin.Rule{Label: "품목", Required: true, Max: 100}
	unitRule   = textin.Rule{Label: "단위", Max: 10}
	lineNote   = textin.Rule{Label: "품목 메모", Max: 300, Multiline: true}
	notesRule  = textin.Rule{Label: "요청 사항", Max: 2000, Multiline: true}
	roadRule   = textin.Rule{Label: "도로명주소", Required: true, Max: 200}
	detailRule = textin.Rule{Label: "상세주소", Max: 100}
	reasonRule = textin.Rule{Label: "사유", Required: true, Max: 300}
)

// buyer returns the actor when it is an active buyer of an active
// institution (account.RequireInstitutionBuyer's rule and refusals).
func buyer(ctx context.Context) (*account.Actor, error) {
	return account.RequireInstitutionBuyer(ctx)
}

// CreateRequest records the buyer's request (account: an institution
// buyer). Catalogue lines are routed to their own enterprise at once;
// free-text lines wait for the operator. Invalid with Fields (keys
// desired_date, postcode, road, detail, notes, lines, line_N_name, …) for
// bad input; nothing is written then.
func (s *Service) CreateRequest(ctx context.Context, in RequestInput) (*Request, error) {
	a, err := buyer(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	r := &Request{InstitutionID: a.InstitutionID, UserID: a.UserID, UserName: a.Name, DesiredDate: in.DesiredDate,
		Place: in.Place, Notes: textin.NormalizeNewlines(strings.TrimSpace(in.Notes)), Status: Submitted, CreatedAt: now, UpdatedAt: now}
	r.Place.Postcode, r.Place.Road, r.Place.Detail = strings.TrimSpace(r.Place.Postcode), strings.TrimSpace(r.Place.Road), strings.TrimSpace(r.Place.Detail)
	f := apperr.Fields{}
	switch {
	case in.DesiredDate.IsZero():
		f.Add("desired_date", "납품 희망일을 입력해 주세요.")
	case in.DesiredDate.Before(Today(now)):
		f.Add("desired_date", "납품 희망일은 오늘("+kr.Date(now)+")이나 그 뒤여야 합니다.")
	}
	if !digits(r.Place.Postcode, 5) {
		f.Add("postcode", "우편번호는 숫자 5자리입니다.")
	}
	f.Add("road", roadRule.Message(r.Place.Road))
	f.Add("detail", detailRule.Message(r.Place.Detail))
	f.Add("notes", notesRule.Message(r.Notes))
	switch {
	case len(in.Lines) == 0:
		f.Add("lines", "견적 받을 품목을 하나 이상 넣어 주세요.")
	case len(in.Lines) > MaxLines:
		f.Add("lines", fmt.Sprintf("품목은 한 요청에 %d개까지 넣을 수 있습니다.", MaxLines))
	}
	seen := map[[2]int64]bool{}
	for i, li := range in.Lines {
		if i >= MaxLines {
			break
		}
		key := "line_" + strconv.Itoa(i+1) + "_"
		l := &Line{Position: i + 1, Quantity: li.Quantity, Unit: strings.TrimSpace(li.Unit),
			Notes: textin.NormalizeNewlines(strings.TrimSpace(li.Notes)), TaxType: catalog.Taxable}
		if li.Quantity <= 0 || li.Quantity > maxQty {
			f.Add(key+"quantity", fmt.Sprintf("%d번 품목의 수량은 1에서 %s 사이로 입력해 주세요.", i+1, kr.Comma(maxQty)))
		}
		f.Add(key+"unit", unitRule.Message(l.Unit))
		f.Add(key+"notes", lineNote.Message(l.Notes))
		if li.ProductID == 0 {
			l.Name = strings.TrimSpace(li.Name)
			f.Add(key+"name", nameRule.Message(l.Name))
		} else {
			k := [2]int64{li.ProductID, li.OptionID}
			if seen[k] {
				f.Add(key+"name", fmt.Sprintf("%d번 품목은 앞에 이미 있는 상품입니다. 수량을 합쳐 주세요.", i+1))
			}
			seen[k] = true
			it, err := s.Store.FindCatalogueItem(ctx, li.ProductID, li.OptionID)
			switch {
			case apperr.Code(err) == apperr.NotFound:
				f.Add(key+"name", fmt.Sprintf("%d번 품목은 지금 판매하지 않는 상품입니다.", i+1))
			case err != nil:
				return nil, err
			default:
				l.ProductID, l.OptionID, l.Name, l.OptionName, l.TaxType = it.ProductID, it.OptionID, it.Name, it.OptionName, it.TaxType
				if l.Unit == "" {
					l.Unit = it.Unit
				}
				l.Offers = []*Offer{{EnterpriseID: it.EnterpriseID, Status: Asked, RoutedAt: now}}
			}
		}
		r.Lines = append(r.Lines, l)
	}
	if err := f.Err(); err != nil {
		err.(*apperr.Error).Message = "견적 요청 내용을 확인해 주세요."
		return nil, err
	}
	audit, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: "quote_request.create", Entity: "quote_request"})
	if err != nil {
		return nil, err
	}
	for try := 0; ; try++ {
		r.Number = NewNumber(now)
		audit.EntityID = r.Number
		err = s.Store.CreateRequest(ctx, r, audit)
		if apperr.Code(err) != apperr.Conflict || try == 3 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// numberAlphabet has no look-alikes (0/O, 1/I).
const numberAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewNumber returns a request number: "Q", the date in Korea (YYMMDD), "-"
// and eight random characters ("Q261130-7KQ2MXH4").
func NewNumber(now time.Time) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := []byte("Q" + now.In(kr.Seoul()).Format("060102") + "-")
	for _, c := range b {
		out = append(out, numberAlphabet[c&31])
	}
	return string(out)
}

// FindRequest returns request id as the actor may see it: whole for an
// operator and for the buyers of its institution; for an enterprise only
// its own lines, offers and shares (NotFound when none of the request is
// its). NotFound for everyone else, and for a request that does not exist.
func (s *Service) FindRequest(ctx context.Context, id int64) (*Request, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.FindRequest(ctx, id)
	if apperr.Code(err) == apperr.NotFound {
		return nil, notFound()
	} else if err != nil {
		return nil, err
	}
	switch {
	case a.Role == account.Operator && !a.OnBehalf:
		return r, nil
	case a.Role == account.InstitutionUser:
		inst, err := account.InstitutionScope(ctx)
		if err != nil {
			return nil, err
		}
		if inst != r.InstitutionID {
			return nil, notFound()
		}
		return r, nil
	}
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	own := ForEnterprise(r, ent)
	if own == nil {
		return nil, notFound()
	}
	return own, nil
}

// ForEnterprise is r as enterprise ent may see it: only the lines it was
// asked for, with only its own offer; only its own lines and share of each
// revision; nil when it was asked for nothing.
func ForEnterprise(r *Request, ent int64) *Request {
	out := *r
	out.Lines = nil
	for _, l := range r.Lines {
		if o := l.Offer(ent); o != nil {
			cp := *l
			cp.Offers = []*Offer{o}
			out.Lines = append(out.Lines, &cp)
		}
	}
	if len(out.Lines) == 0 {
		return nil
	}
	out.Revisions = nil
	for _, v := range r.Revisions {
		cp := *v
		cp.Lines, cp.Shares = nil, nil
		cp.ItemsTotal, cp.ShippingTotal, cp.Supply, cp.VAT, cp.Total = 0, 0, 0, 0, 0
		for _, l := range v.Lines {
			if l.EnterpriseID == ent {
				cp.Lines = append(cp.Lines, l)
			}
		}
		if sh := v.Share(ent); sh != nil {
			cp.Shares = []*Share{sh}
			cp.ItemsTotal, cp.ShippingTotal, cp.Supply, cp.VAT, cp.Total = sh.ItemsTotal, sh.Shipping, sh.Supply, sh.VAT, sh.Total
		}
		out.Revisions = append(out.Revisions, &cp)
	}
	if d := r.Decision; d != nil {
		cp := *d
		cp.OrderID = 0
		out.Decision = &cp
	}
	return &out
}

// FindRequests lists requests for the actor: an operator's any (f as
// given), a buyer's their institution's, an enterprise's those with a line
// routed to it.
func (s *Service) FindRequests(ctx context.Context, f Filter) ([]*Summary, int, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.InstitutionID, f.EnterpriseID = 0, 0
	switch {
	case a.Role == account.Operator && !a.OnBehalf:
	case a.Role == account.InstitutionUser:
		if f.InstitutionID, err = account.InstitutionScope(ctx); err != nil {
			return nil, 0, err
		}
	default:
		ent, err := account.EnterpriseScope(ctx)
		if err != nil {
			return nil, 0, err
		}
		f.EnterpriseID = ent
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, apperr.Errorf(apperr.Invalid, "알 수 없는 상태입니다.")
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 20
	case f.Limit > 100:
		f.Limit = 100
	}
	f.Offset = max(f.Offset, 0)
	f.Today = Today(s.now())
	return s.Store.FindRequests(ctx, f)
}

// RouteLine asks enterprise for a line of request id (operator only; the
// audit log records it). Conflict when the request is no longer open.
func (s *Service) RouteLine(ctx context.Context, id, lineID, enterpriseID int64) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	if !r.Status.open() {
		return closed(r)
	}
	l := r.Line(lineID)
	if l == nil {
		return apperr.Errorf(apperr.NotFound, "요청에 없는 품목입니다.")
	}
	if enterpriseID <= 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "요청할 기업을 골라 주세요.", Fields: map[string]string{"enterprise": "요청할 기업을 골라 주세요."}}
	}
	if l.Offer(enterpriseID) != nil {
		return nil
	}
	audit, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: enterpriseID, Action: "quote_request.route",
		Entity: "quote_request", EntityID: r.Number, After: map[string]int64{"line": lineID, "enterprise": enterpriseID}})
	if err != nil {
		return err
	}
	return s.Store.RouteLine(ctx, r.ID, r.Status, lineID, enterpriseID, s.now(), audit)
}

func closed(r *Request) error {
	return apperr.Errorf(apperr.Conflict, "%s 상태의 견적 요청은 바꿀 수 없습니다.", r.Status.Label())
}

// AnswerLines records the enterprise's answers to its lines of request id
// (account: a member of the enterprise, or an operator acting for it).
// Every line of answers must be one it was asked for; an answer may be
// changed while the request is open. Invalid with Fields (price_N, date_N,
// reason_N keyed by line id) for bad answers; nothing is written then.
func (s *Service) AnswerLines(ctx context.Context, id int64, answers []Answer) error {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return err
	}
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	if !r.Status.open() {
		return closed(r)
	}
	now := s.now()
	f := apperr.Fields{}
	if len(answers) == 0 {
		return apperr.Errorf(apperr.Invalid, "답변할 품목이 없습니다.")
	}
	for i := range answers {
		an := &answers[i]
		k := strconv.FormatInt(an.LineID, 10)
		if r.Line(an.LineID) == nil {
			return apperr.Errorf(apperr.NotFound, "요청받지 않은 품목입니다.")
		}
		an.Reason = strings.TrimSpace(an.Reason)
		if l := r.Line(an.LineID); !an.Supply || !l.FreeText() {
			an.ProductID = 0
		} else if msg, err := s.linkable(ctx, ent, l, an.ProductID); err != nil {
			return err
		} else {
			f.Add("product_"+k, msg)
		}
		if an.Supply {
			if an.UnitPrice <= 0 || an.UnitPrice > 1_000_000_000 {
				f.Add("price_"+k, "단가를 1원에서 10억 원 사이로 입력해 주세요.")
			}
			switch {
			case an.AvailableDate.IsZero():
				f.Add("date_"+k, "납품 가능일을 입력해 주세요.")
			case an.AvailableDate.Before(Today(now)):
				f.Add("date_"+k, "납품 가능일은 오늘이나 그 뒤여야 합니다.")
			}
			an.Reason = ""
		} else {
			f.Add("reason_"+k, reasonRule.Message(an.Reason))
			an.UnitPrice, an.AvailableDate = 0, time.Time{}
		}
	}
	if err := f.Err(); err != nil {
		err.(*apperr.Error).Message = "답변 내용을 확인해 주세요."
		return err
	}
	a := account.FromContext(ctx)
	var audit *account.AuditRecord
	if a.IsOperator() {
		if audit, err = s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: ent, Action: "quote_request.answer",
			Entity: "quote_request", EntityID: r.Number, After: answers}); err != nil {
			return err
		}
	}
	return s.Store.AnswerLines(ctx, r.ID, ent, answers, a.UserID, now, audit)
}

// linkable says what is wrong with supplying free-text line l as product
// id of enterprise ent ("" when nothing is).
func (s *Service) linkable(ctx context.Context, ent int64, l *Line, id int64) (string, error) {
	if id <= 0 {
		return "목록에 없는 품목은 납품할 우리 기업의 상품(용역)을 골라 주세요.", nil
	}
	it, err := s.Store.FindCatalogueItem(ctx, id, 0)
	switch {
	case apperr.Code(err) == apperr.NotFound || err == nil && it.EnterpriseID != ent:
		return "판매 중인 우리 기업의 상품(옵션 없는 상품) 중에서 골라 주세요.", nil
	case err != nil:
		return "", err
	case it.TaxType != l.TaxType:
		return fmt.Sprintf("이 품목은 %s로 견적합니다. %s 상품은 연결할 수 없습니다.", l.TaxType.Label(), it.TaxType.Label()), nil
	}
	return "", nil
}

// LinkableProducts are the products the actor's enterprise can supply a
// free-text line as (account.EnterpriseScope and its errors).
func (s *Service) LinkableProducts(ctx context.Context) ([]*CatalogueItem, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	return s.Store.FindLinkableItems(ctx, ent)
}

// SuggestedPrice is the public unit price to start an enterprise's answer
// for a catalogue line from: the public list's price for the line's
// quantity (pricing.Public, volume tier applied). 0 for free-text lines,
// an item no longer on sale, or without Products.
func (s *Service) SuggestedPrice(ctx context.Context, l *Line) int64 {
	if s.Products == nil || l.FreeText() {
		return 0
	}
	ps, err := s.Products.FindCartProducts(ctx, []int64{l.ProductID})
	p := ps[l.ProductID]
	if err != nil || p == nil {
		return 0
	}
	var opt *catalog.Option
	for i := range p.Options {
		if p.Options[i].ID == l.OptionID {
			opt = &p.Options[i]
		}
	}
	if opt == nil && (l.OptionID != 0 || len(p.Options) > 0) {
		return 0
	}
	return pricing.Line(pricing.Public, p, opt, l.Quantity).UnitPrice
}

// CanPrepare reports whether the actor may merge and send request id's
// quote: an operator always; an enterprise when it is a single-enterprise
// request, all of whose lines were asked of it alone.
func (s *Service) CanPrepare(ctx context.Context, id int64) bool {
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return false
	}
	whole, err := s.Store.FindRequest(ctx, r.ID)
	return err == nil && canPrepare(ctx, whole)
}

// canPrepare is CanPrepare on the whole request r (never an enterprise's
// view of it, which holds its own lines only).
func canPrepare(ctx context.Context, r *Request) bool {
	a := account.FromContext(ctx)
	if a == nil {
		return false
	}
	if a.Role == account.Operator && !a.OnBehalf {
		return true
	}
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return false
	}
	for _, l := range r.Lines {
		if len(l.Offers) != 1 || l.Offers[0].EnterpriseID != ent {
			return false
		}
	}
	return len(r.Lines) > 0
}

// Preview is the revision Send would send now, for the merge form.
func (s *Service) Preview(ctx context.Context, id int64, in RevisionInput) (*Revision, error) {
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if r, err = s.Store.FindRequest(ctx, r.ID); err != nil {
		return nil, err
	}
	if !canPrepare(ctx, r) {
		return nil, apperr.Errorf(apperr.Forbidden, "여러 기업이 함께 공급하는 견적은 협동조합 운영자가 작성합니다.")
	}
	limit, err := s.directLimit(ctx, r.InstitutionID)
	if err != nil {
		return nil, err
	}
	return Merge(r, in, limit, s.now())
}

// SendRevision merges the answers of request id into its next revision and
// sends it to the buyer (CanPrepare; the audit log records it). The
// revision then never changes. Conflict when the request is no longer open
// or another revision went out meanwhile.
func (s *Service) SendRevision(ctx context.Context, id int64, in RevisionInput) (*Revision, error) {
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	// An enterprise sees only its lines: decide and merge on the whole
	// request.
	if r, err = s.Store.FindRequest(ctx, r.ID); err != nil {
		return nil, err
	}
	if !canPrepare(ctx, r) {
		return nil, apperr.Errorf(apperr.Forbidden, "여러 기업이 함께 공급하는 견적은 협동조합 운영자가 작성합니다.")
	}
	if !r.Status.open() {
		return nil, closed(r)
	}
	limit, err := s.directLimit(ctx, r.InstitutionID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	in.Remarks = textin.NormalizeNewlines(strings.TrimSpace(in.Remarks))
	v, err := Merge(r, in, limit, now)
	if err != nil {
		return nil, err
	}
	v.Number = len(r.Revisions) + 1
	v.SentAt, v.SentBy = now, account.FromContext(ctx).UserID
	audit, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: "quote.send", Entity: "quote_request", EntityID: r.Number,
		After: map[string]any{"revision": v.Number, "total": v.Total, "valid_until": kr.Date(v.ValidUntil)}})
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateRevision(ctx, v, audit); err != nil {
		return nil, err
	}
	return v, nil
}

// directLimit is the direct-contract limit of institution: its own, else
// the co-op's setting (coop_settings.direct_contract_limit).
func (s *Service) directLimit(ctx context.Context, institutionID int64) (int64, error) {
	l, ok, err := s.Store.DirectContractLimit(ctx, institutionID)
	if err != nil || ok {
		return l, err
	}
	if s.Coop == nil {
		return 0, apperr.Errorf(apperr.Unavailable, "협동조합 설정을 읽을 수 없어 견적서를 만들 수 없습니다.")
	}
	set, err := s.Coop.Settings(ctx)
	if err != nil {
		return 0, err
	}
	return set.DirectContractLimit, nil
}

// Accept accepts revision number of request id for the buyer's
// institution and places the order with the payment terms (OrderPlacer) with one
// idempotency key per revision, so accepting twice makes one order and
// returns it again. Refused, changing nothing: a revision that is not the
// latest (Conflict), an expired one (Conflict), a decided request
// (Conflict), and the placer's refusals (e.g. Conflict for stock short,
// in Korean) — the quote then stays acceptable.
func (s *Service) Accept(ctx context.Context, id int64, number int, terms Terms) (int64, error) {
	a, err := buyer(ctx)
	if err != nil {
		return 0, err
	}
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return 0, err
	}
	if d := r.Decision; d != nil {
		if d.Kind == DecisionAccepted && d.RevisionNumber == number {
			return d.OrderID, nil
		}
		return 0, apperr.Errorf(apperr.Conflict, "이미 %s한 견적입니다.", map[DecisionKind]string{DecisionAccepted: "수락", DecisionDeclined: "거절"}[d.Kind])
	}
	v, err := acceptable(r, number, s.now())
	if err != nil {
		return 0, err
	}
	if !terms.Valid() {
		msg := "결제 방법을 골라 주세요."
		return 0, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"terms": msg}}
	}
	if s.Orders == nil {
		return 0, apperr.Errorf(apperr.Unavailable, "지금은 견적을 주문으로 바꿀 수 없습니다. 잠시 후 다시 시도해 주세요.")
	}
	orderID, err := s.Orders.PlacePublic(ctx, PublicOrderOf(r, v, a.UserID, terms))
	if err != nil {
		return 0, err
	}
	d := &Decision{RequestID: r.ID, RevisionID: v.ID, RevisionNumber: v.Number, Kind: DecisionAccepted, UserID: a.UserID,
		At: s.now(), OrderID: orderID}
	if err := s.Store.Decide(ctx, d, Accepted); err != nil {
		if apperr.Code(err) == apperr.Conflict { // a second accept won the race: its order is the same
			if again, ferr := s.Store.FindRequest(ctx, id); ferr == nil && again.Decision != nil &&
				again.Decision.Kind == DecisionAccepted && again.Decision.RevisionNumber == number {
				return again.Decision.OrderID, nil
			}
		}
		return 0, err
	}
	return orderID, nil
}

// acceptable returns revision number of r when the buyer may decide on it
// now: the latest sent, not past its valid-until date, r still quoted.
func acceptable(r *Request, number int, now time.Time) (*Revision, error) {
	v := r.Latest()
	switch {
	case v == nil:
		return nil, apperr.Errorf(apperr.Conflict, "아직 받은 견적서가 없습니다.")
	case v.Number != number:
		return nil, apperr.Errorf(apperr.Conflict, "최신 견적서(%s)만 수락하거나 거절할 수 있습니다. 최신 견적서를 확인해 주세요.", v.Label())
	case r.Status != Quoted:
		return nil, closed(r)
	case v.ExpiredAt(now):
		return nil, apperr.Errorf(apperr.Conflict, "유효기간(%s까지)이 지난 견적서는 수락할 수 없습니다. 새 견적을 요청해 주세요.", kr.Date(v.ValidUntil))
	}
	return v, nil
}

// Decline declines the latest revision of request id, with the buyer's
// reason; the request ends. Refusals as Accept's, but an expired quote may
// be declined.
func (s *Service) Decline(ctx context.Context, id int64, number int, reason string) error {
	a, err := buyer(ctx)
	if err != nil {
		return err
	}
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if msg := (textin.Rule{Label: "거절 사유", Required: true, Max: 300}).Message(reason); msg != "" {
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"reason": msg}}
	}
	if r.Decision != nil {
		return apperr.Errorf(apperr.Conflict, "이미 답한 견적입니다.")
	}
	v, err := acceptable(r, number, time.Time{}) // expiry does not stop a refusal
	if err != nil {
		return err
	}
	return s.Store.Decide(ctx, &Decision{RequestID: r.ID, RevisionID: v.ID, RevisionNumber: v.Number, Kind: DecisionDeclined,
		UserID: a.UserID, At: s.now(), Reason: reason}, Declined)
}

// Withdraw withdraws the buyer's open request.
func (s *Service) Withdraw(ctx context.Context, id int64) error {
	if _, err := buyer(ctx); err != nil {
		return err
	}
	r, err := s.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	if !r.Status.open() {
		return closed(r)
	}
	return s.Store.Withdraw(ctx, r.ID, s.now())
}
