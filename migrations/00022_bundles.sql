-- +goose Up
-- Issue 11 part 3: joint products (공동상품). A bundle is a products row (so
-- the storefront, search and cart show it as one product) sold under the
-- enterprise the operator names as its 대표 기업, made of parts: other
-- products (or options) with a quantity and the part's share of the bundle's
-- price. The bundle row holds no stock of its own: what is available is the
-- minimum over its parts of floor(part stock / part quantity)
-- (bundle_stock), and a checkout reserves the parts themselves. The shares
-- sum to the bundle's price (checked by the catalogue in the transaction
-- that writes them; the price of a bundle row cannot change afterwards).
CREATE TABLE bundles (
    product_id bigint PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bundle_parts (
    bundle_product_id bigint NOT NULL REFERENCES bundles (product_id) ON DELETE CASCADE,
    position          int NOT NULL CHECK (position >= 0),
    product_id        bigint NOT NULL REFERENCES products (id),
    option_id         bigint REFERENCES product_options (id),
    quantity          int NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    -- share is what the part's enterprise is paid (before commission) for
    -- one bundle; it divides evenly by quantity, so that each order line
    -- keeps line_total = unit_price * quantity.
    share             bigint NOT NULL CHECK (share > 0 AND share % quantity = 0),
    PRIMARY KEY (bundle_product_id, position),
    CHECK (product_id <> bundle_product_id)
);
CREATE UNIQUE INDEX bundle_parts_item ON bundle_parts (bundle_product_id, product_id, coalesce(option_id, 0));
CREATE INDEX bundle_parts_product ON bundle_parts (product_id);

-- bundle_stock is how many of bundle pid can be sold now; NULL when pid is
-- not a bundle.
CREATE FUNCTION bundle_stock(pid bigint) RETURNS int LANGUAGE sql STABLE AS $$
    SELECT min(coalesce(o.stock, p.stock) / bp.quantity)::int
    FROM bundle_parts bp
    JOIN products p ON p.id = bp.product_id
    LEFT JOIN product_options o ON o.id = bp.option_id
    WHERE bp.bundle_product_id = pid
$$;

-- A bundle's price, enterprise and own stock never change once written:
-- its parts' shares were set against that price.
-- +goose StatementBegin
CREATE FUNCTION bundles_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.consumer_price <> OLD.consumer_price OR NEW.public_price <> OLD.public_price
        OR NEW.enterprise_id <> OLD.enterprise_id OR NEW.stock <> OLD.stock)
       AND EXISTS (SELECT 1 FROM bundles WHERE product_id = OLD.id) THEN
        RAISE EXCEPTION 'bundle % price, enterprise and stock are fixed', OLD.id USING ERRCODE = 'check_violation',
            CONSTRAINT = 'bundles_frozen';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER bundles_frozen BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION bundles_frozen();

-- When a part's search document is queued (its stock or status changed),
-- queue its bundles too: their availability follows.
-- +goose StatementBegin
CREATE FUNCTION bundles_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_outbox (entity, entity_id)
    SELECT DISTINCT 'product', bundle_product_id FROM bundle_parts WHERE product_id = NEW.entity_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER bundles_outbox AFTER INSERT ON search_outbox
    FOR EACH ROW WHEN (NEW.entity = 'product') EXECUTE FUNCTION bundles_outbox();

-- The bundle an order line is a part of (NULL for a product bought alone),
-- with its name as ordered.
ALTER TABLE order_lines
    ADD COLUMN bundle_product_id bigint REFERENCES products (id),
    ADD COLUMN bundle_name       text NOT NULL DEFAULT '';
CREATE INDEX order_lines_bundle ON order_lines (bundle_product_id) WHERE bundle_product_id IS NOT NULL;

-- +goose Down
DROP INDEX order_lines_bundle;
ALTER TABLE order_lines DROP COLUMN bundle_name, DROP COLUMN bundle_product_id;
DROP TRIGGER bundles_outbox ON search_outbox;
DROP FUNCTION bundles_outbox();
DROP TRIGGER bundles_frozen ON products;
DROP FUNCTION bundles_frozen();
DROP FUNCTION bundle_stock(bigint);
DROP TABLE bundle_parts;
DROP TABLE bundles;
