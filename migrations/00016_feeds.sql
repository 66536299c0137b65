-- +goose Up
-- Product feeds for other malls (issue 11, part 6): the Naver Shopping EP and
-- a Google Merchant-style feed are served from feed_items, a snapshot of what
-- the feeds list, kept in step with the catalogue by the feed worker. Serving
-- a feed reads this one table; it never joins the catalogue per request.

-- Every catalogue change already writes a search_outbox row in its own
-- transaction (catalogue writes, imports, stock taken by orders). The search
-- worker deletes those rows as it applies them, so the feeds get their own
-- queue: a statement trigger copies each inserted search_outbox row here, in
-- the same transaction, whoever wrote it.
CREATE TABLE feed_outbox (
    id          bigserial PRIMARY KEY,
    entity      text NOT NULL CHECK (entity IN ('product', 'enterprise', 'category')),
    entity_id   bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose StatementBegin
CREATE FUNCTION feed_outbox_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO feed_outbox (entity, entity_id) SELECT entity, entity_id FROM added;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER search_outbox_to_feeds AFTER INSERT ON search_outbox
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION feed_outbox_copy();

-- One row per product that is or was in the feeds. item is the feed entry
-- (feed.Item as JSON, links relative to DURE_BASE_URL); a product that left
-- the feeds (hidden, sold out, its enterprise suspended) keeps its row with
-- deleted set, so the summary feed can say D. version comes from one
-- sequence and grows with every change: max(version) is the feeds' ETag.
CREATE SEQUENCE feed_version;
CREATE TABLE feed_items (
    product_id    bigint PRIMARY KEY,
    item          jsonb NOT NULL,
    deleted       boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL,
    first_seen_at timestamptz NOT NULL,
    changed_at    timestamptz NOT NULL
);
CREATE INDEX feed_items_live ON feed_items (product_id) WHERE NOT deleted;
CREATE INDEX feed_items_changed ON feed_items (changed_at, product_id);
CREATE INDEX feed_items_version ON feed_items (version);

-- The first run of the worker builds the snapshot of today's catalogue.
INSERT INTO feed_outbox (entity, entity_id) SELECT 'product', id FROM products;

-- +goose Down
DROP TABLE feed_items;
DROP SEQUENCE feed_version;
DROP TRIGGER search_outbox_to_feeds ON search_outbox;
DROP FUNCTION feed_outbox_copy();
DROP TABLE feed_outbox;
