package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
)

// errorBody is the JSON error shape of every /api response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// errorView is the data of the HTML error pages.
type errorView struct {
	layout
	Status  int
	Heading string
	Message string
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
			return fe.Code, apperr.Unavailable, "서비스를 일시적으로 사용할 수 없습니다. 잠시 후 다시 시도해 주세요."
		default:
			return fiber.StatusInternalServerError, apperr.Internal, apperr.Message(nil)
		}
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

// handleError is fiber's single ErrorHandler: it logs internal errors with the
// request id and answers with JSON under /api and an HTML page elsewhere. An
// internal detail never reaches the response.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	status, code, msg := classify(err)
	rid := requestIDOf(c)
	if code == apperr.Internal {
		s.Log.Error("internal error", "request_id", rid, "method", c.Method(), "path", c.Path(), "err", err)
	}
	if status == fiber.StatusMethodNotAllowed && c.Get(fiber.HeaderAllow) == "" {
		c.Set(fiber.HeaderAllow, "GET, HEAD")
	}
	c.Status(status)
	c.Response().ResetBody()
	path := c.Path()
	switch {
	case strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/webhooks/") || path == "/healthz" || wantsJSON(c):
		c.Set(fiber.HeaderCacheControl, "no-store")
		var fields map[string]string
		var ae *apperr.Error
		if errors.As(err, &ae) && code != apperr.Internal {
			fields = ae.Fields
		}
		return c.JSON(errorBody{Error: errorDetail{Code: code, Message: msg, Fields: fields, RequestID: rid}})
	case strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/media/"):
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.SendString(msg)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	page := "shop/error"
	v := errorView{Status: status, Message: msg}
	v.Title, v.NoIndex, v.HideSearch = "오류", true, true
	switch status {
	case fiber.StatusNotFound:
		page, v.Title, v.Heading = "shop/notfound", "페이지를 찾을 수 없습니다", "페이지를 찾을 수 없습니다"
	case fiber.StatusBadRequest:
		v.Title, v.Heading = "잘못된 요청", "요청을 처리할 수 없습니다"
	case fiber.StatusServiceUnavailable:
		v.Title, v.Heading = "잠시 후 다시 시도해 주세요", "서비스가 잠시 불안정합니다"
	case fiber.StatusForbidden:
		v.Title, v.Heading = "요청을 처리할 수 없습니다", "요청을 처리할 수 없습니다"
	case fiber.StatusConflict:
		v.Title, v.Heading = "다시 확인해 주세요", "다시 확인해 주세요"
	case fiber.StatusTooManyRequests:
		v.Title, v.Heading = "잠시 후 다시 시도해 주세요", "요청이 너무 많습니다"
	default:
		v.Heading = "문제가 발생했습니다"
	}
	v.Q = c.Query("q")
	if len([]rune(v.Q)) > 100 {
		v.Q = ""
	}
	c.Type("html", "utf-8")
	s.fillLayout(c, &v.layout)
	if rerr := s.Templates.Render(c, page, newBaseView(&v.layout, &v)); rerr != nil {
		s.Log.Error("render error page", "request_id", rid, "err", rerr)
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
