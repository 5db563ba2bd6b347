/* store_opinion_items.c - opinion's SQL for channels, items, their rules and events
 * (opinion_store.h, 0025_opinion_items.sql). */
#include "opinion/opinion_store.h"
#include <stdio.h>
#include <string.h>

#define CP(dst, q, col)                                                                            \
    snprintf((dst), sizeof(dst), "%s", store_text((q), (col)) ? store_text((q), (col)) : "")

static enum err done(struct store *db, struct store_stmt *q)
{
    store_done(q);
    return store_err(db);
}

enum err opinion_store_channel_insert(struct store *db, const char *name, const char *vendor,
                                      long long cred_id, long long by, long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO opinion_channels (name, vendor, cred_id, "
                                   "created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                   "ttiii", name, vendor, cred_id, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

#define CH_COLS "id, name, vendor, cred_id, created_by, created_at, COALESCE(revoked_at, 0)"

static void read_channel(struct store_stmt *q, struct opinion_channel *c)
{
    memset(c, 0, sizeof *c);
    c->id = store_int(q, 0);
    CP(c->name, q, 1);
    CP(c->vendor, q, 2);
    c->cred_id = store_int(q, 3);
    c->created_by = store_int(q, 4);
    c->created_at = store_int(q, 5);
    c->revoked_at = store_int(q, 6);
}

enum err opinion_store_channels_each(struct store *db, opinion_channel_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db, "SELECT " CH_COLS " FROM opinion_channels ORDER BY id", "");
    struct opinion_channel c;
    while (store_row(q)) {
        read_channel(q, &c);
        if (!fn(ctx, &c)) break;
    }
    return done(db, q);
}

enum err opinion_store_channel_get(struct store *db, long long id, bool by_cred,
                                   struct opinion_channel *c, bool *found)
{
    struct store_stmt *q =
        store_q(db,
                by_cred ? "SELECT " CH_COLS " FROM opinion_channels WHERE cred_id = ?"
                        : "SELECT " CH_COLS " FROM opinion_channels WHERE id = ?",
                "i", id);
    *found = store_row(q);
    if (*found) read_channel(q, c);
    return done(db, q);
}

enum err opinion_store_channel_revoke(struct store *db, long long id, long long now)
{
    return store_do(
        db, "UPDATE opinion_channels SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "ii",
        now, id);
}

enum err opinion_store_item_find(struct store *db, long long channel, const char *sid, bool *found,
                                 char hash[CRYPTO_HASH_HEX], struct opinion_result *res)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, body_hash, kind, COALESCE(duplicate_of, 0), "
                                   "COALESCE(event_id, 0), grade, (SELECT COUNT(*) FROM "
                                   "opinion_item_rules r WHERE r.item_id = i.id), "
                                   "COALESCE(unit_id, 0), route, places FROM "
                                   "opinion_items i WHERE channel_id = ? AND source_item_id = ?",
                                   "it", channel, sid);
    *found = store_row(q);
    if (*found) {
        memset(res, 0, sizeof *res);
        res->item_id = store_int(q, 0);
        snprintf(hash, CRYPTO_HASH_HEX, "%s", store_text(q, 1) ? store_text(q, 1) : "");
        CP(res->kind, q, 2);
        res->duplicate_of = store_int(q, 3);
        res->event_id = store_int(q, 4);
        CP(res->grade, q, 5);
        res->rules = store_int(q, 6);
        res->unit_id = store_int(q, 7);
        CP(res->route, q, 8);
        CP(res->places, q, 9);
    }
    return done(db, q);
}

enum err opinion_store_item_by_url(struct store *db, const char *url, long long *id,
                                   long long *event)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, COALESCE(event_id, 0) FROM opinion_items WHERE url "
                                   "= ? AND kind <> 'duplicate' ORDER BY id LIMIT 1",
                                   "t", url);
    *id = *event = 0;
    if (store_row(q)) {
        *id = store_int(q, 0);
        *event = store_int(q, 1);
    }
    return done(db, q);
}

enum err opinion_store_near_each(struct store *db, unsigned long long h, long long since,
                                 bool (*fn)(void *, long long id, long long event,
                                            unsigned long long h),
                                 void *ctx)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT id, COALESCE(event_id, 0), simhash FROM opinion_items WHERE kind <> 'duplicate' "
        "AND created_at >= ? AND (sh0 = ? OR sh1 = ? OR sh2 = ? OR sh3 = ?) ORDER BY id LIMIT 500",
        "iiiii", since, (long long)(h & 0xFFFF), (long long)((h >> 16) & 0xFFFF),
        (long long)((h >> 32) & 0xFFFF), (long long)((h >> 48) & 0xFFFF));
    while (store_row(q))
        if (!fn(ctx, store_int(q, 0), store_int(q, 1), (unsigned long long)store_int(q, 2))) break;
    return done(db, q);
}

enum err opinion_store_item_insert(struct store *db, long long channel,
                                   const struct opinion_item_in *in, const char *author_hash,
                                   unsigned long long h, const struct opinion_result *res,
                                   long long entered_by, long long now, long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO opinion_items (channel_id, source_item_id, body_hash, source, url, "
        "author_hash, published_at, text, reads, shares, comments, media, simhash, sh0, sh1, sh2, "
        "sh3, kind, duplicate_of, event_id, grade, entered_by, created_at) VALUES (?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        "ittttti"
        "tiiiti"
        "iiii"
        "tIItIi",
        channel, in->source_item_id, in->body_hash, in->source, in->url, author_hash,
        in->published_at, in->text, in->reads, in->shares, in->comments, in->media, (long long)h,
        (long long)(h & 0xFFFF), (long long)((h >> 16) & 0xFFFF), (long long)((h >> 32) & 0xFFFF),
        (long long)((h >> 48) & 0xFFFF), res->kind, res->duplicate_of, res->event_id, res->grade,
        entered_by, now, res->unit_id, res->route, res->places);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err opinion_store_item_rule_insert(struct store *db, long long item, long long rule,
                                        const char *topic, const char *grade, long long owner)
{
    return store_do(db,
                    "INSERT INTO opinion_item_rules (item_id, rule_id, topic, grade_hint, "
                    "owner_unit) VALUES (?, ?, ?, ?, ?)",
                    "iitti", item, rule, topic, grade, owner);
}

enum err opinion_store_event_insert(struct store *db, const char *title,
                                    const struct opinion_item_in *in, long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO opinion_events (title, items, reads, shares, "
                                   "comments, first_at, last_at, created_at) VALUES (?, 1, ?, ?, "
                                   "?, ?, ?, ?) RETURNING id",
                                   "tiiiiii", title, in->reads, in->shares, in->comments,
                                   in->published_at, in->published_at, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err opinion_store_event_add(struct store *db, long long id, const struct opinion_item_in *in)
{
    return store_do(db,
                    "UPDATE opinion_events SET items = items + 1, reads = reads + ?, shares = "
                    "shares + ?, comments = comments + ?, first_at = CASE WHEN first_at > ? THEN "
                    "? ELSE first_at END, last_at = CASE WHEN last_at < ? THEN ? ELSE last_at END "
                    "WHERE id = ?",
                    "iiiiiiii", in->reads, in->shares, in->comments, in->published_at,
                    in->published_at, in->published_at, in->published_at, id);
}

#define ITEM_COLS                                                                                  \
    "id, channel_id, source_item_id, source, url, COALESCE(author_hash, ''), published_at, text, " \
    "reads, shares, comments, media, kind, COALESCE(duplicate_of, 0), COALESCE(event_id, 0), "     \
    "grade, COALESCE(entered_by, 0), created_at, COALESCE(unit_id, 0), route, places"

static void read_item(struct store_stmt *q, struct opinion_item *it)
{
    it->id = store_int(q, 0);
    it->channel_id = store_int(q, 1);
    CP(it->source_item_id, q, 2);
    CP(it->source, q, 3);
    CP(it->url, q, 4);
    CP(it->author_hash, q, 5);
    it->published_at = store_int(q, 6);
    CP(it->text, q, 7);
    it->reads = store_int(q, 8);
    it->shares = store_int(q, 9);
    it->comments = store_int(q, 10);
    CP(it->media, q, 11);
    CP(it->kind, q, 12);
    it->duplicate_of = store_int(q, 13);
    it->event_id = store_int(q, 14);
    CP(it->grade, q, 15);
    it->entered_by = store_int(q, 16);
    it->created_at = store_int(q, 17);
    it->unit_id = store_int(q, 18);
    CP(it->route, q, 19);
    CP(it->places, q, 20);
}

enum err opinion_store_item_get(struct store *db, long long id, struct opinion_item *it,
                                bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " ITEM_COLS " FROM opinion_items WHERE id = ?", "i", id);
    *found = store_row(q);
    if (*found) read_item(q, it);
    return done(db, q);
}

enum err opinion_store_items_each(struct store *db, long long before_id, long long limit,
                                  opinion_item_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT " ITEM_COLS " FROM opinion_items WHERE (CAST(? AS BIGINT) = 0 OR id < "
                "?) ORDER BY id DESC LIMIT ?",
                "iii", before_id, before_id, limit);
    static _Thread_local struct opinion_item it;
    while (store_row(q)) {
        read_item(q, &it);
        if (!fn(ctx, &it)) break;
    }
    return done(db, q);
}

enum err opinion_store_item_rules_each(struct store *db, long long item_id, opinion_item_rule_fn fn,
                                       void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT rule_id, topic, grade_hint, owner_unit FROM "
                                   "opinion_item_rules WHERE item_id = ? ORDER BY rule_id",
                                   "i", item_id);
    while (store_row(q))
        if (!fn(ctx, store_int(q, 0), store_text(q, 1), store_text(q, 2), store_int(q, 3))) break;
    return done(db, q);
}

enum err opinion_store_events_each(struct store *db, long long limit, opinion_event_fn fn,
                                   void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, title, items, reads, shares, comments, first_at, "
                                   "last_at, created_at FROM opinion_events ORDER BY id DESC "
                                   "LIMIT ?",
                                   "i", limit);
    struct opinion_event ev;
    while (store_row(q)) {
        memset(&ev, 0, sizeof ev);
        ev.id = store_int(q, 0);
        CP(ev.title, q, 1);
        ev.items = store_int(q, 2);
        ev.reads = store_int(q, 3);
        ev.shares = store_int(q, 4);
        ev.comments = store_int(q, 5);
        ev.first_at = store_int(q, 6);
        ev.last_at = store_int(q, 7);
        ev.created_at = store_int(q, 8);
        if (!fn(ctx, &ev)) break;
    }
    return done(db, q);
}

enum err opinion_store_places_each(struct store *db, opinion_place_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, name, kind, unit_ref, created_by, created_at FROM "
                                   "opinion_places ORDER BY id",
                                   "");
    struct opinion_place pl;
    while (store_row(q)) {
        memset(&pl, 0, sizeof pl);
        pl.id = store_int(q, 0);
        CP(pl.name, q, 1);
        CP(pl.kind, q, 2);
        CP(pl.unit_ref, q, 3);
        pl.created_by = store_int(q, 4);
        pl.created_at = store_int(q, 5);
        if (!fn(ctx, &pl)) break;
    }
    return done(db, q);
}

enum err opinion_store_place_insert(struct store *db, const char *name, const char *kind,
                                    const char *unit_ref, long long by, long long now,
                                    long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO opinion_places (name, kind, unit_ref, created_by, "
                                   "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
                                   "RETURNING id",
                                   "tttii", name, kind, unit_ref, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err opinion_store_place_delete(struct store *db, long long id, bool *found)
{
    enum err e = store_do(db, "DELETE FROM opinion_places WHERE id = ?", "i", id);
    *found = e == OK && store_changes(db) == 1;
    return e;
}
