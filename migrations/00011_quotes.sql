-- +goose Up
-- Quote requests (견적 요청) and quotes (견적서) for institution buyers
-- (issue 10 parts 3, 4 and 10). A buyer asks for lines (catalogue items or
-- free text such as 청소 용역); each line is routed to the member enterprises
-- that may supply it (a catalogue line to its own enterprise, a free-text
-- line to those the operator picks); each enterprise answers its lines (a
-- price and a date, or "cannot supply" and why); the co-op merges the
-- answers into numbered revisions (r1, r2, …) that never change once sent,
-- and the buyer accepts or declines the latest one.
CREATE TABLE quote_requests (
    id             bigserial PRIMARY KEY,
    number         text NOT NULL UNIQUE CHECK (number ~ '^Q[0-9]{6}-[0-9A-Z]{8}$'),
    institution_id bigint NOT NULL REFERENCES institutions (id),
    user_id        bigint NOT NULL REFERENCES users (id),
    desired_date   date NOT NULL,
    postcode       char(5) NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
    road_address   text NOT NULL CHECK (road_address <> ''),
    detail_address text NOT NULL DEFAULT '',
    notes          text NOT NULL DEFAULT '',
    status         text NOT NULL DEFAULT 'submitted' CHECK (status IN
                       ('submitted', 'quoting', 'quoted', 'accepted', 'declined', 'expired', 'withdrawn')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- The desired delivery date is never before the day (KST) it was asked.
    CHECK (desired_date >= (created_at AT TIME ZONE 'Asia/Seoul')::date)
);
CREATE INDEX quote_requests_institution ON quote_requests (institution_id, created_at DESC, id DESC);
CREATE INDEX quote_requests_status ON quote_requests (status, created_at DESC, id DESC);

-- A line is a catalogue item (product, and option if it has options) or a
-- free-text line (product_id NULL). Names are a snapshot of what was asked.
CREATE TABLE quote_request_lines (
    id          bigserial PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES quote_requests (id) ON DELETE CASCADE,
    position    int NOT NULL CHECK (position > 0),
    product_id  bigint REFERENCES products (id),
    option_id   bigint REFERENCES product_options (id),
    name        text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    option_name text NOT NULL DEFAULT '',
    tax_type    text NOT NULL DEFAULT 'taxable' CHECK (tax_type IN ('taxable', 'exempt')),
    quantity    int NOT NULL CHECK (quantity > 0 AND quantity <= 100000),
    unit        text NOT NULL DEFAULT '' CHECK (length(unit) <= 10),
    notes       text NOT NULL DEFAULT '',
    UNIQUE (request_id, position),
    CHECK (option_id IS NULL OR product_id IS NOT NULL)
);
CREATE INDEX quote_request_lines_request ON quote_request_lines (request_id, position);

-- One row per line and enterprise asked: 'asked' until the enterprise
-- answers 'offered' (unit price VAT included, available date) or 'declined'
-- (cannot supply, with the reason).
CREATE TABLE quote_line_offers (
    line_id        bigint NOT NULL REFERENCES quote_request_lines (id) ON DELETE CASCADE,
    enterprise_id  bigint NOT NULL REFERENCES enterprises (id),
    status         text NOT NULL DEFAULT 'asked' CHECK (status IN ('asked', 'offered', 'declined')),
    unit_price     bigint CHECK (unit_price > 0),
    available_date date,
    reason         text NOT NULL DEFAULT '',
    routed_at      timestamptz NOT NULL DEFAULT now(),
    answered_at    timestamptz,
    answered_by    bigint REFERENCES users (id),
    PRIMARY KEY (line_id, enterprise_id),
    CHECK (status <> 'offered' OR (unit_price IS NOT NULL AND available_date IS NOT NULL)),
    CHECK (status <> 'declined' OR (reason <> '' AND unit_price IS NULL)),
    CHECK ((status = 'asked') = (answered_at IS NULL))
);
CREATE INDEX quote_line_offers_enterprise ON quote_line_offers (enterprise_id, status);

-- A revision of the quote as sent to the buyer, with the figures as sent
-- and the direct-contract limit (수의계약 한도) it was checked against.
CREATE TABLE quote_revisions (
    id             bigserial PRIMARY KEY,
    request_id     bigint NOT NULL REFERENCES quote_requests (id),
    number         int NOT NULL CHECK (number > 0),
    delivery_date  date NOT NULL,
    valid_until    date NOT NULL,
    remarks        text NOT NULL DEFAULT '',
    direct_limit   bigint NOT NULL CHECK (direct_limit > 0),
    items_total    bigint NOT NULL CHECK (items_total >= 0),
    shipping_total bigint NOT NULL CHECK (shipping_total >= 0),
    supply         bigint NOT NULL CHECK (supply >= 0),
    vat            bigint NOT NULL CHECK (vat >= 0),
    total          bigint NOT NULL CHECK (total >= 0),
    sent_at        timestamptz NOT NULL,
    sent_by        bigint NOT NULL REFERENCES users (id),
    UNIQUE (request_id, number),
    CHECK (items_total + shipping_total = total),
    CHECK (supply + vat = total),
    CHECK (valid_until >= (sent_at AT TIME ZONE 'Asia/Seoul')::date)
);

-- Each supplying enterprise's share of a revision (its sub-order to be).
CREATE TABLE quote_revision_shares (
    revision_id   bigint NOT NULL REFERENCES quote_revisions (id),
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    items_total   bigint NOT NULL CHECK (items_total >= 0),
    shipping      bigint NOT NULL CHECK (shipping >= 0),
    supply        bigint NOT NULL CHECK (supply >= 0),
    vat           bigint NOT NULL CHECK (vat >= 0),
    total         bigint NOT NULL CHECK (total >= 0),
    PRIMARY KEY (revision_id, enterprise_id),
    CHECK (items_total + shipping = total),
    CHECK (supply + vat = total)
);

-- Every request line appears in every revision: supplied by one enterprise
-- at a price, or unsupplied (enterprise NULL, figures 0) with the reason.
CREATE TABLE quote_revision_lines (
    revision_id    bigint NOT NULL REFERENCES quote_revisions (id),
    line_id        bigint NOT NULL REFERENCES quote_request_lines (id),
    enterprise_id  bigint,
    unit_price     bigint NOT NULL CHECK (unit_price >= 0),
    quantity       int NOT NULL CHECK (quantity > 0),
    supply         bigint NOT NULL CHECK (supply >= 0),
    vat            bigint NOT NULL CHECK (vat >= 0),
    total          bigint NOT NULL CHECK (total >= 0),
    available_date date,
    unsupplied     text NOT NULL DEFAULT '',
    PRIMARY KEY (revision_id, line_id),
    FOREIGN KEY (revision_id, enterprise_id) REFERENCES quote_revision_shares (revision_id, enterprise_id),
    CHECK (total = unit_price * quantity),
    CHECK (supply + vat = total),
    CHECK ((enterprise_id IS NULL) = (unit_price = 0)),
    CHECK (enterprise_id IS NOT NULL OR unsupplied <> '')
);

-- The buyer's answer to a revision: one per request (accepting or
-- declining ends it). order_id is the order placed on acceptance.
CREATE TABLE quote_decisions (
    request_id  bigint PRIMARY KEY REFERENCES quote_requests (id),
    revision_id bigint NOT NULL UNIQUE REFERENCES quote_revisions (id),
    kind        text NOT NULL CHECK (kind IN ('accepted', 'declined')),
    user_id     bigint NOT NULL REFERENCES users (id),
    at          timestamptz NOT NULL,
    reason      text NOT NULL DEFAULT '',
    order_id    bigint,
    CHECK ((kind = 'accepted') = (order_id IS NOT NULL))
);

-- The figures add up across tables: the lines to each share's items, the
-- shares to the revision. Checked at commit, when all rows are in.
-- +goose StatementBegin
CREATE FUNCTION quote_revision_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad text;
BEGIN
    SELECT 'share ' || s.enterprise_id INTO bad FROM quote_revision_shares s
     WHERE s.revision_id = NEW.id
       AND s.items_total <> (SELECT coalesce(sum(l.total), 0) FROM quote_revision_lines l
                              WHERE l.revision_id = s.revision_id AND l.enterprise_id = s.enterprise_id)
     LIMIT 1;
    IF bad IS NULL THEN
        SELECT 'revision' INTO bad
          FROM quote_revisions r,
               (SELECT coalesce(sum(items_total), 0) AS items, coalesce(sum(shipping), 0) AS shipping,
                       coalesce(sum(supply), 0) AS supply, coalesce(sum(vat), 0) AS vat
                  FROM quote_revision_shares WHERE revision_id = NEW.id) s
         WHERE r.id = NEW.id
           AND (r.items_total, r.shipping_total, r.supply, r.vat) IS DISTINCT FROM (s.items, s.shipping, s.supply, s.vat);
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'quote revision % does not add up (%)', NEW.id, bad USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER quote_revisions_add_up AFTER INSERT ON quote_revisions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION quote_revision_adds_up();

-- A sent revision is what the buyer saw: it never changes.
-- +goose StatementBegin
CREATE FUNCTION quote_revision_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a sent quote revision cannot change (%)', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER quote_revisions_immutable BEFORE UPDATE OR DELETE ON quote_revisions
    FOR EACH ROW EXECUTE FUNCTION quote_revision_immutable();
CREATE TRIGGER quote_revision_shares_immutable BEFORE UPDATE OR DELETE ON quote_revision_shares
    FOR EACH ROW EXECUTE FUNCTION quote_revision_immutable();
CREATE TRIGGER quote_revision_lines_immutable BEFORE UPDATE OR DELETE ON quote_revision_lines
    FOR EACH ROW EXECUTE FUNCTION quote_revision_immutable();

-- +goose Down
DROP TABLE quote_decisions;
DROP TABLE quote_revision_lines;
DROP TABLE quote_revision_shares;
DROP TABLE quote_revisions;
DROP FUNCTION quote_revision_immutable();
DROP FUNCTION quote_revision_adds_up();
DROP TABLE quote_line_offers;
DROP TABLE quote_request_lines;
DROP TABLE quote_requests;
