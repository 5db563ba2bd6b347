/* store_org.c - all the SQL of the org area, over org's own tables (src/store/tables.map):
 * units, users, user_roles, user_perms, sessions, api_tokens, calendar_feeds, audit_log,
 * audit_head and settings. Portable SQL with `?` placeholders; see org_store.h. */
#include "org/org_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

/* ---- units ---- */

#define UNIT_COLS "id, ukey, code, name, short_name, tier, parent_id, joint_meeting, is_host, active"

static void read_unit(struct store_stmt *q, struct unit *u)
{
    u->id = store_int(q, 0);
    copy(u->key, sizeof u->key, store_text(q, 1));
    copy(u->code, sizeof u->code, store_text(q, 2));
    copy(u->name, sizeof u->name, store_text(q, 3));
    copy(u->short_name, sizeof u->short_name, store_text(q, 4));
    copy(u->tier, sizeof u->tier, store_text(q, 5));
    u->parent_id = store_null(q, 6) ? 0 : store_int(q, 6);
    copy(u->joint_meeting, sizeof u->joint_meeting, store_text(q, 7));
    u->is_host = store_int(q, 8) != 0;
    u->active = store_int(q, 9) != 0;
}

enum err org_store_unit_get(struct store *db, long long id, struct unit *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *q = store_q(db, "SELECT " UNIT_COLS " FROM units WHERE id = ?", "i", id);
    bool found = store_row(q);
    if (found) read_unit(q, out);
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

long long org_store_unit_by_id(struct store *db, long long id)
{
    struct store_stmt *q = store_q(db, "SELECT id FROM units WHERE id = ?", "i", id);
    long long found = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return found;
}

long long org_store_unit_by_ref(struct store *db, const char *s)
{
    struct store_stmt *q = store_q(db, "SELECT id FROM units WHERE code = ? OR ukey = ?", "tt", s, s);
    long long found = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return found;
}

bool org_store_unit_is_child(struct store *db, long long unit, long long parent)
{
    struct store_stmt *q =
        store_q(db, "SELECT 1 FROM units WHERE id = ? AND parent_id = ?", "ii", unit, parent);
    bool ok = store_row(q);
    store_done(q);
    return ok;
}

enum err org_store_units_each(struct store *db, const struct unit_filter *f, unit_fn fn, void *ctx)
{
    char *like = store_like(f->search, true);
    const char *tier = f->district_level ? NULL : f->tier;
    struct store_stmt *q = store_q(
        db,
        "SELECT " UNIT_COLS " FROM units WHERE id > ?"
        " AND (CAST(? AS TEXT) IS NULL OR tier = ?)"
        " AND (? = 0 OR tier IN ('district','county','zone'))"
        " AND (CAST(? AS BIGINT) = 0 OR parent_id = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR name LIKE ? ESCAPE '!' OR short_name LIKE ? ESCAPE '!' OR code = ?)"
        " ORDER BY id LIMIT ?",
        "ittiiitttti", f->after, tier, tier, (long long)f->district_level, f->parent, f->parent,
        like, like, like, f->search, f->limit);
    struct unit u;
    while (store_row(q)) {
        read_unit(q, &u);
        if (!fn(ctx, &u)) break;
    }
    store_done(q);
    free(like);
    return store_err(db);
}

enum err org_store_unit_insert(struct store *db, const struct unit_new *u, long long now,
                               long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO units(ukey, code, name, short_name, tier, parent_id, created_at)"
                                   " VALUES (?,?,?,?,?,?,?) RETURNING id",
                                   "tttttIi", u->key ? u->key : u->name, u->code, u->name,
                                   u->short_name ? u->short_name : u->name, u->tier, u->parent_id, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *id ? OK : ERR_INTERNAL;
}

enum err org_store_unit_seed(struct store *db, const char *key, const char *code, const char *name,
                             const char *short_name, const char *tier, const char *joint_meeting,
                             bool host, long long now, int *added)
{
    *added = 0;
    enum err e = store_do(db,
                          "INSERT INTO units(ukey, code, name, short_name, tier, joint_meeting,"
                          " is_host, created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (ukey) DO NOTHING",
                          "ttttttii", key, code, name, short_name, tier, joint_meeting,
                          (long long)host, now);
    if (e == OK) *added = (int)store_changes(db);
    return e;
}

enum err org_store_unit_seed_parent(struct store *db, const char *key, long long parent_id)
{
    return store_do(db, "UPDATE units SET parent_id = ? WHERE ukey = ? AND parent_id IS NULL",
                    "it", parent_id, key);
}

enum err org_store_unit_update(struct store *db, long long id, const char *name,
                               const char *short_name, bool set_active, bool active)
{
    return store_do(db,
                    "UPDATE units SET name = COALESCE(?, name), short_name = COALESCE(?, short_name),"
                    " active = CASE WHEN ? = 1 THEN ? ELSE active END WHERE id = ?",
                    "ttiii", name, short_name, (long long)set_active, (long long)active, id);
}
