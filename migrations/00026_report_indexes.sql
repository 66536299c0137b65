-- +goose Up
-- The operators' sales report and the priority-purchase report read the
-- counted order lines of a period by the date that places each line: a
-- consumer order's payment time, a public part's 검수 date (inspected basis,
-- invoice orders) or its delivery time. Each is a range on one of these.
CREATE INDEX orders_consumer_paid ON orders (paid_at) WHERE channel = 'consumer' AND paid_at IS NOT NULL;
CREATE INDEX inspections_inspected_on ON inspections (inspected_on);
CREATE INDEX sub_orders_delivered ON sub_orders (delivered_at) WHERE status = 'delivered';

-- +goose Down
DROP INDEX sub_orders_delivered;
DROP INDEX inspections_inspected_on;
DROP INDEX orders_consumer_paid;
