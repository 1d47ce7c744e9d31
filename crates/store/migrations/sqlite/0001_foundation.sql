-- Foundation: the unit tree, member rosters, accounts, sessions, API tokens and the audit chain.
-- Kept in step with ../postgres/0001_foundation.sql (same tables, columns and indexes).
-- Conventions (both backends): ids are BIGINT; flags are BIGINT 0/1; dates are TEXT
-- 'YYYY-MM-DD'; instants are BIGINT milliseconds since the Unix epoch, set from Rust;
-- sort keys are BYTEA compared bytewise.

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES units(id),
    path TEXT NOT NULL,
    depth BIGINT NOT NULL,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    name_key BYTEA NOT NULL,
    kind TEXT NOT NULL,
    issuer_abbrev TEXT,
    declared_official BIGINT NOT NULL DEFAULT 0,
    declared_probationary BIGINT NOT NULL DEFAULT 0,
    roster_size BIGINT NOT NULL DEFAULT 0,
    official_count BIGINT NOT NULL DEFAULT 0,
    probationary_count BIGINT NOT NULL DEFAULT 0,
    sub_units BIGINT NOT NULL DEFAULT 0,
    sub_official BIGINT NOT NULL DEFAULT 0,
    sub_probationary BIGINT NOT NULL DEFAULT 0,
    valid_from TEXT,
    valid_to TEXT,
    retired BIGINT NOT NULL DEFAULT 0,
    note TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX units_path ON units (path);
CREATE INDEX units_parent ON units (parent_id, name_key);
CREATE INDEX units_name_fold ON units (name_fold);

CREATE TABLE unit_words (
    word TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (word, unit_id)
);
CREATE INDEX unit_words_unit ON unit_words (unit_id);

CREATE TABLE unit_lineage (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    source_unit_id BIGINT NOT NULL REFERENCES units(id),
    relation TEXT NOT NULL,
    effective_date TEXT,
    PRIMARY KEY (unit_id, source_unit_id)
);
CREATE INDEX unit_lineage_source ON unit_lineage (source_unit_id);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    given_fold TEXT NOT NULL,
    name_key BYTEA NOT NULL,
    birth_date TEXT,
    sex TEXT,
    ethnicity TEXT,
    joined_date TEXT,
    membership TEXT NOT NULL,
    status TEXT NOT NULL,
    education TEXT,
    theory_level TEXT,
    note TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX members_unit ON members (unit_id, name_key);
CREATE INDEX members_path ON members (unit_path, name_key);
CREATE INDEX members_name_fold ON members (name_fold);
CREATE INDEX members_given_fold ON members (given_fold, name_fold);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'vi',
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id)
);
CREATE UNIQUE INDEX user_roles_grant ON user_roles (user_id, role, unit_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The audit chain. Each entry carries the hash of the previous one; audit_head holds the last
-- sequence number and hash and is the first row every write transaction locks, which both
-- serialises writers and gives the next link of the chain.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_id BIGINT,
    unit_path TEXT,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_unit_path ON audit_log (unit_path, seq);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
