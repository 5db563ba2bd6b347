-- 0015_eval_signoff (SQLite): the leader's sign-off (签批) of a year's evaluation before the
-- office publishes it, when the setting evaluate.signoff_required (org's settings) is on. One
-- row per step, oldest first: request (the office asks), approve (a leader, optional note) or
-- return (a leader, reason required); the latest step is the state, and the steps are the
-- evaluation's history.
CREATE TABLE eval_signoff_steps (
    id        INTEGER PRIMARY KEY,
    plan_code TEXT NOT NULL,
    year      INTEGER NOT NULL,
    step      TEXT NOT NULL CHECK (step IN ('request', 'approve', 'return')),
    user_id   INTEGER REFERENCES users(id),
    user_name TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    at        INTEGER NOT NULL
);
CREATE INDEX eval_signoff_steps_year ON eval_signoff_steps(plan_code, year, id);
