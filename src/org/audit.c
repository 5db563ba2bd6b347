/* audit.c - append and verify of the audit chain. */
#include "org/audit.h"
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
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) cap += parts[i] ? strlen(parts[i]) : 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    int n = snprintf(buf, cap, "%lld\x1f%lld\x1f%lld\x1f%s\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
                     id, e->at, e->user_id, e->username ? e->username : "", e->unit_id,
                     e->ip ? e->ip : "", e->action, e->object ? e->object : "", e->result,
                     e->detail ? e->detail : "", prev);
    audit_mac(k, buf, (size_t)n, out);
    free(buf);
}

enum err audit_append(struct store *db, const struct keys *k, const struct audit_entry *e)
{
    /* Taking the head row first serialises appenders on PostgreSQL (row lock); SQLite writers
     * are already serialised by BEGIN IMMEDIATE. */
    enum err err = store_do(db, "UPDATE audit_head SET last_id = last_id WHERE id = 1", "");
    if (err != OK) return err;
    long long last_id = 0;
    char prev[CRYPTO_HASH_HEX] = GENESIS;
    struct store_stmt *q = store_q(db, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", "");
    if (store_row(q)) {
        last_id = store_int(q, 0);
        snprintf(prev, sizeof prev, "%s", store_text(q, 1));
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    long long id = last_id + 1;
    char h[CRYPTO_HASH_HEX];
    row_mac(k, id, e, prev, h);
    err = store_do(db,
                   "INSERT INTO audit_log(id, at, user_id, username, unit_id, ip, action, object,"
                   " result, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                   "iiititttttt" "t", id, e->at, e->user_id ? e->user_id : 0, e->username,
                   e->unit_id, e->ip, e->action, e->object, e->result, e->detail, prev, h);
    if (err != OK) return err;
    if (last_id == 0)
        err = store_do(db,
                       "INSERT INTO audit_head(id, last_id, last_hash) VALUES (1, ?, ?)"
                       " ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id,"
                       " last_hash = excluded.last_hash",
                       "it", id, h);
    else
        err = store_do(db, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", "it", id, h);
    return err;
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

static const char *col(struct store_stmt *q, int i)
{
    const char *s = store_text(q, i);
    return s ? s : "";
}

enum err audit_verify(struct store *db, const struct keys *k, long long *rows, long long *bad_id,
                      char *why, size_t whylen)
{
    *rows = 0;
    *bad_id = 0;
    why[0] = '\0';
    char prev[CRYPTO_HASH_HEX] = GENESIS;
    long long expect_id = 1;
    struct store_stmt *q = store_q(db,
                                   "SELECT id, at, user_id, username, unit_id, ip, action, object,"
                                   " result, detail, prev_hash, hash FROM audit_log ORDER BY id",
                                   "");
    while (store_row(q)) {
        long long id = store_int(q, 0);
        struct audit_entry e = {
            .at = store_int(q, 1), .user_id = store_int(q, 2), .username = col(q, 3),
            .unit_id = store_int(q, 4), .ip = col(q, 5), .action = col(q, 6), .object = col(q, 7),
            .result = col(q, 8), .detail = col(q, 9),
        };
        char h[CRYPTO_HASH_HEX];
        if (id != expect_id) {
            snprintf(why, whylen, "第 %lld 行缺失（其后是第 %lld 行）", expect_id, id);
            *bad_id = expect_id;
        } else if (strcmp(col(q, 10), prev) != 0) {
            snprintf(why, whylen, "第 %lld 行与上一行的哈希不衔接", id);
            *bad_id = id;
        } else {
            row_mac(k, id, &e, prev, h);
            if (strcmp(h, col(q, 11)) != 0) {
                snprintf(why, whylen, "第 %lld 行被篡改（哈希与内容不符）", id);
                *bad_id = id;
            }
        }
        if (*bad_id) break;
        snprintf(prev, sizeof prev, "%s", h);
        expect_id = id + 1;
        (*rows)++;
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!*bad_id) {
        struct store_stmt *hq = store_q(db, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", "");
        if (store_row(hq)) {
            if (store_int(hq, 0) != expect_id - 1 || strcmp(col(hq, 1), prev) != 0) {
                snprintf(why, whylen, "哈希链止于第 %lld 行，但链头记录为第 %lld 行：末尾的行被删除",
                         expect_id - 1, store_int(hq, 0));
                *bad_id = expect_id;
            }
        } else if (*rows > 0) {
            snprintf(why, whylen, "哈希链链头缺失");
            *bad_id = 1;
        }
        store_done(hq);
    }
    return store_err(db);
}
