-- +goose Up
-- A free-text quote line (청소 용역: no catalogue product asked for) is
-- supplied as one of the answering enterprise's own products, usually a
-- service: the offer names it, and the revision keeps the product it was
-- sent with, so that accepting it orders that product at the quoted price
-- with the usual order-line snapshot (enterprise type, certification).
-- Catalogue lines keep the product asked for (NULL on the offer).
ALTER TABLE quote_line_offers ADD COLUMN product_id bigint REFERENCES products (id);
ALTER TABLE quote_revision_lines ADD COLUMN product_id bigint REFERENCES products (id);

-- +goose Down
ALTER TABLE quote_revision_lines DROP COLUMN product_id;
ALTER TABLE quote_line_offers DROP COLUMN product_id;
