-- 0002_plan (SQLite): the plan as data. Plans are identified by (code, version); at most one
-- draft per code; a published version never changes (the application refuses edits).
-- Actions (十大行动 + 保障措施) hold numbered measures; key tasks (附件1) hold their lead and
-- cooperating units, with a selector such as "@districts" stored expanded (one row per unit,
-- `via` naming the selector) so "tasks of unit X" is one indexed lookup; obligations (duties)
-- are owed jointly by listed units, or by every unit of the listed tiers, or by each facility,
-- so the compliance engine can evaluate them per unit and period.
-- Business dates (issued, start/end, deadline, due, from/to) are stored as 'YYYY-MM-DD' text
-- (Asia/Shanghai calendar days): they compare and sort as dates in both backends and read as
-- written in the plan. Times (created_at, published_at …) are unix seconds.
CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version > 0),
    title        TEXT NOT NULL,
    doc_no       TEXT,
    issued       TEXT,
    start_date   TEXT NOT NULL,
    end_date     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    parent_id    INTEGER REFERENCES plans(id),
    year_themes  TEXT NOT NULL DEFAULT '[]',
    notes        TEXT NOT NULL DEFAULT '[]',
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    updated_at   INTEGER NOT NULL,
    updated_by   INTEGER REFERENCES users(id),
    published_at INTEGER,
    published_by INTEGER REFERENCES users(id),
    UNIQUE (code, version)
);
CREATE UNIQUE INDEX plans_one_draft ON plans(code) WHERE status = 'draft';

CREATE TABLE plan_actions (
    id      INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    no      INTEGER NOT NULL CHECK (no > 0),
    title   TEXT NOT NULL,
    kind    TEXT NOT NULL DEFAULT 'action' CHECK (kind IN ('action', 'safeguard')),
    UNIQUE (plan_id, no)
);

CREATE TABLE plan_measures (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES plan_actions(id) ON DELETE CASCADE,
    no        INTEGER NOT NULL CHECK (no > 0),
    title     TEXT NOT NULL,
    body      TEXT NOT NULL,
    UNIQUE (action_id, no)
);

CREATE TABLE plan_tasks (
    id                INTEGER PRIMARY KEY,
    plan_id           INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    no                INTEGER NOT NULL CHECK (no > 0),
    action_id         INTEGER NOT NULL REFERENCES plan_actions(id),
    measure_id        INTEGER NOT NULL REFERENCES plan_measures(id),
    content           TEXT NOT NULL,
    content_continued INTEGER NOT NULL DEFAULT 0,
    body              TEXT NOT NULL,
    lead_text         TEXT NOT NULL,
    coop_text         TEXT NOT NULL,
    deadline_kind     TEXT NOT NULL CHECK (deadline_kind IN ('date', 'standing', 'none')),
    deadline_text     TEXT NOT NULL,
    deadline_date     TEXT,
    note              TEXT,
    UNIQUE (plan_id, no)
);
CREATE INDEX plan_tasks_action ON plan_tasks(action_id);
CREATE INDEX plan_tasks_measure ON plan_tasks(measure_id);

-- One row per unit per position of the task's lead or coop list; a selector at a position
-- expands to many rows sharing pos, each with via = the selector.
CREATE TABLE plan_task_units (
    task_id INTEGER NOT NULL REFERENCES plan_tasks(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('lead', 'coop')),
    pos     INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    via     TEXT,
    PRIMARY KEY (task_id, role, pos, unit_id)
);
CREATE INDEX plan_task_units_unit ON plan_task_units(unit_id, task_id);

-- The catalogue of activity kinds a report can be filed under, shared by every plan.
CREATE TABLE activity_kinds (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    metrics    TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
);

-- Which kinds a plan document lists, in its order.
CREATE TABLE plan_activity_kinds (
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    kind_id INTEGER NOT NULL REFERENCES activity_kinds(id),
    pos     INTEGER NOT NULL,
    PRIMARY KEY (plan_id, kind_id)
);

-- A duty: who (units jointly | every unit of tiers | each facility) must file at least
-- `minimum` reports of activity kind `kind` (or a sum of `metric`) per period `per`, in
-- effect from..to; per = 'once' means once by `due`. Rows keep the plan document's order (id).
CREATE TABLE plan_obligations (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    okey      TEXT NOT NULL,
    task_id   INTEGER NOT NULL REFERENCES plan_tasks(id) ON DELETE CASCADE,
    title     TEXT NOT NULL,
    who_kind  TEXT NOT NULL CHECK (who_kind IN ('units', 'tiers', 'facilities')),
    kind      TEXT NOT NULL REFERENCES activity_kinds(code),
    metric    TEXT,
    rule      TEXT,
    minimum   INTEGER NOT NULL CHECK (minimum > 0),
    per       TEXT NOT NULL CHECK (per IN ('month', 'two_months', 'quarter', 'half_year', 'year',
                                           'school_year', 'once')),
    due       TEXT,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    note      TEXT,
    UNIQUE (plan_id, okey)
);
CREATE INDEX plan_obligations_task ON plan_obligations(task_id);

CREATE TABLE plan_obligation_units (
    obligation_id INTEGER NOT NULL REFERENCES plan_obligations(id) ON DELETE CASCADE,
    pos           INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (obligation_id, unit_id)
);
CREATE INDEX plan_obligation_units_unit ON plan_obligation_units(unit_id);

CREATE TABLE plan_obligation_tiers (
    obligation_id INTEGER NOT NULL REFERENCES plan_obligations(id) ON DELETE CASCADE,
    pos           INTEGER NOT NULL,
    tier          TEXT NOT NULL,
    PRIMARY KEY (obligation_id, tier)
);
CREATE INDEX plan_obligation_tiers_tier ON plan_obligation_tiers(tier);
