-- 0004_comply (SQLite): what the compliance engine keeps in the database.
-- 1. A change log of accepted reports. Each app server holds an in-memory index of accepted
--    reports (src/comply/index.h) and brings it up to date on each request by reading only the
--    changes logged since the counter value it last saw. Triggers write the log, so every path
--    that changes an accepted report (the ledger's review, another area, an operator's SQL) is
--    seen by every server, also after restarts. A change is logged when a report becomes
--    accepted, stops being accepted, or changes while accepted (dates, kind, unit, plan, tasks,
--    metrics: the engine reads a report's tasks and metrics from the report row's JSON copies,
--    which the ledger writes together with report_tasks and report_metrics); filing and editing
--    submitted reports log nothing. was_accepted says whether the
--    report was accepted before the change (an index then drops its old events first).
--    comply_counter.seq is the last logged change; the log keeps the last 100,000 changes: a
--    server further behind reloads everything.
-- 2. Calendar feeds (.ics): private URLs with a token, stored hashed, revocable.
CREATE TABLE comply_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO comply_counter(id, seq) VALUES (1, 0);

CREATE TABLE comply_changes (
    seq          INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL,
    was_accepted INTEGER NOT NULL
);

CREATE TRIGGER comply_report_insert AFTER INSERT ON reports
WHEN NEW.status = 'accepted'
BEGIN
    UPDATE comply_counter SET seq = seq + 1 WHERE id = 1;
    INSERT INTO comply_changes(seq, report_id, was_accepted)
        SELECT seq, NEW.id, 0 FROM comply_counter WHERE id = 1;
    DELETE FROM comply_changes WHERE seq <= (SELECT seq FROM comply_counter WHERE id = 1) - 100000;
END;

CREATE TRIGGER comply_report_update AFTER UPDATE ON reports
WHEN (OLD.status = 'accepted' OR NEW.status = 'accepted')
 AND (OLD.status IS NOT NEW.status OR OLD.accepted_date IS NOT NEW.accepted_date
      OR OLD.activity_date IS NOT NEW.activity_date OR OLD.kind IS NOT NEW.kind
      OR OLD.unit_id IS NOT NEW.unit_id OR OLD.parent_unit_id IS NOT NEW.parent_unit_id
      OR OLD.plan_code IS NOT NEW.plan_code OR OLD.tasks IS NOT NEW.tasks
      OR OLD.metrics IS NOT NEW.metrics)
BEGIN
    UPDATE comply_counter SET seq = seq + 1 WHERE id = 1;
    INSERT INTO comply_changes(seq, report_id, was_accepted)
        SELECT seq, NEW.id, OLD.status = 'accepted' FROM comply_counter WHERE id = 1;
    DELETE FROM comply_changes WHERE seq <= (SELECT seq FROM comply_counter WHERE id = 1) - 100000;
END;

CREATE TRIGGER comply_report_delete AFTER DELETE ON reports
WHEN OLD.status = 'accepted'
BEGIN
    UPDATE comply_counter SET seq = seq + 1 WHERE id = 1;
    INSERT INTO comply_changes(seq, report_id, was_accepted)
        SELECT seq, OLD.id, 1 FROM comply_counter WHERE id = 1;
    DELETE FROM comply_changes WHERE seq <= (SELECT seq FROM comply_counter WHERE id = 1) - 100000;
END;

-- Calendar feeds: GET /api/v1/calendar/{token}.ics serves a unit's duties of the next 90 days
-- to calendar apps (which send no cookies). Only the token's hash is stored; revoked_at set
-- means the URL answers 404.
CREATE TABLE calendar_feeds (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    plan_code  TEXT NOT NULL,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id, id);
CREATE INDEX calendar_feeds_unit ON calendar_feeds(unit_id, id);
