-- +goose Up
-- Public institutions (공공기관) buy social-economy products on priority
-- (우선구매) and report what they bought. An institution registers (its first
-- buyer becomes its admin), the operator approves it, and colleagues join it:
-- the admin approves each. The institution's own id is its 사업자등록번호
-- (checked with its checksum) or, for bodies without one, its 고유번호; either is
-- ten digits, stored as digits alone, and names one institution.
CREATE TABLE institutions (
    id                    bigserial PRIMARY KEY,
    name                  text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    kind                  text NOT NULL CHECK (kind IN ('central', 'local', 'education', 'public_corp', 'other')),
    id_kind               text NOT NULL CHECK (id_kind IN ('business', 'unique')),
    id_number             char(10) NOT NULL UNIQUE CHECK (id_number ~ '^[0-9]{10}$'),
    postcode              char(5) NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
    road_address          text NOT NULL CHECK (road_address <> ''),
    detail_address        text NOT NULL DEFAULT '',
    phone                 text NOT NULL DEFAULT '',
    status                text NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'active', 'rejected', 'suspended')),
    rejection_reason      text NOT NULL DEFAULT '',
    -- The limit of a direct contract (수의계약) with one enterprise for this
    -- institution; NULL means the co-op's default setting.
    direct_contract_limit bigint CHECK (direct_contract_limit > 0),
    applied_at            timestamptz NOT NULL DEFAULT now(),
    reviewed_at           timestamptz,
    reviewed_by           bigint REFERENCES users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT institutions_rejection_reason CHECK (status <> 'rejected' OR rejection_reason <> '')
);
CREATE INDEX institutions_status ON institutions (status, applied_at DESC, id DESC);

-- A buyer belongs to one institution (the primary key is the user). Exactly
-- one admin per institution approves colleagues; a colleague waits as
-- 'pending' until then. 담당 부서 is per buyer: one institution, many
-- departments.
CREATE TABLE institution_members (
    user_id        bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    role           text NOT NULL CHECK (role IN ('admin', 'buyer')),
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active')),
    department     text NOT NULL DEFAULT '',
    approved_at    timestamptz,
    approved_by    bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'pending' OR approved_at IS NOT NULL OR role = 'admin')
);
CREATE INDEX institution_members_institution ON institution_members (institution_id, status);
CREATE UNIQUE INDEX institution_members_one_admin ON institution_members (institution_id) WHERE role = 'admin';

-- The audit log names institutions too.
ALTER TABLE audit_log ADD COLUMN institution_id bigint;
CREATE INDEX audit_log_institution ON audit_log (institution_id, at DESC) WHERE institution_id IS NOT NULL;

-- +goose Down
DROP INDEX audit_log_institution;
ALTER TABLE audit_log DROP COLUMN institution_id;
DROP TABLE institution_members;
DROP TABLE institutions;
