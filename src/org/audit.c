/* audit.c - append, list and verify of the audit chain; the SQL is in store_org.c. */
#include "org/audit.h"
#include "org/org_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void row_mac(const struct keys *k, long long id, const struct audit_entry *e,
                    const char *prev, char out[CRYPTO_HASH_HEX])
{
    /* Fields joined with the unit separator; lengths are bounded by the columns' writers. */
    size_t cap = 1024;
    const char *parts[] = {e->username, e->ip, e->action, e->object, e->result, e->detail, prev};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        cap += parts[i] ? strlen(parts[i]) : 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    int n = snprintf(
        buf, cap, "%lld\x1f%lld\x1f%lld\x1f%s\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", id,
        e->at, e->user_id, e->username ? e->username : "", e->unit_id, e->ip ? e->ip : "",
        e->action, e->object ? e->object : "", e->result, e->detail ? e->detail : "", prev);
    audit_mac(k, buf, (size_t)n, out);
    free(buf);
}

enum err audit_append(struct store *db, const struct keys *k, const struct audit_entry *e)
{
    /* Taking the head row first serialises appenders on PostgreSQL (row lock); SQLite writers
     * are already serialised by BEGIN IMMEDIATE. */
    enum err err = org_store_audit_head_lock(db);
    if (err != OK) return err;
    long long last_id = 0;
    char prev[CRYPTO_HASH_HEX] = GENESIS;
    bool found;
    if ((err = org_store_audit_head(db, &last_id, prev, &found)) != OK) return err;
    long long id = last_id + 1;
    char h[CRYPTO_HASH_HEX];
    row_mac(k, id, e, prev, h);
    err = org_store_audit_insert(db, id, e, prev, h);
    if (err != OK) return err;
    return org_store_audit_head_set(db, id, h, last_id == 0);
}

enum err audit_append_tx(struct store *db, const struct keys *k, const struct audit_entry *e)
{
    enum err err = store_begin(db);
    if (err != OK) return err;
    err = audit_append(db, k, e);
    if (err == OK) return store_commit(db);
    store_rollback(db);
    return err;
}

enum err audit_each(struct store *db, const struct audit_filter *f, audit_fn fn, void *ctx)
{
    return org_store_audit_each(db, f, fn, ctx);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

bool audit_chain_step(struct audit_walk *w, const struct audit_row *row, const char *prev_hash)
{
    long long id = row->id;
    struct audit_entry e = {
        .at = row->e.at,
        .user_id = row->e.user_id,
        .username = nz(row->e.username),
        .unit_id = row->e.unit_id,
        .ip = nz(row->e.ip),
        .action = nz(row->e.action),
        .object = nz(row->e.object),
        .result = nz(row->e.result),
        .detail = nz(row->e.detail),
    };
    char h[CRYPTO_HASH_HEX];
    if (id != w->expect_id) {
        snprintf(w->why, w->whylen, "第 %lld 行缺失（其后是第 %lld 行）", w->expect_id, id);
        *w->bad_id = w->expect_id;
    } else if (strcmp(nz(prev_hash), w->prev) != 0) {
        snprintf(w->why, w->whylen, "第 %lld 行与上一行的哈希不衔接", id);
        *w->bad_id = id;
    } else {
        row_mac(w->k, id, &e, w->prev, h);
        if (strcmp(h, nz(row->hash)) != 0) {
            snprintf(w->why, w->whylen, "第 %lld 行被篡改（哈希与内容不符）", id);
            *w->bad_id = id;
        }
    }
    if (*w->bad_id) return false;
    snprintf(w->prev, sizeof w->prev, "%s", h);
    w->expect_id = id + 1;
    (*w->rows)++;
    return true;
}

static bool check_row(void *ctx, const struct audit_row *row, const char *prev_hash)
{
    return audit_chain_step(ctx, row, prev_hash);
}

void audit_walk_start(struct audit_walk *w, const struct keys *k, long long after_id,
                      const char *after_hash, long long *rows, long long *bad_id, char *why,
                      size_t whylen)
{
    *w = (struct audit_walk){.k = k,
                             .expect_id = after_id + 1,
                             .rows = rows,
                             .bad_id = bad_id,
                             .why = why,
                             .whylen = whylen};
    snprintf(w->prev, sizeof w->prev, "%s", after_id ? after_hash : GENESIS);
    *rows = 0;
    *bad_id = 0;
    why[0] = '\0';
}

enum err audit_verify(struct store *db, const struct keys *k, long long *rows, long long *bad_id,
                      char *why, size_t whylen)
{
    struct audit_archive last;
    bool archived;
    enum err e = org_store_audit_archive_last(db, &last, &archived);
    if (e != OK) return e;
    struct audit_walk w;
    audit_walk_start(&w, k, archived ? last.last_id : 0, last.last_hash, rows, bad_id, why, whylen);
    if ((e = org_store_audit_chain(db, 0, check_row, &w)) != OK) return e;
    if (!*bad_id) {
        long long last_id;
        char last_hash[CRYPTO_HASH_HEX] = "";
        bool found;
        if ((e = org_store_audit_head(db, &last_id, last_hash, &found)) != OK) return e;
        if (found) {
            if (last_id != w.expect_id - 1 || strcmp(last_hash, w.prev) != 0) {
                snprintf(why, whylen,
                         "哈希链止于第 %lld 行，但链头记录为第 %lld 行：末尾的行被删除",
                         w.expect_id - 1, last_id);
                *bad_id = w.expect_id;
            }
        } else if (*rows > 0) {
            snprintf(why, whylen, "哈希链链头缺失");
            *bad_id = 1;
        }
    }
    return store_err(db);
}
