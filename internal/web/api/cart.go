package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/web/view"
)

type apiCartLine struct {
	Key        string        `json:"key"`
	ProductID  int64         `json:"product_id"`
	OptionID   int64         `json:"option_id,omitempty"`
	Name       string        `json:"name"`
	OptionName string        `json:"option_name,omitempty"`
	Enterprise enterpriseRef `json:"enterprise"`
	UnitPrice  int64         `json:"unit_price"`
	Quantity   int           `json:"quantity"`
	LineTotal  int64         `json:"line_total"`
	Available  int           `json:"available"`
	Orderable  bool          `json:"orderable"`
	Notice     string        `json:"notice,omitempty"`
	URL        string        `json:"url"`
}

type apiCartPart struct {
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	ItemsTotal     int64  `json:"items_total"`
	ShippingFee    int64  `json:"shipping_fee"`
	FreeShipping   bool   `json:"free_shipping"`
	AmountToFree   int64  `json:"amount_to_free"`
	Remote         bool   `json:"remote"`
	Total          int64  `json:"total"`
	Shipping       string `json:"shipping"`
}

type apiCart struct {
	Lines         []apiCartLine `json:"lines"`
	Parts         []apiCartPart `json:"parts"`
	Notices       []string      `json:"notices"`
	ItemsTotal    int64         `json:"items_total"`
	ShippingTotal int64         `json:"shipping_total"`
	Total         int64         `json:"total"`
	Supply        int64         `json:"supply"`
	VAT           int64         `json:"vat"`
	Currency      string        `json:"currency"`
	Blocked       bool          `json:"blocked"`
}

// apiCart answers the cart as it stands now (?postcode= adds the remote-area
// surcharge where it applies).
func (s *server) apiCart(c *fiber.Ctx) error {
	id, err := s.kit.CartID(c, false)
	if err != nil {
		return err
	}
	return s.apiCartView(c, id, fiber.StatusOK)
}

// apiCartView answers cart id (none: an empty cart) with status.
func (s *server) apiCartView(c *fiber.Ctx, id string, status int) error {
	var v *cart.View
	if id != "" {
		postcode, err := cartPostcode(c)
		if err != nil {
			return err
		}
		if v, err = s.Carts.View(c.UserContext(), id, postcode); err != nil {
			return err
		}
	}
	return writeCart(c, v, status)
}

// cartPostcode reads ?postcode=, which prices the remote-area surcharge where
// it applies.
func cartPostcode(c *fiber.Ctx) (string, error) {
	postcode := c.Query("postcode")
	if len(postcode) > 10 {
		return "", apperr.Errorf(apperr.Invalid, "우편번호가 올바르지 않습니다.")
	}
	return postcode, nil
}

// writeCart answers v (nil: an empty cart) with status.
func writeCart(c *fiber.Ctx, v *cart.View, status int) error {
	out := apiCart{Lines: []apiCartLine{}, Parts: []apiCartPart{}, Notices: []string{}, Currency: currency}
	if v != nil {
		for _, l := range v.Lines {
			al := apiCartLine{Key: view.LineKey(l.Key), ProductID: l.ProductID, OptionID: l.OptionID, Name: l.Product.Name,
				OptionName: l.OptionName, UnitPrice: l.UnitPrice, Quantity: l.Quantity, LineTotal: l.LineTotal(),
				Available: l.Available, Orderable: l.Orderable, Notice: l.Notice, URL: view.ProductURL(l.ProductID)}
			if e := l.Product.Enterprise; e != nil {
				al.Enterprise = enterpriseRef{ID: e.ID, Name: e.Name, Type: string(e.Type), TypeLabel: e.Type.Label(),
					Region: string(e.Region), URL: view.EnterpriseURL(e.ID)}
			}
			out.Lines = append(out.Lines, al)
		}
		for _, p := range v.Price.Parts {
			ap := apiCartPart{ItemsTotal: p.ItemsTotal, ShippingFee: p.ShippingFee, FreeShipping: p.FreeShipping,
				AmountToFree: p.AmountToFree, Remote: p.Remote, Total: p.Total, Shipping: view.ShippingText(p)}
			if p.Enterprise != nil {
				ap.EnterpriseID, ap.EnterpriseName = p.Enterprise.ID, p.Enterprise.Name
			}
			out.Parts = append(out.Parts, ap)
		}
		out.Notices = append(out.Notices, v.Notices...)
		out.ItemsTotal, out.ShippingTotal, out.Total = v.Price.ItemsTotal, v.Price.ShippingTotal, v.Price.Total
		out.Supply, out.VAT, out.Blocked = v.Price.Supply, v.Price.VAT, v.Blocked
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(itemResponse{Data: out})
}

type apiCartInput struct {
	ProductID int64 `json:"product_id"`
	OptionID  int64 `json:"option_id"`
	Quantity  *int  `json:"quantity"`
}

func decodeCartInput(c *fiber.Ctx) (apiCartInput, error) {
	var in apiCartInput
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return in, apperr.Errorf(apperr.Invalid, "요청 본문을 읽을 수 없습니다. JSON으로 보내 주세요.")
	}
	if in.Quantity == nil {
		return in, &apperr.Error{Code: apperr.Invalid, Message: "수량을 입력해 주세요.",
			Fields: map[string]string{"quantity": "수량을 입력해 주세요."}}
	}
	return in, nil
}

// apiCartAdd adds {product_id, option_id, quantity} and answers the cart (201).
func (s *server) apiCartAdd(c *fiber.Ctx) error {
	in, err := decodeCartInput(c)
	if err != nil {
		return err
	}
	if in.ProductID <= 0 || in.ProductID > view.MaxID || in.OptionID < 0 || in.OptionID > view.MaxID {
		return apperr.Errorf(apperr.Invalid, "상품 번호가 올바르지 않습니다.")
	}
	postcode, err := cartPostcode(c)
	if err != nil {
		return err
	}
	id, err := s.kit.CartID(c, true)
	if err != nil {
		return err
	}
	v, err := s.Carts.AddView(c.UserContext(), id, cart.Key{ProductID: in.ProductID, OptionID: in.OptionID}, *in.Quantity, postcode)
	if err != nil {
		return err
	}
	return writeCart(c, v, fiber.StatusCreated)
}

// apiCartUpdate sets a line's {quantity}; 0 removes it.
func (s *server) apiCartUpdate(c *fiber.Ctx) error {
	k, err := view.ParseLineKey(c.Params("key"))
	if err != nil {
		return err
	}
	in, err := decodeCartInput(c)
	if err != nil {
		return err
	}
	postcode, err := cartPostcode(c)
	if err != nil {
		return err
	}
	id, err := s.kit.CartID(c, true)
	if err != nil {
		return err
	}
	v, err := s.Carts.SetQuantityView(c.UserContext(), id, k, *in.Quantity, postcode)
	if err != nil {
		return err
	}
	return writeCart(c, v, fiber.StatusOK)
}

// apiCartRemove deletes a line.
func (s *server) apiCartRemove(c *fiber.Ctx) error {
	k, err := view.ParseLineKey(c.Params("key"))
	if err != nil {
		return err
	}
	if _, err := cartPostcode(c); err != nil { // refused before anything changes
		return err
	}
	id, err := s.kit.CartID(c, false)
	if err != nil {
		return err
	}
	if id != "" {
		if err := s.Carts.Remove(c.UserContext(), id, k); err != nil {
			return err
		}
	}
	return s.apiCartView(c, id, fiber.StatusOK)
}

// apiCartClear empties the cart.
func (s *server) apiCartClear(c *fiber.Ctx) error {
	if _, err := cartPostcode(c); err != nil { // refused before anything changes
		return err
	}
	id, err := s.kit.CartID(c, false)
	if err != nil {
		return err
	}
	if id != "" {
		if err := s.Carts.Clear(c.UserContext(), id); err != nil {
			return err
		}
	}
	return s.apiCartView(c, id, fiber.StatusOK)
}
