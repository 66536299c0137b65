package view

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
)

// Categories keeps the category tree for a short while. The tree is tiny
// and rarely changes; a short TTL keeps instances independent without a
// coherent cache. One is shared by every audience of an app.
type Categories struct {
	ttl  time.Duration
	load func(context.Context) ([]*catalog.Category, error)

	mu sync.Mutex
	ix *catalog.CategoryIndex
	at time.Time
}

// NewCategories returns a cache of the tree load reads, reused for ttl
// (0: read on every Get).
func NewCategories(load func(context.Context) ([]*catalog.Category, error), ttl time.Duration) *Categories {
	return &Categories{ttl: ttl, load: load}
}

// Get returns the category index, reloading it when older than the TTL. The
// returned index is never modified afterwards, so readers share it freely.
func (cc *Categories) Get(ctx context.Context) (*catalog.CategoryIndex, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.ix != nil && cc.ttl > 0 && time.Since(cc.at) < cc.ttl {
		return cc.ix, nil
	}
	cats, err := cc.load(ctx)
	if err != nil {
		return nil, err
	}
	cc.ix, cc.at = catalog.NewCategoryIndex(cats), time.Now()
	return cc.ix, nil
}

// ProductNotFound is what a product's pages say when it is not on sale.
const ProductNotFound = "상품을 찾을 수 없습니다. 판매가 끝났거나 주소가 바뀌었을 수 있어요."

// LoadProduct reads the product of the :id path parameter and the category
// index every product route needs; a bad or unknown id is a friendly 400/404.
func LoadProduct(c *fiber.Ctx, store catalog.Store, cats *Categories) (*catalog.Product, *catalog.CategoryIndex, error) {
	id, err := ParseID(c.Params("id"), "상품")
	if err != nil {
		return nil, nil, err
	}
	p, err := store.FindProductByID(c.UserContext(), id)
	if err != nil {
		return nil, nil, FriendlyNotFound(err, ProductNotFound)
	}
	ix, err := cats.Get(c.UserContext())
	if err != nil {
		return nil, nil, err
	}
	return p, ix, nil
}

// enterprisesByIDs is implemented by stores that can fetch many enterprises
// in one query (postgres.CatalogStore); others are asked one by one.
type enterprisesByIDs interface {
	FindEnterprisesByIDs(ctx context.Context, ids []int64) (map[int64]*catalog.Enterprise, error)
}

// EnterprisesOf returns the enterprises of products by id.
func EnterprisesOf(ctx context.Context, store catalog.Store, products []*catalog.Product) (map[int64]*catalog.Enterprise, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, p := range products {
		if !seen[p.EnterpriseID] {
			seen[p.EnterpriseID] = true
			ids = append(ids, p.EnterpriseID)
		}
	}
	if len(ids) == 0 {
		return map[int64]*catalog.Enterprise{}, nil
	}
	if f, ok := store.(enterprisesByIDs); ok {
		return f.FindEnterprisesByIDs(ctx, ids)
	}
	out := make(map[int64]*catalog.Enterprise, len(ids))
	for _, id := range ids {
		e, err := store.FindEnterpriseByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = e
	}
	return out, nil
}

// CardsWithEnterprises makes cards of catalogue products, with their
// enterprises' names and types.
func CardsWithEnterprises(ctx context.Context, store catalog.Store, products []*catalog.Product) ([]Card, error) {
	ents, err := EnterprisesOf(ctx, store, products)
	if err != nil {
		return nil, err
	}
	cards := make([]Card, 0, len(products))
	for _, p := range products {
		cards = append(cards, CardFromProduct(p, ents[p.EnterpriseID]))
	}
	return cards, nil
}
