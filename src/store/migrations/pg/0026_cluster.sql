-- 0026_cluster: several app servers on one PostgreSQL (store/cluster.c). Each serving process
-- has a row, kept alive by its listener thread, with the highest cache-invalidation number it
-- has acted on; a writer that changed cached data waits until every live server has seen its
-- number. cluster_gen numbers the invalidations.
CREATE SEQUENCE cluster_gen;
CREATE TABLE cluster_servers (
    name     TEXT PRIMARY KEY,
    seen     BIGINT NOT NULL DEFAULT 0,
    alive_at BIGINT NOT NULL
);
