-- 0022_survey (sqlite): public eco-behaviour surveys (issue 16 §1-§2), survey's tables.
-- A questionnaire version holds its definition as a JSON document (sections, questions with
-- stable codes, types, show conditions, validation: survey_rules.c checks it); draft →
-- published (by another official) → closed. A wave of a published questionnaire has a period,
-- a target and quota cells over some question codes; a cell's filled count is raised with
-- "filled < target" in the same statement, so concurrent submissions never overfill it. A
-- response is unique per (wave, respondent): 'c:<citizen id>' for a registered citizen. Its
-- answers are JSON text; flags (too_fast, attention) are kept on it. Times are unix seconds,
-- dates 'YYYY-MM-DD' (Asia/Shanghai).
CREATE TABLE survey_questionnaires (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL,          -- stable across versions ("ECO_BEHAVIOUR")
    title        TEXT NOT NULL,
    definition   TEXT NOT NULL,          -- JSON
    status       TEXT NOT NULL,          -- draft | published | closed
    drafted_by   INTEGER,                    -- NULL: the seed
    created_at   INTEGER NOT NULL,
    published_by INTEGER,
    published_at INTEGER,
    closed_at    INTEGER
);
CREATE TABLE survey_waves (
    id               INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES survey_questionnaires(id),
    title            TEXT NOT NULL,
    starts           TEXT NOT NULL,
    ends             TEXT NOT NULL,
    target           INTEGER NOT NULL,
    min_seconds      INTEGER NOT NULL,       -- a faster submission is flagged too_fast
    quota_vars       TEXT NOT NULL,      -- question codes, comma-separated; '' none
    status           TEXT NOT NULL,      -- open | closed
    created_by       INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    closed_by        INTEGER,
    closed_at        INTEGER
);
CREATE TABLE survey_quota_cells (
    wave_id INTEGER NOT NULL REFERENCES survey_waves(id),
    cell    TEXT NOT NULL,               -- answers of the quota vars: '3|2|1'
    target  INTEGER NOT NULL,
    filled  INTEGER NOT NULL,
    PRIMARY KEY (wave_id, cell)
);
CREATE TABLE survey_responses (
    id           INTEGER PRIMARY KEY,
    wave_id      INTEGER NOT NULL REFERENCES survey_waves(id),
    respondent   TEXT NOT NULL,          -- 'c:<citizen id>'
    citizen_id   INTEGER,
    status       TEXT NOT NULL,          -- draft | submitted
    answers      TEXT NOT NULL,          -- JSON {code: answer}
    cell         TEXT,
    flags        TEXT NOT NULL,          -- comma-separated; '' none
    started_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    submitted_at INTEGER,
    UNIQUE (wave_id, respondent)
);
CREATE INDEX survey_responses_wave ON survey_responses (wave_id, status);
-- The default questionnaire: the ten articles of 《公民生态环境行为规范（试行）》 (2018; the 2023
-- revision's names as alternative labels), an importance and a practice item per article, an
-- attention check, and the demographics the quotas and weights use.
INSERT INTO survey_questionnaires (code, title, definition, status, created_at, published_at)
VALUES ('ECO_BEHAVIOUR', '公民生态环境行为调查（默认问卷）', '{"sections":[{"code":"S_DEMO","title":"基本情况","questions":[{"code":"D_DISTRICT","type":"district","text":"您常住的区县","required":true,"options":[{"value":1,"label":"万州区"},{"value":2,"label":"黔江区"},{"value":3,"label":"涪陵区"},{"value":4,"label":"渝中区"},{"value":5,"label":"大渡口区"},{"value":6,"label":"江北区"},{"value":7,"label":"沙坪坝区"},{"value":8,"label":"九龙坡区"},{"value":9,"label":"南岸区"},{"value":10,"label":"北碚区"},{"value":11,"label":"綦江区"},{"value":12,"label":"大足区"},{"value":13,"label":"渝北区"},{"value":14,"label":"巴南区"},{"value":15,"label":"长寿区"},{"value":16,"label":"江津区"},{"value":17,"label":"合川区"},{"value":18,"label":"永川区"},{"value":19,"label":"南川区"},{"value":20,"label":"璧山区"},{"value":21,"label":"铜梁区"},{"value":22,"label":"潼南区"},{"value":23,"label":"荣昌区"},{"value":24,"label":"开州区"},{"value":25,"label":"梁平区"},{"value":26,"label":"武隆区"},{"value":27,"label":"城口县"},{"value":28,"label":"丰都县"},{"value":29,"label":"垫江县"},{"value":30,"label":"忠县"},{"value":31,"label":"云阳县"},{"value":32,"label":"奉节县"},{"value":33,"label":"巫山县"},{"value":34,"label":"巫溪县"},{"value":35,"label":"石柱土家族自治县"},{"value":36,"label":"秀山土家族苗族自治县"},{"value":37,"label":"酉阳土家族苗族自治县"},{"value":38,"label":"彭水苗族土家族自治县"}]},{"code":"D_AGE","type":"single","text":"您的年龄段","required":true,"options":[{"value":1,"label":"18-29岁"},{"value":2,"label":"30-39岁"},{"value":3,"label":"40-49岁"},{"value":4,"label":"50-59岁"},{"value":5,"label":"60-69岁"},{"value":6,"label":"70岁及以上"}]},{"code":"D_SEX","type":"single","text":"您的性别","required":true,"options":[{"value":1,"label":"男"},{"value":2,"label":"女"}]},{"code":"D_EDU","type":"single","text":"您的最高学历","required":true,"options":[{"value":1,"label":"小学及以下"},{"value":2,"label":"初中"},{"value":3,"label":"高中/中专"},{"value":4,"label":"大专"},{"value":5,"label":"本科"},{"value":6,"label":"研究生"}]},{"code":"D_URBAN","type":"single","text":"您居住在城镇还是乡村","required":true,"options":[{"value":1,"label":"城镇"},{"value":2,"label":"乡村"}]},{"code":"D_OCC","type":"single","text":"您的职业","required":true,"options":[{"value":1,"label":"党政机关、事业单位"},{"value":2,"label":"企业"},{"value":3,"label":"个体、自由职业"},{"value":4,"label":"农业生产"},{"value":5,"label":"学生"},{"value":6,"label":"离退休"},{"value":7,"label":"其他"}]}]},{"code":"S_IMP","title":"行为重要性","questions":[{"code":"IMP01","type":"likert","article":1,"role":"importance","text":"您认为“关爱生态环境”有多重要","alt_labels":{"2018":"关注生态环境","2023":"关爱生态环境"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP02","type":"likert","article":2,"role":"importance","text":"您认为“节约能源资源”有多重要","alt_labels":{"2018":"节约能源资源","2023":"节约能源资源"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP03","type":"likert","article":3,"role":"importance","text":"您认为“践行绿色消费”有多重要","alt_labels":{"2018":"践行绿色消费","2023":"践行绿色消费"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP04","type":"likert","article":4,"role":"importance","text":"您认为“选择低碳出行”有多重要","alt_labels":{"2018":"选择低碳出行","2023":"选择低碳出行"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP05","type":"likert","article":5,"role":"importance","text":"您认为“分类投放垃圾”有多重要","alt_labels":{"2018":"分类投放垃圾","2023":"分类投放垃圾"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP06","type":"likert","article":6,"role":"importance","text":"您认为“减少污染产生”有多重要","alt_labels":{"2018":"减少污染产生","2023":"减少污染产生"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP07","type":"likert","article":7,"role":"importance","text":"您认为“呵护自然生态”有多重要","alt_labels":{"2018":"呵护自然生态","2023":"呵护自然生态"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP08","type":"likert","article":8,"role":"importance","text":"您认为“参加环保实践”有多重要","alt_labels":{"2018":"参加环保实践","2023":"参加环保实践"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP09","type":"likert","article":9,"role":"importance","text":"您认为“参与环境监督”有多重要","alt_labels":{"2018":"参与监督举报","2023":"参与环境监督"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true},{"code":"IMP10","type":"likert","article":10,"role":"importance","text":"您认为“共建美丽中国”有多重要","alt_labels":{"2018":"共建美丽中国","2023":"共建美丽中国"},"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}],"required":true}]},{"code":"S_ATT","title":"注意力检查","questions":[{"code":"ATT1","type":"likert","text":"本题请选择“比较重要”（4）","attention_expect":4,"required":true,"options":[{"value":1,"label":"非常不重要"},{"value":2,"label":"不太重要"},{"value":3,"label":"一般"},{"value":4,"label":"比较重要"},{"value":5,"label":"非常重要"}]}]},{"code":"S_PRA","title":"行为实践","questions":[{"code":"PRA01","type":"likert","article":1,"role":"practice","text":"您平时“关爱生态环境”的频率","alt_labels":{"2018":"关注生态环境","2023":"关爱生态环境"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA02","type":"likert","article":2,"role":"practice","text":"您平时“节约能源资源”的频率","alt_labels":{"2018":"节约能源资源","2023":"节约能源资源"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA03","type":"likert","article":3,"role":"practice","text":"您平时“践行绿色消费”的频率","alt_labels":{"2018":"践行绿色消费","2023":"践行绿色消费"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA04","type":"likert","article":4,"role":"practice","text":"您平时“选择低碳出行”的频率","alt_labels":{"2018":"选择低碳出行","2023":"选择低碳出行"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA05","type":"likert","article":5,"role":"practice","text":"您平时“分类投放垃圾”的频率","alt_labels":{"2018":"分类投放垃圾","2023":"分类投放垃圾"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA06","type":"likert","article":6,"role":"practice","text":"您平时“减少污染产生”的频率","alt_labels":{"2018":"减少污染产生","2023":"减少污染产生"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA07","type":"likert","article":7,"role":"practice","text":"您平时“呵护自然生态”的频率","alt_labels":{"2018":"呵护自然生态","2023":"呵护自然生态"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA08","type":"likert","article":8,"role":"practice","text":"您平时“参加环保实践”的频率","alt_labels":{"2018":"参加环保实践","2023":"参加环保实践"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA09","type":"likert","article":9,"role":"practice","text":"您平时“参与环境监督”的频率","alt_labels":{"2018":"参与监督举报","2023":"参与环境监督"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true},{"code":"PRA10","type":"likert","article":10,"role":"practice","text":"您平时“共建美丽中国”的频率","alt_labels":{"2018":"共建美丽中国","2023":"共建美丽中国"},"options":[{"value":1,"label":"从不"},{"value":2,"label":"很少"},{"value":3,"label":"有时"},{"value":4,"label":"经常"},{"value":5,"label":"总是"}],"required":true}]},{"code":"S_MORE","title":"补充","questions":[{"code":"GREEN_BUY","type":"single","text":"过去一年您是否购买过绿色产品","required":true,"options":[{"value":1,"label":"是"},{"value":2,"label":"否"}]},{"code":"GREEN_WHY","type":"multiple","text":"购买绿色产品的原因（可多选）","show_if":{"q":"GREEN_BUY","op":"eq","value":1},"options":[{"value":1,"label":"环保"},{"value":2,"label":"节省开支"},{"value":3,"label":"质量更好"},{"value":4,"label":"政策补贴"},{"value":5,"label":"其他"}]},{"code":"COMMENT","type":"text","text":"您对本市生态环境工作的建议","maxlen":1000}]}]}', 'published', 0, 0);
