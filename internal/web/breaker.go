package web

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
)

// ErrBreakerOpen is what Breaker.Do returns, at once, while it is open.
var ErrBreakerOpen = errors.New("web: dependency breaker open")

// Breaker bounds a call that only decorates a page (the header's cart
// count, the session behind a page anyone may see) so that a dependency
// being down cannot slow every page: each call gets Timeout, and after a
// failure other than an application answer (NotFound, Unauthorized, …) no
// call is made for Cooldown. One Breaker per dependency use, made once
// (NewBreaker); safe for concurrent use.
type Breaker struct {
	timeout, cooldown time.Duration

	mu        sync.Mutex
	openUntil time.Time
}

// NewBreaker returns a closed Breaker.
func NewBreaker(timeout, cooldown time.Duration) *Breaker {
	return &Breaker{timeout: timeout, cooldown: cooldown}
}

// Do calls fn with ctx bounded by the timeout, or returns ErrBreakerOpen
// without calling it during a cooldown.
func (b *Breaker) Do(ctx context.Context, fn func(context.Context) error) error {
	b.mu.Lock()
	open := time.Now().Before(b.openUntil)
	b.mu.Unlock()
	if open {
		return ErrBreakerOpen
	}
	cctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	err := fn(cctx)
	if err != nil && ctx.Err() == nil { // not the request's own end

		if code := apperr.Code(err); code == apperr.Internal || code == apperr.Unavailable {
			b.mu.Lock()
			b.openUntil = time.Now().Add(b.cooldown)
			b.mu.Unlock()
		}
	}
	return err
}
