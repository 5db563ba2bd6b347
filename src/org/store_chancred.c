/* store_chancred.c - the SQL of channel credentials (chancred.h): channel_creds and
 * channel_replays, org's tables (0021_channel_cred.sql). */
#include "org/chancred_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err chancred_store_insert(struct store *db, const char *scope, const char *name,
                               const char *token_hash, const unsigned char *secret, size_t n,
                               long long by, long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO channel_creds (scope, name, token_hash, secret, "
                                   "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                   "tttbii", scope, name, token_hash, secret, n, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return *id ? OK : (store_err(db) ? store_err(db) : ERR_INTERNAL);
}

enum err chancred_store_find(struct store *db, const char *token_hash, long long *id, char *scope,
                             size_t scope_len, unsigned char **secret, size_t *n, bool *active)
{
    *id = 0;
    *secret = NULL;
    *n = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT id, scope, secret, revoked_at FROM channel_creds "
                                   "WHERE token_hash = ?",
                                   "t", token_hash);
    if (store_row(q)) {
        *id = store_int(q, 0);
        snprintf(scope, scope_len, "%s", store_text(q, 1) ? store_text(q, 1) : "");
        size_t len = 0;
        const void *b = store_blob(q, 2, &len);
        *secret = malloc(len ? len : 1);
        if (*secret && len) memcpy(*secret, b, len);
        *n = len;
        *active = store_null(q, 3);
    }
    store_done(q);
    return store_err(db);
}

enum err chancred_store_revoke(struct store *db, long long id, long long now)
{
    return store_do(db,
                    "UPDATE channel_creds SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    "ii", now, id);
}

enum err chancred_store_replay(struct store *db, long long id, const char *sig, long long ts,
                               long long before, bool *fresh)
{
    enum err e =
        store_do(db, "DELETE FROM channel_replays WHERE cred_id = ? AND ts < ?", "ii", id, before);
    if (e != OK) return e;
    e = store_do(db,
                 "INSERT INTO channel_replays (cred_id, signature, ts) VALUES (?, ?, ?) "
                 "ON CONFLICT DO NOTHING",
                 "iti", id, sig, ts);
    *fresh = e == OK && store_changes(db) == 1;
    return e;
}
