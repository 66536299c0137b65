package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/order"
)

// OrderStore implements order.Store: every method is one short transaction
// and none waits on anything but PostgreSQL.
type OrderStore struct {
	pool db
}

var _ order.Store = (*OrderStore)(nil)

// NewOrderStore returns an order store on pool.
func NewOrderStore(pool *pgxpool.Pool) *OrderStore { return &OrderStore{pool: db{pool}} }

// CreateOrder reserves stock with conditional updates (never read then
// write) and writes the whole order in one transaction. Concurrent calls with
// the same checkout key are serialised by an advisory lock on the key, so the
// second one finds the first one's order instead of reserving again.
func (s *OrderStore) CreateOrder(ctx context.Context, o *order.Order, ttl time.Duration) (*order.Order, bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: create order: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "checkout:"+o.CheckoutKey); err != nil {
		return nil, false, fmt.Errorf("postgres: create order: lock checkout key: %w", err)
	}
	var existing string
	err = tx.QueryRow(ctx, `SELECT number FROM orders WHERE checkout_key = $1`, o.CheckoutKey).Scan(&existing)
	switch {
	case err == nil:
		if err := tx.Commit(ctx); err != nil {
			return nil, false, fmt.Errorf("postgres: create order: commit: %w", err)
		}
		found, err := s.FindOrderByNumber(ctx, existing)
		return found, false, err
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, false, fmt.Errorf("postgres: create order: find checkout key: %w", err)
	}
	if o.CartRef != "" {
		if existing, err := sameCartOrder(ctx, tx, o); err != nil {
			return nil, false, err
		} else if existing != "" {
			if err := tx.Commit(ctx); err != nil {
				return nil, false, fmt.Errorf("postgres: create order: commit: %w", err)
			}
			found, err := s.FindOrderByNumber(ctx, existing)
			return found, false, err
		}
	}

	if err := reserve(ctx, tx, o); err != nil {
		return nil, false, err
	}
	var orderID int64
	a := o.Address
	channel, terms := o.Channel, o.Terms
	if channel == "" {
		channel = order.ChannelConsumer
	}
	if terms == "" {
		terms = order.TermsCard
	}
	var desired *string
	if o.DesiredDelivery != nil {
		d := o.DesiredDelivery.Format(time.DateOnly)
		desired = &d
	}
	err = tx.QueryRow(ctx, `INSERT INTO orders (number, checkout_key, status, buyer_name, buyer_phone, buyer_email,
			recipient, recipient_phone, postcode, road_address, detail_address, delivery_memo,
			items_total, shipping_total, total, supply_amount, vat_amount, reserved_until, user_id,
			channel, payment_terms, institution_id, quote_id, desired_delivery_date, cart_ref,
			agreed_terms_id, agreed_privacy_id, agreed_at, marketing_consent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
			now() + make_interval(secs => $18), $19, $20, $21, $22, $23, $24, NULLIF($25, ''), $26, $27, $28, $29)
		RETURNING id`,
		o.Number, o.CheckoutKey, o.Status, o.Buyer.Name, o.Buyer.Phone, o.Buyer.Email,
		a.Recipient, a.Phone, a.Postcode, a.Road, a.Detail, a.Memo,
		o.ItemsTotal, o.ShippingTotal, o.Total, o.Supply, o.VAT, ttl.Seconds(), nullID(o.UserID),
		channel, terms, nullID(o.InstitutionID), nullID(o.QuoteID), desired, o.CartRef,
		nullID(o.Consent.TermsDocID), nullID(o.Consent.PrivacyDocID), nullTime(o.Consent.At), o.Consent.Marketing).Scan(&orderID)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "orders_number_key" {
			return nil, false, order.ErrDuplicateNumber
		}
		return nil, false, translate(err, "주문")
	}
	for _, so := range o.SubOrders {
		var subID int64
		err := tx.QueryRow(ctx, `INSERT INTO sub_orders (order_id, enterprise_id, status, items_total, shipping_fee,
				remote_surcharge_applied, total)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			orderID, so.EnterpriseID, so.Status, so.ItemsTotal, so.ShippingFee, so.Remote, so.Total).Scan(&subID)
		if err != nil {
			return nil, false, translate(err, "주문")
		}
		for _, l := range so.Lines {
			_, err := tx.Exec(ctx, `INSERT INTO order_lines (order_id, sub_order_id, product_id, option_id,
					product_name, option_name, kind, tax_type, unit_price, quantity, line_total, supply_amount,
					vat_amount, enterprise_name, enterprise_type, enterprise_cert_number,
					enterprise_cert_valid_until, business_number, list_unit_price, discount_amount,
					discount_funded_by, campaign_id, bundle_product_id, bundle_name)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
					nullif($19::bigint, 0), $20, nullif($21::text, ''), $22, $23, $24)`,
				orderID, subID, l.ProductID, nullID(l.OptionID), l.Name, l.OptionName, l.Kind, l.TaxType,
				l.UnitPrice, l.Quantity, l.LineTotal, l.Supply, l.VAT, l.EnterpriseName, l.EnterpriseType,
				l.CertNumber, l.CertValidUntil, l.BusinessNumber, l.ListUnitPrice, l.DiscountAmount,
				l.DiscountFundedBy, nullID(l.CampaignID), nullID(l.BundleProductID), l.BundleName)
			if err != nil {
				return nil, false, translate(err, "주문 상품")
			}
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO order_events (order_id, from_status, to_status, reason)
		VALUES ($1, '', $2, '주문 접수')`, orderID, o.Status); err != nil {
		return nil, false, fmt.Errorf("postgres: create order: event: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, false, fmt.Errorf("postgres: create order: commit: %w", err)
	}
	saved, err := s.FindOrderByNumber(ctx, o.Number)
	return saved, true, err
}

type stockLine struct {
	productID, optionID int64
	quantity            int
	name                string
	kind                catalog.Kind
	unitPrice           int64
	// discounted lines (a campaign's price) are checked against their list
	// price, listUnitPrice: the campaign itself is priced at read time by
	// curation, not by this statement.
	discounted    bool
	listUnitPrice int64
	bundleID      int64 // the joint product the line is a part of; 0 for none
}

func orderStockLines(o *order.Order) []stockLine {
	var lines []stockLine
	for _, so := range o.SubOrders {
		for _, l := range so.Lines {
			name := l.Name
			if l.OptionName != "" {
				name += " (" + l.OptionName + ")"
			}
			lines = append(lines, stockLine{productID: l.ProductID, optionID: l.OptionID, quantity: l.Quantity,
				name: name, kind: l.Kind, unitPrice: l.UnitPrice, discounted: l.DiscountAmount > 0, listUnitPrice: l.ListUnitPrice,
				bundleID: l.BundleProductID})
		}
	}
	sortStockLines(lines)
	return lines
}

// sortStockLines orders lines by product then option, so that every
// transaction takes row locks in the same order and none deadlocks.
func sortStockLines(lines []stockLine) {
	slices.SortFunc(lines, func(a, b stockLine) int {
		if a.productID != b.productID {
			return cmpInt64(a.productID, b.productID)
		}
		return cmpInt64(a.optionID, b.optionID)
	})
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// reserve takes each line's quantity off the stock with a conditional
// update, checking in the same statement that the product is still sold at
// the price the order was built with: the consumer list's price for the
// line's quantity (its cheapest tier reached, else the base price; the
// catalogue keeps tiers lower for higher quantities, so this is
// pricing.BestTier's choice). Tier rows change only under the product's row
// lock, which this update takes. An option's stock is taken off the
// option and off its product (a product's stock is the sum of its options').
func reserve(ctx context.Context, tx pgx.Tx, o *order.Order) error {
	agreed := o.Channel == order.ChannelPublic
	lines := orderStockLines(o)
	for _, l := range lines {
		var extra int64
		if l.optionID != 0 {
			err := tx.QueryRow(ctx, `UPDATE product_options SET stock = stock - $3
				WHERE id = $1 AND product_id = $2 AND stock >= $3 RETURNING extra_price`,
				l.optionID, l.productID, l.quantity).Scan(&extra)
			if errors.Is(err, pgx.ErrNoRows) {
				var left int
				err := tx.QueryRow(ctx, `SELECT stock FROM product_options WHERE id = $1 AND product_id = $2`,
					l.optionID, l.productID).Scan(&left)
				if errors.Is(err, pgx.ErrNoRows) {
					return order.ErrPriceChanged()
				}
				if err != nil {
					return fmt.Errorf("postgres: reserve: option stock: %w", err)
				}
				return order.ErrOutOfStock(l.name, l.kind, left)
			}
			if err != nil {
				return fmt.Errorf("postgres: reserve option %d: %w", l.optionID, err)
			}
		}
		var price, base int64
		err := tx.QueryRow(ctx, `UPDATE products p SET stock = p.stock - $2, updated_at = now()
			FROM enterprises e
			WHERE p.id = $1 AND p.stock >= $2 AND p.status = 'active' AND e.id = p.enterprise_id AND e.status = 'active'
			  AND ($3 OR NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id))
			RETURNING coalesce((SELECT min(t.unit_price) FROM product_price_tiers t
				WHERE t.product_id = p.id AND t.list = 'consumer' AND t.min_quantity <= $2), p.consumer_price), p.consumer_price`,
			l.productID, l.quantity, l.optionID != 0).Scan(&price, &base)
		if errors.Is(err, pgx.ErrNoRows) {
			var left int
			var sold bool
			err := tx.QueryRow(ctx, `SELECT p.stock, p.status = 'active' AND e.status = 'active'
				FROM products p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = $1`, l.productID).Scan(&left, &sold)
			if errors.Is(err, pgx.ErrNoRows) || (err == nil && (!sold || left >= l.quantity)) {
				return order.ErrPriceChanged() // no longer sold, or it gained options
			}
			if err != nil {
				return fmt.Errorf("postgres: reserve: product stock: %w", err)
			}
			return order.ErrOutOfStock(l.name, l.kind, left)
		}
		if err != nil {
			return fmt.Errorf("postgres: reserve product %d: %w", l.productID, err)
		}
		// A public order's prices were agreed in its quote; a consumer's must
		// still be the catalogue's (before a campaign's discount, which
		// curation prices at read time), or a joint product's share.
		switch {
		case l.bundleID != 0:
			if err := checkBundleShare(ctx, tx, l); err != nil {
				return err
			}
		case agreed:
		case l.discounted && base+extra != l.listUnitPrice:
			return order.ErrPriceChanged()
		case !l.discounted && price+extra != l.unitPrice:
			return order.ErrPriceChanged()
		}
	}
	return touchProducts(ctx, tx, lines)
}

// checkBundleShare checks that the joint product l is a part of is on sale
// and still pays l's part at l's unit price (a bundle's parts and shares
// never change, but it may have been taken off sale).
func checkBundleShare(ctx context.Context, tx pgx.Tx, l stockLine) error {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM bundle_parts bp
			JOIN products b ON b.id = bp.bundle_product_id JOIN enterprises e ON e.id = b.enterprise_id
			WHERE bp.bundle_product_id = $1 AND bp.product_id = $2 AND coalesce(bp.option_id, 0) = $3
			  AND bp.share / bp.quantity = $4 AND b.status = 'active' AND e.status = 'active')`,
		l.bundleID, l.productID, l.optionID, l.unitPrice).Scan(&ok)
	if err != nil {
		return fmt.Errorf("postgres: reserve: bundle %d: %w", l.bundleID, err)
	}
	if !ok {
		return order.ErrPriceChanged()
	}
	return nil
}

// touchProducts writes a search outbox row per product whose stock changed,
// so the index's in-stock flag converges.
func touchProducts(ctx context.Context, tx pgx.Tx, lines []stockLine) error {
	var ids []int64
	for _, l := range lines {
		if len(ids) == 0 || ids[len(ids)-1] != l.productID {
			ids = append(ids, l.productID)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) SELECT 'product', unnest($1::bigint[])`, ids); err != nil {
		return fmt.Errorf("postgres: stock outbox: %w", err)
	}
	return nil
}

// release gives the stock of the lines of the sub-orders subIDs back. The
// caller holds the order's row lock and releases each sub-order once: when
// it leaves for cancelled.
func release(ctx context.Context, tx pgx.Tx, subIDs []int64) error {
	rows, err := tx.Query(ctx, `SELECT product_id, coalesce(option_id, 0), quantity FROM order_lines
		WHERE sub_order_id = ANY($1)`, subIDs)
	if err != nil {
		return fmt.Errorf("postgres: release stock: %w", err)
	}
	lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stockLine, error) {
		var l stockLine
		err := r.Scan(&l.productID, &l.optionID, &l.quantity)
		return l, err
	})
	if err != nil {
		return fmt.Errorf("postgres: release stock: %w", err)
	}
	sortStockLines(lines)
	for _, l := range lines {
		if l.optionID != 0 {
			if _, err := tx.Exec(ctx, `UPDATE product_options SET stock = stock + $2 WHERE id = $1`, l.optionID, l.quantity); err != nil {
				return fmt.Errorf("postgres: release option %d: %w", l.optionID, err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE products SET stock = stock + $2, updated_at = now() WHERE id = $1`, l.productID, l.quantity); err != nil {
			return fmt.Errorf("postgres: release product %d: %w", l.productID, err)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return touchProducts(ctx, tx, lines)
}

// nullTime is t, or NULL for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// FindOrderByNumber returns the order with its sub-orders, lines, events and
// payment (four queries whatever the size).
func (s *OrderStore) FindOrderByNumber(ctx context.Context, number string) (*order.Order, error) {
	return loadOrder(ctx, s.pool, `o.number = $1`, number)
}

// FindBuyerPhone returns the buyer's phone of the order with this number.
func (s *OrderStore) FindBuyerPhone(ctx context.Context, number string) (string, error) {
	var phone string
	err := s.pool.QueryRow(ctx, `SELECT buyer_phone FROM orders WHERE number = $1`, number).Scan(&phone)
	if err != nil {
		return "", translate(err, "주문")
	}
	return phone, nil
}

// FindOrderByCheckoutKey returns the order a checkout key created.
func (s *OrderStore) FindOrderByCheckoutKey(ctx context.Context, key string) (*order.Order, error) {
	return loadOrder(ctx, s.pool, `o.checkout_key = $1`, key)
}

// FindPendingOrderByCart returns the latest order from the cart that still
// awaits payment within its reservation.
func (s *OrderStore) FindPendingOrderByCart(ctx context.Context, cartRef string) (*order.Order, error) {
	var number string
	err := s.pool.QueryRow(ctx, `SELECT number FROM orders WHERE cart_ref = $1 AND status = 'pending_payment'
		AND reserved_until > now() ORDER BY id DESC LIMIT 1`, cartRef).Scan(&number)
	if err != nil {
		return nil, translate(err, "주문")
	}
	return s.FindOrderByNumber(ctx, number)
}

// sameCartOrder serialises the orders of o's cart (an advisory lock until
// the transaction ends) and returns the number of the latest one still
// awaiting payment within its reservation if its lines are o's (product,
// option and quantity), or "".
func sameCartOrder(ctx context.Context, tx pgx.Tx, o *order.Order) (string, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "cart:"+o.CartRef); err != nil {
		return "", fmt.Errorf("postgres: create order: lock cart: %w", err)
	}
	var want []string
	for _, so := range o.SubOrders {
		for _, l := range so.Lines {
			want = append(want, fmt.Sprintf("%d:%d:%d", l.ProductID, l.OptionID, l.Quantity))
		}
	}
	var number string
	err := tx.QueryRow(ctx, `SELECT o.number FROM orders o
		WHERE o.cart_ref = $1 AND o.status = 'pending_payment' AND o.reserved_until > now()
		  AND (SELECT array_agg(k ORDER BY k) FROM (SELECT l.product_id || ':' || coalesce(l.option_id, 0) || ':' || l.quantity AS k
		       FROM order_lines l WHERE l.order_id = o.id) t) = (SELECT array_agg(x ORDER BY x) FROM unnest($2::text[]) x)
		ORDER BY o.id DESC LIMIT 1`, o.CartRef, want).Scan(&number)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: create order: find the cart's order: %w", err)
	}
	return number, nil
}

// FindOrderNumberByPaymentRef returns the number of the latest order paid by
// the provider's payment ref.
func (s *OrderStore) FindOrderNumberByPaymentRef(ctx context.Context, provider, ref string) (string, error) {
	var number string
	err := s.pool.QueryRow(ctx, `SELECT o.number FROM payments p JOIN orders o ON o.id = p.order_id
		WHERE p.provider = $1 AND p.provider_ref = $2 ORDER BY p.id DESC LIMIT 1`, provider, ref).Scan(&number)
	if err != nil {
		return "", translate(err, "결제")
	}
	return number, nil
}

// orderQuerier is a pool or a transaction.
type orderQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// orderSelect reads orders with their latest payment and the sum of the
// refunds written for it; callers add WHERE and the rest.
const orderSelect = `SELECT o.id, o.number, o.checkout_key, o.status, coalesce(o.user_id, 0), o.buyer_name,
		o.buyer_phone, o.buyer_email, o.recipient, o.recipient_phone, o.postcode, o.road_address, o.detail_address,
		o.delivery_memo, o.items_total, o.shipping_total, o.total, o.supply_amount, o.vat_amount,
		o.reserved_until, o.created_at, o.paid_at, o.cancelled_at,
		o.channel, o.payment_terms, coalesce(o.institution_id, 0), coalesce(o.quote_id, 0), o.desired_delivery_date,
		coalesce(o.agreed_terms_id, 0), coalesce(o.agreed_privacy_id, 0), o.agreed_at, o.marketing_consent,
		p.id, p.provider, p.idempotency_key, p.provider_ref, p.client_secret, p.amount, p.status,
		p.failure_reason, p.refunded_amount, p.refunds_total
	FROM orders o
	LEFT JOIN LATERAL (SELECT py.id, py.provider, py.idempotency_key, py.provider_ref, py.client_secret, py.amount,
			py.status, py.failure_reason, py.refunded_amount,
			(SELECT coalesce(sum(r.amount), 0) FROM refunds r WHERE r.payment_id = py.id)::bigint AS refunds_total
		FROM payments py WHERE py.order_id = o.id ORDER BY py.id DESC LIMIT 1) p ON true`

func scanOrder(r pgx.CollectableRow) (*order.Order, error) {
	var o order.Order
	var pid *int64
	var pProvider, pKey, pRef, pSecret, pStatus, pFailure *string
	var pAmount, pRefunded, pRefunds *int64
	var agreedAt *time.Time
	err := r.Scan(&o.ID, &o.Number, &o.CheckoutKey, &o.Status, &o.UserID, &o.Buyer.Name, &o.Buyer.Phone,
		&o.Buyer.Email, &o.Address.Recipient, &o.Address.Phone, &o.Address.Postcode, &o.Address.Road,
		&o.Address.Detail, &o.Address.Memo, &o.ItemsTotal, &o.ShippingTotal, &o.Total, &o.Supply, &o.VAT,
		&o.ReservedUntil, &o.CreatedAt, &o.PaidAt, &o.CancelledAt,
		&o.Channel, &o.Terms, &o.InstitutionID, &o.QuoteID, &o.DesiredDelivery,
		&o.Consent.TermsDocID, &o.Consent.PrivacyDocID, &agreedAt, &o.Consent.Marketing,
		&pid, &pProvider, &pKey, &pRef, &pSecret, &pAmount, &pStatus, &pFailure, &pRefunded, &pRefunds)
	if err != nil {
		return nil, err
	}
	if agreedAt != nil {
		o.Consent.At = *agreedAt
	}
	if pid != nil {
		o.Payment = &order.Payment{ID: *pid, Provider: *pProvider, IdempotencyKey: *pKey, ClientSecret: *pSecret,
			Amount: *pAmount, Status: order.PaymentStatus(*pStatus), FailureReason: *pFailure,
			RefundedAmount: *pRefunded, RefundsTotal: *pRefunds}
		if pRef != nil {
			o.Payment.Ref = *pRef
		}
	}
	return &o, nil
}

// loadOrder returns the one order cond selects with its sub-orders, lines,
// events and payment; apperr.NotFound when there is none.
func loadOrder(ctx context.Context, q orderQuerier, cond string, arg any) (*order.Order, error) {
	list, err := loadOrders(ctx, q, cond, "", arg)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, translate(pgx.ErrNoRows, "주문")
	}
	return list[0], nil
}

// loadOrders returns the orders cond selects (tail orders and pages them)
// with their sub-orders, lines, events and payment: five queries whatever
// their number and size.
func loadOrders(ctx context.Context, q orderQuerier, cond, tail string, args ...any) ([]*order.Order, error) {
	rows, err := q.Query(ctx, orderSelect+` WHERE `+cond+` `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: load orders: %w", err)
	}
	orders, err := pgx.CollectRows(rows, scanOrder)
	if err != nil {
		return nil, translate(err, "주문")
	}
	if len(orders) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(orders))
	byID := make(map[int64]*order.Order, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
		byID[o.ID] = o
	}
	subs, err := querySubOrders(ctx, q, `SELECT `+subOrderColumns+` FROM `+subOrderFrom+`
		WHERE s.order_id = ANY($1) ORDER BY s.id`, ids)
	if err != nil {
		return nil, err
	}
	for _, x := range subs {
		o := byID[x.orderID]
		o.SubOrders = append(o.SubOrders, x.so)
	}
	if err := attachLines(ctx, q, subs, `order_id = ANY($1)`, ids); err != nil {
		return nil, err
	}
	if err := attachReturns(ctx, q, subs); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT order_id, coalesce(sub_order_id, 0), from_status, to_status, reason, created_at
		FROM order_events WHERE order_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: load order events: %w", err)
	}
	var orderID int64
	var e order.Event
	_, err = pgx.ForEachRow(rows, []any{&orderID, &e.SubOrderID, &e.From, &e.To, &e.Reason, &e.At}, func() error {
		byID[orderID].Events = append(byID[orderID].Events, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: load order events: %w", err)
	}
	return orders, nil
}

// subOrderColumns and subOrderFrom read sub-orders (s) with the refund of
// each one alone (r), for querySubOrders.
const (
	subOrderColumns = `s.id, s.order_id, s.enterprise_id, s.status, s.items_total, s.shipping_fee,
		s.remote_surcharge_applied, s.total, s.courier, s.tracking_number, s.paid_at, s.accepted_at, s.shipped_at,
		s.delivered_at, s.cancelled_at, s.cancel_reason, s.cancelled_by,
		r.id, r.payment_id, r.amount, r.reason, r.idempotency_key, r.provider_ref,
		(SELECT e.shipping_fee FROM enterprises e WHERE e.id = s.enterprise_id)`
	subOrderFrom = `sub_orders s LEFT JOIN refunds r ON r.sub_order_id = s.id`
)

// subOrderRow is a sub-order read with subOrderColumns and its order's id.
type subOrderRow struct {
	orderID int64
	so      *order.SubOrder
}

// querySubOrders runs sql, which selects subOrderColumns.
func querySubOrders(ctx context.Context, q orderQuerier, sql string, args ...any) ([]subOrderRow, error) {
	return querySubOrdersWith(ctx, q, nil, sql, args...)
}

// querySubOrdersWith runs sql, which selects subOrderColumns and then the
// columns extra returns destinations for (nil for none).
func querySubOrdersWith(ctx context.Context, q orderQuerier, extra func(*order.SubOrder) []any, sql string,
	args ...any) ([]subOrderRow, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: load sub-orders: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (subOrderRow, error) {
		so := &order.SubOrder{}
		x := subOrderRow{so: so}
		var courier, tracking string
		var rID, rPayment, rAmount *int64
		var rReason, rKey, rRef *string
		dest := []any{&so.ID, &x.orderID, &so.EnterpriseID, &so.Status, &so.ItemsTotal, &so.ShippingFee, &so.Remote,
			&so.Total, &courier, &tracking, &so.PaidAt, &so.AcceptedAt, &so.ShippedAt, &so.DeliveredAt,
			&so.CancelledAt, &so.CancelReason, &so.CancelledBy, &rID, &rPayment, &rAmount, &rReason, &rKey, &rRef,
			&so.OneWayShipping}
		if extra != nil {
			dest = append(dest, extra(so)...)
		}
		if err := r.Scan(dest...); err != nil {
			return x, err
		}
		so.SetShipment(courier, tracking)
		if rID != nil {
			so.Refund = &order.Refund{ID: *rID, PaymentID: *rPayment, SubOrderID: so.ID, Amount: *rAmount,
				Reason: *rReason, IdempotencyKey: *rKey}
			if rRef != nil {
				so.Refund.Ref = *rRef
			}
		}
		return x, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: load sub-orders: %w", err)
	}
	return list, nil
}

// attachLines loads the order lines cond selects (arg is its $1) into the
// sub-orders they belong to, in id order, and names each sub-order's
// enterprise as it was at order time.
func attachLines(ctx context.Context, q orderQuerier, subs []subOrderRow, cond string, arg any) error {
	bySub := make(map[int64]*order.SubOrder, len(subs))
	for _, x := range subs {
		bySub[x.so.ID] = x.so
	}
	rows, err := q.Query(ctx, `SELECT id, sub_order_id, product_id, coalesce(option_id, 0), product_name, option_name,
			kind, tax_type, unit_price, quantity, line_total, supply_amount, vat_amount, enterprise_name,
			enterprise_type, enterprise_cert_number, enterprise_cert_valid_until, business_number,
			list_unit_price, discount_amount, coalesce(discount_funded_by, ''), coalesce(campaign_id, 0),
			coalesce(bundle_product_id, 0), bundle_name
		FROM order_lines WHERE `+cond+` ORDER BY id`, arg)
	if err != nil {
		return fmt.Errorf("postgres: load order lines: %w", err)
	}
	var subID int64
	var l order.Line
	_, err = pgx.ForEachRow(rows, []any{&l.ID, &subID, &l.ProductID, &l.OptionID, &l.Name, &l.OptionName,
		&l.Kind, &l.TaxType, &l.UnitPrice, &l.Quantity, &l.LineTotal, &l.Supply, &l.VAT, &l.EnterpriseName,
		&l.EnterpriseType, &l.CertNumber, &l.CertValidUntil, &l.BusinessNumber,
		&l.ListUnitPrice, &l.DiscountAmount, &l.DiscountFundedBy, &l.CampaignID, &l.BundleProductID, &l.BundleName}, func() error {
		if so := bySub[subID]; so != nil {
			if so.EnterpriseName == "" {
				so.EnterpriseName = l.EnterpriseName // the name at order time
			}
			so.Lines = append(so.Lines, l)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: load order lines: %w", err)
	}
	return nil
}

// UpdateOrder records ev (if any), locks the order, lets decide look at it
// and writes the change, in one transaction.
func (s *OrderStore) UpdateOrder(ctx context.Context, number string, ev *order.ProcessedEvent,
	decide func(*order.Order) (order.Change, error)) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: update order: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if ev != nil {
		tag, err := tx.Exec(ctx, `INSERT INTO processed_events (provider, event_id, type) VALUES ($1, $2, $3)
			ON CONFLICT (provider, event_id) DO NOTHING`, ev.Provider, ev.ID, ev.Type)
		if err != nil {
			return false, fmt.Errorf("postgres: record event %s: %w", ev.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return false, nil
		}
	}
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM orders WHERE number = $1 FOR UPDATE`, number).Scan(&id); err != nil {
		return false, translate(err, "주문")
	}
	if err := s.apply(ctx, tx, id, decide); err != nil {
		return false, err
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("postgres: update order: commit: %w", err)
	}
	return true, nil
}

// FindPaymentChecks lists the orders of one kind whose payment the worker
// must settle, with each one's latest payment, by order id.
func (s *OrderStore) FindPaymentChecks(ctx context.Context, f order.PaymentCheckFilter) ([]order.PaymentCheck, error) {
	var cond string
	args := []any{f.AfterID, f.Limit}
	switch f.Kind {
	case order.CheckExpired:
		cond = `o.payment_terms = 'card' AND o.status = 'pending_payment' AND o.reserved_until < now()`
	case order.CheckAwaiting:
		cond = `o.payment_terms = 'card' AND o.status = 'pending_payment' AND o.reserved_until >= now()
			AND o.created_at < now() - make_interval(secs => $3) AND p.provider_ref IS NOT NULL`
		args = append(args, f.OlderThan.Seconds())
	case order.CheckCancelled:
		cond = `o.payment_terms = 'card' AND o.status = 'cancelled' AND o.cancelled_at > now() - make_interval(secs => $3)
			AND p.provider_ref IS NOT NULL AND p.status IN ('created', 'failed')`
		args = append(args, f.Within.Seconds())
	default:
		return nil, fmt.Errorf("postgres: payment checks: unknown kind %d", f.Kind)
	}
	rows, err := s.pool.Query(ctx, `SELECT o.id, o.number, o.reserved_until, coalesce(p.provider, ''),
			coalesce(p.provider_ref, '')
		FROM orders o
		LEFT JOIN LATERAL (SELECT provider, provider_ref, status FROM payments
			WHERE order_id = o.id ORDER BY id DESC LIMIT 1) p ON true
		WHERE o.id > $1 AND `+cond+`
		ORDER BY o.id LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: payment checks: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (order.PaymentCheck, error) {
		var c order.PaymentCheck
		err := r.Scan(&c.OrderID, &c.Number, &c.ReservedUntil, &c.Provider, &c.PaymentRef)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: payment checks: %w", err)
	}
	return list, nil
}

// statusTimes names the timestamp column each status sets.
var statusTimes = map[string]string{"paid": "paid_at", "completed": "completed_at", "cancelled": "cancelled_at",
	"accepted": "accepted_at", "shipped": "shipped_at", "delivered": "delivered_at"}

func (s *OrderStore) apply(ctx context.Context, tx pgx.Tx, id int64, decide func(*order.Order) (order.Change, error)) error {
	o, err := loadOrder(ctx, tx, `o.id = $1`, id)
	if err != nil {
		return err
	}
	c, err := decide(o)
	if err != nil {
		return err
	}
	var released []int64 // sub-orders whose stock goes back
	if c.Release {
		for _, so := range o.SubOrders {
			if so.Status != order.SubCancelled {
				released = append(released, so.ID)
			}
		}
	}
	if sc := c.Sub; sc != nil {
		so := o.SubOrder(sc.ID)
		if so == nil {
			return fmt.Errorf("postgres: sub-order %d is not part of order %s", sc.ID, o.Number)
		}
		if err := setSubStatus(ctx, tx, so, sc.To, sc.CourierCode, sc.TrackingNumber, sc.CancelReason, sc.CancelledBy); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, o.ID, so.ID, string(so.Status), string(sc.To), sc.Reason); err != nil {
			return err
		}
		if sc.Release {
			released = append(released, so.ID)
		}
	}
	if rc := c.Return; rc != nil {
		if err := writeReturn(ctx, tx, o, rc); err != nil {
			return err
		}
		if rc.Restock {
			released = append(released, rc.Return.SubOrderID)
		}
	}
	if c.To != "" && c.To != o.Status {
		if _, err := tx.Exec(ctx, `UPDATE orders SET status = $2, updated_at = now(),
				paid_at = CASE WHEN $3 = 'paid_at' THEN now() ELSE paid_at END,
				completed_at = CASE WHEN $3 = 'completed_at' THEN now() ELSE completed_at END,
				cancelled_at = CASE WHEN $3 = 'cancelled_at' THEN now() ELSE cancelled_at END
			WHERE id = $1`, o.ID, c.To, statusTimes[string(c.To)]); err != nil {
			return fmt.Errorf("postgres: order %s to %s: %w", o.Number, c.To, err)
		}
		if err := addEvent(ctx, tx, o.ID, 0, string(o.Status), string(c.To), c.Reason); err != nil {
			return err
		}
	}
	if c.SubTo != "" {
		for _, so := range o.SubOrders {
			if so.Status == c.SubTo || so.ID == subID(c.Sub) {
				continue
			}
			if err := setSubStatus(ctx, tx, so, c.SubTo, "", "", c.Reason, c.CancelledBy); err != nil {
				return err
			}
			if err := addEvent(ctx, tx, o.ID, so.ID, string(so.Status), string(c.SubTo), c.Reason); err != nil {
				return err
			}
		}
	}
	if c.Note != "" {
		now := string(o.Status)
		if c.To != "" {
			now = string(c.To)
		}
		if err := addEvent(ctx, tx, o.ID, 0, now, now, c.Note); err != nil {
			return err
		}
	}
	if len(released) > 0 {
		if err := release(ctx, tx, released); err != nil {
			return err
		}
	}
	if c.Payment != "" && o.Payment != nil {
		if _, err := tx.Exec(ctx, `UPDATE payments SET status = $2, updated_at = now(),
				failure_reason = CASE WHEN $3 <> '' THEN $3 ELSE failure_reason END
			WHERE id = $1`, o.Payment.ID, c.Payment, c.Failure); err != nil {
			return fmt.Errorf("postgres: payment %d to %s: %w", o.Payment.ID, c.Payment, err)
		}
	}
	if r := c.Refund; r != nil {
		if err := addRefund(ctx, tx, r); err != nil {
			return err
		}
		if c.Return != nil {
			if _, err := tx.Exec(ctx, `UPDATE order_returns SET refund_id = (SELECT id FROM refunds WHERE idempotency_key = $2)
				WHERE id = $1`, c.Return.Return.ID, r.IdempotencyKey); err != nil {
				return fmt.Errorf("postgres: link return refund %s: %w", r.IdempotencyKey, err)
			}
		}
	}
	return nil
}

func subID(sc *order.SubChange) int64 {
	if sc == nil {
		return 0
	}
	return sc.ID
}

// setSubStatus moves a sub-order to status to, setting the time of that
// status when it changes, the shipment when given, and the reason and
// party of a cancellation.
func setSubStatus(ctx context.Context, tx pgx.Tx, so *order.SubOrder, to order.SubStatus, courier, tracking,
	cancelReason string, by order.Party) error {
	at := ""
	if so.Status != to {
		at = statusTimes[string(to)]
	}
	if _, err := tx.Exec(ctx, `UPDATE sub_orders SET status = $2, updated_at = now(),
			paid_at = CASE WHEN $3 = 'paid_at' THEN now() ELSE paid_at END,
			accepted_at = CASE WHEN $3 = 'accepted_at' THEN now() ELSE accepted_at END,
			shipped_at = CASE WHEN $3 = 'shipped_at' THEN now() ELSE shipped_at END,
			delivered_at = CASE WHEN $3 = 'delivered_at' THEN now() ELSE delivered_at END,
			cancelled_at = CASE WHEN $3 = 'cancelled_at' THEN now() ELSE cancelled_at END,
			courier = CASE WHEN $4 <> '' THEN $4 ELSE courier END,
			tracking_number = CASE WHEN $5 <> '' THEN $5 ELSE tracking_number END,
			cancel_reason = CASE WHEN $2 = 'cancelled' THEN $6 ELSE cancel_reason END,
			cancelled_by = CASE WHEN $2 = 'cancelled' THEN $7 ELSE cancelled_by END
		WHERE id = $1`, so.ID, to, at, courier, tracking, cancelReason, by); err != nil {
		return translate(fmt.Errorf("sub-order %d to %s: %w", so.ID, to, err), "배송 정보")
	}
	return nil
}

// addRefund writes a refund row unless its key (or, for one sub-order's
// refund, that sub-order) already has one, and refuses one that would take
// the refunds of the payment past its amount. The caller holds the order's
// row lock, so the sum it checks cannot move meanwhile.
func addRefund(ctx context.Context, tx pgx.Tx, r *order.Refund) error {
	tag, err := tx.Exec(ctx, `INSERT INTO refunds (payment_id, sub_order_id, amount, reason, idempotency_key)
		SELECT $1::bigint, $2::bigint, $3::bigint, $4::text, $5::text
		WHERE (SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = $1::bigint) + $3::bigint
			<= (SELECT amount FROM payments WHERE id = $1::bigint)
		ON CONFLICT DO NOTHING`, r.PaymentID, nullID(r.SubOrderID), r.Amount, r.Reason, r.IdempotencyKey)
	if err != nil {
		return translate(err, "환불")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM refunds
			WHERE idempotency_key = $1 OR (sub_order_id IS NOT NULL AND sub_order_id = $2))`,
		r.IdempotencyKey, nullID(r.SubOrderID)).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: refund %s: %w", r.IdempotencyKey, err)
	}
	if !exists {
		return fmt.Errorf("postgres: refund %s of %d won would refund payment %d past its amount",
			r.IdempotencyKey, r.Amount, r.PaymentID)
	}
	return nil
}

func addEvent(ctx context.Context, tx pgx.Tx, orderID, subID int64, from, to, reason string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO order_events (order_id, sub_order_id, from_status, to_status, reason)
		VALUES ($1, $2, $3, $4, $5)`, orderID, nullID(subID), from, to, reason); err != nil {
		return fmt.Errorf("postgres: order event: %w", err)
	}
	return nil
}

const paymentColumns = `id, provider, idempotency_key, coalesce(provider_ref, ''), client_secret, amount, status,
	failure_reason, refunded_amount`

func scanPayment(row pgx.Row) (*order.Payment, error) {
	var p order.Payment
	err := row.Scan(&p.ID, &p.Provider, &p.IdempotencyKey, &p.Ref, &p.ClientSecret, &p.Amount, &p.Status,
		&p.FailureReason, &p.RefundedAmount)
	if err != nil {
		return nil, translate(err, "결제")
	}
	return &p, nil
}

// EnsurePayment inserts the order's payments row unless it exists and
// returns the stored row.
func (s *OrderStore) EnsurePayment(ctx context.Context, orderID int64, p order.Payment) (*order.Payment, error) {
	_, err := s.pool.Exec(ctx, `INSERT INTO payments (order_id, provider, idempotency_key, amount, status)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id, provider) DO NOTHING`,
		orderID, p.Provider, p.IdempotencyKey, p.Amount, p.Status)
	if err != nil {
		return nil, translate(err, "결제")
	}
	return scanPayment(s.pool.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments
		WHERE order_id = $1 AND provider = $2`, orderID, p.Provider))
}

// SetPaymentRef stores the provider's answer on a row that has none yet;
// a concurrent call that stored it first wins, and the stored row is returned.
func (s *OrderStore) SetPaymentRef(ctx context.Context, paymentID int64, ref, clientSecret string) (*order.Payment, error) {
	_, err := s.pool.Exec(ctx, `UPDATE payments SET provider_ref = $2, client_secret = $3, updated_at = now()
		WHERE id = $1 AND provider_ref IS NULL`, paymentID, ref, clientSecret)
	if err != nil {
		return nil, translate(err, "결제")
	}
	return scanPayment(s.pool.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = $1`, paymentID))
}

// CompleteRefund stores the refund's reference and adds its amount to the
// payment, once.
func (s *OrderStore) CompleteRefund(ctx context.Context, key, ref string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: complete refund: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	var refundID, paymentID, amount int64
	err = tx.QueryRow(ctx, `UPDATE refunds SET provider_ref = $2 WHERE idempotency_key = $1 AND provider_ref IS NULL
		RETURNING id, payment_id, amount`, key, ref).Scan(&refundID, &paymentID, &amount)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // already recorded
	}
	if err != nil {
		return translate(err, "환불")
	}
	if _, err := tx.Exec(ctx, `UPDATE payments SET refunded_amount = refunded_amount + $2, updated_at = now(),
			status = CASE WHEN refunded_amount + $2 >= amount THEN 'refunded' ELSE status END
		WHERE id = $1`, paymentID, amount); err != nil {
		return fmt.Errorf("postgres: complete refund %s: %w", key, err)
	}
	if err := refundReturn(ctx, tx, refundID, amount); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: complete refund: commit: %w", err)
	}
	return nil
}

// PendingRefunds lists refunds the provider has not confirmed.
func (s *OrderStore) PendingRefunds(ctx context.Context, olderThan time.Duration, limit int) ([]order.Refund, error) {
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.payment_id, coalesce(r.sub_order_id, 0), coalesce(p.provider_ref, ''),
			r.amount, r.reason, r.idempotency_key
		FROM refunds r JOIN payments p ON p.id = r.payment_id
		WHERE r.provider_ref IS NULL AND r.created_at < now() - make_interval(secs => $1)
		ORDER BY r.id LIMIT $2`, olderThan.Seconds(), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending refunds: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (order.Refund, error) {
		var x order.Refund
		err := r.Scan(&x.ID, &x.PaymentID, &x.SubOrderID, &x.PaymentRef, &x.Amount, &x.Reason, &x.IdempotencyKey)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: pending refunds: %w", err)
	}
	return list, nil
}
