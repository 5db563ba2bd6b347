-- 0018_volunteer: the volunteer service platform (issue 13 §1-§3). Teams in a tree with their
-- admins and history, the volunteer registry, team memberships, projects, activities with
-- shifts, and sign-ups. A shift's `taken` counts its held and offered places; a sign-up takes one
-- with `UPDATE vol_shifts SET taken = taken + 1 WHERE id = ? AND taken < places` and the
-- UNIQUE (shift_id, citizen_id) key, in one transaction (docs/architecture.md, "Places").
CREATE TABLE vol_teams (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES vol_teams(id),
    level       TEXT NOT NULL CHECK (level IN ('city', 'direct', 'district', 'org', 'street')),
    name        TEXT NOT NULL,
    unit_id     INTEGER NOT NULL,
    org_id      INTEGER NOT NULL,
    areas       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'registered'
                CHECK (status IN ('registered', 'active', 'suspended')),
    filed_by    INTEGER NOT NULL,
    reviewed_by TEXT,
    reviewed_at INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX vol_teams_parent ON vol_teams(parent_id);
CREATE INDEX vol_teams_unit ON vol_teams(unit_id);
CREATE TABLE vol_team_admins (
    team_id    INTEGER NOT NULL REFERENCES vol_teams(id),
    citizen_id INTEGER NOT NULL,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (team_id, citizen_id)
);
CREATE INDEX vol_team_admins_citizen ON vol_team_admins(citizen_id);
CREATE TABLE vol_team_history (
    id      INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES vol_teams(id),
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    event   TEXT NOT NULL,
    detail  TEXT
);
CREATE INDEX vol_team_history_team ON vol_team_history(team_id, id);
CREATE TABLE vol_volunteers (
    citizen_id      INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    skills          TEXT NOT NULL DEFAULT '',
    availability    TEXT NOT NULL DEFAULT '',
    districts       TEXT NOT NULL DEFAULT '',
    emergency_seal  BLOB,
    emergency_mask  TEXT,
    suspended_until INTEGER NOT NULL DEFAULT 0,
    joined_at       INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE TABLE vol_members (
    citizen_id INTEGER NOT NULL,
    team_id    INTEGER NOT NULL REFERENCES vol_teams(id),
    status     TEXT NOT NULL CHECK (status IN ('applied', 'approved', 'rejected')),
    applied_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by INTEGER,
    PRIMARY KEY (citizen_id, team_id)
);
CREATE INDEX vol_members_team ON vol_members(team_id, status);
CREATE TABLE vol_projects (
    id           INTEGER PRIMARY KEY,
    team_id      INTEGER NOT NULL REFERENCES vol_teams(id),
    theme        TEXT NOT NULL,
    service_type TEXT NOT NULL,
    title        TEXT NOT NULL,
    created_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE TABLE vol_activities (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES vol_projects(id),
    team_id       INTEGER NOT NULL REFERENCES vol_teams(id),
    title         TEXT NOT NULL,
    day           TEXT NOT NULL,
    place         TEXT NOT NULL,
    unit_id       INTEGER NOT NULL,
    min_age       INTEGER NOT NULL DEFAULT 0,
    skills        TEXT NOT NULL DEFAULT '',
    signup_opens  INTEGER NOT NULL,
    signup_closes INTEGER NOT NULL,
    cancel_by     INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'open',
                  'closed', 'held', 'withdrawn', 'cancelled')),
    filed_by      INTEGER NOT NULL,
    reviewed_by   TEXT,
    reviewed_at   INTEGER,
    review_reason TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX vol_activities_find ON vol_activities(status, day);
CREATE INDEX vol_activities_team ON vol_activities(team_id);
CREATE TABLE vol_shifts (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES vol_activities(id),
    label       TEXT NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    places      INTEGER NOT NULL CHECK (places > 0),
    taken       INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= places)
);
CREATE INDEX vol_shifts_activity ON vol_shifts(activity_id);
CREATE TABLE vol_signups (
    id          INTEGER PRIMARY KEY,
    shift_id    INTEGER NOT NULL REFERENCES vol_shifts(id),
    citizen_id  INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('held', 'waiting', 'offered', 'cancelled',
                'late_cancel', 'absent', 'lapsed')),
    priority    INTEGER NOT NULL DEFAULT 0,
    leader_id   INTEGER,
    offer_until INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (shift_id, citizen_id)
);
CREATE INDEX vol_signups_citizen ON vol_signups(citizen_id, state);
CREATE INDEX vol_signups_queue ON vol_signups(shift_id, state, priority, id);
