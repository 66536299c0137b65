-- +goose Up
-- Issue 14: a signed-in shopper's address book (배송지). At most one
-- default per member (a partial unique index) and at most 10 addresses per
-- member, checked by a trigger that first locks the member's users row, so
-- that concurrent inserts for one member are counted one after another.
CREATE TABLE saved_addresses (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label       text NOT NULL DEFAULT '' CHECK (length(label) <= 20),
    recipient   text NOT NULL CHECK (recipient <> '' AND length(recipient) <= 30),
    phone       text NOT NULL CHECK (phone <> '' AND length(phone) <= 20),
    postcode    text NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
    road        text NOT NULL CHECK (road <> '' AND length(road) <= 200),
    detail      text NOT NULL DEFAULT '' CHECK (length(detail) <= 100),
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_addresses_user ON saved_addresses (user_id, id);
CREATE UNIQUE INDEX saved_addresses_one_default ON saved_addresses (user_id) WHERE is_default;

-- +goose StatementBegin
CREATE FUNCTION saved_addresses_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM users WHERE id = NEW.user_id FOR UPDATE;
    IF (SELECT count(*) FROM saved_addresses WHERE user_id = NEW.user_id) >= 10 THEN
        RAISE EXCEPTION 'saved_addresses: at most 10 per member'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'saved_addresses_limit';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER saved_addresses_limit BEFORE INSERT ON saved_addresses
    FOR EACH ROW EXECUTE FUNCTION saved_addresses_limit();

-- +goose Down
DROP TABLE IF EXISTS saved_addresses;
DROP FUNCTION IF EXISTS saved_addresses_limit();
