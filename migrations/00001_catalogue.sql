-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- A member enterprise of the co-op. Its type and certification are what public
-- priority-purchase reports group by, so both are closed/validated here too.
CREATE TABLE enterprises (
    id                      bigserial PRIMARY KEY,
    external_id             text NOT NULL UNIQUE CHECK (external_id <> ''),
    name                    text NOT NULL CHECK (name <> ''),
    type                    text NOT NULL CHECK (type IN ('social_enterprise', 'pre_social_enterprise',
                               'village_enterprise', 'self_sufficiency', 'cooperative', 'social_cooperative')),
    cert_number             text NOT NULL DEFAULT '',
    cert_valid_until        date,
    business_number         char(10) NOT NULL UNIQUE CHECK (business_number ~ '^[0-9]{10}$'),
    region                  text NOT NULL CHECK (region IN ('seoul', 'busan', 'daegu', 'incheon', 'gwangju',
                               'daejeon', 'ulsan', 'sejong', 'gyeonggi', 'gangwon', 'chungbuk', 'chungnam',
                               'jeonbuk', 'jeonnam', 'gyeongbuk', 'gyeongnam', 'jeju')),
    representative          text NOT NULL CHECK (representative <> ''),
    phone                   text NOT NULL DEFAULT '',
    email                   text NOT NULL DEFAULT '',
    address                 text NOT NULL DEFAULT '',
    mission                 text NOT NULL DEFAULT '',
    description             text NOT NULL DEFAULT '',
    shipping_fee            bigint NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
    free_shipping_threshold bigint NOT NULL DEFAULT 0 CHECK (free_shipping_threshold >= 0),
    remote_surcharge        bigint NOT NULL DEFAULT 0 CHECK (remote_surcharge >= 0),
    status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'suspended')),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprises_type_region ON enterprises (type, region);

CREATE TABLE categories (
    id          bigserial PRIMARY KEY,
    external_id text NOT NULL UNIQUE CHECK (external_id <> ''),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
    parent_id   bigint REFERENCES categories (id),
    name        text NOT NULL CHECK (name <> ''),
    position    int NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TABLE products (
    id             bigserial PRIMARY KEY,
    external_id    text NOT NULL UNIQUE CHECK (external_id <> ''),
    enterprise_id  bigint NOT NULL REFERENCES enterprises (id),
    category_id    bigint NOT NULL REFERENCES categories (id),
    kind           text NOT NULL CHECK (kind IN ('goods', 'service')),
    name           text NOT NULL CHECK (name <> ''),
    summary        text NOT NULL DEFAULT '',
    description    text NOT NULL DEFAULT '',
    unit           text NOT NULL DEFAULT '',
    tax_type       text NOT NULL CHECK (tax_type IN ('taxable', 'exempt')),
    consumer_price bigint NOT NULL CHECK (consumer_price > 0),
    public_price   bigint NOT NULL CHECK (public_price > 0),
    stock          int NOT NULL CHECK (stock >= 0),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'hidden')),
    featured       boolean NOT NULL DEFAULT false,
    popularity     int NOT NULL DEFAULT 0 CHECK (popularity >= 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_enterprise ON products (enterprise_id, id);
CREATE INDEX products_category ON products (category_id, id);
CREATE INDEX products_status_created ON products (status, created_at DESC, id DESC);
CREATE INDEX products_featured ON products (featured) WHERE featured;
CREATE INDEX products_name_trgm ON products USING gin (name gin_trgm_ops);
CREATE INDEX products_desc_trgm ON products USING gin ((summary || ' ' || description) gin_trgm_ops);

-- Options are sellable variants (SKUs) of a product, each with its own stock and
-- an extra price on top of the product's prices.
CREATE TABLE product_options (
    id          bigserial PRIMARY KEY,
    product_id  bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    code        text NOT NULL CHECK (code <> ''),
    name        text NOT NULL CHECK (name <> ''),
    extra_price bigint NOT NULL DEFAULT 0 CHECK (extra_price >= 0),
    stock       int NOT NULL CHECK (stock >= 0),
    position    int NOT NULL DEFAULT 0,
    UNIQUE (product_id, code)
);

CREATE TABLE product_images (
    product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   int NOT NULL,
    url        text NOT NULL CHECK (url <> ''),
    alt        text NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, position)
);

-- Every write that must reach the search index adds a row here in the same
-- transaction; the worker drains it, so the index converges after any crash.
CREATE TABLE search_outbox (
    id          bigserial PRIMARY KEY,
    entity      text NOT NULL CHECK (entity IN ('product', 'enterprise', 'category')),
    entity_id   bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE search_outbox;
DROP TABLE product_images;
DROP TABLE product_options;
DROP TABLE products;
DROP TABLE categories;
DROP TABLE enterprises;
