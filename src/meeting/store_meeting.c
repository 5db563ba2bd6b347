/* store_meeting.c - all of the meeting area's SQL (meeting_store.h), over its own tables only
 * (src/store/tables.map; migration 0007_meeting): the holiday calendar, the member units, a
 * meeting read into struct mt_meeting part by part (the meeting, its units with their replies,
 * topics and their files, attendance, minutes and their decisions, countersigns, documents,
 * follow-ups, history), each step's write, document numbers, topic files, follow-ups and
 * reminders' queries. No rules and no other area here: the services (meeting*.c) decide, the
 * org area names the units. Prepared statements with bound parameters only; writes run inside
 * the caller's transaction. */
#include "meeting/meeting_store.h"
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mt_day(const char *s)
{
    int d;
    return s && date_parse(s, &d) ? d : MT_NONE;
}

const char *mt_fmt(int day, char out[11])
{
    if (day == MT_NONE) return NULL;
    date_format(day, out);
    return out;
}

/* ---- helpers ---- */

/* Room for one more element of an array in the arena (doubling; the old block stays there). */
static void *grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 8;
    void *t = arena_alloc(a, nc * size);
    if (n) memcpy(t, arr, n * size);
    *cap = nc;
    return t;
}
#define PUSH(a, arr, n, cap) ((arr) = grow((a), (arr), (n), &(cap), sizeof *(arr)), &(arr)[(n)++])

/* A column's text in the arena; NULL for SQL NULL. */
static const char *col(struct arena *a, struct store_stmt *q, int c)
{
    return store_null(q, c) ? NULL : arena_strdup(a, store_text(q, c));
}

static struct mt_label label_of(long long id)
{
    return (struct mt_label){id, "", ""};
}

/* The invited units: a JSON array of names, as mt_meeting_create stores it. */
static void guests_of(struct arena *a, const char *text, struct mt_meeting *m)
{
    json_t *g = text ? json_loads(text, 0, NULL) : NULL;
    size_t i, cap = 0;
    json_t *v;
    json_array_foreach(g, i, v)
    {
        if (json_is_string(v))
            *PUSH(a, m->guests, m->nguests, cap) = arena_strdup(a, json_string_value(v));
    }
    json_decref(g);
}

/* ---- reading a meeting (meeting_load.c) ---- */

#define MEETING_COLUMNS                                                                            \
    "kind, level, stage, title, place, meeting_date, notice_date, agenda_date, held_date,"         \
    " minutes_date, issued_date, minutes_version, change_requested, countersign_days, report_id,"  \
    " guests, notes, notice_body, notice_late_reason, notice_by_name, agenda_late_reason,"         \
    " agenda_by_name, held_by_name, minutes_late_reason, issued_by_name, report_note,"             \
    " created_by_name, created_at, updated_at"

static void meeting_row(struct store_stmt *q, struct arena *a, struct mt_meeting *m)
{
    mt_kind_parse(store_text(q, 0), &m->kind);
    mt_level_parse(store_text(q, 1), &m->level);
    mt_stage_parse(store_text(q, 2), &m->stage);
    m->title = col(a, q, 3);
    m->place = col(a, q, 4);
    m->meeting = mt_day(store_text(q, 5));
    m->notice = mt_day(store_text(q, 6));
    m->agenda = mt_day(store_text(q, 7));
    m->held = mt_day(store_text(q, 8));
    m->minutes = mt_day(store_text(q, 9));
    m->issued = mt_day(store_text(q, 10));
    m->version = (int)store_int(q, 11);
    m->change_requested = store_int(q, 12) != 0;
    m->countersign_days = (int)store_int(q, 13);
    m->report_id = store_int(q, 14);
    guests_of(a, store_text(q, 15), m);
    m->notes = col(a, q, 16);
    m->notice_body = col(a, q, 17);
    m->notice_late_reason = col(a, q, 18);
    m->notice_by_name = col(a, q, 19);
    m->agenda_late_reason = col(a, q, 20);
    m->agenda_by_name = col(a, q, 21);
    m->held_by_name = col(a, q, 22);
    m->minutes_late_reason = col(a, q, 23);
    m->issued_by_name = col(a, q, 24);
    m->report_note = col(a, q, 25);
    m->created_by_name = col(a, q, 26);
    m->created_at = store_int(q, 27);
    m->updated_at = store_int(q, 28);
}

enum err mt_store_meeting(struct store *db, long long id, struct mt_meeting *m)
{
    struct store_stmt *q =
        store_q(db, "SELECT " MEETING_COLUMNS " FROM meetings WHERE id = ?", "i", id);
    bool found = store_row(q);
    if (found) {
        m->id = id;
        meeting_row(q, m->arena, m);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!found) return ERR_NOT_FOUND;
    m->drafted = MT_NONE;
    if (m->version > 0) {
        q = store_q(db,
                    "SELECT drafted_date FROM meeting_minutes WHERE meeting_id = ? AND version = ?",
                    "ii", id, (long long)m->version);
        if (store_row(q)) m->drafted = mt_day(store_text(q, 0));
        store_done(q);
    }
    return store_err(db);
}

static struct mt_unit *unit_row(struct mt_unit *u, long long unit_id, const char *role, bool host)
{
    *u = (struct mt_unit){.unit = label_of(unit_id),
                          .convener = role && strcmp(role, "convener") == 0,
                          .host = host,
                          .received = MT_NONE,
                          .confirmed = MT_NONE,
                          .topics = MT_NONE,
                          .signed_on = MT_NONE};
    return u;
}

enum err mt_store_members_at(struct store *db, int day, struct arena *a, struct mt_unit **out,
                             size_t *n)
{
    *out = NULL;
    *n = 0;
    char d[11];
    date_format(day, d);
    struct store_stmt *q =
        store_q(db,
                "SELECT unit_id, role, is_host FROM meeting_members WHERE joined_on <= ?"
                " AND (left_on IS NULL OR left_on > ?)"
                " ORDER BY CASE WHEN role = 'convener' THEN 0 ELSE 1 END, unit_id",
                "tt", d, d);
    size_t cap = 0;
    while (store_row(q)) {
        long long uid = store_int(q, 0);
        bool dup = false;
        for (size_t i = 0; i < *n; i++)
            if ((*out)[i].unit.id == uid) dup = true;
        if (!dup) unit_row(PUSH(a, *out, *n, cap), uid, store_text(q, 1), store_int(q, 2) != 0);
    }
    store_done(q);
    return store_err(db);
}

static struct mt_unit *unit_in(struct mt_unit *u, size_t n, long long unit_id)
{
    for (size_t i = 0; i < n; i++)
        if (u[i].unit.id == unit_id) return &u[i];
    return NULL;
}

enum err mt_store_units(struct store *db, const struct mt_meeting *m, struct mt_unit **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT unit_id, role, is_host, received_date, confirmed_date, topics_date,"
                " no_topics, confirmed_late_reason FROM meeting_units WHERE meeting_id = ?"
                " ORDER BY CASE WHEN role = 'convener' THEN 0 ELSE 1 END, unit_id",
                "i", m->id);
    size_t cap = 0;
    while (store_row(q)) {
        struct mt_unit *u = unit_row(PUSH(m->arena, *out, *n, cap), store_int(q, 0),
                                     store_text(q, 1), store_int(q, 2) != 0);
        u->received = mt_day(store_text(q, 3));
        u->confirmed = mt_day(store_text(q, 4));
        u->topics = mt_day(store_text(q, 5));
        u->no_topics = store_int(q, 6) != 0;
        u->late_confirm = !store_null(q, 7);
    }
    store_done(q);
    q = store_q(
        db, "SELECT unit_id, COUNT(*) FROM meeting_topics WHERE meeting_id = ? GROUP BY unit_id",
        "i", m->id);
    while (store_row(q)) {
        struct mt_unit *u = unit_in(*out, *n, store_int(q, 0));
        if (u) u->ntopics = store_int(q, 1);
    }
    store_done(q);
    if (m->version > 0) {
        q = store_q(db,
                    "SELECT unit_id, action, on_date FROM meeting_countersigns WHERE meeting_id = "
                    "? AND version = ?",
                    "ii", m->id, (long long)m->version);
        while (store_row(q)) {
            struct mt_unit *u = unit_in(*out, *n, store_int(q, 0));
            if (u && strcmp(store_text(q, 1), "sign") == 0)
                u->signed_on = mt_day(store_text(q, 2));
            else if (u)
                u->change = true;
        }
        store_done(q);
    }
    return store_err(db);
}

static void topic_row(struct store_stmt *q, struct arena *a, struct mt_topic *t)
{
    *t = (struct mt_topic){.id = store_int(q, 0),
                           .unit = label_of(store_int(q, 1)),
                           .category = (int)store_int(q, 2),
                           .title = col(a, q, 3),
                           .background = col(a, q, 4),
                           .decision_requested = col(a, q, 5),
                           .submitted = mt_day(store_text(q, 6)),
                           .submitted_by_name = col(a, q, 7),
                           .late = store_int(q, 8) != 0,
                           .late_reason = col(a, q, 9),
                           .merged_into = store_null(q, 11) ? 0 : store_int(q, 11),
                           .selection_reason = col(a, q, 12),
                           .selection_date = mt_day(store_text(q, 13)),
                           .selection_by_name = col(a, q, 14),
                           .agenda_order = store_null(q, 15) ? 0 : store_int(q, 15),
                           .decision = col(a, q, 16)};
    mt_selection_parse(store_text(q, 10), &t->selection);
}

enum err mt_store_topics(struct store *db, long long id, struct arena *a, struct mt_topic **out,
                         size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q = store_q(
        db,
        "SELECT id, unit_id, category, title, background, decision_requested, submitted_date,"
        " submitted_by_name, late, late_reason, selection, merged_into, selection_reason,"
        " selection_date, selection_by_name, agenda_order, decision"
        " FROM meeting_topics WHERE meeting_id = ?"
        " ORDER BY CASE WHEN agenda_order IS NULL THEN 1 ELSE 0 END, agenda_order, id",
        "i", id);
    size_t cap = 0;
    while (store_row(q))
        topic_row(q, a, PUSH(a, *out, *n, cap));
    store_done(q);
    q = store_q(
        db,
        "SELECT f.topic_id, f.name, f.content_type, f.size, f.file_hash FROM meeting_topic_files f"
        " JOIN meeting_topics t ON t.id = f.topic_id WHERE t.meeting_id = ? ORDER BY f.topic_id, "
        "f.name",
        "i", id);
    struct mt_topic *t = NULL;
    size_t fcap = 0;
    while (store_row(q)) {
        if (!t || t->id != store_int(q, 0)) {
            t = NULL;
            fcap = 0;
            for (size_t i = 0; i < *n; i++)
                if ((*out)[i].id == store_int(q, 0)) t = &(*out)[i];
        }
        if (t)
            *PUSH(a, t->files, t->nfiles, fcap) = (struct mt_topic_file){
                arena_strdup(a, store_text(q, 1)), arena_strdup(a, store_text(q, 2)),
                arena_strdup(a, store_text(q, 4)), store_int(q, 3)};
    }
    store_done(q);
    return store_err(db);
}

enum err mt_store_attendance(struct store *db, long long id, struct arena *a,
                             struct mt_attendee **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT unit_id, unit_name, person, post, att_rank, guest FROM "
                                   "meeting_attendance WHERE meeting_id = ? ORDER BY id",
                                   "i", id);
    size_t cap = 0;
    while (store_row(q)) {
        struct mt_attendee *x = PUSH(a, *out, *n, cap);
        *x = (struct mt_attendee){.unit = label_of(store_null(q, 0) ? 0 : store_int(q, 0)),
                                  .unit_name = col(a, q, 1),
                                  .person = col(a, q, 2),
                                  .post = col(a, q, 3),
                                  .rank = MT_RANK_STAFF,
                                  .guest = store_int(q, 5) != 0};
        mt_rank_parse(store_text(q, 4), &x->rank);
    }
    store_done(q);
    return store_err(db);
}

/* The decisions of a version: the JSON array mt_store_minutes_insert writes. */
static void decisions_of(struct arena *a, const char *text, struct mt_minutes *v)
{
    json_t *d = text ? json_loads(text, 0, NULL) : NULL;
    size_t i, cap = 0;
    json_t *o;
    json_array_foreach(d, i, o)
    {
        json_t *tv = json_object_get(o, "topic_id");
        *PUSH(a, v->decisions, v->ndecisions, cap) = (struct mt_decision){
            .seq = (int)json_integer_value(json_object_get(o, "seq")),
            .text = arena_strdup(a, json_string_value(json_object_get(o, "text"))),
            .unit = label_of(json_integer_value(json_object_get(o, "unit_id"))),
            .due = mt_day(json_string_value(json_object_get(o, "due"))),
            .topic_id = json_is_integer(tv) ? json_integer_value(tv) : 0};
    }
    json_decref(d);
}

enum err mt_store_minutes(struct store *db, long long id, struct arena *a, struct mt_minutes **out,
                          size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT version, body, decisions, drafted_date, drafted_by_name"
                                   " FROM meeting_minutes WHERE meeting_id = ? ORDER BY version",
                                   "i", id);
    size_t cap = 0;
    while (store_row(q)) {
        struct mt_minutes *v = PUSH(a, *out, *n, cap);
        *v = (struct mt_minutes){.version = (int)store_int(q, 0),
                                 .body = col(a, q, 1),
                                 .drafted = mt_day(store_text(q, 3)),
                                 .drafted_by_name = col(a, q, 4)};
        decisions_of(a, store_text(q, 2), v);
    }
    store_done(q);
    return store_err(db);
}

enum err mt_store_signs(struct store *db, long long id, struct arena *a, struct mt_sign **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT version, unit_id, action, comment, on_date, by_name, late_reason FROM "
                "meeting_countersigns WHERE meeting_id = ? ORDER BY version, id",
                "i", id);
    size_t cap = 0;
    while (store_row(q))
        *PUSH(a, *out, *n, cap) =
            (struct mt_sign){.version = (int)store_int(q, 0),
                             .unit = label_of(store_int(q, 1)),
                             .change = strcmp(store_text(q, 2), "change") == 0,
                             .comment = col(a, q, 3),
                             .on = mt_day(store_text(q, 4)),
                             .by_name = col(a, q, 5),
                             .late_reason = col(a, q, 6)};
    store_done(q);
    return store_err(db);
}

enum err mt_store_documents(struct store *db, long long id, struct arena *a, struct mt_issued **out,
                            size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT kind, doc_no, title, issued_date, html_hash, html_size,"
                                   " pdf_hash, pdf_size FROM meeting_documents"
                                   " WHERE meeting_id = ? ORDER BY id",
                                   "i", id);
    size_t cap = 0;
    while (store_row(q)) {
        struct mt_issued *d = PUSH(a, *out, *n, cap);
        *d = (struct mt_issued){.kind = MT_DOC_NOTICE,
                                .doc_no = col(a, q, 1),
                                .title = col(a, q, 2),
                                .issued = mt_day(store_text(q, 3)),
                                .html_hash = col(a, q, 4),
                                .html_size = store_int(q, 5),
                                .pdf_hash = col(a, q, 6),
                                .pdf_size = store_int(q, 7)};
        mt_doc_kind_parse(store_text(q, 0), &d->kind);
    }
    store_done(q);
    return store_err(db);
}

enum err mt_store_history(struct store *db, long long id, struct arena *a, struct mt_event **out,
                          size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT at, on_date, user_name, action, unit_id, late, note FROM meeting_history "
                "WHERE meeting_id = ? ORDER BY id",
                "i", id);
    size_t cap = 0;
    while (store_row(q))
        *PUSH(a, *out, *n, cap) =
            (struct mt_event){.at = store_int(q, 0),
                              .on = mt_day(store_text(q, 1)),
                              .by_name = col(a, q, 2),
                              .action = col(a, q, 3),
                              .unit = label_of(store_null(q, 4) ? 0 : store_int(q, 4)),
                              .late = store_int(q, 5) != 0,
                              .note = col(a, q, 6)};
    store_done(q);
    return store_err(db);
}

/* ---- follow-ups ---- */

#define FOLLOWUP_COLUMNS                                                                           \
    "f.id, f.meeting_id, f.seq, f.topic_id, f.text, f.unit_id, f.due_date, f.status, f.progress,"  \
    " f.done_date, f.updated_by_name, f.updated_at, m.title, m.meeting_date"
#define FOLLOWUP_FROM " FROM meeting_followups f JOIN meetings m ON m.id = f.meeting_id"

static void followup_row(struct store_stmt *q, struct arena *a, struct mt_followup *f)
{
    *f = (struct mt_followup){.id = store_int(q, 0),
                              .meeting_id = store_int(q, 1),
                              .seq = (int)store_int(q, 2),
                              .topic_id = store_null(q, 3) ? 0 : store_int(q, 3),
                              .text = col(a, q, 4),
                              .unit = label_of(store_int(q, 5)),
                              .due = mt_day(store_text(q, 6)),
                              .status = MT_FU_OPEN,
                              .progress = col(a, q, 8),
                              .done = mt_day(store_text(q, 9)),
                              .updated_by_name = col(a, q, 10),
                              .updated_at = store_int(q, 11),
                              .meeting_title = col(a, q, 12),
                              .meeting_date = mt_day(store_text(q, 13))};
    mt_fu_status_parse(store_text(q, 7), &f->status);
}

/* Every row of q, then store_done(q). */
static enum err followup_rows(struct store *db, struct store_stmt *q, struct arena *a,
                              struct mt_followup **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    while (store_row(q))
        followup_row(q, a, PUSH(a, *out, *n, cap));
    store_done(q);
    return store_err(db);
}

enum err mt_store_followups(struct store *db, long long id, struct arena *a,
                            struct mt_followup **out, size_t *n)
{
    struct store_stmt *q = store_q(
        db, "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM " WHERE f.meeting_id = ? ORDER BY f.seq", "i",
        id);
    return followup_rows(db, q, a, out, n);
}

enum err mt_store_followups_to_report(struct store *db, long long id, int meeting_date,
                                      struct arena *a, struct mt_followup **out, size_t *n)
{
    char md[11], prev[11] = "0000-00-00";
    date_format(meeting_date, md);
    struct store_stmt *q =
        store_q(db, "SELECT MAX(meeting_date) FROM meetings WHERE meeting_date < ? AND id <> ?",
                "ti", md, id);
    if (store_row(q) && !store_null(q, 0)) snprintf(prev, sizeof prev, "%s", store_text(q, 0));
    store_done(q);
    q = store_q(db,
                "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
                " WHERE f.meeting_id <> ? AND m.meeting_date < ?"
                " AND (f.status <> 'done' OR f.done_date >= ?) ORDER BY m.meeting_date, f.seq",
                "itt", id, md, prev);
    return followup_rows(db, q, a, out, n);
}

enum err mt_store_followup(struct store *db, long long id, struct arena *a, struct mt_followup *out)
{
    struct store_stmt *q =
        store_q(db, "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM " WHERE f.id = ?", "i", id);
    bool found = store_row(q);
    if (found) followup_row(q, a, out);
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err mt_store_followup_list(struct store *db, const struct mt_followup_filter *f, int today,
                                long long after, long long limit, struct arena *a,
                                struct mt_followup **out, size_t *n)
{
    char t[11];
    date_format(today, t);
    struct store_stmt *q = store_q(
        db,
        "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
        " WHERE (CAST(? AS BIGINT) = 0 OR f.id < ?) AND (CAST(? AS BIGINT) = 0 OR f.meeting_id = ?)"
        " AND (CAST(? AS BIGINT) = 0 OR f.unit_id = ?) AND (CAST(? AS TEXT) IS NULL OR f.status = "
        "?)"
        " AND (CAST(? AS BIGINT) < 0"
        "      OR (? = 1 AND f.status <> 'done' AND f.due_date < ?)"
        "      OR (? = 0 AND NOT (f.status <> 'done' AND f.due_date < ?)))"
        " ORDER BY f.id DESC LIMIT ?",
        "iiiiiitt"
        "iititi",
        after, after, f->meeting, f->meeting, f->unit, f->unit, f->status, f->status,
        (long long)f->overdue, (long long)f->overdue, t, (long long)f->overdue, t, limit);
    return followup_rows(db, q, a, out, n);
}

enum err mt_store_followups_due(struct store *db, int from, int to, struct arena *a,
                                struct mt_followup **out, size_t *n)
{
    char t0[11], t2[11];
    date_format(from, t0);
    date_format(to, t2);
    struct store_stmt *q =
        store_q(db,
                "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
                " WHERE f.status <> 'done' AND f.due_date >= ? AND f.due_date <= ? ORDER BY f.id",
                "tt", t0, t2);
    return followup_rows(db, q, a, out, n);
}

/* ---- the calendar ---- */

enum err mt_calendar_load(struct store *db, struct mt_calendar *c)
{
    mt_calendar_init(c);
    struct store_stmt *q = store_q(db, "SELECT year FROM calendar_years", "");
    while (store_row(q))
        mt_calendar_cover(c, (int)store_int(q, 0));
    store_done(q);
    q = store_q(db, "SELECT day, kind FROM calendar_days", "");
    bool ok = true;
    while (store_row(q)) {
        int d = mt_day(store_text(q, 0));
        const char *kind = store_text(q, 1);
        if (d != MT_NONE && !mt_calendar_add(c, d, kind && strcmp(kind, "holiday") == 0))
            ok = false;
    }
    store_done(q);
    mt_calendar_finish(c);
    if (store_err(db)) return store_err(db);
    return ok ? OK : ERR_INTERNAL;
}

enum err mt_store_years(struct store *db, struct arena *a, struct mt_calendar_year **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q = store_q(
        db,
        "SELECT y.year, y.title, y.doc_no, y.source, y.updated_at,"
        " (SELECT COUNT(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'holiday'),"
        " (SELECT COUNT(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'workday')"
        " FROM calendar_years y ORDER BY y.year",
        "");
    size_t cap = 0;
    while (store_row(q))
        *PUSH(a, *out, *n, cap) = (struct mt_calendar_year){.year = (int)store_int(q, 0),
                                                            .title = col(a, q, 1),
                                                            .doc_no = col(a, q, 2),
                                                            .source = col(a, q, 3),
                                                            .updated_at = store_int(q, 4),
                                                            .holiday_days = store_int(q, 5),
                                                            .workday_count = store_int(q, 6)};
    store_done(q);
    return store_err(db);
}

enum err mt_store_year(struct store *db, int year, struct arena *a, struct mt_calendar_year *out)
{
    struct store_stmt *q =
        store_q(db, "SELECT title, doc_no, source, updated_at FROM calendar_years WHERE year = ?",
                "i", (long long)year);
    bool found = store_row(q);
    if (found)
        *out = (struct mt_calendar_year){.year = year,
                                         .title = col(a, q, 0),
                                         .doc_no = col(a, q, 1),
                                         .source = col(a, q, 2),
                                         .updated_at = store_int(q, 3)};
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err mt_store_year_days(struct store *db, int year, struct arena *a, struct mt_day_row **out,
                            size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q =
        store_q(db, "SELECT day, kind, name FROM calendar_days WHERE year = ? ORDER BY day", "i",
                (long long)year);
    size_t cap = 0;
    while (store_row(q))
        *PUSH(a, *out, *n, cap) =
            (struct mt_day_row){.day = mt_day(store_text(q, 0)),
                                .holiday = strcmp(store_text(q, 1), "holiday") == 0,
                                .name = col(a, q, 2)};
    store_done(q);
    return store_err(db);
}

enum err mt_store_year_exists(struct store *db, int year, bool *have)
{
    struct store_stmt *q =
        store_q(db, "SELECT 1 FROM calendar_years WHERE year = ?", "i", (long long)year);
    *have = store_row(q);
    store_done(q);
    return store_err(db);
}

enum err mt_store_day_year(struct store *db, int day, int except_year, long long *year)
{
    char d[11];
    date_format(day, d);
    struct store_stmt *q = store_q(db, "SELECT year FROM calendar_days WHERE day = ? AND year <> ?",
                                   "ti", d, (long long)except_year);
    *year = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err mt_store_year_put(struct store *db, const struct mt_year *y, const char *source,
                           long long by, long long now, bool skip_taken)
{
    enum err e = store_do(
        db,
        "INSERT INTO calendar_years(year, title, doc_no, source, updated_by, updated_at)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT (year) DO UPDATE SET title = excluded.title,"
        " doc_no = excluded.doc_no, source = excluded.source, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
        "ittt"
        "Ii",
        (long long)y->year, y->title, y->doc_no, source, by, now);
    if (e == OK)
        e = store_do(db, "DELETE FROM calendar_days WHERE year = ?", "i", (long long)y->year);
    for (size_t i = 0; i < y->ndays && e == OK; i++) {
        char d[11];
        date_format(y->days[i].day, d);
        e = store_do(db,
                     skip_taken
                         ? "INSERT INTO calendar_days(day, year, kind, name) VALUES (?,?,?,?)"
                           " ON CONFLICT (day) DO NOTHING"
                         : "INSERT INTO calendar_days(day, year, kind, name) VALUES (?,?,?,?)",
                     "titt", d, (long long)y->year, y->days[i].holiday ? "holiday" : "workday",
                     y->days[i].name);
    }
    return e;
}

/* ---- members ---- */

#define MEMBER_COLUMNS "id, unit_id, role, is_host, joined_on, left_on, note, updated_at"

static void member_row(struct store_stmt *q, struct arena *a, struct mt_member *m)
{
    *m = (struct mt_member){.id = store_int(q, 0),
                            .unit_id = store_int(q, 1),
                            .role = col(a, q, 2),
                            .host = store_int(q, 3) != 0,
                            .joined = mt_day(store_text(q, 4)),
                            .left = mt_day(store_text(q, 5)),
                            .note = col(a, q, 6),
                            .updated_at = store_int(q, 7)};
}

enum err mt_store_members(struct store *db, struct arena *a, struct mt_member **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT " MEMBER_COLUMNS
                " FROM meeting_members ORDER BY CASE WHEN role = 'convener' THEN 0 ELSE 1 END,"
                " joined_on, id",
                "");
    size_t cap = 0;
    while (store_row(q))
        member_row(q, a, PUSH(a, *out, *n, cap));
    store_done(q);
    return store_err(db);
}

enum err mt_store_member(struct store *db, long long id, struct arena *a, struct mt_member *out)
{
    struct store_stmt *q =
        store_q(db, "SELECT " MEMBER_COLUMNS " FROM meeting_members WHERE id = ?", "i", id);
    bool found = store_row(q);
    if (found) member_row(q, a, out);
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err mt_store_member_count(struct store *db, long long *n)
{
    struct store_stmt *q = store_q(db, "SELECT COUNT(*) FROM meeting_members", "");
    *n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err mt_store_member_open(struct store *db, long long unit_id, const char *on, long long *id)
{
    struct store_stmt *q = store_q(
        db, "SELECT id FROM meeting_members WHERE unit_id = ? AND (left_on IS NULL OR left_on > ?)",
        "it", unit_id, on);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err mt_store_host_member(struct store *db, long long except_id, long long *id)
{
    struct store_stmt *q = store_q(
        db, "SELECT id FROM meeting_members WHERE is_host = 1 AND left_on IS NULL AND id <> ?", "i",
        except_id);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err mt_store_member_add(struct store *db, long long unit_id, const char *role, bool host,
                             const char *joined, const char *note, long long now, long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO meeting_members(unit_id, role, is_host, joined_on, "
                "note, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?) RETURNING id",
                "itittii", unit_id, role, (long long)host, joined, note ? note : "", now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err mt_store_member_edit(struct store *db, long long id, const char *role, bool host,
                              const char *left, bool clear_left, const char *note, long long now)
{
    return store_do(
        db,
        "UPDATE meeting_members SET role = ?, is_host = ?,"
        " left_on = CASE WHEN ? = 1 THEN NULL WHEN CAST(? AS TEXT) IS NULL THEN left_on ELSE ? END,"
        " note = COALESCE(?, note), updated_at = ? WHERE id = ?",
        "tiitttii", role, (long long)host, (long long)clear_left, left, left, note, now, id);
}

/* ---- meetings ---- */

enum err mt_store_meeting_add(struct store *db, const struct mt_meeting_in *in,
                              const struct mt_actor *by, long long now, long long *id)
{
    char *guests = in->guests ? json_dumps(in->guests, JSON_COMPACT) : NULL;
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO meetings(kind, title, meeting_date, place, level, guests, notes,"
                " countersign_days, stage, created_by, created_by_name, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,'planned',?,?,?,?) RETURNING id",
                "ttttttti"
                "Itii",
                mt_kind_name(in->kind), in->title, in->date, in->place ? in->place : "",
                mt_level_name(in->level), guests ? guests : "[]", in->notes ? in->notes : "",
                (long long)(in->countersign_days > 0 ? in->countersign_days : MT_COUNTERSIGN_DAYS),
                by->user_id, by->name, now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    free(guests);
    return store_err(db);
}

enum err mt_store_meeting_edit(struct store *db, long long id, const struct mt_meeting_in *in,
                               unsigned fields, long long now)
{
    char *guests =
        (fields & MT_F_GUESTS) && in->guests ? json_dumps(in->guests, JSON_COMPACT) : NULL;
    long long cs = (fields & MT_F_CSDAYS) ? in->countersign_days : 0;
    enum err e = store_do(
        db,
        "UPDATE meetings SET title = COALESCE(?, title), meeting_date = COALESCE(?, meeting_date),"
        " place = COALESCE(?, place), level = COALESCE(?, level), guests = COALESCE(?, guests),"
        " notes = COALESCE(?, notes), countersign_days = CASE WHEN ? > 0 THEN ? ELSE "
        "countersign_days END,"
        " updated_at = ? WHERE id = ?",
        "tttttt"
        "iiii",
        (fields & MT_F_TITLE) ? in->title : NULL, (fields & MT_F_DATE) ? in->date : NULL,
        (fields & MT_F_PLACE) ? (in->place ? in->place : "") : NULL,
        (fields & MT_F_LEVEL) ? mt_level_name(in->level) : NULL, guests,
        (fields & MT_F_NOTES) ? (in->notes ? in->notes : "") : NULL, cs, cs, now, id);
    free(guests);
    return e;
}

bool mt_meeting_exists(struct store *db, long long id)
{
    struct store_stmt *q = store_q(db, "SELECT 1 FROM meetings WHERE id = ?", "i", id);
    bool ok = store_row(q);
    store_done(q);
    return ok;
}

/* The meetings list's filter (after the id cursor): dates of the year, kind, stage, a keyword
 * in the title or the place (store_like, matched literally). */
#define MEETINGS_WHERE                                                                             \
    " AND meeting_date >= ? AND meeting_date <= ?"                                                 \
    " AND (CAST(? AS TEXT) IS NULL OR kind = ?) AND (CAST(? AS TEXT) IS NULL OR stage = ?)"        \
    " AND (CAST(? AS TEXT) IS NULL OR LOWER(title) LIKE LOWER(?) ESCAPE '!'"                       \
    " OR LOWER(place) LIKE LOWER(?) ESCAPE '!')"

enum err mt_meeting_list(struct store *db, const struct mt_meeting_filter *f, long long after,
                         long long limit, struct arena *a, struct mt_meeting_row **out, size_t *n,
                         long long *total)
{
    *out = NULL;
    *n = 0;
    char from[11] = "0000-00-00", to[11] = "9999-12-31";
    if (f->year > 0) {
        date_format(date_from_ymd(f->year, 1, 1), from);
        date_format(date_from_ymd(f->year, 12, 31), to);
    }
    char *like = store_like(f->search, true);
    struct store_stmt *q = store_q(
        db,
        "SELECT id, kind, title, meeting_date, place, level, stage, notice_date, agenda_date,"
        " held_date, minutes_date, issued_date, minutes_version, report_id"
        " FROM meetings WHERE (CAST(? AS BIGINT) = 0 OR id < ?)" MEETINGS_WHERE
        " ORDER BY id DESC LIMIT ?",
        "iittttttttti", after, after, from, to, f->kind, f->kind, f->stage, f->stage, like, like,
        like, limit);
    size_t cap = 0;
    while (store_row(q)) {
        struct mt_meeting_row *r = PUSH(a, *out, *n, cap);
        *r = (struct mt_meeting_row){.id = store_int(q, 0),
                                     .title = col(a, q, 2),
                                     .meeting = mt_day(store_text(q, 3)),
                                     .place = col(a, q, 4),
                                     .notice = mt_day(store_text(q, 7)),
                                     .agenda = mt_day(store_text(q, 8)),
                                     .held = mt_day(store_text(q, 9)),
                                     .minutes = mt_day(store_text(q, 10)),
                                     .issued = mt_day(store_text(q, 11)),
                                     .version = (int)store_int(q, 12),
                                     .report_id = store_int(q, 13)};
        mt_kind_parse(store_text(q, 1), &r->kind);
        mt_level_parse(store_text(q, 5), &r->level);
        mt_stage_parse(store_text(q, 6), &r->stage);
    }
    store_done(q);
    q = store_q(db, "SELECT COUNT(*) FROM meetings WHERE 1 = 1" MEETINGS_WHERE, "ttttttttt", from,
                to, f->kind, f->kind, f->stage, f->stage, like, like, like);
    *total = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    free(like);
    return store_err(db);
}

/* ---- history, numbers ---- */

enum err mt_history(struct store *db, long long id, const struct mt_actor *by, long long now,
                    int on, const char *action, long long unit_id, bool late, const char *note)
{
    char d[11];
    date_format(on == MT_NONE ? date_today_shanghai(now) : on, d);
    return store_do(db,
                    "INSERT INTO meeting_history(meeting_id, at, on_date, user_id, user_name, "
                    "action, unit_id, late, note)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    "iit"
                    "Itt"
                    "Iit",
                    id, now, d, by->user_id, by->name ? by->name : "系统", action, unit_id,
                    (long long)late, note);
}

enum err mt_doc_seq_next(struct store *db, int year, long long *seq)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO meeting_doc_seq(year, last) VALUES (?, 1) ON CONFLICT (year)"
                " DO UPDATE SET last = meeting_doc_seq.last + 1 RETURNING last",
                "i", (long long)year);
    *seq = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *seq > 0 ? OK : ERR_INTERNAL;
}

/* ---- topic files ---- */

long long mt_topic_unit(struct store *db, long long id, long long topic_id)
{
    struct store_stmt *q =
        store_q(db, "SELECT unit_id FROM meeting_topics WHERE id = ? AND meeting_id = ?", "ii",
                topic_id, id);
    long long u = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return u;
}

enum err mt_store_topic_files(struct store *db, long long topic_id, const char *name,
                              long long *count, long long *same)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*), SUM(CASE WHEN name = ? THEN 1 ELSE 0 END)"
                                   " FROM meeting_topic_files WHERE topic_id = ?",
                                   "ti", name, topic_id);
    *count = *same = 0;
    if (store_row(q)) {
        *count = store_int(q, 0);
        *same = store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err mt_store_topic_file_set(struct store *db, long long topic_id, const char *name,
                                 const char *hash, const char *type, size_t len,
                                 const char *by_name, long long now)
{
    return store_do(db,
                    "INSERT INTO meeting_topic_files(topic_id, name, file_hash, content_type, "
                    "size, added_by_name, added_at)"
                    " VALUES (?,?,?,?,?,?,?) ON CONFLICT (topic_id, name) DO UPDATE SET file_hash "
                    "= excluded.file_hash,"
                    " content_type = excluded.content_type, size = excluded.size,"
                    " added_by_name = excluded.added_by_name, added_at = excluded.added_at",
                    "itttiti", topic_id, name, hash, type, (long long)len, by_name, now);
}

enum err mt_store_topic_file_hash(struct store *db, long long id, long long topic_id,
                                  const char *name, char hash[65])
{
    struct store_stmt *q = store_q(
        db,
        "SELECT f.file_hash FROM meeting_topic_files f JOIN meeting_topics t ON t.id = f.topic_id"
        " WHERE f.topic_id = ? AND f.name = ? AND t.meeting_id = ?",
        "iti", topic_id, name, id);
    hash[0] = '\0';
    if (store_row(q)) snprintf(hash, 65, "%s", store_text(q, 0));
    store_done(q);
    return store_err(db);
}

enum err mt_store_followup_update(struct store *db, long long id, enum mt_fu_status to,
                                  const char *progress, bool done, const char *on,
                                  const char *by_name, long long now)
{
    return store_do(db,
                    "UPDATE meeting_followups SET status = ?, progress = COALESCE(?, progress),"
                    " done_date = CASE WHEN ? = 1 THEN COALESCE(CASE WHEN status = 'done' THEN "
                    "done_date END, ?)"
                    " ELSE NULL END, updated_by_name = ?, updated_at = ? WHERE id = ?",
                    "ttittii", mt_fu_status_name(to), progress, (long long)done, on, by_name, now,
                    id);
}

/* ---- the steps ---- */

/* A guarded write: ERR_CONFLICT when it changed no row. */
static enum err changed_one(struct store *db, enum err e)
{
    return e == OK && store_changes(db) != 1 ? ERR_CONFLICT : e;
}

enum err mt_store_notice(struct store *db, long long id, int on, const char *body,
                         const char *late_reason, const char *by_name, long long now)
{
    char d[11];
    return changed_one(
        db, store_do(db,
                     "UPDATE meetings SET stage = 'notified', notice_date = ?, notice_body = ?, "
                     "notice_late_reason = ?,"
                     " notice_by_name = ?, updated_at = ? WHERE id = ? AND stage = 'planned'",
                     "ttttii", mt_fmt(on, d), body, late_reason, by_name, now, id));
}

enum err mt_store_unit_add(struct store *db, long long id, const struct mt_unit *u, int on)
{
    char d[11];
    return store_do(db,
                    "INSERT INTO meeting_units(meeting_id, unit_id, role, is_host, received_date) "
                    "VALUES (?,?,?,?,?)",
                    "iitit", id, u->unit.id, u->convener ? "convener" : "member",
                    (long long)u->host, mt_fmt(on, d));
}

enum err mt_store_receipt(struct store *db, long long id, long long unit_id, int on,
                          const char *by_name, const char *late_reason, bool no_topics)
{
    char d[11];
    mt_fmt(on, d);
    return store_do(db,
                    "UPDATE meeting_units SET confirmed_date = COALESCE(confirmed_date, ?),"
                    " confirmed_by_name = COALESCE(confirmed_by_name, ?),"
                    " confirmed_late_reason = COALESCE(confirmed_late_reason, ?),"
                    " topics_date = CASE WHEN ? = 1 THEN ? ELSE topics_date END,"
                    " no_topics = CASE WHEN ? = 1 THEN 1 ELSE no_topics END"
                    " WHERE meeting_id = ? AND unit_id = ?",
                    "tttitiii", d, by_name, late_reason, (long long)no_topics, d,
                    (long long)no_topics, id, unit_id);
}

enum err mt_store_topic_add(struct store *db, long long id, long long unit_id,
                            const struct mt_topic_in *t, int on, const struct mt_actor *by,
                            bool late, const char *late_reason, long long now, long long *topic_id)
{
    char d[11];
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO meeting_topics(meeting_id, unit_id, category, title, background,"
        " decision_requested, submitted_date, submitted_at, submitted_by, submitted_by_name,"
        " late, late_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "iiitttti"
        "Itit",
        id, unit_id, (long long)t->category, t->title, t->background, t->decision_requested,
        mt_fmt(on, d), now, by->user_id, by->name, (long long)late, late_reason);
    *topic_id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err mt_store_topic_reply(struct store *db, long long id, long long unit_id, int on,
                              const char *by_name, const char *late_reason)
{
    char d[11];
    mt_fmt(on, d);
    return store_do(db,
                    "UPDATE meeting_units SET topics_date = COALESCE(topics_date, ?), "
                    "confirmed_date = COALESCE(confirmed_date, ?),"
                    " confirmed_by_name = COALESCE(confirmed_by_name, ?),"
                    " confirmed_late_reason = CASE WHEN confirmed_date IS NULL THEN ? ELSE "
                    "confirmed_late_reason END"
                    " WHERE meeting_id = ? AND unit_id = ?",
                    "ttttii", d, d, by_name, late_reason, id, unit_id);
}

enum err mt_store_topic_select(struct store *db, long long topic_id, enum mt_selection sel,
                               long long into, const char *reason, int on, const char *by_name)
{
    char d[11];
    return store_do(db,
                    "UPDATE meeting_topics SET selection = ?, merged_into = ?, selection_reason = "
                    "?, selection_date = ?,"
                    " selection_by_name = ? WHERE id = ?",
                    "tIttti", mt_selection_name(sel), sel == MT_SEL_MERGED ? into : 0LL, reason,
                    mt_fmt(on, d), by_name, topic_id);
}

enum err mt_store_topic_order(struct store *db, long long topic_id, long long pos)
{
    return store_do(db, "UPDATE meeting_topics SET agenda_order = ? WHERE id = ?", "ii", pos,
                    topic_id);
}

enum err mt_store_agenda(struct store *db, long long id, int on, const char *late_reason,
                         const char *by_name, long long now)
{
    char d[11];
    return changed_one(db, store_do(db,
                                    "UPDATE meetings SET stage = 'agenda_sent', agenda_date = ?, "
                                    "agenda_late_reason = ?, agenda_by_name = ?,"
                                    " updated_at = ? WHERE id = ? AND stage = 'notified'",
                                    "tttii", mt_fmt(on, d), late_reason, by_name, now, id));
}

enum err mt_store_attendee_add(struct store *db, long long id, const struct mt_attendee *a)
{
    return store_do(db,
                    "INSERT INTO meeting_attendance(meeting_id, unit_id, unit_name, person, post, "
                    "att_rank, guest)"
                    " VALUES (?,?,?,?,?,?,?)",
                    "iItttti", id, a->unit.id, a->unit_name, a->person, a->post ? a->post : "",
                    mt_rank_name(a->rank), (long long)a->guest);
}

enum err mt_store_topic_decision(struct store *db, long long topic_id, const char *decision)
{
    return store_do(db, "UPDATE meeting_topics SET decision = ? WHERE id = ?", "ti", decision,
                    topic_id);
}

enum err mt_store_held(struct store *db, long long id, int on, const char *by_name, long long now)
{
    char d[11];
    return changed_one(db, store_do(db,
                                    "UPDATE meetings SET stage = 'held', held_date = ?, "
                                    "held_by_name = ?, updated_at = ?"
                                    " WHERE id = ? AND stage = 'agenda_sent'",
                                    "ttii", mt_fmt(on, d), by_name, now, id));
}

enum err mt_store_report_id(struct store *db, long long id, long long report_id)
{
    return store_do(db, "UPDATE meetings SET report_id = ?, report_note = NULL WHERE id = ?", "ii",
                    report_id, id);
}

enum err mt_store_report_note(struct store *db, long long id, const char *note)
{
    return store_do(db, "UPDATE meetings SET report_note = ? WHERE id = ?", "ti", note, id);
}

/* The decisions as stored: [{"seq","text","unit_id","due","topic_id"}] (compact JSON text). */
static char *decisions_text(const struct mt_decision *d, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char due[11];
        json_t *o = json_pack("{s:i,s:s,s:I,s:s}", "seq", d[i].seq, "text", d[i].text, "unit_id",
                              (json_int_t)d[i].unit.id, "due", mt_fmt(d[i].due, due));
        json_object_set_new(o, "topic_id",
                            d[i].topic_id ? json_integer(d[i].topic_id) : json_null());
        json_array_append_new(a, o);
    }
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

enum err mt_store_minutes_add(struct store *db, long long id, int version, const char *body,
                              const struct mt_decision *d, size_t n, int on, const char *by_name,
                              long long now)
{
    char day[11], *dj = decisions_text(d, n);
    enum err e = store_do(db,
                          "INSERT INTO meeting_minutes(meeting_id, version, body, decisions, "
                          "drafted_date, drafted_at, drafted_by_name)"
                          " VALUES (?,?,?,?,?,?,?)",
                          "iitttit", id, (long long)version, body, dj ? dj : "[]", mt_fmt(on, day),
                          now, by_name);
    free(dj);
    return e;
}

enum err mt_store_minutes_version(struct store *db, long long id, int version, int from, int on,
                                  const char *late_reason, long long now)
{
    char d[11];
    return changed_one(
        db, store_do(db,
                     "UPDATE meetings SET stage = 'minutes', minutes_version = ?, change_requested "
                     "= 0,"
                     " minutes_date = COALESCE(minutes_date, ?),"
                     " minutes_late_reason = CASE WHEN minutes_date IS NULL THEN ? ELSE "
                     "minutes_late_reason END,"
                     " updated_at = ? WHERE id = ? AND minutes_version = ?",
                     "ittiii", (long long)version, mt_fmt(on, d), late_reason, now, id,
                     (long long)from));
}

enum err mt_store_sign(struct store *db, long long id, int version, long long unit_id, bool change,
                       const char *comment, int on, const char *by_name, const char *late_reason,
                       long long now)
{
    char d[11];
    return store_do(db,
                    "INSERT INTO meeting_countersigns(meeting_id, version, unit_id, action, "
                    "comment, on_date, at, by_name,"
                    " late_reason) VALUES (?,?,?,?,?,?,?,?,?)",
                    "iiitttitt", id, (long long)version, unit_id, change ? "change" : "sign",
                    comment, mt_fmt(on, d), now, by_name, late_reason);
}

enum err mt_store_change_requested(struct store *db, long long id, long long now)
{
    return store_do(db, "UPDATE meetings SET change_requested = 1, updated_at = ? WHERE id = ?",
                    "ii", now, id);
}

enum err mt_store_issued(struct store *db, long long id, int on, const char *by_name, long long now)
{
    char d[11];
    return changed_one(db, store_do(db,
                                    "UPDATE meetings SET stage = 'issued', issued_date = ?, "
                                    "issued_by_name = ?, updated_at = ?"
                                    " WHERE id = ? AND stage = 'minutes'",
                                    "ttii", mt_fmt(on, d), by_name, now, id));
}

enum err mt_store_followup_add(struct store *db, long long id, const struct mt_decision *d,
                               long long now, long long *followup_id)
{
    char due[11];
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO meeting_followups(meeting_id, seq, topic_id, text, "
                                   "unit_id, due_date, created_at, updated_at)"
                                   " VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                                   "iiItitii", id, (long long)d->seq, d->topic_id, d->text,
                                   d->unit.id, mt_fmt(d->due, due), now, now);
    *followup_id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

/* ---- documents ---- */

enum err mt_store_document_no(struct store *db, long long id, enum mt_doc_kind kind,
                              char doc_no[64])
{
    struct store_stmt *q =
        store_q(db, "SELECT doc_no FROM meeting_documents WHERE meeting_id = ? AND kind = ?", "it",
                id, mt_doc_kind_name(kind));
    doc_no[0] = '\0';
    if (store_row(q)) snprintf(doc_no, 64, "%s", store_text(q, 0));
    store_done(q);
    return store_err(db);
}

enum err mt_store_document_file(struct store *db, long long id, enum mt_doc_kind kind, bool pdf,
                                char hash[65], char doc_no[64])
{
    struct store_stmt *q = store_q(db,
                                   "SELECT html_hash, pdf_hash, doc_no FROM meeting_documents "
                                   "WHERE meeting_id = ? AND kind = ?",
                                   "it", id, mt_doc_kind_name(kind));
    hash[0] = doc_no[0] = '\0';
    if (store_row(q)) {
        snprintf(hash, 65, "%s", store_text(q, pdf ? 1 : 0));
        snprintf(doc_no, 64, "%s", store_text(q, 2));
    }
    store_done(q);
    return store_err(db);
}

enum err mt_store_document_add(struct store *db, long long id, const struct mt_issued *d, int year,
                               long long seq, long long now)
{
    char date[11];
    return store_do(db,
                    "INSERT INTO meeting_documents(meeting_id, kind, doc_year, doc_seq, doc_no, "
                    "title, issued_date,"
                    " html_hash, html_size, pdf_hash, pdf_size, created_at) VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?,?)",
                    "itiittttitii", id, mt_doc_kind_name(d->kind), (long long)year, seq, d->doc_no,
                    d->title, mt_fmt(d->issued, date), d->html_hash, d->html_size, d->pdf_hash,
                    d->pdf_size, now);
}

enum err mt_store_open_meetings(struct store *db, long long **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    struct store_stmt *q =
        store_q(db, "SELECT id FROM meetings WHERE stage <> 'issued' ORDER BY id", "");
    while (store_row(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            long long *t = realloc(*ids, cap * sizeof *t);
            if (!t) abort();
            *ids = t;
        }
        (*ids)[(*n)++] = store_int(q, 0);
    }
    store_done(q);
    return store_err(db);
}
