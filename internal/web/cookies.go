package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
)

// Cookie names. Both cookies are HttpOnly, SameSite=Lax, Secure over https,
// and signed with HMAC-SHA256 under Deps.CookieSecret.
const (
	cartCookie   = "dure_cart"   // "<random id>.<signature>"
	ordersCookie = "dure_orders" // order numbers this browser placed or looked up
	csrfField    = "_csrf"
)

// ordersTTL is how long the browser keeps access to the orders it placed or
// looked up without giving the phone number again.
const ordersTTL = 24 * time.Hour

var b64 = base64.RawURLEncoding

// sign returns the base64url HMAC-SHA256 of purpose and value.
func (s *server) sign(purpose, value string) string {
	m := hmac.New(sha256.New, s.CookieSecret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return b64.EncodeToString(m.Sum(nil))
}

func (s *server) verify(purpose, value, sig string) bool {
	return hmac.Equal([]byte(s.sign(purpose, value)), []byte(sig))
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b64.EncodeToString(b)
}

func (s *server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(maxAge / time.Second),
		Secure: s.SecureCookies || c.Protocol() == "https", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// cartState is what the cart cookie says.
type cartState int

const (
	cartNone cartState = iota
	cartValid
	cartTampered
)

// readCart returns the cart id of a well-signed cart cookie.
func (s *server) readCart(c *fiber.Ctx) (string, cartState) {
	raw := c.Cookies(cartCookie)
	if raw == "" {
		return "", cartNone
	}
	id, sig, ok := strings.Cut(raw, ".")
	if !ok || len(id) != 22 || !s.verify("cart", id, sig) {
		return "", cartTampered
	}
	return id, cartValid
}

// newCart starts a new cart id and sends its cookie.
func (s *server) newCart(c *fiber.Ctx) string {
	id := randomToken(16)
	s.setCookie(c, cartCookie, id+"."+s.sign("cart", id), cart.TTL)
	return id
}

// errTamperedCart is the answer to a cart cookie whose signature is wrong.
func errTamperedCart() error {
	return apperr.Errorf(apperr.Invalid, "장바구니 정보가 올바르지 않아 새 장바구니를 준비했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.")
}

// cartID returns the browser's cart id. Without a cookie it returns "" or,
// when create is set, a new id with its cookie. A tampered cookie is
// replaced by a new one and answered with apperr.Invalid, so the request
// changes nothing.
func (s *server) cartID(c *fiber.Ctx, create bool) (string, error) {
	id, st := s.readCart(c)
	switch st {
	case cartValid:
		if create {
			s.setCookie(c, cartCookie, c.Cookies(cartCookie), cart.TTL) // the cart's TTL is refreshed too
		}
		return id, nil
	case cartTampered:
		s.newCart(c)
		return "", errTamperedCart()
	}
	if create {
		return s.newCart(c), nil
	}
	return "", nil
}

// formSession returns the id the CSRF token of a page's forms is tied to:
// the cart id, started (or replaced when tampered) if needed.
func (s *server) formSession(c *fiber.Ctx) string {
	if id, st := s.readCart(c); st == cartValid {
		return id
	}
	return s.newCart(c)
}

// csrfToken is the hidden field of every form: an HMAC of the cart id, so a
// page of another site can neither read nor forge it.
func (s *server) csrfToken(c *fiber.Ctx) string { return s.sign("csrf", s.formSession(c)) }

// checkCSRF guards every form POST: the _csrf field must be the token of the
// browser's cart cookie. A tampered cookie gets the cart's 400.
func (s *server) checkCSRF(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodPost {
		return c.Next()
	}
	id, st := s.readCart(c)
	if st == cartTampered {
		s.newCart(c)
		return errTamperedCart()
	}
	if st != cartValid || !s.verify("csrf", id, c.FormValue(csrfField)) {
		return apperr.Errorf(apperr.Forbidden, "보안 확인 시간이 지났습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.")
	}
	return c.Next()
}

// checkAPIWrite guards the JSON API's writes against cross-site requests: a
// body must be declared JSON, which a form of another site cannot send
// without a CORS preflight this server never approves (and SameSite=Lax keeps
// the cookie off cross-site subrequests anyway).
func checkAPIWrite(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPatch, fiber.MethodPut:
		if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
			return apperr.Errorf(apperr.Forbidden, "요청 본문은 application/json이어야 합니다.")
		}
	}
	return c.Next()
}

// orderAccess returns the order numbers this browser may see without the
// phone number: those it placed, and those it looked up with the phone.
func (s *server) orderAccess(c *fiber.Ctx) []string {
	raw := c.Cookies(ordersCookie)
	payload, sig, ok := strings.Cut(raw, ".")
	if !ok || !s.verify("orders", payload, sig) {
		return nil
	}
	list, exp, ok := strings.Cut(payload, "~")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || time.Now().Unix() > unix || list == "" {
		return nil
	}
	return strings.Split(list, "_")
}

func (s *server) mayView(c *fiber.Ctx, number string) bool {
	return slices.Contains(s.orderAccess(c), number)
}

// grantOrder adds number to the browser's order access (the last five).
func (s *server) grantOrder(c *fiber.Ctx, number string) {
	list := slices.DeleteFunc(s.orderAccess(c), func(n string) bool { return n == number })
	list = append(list, number)
	if len(list) > 5 {
		list = list[len(list)-5:]
	}
	payload := strings.Join(list, "_") + "~" + strconv.FormatInt(time.Now().Add(ordersTTL).Unix(), 10)
	s.setCookie(c, ordersCookie, payload+"."+s.sign("orders", payload), ordersTTL)
}
