-- +goose Up
-- Enterprises fulfil their own part of each order (accept, ship with a
-- courier and tracking number, deliver, or cancel with a reason, refunding
-- that part alone); signed-in buyers see their orders, and a guest order can
-- be claimed with a code sent to its e-mail.

-- sub_orders already has courier, tracking_number and the accepted, shipped,
-- delivered and cancelled times (00002). A part that shipped says with whom
-- and under which number; tracking numbers are stored as digits alone.
ALTER TABLE sub_orders
    ADD COLUMN cancel_reason text NOT NULL DEFAULT '',
    ADD COLUMN cancelled_by  text NOT NULL DEFAULT ''
        CHECK (cancelled_by IN ('', 'buyer', 'enterprise', 'operator', 'system')),
    ADD CONSTRAINT sub_orders_tracking_number CHECK (tracking_number = '' OR tracking_number ~ '^[0-9]{8,20}$'),
    ADD CONSTRAINT sub_orders_shipped_with_tracking
        CHECK (status NOT IN ('shipped', 'delivered') OR (courier <> '' AND tracking_number <> '' AND shipped_at IS NOT NULL));
-- The enterprise's order list, by state, newest first.
CREATE INDEX sub_orders_enterprise_status ON sub_orders (enterprise_id, status, created_at DESC);
-- The enterprise's sales by the day they were paid.
CREATE INDEX sub_orders_enterprise_paid ON sub_orders (enterprise_id, paid_at) WHERE paid_at IS NOT NULL;

-- A refund may be for one cancelled sub-order; that part is refunded once,
-- whatever key a caller uses.
ALTER TABLE refunds ADD COLUMN sub_order_id bigint REFERENCES sub_orders (id);
CREATE UNIQUE INDEX refunds_sub_order ON refunds (sub_order_id) WHERE sub_order_id IS NOT NULL;
CREATE INDEX refunds_payment ON refunds (payment_id);

-- The member who placed the order, or who claimed a guest order (users
-- comes with 00004).
ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);
CREATE INDEX orders_user ON orders (user_id, created_at DESC) WHERE user_id IS NOT NULL;

-- A member claiming a guest order: a 6-digit code mailed to the order's
-- e-mail, stored hashed, valid 15 minutes and for 5 wrong tries.
CREATE TABLE order_claims (
    id         bigserial PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id),
    user_id    bigint NOT NULL REFERENCES users (id),
    code_hash  text NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts   int NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 5),
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_claims_order ON order_claims (order_id, created_at DESC);

-- +goose Down
DROP TABLE order_claims;
DROP INDEX orders_user;
ALTER TABLE orders DROP COLUMN user_id;
DROP INDEX refunds_payment;
DROP INDEX refunds_sub_order;
ALTER TABLE refunds DROP COLUMN sub_order_id;
DROP INDEX sub_orders_enterprise_paid;
DROP INDEX sub_orders_enterprise_status;
ALTER TABLE sub_orders
    DROP CONSTRAINT sub_orders_shipped_with_tracking,
    DROP CONSTRAINT sub_orders_tracking_number,
    DROP COLUMN cancelled_by,
    DROP COLUMN cancel_reason;
