package portal

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
)

// The stock screen: every product of the enterprise (and every option of
// those that have options) with its count in one form, lowest stock first.
// Each row posts its new count ("s-<product>" or "s-<product>-<option>") and
// the count the page showed ("w-…"). A save checks every row first — a
// count that is not a whole number from 0 to 1,000,000, or one that changed
// since the page was shown (an order came in), refuses the whole save with
// the reason next to the row — and only then writes the rows that changed.

// stockRow is one editable count of the stock screen.
type stockRow struct {
	Key         string // "<product>" or "<product>-<option>": the input's name after "s-"
	ProductID   int64
	OptionID    int64
	Name        string // the product's name, or the option's under its product
	Label       string // the input's label: "<product> 재고", "<product> <option> 재고"
	Option      bool   // an option row (its product's row has no input)
	Group       bool   // a product with options: a heading row, no input
	Code        string
	StatusLabel string
	EditURL     string
	Value       string // the count as shown or typed
	Was         string // the count the page showed
	Low         bool
	Err         string
}

type stockView struct {
	layout
	Rows    []stockRow
	Problem string
	Count   int // editable rows
}

// stockPageSize is how many products one read of the stock list takes.
const stockPageSize = 200

// allProducts reads every product of the actor's enterprise, lowest stock
// first.
func (s *server) allProducts(c *fiber.Ctx) ([]*catalog.Product, error) {
	var all []*catalog.Product
	for {
		ps, total, err := s.Manager.FindPortalProducts(c.UserContext(), catalog.ManagedProductFilter{
			Sort: catalog.SortLowStock, Limit: stockPageSize, Offset: len(all)})
		if err != nil {
			return nil, err
		}
		all = append(all, ps...)
		if len(ps) == 0 || len(all) >= total {
			return all, nil
		}
	}
}

// stockRows makes the rows of products, with the counts as stored.
func stockRows(products []*catalog.Product) []stockRow {
	var rows []stockRow
	for _, p := range products {
		pid := strconv.FormatInt(p.ID, 10)
		base := stockRow{ProductID: p.ID, Name: p.Name, Code: p.Code, StatusLabel: catalog.ProductStatusLabel(p.Status),
			EditURL: editURL(p.ID, "")}
		if len(p.Options) == 0 {
			r := base
			r.Key, r.Value, r.Was, r.Low = pid, strconv.Itoa(p.Stock), strconv.Itoa(p.Stock), p.Stock <= lowStock
			r.Label = p.Name + " 재고"
			rows = append(rows, r)
			continue
		}
		g := base
		g.Group, g.Value = true, kr.Comma(int64(p.Stock))
		rows = append(rows, g)
		for _, o := range p.Options {
			r := base
			r.Option, r.OptionID, r.Name, r.Label = true, o.ID, o.Name, p.Name+" "+o.Name+" 재고"
			r.Key = pid + "-" + strconv.FormatInt(o.ID, 10)
			r.Value, r.Was, r.Low = strconv.Itoa(o.Stock), strconv.Itoa(o.Stock), o.Stock <= lowStock
			rows = append(rows, r)
		}
	}
	return rows
}

// stockPage is GET /portal/stock.
func (s *server) stockPage(c *fiber.Ctx) error {
	products, err := s.allProducts(c)
	if err != nil {
		return err
	}
	v := stockView{Rows: stockRows(products)}
	return s.renderStock(c, &v, fiber.StatusOK)
}

func (s *server) renderStock(c *fiber.Ctx, v *stockView, status int) error {
	for _, r := range v.Rows {
		if !r.Group {
			v.Count++
		}
	}
	v.Title, v.Nav = "재고", navStock
	if v.Done == "" {
		v.Done = doneNotice(c)
	}
	c.Status(status)
	return s.render(c, "portal/stock", v)
}

// parseCount reads a stock count: a whole number from 0 to MaxStock.
func parseCount(raw string) (int, bool) {
	n, ok := parseNumber(raw)
	if !ok || n < 0 || n > catalog.MaxStock {
		return 0, false
	}
	return int(n), true
}

// saveStock is POST /portal/stock.
func (s *server) saveStock(c *fiber.Ctx) error {
	products, err := s.allProducts(c)
	if err != nil {
		return err
	}
	rows := stockRows(products)
	posted := map[string]bool{}
	bad := 0
	for i := range rows {
		r := &rows[i]
		if r.Group {
			continue
		}
		stored := r.Was
		raw := c.FormValue("s-" + r.Key)
		if raw == "" && c.FormValue("w-"+r.Key) == "" {
			continue // not on the page the form came from (a product added since): left as it is
		}
		posted[r.Key] = true
		r.Value, r.Was = raw, c.FormValue("w-"+r.Key)
		n, ok := parseCount(raw)
		switch {
		case !ok:
			r.Err = "재고는 0부터 1,000,000 사이의 숫자로 입력해 주세요."
		case strconv.Itoa(n) != r.Was && r.Was != stored:
			r.Err = "그사이 재고가 " + kr.Comma(mustAtoi(stored)) + "(으)로 바뀌었습니다. 확인한 뒤 다시 입력해 주세요."
			r.Was = stored
		}
		if r.Err != "" {
			bad++
		}
	}
	v := stockView{Rows: rows}
	if bad > 0 {
		v.Problem = "재고 " + strconv.Itoa(bad) + "곳을 확인해 주세요. 아무것도 저장하지 않았습니다."
		return s.renderStock(c, &v, fiber.StatusUnprocessableEntity)
	}

	// Every row is fine: write the products whose counts changed.
	changed := 0
	for _, p := range products {
		upd, ok := stockUpdate(p, rows, posted)
		if !ok {
			continue
		}
		if _, err := s.Manager.SetStock(c.UserContext(), p.ID, upd); err != nil {
			if apperr.Code(err) == apperr.Internal {
				return err
			}
			v.Problem = "'" + p.Name + "'의 재고를 저장하지 못했습니다: " + apperr.Message(err)
			if changed > 0 {
				v.Problem += " 앞의 상품 " + strconv.Itoa(changed) + "개는 저장되었습니다."
			}
			fresh, ferr := s.allProducts(c)
			if ferr != nil {
				return ferr
			}
			v.Rows = stockRows(fresh)
			return s.renderStock(c, &v, fiber.StatusConflict)
		}
		changed++
	}
	code := "stock-saved"
	if changed == 0 {
		code = "stock-same"
	}
	return c.Redirect("/portal/stock?done="+code, fiber.StatusSeeOther)
}

// stockUpdate is the update of p's counts the checked rows ask for; false
// when none of them changed.
func stockUpdate(p *catalog.Product, rows []stockRow, posted map[string]bool) (catalog.StockUpdate, bool) {
	var upd catalog.StockUpdate
	changed := false
	for _, r := range rows {
		if r.ProductID != p.ID || r.Group || !posted[r.Key] {
			continue
		}
		n, _ := parseCount(r.Value)
		if strconv.Itoa(n) == r.Was {
			continue
		}
		changed = true
		if r.Option {
			upd.Options = append(upd.Options, catalog.OptionStock{ID: r.OptionID, Stock: n})
		} else {
			upd.Stock = n
		}
	}
	return upd, changed
}

func mustAtoi(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}
