-- +goose Up
-- Volume tiers (수량별 단가): from min_quantity units on one order line, each
-- unit of the product costs unit_price on that price list instead of the
-- list's base price (products.consumer_price or products.public_price); an
-- option's extra price is added on top as usual. The rules that span rows —
-- at most 5 tiers per list, a higher min_quantity has a strictly lower price,
-- every tier is below the list's base price — are checked by the catalogue
-- (internal/catalog) on every write; the rules of one row are checked here.
CREATE TABLE product_price_tiers (
    product_id    bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    list          text NOT NULL CHECK (list IN ('consumer', 'public')),
    min_quantity  integer NOT NULL CHECK (min_quantity >= 2 AND min_quantity <= 1000000),
    unit_price    bigint NOT NULL CHECK (unit_price > 0 AND unit_price <= 100000000),
    UNIQUE (product_id, list, min_quantity)
);

-- +goose Down
DROP TABLE product_price_tiers;
