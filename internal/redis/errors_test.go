package redis

import (
	"errors"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/apperr"
)

// A full connection pool is Redis not answering in time: Unavailable (503),
// with the cause kept for the log; other errors stay what they were.
func TestWrapPoolTimeout(t *testing.T) {
	err := wrap("cart count", goredis.ErrPoolTimeout)
	if apperr.Code(err) != apperr.Unavailable || !errors.Is(err, goredis.ErrPoolTimeout) {
		t.Errorf("pool timeout: %v (code %s)", err, apperr.Code(err))
	}
	if err := wrap("cart count", errors.New("WRONGTYPE")); apperr.Code(err) != apperr.Internal {
		t.Errorf("other error: code %s", apperr.Code(err))
	}
}
