-- 0001_foundation (SQLite): units, users and roles, sessions, API tokens, audit chain,
-- idempotency records and security settings.
CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    ukey          TEXT NOT NULL UNIQUE,
    code          TEXT UNIQUE,
    name          TEXT NOT NULL,
    short_name    TEXT NOT NULL,
    tier          TEXT NOT NULL,
    parent_id     INTEGER REFERENCES units(id),
    joint_meeting TEXT,
    is_host       INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);
CREATE INDEX units_tier ON units(tier, id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    password_hash  TEXT NOT NULL,
    must_change_pw INTEGER NOT NULL DEFAULT 1,
    disabled       INTEGER NOT NULL DEFAULT 0,
    failed_count   INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0,
    phone_enc      BLOB,
    phone_hash     TEXT UNIQUE,
    phone_mask     TEXT,
    id_enc         BLOB,
    id_hash        TEXT UNIQUE,
    id_mask        TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE user_roles (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL,
    granted_by INTEGER,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE user_perms (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    perm       TEXT NOT NULL,
    granted_by INTEGER,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, perm)
);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    user_id   INTEGER,
    username  TEXT,
    unit_id   INTEGER,
    ip        TEXT,
    action    TEXT NOT NULL,
    object    TEXT,
    result    TEXT NOT NULL,
    detail    TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(user_id, id);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);

CREATE TABLE idempotency (
    user_id    INTEGER NOT NULL,
    ikey       TEXT NOT NULL,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    body_hash  TEXT NOT NULL,
    status     INTEGER NOT NULL,
    response   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, ikey)
);
CREATE INDEX idempotency_created ON idempotency(created_at);

CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by INTEGER,
    updated_at INTEGER NOT NULL
);
