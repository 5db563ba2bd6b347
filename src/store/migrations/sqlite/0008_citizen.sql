-- 0008_citizen (SQLite): public accounts (issue 12 §1, §2). Every table that holds a person's
-- rows is keyed by the account id first (citizen_id in every unique key), so the tables can be
-- partitioned or distributed by account without a schema change (docs/architecture.md,
-- "Public accounts at scale"). The one exception is citizen_unique, the lookup that keeps a
-- phone number, a resident ID number or a credit code to one owner: it is keyed by the value's
-- keyed hash (a global index, distributed by that hash).
-- citizens: the account; phone, real name and resident ID number sealed (XChaCha20-Poly1305,
-- base/crypto.h) with a masked copy for display; birth_date derived from the ID number.
-- citizen_sessions: the public sessions, separate from officials' (token = "<id>.<random>").
-- citizen_otps: one-time codes (hashed with a key, never in clear), by phone hash.
-- citizen_consents: the privacy notice and the separate consents, with version and time.
-- citizen_guardians: a child's guardian (request, approval). organisations / org_members:
-- registered organisations, reviewed by a unit, and their members (org_admin, org_staff).
-- outbox_direct (notify's): SMS to a phone number with no official's account (codes).
CREATE TABLE citizens (
    id              INTEGER PRIMARY KEY,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
    phone_seal      BLOB,
    phone_mask      TEXT,
    pw_hash         TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    nickname        TEXT,
    name_seal       BLOB,
    name_mask       TEXT,
    id_seal         BLOB,
    id_mask         TEXT,
    birth_date      TEXT,
    realname        TEXT NOT NULL DEFAULT 'none' CHECK (realname IN ('none', 'pending_guardian',
                                                                     'verified')),
    realname_at     INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    deleted_at      INTEGER
);

CREATE TABLE citizen_unique (
    kind       TEXT NOT NULL CHECK (kind IN ('phone', 'resident_id', 'uscc')),
    key_hash   TEXT NOT NULL,
    owner_id   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (kind, key_hash)
);
CREATE INDEX citizen_unique_owner ON citizen_unique(owner_id, kind);

CREATE TABLE citizen_sessions (
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (citizen_id, token_hash)
);

CREATE TABLE citizen_otps (
    id         INTEGER PRIMARY KEY,
    phone_hash TEXT NOT NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'change_phone',
                                                  'reset_password')),
    code_hash  TEXT NOT NULL,
    ip         TEXT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX citizen_otps_phone ON citizen_otps(phone_hash, purpose, id);
CREATE INDEX citizen_otps_ip ON citizen_otps(ip, created_at);

CREATE TABLE citizen_consents (
    citizen_id   INTEGER NOT NULL REFERENCES citizens(id),
    id           INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('privacy', 'sensitive', 'child')),
    version      TEXT NOT NULL,
    given_at     INTEGER NOT NULL,
    given_by     INTEGER NOT NULL,
    withdrawn_at INTEGER,
    PRIMARY KEY (citizen_id, id)
);

CREATE TABLE citizen_guardians (
    child_id     INTEGER NOT NULL REFERENCES citizens(id),
    guardian_id  INTEGER NOT NULL REFERENCES citizens(id),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    requested_at INTEGER NOT NULL,
    decided_at   INTEGER,
    PRIMARY KEY (child_id, guardian_id)
);
CREATE INDEX citizen_guardians_guardian ON citizen_guardians(guardian_id, child_id);

CREATE TABLE organisations (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('volunteer_org', 'facility_operator', 'school',
                                                 'enterprise', 'social_org')),
    name           TEXT NOT NULL,
    uscc           TEXT NOT NULL,
    responsible_id INTEGER REFERENCES citizens(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted',
                                                                     'returned')),
    filed_by       INTEGER REFERENCES citizens(id),
    reviewed_by    INTEGER REFERENCES users(id),
    reviewed_at    INTEGER,
    review_reason  TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX organisations_unit ON organisations(unit_id, status, id);

CREATE TABLE org_members (
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    role       TEXT NOT NULL CHECK (role IN ('org_admin', 'org_staff')),
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (citizen_id, org_id)
);
CREATE INDEX org_members_org ON org_members(org_id, citizen_id);

CREATE TABLE outbox_direct (
    id          INTEGER PRIMARY KEY,
    phone_seal  BLOB,
    text        TEXT NOT NULL,
    secret_seal BLOB,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'sent',
                                                                  'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_at  INTEGER,
    claimed_by  INTEGER REFERENCES users(id),
    sent_at     INTEGER,
    last_error  TEXT,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX outbox_direct_status ON outbox_direct(status, id);
