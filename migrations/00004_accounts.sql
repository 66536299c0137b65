-- +goose Up
-- People who sign in. E-mail addresses are stored trimmed and lower-cased by
-- the account service; the unique index on lower(email) is the last defence.
CREATE TABLE users (
    id                 bigserial PRIMARY KEY,
    email              text NOT NULL CHECK (email <> '' AND length(email) <= 254),
    name               text NOT NULL CHECK (name <> ''),
    phone              text NOT NULL DEFAULT '',
    password_hash      text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    role               text NOT NULL CHECK (role IN ('consumer', 'enterprise', 'institution', 'operator')),
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    email_confirmed_at timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at    timestamptz
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_role ON users (role, id);

-- Enterprise onboarding: an application is a pending enterprise row; the
-- operator's review moves it to active or rejected. The settlement account is
-- where the co-op pays the enterprise.
ALTER TABLE enterprises DROP CONSTRAINT enterprises_status_check;
ALTER TABLE enterprises ADD CONSTRAINT enterprises_status_check
    CHECK (status IN ('pending', 'active', 'rejected', 'suspended'));
ALTER TABLE enterprises
    ADD COLUMN rejection_reason text NOT NULL DEFAULT '',
    ADD COLUMN applied_at       timestamptz,
    ADD COLUMN reviewed_at      timestamptz,
    ADD COLUMN reviewed_by      bigint REFERENCES users (id),
    ADD COLUMN bank_name        text NOT NULL DEFAULT '',
    ADD COLUMN bank_account     text NOT NULL DEFAULT '' CHECK (bank_account ~ '^[0-9-]*$'),
    ADD COLUMN bank_holder      text NOT NULL DEFAULT '',
    ADD CONSTRAINT enterprises_rejection_reason CHECK (status <> 'rejected' OR rejection_reason <> '');
CREATE INDEX enterprises_applications ON enterprises (status, applied_at DESC, id DESC) WHERE applied_at IS NOT NULL;

-- One enterprise per user: the primary key is the user.
CREATE TABLE enterprise_members (
    user_id       bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    role          text NOT NULL CHECK (role IN ('owner', 'staff')),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprise_members_enterprise ON enterprise_members (enterprise_id);

-- Single-use tokens mailed as links. Only the SHA-256 of a token is kept, so a
-- copy of this table opens nothing.
CREATE TABLE account_tokens (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('email_confirm', 'password_reset', 'invitation')),
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id       bigint REFERENCES users (id) ON DELETE CASCADE,
    enterprise_id bigint REFERENCES enterprises (id) ON DELETE CASCADE,
    email         text NOT NULL,
    member_role   text CHECK (member_role IN ('owner', 'staff')),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'invitation' OR user_id IS NOT NULL),
    CHECK (kind <> 'invitation' OR (enterprise_id IS NOT NULL AND member_role IS NOT NULL))
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, kind) WHERE used_at IS NULL;
CREATE INDEX account_tokens_invitations ON account_tokens (enterprise_id, created_at DESC) WHERE kind = 'invitation';

-- Keys for the enterprise API; only the SHA-256 of a key is kept, prefix is
-- what the portal shows so a person can tell keys apart.
CREATE TABLE api_keys (
    id            bigserial PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    name          text NOT NULL CHECK (name <> ''),
    prefix        text NOT NULL,
    key_hash      bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_enterprise ON api_keys (enterprise_id, id);

-- Who did what to whose thing. No foreign keys on purpose: the record of an
-- action outlives the rows it names.
CREATE TABLE audit_log (
    id                      bigserial PRIMARY KEY,
    at                      timestamptz NOT NULL DEFAULT now(),
    actor_user_id           bigint,
    actor_role              text NOT NULL,
    actor_api_key_id        bigint,
    on_behalf_enterprise_id bigint,
    enterprise_id           bigint,
    action                  text NOT NULL CHECK (action <> ''),
    entity                  text NOT NULL CHECK (entity <> ''),
    entity_id               text NOT NULL DEFAULT '',
    before                  jsonb,
    after                   jsonb
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at DESC);
CREATE INDEX audit_log_enterprise ON audit_log (enterprise_id, at DESC);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at DESC);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE api_keys;
DROP TABLE account_tokens;
DROP TABLE enterprise_members;
DROP INDEX enterprises_applications;
ALTER TABLE enterprises
    DROP CONSTRAINT enterprises_rejection_reason,
    DROP COLUMN rejection_reason,
    DROP COLUMN applied_at,
    DROP COLUMN reviewed_at,
    DROP COLUMN reviewed_by,
    DROP COLUMN bank_name,
    DROP COLUMN bank_account,
    DROP COLUMN bank_holder;
UPDATE enterprises SET status = 'suspended' WHERE status = 'rejected';
ALTER TABLE enterprises DROP CONSTRAINT enterprises_status_check;
ALTER TABLE enterprises ADD CONSTRAINT enterprises_status_check
    CHECK (status IN ('pending', 'active', 'suspended'));
DROP TABLE users;
