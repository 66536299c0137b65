package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's cost parameters. They are written into every
// hash (PHC string), so they can be raised later: VerifyPassword reads a
// hash's own parameters and reports when it should be rehashed.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultPasswordParams returns OWASP's argon2id setting (19 MiB, 2 passes,
// 1 lane): about 40–90 ms per hash on this project's 2-core machines, so a
// sign-in costs one core for a few tens of milliseconds and no more.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}
}

const (
	saltLen = 16
	keyLen  = 32
)

// Password length limits, in characters.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

var b64 = base64.RawStdEncoding

// hashSlots bounds how many argon2id computations run at once in this
// process. Each holds its Memory (19 MiB by default) for its whole run, so a
// burst of sign-ins from many addresses (the per-client rate limit does not
// see them as one) would otherwise take memory without bound; with the
// slots the rest wait their turn, which costs them time the CPU could not
// give them anyway.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

// idKey is argon2.IDKey taken in one of hashSlots.
func idKey(password, salt []byte, p PasswordParams, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, n)
}

// HashPassword returns the argon2id PHC string of password with a fresh
// random salt: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string, p PasswordParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: password salt: %w", err)
	}
	key := idKey([]byte(password), salt, p, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errBadHash is returned for a stored hash this code cannot read.
var errBadHash = errors.New("account: malformed password hash")

// VerifyPassword reports whether password matches the PHC string hash,
// comparing in constant time, and whether the hash was made with parameters
// other than p (the caller should then store a new hash). A malformed hash is
// an error, never a match.
func VerifyPassword(hash, password string, p PasswordParams) (ok, rehash bool, err error) {
	got, err := parseHash(hash)
	if err != nil {
		return false, false, err
	}
	key := idKey([]byte(password), got.salt, got.params, uint32(len(got.key)))
	ok = subtle.ConstantTimeCompare(key, got.key) == 1
	return ok, ok && (got.params != p || len(got.key) != keyLen), nil
}

type parsedHash struct {
	params    PasswordParams
	salt, key []byte
}

func parseHash(s string) (parsedHash, error) {
	var h parsedHash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return h, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return h, errBadHash
	}
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.params.Memory, &h.params.Time, &threads); err != nil {
		return h, errBadHash
	}
	// Bounds keep a tampered row from making one sign-in take all memory.
	if h.params.Memory < 8 || h.params.Memory > 1<<20 || h.params.Time < 1 || h.params.Time > 16 || threads < 1 || threads > 16 {
		return h, errBadHash
	}
	h.params.Threads = uint8(threads)
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return h, errBadHash
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return h, errBadHash
	}
	return h, nil
}

// CheckPassword returns the Korean reason password may not be used by the
// account with e-mail address email, or "" when it may: 10–128 characters,
// not one character repeated, not the e-mail address.
func CheckPassword(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return "비밀번호를 입력해 주세요."
	case n < MinPasswordLen:
		return fmt.Sprintf("비밀번호는 %d자 이상이어야 합니다.", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Sprintf("비밀번호는 %d자 이하여야 합니다.", MaxPasswordLen)
	case !utf8.ValidString(password):
		return "비밀번호에 쓸 수 없는 문자가 있습니다."
	case allSame(password):
		return "같은 문자만 반복한 비밀번호는 쓸 수 없습니다."
	case email != "" && strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return "이메일 주소와 같은 비밀번호는 쓸 수 없습니다."
	}
	return ""
}

func allSame(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}
