package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/quote"
)

// QuoteStore keeps quote requests, the enterprises' offers, the revisions
// sent and the buyers' decisions (migrations/00011_quotes.sql).
type QuoteStore struct {
	pool db
}

var _ quote.Store = (*QuoteStore)(nil)

// NewQuoteStore returns the quote store on pool.
func NewQuoteStore(pool *pgxpool.Pool) *QuoteStore { return &QuoteStore{pool: db{pool}} }

func (s *QuoteStore) inTx(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: %s: begin: %w", what, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: %s: commit: %w", what, err)
	}
	return nil
}

// sellableItem selects an active product of an active enterprise with
// option $2 (0: a product without options); $1 is the product.
const sellableItem = `FROM products p JOIN enterprises e ON e.id = p.enterprise_id
	LEFT JOIN product_options o ON o.product_id = p.id AND o.id = $2
	WHERE p.id = $1 AND p.status = 'active' AND e.status = 'active'
	  AND (o.id IS NOT NULL OR ($2 = 0 AND NOT EXISTS (SELECT 1 FROM product_options x WHERE x.product_id = p.id)))`

// FindCatalogueItem returns an orderable catalogue item.
func (s *QuoteStore) FindCatalogueItem(ctx context.Context, productID, optionID int64) (*quote.CatalogueItem, error) {
	it := &quote.CatalogueItem{}
	err := s.pool.QueryRow(ctx, `SELECT p.id, coalesce(o.id, 0), p.name, coalesce(o.name, ''), p.unit, p.tax_type, p.enterprise_id `+
		sellableItem, productID, optionID).Scan(&it.ProductID, &it.OptionID, &it.Name, &it.OptionName, &it.Unit, &it.TaxType, &it.EnterpriseID)
	if err != nil {
		return nil, translate(err, "상품")
	}
	return it, nil
}

// DirectContractLimit reads institutions.direct_contract_limit.
func (s *QuoteStore) DirectContractLimit(ctx context.Context, institutionID int64) (int64, bool, error) {
	var limit *int64
	if err := s.pool.QueryRow(ctx, `SELECT direct_contract_limit FROM institutions WHERE id = $1`, institutionID).Scan(&limit); err != nil {
		return 0, false, translate(err, "기관")
	}
	if limit == nil {
		return 0, false, nil
	}
	return *limit, true, nil
}

// CreateRequest inserts the request, its lines and their offers in one
// transaction.
func (s *QuoteStore) CreateRequest(ctx context.Context, r *quote.Request, audit *account.AuditRecord) error {
	return s.inTx(ctx, "create quote request", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO quote_requests (number, institution_id, user_id, desired_date, postcode,
				road_address, detail_address, notes, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			r.Number, r.InstitutionID, r.UserID, r.DesiredDate, r.Place.Postcode, r.Place.Road, r.Place.Detail, r.Notes,
			r.Status, r.CreatedAt).Scan(&r.ID)
		if err != nil {
			return translate(err, "견적 요청")
		}
		for _, l := range r.Lines {
			err := tx.QueryRow(ctx, `INSERT INTO quote_request_lines (request_id, position, product_id, option_id, name,
					option_name, tax_type, quantity, unit, notes)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
				r.ID, l.Position, zeroNull(l.ProductID), zeroNull(l.OptionID), l.Name, l.OptionName, l.TaxType, l.Quantity,
				l.Unit, l.Notes).Scan(&l.ID)
			if err != nil {
				return translate(err, "견적 품목")
			}
			for _, o := range l.Offers {
				o.LineID = l.ID
				if _, err := tx.Exec(ctx, `INSERT INTO quote_line_offers (line_id, enterprise_id, routed_at) VALUES ($1, $2, $3)`,
					l.ID, o.EnterpriseID, o.RoutedAt); err != nil {
					return translate(err, "견적 품목")
				}
			}
		}
		return insertAudit(ctx, tx, audit)
	})
}

// FindRequest reads a request whole, in a few queries (never one per line).
func (s *QuoteStore) FindRequest(ctx context.Context, id int64) (*quote.Request, error) {
	r := &quote.Request{}
	err := s.pool.QueryRow(ctx, `SELECT r.id, r.number, r.institution_id, i.name, r.user_id, u.name, r.desired_date,
			r.postcode, r.road_address, r.detail_address, r.notes, r.status, r.created_at, r.updated_at
		FROM quote_requests r JOIN institutions i ON i.id = r.institution_id JOIN users u ON u.id = r.user_id
		WHERE r.id = $1`, id).Scan(&r.ID, &r.Number, &r.InstitutionID, &r.InstitutionName, &r.UserID, &r.UserName,
		&r.DesiredDate, &r.Place.Postcode, &r.Place.Road, &r.Place.Detail, &r.Notes, &r.Status, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return nil, translate(err, "견적 요청")
	}
	if err := s.fillLines(ctx, r); err != nil {
		return nil, err
	}
	if err := s.fillRevisions(ctx, r); err != nil {
		return nil, err
	}
	d := &quote.Decision{}
	var orderID *int64
	err = s.pool.QueryRow(ctx, `SELECT d.request_id, d.revision_id, v.number, d.kind, d.user_id, u.name, d.at, d.reason, d.order_id
		FROM quote_decisions d JOIN quote_revisions v ON v.id = d.revision_id JOIN users u ON u.id = d.user_id
		WHERE d.request_id = $1`, id).Scan(&d.RequestID, &d.RevisionID, &d.RevisionNumber, &d.Kind, &d.UserID, &d.UserName,
		&d.At, &d.Reason, &orderID)
	switch {
	case err == nil:
		if orderID != nil {
			d.OrderID = *orderID
		}
		r.Decision = d
	case err != pgx.ErrNoRows:
		return nil, translate(err, "견적 결정")
	}
	return r, nil
}

func (s *QuoteStore) fillLines(ctx context.Context, r *quote.Request) error {
	rows, err := s.pool.Query(ctx, `SELECT id, position, coalesce(product_id, 0), coalesce(option_id, 0), name, option_name,
			tax_type, quantity, unit, notes
		FROM quote_request_lines WHERE request_id = $1 ORDER BY position`, r.ID)
	if err != nil {
		return translate(err, "견적 품목")
	}
	r.Lines, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*quote.Line, error) {
		l := &quote.Line{}
		return l, row.Scan(&l.ID, &l.Position, &l.ProductID, &l.OptionID, &l.Name, &l.OptionName, &l.TaxType, &l.Quantity, &l.Unit, &l.Notes)
	})
	if err != nil {
		return translate(err, "견적 품목")
	}
	rows, err = s.pool.Query(ctx, `SELECT o.line_id, o.enterprise_id, e.name, o.status, coalesce(o.unit_price, 0),
			o.available_date, o.reason, o.routed_at, o.answered_at, coalesce(o.product_id, 0), coalesce(p.name, '')
		FROM quote_line_offers o JOIN quote_request_lines l ON l.id = o.line_id JOIN enterprises e ON e.id = o.enterprise_id
		LEFT JOIN products p ON p.id = o.product_id
		WHERE l.request_id = $1 ORDER BY o.routed_at, o.enterprise_id`, r.ID)
	if err != nil {
		return translate(err, "견적 답변")
	}
	offers, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*quote.Offer, error) {
		o := &quote.Offer{}
		return o, row.Scan(&o.LineID, &o.EnterpriseID, &o.EnterpriseName, &o.Status, &o.UnitPrice, &o.AvailableDate,
			&o.Reason, &o.RoutedAt, &o.AnsweredAt, &o.ProductID, &o.ProductName)
	})
	if err != nil {
		return translate(err, "견적 답변")
	}
	for _, o := range offers {
		if l := r.Line(o.LineID); l != nil {
			l.Offers = append(l.Offers, o)
		}
	}
	return nil
}

func (s *QuoteStore) fillRevisions(ctx context.Context, r *quote.Request) error {
	rows, err := s.pool.Query(ctx, `SELECT id, request_id, number, delivery_date, valid_until, remarks, direct_limit,
			items_total, shipping_total, supply, vat, total, sent_at, sent_by
		FROM quote_revisions WHERE request_id = $1 ORDER BY number`, r.ID)
	if err != nil {
		return translate(err, "견적서")
	}
	r.Revisions, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*quote.Revision, error) {
		v := &quote.Revision{}
		return v, row.Scan(&v.ID, &v.RequestID, &v.Number, &v.DeliveryDate, &v.ValidUntil, &v.Remarks, &v.DirectLimit,
			&v.ItemsTotal, &v.ShippingTotal, &v.Supply, &v.VAT, &v.Total, &v.SentAt, &v.SentBy)
	})
	if err != nil || len(r.Revisions) == 0 {
		return translate(err, "견적서")
	}
	byID := map[int64]*quote.Revision{}
	for _, v := range r.Revisions {
		byID[v.ID] = v
	}
	rows, err = s.pool.Query(ctx, `SELECT s.revision_id, s.enterprise_id, e.name, s.items_total, s.shipping, s.supply, s.vat, s.total
		FROM quote_revision_shares s JOIN quote_revisions v ON v.id = s.revision_id JOIN enterprises e ON e.id = s.enterprise_id
		WHERE v.request_id = $1 ORDER BY s.revision_id, (SELECT min(l.position) FROM quote_revision_lines rl
			JOIN quote_request_lines l ON l.id = rl.line_id WHERE rl.revision_id = s.revision_id AND rl.enterprise_id = s.enterprise_id)`, r.ID)
	if err != nil {
		return translate(err, "견적서")
	}
	_, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*quote.Share, error) {
		sh := &quote.Share{}
		var rid int64
		if err := row.Scan(&rid, &sh.EnterpriseID, &sh.EnterpriseName, &sh.ItemsTotal, &sh.Shipping, &sh.Supply, &sh.VAT, &sh.Total); err != nil {
			return nil, err
		}
		v := byID[rid]
		sh.OverLimit = sh.Total > v.DirectLimit
		v.Shares = append(v.Shares, sh)
		return sh, nil
	})
	if err != nil {
		return translate(err, "견적서")
	}
	rows, err = s.pool.Query(ctx, `SELECT rl.revision_id, rl.line_id, l.position, l.name, l.option_name, l.unit, l.tax_type,
			rl.quantity, coalesce(rl.enterprise_id, 0), coalesce(e.name, ''), rl.unit_price, rl.supply, rl.vat, rl.total,
			rl.available_date, rl.unsupplied, coalesce(rl.product_id, 0)
		FROM quote_revision_lines rl JOIN quote_revisions v ON v.id = rl.revision_id
		JOIN quote_request_lines l ON l.id = rl.line_id LEFT JOIN enterprises e ON e.id = rl.enterprise_id
		WHERE v.request_id = $1 ORDER BY rl.revision_id, l.position`, r.ID)
	if err != nil {
		return translate(err, "견적서")
	}
	_, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*quote.RevisionLine, error) {
		l := &quote.RevisionLine{}
		var rid int64
		if err := row.Scan(&rid, &l.LineID, &l.Position, &l.Name, &l.OptionName, &l.Unit, &l.TaxType, &l.Quantity,
			&l.EnterpriseID, &l.EnterpriseName, &l.UnitPrice, &l.Supply, &l.VAT, &l.Total, &l.AvailableDate, &l.Unsupplied, &l.ProductID); err != nil {
			return nil, err
		}
		byID[rid].Lines = append(byID[rid].Lines, l)
		return l, nil
	})
	return translate(err, "견적서")
}

// FindRequests lists summaries, newest first, with the total in one query.
func (s *QuoteStore) FindRequests(ctx context.Context, f quote.Filter) ([]*quote.Summary, int, error) {
	args := []any{f.EnterpriseID, f.Today}
	var where []string
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	if f.InstitutionID != 0 {
		add(`r.institution_id = $N`, f.InstitutionID)
	}
	if f.EnterpriseID != 0 {
		where = append(where, `EXISTS (SELECT 1 FROM quote_line_offers o JOIN quote_request_lines l ON l.id = o.line_id
			WHERE l.request_id = r.id AND o.enterprise_id = $1)`)
	}
	if f.Open {
		where = append(where, `r.status IN ('submitted', 'quoting', 'quoted') AND EXISTS (SELECT 1 FROM quote_line_offers o
			JOIN quote_request_lines l ON l.id = o.line_id WHERE l.request_id = r.id AND o.status = 'asked'
			AND ($1 = 0 OR o.enterprise_id = $1))`)
	}
	switch f.Status {
	case "":
	case quote.Expired:
		where = append(where, `r.status = 'quoted' AND lv.valid_until < $2`)
	case quote.Quoted:
		where = append(where, `r.status = 'quoted' AND lv.valid_until >= $2`)
	default:
		add(`r.status = $N`, string(f.Status))
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + joinAnd(where)
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.number, i.name, r.status, r.desired_date, r.created_at,
			(SELECT count(*) FROM quote_request_lines l WHERE l.request_id = r.id),
			(SELECT count(*) FROM quote_request_lines l WHERE l.request_id = r.id
				AND NOT EXISTS (SELECT 1 FROM quote_line_offers o WHERE o.line_id = l.id)),
			(SELECT count(*) FROM quote_line_offers o JOIN quote_request_lines l ON l.id = o.line_id
				WHERE l.request_id = r.id AND o.status = 'asked' AND ($1 = 0 OR o.enterprise_id = $1)),
			(SELECT count(*) FROM quote_line_offers o JOIN quote_request_lines l ON l.id = o.line_id
				WHERE l.request_id = r.id AND o.status <> 'asked' AND ($1 = 0 OR o.enterprise_id = $1)),
			coalesce(lv.number, 0),
			CASE WHEN $1 = 0 THEN coalesce(lv.total, 0) ELSE coalesce((SELECT s.total FROM quote_revision_shares s
				WHERE s.revision_id = lv.id AND s.enterprise_id = $1), 0) END,
			coalesce(lv.valid_until < $2, false),
			count(*) OVER ()
		FROM quote_requests r JOIN institutions i ON i.id = r.institution_id
		LEFT JOIN LATERAL (SELECT v.id, v.number, v.total, v.valid_until FROM quote_revisions v
			WHERE v.request_id = r.id ORDER BY v.number DESC LIMIT 1) lv ON true
		`+cond+`
		ORDER BY r.created_at DESC, r.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "견적 요청")
	}
	total := 0
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*quote.Summary, error) {
		sm := &quote.Summary{}
		var expired bool
		if err := row.Scan(&sm.ID, &sm.Number, &sm.InstitutionName, &sm.Status, &sm.DesiredDate, &sm.CreatedAt, &sm.Lines,
			&sm.Unrouted, &sm.Asked, &sm.Answered, &sm.LatestRevision, &sm.LatestTotal, &expired, &total); err != nil {
			return nil, err
		}
		if expired && sm.Status == quote.Quoted {
			sm.Status = quote.Expired
		}
		return sm, nil
	})
	if err != nil {
		return nil, 0, translate(err, "견적 요청")
	}
	return list, total, nil
}

// lockOpen locks request id for the rest of tx and returns its status;
// Conflict when it is no longer open.
func lockOpen(ctx context.Context, tx pgx.Tx, id int64) (quote.Status, error) {
	var st quote.Status
	if err := tx.QueryRow(ctx, `SELECT status FROM quote_requests WHERE id = $1 FOR UPDATE`, id).Scan(&st); err != nil {
		return "", translate(err, "견적 요청")
	}
	if st != quote.Submitted && st != quote.Quoting && st != quote.Quoted {
		return "", apperr.Errorf(apperr.Conflict, "%s 상태의 견적 요청은 바꿀 수 없습니다.", st.Label())
	}
	return st, nil
}

// startQuoting moves a submitted request to quoting.
func startQuoting(ctx context.Context, tx pgx.Tx, id int64, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE quote_requests SET status = CASE WHEN status = 'submitted' THEN 'quoting' ELSE status END,
		updated_at = $2 WHERE id = $1`, id, at)
	return translate(err, "견적 요청")
}

// RouteLine asks an active enterprise for a line.
func (s *QuoteStore) RouteLine(ctx context.Context, requestID int64, status quote.Status, lineID, enterpriseID int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "route quote line", func(tx pgx.Tx) error {
		st, err := lockOpen(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if st != status {
			return apperr.Errorf(apperr.Conflict, "견적 요청의 상태가 바뀌었습니다. 다시 확인해 주세요.")
		}
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM enterprises WHERE id = $1 AND status = 'active'`, enterpriseID).Scan(&one); err != nil {
			return translate(err, "기업")
		}
		tag, err := tx.Exec(ctx, `INSERT INTO quote_line_offers (line_id, enterprise_id, routed_at)
			SELECT l.id, $3, $4 FROM quote_request_lines l WHERE l.id = $2 AND l.request_id = $1
			ON CONFLICT DO NOTHING`, requestID, lineID, enterpriseID, at)
		if err != nil {
			return translate(err, "견적 품목")
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		if err := startQuoting(ctx, tx, requestID, at); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit)
	})
}

// AnswerLines writes the enterprise's answers.
func (s *QuoteStore) AnswerLines(ctx context.Context, requestID, enterpriseID int64, answers []quote.Answer, by int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "answer quote lines", func(tx pgx.Tx) error {
		if _, err := lockOpen(ctx, tx, requestID); err != nil {
			return err
		}
		for _, a := range answers {
			status, price, date, product := quote.Refused, any(nil), any(nil), any(nil)
			if a.Supply {
				status, price, date, product = quote.Offered, a.UnitPrice, a.AvailableDate, zeroNull(a.ProductID)
			}
			tag, err := tx.Exec(ctx, `UPDATE quote_line_offers o SET status = $4, unit_price = $5, available_date = $6,
					reason = $7, answered_at = $8, answered_by = $9, product_id = $10
				FROM quote_request_lines l
				WHERE o.line_id = l.id AND l.request_id = $1 AND o.line_id = $2 AND o.enterprise_id = $3`,
				requestID, a.LineID, enterpriseID, status, price, date, a.Reason, at, zeroNull(by), product)
			if err != nil {
				return translate(err, "견적 답변")
			}
			if tag.RowsAffected() == 0 {
				return apperr.Errorf(apperr.NotFound, "요청받지 않은 품목입니다.")
			}
		}
		if err := startQuoting(ctx, tx, requestID, at); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit)
	})
}

// CreateRevision writes a revision with its shares and lines; the
// database checks at commit that they add up.
func (s *QuoteStore) CreateRevision(ctx context.Context, v *quote.Revision, audit *account.AuditRecord) error {
	return s.inTx(ctx, "send quote revision", func(tx pgx.Tx) error {
		if _, err := lockOpen(ctx, tx, v.RequestID); err != nil {
			return err
		}
		var last int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(number), 0) FROM quote_revisions WHERE request_id = $1`, v.RequestID).Scan(&last); err != nil {
			return translate(err, "견적서")
		}
		if last != v.Number-1 {
			return apperr.Errorf(apperr.Conflict, "방금 다른 견적서(r%d)가 발송되었습니다. 다시 확인해 주세요.", last)
		}
		err := tx.QueryRow(ctx, `INSERT INTO quote_revisions (request_id, number, delivery_date, valid_until, remarks,
				direct_limit, items_total, shipping_total, supply, vat, total, sent_at, sent_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			v.RequestID, v.Number, v.DeliveryDate, v.ValidUntil, v.Remarks, v.DirectLimit, v.ItemsTotal, v.ShippingTotal,
			v.Supply, v.VAT, v.Total, v.SentAt, v.SentBy).Scan(&v.ID)
		if err != nil {
			return translate(err, "견적서")
		}
		for _, sh := range v.Shares {
			if _, err := tx.Exec(ctx, `INSERT INTO quote_revision_shares (revision_id, enterprise_id, items_total, shipping,
					supply, vat, total) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				v.ID, sh.EnterpriseID, sh.ItemsTotal, sh.Shipping, sh.Supply, sh.VAT, sh.Total); err != nil {
				return translate(err, "견적서")
			}
		}
		for _, l := range v.Lines {
			if _, err := tx.Exec(ctx, `INSERT INTO quote_revision_lines (revision_id, line_id, enterprise_id, unit_price,
					quantity, supply, vat, total, available_date, unsupplied, product_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
				v.ID, l.LineID, zeroNull(l.EnterpriseID), l.UnitPrice, l.Quantity, l.Supply, l.VAT, l.Total, l.AvailableDate,
				l.Unsupplied, zeroNull(l.ProductID)); err != nil {
				return translate(err, "견적서")
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE quote_requests SET status = 'quoted', updated_at = $2 WHERE id = $1`, v.RequestID, v.SentAt); err != nil {
			return translate(err, "견적 요청")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// Decide records the buyer's decision on a quoted request.
func (s *QuoteStore) Decide(ctx context.Context, d *quote.Decision, status quote.Status) error {
	return s.inTx(ctx, "decide quote", func(tx pgx.Tx) error {
		st, err := lockOpen(ctx, tx, d.RequestID)
		if err != nil {
			return err
		}
		if st != quote.Quoted {
			return apperr.Errorf(apperr.Conflict, "%s 상태의 견적 요청에는 답할 수 없습니다.", st.Label())
		}
		tag, err := tx.Exec(ctx, `INSERT INTO quote_decisions (request_id, revision_id, kind, user_id, at, reason, order_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			d.RequestID, d.RevisionID, d.Kind, d.UserID, d.At, d.Reason, zeroNull(d.OrderID))
		if err != nil {
			return translate(err, "견적 결정")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.Conflict, "이미 답한 견적입니다.")
		}
		_, err = tx.Exec(ctx, `UPDATE quote_requests SET status = $2, updated_at = $3 WHERE id = $1`, d.RequestID, status, d.At)
		return translate(err, "견적 요청")
	})
}

// Withdraw marks an open request withdrawn.
func (s *QuoteStore) Withdraw(ctx context.Context, requestID int64, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE quote_requests SET status = 'withdrawn', updated_at = $2
		WHERE id = $1 AND status IN ('submitted', 'quoting', 'quoted')`, requestID, at)
	if err != nil {
		return translate(err, "견적 요청")
	}
	if tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.Conflict, "이미 끝난 견적 요청입니다.")
	}
	return nil
}

// FindLinkableItems lists the enterprise's active products without
// options, services first.
func (s *QuoteStore) FindLinkableItems(ctx context.Context, enterpriseID int64) ([]*quote.CatalogueItem, error) {
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.name, p.unit, p.tax_type, p.enterprise_id
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.enterprise_id = $1 AND p.status = 'active' AND e.status = 'active'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.kind = 'service' DESC, p.name, p.id LIMIT 500`, enterpriseID)
	if err != nil {
		return nil, translate(err, "상품")
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*quote.CatalogueItem, error) {
		it := &quote.CatalogueItem{}
		return it, row.Scan(&it.ProductID, &it.Name, &it.Unit, &it.TaxType, &it.EnterpriseID)
	})
	return items, translate(err, "상품")
}
