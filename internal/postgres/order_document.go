package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/document"
)

// FindDocumentParties reads the institution (with the buyer's department)
// and the enterprises' current contact details.
func (s *OrderStore) FindDocumentParties(ctx context.Context, institutionID, userID int64, enterpriseIDs []int64) (document.Party, map[int64]document.Party, error) {
	var b document.Party
	var road, detail string
	err := s.pool.QueryRow(ctx, `SELECT i.name, i.id_number, i.road_address, i.detail_address, i.phone,
			coalesce((SELECT m.department FROM institution_members m WHERE m.user_id = $2 AND m.institution_id = i.id), '')
		FROM institutions i WHERE i.id = $1`, institutionID, userID).Scan(&b.Name, &b.IDNumber, &road, &detail, &b.Phone, &b.Department)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, nil, apperr.Errorf(apperr.NotFound, "주문한 기관을 찾을 수 없습니다.")
	}
	if err != nil {
		return b, nil, fmt.Errorf("postgres: document buyer %d: %w", institutionID, err)
	}
	b.Address = strings.TrimSpace(road + " " + detail)
	rows, err := s.pool.Query(ctx, `SELECT id, name, business_number, representative, address, phone, email
		FROM enterprises WHERE id = ANY($1)`, enterpriseIDs)
	if err != nil {
		return b, nil, fmt.Errorf("postgres: document suppliers: %w", err)
	}
	out := map[int64]document.Party{}
	var id int64
	var p document.Party
	_, err = pgx.ForEachRow(rows, []any{&id, &p.Name, &p.IDNumber, &p.Representative, &p.Address, &p.Phone, &p.Email}, func() error {
		out[id] = p
		return nil
	})
	if err != nil {
		return b, nil, fmt.Errorf("postgres: document suppliers: %w", err)
	}
	return b, out, nil
}

// FindClaimedOrders lists the invoice orders with a claim in the period.
func (s *OrderStore) FindClaimedOrders(ctx context.Context, from, to time.Time) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT order_id FROM payment_claims
		WHERE claimed_on BETWEEN $1::date AND $2::date
		GROUP BY order_id ORDER BY min(claimed_on), order_id`, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("postgres: claimed orders: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: claimed orders: %w", err)
	}
	return ids, nil
}
