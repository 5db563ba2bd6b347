-- 0027_facility: environmental facilities open to the public (issue 15 §1-§5, DOMAIN.md §7).
-- The registry (one row a facility, run by an organisation account), its sessions (openings) with
-- capacity, an individual quota and a group quota, bookings (an individual with named companions,
-- or a group with a leader and a headcount), companions (resident ID only as a keyed hash), and
-- feedback. A booking takes its places with the conditional UPDATE of the session's counters
-- (`… WHERE ind_taken + n <= ind_quota AND ind_taken + grp_taken + n <= capacity`), never past
-- the CHECKs below, and the UNIQUE (session_id, citizen_id) key, in one transaction
-- (docs/architecture.md, "Facilities"); `inside` is held against the safety limit the same way.
CREATE TABLE fac_facilities (
    id            INTEGER PRIMARY KEY,
    category      TEXT NOT NULL CHECK (category IN ('monitoring', 'sewage', 'waste',
                  'hazardous', 'voluntary')),
    kind_note     TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL,
    org_id        INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL,
    address       TEXT NOT NULL,
    lat_e6        INTEGER NOT NULL,
    lng_e6        INTEGER NOT NULL,
    safety_limit  INTEGER NOT NULL CHECK (safety_limit > 0),
    accessibility TEXT NOT NULL DEFAULT '',
    min_age       INTEGER NOT NULL DEFAULT 0,
    id_required   INTEGER NOT NULL DEFAULT 0,
    batch         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'registered'
                  CHECK (status IN ('registered', 'open', 'suspended', 'returned')),
    filed_by      INTEGER NOT NULL,
    reviewed_by   TEXT,
    reviewed_at   INTEGER,
    review_reason TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX fac_facilities_unit ON fac_facilities(unit_id, category);
CREATE INDEX fac_facilities_org ON fac_facilities(org_id);
CREATE TABLE fac_sessions (
    id             INTEGER PRIMARY KEY,
    facility_id    INTEGER NOT NULL REFERENCES fac_facilities(id),
    day            TEXT NOT NULL,
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    ind_quota      INTEGER NOT NULL CHECK (ind_quota >= 0 AND ind_quota <= capacity),
    grp_quota      INTEGER NOT NULL CHECK (grp_quota >= 0 AND grp_quota <= capacity),
    ind_taken      INTEGER NOT NULL DEFAULT 0 CHECK (ind_taken >= 0 AND ind_taken <= ind_quota),
    grp_taken      INTEGER NOT NULL DEFAULT 0 CHECK (grp_taken >= 0 AND grp_taken <= grp_quota),
    walkins        INTEGER NOT NULL DEFAULT 0 CHECK (walkins >= 0),
    safety_limit   INTEGER NOT NULL CHECK (safety_limit > 0),
    inside         INTEGER NOT NULL DEFAULT 0 CHECK (inside >= 0 AND inside <= safety_limit),
    entered        INTEGER NOT NULL DEFAULT 0,
    booking_opens  INTEGER NOT NULL,
    booking_closes INTEGER NOT NULL,
    cancel_by      INTEGER NOT NULL,
    key_date       TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'held', 'cancelled')),
    held_at        INTEGER,
    report_id      INTEGER,
    report_note    TEXT,
    created_by     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    CHECK (ind_taken + grp_taken + walkins <= capacity)
);
CREATE INDEX fac_sessions_facility ON fac_sessions(facility_id, starts_at);
CREATE INDEX fac_sessions_day ON fac_sessions(day);
CREATE TABLE fac_visitors (
    citizen_id INTEGER PRIMARY KEY,
    touched_at INTEGER NOT NULL
);
CREATE TABLE fac_bookings (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES fac_sessions(id),
    citizen_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('individual', 'group')),
    headcount   INTEGER NOT NULL CHECK (headcount > 0),
    group_name  TEXT,
    leader_name TEXT,
    state       TEXT NOT NULL CHECK (state IN ('held', 'waiting', 'offered', 'cancelled',
                'late_cancel', 'lapsed', 'entered', 'left', 'no_show')),
    offer_until INTEGER,
    entered_at  INTEGER,
    left_at     INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (session_id, citizen_id)
);
CREATE INDEX fac_bookings_citizen ON fac_bookings(citizen_id, state);
CREATE INDEX fac_bookings_queue ON fac_bookings(session_id, state, id);
CREATE TABLE fac_companions (
    booking_id INTEGER NOT NULL REFERENCES fac_bookings(id),
    seq        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    id_hash    TEXT NOT NULL,
    id_mask    TEXT NOT NULL,
    age        INTEGER NOT NULL,
    PRIMARY KEY (booking_id, seq)
);
CREATE TABLE fac_feedback (
    booking_id INTEGER PRIMARY KEY REFERENCES fac_bookings(id),
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
