/* store.c - backend-neutral part of the storage interface: URL dispatch, argument binding,
 * transactions and error bookkeeping. */
#include "store/store_impl.h"
#include "base/log.h"
#include "store/cluster.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_set_err(struct store *db, enum err e, const char *fmt, ...)
{
    if (db->err != OK) return; /* keep the first error: it is the cause */
    db->err = e;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
    va_end(ap);
    if (e == ERR_INTERNAL || e == ERR_UNAVAILABLE) log_warn("store: %s", db->errmsg);
}

enum err store_err(const struct store *db)
{
    return db->err;
}

const char *store_errmsg(const struct store *db)
{
    return db->errmsg;
}

void store_clear_err(struct store *db)
{
    db->err = OK;
    db->errmsg[0] = '\0';
}

bool store_url_is_pg(const char *url)
{
    return url && (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

enum err store_open(const char *url, struct store **out, char *why, size_t whylen)
{
    *out = NULL;
    if (!url || !*url) url = "sqlite:./ecoact.db";
    if (strncmp(url, "sqlite:", 7) == 0) return sqlite_open(url + 7, out, why, whylen);
    if (store_url_is_pg(url)) return pg_open(url, out, why, whylen);
    snprintf(why, whylen, "unknown database URL '%s': use sqlite:PATH or postgresql://…", url);
    return ERR_BAD_REQUEST;
}

void store_close(struct store *db)
{
    if (db) db->ops->close(db);
}

enum store_kind store_kind(const struct store *db)
{
    return db->kind;
}

static int collect(const char *fmt, va_list ap, struct bind *b)
{
    int n = 0;
    for (const char *f = fmt ? fmt : ""; *f; f++) {
        if (n == STORE_MAX_PARAMS) return -1;
        struct bind *x = &b[n++];
        memset(x, 0, sizeof *x);
        switch (*f) {
        case 'i':
            x->type = BIND_INT;
            x->i = va_arg(ap, long long);
            break;
        case 'I': /* an id where 0 means none: binds NULL */
            x->i = va_arg(ap, long long);
            x->type = x->i ? BIND_INT : BIND_NULL;
            break;
        case 't':
            x->p = va_arg(ap, const char *);
            x->type = x->p ? BIND_TEXT : BIND_NULL;
            x->len = x->p ? strlen(x->p) : 0;
            break;
        case 'b':
            x->p = va_arg(ap, const void *);
            x->len = va_arg(ap, size_t);
            x->type = x->p ? BIND_BLOB : BIND_NULL;
            break;
        case 'n':
            x->type = BIND_NULL;
            break;
        default:
            return -1;
        }
    }
    return n;
}

static struct store_stmt *vquery(struct store *db, const char *sql, const char *fmt, va_list ap)
{
    struct bind b[STORE_MAX_PARAMS];
    int n = collect(fmt, ap, b);
    if (n < 0) {
        store_set_err(db, ERR_INTERNAL, "bad bind format '%s' for: %s", fmt, sql);
        return NULL;
    }
    return db->ops->query(db, sql, b, n);
}

struct store_stmt *store_q(struct store *db, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct store_stmt *q = vquery(db, sql, fmt, ap);
    va_end(ap);
    return q;
}

enum err store_do(struct store *db, const char *sql, const char *fmt, ...)
{
    enum err before = db->err;
    db->err = OK;
    va_list ap;
    va_start(ap, fmt);
    struct store_stmt *q = vquery(db, sql, fmt, ap);
    va_end(ap);
    while (q && db->ops->row(q))
        ;
    if (q) db->ops->done(q);
    enum err e = db->err;
    if (before != OK) db->err = before;
    return e;
}

bool store_row(struct store_stmt *q)
{
    return q && ((struct store *)*(void **)q)->ops->row(q);
}

/* Every backend's statement struct starts with a pointer to its connection. */
#define DB_OF(q) ((struct store *)*(void **)(q))

long long store_int(struct store_stmt *q, int col)
{
    return DB_OF(q)->ops->col_int(q, col);
}

const char *store_text(struct store_stmt *q, int col)
{
    return DB_OF(q)->ops->col_text(q, col);
}

const void *store_blob(struct store_stmt *q, int col, size_t *len)
{
    return DB_OF(q)->ops->col_blob(q, col, len);
}

bool store_null(struct store_stmt *q, int col)
{
    return DB_OF(q)->ops->col_null(q, col);
}

void store_done(struct store_stmt *q)
{
    if (q) DB_OF(q)->ops->done(q);
}

long long store_changes(struct store *db)
{
    return db->ops->changes(db);
}

enum err store_exec_script(struct store *db, const char *sql)
{
    return db->ops->exec_script(db, sql);
}

enum err store_begin(struct store *db)
{
    if (db->in_tx) {
        store_set_err(db, ERR_INTERNAL, "nested transaction");
        return ERR_INTERNAL;
    }
    enum err e = store_exec_script(db, db->kind == STORE_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
    if (e == OK) db->in_tx = true;
    return e;
}

void store_touch_shared(struct store *db)
{
    if (db->kind != STORE_PG) return;
    if (db->in_tx) {
        db->shared_dirty = true;
        return;
    }
    long long n = 0; /* outside a transaction the write has committed already: tell at once */
    if (cluster_announce(db, &n) == OK && n) cluster_await(db, n);
}

enum err store_commit(struct store *db)
{
    if (!db->in_tx) return OK;
    long long announced = 0;
    enum err e = OK;
    if (db->shared_dirty && db->kind == STORE_PG) e = cluster_announce(db, &announced);
    db->shared_dirty = false;
    if (e == OK) e = store_exec_script(db, "COMMIT");
    if (e != OK) store_rollback(db);
    db->in_tx = false;
    if (e == OK && announced) cluster_await(db, announced);
    return e;
}

void store_rollback(struct store *db)
{
    if (!db->in_tx) return;
    enum err saved = db->err;
    char msg[sizeof db->errmsg];
    memcpy(msg, db->errmsg, sizeof msg);
    db->err = OK;
    store_exec_script(db, "ROLLBACK");
    db->shared_dirty = false;
    db->err = saved;
    memcpy(db->errmsg, msg, sizeof msg);
    db->in_tx = false;
}

bool store_in_tx(const struct store *db)
{
    return db->in_tx;
}

enum err store_ping(struct store *db)
{
    struct store_stmt *q = store_q(db, "SELECT 1", "");
    bool ok = store_row(q) && store_int(q, 0) == 1;
    store_done(q);
    if (ok) return OK;
    return store_err(db) ? store_err(db) : ERR_UNAVAILABLE;
}

char *store_like(const char *text, bool contains)
{
    if (!text) return NULL;
    size_t n = strlen(text);
    char *pat = malloc(2 * n + 3), *o = pat;
    if (!pat) abort();
    if (contains) *o++ = '%';
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!') *o++ = '!';
        *o++ = *p;
    }
    *o++ = '%';
    *o = '\0';
    return pat;
}
