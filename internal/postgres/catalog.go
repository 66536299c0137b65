package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/impact"
)

// CatalogStore implements catalog.Store.
type CatalogStore struct {
	pool db
}

var _ catalog.Store = (*CatalogStore)(nil)

// NewCatalogStore returns a catalogue store on pool.
func NewCatalogStore(pool *pgxpool.Pool) *CatalogStore { return &CatalogStore{pool: db{pool}} }

const enterpriseColumns = `e.id, e.external_id, e.name, e.type, e.cert_number, e.cert_valid_until,
	e.business_number, e.region, e.representative, e.phone, e.email, e.address, e.mission,
	e.description, e.shipping_fee, e.free_shipping_threshold, e.remote_surcharge, e.status,
	e.review_products, e.created_at, e.updated_at, e.return_postcode, e.return_road, e.return_detail, e.return_phone`

func scanEnterprise(row pgx.Row, extra ...any) (*catalog.Enterprise, error) {
	var e catalog.Enterprise
	var validUntil *time.Time
	dest := []any{&e.ID, &e.ExternalID, &e.Name, &e.Type, &e.CertNumber, &validUntil,
		&e.BusinessNumber, &e.Region, &e.Representative, &e.Phone, &e.Email, &e.Address, &e.Mission,
		&e.Description, &e.Shipping.Fee, &e.Shipping.FreeThreshold, &e.Shipping.RemoteSurcharge, &e.Status,
		&e.ReviewProducts, &e.CreatedAt, &e.UpdatedAt, &e.Return.Postcode, &e.Return.Road, &e.Return.Detail, &e.Return.Phone}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	e.CertValidUntil = validUntil
	return &e, nil
}

const productColumns = `p.id, p.external_id, p.code, p.enterprise_id, p.category_id, p.kind, p.name, p.summary,
	p.description, p.unit, p.tax_type, p.consumer_price, p.public_price, ` + productStock + `, p.status, p.featured,
	p.popularity, p.created_at, p.updated_at`

// productDest lists scan destinations for productColumns.
func productDest(p *catalog.Product) []any {
	return []any{&p.ID, &p.ExternalID, &p.Code, &p.EnterpriseID, &p.CategoryID, &p.Kind, &p.Name, &p.Summary,
		&p.Description, &p.Unit, &p.TaxType, &p.ConsumerPrice, &p.PublicPrice, &p.Stock, &p.Status, &p.Featured,
		&p.Popularity, &p.CreatedAt, &p.UpdatedAt}
}

func scanProduct(row pgx.Row) (*catalog.Product, error) {
	var p catalog.Product
	if err := row.Scan(productDest(&p)...); err != nil {
		return nil, err
	}
	return &p, nil
}

// productEnterpriseDest lists scan destinations for productColumns followed
// by enterpriseColumns.
func productEnterpriseDest(p *catalog.Product, e *catalog.Enterprise) []any {
	return append(productDest(p), &e.ID, &e.ExternalID, &e.Name, &e.Type, &e.CertNumber, &e.CertValidUntil,
		&e.BusinessNumber, &e.Region, &e.Representative, &e.Phone, &e.Email, &e.Address, &e.Mission,
		&e.Description, &e.Shipping.Fee, &e.Shipping.FreeThreshold, &e.Shipping.RemoteSurcharge, &e.Status,
		&e.ReviewProducts, &e.CreatedAt, &e.UpdatedAt, &e.Return.Postcode, &e.Return.Road, &e.Return.Detail, &e.Return.Phone)
}

// FindProductByID returns an active product of an active enterprise with its
// enterprise, category, options and images.
func (s *CatalogStore) FindProductByID(ctx context.Context, id int64) (*catalog.Product, error) {
	return findFullProduct(ctx, s.pool, `p.id = $1 AND p.status = 'active' AND e.status = 'active'`, id)
}

var _ catalog.PageReader = (*CatalogStore)(nil)

// FindProductPage implements catalog.PageReader: the product as
// FindProductByID reads it and, in the same query, its reviews' summary,
// its question count, its enterprise's consumer commission on day (rateExpr)
// and its enterprise's impact figures.
func (s *CatalogStore) FindProductPage(ctx context.Context, id int64, day time.Time) (*catalog.Product, *catalog.PageFacts, error) {
	f := catalog.PageFacts{Day: day}
	var kinds, bases []string
	var values []int64
	var years []int32
	var ats []time.Time
	p, err := findFullProductWith(ctx, s.pool, `,
			(SELECT count(*) FROM reviews r WHERE r.product_id = p.id AND r.hidden_at IS NULL),
			(SELECT coalesce(sum(r.rating), 0) FROM reviews r WHERE r.product_id = p.id AND r.hidden_at IS NULL),
			(SELECT count(*) FROM questions q WHERE q.product_id = p.id),
			`+rateExpr("p.enterprise_id", "'consumer'", "$2::date")+`,
			fg.kinds, fg.vals, fg.years, fg.bases, fg.ats`,
		`CROSS JOIN LATERAL (SELECT array_agg(kind ORDER BY `+kindOrder+`) kinds, array_agg(value ORDER BY `+kindOrder+`) vals,
			array_agg(year ORDER BY `+kindOrder+`) years, array_agg(basis ORDER BY `+kindOrder+`) bases,
			array_agg(updated_at ORDER BY `+kindOrder+`) ats
			FROM enterprise_impacts WHERE enterprise_id = p.enterprise_id) fg`,
		[]any{&f.ReviewCount, &f.ReviewSum, &f.QuestionCount, &f.ConsumerRateBP, &kinds, &values, &years, &bases, &ats},
		`p.id = $1 AND p.status = 'active' AND e.status = 'active'`, id, day)
	if err != nil {
		return nil, nil, err
	}
	for i := range kinds {
		f.Figures = append(f.Figures, impact.Figure{Kind: impact.Kind(kinds[i]), Value: values[i], Year: int(years[i]),
			Basis: bases[i], UpdatedAt: ats[i]})
	}
	return p, &f, nil
}

// findFullProduct returns the product matching cond (on p and e) with its
// enterprise, category, options and images, in one round trip: the options
// and images come aggregated into arrays (one per column, each in the same
// order) in the product's row.
func findFullProduct(ctx context.Context, q querier, cond string, args ...any) (*catalog.Product, error) {
	return findFullProductWith(ctx, q, "", "", nil, cond, args...)
}

// findFullProductWith is findFullProduct with more columns (cols, starting
// with a comma, scanned into dest) from more joins (from).
func findFullProductWith(ctx context.Context, q querier, cols, from string, dest []any, cond string, args ...any) (*catalog.Product, error) {
	row := q.QueryRow(ctx, `SELECT `+productColumns+`, `+enterpriseColumns+`,
			c.id, c.external_id, c.slug, c.parent_id, c.name, c.position, `+optionArrays+`,
			i.urls, i.alts, i.thumbs, `+tierArrays+cols+`
		FROM products p
		JOIN enterprises e ON e.id = p.enterprise_id
		JOIN categories c ON c.id = p.category_id
		CROSS JOIN LATERAL (`+optionArraysFrom+`) o
		CROSS JOIN LATERAL (`+imageArraysFrom+`) i
		CROSS JOIN LATERAL (`+tierArraysFrom+`) t
		`+from+`
		WHERE `+cond, args...)
	var p catalog.Product
	var e catalog.Enterprise
	var c catalog.Category
	var o optionCols
	var im imageCols
	var tc tierCols
	all := append(productEnterpriseDest(&p, &e), &c.ID, &c.ExternalID, &c.Slug, &c.ParentID, &c.Name, &c.Position)
	all = append(append(append(append(all, o.dest()...), im.dest()...), tc.dest()...), dest...)
	if err := row.Scan(all...); err != nil {
		return nil, translate(err, "상품")
	}
	tc.fill(&p)
	p.Enterprise, p.Category = &e, &c
	p.Options = o.options()
	if p.Options == nil {
		p.Options = []catalog.Option{}
	}
	p.Images = im.images()
	return &p, nil
}

// imageArraysFrom is a lateral subquery (aliased i) giving a product's images
// as parallel arrays in order: i.urls, i.alts, i.thumbs (NULL when none).
const imageArraysFrom = `SELECT array_agg(url ORDER BY position) AS urls, array_agg(alt ORDER BY position) AS alts,
			array_agg(thumb_url ORDER BY position) AS thumbs
		FROM product_images WHERE product_id = p.id`

// imageCols receives i.urls, i.alts, i.thumbs.
type imageCols struct{ urls, alts, thumbs []string }

func (im *imageCols) dest() []any { return []any{&im.urls, &im.alts, &im.thumbs} }

// images returns the images, an empty slice when there are none.
func (im *imageCols) images() []catalog.Image {
	out := make([]catalog.Image, len(im.urls))
	for i := range im.urls {
		out[i] = catalog.Image{URL: im.urls[i], Alt: im.alts[i], ThumbURL: im.thumbs[i]}
	}
	return out
}

// optionArrays are a product's options as parallel arrays, ordered by
// position then id, from the lateral subquery optionArraysFrom aliased o.
// An aggregate without GROUP BY always yields one row: NULL arrays when the
// product has no options.
const (
	optionArrays     = `o.ids, o.codes, o.names, o.extra_prices, o.stocks`
	optionArraysFrom = `SELECT array_agg(id ORDER BY position, id) AS ids,
			array_agg(code ORDER BY position, id) AS codes,
			array_agg(name ORDER BY position, id) AS names,
			array_agg(extra_price ORDER BY position, id) AS extra_prices,
			array_agg(stock ORDER BY position, id) AS stocks
		FROM product_options WHERE product_id = p.id`
)

// optionCols receives optionArrays.
type optionCols struct {
	ids, extra []int64
	codes      []string
	names      []string
	stocks     []int32
}

func (o *optionCols) dest() []any {
	return []any{&o.ids, &o.codes, &o.names, &o.extra, &o.stocks}
}

// options returns the options, nil when there are none.
func (o *optionCols) options() []catalog.Option {
	if len(o.ids) == 0 {
		return nil
	}
	out := make([]catalog.Option, len(o.ids))
	for i := range o.ids {
		out[i] = catalog.Option{ID: o.ids[i], Code: o.codes[i], Name: o.names[i], ExtraPrice: o.extra[i], Stock: int(o.stocks[i])}
	}
	return out
}

// tierArrays are a product's volume tiers of both price lists as parallel
// arrays ordered by list then minimum quantity, from the lateral subquery
// tierArraysFrom aliased t (NULL arrays when it has none).
const (
	tierArrays     = `t.lists, t.min_quantities, t.unit_prices`
	tierArraysFrom = `SELECT array_agg(list ORDER BY list, min_quantity) AS lists,
			array_agg(min_quantity ORDER BY list, min_quantity) AS min_quantities,
			array_agg(unit_price ORDER BY list, min_quantity) AS unit_prices
		FROM product_price_tiers WHERE product_id = p.id`
)

// tierCols receives tierArrays.
type tierCols struct {
	lists  []string
	mins   []int32
	prices []int64
}

func (tc *tierCols) dest() []any { return []any{&tc.lists, &tc.mins, &tc.prices} }

// fill sets p's ConsumerTiers and PublicTiers (nil when none).
func (tc *tierCols) fill(p *catalog.Product) {
	p.ConsumerTiers, p.PublicTiers = nil, nil
	for i, l := range tc.lists {
		t := catalog.Tier{MinQuantity: int(tc.mins[i]), UnitPrice: tc.prices[i]}
		if l == "public" {
			p.PublicTiers = append(p.PublicTiers, t)
		} else {
			p.ConsumerTiers = append(p.ConsumerTiers, t)
		}
	}
}

// FindProducts returns active products of active enterprises matching f,
// newest first, and their total count, both within the first
// catalog.MaxListed matches: a request reads at most that many rows however
// large the catalogue (the count stops there; a page past it is empty).
func (s *CatalogStore) FindProducts(ctx context.Context, f catalog.ProductFilter) ([]*catalog.Product, int, error) {
	where := []string{"p.status = 'active'", "e.status = 'active'"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	if len(f.CategoryIDs) > 0 {
		add("p.category_id = ANY($N)", f.CategoryIDs)
	}
	if f.EnterpriseID != 0 {
		add("p.enterprise_id = $N", f.EnterpriseID)
	}
	if f.Featured {
		where = append(where, "p.featured")
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 24
	}
	cond := joinAnd(where)
	var total int
	if !f.NoTotal {
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM products p JOIN enterprises e ON e.id = p.enterprise_id
			WHERE `+cond+` LIMIT `+itoa(catalog.MaxListed)+`) z`, args...).Scan(&total); err != nil {
			return nil, 0, translate(err, "상품 목록")
		}
	}
	if f.Offset >= catalog.MaxListed {
		return nil, total, nil
	}
	limit = min(limit, catalog.MaxListed-f.Offset)
	args = append(args, limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+productColumns+` FROM products p
		JOIN enterprises e ON e.id = p.enterprise_id
		WHERE `+cond+` ORDER BY p.created_at DESC, p.id DESC
		LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "상품 목록")
	}
	products, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Product, error) { return scanProduct(r) })
	if err != nil {
		return nil, 0, translate(err, "상품 목록")
	}
	return products, total, nil
}

// FindEnterpriseByID returns an active enterprise with its active product count.
func (s *CatalogStore) FindEnterpriseByID(ctx context.Context, id int64) (*catalog.Enterprise, error) {
	row := s.pool.QueryRow(ctx, `SELECT `+enterpriseColumns+`,
			(SELECT count(*) FROM products p WHERE p.enterprise_id = e.id AND p.status = 'active')
		FROM enterprises e WHERE e.id = $1 AND e.status = 'active'`, id)
	var n int
	e, err := scanEnterprise(row, &n)
	if err != nil {
		return nil, translate(err, "기업")
	}
	e.ProductCount = n
	return e, nil
}

// FindDirectory returns a page of the active enterprises matching f with
// their product counts, and the counts per type and per region: one
// grouped count and one page query, whatever the page holds.
func (s *CatalogStore) FindDirectory(ctx context.Context, f catalog.DirectoryFilter) (*catalog.Directory, error) {
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	nameCond, args := "", []any{}
	if f.Query != "" {
		args = append(args, "%"+likeEscape(f.Query)+"%")
		nameCond = " AND e.name ILIKE $1"
	}
	rows, err := s.pool.Query(ctx, `SELECT e.type, e.region, count(*) FROM enterprises e
		WHERE e.status = 'active'`+nameCond+` GROUP BY e.type, e.region`, args...)
	if err != nil {
		return nil, translate(err, "기업 목록")
	}
	d := &catalog.Directory{TypeCounts: map[catalog.EnterpriseType]int{}, RegionCounts: map[catalog.Region]int{}}
	for rows.Next() {
		var t catalog.EnterpriseType
		var r catalog.Region
		var n int
		if err := rows.Scan(&t, &r, &n); err != nil {
			rows.Close()
			return nil, translate(err, "기업 목록")
		}
		typeOK, regionOK := f.Type == "" || t == f.Type, f.Region == "" || r == f.Region
		if regionOK {
			d.TypeCounts[t] += n
		}
		if typeOK {
			d.RegionCounts[r] += n
		}
		if typeOK && regionOK {
			d.Total += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, translate(err, "기업 목록")
	}
	if d.Total == 0 || f.Offset >= d.Total {
		return d, nil
	}
	where := "e.status = 'active'" + nameCond
	if f.Type != "" {
		args = append(args, f.Type)
		where += " AND e.type = $" + itoa(len(args))
	}
	if f.Region != "" {
		args = append(args, f.Region)
		where += " AND e.region = $" + itoa(len(args))
	}
	order := `e.sort_name COLLATE "C", e.id`
	if f.Sort == catalog.DirectoryNewest {
		order = "e.created_at DESC, e.id DESC"
	}
	args = append(args, limit, f.Offset)
	// The product count is a subquery of the select list, so PostgreSQL
	// counts only the page's rows, after the limit.
	rows, err = s.pool.Query(ctx, `SELECT `+enterpriseColumns+`,
			(SELECT count(*) FROM products p WHERE p.enterprise_id = e.id AND p.status = 'active')
		FROM enterprises e WHERE `+where+` ORDER BY `+order+`
		LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, translate(err, "기업 목록")
	}
	d.Enterprises, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Enterprise, error) {
		var n int
		e, err := scanEnterprise(r, &n)
		if err == nil {
			e.ProductCount = n
		}
		return e, err
	})
	if err != nil {
		return nil, translate(err, "기업 목록")
	}
	return d, nil
}

// FindCategories returns every category, ordered by position then name.
func (s *CatalogStore) FindCategories(ctx context.Context) ([]*catalog.Category, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, external_id, slug, parent_id, name, position
		FROM categories ORDER BY position, name, id`)
	if err != nil {
		return nil, translate(err, "카테고리")
	}
	cats, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Category, error) {
		var c catalog.Category
		err := r.Scan(&c.ID, &c.ExternalID, &c.Slug, &c.ParentID, &c.Name, &c.Position)
		return &c, err
	})
	if err != nil {
		return nil, translate(err, "카테고리")
	}
	return cats, nil
}
