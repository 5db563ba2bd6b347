/* migrate.c - applies the embedded migrations NNNN_name.sql in order and records them in
 * schema_migrations. */
#include "store/migrate.h"
#include "base/embedded.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const struct embedded_file *files_for(enum store_kind k)
{
    return k == STORE_SQLITE ? embedded_migrations_sqlite : embedded_migrations_pg;
}

int migrate_latest(enum store_kind kind)
{
    int v = 0;
    for (const struct embedded_file *f = files_for(kind); f->name; f++)
        v = atoi(f->name);
    return v;
}

static enum err current_version(struct store *db, int *v)
{
    enum err e = store_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                       " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                                       " applied_at BIGINT NOT NULL)");
    if (e != OK) return e;
    struct store_stmt *q =
        store_q(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
    *v = store_row(q) ? (int)store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

/* Reads the schema version; refuses a database newer than this binary. */
static enum err version_known(struct store *db, int *v, char *why, size_t whylen)
{
    enum err e = current_version(db, v);
    if (e != OK) {
        snprintf(why, whylen, "cannot read the schema version: %s", store_errmsg(db));
        return e;
    }
    int latest = migrate_latest(store_kind(db));
    if (*v > latest) {
        snprintf(why, whylen,
                 "the database schema is version %d, newer than this binary knows (%d): "
                 "upgrade ecoact",
                 *v, latest);
        return ERR_CONFLICT;
    }
    return OK;
}

enum err migrate_check(struct store *db, char *why, size_t whylen)
{
    int v = 0;
    enum err e = version_known(db, &v, why, whylen);
    if (e != OK) return e;
    struct store_stmt *q = store_q(db, "SELECT count(*) FROM schema_migrations", "");
    int have = store_row(q) ? (int)store_int(q, 0) : 0;
    store_done(q);
    int want = 0;
    for (const struct embedded_file *f = files_for(store_kind(db)); f->name; f++)
        want++;
    if (have < want) {
        snprintf(why, whylen,
                 "the database schema lacks %d migration(s) this binary needs: run "
                 "'ecoact migrate'",
                 want - have);
        return ERR_CONFLICT;
    }
    return OK;
}

enum err migrate_up(struct store *db, int *applied, char *why, size_t whylen)
{
    *applied = 0;
    int v = 0;
    enum err e = version_known(db, &v, why, whylen);
    if (e != OK) return e;
    for (const struct embedded_file *f = files_for(store_kind(db)); f->name; f++) {
        int fv = atoi(f->name);
        /* Applied when recorded: a migration numbered below the newest one that is missing (two
         * branches landing out of order) is still applied. */
        struct store_stmt *q =
            store_q(db, "SELECT 1 FROM schema_migrations WHERE version = ?", "i", (long long)fv);
        bool applied_before = store_row(q);
        store_done(q);
        if (applied_before) continue;
        if ((e = store_begin(db)) != OK) break;
        e = store_exec_script(db, f->text);
        if (e == OK)
            e = store_do(
                db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                "iti", (long long)fv, f->name, (long long)time(NULL));
        if (e == OK) e = store_commit(db);
        if (e != OK) {
            store_rollback(db);
            snprintf(why, whylen, "migration %s failed: %s", f->name, store_errmsg(db));
            return e;
        }
        (*applied)++;
    }
    if (e != OK) snprintf(why, whylen, "migration failed: %s", store_errmsg(db));
    return e;
}
