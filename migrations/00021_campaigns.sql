-- +goose Up
-- Issue 11 part 2: 기획전 and online expos. A campaign runs over a period
-- [starts_at, ends_at) and is shown and priced only while published and in
-- its period: activity is computed from the period at read time, never
-- from a flag a process sets, so a start or an end takes effect on time on
-- every instance without a restart.
CREATE TABLE campaigns (
    id                 bigserial PRIMARY KEY,
    slug               text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
    kind               text NOT NULL CHECK (kind IN ('campaign', 'expo')),
    title              text NOT NULL CHECK (title <> ''),
    summary            text NOT NULL DEFAULT '',
    body               text NOT NULL DEFAULT '',
    banner_url         text NOT NULL DEFAULT '',
    banner_alt         text NOT NULL DEFAULT '',
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL,
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    featured           boolean NOT NULL DEFAULT false,
    -- The rule: a product matches when every criterion set matches (an
    -- empty array / NULL / '' is no criterion); no criterion set is no rule.
    rule_types         text[] NOT NULL DEFAULT '{}',
    rule_regions       text[] NOT NULL DEFAULT '{}',
    rule_category_id   bigint REFERENCES categories (id),
    rule_keyword       text NOT NULL DEFAULT '',
    -- The discount: percent in basis points (1..9999) or won per unit.
    discount_kind      text CHECK (discount_kind IN ('percent', 'won')),
    discount_value     bigint NOT NULL DEFAULT 0,
    discount_funded_by text CHECK (discount_funded_by IN ('coop', 'enterprise')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK ((discount_kind IS NULL) = (discount_funded_by IS NULL)),
    CHECK ((discount_kind IS NULL AND discount_value = 0)
        OR (discount_kind = 'percent' AND discount_value BETWEEN 1 AND 9999)
        OR (discount_kind = 'won' AND discount_value > 0))
);
CREATE INDEX campaigns_live ON campaigns (status, ends_at, starts_at);

-- Hand-picked products, in the operator's order.
CREATE TABLE campaign_products (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    product_id  bigint NOT NULL REFERENCES products (id),
    position    int NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, product_id)
);
CREATE INDEX campaign_products_product ON campaign_products (product_id);

-- An expo's booth: one per participating enterprise, its story told by the
-- enterprise itself (portal), its video link and image gallery.
CREATE TABLE campaign_booths (
    id            bigserial PRIMARY KEY,
    campaign_id   bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    story         text NOT NULL DEFAULT '',
    video_url     text NOT NULL DEFAULT '' CHECK (video_url = '' OR video_url ~ '^https://'),
    position      int NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, enterprise_id)
);
CREATE INDEX campaign_booths_enterprise ON campaign_booths (enterprise_id);

CREATE TABLE campaign_booth_images (
    booth_id bigint NOT NULL REFERENCES campaign_booths (id) ON DELETE CASCADE,
    position int NOT NULL,
    url      text NOT NULL CHECK (url <> ''),
    alt      text NOT NULL DEFAULT '',
    PRIMARY KEY (booth_id, position)
);

-- 00018 left order_lines.campaign_id without its foreign key until now.
-- A campaign that was ever ordered from cannot be deleted (RESTRICT).
ALTER TABLE order_lines ADD CONSTRAINT order_lines_campaign
    FOREIGN KEY (campaign_id) REFERENCES campaigns (id);
CREATE INDEX order_lines_campaign ON order_lines (campaign_id) WHERE campaign_id IS NOT NULL;

-- +goose Down
DROP INDEX order_lines_campaign;
ALTER TABLE order_lines DROP CONSTRAINT order_lines_campaign;
DROP TABLE campaign_booth_images;
DROP TABLE campaign_booths;
DROP TABLE campaign_products;
DROP TABLE campaigns;
