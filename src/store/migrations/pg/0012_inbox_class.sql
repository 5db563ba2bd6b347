-- 0012_inbox_class (PostgreSQL): an inbox item is something to do (待办, "todo") or only to read (待阅,
-- "toread": minutes issued, a notice escalated), so the inbox lists and counts them apart and the
-- header's badge counts 待办 only (issue 19). The class is the kind's, from the one kinds table
-- in src/notify/notify_rules.c; it is stored when an item is added, so a list filters and counts
-- it in SQL. Items from before this migration get it here, from that table as it is now.
ALTER TABLE inbox_items ADD COLUMN class TEXT NOT NULL DEFAULT 'todo'
    CHECK (class IN ('todo', 'toread'));
UPDATE inbox_items SET class = 'toread' WHERE kind IN ('meeting_issued', 'notice_escalated');
