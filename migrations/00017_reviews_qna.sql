-- +goose Up
-- Issue 14: reviews (구매평), product questions (상품 문의) and notifications.

-- A review belongs to one delivered order line and is written once for it,
-- by the member whose order it is. Photos are blob-store URLs (main picture
-- and thumbnail, same order). A hidden review stays for the record and is
-- shown to nobody but its writer and the operators.
CREATE TABLE reviews (
    id            bigserial PRIMARY KEY,
    order_line_id bigint NOT NULL UNIQUE REFERENCES order_lines (id),
    product_id    bigint NOT NULL REFERENCES products (id),
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    user_id       bigint NOT NULL REFERENCES users (id),
    rating        smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body          text NOT NULL CHECK (char_length(body) BETWEEN 10 AND 2000),
    photos        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(photos) <= 5),
    thumbs        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(thumbs) = cardinality(photos)),
    helpful       int NOT NULL DEFAULT 0 CHECK (helpful >= 0),
    reply         text NOT NULL DEFAULT '' CHECK (char_length(reply) <= 1000),
    replied_at    timestamptz,
    replied_by    bigint REFERENCES users (id),
    hidden_at     timestamptz,
    hidden_reason text NOT NULL DEFAULT '',
    hidden_by     bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((reply = '') = (replied_at IS NULL)),
    CHECK (hidden_at IS NULL OR hidden_reason <> '')
);
-- The product page: newest or most helpful first, average and count.
CREATE INDEX reviews_product_new ON reviews (product_id, created_at DESC, id DESC) INCLUDE (rating) WHERE hidden_at IS NULL;
CREATE INDEX reviews_product_helpful ON reviews (product_id, helpful DESC, id DESC) WHERE hidden_at IS NULL;
CREATE INDEX reviews_enterprise ON reviews (enterprise_id, created_at DESC, id DESC);
CREATE INDEX reviews_user ON reviews (user_id, created_at DESC);
CREATE INDEX reviews_new ON reviews (created_at DESC, id DESC);

-- "도움이 돼요": one vote per member and review.
CREATE TABLE review_votes (
    review_id  bigint NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (review_id, user_id)
);

-- A question about a product; a private one is seen by its asker, the
-- product's enterprise and the operators only.
CREATE TABLE questions (
    id            bigserial PRIMARY KEY,
    product_id    bigint NOT NULL REFERENCES products (id),
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    user_id       bigint NOT NULL REFERENCES users (id),
    body          text NOT NULL CHECK (char_length(body) BETWEEN 5 AND 1000),
    private       boolean NOT NULL DEFAULT false,
    answer        text NOT NULL DEFAULT '' CHECK (char_length(answer) <= 2000),
    answered_at   timestamptz,
    answered_by   bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((answer = '') = (answered_at IS NULL))
);
CREATE INDEX questions_product ON questions (product_id, created_at DESC, id DESC);
-- The portal's list: unanswered first, oldest waiting first.
CREATE INDEX questions_enterprise ON questions (enterprise_id, (answered_at IS NOT NULL), created_at, id);

-- Events to notify people of, written in the transaction of the change: a
-- worker turns each into notifications and deletes it, so a crash neither
-- loses nor doubles one. Order events arrive by the trigger below: every
-- order and sub-order state change already writes an order_events row in
-- its own transaction, so this is the one seam and internal/order is not
-- touched.
CREATE TABLE notify_outbox (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('order_event', 'review_new', 'review_reply', 'question_new', 'question_answer')),
    ref_id     bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose StatementBegin
CREATE FUNCTION notify_order_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notify_outbox (kind, ref_id) VALUES ('order_event', NEW.id);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER order_events_notify AFTER INSERT ON order_events
    FOR EACH ROW EXECUTE FUNCTION notify_order_event();

-- One notification for one recipient of one event (event_key: "order_event:17"):
-- the unique key makes a replayed event a no-op. A member sees theirs at
-- /account/notifications; a guest buyer gets the mail alone (user_id NULL,
-- recipient "mail:<address>"). mail_status is the mail's delivery.
CREATE TABLE notifications (
    id            bigserial PRIMARY KEY,
    event_key     text NOT NULL,
    recipient     text NOT NULL,
    user_id       bigint REFERENCES users (id) ON DELETE CASCADE,
    kind          text NOT NULL,
    title         text NOT NULL,
    body          text NOT NULL DEFAULT '',
    link          text NOT NULL DEFAULT '',
    read_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    mail_to       text NOT NULL DEFAULT '',
    mail_status   text NOT NULL DEFAULT 'none' CHECK (mail_status IN ('none', 'pending', 'sent', 'failed')),
    mail_attempts int NOT NULL DEFAULT 0,
    mail_next_at  timestamptz,
    mail_error    text NOT NULL DEFAULT '',
    UNIQUE (event_key, recipient),
    CHECK (mail_status = 'none' OR mail_to <> '')
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC) WHERE user_id IS NOT NULL;
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL AND user_id IS NOT NULL;
CREATE INDEX notifications_mail ON notifications (mail_next_at, id) WHERE mail_status = 'pending';

-- A member's mail preference per kind of notification (no row: mail on).
CREATE TABLE notification_prefs (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL,
    mail    boolean NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE notifications;
DROP TRIGGER order_events_notify ON order_events;
DROP FUNCTION notify_order_event();
DROP TABLE notify_outbox;
DROP TABLE questions;
DROP TABLE review_votes;
DROP TABLE reviews;
