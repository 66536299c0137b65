-- +goose Up
-- Returns after delivery (반품, 청약철회 — 전자상거래법 제17조): the buyer of
-- a delivered part (one enterprise's sub-order, as a whole) asks to return
-- it; its enterprise approves (and collects it) or rejects with a reason,
-- then marks it received, which refunds the part through the per-part
-- refund (refunds.sub_order_id is unique: one refund per part, so a part is
-- returned once). Each step is also an order_events row (to_status
-- 'return_requested', 'return_approved', …), which is how the buyer and the
-- enterprise are notified (the order_events trigger of 00017).
CREATE TABLE order_returns (
    id            bigserial PRIMARY KEY,
    order_id      bigint NOT NULL REFERENCES orders (id),
    sub_order_id  bigint NOT NULL REFERENCES sub_orders (id),
    reason        text NOT NULL CHECK (reason IN ('change_of_mind', 'defective', 'wrong_item', 'other')),
    detail        text NOT NULL DEFAULT '' CHECK (char_length(detail) <= 1000),
    status        text NOT NULL DEFAULT 'requested'
        CHECK (status IN ('requested', 'approved', 'received', 'refunded', 'rejected')),
    -- Who pays the return shipping: the buyer for a change of mind (the fee
    -- is deducted from the refund), the enterprise for a defect or a wrong
    -- item (or when it waives the fee on approval).
    fee_payer     text NOT NULL CHECK (fee_payer IN ('buyer', 'seller')),
    paid_amount   bigint NOT NULL CHECK (paid_amount >= 0),    -- the part's total as paid (items + shipping)
    return_fee    bigint NOT NULL CHECK (return_fee >= 0),     -- deducted from the refund
    refund_amount bigint NOT NULL CHECK (refund_amount >= 0),
    reject_reason text NOT NULL DEFAULT '' CHECK (char_length(reject_reason) <= 200),
    restock       boolean,                                     -- set when received: 재입고 (true) or 폐기
    refund_id     bigint UNIQUE REFERENCES refunds (id),
    requested_by  bigint REFERENCES users (id),                -- NULL: a guest, with the order's phone
    requested_at  timestamptz NOT NULL DEFAULT now(),
    approved_at   timestamptz,
    rejected_at   timestamptz,
    received_at   timestamptz,
    refunded_at   timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT order_returns_fee_payer CHECK (fee_payer = 'buyer' OR return_fee = 0),
    -- Integer won, and refund <= paid follows from it.
    CONSTRAINT order_returns_amount CHECK (refund_amount = paid_amount - return_fee),
    CONSTRAINT order_returns_rejected CHECK ((status = 'rejected') = (reject_reason <> '' AND rejected_at IS NOT NULL)),
    CONSTRAINT order_returns_received
        CHECK (status NOT IN ('received', 'refunded') OR (received_at IS NOT NULL AND restock IS NOT NULL)),
    CONSTRAINT order_returns_refunded CHECK (status <> 'refunded' OR refunded_at IS NOT NULL)
);
-- One return per part that is not rejected: at most one open, and none
-- after a part was returned and refunded.
CREATE UNIQUE INDEX order_returns_one ON order_returns (sub_order_id) WHERE status <> 'rejected';
CREATE INDEX order_returns_order ON order_returns (order_id);
-- The operator's list of open returns, oldest first.
CREATE INDEX order_returns_open ON order_returns (requested_at) WHERE status IN ('requested', 'approved', 'received');

-- +goose Down
DROP TABLE order_returns;
