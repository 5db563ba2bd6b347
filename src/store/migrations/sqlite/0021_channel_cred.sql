-- 0021_channel_cred (SQLite): channel credentials (org/chancred.h), org's: how a partner system
-- pushes data in (green's ingest today, the public-opinion vendor feed next). A credential is a
-- bearer token (kept as its hash) of one scope ("green:ingest") plus an HMAC-SHA256 secret
-- (sealed under the data key: the server must recompute the MAC, so it cannot keep a hash).
-- channel_replays holds each accepted signature for the ±5 minute window, so a replay is refused.
CREATE TABLE channel_creds (
    id         INTEGER PRIMARY KEY,
    scope      TEXT NOT NULL,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    secret     BLOB NOT NULL,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE channel_replays (
    cred_id   INTEGER NOT NULL,
    signature TEXT NOT NULL,
    ts        INTEGER NOT NULL,
    PRIMARY KEY (cred_id, signature)
);
