package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
)

// CartCookie is the browser session: the id of the shopper's cart,
// "<random id>.<signature>". The CSRF tokens of every form are tied to it.
// Like every cookie set through Cookies it is HttpOnly, SameSite=Lax,
// Secure over https, and signed with HMAC-SHA256 under Config.CookieSecret.
const CartCookie = "dure_cart"

// CSRFField is the form field that carries the CSRF token.
const CSRFField = "_csrf"

var b64 = base64.RawURLEncoding

// Cookies signs, verifies and sets the app's cookies.
type Cookies struct {
	secret []byte
	secure bool
}

// Sign returns the base64url HMAC-SHA256 of purpose and value; a purpose
// ("cart", "csrf", "orders") keeps one cookie's signature from passing for
// another's.
func (ck *Cookies) Sign(purpose, value string) string {
	m := hmac.New(sha256.New, ck.secret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return b64.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is Sign(purpose, value), in constant time.
func (ck *Cookies) Verify(purpose, value, sig string) bool {
	return hmac.Equal([]byte(ck.Sign(purpose, value)), []byte(sig))
}

// Set sends cookie name for the whole site: HttpOnly, SameSite=Lax, Secure
// over https (always with Config.SecureCookies).
func (ck *Cookies) Set(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(maxAge / time.Second),
		Secure: ck.secure || c.Protocol() == "https", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// RandomToken returns n random bytes, base64url-encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b64.EncodeToString(b)
}

// cartState is what the cart cookie says.
type cartState int

const (
	cartNone cartState = iota
	cartValid
	cartTampered
)

// readCart returns the cart id of a well-signed cart cookie.
func (k *Kit) readCart(c *fiber.Ctx) (string, cartState) {
	raw := c.Cookies(CartCookie)
	if raw == "" {
		return "", cartNone
	}
	id, sig, ok := strings.Cut(raw, ".")
	if !ok || len(id) != 22 || !k.Cookies.Verify("cart", id, sig) {
		return "", cartTampered
	}
	return id, cartValid
}

// ReadCart returns the request's cart id without starting one: a
// signed-in shopper's own cart (cart.UserCartID, which follows them across
// browsers), or else the browser's guest cart when its cookie is present
// and well signed. It never sets a cookie.
func (k *Kit) ReadCart(c *fiber.Ctx) (string, bool) {
	if a := Actor(c); a != nil && a.SessionID != "" {
		return cart.UserCartID(a.UserID), true
	}
	return k.GuestCart(c)
}

// GuestCart returns the browser's guest cart id from a well-signed cart
// cookie (at sign-in it is merged into the account's cart).
func (k *Kit) GuestCart(c *fiber.Ctx) (string, bool) {
	id, st := k.readCart(c)
	return id, st == cartValid
}

// newCart starts a new cart id and sends its cookie.
func (k *Kit) newCart(c *fiber.Ctx) string {
	id := RandomToken(16)
	k.Cookies.Set(c, CartCookie, id+"."+k.Cookies.Sign("cart", id), cart.TTL)
	return id
}

// errTamperedCart is the answer to a cart cookie whose signature is wrong.
func errTamperedCart() error {
	return apperr.Errorf(apperr.Invalid, "장바구니 정보가 올바르지 않아 새 장바구니를 준비했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.")
}

// CartID returns the request's cart id: a signed-in shopper's own cart, or
// else the browser's guest cart. Without a cookie it returns "" or,
// when create is set, a new id with its cookie. A tampered cookie is
// replaced by a new one and answered with apperr.Invalid, so the request
// changes nothing.
func (k *Kit) CartID(c *fiber.Ctx, create bool) (string, error) {
	if a := Actor(c); a != nil && a.SessionID != "" {
		return cart.UserCartID(a.UserID), nil
	}
	id, st := k.readCart(c)
	switch st {
	case cartValid:
		if create {
			k.Cookies.Set(c, CartCookie, c.Cookies(CartCookie), cart.TTL) // the cart's TTL is refreshed too
		}
		return id, nil
	case cartTampered:
		k.newCart(c)
		return "", errTamperedCart()
	}
	if create {
		return k.newCart(c), nil
	}
	return "", nil
}

// formSession returns the id the CSRF token of a page's forms is tied to:
// the signed-in session, or else the guest cart id, started (or replaced
// when tampered) if needed.
func (k *Kit) formSession(c *fiber.Ctx) string {
	if a := Actor(c); a != nil && a.SessionID != "" {
		return "s:" + a.SessionID
	}
	if id, st := k.readCart(c); st == cartValid {
		return id
	}
	return k.newCart(c)
}

// CSRFToken is the hidden _csrf field (CSRFField) of a page's POST forms: an
// HMAC of the browser session (the signed-in session, or else the cart
// cookie, started if needed) and an expiry 12 hours ahead, so a page of
// another site can neither read nor forge it and an old page's token ends.
// Render it with the shared {{template "csrf" .CSRF}} partial.
func (k *Kit) CSRFToken(c *fiber.Ctx) string { return k.csrfToken(k.formSession(c), time.Now()) }

// CheckCSRF is the middleware of routes with forms: every POST must carry a
// live token of the browser's session in CSRFField (403 otherwise); a
// tampered cart cookie gets the cart's 400. Other methods pass.
func (k *Kit) CheckCSRF(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodPost {
		return c.Next()
	}
	var session string
	if a := Actor(c); a != nil && a.SessionID != "" {
		session = "s:" + a.SessionID
	} else {
		id, st := k.readCart(c)
		if st == cartTampered {
			k.newCart(c)
			return errTamperedCart()
		}
		if st != cartValid {
			return errCSRF()
		}
		session = id
	}
	if !k.checkCSRFToken(session, c.FormValue(CSRFField), time.Now()) {
		return errCSRF()
	}
	return c.Next()
}

// CheckJSONWrite guards a JSON API's writes against cross-site requests: a
// body must be declared JSON, which a form of another site cannot send
// without a CORS preflight this server never approves (and SameSite=Lax keeps
// the cookie off cross-site subrequests anyway).
func CheckJSONWrite(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPatch, fiber.MethodPut:
		if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
			return apperr.Errorf(apperr.Forbidden, "요청 본문은 application/json이어야 합니다.")
		}
	}
	return c.Next()
}
