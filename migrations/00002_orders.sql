-- +goose Up
-- One order per checkout; one sub-order per enterprise; one line per product
-- (and option). Lines snapshot what the law and the reports need at order time,
-- so later changes to a product or an enterprise never rewrite past orders.
CREATE TABLE orders (
    id               bigserial PRIMARY KEY,
    number           text NOT NULL UNIQUE,
    -- The checkout attempt this order came from: the same checkout submitted
    -- twice finds this row instead of creating a second order.
    checkout_key     text NOT NULL UNIQUE,
    status           text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'completed', 'cancelled')),
    channel          text NOT NULL DEFAULT 'consumer' CHECK (channel IN ('consumer', 'public')),
    buyer_name       text NOT NULL,
    buyer_phone      text NOT NULL,
    buyer_email      text NOT NULL DEFAULT '',
    recipient        text NOT NULL,
    recipient_phone  text NOT NULL,
    postcode         char(5) NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
    road_address     text NOT NULL,
    detail_address   text NOT NULL DEFAULT '',
    delivery_memo    text NOT NULL DEFAULT '',
    items_total      bigint NOT NULL CHECK (items_total >= 0),
    shipping_total   bigint NOT NULL CHECK (shipping_total >= 0),
    total            bigint NOT NULL CHECK (total = items_total + shipping_total),
    supply_amount    bigint NOT NULL CHECK (supply_amount >= 0),
    vat_amount       bigint NOT NULL CHECK (vat_amount >= 0),
    reserved_until   timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    paid_at          timestamptz,
    completed_at     timestamptz,
    cancelled_at     timestamptz,
    CHECK (supply_amount + vat_amount = total)
);
CREATE INDEX orders_pending_expiry ON orders (reserved_until) WHERE status = 'pending_payment';
CREATE INDEX orders_buyer_phone ON orders (buyer_phone, created_at DESC);

CREATE TABLE sub_orders (
    id              bigserial PRIMARY KEY,
    order_id        bigint NOT NULL REFERENCES orders (id),
    enterprise_id   bigint NOT NULL REFERENCES enterprises (id),
    status          text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'accepted', 'shipped', 'delivered', 'cancelled')),
    items_total     bigint NOT NULL CHECK (items_total >= 0),
    shipping_fee    bigint NOT NULL CHECK (shipping_fee >= 0),
    remote_surcharge_applied boolean NOT NULL DEFAULT false,
    total           bigint NOT NULL CHECK (total = items_total + shipping_fee),
    courier         text NOT NULL DEFAULT '',
    tracking_number text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    paid_at         timestamptz,
    accepted_at     timestamptz,
    shipped_at      timestamptz,
    delivered_at    timestamptz,
    cancelled_at    timestamptz,
    UNIQUE (order_id, enterprise_id)
);
CREATE INDEX sub_orders_enterprise ON sub_orders (enterprise_id, created_at DESC);

CREATE TABLE order_lines (
    id                    bigserial PRIMARY KEY,
    order_id              bigint NOT NULL REFERENCES orders (id),
    sub_order_id          bigint NOT NULL REFERENCES sub_orders (id),
    product_id            bigint NOT NULL REFERENCES products (id),
    option_id             bigint REFERENCES product_options (id) ON DELETE SET NULL,
    product_name          text NOT NULL,
    option_name           text NOT NULL DEFAULT '',
    kind                  text NOT NULL CHECK (kind IN ('goods', 'service')),
    tax_type              text NOT NULL CHECK (tax_type IN ('taxable', 'exempt')),
    unit_price            bigint NOT NULL CHECK (unit_price > 0),
    quantity              int NOT NULL CHECK (quantity > 0),
    line_total            bigint NOT NULL CHECK (line_total = unit_price * quantity),
    supply_amount         bigint NOT NULL,
    vat_amount            bigint NOT NULL,
    enterprise_name       text NOT NULL,
    enterprise_type       text NOT NULL,
    enterprise_cert_number text NOT NULL DEFAULT '',
    enterprise_cert_valid_until date,
    business_number       char(10) NOT NULL,
    CHECK (supply_amount + vat_amount = line_total)
);
CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX order_lines_sub_order ON order_lines (sub_order_id);

-- Every state change of an order or a sub-order, in order.
CREATE TABLE order_events (
    id           bigserial PRIMARY KEY,
    order_id     bigint NOT NULL REFERENCES orders (id),
    sub_order_id bigint REFERENCES sub_orders (id),
    from_status  text NOT NULL,
    to_status    text NOT NULL,
    reason       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- One payment attempt per order and provider. The idempotency key is stored
-- before the provider is called, so a retry reuses it and cannot charge twice.
CREATE TABLE payments (
    id               bigserial PRIMARY KEY,
    order_id         bigint NOT NULL REFERENCES orders (id),
    provider         text NOT NULL CHECK (provider IN ('stripe', 'invoice')),
    idempotency_key  text NOT NULL UNIQUE,
    provider_ref     text UNIQUE,              -- Stripe PaymentIntent id
    client_secret    text NOT NULL DEFAULT '',
    amount           bigint NOT NULL CHECK (amount > 0),
    currency         text NOT NULL DEFAULT 'krw',
    status           text NOT NULL CHECK (status IN ('created', 'requires_action', 'succeeded', 'failed', 'refunded', 'cancelled')),
    failure_reason   text NOT NULL DEFAULT '',
    refunded_amount  bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, provider)
);

CREATE TABLE refunds (
    id           bigserial PRIMARY KEY,
    payment_id   bigint NOT NULL REFERENCES payments (id),
    provider_ref text UNIQUE,
    amount       bigint NOT NULL CHECK (amount > 0),
    reason       text NOT NULL DEFAULT '',
    idempotency_key text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
-- Refunds the provider has not confirmed yet, for the worker's retry.
CREATE INDEX refunds_pending ON refunds (created_at) WHERE provider_ref IS NULL;

-- Webhook events applied, so a replayed event has no second effect.
CREATE TABLE processed_events (
    provider   text NOT NULL,
    event_id   text NOT NULL,
    type       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

-- +goose Down
DROP TABLE processed_events;
DROP TABLE refunds;
DROP TABLE payments;
DROP TABLE order_events;
DROP TABLE order_lines;
DROP TABLE sub_orders;
DROP TABLE orders;
