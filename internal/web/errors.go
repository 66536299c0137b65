package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sort"
	"strings"
	"syscall"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
)

// errorBody is the JSON error shape of every JSON answer (/api, webhooks,
// /healthz, or a client that asked for JSON).
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// ErrorInfo is what an error page may show; nothing in it is an internal
// detail.
type ErrorInfo struct {
	Status  int    // the HTTP status, already set on the response
	Code    string // the apperr code (apperr.NotFound, …)
	Message string // the safe Korean message
	Title   string // the page's title, by status ("페이지를 찾을 수 없습니다")
	Heading string // its heading, by status
}

// ErrorPage renders an audience's HTML error page (in its own layout). It is
// called with the status set and the body empty; if it fails, the failure is
// logged and the safe message is sent as plain text instead.
type ErrorPage func(c *fiber.Ctx, e ErrorInfo) error

// How the errors under a path prefix are answered.
type errorKind int

const (
	errorPlain errorKind = iota
	errorJSON
	errorHTML
)

type errorRule struct {
	prefix string
	kind   errorKind
	page   ErrorPage
}

// matches reports whether path is under the rule: a prefix ending in "/"
// covers everything below it ("/" covers every path), any other is the one
// path ("/healthz").
func (r *errorRule) matches(path string) bool {
	if strings.HasSuffix(r.prefix, "/") {
		return strings.HasPrefix(path, r.prefix)
	}
	return path == r.prefix
}

// errorHandler is fiber's single ErrorHandler with the answers the
// audiences registered, longest prefix first.
type errorHandler struct {
	log    *slog.Logger
	rules  []errorRule
	resume ResumePage            // forms refused for an ended session or token (OnResume)
	ours   func(*fiber.Ctx) bool // whether a refused form carries a token this site made
}

func (h *errorHandler) add(r errorRule) {
	h.rules = append(h.rules, r)
	sort.SliceStable(h.rules, func(i, j int) bool { return len(h.rules[i].prefix) > len(h.rules[j].prefix) })
}

// JSONErrors answers errors under prefix ("/api/"; see errorRule.matches)
// with {"error":{"code","message","fields","request_id"}}. Call it from Mount,
// before the app serves, like PlainErrors and ErrorPages.
func (k *Kit) JSONErrors(prefix string) { k.errs.add(errorRule{prefix: prefix, kind: errorJSON}) }

// PlainErrors answers errors under prefix with the safe message as text
// (static files, pictures).
func (k *Kit) PlainErrors(prefix string) { k.errs.add(errorRule{prefix: prefix, kind: errorPlain}) }

// ErrorPages answers errors under prefix with page, the audience's HTML
// error page. The shop's covers "/"; an audience under its own prefix
// ("/portal/") registers its own. A client that asks for JSON only
// (Accept: application/json) gets JSON anywhere.
func (k *Kit) ErrorPages(prefix string, page ErrorPage) {
	k.errs.add(errorRule{prefix: prefix, kind: errorHTML, page: page})
}

// classify maps an error to its HTTP status, code and safe Korean message.
func classify(err error) (status int, code, msg string) {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch {
		case fe.Code == fiber.StatusNotFound:
			return fe.Code, apperr.NotFound, "요청하신 페이지를 찾을 수 없습니다. 주소가 정확한지 확인해 주세요."
		case fe.Code == fiber.StatusMethodNotAllowed:
			return fe.Code, "method_not_allowed", "허용되지 않는 요청 방식입니다."
		case fe.Code == fiber.StatusTooManyRequests:
			return fe.Code, "rate_limited", "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."
		case fe.Code == fiber.StatusRequestEntityTooLarge:
			return fe.Code, apperr.Invalid, "요청이 너무 큽니다."
		case fe.Code >= 400 && fe.Code < 500:
			return fe.Code, apperr.Invalid, "요청이 올바르지 않습니다."
		case fe.Code == fiber.StatusServiceUnavailable:
			return fe.Code, apperr.Unavailable, unavailableMessage
		default:
			return fiber.StatusInternalServerError, apperr.Internal, apperr.Message(nil)
		}
	}
	if dependencyDown(err) {
		return fiber.StatusServiceUnavailable, apperr.Unavailable, unavailableMessage
	}
	code = apperr.Code(err)
	switch code {
	case apperr.Invalid:
		status = fiber.StatusBadRequest
	case apperr.NotFound:
		status = fiber.StatusNotFound
	case apperr.Conflict:
		status = fiber.StatusConflict
	case apperr.Unauthorized:
		status = fiber.StatusUnauthorized
	case apperr.Forbidden:
		status = fiber.StatusForbidden
	case apperr.TooMany:
		status = fiber.StatusTooManyRequests
	case apperr.Unavailable:
		status = fiber.StatusServiceUnavailable
	default:
		code, status = apperr.Internal, fiber.StatusInternalServerError
	}
	if code == apperr.Internal {
		return status, code, apperr.Message(nil)
	}
	return status, code, apperr.Message(err)
}

// unavailableMessage is the answer to a request a dependency being down
// (or too slow) could not serve.
const unavailableMessage = "서비스를 일시적으로 사용할 수 없습니다. 잠시 후 다시 시도해 주세요."

// retryAfter is the Retry-After of every 503, in seconds: about how long a
// restarted dependency or an open breaker takes.
const retryAfter = "5"

// dependencyDown reports whether err, not already an application error, is
// a dependency's connection failing: a network error (a refused or reset
// connection, a failed connect — pgconn's ConnectError and go-redis's dial
// errors wrap one), a connection closed mid-answer (io.EOF or
// io.ErrUnexpectedEOF: go-redis answers a command on a connection whose
// Redis was killed with a bare EOF), a deadline passing on
// a dependency call, a database server saying it cannot serve now
// (downSQLState), or a driver saying the call never reached the server
// (pgconn's errors with SafeToRetry: a pooled connection a crash closed,
// a failed connect). The adapters wrap these with %w; translating them
// here, once, keeps every handler a plain `return err`.
func dependencyDown(err error) bool {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return false
	}
	var ne net.Error
	var se sqlStater
	var unsent interface{ SafeToRetry() bool }
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.As(err, &se) && downSQLState(se.SQLState()) ||
		errors.As(err, &unsent) && unsent.SafeToRetry()
}

// sqlStater is a database server's error with its SQLSTATE (pgconn's
// PgError has this method), so that this package needs no driver.
type sqlStater interface{ SQLState() string }

// downSQLState reports whether a SQLSTATE says the server cannot serve
// now, for a while, whatever the query: a connection exception (class
// 08), a server starting up, shutting down or restarting after a crash
// (57P01-57P03; a restarted PostgreSQL answers 57P03 until its recovery
// ends), or no connection slot left (53300).
func downSQLState(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}

// handle is fiber's single ErrorHandler: it logs internal errors with the
// request id and answers as the rule of the path says (JSON, text or an
// audience's page; text when no rule covers the path). An internal detail
// never reaches the response.
func (h *errorHandler) handle(c *fiber.Ctx, err error) error {
	setSecurityHeaders(c)
	status, code, msg := classify(err)
	rid := RequestID(c)
	if code == apperr.Internal {
		h.log.Error("internal error", "request_id", rid, "method", c.Method(), "path", c.Path(), "err", err)
	} else if code == apperr.Unavailable {
		h.log.Warn("dependency unavailable", "request_id", rid, "method", c.Method(), "path", c.Path(), "err", err)
	}
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, retryAfter)
	}
	if status == fiber.StatusMethodNotAllowed && c.Get(fiber.HeaderAllow) == "" {
		c.Set(fiber.HeaderAllow, "GET, HEAD")
	}
	c.Status(status)
	c.Response().ResetBody()
	c.Response().Header.Del(fiber.HeaderContentEncoding)
	c.Response().Header.Del(fiber.HeaderETag)
	c.Set(fiber.HeaderCacheControl, "no-store")
	var rule *errorRule
	path := c.Path()
	for i := range h.rules {
		if h.rules[i].matches(path) {
			rule = &h.rules[i]
			break
		}
	}
	switch {
	case (rule != nil && rule.kind == errorJSON) || wantsJSON(c):
		var fields map[string]string
		var ae *apperr.Error
		if errors.As(err, &ae) && code != apperr.Internal {
			fields = ae.Fields
		}
		return c.JSON(errorBody{Error: errorDetail{Code: code, Message: msg, Fields: fields, RequestID: rid}})
	case rule == nil || rule.kind == errorPlain:
		return c.SendString(msg)
	}
	if r, ok := resumable(c, err, status); ok && h.resume != nil && h.ours(c) {
		perr := h.resume(c, r)
		if perr == nil {
			return nil
		}
		h.log.Error("render resume page", "request_id", rid, "err", perr)
		c.Response().ResetBody()
	}
	e := ErrorInfo{Status: status, Code: code, Message: msg, Title: "오류"}
	switch status {
	case fiber.StatusNotFound:
		e.Title, e.Heading = "페이지를 찾을 수 없습니다", "페이지를 찾을 수 없습니다"
	case fiber.StatusBadRequest:
		e.Title, e.Heading = "잘못된 요청", "요청을 처리할 수 없습니다"
	case fiber.StatusServiceUnavailable:
		e.Title, e.Heading = "잠시 후 다시 시도해 주세요", "서비스가 잠시 불안정합니다"
	case fiber.StatusForbidden:
		e.Title, e.Heading = "요청을 처리할 수 없습니다", "요청을 처리할 수 없습니다"
	case fiber.StatusConflict:
		e.Title, e.Heading = "다시 확인해 주세요", "다시 확인해 주세요"
	case fiber.StatusTooManyRequests:
		e.Title, e.Heading = "잠시 후 다시 시도해 주세요", "요청이 너무 많습니다"
	default:
		e.Heading = "문제가 발생했습니다"
	}
	if perr := rule.page(c, e); perr != nil {
		h.log.Error("render error page", "request_id", rid, "err", perr)
		c.Response().ResetBody()
		c.Type("txt", "utf-8")
		return c.SendString(msg)
	}
	return nil
}

// wantsJSON reports whether the client asked for JSON rather than HTML.
func wantsJSON(c *fiber.Ctx) bool {
	accept := c.Get(fiber.HeaderAccept)
	return accept != "" && strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}
