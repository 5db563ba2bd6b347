/* sqlite.c - the SQLite backend: WAL, foreign keys, busy timeout, synchronous=FULL by default
 * (ECOACT_SQLITE_SYNC=normal relaxes it), and a per-connection cache of prepared statements
 * keyed by SQL text. */
#include "store/store_impl.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_SLOTS 512

struct store_stmt {
    struct store *db; /* first member: store.c relies on it */
    sqlite3_stmt *st;
    char *sql; /* owned; NULL for a free slot */
    bool in_use;
    bool cached;
    bool done_stepping;
};

struct sqlite_store {
    struct store base;
    sqlite3 *conn;
    struct store_stmt cache[CACHE_SLOTS];
};

static enum err map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
        return ERR_UNAVAILABLE;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return ERR_CONFLICT;
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY || rc == SQLITE_CONSTRAINT_CHECK) return ERR_RULE;
        return ERR_INTERNAL; /* NOT NULL and the like: the code let bad data through, a bug */
    default:
        return ERR_INTERNAL;
    }
}

static void fail(struct sqlite_store *s, int rc, const char *what)
{
    store_set_err(&s->base, map_rc(sqlite3_extended_errcode(s->conn)), "sqlite %s: %s (%d)", what,
                  sqlite3_errmsg(s->conn), rc);
}

static unsigned hash_str(const char *p)
{
    unsigned h = 2166136261u;
    while (*p)
        h = (h ^ (unsigned char)*p++) * 16777619u;
    return h;
}

static void s_close(struct store *db)
{
    struct sqlite_store *s = (struct sqlite_store *)db;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    sqlite3_close_v2(s->conn);
    free(s);
}

static bool bind_all(struct sqlite_store *s, sqlite3_stmt *st, const struct bind *b, int n)
{
    if (sqlite3_bind_parameter_count(st) != n) {
        store_set_err(&s->base, ERR_INTERNAL, "sqlite: statement wants %d parameters, got %d",
                      sqlite3_bind_parameter_count(st), n);
        return false;
    }
    for (int i = 0; i < n; i++) {
        int rc;
        switch (b[i].type) {
        case BIND_INT:
            rc = sqlite3_bind_int64(st, i + 1, b[i].i);
            break;
        case BIND_TEXT:
            rc = sqlite3_bind_text(st, i + 1, b[i].p, (int)b[i].len, SQLITE_STATIC);
            break;
        case BIND_BLOB:
            rc = sqlite3_bind_blob(st, i + 1, b[i].p, (int)b[i].len, SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(st, i + 1);
            break;
        }
        if (rc != SQLITE_OK) {
            fail(s, rc, "bind");
            return false;
        }
    }
    return true;
}

static struct store_stmt *s_query(struct store *db, const char *sql, const struct bind *b, int n)
{
    struct sqlite_store *s = (struct sqlite_store *)db;
    struct store_stmt *q = NULL;
    unsigned h = hash_str(sql) % CACHE_SLOTS;
    for (unsigned k = 0; k < CACHE_SLOTS; k++) {
        struct store_stmt *c = &s->cache[(h + k) % CACHE_SLOTS];
        if (!c->sql) {
            q = c;
            break;
        }
        if (strcmp(c->sql, sql) == 0) {
            if (!c->in_use) q = c;
            break; /* in use (a nested query with the same text): prepare one uncached */
        }
    }
    if (q && !q->sql) {
        if (sqlite3_prepare_v3(s->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->st, NULL) !=
            SQLITE_OK) {
            fail(s, 0, "prepare");
            q->st = NULL;
            return NULL;
        }
        q->sql = strdup(sql);
        q->db = db;
        q->cached = true;
    }
    if (!q) {
        q = calloc(1, sizeof *q);
        if (!q) return NULL;
        q->db = db;
        if (sqlite3_prepare_v2(s->conn, sql, -1, &q->st, NULL) != SQLITE_OK) {
            fail(s, 0, "prepare");
            free(q);
            return NULL;
        }
    }
    q->in_use = true;
    q->done_stepping = false;
    if (!bind_all(s, q->st, b, n)) {
        q->done_stepping = true;
    }
    return q;
}

static bool s_row(struct store_stmt *q)
{
    if (q->done_stepping) return false;
    struct sqlite_store *s = (struct sqlite_store *)q->db;
    int rc = sqlite3_step(q->st);
    if (rc == SQLITE_ROW) return true;
    q->done_stepping = true;
    if (rc != SQLITE_DONE) fail(s, rc, "step");
    return false;
}

static long long s_int(struct store_stmt *q, int col)
{
    return sqlite3_column_int64(q->st, col);
}

static const char *s_text(struct store_stmt *q, int col)
{
    return (const char *)sqlite3_column_text(q->st, col);
}

static const void *s_blob(struct store_stmt *q, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(q->st, col);
    *len = (size_t)sqlite3_column_bytes(q->st, col);
    return p;
}

static bool s_null(struct store_stmt *q, int col)
{
    return sqlite3_column_type(q->st, col) == SQLITE_NULL;
}

static void s_done(struct store_stmt *q)
{
    if (!q->cached) {
        sqlite3_finalize(q->st);
        free(q);
        return;
    }
    sqlite3_reset(q->st);
    sqlite3_clear_bindings(q->st);
    q->in_use = false;
}

static enum err s_exec_script(struct store *db, const char *sql)
{
    struct sqlite_store *s = (struct sqlite_store *)db;
    char *msg = NULL;
    int rc = sqlite3_exec(s->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        store_set_err(db, map_rc(sqlite3_extended_errcode(s->conn)), "sqlite exec: %s",
                      msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(sqlite3_extended_errcode(s->conn));
    }
    return OK;
}

static long long s_changes(struct store *db)
{
    return sqlite3_changes64(((struct sqlite_store *)db)->conn);
}

/* The database file and its -wal and -shm companions readable by their owner only (SQLite gives
 * the companions the main file's mode). Errors are ignored: a file we do not own stays as it is. */
static void only_owner(const char *path)
{
    char p[4096];
    const char *const ext[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++)
        if ((size_t)snprintf(p, sizeof p, "%s%s", path, ext[i]) < sizeof p) (void)chmod(p, 0600);
}

static const struct store_ops sqlite_ops = {
    .close = s_close,
    .query = s_query,
    .row = s_row,
    .col_int = s_int,
    .col_text = s_text,
    .col_blob = s_blob,
    .col_null = s_null,
    .done = s_done,
    .exec_script = s_exec_script,
    .changes = s_changes,
};

enum err sqlite_open(const char *path, struct store **out, char *why, size_t whylen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, store_fault_init);
    struct sqlite_store *s = calloc(1, sizeof *s);
    if (!s) return ERR_INTERNAL;
    s->base.ops = &sqlite_ops;
    s->base.kind = STORE_SQLITE;
    int rc = sqlite3_open_v2(
        path, &s->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(why, whylen, "cannot open SQLite database %s: %s", path,
                 s->conn ? sqlite3_errmsg(s->conn) : sqlite3_errstr(rc));
        sqlite3_close_v2(s->conn);
        free(s);
        return ERR_UNAVAILABLE;
    }
    only_owner(path); /* a database made 0644 by an older version is tightened */
    sqlite3_busy_timeout(s->conn, 5000);
    sqlite3_extended_result_codes(s->conn, 1);
    const char *sync = getenv("ECOACT_SQLITE_SYNC");
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=%s;"
             " PRAGMA secure_delete=ON;",
             sync && strcmp(sync, "normal") == 0 ? "NORMAL" : "FULL");
    if (s_exec_script(&s->base, pragmas) != OK) {
        snprintf(why, whylen, "cannot configure SQLite database %s: %s", path, s->base.errmsg);
        s_close(&s->base);
        return ERR_UNAVAILABLE;
    }
    *out = &s->base;
    return OK;
}

enum err sqlite_backup(struct store *db, const char *dest, char *why, size_t whylen)
{
    struct sqlite_store *s = (struct sqlite_store *)db;
    /* Made here, empty, for the owner only (mode 0600, whatever the umask), and never over an
     * existing file; SQLite then writes into it. */
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, whylen,
                 errno == EEXIST ? "%s already exists: choose a new file name"
                                 : "cannot create %s: %s",
                 dest, strerror(errno));
        return errno == EEXIST ? ERR_CONFLICT : ERR_UNAVAILABLE;
    }
    close(fd);
    sqlite3 *out = NULL;
    int rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(out, "main", s->conn, "main") : NULL;
    if (b) {
        /* Copy in steps so a running server's writers are not blocked for long. */
        do {
            rc = sqlite3_backup_step(b, 256);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
    }
    if (rc != SQLITE_DONE) {
        snprintf(why, whylen, "backup to %s failed: %s", dest,
                 out ? sqlite3_errmsg(out) : "cannot open");
        sqlite3_close_v2(out);
        unlink(dest);
        return ERR_UNAVAILABLE;
    }
    rc = sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close_v2(out);
    return OK;
}
