-- 0006_evaluate (SQLite): the annual evaluation (年度考核评估, issue 3 §5).
-- eval_rubrics: the scoring rubric of a plan as data, one row per version (a change makes a
-- new version; a published year names the version it was scored with, so it never changes):
-- whole-percent weights of the three components (履职合规, 督办反馈及时性, 第三方评估) summing
-- to 100, and the credit (percent) of a period made up late (补报) and of a notice answered
-- after its deadline. Version 1 of cq-2021-2025 is seeded here.
-- eval_scores: third-party evaluators' scores, one per evaluator per unit per year, in
-- hundredths (0..10000), with a comment; editable until the year is published.
-- eval_publications: a published year (its rubric version and as-of date); eval_results: the
-- scorecards as published, per unit: the card (numbers, rank, previous year) and the
-- drill-down (periods, report ids, notices, scores) as JSON text, frozen.
CREATE TABLE eval_rubrics (
    id                 INTEGER PRIMARY KEY,
    plan_code          TEXT NOT NULL,
    version            INTEGER NOT NULL,
    w_compliance       INTEGER NOT NULL CHECK (w_compliance BETWEEN 0 AND 100),
    w_timeliness       INTEGER NOT NULL CHECK (w_timeliness BETWEEN 0 AND 100),
    w_evaluator        INTEGER NOT NULL CHECK (w_evaluator BETWEEN 0 AND 100),
    late_credit        INTEGER NOT NULL CHECK (late_credit BETWEEN 0 AND 100),
    notice_late_credit INTEGER NOT NULL CHECK (notice_late_credit BETWEEN 0 AND 100),
    note               TEXT NOT NULL DEFAULT '',
    created_by         INTEGER REFERENCES users(id),
    created_by_name    TEXT NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    UNIQUE (plan_code, version),
    CHECK (w_compliance + w_timeliness + w_evaluator = 100)
);
INSERT INTO eval_rubrics(plan_code, version, w_compliance, w_timeliness, w_evaluator, late_credit,
                         notice_late_credit, note, created_by_name, created_at)
VALUES ('cq-2021-2025', 1, 60, 15, 25, 50, 50,
        '初始评分细则：履职合规60%（已结束周期按时完成计1、补报计0.5、未完成计0），督办反馈及时性15%（期限内反馈计1、逾期反馈计0.5、逾期未反馈计0），第三方评估25%（评估人员评分的平均值）。',
        '系统', 0);

CREATE TABLE eval_scores (
    id             INTEGER PRIMARY KEY,
    plan_code      TEXT NOT NULL,
    year           INTEGER NOT NULL,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    evaluator_id   INTEGER NOT NULL REFERENCES users(id),
    evaluator_name TEXT NOT NULL DEFAULT '',
    score          INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10000),
    comment        TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (plan_code, year, unit_id, evaluator_id)
);
CREATE INDEX eval_scores_year ON eval_scores(plan_code, year);

CREATE TABLE eval_publications (
    id                INTEGER PRIMARY KEY,
    plan_code         TEXT NOT NULL,
    year              INTEGER NOT NULL,
    rubric_version    INTEGER NOT NULL,
    w_compliance       INTEGER NOT NULL,
    w_timeliness       INTEGER NOT NULL,
    w_evaluator        INTEGER NOT NULL,
    late_credit        INTEGER NOT NULL,
    notice_late_credit INTEGER NOT NULL,
    as_of             TEXT NOT NULL,
    units             INTEGER NOT NULL,
    published_at      INTEGER NOT NULL,
    published_by      INTEGER REFERENCES users(id),
    published_by_name TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_code, year)
);

CREATE TABLE eval_results (
    id             INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES eval_publications(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    card           TEXT NOT NULL,
    drilldown      TEXT NOT NULL,
    UNIQUE (publication_id, unit_id)
);
