/* store_citizen_org.c - the SQL of registered organisations and their members (see
 * citizen_store.h; tables organisations and org_members of migration 0008_citizen.sql). People
 * appear masked (the masks kept in citizens); the unit's name comes through org's services in
 * citizen_org.c, never from org's tables here. */
#include "citizen/citizen_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err citizen_store_org_insert(struct store *db, long long by, const struct citizen_org_new *o,
                                  long long now, long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO organisations(kind, name, uscc, responsible_id,"
                " unit_id, filed_by, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                "tttiiiii", o->kind, o->name, o->uscc, by, o->unit_id, by, now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err citizen_store_member_add(struct store *db, long long org, long long citizen,
                                  const char *role, long long now, bool *added)
{
    enum err e = store_do(db,
                          "INSERT INTO org_members(citizen_id, org_id, role, added_at)"
                          " VALUES (?,?,?,?) ON CONFLICT (citizen_id, org_id) DO NOTHING",
                          "iiti", citizen, org, role, now);
    *added = e == OK && store_changes(db) == 1;
    return e;
}

enum err citizen_store_member_role(struct store *db, long long org, long long citizen,
                                   char role[12])
{
    role[0] = '\0';
    struct store_stmt *q = store_q(
        db, "SELECT role FROM org_members WHERE citizen_id = ? AND org_id = ?", "ii", citizen, org);
    if (store_row(q)) snprintf(role, 12, "%s", store_text(q, 0));
    store_done(q);
    return store_err(db);
}

enum err citizen_store_org_state(struct store *db, long long org, char status[12], long long *unit,
                                 long long *filed_by)
{
    status[0] = '\0';
    *unit = *filed_by = 0;
    struct store_stmt *q =
        store_q(db, "SELECT status, unit_id, COALESCE(filed_by, 0) FROM organisations WHERE id = ?",
                "i", org);
    if (store_row(q)) {
        snprintf(status, 12, "%s", store_text(q, 0));
        *unit = store_int(q, 1);
        *filed_by = store_int(q, 2);
    }
    store_done(q);
    return store_err(db);
}

enum err citizen_store_org_review(struct store *db, long long org, bool accept, const char *reason,
                                  long long reviewer, long long now, bool *done)
{
    enum err e =
        store_do(db,
                 "UPDATE organisations SET status = ?, review_reason = ?, reviewed_by = ?,"
                 " reviewed_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
                 "ttiiii", accept ? "accepted" : "returned", reason, reviewer, now, now, org);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

#define ORG_COLS                                                                                   \
    "o.id, o.kind, o.name, o.uscc, o.unit_id, o.status, o.review_reason, o.reviewed_at,"           \
    " o.created_at, c.name_mask, c.phone_mask"

static json_t *org_row(struct store_stmt *q)
{
    const char *reason = store_text(q, 6), *nm = store_text(q, 9), *ph = store_text(q, 10);
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:I}", "id", store_int(q, 0), "kind", store_text(q, 1),
                  "name", store_text(q, 2), "uscc", store_text(q, 3), "unit_id", store_int(q, 4),
                  "status", store_text(q, 5), "created_at", store_int(q, 8));
    json_object_set_new(o, "review_reason", reason ? json_string(reason) : json_null());
    json_object_set_new(o, "reviewed_at",
                        store_null(q, 7) ? json_null() : json_integer(store_int(q, 7)));
    json_object_set_new(o, "responsible",
                        json_pack("{s:s,s:s}", "name", nm ? nm : "", "phone", ph ? ph : ""));
    return o;
}

static json_t *members_json(struct store *db, long long org)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(db,
                                   "SELECT m.citizen_id, m.role, m.added_at, c.name_mask,"
                                   " c.phone_mask FROM org_members m JOIN citizens c ON"
                                   " c.id = m.citizen_id WHERE m.org_id = ? ORDER BY m.citizen_id",
                                   "i", org);
    while (store_row(q)) {
        const char *nm = store_text(q, 3), *ph = store_text(q, 4);
        json_array_append_new(a, json_pack("{s:I,s:s,s:I,s:s,s:s}", "citizen_id", store_int(q, 0),
                                           "role", store_text(q, 1), "added_at", store_int(q, 2),
                                           "name", nm ? nm : "", "phone", ph ? ph : ""));
    }
    store_done(q);
    return a;
}

json_t *citizen_store_org_json(struct store *db, long long org, bool members)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " ORG_COLS " FROM organisations o LEFT JOIN citizens c"
                                   " ON c.id = o.responsible_id WHERE o.id = ?",
                                   "i", org);
    json_t *o = store_row(q) ? org_row(q) : NULL;
    store_done(q);
    if (o && members) json_object_set_new(o, "members", members_json(db, org));
    if (store_err(db)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The list's filter after the id cursor: unit, status, member, a part of the name or the
 * credit code (like: a store_like() pattern or NULL). */
#define ORG_WHERE                                                                                  \
    " AND (? = 0 OR o.unit_id = ?) AND (CAST(? AS TEXT) IS NULL OR o.status = ?)"                  \
    " AND (? = 0 OR o.id IN (SELECT org_id FROM org_members WHERE citizen_id = ?))"                \
    " AND (CAST(? AS TEXT) IS NULL OR o.name LIKE ? ESCAPE '!' OR o.uscc LIKE ? ESCAPE '!')"
#define ORG_ARGS(f, like)                                                                          \
    (f)->unit, (f)->unit, (f)->status, (f)->status, (f)->member, (f)->member, like, like, like

json_t *citizen_store_org_list(struct store *db, const struct citizen_org_filter *f,
                               long long after, long long limit, long long *last)
{
    *last = 0;
    char *like = f->search ? store_like(f->search, true) : NULL;
    if (f->search && !like) return NULL;
    json_t *a = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT " ORG_COLS " FROM organisations o LEFT JOIN citizens c"
                " ON c.id = o.responsible_id WHERE o.id > ?" ORG_WHERE " ORDER BY o.id LIMIT ?",
                "iiittiittti", after, ORG_ARGS(f, like), limit);
    while (store_row(q)) {
        *last = store_int(q, 0);
        json_array_append_new(a, org_row(q));
    }
    store_done(q);
    free(like);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err citizen_store_org_count(struct store *db, const struct citizen_org_filter *f, long long *n)
{
    *n = 0;
    char *like = f->search ? store_like(f->search, true) : NULL;
    if (f->search && !like) return ERR_INTERNAL;
    struct store_stmt *q = store_q(db, "SELECT COUNT(*) FROM organisations o WHERE 1 = 1" ORG_WHERE,
                                   "iittiittt", ORG_ARGS(f, like));
    if (store_row(q)) *n = store_int(q, 0);
    store_done(q);
    free(like);
    return store_err(db);
}

enum err citizen_store_org_refile(struct store *db, long long org, const struct citizen_org_new *o,
                                  long long now, bool *done)
{
    enum err e =
        store_do(db,
                 "UPDATE organisations SET kind = ?, name = ?, uscc = ?, unit_id = ?,"
                 " status = 'pending', review_reason = NULL, reviewed_by = NULL,"
                 " reviewed_at = NULL, updated_at = ? WHERE id = ? AND status = 'returned'",
                 "tttiii", o->kind, o->name, o->uscc, o->unit_id, now, org);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err citizen_store_memberships_delete(struct store *db, long long citizen)
{
    return store_do(db, "DELETE FROM org_members WHERE citizen_id = ?", "i", citizen);
}

enum err citizen_store_orgs_unlink(struct store *db, long long citizen)
{
    enum err e = store_do(db,
                          "UPDATE organisations SET responsible_id = NULL WHERE"
                          " responsible_id = ?",
                          "i", citizen);
    if (e == OK)
        e = store_do(db, "UPDATE organisations SET filed_by = NULL WHERE filed_by = ?", "i",
                     citizen);
    return e;
}
