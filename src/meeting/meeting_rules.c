/* meeting_rules.c - the pure rules of the joint meeting system (meeting.h): the holiday
 * calendar and the day counting of 民法典 第二百零一条/第二百零三条, each step's deadline and
 * status, reminder days, the check of one calendar year, document numbers and the labels.
 * No I/O, no clock: unit-tested in tests/unit/test_meeting.c. */
#include "meeting/meeting.h"
#include "base/date.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the calendar ---- */

void mt_calendar_init(struct mt_calendar *c)
{
    memset(c, 0, sizeof *c);
}

void mt_calendar_free(struct mt_calendar *c)
{
    if (!c) return;
    free(c->holidays);
    free(c->workdays);
    memset(c, 0, sizeof *c);
}

static bool push(int **a, size_t *n, size_t *cap, int v)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        int *t = realloc(*a, nc * sizeof *t);
        if (!t) return false;
        *a = t;
        *cap = nc;
    }
    (*a)[(*n)++] = v;
    return true;
}

bool mt_calendar_add(struct mt_calendar *c, int day, bool holiday)
{
    return holiday ? push(&c->holidays, &c->nholidays, &c->cap_h, day)
                   : push(&c->workdays, &c->nworkdays, &c->cap_w, day);
}

void mt_calendar_cover(struct mt_calendar *c, int year)
{
    if (year >= 1900 && year < 1900 + (int)sizeof c->years) c->years[year - 1900] = 1;
}

bool mt_calendar_covers(const struct mt_calendar *c, int year)
{
    return year >= 1900 && year < 1900 + (int)sizeof c->years && c->years[year - 1900];
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void mt_calendar_finish(struct mt_calendar *c)
{
    if (c->nholidays) qsort(c->holidays, c->nholidays, sizeof *c->holidays, cmp_int);
    if (c->nworkdays) qsort(c->workdays, c->nworkdays, sizeof *c->workdays, cmp_int);
}

static bool has(const int *a, size_t n, int v)
{
    return n && bsearch(&v, a, n, sizeof *a, cmp_int) != NULL;
}

bool mt_holiday(const struct mt_calendar *c, int day)
{
    return has(c->holidays, c->nholidays, day);
}

bool mt_makeup_workday(const struct mt_calendar *c, int day)
{
    return has(c->workdays, c->nworkdays, day);
}

bool mt_rest_day(const struct mt_calendar *c, int day)
{
    if (mt_holiday(c, day)) return true;
    if (mt_makeup_workday(c, day)) return false;
    return date_weekday(day) >= 5;
}

int mt_days_after(const struct mt_calendar *c, int event, int n)
{
    int d = event + n;
    /* A run of rest days is at most a few weeks long; the bound only guards bad data. */
    for (int i = 0; i < 60 && mt_rest_day(c, d); i++)
        d++;
    return d;
}

int mt_days_before(int date, int n)
{
    return date - n;
}

/* ---- one calendar year ---- */

static bool fail(struct problem *p, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool fail(struct problem *p, enum err e, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof p->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    problem_set(p, e, field, "%s", msg);
    return false;
}

static bool allowed_keys(json_t *o, const char *const *keys, const char *path, struct problem *p)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        bool ok = false;
        for (const char *const *a = keys; *a; a++)
            if (strcmp(*a, k) == 0) ok = true;
        if (!ok) {
            char f[64];
            snprintf(f, sizeof f, "%s%s%.40s", path, *path ? "." : "", k);
            return fail(p, ERR_BAD_REQUEST, f, "未知字段：%.40s", k);
        }
    }
    return true;
}

/* A required string member of 1..max characters. */
static const char *str_member(json_t *o, const char *name, const char *field, size_t max,
                              bool required, struct problem *p, bool *ok)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v)) {
        if (required) *ok = fail(p, ERR_BAD_REQUEST, field, "缺少必填字段：%s", name);
        return NULL;
    }
    if (!json_is_string(v)) {
        *ok = fail(p, ERR_BAD_REQUEST, field, "字段 %s 应为字符串", name);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = mt_utf8_chars(s);
    if ((required && n == 0) || n > max) {
        *ok = fail(p, ERR_RULE, field, "%s 应为 1 到 %zu 个字", name, max);
        return NULL;
    }
    return s;
}

/* The days an announcement for `year` may name: from December 1 before to January 31 after. */
static bool day_in_reach(int day, int year)
{
    return day >= date_from_ymd(year - 1, 12, 1) && day <= date_from_ymd(year + 1, 1, 31);
}

static int find_day(const struct mt_year *y, int day)
{
    for (size_t i = 0; i < y->ndays; i++)
        if (y->days[i].day == day) return (int)i;
    return -1;
}

/* The holidays: ranges of 1..15 days named once, within the year's reach, no day twice. */
static bool parse_holidays(json_t *hol, int year, struct mt_year *out, struct problem *p)
{
    bool ok = true;
    size_t i;
    json_t *h;
    json_array_foreach(hol, i, h)
    {
        char f[48];
        snprintf(f, sizeof f, "holidays[%zu]", i);
        if (!json_is_object(h))
            return fail(p, ERR_BAD_REQUEST, f, "应为对象 {\"name\",\"from\",\"to\"}");
        static const char *const hk[] = {"name", "from", "to", NULL};
        if (!allowed_keys(h, hk, f, p)) return false;
        char fn[64], ff[64], ft[64];
        snprintf(fn, sizeof fn, "%s.name", f);
        snprintf(ff, sizeof ff, "%s.from", f);
        snprintf(ft, sizeof ft, "%s.to", f);
        const char *name = str_member(h, "name", fn, 20, true, p, &ok);
        const char *from = ok ? str_member(h, "from", ff, 10, true, p, &ok) : NULL;
        const char *to = ok ? str_member(h, "to", ft, 10, true, p, &ok) : NULL;
        if (!ok) return false;
        int a, b;
        if (!date_parse(from, &a)) return fail(p, ERR_RULE, ff, "日期应为 YYYY-MM-DD：%.20s", from);
        if (!date_parse(to, &b)) return fail(p, ERR_RULE, ft, "日期应为 YYYY-MM-DD：%.20s", to);
        if (b < a) return fail(p, ERR_RULE, ft, "结束日期早于开始日期");
        if (b - a > 14) return fail(p, ERR_RULE, ft, "一次放假最长 15 天");
        if (!day_in_reach(a, year) || !day_in_reach(b, year))
            return fail(p, ERR_RULE, ff,
                        "%d 年的安排只能包含该年（及前一年 12 月、后一年 1 月）的日期", year);
        for (int d = a; d <= b; d++) {
            if (find_day(out, d) >= 0) {
                char s[11];
                date_format(d, s);
                return fail(p, ERR_RULE, f, "日期 %s 重复", s);
            }
            if (out->ndays == MT_YEAR_MAX_DAYS)
                return fail(p, ERR_RULE, "holidays", "日期过多（最多 %d 天）", MT_YEAR_MAX_DAYS);
            out->days[out->ndays++] = (struct mt_day){d, true, name};
        }
    }
    return true;
}

/* The make-up working days: a Saturday or Sunday within the year's reach, outside every
 * holiday, each once. */
static bool parse_workdays(json_t *wd, int year, struct mt_year *out, struct problem *p)
{
    bool ok = true;
    size_t i;
    json_t *h;
    json_array_foreach(wd, i, h)
    {
        char f[48];
        snprintf(f, sizeof f, "workdays[%zu]", i);
        if (!json_is_object(h)) return fail(p, ERR_BAD_REQUEST, f, "应为对象 {\"date\",\"name\"}");
        static const char *const wk[] = {"date", "name", NULL};
        if (!allowed_keys(h, wk, f, p)) return false;
        char fd[64], fn[64];
        snprintf(fd, sizeof fd, "%s.date", f);
        snprintf(fn, sizeof fn, "%s.name", f);
        const char *date = str_member(h, "date", fd, 10, true, p, &ok);
        const char *name = ok ? str_member(h, "name", fn, 20, true, p, &ok) : NULL;
        if (!ok) return false;
        int d;
        if (!date_parse(date, &d)) return fail(p, ERR_RULE, fd, "日期应为 YYYY-MM-DD：%.20s", date);
        if (!day_in_reach(d, year))
            return fail(p, ERR_RULE, fd,
                        "%d 年的安排只能包含该年（及前一年 12 月、后一年 1 月）的日期", year);
        if (date_weekday(d) < 5)
            return fail(p, ERR_RULE, fd, "调休上班日应为星期六或星期日：%s 是工作日", date);
        int at = find_day(out, d);
        if (at >= 0)
            return fail(p, ERR_RULE, fd, out->days[at].holiday ? "%s 已是放假日" : "日期 %s 重复",
                        date);
        if (out->ndays == MT_YEAR_MAX_DAYS)
            return fail(p, ERR_RULE, "workdays", "日期过多（最多 %d 天）", MT_YEAR_MAX_DAYS);
        out->days[out->ndays++] = (struct mt_day){d, false, name};
    }
    return true;
}

bool mt_year_parse(json_t *yo, int year, struct mt_year *out, struct problem *p)
{
    memset(out, 0, sizeof *out);
    memset(p, 0, sizeof *p);
    out->year = year;
    if (!json_is_object(yo)) return fail(p, ERR_BAD_REQUEST, "", "请求体应为 JSON 对象");
    static const char *const keys[] = {"year",     "title",  "doc_no",     "holidays",
                                       "workdays", "source", "updated_at", NULL};
    if (!allowed_keys(yo, keys, "", p)) return false;
    if (year < 2000 || year > 2100) return fail(p, ERR_RULE, "year", "年份应在 2000 至 2100 之间");
    json_t *yv = json_object_get(yo, "year");
    if (yv && !json_is_null(yv)) {
        if (!json_is_integer(yv)) return fail(p, ERR_BAD_REQUEST, "year", "字段 year 应为整数");
        if (json_integer_value(yv) != year)
            return fail(p, ERR_RULE, "year", "year（%lld）与路径中的年份（%d）不一致",
                        (long long)json_integer_value(yv), year);
    }
    bool ok = true;
    out->title = str_member(yo, "title", "title", 200, true, p, &ok);
    if (!ok) return false;
    out->doc_no = str_member(yo, "doc_no", "doc_no", 64, false, p, &ok);
    if (!ok) return false;
    if (out->doc_no && !*out->doc_no) out->doc_no = NULL;

    json_t *hol = json_object_get(yo, "holidays");
    json_t *wd = json_object_get(yo, "workdays");
    if (!json_is_array(hol))
        return fail(p, ERR_BAD_REQUEST, "holidays",
                    "holidays 应为数组：[{\"name\",\"from\",\"to\"}]");
    if (wd && !json_is_null(wd) && !json_is_array(wd))
        return fail(p, ERR_BAD_REQUEST, "workdays", "workdays 应为数组：[{\"date\",\"name\"}]");
    if (json_array_size(hol) == 0) return fail(p, ERR_RULE, "holidays", "至少应有一个节假日");
    return parse_holidays(hol, year, out, p) && parse_workdays(wd, year, out, p);
}

bool mt_calendar_from_doc(json_t *doc, struct mt_calendar *c, struct problem *p)
{
    json_t *years = json_object_get(doc, "years");
    if (!json_is_array(years)) return fail(p, ERR_BAD_REQUEST, "years", "years 应为数组");
    struct mt_year *y = malloc(sizeof *y);
    if (!y) return fail(p, ERR_INTERNAL, "", "内存不足");
    size_t i;
    json_t *yo;
    bool ok = true;
    json_array_foreach(years, i, yo)
    {
        json_t *yv = json_object_get(yo, "year");
        if (!json_is_integer(yv)) {
            ok = fail(p, ERR_BAD_REQUEST, "year", "years[%zu].year 应为整数", i);
            break;
        }
        if (!mt_year_parse(yo, (int)json_integer_value(yv), y, p)) {
            ok = false;
            break;
        }
        mt_calendar_cover(c, y->year);
        for (size_t d = 0; d < y->ndays; d++)
            if (!mt_calendar_add(c, y->days[d].day, y->days[d].holiday)) {
                ok = fail(p, ERR_INTERNAL, "", "内存不足");
                break;
            }
        if (!ok) break;
    }
    free(y);
    mt_calendar_finish(c);
    return ok;
}

/* ---- steps ---- */

static const struct {
    const char *name, *label, *rule;
} steps[MT__STEPS] = {
    [MT_STEP_NOTICE] = {"notice", "会议通知", "主办单位会前十五日通知各成员单位（第六条）"},
    [MT_STEP_RECEIPT] = {"receipt", "确认收到", "成员单位收到通知后五日内确认"},
    [MT_STEP_TOPICS] = {"topics", "提交议题", "成员单位收到通知后五日内提交议题（第六条）"},
    [MT_STEP_SELECTION] = {"selection", "筛选中心议题",
                           "承办单位在告知议题前筛选中心议题（第六条）"},
    [MT_STEP_AGENDA] = {"agenda", "告知议题", "牵头单位会前五日将议题告知参会单位（第六条）"},
    [MT_STEP_HELD] = {"held", "召开会议", "按确定的时间召开（第五条）"},
    [MT_STEP_MINUTES] = {"minutes", "制作会议纪要",
                         "会议完毕七日内由市生态环境局制作会议纪要（第八条）"},
    [MT_STEP_COUNTERSIGN] = {"countersign", "会签", "各单位在会签期限内会签（第八条）"},
    [MT_STEP_ISSUE] = {"issue", "印发纪要", "会签后印发并送各成员单位（第八条）"},
};

const char *mt_step_name(enum mt_step s)
{
    return s < MT__STEPS ? steps[s].name : "?";
}

const char *mt_step_label(enum mt_step s)
{
    return s < MT__STEPS ? steps[s].label : "?";
}

const char *mt_step_rule(enum mt_step s)
{
    return s < MT__STEPS ? steps[s].rule : "?";
}

const char *mt_step_actor(enum mt_step s)
{
    static const char *const actors[MT__STEPS] = {
        [MT_STEP_NOTICE] = "承办单位",      [MT_STEP_RECEIPT] = "成员单位",
        [MT_STEP_TOPICS] = "成员单位",      [MT_STEP_SELECTION] = "承办单位",
        [MT_STEP_AGENDA] = "牵头单位",      [MT_STEP_HELD] = "承办单位",
        [MT_STEP_MINUTES] = "市生态环境局", [MT_STEP_COUNTERSIGN] = "成员单位",
        [MT_STEP_ISSUE] = "承办单位",
    };
    return s < MT__STEPS ? actors[s] : "?";
}

const char *mt_history_label(const char *action)
{
    static const char *const labels[][2] = {
        {"create", "筹备会议"},
        {"update", "修改会议信息"},
        {"notice", "发出会议通知"},
        {"receipt", "确认收到通知"},
        {"no_topics", "反馈无议题"},
        {"topic", "提交议题"},
        {"topic_late", "补报议题（逾期）"},
        {"selection", "筛选议题"},
        {"agenda", "告知议题"},
        {"held", "登记会议召开"},
        {"minutes", "起草会议纪要"},
        {"minutes_revised", "修改会议纪要"},
        {"countersign", "会签"},
        {"change_request", "提出修改意见"},
        {"issue", "印发会议纪要"},
        {"followup", "更新议定事项"},
    };
    for (size_t i = 0; action && i < sizeof labels / sizeof *labels; i++)
        if (strcmp(action, labels[i][0]) == 0) return labels[i][1];
    return action;
}

static const char *const status_names[MT__STATUSES] = {"waiting", "due",  "overdue",
                                                       "on_time", "late", "done"};
static const char *const status_labels[MT__STATUSES] = {"未开始",   "待办",     "已逾期",
                                                        "按时完成", "逾期完成", "已完成"};

const char *mt_status_name(enum mt_status s)
{
    return s < MT__STATUSES ? status_names[s] : "?";
}

const char *mt_status_label(enum mt_status s)
{
    return s < MT__STATUSES ? status_labels[s] : "?";
}

enum mt_status mt_status_at(int deadline, int done, int today)
{
    if (done != MT_NONE) {
        if (deadline == MT_NONE) return MT_DONE;
        return done <= deadline ? MT_ON_TIME : MT_LATE;
    }
    if (deadline == MT_NONE) return MT_WAITING;
    return today <= deadline ? MT_DUE : MT_OVERDUE;
}

bool mt_is_late(int deadline, int on)
{
    return deadline != MT_NONE && on != MT_NONE && on > deadline;
}

void mt_deadlines(const struct mt_calendar *c, const struct mt_dates *d, int out[MT__STEPS])
{
    int window = d->countersign_days > 0 ? d->countersign_days : MT_COUNTERSIGN_DAYS;
    bool m = d->meeting != MT_NONE;
    out[MT_STEP_NOTICE] = m ? mt_days_before(d->meeting, MT_NOTICE_DAYS) : MT_NONE;
    out[MT_STEP_RECEIPT] =
        d->notice != MT_NONE ? mt_days_after(c, d->notice, MT_TOPIC_DAYS) : MT_NONE;
    out[MT_STEP_TOPICS] = out[MT_STEP_RECEIPT];
    out[MT_STEP_AGENDA] = m ? mt_days_before(d->meeting, MT_AGENDA_DAYS) : MT_NONE;
    out[MT_STEP_SELECTION] = out[MT_STEP_AGENDA];
    out[MT_STEP_HELD] = m ? d->meeting : MT_NONE;
    out[MT_STEP_MINUTES] =
        d->held != MT_NONE ? mt_days_after(c, d->held, MT_MINUTES_DAYS) : MT_NONE;
    out[MT_STEP_COUNTERSIGN] =
        d->drafted != MT_NONE ? mt_days_after(c, d->drafted, window) : MT_NONE;
    out[MT_STEP_ISSUE] = MT_NONE;
}

int mt_remind_stage(int deadline, int today)
{
    if (deadline == MT_NONE || today == MT_NONE) return 0;
    if (today == deadline) return 2;
    if (today < deadline && deadline - today <= MT_REMIND_BEFORE) return 1;
    return 0;
}

/* ---- vocabularies ---- */

static const struct {
    const char *name, *label, *conflict;
} stages[MT__STAGES] = {
    [MT_STAGE_PLANNED] = {"planned", "筹备中", "尚未发出会议通知"},
    [MT_STAGE_NOTIFIED] = {"notified", "已通知", "会议通知已发出，议题尚未告知参会单位"},
    [MT_STAGE_AGENDA_SENT] = {"agenda_sent", "已告知议题", "议题已告知参会单位，会议尚未召开"},
    [MT_STAGE_HELD] = {"held", "已召开，待制作纪要", "会议已召开，尚未起草会议纪要"},
    [MT_STAGE_MINUTES] = {"minutes", "纪要会签中", "会议纪要正在会签"},
    [MT_STAGE_ISSUED] = {"issued", "纪要已印发", "会议纪要已印发"},
};

const char *mt_stage_name(enum mt_stage s)
{
    return s < MT__STAGES ? stages[s].name : "?";
}

const char *mt_stage_label(enum mt_stage s)
{
    return s < MT__STAGES ? stages[s].label : "?";
}

bool mt_stage_parse(const char *s, enum mt_stage *out)
{
    for (int i = 0; s && i < MT__STAGES; i++)
        if (strcmp(s, stages[i].name) == 0) {
            *out = (enum mt_stage)i;
            return true;
        }
    return false;
}

const char *mt_stage_conflict(enum mt_stage s)
{
    return s < MT__STAGES ? stages[s].conflict : stages[MT_STAGE_ISSUED].conflict;
}

static const struct {
    const char *name, *label, *decision;
} selections[MT__SELECTIONS] = {
    [MT_SEL_PENDING] = {"pending", "待筛选", "reset"},
    [MT_SEL_SELECTED] = {"selected", "列为中心议题", "select"},
    [MT_SEL_MERGED] = {"merged", "合并", "merge"},
    [MT_SEL_DECLINED] = {"declined", "未采纳", "decline"},
};

const char *mt_selection_name(enum mt_selection s)
{
    return s < MT__SELECTIONS ? selections[s].name : "?";
}

const char *mt_selection_label(enum mt_selection s)
{
    return s < MT__SELECTIONS ? selections[s].label : selections[MT_SEL_PENDING].label;
}

bool mt_selection_parse(const char *s, enum mt_selection *out)
{
    for (int i = 0; s && i < MT__SELECTIONS; i++)
        if (strcmp(s, selections[i].name) == 0) {
            *out = (enum mt_selection)i;
            return true;
        }
    return false;
}

bool mt_selection_decision(const char *decision, enum mt_selection *out)
{
    for (int i = 0; decision && i < MT__SELECTIONS; i++)
        if (strcmp(decision, selections[i].decision) == 0) {
            *out = (enum mt_selection)i;
            return true;
        }
    return false;
}

static const char *const fu_names[MT__FU_STATUSES] = {"open", "in_progress", "done"};
static const char *const fu_labels[MT__FU_STATUSES] = {"未开始", "落实中", "已完成"};

const char *mt_fu_status_name(enum mt_fu_status s)
{
    return s < MT__FU_STATUSES ? fu_names[s] : fu_names[MT_FU_OPEN];
}

const char *mt_fu_status_label(enum mt_fu_status s)
{
    return s < MT__FU_STATUSES ? fu_labels[s] : fu_labels[MT_FU_OPEN];
}

bool mt_fu_status_parse(const char *s, enum mt_fu_status *out)
{
    for (int i = 0; s && i < MT__FU_STATUSES; i++)
        if (strcmp(s, fu_names[i]) == 0) {
            *out = (enum mt_fu_status)i;
            return true;
        }
    return false;
}

const char *mt_change_requested_label(void)
{
    return "有修改意见，待承办单位修改";
}

const char *mt_calendar_source_label(const char *source)
{
    return source && strcmp(source, "office") == 0 ? "联席会议办公室录入"
                                                   : "系统内置（国务院办公厅通知）";
}

const char *mt_category_label(int category)
{
    static const char *const labels[] = {
        "（一）研究推动习近平生态文明思想宣传工作",
        "（二）研究审议生态文明重大主题活动",
        "（三）通报审议典型培育和示范引领工作",
        "（四）共同推动生态环境领域志愿服务工作",
        "（五）共同应对和导控网络舆情",
        "（六）研究审议生态文明宣传教育督察相关工作",
        "（七）处理其他需要共同研究的问题",
    };
    return category >= 1 && category <= 7 ? labels[category - 1] : NULL;
}

const char *mt_kind_name(enum mt_kind k)
{
    return k == MT_SPECIAL ? "special" : "regular";
}

const char *mt_kind_label(enum mt_kind k)
{
    return k == MT_SPECIAL ? "专题会议" : "例会（每半年一次）";
}

bool mt_kind_parse(const char *s, enum mt_kind *out)
{
    if (!s) return false;
    if (strcmp(s, "regular") == 0)
        *out = MT_REGULAR;
    else if (strcmp(s, "special") == 0)
        *out = MT_SPECIAL;
    else
        return false;
    return true;
}

const char *mt_level_name(enum mt_level l)
{
    return l == MT_LEVEL_SENIOR ? "senior" : "standard";
}

const char *mt_level_label(enum mt_level l)
{
    return l == MT_LEVEL_SENIOR ? "牵头成员单位主要负责同志及各成员单位分管负责同志参加"
                                : "牵头成员单位分管负责同志及各成员单位业务处室（部门）负责人参加";
}

bool mt_level_parse(const char *s, enum mt_level *out)
{
    if (!s) return false;
    if (strcmp(s, "standard") == 0)
        *out = MT_LEVEL_STANDARD;
    else if (strcmp(s, "senior") == 0)
        *out = MT_LEVEL_SENIOR;
    else
        return false;
    return true;
}

static const char *const rank_names[] = {"staff", "division", "deputy", "principal"};
static const char *const rank_labels[] = {"工作人员", "业务处室（部门）负责人", "分管负责同志",
                                          "主要负责同志"};

const char *mt_rank_name(enum mt_rank r)
{
    return r <= MT_RANK_PRINCIPAL ? rank_names[r] : "?";
}

const char *mt_rank_label(enum mt_rank r)
{
    return r <= MT_RANK_PRINCIPAL ? rank_labels[r] : "?";
}

bool mt_rank_parse(const char *s, enum mt_rank *out)
{
    for (int i = 0; s && i <= MT_RANK_PRINCIPAL; i++)
        if (strcmp(s, rank_names[i]) == 0) {
            *out = (enum mt_rank)i;
            return true;
        }
    return false;
}

enum mt_rank mt_required_rank(enum mt_level l, bool convener)
{
    if (l == MT_LEVEL_SENIOR) return convener ? MT_RANK_PRINCIPAL : MT_RANK_DEPUTY;
    return convener ? MT_RANK_DEPUTY : MT_RANK_DIVISION;
}

bool mt_member_role_valid(const char *role)
{
    return role && (strcmp(role, "convener") == 0 || strcmp(role, "member") == 0);
}

const char *mt_member_role_label(const char *role)
{
    return role && strcmp(role, "convener") == 0 ? "牵头单位" : "成员单位";
}

void mt_doc_no(int year, long long seq, char *out, size_t outlen)
{
    snprintf(out, outlen, MT_DOC_PREFIX "〔%d〕%lld号", year, seq);
}

void mt_date_cn(int day, char *out, size_t outlen)
{
    char s[DATE_CN_LEN];
    date_format_cn(day, s);
    snprintf(out, outlen, "%s", s);
}

size_t mt_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}
