package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
)

// ErrCSRF is the refusal of a form whose CSRF token is missing, foreign or
// expired (CheckCSRF). It is one value, so the error handler can tell it
// from other refusals.
var ErrCSRF = &apperr.Error{Code: apperr.Forbidden, Message: "보안 확인 시간이 지났습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요."}

func errCSRF() error { return ErrCSRF }

// Resume is a form that could not be saved because the session ended or the
// page's security token expired while it was being filled in: what was
// typed, and where it was going, so nothing is lost.
type Resume struct {
	Action string     // the form's path (a path of this site)
	Fields url.Values // what was posted, without the CSRF token
	Status int        // the refusal's status (401 or 403)
}

// ResumePage answers a Resume: a page that keeps the typed values and lets
// the person sign in again (or just confirm) and save them.
type ResumePage func(c *fiber.Ctx, r Resume) error

// OnResume registers the page that answers forms refused for an ended
// session or an expired token, for every audience.
func (k *Kit) OnResume(p ResumePage) {
	k.errs.resume = p
	k.errs.ours = k.formWasOurs
}

// formWasOurs reports whether the posted form carries a CSRF token this
// site signed for the browser's session — the signed-in one, the one whose
// cookie is still sent after it ended, or the guest cart — whatever its
// expiry. Only such a form is offered to be resumed: a form posted from
// another site (no token, or a forged one) stays a plain refusal, so a
// resume page can never carry an attacker's values.
func (k *Kit) formWasOurs(c *fiber.Ctx) bool {
	exp, sig, ok := strings.Cut(c.FormValue(CSRFField), ".")
	if !ok {
		return false
	}
	var sessions []string
	if a := Actor(c); a != nil && a.SessionID != "" {
		sessions = append(sessions, "s:"+a.SessionID)
	}
	if sid := c.Cookies(SessionCookie); sid != "" {
		sessions = append(sessions, "s:"+sid)
	}
	if id, st := k.readCart(c); st == cartValid {
		sessions = append(sessions, id)
	}
	for _, s := range sessions {
		if k.Cookies.Verify("csrf", s+"|"+exp, sig) {
			return true
		}
	}
	return false
}

// resumable returns the Resume of a refused request when it is a plain
// form post (not a file upload, not JSON) refused because the session
// ended (Unauthorized) or its token expired (ErrCSRF).
func resumable(c *fiber.Ctx, err error, status int) (Resume, bool) {
	if c.Method() != fiber.MethodPost || !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationForm) {
		return Resume{}, false
	}
	if apperr.Code(err) != apperr.Unauthorized && !errors.Is(err, ErrCSRF) {
		return Resume{}, false
	}
	action := c.OriginalURL()
	if !strings.HasPrefix(action, "/") || strings.HasPrefix(action, "//") || strings.HasPrefix(action, "/account/") {
		return Resume{}, false // the sign-in forms themselves are simply shown again
	}
	fields := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if name := string(k); name != CSRFField {
			fields.Add(name, string(v))
		}
	})
	return Resume{Action: action, Fields: fields, Status: status}, true
}
