-- 0005_supervise (SQLite): supervision (督查督办). Dispatch notices (督办单) the office issues to
-- a unit about a key task (plan_code + task_no) or about a red compliance item (obligation_key
-- + period_start/period_end, supplied by the compliance engine); their stages
-- drafted 立项 → issued 下发 → signed 签收 → in_progress 办理 → answered 反馈 → (复核) → closed 办结,
-- each step in notice_history; answers (one row per round, with the office's review);
-- evidence links to the ledger's content-addressed `files`; the per-year document number
-- sequence (渝生态宣督〔2025〕3号). Levels are integers 0 blue, 1 orange, 2 red: base_level is the
-- issue level as raised by manual escalations, level the current one (never lower).
-- Every account's inbox (inbox_items: for one user, or for the users of a unit holding some
-- roles, as a bit set of roles) and the outbox an SMS gateway consumes (the user id, never the
-- phone number). Business dates are 'YYYY-MM-DD' (Asia/Shanghai); times are unix seconds.
CREATE TABLE notice_doc_seq (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    doc_year        INTEGER,
    doc_seq         INTEGER,
    doc_no          TEXT UNIQUE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    parent_unit_id  INTEGER REFERENCES units(id),
    subject         TEXT NOT NULL CHECK (subject IN ('task', 'compliance')),
    plan_code       TEXT NOT NULL,
    task_no         INTEGER,
    obligation_key  TEXT,
    period_start    TEXT,
    period_end      TEXT,
    title           TEXT NOT NULL,
    requirements    TEXT NOT NULL,
    deadline        TEXT NOT NULL,
    stage           TEXT NOT NULL CHECK (stage IN ('drafted', 'issued', 'signed', 'in_progress',
                                                   'answered', 'closed')),
    base_level      INTEGER NOT NULL DEFAULT 0 CHECK (base_level BETWEEN 0 AND 2),
    level           INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 2),
    answered_date   TEXT,
    rounds          INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER REFERENCES users(id),
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    issued_at       INTEGER,
    signed_at       INTEGER,
    signed_by_name  TEXT,
    started_at      INTEGER,
    answered_at     INTEGER,
    closed_at       INTEGER,
    UNIQUE (doc_year, doc_seq)
);
CREATE INDEX notices_unit ON notices(unit_id, id);
CREATE INDEX notices_parent ON notices(parent_unit_id, id);
CREATE INDEX notices_stage ON notices(stage, deadline);

CREATE TABLE notice_answers (
    id            INTEGER PRIMARY KEY,
    notice_id     INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    round         INTEGER NOT NULL,
    progress      TEXT NOT NULL,
    difficulties  TEXT NOT NULL DEFAULT '',
    next_steps    TEXT NOT NULL,
    answered_date TEXT NOT NULL,
    answered_at   INTEGER NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    user_name     TEXT NOT NULL DEFAULT '',
    decision      TEXT CHECK (decision IN ('accept', 'return')),
    reason        TEXT,
    reviewed_at   INTEGER,
    reviewer_id   INTEGER REFERENCES users(id),
    reviewer_name TEXT,
    UNIQUE (notice_id, round)
);

CREATE TABLE notice_evidence (
    notice_id    INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    file_hash    TEXT NOT NULL REFERENCES files(hash),
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    added_by     INTEGER REFERENCES users(id),
    added_name   TEXT NOT NULL DEFAULT '',
    added_at     INTEGER NOT NULL,
    PRIMARY KEY (notice_id, name)
);
CREATE INDEX notice_evidence_file ON notice_evidence(file_hash);

-- Every step: draft, update, issue, sign, start, evidence_add, evidence_replace,
-- evidence_remove, answer, accept, return, escalate (user_id NULL: the system's tick).
-- dedupe makes a level change recorded once however many ticks see it.
CREATE TABLE notice_history (
    id        INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    user_id   INTEGER REFERENCES users(id),
    user_name TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    stage     TEXT NOT NULL,
    level     INTEGER NOT NULL,
    note      TEXT,
    dedupe    TEXT UNIQUE
);
CREATE INDEX notice_history_notice ON notice_history(notice_id, id);

CREATE TABLE inbox_items (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users(id),
    unit_id    INTEGER REFERENCES units(id),
    roles      INTEGER NOT NULL DEFAULT 0,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    due_date   TEXT,
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    done_at    INTEGER,
    done_by    INTEGER REFERENCES users(id),
    CHECK (user_id IS NOT NULL OR roles <> 0)
);
CREATE INDEX inbox_user ON inbox_items(user_id, id) WHERE done_at IS NULL;
CREATE INDEX inbox_unit ON inbox_items(unit_id, id) WHERE done_at IS NULL;

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    inbox_id   INTEGER NOT NULL REFERENCES inbox_items(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    channel    TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms')),
    text       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'sent',
                                                                 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    claimed_at INTEGER,
    claimed_by INTEGER REFERENCES users(id),
    sent_at    INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (inbox_id, user_id, channel)
);
CREATE INDEX outbox_status ON outbox(status, id);
