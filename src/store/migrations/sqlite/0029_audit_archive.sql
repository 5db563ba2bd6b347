-- 0029_audit_archive: the audit log's archives (issue 18 §4). `ecoact audit archive` moves the
-- rows older than the retention (at least six months, 网络安全法 第二十一条) into a file and
-- records here the stretch of the chain it holds, so that `ecoact verify audit` can start the
-- database's chain from the last archived hash and check each archive file against its record.
CREATE TABLE audit_archives (
    id          BIGINT PRIMARY KEY,
    first_id    BIGINT NOT NULL,
    last_id     BIGINT NOT NULL,
    prev_hash   TEXT NOT NULL,
    last_hash   TEXT NOT NULL,
    rows_count  BIGINT NOT NULL,
    before_at   BIGINT NOT NULL,
    file_name   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (first_id),
    UNIQUE (last_id)
);
