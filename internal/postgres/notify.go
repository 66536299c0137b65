package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/order"
)

// NotifyStore implements notify.Store on notify_outbox, notifications and
// notification_prefs.
type NotifyStore struct{ pool db }

var _ notify.Store = (*NotifyStore)(nil)

// NewNotifyStore returns the notification store on pool.
func NewNotifyStore(pool *pgxpool.Pool) *NotifyStore { return &NotifyStore{pool: db{pool}} }

// ProcessEvents claims outbox events, composes their messages and inserts
// the notifications, all in one transaction.
func (s *NotifyStore) ProcessEvents(ctx context.Context, limit int, compose func(notify.Event) []notify.Message) (int, []int64, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: notify: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	rows, err := tx.Query(ctx, `SELECT id, kind, ref_id FROM notify_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: notify: claim: %w", err)
	}
	type entry struct {
		id, ref int64
		kind    string
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (entry, error) {
		var e entry
		err := r.Scan(&e.id, &e.kind, &e.ref)
		return e, err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: notify: claim: %w", err)
	}
	if len(entries) == 0 {
		return 0, nil, nil
	}
	users := map[int64]bool{}
	ids := make([]int64, len(entries))
	for i, en := range entries {
		ids[i] = en.id
		ev, ok, err := loadEvent(ctx, tx, en.kind, en.ref)
		if err != nil {
			return 0, nil, err
		}
		if !ok { // what it was about is gone (a deleted review): nothing to tell
			continue
		}
		ev.ID, ev.Kind, ev.Key = en.id, en.kind, en.kind+":"+strconv.FormatInt(en.ref, 10)
		for _, m := range compose(ev) {
			for _, r := range m.Recipients {
				added, err := insertNotification(ctx, tx, ev.Key, m, r)
				if err != nil {
					return 0, nil, err
				}
				if added && r.UserID != 0 {
					users[r.UserID] = true
				}
			}
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM notify_outbox WHERE id = ANY($1)`, ids); err != nil {
		return 0, nil, fmt.Errorf("postgres: notify: delete events: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, nil, fmt.Errorf("postgres: notify: commit: %w", err)
	}
	list := make([]int64, 0, len(users))
	for id := range users {
		list = append(list, id)
	}
	return len(entries), list, nil
}

// insertNotification adds m's notification for r unless the event already
// gave r one, with its mail queued when r has an address and wants it.
func insertNotification(ctx context.Context, q querier, key string, m notify.Message, r notify.Recipient) (bool, error) {
	recipient := "mail:" + r.Email
	if r.UserID != 0 {
		recipient = "user:" + strconv.FormatInt(r.UserID, 10)
	}
	tag, err := q.Exec(ctx, `INSERT INTO notifications (event_key, recipient, user_id, kind, title, body, link, mail_to, mail_status, mail_next_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
			CASE WHEN $8 = '' THEN 'none'
				WHEN $9 OR coalesce((SELECT p.mail FROM notification_prefs p WHERE p.user_id = $3 AND p.kind = $4), true) THEN 'pending'
				ELSE 'none' END,
			now())
		ON CONFLICT (event_key, recipient) DO NOTHING`,
		key, recipient, zeroNull(r.UserID), string(m.Kind), m.Title, m.Body, m.Link, r.Email, m.Kind.Required())
	if err != nil {
		return false, fmt.Errorf("postgres: notify: insert: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// loadEvent reads the facts of one outbox event; ok is false when its
// subject no longer exists.
func loadEvent(ctx context.Context, q querier, kind string, ref int64) (notify.Event, bool, error) {
	var e notify.Event
	var err error
	var enterpriseID int64
	switch kind {
	case "order_event":
		var orderID int64
		var courier string
		err = q.QueryRow(ctx, `SELECT ev.order_id, coalesce(ev.sub_order_id, 0), ev.reason, ev.from_status, ev.to_status, o.number,
				coalesce(o.user_id, 0), coalesce(u.email, o.buyer_email), o.buyer_name, o.total,
				coalesce(e.name, ''), coalesce(so.courier, ''), coalesce(so.tracking_number, ''), o.status = 'cancelled'
			FROM order_events ev JOIN orders o ON o.id = ev.order_id LEFT JOIN users u ON u.id = o.user_id
				LEFT JOIN sub_orders so ON so.id = ev.sub_order_id LEFT JOIN enterprises e ON e.id = so.enterprise_id
			WHERE ev.id = $1`, ref).Scan(&orderID, &e.SubOrderID, &e.Reason, &e.From, &e.To, &e.OrderNumber,
			&e.Buyer.UserID, &e.Buyer.Email, &e.BuyerName, &e.Total, &e.Enterprise, &courier, &e.Tracking, &e.OrderAlsoCxl)
		if err != nil {
			break
		}
		e.SubOrder = e.SubOrderID != 0
		if c, ok := order.CourierByCode(courier); ok {
			e.Courier, e.TrackingURL = c.Name, c.TrackingURL(e.Tracking)
		} else {
			e.Courier = courier
		}
		if !e.SubOrder && e.To == "paid" {
			e.Members, err = members(ctx, q, `SELECT DISTINCT u.id, u.email FROM sub_orders so
				JOIN enterprise_members m ON m.enterprise_id = so.enterprise_id JOIN users u ON u.id = m.user_id
				WHERE so.order_id = $1 AND u.status = 'active' ORDER BY u.id`, orderID)
		}
		if e.SubOrder && e.To == "return_requested" {
			e.Members, err = members(ctx, q, `SELECT u.id, u.email FROM sub_orders so
				JOIN enterprise_members m ON m.enterprise_id = so.enterprise_id JOIN users u ON u.id = m.user_id
				WHERE so.id = $1 AND u.status = 'active' ORDER BY u.id`, e.SubOrderID)
		}
		return e, err == nil, wrapEvent(err, kind, ref)
	case "review_new", "review_reply":
		err = q.QueryRow(ctx, `SELECT r.product_id, p.name, r.enterprise_id, r.user_id, u.email
			FROM reviews r JOIN products p ON p.id = r.product_id JOIN users u ON u.id = r.user_id WHERE r.id = $1`, ref).
			Scan(&e.ProductID, &e.ProductName, &enterpriseID, &e.Author.UserID, &e.Author.Email)
	case "question_new", "question_answer":
		err = q.QueryRow(ctx, `SELECT q.product_id, p.name, q.enterprise_id, q.user_id, u.email
			FROM questions q JOIN products p ON p.id = q.product_id JOIN users u ON u.id = q.user_id WHERE q.id = $1`, ref).
			Scan(&e.ProductID, &e.ProductName, &enterpriseID, &e.Author.UserID, &e.Author.Email)
	default:
		return e, false, nil
	}
	if err == nil && (kind == "review_new" || kind == "question_new") {
		e.Members, err = members(ctx, q, `SELECT u.id, u.email FROM enterprise_members m JOIN users u ON u.id = m.user_id
			WHERE m.enterprise_id = $1 AND u.status = 'active' ORDER BY u.id`, enterpriseID)
	}
	return e, err == nil, wrapEvent(err, kind, ref)
}

func wrapEvent(err error, kind string, ref int64) error {
	if err == nil || errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	return fmt.Errorf("postgres: notify: load %s %d: %w", kind, ref, err)
}

func members(ctx context.Context, q querier, sql string, arg int64) ([]notify.Recipient, error) {
	rows, err := q.Query(ctx, sql, arg)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (notify.Recipient, error) {
		var m notify.Recipient
		err := r.Scan(&m.UserID, &m.Email)
		return m, err
	})
}

// ClaimMails leases up to limit due mails.
func (s *NotifyStore) ClaimMails(ctx context.Context, limit int, lease time.Duration) ([]notify.PendingMail, error) {
	rows, err := s.pool.Query(ctx, `UPDATE notifications SET mail_attempts = mail_attempts + 1,
			mail_next_at = now() + make_interval(secs => $2)
		WHERE id IN (SELECT id FROM notifications WHERE mail_status = 'pending' AND mail_next_at <= now()
			ORDER BY mail_next_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
		RETURNING id, mail_to, kind, title, body, link, mail_attempts`, limit, lease.Seconds())
	if err != nil {
		return nil, fmt.Errorf("postgres: claim mails: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (notify.PendingMail, error) {
		var m notify.PendingMail
		err := r.Scan(&m.ID, &m.To, &m.Kind, &m.Title, &m.Body, &m.Link, &m.Attempts)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claim mails: %w", err)
	}
	return list, nil
}

// MailSent marks a mail delivered.
func (s *NotifyStore) MailSent(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE notifications SET mail_status = 'sent', mail_next_at = NULL, mail_error = '' WHERE id = $1`, id); err != nil {
		return fmt.Errorf("postgres: mail sent: %w", err)
	}
	return nil
}

// MailFailed records a failed attempt and when to retry (zero: give up).
func (s *NotifyStore) MailFailed(ctx context.Context, id int64, errText string, retryAt time.Time) error {
	status, next := "pending", &retryAt
	if retryAt.IsZero() {
		status, next = "failed", nil
	}
	if len(errText) > 500 {
		errText = errText[:500]
	}
	if _, err := s.pool.Exec(ctx, `UPDATE notifications SET mail_status = $2, mail_next_at = $3, mail_error = $4 WHERE id = $1`,
		id, status, next, errText); err != nil {
		return fmt.Errorf("postgres: mail failed: %w", err)
	}
	return nil
}

// FindNotifications returns a member's notifications, newest first.
func (s *NotifyStore) FindNotifications(ctx context.Context, userID int64, limit, offset int) ([]*notify.Notification, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1`, userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count notifications: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT id, user_id, kind, title, body, link, read_at IS NOT NULL, created_at
		FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`, userID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find notifications: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*notify.Notification, error) {
		var n notify.Notification
		err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.Read, &n.CreatedAt)
		return &n, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find notifications: %w", err)
	}
	return list, total, nil
}

// CountUnread returns how many of a member's notifications are unread.
func (s *NotifyStore) CountUnread(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count unread: %w", err)
	}
	return n, nil
}

// MarkRead marks id (or all, for 0) of a member's notifications read.
func (s *NotifyStore) MarkRead(ctx context.Context, userID, id int64) (string, error) {
	if id == 0 {
		if _, err := s.pool.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, userID); err != nil {
			return "", fmt.Errorf("postgres: mark read: %w", err)
		}
		return "", nil
	}
	var link string
	err := s.pool.QueryRow(ctx, `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
		RETURNING link`, id, userID).Scan(&link)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return "", apperr.Errorf(apperr.NotFound, "알림을 찾을 수 없습니다.")
		}
		return "", fmt.Errorf("postgres: mark read: %w", err)
	}
	return link, nil
}

// MailPrefs returns the kinds a member turned mail off for.
func (s *NotifyStore) MailPrefs(ctx context.Context, userID int64) (map[notify.Kind]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT kind FROM notification_prefs WHERE user_id = $1 AND NOT mail`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: mail prefs: %w", err)
	}
	kinds, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: mail prefs: %w", err)
	}
	off := map[notify.Kind]bool{}
	for _, k := range kinds {
		off[notify.Kind(k)] = true
	}
	return off, nil
}

// SetMailPrefs stores a member's mail preference per kind.
func (s *NotifyStore) SetMailPrefs(ctx context.Context, userID int64, on map[notify.Kind]bool) error {
	kinds, mails := make([]string, 0, len(on)), make([]bool, 0, len(on))
	for k, v := range on {
		kinds, mails = append(kinds, string(k)), append(mails, v)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO notification_prefs (user_id, kind, mail)
		SELECT $1, k, m FROM unnest($2::text[], $3::bool[]) AS t(k, m)
		ON CONFLICT (user_id, kind) DO UPDATE SET mail = EXCLUDED.mail`, userID, kinds, mails); err != nil {
		return fmt.Errorf("postgres: set mail prefs: %w", err)
	}
	return nil
}
