package shop

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
)

// What an online mall must show (전자상거래법 §10, §20): the operator's
// business details in the footer, the terms and the privacy policy as
// pages, the intermediary notice, each seller's details and the return
// policy on the product and order pages.

// CoopSettings reads the co-op's settings (*coop.Service is one).
type CoopSettings interface {
	Settings(ctx context.Context) (*coop.Settings, error)
}

// footerTTL is how long a footer is shown from the settings read last: the
// footer is on every page, the settings change a few times a year.
const footerTTL = 30 * time.Second

// footerView is the footer's business details, formatted.
type footerView struct {
	Name, Representative, BusinessNumber, MailOrderNumber string
	Address, Phone, Email, HostingProvider                string
	Intermediary                                          bool
}

// footerCache keeps the footer for footerTTL; a failed read shows the last
// footer (or none) and is retried after footerTTL.
type footerCache struct {
	mu   sync.Mutex
	at   time.Time
	view *footerView
}

func (s *server) footer(ctx context.Context) *footerView {
	if s.Coop == nil {
		return nil
	}
	f := &s.footerCache
	f.mu.Lock()
	defer f.mu.Unlock()
	if time.Since(f.at) < footerTTL {
		return f.view
	}
	f.at = time.Now()
	st, err := s.Coop.Settings(ctx)
	if err != nil {
		s.kit.Log.Warn("footer: co-op settings; showing the last footer", "err", err)
		return f.view
	}
	if st.Name == "" { // not configured yet: the plain footer
		f.view = nil
		return nil
	}
	f.view = &footerView{Name: st.Name, Representative: st.Representative, BusinessNumber: st.BusinessNumberLabel(),
		MailOrderNumber: st.MailOrderNumber, Address: st.Address, Phone: st.Phone, Email: st.Email,
		HostingProvider: st.HostingProvider, Intermediary: st.Intermediary}
	return f.view
}

// docView is a terms or privacy page.
type docView struct {
	layout
	Heading    string
	Version    string // 제2판
	Published  string // 2026.11.30
	Paragraphs []string
	// Current is the newest version's address when an older one is shown.
	Current string
}

// docPage shows the newest version of kind, or ?v=N (the version an order
// was agreed under).
func (s *server) docPage(kind coop.DocKind, path string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.Documents == nil {
			return fiber.ErrServiceUnavailable
		}
		version := 0
		if q := c.Query("v"); q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < 1 {
				return apperr.Errorf(apperr.NotFound, "문서를 찾을 수 없습니다.")
			}
			version = n
		}
		d, err := s.Documents.Version(c.UserContext(), kind, version)
		if err != nil {
			return err
		}
		v := docView{Heading: kind.Label(), Version: d.VersionLabel(), Published: kr.Date(d.PublishedAt), Paragraphs: d.Paragraphs()}
		if version != 0 {
			if cur, err := s.Documents.Current(c.UserContext(), kind); err == nil && cur.Version != d.Version {
				v.Current = path
			}
		}
		v.Title = kind.Label()
		return s.render(c, "shop/document", &v)
	}
}

// sellerView is an enterprise's seller details (판매자 정보).
type sellerView struct {
	Name, Representative, BusinessNumber, Phone, Email, Address string
	// ReturnAddress is where returns go (its own, or the place of
	// business); ReturnPhone its contact when it differs from Phone.
	ReturnAddress, ReturnPhone string
}

func newSellerView(e *catalog.Enterprise) *sellerView {
	if e == nil {
		return nil
	}
	v := &sellerView{Name: e.Name, Representative: e.Representative, BusinessNumber: kr.FormatBusinessNumber(e.BusinessNumber),
		Phone: e.Phone, Email: e.Email, Address: e.Address, ReturnAddress: e.ReturnTo()}
	if p := e.ReturnPhone(); p != e.Phone {
		v.ReturnPhone = p
	}
	return v
}

// returnView is the 교환·반품 안내 of one enterprise's products.
type returnView struct {
	ID      int64  // the enterprise's: the heading's id
	Name    string // the enterprise's, on the order page
	Service bool   // a service: cancelled before it starts, not returned
	Fee     string // the one-way shipping fee the buyer pays for a change of mind
	Address string // where returns go (catalog.Enterprise.ReturnTo)
	Phone   string // the contact for returns
}

func newReturnView(k catalog.Kind, e *catalog.Enterprise) *returnView {
	v := &returnView{Service: k == catalog.Service}
	if e != nil {
		v.ID, v.Name, v.Fee, v.Address, v.Phone = e.ID, e.Name, kr.Won(e.Shipping.Fee), e.ReturnTo(), e.ReturnPhone()
	}
	return v
}

// orderLegal adds the order page's 교환·반품 안내 (one per enterprise of the
// order) and what its buyer agreed to. An enterprise that cannot be read
// (left the co-op) gets the policy without its address.
func (s *server) orderLegal(ctx context.Context, v *orderView) {
	for _, so := range v.O.SubOrders {
		kind := catalog.Service
		for _, l := range so.Lines {
			if l.Kind != catalog.Service {
				kind = catalog.Goods
			}
		}
		e, err := s.Catalog.FindEnterpriseByID(ctx, so.EnterpriseID)
		if err != nil {
			e = &catalog.Enterprise{ID: so.EnterpriseID, Name: so.EnterpriseName}
			e.Shipping.Fee = -1
		}
		rv := newReturnView(kind, e)
		if e.Shipping.Fee < 0 {
			rv.Fee = ""
		}
		v.Returns = append(v.Returns, rv)
	}
	v.Consent = s.consentOf(ctx, v.O.Consent)
}

// consentDocs are the documents the checkout form asks the buyer to agree
// to, the newest versions.
type consentDocs struct {
	Terms, Privacy *coop.Document
	// PrivacyLines is the collection notice, one line per item (수집 항목,
	// 이용 목적, 보유 기간, …).
	PrivacyLines []string
}

func (s *server) loadConsentDocs(ctx context.Context) (consentDocs, error) {
	var d consentDocs
	var err error
	if d.Terms, err = s.Documents.Current(ctx, coop.Terms); err != nil {
		return d, err
	}
	if d.Privacy, err = s.Documents.Current(ctx, coop.OrderPrivacy); err != nil {
		return d, err
	}
	for _, l := range strings.Split(d.Privacy.Body, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			d.PrivacyLines = append(d.PrivacyLines, l)
		}
	}
	return d, nil
}

// agreedDoc resolves the version id the form was shown (a hidden field) to
// a document of kind; anything else (tampered, unknown) is 0, and the
// buyer is asked again with the current version.
func (s *server) agreedDoc(ctx context.Context, kind coop.DocKind, field string) int64 {
	id, err := strconv.ParseInt(field, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	d, err := s.Documents.ByID(ctx, id)
	if err != nil || d.Kind != kind {
		return 0
	}
	return d.ID
}

// consentRecord is what an order page says was agreed.
type consentRecord struct {
	At             string
	Terms, Privacy string // "이용약관 제1판"
	TermsURL       string
	Marketing      bool
}

func (s *server) consentOf(ctx context.Context, c order.Consent) *consentRecord {
	if s.Documents == nil || c.At.IsZero() {
		return nil
	}
	r := &consentRecord{At: kr.DateTime(c.At), Marketing: c.Marketing}
	if d, err := s.Documents.ByID(ctx, c.TermsDocID); err == nil {
		r.Terms, r.TermsURL = d.Kind.Label()+" "+d.VersionLabel(), "/terms?v="+strconv.Itoa(d.Version)
	}
	if d, err := s.Documents.ByID(ctx, c.PrivacyDocID); err == nil {
		r.Privacy = d.Kind.Label() + " " + d.VersionLabel()
	}
	return r
}
