package redis

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// SessionStore keeps each session as a hash "<prefix>sess:<sha256(id)>"
// (fields u = user id, c = created, s = last seen, both Unix milliseconds, b =
// on-behalf enterprise id, h = the help desk request the acting serves) whose TTL is the idle timeout, refreshed on use
// and never past the absolute timeout; "<prefix>usess:<user id>" is the set
// of a user's session hashes, for signing out everywhere (the two are in
// different Cluster slots; no command touches both). Keys hold the
// SHA-256 of a session id, never the id, so reading Redis opens no session.
type SessionStore struct {
	rdb    goredis.UniversalClient
	prefix string
}

var _ account.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns a session store; prefix namespaces keys (tests use
// one each).
func NewSessionStore(rdb goredis.UniversalClient, prefix string) *SessionStore {
	return &SessionStore{rdb: rdb, prefix: prefix}
}

// sessionIDLen is the length of an id: 32 random bytes in base64url without
// padding.
const sessionIDLen = 43

// pruneAbove is the size of a user's session set beyond which creating a
// session drops the hashes of sessions that have expired.
const pruneAbove = 20

func hashID(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

func (s *SessionStore) key(hash string) string { return s.prefix + "sess:" + hash }

func (s *SessionStore) userKey(userID int64) string {
	return s.prefix + "usess:" + strconv.FormatInt(userID, 10)
}

func validID(id string) bool {
	if len(id) != sessionIDLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil
}

func errNoSession() error { return apperr.Errorf(apperr.NotFound, "세션이 없습니다.") }

// ttl is how long a session last seen at now may live: the idle timeout,
// cut short by the absolute one.
func ttl(created, now time.Time, t account.SessionTimeouts) time.Duration {
	return min(t.Idle, created.Add(t.Absolute).Sub(now))
}

// CreateSession starts a session with a new random id.
func (s *SessionStore) CreateSession(ctx context.Context, userID int64, now time.Time, t account.SessionTimeouts) (*account.Session, error) {
	sess := &account.Session{UserID: userID, CreatedAt: now, LastSeen: now}
	if err := s.create(ctx, sess, now, t); err != nil {
		return nil, err
	}
	s.prune(ctx, userID)
	return sess, nil
}

// create stores sess under a new id (set in sess.ID). The user's set gets
// the session before the session exists, so signing out everywhere cannot
// miss one.
func (s *SessionStore) create(ctx context.Context, sess *account.Session, now time.Time, t account.SessionTimeouts) error {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return wrap("session id", err)
	}
	sess.ID = base64.RawURLEncoding.EncodeToString(b[:])
	life := ttl(sess.CreatedAt, now, t)
	if life <= 0 {
		return errNoSession()
	}
	// Two round trips: on a Redis Cluster the set and the session are in
	// different slots, and go-redis sends a pipeline's slots at once, so one
	// pipeline would not keep the order.
	h, uk := hashID(sess.ID), s.userKey(sess.UserID)
	pipe := s.rdb.TxPipeline()
	pipe.SAdd(ctx, uk, h)
	pipe.Expire(ctx, uk, t.Absolute)
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("create session", err)
	}
	pipe = s.rdb.TxPipeline()
	pipe.HSet(ctx, s.key(h), "u", sess.UserID, "c", sess.CreatedAt.UnixMilli(), "s", now.UnixMilli(),
		"b", sess.OnBehalfEnterpriseID, "h", sess.HelpRequestID)
	pipe.PExpire(ctx, s.key(h), life)
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("create session", err)
	}
	return nil
}

// prune drops the hashes of expired sessions from a large session set. It is
// housekeeping: a failure leaves the set as it was.
func (s *SessionStore) prune(ctx context.Context, userID int64) {
	uk := s.userKey(userID)
	if n, err := s.rdb.SCard(ctx, uk).Result(); err != nil || n <= pruneAbove {
		return
	}
	hashes, err := s.rdb.SMembers(ctx, uk).Result()
	if err != nil {
		return
	}
	pipe := s.rdb.Pipeline()
	exists := make([]*goredis.IntCmd, len(hashes))
	for i, h := range hashes {
		exists[i] = pipe.Exists(ctx, s.key(h))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return
	}
	var gone []any
	for i, c := range exists {
		if c.Val() == 0 {
			gone = append(gone, hashes[i])
		}
	}
	if len(gone) > 0 {
		s.rdb.SRem(ctx, uk, gone...)
	}
}

// touchScript checks a session against both timeouts and, if it is alive,
// slides its last-seen time and TTL, in one round trip; an expired session
// is deleted. It returns {user, created, on-behalf, help request} or nil.
var touchScript = goredis.NewScript(`
local h = redis.call('HMGET', KEYS[1], 'u', 'c', 's', 'b', 'h')
if not h[1] or not h[2] or not h[3] then return false end
local now, idle, abs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local created, seen = tonumber(h[2]), tonumber(h[3])
if now - seen >= idle or now - created >= abs then
  redis.call('DEL', KEYS[1])
  return false
end
local ttl = math.min(idle, created + abs - now)
redis.call('HSET', KEYS[1], 's', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return {h[1], h[2], h[4] or '0', h[5] or '0'}
`)

// TouchSession returns a live session and slides its idle expiry.
func (s *SessionStore) TouchSession(ctx context.Context, id string, now time.Time, t account.SessionTimeouts) (*account.Session, error) {
	if !validID(id) {
		return nil, errNoSession()
	}
	res, err := touchScript.Run(ctx, s.rdb, []string{s.key(hashID(id))},
		now.UnixMilli(), t.Idle.Milliseconds(), t.Absolute.Milliseconds()).StringSlice()
	if errors.Is(err, goredis.Nil) {
		return nil, errNoSession()
	}
	if err != nil {
		return nil, wrap("touch session", err)
	}
	if len(res) != 4 {
		return nil, errNoSession()
	}
	userID, e1 := strconv.ParseInt(res[0], 10, 64)
	created, e2 := strconv.ParseInt(res[1], 10, 64)
	onBehalf, e3 := strconv.ParseInt(res[2], 10, 64)
	helpRequest, e4 := strconv.ParseInt(res[3], 10, 64)
	if e1 != nil || e2 != nil || e3 != nil || e4 != nil {
		return nil, errNoSession() // a hash this code did not write
	}
	return &account.Session{ID: id, UserID: userID, CreatedAt: time.UnixMilli(created), LastSeen: now,
		OnBehalfEnterpriseID: onBehalf, HelpRequestID: helpRequest}, nil
}

// RotateSession replaces a live session by a new id with the same user and
// creation time, acting for onBehalf to serve helpRequest.
func (s *SessionStore) RotateSession(ctx context.Context, id string, onBehalf, helpRequest int64, now time.Time, t account.SessionTimeouts) (*account.Session, error) {
	old, err := s.TouchSession(ctx, id, now, t)
	if err != nil {
		return nil, err
	}
	sess := &account.Session{UserID: old.UserID, CreatedAt: old.CreatedAt, LastSeen: now, OnBehalfEnterpriseID: onBehalf,
		HelpRequestID: helpRequest}
	if err := s.create(ctx, sess, now, t); err != nil {
		return nil, err
	}
	if err := s.delete(ctx, hashID(id), old.UserID); err != nil {
		return nil, err
	}
	return sess, nil
}

func (s *SessionStore) delete(ctx context.Context, hash string, userID int64) error {
	pipe := s.rdb.Pipeline()
	pipe.Del(ctx, s.key(hash))
	pipe.SRem(ctx, s.userKey(userID), hash)
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("delete session", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *SessionStore) DeleteSession(ctx context.Context, id string) error {
	if !validID(id) {
		return nil
	}
	h := hashID(id)
	u, err := s.rdb.HGet(ctx, s.key(h), "u").Int64()
	if errors.Is(err, goredis.Nil) {
		return nil
	}
	if err != nil {
		return wrap("delete session", err)
	}
	return s.delete(ctx, h, u)
}

// DeleteUserSessions ends every session of the user except keep.
func (s *SessionStore) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	uk := s.userKey(userID)
	hashes, err := s.rdb.SMembers(ctx, uk).Result()
	if err != nil {
		return wrap("user sessions", err)
	}
	kept := ""
	if keep != "" {
		kept = hashID(keep)
	}
	pipe := s.rdb.Pipeline()
	n := 0
	for _, h := range hashes {
		if h == kept {
			continue
		}
		pipe.Del(ctx, s.key(h))
		pipe.SRem(ctx, uk, h)
		n++
	}
	if n == 0 {
		return nil
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("delete user sessions", err)
	}
	return nil
}
