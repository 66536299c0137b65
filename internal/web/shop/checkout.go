package shop

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
)

// Checkout attempts allowed per client IP and minute, across instances.
const (
	checkoutLimit  = 10
	checkoutWindow = time.Minute
)

// checkoutForm is the checkout form as typed, kept on every error.
type checkoutForm struct {
	BuyerName, BuyerPhone, BuyerEmail              string
	Recipient, Phone, Postcode, Road, Detail, Memo string
	CheckoutKey                                    string
	ExpectedTotal                                  int64
	// SameAsBuyer copies the buyer's name and phone to the recipient's (on
	// the server, so it works without JavaScript).
	SameAsBuyer bool
	// The consents as ticked, and the document versions the form showed.
	AgreeTerms, AgreePrivacy, Marketing bool
	TermsDoc, PrivacyDoc                string
	// SaveAddress keeps the delivery address in a member's address book
	// after the order is placed (이 주소 저장).
	SaveAddress bool
}

// display is the form as it may be shown again beside its errors
// (textin.ForDisplay: no broken bytes or control characters on the page).
func (f checkoutForm) display() checkoutForm {
	for _, p := range []*string{&f.BuyerName, &f.BuyerPhone, &f.BuyerEmail, &f.Recipient, &f.Phone, &f.Postcode,
		&f.Road, &f.Detail, &f.Memo, &f.CheckoutKey, &f.TermsDoc, &f.PrivacyDoc} {
		*p = textin.ForDisplay(*p)
	}
	return f
}

type checkoutView struct {
	layout
	cartSummary
	F      checkoutForm
	Errors map[string]string // by field name
	// Problem is the message above the form: a conflict (stock, price, the
	// remote-area surcharge) or "please fix the fields".
	Problem string
	// Docs are the versions the consents refer to (legal.go).
	Docs consentDocs
	// Member is a signed-in shopper, offered Saved (their address book)
	// and 이 주소 저장; Chosen is the saved address the form was filled
	// from (?address=ID, or the default on arrival).
	Member bool
	Saved  []*order.SavedAddress
	Chosen int64
}

// checkoutPage is the address form with the order summary.
func (s *server) checkoutPage(c *fiber.Ctx) error {
	if s.Documents == nil {
		return fiber.ErrServiceUnavailable
	}
	id, err := s.kit.CartID(c, false)
	if err != nil {
		return err
	}
	if id == "" {
		return c.Redirect("/cart", fiber.StatusSeeOther)
	}
	v := checkoutView{F: checkoutForm{CheckoutKey: web.RandomToken(24)}}
	if a := web.Actor(c); a != nil && a.SessionID != "" {
		v.F.BuyerName, v.F.BuyerEmail = a.Name, a.Email // the account's own details, to edit if needed
	}
	if err := s.fillSavedAddress(c, &v); err != nil {
		return err
	}
	if err := s.loadCheckoutCart(c, id, &v); err != nil {
		return err
	}
	if v.Empty || v.Blocked {
		return c.Redirect("/cart", fiber.StatusSeeOther)
	}
	return s.renderCheckout(c, &v, fiber.StatusOK)
}

// fillSavedAddress offers a member their address book and fills the
// recipient's fields from the address ?address= names (the member's own
// only: another's id is 404), or from the default one. The fields stay the
// truth of the order: the shopper may still change them.
func (s *server) fillSavedAddress(c *fiber.Ctx, v *checkoutView) error {
	if err := s.loadSaved(c, v); err != nil || len(v.Saved) == 0 {
		return err
	}
	chosen := v.Saved[0] // the default comes first
	if raw := c.Query("address"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return apperr.Errorf(apperr.NotFound, "배송지를 찾을 수 없습니다.")
		}
		if chosen, err = s.Addresses.FindAddress(c.UserContext(), id); err != nil {
			return err
		}
	} else if !chosen.Default {
		return nil
	}
	a := chosen.Address
	v.Chosen = chosen.ID
	v.F.Recipient, v.F.Phone, v.F.Postcode, v.F.Road, v.F.Detail = a.Recipient, a.Phone, a.Postcode, a.Road, a.Detail
	return nil
}

// loadSaved reads a member's address book for the form.
func (s *server) loadSaved(c *fiber.Ctx, v *checkoutView) error {
	if s.Addresses == nil || signedInUser(c) == 0 {
		return nil
	}
	v.Member = true
	list, err := s.Addresses.FindAddresses(c.UserContext())
	if err != nil {
		return err
	}
	v.Saved = list
	return nil
}

// loadCheckoutCart prices the cart for the form's postcode and makes that
// the total the form promises.
func (s *server) loadCheckoutCart(c *fiber.Ctx, cartID string, v *checkoutView) error {
	cv, err := s.Carts.View(c.UserContext(), cartID, v.F.Postcode)
	if err != nil {
		return err
	}
	v.cartSummary = summarize(cv)
	v.F.ExpectedTotal = cv.Price.Total
	return nil
}

func (s *server) renderCheckout(c *fiber.Ctx, v *checkoutView, status int) error {
	v.Title, v.NoIndex, v.Forms, v.HideSearch = "주문서 작성", true, true, true
	docs, err := s.loadConsentDocs(c.UserContext())
	if err != nil {
		return err
	}
	v.Docs = docs
	terms, privacy := strconv.FormatInt(docs.Terms.ID, 10), strconv.FormatInt(docs.Privacy.ID, 10)
	// A box ticked for a version that is no longer current is shown
	// unticked: the buyer agrees to what the form now shows.
	v.F.AgreeTerms = v.F.AgreeTerms && v.F.TermsDoc == terms
	v.F.AgreePrivacy = v.F.AgreePrivacy && v.F.PrivacyDoc == privacy
	v.F.TermsDoc, v.F.PrivacyDoc = terms, privacy
	if !v.Member {
		if err := s.loadSaved(c, v); err != nil {
			return err
		}
	}
	v.Scripts = []string{s.kit.Templates.StaticPath("postcode.js")}
	web.AllowPostcodeSearch(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "shop/checkout", v)
}

// checkoutSubmit places the order. A wrong field re-renders the form (422)
// with every message and all input kept (as textin.ForDisplay shows it; a
// tampered checkout key is replaced by a new one); a conflict (stock, price, or a
// total changed by the postcode's surcharge) re-renders it (409) with the
// refreshed summary and the new total to confirm; success goes to payment.
func (s *server) checkoutSubmit(c *fiber.Ctx) error {
	if s.Documents == nil {
		return fiber.ErrServiceUnavailable
	}
	id, err := s.kit.CartID(c, false)
	if err != nil {
		return err
	}
	f := checkoutForm{
		BuyerName: c.FormValue("buyer_name"), BuyerPhone: c.FormValue("buyer_phone"),
		BuyerEmail: c.FormValue("buyer_email"), Recipient: c.FormValue("recipient"), Phone: c.FormValue("phone"),
		Postcode: strings.TrimSpace(c.FormValue("postcode")), Road: c.FormValue("road"),
		Detail: c.FormValue("detail"), Memo: c.FormValue("memo"), CheckoutKey: c.FormValue("checkout_key"),
		SameAsBuyer: c.FormValue("same_as_buyer") != "", AgreeTerms: c.FormValue("agree_terms") != "",
		AgreePrivacy: c.FormValue("agree_privacy") != "", Marketing: c.FormValue("marketing") != "",
		TermsDoc: c.FormValue("terms_doc"), PrivacyDoc: c.FormValue("privacy_doc"),
		SaveAddress: c.FormValue("save_address") != "",
	}
	if f.SameAsBuyer {
		f.Recipient, f.Phone = f.BuyerName, f.BuyerPhone
	}
	consent := order.Consent{Marketing: f.Marketing}
	if f.AgreeTerms {
		consent.TermsDocID = s.agreedDoc(c.UserContext(), coop.Terms, f.TermsDoc)
	}
	if f.AgreePrivacy {
		consent.PrivacyDocID = s.agreedDoc(c.UserContext(), coop.OrderPrivacy, f.PrivacyDoc)
	}
	expected, perr := strconv.ParseInt(c.FormValue("expected_total"), 10, 64)
	if perr != nil || expected < 0 {
		expected = -1 // never a real total: the buyer is shown the total and asked again
	}
	in := order.CheckoutInput{
		CheckoutKey: f.CheckoutKey, CartID: id,
		Buyer: order.Buyer{Name: f.BuyerName, Phone: f.BuyerPhone, Email: f.BuyerEmail},
		Address: order.Address{Recipient: f.Recipient, Phone: f.Phone, Postcode: f.Postcode, Road: f.Road,
			Detail: f.Detail, Memo: f.Memo},
		ExpectedTotal: expected,
		UserID:        signedInUser(c),
		Consent:       consent,
	}
	var o *order.Order
	// Only an attempt that may reserve stock or reach payment counts against
	// the limit: a burst of form mistakes must not lock out the right one.
	if err = order.ValidateCheckout(in); err == nil {
		if s.Limiter != nil {
			ok, lerr := s.Limiter.Allow(c.UserContext(), "checkout:"+c.IP(), checkoutLimit, checkoutWindow)
			if lerr != nil {
				return lerr
			}
			if !ok {
				return fiber.ErrTooManyRequests
			}
		}
		o, err = s.Orders.Checkout(c.UserContext(), in)
	}
	if err == nil {
		s.saveCheckoutAddress(c, f, in.Address)
		s.grantOrder(c, o.Number)
		return c.Redirect("/orders/"+o.Number+"/pay", fiber.StatusSeeOther)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Conflict && (ae.Code != apperr.Invalid || len(ae.Fields) == 0)) {
		return err
	}
	v := checkoutView{F: f.display(), Errors: ae.Fields, Problem: ae.Message}
	// A consent given to a version no longer current is asked again.
	v.F.AgreeTerms, v.F.AgreePrivacy = consent.TermsDocID != 0, consent.PrivacyDocID != 0
	if _, bad := ae.Fields["checkout_key"]; bad {
		v.F.CheckoutKey = web.RandomToken(24)
	}
	if id == "" {
		return c.Redirect("/cart", fiber.StatusSeeOther)
	}
	if err := s.loadCheckoutCart(c, id, &v); err != nil {
		return err
	}
	if v.Empty {
		return c.Redirect("/cart", fiber.StatusSeeOther)
	}
	if ae.Code == apperr.Invalid {
		return s.renderCheckout(c, &v, fiber.StatusUnprocessableEntity)
	}
	if v.Price.Total != expected && !v.Blocked {
		v.Problem = "합계 금액이 " + kr.Won(v.Price.Total) + "(으)로 바뀌었습니다"
		if remote(v.Price) {
			v.Problem += " (제주/도서산간 추가 배송비 포함)"
		}
		v.Problem += ". 금액을 확인하신 뒤 다시 주문해 주세요."
	}
	return s.renderCheckout(c, &v, fiber.StatusConflict)
}

// saveCheckoutAddress keeps a placed order's address in the member's book
// when they ticked 이 주소 저장. The order is placed already: a full book or
// a failure is logged, never shown as the order's failure.
func (s *server) saveCheckoutAddress(c *fiber.Ctx, f checkoutForm, a order.Address) {
	if !f.SaveAddress || s.Addresses == nil || signedInUser(c) == 0 {
		return
	}
	if _, err := s.Addresses.SaveFromCheckout(c.UserContext(), a); err != nil {
		s.kit.Log.Warn("checkout: save address", "request_id", web.RequestID(c), "err", err)
	}
}

func remote(b pricing.Breakdown) bool {
	for _, p := range b.Parts {
		if p.Remote {
			return true
		}
	}
	return false
}

// signedInUser is the id of the signed-in shopper (0 for a guest), whose
// orders then show in their account.
func signedInUser(c *fiber.Ctx) int64 {
	if a := web.Actor(c); a != nil && a.SessionID != "" {
		return a.UserID
	}
	return 0
}
