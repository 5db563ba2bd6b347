/* meeting_setup.c - the services that set the joint meeting up (meeting.h): the holiday
 * calendar (the embedded State Council announcements at init, a year the office enters), the
 * member units with their join and leave dates, meetings planned and edited by the office, and
 * topic attachments in the shared file store. Checks here, SQL in store_meeting.c, units
 * through the org area (meeting_load.c). Inside the caller's transaction. */
#include "meeting/meeting_service.h"
#include "base/date.h"
#include "base/embedded.h"
#include "org/units.h"
#include "store/files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the calendar ---- */

enum err mt_calendar_years(struct store *db, struct arena *a, struct mt_calendar_year **out,
                           size_t *n)
{
    return mt_store_years(db, a, out, n);
}

/* Holidays grouped into ranges of consecutive days of one name; make-up working days apart. */
static void group_days(struct arena *a, const struct mt_day_row *d, size_t n,
                       struct mt_calendar_year *y)
{
    y->holidays = arena_alloc(a, (n ? n : 1) * sizeof *y->holidays);
    y->workdays = arena_alloc(a, (n ? n : 1) * sizeof *y->workdays);
    struct mt_holiday *cur = NULL;
    int last = MT_NONE;
    for (size_t i = 0; i < n; i++) {
        if (!d[i].holiday) {
            y->workdays[y->nworkdays++] = (struct mt_workday){d[i].name, d[i].day};
            continue;
        }
        if (cur && d[i].day == last + 1 && strcmp(cur->name, d[i].name) == 0) {
            cur->to = d[i].day;
            cur->days++;
        } else {
            cur = &y->holidays[y->nholidays++];
            *cur = (struct mt_holiday){d[i].name, d[i].day, d[i].day, 1};
        }
        last = d[i].day;
    }
}

enum err mt_calendar_year_get(struct store *db, int year, struct arena *a,
                              struct mt_calendar_year *out)
{
    memset(out, 0, sizeof *out);
    struct mt_day_row *d;
    size_t n;
    enum err e = mt_store_year(db, year, a, out);
    if (e == OK) e = mt_store_year_days(db, year, a, &d, &n);
    if (e == OK) group_days(a, d, n, out);
    return e;
}

enum err mt_calendar_put(struct store *db, const struct mt_year *y, const struct mt_actor *by,
                         long long now, struct problem *p)
{
    for (size_t i = 0; i < y->ndays; i++) {
        long long other;
        enum err e = mt_store_day_year(db, y->days[i].day, y->year, &other);
        if (e != OK) return e;
        char d[11];
        if (other)
            return problem_set(p, ERR_CONFLICT, "holidays",
                               "日期 %s 已属于 %lld 年的节假日安排，不能同时列入 %d 年",
                               mt_fmt(y->days[i].day, d), other, y->year);
    }
    return mt_store_year_put(db, y, "office", by->user_id, now, false);
}

/* The years of holidays.json not stored yet. */
static enum err load_years(struct store *db, long long now, int *added, char *why, size_t whylen)
{
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
        bool have;
        if (!mt_year_parse(yo, year, y, &p)) {
            snprintf(why, whylen, "holidays.json year %d: %s %s", year, p.field, p.msg);
            e = ERR_INTERNAL;
            break;
        }
        if ((e = mt_store_year_exists(db, year, &have)) != OK) break;
        if (have) continue;
        if ((e = mt_store_year_put(db, y, "embedded", 0, now, true)) != OK) break;
        (*added)++;
    }
    free(y);
    json_decref(root);
    if (e != OK && !why[0]) snprintf(why, whylen, "calendar: %s", store_errmsg(db));
    return e;
}

/* The member units named by 附件2 第二条, in its order; the role and the host come from the
 * units' own data (units.json: joint_meeting, host). */
static const char *const founding_members[] = {"市委宣传部", "市文明办", "市生态环境局", "市教委",
                                               "市民政局",   "团市委",   "市妇联"};
#define FOUNDED "2021-06-30" /* 附件2 印发 (the plan's issue date) */

static enum err load_members(struct store *db, long long now, int *added, char *why, size_t whylen)
{
    long long n;
    enum err e = mt_store_member_count(db, &n);
    if (e != OK || n > 0) return e;
    for (size_t k = 0; k < sizeof founding_members / sizeof *founding_members && e == OK; k++) {
        struct unit u;
        long long id = unit_find(db, founding_members[k]), mid;
        if (!id || !mt_unit_get(db, id, &u)) continue; /* units renamed: the office adds them */
        e = mt_store_member_add(db, id,
                                strcmp(u.joint_meeting, "convener") == 0 ? "convener" : "member",
                                u.is_host, FOUNDED, "附件2第二条所列成员单位", now, &mid);
        if (e == OK) (*added)++;
    }
    if (e != OK) snprintf(why, whylen, "members: %s", store_errmsg(db));
    return e;
}

enum err meeting_load_embedded(struct store *db, long long now, int *years_added,
                               int *members_added, char *why, size_t whylen)
{
    *years_added = *members_added = 0;
    enum err e = load_years(db, now, years_added, why, whylen);
    return e == OK ? load_members(db, now, members_added, why, whylen) : e;
}

/* ---- members ---- */

enum err mt_members(struct store *db, int asof, struct arena *a, struct mt_member **out, size_t *n)
{
    enum err e = mt_store_members(db, a, out, n);
    for (size_t i = 0; e == OK && i < *n; i++) {
        struct mt_member *m = &(*out)[i];
        struct unit u;
        m->active = m->joined <= asof && (m->left == MT_NONE || asof < m->left);
        if (!(m->unit_known = mt_unit_get(db, m->unit_id, &u))) continue;
        m->unit_key = arena_strdup(a, u.key);
        m->unit_name = arena_strdup(a, u.name);
        m->unit_short = arena_strdup(a, u.short_name);
    }
    return e == OK ? store_err(db) : e;
}

/* Whether the unit can be a member: exists, active, not a named group. */
static enum err unit_usable(struct store *db, long long unit_id, struct problem *p)
{
    struct unit u;
    if (!mt_unit_get(db, unit_id, &u))
        return store_err(db) ? store_err(db) : problem_set(p, ERR_RULE, "unit", "单位不存在");
    if (strcmp(u.tier, "group") == 0)
        return problem_set(p, ERR_RULE, "unit", "“%s”是泛指的单位组，不能作为成员单位", u.name);
    if (!u.active) return problem_set(p, ERR_RULE, "unit", "单位“%s”已停用", u.name);
    return OK;
}

static enum err one_host(struct store *db, long long except_id, struct problem *p)
{
    long long other;
    enum err e = mt_store_host_member(db, except_id, &other);
    if (e == OK && other)
        e = problem_set(p, ERR_CONFLICT, "host", "已有承办单位（记录 %lld）；承办单位只能有一个",
                        other);
    return e;
}

enum err mt_member_add(struct store *db, long long unit_id, const char *role, bool host,
                       const char *joined, const char *note, long long now, long long *id,
                       struct problem *p)
{
    enum err e = unit_usable(db, unit_id, p);
    if (e != OK) return e;
    if (!mt_member_role_valid(role))
        return problem_set(p, ERR_RULE, "role",
                           "role 应为 convener（牵头单位）或 member（成员单位）");
    if (mt_day(joined) == MT_NONE)
        return problem_set(p, ERR_RULE, "joined_on", "加入日期应为 YYYY-MM-DD");
    long long open;
    if ((e = mt_store_member_open(db, unit_id, joined, &open)) != OK) return e;
    if (open)
        return problem_set(p, ERR_CONFLICT, "unit",
                           "该单位已是成员单位（记录 %lld）；如需调整请修改该记录", open);
    if (host && (e = one_host(db, 0, p)) != OK) return e;
    return mt_store_member_add(db, unit_id, role, host, joined, note, now, id);
}

enum err mt_member_update(struct store *db, long long id, const char *role, int host,
                          const char *left, bool clear_left, const char *note, long long now,
                          struct problem *p)
{
    struct arena *a = arena_new(1024);
    struct mt_member m;
    char joined[11];
    enum err e = mt_store_member(db, id, a, &m);
    if (e == ERR_NOT_FOUND) e = problem_set(p, ERR_NOT_FOUND, "id", "成员记录不存在");
    if (e != OK) goto out;
    mt_fmt(m.joined, joined);
    if (role && !mt_member_role_valid(role)) {
        e = problem_set(p, ERR_RULE, "role", "role 应为 convener（牵头单位）或 member（成员单位）");
        goto out;
    }
    if (left && (mt_day(left) == MT_NONE || strcmp(left, joined) <= 0)) {
        e = problem_set(p, ERR_RULE, "left_on", "退出日期应为 YYYY-MM-DD，且晚于加入日期 %s",
                        joined);
        goto out;
    }
    if (host == 1 && !m.host && (e = one_host(db, id, p)) != OK) goto out;
    e = mt_store_member_edit(db, id, role ? role : m.role, host < 0 ? m.host : host != 0, left,
                             clear_left, note, now);
out:
    arena_free(a);
    return e;
}

/* ---- meetings ---- */

static enum err check_guests(json_t *guests, struct problem *p)
{
    if (json_array_size(guests) > MT_MAX_GUESTS)
        return problem_set(p, ERR_RULE, "guests", "邀请单位最多 %d 个", MT_MAX_GUESTS);
    size_t i;
    json_t *g;
    json_array_foreach(guests, i, g)
    {
        size_t n = mt_utf8_chars(json_string_value(g));
        if (n == 0 || n > MT_NAME_MAX)
            return problem_set(p, ERR_RULE, "guests", "邀请单位名称应为 1 到 %d 个字", MT_NAME_MAX);
    }
    return OK;
}

static enum err check_meeting(const struct mt_meeting_in *in, unsigned fields, struct problem *p)
{
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
                               "会议日期应在 2021年6月30日（联席会议制度印发）之后");
    }
    if ((fields & MT_F_PLACE) && in->place && mt_utf8_chars(in->place) > MT_PLACE_MAX)
        return problem_set(p, ERR_RULE, "place", "会议地点最多 %d 个字", MT_PLACE_MAX);
    if ((fields & MT_F_NOTES) && in->notes && mt_utf8_chars(in->notes) > MT_TEXT_MAX)
        return problem_set(p, ERR_RULE, "notes", "其他事项最多 %d 个字", MT_TEXT_MAX);
    if ((fields & MT_F_CSDAYS) &&
        (in->countersign_days < 1 || in->countersign_days > MT_COUNTERSIGN_MAX))
        return problem_set(p, ERR_RULE, "countersign_days", "会签期限应为 1 到 %d 日",
                           MT_COUNTERSIGN_MAX);
    if ((fields & MT_F_GUESTS) && in->guests) return check_guests(in->guests, p);
    return OK;
}

enum err mt_meeting_create(struct store *db, const struct mt_meeting_in *in,
                           const struct mt_actor *by, long long now, long long *id,
                           struct problem *p)
{
    enum err e = check_meeting(in, ~0u, p);
    if (e == OK) e = mt_store_meeting_add(db, in, by, now, id);
    if (e != OK) return e;
    return mt_history(db, *id, by, now, date_today_shanghai(now), "create", 0, false, NULL);
}

enum err mt_meeting_deadlines(struct store *db, const char *date, int out[MT__STEPS],
                              struct problem *p)
{
    struct mt_meeting_in in = {.date = date};
    enum err e = check_meeting(&in, MT_F_DATE, p);
    if (e != OK) return e;
    struct mt_calendar cal;
    mt_calendar_init(&cal);
    e = mt_calendar_load(db, &cal);
    if (e == OK) {
        struct mt_dates d = {
            .meeting = mt_day(date), .notice = MT_NONE, .held = MT_NONE, .drafted = MT_NONE};
        mt_deadlines(&cal, &d, out);
    }
    mt_calendar_free(&cal);
    return e;
}

/* Until the minutes are issued; once held, only the countersigning window. */
enum err mt_may_edit(const struct mt_meeting *m, unsigned fields, struct problem *p)
{
    unsigned before_held =
        MT_F_DATE | MT_F_TITLE | MT_F_PLACE | MT_F_LEVEL | MT_F_GUESTS | MT_F_NOTES;
    if (m->stage == MT_STAGE_ISSUED)
        return problem_set(p, ERR_CONFLICT, "id", "会议纪要已印发，会议信息不能再修改");
    if (m->held != MT_NONE && (fields & before_held))
        return problem_set(p, ERR_CONFLICT, "id", "会议已召开，只能修改会签期限");
    return OK;
}

enum err mt_meeting_update(struct store *db, long long id, const struct mt_meeting_in *in,
                           unsigned fields, const struct mt_actor *by, long long now,
                           struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_CORE, &m, p);
    if (e != OK) return e;
    char note[200] = "";
    e = mt_may_edit(m, fields, p);
    if (e == OK) e = check_meeting(in, fields, p);
    if (e == OK) e = mt_store_meeting_edit(db, id, in, fields, now);
    if (e == OK && (fields & MT_F_DATE) && m->meeting != mt_day(in->date)) {
        char was[11];
        snprintf(note, sizeof note, "会议日期由 %s 改为 %s", mt_fmt(m->meeting, was), in->date);
    }
    if (e == OK)
        e = mt_history(db, id, by, now, date_today_shanghai(now), "update", 0, false,
                       note[0] ? note : NULL);
    mt_meeting_free(m);
    return e;
}

/* ---- topic files ---- */

/* The unit that submitted a topic (or the office) attaches files to it until the meeting is held.
 */
enum err mt_may_attach(const struct mt_meeting *m, long long topic_unit, const struct mt_actor *by,
                       struct problem *p)
{
    if (!by->office && topic_unit != by->unit_id)
        return problem_set(p, ERR_FORBIDDEN, "tid", "只能为本单位提交的议题上传附件");
    if (m->held != MT_NONE)
        return problem_set(p, ERR_CONFLICT, "tid", "会议已召开，议题材料不能再修改");
    return OK;
}

enum err mt_topic_file_put(struct store *db, long long id, long long topic_id, const char *name,
                           const char *type, const void *data, size_t len,
                           const struct mt_actor *by, long long now, bool *created, char hash[65],
                           struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_CORE, &m, p);
    if (e != OK) return e;
    long long unit = mt_topic_unit(db, id, topic_id);
    if (!unit)
        e = store_err(db) ? store_err(db) : problem_set(p, ERR_NOT_FOUND, "tid", "议题不存在");
    if (e == OK) e = mt_may_attach(m, unit, by, p);
    mt_meeting_free(m);
    if (e != OK) return e;
    long long count, same;
    if ((e = mt_store_topic_files(db, topic_id, name, &count, &same)) != OK) return e;
    *created = same == 0;
    if (*created && count >= MT_FILES_PER_TOPIC)
        return problem_set(p, ERR_RULE, "name", "每个议题最多 %d 个附件", MT_FILES_PER_TOPIC);
    if ((e = files_put(db, data, len, type, now, hash)) != OK) return e;
    return mt_store_topic_file_set(db, topic_id, name, hash, type, len, by->name, now);
}

enum err mt_topic_file_get(struct store *db, long long id, long long topic_id, const char *name,
                           void *(*alloc)(void *ctx, size_t n), void *ctx, const void **data,
                           size_t *len, const char **type)
{
    char hash[65];
    enum err e = mt_store_topic_file_hash(db, id, topic_id, name, hash);
    if (e != OK) return e;
    if (!hash[0]) return ERR_NOT_FOUND;
    return files_get(db, hash, alloc, ctx, data, len, type);
}
