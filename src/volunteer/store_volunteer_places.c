/* store_volunteer_places.c - the SQL of shifts' places and sign-ups (see volunteer_store.h).
 * A place is taken with the conditional UPDATE of `taken` (never past `places`, checked again by
 * the table's CHECK), and one person holds one row per shift (UNIQUE (shift_id, citizen_id)). */
#include "volunteer/volunteer_store.h"
#include <stdio.h>
#include <string.h>

enum err vol_store_shift_get(struct store *db, long long id, struct vol_shift_row *s, bool *found)
{
    memset(s, 0, sizeof *s);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, activity_id, starts_at, ends_at, places, taken"
                                   " FROM vol_shifts WHERE id = ?",
                                   "i", id);
    *found = store_row(q);
    if (*found) {
        s->id = store_int(q, 0);
        s->activity_id = store_int(q, 1);
        s->starts_at = store_int(q, 2);
        s->ends_at = store_int(q, 3);
        s->places = store_int(q, 4);
        s->taken = store_int(q, 5);
    }
    store_done(q);
    return store_err(db);
}

enum err vol_store_shift_take(struct store *db, long long id, long long n, bool *ok)
{
    enum err e =
        store_do(db, "UPDATE vol_shifts SET taken = taken + ? WHERE id = ? AND taken + ? <= places",
                 "iii", n, id, n);
    *ok = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_shift_release(struct store *db, long long id)
{
    return store_do(db, "UPDATE vol_shifts SET taken = taken - 1 WHERE id = ? AND taken > 0", "i",
                    id);
}

enum err vol_store_signup_put(struct store *db, long long shift, long long citizen,
                              const char *state, long long priority, long long leader,
                              long long now, bool *added)
{
    enum err e =
        store_do(db,
                 "INSERT INTO vol_signups(shift_id, citizen_id, state, priority, leader_id,"
                 " created_at, updated_at) VALUES (?,?,?,?,?,?,?)"
                 " ON CONFLICT (shift_id, citizen_id) DO UPDATE SET state = excluded.state,"
                 " priority = excluded.priority, leader_id = excluded.leader_id,"
                 " offer_until = NULL, created_at = excluded.created_at,"
                 " updated_at = excluded.updated_at"
                 " WHERE vol_signups.state IN ('cancelled', 'lapsed')",
                 "iitiIii", shift, citizen, state, priority, leader, now, now);
    *added = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_signup_state(struct store *db, long long shift, long long citizen,
                                char state[12], long long *offer_until)
{
    state[0] = '\0';
    *offer_until = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT state, COALESCE(offer_until, 0) FROM vol_signups"
                                   " WHERE shift_id = ? AND citizen_id = ?",
                                   "ii", shift, citizen);
    if (store_row(q)) {
        snprintf(state, 12, "%s", store_text(q, 0));
        *offer_until = store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err vol_store_signup_set(struct store *db, long long shift, long long citizen,
                              const char *from, const char *to, long long offer_until,
                              long long now, bool *done)
{
    enum err e = store_do(db,
                          "UPDATE vol_signups SET state = ?, offer_until = ?, updated_at = ?"
                          " WHERE shift_id = ? AND citizen_id = ? AND state = ?",
                          "tIiiit", to, offer_until, now, shift, citizen, from);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err vol_store_overlap(struct store *db, long long citizen, long long shift, long long starts,
                           long long ends, bool *overlap)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT 1 FROM vol_signups g JOIN vol_shifts s ON s.id = g.shift_id"
                " WHERE g.citizen_id = ? AND g.shift_id <> ?"
                " AND g.state IN ('held', 'offered', 'waiting')"
                " AND s.starts_at < ? AND ? < s.ends_at LIMIT 1",
                "iiii", citizen, shift, ends, starts);
    *overlap = store_row(q);
    store_done(q);
    return store_err(db);
}

enum err vol_store_absences(struct store *db, long long citizen, long long since, long long *n)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*) FROM vol_signups WHERE citizen_id = ?"
                                   " AND state IN ('late_cancel', 'absent') AND updated_at >= ?",
                                   "ii", citizen, since);
    *n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err vol_store_next_waiting(struct store *db, long long shift, long long *citizen)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT citizen_id FROM vol_signups WHERE shift_id = ?"
                                   " AND state = 'waiting' ORDER BY priority, id LIMIT 1",
                                   "i", shift);
    *citizen = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err vol_store_lapsed_offers(struct store *db, long long now, long long *shift,
                                 long long *citizen, int max, int *n)
{
    *n = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT shift_id, citizen_id FROM vol_signups"
                                   " WHERE state = 'offered' AND offer_until < ?"
                                   " ORDER BY id LIMIT ?",
                                   "ii", now, (long long)max);
    while (store_row(q) && *n < max) {
        shift[*n] = store_int(q, 0);
        citizen[*n] = store_int(q, 1);
        (*n)++;
    }
    store_done(q);
    return store_err(db);
}

json_t *vol_store_my_signups(struct store *db, long long citizen)
{
    json_t *a = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT g.shift_id, g.state, COALESCE(g.offer_until, 0), s.label, s.starts_at,"
                " s.ends_at, a.id, a.title, a.day, a.place, a.status, a.cancel_by"
                " FROM vol_signups g JOIN vol_shifts s ON s.id = g.shift_id"
                " JOIN vol_activities a ON a.id = s.activity_id WHERE g.citizen_id = ?"
                " ORDER BY s.starts_at DESC, g.id DESC LIMIT 200",
                "i", citizen);
    while (store_row(q)) {
        const char *st = store_text(q, 1), *ast = store_text(q, 10);
        json_t *o = json_pack(
            "{s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "shift_id", store_int(q, 0),
            "state", st, "state_label", vol_signup_state_label(st), "shift_label", store_text(q, 3),
            "starts_at", store_int(q, 4), "ends_at", store_int(q, 5), "activity_id",
            store_int(q, 6), "title", store_text(q, 7), "day", store_text(q, 8), "place",
            store_text(q, 9), "activity_status", ast, "activity_status_label",
            vol_activity_status_label(ast), "cancel_by", store_int(q, 11));
        json_object_set_new(o, "offer_until",
                            store_int(q, 2) ? json_integer(store_int(q, 2)) : json_null());
        json_array_append_new(a, o);
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *vol_store_waitlist(struct store *db, long long shift)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(db,
                                   "SELECT citizen_id, priority, state FROM vol_signups"
                                   " WHERE shift_id = ? AND state IN ('waiting', 'offered')"
                                   " ORDER BY CASE state WHEN 'offered' THEN 0 ELSE 1 END,"
                                   " priority, id",
                                   "i", shift);
    while (store_row(q))
        json_array_append_new(a, json_pack("{s:I,s:I,s:s}", "citizen_id", store_int(q, 0),
                                           "priority", store_int(q, 1), "state", store_text(q, 2)));
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}
