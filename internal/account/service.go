package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	dmail "github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/textin"
)

// Session and token lifetimes.
const (
	DefaultIdleTimeout     = 2 * time.Hour      // a session unused this long ends
	DefaultAbsoluteTimeout = 7 * 24 * time.Hour // and every session ends this long after sign-in
	EmailConfirmTTL        = 24 * time.Hour
	PasswordResetTTL       = time.Hour
	InvitationTTL          = 7 * 24 * time.Hour
)

// Rate limits. The limiter counts requests, so the per-account limit counts
// every sign-in attempt for the address (right or wrong), before the
// password is checked: a locked account stays locked even for the right
// password until the window ends.
const (
	SignInAccountLimit  = 5
	SignInAccountWindow = 15 * time.Minute
	SignInIPLimit       = 20
	SignInIPWindow      = time.Minute
	// MailLimit is how many reset or confirmation mails one address gets per
	// MailWindow; more requests get the same answer and no mail.
	MailLimit  = 3
	MailWindow = time.Hour
	// PasswordCheckLimit bounds wrong current passwords in ChangePassword.
	PasswordCheckLimit  = 5
	PasswordCheckWindow = 15 * time.Minute
)

// Paths of the pages that mailed links open, each with ?token=…; the web
// layer serves them.
const (
	ConfirmEmailPath  = "/account/confirm"
	ResetPasswordPath = "/account/password/reset"
	InvitationPath    = "/account/invitation"
)

// Config configures a Service. Zero fields take the defaults.
type Config struct {
	// BaseURL is the site's address for links in mails, e.g.
	// "https://dure.coop" (no trailing slash needed).
	BaseURL string
	// Now is the clock (time.Now by default); tests move it.
	Now func() time.Time
	// Sessions are the session timeouts (DefaultIdleTimeout, DefaultAbsoluteTimeout).
	Sessions SessionTimeouts
	// Password is the argon2id cost (DefaultPasswordParams).
	Password PasswordParams
	// Logger logs what must not change an answer, such as a mail that could
	// not be sent for a password reset (slog.Default()).
	Logger *slog.Logger
}

// Service is the accounts domain: sign-up and sign-in, sessions, passwords,
// enterprise members, API keys and the audit log.
type Service struct {
	store    Store
	sessions SessionStore
	mailer   dmail.Mailer
	limiter  RateLimiter
	base     string
	now      func() time.Time
	timeouts SessionTimeouts
	params   PasswordParams
	log      *slog.Logger
	// dummyHash is verified against when an address has no account, so a
	// sign-in takes as long whether or not the account exists.
	dummyHash string
}

// NewService returns the account service.
func NewService(store Store, sessions SessionStore, mailer dmail.Mailer, limiter RateLimiter, cfg Config) (*Service, error) {
	s := &Service{store: store, sessions: sessions, mailer: mailer, limiter: limiter,
		base: strings.TrimRight(cfg.BaseURL, "/"), now: cfg.Now, timeouts: cfg.Sessions, params: cfg.Password, log: cfg.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.timeouts.Idle <= 0 {
		s.timeouts.Idle = DefaultIdleTimeout
	}
	if s.timeouts.Absolute <= 0 {
		s.timeouts.Absolute = DefaultAbsoluteTimeout
	}
	if s.params == (PasswordParams{}) {
		s.params = DefaultPasswordParams()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if _, err := url.Parse(s.base); err != nil || s.base == "" {
		return nil, fmt.Errorf("account: base URL %q: must be an absolute URL", cfg.BaseURL)
	}
	var err error
	if s.dummyHash, err = HashPassword("dure-no-such-account", s.params); err != nil {
		return nil, err
	}
	return s, nil
}

// SessionTimeouts returns the session timeouts in force: the web layer sets
// the cookie's Max-Age to Absolute (the server ends idle sessions itself).
func (s *Service) SessionTimeouts() SessionTimeouts { return s.timeouts }

// Now returns the service's clock reading (UTC).
func (s *Service) Now() time.Time { return s.now().UTC() }

// HashPassword hashes password with the service's argon2id parameters.
func (s *Service) HashPassword(password string) (string, error) {
	return HashPassword(password, s.params)
}

// newSecret returns a random token (32 bytes, base64url without padding: 43
// characters) and its SHA-256, which is all that is stored.
func newSecret() (string, []byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("account: random token: %w", err)
	}
	v := base64.RawURLEncoding.EncodeToString(b[:])
	return v, hashSecret(v), nil
}

func hashSecret(v string) []byte {
	h := sha256.Sum256([]byte(v))
	return h[:]
}

// link is the absolute URL of path with the token.
func (s *Service) link(path, token string) string {
	return s.base + path + "?token=" + url.QueryEscape(token)
}

// limitKey keeps personal data (an e-mail address) out of rate-limit keys.
func limitKey(kind, v string) string {
	h := sha256.Sum256([]byte(v))
	return kind + ":" + hex.EncodeToString(h[:12])
}

// NormalizeEmail trims and lower-cases an e-mail address and reports whether
// it is a plain address (user@domain.tld, at most 254 characters).
func NormalizeEmail(s string) (string, bool) {
	// Before lower-casing, which would turn broken bytes into U+FFFD.
	s = strings.TrimSpace(s)
	if !textin.Clean(s, false) {
		return s, false
	}
	e := strings.ToLower(s)
	if e == "" || len(e) > 254 || strings.ContainsAny(e, " <>\"(),;:") {
		return e, false
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return e, false
	}
	at := strings.LastIndexByte(e, '@')
	if at < 1 || !strings.Contains(e[at+1:], ".") || strings.HasSuffix(e, ".") {
		return e, false
	}
	return e, true
}

// nameRule is a person's name (textin's rule).
var nameRule = textin.Rule{Label: "이름", Required: true, Max: 50}

// checkName returns the reason a person's name is not acceptable, or "".
func checkName(name string) string { return nameRule.Message(name) }

// checkEmail normalises an address and returns the reason it is not
// acceptable, or "".
func checkEmail(s string) (string, string) {
	if strings.TrimSpace(s) == "" {
		return "", "이메일 주소를 입력해 주세요."
	}
	e, ok := NormalizeEmail(s)
	if !ok {
		return e, "이메일 주소 형식이 올바르지 않습니다."
	}
	return e, ""
}

// checkNewPassword adds password and password_confirm messages to f.
func checkNewPassword(f apperr.Fields, password, confirm, email string) {
	f.Add("password", CheckPassword(password, email))
	if f["password"] == "" && password != confirm {
		f.Add("password_confirm", "비밀번호가 서로 다릅니다. 다시 입력해 주세요.")
	}
}

// emailTaken returns a Conflict error of the store as a form error on key,
// and any other error as it is.
func emailTaken(err error, key string) error {
	var e *apperr.Error
	if errors.As(err, &e) && e.Code == apperr.Conflict {
		return &apperr.Error{Code: apperr.Conflict, Message: "입력한 내용을 확인해 주세요.",
			Fields: map[string]string{key: "이미 가입된 이메일 주소입니다."}}
	}
	return err
}

// send mails m; failures are returned.
func (s *Service) send(ctx context.Context, to, subject, body string) error {
	if err := s.mailer.Send(ctx, dmail.Mail{To: to, Subject: subject, Body: body}); err != nil {
		return fmt.Errorf("account: send mail %q: %w", subject, err)
	}
	return nil
}

// allow asks the limiter; a limiter that does not answer refuses (sign-in
// must not become unlimited when Redis is down).
func (s *Service) allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	ok, err := s.limiter.Allow(ctx, key, limit, window)
	if err != nil {
		return false, fmt.Errorf("account: rate limit: %w", err)
	}
	return ok, nil
}

func errTooMany(msg string) error { return apperr.Errorf(apperr.TooMany, "%s", msg) }
