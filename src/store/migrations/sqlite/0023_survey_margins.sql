-- 0023_survey_margins (sqlite): population margins for weighting survey waves (issue 16 §3), as
-- data the office enters and corrects. One row per (question code, answer value) with its
-- population; survey_margin_meta holds the total every variable must sum to, the source and
-- whether the figures are approximate. The seed is approximate demo data and says so: about 26
-- million adults (the seventh census counted 32,054,159 residents in 2020), spread evenly over
-- the 38 districts and by rough shares over age bands and sex - to be replaced by the census
-- tables before a real wave is weighted.
CREATE TABLE survey_margin_meta (
    id          INTEGER PRIMARY KEY,         -- always 1
    total       INTEGER NOT NULL,
    source      TEXT NOT NULL,
    approximate INTEGER NOT NULL,            -- 1: demo figures, not the census tables
    updated_by  INTEGER,
    updated_at  INTEGER NOT NULL
);
CREATE TABLE survey_margins (
    var        TEXT NOT NULL,            -- a question code (D_DISTRICT, D_AGE, D_SEX)
    value      INTEGER NOT NULL,             -- the answer value
    population INTEGER NOT NULL,
    PRIMARY KEY (var, value)
);
INSERT INTO survey_margin_meta (id, total, source, approximate, updated_at) VALUES
    (1, 26000000, '演示用近似数：成年常住人口约 2600 万（第七次全国人口普查重庆常住人口 32054159 人），区县平均分配，年龄段、性别按粗略比例；正式加权前应换为普查分区县、年龄、性别表', 1, 0);
INSERT INTO survey_margins (var, value, population) VALUES
    ('D_DISTRICT', 1, 684210),
    ('D_DISTRICT', 2, 684210),
    ('D_DISTRICT', 3, 684210),
    ('D_DISTRICT', 4, 684210),
    ('D_DISTRICT', 5, 684210),
    ('D_DISTRICT', 6, 684210),
    ('D_DISTRICT', 7, 684210),
    ('D_DISTRICT', 8, 684210),
    ('D_DISTRICT', 9, 684210),
    ('D_DISTRICT', 10, 684210),
    ('D_DISTRICT', 11, 684210),
    ('D_DISTRICT', 12, 684210),
    ('D_DISTRICT', 13, 684210),
    ('D_DISTRICT', 14, 684210),
    ('D_DISTRICT', 15, 684210),
    ('D_DISTRICT', 16, 684210),
    ('D_DISTRICT', 17, 684210),
    ('D_DISTRICT', 18, 684210),
    ('D_DISTRICT', 19, 684210),
    ('D_DISTRICT', 20, 684210),
    ('D_DISTRICT', 21, 684210),
    ('D_DISTRICT', 22, 684210),
    ('D_DISTRICT', 23, 684210),
    ('D_DISTRICT', 24, 684210),
    ('D_DISTRICT', 25, 684210),
    ('D_DISTRICT', 26, 684210),
    ('D_DISTRICT', 27, 684210),
    ('D_DISTRICT', 28, 684210),
    ('D_DISTRICT', 29, 684210),
    ('D_DISTRICT', 30, 684210),
    ('D_DISTRICT', 31, 684210),
    ('D_DISTRICT', 32, 684210),
    ('D_DISTRICT', 33, 684210),
    ('D_DISTRICT', 34, 684210),
    ('D_DISTRICT', 35, 684210),
    ('D_DISTRICT', 36, 684210),
    ('D_DISTRICT', 37, 684210),
    ('D_DISTRICT', 38, 684230),
    ('D_AGE', 1, 4420000),
    ('D_AGE', 2, 4420000),
    ('D_AGE', 3, 4680000),
    ('D_AGE', 4, 4680000),
    ('D_AGE', 5, 4160000),
    ('D_AGE', 6, 3640000),
    ('D_SEX', 1, 13130000),
    ('D_SEX', 2, 12870000);
