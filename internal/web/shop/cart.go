package shop

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// cartLine is one line of the cart page.
type cartLine struct {
	cart.ViewLine
	Key      string // the line's URL key: "<product>-<option>"
	URL      string
	ImageURL string
	Max      int // the quantity input's bound
	// TierNote says the volume tier applied and the next one in reach, ""
	// when the product has none.
	TierNote string
	// BundleNote lists a joint product's parts and their enterprises, ""
	// for any other product.
	BundleNote string
}

// cartGroup is one enterprise's lines with its shipping.
type cartGroup struct {
	Enterprise *catalog.Enterprise
	URL        string
	Lines      []cartLine
	Part       *pricing.Part // nil when none of its lines can be ordered
	Shipping   string
}

// cartSummary is the cart grouped for the cart and checkout pages.
type cartSummary struct {
	Groups  []cartGroup
	Notices []string
	Price   pricing.Breakdown
	Blocked bool
	Empty   bool
}

// cartNotices are the messages a redirect back to /cart may ask for; the
// query names one, so no text from the request is ever shown.
var cartNotices = map[string]string{
	"added":   "장바구니에 담았습니다.",
	"updated": "수량을 바꿨습니다.",
	"removed": "장바구니에서 뺐습니다.",
	// After a 재주문 (reorder), with the notices it kept.
	"reordered":      "지난 주문의 상품을 장바구니에 담았습니다.",
	"reordered_none": "지난 주문의 상품 가운데 지금 담을 수 있는 상품이 없습니다.",
}

type cartView struct {
	layout
	cartSummary
	Notice string
	// Quote offers an institution buyer to turn the cart into a quote
	// request (POST /biz/quotes/cart) instead of ordering it.
	Quote bool
}

// summarize groups a cart view by enterprise, in the view's order.
func summarize(v *cart.View) cartSummary {
	sum := cartSummary{Notices: v.Notices, Price: v.Price, Blocked: v.Blocked, Empty: len(v.Lines) == 0}
	parts := map[int64]*pricing.Part{}
	for _, p := range v.Price.Parts {
		if p.Enterprise != nil {
			parts[p.Enterprise.ID] = p
		}
	}
	var bundles *cartGroup
	for _, l := range v.Lines {
		p := l.Product
		if len(p.Parts) > 0 {
			if bundles == nil {
				bundles = &cartGroup{Enterprise: &catalog.Enterprise{Name: "공동상품"}, Shipping: "공동상품은 배송비가 판매가에 포함되어 있습니다."}
			}
			bundles.Lines = append(bundles.Lines, cartLine{ViewLine: l, Key: view.LineKey(l.Key), URL: view.ProductURL(p.ID),
				ImageURL: view.ImageOf(p), Max: min(cart.MaxQuantity, max(l.Available, l.Quantity)), BundleNote: bundleNote(p.Parts)})
			continue
		}
		if n := len(sum.Groups); n == 0 || sum.Groups[n-1].Enterprise.ID != p.EnterpriseID {
			e := p.Enterprise
			if e == nil {
				e = &catalog.Enterprise{ID: p.EnterpriseID}
			}
			part := parts[p.EnterpriseID]
			sum.Groups = append(sum.Groups, cartGroup{Enterprise: e, URL: view.EnterpriseURL(e.ID), Part: part,
				Shipping: view.ShippingText(part)})
		}
		g := &sum.Groups[len(sum.Groups)-1]
		g.Lines = append(g.Lines, cartLine{ViewLine: l, Key: view.LineKey(l.Key), URL: view.ProductURL(p.ID),
			ImageURL: view.ImageOf(p), Max: min(cart.MaxQuantity, max(l.Available, l.Quantity)), TierNote: tierNote(l)})
	}
	if bundles != nil {
		sum.Groups = append(sum.Groups, *bundles)
	}
	return sum
}

// bundleNote lists a joint product's parts: "구성: 햇살농원 사과즙 2개 · …".
func bundleNote(parts []catalog.BundlePart) string {
	var b strings.Builder
	b.WriteString("구성: ")
	for i, bp := range parts {
		if i > 0 {
			b.WriteString(" · ")
		}
		if e := bp.Product.Enterprise; e != nil {
			b.WriteString(e.Name + " ")
		}
		b.WriteString(bp.Product.Name)
		if bp.OptionName != "" {
			b.WriteString(" (" + bp.OptionName + ")")
		}
		b.WriteString(" " + strconv.Itoa(bp.Quantity) + "개")
	}
	return b.String()
}

// cartPage shows the cart grouped by enterprise with shipping and totals.
func (s *server) cartPage(c *fiber.Ctx) error {
	id, err := s.kit.CartID(c, false)
	if err != nil {
		return err
	}
	done := c.Query("done")
	v := cartView{Notice: cartNotices[done]}
	if id != "" {
		cv, err := s.Carts.View(c.UserContext(), id, "")
		if err != nil {
			return err
		}
		v.cartSummary = summarize(cv)
		if strings.HasPrefix(done, "reordered") {
			kept, err := s.Carts.TakeNotices(c.UserContext(), id)
			if err != nil {
				return err
			}
			v.Notices = append(kept, v.Notices...)
		}
	} else {
		v.Empty = true
	}
	v.Title, v.NoIndex, v.Nav, v.Forms = "장바구니", true, "cart", true
	_, buyerErr := account.RequireInstitutionBuyer(c.UserContext())
	v.Quote = buyerErr == nil
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/cart", &v)
}

// formInt reads a small non-negative integer form field; absent is def.
func formInt(c *fiber.Ctx, name string, def int64, what string) (int64, error) {
	raw := strings.TrimSpace(c.FormValue(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 || n > view.MaxID {
		return 0, apperr.Errorf(apperr.Invalid, "%s 값이 올바르지 않습니다.", what)
	}
	return n, nil
}

// quantity reads a quantity field; anything that is not a number from 0 to
// cart.MaxQuantity is a 400 with the cart's own message.
func quantity(raw string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 0 || n > cart.MaxQuantity {
		return 0, apperr.Errorf(apperr.Invalid, "수량은 1개부터 %d개까지 담을 수 있습니다.", cart.MaxQuantity)
	}
	return n, nil
}

// cartAdd is the product page's "장바구니 담기" form.
func (s *server) cartAdd(c *fiber.Ctx) error {
	pid, err := formInt(c, "product_id", 0, "상품 번호")
	if err != nil {
		return err
	}
	oid, err := formInt(c, "option_id", 0, "옵션")
	if err != nil {
		return err
	}
	if pid == 0 {
		return apperr.Errorf(apperr.Invalid, "상품 번호가 올바르지 않습니다.")
	}
	q, err := quantity(c.FormValue("quantity", "1"))
	if err != nil {
		return s.addRefused(c, pid, oid, err)
	}
	id, err := s.kit.CartID(c, true)
	if err != nil {
		return err
	}
	err = s.Carts.Add(c.UserContext(), id, cart.Key{ProductID: pid, OptionID: oid}, q)
	if c.Get(stayHeader) != "" { // app.js: stay on the page, say so there
		return s.addAnswer(c, id, err)
	}
	if err != nil {
		return s.addRefused(c, pid, oid, err)
	}
	if c.FormValue("buy") == "now" {
		return c.Redirect("/checkout", fiber.StatusSeeOther)
	}
	return c.Redirect("/cart?done=added", fiber.StatusSeeOther)
}

// productsWithOptions is implemented by catalogue stores that say in one
// query which products have options (postgres.CatalogStore).
type productsWithOptions interface {
	FindProductsWithOptions(ctx context.Context, ids []int64) (map[int64]bool, error)
}

// cartCards readies a listing's cards for 장바구니 담기 without leaving the
// page (the product page's form and app.js's X-Dure-Stay answer): an
// in-stock goods item without options gets the add form, one with options
// or a service a cue to choose on its product page, a sold-out one
// neither. The page's forms then carry l's CSRF token. Without a cart
// service, or when the options cannot be read, goods cards stay plain links.
func (s *server) cartCards(c *fiber.Ctx, l *layout, cards []view.Card) {
	var goods []int // in-stock goods: the form, or 옵션 선택 when it has options
	var unknown []int64
	for i, cd := range cards {
		switch {
		case !cd.InStock:
		case cd.Service:
			cards[i].Choose = "예약 안내 보기"
		default:
			goods = append(goods, i)
			if cd.HasOptions == nil {
				unknown = append(unknown, cd.ID)
			}
		}
	}
	f, ok := s.Catalog.(productsWithOptions)
	if s.Carts == nil || !ok || len(goods) == 0 {
		return
	}
	// The search document says whether a product has options; only cards
	// from elsewhere (or from an index built before it said so) ask.
	withOptions := map[int64]bool{}
	if len(unknown) > 0 {
		var err error
		if withOptions, err = f.FindProductsWithOptions(c.UserContext(), unknown); err != nil {
			s.kit.Log.Warn("listing: product options", "request_id", web.RequestID(c), "err", err)
			return
		}
	}
	for _, i := range goods {
		if has := cards[i].HasOptions; (has != nil && *has) || withOptions[cards[i].ID] {
			cards[i].Choose = "옵션 선택"
			continue
		}
		if l.CSRF == "" {
			l.Forms, l.CSRF = true, s.kit.CSRFToken(c)
		}
		cards[i].CSRF = l.CSRF
	}
}

// stayHeader marks app.js's add-to-cart request, answered with JSON so the
// shopper stays on the product page.
const stayHeader = "X-Dure-Stay"

// addAnswer is the JSON answer to app.js's add-to-cart: the message to
// show beside the form and the header's new cart count. A refusal the
// shopper can act on is a 400 with the cart's Korean message; anything
// else the error page would have shown is a 500 with a generic message.
func (s *server) addAnswer(c *fiber.Ctx, cartID string, err error) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err != nil {
		code := apperr.Code(err)
		if code != apperr.Invalid && code != apperr.NotFound && code != apperr.Conflict {
			s.kit.Log.Error("cart add", "request_id", web.RequestID(c), "err", err)
			return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"ok": false,
				"message": "장바구니에 담지 못했습니다. 잠시 후 다시 시도해 주세요."})
		}
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"ok": false, "message": apperr.Message(err)})
	}
	n, cerr := s.Carts.Count(c.UserContext(), cartID)
	if cerr != nil {
		n = -1 // the header keeps its count
	}
	return c.JSON(fiber.Map{"ok": true, "message": "장바구니에 담았습니다.", "count": n})
}

// addRefused shows the product page again when the cart refused what its
// form asked (a sold-out option, too many), with the message next to the
// form and the choices kept; a product that cannot be shown, and any other
// error, is the error page as before.
func (s *server) addRefused(c *fiber.Ctx, pid, oid int64, refused error) error {
	if apperr.Code(refused) != apperr.Invalid {
		return refused
	}
	p, err := s.Catalog.FindProductByID(c.UserContext(), pid)
	if err != nil {
		return refused
	}
	ix, err := s.Categories.Get(c.UserContext())
	if err != nil {
		return refused
	}
	v := newProductView(p, ix)
	v.Layout.Forms = true
	v.AddError = apperr.Message(refused)
	if n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("quantity"))); err == nil && n >= 1 && n <= cart.MaxQuantity {
		v.Quantity = n
	}
	for i := range v.Options {
		v.Options[i].Selected = v.Options[i].ID == oid && !v.Options[i].SoldOut
	}
	c.Status(fiber.StatusBadRequest)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/product", v)
}

// cartUpdate changes a line's quantity; 0 removes it.
func (s *server) cartUpdate(c *fiber.Ctx) error {
	k, err := view.ParseLineKey(c.Params("key"))
	if err != nil {
		return err
	}
	q, err := quantity(c.FormValue("quantity"))
	if err != nil {
		return err
	}
	id, err := s.kit.CartID(c, true)
	if err != nil {
		return err
	}
	if err := s.Carts.SetQuantity(c.UserContext(), id, k, q); err != nil {
		return err
	}
	done := "updated"
	if q == 0 {
		done = "removed"
	}
	return c.Redirect("/cart?done="+done, fiber.StatusSeeOther)
}

// tierNote says which consumer volume tier prices line l and the next one
// it could reach, each at this line's unit price (the option's extra
// included): "10개 이상 개당 9,000원 적용 (정가 10,000원) · 50개 이상 개당 8,000원".
func tierNote(l cart.ViewLine) string {
	extra := l.ListUnit - pricing.Consumer.Base(l.Product)
	var parts []string
	if t := l.Tier; t != nil {
		parts = append(parts, fmt.Sprintf("%s개 이상 개당 %s 적용 (정가 %s)", kr.Comma(int64(t.MinQuantity)),
			kr.Won(t.UnitPrice+extra), kr.Won(l.ListUnit)))
	}
	for _, t := range pricing.Consumer.Tiers(l.Product) {
		if t.MinQuantity > l.Quantity && t.MinQuantity <= cart.MaxQuantity {
			parts = append(parts, fmt.Sprintf("%s개 이상 개당 %s", kr.Comma(int64(t.MinQuantity)), kr.Won(t.UnitPrice+extra)))
			break
		}
	}
	return strings.Join(parts, " · ")
}
