-- +goose Up
-- The help desk (애로 상담, issue 11 part 7): an enterprise's request to the
-- co-op, its thread (replies both ways and the operators' internal notes,
-- which the enterprise never sees) and its attachments (kept in the blob
-- store under helpdesk/<enterprise>/…).
CREATE TABLE help_requests (
    id               bigserial PRIMARY KEY,
    enterprise_id    bigint NOT NULL REFERENCES enterprises (id),
    opened_by        bigint REFERENCES users (id) ON DELETE SET NULL,
    category         text NOT NULL CHECK (category IN ('listing', 'photo', 'price', 'shipping', 'settlement', 'other')),
    title            text NOT NULL CHECK (title <> '' AND char_length(title) <= 100),
    product_id       bigint REFERENCES products (id) ON DELETE SET NULL,
    sub_order_id     bigint REFERENCES sub_orders (id) ON DELETE SET NULL,
    status           text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_progress', 'done')),
    assignee_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    closed_at        timestamptz,
    CHECK ((status = 'done') = (closed_at IS NOT NULL))
);
CREATE INDEX help_requests_enterprise ON help_requests (enterprise_id, created_at DESC);
CREATE INDEX help_requests_open ON help_requests (created_at) WHERE status <> 'done';
CREATE INDEX help_requests_month ON help_requests (created_at, category);

CREATE TABLE help_messages (
    id          bigserial PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    author_id   bigint REFERENCES users (id) ON DELETE SET NULL,
    author_role text NOT NULL CHECK (author_role IN ('enterprise', 'operator')),
    -- note: an operators' internal note, never shown to the enterprise.
    kind        text NOT NULL CHECK (kind IN ('message', 'note')),
    body        text NOT NULL CHECK (body <> '' AND char_length(body) <= 5000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'message' OR author_role = 'operator')
);
CREATE INDEX help_messages_request ON help_messages (request_id, created_at, id);

CREATE TABLE help_attachments (
    id           bigserial PRIMARY KEY,
    request_id   bigint NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    message_id   bigint NOT NULL REFERENCES help_messages (id) ON DELETE CASCADE,
    blob_key     text NOT NULL UNIQUE,
    name         text NOT NULL CHECK (name <> '' AND char_length(name) <= 200),
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size         bigint NOT NULL CHECK (size > 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX help_attachments_message ON help_attachments (message_id, id);

-- What an operator changed while acting on an enterprise's behalf from a
-- request (the acting session carries the request): the request page lists it.
ALTER TABLE audit_log ADD COLUMN help_request_id bigint REFERENCES help_requests (id) ON DELETE SET NULL;
CREATE INDEX audit_log_help_request ON audit_log (help_request_id, at DESC) WHERE help_request_id IS NOT NULL;

-- +goose Down
DROP INDEX audit_log_help_request;
ALTER TABLE audit_log DROP COLUMN help_request_id;
DROP TABLE help_attachments;
DROP TABLE help_messages;
DROP TABLE help_requests;
