-- +goose Up
-- Issue 14: the enterprise directory and the co-op's notices.
--
-- The directory sorts by name without the legal form in front of it
-- ((유)햇살 sorts under ㅎ, 주식회사 다라 under ㄷ): sort_name is the name
-- without those prefixes, kept by the database so every write path
-- (onboarding, the console, imports) gets it. Words such as 협동조합 count
-- as a prefix only when a space follows them (협동식당 stays as it is).
-- The directory orders by sort_name COLLATE "C": Hangul syllables are
-- encoded in ㄱ-ㅎ order, and "C" is the same on every server.
ALTER TABLE enterprises ADD COLUMN sort_name text GENERATED ALWAYS AS (
    coalesce(nullif(regexp_replace(name,
        '^([[:space:]]*(\([[:space:]]*(주|유|사|재|합|협|농|영|유한|사단|재단|사협)[[:space:]]*\)|㈜|㈔|(주식회사|유한책임회사|유한회사|합자회사|합명회사|사단법인|재단법인|사회적협동조합|협동조합|농업회사법인|영농조합법인)[[:space:]]))+[[:space:]]*',
        ''), ''), name)) STORED;
CREATE INDEX enterprises_directory_name ON enterprises ((sort_name COLLATE "C"), id) WHERE status = 'active';
CREATE INDEX enterprises_directory_newest ON enterprises (created_at DESC, id DESC) WHERE status = 'active';
CREATE INDEX enterprises_name_trgm ON enterprises USING gin (name gin_trgm_ops);

-- The co-op's board: 공지사항 (notice) and 자료실 (download) posts the
-- operator writes in the console. A post without published_at is a draft
-- and never public; pinned posts lead their list.
CREATE TABLE board_posts (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('notice', 'download')),
    title        text NOT NULL CHECK (title <> '' AND length(title) <= 120),
    body         text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    pinned       boolean NOT NULL DEFAULT false,
    published_at timestamptz,
    created_by   bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX board_posts_public ON board_posts (kind, pinned DESC, published_at DESC, id DESC) WHERE published_at IS NOT NULL;
CREATE INDEX board_posts_console ON board_posts (created_at DESC, id DESC);

-- A post's attachments, kept in the blob store under blob_key.
CREATE TABLE board_files (
    id           bigserial PRIMARY KEY,
    post_id      bigint NOT NULL REFERENCES board_posts (id) ON DELETE CASCADE,
    blob_key     text NOT NULL UNIQUE CHECK (blob_key <> ''),
    name         text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    content_type text NOT NULL CHECK (content_type <> ''),
    size         bigint NOT NULL CHECK (size > 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX board_files_post ON board_files (post_id, id);

-- +goose Down
DROP TABLE IF EXISTS board_files;
DROP TABLE IF EXISTS board_posts;
DROP INDEX IF EXISTS enterprises_name_trgm;
DROP INDEX IF EXISTS enterprises_directory_newest;
DROP INDEX IF EXISTS enterprises_directory_name;
ALTER TABLE enterprises DROP COLUMN IF EXISTS sort_name;
