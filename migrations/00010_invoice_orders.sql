-- +goose Up
-- Public orders on invoice (issue 10 parts 5 and 6): the co-op's own
-- details and rules (one row), the holidays that working days skip, an
-- order's channel and payment terms, the buyer's inspection (검수) of each
-- part, the payment claim (대금 청구) it starts, and the bank transfers the
-- operator records against the invoice.

-- The co-op: its business details (documents, the shop footer), the bank
-- account invoices name, and the public-contract rules, which are settings
-- because the rules change.
CREATE TABLE coop_settings (
    id                    boolean PRIMARY KEY DEFAULT true CHECK (id),
    name                  text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    representative        text NOT NULL DEFAULT '' CHECK (length(representative) <= 50),
    business_number       text NOT NULL DEFAULT '' CHECK (business_number = '' OR business_number ~ '^[0-9]{10}$'),
    mail_order_number     text NOT NULL DEFAULT '' CHECK (length(mail_order_number) <= 50),
    address               text NOT NULL DEFAULT '' CHECK (length(address) <= 200),
    phone                 text NOT NULL DEFAULT '' CHECK (length(phone) <= 20),
    email                 text NOT NULL DEFAULT '' CHECK (length(email) <= 100),
    bank_name             text NOT NULL DEFAULT '' CHECK (length(bank_name) <= 30),
    bank_account          text NOT NULL DEFAULT '' CHECK (bank_account = '' OR bank_account ~ '^[0-9][0-9-]{5,29}$'),
    bank_holder           text NOT NULL DEFAULT '' CHECK (length(bank_holder) <= 50),
    inspection_days       int NOT NULL DEFAULT 14 CHECK (inspection_days BETWEEN 1 AND 90),
    claim_working_days    int NOT NULL DEFAULT 5 CHECK (claim_working_days BETWEEN 1 AND 60),
    report_basis          text NOT NULL DEFAULT 'inspected' CHECK (report_basis IN ('inspected', 'delivered')),
    direct_contract_limit bigint NOT NULL DEFAULT 50000000 CHECK (direct_contract_limit > 0),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    updated_by            bigint REFERENCES users (id)
);
INSERT INTO coop_settings (id) VALUES (true);

-- Days that are not working days besides Saturdays and Sundays (Korean
-- public holidays, substitute holidays, election days); the operator edits
-- the list.
CREATE TABLE holidays (
    day  date PRIMARY KEY,
    name text NOT NULL CHECK (name <> '' AND length(name) <= 50)
);
INSERT INTO holidays (day, name) VALUES
    ('2026-01-01', '신정'),
    ('2026-02-16', '설날 연휴'), ('2026-02-17', '설날'), ('2026-02-18', '설날 연휴'),
    ('2026-03-01', '삼일절'), ('2026-03-02', '대체공휴일(삼일절)'),
    ('2026-05-05', '어린이날'),
    ('2026-05-24', '부처님오신날'), ('2026-05-25', '대체공휴일(부처님오신날)'),
    ('2026-06-03', '전국동시지방선거'),
    ('2026-06-06', '현충일'),
    ('2026-08-15', '광복절'), ('2026-08-17', '대체공휴일(광복절)'),
    ('2026-09-24', '추석 연휴'), ('2026-09-25', '추석'), ('2026-09-26', '추석 연휴'),
    ('2026-10-03', '개천절'), ('2026-10-05', '대체공휴일(개천절)'),
    ('2026-10-09', '한글날'),
    ('2026-12-25', '성탄절'),
    ('2027-01-01', '신정'),
    ('2027-02-06', '설날 연휴'), ('2027-02-07', '설날'), ('2027-02-08', '설날 연휴'),
    ('2027-02-09', '대체공휴일(설날)'),
    ('2027-03-01', '삼일절'),
    ('2027-05-05', '어린이날'),
    ('2027-05-13', '부처님오신날'),
    ('2027-06-06', '현충일'),
    ('2027-08-15', '광복절'), ('2027-08-16', '대체공휴일(광복절)'),
    ('2027-09-14', '추석 연휴'), ('2027-09-15', '추석'), ('2027-09-16', '추석 연휴'),
    ('2027-10-03', '개천절'), ('2027-10-04', '대체공휴일(개천절)'),
    ('2027-10-09', '한글날'), ('2027-10-11', '대체공휴일(한글날)'),
    ('2027-12-25', '성탄절'), ('2027-12-27', '대체공휴일(성탄절)');

-- An order's payment terms: card now (the Stripe path) or invoice (bank
-- transfer after 검수). A public order names its institution, the quote it
-- came from (procurement comes later: no foreign key yet) and the delivery
-- date the buyer asked for. An invoice order is 'confirmed' (not paid) and
-- its parts go to the enterprises at once: nothing in it says money came.
ALTER TABLE orders
    ADD COLUMN payment_terms         text NOT NULL DEFAULT 'card' CHECK (payment_terms IN ('card', 'invoice')),
    ADD COLUMN institution_id        bigint REFERENCES institutions (id),
    ADD COLUMN quote_id              bigint,
    ADD COLUMN desired_delivery_date date,
    DROP CONSTRAINT orders_status_check,
    ADD CONSTRAINT orders_status_check CHECK (status IN ('pending_payment', 'confirmed', 'paid', 'completed', 'cancelled')),
    ADD CONSTRAINT orders_public_institution CHECK ((channel = 'public') = (institution_id IS NOT NULL)),
    ADD CONSTRAINT orders_invoice_public CHECK (payment_terms = 'card' OR channel = 'public'),
    ADD CONSTRAINT orders_invoice_never_paid CHECK (payment_terms = 'card' OR (status <> 'paid' AND paid_at IS NULL));
CREATE INDEX orders_institution ON orders (institution_id, created_at DESC) WHERE institution_id IS NOT NULL;
CREATE INDEX orders_invoice ON orders (created_at DESC, id DESC) WHERE payment_terms = 'invoice';

ALTER TABLE sub_orders
    DROP CONSTRAINT sub_orders_status_check,
    ADD CONSTRAINT sub_orders_status_check
        CHECK (status IN ('pending_payment', 'confirmed', 'paid', 'accepted', 'shipped', 'delivered', 'cancelled'));

-- The buyer's inspection (검수) of one part: pass, partial (the accepted
-- quantity of each line in inspection_lines) or reject, with a reason for
-- the last two. A rejected part may be inspected again (after a new
-- delivery); a passed or partial one is final.
CREATE TABLE inspections (
    sub_order_id bigint PRIMARY KEY REFERENCES sub_orders (id),
    order_id     bigint NOT NULL REFERENCES orders (id),
    inspected_on date NOT NULL,
    inspector    text NOT NULL CHECK (inspector <> '' AND length(inspector) <= 30),
    result       text NOT NULL CHECK (result IN ('pass', 'partial', 'reject')),
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (result = 'pass' OR reason <> '')
);
CREATE INDEX inspections_order ON inspections (order_id);

CREATE TABLE inspection_lines (
    sub_order_id      bigint NOT NULL REFERENCES inspections (sub_order_id) ON DELETE CASCADE,
    order_line_id     bigint NOT NULL REFERENCES order_lines (id),
    accepted_quantity int NOT NULL CHECK (accepted_quantity >= 0),
    PRIMARY KEY (sub_order_id, order_line_id)
);

-- The payment claim (대금 청구) a passed or partial inspection starts: what
-- the accepted lines (and the part's agreed shipping) come to, due a number
-- of working days after the claim.
CREATE TABLE payment_claims (
    sub_order_id bigint PRIMARY KEY REFERENCES sub_orders (id),
    order_id     bigint NOT NULL REFERENCES orders (id),
    amount       bigint NOT NULL CHECK (amount >= 0),
    claimed_on   date NOT NULL,
    due_on       date NOT NULL CHECK (due_on >= claimed_on),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_claims_order ON payment_claims (order_id);
CREATE INDEX payment_claims_due ON payment_claims (due_on);

-- Bank transfers the operator recorded against an invoice order; partial
-- payments are kept, one row each.
CREATE TABLE invoice_transfers (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    received_on date NOT NULL,
    amount      bigint NOT NULL CHECK (amount > 0),
    payer       text NOT NULL CHECK (payer <> '' AND length(payer) <= 50),
    reference   text NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
    recorded_by bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoice_transfers_order ON invoice_transfers (order_id, id);

-- +goose Down
DROP TABLE invoice_transfers;
DROP TABLE payment_claims;
DROP TABLE inspection_lines;
DROP TABLE inspections;
ALTER TABLE sub_orders
    DROP CONSTRAINT sub_orders_status_check,
    ADD CONSTRAINT sub_orders_status_check
        CHECK (status IN ('pending_payment', 'paid', 'accepted', 'shipped', 'delivered', 'cancelled'));
DROP INDEX orders_invoice;
DROP INDEX orders_institution;
ALTER TABLE orders
    DROP CONSTRAINT orders_invoice_never_paid,
    DROP CONSTRAINT orders_invoice_public,
    DROP CONSTRAINT orders_public_institution,
    DROP CONSTRAINT orders_status_check,
    ADD CONSTRAINT orders_status_check CHECK (status IN ('pending_payment', 'paid', 'completed', 'cancelled')),
    DROP COLUMN desired_delivery_date,
    DROP COLUMN quote_id,
    DROP COLUMN institution_id,
    DROP COLUMN payment_terms;
DROP TABLE holidays;
DROP TABLE coop_settings;
