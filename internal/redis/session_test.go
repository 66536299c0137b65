package redis_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

var timeouts = account.SessionTimeouts{Idle: 2 * time.Hour, Absolute: 7 * 24 * time.Hour}

func sessionKey(prefix, id string) string {
	h := sha256.Sum256([]byte(id))
	return prefix + "sess:" + hex.EncodeToString(h[:])
}

func TestSessionCreateAndTouch(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewSessionStore(rdb, prefix)
		ctx := context.Background()
		now := time.Now().Truncate(time.Millisecond)

		sess, err := s.CreateSession(ctx, 42, now, timeouts)
		if err != nil {
			t.Fatal(err)
		}
		if len(sess.ID) != 43 || sess.UserID != 42 || !sess.CreatedAt.Equal(now) {
			t.Fatalf("session = %+v", sess)
		}
		other, _ := s.CreateSession(ctx, 42, now, timeouts)
		if other.ID == sess.ID {
			t.Fatal("two sessions share an id")
		}
		keys, _ := testutil.RedisKeys(ctx, rdb, prefix+"*")
		for _, k := range keys {
			if strings.Contains(k, sess.ID) {
				t.Errorf("the session id is stored in a key: %s", k)
			}
		}
		key := sessionKey(prefix, sess.ID)
		if ttl := rdb.PTTL(ctx, key).Val(); ttl <= timeouts.Idle-time.Minute || ttl > timeouts.Idle {
			t.Errorf("TTL of a new session = %v; want the idle timeout", ttl)
		}

		later := now.Add(90 * time.Minute)
		got, err := s.TouchSession(ctx, sess.ID, later, timeouts)
		if err != nil {
			t.Fatal(err)
		}
		if got.UserID != 42 || !got.CreatedAt.Equal(now) || !got.LastSeen.Equal(later) || got.OnBehalfEnterpriseID != 0 {
			t.Errorf("touched = %+v", got)
		}
		if seen := rdb.HGet(ctx, key, "s").Val(); seen != fmt.Sprint(later.UnixMilli()) {
			t.Errorf("last seen stored = %s", seen)
		}
		// Idle: 2 hours after the last use, the session is gone.
		if _, err := s.TouchSession(ctx, sess.ID, later.Add(timeouts.Idle), timeouts); apperr.Code(err) != apperr.NotFound {
			t.Errorf("idle session: %v; want NotFound", err)
		}
		if rdb.Exists(ctx, key).Val() != 0 {
			t.Error("the idle session was not deleted")
		}

		for _, bad := range []string{"", "short", strings.Repeat("*", 43), other.ID + "A"} {
			if _, err := s.TouchSession(ctx, bad, now, timeouts); apperr.Code(err) != apperr.NotFound {
				t.Errorf("TouchSession(%q) = %v; want NotFound", bad, err)
			}
		}
	})
}

func TestSessionAbsoluteTimeoutCapsTTL(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewSessionStore(rdb, prefix)
		ctx := context.Background()
		start := time.Now()
		sess, err := s.CreateSession(ctx, 7, start, timeouts)
		if err != nil {
			t.Fatal(err)
		}
		// Half an hour before the absolute timeout, a touch may not give the
		// key its full idle TTL.
		near := start.Add(timeouts.Absolute - 30*time.Minute)
		for at := start.Add(time.Hour); at.Before(near); at = at.Add(time.Hour + 30*time.Minute) {
			if _, err := s.TouchSession(ctx, sess.ID, at, timeouts); err != nil {
				t.Fatalf("touch at %v: %v", at.Sub(start), err)
			}
		}
		if _, err := s.TouchSession(ctx, sess.ID, near, timeouts); err != nil {
			t.Fatal(err)
		}
		if ttl := rdb.PTTL(ctx, sessionKey(prefix, sess.ID)).Val(); ttl <= 0 || ttl > 30*time.Minute {
			t.Errorf("TTL near the absolute timeout = %v; want at most 30m", ttl)
		}
		if _, err := s.TouchSession(ctx, sess.ID, start.Add(timeouts.Absolute), timeouts); apperr.Code(err) != apperr.NotFound {
			t.Errorf("at the absolute timeout: %v; want NotFound", err)
		}
	})
}

func TestSessionRotate(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewSessionStore(rdb, prefix)
		ctx := context.Background()
		now := time.Now().Truncate(time.Millisecond)
		sess, _ := s.CreateSession(ctx, 9, now, timeouts)

		rotated, err := s.RotateSession(ctx, sess.ID, 55, 7, now.Add(time.Minute), timeouts)
		if err != nil {
			t.Fatal(err)
		}
		if rotated.ID == sess.ID || rotated.UserID != 9 || !rotated.CreatedAt.Equal(now) || rotated.OnBehalfEnterpriseID != 55 || rotated.HelpRequestID != 7 {
			t.Errorf("rotated = %+v", rotated)
		}
		if _, err := s.TouchSession(ctx, sess.ID, now.Add(time.Minute), timeouts); apperr.Code(err) != apperr.NotFound {
			t.Errorf("old id after rotation: %v; want NotFound", err)
		}
		got, err := s.TouchSession(ctx, rotated.ID, now.Add(2*time.Minute), timeouts)
		if err != nil || got.OnBehalfEnterpriseID != 55 || got.HelpRequestID != 7 || !got.CreatedAt.Equal(now) {
			t.Errorf("rotated session = %+v, %v", got, err)
		}
		members := rdb.SMembers(ctx, prefix+"usess:9").Val()
		if len(members) != 1 || prefix+"sess:"+members[0] != sessionKey(prefix, rotated.ID) {
			t.Errorf("user's set = %v", members)
		}
		// Rotating keeps the absolute deadline: it does not restart the clock.
		if _, err := s.RotateSession(ctx, rotated.ID, 0, 0, now.Add(timeouts.Absolute), timeouts); apperr.Code(err) != apperr.NotFound {
			t.Errorf("rotating past the absolute timeout: %v; want NotFound", err)
		}
	})
}

func TestSessionDeleteAndDeleteUserSessions(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewSessionStore(rdb, prefix)
		ctx := context.Background()
		now := time.Now()
		a1, _ := s.CreateSession(ctx, 1, now, timeouts)
		a2, _ := s.CreateSession(ctx, 1, now, timeouts)
		a3, _ := s.CreateSession(ctx, 1, now, timeouts)
		b1, _ := s.CreateSession(ctx, 2, now, timeouts)

		if err := s.DeleteSession(ctx, a3.ID); err != nil {
			t.Fatal(err)
		}
		if rdb.SCard(ctx, prefix+"usess:1").Val() != 2 {
			t.Error("a deleted session stayed in the user's set")
		}
		for _, id := range []string{a3.ID, "", "not-an-id"} {
			if err := s.DeleteSession(ctx, id); err != nil {
				t.Errorf("DeleteSession(%q) = %v", id, err)
			}
		}
		if err := s.DeleteUserSessions(ctx, 1, a2.ID); err != nil {
			t.Fatal(err)
		}
		alive := func(id string) bool {
			_, err := s.TouchSession(ctx, id, now, timeouts)
			return err == nil
		}
		if alive(a1.ID) || !alive(a2.ID) || !alive(b1.ID) {
			t.Errorf("after DeleteUserSessions(keep a2): a1 %v a2 %v b1 %v; want false true true", alive(a1.ID), alive(a2.ID), alive(b1.ID))
		}
		if err := s.DeleteUserSessions(ctx, 1, ""); err != nil {
			t.Fatal(err)
		}
		if alive(a2.ID) || !alive(b1.ID) {
			t.Error("DeleteUserSessions without keep")
		}
		if err := s.DeleteUserSessions(ctx, 99, ""); err != nil {
			t.Errorf("user without sessions: %v", err)
		}
	})
}

func TestSessionSetIsPruned(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewSessionStore(rdb, prefix)
		ctx := context.Background()
		now := time.Now()
		var ids []string
		for i := 0; i < 25; i++ {
			sess, err := s.CreateSession(ctx, 3, now, timeouts)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, sess.ID)
		}
		for _, id := range ids[:20] { // as if they had expired
			rdb.Del(ctx, sessionKey(prefix, id))
		}
		if _, err := s.CreateSession(ctx, 3, now, timeouts); err != nil {
			t.Fatal(err)
		}
		if n := rdb.SCard(ctx, prefix+"usess:3").Val(); n != 6 {
			t.Errorf("user's set holds %d sessions; want the 6 alive", n)
		}
	})
}
