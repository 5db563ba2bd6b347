-- 0025_opinion_items (SQLite): public-opinion items (issue 17 §1, opinion/opinion.h). Vendors push
-- items through a channel (a channel credential of scope "opinion:ingest"); officials enter them
-- by hand (channel_id 0). An item is keyed by (channel, source item id): the same again answers
-- its first result, other content 409. A URL seen before makes a duplicate (duplicate_of, not in
-- any event's reach); a text within simhash distance 3 of a recent item's joins its event; any
-- other item starts an event. sh0..sh3 are the simhash's four 16-bit bands (a distance ≤ 3 leaves
-- one band equal), so near-duplicates are found through indexes. The author is kept only as a
-- keyed hash. opinion_item_rules: the live rules an item matched when it came in.
CREATE TABLE opinion_channels (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    vendor     TEXT NOT NULL,
    cred_id    INTEGER NOT NULL UNIQUE,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE opinion_events (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    items      INTEGER NOT NULL,
    reads      INTEGER NOT NULL,
    shares     INTEGER NOT NULL,
    comments   INTEGER NOT NULL,
    first_at   INTEGER NOT NULL,
    last_at    INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE opinion_items (
    id             INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL,
    source_item_id TEXT NOT NULL,
    body_hash      TEXT NOT NULL,
    source         TEXT NOT NULL,
    url            TEXT NOT NULL,
    author_hash    TEXT,
    published_at   INTEGER NOT NULL,
    text           TEXT NOT NULL,
    reads          INTEGER NOT NULL,
    shares         INTEGER NOT NULL,
    comments       INTEGER NOT NULL,
    media          TEXT NOT NULL,
    simhash        INTEGER NOT NULL,
    sh0            INTEGER NOT NULL,
    sh1            INTEGER NOT NULL,
    sh2            INTEGER NOT NULL,
    sh3            INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('new', 'near_duplicate', 'duplicate')),
    duplicate_of   INTEGER,
    event_id       INTEGER,
    grade          TEXT NOT NULL,
    entered_by     INTEGER,
    unit_id        INTEGER,
    route          TEXT NOT NULL DEFAULT 'none' CHECK (route IN ('district', 'several', 'none')),
    places         TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    UNIQUE (channel_id, source_item_id)
);
CREATE INDEX opinion_items_url ON opinion_items (url, id);
CREATE INDEX opinion_items_sh0 ON opinion_items (sh0, created_at);
CREATE INDEX opinion_items_sh1 ON opinion_items (sh1, created_at);
CREATE INDEX opinion_items_sh2 ON opinion_items (sh2, created_at);
CREATE INDEX opinion_items_sh3 ON opinion_items (sh3, created_at);
CREATE INDEX opinion_items_event ON opinion_items (event_id, id);
CREATE TABLE opinion_item_rules (
    item_id    INTEGER NOT NULL,
    rule_id    INTEGER NOT NULL,
    topic      TEXT NOT NULL,
    grade_hint TEXT NOT NULL,
    owner_unit INTEGER NOT NULL,
    PRIMARY KEY (item_id, rule_id)
);
-- The gazetteer beside the 41 district-level units (whose names come from units): townships,
-- streets and well-known places, each naming its district-level unit by GB/T 2260 code or key;
-- the office edits it. The rows below are demo data.
CREATE TABLE opinion_places (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('township', 'street', 'place')),
    unit_ref   TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO opinion_places (name, kind, unit_ref, created_by, created_at) VALUES
    ('解放碑', 'place', '500103', 0, 0),
    ('朝天门', 'place', '500103', 0, 0),
    ('洪崖洞', 'place', '500103', 0, 0),
    ('观音桥街道', 'street', '500105', 0, 0),
    ('磁器口', 'place', '500106', 0, 0),
    ('歌乐山', 'place', '500106', 0, 0),
    ('南坪街道', 'street', '500108', 0, 0),
    ('南山街道', 'street', '500108', 0, 0),
    ('缙云山', 'place', '500109', 0, 0),
    ('白鹤梁', 'place', '500102', 0, 0),
    ('大足石刻', 'place', '500111', 0, 0),
    ('天生三桥', 'place', '500156', 0, 0),
    ('高峰镇', 'township', '500101', 0, 0),
    ('礼嘉街道', 'street', '两江新区', 0, 0);
-- The handling of each new item (near-duplicates and duplicates ride on their event's original):
-- 发现 found → 研判 assessed (grade, clock) → 交办 assigned (unit, deadline) → 处置 responded
-- (text, release links) → [签批 by 市委宣传部 for 重大/特别重大] → 反馈 released → 办结 closed.
-- due_at = the item's arrival + the clock of its grade (5 h 特别重大, 24 h 重大, 48 h 一般);
-- escalated_at is set by the tick once when the clock ran out before release.
CREATE TABLE opinion_cases (
    item_id      INTEGER PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('found', 'assessed', 'assigned', 'responded',
                                                 'released', 'closed')),
    grade        TEXT NOT NULL,
    due_at       INTEGER NOT NULL,
    unit_id      INTEGER,
    deadline     INTEGER,
    response     TEXT,
    links        TEXT,
    assessed_by  INTEGER,
    assigned_by  INTEGER,
    responded_by INTEGER,
    signed_by    INTEGER,
    signed_at    INTEGER,
    released_by  INTEGER,
    released_at  INTEGER,
    closed_by    INTEGER,
    closed_at    INTEGER,
    escalated_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX opinion_cases_due ON opinion_cases (status, due_at);
