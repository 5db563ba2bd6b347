/* work_rules.c - the pure rules of the work ledger: checking a report against the plan's
 * catalogue (kind, dates inside the plan and not in the future, title and text lengths, tasks
 * that exist, metrics the kind has, http(s) links) and spreadsheet cells (dates, integers, task
 * lists). Evidence names and types are base/filetype.h's. No I/O and no clock: callers pass
 * today's date. */
#include "work/work.h"
#include "base/date.h"
#include "base/utf8.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Control characters other than those allowed (allow: e.g. "\n\r\t" for a summary). */
static bool has_control(const char *s, const char *allow)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if ((*p < 0x20 || *p == 0x7F) && !(allow && strchr(allow, *p))) return true;
    return false;
}

/* ---- the catalogue ---- */

json_t *work_kind(const struct work_catalog *c, const char *code)
{
    return code && c->kinds ? json_object_get(c->kinds, code) : NULL;
}

json_t *work_kind_find(const struct work_catalog *c, const char *s, const char **code)
{
    if (!s || !c->kinds) return NULL;
    json_t *k = json_object_get(c->kinds, s);
    if (k) {
        *code = json_object_iter_key(json_object_iter_at(c->kinds, s));
        return k;
    }
    const char *key;
    json_t *v;
    json_object_foreach(c->kinds, key, v)
    {
        const char *name = json_string_value(json_object_get(v, "name"));
        if (name && strcmp(name, s) == 0) {
            *code = key;
            return v;
        }
    }
    return NULL;
}

bool work_kind_has_metric(json_t *kind, const char *metric)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(kind, "metrics"), i, m)
    {
        if (json_is_string(m) && strcmp(json_string_value(m), metric) == 0) return true;
    }
    return false;
}

static const char *const metric_labels[][2] = {
    {"participants", "参与人数"},
    {"media_outlets", "媒体数"},
    {"reports", "报道数"},
    {"sessions", "场次"},
    {"views", "浏览量"},
    {"articles", "稿件数"},
    {"products", "产品数"},
    {"cases", "案例数"},
    {"schools_total", "学校总数"},
    {"schools_met", "达标学校数"},
    {"class_hours", "课时数"},
    {"volunteer_hours", "志愿服务时长"},
    {"candidates", "候选人数"},
    {"selected", "入选人数"},
    {"respondents", "受访人数"},
    {"venues", "场馆数"},
    {"area_m2", "面积（平方米）"},
    {"outputs", "成果数"},
    {"placements", "投放点位数"},
    {"works", "作品数"},
    {"schools", "学校数"},
    {"organisations", "社会组织数"},
    {"member_organisations", "成员单位数"},
    {"terminals", "终端数"},
    {"topics", "议题数"},
};

const char *work_metric_label(const char *metric)
{
    for (size_t i = 0; i < sizeof metric_labels / sizeof *metric_labels; i++)
        if (strcmp(metric_labels[i][0], metric) == 0) return metric_labels[i][1];
    return metric;
}

const char *work_metric_from_header(const char *h)
{
    for (size_t i = 0; i < sizeof metric_labels / sizeof *metric_labels; i++)
        if (strcmp(metric_labels[i][0], h) == 0 || strcmp(metric_labels[i][1], h) == 0)
            return metric_labels[i][0];
    /* a metric unknown to the label table: its name as written, if it looks like one */
    if (!*h || strlen(h) > 64) return NULL;
    for (const char *p = h; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) return NULL;
    return h;
}

/* ---- one report ---- */

static void add(struct work_problems *o, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add(struct work_problems *o, const char *field, const char *fmt, ...)
{
    if (o->n >= WORK_MAX_PROBLEMS) return;
    char msg[sizeof o->items[0].msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    problem_set(&o->items[o->n++], ERR_RULE, field, "%s", msg);
}

bool work_link_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > WORK_LINK_MAX) return false;
    const char *host;
    if (strncasecmp(s, "http://", 7) == 0)
        host = s + 7;
    else if (strncasecmp(s, "https://", 8) == 0)
        host = s + 8;
    else
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    size_t hl = strcspn(host, "/?#");
    if (hl == 0) return false;
    /* no user info (http://bank@evil), which hides the real host */
    if (memchr(host, '@', hl)) return false;
    return true;
}

bool work_report_check(const struct work_report *r, const struct work_catalog *c,
                       struct work_problems *o)
{
    o->n = 0;
    json_t *kind = NULL;
    if (!r->kind || !*r->kind)
        add(o, "kind", "请选择活动类型");
    else if (!(kind = work_kind(c, r->kind)))
        add(o, "kind", "未知活动类型：%.64s", r->kind);

    int day;
    char a[DATE_CN_LEN], b[DATE_CN_LEN], given[DATE_CN_LEN];
    if (!r->activity_date || !*r->activity_date) {
        add(o, "activity_date", "请填写活动日期");
    } else if (!date_parse(r->activity_date, &day)) {
        add(o, "activity_date", "活动日期应为真实的日期，格式为 2025-02-11：%.32s",
            r->activity_date);
    } else if (day < c->start || day > c->end) {
        date_format_cn(c->start, a);
        date_format_cn(c->end, b);
        date_format_cn(day, given);
        add(o, "activity_date", "活动日期 %s 不在实施方案的期限内（%s 至 %s）", given, a, b);
    } else if (day > c->today) {
        date_format_cn(c->today, a);
        date_format_cn(day, given);
        add(o, "activity_date", "活动日期 %s 晚于今天（%s），不能报送尚未开展的活动", given, a);
    }

    size_t tl = r->title ? utf8_chars(r->title) : 0;
    if (tl == 0)
        add(o, "title", "请填写标题");
    else if (tl > WORK_TITLE_MAX)
        add(o, "title", "标题最多 %d 字（现 %zu 字）", WORK_TITLE_MAX, tl);
    else if (has_control(r->title, NULL))
        add(o, "title", "标题不能含有换行或控制字符");

    size_t sl = r->summary ? utf8_chars(r->summary) : 0;
    if (sl > WORK_SUMMARY_MAX)
        add(o, "summary", "摘要最多 %d 字（现 %zu 字）", WORK_SUMMARY_MAX, sl);
    else if (sl && has_control(r->summary, "\n\r\t"))
        add(o, "summary", "摘要不能含有控制字符");

    size_t pl = r->place ? utf8_chars(r->place) : 0;
    if (pl > WORK_PLACE_MAX)
        add(o, "place", "地点最多 %d 字", WORK_PLACE_MAX);
    else if (pl && has_control(r->place, NULL))
        add(o, "place", "地点不能含有换行或控制字符");

    if (r->ntasks == 0) {
        add(o, "tasks", "请至少选择一项服务的重点任务（方案任务编号）");
    } else {
        for (size_t i = 0; i < r->ntasks; i++) {
            bool found = false, dup = false;
            for (size_t k = 0; k < c->ntasks && !found; k++)
                found = c->tasks[k] == r->tasks[i];
            for (size_t k = 0; k < i && !dup; k++)
                dup = r->tasks[k] == r->tasks[i];
            if (!found) {
                add(o, "tasks", "方案 %s 没有第 %lld 项重点任务", c->plan ? c->plan : "",
                    r->tasks[i]);
                break;
            }
            if (dup) {
                add(o, "tasks", "任务 %lld 重复", r->tasks[i]);
                break;
            }
        }
    }

    for (size_t i = 0; i < r->nmetrics; i++) {
        const struct work_metric *m = &r->metrics[i];
        char field[80];
        snprintf(field, sizeof field, "metrics.%.64s", m->name);
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = strcmp(r->metrics[k].name, m->name) == 0;
        if (dup)
            add(o, field, "指标 %.64s 重复", m->name);
        else if (kind && !work_kind_has_metric(kind, m->name))
            add(o, field, "活动类型“%s”没有指标 %.64s",
                json_string_value(json_object_get(kind, "name")), m->name);
        else if (m->value < 0)
            add(o, field, "指标 %.64s（%s）不能为负数", m->name, work_metric_label(m->name));
        else if (m->value > WORK_METRIC_MAX)
            add(o, field, "指标 %.64s 过大（最多 %lld）", m->name, WORK_METRIC_MAX);
    }

    for (size_t i = 0; i < r->nlinks; i++)
        if (!work_link_valid(r->links[i])) {
            add(o, "links",
                "第 %zu 个链接无效：须以 http:// 或 https:// 开头，含主机名，且不含空格", i + 1);
            break;
        }
    return o->n == 0;
}

static const char *const statuses[][2] = {
    {"submitted", "待审核"}, {"accepted", "已通过"}, {"returned", "已退回"}};

const char *work_status_label(const char *s)
{
    for (size_t i = 0; i < 3; i++)
        if (s && strcmp(statuses[i][0], s) == 0) return statuses[i][1];
    return s ? s : "";
}

bool work_status_valid(const char *s)
{
    for (size_t i = 0; i < 3; i++)
        if (s && strcmp(statuses[i][0], s) == 0) return true;
    return false;
}

/* A report history row's action (store_work.c writes them), the fields its "changes" name, and
 * where a report came from, as shown. */
static const char *const history_actions[][2] = {
    {"submit", "提交报送"},
    {"update", "修改"},
    {"resubmit", "修改并重新提交"},
    {"accept", "审核通过"},
    {"return", "退回"},
    {"evidence_add", "添加佐证材料"},
    {"evidence_replace", "替换佐证材料"},
    {"evidence_remove", "删除佐证材料"},
};
static const char *const report_fields[][2] = {
    {"unit", "报送单位"},
    {"plan", "所属方案"},
    {"kind", "活动类型"},
    {"activity_date", "活动日期"},
    {"title", "标题"},
    {"summary", "摘要"},
    {"place", "地点"},
    {"tasks", "服务任务"},
    {"metrics", "指标"},
    {"links", "相关链接"},
    {"accepted_date", "通过日期"},
    {"status", "状态"},
    {"source", "来源"},
    {"source_ref", "来源记录"},
};
static const char *const sources[][2] = {{"api", "在线填报"},
                                         {"import", "批量导入"},
                                         {"meeting", "联席会议纪要印发"},
                                         {"demo", "演示数据"}};

static const char *pair_label(const char *const (*t)[2], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (name && strcmp(t[i][0], name) == 0) return t[i][1];
    return name ? name : "";
}

static json_t *pairs_json(const char *const (*t)[2], size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, t[i][0], json_string(t[i][1]));
    return o;
}

#define PAIRS(t) (t), sizeof(t) / sizeof *(t)

const char *work_history_label(const char *action)
{
    return pair_label(PAIRS(history_actions), action);
}

json_t *work_vocabulary_json(void)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "statuses", pairs_json(PAIRS(statuses)), "metrics",
                     pairs_json(PAIRS(metric_labels)), "actions",
                     pairs_json(PAIRS(history_actions)), "fields", pairs_json(PAIRS(report_fields)),
                     "sources", pairs_json(PAIRS(sources)));
}

/* ---- spreadsheet cells ---- */

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Reads 1..maxd digits; returns the number of digits read. */
static int digits(const char **s, int maxd, long long *v)
{
    int n = 0;
    *v = 0;
    while (n < maxd && isdigit((unsigned char)**s)) {
        *v = *v * 10 + (**s - '0');
        (*s)++, n++;
    }
    return n;
}

/* One of the separators ('-', '/', '.' or the given UTF-8 word such as "年"). */
static bool date_sep(const char **s, const char *word)
{
    if (**s == '-' || **s == '/' || **s == '.') {
        (*s)++;
        return true;
    }
    size_t n = strlen(word);
    if (strncmp(*s, word, n) == 0) {
        *s += n;
        return true;
    }
    return false;
}

bool work_cell_date(const char *str, bool date1904, int *day)
{
    if (!str) return false;
    const char *s = skip_space(str);
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > 40) return false;
    char buf[48];
    memcpy(buf, s, n);
    buf[n] = '\0';
    /* Excel serial: digits with an optional fraction (a time of day, dropped) */
    size_t nd = strspn(buf, "0123456789");
    if (nd > 0 && nd <= 7 &&
        (buf[nd] == '\0' || (buf[nd] == '.' && buf[nd + 1] &&
                             strspn(buf + nd + 1, "0123456789") == strlen(buf + nd + 1)))) {
        long long serial = atoll(buf);
        if (serial < 1 || serial > 2958465) return false; /* 9999-12-31 */
        if (date1904) {
            *day = (int)(serial - 24107);
        } else {
            if (serial == 60) return false; /* 1900-02-29, which never was */
            *day = (int)(serial < 60 ? serial - 25568 : serial - 25569);
        }
        return true;
    }
    /* 20230520 */
    if (nd == 8 && buf[8] == '\0') {
        int y = (buf[0] - '0') * 1000 + (buf[1] - '0') * 100 + (buf[2] - '0') * 10 + (buf[3] - '0');
        int m = (buf[4] - '0') * 10 + (buf[5] - '0'), d = (buf[6] - '0') * 10 + (buf[7] - '0');
        if (!date_valid_ymd(y, m, d)) return false;
        *day = date_from_ymd(y, m, d);
        return true;
    }
    const char *p = buf;
    long long y, m, d;
    if (digits(&p, 4, &y) != 4 || !date_sep(&p, "年")) return false;
    if (digits(&p, 2, &m) < 1 || !date_sep(&p, "月")) return false;
    if (digits(&p, 2, &d) < 1) return false;
    if (strncmp(p, "日", strlen("日")) == 0) p += strlen("日");
    /* a time after the date ("2023/5/20 0:00") is dropped */
    if (*p == ' ' || *p == 'T') {
        p++;
        if (strspn(p, "0123456789:") != strlen(p)) return false;
        p += strlen(p);
    }
    if (*p) return false;
    if (!date_valid_ymd((int)y, (int)m, (int)d)) return false;
    *day = date_from_ymd((int)y, (int)m, (int)d);
    return true;
}

double work_excel_serial(int day)
{
    return (double)day + 25569.0;
}

bool work_cell_int(const char *str, long long *out)
{
    if (!str) return false;
    const char *s = skip_space(str);
    bool neg = false;
    if (*s == '-') neg = true, s++;
    long long v = 0;
    int n = 0;
    while (isdigit((unsigned char)*s)) {
        if (++n > 15) return false;
        v = v * 10 + (*s++ - '0');
    }
    if (n == 0) return false;
    if (*s == '.') {
        s++;
        while (*s == '0')
            s++;
    }
    s = skip_space(s);
    if (*s) return false;
    *out = neg ? -v : v;
    return true;
}

bool work_cell_tasks(const char *s, long long *tasks, size_t max, size_t *n, char *bad,
                     size_t badlen)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", " ", "\t", "\n", "\r", NULL};
    *n = 0;
    const char *p = s ? s : "";
    for (;;) {
        /* skip separators */
        bool moved = true;
        while (moved) {
            moved = false;
            for (const char *const *sp = seps; *sp; sp++) {
                size_t l = strlen(*sp);
                if (strncmp(p, *sp, l) == 0) {
                    p += l;
                    moved = true;
                }
            }
        }
        if (!*p) return true;
        const char *start = p;
        long long v = 0;
        int nd = 0;
        while (isdigit((unsigned char)*p) && nd < 7)
            v = v * 10 + (*p++ - '0'), nd++;
        if (*p == '.' && p[1] == '0') { /* 16.0 from a number cell */
            p++;
            while (*p == '0')
                p++;
        }
        bool at_sep = !*p;
        for (const char *const *sp = seps; *sp && !at_sep; sp++)
            if (strncmp(p, *sp, strlen(*sp)) == 0) at_sep = true;
        if (nd == 0 || !at_sep || v <= 0) {
            size_t l = strcspn(start, "、，；,; \t\r\n");
            snprintf(bad, badlen, "%.*s", (int)(l > 40 ? 40 : l), start);
            return false;
        }
        if (*n >= max) {
            snprintf(bad, badlen, "最多 %zu 项", max);
            return false;
        }
        tasks[(*n)++] = v;
    }
}

/* ---- the row's JSON copies of tasks and metrics, read back ---- */

size_t work_tasks_parse(const char *json, long long *out, size_t max)
{
    size_t n = 0;
    for (const char *p = json; p && *p && n < max;) {
        if (*p >= '0' && *p <= '9') {
            char *end;
            out[n++] = strtoll(p, &end, 10);
            p = end;
        } else {
            p++;
        }
    }
    return n;
}

size_t work_metrics_parse(const char *json, struct work_metric *out, size_t max, char *names,
                          size_t namelen)
{
    size_t n = 0, used = 0;
    for (const char *p = json ? strchr(json, '"') : NULL; p && n < max; p = strchr(p, '"')) {
        const char *key = p + 1, *close = key;
        while (*close && *close != '"')
            close += close[0] == '\\' && close[1] ? 2 : 1;
        if (!*close) break;
        size_t len = (size_t)(close - key);
        const char *v = close + 1;
        while (*v == ' ')
            v++;
        if (*v != ':') { /* not a key: go on after this string */
            p = close + 1;
            continue;
        }
        v++;
        while (*v == ' ')
            v++;
        char *end;
        long long x = strtoll(v, &end, 10);
        p = end;
        if (end == v || used + len + 1 > namelen) continue; /* not an integer, or no room */
        memcpy(names + used, key, len);
        names[used + len] = '\0';
        out[n++] = (struct work_metric){names + used, x};
        used += len + 1;
    }
    return n;
}

/* ---- list orders ---- */

static const char *const sort_names[] = {"newest", "oldest", "unit", "activity_date"};

bool work_sort_parse(const char *s, enum work_sort *out)
{
    for (size_t i = 0; s && i < sizeof sort_names / sizeof *sort_names; i++)
        if (strcmp(s, sort_names[i]) == 0) {
            *out = (enum work_sort)i;
            return true;
        }
    return false;
}

bool work_sort_offset(enum work_sort s)
{
    return s == WORK_SORT_UNIT || s == WORK_SORT_ACTIVITY;
}

bool work_period_range(const char *s, int *from, int *to)
{
    int y, n = 0;
    char kind = 0, tail;
    if (!s || strlen(s) > 8) return false;
    if (sscanf(s, "%4d%c%d%c", &y, &kind, &n, &tail) == 3 && y >= 2000 && y <= 2100) {
        int first, months;
        if (kind == 'Q' && n >= 1 && n <= 4)
            first = 3 * n - 2, months = 3;
        else if (kind == 'H' && n >= 1 && n <= 2)
            first = 6 * n - 5, months = 6;
        else if (kind == '-' && n >= 1 && n <= 12)
            first = n, months = 1;
        else
            return false;
        int last = first + months - 1;
        *from = date_from_ymd(y, first, 1);
        *to = date_from_ymd(y, last, date_days_in_month(y, last));
        return true;
    }
    if (sscanf(s, "%4d%c", &y, &tail) == 1 && strlen(s) == 4 && y >= 2000 && y <= 2100) {
        *from = date_from_ymd(y, 1, 1);
        *to = date_from_ymd(y, 12, 31);
        return true;
    }
    return false;
}
