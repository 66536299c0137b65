-- +goose Up
-- Issue 12 (two tabs, one cart): an order remembers which cart it came from,
-- as a hash of the cart's id (the id itself is the guest's cart cookie, a
-- bearer secret). A second checkout of the same cart with the same lines
-- while the first order still holds its stock is answered with that order
-- (order.Service.Checkout); public and quote orders have none.
ALTER TABLE orders ADD COLUMN cart_ref text;
CREATE INDEX orders_pending_cart_ref ON orders (cart_ref, id)
    WHERE cart_ref IS NOT NULL AND status = 'pending_payment';

-- +goose Down
DROP INDEX IF EXISTS orders_pending_cart_ref;
ALTER TABLE orders DROP COLUMN IF EXISTS cart_ref;
