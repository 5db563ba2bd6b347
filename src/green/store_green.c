/* store_green.c - all of green's SQL (green_store.h), over its own tables (0020_green.sql):
 * prepared statements with `?`, portable to SQLite and PostgreSQL. The account row is the lock
 * of one citizen's ledger: green_store_account_lock() updates it first, so concurrent events of
 * the same citizen queue on it (PostgreSQL) or on the write lock (SQLite). */
#include "green/green_store.h"
#include <stdio.h>
#include <string.h>

#define CP(dst, q, col)                                                                            \
    snprintf((dst), sizeof(dst), "%s", store_text((q), (col)) ? store_text((q), (col)) : "")

static enum err done(struct store *db, struct store_stmt *q)
{
    store_done(q);
    return store_err(db);
}

#define BEH_COLS "code, name, category, qty_unit, factor_unit, scale, dedup, dedup_window"

static void read_behaviour(struct store_stmt *q, struct green_behaviour *b)
{
    memset(b, 0, sizeof *b);
    CP(b->code, q, 0);
    CP(b->name, q, 1);
    CP(b->category, q, 2);
    CP(b->qty_unit, q, 3);
    CP(b->factor_unit, q, 4);
    b->scale = store_int(q, 5);
    if (!green_dedup_parse(store_text(q, 6), &b->dedup)) b->dedup = GREEN_DEDUP_NONE;
    b->dedup_window = store_int(q, 7);
}

enum err green_store_behaviour_get(struct store *db, const char *code, struct green_behaviour *b,
                                   bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " BEH_COLS " FROM green_behaviours WHERE code = ?", "t", code);
    *found = store_row(q);
    if (*found) read_behaviour(q, b);
    return done(db, q);
}

enum err green_store_behaviours_each(struct store *db,
                                     bool (*fn)(void *, const struct green_behaviour *), void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT " BEH_COLS " FROM green_behaviours ORDER BY sort, code", "");
    struct green_behaviour b;
    while (store_row(q)) {
        read_behaviour(q, &b);
        if (!fn(ctx, &b)) break;
    }
    return done(db, q);
}

enum err green_store_version_in_force(struct store *db, const char *day, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id FROM green_versions WHERE status = 'published' AND "
                                   "effective_from <= ? ORDER BY effective_from DESC, id DESC "
                                   "LIMIT 1",
                                   "t", day);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

#define FACTOR_COLS                                                                                \
    "version_id, behaviour, mg_per_unit, points_per_unit, pct_partner, pct_proof, pct_self, "      \
    "cap_day, cap_month, cap_year, claim_days, validity_days, source_doc, source_date"

static void read_factor(struct store_stmt *q, struct green_factor *f)
{
    memset(f, 0, sizeof *f);
    f->version_id = store_int(q, 0);
    CP(f->behaviour, q, 1);
    f->mg_per_unit = store_int(q, 2);
    f->points_per_unit = store_int(q, 3);
    for (int i = 0; i < 3; i++)
        f->pct[i] = store_int(q, 4 + i);
    f->cap_day = store_int(q, 7);
    f->cap_month = store_int(q, 8);
    f->cap_year = store_int(q, 9);
    f->claim_days = store_int(q, 10);
    f->validity_days = store_int(q, 11);
    CP(f->source_doc, q, 12);
    CP(f->source_date, q, 13);
}

enum err green_store_factor_get(struct store *db, long long version_id, const char *behaviour,
                                struct green_factor *f, bool *found)
{
    struct store_stmt *q = store_q(
        db, "SELECT " FACTOR_COLS " FROM green_factors WHERE version_id = ? AND behaviour = ?",
        "it", version_id, behaviour);
    *found = store_row(q);
    if (*found) read_factor(q, f);
    return done(db, q);
}

enum err green_store_factors_each(struct store *db, long long version_id, green_factor_fn fn,
                                  void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " FACTOR_COLS " FROM green_factors f JOIN "
                                   "green_behaviours b ON b.code = f.behaviour WHERE version_id "
                                   "= ? ORDER BY b.sort",
                                   "i", version_id);
    struct green_factor f;
    while (store_row(q)) {
        read_factor(q, &f);
        if (!fn(ctx, &f)) break;
    }
    return done(db, q);
}

enum err green_store_factor_insert(struct store *db, const struct green_factor *f)
{
    return store_do(db,
                    "INSERT INTO green_factors (" FACTOR_COLS
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    "itiiiiiiiiiitt", f->version_id, f->behaviour, f->mg_per_unit,
                    f->points_per_unit, f->pct[0], f->pct[1], f->pct[2], f->cap_day, f->cap_month,
                    f->cap_year, f->claim_days, f->validity_days, f->source_doc,
                    f->source_date[0] ? f->source_date : NULL);
}

#define VER_COLS                                                                                   \
    "id, title, effective_from, status, COALESCE(drafted_by, 0), created_at, "                     \
    "COALESCE(published_by, 0), COALESCE(published_at, 0)"

static void read_version(struct store_stmt *q, struct green_version *v)
{
    memset(v, 0, sizeof *v);
    v->id = store_int(q, 0);
    CP(v->title, q, 1);
    CP(v->effective_from, q, 2);
    CP(v->status, q, 3);
    v->drafted_by = store_int(q, 4);
    v->created_at = store_int(q, 5);
    v->published_by = store_int(q, 6);
    v->published_at = store_int(q, 7);
}

enum err green_store_versions_each(struct store *db, green_version_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT " VER_COLS " FROM green_versions ORDER BY id DESC", "");
    struct green_version v;
    while (store_row(q)) {
        read_version(q, &v);
        if (!fn(ctx, &v)) break;
    }
    return done(db, q);
}

enum err green_store_version_get(struct store *db, long long id, struct green_version *v,
                                 bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " VER_COLS " FROM green_versions WHERE id = ?", "i", id);
    *found = store_row(q);
    if (*found) read_version(q, v);
    return done(db, q);
}

enum err green_store_version_insert(struct store *db, const char *title, const char *from,
                                    long long by, long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO green_versions (title, effective_from, status, "
                                   "drafted_by, created_at) VALUES (?, ?, 'draft', ?, ?) "
                                   "RETURNING id",
                                   "ttii", title, from, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err green_store_version_publish(struct store *db, long long id, long long by, long long now)
{
    return store_do(db,
                    "UPDATE green_versions SET status = 'published', published_by = ?, "
                    "published_at = ? WHERE id = ? AND status = 'draft'",
                    "iii", by, now, id);
}

enum err green_store_channel_insert(struct store *db, const char *name, const char *op,
                                    const char *behaviours, long long cred_id, long long by,
                                    long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO green_channels (name, operator, behaviours, "
                                   "cred_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                                   "RETURNING id",
                                   "tttiii", name, op, behaviours, cred_id, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

#define CH_COLS                                                                                    \
    "id, name, operator, behaviours, cred_id, created_by, created_at, COALESCE(revoked_at, 0)"

static void read_channel(struct store_stmt *q, struct green_channel *c)
{
    memset(c, 0, sizeof *c);
    c->id = store_int(q, 0);
    CP(c->name, q, 1);
    CP(c->operator_name, q, 2);
    CP(c->behaviours, q, 3);
    c->cred_id = store_int(q, 4);
    c->created_by = store_int(q, 5);
    c->created_at = store_int(q, 6);
    c->revoked_at = store_int(q, 7);
}

enum err green_store_channels_each(struct store *db, green_channel_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db, "SELECT " CH_COLS " FROM green_channels ORDER BY id", "");
    struct green_channel c;
    while (store_row(q)) {
        read_channel(q, &c);
        if (!fn(ctx, &c)) break;
    }
    return done(db, q);
}

enum err green_store_channel_get(struct store *db, long long id, bool by_cred,
                                 struct green_channel *c, bool *found)
{
    struct store_stmt *q =
        by_cred ? store_q(db, "SELECT " CH_COLS " FROM green_channels WHERE cred_id = ?", "i", id)
                : store_q(db, "SELECT " CH_COLS " FROM green_channels WHERE id = ?", "i", id);
    *found = store_row(q);
    if (*found) read_channel(q, c);
    return done(db, q);
}

enum err green_store_channel_revoke(struct store *db, long long id, long long now)
{
    return store_do(db,
                    "UPDATE green_channels SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    "ii", now, id);
}

enum err green_store_event_find(struct store *db, long long channel, const char *seid, bool *found,
                                char hash[CRYPTO_HASH_HEX], struct green_result *res)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, body_hash, status, COALESCE(cap, ''), requested, "
                                   "points, COALESCE(entry_id, 0), COALESCE(duplicate_of, 0) "
                                   "FROM green_events WHERE channel_id = ? AND source_event_id = ?",
                                   "it", channel, seid);
    *found = store_row(q);
    if (*found) {
        memset(res, 0, sizeof *res);
        res->event_id = store_int(q, 0);
        snprintf(hash, CRYPTO_HASH_HEX, "%s", store_text(q, 1));
        CP(res->status, q, 2);
        CP(res->cap, q, 3);
        res->requested = store_int(q, 4);
        res->points = store_int(q, 5);
        res->entry_id = store_int(q, 6);
        res->duplicate_of = store_int(q, 7);
    }
    return done(db, q);
}

enum err green_store_event_insert(struct store *db, long long channel, const struct green_event *ev,
                                  const struct green_result *res, long long now, long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO green_events (channel_id, source_event_id, body_hash, citizen_id, behaviour, "
        "quantity, activity_date, started_at, route, grade, status, requested, points, cap, "
        "duplicate_of, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING RETURNING id",
        "ittititItttiitIi", channel, ev->source_event_id, ev->body_hash, ev->citizen_id,
        ev->behaviour, ev->quantity, ev->activity_date, ev->started_at, ev->route,
        green_grade_name(ev->grade), res->status, res->requested, res->points,
        res->cap[0] ? res->cap : NULL, res->duplicate_of, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err green_store_event_set_entry(struct store *db, long long id, long long entry_id)
{
    return store_do(db, "UPDATE green_events SET entry_id = ? WHERE id = ?", "ii", entry_id, id);
}

enum err green_store_dedup_trip(struct store *db, long long citizen, const char *behaviour,
                                const char *route, long long from, long long to, long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT id FROM green_events WHERE citizen_id = ? AND "
                "behaviour = ? AND status <> 'duplicate' AND started_at "
                "BETWEEN ? AND ? AND COALESCE(route, '') = ? ORDER BY id LIMIT 1",
                "itiit", citizen, behaviour, from, to, route ? route : "");
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err green_store_dedup_day(struct store *db, long long citizen, const char *behaviour,
                               const char *day, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id FROM green_events WHERE citizen_id = ? AND "
                                   "behaviour = ? AND activity_date = ? AND status <> "
                                   "'duplicate' ORDER BY id LIMIT 1",
                                   "itt", citizen, behaviour, day);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

static void read_account(struct store_stmt *q, struct green_account *a)
{
    a->balance = store_int(q, 0);
    a->saved_mg = store_int(q, 1);
    a->entries = store_int(q, 2);
    CP(a->last_hash, q, 3);
}

enum err green_store_account_lock(struct store *db, long long citizen, long long now,
                                  struct green_account *a)
{
    memset(a, 0, sizeof *a);
    a->citizen_id = citizen;
    enum err e = store_do(db,
                          "INSERT INTO green_accounts (citizen_id, balance, saved_mg, entries, "
                          "last_hash, updated_at) VALUES (?, 0, 0, 0, ?, ?) ON CONFLICT DO NOTHING",
                          "iti", citizen, GREEN_GENESIS, now);
    if (e != OK) return e;
    struct store_stmt *q = store_q(db,
                                   "UPDATE green_accounts SET updated_at = ? WHERE citizen_id = ? "
                                   "RETURNING balance, saved_mg, entries, last_hash",
                                   "ii", now, citizen);
    bool found = store_row(q);
    if (found) read_account(q, a);
    e = done(db, q);
    return e != OK ? e : (found ? OK : ERR_INTERNAL);
}

enum err green_store_account_read(struct store *db, long long citizen, struct green_account *a,
                                  bool *found)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT balance, saved_mg, entries, last_hash FROM "
                                   "green_accounts WHERE citizen_id = ?",
                                   "i", citizen);
    *found = store_row(q);
    if (*found) read_account(q, a);
    return done(db, q);
}

enum err green_store_account_set(struct store *db, const struct green_account *a, long long now)
{
    return store_do(db,
                    "UPDATE green_accounts SET balance = ?, saved_mg = ?, entries = ?, "
                    "last_hash = ?, updated_at = ? WHERE citizen_id = ?",
                    "iiitii", a->balance, a->saved_mg, a->entries, a->last_hash, now,
                    a->citizen_id);
}

enum err green_store_usage_get(struct store *db, long long citizen, const char *behaviour,
                               const char *period, long long *points)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT points FROM green_usage WHERE citizen_id = ? AND "
                                   "behaviour = ? AND period = ?",
                                   "itt", citizen, behaviour, period);
    *points = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err green_store_usage_add(struct store *db, long long citizen, const char *behaviour,
                               const char *period, long long points)
{
    return store_do(db,
                    "INSERT INTO green_usage (citizen_id, behaviour, period, points) VALUES (?, ?, "
                    "?, ?) ON CONFLICT (citizen_id, behaviour, period) DO UPDATE SET points = "
                    "green_usage.points + excluded.points",
                    "itti", citizen, behaviour, period, points);
}

enum err green_store_issuer_add(struct store *db, const char *day, long long shard,
                                long long amount)
{
    return store_do(db,
                    "INSERT INTO green_issuers (day, shard, balance, entries) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (day, shard) DO UPDATE SET balance = green_issuers.balance + "
                    "excluded.balance, entries = green_issuers.entries + 1",
                    "tii", day, shard, amount);
}

#define ENTRY_COLS                                                                                 \
    "id, citizen_id, seq, kind, amount, saved_mg, COALESCE(behaviour, ''), "                       \
    "COALESCE(version_id, 0), COALESCE(event_id, 0), COALESCE(reverses, 0), issuer_day, "          \
    "issuer_shard, COALESCE(activity_date, ''), COALESCE(memo, ''), COALESCE(created_by, 0), "     \
    "created_at, prev_hash, hash"

static void read_entry(struct store_stmt *q, struct green_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = store_int(q, 0);
    e->citizen_id = store_int(q, 1);
    e->seq = store_int(q, 2);
    CP(e->kind, q, 3);
    e->amount = store_int(q, 4);
    e->saved_mg = store_int(q, 5);
    CP(e->behaviour, q, 6);
    e->version_id = store_int(q, 7);
    e->event_id = store_int(q, 8);
    e->reverses = store_int(q, 9);
    CP(e->issuer_day, q, 10);
    e->issuer_shard = store_int(q, 11);
    CP(e->activity_date, q, 12);
    CP(e->memo, q, 13);
    e->created_by = store_int(q, 14);
    e->created_at = store_int(q, 15);
    CP(e->prev_hash, q, 16);
    CP(e->hash, q, 17);
}

enum err green_store_entry_insert(struct store *db, const struct green_entry *e, long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO green_entries (citizen_id, seq, kind, amount, saved_mg, behaviour, "
        "version_id, event_id, reverses, issuer_day, issuer_shard, activity_date, memo, "
        "created_by, created_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?) RETURNING id",
        "iitiitIIItittIitt", e->citizen_id, e->seq, e->kind, e->amount, e->saved_mg,
        e->behaviour[0] ? e->behaviour : NULL, e->version_id, e->event_id, e->reverses,
        e->issuer_day, e->issuer_shard, e->activity_date[0] ? e->activity_date : NULL,
        e->memo[0] ? e->memo : NULL, e->created_by, e->created_at, e->prev_hash, e->hash);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err green_store_entry_get(struct store *db, long long id, struct green_entry *e, bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " ENTRY_COLS " FROM green_entries WHERE id = ?", "i", id);
    *found = store_row(q);
    if (*found) read_entry(q, e);
    return done(db, q);
}

enum err green_store_reversal_of(struct store *db, long long citizen, long long id, long long *rev)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id FROM green_entries WHERE citizen_id = ? AND "
                                   "reverses = ?",
                                   "ii", citizen, id);
    *rev = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err green_store_entries_each(struct store *db, long long citizen, long long before_seq,
                                  long long limit, green_entry_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " ENTRY_COLS " FROM green_entries WHERE citizen_id = ? "
                                   "AND seq < ? ORDER BY seq DESC LIMIT ?",
                                   "iii", citizen, before_seq, limit);
    struct green_entry e;
    while (store_row(q)) {
        read_entry(q, &e);
        if (!fn(ctx, &e)) break;
    }
    return done(db, q);
}

enum err green_store_entries_walk(struct store *db, green_entry_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT " ENTRY_COLS " FROM green_entries ORDER BY citizen_id, seq", "");
    struct green_entry e;
    while (store_row(q)) {
        read_entry(q, &e);
        if (!fn(ctx, &e)) break;
    }
    return done(db, q);
}

enum err green_store_totals_each(struct store *db, long long citizen, green_total_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT behaviour, SUM(amount), SUM(saved_mg), COUNT(*) FROM "
                                   "green_entries WHERE citizen_id = ? AND behaviour IS NOT NULL "
                                   "AND kind IN ('earn', 'reverse') GROUP BY behaviour ORDER BY "
                                   "behaviour",
                                   "i", citizen);
    while (store_row(q)) {
        struct green_total t = {store_text(q, 0), store_int(q, 1), store_int(q, 2),
                                store_int(q, 3)};
        if (!fn(ctx, &t)) break;
    }
    return done(db, q);
}

enum err green_store_lot_insert(struct store *db, long long citizen, long long entry_id,
                                const char *earned, const char *expires, long long amount)
{
    return store_do(db,
                    "INSERT INTO green_lots (citizen_id, entry_id, earned_on, expires_on, amount, "
                    "remaining) VALUES (?, ?, ?, ?, ?, ?)",
                    "iittii", citizen, entry_id, earned, expires, amount, amount);
}

enum err green_store_lot_take(struct store *db, long long citizen, long long entry_id,
                              long long amount, bool *ok)
{
    enum err e = store_do(db,
                          "UPDATE green_lots SET remaining = remaining - ? WHERE citizen_id = ? "
                          "AND entry_id = ? AND remaining >= ?",
                          "iiii", amount, citizen, entry_id, amount);
    *ok = e == OK && store_changes(db) == 1;
    return e;
}

enum err green_store_next_expiry(struct store *db, long long citizen, const char *today,
                                 char date[11], long long *amount)
{
    date[0] = 0;
    *amount = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT expires_on, SUM(remaining) FROM green_lots WHERE "
                                   "citizen_id = ? AND remaining > 0 AND expires_on >= ? GROUP BY "
                                   "expires_on ORDER BY expires_on LIMIT 1",
                                   "it", citizen, today);
    if (store_row(q)) {
        snprintf(date, 11, "%s", store_text(q, 0));
        *amount = store_int(q, 1);
    }
    return done(db, q);
}

static enum err issuers(struct store *db, const char *sql, green_issuer_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db, sql, "");
    while (store_row(q))
        if (!fn(ctx, store_text(q, 0), store_int(q, 1), store_int(q, 2), store_int(q, 3))) break;
    return done(db, q);
}

enum err green_store_issuers_each(struct store *db, green_issuer_fn fn, void *ctx)
{
    return issuers(db, "SELECT day, shard, balance, entries FROM green_issuers ORDER BY day, shard",
                   fn, ctx);
}

enum err green_store_issuer_sums_each(struct store *db, green_issuer_fn fn, void *ctx)
{
    return issuers(db,
                   "SELECT issuer_day, issuer_shard, -SUM(amount), COUNT(*) FROM green_entries "
                   "GROUP BY issuer_day, issuer_shard ORDER BY issuer_day, issuer_shard",
                   fn, ctx);
}

enum err green_store_accounts_each(struct store *db,
                                   bool (*fn)(void *, const struct green_account *), void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT balance, saved_mg, entries, last_hash, citizen_id FROM "
                                   "green_accounts ORDER BY citizen_id",
                                   "");
    struct green_account a;
    while (store_row(q)) {
        memset(&a, 0, sizeof a);
        read_account(q, &a);
        a.citizen_id = store_int(q, 4);
        if (!fn(ctx, &a)) break;
    }
    return done(db, q);
}
