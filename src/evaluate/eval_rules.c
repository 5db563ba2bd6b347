/* eval_rules.c - the pure rules of the annual evaluation (evaluate.h): the rubric and its
 * check, each component's raw value, weighing with missing components, ranks within a tier,
 * year-on-year change, the month-weighted mean of the final evaluation, and the number
 * formats. No I/O, no clock; tests/unit/test_evaluate.c covers them. */
#include "evaluate/evaluate.h"
#include "base/date.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ev_component_key(enum ev_component c)
{
    static const char *const k[] = {"compliance", "timeliness", "evaluator"};
    return c < EV__COMPONENTS ? k[c] : "?";
}

const char *ev_component_label(enum ev_component c)
{
    static const char *const k[] = {"履职合规", "督办反馈及时性", "第三方评估"};
    return c < EV__COMPONENTS ? k[c] : "?";
}

const char *ev_component_hint(enum ev_component c)
{
    static const char *const k[] = {
        "本年度已结束周期：按时完成计1，补报按细则折算，未完成计0",
        "截止日在本年度的督办单：期限内反馈计1，逾期反馈按细则折算，逾期未反馈计0",
        "评估人员评分的平均值"};
    return c < EV__COMPONENTS ? k[c] : "";
}

const char *ev_tier_label(const char *tier)
{
    if (!tier) return "其他";
    if (strcmp(tier, "district") == 0) return "区";
    if (strcmp(tier, "county") == 0) return "县";
    if (strcmp(tier, "zone") == 0) return "管理区";
    if (strcmp(tier, "city_department") == 0) return "市级部门";
    return "其他";
}

bool ev_tier_evaluated(const char *tier)
{
    return tier && (strcmp(tier, "district") == 0 || strcmp(tier, "county") == 0 ||
                    strcmp(tier, "zone") == 0 || strcmp(tier, "city_department") == 0);
}

/* ---- rubric ---- */

void ev_rubric_default(struct ev_rubric *r)
{
    memset(r, 0, sizeof *r);
    r->weight[EV_COMPLIANCE] = 60;
    r->weight[EV_TIMELINESS] = 15;
    r->weight[EV_EVALUATOR] = 25;
    r->late_credit = 50;
    r->notice_late_credit = 50;
}

static bool fail(struct problem *p, const char *field, const char *msg)
{
    problem_set(p, ERR_RULE, field, "%s", msg);
    return false;
}

bool ev_rubric_check(const struct ev_rubric *r, struct problem *p)
{
    int sum = 0;
    for (int i = 0; i < EV__COMPONENTS; i++) {
        if (r->weight[i] < 0 || r->weight[i] > 100) {
            char f[48];
            snprintf(f, sizeof f, "weights.%s", ev_component_key((enum ev_component)i));
            return fail(p, f, "权重应为 0 到 100 的整数");
        }
        sum += r->weight[i];
    }
    if (sum != 100) {
        char m[160];
        snprintf(m, sizeof m, "三项权重之和应为 100（现为 %d）", sum);
        return fail(p, "weights", m);
    }
    if (r->late_credit < 0 || r->late_credit > 100)
        return fail(p, "late_credit", "补报得分比例应为 0 到 100 的整数（百分比）");
    if (r->notice_late_credit < 0 || r->notice_late_credit > 100)
        return fail(p, "notice_late_credit", "逾期反馈得分比例应为 0 到 100 的整数（百分比）");
    return true;
}

/* ---- raw values ---- */

long long ev_ratio(long long num, long long den)
{
    if (den <= 0 || num < 0) return 0;
    /* num ≤ den × 100 in every use here, so num × 20000 stays far from overflow */
    return (num * 2 * EV_FULL + den) / (2 * den);
}

long long ev_compliance_raw(const struct ev_tally *t, int late_credit)
{
    if (t->closed <= 0) return EV_NONE;
    return ev_ratio(t->met * 100 + t->late * late_credit, t->closed * 100);
}

long long ev_timeliness_raw(const struct ev_tally *t, int notice_late_credit)
{
    long long due = t->on_time + t->answered_late + t->unanswered;
    if (due <= 0) return EV_FULL; /* no notice was due: nothing answered late */
    return ev_ratio(t->on_time * 100 + t->answered_late * notice_late_credit, due * 100);
}

long long ev_evaluator_raw(const struct ev_tally *t)
{
    if (t->scores <= 0) return EV_NONE;
    return (2 * t->score_sum + t->scores) / (2 * t->scores);
}

/* round(a × b / c) half up, non-negative a, b; c > 0 */
static long long mul_div(long long a, long long b, long long c)
{
    return (2 * a * b + c) / (2 * c);
}

void ev_score(const struct ev_rubric *r, const long long raw[EV__COMPONENTS], struct ev_score *out)
{
    long long present = 0;
    for (int i = 0; i < EV__COMPONENTS; i++) {
        out->raw[i] = raw[i];
        if (raw[i] != EV_NONE) present += r->weight[i];
    }
    out->total = present > 0 ? 0 : EV_NONE;
    for (int i = 0; i < EV__COMPONENTS; i++) {
        if (raw[i] == EV_NONE || present == 0) {
            out->applied[i] = 0;
            out->points[i] = EV_NONE;
            continue;
        }
        out->applied[i] = mul_div(r->weight[i], EV_FULL, present);
        out->points[i] = mul_div(raw[i], r->weight[i], present);
        out->total += out->points[i];
    }
}

void ev_score_tally(const struct ev_rubric *r, const struct ev_tally *t, struct ev_score *out)
{
    long long raw[EV__COMPONENTS] = {ev_compliance_raw(t, r->late_credit),
                                     ev_timeliness_raw(t, r->notice_late_credit),
                                     ev_evaluator_raw(t)};
    ev_score(r, raw, out);
}

/* ---- ranks ---- */

static bool same_group(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

void ev_rank(struct ev_rankee *a, size_t n)
{
    /* n is a few dozen units: the quadratic count is simpler than sorting and keeps order */
    for (size_t i = 0; i < n; i++) {
        a[i].rank = 0;
        a[i].rank_of = 0;
        for (size_t j = 0; j < n; j++) {
            if (!same_group(a[i].group, a[j].group) || a[j].total == EV_NONE) continue;
            a[i].rank_of++;
            if (a[i].total != EV_NONE && a[j].total > a[i].total) a[i].rank++;
        }
        if (a[i].total == EV_NONE)
            a[i].rank = 0;
        else
            a[i].rank++;
    }
}

void ev_change(long long total, int rank, long long prev_total, int prev_rank,
               struct ev_change *out)
{
    memset(out, 0, sizeof *out);
    if (total != EV_NONE && prev_total != EV_NONE) {
        out->has_points = true;
        out->points = total - prev_total;
    }
    if (rank > 0 && prev_rank > 0) {
        out->has_rank = true;
        out->rank = prev_rank - rank;
    }
}

/* ---- years ---- */

int ev_year_months(int start, int end, int year)
{
    if (end < start) return 0;
    int months = 0;
    for (int m = 1; m <= 12; m++) {
        int lo = date_from_ymd(year, m, 1), hi = date_from_ymd(year, m + 1, 0);
        if (hi >= start && lo <= end) months++;
    }
    return months;
}

long long ev_weighted_mean(const long long *v, const int *w, size_t n)
{
    long long num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == EV_NONE || w[i] <= 0) continue;
        num += v[i] * w[i];
        den += w[i];
    }
    if (den == 0) return EV_NONE;
    if (num >= 0) return (2 * num + den) / (2 * den);
    return -((-2 * num + den) / (2 * den));
}

/* ---- numbers ---- */

void ev_fmt(long long h, char *out, size_t n)
{
    bool neg = h < 0;
    unsigned long long u = neg ? (unsigned long long)(-(h + 1)) + 1 : (unsigned long long)h;
    unsigned long long whole = u / 100, frac = u % 100;
    if (frac == 0)
        snprintf(out, n, "%s%llu", neg ? "-" : "", whole);
    else if (frac % 10 == 0)
        snprintf(out, n, "%s%llu.%llu", neg ? "-" : "", whole, frac / 10);
    else
        snprintf(out, n, "%s%llu.%02llu", neg ? "-" : "", whole, frac);
}

bool ev_score_from_double(double v, long long *h)
{
    if (!isfinite(v) || v < 0 || v > 100) return false;
    double x = v * 100.0;
    double r = floor(x + 0.5);
    if (fabs(x - r) > 1e-6) return false; /* more than two decimals */
    *h = (long long)r;
    return *h >= 0 && *h <= EV_FULL;
}

bool ev_score_parse(const char *s, long long *h)
{
    if (!s || !*s || strlen(s) > 24) return false;
    int dots = 0;
    for (const char *c = s; *c; c++) {
        if (*c == '.')
            dots++;
        else if (*c < '0' || *c > '9')
            return false;
    }
    if (dots > 1 || s[0] == '.') return false;
    char *end;
    double v = strtod(s, &end);
    return *end == '\0' && ev_score_from_double(v, h);
}

/* ---- the sign-off (签批) ---- */

const char *ev_signoff_state_key(enum ev_signoff_state s)
{
    static const char *const k[] = {"none", "requested", "approved", "returned"};
    return (unsigned)s < 4 ? k[s] : "none";
}

const char *ev_signoff_state_label(enum ev_signoff_state s)
{
    static const char *const k[] = {"未提请签批", "待领导签批", "已签批", "已退回"};
    return (unsigned)s < 4 ? k[s] : k[0];
}

const char *ev_signoff_step_label(const char *step)
{
    if (step && strcmp(step, "request") == 0) return "提请签批";
    if (step && strcmp(step, "approve") == 0) return "签批同意";
    if (step && strcmp(step, "return") == 0) return "退回";
    return "";
}

enum ev_signoff_state ev_signoff_state_of(const char *last)
{
    if (!last) return EV_SO_NONE;
    if (strcmp(last, "request") == 0) return EV_SO_REQUESTED;
    if (strcmp(last, "approve") == 0) return EV_SO_APPROVED;
    if (strcmp(last, "return") == 0) return EV_SO_RETURNED;
    return EV_SO_NONE;
}

bool ev_signoff_may(enum ev_signoff_state s, const char *step, long long requested_by,
                    long long user_id, enum err *e, const char **why)
{
    *e = OK;
    *why = NULL;
    if (strcmp(step, "request") == 0) {
        if (s == EV_SO_REQUESTED) *why = "已提请签批，正在等待领导签批";
        if (s == EV_SO_APPROVED) *why = "领导已签批，可以发布";
    } else if (s != EV_SO_REQUESTED) {
        *why = s == EV_SO_APPROVED ? "领导已签批，不能再次签批" : "尚未提请签批，没有待签批的申请";
    } else if (requested_by && requested_by == user_id) {
        *e = ERR_FORBIDDEN;
        *why = "提请签批的人不能签批自己的申请，请由其他领导签批";
        return false;
    }
    if (*why) *e = ERR_CONFLICT;
    return *e == OK;
}
