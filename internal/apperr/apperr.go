// Package apperr is Dure's application error: a code that maps to one HTTP
// status in one place, and a message that is safe to show a person (Korean).
// Anything that is not an *Error is treated as Internal and never shown.
package apperr

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web layer.
const (
	Invalid      = "invalid"      // 400/422: the input is wrong; Message says how.
	NotFound     = "not_found"    // 404
	Conflict     = "conflict"     // 409: a uniqueness or state conflict.
	Unauthorized = "unauthorized" // 401
	Forbidden    = "forbidden"    // 403
	TooMany      = "too_many"     // 429: a rate limit refused; Message says when to retry.
	Unavailable  = "unavailable"  // 503: a dependency is down.
	Internal     = "internal"     // 500: never shown in detail.
)

// Error is an application error with a code and a message safe for users.
type Error struct {
	Code    string
	Message string
	// Fields holds per-field messages for forms and row-level import errors.
	Fields map[string]string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Code returns the code of err: the code of the first *Error in its chain, or
// Internal for any other non-nil error, or "" for nil.
func Code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Message returns the safe message of err, or a generic Korean message when err
// carries none (an internal detail must never reach a person).
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요."
}

// Fields collects a form's per-field Korean messages; the first message of a
// field wins.
type Fields map[string]string

// Add records msg for key unless msg is empty or key already has one.
func (f Fields) Add(key, msg string) {
	if msg != "" && f[key] == "" {
		f[key] = msg
	}
}

// Err returns an Invalid error carrying f, or nil when f is empty.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "입력한 내용을 확인해 주세요.", Fields: f}
}
