/* store_comply.c - the SQL of the compliance engine: the units, and calendar feeds.
 *
 * The accepted reports the index counts come through the work ledger's service (ledger.c),
 * never from the ledger's tables. */
#include "comply/comply.h"
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err comply_store_units(struct store *db, struct arena *a, struct cm_unit **out, size_t *n)
{
    size_t cap = 128;
    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, parent_id, ukey, code, short_name, tier, active"
                                   " FROM units ORDER BY id",
                                   "");
    while (store_row(q)) {
        if (*n == cap) {
            struct cm_unit *m = arena_alloc(a, cap * 2 * sizeof *m);
            memcpy(m, *out, cap * sizeof *m);
            *out = m;
            cap *= 2;
        }
        struct cm_unit *u = &(*out)[(*n)++];
        u->id = store_int(q, 0);
        u->parent = store_null(q, 1) ? 0 : store_int(q, 1);
        u->key = arena_strdup(a, store_text(q, 2));
        u->code = store_null(q, 3) ? NULL : arena_strdup(a, store_text(q, 3));
        u->name = arena_strdup(a, store_text(q, 4));
        u->tier = arena_strdup(a, store_text(q, 5));
        u->active = store_int(q, 6) != 0;
    }
    store_done(q);
    return store_err(db);
}

/* ---- calendar feeds ---- */

enum err comply_store_feed_create(struct store *db, long long unit_id, long long user_id,
                                  const char *plan, const char *name, const char *token_hash,
                                  long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO calendar_feeds(unit_id, user_id, plan_code, name,"
                                   " token_hash, created_at) VALUES (?,?,?,?,?,?) RETURNING id",
                                   "iittti", unit_id, user_id, plan, name, token_hash, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *id ? OK : ERR_INTERNAL;
}

static enum err read_feed(struct store *db, struct store_stmt *q, struct comply_feed *out)
{
    memset(out, 0, sizeof *out);
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        out->unit_id = store_int(q, 1);
        out->user_id = store_int(q, 2);
        snprintf(out->plan, sizeof out->plan, "%s", store_text(q, 3));
        out->created_at = store_int(q, 4);
        out->revoked_at = store_null(q, 5) ? 0 : store_int(q, 5);
        snprintf(out->token_hash, sizeof out->token_hash, "%s", store_text(q, 6));
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

#define FEED_COLS                                                                                  \
    "f.id, f.unit_id, f.user_id, f.plan_code, f.created_at, f.revoked_at, f.token_hash"

enum err comply_store_feed_by_token(struct store *db, const char *token_hash,
                                    struct comply_feed *out)
{
    return read_feed(db,
                     store_q(db,
                             "SELECT " FEED_COLS
                             " FROM calendar_feeds f JOIN users u ON u.id = f.user_id"
                             " WHERE f.token_hash = ? AND f.revoked_at IS NULL AND u.disabled = 0",
                             "t", token_hash),
                     out);
}

enum err comply_store_feed_get(struct store *db, long long id, struct comply_feed *out)
{
    return read_feed(
        db, store_q(db, "SELECT " FEED_COLS " FROM calendar_feeds f WHERE f.id = ?", "i", id), out);
}

enum err comply_store_feed_revoke(struct store *db, long long id, long long now)
{
    return store_do(db,
                    "UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    "ii", now, id);
}

enum err comply_store_feed_list(struct store *db, long long user_id, comply_feed_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT f.id, f.unit_id, u.short_name, f.plan_code, f.name, f.created_at,"
                " f.revoked_at FROM calendar_feeds f JOIN units u ON u.id = f.unit_id"
                " WHERE f.user_id = ? ORDER BY f.id DESC LIMIT 200",
                "i", user_id);
    while (store_row(q)) {
        struct comply_feed_row row = {
            .id = store_int(q, 0),
            .unit_id = store_int(q, 1),
            .unit_name = store_text(q, 2),
            .plan = store_text(q, 3),
            .name = store_text(q, 4),
            .created_at = store_int(q, 5),
            .revoked_at = store_null(q, 6) ? 0 : store_int(q, 6),
        };
        if (!fn(ctx, &row)) break;
    }
    store_done(q);
    return store_err(db);
}
