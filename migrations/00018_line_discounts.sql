-- +goose Up
-- Issue 11: the shared shape of a discounted order line, fixed before the
-- campaign, settlement and joint-product work so that all three agree.
--
-- unit_price and line_total stay what the buyer paid (after any discount).
-- list_unit_price is the price before the discount; discount_amount is the
-- whole line's discount in won:
--     discount_amount = list_unit_price * quantity - line_total.
-- discount_funded_by says who bears it: the co-op reimburses a 'coop'
-- discount to the enterprise at settlement; an 'enterprise' discount is
-- simply less revenue. campaign_id names the campaign that gave it (the
-- campaigns table arrives later; the foreign key is added with it).
-- Lines written before this migration have no discount.
ALTER TABLE order_lines
    ADD COLUMN list_unit_price    bigint,
    ADD COLUMN discount_amount    bigint NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    ADD COLUMN discount_funded_by text CHECK (discount_funded_by IN ('coop', 'enterprise')),
    ADD COLUMN campaign_id        bigint;
UPDATE order_lines SET list_unit_price = unit_price;
ALTER TABLE order_lines
    ALTER COLUMN list_unit_price SET NOT NULL,
    ADD CONSTRAINT order_lines_discount
        CHECK (discount_amount = list_unit_price * quantity - line_total),
    ADD CONSTRAINT order_lines_discount_funder
        CHECK ((discount_amount = 0) = (discount_funded_by IS NULL));

-- A line written without a list price (no discount) gets its paid price, so
-- writers that know nothing of discounts keep working.
-- +goose StatementBegin
CREATE FUNCTION order_lines_list_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.list_unit_price IS NULL THEN
        NEW.list_unit_price := NEW.unit_price;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER order_lines_list_price BEFORE INSERT ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_lines_list_price();

-- +goose Down
DROP TRIGGER order_lines_list_price ON order_lines;
DROP FUNCTION order_lines_list_price();
ALTER TABLE order_lines
    DROP CONSTRAINT order_lines_discount_funder,
    DROP CONSTRAINT order_lines_discount,
    DROP COLUMN campaign_id,
    DROP COLUMN discount_funded_by,
    DROP COLUMN discount_amount,
    DROP COLUMN list_unit_price;
