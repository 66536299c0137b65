package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web"
)

// mountPortal registers the enterprise API under /api/v1/portal: the
// portal's product and order actions as JSON, for an enterprise's own
// programs (an API key) or the portal's pages (the session cookie). Every
// route runs behind portalGuard; the catalogue Manager and the order
// service scope each read and write to the actor's enterprise, so another
// enterprise's ids answer 404.
func (s *server) mountPortal(api fiber.Router) {
	p := api.Group("/portal", unprocessable, s.portalGuard)
	p.Get("/products", s.portalProducts)
	p.Post("/products", s.portalCreateProduct)
	p.Get("/products/:id", s.portalProduct)
	p.Patch("/products/:id", s.portalUpdateProduct)
	p.Delete("/products/:id", s.portalDeleteProduct)
	p.Put("/products/:id/stock", s.portalSetStock)
	p.Post("/products/:id/publish", s.portalPublish)
	p.Post("/products/:id/unpublish", s.portalUnpublish)
	p.Post("/products/:id/sold-out", s.portalSoldOut)

	p.Get("/orders", s.needFulfil, s.portalOrders)
	p.Get("/orders/:id", s.needFulfil, s.portalOrder)
	p.Post("/orders/:id/accept", s.needFulfil, s.portalAccept)
	p.Post("/orders/:id/ship", s.needFulfil, s.portalShip)
	p.Post("/orders/:id/deliver", s.needFulfil, s.portalDeliver)
	p.Post("/orders/:id/cancel", s.needFulfil, s.portalCancel)
	p.Post("/orders/:id/return/approve", s.needFulfil, s.portalApproveReturn)
	p.Post("/orders/:id/return/reject", s.needFulfil, s.portalRejectReturn)
	p.Post("/orders/:id/return/receive", s.needFulfil, s.portalReceiveReturn)
	p.Get("/couriers", s.portalCouriers)
}

// portalGuard lets through the actors who may manage an enterprise
// (account.EnterpriseScope: its members, its API keys, an operator acting
// on its behalf). Anonymous requests are 401 (a revoked or unknown key is
// refused earlier, by the app's authentication, also with 401); a
// consumer, or a member of an enterprise that is pending, rejected or
// suspended, 403. Writes that come with the session cookie must be
// declared JSON (web.CheckJSONWrite), since the browser sends the cookie
// with any request to the site; an API key is never sent by a browser on
// its own. Answers are private: never stored by a cache.
func (s *server) portalGuard(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	a := web.Actor(c)
	if a == nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="dure"`)
		return apperr.Errorf(apperr.Unauthorized, "로그인하거나 API 키를 보내 주세요 (Authorization: Bearer dure_…).")
	}
	if s.Manager == nil {
		return fiber.ErrServiceUnavailable
	}
	if _, err := account.EnterpriseScope(c.UserContext()); err != nil {
		return err
	}
	if a.APIKeyID == 0 {
		return web.CheckJSONWrite(c)
	}
	return c.Next()
}

// needFulfil answers 503 when the app was built without the order service.
func (s *server) needFulfil(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// unprocessable answers a validation error of a request body — an
// apperr.Invalid with Fields, keyed as the catalogue's and the order
// service's rules name them ("name", "options[1].stock", "tracking_number")
// — with 422 and the usual JSON error body. Other errors, a malformed query
// parameter or body among them, keep their status (400 for Invalid without
// Fields).
func unprocessable(c *fiber.Ctx) error {
	err := c.Next()
	var ae *apperr.Error
	if err == nil || !errors.As(err, &ae) || ae.Code != apperr.Invalid || len(ae.Fields) == 0 {
		return err
	}
	if herr := c.App().ErrorHandler(c, err); herr != nil {
		return herr
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return nil
}

// decodeBody reads the request's JSON body into dst; an empty body leaves
// dst as it is, so that the rules then name every missing field. Unknown
// members are refused, so that a misspelt field is not silently ignored:
// Invalid with that member in Fields, as is a value of the wrong type; a
// body that is not JSON at all is Invalid without Fields (400).
func decodeBody(c *fiber.Ctx, dst any) error {
	body := bytes.TrimSpace(c.Body())
	if len(body) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return apperr.Errorf(apperr.Invalid, "요청 본문에 JSON 값이 하나보다 많습니다.")
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		msg := "값의 형식이 올바르지 않습니다 (" + jsonKind(te.Type.Kind().String()) + "이어야 합니다)."
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{te.Field: msg}}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		msg := "알 수 없는 항목입니다: " + name
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{name: msg}}
	}
	return apperr.Errorf(apperr.Invalid, "요청 본문을 읽을 수 없습니다. 올바른 JSON으로 보내 주세요.")
}

// jsonKind names a Go kind as the JSON value expected, in Korean.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "숫자"
	case kind == "string":
		return "문자열"
	case kind == "bool":
		return "true 또는 false"
	case kind == "slice", kind == "array":
		return "배열"
	}
	return "객체"
}

// apiCourier is one parcel company of GET /api/v1/portal/couriers.
type apiCourier struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// portalCouriers lists the parcel companies a shipment may name, in the
// portal's order (the most used first).
func (s *server) portalCouriers(c *fiber.Ctx) error {
	list := order.Couriers()
	out := make([]apiCourier, 0, len(list))
	for _, cr := range list {
		out = append(out, apiCourier{Code: cr.Code, Name: cr.Name})
	}
	return c.JSON(itemResponse{Data: out})
}
