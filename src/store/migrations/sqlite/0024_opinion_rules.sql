-- 0024_opinion_rules (SQLite): public-opinion keyword rules (issue 17 §2, opinion/opinion.h).
-- A rule is an expression of the rule language with a topic, a grade hint and an owner unit; it
-- goes from draft to live (by someone other than its last editor, with labelled examples) and
-- may be retired. opinion_state.rules_gen moves with every change that touches the live set, so
-- each app server knows when to rebuild its one matcher; reach_major and reach_grave are
-- the reads (plus shares) from which an item is 重大 / 特别重大 whatever its rules say.
CREATE TABLE opinion_rules (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    expression   TEXT NOT NULL,
    topic        TEXT NOT NULL,
    grade_hint   TEXT NOT NULL CHECK (grade_hint IN ('general', 'major', 'grave')),
    owner_unit   INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'retired')),
    created_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_by   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    published_by INTEGER,
    published_at INTEGER
);
CREATE INDEX opinion_rules_status ON opinion_rules (status, id);
CREATE TABLE opinion_examples (
    id         INTEGER PRIMARY KEY,
    rule_id    INTEGER NOT NULL REFERENCES opinion_rules (id),
    text       TEXT NOT NULL,
    expect     INTEGER NOT NULL CHECK (expect IN (0, 1)),
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX opinion_examples_rule ON opinion_examples (rule_id, id);
CREATE TABLE opinion_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    rules_gen INTEGER NOT NULL,
    reach_major INTEGER NOT NULL DEFAULT 100000,
    reach_grave INTEGER NOT NULL DEFAULT 1000000
);
INSERT INTO opinion_state (id, rules_gen) VALUES (1, 1);
