-- +goose Up
-- Catalogue writes from the enterprise portal, the operator console and the
-- CSV upload (internal/catalog.Manager).

-- pending_review: published by an enterprise whose products an operator
-- approves first. archived: deleted by its enterprise but kept because order
-- lines refer to it; never shown, listed or indexed.
ALTER TABLE products DROP CONSTRAINT products_status_check;
ALTER TABLE products ADD CONSTRAINT products_status_check
    CHECK (status IN ('draft', 'active', 'hidden', 'pending_review', 'archived'));

-- 상품코드: the enterprise's own code for a product, which the CSV upload
-- matches rows by.
ALTER TABLE products ADD COLUMN code text NOT NULL DEFAULT '';

-- One enterprise does not sell two products (archived ones aside) under one
-- name or one code. Names already shared (imported before this rule) get the
-- product's id appended, and are queued for the search index.
WITH renamed AS (
    UPDATE products p SET name = p.name || ' (' || p.id || ')', updated_at = now()
    FROM (SELECT id, row_number() OVER (PARTITION BY enterprise_id, name ORDER BY id) AS n
          FROM products WHERE status <> 'archived') d
    WHERE d.id = p.id AND d.n > 1
    RETURNING p.id
)
INSERT INTO search_outbox (entity, entity_id) SELECT 'product', id FROM renamed;
CREATE UNIQUE INDEX products_enterprise_name ON products (enterprise_id, name) WHERE status <> 'archived';
CREATE UNIQUE INDEX products_enterprise_code ON products (enterprise_id, code) WHERE code <> '' AND status <> 'archived';

-- An enterprise whose products an operator reviews before they are shown.
ALTER TABLE enterprises ADD COLUMN review_products boolean NOT NULL DEFAULT false;

-- A small rendition of the image for lists; '' until one is made.
ALTER TABLE product_images ADD COLUMN thumb_url text NOT NULL DEFAULT '';

-- Whether a product was ever ordered decides between deleting and archiving
-- it, and the foreign key checks order lines on every delete.
CREATE INDEX order_lines_product ON order_lines (product_id);

-- +goose Down
DROP INDEX order_lines_product;
ALTER TABLE product_images DROP COLUMN thumb_url;
ALTER TABLE enterprises DROP COLUMN review_products;
DROP INDEX products_enterprise_code;
DROP INDEX products_enterprise_name;
ALTER TABLE products DROP COLUMN code;
UPDATE products SET status = 'hidden' WHERE status IN ('pending_review', 'archived');
ALTER TABLE products DROP CONSTRAINT products_status_check;
ALTER TABLE products ADD CONSTRAINT products_status_check CHECK (status IN ('draft', 'active', 'hidden'));
