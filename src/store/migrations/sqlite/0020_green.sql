-- 0020_green (SQLite): the green-life points ledger (issue 14 §1-§4), green's tables.
-- Behaviours are a catalogue; their factors are data of a methodology version (draft →
-- published, never edited once published), and an event is credited with the version in force
-- on its activity date. Factors are integer mg CO2e per factor unit (a quantity unit × scale:
-- metres → km is 1000). The ledger is append-only and double-entry: every entry moves points
-- from an issuing account (one per day and shard, green_issuers) to a citizen's account
-- (green_accounts), whose balance is kept in the same transaction. Each citizen's entries form a
-- hash chain (prev_hash → hash, seq counting per account); `ecoact verify green` checks it.
-- Points are held as lots (green_lots) with their expiry. Times are unix seconds, dates
-- 'YYYY-MM-DD' (Asia/Shanghai). Account ids come first in the citizens' keys (partitioning).
CREATE TABLE green_behaviours (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,          -- trip, waste, goods, linked
    qty_unit    TEXT NOT NULL,          -- unit of an event's quantity, Chinese ("米")
    factor_unit TEXT NOT NULL,          -- unit of the factor ("公里")
    scale       INTEGER NOT NULL,       -- quantity units per factor unit
    dedup       TEXT NOT NULL,          -- trip | day | none (green_rules.c)
    dedup_window INTEGER NOT NULL,      -- seconds, for trip
    sort        INTEGER NOT NULL
);
CREATE TABLE green_versions (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    status         TEXT NOT NULL,       -- draft | published
    drafted_by     INTEGER,             -- NULL: the seed
    created_at     INTEGER NOT NULL,
    published_by   INTEGER,
    published_at   INTEGER
);
CREATE TABLE green_factors (
    version_id      INTEGER NOT NULL REFERENCES green_versions(id),
    behaviour       TEXT NOT NULL REFERENCES green_behaviours(code),
    mg_per_unit     INTEGER NOT NULL,
    points_per_unit INTEGER NOT NULL,
    pct_partner     INTEGER NOT NULL,   -- evidence grades: % of the points credited
    pct_proof       INTEGER NOT NULL,
    pct_self        INTEGER NOT NULL,
    cap_day         INTEGER NOT NULL,   -- points per person; 0 = none
    cap_month       INTEGER NOT NULL,
    cap_year        INTEGER NOT NULL,
    claim_days      INTEGER NOT NULL,
    validity_days   INTEGER NOT NULL,
    source_doc      TEXT NOT NULL,
    source_date     TEXT,               -- as precise as the source gives it; NULL: not given
    PRIMARY KEY (version_id, behaviour)
);
CREATE TABLE green_channels (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    operator   TEXT NOT NULL,
    behaviours TEXT NOT NULL,           -- comma-separated codes it may report
    cred_id    INTEGER NOT NULL,        -- org's channel credential (0021_channel_cred.sql)
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE green_accounts (
    citizen_id INTEGER PRIMARY KEY,
    balance    INTEGER NOT NULL,
    saved_mg   INTEGER NOT NULL,
    entries    INTEGER NOT NULL,        -- seq of the last entry
    last_hash  TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE green_issuers (
    day     TEXT NOT NULL,
    shard   INTEGER NOT NULL,
    balance INTEGER NOT NULL,           -- minus what it issued
    entries INTEGER NOT NULL,
    PRIMARY KEY (day, shard)
);
CREATE TABLE green_entries (
    id          INTEGER PRIMARY KEY,
    citizen_id  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,          -- earn | reverse | expire | spend
    amount      INTEGER NOT NULL,       -- to the citizen (negative: from)
    saved_mg    INTEGER NOT NULL,
    behaviour   TEXT,
    version_id  INTEGER,
    event_id    INTEGER,
    reverses    INTEGER,
    issuer_day  TEXT NOT NULL,
    issuer_shard INTEGER NOT NULL,
    activity_date TEXT,
    memo        TEXT,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (citizen_id, seq)
);
CREATE UNIQUE INDEX green_entries_reverses ON green_entries (citizen_id, reverses);
CREATE INDEX green_entries_event ON green_entries (event_id);
CREATE TABLE green_lots (
    citizen_id INTEGER NOT NULL,
    entry_id   INTEGER NOT NULL,
    earned_on  TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    remaining  INTEGER NOT NULL,
    PRIMARY KEY (citizen_id, entry_id)
);
CREATE INDEX green_lots_expiry ON green_lots (citizen_id, expires_on);
CREATE TABLE green_events (
    id              INTEGER PRIMARY KEY,
    channel_id      INTEGER NOT NULL,
    source_event_id TEXT NOT NULL,
    body_hash       TEXT NOT NULL,
    citizen_id      INTEGER NOT NULL,
    behaviour       TEXT NOT NULL,
    quantity        INTEGER NOT NULL,
    activity_date   TEXT NOT NULL,
    started_at      INTEGER,
    route           TEXT,
    grade           TEXT NOT NULL,
    status          TEXT NOT NULL,      -- credited | capped | duplicate
    requested       INTEGER NOT NULL,
    points          INTEGER NOT NULL,
    cap             TEXT,               -- day | month | year when capped
    entry_id        INTEGER,
    duplicate_of    INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (channel_id, source_event_id)
);
CREATE INDEX green_events_act ON green_events (citizen_id, behaviour, activity_date);
CREATE TABLE green_usage (
    citizen_id INTEGER NOT NULL,
    behaviour  TEXT NOT NULL,
    period     TEXT NOT NULL,           -- 'd2026-12-03', 'm2026-12', 'y2026'
    points     INTEGER NOT NULL,
    PRIMARY KEY (citizen_id, behaviour, period)
);
-- The catalogue and the demo's first methodology version (published by the seed). Factors only
-- where a published figure is known (DOMAIN.md §6); the other behaviours get theirs in a later
-- version drafted and published by the office.
INSERT INTO green_behaviours VALUES
 ('bus', '公交出行', 'trip', '米', '公里', 1000, 'trip', 1800, 1),
 ('metro', '地铁出行', 'trip', '米', '公里', 1000, 'trip', 1800, 2),
 ('ebike', '共享电单车骑行', 'trip', '米', '公里', 1000, 'trip', 1800, 3),
 ('bike', '共享单车骑行', 'trip', '米', '公里', 1000, 'trip', 1800, 4),
 ('steps', '步行', 'trip', '步', '步', 1, 'day', 0, 5),
 ('recycle', '垃圾分类与回收', 'waste', '克', '千克', 1000, 'none', 0, 6),
 ('second_hand', '二手交易', 'goods', '次', '次', 1, 'none', 0, 7),
 ('clean_plate', '光盘行动', 'goods', '次', '次', 1, 'day', 0, 8),
 ('own_bag', '自带购物袋', 'goods', '次', '次', 1, 'none', 0, 9),
 ('paperless', '无纸化办理', 'goods', '次', '次', 1, 'none', 0, 10),
 ('volunteer', '志愿服务（认证时长）', 'linked', '分钟', '小时', 60, 'none', 0, 11),
 ('facility_visit', '环保设施开放参观', 'linked', '次', '次', 1, 'day', 0, 12),
 ('survey', '完成生态行为调查', 'linked', '次', '次', 1, 'day', 0, 13);
INSERT INTO green_versions (id, title, effective_from, status, drafted_by, created_at, published_by, published_at)
 VALUES (1, '碳普惠方法学（演示，第1版）', '2021-01-01', 'published', NULL, 0, NULL, 0);
INSERT INTO green_factors VALUES
 (1, 'bus', 26900, 27, 100, 100, 50, 300, 3000, 30000, 7, 3650,
  '深圳市碳普惠方法学（低碳星球）：公交出行，电动公交 26.9 克/人·公里（据新闻报道）', NULL),
 (1, 'metro', 46800, 47, 100, 100, 50, 500, 5000, 50000, 7, 3650,
  '深圳市碳普惠方法学（低碳星球）：地铁出行 46.8 克/人·公里（据新闻报道；另有报道作 46.7，以此处所引为准）', NULL),
 (1, 'ebike', 43000, 43, 100, 100, 50, 300, 3000, 30000, 7, 3650,
  '重庆“碳惠通”（CQCER）共享电单车出行方法学：43 克/公里（2023年，据新闻报道）', '2023');
