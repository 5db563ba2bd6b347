-- 0026_cluster: the servers of a PostgreSQL cluster (store/cluster.c). SQLite serves from one
-- process, whose caches need no announcements: the table stays empty, kept for one schema.
CREATE TABLE cluster_servers (
    name     TEXT PRIMARY KEY,
    seen     INTEGER NOT NULL DEFAULT 0,
    alive_at INTEGER NOT NULL
);
