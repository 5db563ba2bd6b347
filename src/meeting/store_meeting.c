/* store_meeting.c - the SQL of the meeting area (meeting.h, meeting_store.h): the holiday
 * calendar (load, one year as JSON, replace a year, the embedded data at init), member units
 * with join and leave dates, a meeting's stored state and its member units with their replies,
 * meetings created, edited and listed, content-addressed files, document numbers, follow-ups,
 * and history rows. Units are read through the org area's unit_json(), never its table.
 * Writes run inside the caller's transaction. Tables: migration 0007_meeting. */
#include "meeting/meeting_store.h"
#include "base/date.h"
#include "base/embedded.h"
#include "base/jw.h"
#include "org/units.h"
#include "store/files.h"
#include "supervise/inbox.h"
#include <stdarg.h>
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

/* ---- unit labels ---- */

struct mt_names {
    long long id;
    json_t *u;
    struct mt_names *next;
};

static json_t *unit_of(struct mt_names **c, struct store *db, long long id)
{
    for (struct mt_names *n = *c; n; n = n->next)
        if (n->id == id) return n->u;
    struct mt_names *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->id = id;
    n->u = id > 0 ? unit_json(db, id) : NULL;
    n->next = *c;
    *c = n;
    return n->u;
}

const char *mt_unit_name(struct mt_names **c, struct store *db, long long id)
{
    const char *s = json_string_value(json_object_get(unit_of(c, db, id), "name"));
    return s ? s : "";
}

const char *mt_unit_short(struct mt_names **c, struct store *db, long long id)
{
    json_t *u = unit_of(c, db, id);
    const char *s = json_string_value(json_object_get(u, "short_name"));
    if (!s || !*s) s = json_string_value(json_object_get(u, "name"));
    return s ? s : "";
}

void mt_names_free(struct mt_names *c)
{
    while (c) {
        struct mt_names *n = c->next;
        json_decref(c->u);
        free(c);
        c = n;
    }
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

/* Writes the year's days: holidays grouped into ranges of consecutive days of one name. */
static json_t *year_days(struct store *db, int year, json_t **workdays)
{
    json_t *hol = json_array();
    *workdays = json_array();
    struct store_stmt *q =
        store_q(db, "SELECT day, kind, name FROM calendar_days WHERE year = ? ORDER BY day", "i",
                (long long)year);
    json_t *cur = NULL;
    int last = MT_NONE;
    while (store_row(q)) {
        const char *day = store_text(q, 0), *kind = store_text(q, 1), *name = store_text(q, 2);
        int d = mt_day(day);
        if (strcmp(kind, "workday") == 0) {
            json_array_append_new(*workdays,
                                  json_pack("{s:s,s:s,s:s}", "date", day, "name", name, "weekday",
                                            date_weekday(d) == 5 ? "星期六" : "星期日"));
            continue;
        }
        const char *cname = cur ? json_string_value(json_object_get(cur, "name")) : NULL;
        if (cur && d == last + 1 && cname && strcmp(cname, name) == 0) {
            json_object_set_new(cur, "to", json_string(day));
            json_object_set_new(cur, "days",
                                json_integer(json_integer_value(json_object_get(cur, "days")) + 1));
        } else {
            cur = json_pack("{s:s,s:s,s:s,s:i}", "name", name, "from", day, "to", day, "days", 1);
            json_array_append_new(hol, cur);
        }
        last = d;
    }
    store_done(q);
    return hol;
}

json_t *mt_calendar_year_json(struct store *db, int year)
{
    struct store_stmt *q =
        store_q(db, "SELECT title, doc_no, source, updated_at FROM calendar_years WHERE year = ?",
                "i", (long long)year);
    json_t *o = NULL;
    if (store_row(q)) {
        o = json_pack("{s:i,s:s,s:s?,s:s,s:s,s:I}", "year", year, "title", store_text(q, 0),
                      "doc_no", store_text(q, 1), "source", store_text(q, 2), "source_label",
                      mt_calendar_source_label(store_text(q, 2)), "updated_at",
                      (json_int_t)store_int(q, 3));
    }
    store_done(q);
    if (!o) return NULL;
    json_t *wd;
    json_object_set_new(o, "holidays", year_days(db, year, &wd));
    json_object_set_new(o, "workdays", wd);
    if (store_err(db)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *mt_calendar_years_json(struct store *db)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(
        db,
        "SELECT y.year, y.title, y.doc_no, y.source, y.updated_at,"
        " (SELECT COUNT(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'holiday'),"
        " (SELECT COUNT(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'workday')"
        " FROM calendar_years y ORDER BY y.year",
        "");
    while (store_row(q))
        json_array_append_new(a, json_pack("{s:I,s:s,s:s?,s:s,s:I,s:I,s:I}", "year",
                                           (json_int_t)store_int(q, 0), "title", store_text(q, 1),
                                           "doc_no", store_text(q, 2), "source", store_text(q, 3),
                                           "updated_at", (json_int_t)store_int(q, 4),
                                           "holiday_days", (json_int_t)store_int(q, 5), "workdays",
                                           (json_int_t)store_int(q, 6)));
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static enum err insert_year(struct store *db, const struct mt_year *y, const char *source,
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

enum err mt_calendar_put(struct store *db, const struct mt_year *y, const struct mt_actor *by,
                         long long now, struct problem *p)
{
    for (size_t i = 0; i < y->ndays; i++) {
        char d[11];
        date_format(y->days[i].day, d);
        struct store_stmt *q =
            store_q(db, "SELECT year FROM calendar_days WHERE day = ? AND year <> ?", "ti", d,
                    (long long)y->year);
        long long other = store_row(q) ? store_int(q, 0) : 0;
        store_done(q);
        if (store_err(db)) return store_err(db);
        if (other)
            return problem_set(p, ERR_CONFLICT, "holidays",
                               "日期 %s 已属于 %lld 年的节假日安排，不能同时列入 %d 年", d, other,
                               y->year);
    }
    return insert_year(db, y, "office", by->user_id, now, false);
}

/* The member units named by 附件2 第二条, in its order; the role and the host come from the
 * units' own data (units.json: joint_meeting, host). */
static const char *const founding_members[] = {"市委宣传部", "市文明办", "市生态环境局", "市教委",
                                               "市民政局",   "团市委",   "市妇联"};
#define FOUNDED "2021-06-30" /* 附件2 印发 (the plan's issue date) */

enum err meeting_load_embedded(struct store *db, long long now, int *years_added,
                               int *members_added, char *why, size_t whylen)
{
    *years_added = *members_added = 0;
    const char *text = embedded_find(embedded_data, "holidays.json");
    if (!text) {
        snprintf(why, whylen, "holidays.json is not embedded in this binary");
        return ERR_INTERNAL;
    }
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    json_t *years = json_object_get(root, "years");
    if (!json_is_array(years)) {
        snprintf(why, whylen, "holidays.json: %s", root ? "no years array" : je.text);
        json_decref(root);
        return ERR_INTERNAL;
    }
    enum err e = OK;
    struct mt_year *y = malloc(sizeof *y);
    if (!y) abort();
    size_t i;
    json_t *yo;
    json_array_foreach(years, i, yo)
    {
        int year = (int)json_integer_value(json_object_get(yo, "year"));
        struct problem p;
        if (!mt_year_parse(yo, year, y, &p)) {
            snprintf(why, whylen, "holidays.json year %d: %s %s", year, p.field, p.msg);
            e = ERR_INTERNAL;
            break;
        }
        struct store_stmt *q =
            store_q(db, "SELECT 1 FROM calendar_years WHERE year = ?", "i", (long long)year);
        bool have = store_row(q);
        store_done(q);
        if ((e = store_err(db)) != OK) break;
        if (have) continue;
        if ((e = insert_year(db, y, "embedded", 0, now, true)) != OK) break;
        (*years_added)++;
    }
    free(y);
    json_decref(root);
    if (e != OK) {
        if (!why[0]) snprintf(why, whylen, "calendar: %s", store_errmsg(db));
        return e;
    }

    struct store_stmt *q = store_q(db, "SELECT COUNT(*) FROM meeting_members", "");
    long long n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if ((e = store_err(db)) != OK || n > 0) return e;
    for (size_t k = 0; k < sizeof founding_members / sizeof *founding_members && e == OK; k++) {
        long long id = unit_find(db, founding_members[k]);
        json_t *u = id ? unit_json(db, id) : NULL;
        if (!u) continue; /* a database whose units were renamed: the office adds them */
        const char *jm = json_string_value(json_object_get(u, "joint_meeting"));
        bool host = json_is_true(json_object_get(u, "is_host"));
        e = store_do(db,
                     "INSERT INTO meeting_members(unit_id, role, is_host, joined_on, note, "
                     "created_at, updated_at)"
                     " VALUES (?,?,?,?,?,?,?)",
                     "itittii", id, jm && strcmp(jm, "convener") == 0 ? "convener" : "member",
                     (long long)host, FOUNDED, "附件2第二条所列成员单位", now, now);
        json_decref(u);
        if (e == OK) (*members_added)++;
    }
    if (e != OK) snprintf(why, whylen, "members: %s", store_errmsg(db));
    return e;
}

/* ---- members ---- */

static json_t *unit_brief(struct mt_names **c, struct store *db, long long id)
{
    json_t *u = unit_of(c, db, id);
    if (!u) return json_pack("{s:I}", "id", (json_int_t)id);
    return json_pack("{s:I,s:O,s:O,s:O}", "id", (json_int_t)id, "key", json_object_get(u, "key"),
                     "name", json_object_get(u, "name"), "short_name",
                     json_object_get(u, "short_name"));
}

json_t *mt_members_json(struct store *db, int asof)
{
    struct mt_names *names = NULL;
    json_t *a = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT id, unit_id, role, is_host, joined_on, left_on, note, updated_at"
                " FROM meeting_members ORDER BY CASE WHEN role = 'convener' THEN 0 ELSE 1 END,"
                " joined_on, id",
                "");
    while (store_row(q)) {
        int joined = mt_day(store_text(q, 4)), left = mt_day(store_text(q, 5));
        bool active = joined <= asof && (left == MT_NONE || asof < left);
        const char *role = store_text(q, 2);
        json_array_append_new(
            a, json_pack("{s:I,s:o,s:s,s:s,s:b,s:s,s:s?,s:b,s:s,s:I}", "id",
                         (json_int_t)store_int(q, 0), "unit",
                         unit_brief(&names, db, store_int(q, 1)), "role", role, "role_label",
                         mt_member_role_label(role), "host", store_int(q, 3) != 0, "joined_on",
                         store_text(q, 4), "left_on", store_text(q, 5), "active", active, "note",
                         store_text(q, 6), "updated_at", (json_int_t)store_int(q, 7)));
    }
    store_done(q);
    mt_names_free(names);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err mt_members_at(struct store *db, int day, struct mt_unit **out, size_t *n)
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
            if ((*out)[i].unit_id == uid) dup = true;
        if (dup) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct mt_unit *t = realloc(*out, cap * sizeof *t);
            if (!t) abort();
            *out = t;
        }
        (*out)[(*n)++] = (struct mt_unit){.unit_id = uid,
                                          .convener = strcmp(store_text(q, 1), "convener") == 0,
                                          .host = store_int(q, 2) != 0,
                                          .received = MT_NONE,
                                          .confirmed = MT_NONE,
                                          .topics = MT_NONE,
                                          .signed_on = MT_NONE};
    }
    store_done(q);
    return store_err(db);
}

long long mt_host_at(struct store *db, int day)
{
    struct mt_unit *u;
    size_t n;
    long long host = 0;
    if (mt_members_at(db, day, &u, &n) == OK)
        for (size_t i = 0; i < n; i++)
            if (u[i].host) host = u[i].unit_id;
    free(u);
    return host;
}

/* Whether the unit can be a member: exists, active, not a named group. */
static bool unit_usable(struct store *db, long long unit_id, struct problem *p)
{
    json_t *u = unit_id > 0 ? unit_json(db, unit_id) : NULL;
    if (!u) {
        problem_set(p, ERR_RULE, "unit", "单位不存在");
        return false;
    }
    const char *tier = json_string_value(json_object_get(u, "tier"));
    bool ok = true;
    if (tier && strcmp(tier, "group") == 0) {
        problem_set(p, ERR_RULE, "unit", "“%s”是泛指的单位组，不能作为成员单位",
                    json_string_value(json_object_get(u, "name")));
        ok = false;
    } else if (!json_is_true(json_object_get(u, "active"))) {
        problem_set(p, ERR_RULE, "unit", "单位“%s”已停用",
                    json_string_value(json_object_get(u, "name")));
        ok = false;
    }
    json_decref(u);
    return ok;
}

enum err mt_member_add(struct store *db, long long unit_id, const char *role, bool host,
                       const char *joined, const char *note, long long now, long long *id,
                       struct problem *p)
{
    if (!unit_usable(db, unit_id, p)) return store_err(db) ? store_err(db) : ERR_RULE;
    if (!mt_member_role_valid(role))
        return problem_set(p, ERR_RULE, "role",
                           "role 应为 convener（牵头单位）或 member（成员单位）");
    if (mt_day(joined) == MT_NONE)
        return problem_set(p, ERR_RULE, "joined_on", "加入日期应为 YYYY-MM-DD");
    struct store_stmt *q = store_q(
        db, "SELECT id FROM meeting_members WHERE unit_id = ? AND (left_on IS NULL OR left_on > ?)",
        "it", unit_id, joined);
    long long open = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (open)
        return problem_set(p, ERR_CONFLICT, "unit",
                           "该单位已是成员单位（记录 %lld）；如需调整请修改该记录", open);
    if (host) {
        q = store_q(db, "SELECT id FROM meeting_members WHERE is_host = 1 AND left_on IS NULL", "");
        long long other = store_row(q) ? store_int(q, 0) : 0;
        store_done(q);
        if (store_err(db)) return store_err(db);
        if (other)
            return problem_set(p, ERR_CONFLICT, "host",
                               "已有承办单位（记录 %lld）；承办单位只能有一个", other);
    }
    q = store_q(db,
                "INSERT INTO meeting_members(unit_id, role, is_host, joined_on, note, created_at, "
                "updated_at)"
                " VALUES (?,?,?,?,?,?,?) RETURNING id",
                "itittii", unit_id, role, (long long)host, joined, note ? note : "", now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err mt_member_update(struct store *db, long long id, const char *role, int host,
                          const char *left, bool clear_left, const char *note, long long now,
                          struct problem *p)
{
    struct store_stmt *q = store_q(
        db, "SELECT joined_on, role, is_host, left_on, unit_id FROM meeting_members WHERE id = ?",
        "i", id);
    if (!store_row(q)) {
        store_done(q);
        return store_err(db) ? store_err(db)
                             : problem_set(p, ERR_NOT_FOUND, "id", "成员记录不存在");
    }
    char joined[11], cur_role[12];
    snprintf(joined, sizeof joined, "%s", store_text(q, 0));
    snprintf(cur_role, sizeof cur_role, "%s", store_text(q, 1));
    bool cur_host = store_int(q, 2) != 0;
    store_done(q);
    if (role && !mt_member_role_valid(role))
        return problem_set(p, ERR_RULE, "role",
                           "role 应为 convener（牵头单位）或 member（成员单位）");
    if (left && (mt_day(left) == MT_NONE || strcmp(left, joined) <= 0))
        return problem_set(p, ERR_RULE, "left_on", "退出日期应为 YYYY-MM-DD，且晚于加入日期 %s",
                           joined);
    if (host == 1 && !cur_host) {
        q = store_q(
            db, "SELECT id FROM meeting_members WHERE is_host = 1 AND left_on IS NULL AND id <> ?",
            "i", id);
        long long other = store_row(q) ? store_int(q, 0) : 0;
        store_done(q);
        if (store_err(db)) return store_err(db);
        if (other)
            return problem_set(p, ERR_CONFLICT, "host",
                               "已有承办单位（记录 %lld）；承办单位只能有一个", other);
    }
    return store_do(
        db,
        "UPDATE meeting_members SET role = ?, is_host = ?,"
        " left_on = CASE WHEN ? = 1 THEN NULL WHEN CAST(? AS TEXT) IS NULL THEN left_on ELSE ? END,"
        " note = COALESCE(?, note), updated_at = ? WHERE id = ?",
        "tiitttii", role ? role : cur_role, (long long)(host < 0 ? cur_host : host),
        (long long)clear_left, left, left, note, now, id);
}

/* ---- a meeting's state and units ---- */

enum err mt_state_load(struct store *db, long long id, struct mt_state *st)
{
    memset(st, 0, sizeof *st);
    struct store_stmt *q =
        store_q(db,
                "SELECT kind, level, stage, title, place, meeting_date, notice_date, agenda_date,"
                " held_date, minutes_date, issued_date, minutes_version, change_requested,"
                " countersign_days, report_id FROM meetings WHERE id = ?",
                "i", id);
    bool found = store_row(q);
    if (found) {
        st->id = id;
        mt_kind_parse(store_text(q, 0), &st->kind);
        mt_level_parse(store_text(q, 1), &st->level);
        mt_stage_parse(store_text(q, 2), &st->stage);
        snprintf(st->title, sizeof st->title, "%s", store_text(q, 3));
        snprintf(st->place, sizeof st->place, "%s", store_text(q, 4));
        st->meeting = mt_day(store_text(q, 5));
        st->notice = mt_day(store_text(q, 6));
        st->agenda = mt_day(store_text(q, 7));
        st->held = mt_day(store_text(q, 8));
        st->minutes = mt_day(store_text(q, 9));
        st->issued = mt_day(store_text(q, 10));
        st->version = (int)store_int(q, 11);
        st->change_requested = store_int(q, 12) != 0;
        st->countersign_days = (int)store_int(q, 13);
        st->report_id = store_int(q, 14);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!found) return ERR_NOT_FOUND;
    st->drafted = MT_NONE;
    if (st->version > 0) {
        q = store_q(db,
                    "SELECT drafted_date FROM meeting_minutes WHERE meeting_id = ? AND version = ?",
                    "ii", id, (long long)st->version);
        if (store_row(q)) st->drafted = mt_day(store_text(q, 0));
        store_done(q);
    }
    return store_err(db);
}

enum err mt_units_load(struct store *db, const struct mt_state *st, int today, struct mt_unit **out,
                       size_t *n)
{
    if (st->notice == MT_NONE) return mt_members_at(db, today, out, n);
    *out = NULL;
    *n = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT unit_id, role, is_host, received_date, confirmed_date, topics_date,"
                " no_topics, confirmed_late_reason FROM meeting_units WHERE meeting_id = ?"
                " ORDER BY CASE WHEN role = 'convener' THEN 0 ELSE 1 END, unit_id",
                "i", st->id);
    size_t cap = 0;
    while (store_row(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct mt_unit *t = realloc(*out, cap * sizeof *t);
            if (!t) abort();
            *out = t;
        }
        (*out)[(*n)++] = (struct mt_unit){.unit_id = store_int(q, 0),
                                          .convener = strcmp(store_text(q, 1), "convener") == 0,
                                          .host = store_int(q, 2) != 0,
                                          .received = mt_day(store_text(q, 3)),
                                          .confirmed = mt_day(store_text(q, 4)),
                                          .topics = mt_day(store_text(q, 5)),
                                          .no_topics = store_int(q, 6) != 0,
                                          .late_confirm = !store_null(q, 7),
                                          .signed_on = MT_NONE};
    }
    store_done(q);
    q = store_q(
        db, "SELECT unit_id, COUNT(*) FROM meeting_topics WHERE meeting_id = ? GROUP BY unit_id",
        "i", st->id);
    while (store_row(q))
        for (size_t i = 0; i < *n; i++)
            if ((*out)[i].unit_id == store_int(q, 0)) (*out)[i].ntopics = store_int(q, 1);
    store_done(q);
    if (st->version > 0) {
        q = store_q(db,
                    "SELECT unit_id, action, on_date FROM meeting_countersigns WHERE meeting_id = "
                    "? AND version = ?",
                    "ii", st->id, (long long)st->version);
        while (store_row(q))
            for (size_t i = 0; i < *n; i++)
                if ((*out)[i].unit_id == store_int(q, 0)) {
                    if (strcmp(store_text(q, 1), "sign") == 0)
                        (*out)[i].signed_on = mt_day(store_text(q, 2));
                    else
                        (*out)[i].change = true;
                }
        store_done(q);
    }
    return store_err(db);
}

/* ---- meetings ---- */

static enum err check_meeting(struct store *db, const struct mt_meeting_in *in, unsigned fields,
                              struct problem *p)
{
    (void)db;
    if (fields & MT_F_TITLE) {
        size_t n = mt_utf8_chars(in->title);
        if (n == 0 || n > MT_TITLE_MAX)
            return problem_set(p, ERR_RULE, "title", "会议名称应为 1 到 %d 个字", MT_TITLE_MAX);
    }
    if (fields & MT_F_DATE) {
        int d = mt_day(in->date);
        if (d == MT_NONE) return problem_set(p, ERR_RULE, "date", "会议日期应为 YYYY-MM-DD");
        if (d < date_from_ymd(2021, 6, 30) || d > date_from_ymd(2100, 12, 31))
            return problem_set(p, ERR_RULE, "date",
                               "会议日期应在 2021-06-30（联席会议制度印发）之后");
    }
    if ((fields & MT_F_PLACE) && in->place && mt_utf8_chars(in->place) > MT_PLACE_MAX)
        return problem_set(p, ERR_RULE, "place", "会议地点最多 %d 个字", MT_PLACE_MAX);
    if ((fields & MT_F_NOTES) && in->notes && mt_utf8_chars(in->notes) > MT_TEXT_MAX)
        return problem_set(p, ERR_RULE, "notes", "其他事项最多 %d 个字", MT_TEXT_MAX);
    if ((fields & MT_F_CSDAYS) &&
        (in->countersign_days < 1 || in->countersign_days > MT_COUNTERSIGN_MAX))
        return problem_set(p, ERR_RULE, "countersign_days", "会签期限应为 1 到 %d 日",
                           MT_COUNTERSIGN_MAX);
    if ((fields & MT_F_GUESTS) && in->guests) {
        if (json_array_size(in->guests) > MT_MAX_GUESTS)
            return problem_set(p, ERR_RULE, "guests", "邀请单位最多 %d 个", MT_MAX_GUESTS);
        size_t i;
        json_t *g;
        json_array_foreach(in->guests, i, g)
        {
            size_t n = mt_utf8_chars(json_string_value(g));
            if (n == 0 || n > MT_NAME_MAX)
                return problem_set(p, ERR_RULE, "guests", "邀请单位名称应为 1 到 %d 个字",
                                   MT_NAME_MAX);
        }
    }
    return OK;
}

enum err mt_meeting_create(struct store *db, const struct mt_meeting_in *in,
                           const struct mt_actor *by, long long now, long long *id,
                           struct problem *p)
{
    enum err e = check_meeting(db, in, ~0u, p);
    if (e != OK) return e;
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
    if ((e = store_err(db)) != OK) return e;
    return mt_history(db, *id, by, now, date_today_shanghai(now), "create", 0, false, NULL);
}

enum err mt_meeting_update(struct store *db, long long id, const struct mt_meeting_in *in,
                           unsigned fields, const struct mt_actor *by, long long now,
                           struct problem *p)
{
    struct mt_state st;
    enum err e = mt_state_load(db, id, &st);
    if (e == ERR_NOT_FOUND) return problem_set(p, ERR_NOT_FOUND, "id", "会议不存在");
    if (e != OK) return e;
    if (st.stage == MT_STAGE_ISSUED)
        return problem_set(p, ERR_CONFLICT, "id", "会议纪要已印发，会议信息不能再修改");
    bool held = st.held != MT_NONE;
    if (held &&
        (fields & (MT_F_DATE | MT_F_TITLE | MT_F_PLACE | MT_F_LEVEL | MT_F_GUESTS | MT_F_NOTES)))
        return problem_set(p, ERR_CONFLICT, "id", "会议已召开，只能修改会签期限");
    if ((e = check_meeting(db, in, fields, p)) != OK) return e;
    char *guests =
        (fields & MT_F_GUESTS) && in->guests ? json_dumps(in->guests, JSON_COMPACT) : NULL;
    e = store_do(
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
        (fields & MT_F_NOTES) ? (in->notes ? in->notes : "") : NULL,
        (long long)((fields & MT_F_CSDAYS) ? in->countersign_days : 0),
        (long long)((fields & MT_F_CSDAYS) ? in->countersign_days : 0), now, id);
    free(guests);
    if (e != OK) return e;
    char note[200] = "";
    if ((fields & MT_F_DATE) && st.meeting != mt_day(in->date)) {
        char was[11];
        snprintf(note, sizeof note, "会议日期由 %s 改为 %s", mt_fmt(st.meeting, was), in->date);
    }
    return mt_history(db, id, by, now, date_today_shanghai(now), "update", 0, false,
                      note[0] ? note : NULL);
}

bool mt_meeting_exists(struct store *db, long long id)
{
    struct store_stmt *q = store_q(db, "SELECT 1 FROM meetings WHERE id = ?", "i", id);
    bool ok = store_row(q);
    store_done(q);
    return ok;
}

enum err mt_meeting_list(struct store *db, int year, const char *kind, const char *stage,
                         long long after, long long limit, long long now, struct jw *w,
                         long long *n, long long *last)
{
    (void)now;
    *n = *last = 0;
    char from[11] = "0000-00-00", to[11] = "9999-12-31";
    if (year > 0) {
        date_format(date_from_ymd(year, 1, 1), from);
        date_format(date_from_ymd(year, 12, 31), to);
    }
    struct store_stmt *q = store_q(
        db,
        "SELECT id, kind, title, meeting_date, place, level, stage, notice_date, agenda_date,"
        " held_date, minutes_date, issued_date, minutes_version, report_id"
        " FROM meetings WHERE (CAST(? AS BIGINT) = 0 OR id < ?)"
        " AND meeting_date >= ? AND meeting_date <= ?"
        " AND (CAST(? AS TEXT) IS NULL OR kind = ?) AND (CAST(? AS TEXT) IS NULL OR stage = ?)"
        " ORDER BY id DESC LIMIT ?",
        "iitttttti", after, after, from, to, kind, kind, stage, stage, limit);
    while (store_row(q)) {
        enum mt_kind k = MT_REGULAR;
        mt_kind_parse(store_text(q, 1), &k);
        jw_obj(w);
        jw_kint(w, "id", store_int(q, 0));
        jw_kstr(w, "kind", store_text(q, 1));
        jw_kstr(w, "kind_label", mt_kind_label(k));
        jw_kstr(w, "title", store_text(q, 2));
        jw_kstr(w, "meeting_date", store_text(q, 3));
        jw_kstr(w, "place", store_text(q, 4));
        jw_kstr(w, "level", store_text(q, 5));
        enum mt_stage sg = MT_STAGE_PLANNED;
        mt_stage_parse(store_text(q, 6), &sg);
        jw_kstr(w, "stage", mt_stage_name(sg));
        jw_kstr(w, "stage_label", mt_stage_label(sg));
        jw_kstr(w, "notice_date", store_text(q, 7));
        jw_kstr(w, "agenda_date", store_text(q, 8));
        jw_kstr(w, "held_date", store_text(q, 9));
        jw_kstr(w, "minutes_date", store_text(q, 10));
        jw_kstr(w, "issued_date", store_text(q, 11));
        jw_kint(w, "minutes_version", store_int(q, 12));
        jw_kid(w, "report_id", store_int(q, 13));
        jw_obj_end(w);
        *last = store_int(q, 0);
        (*n)++;
    }
    store_done(q);
    return store_err(db);
}

/* ---- history, files, numbers ---- */

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

enum err mt_topic_file_put(struct store *db, long long id, long long topic_id, const char *name,
                           const char *type, const void *data, size_t len,
                           const struct mt_actor *by, long long now, bool *created, char hash[65],
                           struct problem *p)
{
    struct mt_state st;
    enum err e = mt_state_load(db, id, &st);
    if (e != OK) return e == ERR_NOT_FOUND ? problem_set(p, e, "id", "会议不存在") : e;
    if (!mt_topic_unit(db, id, topic_id))
        return store_err(db) ? store_err(db) : problem_set(p, ERR_NOT_FOUND, "tid", "议题不存在");
    if (st.held != MT_NONE)
        return problem_set(p, ERR_CONFLICT, "tid", "会议已召开，议题材料不能再修改");
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*), SUM(CASE WHEN name = ? THEN 1 ELSE 0 END)"
                                   " FROM meeting_topic_files WHERE topic_id = ?",
                                   "ti", name, topic_id);
    long long count = 0, same = 0;
    if (store_row(q)) {
        count = store_int(q, 0);
        same = store_int(q, 1);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    *created = same == 0;
    if (*created && count >= MT_FILES_PER_TOPIC)
        return problem_set(p, ERR_RULE, "name", "每个议题最多 %d 个附件", MT_FILES_PER_TOPIC);
    if ((e = files_put(db, data, len, type, now, hash)) != OK) return e;
    return store_do(db,
                    "INSERT INTO meeting_topic_files(topic_id, name, file_hash, content_type, "
                    "size, added_by_name, added_at)"
                    " VALUES (?,?,?,?,?,?,?) ON CONFLICT (topic_id, name) DO UPDATE SET file_hash "
                    "= excluded.file_hash,"
                    " content_type = excluded.content_type, size = excluded.size,"
                    " added_by_name = excluded.added_by_name, added_at = excluded.added_at",
                    "itttiti", topic_id, name, hash, type, (long long)len, by->name, now);
}

enum err mt_topic_file_get(struct store *db, long long id, long long topic_id, const char *name,
                           void *(*alloc)(void *ctx, size_t n), void *ctx, const void **data,
                           size_t *len, const char **type)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT f.file_hash FROM meeting_topic_files f JOIN meeting_topics t ON t.id = f.topic_id"
        " WHERE f.topic_id = ? AND f.name = ? AND t.meeting_id = ?",
        "iti", topic_id, name, id);
    char hash[CRYPTO_HASH_HEX] = "";
    if (store_row(q)) snprintf(hash, sizeof hash, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!hash[0]) return ERR_NOT_FOUND;
    return files_get(db, hash, alloc, ctx, data, len, type);
}

/* ---- follow-ups ---- */

static const char *followup_status_label(const char *s)
{
    enum mt_fu_status st = MT_FU_OPEN;
    mt_fu_status_parse(s, &st);
    return mt_fu_status_label(st);
}

#define FOLLOWUP_COLUMNS                                                                           \
    "f.id, f.meeting_id, f.seq, f.topic_id, f.text, f.unit_id, f.due_date, f.status, f.progress,"  \
    " f.done_date, f.updated_by_name, f.updated_at, m.title, m.meeting_date"

static void followup_write(struct jw *w, struct store_stmt *q, struct mt_names **names,
                           struct store *db, int today)
{
    const char *status = store_text(q, 7);
    int due = mt_day(store_text(q, 6));
    bool done = strcmp(status, "done") == 0;
    jw_obj(w);
    jw_kint(w, "id", store_int(q, 0));
    jw_key(w, "meeting");
    jw_obj(w);
    jw_kint(w, "id", store_int(q, 1));
    jw_kstr(w, "title", store_text(q, 12));
    jw_kstr(w, "meeting_date", store_text(q, 13));
    jw_obj_end(w);
    jw_kint(w, "seq", store_int(q, 2));
    jw_kid(w, "topic_id", store_int(q, 3));
    jw_kstr(w, "text", store_text(q, 4));
    jw_key(w, "unit");
    jw_obj(w);
    jw_kint(w, "id", store_int(q, 5));
    jw_kstr(w, "name", mt_unit_name(names, db, store_int(q, 5)));
    jw_kstr(w, "short_name", mt_unit_short(names, db, store_int(q, 5)));
    jw_obj_end(w);
    jw_kstr(w, "due_date", store_text(q, 6));
    jw_kstr(w, "status", status);
    jw_kstr(w, "status_label", followup_status_label(status));
    jw_kstr(w, "progress", store_text(q, 8));
    jw_kstr(w, "done_date", store_text(q, 9));
    bool overdue = !done && due != MT_NONE && today > due;
    jw_kbool(w, "overdue", overdue);
    jw_kint(w, "overdue_days", overdue ? today - due : 0);
    jw_kstr(w, "updated_by_name", store_text(q, 10));
    jw_kint(w, "updated_at", store_int(q, 11));
    jw_obj_end(w);
}

enum err mt_followup_list(struct store *db, const struct mt_followup_filter *f, long long after,
                          long long limit, long long now, struct jw *w, long long *n,
                          long long *last)
{
    *n = *last = 0;
    int today = date_today_shanghai(now);
    char t[11];
    date_format(today, t);
    struct store_stmt *q = store_q(
        db,
        "SELECT " FOLLOWUP_COLUMNS
        " FROM meeting_followups f JOIN meetings m ON m.id = f.meeting_id"
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
    struct mt_names *names = NULL;
    while (store_row(q)) {
        followup_write(w, q, &names, db, today);
        *last = store_int(q, 0);
        (*n)++;
    }
    store_done(q);
    mt_names_free(names);
    return store_err(db);
}

json_t *mt_followups_of(struct store *db, long long id, bool to_report, const char *meeting_date,
                        const char *previous_date, int today)
{
    struct jw w;
    jw_init(&w);
    jw_arr(&w);
    struct store_stmt *q =
        to_report
            ? store_q(
                  db,
                  "SELECT " FOLLOWUP_COLUMNS
                  " FROM meeting_followups f JOIN meetings m ON m.id = f.meeting_id"
                  " WHERE f.meeting_id <> ? AND m.meeting_date < ?"
                  " AND (f.status <> 'done' OR f.done_date >= ?) ORDER BY m.meeting_date, f.seq",
                  "itt", id, meeting_date, previous_date ? previous_date : "0000-00-00")
            : store_q(db,
                      "SELECT " FOLLOWUP_COLUMNS
                      " FROM meeting_followups f JOIN meetings m ON m.id = f.meeting_id"
                      " WHERE f.meeting_id = ? ORDER BY f.seq",
                      "i", id);
    struct mt_names *names = NULL;
    while (store_row(q))
        followup_write(&w, q, &names, db, today);
    store_done(q);
    mt_names_free(names);
    jw_arr_end(&w);
    char *text = jw_take(&w, NULL);
    json_t *a = text && !store_err(db) ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return a;
}

enum err mt_followup_unit(struct store *db, long long id, long long *unit_id)
{
    struct store_stmt *q =
        store_q(db, "SELECT unit_id FROM meeting_followups WHERE id = ?", "i", id);
    *unit_id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *unit_id ? OK : ERR_NOT_FOUND;
}

json_t *mt_followup_json(struct store *db, long long id, long long now)
{
    struct jw w;
    jw_init(&w);
    struct store_stmt *q =
        store_q(db,
                "SELECT " FOLLOWUP_COLUMNS
                " FROM meeting_followups f JOIN meetings m ON m.id = f.meeting_id"
                " WHERE f.id = ?",
                "i", id);
    struct mt_names *names = NULL;
    bool found = store_row(q);
    if (found) followup_write(&w, q, &names, db, date_today_shanghai(now));
    store_done(q);
    mt_names_free(names);
    char *text = jw_take(&w, NULL);
    json_t *o = found && text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return o;
}

enum err mt_followup_update(struct store *db, long long id, const char *status,
                            const char *progress, const char *on, const struct mt_actor *by,
                            long long now, struct problem *p)
{
    struct store_stmt *q = store_q(
        db, "SELECT status, meeting_id, unit_id, seq FROM meeting_followups WHERE id = ?", "i", id);
    if (!store_row(q)) {
        store_done(q);
        return store_err(db) ? store_err(db)
                             : problem_set(p, ERR_NOT_FOUND, "id", "议定事项不存在");
    }
    char cur[16];
    snprintf(cur, sizeof cur, "%s", store_text(q, 0));
    long long meeting = store_int(q, 1), unit = store_int(q, 2), seq = store_int(q, 3);
    store_done(q);
    enum mt_fu_status want;
    if (status && !mt_fu_status_parse(status, &want))
        return problem_set(p, ERR_RULE, "status",
                           "status 应为 open（未开始）、in_progress（落实中）或 done（已完成）");
    if (progress && mt_utf8_chars(progress) > MT_TEXT_MAX)
        return problem_set(p, ERR_RULE, "progress", "落实情况最多 %d 个字", MT_TEXT_MAX);
    const char *to = status ? status : cur;
    bool done = strcmp(to, "done") == 0;
    enum err e =
        store_do(db,
                 "UPDATE meeting_followups SET status = ?, progress = COALESCE(?, progress),"
                 " done_date = CASE WHEN ? = 1 THEN COALESCE(CASE WHEN status = 'done' THEN "
                 "done_date END, ?)"
                 " ELSE NULL END, updated_by_name = ?, updated_at = ? WHERE id = ?",
                 "ttittii", to, progress, (long long)done, on, by->name, now, id);
    if (e != OK) return e;
    if (done) {
        char key[96];
        snprintf(key, sizeof key, "meeting:%lld:followup:%lld", meeting, id);
        e = inbox_done_key(db, key, by->user_id, now);
        snprintf(key, sizeof key, "meeting:%lld:remind:followup%lld:", meeting, id);
        if (e == OK) e = inbox_done_prefix(db, key, by->user_id, now);
        if (e != OK) return e;
    }
    char note[120];
    snprintf(note, sizeof note, "议定事项 %lld：%s → %s", seq, followup_status_label(cur),
             followup_status_label(to));
    return mt_history(db, meeting, by, now, mt_day(on), "followup", unit, false, note);
}
