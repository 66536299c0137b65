package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/kr"
)

// HelpdeskStore implements helpdesk.Store.
type HelpdeskStore struct{ pool db }

var _ helpdesk.Store = (*HelpdeskStore)(nil)

// NewHelpdeskStore returns the help desk's store.
func NewHelpdeskStore(pool *pgxpool.Pool) *HelpdeskStore { return &HelpdeskStore{pool: db{pool}} }

func (s *HelpdeskStore) inTx(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	return (&AccountStore{pool: s.pool}).inTx(ctx, what, fn)
}

const helpRequestColumns = `r.id, r.enterprise_id, e.name, coalesce(r.opened_by, 0), coalesce(ou.name, ''), r.category, r.title,
	coalesce(r.product_id, 0), coalesce(r.sub_order_id, 0),
	coalesce('상품: ' || p.name, '주문: ' || o.number, ''),
	r.status, coalesce(r.assignee_id, 0), coalesce(au.name, ''), r.created_at, r.updated_at, r.closed_at`

const helpRequestFrom = ` FROM help_requests r
	JOIN enterprises e ON e.id = r.enterprise_id
	LEFT JOIN users ou ON ou.id = r.opened_by
	LEFT JOIN users au ON au.id = r.assignee_id
	LEFT JOIN products p ON p.id = r.product_id
	LEFT JOIN sub_orders so ON so.id = r.sub_order_id
	LEFT JOIN orders o ON o.id = so.order_id`

func scanHelpRequest(row pgx.Row) (*helpdesk.Request, error) {
	var r helpdesk.Request
	err := row.Scan(&r.ID, &r.EnterpriseID, &r.EnterpriseName, &r.OpenedBy, &r.OpenedByName, &r.Category, &r.Title,
		&r.ProductID, &r.SubOrderID, &r.Subject, &r.Status, &r.AssigneeID, &r.AssigneeName, &r.CreatedAt, &r.UpdatedAt, &r.ClosedAt)
	return &r, err
}

// CreateRequest inserts the request, its first message and attachments.
func (s *HelpdeskStore) CreateRequest(ctx context.Context, r *helpdesk.Request, m *helpdesk.Message) error {
	return s.inTx(ctx, "create help request", func(tx pgx.Tx) error {
		f := apperr.Fields{}
		if r.ProductID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM products WHERE id = $1 AND enterprise_id = $2)`,
				r.ProductID, r.EnterpriseID).Scan(&ok); err != nil {
				return translate(err, "상품")
			}
			if !ok {
				f.Add("product_id", "우리 기업의 상품 중에서 골라 주세요.")
			}
		}
		if r.SubOrderID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sub_orders WHERE id = $1 AND enterprise_id = $2)`,
				r.SubOrderID, r.EnterpriseID).Scan(&ok); err != nil {
				return translate(err, "주문")
			}
			if !ok {
				f.Add("sub_order_id", "우리 기업의 주문 중에서 골라 주세요.")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO help_requests (enterprise_id, opened_by, category, title, product_id, sub_order_id,
				status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			r.EnterpriseID, zeroNull(r.OpenedBy), r.Category, r.Title, zeroNull(r.ProductID), zeroNull(r.SubOrderID),
			r.Status, r.CreatedAt).Scan(&r.ID)
		if err != nil {
			return translate(err, "상담")
		}
		m.RequestID = r.ID
		return insertHelpMessage(ctx, tx, m)
	})
}

func insertHelpMessage(ctx context.Context, tx pgx.Tx, m *helpdesk.Message) error {
	err := tx.QueryRow(ctx, `INSERT INTO help_messages (request_id, author_id, author_role, kind, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		m.RequestID, zeroNull(m.AuthorID), string(m.AuthorRole), string(m.Kind), m.Body, m.CreatedAt).Scan(&m.ID)
	if err != nil {
		return translate(err, "상담 글")
	}
	for _, a := range m.Attachments {
		a.RequestID, a.MessageID = m.RequestID, m.ID
		err := tx.QueryRow(ctx, `INSERT INTO help_attachments (request_id, message_id, blob_key, name, content_type, size, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			a.RequestID, a.MessageID, a.Key, a.Name, a.ContentType, a.Size, m.CreatedAt).Scan(&a.ID)
		if err != nil {
			return translate(err, "첨부파일")
		}
	}
	return nil
}

// FindRequest returns a request with its thread.
func (s *HelpdeskStore) FindRequest(ctx context.Context, id, enterpriseID int64, withNotes bool) (*helpdesk.Request, error) {
	r, err := scanHelpRequest(s.pool.QueryRow(ctx, `SELECT `+helpRequestColumns+helpRequestFrom+`
		WHERE r.id = $1 AND ($2 = 0 OR r.enterprise_id = $2)`, id, enterpriseID))
	if err != nil {
		return nil, translate(err, "상담")
	}
	rows, err := s.pool.Query(ctx, `SELECT m.id, m.request_id, coalesce(m.author_id, 0), coalesce(u.name, ''), m.author_role,
			m.kind, m.body, m.created_at
		FROM help_messages m LEFT JOIN users u ON u.id = m.author_id
		WHERE m.request_id = $1 AND ($2 OR m.kind = 'message')
		ORDER BY m.created_at, m.id`, id, withNotes)
	if err != nil {
		return nil, translate(err, "상담 글")
	}
	r.Messages, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*helpdesk.Message, error) {
		var m helpdesk.Message
		err := row.Scan(&m.ID, &m.RequestID, &m.AuthorID, &m.AuthorName, &m.AuthorRole, &m.Kind, &m.Body, &m.CreatedAt)
		return &m, err
	})
	if err != nil {
		return nil, translate(err, "상담 글")
	}
	byID := make(map[int64]*helpdesk.Message, len(r.Messages))
	for _, m := range r.Messages {
		byID[m.ID] = m
	}
	rows, err = s.pool.Query(ctx, `SELECT id, request_id, message_id, blob_key, name, content_type, size
		FROM help_attachments WHERE request_id = $1 ORDER BY message_id, id`, id)
	if err != nil {
		return nil, translate(err, "첨부파일")
	}
	atts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*helpdesk.Attachment, error) {
		var a helpdesk.Attachment
		err := row.Scan(&a.ID, &a.RequestID, &a.MessageID, &a.Key, &a.Name, &a.ContentType, &a.Size)
		return &a, err
	})
	if err != nil {
		return nil, translate(err, "첨부파일")
	}
	for _, a := range atts {
		if m := byID[a.MessageID]; m != nil { // a note's files stay with the note
			m.Attachments = append(m.Attachments, a)
		}
	}
	return r, nil
}

// FindRequests returns the requests matching f and their total.
func (s *HelpdeskStore) FindRequests(ctx context.Context, f helpdesk.Filter) ([]*helpdesk.Request, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	if f.EnterpriseID != 0 {
		add("r.enterprise_id = $N", f.EnterpriseID)
	}
	if f.Status != "" {
		add("r.status = $N", string(f.Status))
	}
	if f.Open {
		where = append(where, "r.status <> 'done'")
	}
	if f.Category != "" {
		add("r.category = $N", string(f.Category))
	}
	if f.AssigneeID != 0 {
		add("r.assignee_id = $N", f.AssigneeID)
	}
	if f.Unassigned {
		where = append(where, "r.assignee_id IS NULL")
	}
	cond := "true"
	if len(where) > 0 {
		cond = joinAnd(where)
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM help_requests r WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "상담")
	}
	order := "r.created_at DESC, r.id DESC"
	if f.OldestFirst {
		order = "r.created_at, r.id"
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+helpRequestColumns+helpRequestFrom+` WHERE `+cond+`
		ORDER BY `+order+` LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "상담")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*helpdesk.Request, error) { return scanHelpRequest(row) })
	if err != nil {
		return nil, 0, translate(err, "상담")
	}
	return list, total, nil
}

// AddMessage inserts m, moves the request to status (unless ""), and writes audit.
func (s *HelpdeskStore) AddMessage(ctx context.Context, m *helpdesk.Message, status helpdesk.Status, audit *account.AuditRecord) error {
	return s.inTx(ctx, "add help message", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE help_requests SET updated_at = $2,
				status = coalesce(nullif($3, ''), status),
				closed_at = CASE WHEN $3 = '' THEN closed_at WHEN $3 = 'done' THEN $2 ELSE NULL END
			WHERE id = $1`, m.RequestID, m.CreatedAt, string(status))
		if err != nil {
			return translate(err, "상담")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "찾는 상담이 없습니다.")
		}
		if err := insertHelpMessage(ctx, tx, m); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit)
	})
}

// UpdateRequest sets status and assignee, with audit.
func (s *HelpdeskStore) UpdateRequest(ctx context.Context, id int64, status helpdesk.Status, assigneeID int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "update help request", func(tx pgx.Tx) error {
		if assigneeID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'operator' AND status = 'active')`,
				assigneeID).Scan(&ok); err != nil {
				return translate(err, "담당자")
			}
			if !ok {
				return (apperr.Fields{"assignee_id": "담당자는 운영자 중에서 골라 주세요."}).Err()
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE help_requests SET status = $2, assignee_id = $3, updated_at = $4,
				closed_at = CASE WHEN $2 <> 'done' THEN NULL WHEN status = 'done' THEN closed_at ELSE $4 END
			WHERE id = $1`, id, string(status), zeroNull(assigneeID), at)
		if err != nil {
			return translate(err, "상담")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "찾는 상담이 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// FindSubjects returns the enterprise's products and newest sub-orders.
func (s *HelpdeskStore) FindSubjects(ctx context.Context, enterpriseID int64) (*helpdesk.Subjects, error) {
	var out helpdesk.Subjects
	rows, err := s.pool.Query(ctx, `SELECT id, name FROM products WHERE enterprise_id = $1 ORDER BY name, id LIMIT 300`, enterpriseID)
	if err != nil {
		return nil, translate(err, "상품")
	}
	if out.Products, err = pgx.CollectRows(rows, pgx.RowToStructByPos[helpdesk.Subject]); err != nil {
		return nil, translate(err, "상품")
	}
	rows, err = s.pool.Query(ctx, `SELECT so.id, o.number, so.created_at FROM sub_orders so JOIN orders o ON o.id = so.order_id
		WHERE so.enterprise_id = $1 ORDER BY so.created_at DESC, so.id DESC LIMIT 50`, enterpriseID)
	if err != nil {
		return nil, translate(err, "주문")
	}
	out.Orders, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (helpdesk.Subject, error) {
		var sub helpdesk.Subject
		var number string
		var at time.Time
		err := row.Scan(&sub.ID, &number, &at)
		sub.Label = number + " (" + kr.Date(at) + ")"
		return sub, err
	})
	if err != nil {
		return nil, translate(err, "주문")
	}
	return &out, nil
}

// FindAttachment returns an attachment of a request.
func (s *HelpdeskStore) FindAttachment(ctx context.Context, requestID, id int64) (*helpdesk.Attachment, error) {
	var a helpdesk.Attachment
	err := s.pool.QueryRow(ctx, `SELECT id, request_id, message_id, blob_key, name, content_type, size
		FROM help_attachments WHERE request_id = $1 AND id = $2`, requestID, id).
		Scan(&a.ID, &a.RequestID, &a.MessageID, &a.Key, &a.Name, &a.ContentType, &a.Size)
	if err != nil {
		return nil, translate(err, "첨부파일")
	}
	return &a, nil
}

// CountByMonth counts requests per KST month and category.
func (s *HelpdeskStore) CountByMonth(ctx context.Context, from, to time.Time) ([]helpdesk.MonthCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT date_trunc('month', created_at AT TIME ZONE 'Asia/Seoul')::date, category, count(*)
		FROM help_requests WHERE created_at >= $1 AND created_at < $2
		GROUP BY 1, 2 ORDER BY 1`, from, to)
	if err != nil {
		return nil, translate(err, "상담 통계")
	}
	defer rows.Close()
	var out []helpdesk.MonthCount
	for rows.Next() {
		var month time.Time
		var cat helpdesk.Category
		var n int
		if err := rows.Scan(&month, &cat, &n); err != nil {
			return nil, translate(err, "상담 통계")
		}
		m := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, kr.Seoul())
		if len(out) == 0 || !out[len(out)-1].Month.Equal(m) {
			out = append(out, helpdesk.MonthCount{Month: m, Counts: map[helpdesk.Category]int{}})
		}
		out[len(out)-1].Counts[cat] += n
		out[len(out)-1].Total += n
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err, "상담 통계")
	}
	return out, nil
}

// FindOperators returns the active operators by name.
func (s *HelpdeskStore) FindOperators(ctx context.Context) ([]*account.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users u WHERE u.role = 'operator' AND u.status = 'active' ORDER BY u.name, u.id`)
	if err != nil {
		return nil, translate(err, "운영자")
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*account.User, error) {
		var u account.User
		err := row.Scan(userDest(&u)...)
		return &u, err
	})
}

// FindMemberEmails returns the addresses of the enterprise's active members.
func (s *HelpdeskStore) FindMemberEmails(ctx context.Context, enterpriseID int64) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT u.email FROM enterprise_members m JOIN users u ON u.id = m.user_id
		WHERE m.enterprise_id = $1 AND u.status = 'active' ORDER BY u.id`, enterpriseID)
	if err != nil {
		return nil, translate(err, "구성원")
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
