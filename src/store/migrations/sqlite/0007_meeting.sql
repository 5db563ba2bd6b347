-- 0007_meeting (SQLite): the joint meeting system (联席会议制度, 附件2).
-- calendar_years / calendar_days: the State Council's yearly holiday announcement as data
-- (holidays, and make-up working days 调休上班), loaded from data/calendars/holidays.json by
-- `ecoact init` and editable by the office for later years; deadlines counted in days skip
-- them (民法典 第二百零三条).
-- meeting_members: member units with join and leave dates (left_on: the first day it is no
-- longer a member), role convener (牵头) or member, and the host (承办).
-- meetings: regular (half-yearly) or special; the dates of each step of the chain and the
-- reasons recorded for late steps; report_id names the ledger report (task 83) filed when a
-- regular meeting is held. meeting_units: the member units of one meeting, fixed when the
-- notice is sent (received the same day), with their receipt and topic replies. Topics with
-- their selection (select / merge / decline) and the decision taken on them; attendance; the
-- minutes' versions (a change request makes a new one and reopens countersigning); the
-- countersigns per version; issued documents (HTML and PDF bytes in the shared content-addressed
-- `files` of migration 0003, never changed); topic attachments (also in `files`); follow-up items from the decisions of issued minutes; and the
-- history of every step. Business dates are 'YYYY-MM-DD' (Asia/Shanghai); times unix seconds.
CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    doc_no     TEXT,
    source     TEXT NOT NULL CHECK (source IN ('embedded', 'office')),
    updated_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL
);

CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES calendar_years(year),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL
);
CREATE INDEX calendar_days_year ON calendar_days(year, day);

CREATE TABLE meeting_members (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    role       TEXT NOT NULL CHECK (role IN ('convener', 'member')),
    is_host    INTEGER NOT NULL DEFAULT 0,
    joined_on  TEXT NOT NULL,
    left_on    TEXT,
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (left_on IS NULL OR left_on > joined_on)
);
CREATE INDEX meeting_members_unit ON meeting_members(unit_id, joined_on);

CREATE TABLE meeting_doc_seq (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE meetings (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('regular', 'special')),
    title              TEXT NOT NULL,
    meeting_date       TEXT NOT NULL,
    place              TEXT NOT NULL DEFAULT '',
    level              TEXT NOT NULL CHECK (level IN ('standard', 'senior')),
    guests             TEXT NOT NULL DEFAULT '[]',
    notes              TEXT NOT NULL DEFAULT '',
    countersign_days   INTEGER NOT NULL DEFAULT 5 CHECK (countersign_days BETWEEN 1 AND 30),
    stage              TEXT NOT NULL CHECK (stage IN ('planned', 'notified', 'agenda_sent', 'held',
                                                      'minutes', 'issued')),
    notice_date        TEXT,
    notice_body        TEXT,
    notice_late_reason TEXT,
    notice_by_name     TEXT,
    agenda_date        TEXT,
    agenda_late_reason TEXT,
    agenda_by_name     TEXT,
    held_date          TEXT,
    held_by_name       TEXT,
    minutes_date       TEXT,
    minutes_late_reason TEXT,
    minutes_version    INTEGER NOT NULL DEFAULT 0,
    change_requested   INTEGER NOT NULL DEFAULT 0,
    issued_date        TEXT,
    issued_by_name     TEXT,
    report_id          INTEGER,
    report_note        TEXT,
    created_by         INTEGER REFERENCES users(id),
    created_by_name    TEXT NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX meetings_date ON meetings(meeting_date, id);
CREATE INDEX meetings_stage ON meetings(stage, id);

CREATE TABLE meeting_units (
    meeting_id            INTEGER NOT NULL REFERENCES meetings(id),
    unit_id               INTEGER NOT NULL REFERENCES units(id),
    role                  TEXT NOT NULL CHECK (role IN ('convener', 'member')),
    is_host               INTEGER NOT NULL DEFAULT 0,
    received_date         TEXT NOT NULL,
    confirmed_date        TEXT,
    confirmed_by_name     TEXT,
    confirmed_late_reason TEXT,
    topics_date           TEXT,
    no_topics             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, unit_id)
);

CREATE TABLE meeting_topics (
    id                 INTEGER PRIMARY KEY,
    meeting_id         INTEGER NOT NULL REFERENCES meetings(id),
    unit_id            INTEGER NOT NULL REFERENCES units(id),
    category           INTEGER NOT NULL CHECK (category BETWEEN 1 AND 7),
    title              TEXT NOT NULL,
    background         TEXT NOT NULL DEFAULT '',
    decision_requested TEXT NOT NULL DEFAULT '',
    submitted_date     TEXT NOT NULL,
    submitted_at       INTEGER NOT NULL,
    submitted_by       INTEGER REFERENCES users(id),
    submitted_by_name  TEXT NOT NULL DEFAULT '',
    late               INTEGER NOT NULL DEFAULT 0,
    late_reason        TEXT,
    selection          TEXT NOT NULL DEFAULT 'pending' CHECK (selection IN ('pending', 'selected',
                                                                            'merged', 'declined')),
    merged_into        INTEGER REFERENCES meeting_topics(id),
    selection_reason   TEXT,
    selection_date     TEXT,
    selection_by_name  TEXT,
    agenda_order       INTEGER,
    decision           TEXT
);
CREATE INDEX meeting_topics_meeting ON meeting_topics(meeting_id, id);

CREATE TABLE meeting_topic_files (
    topic_id      INTEGER NOT NULL REFERENCES meeting_topics(id),
    name          TEXT NOT NULL,
    file_hash     TEXT NOT NULL REFERENCES files(hash),
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    added_by_name TEXT NOT NULL DEFAULT '',
    added_at      INTEGER NOT NULL,
    PRIMARY KEY (topic_id, name)
);

CREATE TABLE meeting_attendance (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    unit_id    INTEGER REFERENCES units(id),
    unit_name  TEXT NOT NULL,
    person     TEXT NOT NULL,
    post       TEXT NOT NULL DEFAULT '',
    att_rank   TEXT NOT NULL CHECK (att_rank IN ('staff', 'division', 'deputy', 'principal')),
    guest      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meeting_attendance_meeting ON meeting_attendance(meeting_id, id);

CREATE TABLE meeting_minutes (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    version         INTEGER NOT NULL,
    body            TEXT NOT NULL,
    decisions       TEXT NOT NULL DEFAULT '[]',
    drafted_date    TEXT NOT NULL,
    drafted_at      INTEGER NOT NULL,
    drafted_by_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, version)
);

CREATE TABLE meeting_countersigns (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    version     INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    action      TEXT NOT NULL CHECK (action IN ('sign', 'change')),
    comment     TEXT,
    on_date     TEXT NOT NULL,
    at          INTEGER NOT NULL,
    by_name     TEXT NOT NULL DEFAULT '',
    late_reason TEXT,
    UNIQUE (meeting_id, version, unit_id)
);

CREATE TABLE meeting_documents (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    kind        TEXT NOT NULL CHECK (kind IN ('notice', 'agenda', 'minutes')),
    doc_year    INTEGER NOT NULL,
    doc_seq     INTEGER NOT NULL,
    doc_no      TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    issued_date TEXT NOT NULL,
    html_hash   TEXT NOT NULL REFERENCES files(hash),
    html_size   INTEGER NOT NULL,
    pdf_hash    TEXT NOT NULL REFERENCES files(hash),
    pdf_size    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (meeting_id, kind),
    UNIQUE (doc_year, doc_seq)
);

CREATE TABLE meeting_followups (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    seq             INTEGER NOT NULL,
    topic_id        INTEGER REFERENCES meeting_topics(id),
    text            TEXT NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    due_date        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
    progress        TEXT NOT NULL DEFAULT '',
    done_date       TEXT,
    updated_by_name TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (meeting_id, seq)
);
CREATE INDEX meeting_followups_unit ON meeting_followups(unit_id, id);
CREATE INDEX meeting_followups_status ON meeting_followups(status, due_date);

CREATE TABLE meeting_history (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    at         INTEGER NOT NULL,
    on_date    TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    user_name  TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    unit_id    INTEGER REFERENCES units(id),
    late       INTEGER NOT NULL DEFAULT 0,
    note       TEXT
);
CREATE INDEX meeting_history_meeting ON meeting_history(meeting_id, id);
