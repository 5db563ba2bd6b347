/* idempotency.c - stored answers keyed by (user, Idempotency-Key); see idempotency.h. */
#include "http/idempotency.h"
#include "http/router.h"
#include "org/policy.h"
#include <string.h>

bool idem_key_valid(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n > 128) return false;
    for (size_t i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e) return false;
    return true;
}

enum err idem_claim(struct req *r, const char *key, const char *body_hash, enum idem_state *state,
                    int *status, const char **body)
{
    *state = IDEM_NEW;
    enum err e = store_do(r->db, "DELETE FROM idempotency WHERE user_id = ? AND ikey = ? AND created_at < ?",
                          "iti", r->who->user_id, key, r->now - POLICY_IDEMPOTENCY_KEEP);
    if (e == OK)
        e = store_do(r->db,
                     "INSERT INTO idempotency(user_id, ikey, method, path, body_hash, status, response,"
                     " created_at) VALUES (?,?,?,?,?,0,'',?) ON CONFLICT (user_id, ikey) DO NOTHING",
                     "itttti", r->who->user_id, key, method_name(r->method), r->path, body_hash, r->now);
    if (e != OK || store_changes(r->db) == 1) return e;
    struct store_stmt *q = store_q(r->db,
                                   "SELECT method, path, body_hash, status, response FROM idempotency"
                                   " WHERE user_id = ? AND ikey = ?",
                                   "it", r->who->user_id, key);
    if (store_row(q)) {
        if (strcmp(store_text(q, 0), method_name(r->method)) == 0 &&
            strcmp(store_text(q, 1), r->path) == 0 && strcmp(store_text(q, 2), body_hash) == 0) {
            *state = IDEM_REPLAY;
            *status = (int)store_int(q, 3);
            *body = arena_strdup(r->a, store_text(q, 4));
        } else {
            *state = IDEM_MISMATCH;
        }
    }
    store_done(q);
    return store_err(r->db);
}

enum err idem_finish(struct req *r, const char *key, int status, const char *body)
{
    return store_do(r->db, "UPDATE idempotency SET status = ?, response = ? WHERE user_id = ? AND ikey = ?",
                    "itit", (long long)status, body ? body : "", r->who->user_id, key);
}
