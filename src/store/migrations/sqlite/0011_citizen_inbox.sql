-- 0011_citizen_inbox (SQLite): in-app messages for public accounts (issue 12 §4, "in-app
-- messages, always"), notify's, beside the officials' inbox_items. Keyed by the account first
-- (citizen_id in every unique key, as the tables of 0008_citizen.sql), so the table can be
-- partitioned by account: id counts per account, and a dedupe key is unique per account.
-- A message is unread (read_at NULL), read, or done (done_at set: the task it asked for is
-- settled, such as a guardian's request once decided). link is a portal path ("/m/me/wards");
-- due_date 'YYYY-MM-DD' (Asia/Shanghai) or NULL; times are unix seconds. Messages name the
-- person: they are deleted with the account (citizen_delete).
CREATE TABLE citizen_inbox (
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    id         INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT,
    link       TEXT NOT NULL,
    due_date   TEXT,
    dedupe_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    done_at    INTEGER,
    PRIMARY KEY (citizen_id, id),
    UNIQUE (citizen_id, dedupe_key)
);
