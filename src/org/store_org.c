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

#define UNIT_COLS                                                                                  \
    "id, ukey, code, name, short_name, tier, parent_id, joint_meeting, is_host, active"

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
    struct store_stmt *q =
        store_q(db, "SELECT id FROM units WHERE code = ? OR ukey = ?", "tt", s, s);
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

/* The units list's filter (after the id cursor): tier, district level, parent, the search. */
#define UNITS_WHERE                                                                                \
    " AND (CAST(? AS TEXT) IS NULL OR tier = ?)"                                                   \
    " AND (? = 0 OR tier IN ('district','county','zone'))"                                         \
    " AND (CAST(? AS BIGINT) = 0 OR parent_id = ?)"                                                \
    " AND (CAST(? AS TEXT) IS NULL OR name LIKE ? ESCAPE '!' OR short_name LIKE ? "                \
    "ESCAPE '!' OR code = ?)"
#define UNITS_ARGS(f, tier, like)                                                                  \
    tier, tier, (long long)(f)->district_level, (f)->parent, (f)->parent, like, like, like,        \
        (f)->search

enum err org_store_units_each(struct store *db, const struct unit_filter *f, unit_fn fn, void *ctx)
{
    char *like = store_like(f->search, true);
    const char *tier = f->district_level ? NULL : f->tier;
    struct store_stmt *q = store_q(
        db, "SELECT " UNIT_COLS " FROM units WHERE id > ?" UNITS_WHERE " ORDER BY id LIMIT ?",
        "ittiiitttti", f->after, UNITS_ARGS(f, tier, like), f->limit < 0 ? (1LL << 62) : f->limit);
    struct unit u;
    while (store_row(q)) {
        read_unit(q, &u);
        if (!fn(ctx, &u)) break;
    }
    store_done(q);
    free(like);
    return store_err(db);
}

enum err org_store_units_count(struct store *db, const struct unit_filter *f, long long *n)
{
    char *like = store_like(f->search, true);
    const char *tier = f->district_level ? NULL : f->tier;
    struct store_stmt *q = store_q(db, "SELECT COUNT(*) FROM units WHERE 1 = 1" UNITS_WHERE,
                                   "ttiiitttt", UNITS_ARGS(f, tier, like));
    *n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    free(like);
    return store_err(db);
}

/* What app servers cache (the accounts behind sessions, units, policy) changed: with several
 * servers on PostgreSQL, the commit tells the others before it returns (store/cluster.h). */
static enum err shared(struct store *db, enum err e)
{
    if (e == OK) store_touch_shared(db);
    return e;
}

enum err org_store_unit_insert(struct store *db, const struct unit_new *u, long long now,
                               long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO units(ukey, code, name, short_name, tier, parent_id, created_at)"
                " VALUES (?,?,?,?,?,?,?) RETURNING id",
                "tttttIi", u->key ? u->key : u->name, u->code, u->name,
                u->short_name ? u->short_name : u->name, u->tier, u->parent_id, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return shared(db, *id ? OK : ERR_INTERNAL);
}

enum err org_store_unit_seed(struct store *db, const char *key, const char *code, const char *name,
                             const char *short_name, const char *tier, const char *joint_meeting,
                             bool host, long long now, int *added)
{
    *added = 0;
    enum err e = store_do(
        db,
        "INSERT INTO units(ukey, code, name, short_name, tier, joint_meeting,"
        " is_host, created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (ukey) DO NOTHING",
        "ttttttii", key, code, name, short_name, tier, joint_meeting, (long long)host, now);
    if (e == OK) *added = (int)store_changes(db);
    return e;
}

enum err org_store_unit_seed_parent(struct store *db, const char *key, long long parent_id)
{
    return store_do(db, "UPDATE units SET parent_id = ? WHERE ukey = ? AND parent_id IS NULL", "it",
                    parent_id, key);
}

enum err org_store_unit_update(struct store *db, long long id, const char *name,
                               const char *short_name, bool set_active, bool active)
{
    return shared(
        db,
        store_do(db,
                 "UPDATE units SET name = COALESCE(?, name), short_name = COALESCE(?, short_name),"
                 " active = CASE WHEN ? = 1 THEN ? ELSE active END WHERE id = ?",
                 "ttiii", name, short_name, (long long)set_active, (long long)active, id));
}

/* ---- users, roles, per-user permissions ---- */

enum err org_store_user_target(struct store *db, long long id, long long *unit_id, bool *unmask)
{
    *unit_id = 0;
    *unmask = false;
    struct store_stmt *q =
        store_q(db,
                "SELECT u.unit_id, (SELECT COUNT(*) FROM user_perms p WHERE p.user_id = u.id"
                " AND p.perm = ?) FROM users u WHERE u.id = ?",
                "ti", UPERM_UNMASK_PII, id);
    bool found = store_row(q);
    if (found) {
        *unit_id = store_int(q, 0);
        *unmask = store_int(q, 1) > 0;
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

long long org_store_user_find(struct store *db, const char *username)
{
    struct store_stmt *q = store_q(db, "SELECT id FROM users WHERE username = ?", "t", username);
    long long id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return id;
}

enum err org_store_user_roles(struct store *db, long long id, role_set *out)
{
    *out = 0;
    struct store_stmt *q = store_q(db, "SELECT role FROM user_roles WHERE user_id = ?", "i", id);
    while (store_row(q)) {
        enum role r;
        if (role_parse(store_text(q, 0), &r)) *out |= 1u << r;
    }
    store_done(q);
    return store_err(db);
}

enum err org_store_user_has_perm(struct store *db, long long id, const char *perm, bool *has)
{
    struct store_stmt *q =
        store_q(db, "SELECT 1 FROM user_perms WHERE user_id = ? AND perm = ?", "it", id, perm);
    *has = store_row(q);
    store_done(q);
    return store_err(db);
}

enum err org_store_user_set_roles(struct store *db, long long id, role_set roles, long long by,
                                  long long now)
{
    enum err e = store_do(db, "DELETE FROM user_roles WHERE user_id = ?", "i", id);
    for (int r = 0; r < ROLE__COUNT && e == OK; r++)
        if (roles & (1u << r))
            e = store_do(
                db,
                "INSERT INTO user_roles(user_id, role, granted_by, granted_at) VALUES (?,?,?,?)",
                "itii", id, role_name((enum role)r), by, now);
    return shared(db, e);
}

enum err org_store_user_set_perm(struct store *db, long long id, const char *perm, long long by,
                                 long long now)
{
    enum err e = store_do(db, "DELETE FROM user_perms WHERE user_id = ?", "i", id);
    if (e == OK && perm)
        e = store_do(
            db, "INSERT INTO user_perms(user_id, perm, granted_by, granted_at) VALUES (?,?,?,?)",
            "itii", id, perm, by, now);
    return shared(db, e);
}

enum err org_store_user_insert(struct store *db, const char *username, const char *display_name,
                               long long unit_id, const char *password_hash, bool must_change,
                               long long now, long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO users(username, display_name, unit_id, password_hash, must_change_pw,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
                "ttitiii", username, display_name, unit_id, password_hash, (long long)must_change,
                now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *id ? OK : ERR_INTERNAL;
}

enum err org_store_user_set_pii(struct store *db, long long id, bool phone, const void *enc,
                                size_t enclen, const char *hash, const char *mask, long long now)
{
    if (!enc)
        return store_do(
            db,
            phone ? "UPDATE users SET phone_enc = NULL, phone_hash = NULL, phone_mask = NULL,"
                    " updated_at = ? WHERE id = ?"
                  : "UPDATE users SET id_enc = NULL, id_hash = NULL, id_mask = NULL,"
                    " updated_at = ? WHERE id = ?",
            "ii", now, id);
    return store_do(db,
                    phone ? "UPDATE users SET phone_enc = ?, phone_hash = ?, phone_mask = ?,"
                            " updated_at = ? WHERE id = ?"
                          : "UPDATE users SET id_enc = ?, id_hash = ?, id_mask = ?,"
                            " updated_at = ? WHERE id = ?",
                    "bttii", enc, enclen, hash, mask, now, id);
}

static void *blob_copy(struct store_stmt *q, int col, size_t *len)
{
    size_t n = 0;
    const void *b = store_blob(q, col, &n);
    *len = 0;
    if (!b || !n) return NULL;
    void *c = malloc(n);
    if (!c) abort();
    memcpy(c, b, n);
    *len = n;
    return c;
}

enum err org_store_user_sealed(struct store *db, long long id, void **phone, size_t *phone_len,
                               void **rid, size_t *rid_len)
{
    *phone = *rid = NULL;
    *phone_len = *rid_len = 0;
    struct store_stmt *q = store_q(db, "SELECT phone_enc, id_enc FROM users WHERE id = ?", "i", id);
    bool found = store_row(q);
    if (found) {
        *phone = blob_copy(q, 0, phone_len);
        *rid = blob_copy(q, 1, rid_len);
    }
    store_done(q);
    if (store_err(db) || !found) {
        free(*phone);
        free(*rid);
        *phone = *rid = NULL;
        *phone_len = *rid_len = 0;
        return store_err(db) ? store_err(db) : ERR_NOT_FOUND;
    }
    return OK;
}

/* One text column of account id into out; ERR_NOT_FOUND when there is no such account. */
static enum err user_text(struct store *db, const char *sql, long long id, char *out, size_t outlen)
{
    if (outlen) out[0] = '\0';
    struct store_stmt *q = store_q(db, sql, "i", id);
    bool found = store_row(q);
    if (found) copy(out, outlen, store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err org_store_user_username(struct store *db, long long id, char *out, size_t outlen)
{
    return user_text(db, "SELECT username FROM users WHERE id = ?", id, out, outlen);
}

enum err org_store_user_password_hash(struct store *db, long long id, char *out, size_t outlen)
{
    return user_text(db, "SELECT password_hash FROM users WHERE id = ?", id, out, outlen);
}

enum err org_store_user_set_password(struct store *db, long long id, const char *hash,
                                     bool must_change, long long now)
{
    return shared(
        db, store_do(db,
                     "UPDATE users SET password_hash = ?, must_change_pw = ?, failed_count = 0,"
                     " locked_until = 0, updated_at = ? WHERE id = ?",
                     "tiii", hash, (long long)must_change, now, id));
}

enum err org_store_user_set_display_name(struct store *db, long long id, const char *name,
                                         long long now)
{
    return shared(db, store_do(db, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?",
                               "tii", name, now, id));
}

enum err org_store_user_set_unit(struct store *db, long long id, long long unit_id, long long now)
{
    return shared(db, store_do(db, "UPDATE users SET unit_id = ?, updated_at = ? WHERE id = ?",
                               "iii", unit_id, now, id));
}

enum err org_store_user_set_disabled(struct store *db, long long id, bool disabled, long long now)
{
    return shared(db, store_do(db,
                               "UPDATE users SET disabled = ?, failed_count = 0, locked_until = 0,"
                               " updated_at = ? WHERE id = ?",
                               "iii", (long long)disabled, now, id));
}

enum err org_store_user_login(struct store *db, const char *username, struct org_login *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, password_hash, failed_count, locked_until, disabled"
                                   " FROM users WHERE username = ?",
                                   "t", username);
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        copy(out->hash, sizeof out->hash, store_text(q, 1));
        out->failed = store_int(q, 2);
        out->locked_until = store_int(q, 3);
        out->disabled = store_int(q, 4) != 0;
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err org_store_user_failures(struct store *db, long long id, long long failed)
{
    return store_do(db, "UPDATE users SET failed_count = ? WHERE id = ?", "ii", failed, id);
}

enum err org_store_user_lock(struct store *db, long long id, long long until)
{
    return shared(db,
                  store_do(db, "UPDATE users SET failed_count = 0, locked_until = ? WHERE id = ?",
                           "ii", until, id));
}

enum err org_store_user_row(struct store *db, long long id, struct user_info *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *q =
        store_q(db,
                "SELECT u.id, u.username, u.display_name, u.unit_id, n.name, n.tier,"
                " u.phone_mask, u.id_mask, u.disabled, u.locked_until,"
                " u.must_change_pw, u.created_at FROM users u"
                " JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
                "i", id);
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        copy(out->username, sizeof out->username, store_text(q, 1));
        copy(out->display_name, sizeof out->display_name, store_text(q, 2));
        out->unit_id = store_int(q, 3);
        copy(out->unit_name, sizeof out->unit_name, store_text(q, 4));
        copy(out->unit_tier, sizeof out->unit_tier, store_text(q, 5));
        copy(out->phone_mask, sizeof out->phone_mask, store_text(q, 6));
        copy(out->id_mask, sizeof out->id_mask, store_text(q, 7));
        out->disabled = store_int(q, 8) != 0;
        out->locked_until = store_int(q, 9);
        out->must_change_pw = store_int(q, 10) != 0;
        out->created_at = store_int(q, 11);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err org_store_user_perms(struct store *db, long long id,
                              void (*fn)(void *ctx, const char *perm), void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT perm FROM user_perms WHERE user_id = ? ORDER BY perm", "i", id);
    while (store_row(q))
        fn(ctx, store_text(q, 0));
    store_done(q);
    return store_err(db);
}

/* The account list's filter (after the id cursor): unit and its child units, the search. */
#define USERS_WHERE                                                                                \
    " AND (CAST(? AS BIGINT) = 0 OR u.unit_id = ? OR n.parent_id = ?)"                             \
    " AND (CAST(? AS TEXT) IS NULL OR LOWER(u.username) LIKE LOWER(?) ESCAPE '!'"                  \
    " OR LOWER(u.display_name) LIKE LOWER(?) ESCAPE '!')"

enum err org_store_users_page(struct store *db, const struct user_filter *f, long long *ids,
                              size_t cap, size_t *n)
{
    *n = 0;
    char *like = store_like(f->search, true);
    struct store_stmt *q =
        store_q(db,
                "SELECT u.id FROM users u JOIN units n ON n.id = u.unit_id"
                " WHERE u.id > ?" USERS_WHERE " ORDER BY u.id LIMIT ?",
                "iiiittti", f->after, f->unit, f->unit, f->unit, like, like, like, f->limit);
    while (store_row(q) && *n < cap)
        ids[(*n)++] = store_int(q, 0);
    store_done(q);
    free(like);
    return store_err(db);
}

enum err org_store_users_count(struct store *db, const struct user_filter *f, long long *n)
{
    char *like = store_like(f->search, true);
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*) FROM users u JOIN units n ON n.id = u.unit_id"
                                   " WHERE 1 = 1" USERS_WHERE,
                                   "iiittt", f->unit, f->unit, f->unit, like, like, like);
    *n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    free(like);
    return store_err(db);
}

enum err org_store_users_reachable(struct store *db, long long user_id, long long unit_id,
                                   role_set roles, struct user_brief **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct store_stmt *q;
    if (user_id)
        q = store_q(db,
                    "SELECT u.id, '', CASE WHEN u.phone_enc IS NULL THEN 0 ELSE 1 END FROM users u"
                    " WHERE u.id = ? AND u.disabled = 0",
                    "i", user_id);
    else
        q = store_q(
            db,
            "SELECT u.id, r.role, CASE WHEN u.phone_enc IS NULL THEN 0 ELSE 1 END"
            " FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE u.disabled = 0 AND (CAST(? AS BIGINT) = 0 OR u.unit_id = ?) ORDER BY u.id",
            "ii", unit_id, unit_id);
    while (store_row(q)) {
        long long id = store_int(q, 0);
        if (!user_id) {
            enum role r;
            if (!role_parse(store_text(q, 1), &r) || !(roles & (1u << r))) continue;
        }
        if (*n && (*out)[*n - 1].id == id) continue; /* one row per role held */
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct user_brief *m = realloc(*out, cap * sizeof *m);
            if (!m) abort();
            *out = m;
        }
        (*out)[(*n)++] = (struct user_brief){id, store_int(q, 2) != 0};
    }
    store_done(q);
    return store_err(db);
}

/* ---- calendar feeds ---- */

enum err org_store_feed_insert(struct store *db, long long unit_id, long long user_id,
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

#define FEED_COLS                                                                                  \
    "f.id, f.unit_id, f.user_id, f.plan_code, f.created_at, f.revoked_at, f.token_hash"

static enum err read_feed(struct store *db, struct store_stmt *q, struct calendar_feed *out,
                          char *token_hash)
{
    memset(out, 0, sizeof *out);
    if (token_hash) token_hash[0] = '\0';
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        out->unit_id = store_int(q, 1);
        out->user_id = store_int(q, 2);
        copy(out->plan, sizeof out->plan, store_text(q, 3));
        out->created_at = store_int(q, 4);
        out->revoked_at = store_null(q, 5) ? 0 : store_int(q, 5);
        if (token_hash) copy(token_hash, CRYPTO_HASH_HEX, store_text(q, 6));
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err org_store_feed_get(struct store *db, long long id, struct calendar_feed *out,
                            char *token_hash)
{
    struct store_stmt *q =
        store_q(db, "SELECT " FEED_COLS " FROM calendar_feeds f WHERE f.id = ?", "i", id);
    return read_feed(db, q, out, token_hash);
}

enum err org_store_feed_by_hash(struct store *db, const char *token_hash, struct calendar_feed *out,
                                char *stored_hash)
{
    return read_feed(db,
                     store_q(db,
                             "SELECT " FEED_COLS
                             " FROM calendar_feeds f JOIN users u ON u.id = f.user_id"
                             " WHERE f.token_hash = ? AND f.revoked_at IS NULL AND u.disabled = 0",
                             "t", token_hash),
                     out, stored_hash);
}

enum err org_store_feed_revoke(struct store *db, long long id, long long now)
{
    return shared(
        db,
        store_do(db, "UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                 "ii", now, id));
}

enum err org_store_feeds_each(struct store *db, long long user_id, calendar_feed_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT f.id, f.unit_id, u.short_name, f.plan_code, f.name, f.created_at,"
                " f.revoked_at FROM calendar_feeds f JOIN units u ON u.id = f.unit_id"
                " WHERE f.user_id = ? ORDER BY f.id DESC LIMIT 200",
                "i", user_id);
    while (store_row(q)) {
        struct calendar_feed_item f = {
            .id = store_int(q, 0),
            .unit_id = store_int(q, 1),
            .unit_name = store_text(q, 2),
            .plan = store_text(q, 3),
            .name = store_text(q, 4),
            .created_at = store_int(q, 5),
            .revoked_at = store_null(q, 6) ? 0 : store_int(q, 6),
        };
        if (!fn(ctx, &f)) break;
    }
    store_done(q);
    return store_err(db);
}

/* ---- the audit chain ---- */

enum err org_store_audit_head_lock(struct store *db)
{
    return store_do(db, "UPDATE audit_head SET last_id = last_id WHERE id = 1", "");
}

enum err org_store_audit_head(struct store *db, long long *last_id, char prev[CRYPTO_HASH_HEX],
                              bool *found)
{
    *last_id = 0;
    struct store_stmt *q =
        store_q(db, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", "");
    *found = store_row(q);
    if (*found) {
        *last_id = store_int(q, 0);
        copy(prev, CRYPTO_HASH_HEX, store_text(q, 1));
    }
    store_done(q);
    return store_err(db);
}

enum err org_store_audit_insert(struct store *db, long long id, const struct audit_entry *e,
                                const char *prev_hash, const char *hash)
{
    return store_do(db,
                    "INSERT INTO audit_log(id, at, user_id, username, unit_id, ip, action, object,"
                    " result, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    "iiititttttt"
                    "t",
                    id, e->at, e->user_id ? e->user_id : 0, e->username, e->unit_id, e->ip,
                    e->action, e->object, e->result, e->detail, prev_hash, hash);
}

enum err org_store_audit_head_set(struct store *db, long long id, const char *hash, bool first)
{
    if (first)
        return store_do(db,
                        "INSERT INTO audit_head(id, last_id, last_hash) VALUES (1, ?, ?)"
                        " ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id,"
                        " last_hash = excluded.last_hash",
                        "it", id, hash);
    return store_do(db, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", "it", id,
                    hash);
}

#define AUDIT_COLS "id, at, user_id, username, unit_id, ip, action, object, result, detail"

static void read_audit(struct store_stmt *q, struct audit_row *row)
{
    row->id = store_int(q, 0);
    row->e = (struct audit_entry){
        .at = store_int(q, 1),
        .user_id = store_int(q, 2),
        .username = store_text(q, 3),
        .unit_id = store_int(q, 4),
        .ip = store_text(q, 5),
        .action = store_text(q, 6),
        .object = store_text(q, 7),
        .result = store_text(q, 8),
        .detail = store_text(q, 9),
    };
}

enum err org_store_audit_chain(struct store *db, long long upto, org_audit_chain_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " AUDIT_COLS ", prev_hash, hash FROM audit_log"
                                   " WHERE (? = 0 OR id <= ?) ORDER BY id",
                                   "ii", upto, upto);
    while (store_row(q)) {
        struct audit_row row;
        read_audit(q, &row);
        row.hash = store_text(q, 11);
        if (!fn(ctx, &row, store_text(q, 10))) break;
    }
    store_done(q);
    return store_err(db);
}

enum err org_store_audit_each(struct store *db, const struct audit_filter *f, audit_fn fn,
                              void *ctx)
{
    char *like = store_like(f->person, true);
    struct store_stmt *q = store_q(
        db,
        "SELECT " AUDIT_COLS ", hash"
        " FROM audit_log WHERE (? = 0 OR id < ?) AND (? = 0 OR user_id = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR action = ?) AND (CAST(? AS TEXT) IS NULL OR result = ?)"
        " AND (? = 0 OR at >= ?) AND (? = 0 OR at < ?) AND (? = 0 OR unit_id = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR username LIKE ? ESCAPE '!'"
        "  OR user_id IN (SELECT id FROM users WHERE display_name LIKE ? ESCAPE '!'))"
        " ORDER BY id DESC LIMIT ?",
        "iiiittttiiiiiittti", f->before, f->before, f->user, f->user, f->action, f->action,
        f->result, f->result, f->from, f->from, f->to, f->to, f->unit, f->unit, like, like, like,
        f->limit);
    while (store_row(q)) {
        struct audit_row row;
        read_audit(q, &row);
        row.hash = store_text(q, 10);
        if (!fn(ctx, &row)) break;
    }
    store_done(q);
    free(like);
    return store_err(db);
}

/* ---- the audit log's archives ---- */

enum err org_store_audit_last_before(struct store *db, long long before, long long *last_id)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT COALESCE((SELECT MIN(id) FROM audit_log WHERE at >= ?)"
                                   " - 1, (SELECT MAX(id) FROM audit_log), 0)",
                                   "i", before);
    *last_id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

static void read_archive(struct store_stmt *q, struct audit_archive *a)
{
    *a = (struct audit_archive){.first_id = store_int(q, 0),
                                .last_id = store_int(q, 1),
                                .rows = store_int(q, 4),
                                .before = store_int(q, 5),
                                .created_at = store_int(q, 7)};
    copy(a->prev_hash, sizeof a->prev_hash, store_text(q, 2));
    copy(a->last_hash, sizeof a->last_hash, store_text(q, 3));
    copy(a->file, sizeof a->file, store_text(q, 6));
}

#define ARCHIVE_COLS                                                                               \
    "first_id, last_id, prev_hash, last_hash, rows_count, before_at, file_name, created_at"

enum err org_store_audit_archive_last(struct store *db, struct audit_archive *a, bool *found)
{
    struct store_stmt *q = store_q(
        db, "SELECT " ARCHIVE_COLS " FROM audit_archives ORDER BY last_id DESC LIMIT 1", "");
    *found = store_row(q);
    if (*found) read_archive(q, a);
    store_done(q);
    return store_err(db);
}

enum err org_store_audit_archive_each(struct store *db,
                                      void (*fn)(void *ctx, const struct audit_archive *a),
                                      void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT " ARCHIVE_COLS " FROM audit_archives ORDER BY first_id", "");
    while (store_row(q)) {
        struct audit_archive a;
        read_archive(q, &a);
        fn(ctx, &a);
    }
    store_done(q);
    return store_err(db);
}

enum err org_store_audit_archive_add(struct store *db, const struct audit_archive *a)
{
    enum err e = store_do(db,
                          "INSERT INTO audit_archives(id, " ARCHIVE_COLS
                          ") VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM audit_archives),"
                          " ?, ?, ?, ?, ?, ?, ?, ?)",
                          "iittiiti", a->first_id, a->last_id, a->prev_hash, a->last_hash, a->rows,
                          a->before, a->file, a->created_at);
    if (e == OK)
        e = store_do(db, "DELETE FROM audit_log WHERE id >= ? AND id <= ?", "ii", a->first_id,
                     a->last_id);
    return e;
}

/* ---- settings (the security policy) ---- */

enum err org_store_policy_each(struct store *db,
                               void (*fn)(void *ctx, const char *name, const char *value),
                               void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT name, value FROM settings WHERE name LIKE 'policy.%'", "");
    while (store_row(q))
        fn(ctx, store_text(q, 0), store_text(q, 1));
    store_done(q);
    return store_err(db);
}

enum err org_store_setting_get(struct store *db, const char *name, char *out, size_t outlen,
                               bool *found)
{
    struct store_stmt *q = store_q(db, "SELECT value FROM settings WHERE name = ?", "t", name);
    *found = store_row(q);
    snprintf(out, outlen, "%s", *found ? store_text(q, 0) : "");
    store_done(q);
    return store_err(db);
}

enum err org_store_setting_put(struct store *db, const char *name, const char *value, long long by,
                               long long now)
{
    return shared(
        db, store_do(db,
                     "INSERT INTO settings(name, value, updated_by, updated_at) VALUES (?,?,?,?)"
                     " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
                     " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                     "ttIi", name, value, by, now));
}

/* ---- what carries an account's authority ---- */

enum err org_store_sessions_revoke_user(struct store *db, long long user_id, long long keep)
{
    return shared(
        db, store_do(
                db, "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND id <> ? AND revoked = 0",
                "ii", user_id, keep));
}

enum err org_store_tokens_revoke_user(struct store *db, long long user_id, long long now)
{
    return shared(
        db, store_do(
                db, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                "ii", now, user_id));
}

/* ---- sessions and API tokens ---- */

enum err org_store_user_grants(struct store *db, long long user_id, role_set *roles, bool *unmask)
{
    *roles = 0;
    *unmask = false;
    struct store_stmt *q = store_q(db,
                                   "SELECT 'r', role FROM user_roles WHERE user_id = ?"
                                   " UNION ALL SELECT 'p', perm FROM user_perms WHERE user_id = ?",
                                   "ii", user_id, user_id);
    while (store_row(q)) {
        const char *kind = store_text(q, 0), *name = store_text(q, 1);
        enum role r;
        if (kind[0] == 'r' && role_parse(name, &r)) *roles |= 1u << r;
        if (kind[0] == 'p' && strcmp(name, UPERM_UNMASK_PII) == 0) *unmask = true;
    }
    store_done(q);
    return store_err(db);
}

/* The principal of the columns id, username, display_name, unit_id, must_change_pw from first. */
static struct principal *principal_of(struct arena *a, struct store_stmt *q, int first)
{
    struct principal *p = arena_alloc(a, sizeof *p);
    p->user_id = store_int(q, first);
    p->username = arena_strdup(a, store_text(q, first + 1));
    p->display_name = arena_strdup(a, store_text(q, first + 2));
    p->unit_id = store_int(q, first + 3);
    p->must_change_pw = store_int(q, first + 4) != 0;
    return p;
}

enum err org_store_principal(struct store *db, struct arena *a, long long user_id,
                             struct principal **p)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT id, username, display_name, unit_id, must_change_pw FROM users"
                " WHERE id = ? AND disabled = 0",
                "i", user_id);
    *p = store_row(q) ? principal_of(a, q, 0) : NULL;
    store_done(q);
    return store_err(db);
}

enum err org_store_session_find(struct store *db, struct arena *a, const char *hash, long long *sid,
                                long long *last_seen, long long *expires, struct principal **p)
{
    *sid = *last_seen = *expires = 0;
    *p = NULL;
    struct store_stmt *q = store_q(
        db,
        "SELECT s.id, s.last_seen, s.expires_at, u.id, u.username, u.display_name, u.unit_id,"
        " u.must_change_pw FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = ? AND s.revoked = 0 AND u.disabled = 0",
        "t", hash);
    if (store_row(q)) {
        *sid = store_int(q, 0);
        *last_seen = store_int(q, 1);
        *expires = store_int(q, 2);
        *p = principal_of(a, q, 3);
    }
    store_done(q);
    return store_err(db);
}

enum err org_store_session_touch(struct store *db, long long sid, long long now)
{
    return store_do(db, "UPDATE sessions SET last_seen = ? WHERE id = ?", "ii", now, sid);
}

enum err org_store_session_insert(struct store *db, const char *hash, long long user_id,
                                  long long now, long long expires)
{
    return store_do(db,
                    "INSERT INTO sessions(token_hash, user_id, created_at, last_seen, expires_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    "tiiii", hash, user_id, now, now, expires);
}

enum err org_store_session_revoke(struct store *db, long long sid)
{
    return shared(db, store_do(db, "UPDATE sessions SET revoked = 1 WHERE id = ?", "i", sid));
}

enum err org_store_token_find(struct store *db, struct arena *a, const char *hash, char *scopes,
                              size_t scopeslen, long long *expires, struct principal **p)
{
    if (scopeslen) scopes[0] = '\0';
    *expires = 0;
    *p = NULL;
    struct store_stmt *q =
        store_q(db,
                "SELECT t.scopes, t.expires_at, u.id, u.username, u.display_name,"
                " u.unit_id, u.must_change_pw FROM api_tokens t"
                " JOIN users u ON u.id = t.user_id"
                " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
                "t", hash);
    if (store_row(q)) {
        copy(scopes, scopeslen, store_text(q, 0));
        *expires = store_int(q, 1);
        *p = principal_of(a, q, 2);
    }
    store_done(q);
    return store_err(db);
}

enum err org_store_tokens_each(struct store *db, long long user_id, apitoken_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, name, scopes, created_at, expires_at, revoked_at"
                                   " FROM api_tokens WHERE user_id = ? ORDER BY id DESC LIMIT 200",
                                   "i", user_id);
    while (store_row(q)) {
        struct apitoken t = {
            .id = store_int(q, 0),
            .name = store_text(q, 1),
            .scopes = store_text(q, 2),
            .created_at = store_int(q, 3),
            .expires_at = store_int(q, 4),
            .revoked_at = store_null(q, 5) ? 0 : store_int(q, 5),
        };
        if (!fn(ctx, &t)) break;
    }
    store_done(q);
    return store_err(db);
}

enum err org_store_token_insert(struct store *db, const char *hash, long long user_id,
                                const char *name, const char *scopes, long long now,
                                long long expires, long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO api_tokens(token_hash, user_id, name, scopes, created_at,"
                " expires_at) VALUES (?,?,?,?,?,?) RETURNING id",
                "tittii", hash, user_id, name, scopes, now, expires);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *id ? OK : ERR_INTERNAL;
}

enum err org_store_token_revoke(struct store *db, long long user_id, long long id, long long now,
                                bool *revoked)
{
    *revoked = false;
    enum err e = store_do(
        db,
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
        "iii", now, id, user_id);
    if (e == OK) *revoked = store_changes(db) == 1;
    return shared(db, e);
}

enum err org_store_feeds_revoke_user(struct store *db, long long user_id, long long now)
{
    return shared(
        db,
        store_do(
            db, "UPDATE calendar_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            "ii", now, user_id));
}
