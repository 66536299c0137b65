package account

import (
	"context"
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// SignUpInput is the consumer sign-up form; Service.SignUp's field errors
// use these form names: name, email, phone, password, password_confirm.
type SignUpInput struct {
	Name            string
	Email           string
	Phone           string
	Password        string
	PasswordConfirm string
}

// SignUp creates a consumer account and mails a link to confirm the address
// (valid EmailConfirmTTL). Invalid with Fields for each wrong field; Conflict
// with Fields["email"] when the address already has an account. The new user
// is not signed in: call SignIn.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (*User, error) {
	f := apperr.Fields{}
	name := strings.TrimSpace(in.Name)
	f.Add("name", checkName(name))
	email, msg := checkEmail(in.Email)
	f.Add("email", msg)
	phone := strings.TrimSpace(in.Phone)
	switch {
	case phone == "":
		f.Add("phone", "휴대전화 번호를 입력해 주세요.")
	case !kr.ValidPhone(phone):
		f.Add("phone", "전화번호 형식이 올바르지 않습니다. 예: 010-1234-5678")
	}
	checkNewPassword(f, in.Password, in.PasswordConfirm, email)
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := s.HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &User{Email: email, Name: name, Phone: kr.Phone(phone), Role: Consumer, Status: UserActive}
	if err := s.store.CreateUser(ctx, u, hash); err != nil {
		return nil, emailTaken(err, "email")
	}
	if err := s.SendEmailConfirmation(ctx, u); err != nil {
		// The account exists; the user can ask for the mail again.
		s.log.ErrorContext(ctx, "account: sign-up confirmation mail", "user_id", u.ID, "err", err)
	}
	return u, nil
}

// SendEmailConfirmation mails u a link that confirms their address.
func (s *Service) SendEmailConfirmation(ctx context.Context, u *User) error {
	token, hash, err := newSecret()
	if err != nil {
		return err
	}
	t := &Token{Kind: TokenEmailConfirm, Hash: hash, UserID: u.ID, Email: u.Email, ExpiresAt: s.Now().Add(EmailConfirmTTL)}
	if err := s.store.CreateToken(ctx, t, nil); err != nil {
		return err
	}
	return s.send(ctx, u.Email, "[두레] 이메일 주소를 확인해 주세요",
		u.Name+"님, 두레에 가입해 주셔서 고맙습니다.\n\n아래 링크를 열면 이메일 주소 확인이 끝납니다(24시간 동안 유효).\n\n"+
			s.link(ConfirmEmailPath, token)+"\n\n직접 가입하지 않으셨다면 이 메일을 무시해 주세요.")
}

// ResendEmailConfirmation mails the signed-in user a new confirmation link,
// at most MailLimit per MailWindow (more requests answer the same and send
// nothing). Conflict when the address is already confirmed.
func (s *Service) ResendEmailConfirmation(ctx context.Context) error {
	a, err := RequireUser(ctx)
	if err != nil {
		return err
	}
	u, err := s.store.FindUserByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	if u.EmailConfirmedAt != nil {
		return apperr.Errorf(apperr.Conflict, "이미 확인한 이메일 주소입니다.")
	}
	ok, err := s.allow(ctx, limitKey("mail", u.Email), MailLimit, MailWindow)
	if err != nil || !ok {
		return err
	}
	return s.SendEmailConfirmation(ctx, u)
}

// ConfirmEmail uses a confirmation token from a mailed link. NotFound for an
// unknown token, Conflict when it was used, Invalid when it expired.
func (s *Service) ConfirmEmail(ctx context.Context, token string) error {
	hash, err := tokenHash(TokenEmailConfirm, token)
	if err != nil {
		return err
	}
	_, err = s.store.ConfirmEmail(ctx, hash, s.Now())
	return tokenErr(TokenEmailConfirm, err)
}

// tokenHash checks a token's shape (43 base64url characters) before any
// look-up and returns its hash.
func tokenHash(kind TokenKind, token string) ([]byte, error) {
	if len(token) != 43 || strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return nil, tokenErr(kind, apperr.Errorf(apperr.NotFound, "token"))
	}
	return hashSecret(token), nil
}

// tokenErr gives a store's token error the Korean message of its kind.
func tokenErr(kind TokenKind, err error) error {
	code := apperr.Code(err)
	if code != apperr.NotFound && code != apperr.Conflict && code != apperr.Invalid {
		return err
	}
	msgs := map[TokenKind][3]string{ // unknown, used, expired
		TokenEmailConfirm: {"이메일 확인 링크가 올바르지 않습니다. 메일의 링크를 그대로 열어 주세요.",
			"이미 확인한 이메일 주소입니다.",
			"이메일 확인 링크의 유효 기간(24시간)이 지났습니다. 확인 메일을 다시 받아 주세요."},
		TokenPasswordReset: {"비밀번호 재설정 링크가 올바르지 않습니다. 메일의 링크를 그대로 열어 주세요.",
			"이미 사용한 비밀번호 재설정 링크입니다. 비밀번호 재설정을 다시 요청해 주세요.",
			"비밀번호 재설정 링크의 유효 기간(1시간)이 지났습니다. 비밀번호 재설정을 다시 요청해 주세요."},
		TokenInvitation: {"초대 링크가 올바르지 않습니다. 메일의 링크를 그대로 열어 주세요.",
			"이미 수락한 초대입니다. 로그인해 주세요.",
			"초대 링크의 유효 기간(7일)이 지났습니다. 기업의 대표 계정에 다시 초대해 달라고 요청해 주세요."},
	}[kind]
	switch code {
	case apperr.Conflict:
		return apperr.Errorf(apperr.Conflict, "%s", msgs[1])
	case apperr.Invalid:
		return apperr.Errorf(apperr.Invalid, "%s", msgs[2])
	}
	return apperr.Errorf(apperr.NotFound, "%s", msgs[0])
}

func errBadCredentials() error {
	return apperr.Errorf(apperr.Unauthorized, "이메일 주소 또는 비밀번호가 올바르지 않습니다.")
}

// SignIn checks an address and password and starts a session, returning the
// actor and the new session's id (the cookie value; a new id at every
// sign-in). clientIP is the client's address as the web layer trusts it.
//
// Refusals: Invalid with Fields when a field is empty; TooMany beyond
// SignInIPLimit attempts per SignInIPWindow from clientIP, or beyond
// SignInAccountLimit attempts per SignInAccountWindow for the address;
// Unauthorized for a wrong address or password (the same message and about
// the same time either way); Forbidden for a disabled account. Members of a
// pending, rejected or suspended enterprise are signed in: their actor's
// EnterpriseStatus makes the portal's rules refuse them, and the web layer
// shows them their application (onboarding's ApplicationStatus).
func (s *Service) SignIn(ctx context.Context, email, password, clientIP string) (*Actor, string, error) {
	f := apperr.Fields{}
	addr := strings.ToLower(strings.TrimSpace(email))
	if addr == "" {
		f.Add("email", "이메일 주소를 입력해 주세요.")
	} else if len(addr) > 254 || !textin.Clean(strings.TrimSpace(email), false) {
		f.Add("email", "이메일 주소 형식이 올바르지 않습니다.") // no account has such an address
	}
	if password == "" {
		f.Add("password", "비밀번호를 입력해 주세요.")
	}
	if err := f.Err(); err != nil {
		return nil, "", err
	}
	ok, err := s.allow(ctx, "signin:ip:"+clientIP, SignInIPLimit, SignInIPWindow)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", errTooMany("로그인 시도가 너무 많습니다. 1분 뒤에 다시 시도해 주세요.")
	}
	if ok, err = s.allow(ctx, limitKey("signin:account", addr), SignInAccountLimit, SignInAccountWindow); err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", errTooMany("이 계정의 로그인 시도가 너무 많아 잠시 막아 두었습니다. 15분 뒤에 다시 시도해 주세요.")
	}
	if len(password) > 4*MaxPasswordLen { // no password this long exists; do not spend argon2 on it
		return nil, "", errBadCredentials()
	}
	idn, err := s.store.FindIdentityByEmail(ctx, addr)
	if apperr.Code(err) == apperr.NotFound {
		_, _, _ = VerifyPassword(s.dummyHash, password, s.params)
		return nil, "", errBadCredentials()
	}
	if err != nil {
		return nil, "", err
	}
	match, rehash, err := VerifyPassword(idn.PasswordHash, password, s.params)
	if err != nil {
		return nil, "", err
	}
	if !match {
		return nil, "", errBadCredentials()
	}
	if idn.User.Status != UserActive {
		return nil, "", apperr.Errorf(apperr.Forbidden, "이용이 정지된 계정입니다. 협동조합 운영자에게 문의해 주세요.")
	}
	now := s.Now()
	if rehash {
		if h, err := s.HashPassword(password); err == nil {
			if err := s.store.SetPassword(ctx, idn.User.ID, h, now); err != nil {
				s.log.WarnContext(ctx, "account: rehash password", "user_id", idn.User.ID, "err", err)
			}
		}
	}
	sess, err := s.sessions.CreateSession(ctx, idn.User.ID, now, s.timeouts)
	if err != nil {
		return nil, "", err
	}
	if err := s.store.RecordSignIn(ctx, idn.User.ID, now); err != nil {
		return nil, "", err
	}
	return actorFor(idn, sess), sess.ID, nil
}

func actorFor(idn *Identity, sess *Session) *Actor {
	u := &idn.User
	a := &Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, SessionID: sess.ID}
	switch {
	case u.Role == EnterpriseStaff && idn.EnterpriseID != 0:
		a.EnterpriseID, a.EnterpriseStatus, a.MemberRole = idn.EnterpriseID, idn.EnterpriseStatus, idn.MemberRole
	case u.Role == Operator && idn.ActingForID != 0:
		a.EnterpriseID, a.EnterpriseStatus, a.OnBehalf = idn.ActingForID, idn.ActingForStatus, true
		a.HelpRequestID = sess.HelpRequestID
	case u.Role == InstitutionUser && idn.InstitutionID != 0:
		a.InstitutionID, a.InstitutionStatus = idn.InstitutionID, idn.InstitutionStatus
		a.InstitutionRole, a.InstitutionMember = idn.InstitutionRole, idn.InstitutionMember
	}
	return a
}

func errSessionEnded() error {
	return apperr.Errorf(apperr.Unauthorized, "로그인이 만료되었습니다. 다시 로그인해 주세요.")
}

// ActorForSession returns the actor of a session cookie and slides the
// session's idle timeout. The user, role, membership and enterprise status
// are read afresh (one query), so a suspension or a removal takes effect at
// the next request. Unauthorized when the session is unknown or expired
// (idle or absolute timeout) or its user is disabled.
func (s *Service) ActorForSession(ctx context.Context, sessionID string) (*Actor, error) {
	sess, err := s.sessions.TouchSession(ctx, sessionID, s.Now(), s.timeouts)
	if apperr.Code(err) == apperr.NotFound {
		return nil, errSessionEnded()
	}
	if err != nil {
		return nil, err
	}
	idn, err := s.store.FindIdentity(ctx, sess.UserID, sess.OnBehalfEnterpriseID)
	if apperr.Code(err) == apperr.NotFound || (err == nil && idn.User.Status != UserActive) {
		if err := s.sessions.DeleteUserSessions(ctx, sess.UserID, ""); err != nil {
			return nil, err
		}
		return nil, errSessionEnded()
	}
	if err != nil {
		return nil, err
	}
	return actorFor(idn, sess), nil
}

// SetupActor returns the actor of the active account with address email as
// a sign-in would make it, but without a password, a session or the sign-in
// limits. It is for set-up code that the machine's own operator runs (the
// development demo accounts at start-up), never for a request: the sign-in
// limits live in the shared Redis, and a few restarts would otherwise use
// them up. Unauthorized when there is no such active account.
func (s *Service) SetupActor(ctx context.Context, email string) (*Actor, error) {
	idn, err := s.store.FindIdentityByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if apperr.Code(err) == apperr.NotFound || (err == nil && idn.User.Status != UserActive) {
		return nil, apperr.Errorf(apperr.Unauthorized, "사용할 수 있는 계정이 없습니다.")
	}
	if err != nil {
		return nil, err
	}
	return actorFor(idn, &Session{}), nil
}

// SignOut ends one session; an unknown or ended session is not an error.
func (s *Service) SignOut(ctx context.Context, sessionID string) error {
	return s.sessions.DeleteSession(ctx, sessionID)
}

// SignOutEverywhere ends every session of user userID. The user themselves
// or an operator may do it; NotFound for anyone else.
func (s *Service) SignOutEverywhere(ctx context.Context, userID int64) error {
	a, err := RequireUser(ctx)
	if err != nil {
		return err
	}
	if a.UserID != userID && !a.IsOperator() {
		return apperr.Errorf(apperr.NotFound, "찾는 회원이 없습니다.")
	}
	return s.sessions.DeleteUserSessions(ctx, userID, "")
}

// RotateSession gives the actor's session a new id (keeping its user,
// creation time and on-behalf enterprise) and returns it: call it when a
// session's privileges change, and set the cookie to the new id.
// Unauthorized without a session.
func (s *Service) RotateSession(ctx context.Context) (string, error) {
	a, err := requireSession(ctx)
	if err != nil {
		return "", err
	}
	var onBehalf, helpRequest int64
	if a.OnBehalf {
		onBehalf, helpRequest = a.EnterpriseID, a.HelpRequestID
	}
	return s.rotate(ctx, a.SessionID, onBehalf, helpRequest)
}

func (s *Service) rotate(ctx context.Context, id string, onBehalf, helpRequest int64) (string, error) {
	sess, err := s.sessions.RotateSession(ctx, id, onBehalf, helpRequest, s.Now(), s.timeouts)
	if apperr.Code(err) == apperr.NotFound {
		return "", errSessionEnded()
	}
	if err != nil {
		return "", err
	}
	return sess.ID, nil
}

func requireSession(ctx context.Context) (*Actor, error) {
	a, err := RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.SessionID == "" {
		return nil, apperr.Errorf(apperr.Forbidden, "로그인한 화면에서만 할 수 있습니다.")
	}
	return a, nil
}

// StartActingFor lets the operator in ctx act on behalf of enterprise
// enterpriseID (대리 등록): the session is rotated, its new id (returned; set
// the cookie) carries the enterprise, and the audit log records it.
// NotFound for non-operators and unknown enterprises.
func (s *Service) StartActingFor(ctx context.Context, enterpriseID int64) (string, error) {
	return s.StartActingForRequest(ctx, enterpriseID, 0)
}

// StartActingForRequest is StartActingFor serving help desk request
// helpRequest (0 for none): every audit record made while acting carries
// it. The caller has checked that the request is the enterprise's.
func (s *Service) StartActingForRequest(ctx context.Context, enterpriseID, helpRequest int64) (string, error) {
	a, err := RequireOperator(ctx)
	if err != nil {
		return "", err
	}
	if _, err := requireSession(ctx); err != nil {
		return "", err
	}
	ref, err := s.store.FindEnterpriseRef(ctx, enterpriseID)
	if err != nil {
		return "", notFound(err, "찾는 기업이 없습니다.")
	}
	if err := s.Record(ctx, AuditEntry{EnterpriseID: ref.ID, HelpRequestID: helpRequest, Action: "acting.start", Entity: "enterprise",
		EntityID: itoa(ref.ID), After: map[string]any{"enterprise_id": ref.ID, "name": ref.Name}}); err != nil {
		return "", err
	}
	return s.rotate(ctx, a.SessionID, ref.ID, helpRequest)
}

// StopActing ends the operator's acting on behalf of an enterprise (a no-op
// rotation when it was not acting) and returns the new session id.
func (s *Service) StopActing(ctx context.Context) (string, error) {
	a, err := RequireOperator(ctx)
	if err != nil {
		return "", err
	}
	if _, err := requireSession(ctx); err != nil {
		return "", err
	}
	if a.OnBehalf {
		if err := s.Record(ctx, AuditEntry{EnterpriseID: a.EnterpriseID, Action: "acting.stop", Entity: "enterprise",
			EntityID: itoa(a.EnterpriseID)}); err != nil {
			return "", err
		}
	}
	return s.rotate(ctx, a.SessionID, 0, 0)
}

// notFound replaces a NotFound error's message with msg.
func notFound(err error, msg string) error {
	if apperr.Code(err) == apperr.NotFound {
		return apperr.Errorf(apperr.NotFound, "%s", msg)
	}
	return err
}
