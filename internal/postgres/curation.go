package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/pricing"
)

// CurationStore keeps campaigns, their products and booths.
type CurationStore struct{ pool *pgxpool.Pool }

// NewCurationStore returns a CurationStore on pool.
func NewCurationStore(pool *pgxpool.Pool) *CurationStore { return &CurationStore{pool: pool} }

var _ curation.Store = (*CurationStore)(nil)

const campaignColumns = `c.id, c.slug, c.kind, c.title, c.summary, c.body, c.banner_url, c.banner_alt, c.starts_at,
	c.ends_at, c.status, c.featured, c.rule_types, c.rule_regions, coalesce(c.rule_category_id, 0), c.rule_keyword,
	coalesce(c.discount_kind, ''), c.discount_value, coalesce(c.discount_funded_by, ''), c.created_at, c.updated_at`

func scanCampaign(row pgx.Row) (*curation.Campaign, error) {
	c := &curation.Campaign{}
	var types, regions []string
	err := row.Scan(&c.ID, &c.Slug, &c.Kind, &c.Title, &c.Summary, &c.Body, &c.BannerURL, &c.BannerAlt, &c.StartsAt,
		&c.EndsAt, &c.Status, &c.Featured, &types, &regions, &c.Rule.CategoryID, &c.Rule.Keyword,
		&c.DiscountKind, &c.DiscountValue, &c.FundedBy, &c.CreatedAt, &c.UpdatedAt)
	for _, t := range types {
		c.Rule.Types = append(c.Rule.Types, catalog.EnterpriseType(t))
	}
	for _, r := range regions {
		c.Rule.Regions = append(c.Rule.Regions, catalog.Region(r))
	}
	return c, err
}

// liveCond is the SQL of a campaign c live at $n.
func liveCond(n int) string {
	return fmt.Sprintf(`c.status = 'published' AND c.starts_at <= $%d AND $%[1]d < c.ends_at`, n)
}

// matchCond is the SQL of product p (of enterprise e) being in campaign c
// as stored: hand-picked, or matching its rule.
const matchCond = `(EXISTS (SELECT 1 FROM campaign_products cp WHERE cp.campaign_id = c.id AND cp.product_id = p.id)
	OR ((cardinality(c.rule_types) > 0 OR cardinality(c.rule_regions) > 0 OR c.rule_category_id IS NOT NULL OR c.rule_keyword <> '')
		AND (cardinality(c.rule_types) = 0 OR e.type = ANY (c.rule_types))
		AND (cardinality(c.rule_regions) = 0 OR e.region = ANY (c.rule_regions))
		AND (c.rule_category_id IS NULL OR p.category_id = c.rule_category_id
			OR p.category_id IN (SELECT id FROM categories WHERE parent_id = c.rule_category_id))
		AND (c.rule_keyword = '' OR strpos(lower(p.name || ' ' || p.summary), lower(c.rule_keyword)) > 0)))`

// ruleArgs are a campaign's list as parameters of paramMatch: $1 the
// hand-picked ids, $2 types, $3 regions, $4 category (0: none), $5 keyword.
func ruleArgs(c *curation.Campaign) []any {
	types := make([]string, 0, len(c.Rule.Types))
	for _, t := range c.Rule.Types {
		types = append(types, string(t))
	}
	regions := make([]string, 0, len(c.Rule.Regions))
	for _, r := range c.Rule.Regions {
		regions = append(regions, string(r))
	}
	ids := c.ProductIDs
	if ids == nil {
		ids = []int64{}
	}
	return []any{ids, types, regions, c.Rule.CategoryID, c.Rule.Keyword}
}

// paramMatch is matchCond on a campaign given as ruleArgs, saved or not.
const paramMatch = `(p.id = ANY ($1::bigint[])
	OR ((cardinality($2::text[]) > 0 OR cardinality($3::text[]) > 0 OR $4::bigint <> 0 OR $5::text <> '')
		AND (cardinality($2::text[]) = 0 OR e.type = ANY ($2::text[]))
		AND (cardinality($3::text[]) = 0 OR e.region = ANY ($3::text[]))
		AND ($4::bigint = 0 OR p.category_id = $4 OR p.category_id IN (SELECT id FROM categories WHERE parent_id = $4))
		AND ($5::text = '' OR strpos(lower(p.name || ' ' || p.summary), lower($5::text)) > 0)))`

func campaignArgs(c *curation.Campaign) []any {
	r := ruleArgs(c)
	var cat *int64
	if c.Rule.CategoryID != 0 {
		cat = &c.Rule.CategoryID
	}
	var kind, funded *string
	if c.DiscountKind != "" {
		kind, funded = &c.DiscountKind, &c.FundedBy
	}
	return []any{c.Slug, c.Kind, c.Title, c.Summary, c.Body, c.StartsAt, c.EndsAt, c.Status, c.Featured,
		r[1], r[2], cat, c.Rule.Keyword, kind, c.DiscountValue, funded}
}

func translateCampaign(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "campaigns_slug_key" {
		msg := "이미 쓰고 있는 주소 이름입니다. 다른 이름을 넣어 주세요."
		return &apperr.Error{Code: apperr.Conflict, Message: msg, Fields: apperr.Fields{"slug": msg}}
	}
	if errors.As(err, &pgErr) && pgErr.Code == "23503" && pgErr.ConstraintName == "campaign_products_product_id_fkey" {
		msg := "없는 상품 번호가 있습니다. 상품 번호를 확인해 주세요."
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"products": msg}}
	}
	if errors.As(err, &pgErr) && pgErr.Code == "23503" && pgErr.ConstraintName == "campaigns_rule_category_id_fkey" {
		msg := "카테고리를 목록에서 골라 주세요."
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"category_id": msg}}
	}
	return translate(err, "기획전")
}

func writeProducts(ctx context.Context, tx pgx.Tx, c *curation.Campaign) error {
	if _, err := tx.Exec(ctx, `DELETE FROM campaign_products WHERE campaign_id = $1`, c.ID); err != nil {
		return fmt.Errorf("postgres: campaign products: %w", err)
	}
	if len(c.ProductIDs) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO campaign_products (campaign_id, product_id, position)
		SELECT $1, id, n FROM unnest($2::bigint[]) WITH ORDINALITY AS u (id, n)`, c.ID, c.ProductIDs)
	return err
}

// CreateCampaign implements curation.Store.
func (s *CurationStore) CreateCampaign(ctx context.Context, c *curation.Campaign, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: create campaign: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	err = tx.QueryRow(ctx, `INSERT INTO campaigns (slug, kind, title, summary, body, starts_at, ends_at, status, featured,
			rule_types, rule_regions, rule_category_id, rule_keyword, discount_kind, discount_value, discount_funded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		RETURNING id, created_at, updated_at`, campaignArgs(c)...).Scan(&c.ID, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return translateCampaign(err)
	}
	if err := writeProducts(ctx, tx, c); err != nil {
		return translateCampaign(err)
	}
	if audit != nil {
		audit.EntityID = strconv.FormatInt(c.ID, 10)
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// UpdateCampaign implements curation.Store.
func (s *CurationStore) UpdateCampaign(ctx context.Context, c *curation.Campaign, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: update campaign: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	args := append(campaignArgs(c), c.ID)
	err = tx.QueryRow(ctx, `UPDATE campaigns SET slug = $1, kind = $2, title = $3, summary = $4, body = $5,
			starts_at = $6, ends_at = $7, status = $8, featured = $9, rule_types = $10, rule_regions = $11,
			rule_category_id = $12, rule_keyword = $13, discount_kind = $14, discount_value = $15,
			discount_funded_by = $16, updated_at = now()
		WHERE id = $17 RETURNING updated_at`, args...).Scan(&c.UpdatedAt)
	if err != nil {
		return translateCampaign(err)
	}
	if err := writeProducts(ctx, tx, c); err != nil {
		return translateCampaign(err)
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// SetBanner implements curation.Store.
func (s *CurationStore) SetBanner(ctx context.Context, id int64, img curation.Image, audit *account.AuditRecord) error {
	return s.inTx(ctx, "campaign banner", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE campaigns SET banner_url = $2, banner_alt = $3, updated_at = now() WHERE id = $1`,
			id, img.URL, img.Alt)
		if err != nil {
			return translateCampaign(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "찾는 기획전이 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// DeleteCampaign implements curation.Store.
func (s *CurationStore) DeleteCampaign(ctx context.Context, id int64, audit *account.AuditRecord) error {
	return s.inTx(ctx, "delete campaign", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM campaigns WHERE id = $1`, id)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23503" {
			return apperr.Errorf(apperr.Conflict, "이 기획전으로 할인된 주문이 있어 지울 수 없습니다. 비공개(초안)로 돌려 주세요.")
		}
		if err != nil {
			return translateCampaign(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "찾는 기획전이 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

func (s *CurationStore) inTx(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	return (&AccountStore{pool: db{s.pool}}).inTx(ctx, what, fn)
}

// FindCampaign implements curation.Store.
func (s *CurationStore) FindCampaign(ctx context.Context, id int64, liveAt *time.Time) (*curation.Campaign, error) {
	return s.findCampaign(ctx, `c.id = $1`, id, liveAt)
}

// FindCampaignBySlug implements curation.Store.
func (s *CurationStore) FindCampaignBySlug(ctx context.Context, slug string, liveAt *time.Time) (*curation.Campaign, error) {
	return s.findCampaign(ctx, `c.slug = $1`, slug, liveAt)
}

func (s *CurationStore) findCampaign(ctx context.Context, cond string, arg any, liveAt *time.Time) (*curation.Campaign, error) {
	args := []any{arg}
	if liveAt != nil {
		cond += ` AND ` + liveCond(2)
		args = append(args, *liveAt)
	}
	c, err := scanCampaign(s.pool.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns c WHERE `+cond, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 기획전이 없습니다.")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find campaign: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT product_id FROM campaign_products WHERE campaign_id = $1 ORDER BY position`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: campaign products: %w", err)
	}
	if c.ProductIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, fmt.Errorf("postgres: campaign products: %w", err)
	}
	if c.Booths, err = s.booths(ctx, `b.campaign_id = $1`, c.ID); err != nil {
		return nil, err
	}
	for _, b := range c.Booths {
		b.Campaign = c
	}
	return c, nil
}

// FindCampaigns implements curation.Store.
func (s *CurationStore) FindCampaigns(ctx context.Context, f curation.Filter) ([]*curation.Campaign, int, error) {
	where, args := []string{"true"}, []any{}
	if f.LiveAt != nil {
		args = append(args, *f.LiveAt)
		where = append(where, liveCond(len(args)))
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where = append(where, fmt.Sprintf("c.kind = $%d", len(args)))
	}
	if f.Featured {
		where = append(where, "c.featured")
	}
	cond := joinAnd(where)
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM campaigns c WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count campaigns: %w", err)
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+campaignColumns+` FROM campaigns c WHERE `+cond+
		fmt.Sprintf(` ORDER BY c.starts_at DESC, c.id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find campaigns: %w", err)
	}
	defer rows.Close()
	var out []*curation.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("postgres: find campaigns: %w", err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// CampaignProducts implements curation.Store.
func (s *CurationStore) CampaignProducts(ctx context.Context, c *curation.Campaign, ent int64, limit int) ([]*catalog.Product, error) {
	args := append(ruleArgs(c), ent, limit)
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.enterprise_id, p.category_id, p.kind, p.name, p.summary, p.tax_type,
			p.consumer_price, p.public_price, p.stock, p.status, e.name, e.type, e.region,
			coalesce((SELECT i.url FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), '')
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND ($6::bigint = 0 OR p.enterprise_id = $6) AND `+paramMatch+`
		ORDER BY coalesce(array_position($1::bigint[], p.id), 2147483647), p.id DESC
		LIMIT $7`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: campaign products: %w", err)
	}
	defer rows.Close()
	var out []*catalog.Product
	for rows.Next() {
		p := &catalog.Product{Enterprise: &catalog.Enterprise{}}
		var img string
		if err := rows.Scan(&p.ID, &p.EnterpriseID, &p.CategoryID, &p.Kind, &p.Name, &p.Summary, &p.TaxType,
			&p.ConsumerPrice, &p.PublicPrice, &p.Stock, &p.Status, &p.Enterprise.Name, &p.Enterprise.Type,
			&p.Enterprise.Region, &img); err != nil {
			return nil, fmt.Errorf("postgres: campaign products: %w", err)
		}
		p.Enterprise.ID = p.EnterpriseID
		if img != "" {
			p.Images = []catalog.Image{{URL: img}}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CheapestProduct implements curation.Store.
func (s *CurationStore) CheapestProduct(ctx context.Context, c *curation.Campaign) (string, int64, bool, error) {
	var name string
	var price int64
	err := s.pool.QueryRow(ctx, `SELECT p.name, p.consumer_price
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status <> 'archived' AND `+paramMatch+`
		ORDER BY p.consumer_price, p.id LIMIT 1`, ruleArgs(c)...).Scan(&name, &price)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, false, nil
	}
	if err != nil {
		return "", 0, false, fmt.Errorf("postgres: cheapest campaign product: %w", err)
	}
	return name, price, true, nil
}

// ConsumerDiscounts implements curation.Store.
func (s *CurationStore) ConsumerDiscounts(ctx context.Context, ids []int64, at time.Time) (map[int64][]pricing.Discount, error) {
	return s.discounts(ctx, `p.id = ANY ($1::bigint[])`, ids, at)
}

// DiscountsLive implements curation.Store.
func (s *CurationStore) DiscountsLive(ctx context.Context, at time.Time) (bool, error) {
	var live bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM campaigns c WHERE c.discount_kind IS NOT NULL AND `+liveCond(1)+`)`,
		at).Scan(&live); err != nil {
		return false, fmt.Errorf("postgres: live discount campaigns: %w", err)
	}
	return live, nil
}

// AllConsumerDiscounts implements curation.Store.
func (s *CurationStore) AllConsumerDiscounts(ctx context.Context, at time.Time) (map[int64][]pricing.Discount, error) {
	return s.discounts(ctx, `p.status = 'active' AND e.status = 'active' AND $1::bigint[] IS NULL`, nil, at)
}

// discounts leaves joint products (공동상품) out: their parts are paid at the
// shares the operator set, which a campaign's discount cannot split.
func (s *CurationStore) discounts(ctx context.Context, cond string, ids []int64, at time.Time) (map[int64][]pricing.Discount, error) {
	rows, err := s.pool.Query(ctx, `SELECT p.id, c.id, c.title, c.discount_kind, c.discount_value, c.discount_funded_by
		FROM campaigns c
		CROSS JOIN products p
		JOIN enterprises e ON e.id = p.enterprise_id
		WHERE `+cond+` AND c.discount_kind IS NOT NULL AND `+liveCond(2)+` AND `+matchCond+`
		  AND NOT EXISTS (SELECT 1 FROM bundle_parts bp WHERE bp.bundle_product_id = p.id)
		ORDER BY p.id, c.id`, ids, at)
	if err != nil {
		return nil, fmt.Errorf("postgres: campaign discounts: %w", err)
	}
	out := map[int64][]pricing.Discount{}
	var pid int64
	var d pricing.Discount
	var kind string
	_, err = pgx.ForEachRow(rows, []any{&pid, &d.CampaignID, &d.Campaign, &kind, &d.Value, &d.FundedBy}, func() error {
		d.Percent = kind == curation.DiscountPercent
		out[pid] = append(out[pid], d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: campaign discounts: %w", err)
	}
	return out, nil
}

// DiscountsChanged implements curation.Store. Edits count for every
// campaign (one may have lost its discount or been unpublished).
func (s *CurationStore) DiscountsChanged(ctx context.Context, at time.Time) (time.Time, error) {
	var t *time.Time
	err := s.pool.QueryRow(ctx, `SELECT max(x) FROM campaigns c, LATERAL (VALUES (c.updated_at),
			(CASE WHEN c.status = 'published' AND c.discount_kind IS NOT NULL AND c.starts_at <= $1 THEN c.starts_at END),
			(CASE WHEN c.status = 'published' AND c.discount_kind IS NOT NULL AND c.ends_at <= $1 THEN c.ends_at END)) AS v (x)
		WHERE x <= $1`, at).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("postgres: discounts changed: %w", err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}

const boothColumns = `b.id, b.campaign_id, b.enterprise_id, e.name, b.story, b.video_url, b.position,
	coalesce((SELECT json_agg(json_build_object('url', i.url, 'alt', i.alt) ORDER BY i.position)
		FROM campaign_booth_images i WHERE i.booth_id = b.id), '[]')`

type boothImage struct {
	URL string `json:"url"`
	Alt string `json:"alt"`
}

func (s *CurationStore) booths(ctx context.Context, cond string, args ...any) ([]*curation.Booth, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+boothColumns+`
		FROM campaign_booths b JOIN enterprises e ON e.id = b.enterprise_id WHERE `+cond+` ORDER BY b.position, b.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: booths: %w", err)
	}
	defer rows.Close()
	var out []*curation.Booth
	for rows.Next() {
		b := &curation.Booth{}
		var imgs []boothImage
		if err := rows.Scan(&b.ID, &b.CampaignID, &b.EnterpriseID, &b.EnterpriseName, &b.Story, &b.VideoURL, &b.Position, &imgs); err != nil {
			return nil, fmt.Errorf("postgres: booths: %w", err)
		}
		for _, im := range imgs {
			b.Images = append(b.Images, curation.Image{URL: im.URL, Alt: im.Alt})
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CreateBooth implements curation.Store.
func (s *CurationStore) CreateBooth(ctx context.Context, b *curation.Booth, audit *account.AuditRecord) error {
	return s.inTx(ctx, "create booth", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO campaign_booths (campaign_id, enterprise_id, position)
			SELECT $1, e.id, $3 FROM enterprises e WHERE e.id = $2 AND e.status = 'active'
			RETURNING id`, b.CampaignID, b.EnterpriseID, b.Position).Scan(&b.ID)
		var pgErr *pgconn.PgError
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return apperr.Errorf(apperr.Invalid, "판매 중인 입점기업을 골라 주세요.")
		case errors.As(err, &pgErr) && pgErr.Code == "23505":
			return apperr.Errorf(apperr.Conflict, "이 기업은 이미 부스가 있습니다.")
		case err != nil:
			return translate(err, "부스")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// DeleteBooth implements curation.Store.
func (s *CurationStore) DeleteBooth(ctx context.Context, id int64, audit *account.AuditRecord) error {
	return s.inTx(ctx, "delete booth", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM campaign_booths WHERE id = $1`, id)
		if err != nil {
			return translate(err, "부스")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "찾는 부스가 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// FindBooth implements curation.Store.
func (s *CurationStore) FindBooth(ctx context.Context, id, ent int64) (*curation.Booth, error) {
	bs, err := s.booths(ctx, `b.id = $1 AND ($2::bigint = 0 OR b.enterprise_id = $2)`, id, ent)
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 부스가 없습니다.")
	}
	b := bs[0]
	if b.Campaign, err = s.findCampaign(ctx, `c.id = $1`, b.CampaignID, nil); err != nil {
		return nil, err
	}
	return b, nil
}

// UpdateBooth implements curation.Store.
func (s *CurationStore) UpdateBooth(ctx context.Context, b *curation.Booth, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: update booth: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	tag, err := tx.Exec(ctx, `UPDATE campaign_booths SET story = $2, video_url = $3, updated_at = now() WHERE id = $1`,
		b.ID, b.Story, b.VideoURL)
	if err != nil {
		return translate(err, "부스")
	}
	if tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.NotFound, "찾는 부스가 없습니다.")
	}
	if _, err := tx.Exec(ctx, `DELETE FROM campaign_booth_images WHERE booth_id = $1`, b.ID); err != nil {
		return fmt.Errorf("postgres: booth images: %w", err)
	}
	for i, im := range b.Images {
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_booth_images (booth_id, position, url, alt) VALUES ($1, $2, $3, $4)`,
			b.ID, i, im.URL, im.Alt); err != nil {
			return fmt.Errorf("postgres: booth images: %w", err)
		}
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// FindBoothsOfEnterprise implements curation.Store.
func (s *CurationStore) FindBoothsOfEnterprise(ctx context.Context, ent int64) ([]*curation.Booth, error) {
	bs, err := s.booths(ctx, `b.enterprise_id = $1`, ent)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		if b.Campaign, err = scanCampaign(s.pool.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns c WHERE c.id = $1`, b.CampaignID)); err != nil {
			return nil, fmt.Errorf("postgres: booth campaign: %w", err)
		}
	}
	return bs, nil
}
