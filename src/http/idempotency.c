/* idempotency.c - stored answers keyed by (user, Idempotency-Key); see idempotency.h. */
#include "http/idempotency.h"
#include "http/router.h"
#include <stdio.h>
#include <stdlib.h>
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
    enum err e =
        store_do(r->db, "DELETE FROM idempotency WHERE user_id = ? AND ikey = ? AND created_at < ?",
                 "iti", r->who->user_id, key, r->now - IDEM_KEEP_SECONDS);
    if (e == OK)
        e = store_do(
            r->db,
            "INSERT INTO idempotency(user_id, ikey, method, path, body_hash, status, response,"
            " created_at) VALUES (?,?,?,?,?,0,'',?) ON CONFLICT (user_id, ikey) DO NOTHING",
            "itttti", r->who->user_id, key, method_name(r->method), r->path, body_hash, r->now);
    if (e != OK || store_changes(r->db) == 1) return e;
    struct store_stmt *q =
        store_q(r->db,
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

/* The answer as stored: without the secrets the handler marked. malloc'd, or NULL when body can
 * be stored as it is. */
static char *without_secrets(struct req *r)
{
    if (!r->secret_fields[0]) return NULL;
    json_t *o = r->resp && json_is_object(r->resp) ? json_deep_copy(r->resp) : json_object();
    for (size_t i = 0;
         i < sizeof r->secret_fields / sizeof *r->secret_fields && r->secret_fields[i]; i++)
        json_object_del(o, r->secret_fields[i]);
    json_object_set_new(o, "secret_shown_once", json_true());
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

enum err idem_finish(struct req *r, const char *key, int status, const char *body)
{
    char *stored = without_secrets(r);
    if (r->secret_fields[0] && !stored) return ERR_INTERNAL;
    enum err e = store_do(
        r->db, "UPDATE idempotency SET status = ?, response = ? WHERE user_id = ? AND ikey = ?",
        "itit", (long long)status,
        stored ? stored
        : body ? body
               : "",
        r->who->user_id, key);
    free(stored);
    return e;
}

enum err idem_purge(struct store *db, const struct keys *k, long long now, char *summary,
                    size_t len)
{
    (void)k;
    enum err e =
        store_do(db, "DELETE FROM idempotency WHERE created_at < ?", "i", now - IDEM_KEEP_SECONDS);
    long long n = e == OK ? store_changes(db) : 0;
    if (n > 0) snprintf(summary, len, "%lld stored answers older than 24 h deleted", n);
    return e;
}
