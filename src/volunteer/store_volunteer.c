/* store_volunteer.c - the SQL of teams, volunteers, memberships, projects and activities (see
 * volunteer_store.h; tables of 0018_volunteer.sql). People appear as account ids; their names
 * stay with the citizen area. */
#include "volunteer/volunteer_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

/* ---- teams ---- */

enum err vol_store_team_insert(struct store *db, const struct vol_team_new *t, long long by,
                               long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO vol_teams(parent_id, level, name, unit_id, org_id,"
                                   " areas, filed_by, created_at, updated_at)"
                                   " VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                                   "Ittiitiii", t->parent_id, t->level, t->name, t->unit_id,
                                   t->org_id, t->areas ? t->areas : "", by, now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err vol_store_team_get(struct store *db, long long id, struct vol_team_row *t, bool *found)
{
    memset(t, 0, sizeof *t);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, COALESCE(parent_id, 0), unit_id, org_id, filed_by,"
                                   " level, status FROM vol_teams WHERE id = ?",
                                   "i", id);
    *found = store_row(q);
    if (*found) {
        t->id = store_int(q, 0);
        t->parent_id = store_int(q, 1);
        t->unit_id = store_int(q, 2);
        t->org_id = store_int(q, 3);
        t->filed_by = store_int(q, 4);
        COPY(t->level, store_text(q, 5));
        COPY(t->status, store_text(q, 6));
    }
    store_done(q);
    return store_err(db);
}

enum err vol_store_team_status(struct store *db, long long id, const char *from, const char *to,
                               const char *reviewer, long long now, bool *done)
{
    enum err e = store_do(db,
                          "UPDATE vol_teams SET status = ?, reviewed_by = ?, reviewed_at = ?,"
                          " updated_at = ? WHERE id = ? AND status = ?",
                          "ttiiit", to, reviewer, now, now, id, from);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_team_parent(struct store *db, long long id, long long parent, long long now)
{
    return store_do(db, "UPDATE vol_teams SET parent_id = ?, updated_at = ? WHERE id = ?", "Iii",
                    parent, now, id);
}

enum err vol_store_history_add(struct store *db, long long team, long long now, const char *actor,
                               const char *event, const char *detail)
{
    return store_do(db,
                    "INSERT INTO vol_team_history(team_id, at, actor, event, detail)"
                    " VALUES (?,?,?,?,?)",
                    "iittt", team, now, actor, event, detail);
}

enum err vol_store_admin_add(struct store *db, long long team, long long citizen, long long now)
{
    return store_do(db,
                    "INSERT INTO vol_team_admins(team_id, citizen_id, added_at) VALUES (?,?,?)"
                    " ON CONFLICT (team_id, citizen_id) DO NOTHING",
                    "iii", team, citizen, now);
}

bool vol_store_is_admin(struct store *db, long long team, long long citizen)
{
    struct store_stmt *q =
        store_q(db, "SELECT 1 FROM vol_team_admins WHERE team_id = ? AND citizen_id = ?", "ii",
                team, citizen);
    bool yes = store_row(q);
    store_done(q);
    return yes;
}

#define TEAM_COLS                                                                                  \
    "id, COALESCE(parent_id, 0), level, name, unit_id, org_id, areas, status, filed_by,"           \
    " created_at, updated_at"

static json_t *team_row(struct store_stmt *q)
{
    const char *level = store_text(q, 2), *status = store_text(q, 7);
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:I,s:I,s:I}", "id", store_int(q, 0),
                     "parent_id", store_int(q, 1), "level", level, "level_label",
                     vol_level_label(level), "name", store_text(q, 3), "unit_id", store_int(q, 4),
                     "org_id", store_int(q, 5), "areas", store_text(q, 6), "status", status,
                     "status_label", vol_team_status_label(status), "filed_by", store_int(q, 8),
                     "created_at", store_int(q, 9), "updated_at", store_int(q, 10));
}

json_t *vol_store_team_json(struct store *db, long long id)
{
    struct store_stmt *q = store_q(db, "SELECT " TEAM_COLS " FROM vol_teams WHERE id = ?", "i", id);
    json_t *o = store_row(q) ? team_row(q) : NULL;
    store_done(q);
    if (!o) return NULL;
    json_t *admins = json_array(), *hist = json_array();
    q = store_q(db, "SELECT citizen_id FROM vol_team_admins WHERE team_id = ? ORDER BY citizen_id",
                "i", id);
    while (store_row(q))
        json_array_append_new(admins, json_integer(store_int(q, 0)));
    store_done(q);
    q = store_q(db,
                "SELECT at, actor, event, detail FROM vol_team_history WHERE team_id = ?"
                " ORDER BY id",
                "i", id);
    while (store_row(q)) {
        const char *d = store_text(q, 3);
        json_array_append_new(hist, json_pack("{s:I,s:s,s:s,s:s}", "at", store_int(q, 0), "actor",
                                              store_text(q, 1), "event", store_text(q, 2), "detail",
                                              d ? d : ""));
    }
    store_done(q);
    json_object_set_new(o, "admins", admins);
    json_object_set_new(o, "history", hist);
    return o;
}

json_t *vol_store_team_list(struct store *db, long long unit, const char *status, long long after,
                            long long limit, long long *last)
{
    json_t *a = json_array();
    *last = 0;
    struct store_stmt *q = store_q(
        db,
        "SELECT " TEAM_COLS " FROM vol_teams WHERE id > ?"
        " AND (CAST(? AS BIGINT) = 0 OR unit_id = ?) AND (CAST(? AS TEXT) IS NULL OR status = ?)"
        " ORDER BY id LIMIT ?",
        "iiitti", after, unit, unit, status, status, limit);
    while (store_row(q)) {
        *last = store_int(q, 0);
        json_array_append_new(a, team_row(q));
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* ---- volunteers ---- */

enum err vol_store_volunteer_insert(struct store *db, long long citizen, const char *number,
                                    const struct vol_profile *pr, const unsigned char *seal,
                                    size_t sealn, const char *mask, long long now, bool *added)
{
    enum err e = store_do(db,
                          "INSERT INTO vol_volunteers(citizen_id, number, skills, availability,"
                          " districts, emergency_seal, emergency_mask, joined_at, updated_at)"
                          " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (citizen_id) DO NOTHING",
                          "ittttbtii", citizen, number, pr->skills ? pr->skills : "",
                          pr->availability ? pr->availability : "",
                          pr->districts ? pr->districts : "", seal, sealn, mask, now, now);
    *added = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_volunteer_update(struct store *db, long long citizen,
                                    const struct vol_profile *pr, const unsigned char *seal,
                                    size_t sealn, const char *mask, long long now, bool *found)
{
    enum err e = store_do(db,
                          "UPDATE vol_volunteers SET skills = COALESCE(?, skills),"
                          " availability = COALESCE(?, availability),"
                          " districts = COALESCE(?, districts),"
                          " emergency_seal = CASE WHEN ? = 1 THEN ? ELSE emergency_seal END,"
                          " emergency_mask = CASE WHEN ? = 1 THEN ? ELSE emergency_mask END,"
                          " updated_at = ? WHERE citizen_id = ?",
                          "tttibitii", pr->skills, pr->availability, pr->districts,
                          (long long)(seal != NULL), seal, sealn, (long long)(seal != NULL), mask,
                          now, citizen);
    *found = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_volunteer_lock(struct store *db, long long citizen, long long now, bool *found,
                                  long long *suspended_until, char skills[VOL_LIST_MAX + 1])
{
    *suspended_until = 0;
    skills[0] = '\0';
    struct store_stmt *q = store_q(db,
                                   "UPDATE vol_volunteers SET updated_at = ? WHERE citizen_id = ?"
                                   " RETURNING suspended_until, skills",
                                   "ii", now, citizen);
    *found = store_row(q);
    if (*found) {
        *suspended_until = store_int(q, 0);
        snprintf(skills, VOL_LIST_MAX + 1, "%s", store_text(q, 1) ? store_text(q, 1) : "");
    }
    store_done(q);
    return store_err(db);
}

enum err vol_store_volunteer_suspend(struct store *db, long long citizen, long long until)
{
    return store_do(db, "UPDATE vol_volunteers SET suspended_until = ? WHERE citizen_id = ?", "ii",
                    until, citizen);
}

json_t *vol_store_volunteer_json(struct store *db, long long citizen, unsigned char **seal,
                                 size_t *sealn)
{
    *seal = NULL;
    *sealn = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT number, skills, availability, districts, emergency_seal,"
                                   " emergency_mask, suspended_until, joined_at"
                                   " FROM vol_volunteers WHERE citizen_id = ?",
                                   "i", citizen);
    json_t *o = NULL;
    if (store_row(q)) {
        const char *mask = store_text(q, 5);
        o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "citizen_id", citizen, "number",
                      store_text(q, 0), "skills", store_text(q, 1), "availability",
                      store_text(q, 2), "districts", store_text(q, 3), "emergency_mask",
                      mask ? mask : "", "suspended_until", store_int(q, 6), "joined_at",
                      store_int(q, 7));
        size_t n = 0;
        const void *b = store_blob(q, 4, &n);
        if (b && n) {
            *seal = malloc(n);
            if (*seal) {
                memcpy(*seal, b, n);
                *sealn = n;
            }
        }
    }
    store_done(q);
    return o;
}

enum err vol_store_member_apply(struct store *db, long long team, long long citizen, long long now,
                                bool *added)
{
    enum err e = store_do(db,
                          "INSERT INTO vol_members(citizen_id, team_id, status, applied_at)"
                          " VALUES (?,?,'applied',?) ON CONFLICT (citizen_id, team_id) DO UPDATE"
                          " SET status = 'applied', applied_at = excluded.applied_at,"
                          " decided_at = NULL, decided_by = NULL"
                          " WHERE vol_members.status = 'rejected'",
                          "iii", citizen, team, now);
    *added = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_member_decide(struct store *db, long long team, long long citizen,
                                 const char *status, long long by, long long now, bool *done)
{
    enum err e = store_do(db,
                          "UPDATE vol_members SET status = ?, decided_at = ?, decided_by = ?"
                          " WHERE citizen_id = ? AND team_id = ? AND status = 'applied'",
                          "tiiii", status, now, by, citizen, team);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_member_status(struct store *db, long long team, long long citizen,
                                 char status[12])
{
    status[0] = '\0';
    struct store_stmt *q =
        store_q(db, "SELECT status FROM vol_members WHERE citizen_id = ? AND team_id = ?", "ii",
                citizen, team);
    if (store_row(q)) snprintf(status, 12, "%s", store_text(q, 0));
    store_done(q);
    return store_err(db);
}

/* ---- projects and activities ---- */

enum err vol_store_project_insert(struct store *db, long long team, long long by, const char *theme,
                                  const char *type, const char *title, long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO vol_projects(team_id, theme, service_type, title,"
                                   " created_by, created_at) VALUES (?,?,?,?,?,?) RETURNING id",
                                   "itttii", team, theme, type, title, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err vol_store_project_team(struct store *db, long long project, long long *team)
{
    struct store_stmt *q =
        store_q(db, "SELECT team_id FROM vol_projects WHERE id = ?", "i", project);
    *team = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err vol_store_activity_insert(struct store *db, long long project, long long team,
                                   long long by, const struct vol_activity_new *a, long long now,
                                   long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO vol_activities(project_id, team_id, title, day, place, unit_id, min_age,"
        " skills, signup_opens, signup_closes, cancel_by, filed_by, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "iitttiitiiiiii", project, team, a->title, a->day, a->place, a->unit_id, a->min_age,
        a->skills ? a->skills : "", a->signup_opens, a->signup_closes, a->cancel_by, by, now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    enum err e = store_err(db);
    for (int i = 0; e == OK && i < a->nshifts; i++)
        e = store_do(db,
                     "INSERT INTO vol_shifts(activity_id, label, starts_at, ends_at, places)"
                     " VALUES (?,?,?,?,?)",
                     "itiii", *id, a->shifts[i].label, a->shifts[i].starts_at, a->shifts[i].ends_at,
                     a->shifts[i].places);
    return e;
}

enum err vol_store_activity_get(struct store *db, long long id, struct vol_activity_row *a,
                                bool *found)
{
    memset(a, 0, sizeof *a);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, team_id, unit_id, filed_by, min_age, signup_opens,"
                                   " signup_closes, cancel_by, status, title, skills, day"
                                   " FROM vol_activities WHERE id = ?",
                                   "i", id);
    *found = store_row(q);
    if (*found) {
        a->id = store_int(q, 0);
        a->team_id = store_int(q, 1);
        a->unit_id = store_int(q, 2);
        a->filed_by = store_int(q, 3);
        a->min_age = store_int(q, 4);
        a->signup_opens = store_int(q, 5);
        a->signup_closes = store_int(q, 6);
        a->cancel_by = store_int(q, 7);
        COPY(a->status, store_text(q, 8));
        COPY(a->title, store_text(q, 9));
        COPY(a->skills, store_text(q, 10));
        COPY(a->day, store_text(q, 11));
    }
    store_done(q);
    return store_err(db);
}

enum err vol_store_activity_status(struct store *db, long long id, const char *from, const char *to,
                                   const char *reviewer, const char *reason, long long now,
                                   bool *done)
{
    enum err e =
        store_do(db,
                 "UPDATE vol_activities SET status = ?,"
                 " reviewed_by = COALESCE(?, reviewed_by),"
                 " reviewed_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN reviewed_at ELSE ? END,"
                 " review_reason = COALESCE(?, review_reason), updated_at = ?"
                 " WHERE id = ? AND status = ?",
                 "tttitiit", to, reviewer, reviewer, now, reason, now, id, from);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_activity_people(struct store *db, long long id,
                                   enum err (*each)(void *arg, long long citizen), void *arg,
                                   long long *n)
{
    *n = 0;
    long long ids[256];
    long long after = 0;
    for (;;) { /* in pages, so that each() may write while no statement is open */
        int got = 0;
        struct store_stmt *q = store_q(db,
                                       "SELECT DISTINCT g.citizen_id FROM vol_signups g JOIN"
                                       " vol_shifts s ON s.id = g.shift_id WHERE s.activity_id = ?"
                                       " AND g.state IN ('held', 'offered', 'waiting')"
                                       " AND g.citizen_id > ? ORDER BY g.citizen_id LIMIT 256",
                                       "ii", id, after);
        while (store_row(q))
            ids[got++] = store_int(q, 0);
        store_done(q);
        enum err e = store_err(db);
        if (e != OK) return e;
        for (int i = 0; i < got; i++) {
            if (each && (e = each(arg, ids[i])) != OK) return e;
            (*n)++;
        }
        if (got < 256) return OK;
        after = ids[got - 1];
    }
}

enum err vol_store_activity_clear(struct store *db, long long id, long long now)
{
    enum err e = store_do(db,
                          "UPDATE vol_signups SET state = 'cancelled', updated_at = ?"
                          " WHERE state IN ('held', 'offered', 'waiting') AND shift_id IN"
                          " (SELECT id FROM vol_shifts WHERE activity_id = ?)",
                          "ii", now, id);
    if (e == OK) e = store_do(db, "UPDATE vol_shifts SET taken = 0 WHERE activity_id = ?", "i", id);
    return e;
}

#define ACT_COLS                                                                                   \
    "a.id, a.project_id, a.team_id, a.title, a.day, a.place, a.unit_id, a.min_age, a.skills,"      \
    " a.signup_opens, a.signup_closes, a.cancel_by, a.status, p.theme, p.service_type, t.name"

static json_t *act_row(struct store_stmt *q)
{
    const char *st = store_text(q, 12), *th = store_text(q, 13), *ty = store_text(q, 14);
    return json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,"
                     "s:s}",
                     "id", store_int(q, 0), "project_id", store_int(q, 1), "team_id",
                     store_int(q, 2), "title", store_text(q, 3), "day", store_text(q, 4), "place",
                     store_text(q, 5), "unit_id", store_int(q, 6), "min_age", store_int(q, 7),
                     "skills", store_text(q, 8), "signup_opens", store_int(q, 9), "signup_closes",
                     store_int(q, 10), "cancel_by", store_int(q, 11), "status", st, "status_label",
                     vol_activity_status_label(st), "theme", th, "theme_label", vol_theme_label(th),
                     "service_type", ty, "service_type_label", vol_service_type_label(ty),
                     "team_name", store_text(q, 15));
}

json_t *vol_store_activity_json(struct store *db, long long id, long long citizen)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " ACT_COLS " FROM vol_activities a JOIN vol_projects p"
                                   " ON p.id = a.project_id JOIN vol_teams t ON t.id = a.team_id"
                                   " WHERE a.id = ?",
                                   "i", id);
    json_t *o = store_row(q) ? act_row(q) : NULL;
    store_done(q);
    if (!o) return NULL;
    json_t *shifts = json_array();
    q = store_q(db,
                "SELECT s.id, s.label, s.starts_at, s.ends_at, s.places, s.taken, g.state"
                " FROM vol_shifts s LEFT JOIN vol_signups g ON g.shift_id = s.id"
                " AND g.citizen_id = ? WHERE s.activity_id = ? ORDER BY s.starts_at, s.id",
                "ii", citizen, id);
    while (store_row(q)) {
        const char *mine = store_text(q, 6);
        json_t *s = json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:I}", "id", store_int(q, 0), "label",
                              store_text(q, 1), "starts_at", store_int(q, 2), "ends_at",
                              store_int(q, 3), "places", store_int(q, 4), "taken", store_int(q, 5),
                              "free", store_int(q, 4) - store_int(q, 5));
        json_object_set_new(s, "my_state", mine ? json_string(mine) : json_null());
        json_object_set_new(s, "my_state_label",
                            mine ? json_string(vol_signup_state_label(mine)) : json_null());
        json_array_append_new(shifts, s);
    }
    store_done(q);
    json_object_set_new(o, "shifts", shifts);
    return o;
}

json_t *vol_store_activity_list(struct store *db, const struct vol_find *f, long long after,
                                long long limit, long long *last)
{
    json_t *a = json_array();
    *last = 0;
    const char *status = f->status ? f->status : "open";
    struct store_stmt *q = store_q(
        db,
        "SELECT " ACT_COLS " FROM vol_activities a JOIN vol_projects p"
        " ON p.id = a.project_id JOIN vol_teams t ON t.id = a.team_id"
        " WHERE a.id > ? AND a.status = ? AND (CAST(? AS BIGINT) = 0 OR a.unit_id = ?)"
        " AND (CAST(? AS BIGINT) = 0 OR a.team_id = ?)"
        " AND (CAST(? AS BIGINT) = 0 OR t.unit_id = ?) AND (CAST(? AS TEXT) IS NULL OR p.theme = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR a.day >= ?) AND (CAST(? AS TEXT) IS NULL OR a.day <= ?)"
        " ORDER BY a.id LIMIT ?",
        "itiiiiiitttttti", after, status, f->unit, f->unit, f->team, f->team, f->team_unit,
        f->team_unit, f->theme, f->theme, f->from, f->from, f->to, f->to, limit);
    while (store_row(q)) {
        *last = store_int(q, 0);
        json_array_append_new(a, act_row(q));
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}
