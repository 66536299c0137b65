package account

import (
	"context"
	"strconv"

	"github.com/dure-coop/dure/internal/apperr"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ChangePassword changes the signed-in user's password after checking the
// current one, and ends the user's other sessions (this one stays). Field
// errors use the form names current_password, password, password_confirm;
// TooMany beyond PasswordCheckLimit attempts per PasswordCheckWindow.
func (s *Service) ChangePassword(ctx context.Context, current, password, confirm string) error {
	a, err := requireSession(ctx)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	if current == "" {
		f.Add("current_password", "현재 비밀번호를 입력해 주세요.")
	}
	checkNewPassword(f, password, confirm, a.Email)
	if current != "" && current == password {
		f.Add("password", "지금 쓰는 비밀번호와 다른 비밀번호를 입력해 주세요.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	ok, err := s.allow(ctx, "password:check:"+itoa(a.UserID), PasswordCheckLimit, PasswordCheckWindow)
	if err != nil {
		return err
	}
	if !ok {
		return errTooMany("비밀번호 확인 시도가 너무 많습니다. 15분 뒤에 다시 시도해 주세요.")
	}
	idn, err := s.store.FindIdentity(ctx, a.UserID, 0)
	if err != nil {
		return err
	}
	match, _, err := VerifyPassword(idn.PasswordHash, current, s.params)
	if err != nil {
		return err
	}
	if !match {
		f.Add("current_password", "현재 비밀번호가 올바르지 않습니다.")
		return f.Err()
	}
	hash, err := s.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, a.UserID, hash, s.Now()); err != nil {
		return err
	}
	if err := s.sessions.DeleteUserSessions(ctx, a.UserID, a.SessionID); err != nil {
		return err
	}
	if err := s.send(ctx, idn.User.Email, "[두레] 비밀번호가 바뀌었습니다",
		idn.User.Name+"님, 두레 계정의 비밀번호가 방금 바뀌었습니다. 다른 기기에서는 로그아웃되었습니다.\n\n"+
			"직접 바꾸지 않으셨다면 곧바로 비밀번호 재설정을 하고 협동조합에 알려 주세요."); err != nil {
		s.log.ErrorContext(ctx, "account: password changed mail", "user_id", a.UserID, "err", err)
	}
	return nil
}

// RequestPasswordReset mails a reset link (valid PasswordResetTTL) to the
// address if an active account has it. The answer is the same whether or not
// it does (nil), and beyond MailLimit requests per MailWindow for one address
// nothing more is sent. Invalid with Fields["email"] only for an empty or
// malformed address.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	addr, msg := checkEmail(email)
	if msg != "" {
		return apperr.Fields{"email": msg}.Err()
	}
	ok, err := s.allow(ctx, limitKey("mail", addr), MailLimit, MailWindow)
	if err != nil || !ok {
		return err
	}
	idn, err := s.store.FindIdentityByEmail(ctx, addr)
	if apperr.Code(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if idn.User.Status != UserActive {
		return nil
	}
	token, hash, err := newSecret()
	if err != nil {
		return err
	}
	t := &Token{Kind: TokenPasswordReset, Hash: hash, UserID: idn.User.ID, Email: addr, ExpiresAt: s.Now().Add(PasswordResetTTL)}
	if err := s.store.CreateToken(ctx, t, nil); err != nil {
		return err
	}
	if err := s.send(ctx, addr, "[두레] 비밀번호 재설정 안내",
		idn.User.Name+"님, 아래 링크에서 새 비밀번호를 정해 주세요(1시간 동안 한 번만 쓸 수 있습니다).\n\n"+
			s.link(ResetPasswordPath, token)+"\n\n요청하지 않으셨다면 이 메일을 무시해 주세요. 비밀번호는 그대로입니다."); err != nil {
		s.log.ErrorContext(ctx, "account: password reset mail", "user_id", idn.User.ID, "err", err)
	}
	return nil
}

// CheckPasswordResetToken reports whether a reset link can still be used,
// for showing the form or the reason at once: NotFound, Conflict (used) or
// Invalid (expired), each with its Korean message.
func (s *Service) CheckPasswordResetToken(ctx context.Context, token string) error {
	hash, err := tokenHash(TokenPasswordReset, token)
	if err != nil {
		return err
	}
	_, err = s.store.FindToken(ctx, TokenPasswordReset, hash, s.Now())
	return tokenErr(TokenPasswordReset, err)
}

// ResetPassword sets a new password with a mailed reset token, which can be
// used once, and ends every session of the user. Field errors: password,
// password_confirm; token errors as CheckPasswordResetToken's.
func (s *Service) ResetPassword(ctx context.Context, token, password, confirm string) error {
	hash, err := tokenHash(TokenPasswordReset, token)
	if err != nil {
		return err
	}
	t, err := s.store.FindToken(ctx, TokenPasswordReset, hash, s.Now())
	if err != nil {
		return tokenErr(TokenPasswordReset, err)
	}
	f := apperr.Fields{}
	checkNewPassword(f, password, confirm, t.Email)
	if err := f.Err(); err != nil {
		return err
	}
	pw, err := s.HashPassword(password)
	if err != nil {
		return err
	}
	userID, err := s.store.ResetPassword(ctx, hash, pw, s.Now())
	if err != nil {
		return tokenErr(TokenPasswordReset, err)
	}
	return s.sessions.DeleteUserSessions(ctx, userID, "")
}
