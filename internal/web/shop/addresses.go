package shop

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// The member's address book (/account/addresses), order history
// (/account/orders) and 재주문 (issue 14).

// mountAddresses registers the address book, order history and reorder.
func (s *server) mountAddresses(r fiber.Router, k *web.Kit) {
	ad := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{s.needAddresses, k.CheckCSRF, h} }
	r.Get("/account/addresses", ad(signedIn(s.addressesPage))...)
	r.Post("/account/addresses", ad(s.addressCreate)...)
	r.Get("/account/addresses/:id<int>/edit", ad(signedIn(s.addressEditPage))...)
	r.Post("/account/addresses/:id<int>", ad(s.addressUpdate)...)
	r.Post("/account/addresses/:id<int>/delete", ad(s.addressDelete)...)
	r.Post("/account/addresses/:id<int>/default", ad(s.addressDefault)...)
	or := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{s.needOrders, k.CheckCSRF, h} }
	r.Get("/account/orders", or(signedIn(s.myOrdersPage))...)
	r.Post("/account/orders/:number/reorder", or(s.reorder)...)
}

func (s *server) needAddresses(c *fiber.Ctx) error {
	if s.Addresses == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// addressForm is the address form as typed, kept on every error.
type addressForm struct {
	Label, Recipient, Phone, Postcode, Road, Detail string
	MakeDefault                                     bool
}

func readAddressForm(c *fiber.Ctx) addressForm {
	return addressForm{Label: c.FormValue("label"), Recipient: c.FormValue("recipient"), Phone: c.FormValue("phone"),
		Postcode: c.FormValue("postcode"), Road: c.FormValue("road"), Detail: c.FormValue("detail"),
		MakeDefault: c.FormValue("make_default") != ""}
}

func (f addressForm) input() order.AddressInput {
	return order.AddressInput{Label: f.Label, MakeDefault: f.MakeDefault, Address: order.Address{
		Recipient: f.Recipient, Phone: f.Phone, Postcode: f.Postcode, Road: f.Road, Detail: f.Detail}}
}

func (f addressForm) display() addressForm {
	for _, p := range []*string{&f.Label, &f.Recipient, &f.Phone, &f.Postcode, &f.Road, &f.Detail} {
		*p = textin.ForDisplay(*p)
	}
	return f
}

func formOf(a *order.SavedAddress) addressForm {
	return addressForm{Label: a.Label, Recipient: a.Address.Recipient, Phone: a.Address.Phone, Postcode: a.Address.Postcode,
		Road: a.Address.Road, Detail: a.Address.Detail, MakeDefault: a.Default}
}

// addressesView is the dot of shop/addresses: the book and the form to add
// an address, or (Editing) the form of one address.
type addressesView struct {
	layout
	List    []*order.SavedAddress
	Editing int64 // the address the form rewrites; 0 adds one
	Full    bool  // the book holds MaxSavedAddresses: no add form
	Max     int
	F       addressForm
	Errors  map[string]string
	Problem string
	Notice  string
}

var addressNotices = map[string]string{
	"added": "배송지를 저장했습니다.", "updated": "배송지를 고쳤습니다.", "deleted": "배송지를 지웠습니다.",
	"default": "기본 배송지를 바꿨습니다.",
}

func (s *server) renderAddresses(c *fiber.Ctx, v *addressesView, status int) error {
	v.Title, v.NoIndex, v.Forms, v.HideSearch, v.Nav = "배송지 관리", true, true, true, "account"
	if v.Editing != 0 {
		v.Title = "배송지 고치기"
	}
	v.Max = order.MaxSavedAddresses
	v.Scripts = []string{s.kit.Templates.StaticPath("postcode.js")}
	web.AllowPostcodeSearch(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "shop/addresses", v)
}

// loadBook fills the view's list (and Full) from the member's book.
func (s *server) loadBook(c *fiber.Ctx, v *addressesView) error {
	list, err := s.Addresses.FindAddresses(c.UserContext())
	if err != nil {
		return err
	}
	v.List, v.Full = list, len(list) >= order.MaxSavedAddresses
	return nil
}

// addressesPage is GET /account/addresses.
func (s *server) addressesPage(c *fiber.Ctx) error {
	v := &addressesView{Notice: addressNotices[c.Query("done")]}
	if err := s.loadBook(c, v); err != nil {
		return err
	}
	return s.renderAddresses(c, v, fiber.StatusOK)
}

// addressFormError shows the form again with err's messages (422, 409 for a
// full book) and what was typed; other errors go to the error page.
func (s *server) addressFormError(c *fiber.Ctx, v *addressesView, f addressForm, err error) error {
	if !shown(err) || apperr.Code(err) == apperr.NotFound || apperr.Code(err) == apperr.Unauthorized {
		return err
	}
	v.F, v.Problem = f.display(), apperr.Message(err)
	var ae *apperr.Error
	if errors.As(err, &ae) && len(ae.Fields) > 0 {
		v.Errors, v.Problem = ae.Fields, "입력한 내용을 확인해 주세요."
	}
	if v.Editing == 0 {
		if lerr := s.loadBook(c, v); lerr != nil {
			return lerr
		}
		v.Full = false // keep the typed form on the page even when the book filled up meanwhile
	}
	return s.renderAddresses(c, v, formStatus(err))
}

// addressCreate is POST /account/addresses.
func (s *server) addressCreate(c *fiber.Ctx) error {
	f := readAddressForm(c)
	if _, err := s.Addresses.CreateAddress(c.UserContext(), f.input()); err != nil {
		return s.addressFormError(c, &addressesView{}, f, err)
	}
	return c.Redirect("/account/addresses?done=added", fiber.StatusSeeOther)
}

func addressID(c *fiber.Ctx) int64 {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 || id > view.MaxID {
		return 0
	}
	return id
}

// addressEditPage is GET /account/addresses/:id/edit (the member's own only:
// another's is 404).
func (s *server) addressEditPage(c *fiber.Ctx) error {
	a, err := s.Addresses.FindAddress(c.UserContext(), addressID(c))
	if err != nil {
		return err
	}
	return s.renderAddresses(c, &addressesView{Editing: a.ID, F: formOf(a)}, fiber.StatusOK)
}

// addressUpdate is POST /account/addresses/:id.
func (s *server) addressUpdate(c *fiber.Ctx) error {
	id := addressID(c)
	f := readAddressForm(c)
	if err := s.Addresses.UpdateAddress(c.UserContext(), id, f.input()); err != nil {
		return s.addressFormError(c, &addressesView{Editing: id}, f, err)
	}
	return c.Redirect("/account/addresses?done=updated", fiber.StatusSeeOther)
}

// addressDelete is POST /account/addresses/:id/delete.
func (s *server) addressDelete(c *fiber.Ctx) error {
	if err := s.Addresses.DeleteAddress(c.UserContext(), addressID(c)); err != nil {
		return err
	}
	return c.Redirect("/account/addresses?done=deleted", fiber.StatusSeeOther)
}

// addressDefault is POST /account/addresses/:id/default.
func (s *server) addressDefault(c *fiber.Ctx) error {
	if err := s.Addresses.MakeDefault(c.UserContext(), addressID(c)); err != nil {
		return err
	}
	return c.Redirect("/account/addresses?done=default", fiber.StatusSeeOther)
}

// myOrdersPageSize is how many orders /account/orders shows at once.
const myOrdersPageSize = 10

// myOrdersView is the dot of shop/my_orders.
type myOrdersView struct {
	layout
	Orders []*order.Order
	Total  int
	Pager  view.Pager
}

// myOrdersPage is GET /account/orders: the member's orders with each part's
// state, courier and tracking link, and 재주문.
func (s *server) myOrdersPage(c *fiber.Ctx) error {
	page := view.QueryPage(c, "page")
	list, total, err := s.Orders.FindUserOrders(c.UserContext(), order.UserOrderFilter{Limit: myOrdersPageSize, Offset: (page - 1) * myOrdersPageSize})
	if err != nil {
		return err
	}
	v := &myOrdersView{Orders: list, Total: total}
	v.Pager = view.BuildPager(page, view.TotalPages(total, myOrdersPageSize, 1000), func(n int) string {
		return "/account/orders?page=" + strconv.Itoa(n)
	})
	v.Title, v.NoIndex, v.Forms, v.Nav = "주문 내역", true, true, "account"
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/my_orders", v)
}

// again is what of an order's lines goes into the cart again: each product
// bought alone, and each joint product once (from its first part).
func again(o *order.Order) []cart.Again {
	var out []cart.Again
	seen := map[int64]bool{}
	for _, so := range o.SubOrders {
		if so.Status == order.SubCancelled {
			continue
		}
		for _, l := range so.Lines {
			name := l.Name
			if l.OptionName != "" {
				name += " (" + l.OptionName + ")"
			}
			if l.BundleProductID != 0 {
				if seen[l.BundleProductID] {
					continue
				}
				seen[l.BundleProductID] = true
				out = append(out, cart.Again{Key: cart.Key{ProductID: l.BundleProductID}, Name: l.BundleName,
					Part: cart.Key{ProductID: l.ProductID, OptionID: l.OptionID}, PartQuantity: l.Quantity})
				continue
			}
			out = append(out, cart.Again{Key: cart.Key{ProductID: l.ProductID, OptionID: l.OptionID}, Quantity: l.Quantity, Name: name})
		}
	}
	return out
}

// reorder is POST /account/orders/:number/reorder: the order's lines that
// can still be bought go into the cart (never changing the order), and the
// buyer is sent to the cart page (303, so a reload does not add them
// again), which shows what was left out or reduced (cart.Service.KeepNotices).
func (s *server) reorder(c *fiber.Ctx) error {
	ctx := c.UserContext()
	o, err := s.Orders.FindUserOrder(ctx, c.Params("number"))
	if err != nil {
		return err
	}
	id, err := s.kit.CartID(c, true)
	if err != nil {
		return err
	}
	added, notes, err := s.Carts.Reorder(ctx, id, again(o))
	if err != nil {
		return err
	}
	if err := s.Carts.KeepNotices(ctx, id, notes); err != nil {
		return err
	}
	done := "reordered"
	if added == 0 {
		done = "reordered_none"
	}
	return c.Redirect("/cart?done="+done, fiber.StatusSeeOther)
}
