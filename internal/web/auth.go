package web

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// SessionCookie carries a signed-in user's session id (account sessions live
// in Redis; the cookie holds only the random id). HttpOnly, SameSite=Lax,
// Secure over https, like every cookie set through Cookies.
const SessionCookie = "dure_session"

// sessionCookieAge is the cookie's Max-Age; the server ends sessions itself
// (idle and absolute timeouts), the cookie merely outlives them.
const sessionCookieAge = 7 * 24 * time.Hour

// Authenticator turns a session id or an enterprise API key into the actor
// of a request (account.Service).
type Authenticator interface {
	// ActorForSession returns Unauthorized for an unknown or ended session.
	ActorForSession(ctx context.Context, sessionID string) (*account.Actor, error)
	// ActorForAPIKey returns Unauthorized for an unknown or revoked key,
	// Forbidden when the key's enterprise is not active.
	ActorForAPIKey(ctx context.Context, key string) (*account.Actor, error)
}

// authenticate is the app-wide middleware that puts the actor of a request
// into its context (account.FromContext(c.UserContext())): from the session
// cookie, or, under /api/, from an "Authorization: Bearer dure_…" API key.
// A request without either is anonymous; an ended session's cookie is
// dropped. Redis being down leaves the request anonymous (pages that need a
// user then ask for a sign-in) rather than failing pages that need none,
// and does not slow them: the lookup gets sessionTimeout, and after a
// failure none is made for sessionCooldown (Kit.sessions).
func (k *Kit) authenticate(c *fiber.Ctx) error {
	if k.accounts == nil {
		return c.Next()
	}
	if key, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok && strings.HasPrefix(c.Path(), "/api/") {
		a, err := k.accounts.ActorForAPIKey(c.UserContext(), strings.TrimSpace(key))
		if err != nil {
			// A key that is right but whose enterprise is suspended (or not
			// yet approved) is Forbidden, with the rules' message: retrying
			// with another key would not help.
			if code := apperr.Code(err); code == apperr.Internal || code == apperr.Forbidden {
				return err
			}
			return apperr.Errorf(apperr.Unauthorized, "API 키가 올바르지 않거나 폐기되었습니다.")
		}
		c.SetUserContext(account.NewContext(c.UserContext(), a))
		return c.Next()
	}
	sid := c.Cookies(SessionCookie)
	if sid == "" {
		return c.Next()
	}
	var a *account.Actor
	err := k.sessions.Do(c.UserContext(), func(ctx context.Context) (err error) {
		a, err = k.accounts.ActorForSession(ctx, sid)
		return err
	})
	switch code := apperr.Code(err); {
	case err == nil:
		c.SetUserContext(account.NewContext(c.UserContext(), a))
	case code == apperr.Unauthorized || code == apperr.NotFound:
		k.ClearSession(c)
	case errors.Is(err, ErrBreakerOpen):
	default:
		k.Log.Warn("session lookup failed; serving as anonymous", "request_id", RequestID(c), "err", err)
	}
	return c.Next()
}

// The session lookup's bound, and how long it is not tried after a failure.
const (
	sessionTimeout  = 500 * time.Millisecond
	sessionCooldown = 2 * time.Second
)

// Actor returns the request's actor, or nil when anonymous.
func Actor(c *fiber.Ctx) *account.Actor { return account.FromContext(c.UserContext()) }

// StartSession sends the cookie of a new (or rotated) session id and makes
// it the request's session for the rest of the request, so that the CSRF
// token of a page rendered now already belongs to it.
func (k *Kit) StartSession(c *fiber.Ctx, a *account.Actor, sessionID string) {
	k.Cookies.Set(c, SessionCookie, sessionID, sessionCookieAge)
	a.SessionID = sessionID
	c.SetUserContext(account.NewContext(c.UserContext(), a))
}

// ClearSession drops the session cookie.
func (k *Kit) ClearSession(c *fiber.Ctx) {
	k.Cookies.Set(c, SessionCookie, "", -time.Second)
}

// csrfTTL is how long a form's CSRF token is accepted after the page was
// rendered.
const csrfTTL = 12 * time.Hour

// csrfToken signs the browser session (the signed-in session, or the guest
// cart) together with an expiry: "<unix expiry>.<signature>".
func (k *Kit) csrfToken(session string, now time.Time) string {
	exp := strconv.FormatInt(now.Add(csrfTTL).Unix(), 10)
	return exp + "." + k.Cookies.Sign("csrf", session+"|"+exp)
}

// checkCSRFToken reports whether tok was made for session and has not
// expired.
func (k *Kit) checkCSRFToken(session, tok string, now time.Time) bool {
	exp, sig, ok := strings.Cut(tok, ".")
	if !ok {
		return false
	}
	at, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || now.Unix() > at || at > now.Add(csrfTTL+time.Minute).Unix() {
		return false
	}
	return k.Cookies.Verify("csrf", session+"|"+exp, sig)
}
