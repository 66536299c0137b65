package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
)

// AddressStore implements order.AddressStore (saved_addresses, 00029).
type AddressStore struct{ pool db }

var _ order.AddressStore = (*AddressStore)(nil)

// NewAddressStore returns the address-book store on pool.
func NewAddressStore(pool *pgxpool.Pool) *AddressStore { return &AddressStore{pool: db{pool}} }

const addressColumns = `id, user_id, label, recipient, phone, postcode, road, detail, is_default, created_at`

func scanAddress(row pgx.Row) (*order.SavedAddress, error) {
	var a order.SavedAddress
	err := row.Scan(&a.ID, &a.UserID, &a.Label, &a.Address.Recipient, &a.Address.Phone, &a.Address.Postcode,
		&a.Address.Road, &a.Address.Detail, &a.Default, &a.CreatedAt)
	return &a, err
}

// translateAddress maps the book's limit (the trigger of 00029) to a
// Conflict and the rest as translate does.
func translateAddress(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "saved_addresses_limit" {
		return apperr.Errorf(apperr.Conflict, "배송지는 %d개까지 저장할 수 있습니다. 쓰지 않는 배송지를 지운 뒤 다시 저장해 주세요.", order.MaxSavedAddresses)
	}
	return translate(err, "배송지")
}

// FindAddresses implements order.AddressStore.
func (s *AddressStore) FindAddresses(ctx context.Context, userID int64) ([]*order.SavedAddress, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+addressColumns+` FROM saved_addresses WHERE user_id = $1
		ORDER BY is_default DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: find addresses: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*order.SavedAddress, error) { return scanAddress(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: find addresses: %w", err)
	}
	return list, nil
}

// FindAddress implements order.AddressStore.
func (s *AddressStore) FindAddress(ctx context.Context, userID, id int64) (*order.SavedAddress, error) {
	a, err := scanAddress(s.pool.QueryRow(ctx, `SELECT `+addressColumns+` FROM saved_addresses
		WHERE id = $1 AND user_id = $2`, id, userID))
	if err != nil {
		return nil, translateAddress(err)
	}
	return a, nil
}

// inBook runs f in a transaction that first locks the member's users row, so
// that one member's address-book changes happen one after another (the
// default and the limit stay right under concurrent requests).
func (s *AddressStore) inBook(ctx context.Context, userID int64, f func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: address book: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
		return fmt.Errorf("postgres: address book lock: %w", err)
	}
	if err := f(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: address book commit: %w", err)
	}
	return nil
}

func clearDefault(ctx context.Context, tx pgx.Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE saved_addresses SET is_default = false WHERE user_id = $1 AND is_default`, userID); err != nil {
		return fmt.Errorf("postgres: clear default address: %w", err)
	}
	return nil
}

// CreateAddress implements order.AddressStore.
func (s *AddressStore) CreateAddress(ctx context.Context, userID int64, label string, a order.Address, makeDefault bool) (*order.SavedAddress, error) {
	var saved *order.SavedAddress
	err := s.inBook(ctx, userID, func(tx pgx.Tx) error {
		var first bool
		if err := tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM saved_addresses WHERE user_id = $1)`, userID).Scan(&first); err != nil {
			return fmt.Errorf("postgres: create address: %w", err)
		}
		makeDefault = makeDefault || first
		if makeDefault {
			if err := clearDefault(ctx, tx, userID); err != nil {
				return err
			}
		}
		var err error
		saved, err = scanAddress(tx.QueryRow(ctx, `INSERT INTO saved_addresses (user_id, label, recipient, phone, postcode, road, detail, is_default)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+addressColumns,
			userID, label, a.Recipient, a.Phone, a.Postcode, a.Road, a.Detail, makeDefault))
		return translateAddress(err)
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// UpdateAddress implements order.AddressStore.
func (s *AddressStore) UpdateAddress(ctx context.Context, userID, id int64, label string, a order.Address, makeDefault bool) error {
	return s.inBook(ctx, userID, func(tx pgx.Tx) error {
		if makeDefault {
			if err := clearDefault(ctx, tx, userID); err != nil {
				return err
			}
		}
		t, err := tx.Exec(ctx, `UPDATE saved_addresses SET label = $3, recipient = $4, phone = $5, postcode = $6, road = $7,
			detail = $8, is_default = is_default OR $9, updated_at = now() WHERE id = $1 AND user_id = $2`,
			id, userID, label, a.Recipient, a.Phone, a.Postcode, a.Road, a.Detail, makeDefault)
		if err != nil {
			return translateAddress(err)
		}
		if t.RowsAffected() == 0 {
			return translateAddress(pgx.ErrNoRows)
		}
		return nil
	})
}

// DeleteAddress implements order.AddressStore.
func (s *AddressStore) DeleteAddress(ctx context.Context, userID, id int64) error {
	return s.inBook(ctx, userID, func(tx pgx.Tx) error {
		var wasDefault bool
		err := tx.QueryRow(ctx, `DELETE FROM saved_addresses WHERE id = $1 AND user_id = $2 RETURNING is_default`, id, userID).Scan(&wasDefault)
		if err != nil {
			return translateAddress(err)
		}
		if !wasDefault {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE saved_addresses SET is_default = true WHERE id = (
			SELECT id FROM saved_addresses WHERE user_id = $1 ORDER BY id DESC LIMIT 1)`, userID)
		if err != nil {
			return fmt.Errorf("postgres: next default address: %w", err)
		}
		return nil
	})
}

// SetDefaultAddress implements order.AddressStore.
func (s *AddressStore) SetDefaultAddress(ctx context.Context, userID, id int64) error {
	return s.inBook(ctx, userID, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM saved_addresses WHERE id = $1 AND user_id = $2)`, id, userID).Scan(&exists); err != nil {
			return fmt.Errorf("postgres: default address: %w", err)
		}
		if !exists {
			return translateAddress(pgx.ErrNoRows)
		}
		if err := clearDefault(ctx, tx, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE saved_addresses SET is_default = true WHERE id = $1 AND user_id = $2`, id, userID); err != nil {
			return fmt.Errorf("postgres: default address: %w", err)
		}
		return nil
	})
}
