/* store_opinion_cases.c - opinion's SQL for the handling of items and the settings
 * (opinion_store.h, opinion_cases and opinion_state). */
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

enum err opinion_store_settings_get(struct store *db, struct opinion_settings *s)
{
    struct store_stmt *q =
        store_q(db, "SELECT reach_major, reach_grave FROM opinion_state WHERE id = 1", "");
    s->reach_major = s->reach_grave = 0;
    if (store_row(q)) {
        s->reach_major = store_int(q, 0);
        s->reach_grave = store_int(q, 1);
    }
    return done(db, q);
}

enum err opinion_store_settings_set(struct store *db, const struct opinion_settings *s)
{
    return store_do(db, "UPDATE opinion_state SET reach_major = ?, reach_grave = ? WHERE id = 1",
                    "ii", s->reach_major, s->reach_grave);
}

enum err opinion_store_case_insert(struct store *db, long long item, const char *grade,
                                   long long due, long long now)
{
    return store_do(db,
                    "INSERT INTO opinion_cases (item_id, status, grade, due_at, created_at, "
                    "updated_at) VALUES (?, 'found', ?, ?, ?, ?)",
                    "itiii", item, grade, due, now, now);
}

#define CASE_COLS                                                                                  \
    "item_id, status, grade, due_at, COALESCE(unit_id, 0), COALESCE(deadline, 0), "                \
    "COALESCE(response, ''), COALESCE(links, ''), COALESCE(assessed_by, 0), "                      \
    "COALESCE(assigned_by, 0), COALESCE(responded_by, 0), COALESCE(signed_by, 0), "                \
    "COALESCE(signed_at, 0), COALESCE(released_by, 0), COALESCE(released_at, 0), "                 \
    "COALESCE(closed_by, 0), COALESCE(closed_at, 0), COALESCE(escalated_at, 0), created_at, "      \
    "updated_at"

static void read_case(struct store_stmt *q, struct opinion_case *c)
{
    memset(c, 0, sizeof *c);
    c->item_id = store_int(q, 0);
    CP(c->status, q, 1);
    CP(c->grade, q, 2);
    c->due_at = store_int(q, 3);
    c->unit_id = store_int(q, 4);
    c->deadline = store_int(q, 5);
    CP(c->response, q, 6);
    CP(c->links, q, 7);
    c->assessed_by = store_int(q, 8);
    c->assigned_by = store_int(q, 9);
    c->responded_by = store_int(q, 10);
    c->signed_by = store_int(q, 11);
    c->signed_at = store_int(q, 12);
    c->released_by = store_int(q, 13);
    c->released_at = store_int(q, 14);
    c->closed_by = store_int(q, 15);
    c->closed_at = store_int(q, 16);
    c->escalated_at = store_int(q, 17);
    c->created_at = store_int(q, 18);
    c->updated_at = store_int(q, 19);
}

enum err opinion_store_case_get(struct store *db, long long item, struct opinion_case *c,
                                bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " CASE_COLS " FROM opinion_cases WHERE item_id = ?", "i", item);
    *found = store_row(q);
    if (*found) read_case(q, c);
    return done(db, q);
}

enum err opinion_store_case_update(struct store *db, const struct opinion_case *c, const char *from,
                                   bool *changed)
{
    enum err e = store_do(
        db,
        "UPDATE opinion_cases SET status = ?, grade = ?, due_at = ?, unit_id = ?, deadline = ?, "
        "response = ?, links = ?, assessed_by = ?, assigned_by = ?, responded_by = ?, signed_by = "
        "?, signed_at = ?, released_by = ?, released_at = ?, closed_by = ?, closed_at = ?, "
        "updated_at = ? WHERE item_id = ? AND status = ?",
        "ttiIIttIIIIIIIIIiit", c->status, c->grade, c->due_at, c->unit_id, c->deadline,
        c->response[0] ? c->response : NULL, c->links[0] ? c->links : NULL, c->assessed_by,
        c->assigned_by, c->responded_by, c->signed_by, c->signed_at, c->released_by, c->released_at,
        c->closed_by, c->closed_at, c->updated_at, c->item_id, from);
    *changed = e == OK && store_changes(db) == 1;
    return e;
}

enum err opinion_store_cases_overdue(struct store *db, long long now, opinion_case_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " CASE_COLS " FROM opinion_cases WHERE status IN "
                                   "('found', 'assessed', 'assigned', 'responded') AND due_at < "
                                   "? AND escalated_at IS NULL ORDER BY due_at LIMIT 500",
                                   "i", now);
    static _Thread_local struct opinion_case c;
    while (store_row(q)) {
        read_case(q, &c);
        if (!fn(ctx, &c)) break;
    }
    return done(db, q);
}

enum err opinion_store_case_escalated(struct store *db, long long item, long long now)
{
    return store_do(db, "UPDATE opinion_cases SET escalated_at = ? WHERE item_id = ?", "ii", now,
                    item);
}
