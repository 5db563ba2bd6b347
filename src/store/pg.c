/* pg.c - the PostgreSQL backend (libpq): one connection per thread, statements prepared once
 * per connection under generated names, `?` placeholders renumbered to $n, text results
 * (bytea decoded on demand), binary parameters for blobs. A lost connection is reset on the
 * next use outside a transaction; the statement cache is cleared with it. */
#include "store/store_impl.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 512

struct store_stmt {
    struct store *db; /* first member: store.c relies on it */
    char *sql;        /* owned; NULL for a free slot */
    char name[16];
    bool prepared;
    bool in_use;
    PGresult *res;
    int row;             /* current row index, -1 before the first */
    unsigned char *blob; /* last decoded bytea, owned */
};

struct pg_store {
    struct store base;
    PGconn *conn;
    long long changes;
    unsigned next_name;
    struct store_stmt cache[CACHE_SLOTS];
};

static enum err map_state(const char *state)
{
    if (!state) return ERR_UNAVAILABLE; /* no SQLSTATE: the connection failed */
    if (strcmp(state, "23505") == 0) return ERR_CONFLICT;
    if (strcmp(state, "23503") == 0 || strcmp(state, "23514") == 0) return ERR_RULE;
    if (strncmp(state, "08", 2) == 0 || strcmp(state, "40001") == 0 ||
        strcmp(state, "40P01") == 0 || strncmp(state, "53", 2) == 0 || strncmp(state, "57", 2) == 0)
        return ERR_UNAVAILABLE;
    return ERR_INTERNAL;
}

static void fail_res(struct pg_store *p, PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    store_set_err(&p->base, map_state(state), "postgres %s: %s", what, PQerrorMessage(p->conn));
}

static void clear_cache(struct pg_store *p)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct store_stmt *c = &p->cache[i];
        PQclear(c->res);
        if (c->blob) PQfreemem(c->blob);
        free(c->sql);
        memset(c, 0, sizeof *c);
    }
}

/* What the operator should change when libpq's message shows a password method it cannot speak:
 * openGauss's SHA256 method comes as request 10, which stock libpq reads as SASL and then finds
 * no mechanism it knows; its SM3 method is a request code libpq does not know at all. */
static const char *connect_hint(const char *msg)
{
    if (strstr(msg, "SASL authentication mechanisms") || strstr(msg, "authentication method 10") ||
        strstr(msg, "authentication method 13"))
        return "the server asks for a password method this libpq cannot speak, as openGauss's "
               "SHA256 and SM3 methods are. On openGauss set password_encryption_type = 1 (MD5 "
               "and SHA256 hashes both kept), set the ecoact role's password again so that an MD5 "
               "hash is stored, and give the role md5 in pg_hba.conf; or run ecoact with "
               "openGauss's own libpq (docs/operations.md, openGauss)";
    return NULL;
}

static void connect_failed(struct pg_store *p, char *why, size_t whylen, const char *what)
{
    const char *msg = PQerrorMessage(p->conn), *hint = connect_hint(msg);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    snprintf(why, whylen, "%s: %.*s%s%s", what, (int)n, msg, hint ? " — " : "", hint ? hint : "");
}

/* Makes sure the connection is usable; resets it when it was lost and no transaction is open. */
static bool ensure_conn(struct pg_store *p)
{
    if (PQstatus(p->conn) == CONNECTION_OK) return true;
    if (p->base.in_tx) {
        store_set_err(&p->base, ERR_UNAVAILABLE, "postgres connection lost inside a transaction");
        return false;
    }
    clear_cache(p);
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        char why[1024];
        connect_failed(p, why, sizeof why, "postgres reconnect failed");
        store_set_err(&p->base, ERR_UNAVAILABLE, "%s", why);
        return false;
    }
    return true;
}

static unsigned hash_str(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* `?` → `$n` outside quotes. Returns a malloc'd string. */
static char *renumber(const char *sql)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 1);
    if (!out) return NULL;
    char *o = out;
    int k = 0;
    char quote = 0;
    for (const char *s = sql; *s; s++) {
        if (quote) {
            if (*s == quote) quote = 0;
            *o++ = *s;
        } else if (*s == '\'' || *s == '"') {
            quote = *s;
            *o++ = *s;
        } else if (*s == '?') {
            o += sprintf(o, "$%d", ++k);
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static void p_close(struct store *db)
{
    struct pg_store *p = (struct pg_store *)db;
    clear_cache(p);
    PQfinish(p->conn);
    free(p);
}

static bool run(struct pg_store *p, struct store_stmt *q, const struct bind *b, int n)
{
    if (!q->prepared) {
        char *text = renumber(q->sql);
        PGresult *r = text ? PQprepare(p->conn, q->name, text, 0, NULL) : NULL;
        free(text);
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
            fail_res(p, r, "prepare");
            PQclear(r);
            return false;
        }
        PQclear(r);
        q->prepared = true;
    }
    const char *values[STORE_MAX_PARAMS];
    int lengths[STORE_MAX_PARAMS], formats[STORE_MAX_PARAMS];
    char ints[STORE_MAX_PARAMS][24];
    for (int i = 0; i < n; i++) {
        lengths[i] = 0;
        formats[i] = 0;
        switch (b[i].type) {
        case BIND_INT:
            snprintf(ints[i], sizeof ints[i], "%lld", b[i].i);
            values[i] = ints[i];
            break;
        case BIND_TEXT:
            values[i] = b[i].p;
            break;
        case BIND_BLOB:
            values[i] = b[i].p;
            lengths[i] = (int)b[i].len;
            formats[i] = 1;
            break;
        default:
            values[i] = NULL;
            break;
        }
    }
    PGresult *r = PQexecPrepared(p->conn, q->name, n, values, lengths, formats, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        fail_res(p, r, "execute");
        PQclear(r);
        if (!r || PQstatus(p->conn) != CONNECTION_OK) q->prepared = false;
        return false;
    }
    const char *ct = PQcmdTuples(r);
    p->changes = ct && *ct ? atoll(ct) : 0;
    q->res = r;
    q->row = -1;
    return true;
}

static struct store_stmt *p_query(struct store *db, const char *sql, const struct bind *b, int n)
{
    struct pg_store *p = (struct pg_store *)db;
    if (!ensure_conn(p)) return NULL;
    struct store_stmt *q = NULL;
    unsigned h = hash_str(sql) % CACHE_SLOTS;
    for (unsigned k = 0; k < CACHE_SLOTS; k++) {
        struct store_stmt *c = &p->cache[(h + k) % CACHE_SLOTS];
        if (!c->sql) {
            q = c;
            break;
        }
        if (strcmp(c->sql, sql) == 0) {
            q = c;
            break;
        }
    }
    if (!q) {
        store_set_err(db, ERR_INTERNAL, "postgres: statement cache full");
        return NULL;
    }
    if (q->in_use) {
        store_set_err(db, ERR_INTERNAL, "postgres: statement used while still open: %s", sql);
        return NULL;
    }
    if (!q->sql) {
        q->sql = strdup(sql);
        q->db = db;
        snprintf(q->name, sizeof q->name, "s%u", p->next_name++);
    }
    q->in_use = true;
    if (!run(p, q, b, n)) {
        q->res = NULL;
        q->row = 0;
    }
    return q;
}

static bool p_row(struct store_stmt *q)
{
    if (!q->res) return false;
    q->row++;
    return q->row < PQntuples(q->res);
}

static const char *p_text(struct store_stmt *q, int col)
{
    if (!q->res || PQgetisnull(q->res, q->row, col)) return NULL;
    return PQgetvalue(q->res, q->row, col);
}

static long long p_int(struct store_stmt *q, int col)
{
    const char *s = p_text(q, col);
    if (!s) return 0;
    if (s[0] == 't' && s[1] == '\0') return 1; /* boolean results */
    if (s[0] == 'f' && s[1] == '\0') return 0;
    return atoll(s);
}

static const void *p_blob(struct store_stmt *q, int col, size_t *len)
{
    *len = 0;
    const char *s = p_text(q, col);
    if (!s) return NULL;
    if (q->blob) PQfreemem(q->blob);
    q->blob = PQunescapeBytea((const unsigned char *)s, len);
    return q->blob;
}

static bool p_null(struct store_stmt *q, int col)
{
    return !q->res || PQgetisnull(q->res, q->row, col);
}

static void p_done(struct store_stmt *q)
{
    PQclear(q->res);
    q->res = NULL;
    if (q->blob) PQfreemem(q->blob);
    q->blob = NULL;
    q->in_use = false;
}

static enum err p_exec_script(struct store *db, const char *sql)
{
    struct pg_store *p = (struct pg_store *)db;
    if (!ensure_conn(p)) return db->err;
    PGresult *r = PQexec(p->conn, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fail_res(p, r, "exec");
        enum err e = db->err ? db->err : ERR_INTERNAL;
        PQclear(r);
        return e;
    }
    PQclear(r);
    return OK;
}

static long long p_changes(struct store *db)
{
    return ((struct pg_store *)db)->changes;
}

static const struct store_ops pg_ops = {
    .close = p_close,
    .query = p_query,
    .row = p_row,
    .col_int = p_int,
    .col_text = p_text,
    .col_blob = p_blob,
    .col_null = p_null,
    .done = p_done,
    .exec_script = p_exec_script,
    .changes = p_changes,
};

int pg_socket(struct store *db)
{
    return PQsocket(((struct pg_store *)db)->conn);
}

long long pg_notified(struct store *db)
{
    struct pg_store *p = (struct pg_store *)db;
    if (!PQconsumeInput(p->conn) || PQstatus(p->conn) != CONNECTION_OK) return -1;
    long long top = 0;
    PGnotify *n;
    while ((n = PQnotifies(p->conn))) {
        long long v = strtoll(n->extra, NULL, 10);
        if (v > top) top = v;
        PQfreemem(n);
    }
    return top;
}

static void quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

enum err pg_open(const char *conninfo, struct store **out, char *why, size_t whylen)
{
    struct pg_store *p = calloc(1, sizeof *p);
    if (!p) return ERR_INTERNAL;
    p->base.ops = &pg_ops;
    p->base.kind = STORE_PG;
    p->conn = PQconnectdb(conninfo);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        connect_failed(p, why, whylen, "cannot connect to PostgreSQL");
        PQfinish(p->conn);
        free(p);
        return ERR_UNAVAILABLE;
    }
    PQsetNoticeProcessor(p->conn, quiet_notices, NULL);
    PGresult *r = PQexec(p->conn, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'");
    PQclear(r);
    *out = &p->base;
    return OK;
}
