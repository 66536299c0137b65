package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

const localRequestID = "request_id"

// requestID takes a sane X-Request-ID from the client (a proxy's) or makes
// one, and echoes it in the response.
func (s *core) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !validRequestID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	// Every request gets a deadline, so a stuck dependency cannot pile up
	// goroutines; the stores and engines all take this context.
	ctx, cancel := context.WithTimeout(c.UserContext(), requestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// requestTimeout bounds the work of one request.
const requestTimeout = 10 * time.Second

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '.') {
			return false
		}
	}
	return true
}

// RequestID is the request's id (X-Request-ID), for log lines.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// observe runs the rest of the chain, lets the ErrorHandler answer any error
// right here (so the status is final), compresses the answer (compress.go;
// its time is in the latency and the log line has the bytes sent), then records the latency under the
// route pattern (never the raw path, which would explode the label set) and
// writes one access-log line.
func (s *core) observe(c *fiber.Ctx) error {
	start := time.Now()
	self := c.Route() // the middleware route; still current afterwards if no route matched
	err := c.Next()
	miss := err != nil && unmatched(err)
	if err != nil {
		if herr := s.errs.handle(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	s.compress(c) // the answer is final now, error pages included
	elapsed := time.Since(start)
	status := c.Response().StatusCode()
	route := c.Route()
	pattern := route.Path
	if route == self || miss {
		pattern = "unmatched"
	}
	s.Metrics.HTTPDuration.WithLabelValues(pattern, c.Method(), strconv.Itoa(status/100)+"xx").Observe(elapsed.Seconds())
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	s.Log.LogAttrs(c.UserContext(), level, "http request",
		slog.String("request_id", RequestID(c)),
		slog.String("method", c.Method()),
		slog.String("path", c.Path()),
		slog.String("route", pattern),
		slog.String("ip", c.IP()), // the client's, through a trusted proxy (Config.TrustedProxies)
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.Int("bytes", len(c.Response().Body())),
	)
	return nil
}

// unmatched reports whether err is the router's own answer to a request no
// route took (404 "Cannot GET /x", or 405 for a path only other methods
// have) rather than a handler's. After a middleware an audience adds with
// app.Use, c.Route() is that middleware's route, not observe's own.
func unmatched(err error) bool {
	var fe *fiber.Error
	if !errors.As(err, &fe) {
		return false
	}
	return fe == fiber.ErrMethodNotAllowed || (fe.Code == fiber.StatusNotFound && strings.HasPrefix(fe.Message, "Cannot "))
}

// recover turns a panic in a handler into an internal error (logged with its
// stack by the ErrorHandler) instead of a dropped connection.
func (s *core) recover(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("panic", "request_id", RequestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("web: panic: %v", r)
		}
	}()
	return c.Next()
}

// contentSecurityPolicy allows only the site's own resources: no inline
// scripts or styles, no framing, forms only to ourselves.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(c *fiber.Ctx) error {
	setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders is securityHeaders' work, also done by the error
// handler: fasthttp answers a too large body (413) or header (431) through
// it before any middleware has run.
func setSecurityHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "strict-origin-when-cross-origin")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}
