-- +goose Up
-- Issue 11 part 1: commission and settlement. The co-op keeps a commission
-- rate per channel (its default, in coop_settings) and per enterprise
-- (overrides with validity dates that never overlap for one enterprise and
-- channel). Each sub-order accrues once it is delivered or its 검수 passed
-- (commission_basis): a sale entry with its goods, shipping, co-op-funded
-- discount and commission, at the rate of that day. A refund of an accrued
-- part is a refund entry of its own day. A monthly statement per
-- enterprise takes every entry not yet on a statement up to the period's
-- end, so a refund that lands after a statement was confirmed is carried
-- into the next one and never rewrites the confirmed one.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE coop_settings
    ADD COLUMN commission_basis       text NOT NULL DEFAULT 'inspected'
        CHECK (commission_basis IN ('inspected', 'delivered')),
    ADD COLUMN commission_consumer_bp int NOT NULL DEFAULT 1000 CHECK (commission_consumer_bp BETWEEN 0 AND 10000),
    ADD COLUMN commission_public_bp   int NOT NULL DEFAULT 500 CHECK (commission_public_bp BETWEEN 0 AND 10000);

CREATE TABLE commission_rates (
    id            bigserial PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    channel       text NOT NULL CHECK (channel IN ('consumer', 'public')),
    rate_bp       int NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    valid_from    date NOT NULL,
    valid_until   date CHECK (valid_until IS NULL OR valid_until >= valid_from), -- inclusive; NULL: open
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT commission_rates_no_overlap EXCLUDE USING gist (
        enterprise_id WITH =, channel WITH =, daterange(valid_from, valid_until, '[]') WITH &&)
);

CREATE TABLE settlement_statements (
    id             bigserial PRIMARY KEY,
    enterprise_id  bigint NOT NULL REFERENCES enterprises (id),
    period_from    date NOT NULL,
    period_to      date NOT NULL CHECK (period_to >= period_from),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'paid')),
    sales_consumer bigint NOT NULL DEFAULT 0,
    sales_public   bigint NOT NULL DEFAULT 0,
    shipping       bigint NOT NULL DEFAULT 0,
    coop_discount  bigint NOT NULL DEFAULT 0,
    refunds        bigint NOT NULL DEFAULT 0,
    commission     bigint NOT NULL DEFAULT 0,
    payout         bigint NOT NULL DEFAULT 0,
    entries        int NOT NULL DEFAULT 0,
    bank_name      text NOT NULL DEFAULT '',
    bank_account   text NOT NULL DEFAULT '',
    bank_holder    text NOT NULL DEFAULT '',
    transfer_reference text NOT NULL DEFAULT '' CHECK (length(transfer_reference) <= 100),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    confirmed_at   timestamptz,
    confirmed_by   bigint REFERENCES users (id),
    paid_on        date,
    paid_by        bigint REFERENCES users (id),
    UNIQUE (enterprise_id, period_from),
    CHECK (payout = sales_consumer + sales_public + shipping + coop_discount - refunds - commission),
    CHECK (status = 'draft' OR confirmed_at IS NOT NULL),
    CHECK (status <> 'paid' OR (paid_on IS NOT NULL AND transfer_reference <> ''))
);
CREATE INDEX settlement_statements_period ON settlement_statements (period_from DESC, enterprise_id);

CREATE TABLE settlement_entries (
    id            bigserial PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    sub_order_id  bigint NOT NULL REFERENCES sub_orders (id),
    refund_id     bigint UNIQUE REFERENCES refunds (id),
    kind          text NOT NULL CHECK (kind IN ('sale', 'refund')),
    channel       text NOT NULL CHECK (channel IN ('consumer', 'public')),
    day           date NOT NULL, -- the civil date in Korea that places it
    rate_bp       int NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    -- Signed won: a refund entry's are negative. refund is the money given
    -- back to the buyer (goods + shipping of a refund entry, negated).
    goods         bigint NOT NULL,
    shipping      bigint NOT NULL,
    coop_discount bigint NOT NULL,
    commission    bigint NOT NULL,
    statement_id  bigint REFERENCES settlement_statements (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'refund') = (refund_id IS NOT NULL)),
    CHECK (kind = 'refund' OR (goods >= 0 AND shipping >= 0 AND coop_discount >= 0 AND commission >= 0)),
    CHECK (kind = 'sale' OR (goods <= 0 AND shipping <= 0 AND coop_discount <= 0 AND commission <= 0))
);
CREATE UNIQUE INDEX settlement_entries_sale ON settlement_entries (sub_order_id) WHERE kind = 'sale';
CREATE INDEX settlement_entries_open ON settlement_entries (enterprise_id, day) WHERE statement_id IS NULL;
CREATE INDEX settlement_entries_statement ON settlement_entries (statement_id);

-- +goose Down
DROP TABLE settlement_entries;
DROP TABLE settlement_statements;
DROP TABLE commission_rates;
ALTER TABLE coop_settings
    DROP COLUMN commission_public_bp,
    DROP COLUMN commission_consumer_bp,
    DROP COLUMN commission_basis;
