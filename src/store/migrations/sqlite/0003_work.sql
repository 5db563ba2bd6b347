-- 0003_work (SQLite): the work ledger (台账). A report is one activity a unit did (kind from the
-- activity-kind catalogue, activity date, title, tasks served, integer metrics, links, evidence
-- files); the office, or the unit_admin of the parent unit for child units' reports, accepts or
-- returns it. Only accepted reports count; the compliance engine reads activity_date,
-- accepted_date, kind, unit_id / parent_unit_id (child units roll up to their district) and the
-- tasks and metrics JSON copies on the row (report_tasks / report_metrics serve SQL filters). source says how it was filed: 'api', 'import', or the area
-- that recorded the event itself (one event, one record: 'volunteer', 'facility', 'meeting',
-- 'survey' …) with source_ref naming its record there.
-- Business dates (activity_date, accepted_date) are 'YYYY-MM-DD' (Asia/Shanghai); times are unix
-- seconds. tasks and metrics are kept twice: as JSON text on the report (to render a page
-- without more queries) and as rows (to filter and sum in SQL); store_work.c writes both.
-- Evidence bytes live in `files`, keyed by their content hash (BLAKE2b-256 hex): one backup of
-- the database holds everything, identical files are stored once. Files are never deleted by
-- the ledger: removing evidence removes the link, and the history keeps naming the hash.
CREATE TABLE files (
    hash         TEXT PRIMARY KEY,
    size         INTEGER NOT NULL CHECK (size >= 0),
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    parent_unit_id  INTEGER REFERENCES units(id),
    plan_code       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    activity_date   TEXT NOT NULL,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    tasks           TEXT NOT NULL DEFAULT '[]',
    metrics         TEXT NOT NULL DEFAULT '{}',
    links           TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'returned')),
    accepted_date   TEXT,
    reviewed_at     INTEGER,
    reviewed_by     INTEGER REFERENCES users(id),
    reviewer_name   TEXT,
    return_reason   TEXT,
    source          TEXT NOT NULL DEFAULT 'api',
    source_ref      TEXT,
    created_by      INTEGER REFERENCES users(id),
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX reports_unit ON reports(unit_id, id);
CREATE INDEX reports_parent ON reports(parent_unit_id, id);
CREATE INDEX reports_status ON reports(status, id);
CREATE INDEX reports_kind_date ON reports(kind, activity_date);
CREATE INDEX reports_date ON reports(activity_date);
CREATE INDEX reports_source ON reports(source, source_ref);

CREATE TABLE report_tasks (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    task_no   INTEGER NOT NULL CHECK (task_no > 0),
    PRIMARY KEY (report_id, task_no)
);
CREATE INDEX report_tasks_no ON report_tasks(task_no, report_id);

CREATE TABLE report_metrics (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    value     INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (report_id, name)
);

CREATE TABLE report_evidence (
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    file_hash    TEXT NOT NULL REFERENCES files(hash),
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    added_by     INTEGER REFERENCES users(id),
    added_at     INTEGER NOT NULL,
    PRIMARY KEY (report_id, name)
);
CREATE INDEX report_evidence_file ON report_evidence(file_hash);

-- Every step of a report's life: submit, update, resubmit, accept, return, evidence_add,
-- evidence_replace, evidence_remove. changes is a JSON object {field: {"from": …, "to": …}}.
CREATE TABLE report_history (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    user_id   INTEGER REFERENCES users(id),
    user_name TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    status    TEXT NOT NULL,
    reason    TEXT,
    changes   TEXT
);
CREATE INDEX report_history_report ON report_history(report_id, id);
