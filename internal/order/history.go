package order

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/mail"
)

// Claims of guest orders.
const (
	// ClaimTTL is how long a claim code may be used.
	ClaimTTL = 15 * time.Minute
	// ClaimMaxAttempts is how many wrong codes end a claim.
	ClaimMaxAttempts = 5
	// claimsPerHour is how many codes one order may be sent in an hour, so
	// that new claims cannot multiply the guesses.
	claimsPerHour = 3
)

// UserOrderFilter pages a member's orders.
type UserOrderFilter struct {
	Limit  int // DefaultPageSize when 0, at most MaxPageSize
	Offset int
}

// FindUserOrders returns the signed-in member's own orders (those placed
// signed in, and guest orders claimed), newest first, with every part's
// state, courier and tracking link, and how many there are in all.
// apperr.Unauthorized when anonymous; apperr.Forbidden for an actor without
// a user (an API key).
func (s *Service) FindUserOrders(ctx context.Context, f UserOrderFilter) ([]*Order, int, error) {
	uid, err := memberID(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.FindUserOrders(ctx, uid, f)
}

func memberID(ctx context.Context) (int64, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	if a.UserID == 0 {
		return 0, apperr.Errorf(apperr.Forbidden, "회원 계정으로 로그인해 주세요.")
	}
	return a.UserID, nil
}

// Claim is a member's claim of a guest order: a code mailed to the order's
// e-mail, stored hashed.
type Claim struct {
	ID          int64
	OrderID     int64
	UserID      int64
	CodeHash    string
	ExpiresAt   time.Time
	Attempts    int // wrong codes so far
	UsedAt      *time.Time
	OrderUserID int64 // the order's member when read (0 for a guest order)
}

// ClaimChange is what Store.UpdateClaim writes.
type ClaimChange struct {
	Attempt bool // count one more wrong code
	Use     bool // the claim is spent
	SetUser bool // the order becomes the claim's user's, if it has none
}

func errClaimsOff() error {
	return apperr.Errorf(apperr.Unavailable, "지금은 주문을 회원 계정에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.")
}

// StartClaim sends a 6-digit code to the e-mail of the guest order with
// this number and buyer's phone, for the signed-in member to claim it with
// ConfirmClaim within ClaimTTL. The answer is the same (nil) whether or not
// there is such an order, it has an e-mail or it is already a member's; an
// order is sent at most three codes an hour, each new one ending the
// member's earlier ones; a wrong phone costs what an unknown number costs
// (Lookup's check). apperr.Invalid for an empty or malformed number or
// phone; apperr.Unavailable when the service has no Mailer;
// account.RequireUser's errors.
func (s *Service) StartClaim(ctx context.Context, orderNumber, phone string) error {
	if s.cfg.Mailer == nil {
		return errClaimsOff()
	}
	uid, err := memberID(ctx)
	if err != nil {
		return err
	}
	ok, number, err := s.buyerMatches(ctx, orderNumber, phone)
	if err != nil || !ok {
		return err
	}
	o, err := s.store.FindOrderByNumber(ctx, number)
	if apperr.Code(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if o.Buyer.Email == "" || o.UserID != 0 {
		return nil
	}
	code, hash := newClaimCode()
	created, err := s.store.CreateClaim(ctx, Claim{OrderID: o.ID, UserID: uid, CodeHash: hash,
		ExpiresAt: s.now().Add(ClaimTTL)}, claimsPerHour)
	if err != nil {
		return err
	}
	if !created {
		s.log.Warn("order: claim codes limit reached", "order", o.Number, "user", uid)
		return nil
	}
	m := mail.Mail{To: o.Buyer.Email, Subject: "[두레] 주문 연결 인증번호",
		Body: fmt.Sprintf("두레 주문 %s을(를) 회원 계정에 연결하려는 요청이 있었습니다.\n\n"+
			"인증번호: %s\n\n인증번호는 %d분 동안 쓸 수 있습니다. 직접 요청하지 않았다면 이 메일은 무시해 주세요.\n",
			o.Number, code, int(ClaimTTL.Minutes()))}
	if err := s.cfg.Mailer.Send(ctx, m); err != nil {
		// The same answer as when there is no order: the member asks again.
		s.log.Error("order: send claim code", "order", o.Number, "err", err)
	}
	return nil
}

// ConfirmClaim makes the guest order with this number the signed-in
// member's when code is the one StartClaim last sent them for it, within
// ClaimTTL. Errors:
//   - apperr.Invalid (Fields: code) for a wrong code, saying how many tries
//     are left; the ClaimMaxAttempts-th wrong code ends the claim;
//   - apperr.Conflict when no code was sent to the member for the order, or
//     it expired, was used or ended after too many wrong codes (ask for a
//     new one), and when the order is already another member's;
//   - apperr.Unavailable without a Mailer; account.RequireUser's errors.
func (s *Service) ConfirmClaim(ctx context.Context, orderNumber, code string) error {
	if s.cfg.Mailer == nil {
		return errClaimsOff()
	}
	uid, err := memberID(ctx)
	if err != nil {
		return err
	}
	number := NormalizeNumber(orderNumber)
	if !ValidNumber(number) {
		return errNoClaim()
	}
	code = strings.TrimSpace(code)
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return &apperr.Error{Code: apperr.Invalid, Message: "인증번호 6자리를 입력해 주세요.",
			Fields: map[string]string{"code": "인증번호 6자리를 입력해 주세요."}}
	}
	var outcome error
	err = s.store.UpdateClaim(ctx, number, uid, func(c *Claim) (ClaimChange, error) {
		outcome = nil
		switch {
		case c.UsedAt != nil || !s.now().Before(c.ExpiresAt):
			outcome = errNoClaim()
			return ClaimChange{}, nil
		case c.Attempts >= ClaimMaxAttempts:
			outcome = errClaimDead()
			return ClaimChange{}, nil
		case !claimCodeMatches(c.CodeHash, code):
			if left := ClaimMaxAttempts - c.Attempts - 1; left > 0 {
				msg := fmt.Sprintf("인증번호가 맞지 않습니다. %d번 더 입력할 수 있습니다.", left)
				outcome = &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"code": msg}}
			} else {
				outcome = errClaimDead()
			}
			return ClaimChange{Attempt: true}, nil
		case c.OrderUserID == c.UserID:
			return ClaimChange{Use: true}, nil
		case c.OrderUserID != 0:
			outcome = apperr.Errorf(apperr.Conflict, "이미 다른 회원 계정에 연결된 주문입니다.")
			return ClaimChange{Use: true}, nil
		}
		return ClaimChange{Use: true, SetUser: true}, nil
	})
	if apperr.Code(err) == apperr.NotFound {
		return errNoClaim()
	}
	if err != nil {
		return err
	}
	if outcome == nil {
		s.log.Info("order: guest order claimed", "order", number, "user", uid)
	}
	return outcome
}

func errNoClaim() error {
	return apperr.Errorf(apperr.Conflict, "인증번호가 만료되었거나 요청된 적이 없습니다. 인증번호를 다시 요청해 주세요.")
}

func errClaimDead() error {
	return apperr.Errorf(apperr.Conflict, "인증번호를 %d번 잘못 입력했습니다. 인증번호를 다시 요청해 주세요.", ClaimMaxAttempts)
}

// newClaimCode returns a random 6-digit code and its salted hash
// ("salt$sha256(salt, code)" in hex).
func newClaimCode() (code, hash string) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	code = fmt.Sprintf("%06d", n.Int64())
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	return code, hex.EncodeToString(salt) + "$" + claimDigest(salt, code)
}

func claimDigest(salt []byte, code string) string {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(code))
	return hex.EncodeToString(h.Sum(nil))
}

// claimCodeMatches reports whether code is the one hashed into stored, in
// constant time.
func claimCodeMatches(stored, code string) bool {
	s, digest, ok := strings.Cut(stored, "$")
	if !ok {
		return false
	}
	salt, err := hex.DecodeString(s)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(claimDigest(salt, code)), []byte(digest)) == 1
}

// FindUserOrder returns one of the signed-in member's own orders by number;
// another's order, or a guest order not claimed, is apperr.NotFound (errors
// otherwise as FindUserOrders).
func (s *Service) FindUserOrder(ctx context.Context, number string) (*Order, error) {
	uid, err := memberID(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.FindOrder(ctx, number)
	if err != nil {
		return nil, err
	}
	if o.UserID != uid {
		return nil, notFound()
	}
	return o, nil
}
