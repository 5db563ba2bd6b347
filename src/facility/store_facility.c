/* store_facility.c - the SQL of the facility area (see facility_store.h). Places are taken with
 * the conditional UPDATE of a session's counters (never past its quotas or capacity, checked
 * again by the table's CHECKs), one person holds one row per session (UNIQUE (session_id,
 * citizen_id)), and the count inside is held against the safety limit the same way. */
#include "facility/facility_store.h"
#include "base/date.h"
#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

/* ---- facilities ---- */

enum err fac_store_insert(struct store *db, const struct fac_new *f, long long by, long long now,
                          long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO fac_facilities(category, kind_note, name, org_id, unit_id, address, lat_e6,"
        " lng_e6, safety_limit, accessibility, min_age, id_required, batch, filed_by, created_at,"
        " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "tttiitiiitiitiii", f->category, f->kind_note ? f->kind_note : "", f->name, f->org_id,
        f->unit_id, f->address, f->lat_e6, f->lng_e6, f->safety_limit,
        f->accessibility ? f->accessibility : "", f->min_age, (long long)f->id_required,
        f->batch ? f->batch : "", by, now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err fac_store_get(struct store *db, long long id, struct fac_row *f, bool *found)
{
    memset(f, 0, sizeof *f);
    struct store_stmt *q =
        store_q(db,
                "SELECT id, org_id, unit_id, filed_by, safety_limit, min_age, id_required, status,"
                " category, name FROM fac_facilities WHERE id = ?",
                "i", id);
    *found = store_row(q);
    if (*found) {
        f->id = store_int(q, 0);
        f->org_id = store_int(q, 1);
        f->unit_id = store_int(q, 2);
        f->filed_by = store_int(q, 3);
        f->safety_limit = store_int(q, 4);
        f->min_age = store_int(q, 5);
        f->id_required = store_int(q, 6) != 0;
        copy(f->status, sizeof f->status, store_text(q, 7));
        copy(f->category, sizeof f->category, store_text(q, 8));
        copy(f->name, sizeof f->name, store_text(q, 9));
    }
    store_done(q);
    return store_err(db);
}

enum err fac_store_update(struct store *db, long long id, const struct fac_new *f, long long now)
{
    return store_do(db,
                    "UPDATE fac_facilities SET category = COALESCE(?, category),"
                    " kind_note = COALESCE(?, kind_note), name = COALESCE(?, name),"
                    " address = COALESCE(?, address), accessibility = COALESCE(?, accessibility),"
                    " batch = COALESCE(?, batch),"
                    " lat_e6 = CASE WHEN ? < 0 THEN lat_e6 ELSE ? END,"
                    " lng_e6 = CASE WHEN ? < 0 THEN lng_e6 ELSE ? END,"
                    " safety_limit = CASE WHEN ? < 1 THEN safety_limit ELSE ? END,"
                    " min_age = CASE WHEN ? < 0 THEN min_age ELSE ? END,"
                    " status = CASE status WHEN 'returned' THEN 'registered' ELSE status END,"
                    " updated_at = ? WHERE id = ?",
                    "ttttttiiiiiiiiii", f->category, f->kind_note, f->name, f->address,
                    f->accessibility, f->batch, f->lat_e6, f->lat_e6, f->lng_e6, f->lng_e6,
                    f->safety_limit, f->safety_limit, f->min_age, f->min_age, now, id);
}

enum err fac_store_status(struct store *db, long long id, const char *from, const char *to,
                          const char *reviewer, const char *reason, long long now, bool *done)
{
    enum err e = store_do(db,
                          "UPDATE fac_facilities SET status = ?, reviewed_by = ?, reviewed_at = ?,"
                          " review_reason = ?, updated_at = ? WHERE id = ? AND status = ?",
                          "ttitiit", to, reviewer, now, reason, now, id, from);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

#define FAC_COLS                                                                                   \
    "f.id, f.category, f.kind_note, f.name, f.org_id, f.unit_id, f.address, f.lat_e6, f.lng_e6,"   \
    " f.safety_limit, f.accessibility, f.min_age, f.id_required, f.batch, f.status, f.filed_by,"   \
    " f.reviewed_by, f.reviewed_at, f.review_reason, f.created_at, f.updated_at"

static json_t *fac_row_json(struct store_stmt *q)
{
    const char *cat = store_text(q, 1), *st = store_text(q, 14);
    json_t *o = json_pack(
        "{s:I,s:s,s:s?,s:s,s:s,s:I,s:I,s:s,s:f,s:f,s:I,s:s,s:I,s:b,s:s,s:s,s:s?,s:I,s:s?,s:I,"
        "s:I}",
        "id", store_int(q, 0), "category", cat, "category_label", fac_category_label(cat),
        "kind_note", store_text(q, 2), "name", store_text(q, 3), "org_id", store_int(q, 4),
        "unit_id", store_int(q, 5), "address", store_text(q, 6), "lat", store_int(q, 7) / 1e6,
        "lng", store_int(q, 8) / 1e6, "safety_limit", store_int(q, 9), "accessibility",
        store_text(q, 10), "min_age", store_int(q, 11), "id_required", store_int(q, 12) != 0,
        "batch", store_text(q, 13), "status", st, "status_label", fac_status_label(st), "filed_by",
        store_int(q, 15), "reviewed_by", store_text(q, 16), "reviewed_at", store_int(q, 17),
        "review_reason", store_text(q, 18), "created_at", store_int(q, 19), "updated_at",
        store_int(q, 20));
    return o;
}

json_t *fac_store_json(struct store *db, long long id)
{
    struct store_stmt *q =
        store_q(db, "SELECT " FAC_COLS " FROM fac_facilities f WHERE f.id = ?", "i", id);
    json_t *o = store_row(q) ? fac_row_json(q) : NULL;
    store_done(q);
    if (store_err(db)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *fac_store_list(struct store *db, const struct fac_find *f, long long after, long long limit,
                       long long *last)
{
    *last = 0;
    json_t *a = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT " FAC_COLS " FROM fac_facilities f WHERE f.id > ?"
                " AND (? = 0 OR f.unit_id = ?) AND (? = '' OR f.category = ?)"
                " AND (? = '' OR f.status = ?)"
                " AND (? = 0 OR f.org_id = ?)"
                " ORDER BY f.id LIMIT ?",
                "iiittttiii", after, f->unit, f->unit, f->category ? f->category : "",
                f->category ? f->category : "", f->status ? f->status : "",
                f->status ? f->status : "", f->org, f->org, limit);
    while (store_row(q)) {
        json_array_append_new(a, fac_row_json(q));
        *last = store_int(q, 0);
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

#define SES_COLS                                                                                   \
    "id, facility_id, day, starts_at, ends_at, capacity, ind_quota, grp_quota, ind_taken,"         \
    " grp_taken, walkins, safety_limit, inside, entered, booking_opens, booking_closes,"           \
    " cancel_by, key_date, status, report_id, report_note"

static json_t *ses_row_json(struct store_stmt *q)
{
    const char *kd = store_text(q, 17);
    json_t *o = json_pack(
        "{s:I,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:s?,s:s}", "id",
        store_int(q, 0), "facility_id", store_int(q, 1), "day", store_text(q, 2), "starts_at",
        store_int(q, 3), "ends_at", store_int(q, 4), "capacity", store_int(q, 5),
        "individual_quota", store_int(q, 6), "group_quota", store_int(q, 7), "individual_taken",
        store_int(q, 8), "group_taken", store_int(q, 9), "walkins", store_int(q, 10),
        "safety_limit", store_int(q, 11), "inside", store_int(q, 12), "entered", store_int(q, 13),
        "booking_opens", store_int(q, 14), "booking_closes", store_int(q, 15), "cancel_by",
        store_int(q, 16), "key_date", kd, "key_date_label", *kd ? fac_key_date_label(kd) : NULL,
        "status", store_text(q, 18));
    json_object_set_new(o, "report_id",
                        store_null(q, 19) ? json_null() : json_integer(store_int(q, 19)));
    json_object_set_new(o, "report_note",
                        store_null(q, 20) ? json_null() : json_string(store_text(q, 20)));
    long long free = store_int(q, 5) - store_int(q, 8) - store_int(q, 9) - store_int(q, 10);
    json_object_set_new(o, "places_left", json_integer(free < 0 ? 0 : free));
    return o;
}

json_t *fac_store_next_sessions(struct store *db, long long facility, long long now, int max)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(db,
                                   "SELECT " SES_COLS " FROM fac_sessions WHERE facility_id = ?"
                                   " AND starts_at > ? AND status = 'open'"
                                   " ORDER BY starts_at, id LIMIT ?",
                                   "iii", facility, now, (long long)max);
    while (store_row(q))
        json_array_append_new(a, ses_row_json(q));
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *fac_store_without_session(struct store *db, const char *day, long long unit)
{
    json_t *a = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT f.id, f.name, f.unit_id FROM fac_facilities f WHERE f.status = 'open'"
                " AND (? = 0 OR f.unit_id = ?) AND NOT EXISTS (SELECT 1 FROM fac_sessions s"
                " WHERE s.facility_id = f.id AND s.day = ? AND s.status <> 'cancelled')"
                " ORDER BY f.id LIMIT 1000",
                "iit", unit, unit, day);
    while (store_row(q))
        json_array_append_new(a, json_pack("{s:I,s:s,s:I}", "id", store_int(q, 0), "name",
                                           store_text(q, 1), "unit_id", store_int(q, 2)));
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* ---- sessions ---- */

enum err fac_store_session_insert(struct store *db, long long facility,
                                  const struct fac_session_new *s, const char *day, long long shift,
                                  long long safety_limit, const char *key_date, long long by,
                                  long long now, long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO fac_sessions(facility_id, day, starts_at, ends_at, capacity, ind_quota,"
        " grp_quota, safety_limit, booking_opens, booking_closes, cancel_by, key_date,"
        " created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "itiiiiiiiiitii", facility, day, s->starts_at + shift, s->ends_at + shift, s->capacity,
        s->ind_quota, s->grp_quota, safety_limit, s->booking_opens, s->booking_closes + shift,
        s->cancel_by + shift, key_date, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err fac_store_session_get(struct store *db, long long id, struct fac_session_row *s,
                               bool *found)
{
    memset(s, 0, sizeof *s);
    struct store_stmt *q =
        store_q(db, "SELECT " SES_COLS " FROM fac_sessions WHERE id = ?", "i", id);
    *found = store_row(q);
    if (*found) {
        long long *v[] = {&s->id,
                          &s->facility_id,
                          NULL,
                          &s->starts_at,
                          &s->ends_at,
                          &s->capacity,
                          &s->ind_quota,
                          &s->grp_quota,
                          &s->ind_taken,
                          &s->grp_taken,
                          &s->walkins,
                          &s->safety_limit,
                          &s->inside,
                          &s->entered,
                          &s->booking_opens,
                          &s->booking_closes,
                          &s->cancel_by};
        for (int i = 0; i < 17; i++)
            if (v[i]) *v[i] = store_int(q, i);
        copy(s->day, sizeof s->day, store_text(q, 2));
        copy(s->status, sizeof s->status, store_text(q, 18));
    }
    store_done(q);
    return store_err(db);
}

enum err fac_store_take(struct store *db, long long session, bool group, long long n, bool *ok)
{
    enum err e = group ? store_do(db,
                                  "UPDATE fac_sessions SET grp_taken = grp_taken + ? WHERE id = ?"
                                  " AND grp_taken + ? <= grp_quota"
                                  " AND ind_taken + grp_taken + walkins + ? <= capacity",
                                  "iiii", n, session, n, n)
                       : store_do(db,
                                  "UPDATE fac_sessions SET ind_taken = ind_taken + ? WHERE id = ?"
                                  " AND ind_taken + ? <= ind_quota"
                                  " AND ind_taken + grp_taken + walkins + ? <= capacity",
                                  "iiii", n, session, n, n);
    *ok = e == OK && store_changes(db) == 1;
    return e;
}

enum err fac_store_release(struct store *db, long long session, bool group, long long n)
{
    return group ? store_do(db,
                            "UPDATE fac_sessions SET grp_taken = grp_taken - ? WHERE id = ?"
                            " AND grp_taken >= ?",
                            "iii", n, session, n)
                 : store_do(db,
                            "UPDATE fac_sessions SET ind_taken = ind_taken - ? WHERE id = ?"
                            " AND ind_taken >= ?",
                            "iii", n, session, n);
}

enum err fac_store_walkin_take(struct store *db, long long session, long long n, bool *ok)
{
    enum err e = store_do(db,
                          "UPDATE fac_sessions SET walkins = walkins + ? WHERE id = ?"
                          " AND ind_taken + grp_taken + walkins + ? <= capacity",
                          "iii", n, session, n);
    *ok = e == OK && store_changes(db) == 1;
    return e;
}

enum err fac_store_enter(struct store *db, long long session, long long n, bool *ok)
{
    enum err e = store_do(db,
                          "UPDATE fac_sessions SET inside = inside + ?, entered = entered + ?"
                          " WHERE id = ? AND inside + ? <= safety_limit",
                          "iiii", n, n, session, n);
    *ok = e == OK && store_changes(db) == 1;
    return e;
}

enum err fac_store_exit(struct store *db, long long session, long long n, bool *ok)
{
    enum err e =
        store_do(db, "UPDATE fac_sessions SET inside = inside - ? WHERE id = ? AND inside >= ?",
                 "iii", n, session, n);
    *ok = e == OK && store_changes(db) == 1;
    return e;
}

enum err fac_store_session_status(struct store *db, long long id, const char *from, const char *to,
                                  bool *done)
{
    enum err e = store_do(db, "UPDATE fac_sessions SET status = ? WHERE id = ? AND status = ?",
                          "tit", to, id, from);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err fac_store_session_report(struct store *db, long long id, long long report_id,
                                  const char *note)
{
    return store_do(db, "UPDATE fac_sessions SET report_id = ?, report_note = ? WHERE id = ?",
                    "Iti", report_id, note, id);
}

enum err fac_store_session_held_at(struct store *db, long long id, long long now)
{
    return store_do(db, "UPDATE fac_sessions SET held_at = ? WHERE id = ?", "ii", now, id);
}

enum err fac_store_held_days(struct store *db, long long facility, int *day, int *held, int max,
                             int *n)
{
    *n = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT day, COALESCE(held_at, starts_at) FROM fac_sessions"
                " WHERE facility_id = ? AND status = 'held' ORDER BY day LIMIT ?",
                "ii", facility, (long long)max);
    while (store_row(q) && *n < max) {
        if (!date_parse(store_text(q, 0), &day[*n])) continue;
        held[*n] = date_today_shanghai(store_int(q, 1));
        (*n)++;
    }
    store_done(q);
    return store_err(db);
}

json_t *fac_store_session_json(struct store *db, long long id)
{
    struct store_stmt *q =
        store_q(db, "SELECT " SES_COLS " FROM fac_sessions WHERE id = ?", "i", id);
    json_t *o = store_row(q) ? ses_row_json(q) : NULL;
    store_done(q);
    if (store_err(db)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *fac_store_roster(struct store *db, long long session)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(
        db,
        "SELECT b.id, b.citizen_id, b.kind, b.headcount, b.group_name, b.leader_name, b.state,"
        " COALESCE(b.entered_at, 0), COALESCE(b.left_at, 0),"
        " (SELECT COUNT(*) FROM fac_companions c WHERE c.booking_id = b.id)"
        " FROM fac_bookings b WHERE b.session_id = ? ORDER BY b.id",
        "i", session);
    while (store_row(q)) {
        const char *st = store_text(q, 6);
        json_array_append_new(
            a, json_pack("{s:I,s:I,s:s,s:I,s:s?,s:s?,s:s,s:s,s:I,s:I,s:I}", "id", store_int(q, 0),
                         "citizen_id", store_int(q, 1), "kind", store_text(q, 2), "headcount",
                         store_int(q, 3), "group_name", store_text(q, 4), "leader_name",
                         store_text(q, 5), "state", st, "state_label", fac_booking_state_label(st),
                         "entered_at", store_int(q, 7), "left_at", store_int(q, 8), "companions",
                         store_int(q, 9)));
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err fac_store_session_people(struct store *db, long long session,
                                  enum err (*each)(void *arg, long long citizen), void *arg)
{
    long long ids[FAC_CAPACITY_MAX / 10];
    int n = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT DISTINCT citizen_id FROM fac_bookings WHERE session_id = ?"
                " AND state IN ('held', 'waiting', 'offered') ORDER BY citizen_id LIMIT ?",
                "ii", session, (long long)(sizeof ids / sizeof *ids));
    while (store_row(q) && n < (int)(sizeof ids / sizeof *ids))
        ids[n++] = store_int(q, 0);
    store_done(q);
    enum err e = store_err(db);
    for (int i = 0; e == OK && i < n; i++)
        e = each(arg, ids[i]);
    return e;
}

enum err fac_store_session_clear(struct store *db, long long session, long long now)
{
    return store_do(db,
                    "UPDATE fac_bookings SET state = 'cancelled', updated_at = ?"
                    " WHERE session_id = ? AND state IN ('held', 'waiting', 'offered')",
                    "ii", now, session);
}

/* ---- bookings ---- */

enum err fac_store_visitor_lock(struct store *db, long long citizen, long long now)
{
    return store_do(db,
                    "INSERT INTO fac_visitors(citizen_id, touched_at) VALUES (?, ?)"
                    " ON CONFLICT (citizen_id) DO UPDATE SET touched_at = excluded.touched_at",
                    "ii", citizen, now);
}

enum err fac_store_active_count(struct store *db, long long citizen, long long now, long long *n)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT COUNT(*) FROM fac_bookings b JOIN fac_sessions s ON s.id = b.session_id"
                " WHERE b.citizen_id = ? AND b.state IN ('held', 'waiting', 'offered')"
                " AND s.ends_at > ? AND s.status = 'open'",
                "ii", citizen, now);
    *n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err fac_store_noshows(struct store *db, long long citizen, long long since, long long *n,
                           long long *last)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM fac_bookings"
                                   " WHERE citizen_id = ? AND state IN ('no_show', 'late_cancel')"
                                   " AND updated_at >= ?",
                                   "ii", citizen, since);
    *n = *last = 0;
    if (store_row(q)) {
        *n = store_int(q, 0);
        *last = store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err fac_store_booking_put(struct store *db, const struct fac_booking_new *b, const char *state,
                               long long headcount, long long now, long long *id)
{
    *id = 0;
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO fac_bookings(session_id, citizen_id, kind, headcount, group_name,"
                " leader_name, state, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (session_id, citizen_id) DO UPDATE SET kind = excluded.kind,"
                " headcount = excluded.headcount, group_name = excluded.group_name,"
                " leader_name = excluded.leader_name, state = excluded.state, offer_until = NULL,"
                " entered_at = NULL, left_at = NULL, created_at = excluded.created_at,"
                " updated_at = excluded.updated_at"
                " WHERE fac_bookings.state IN ('cancelled', 'lapsed') RETURNING id",
                "iititttii", b->session, b->citizen, b->group_name ? "group" : "individual",
                headcount, b->group_name, b->leader_name, state, now, now);
    if (store_row(q)) *id = store_int(q, 0);
    store_done(q);
    enum err e = store_err(db);
    if (e == OK && *id)
        e = store_do(db, "DELETE FROM fac_companions WHERE booking_id = ?", "i", *id);
    return e;
}

enum err fac_store_companion_add(struct store *db, long long booking, int seq, const char *name,
                                 const char *hash, const char *mask, int age)
{
    return store_do(db,
                    "INSERT INTO fac_companions(booking_id, seq, name, id_hash, id_mask, age)"
                    " VALUES (?,?,?,?,?,?)",
                    "iittti", booking, (long long)seq, name, hash, mask, (long long)age);
}

enum err fac_store_booking_get(struct store *db, long long id, struct fac_booking_row *b,
                               bool *found)
{
    memset(b, 0, sizeof *b);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, session_id, citizen_id, headcount,"
                                   " COALESCE(offer_until, 0), kind, state FROM fac_bookings"
                                   " WHERE id = ?",
                                   "i", id);
    *found = store_row(q);
    if (*found) {
        b->id = store_int(q, 0);
        b->session_id = store_int(q, 1);
        b->citizen_id = store_int(q, 2);
        b->headcount = store_int(q, 3);
        b->offer_until = store_int(q, 4);
        b->group = strcmp(store_text(q, 5), "group") == 0;
        copy(b->state, sizeof b->state, store_text(q, 6));
    }
    store_done(q);
    return store_err(db);
}

enum err fac_store_booking_set(struct store *db, long long id, const char *from, const char *to,
                               long long offer_until, long long now, bool *done)
{
    enum err e = store_do(
        db,
        "UPDATE fac_bookings SET state = ?, offer_until = ?, updated_at = ?,"
        " entered_at = CASE WHEN ? = 'entered' THEN ? ELSE entered_at END,"
        " left_at = CASE WHEN ? = 'left' THEN ? ELSE left_at END WHERE id = ? AND state = ?",
        "tIititiit", to, offer_until, now, to, now, to, now, id, from);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err fac_store_next_waiting(struct store *db, long long session, long long *booking,
                                long long *headcount, long long *citizen)
{
    *booking = *headcount = *citizen = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT id, headcount, citizen_id FROM fac_bookings"
                                   " WHERE session_id = ? AND state = 'waiting'"
                                   " ORDER BY id LIMIT 1",
                                   "i", session);
    if (store_row(q)) {
        *booking = store_int(q, 0);
        *headcount = store_int(q, 1);
        *citizen = store_int(q, 2);
    }
    store_done(q);
    return store_err(db);
}

enum err fac_store_lapsed_offers(struct store *db, long long now, long long *ids, int max, int *n)
{
    *n = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT id FROM fac_bookings WHERE state = 'offered'"
                                   " AND offer_until < ? ORDER BY id LIMIT ?",
                                   "ii", now, (long long)max);
    while (store_row(q) && *n < max)
        ids[(*n)++] = store_int(q, 0);
    store_done(q);
    return store_err(db);
}

json_t *fac_store_my_bookings(struct store *db, long long citizen)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(
        db,
        "SELECT b.id, b.session_id, b.kind, b.headcount, b.state, COALESCE(b.offer_until, 0),"
        " s.day, s.starts_at, s.ends_at, s.cancel_by, s.status, f.id, f.name, f.address,"
        " (SELECT COUNT(*) FROM fac_feedback k WHERE k.booking_id = b.id)"
        " FROM fac_bookings b JOIN fac_sessions s ON s.id = b.session_id"
        " JOIN fac_facilities f ON f.id = s.facility_id WHERE b.citizen_id = ?"
        " ORDER BY s.starts_at DESC, b.id DESC LIMIT 200",
        "i", citizen);
    while (store_row(q)) {
        const char *st = store_text(q, 4);
        json_t *o = json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:b}", "id",
                              store_int(q, 0), "session_id", store_int(q, 1), "kind",
                              store_text(q, 2), "headcount", store_int(q, 3), "state", st,
                              "state_label", fac_booking_state_label(st), "day", store_text(q, 6),
                              "starts_at", store_int(q, 7), "ends_at", store_int(q, 8), "cancel_by",
                              store_int(q, 9), "session_status", store_text(q, 10), "facility_id",
                              store_int(q, 11), "facility_name", store_text(q, 12), "address",
                              store_text(q, 13), "feedback_given", store_int(q, 14) > 0);
        json_object_set_new(o, "offer_until",
                            store_int(q, 5) ? json_integer(store_int(q, 5)) : json_null());
        json_array_append_new(a, o);
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *fac_store_waitlist(struct store *db, long long session)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(db,
                                   "SELECT id, citizen_id, headcount, state FROM fac_bookings"
                                   " WHERE session_id = ? AND state IN ('waiting', 'offered')"
                                   " ORDER BY CASE state WHEN 'offered' THEN 0 ELSE 1 END, id",
                                   "i", session);
    while (store_row(q))
        json_array_append_new(a, json_pack("{s:I,s:I,s:I,s:s}", "id", store_int(q, 0), "citizen_id",
                                           store_int(q, 1), "headcount", store_int(q, 2), "state",
                                           store_text(q, 3)));
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err fac_store_mark_noshows(struct store *db, long long session, long long now)
{
    return store_do(db,
                    "UPDATE fac_bookings SET state = 'no_show', updated_at = ?"
                    " WHERE session_id = ? AND state IN ('held', 'offered')",
                    "ii", now, session);
}

enum err fac_store_groups_came(struct store *db, long long session, long long *groups)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*) FROM fac_bookings WHERE session_id = ?"
                                   " AND kind = 'group' AND state IN ('entered', 'left')",
                                   "i", session);
    *groups = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err fac_store_feedback(struct store *db, long long booking, long long rating,
                            const char *comment, long long now, bool *added)
{
    enum err e = store_do(db,
                          "INSERT INTO fac_feedback(booking_id, rating, comment, created_at)"
                          " VALUES (?,?,?,?) ON CONFLICT (booking_id) DO NOTHING",
                          "iiti", booking, rating, comment ? comment : "", now);
    *added = e == OK && store_changes(db) == 1;
    return e;
}
