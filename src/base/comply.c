/* comply.c - evaluates a duty's periods against accepted reports: counting,
 * pro-rating of partly effective periods, made-up-late (补报) detection and
 * warning lights, all in integer arithmetic. */
#include "base/comply.h"

#include <limits.h>

static long long sat_add(long long a, long long b)
{
    long long r;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? LLONG_MAX : LLONG_MIN;
    return r;
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

/* ceil(minimum * part / whole) for minimum >= 0, 0 < part <= whole. */
static int prorate(int minimum, int part, int whole)
{
    long long num = (long long)minimum * part;
    return (int)((num + whole - 1) / whole);
}

/* Sums the events of [start, end] seen at as_of. For once-rules (`once`),
 * events done after end also count, but never on time. */
static void tally(const struct comply_event *ev, size_t nev, int start, int end, int as_of,
                  int grace, bool once, long long *count, long long *on_time)
{
    long long c = 0, t = 0;
    long long deadline = (long long)end + grace;
    for (size_t i = 0; i < nev; i++) {
        const struct comply_event *e = &ev[i];
        if (e->activity_day < start || e->activity_day > as_of || e->accepted_day > as_of) continue;
        bool in_period = e->activity_day <= end;
        if (!in_period && !once) continue;
        c = sat_add(c, e->value);
        if (in_period && (long long)e->accepted_day <= deadline) t = sat_add(t, e->value);
    }
    *count = c;
    *on_time = t;
}

static void judge_recurring(struct comply_period *p, int as_of, int grace)
{
    long long deadline = (long long)p->end + grace;
    if (p->count_on_time >= p->minimum) {
        p->status = COMPLY_MET;
        p->light = LIGHT_GREEN;
    } else if ((long long)as_of > deadline) {
        if (p->count >= p->minimum) {
            p->status = COMPLY_MET_LATE;
            p->light = LIGHT_YELLOW;
        } else {
            p->status = COMPLY_MISSED;
            p->light = LIGHT_RED;
        }
    } else if (as_of <= p->end) {
        long long days = (long long)p->end - p->start + 1;
        long long elapsed = (long long)as_of - p->start;
        long long expected = (long long)p->minimum * elapsed / days;
        bool on_track = p->count >= expected && elapsed * 4 < days * 3;
        p->status = COMPLY_IN_PROGRESS;
        p->light = on_track ? LIGHT_GREEN : LIGHT_YELLOW;
    } else {
        p->status = COMPLY_IN_PROGRESS;
        p->light = LIGHT_YELLOW;
    }
}

static void judge_once(struct comply_period *p, int as_of, int grace)
{
    long long deadline = (long long)p->end + grace;
    if (p->count_on_time >= p->minimum) {
        p->status = COMPLY_MET;
        p->light = LIGHT_GREEN;
    } else if (p->count >= p->minimum) {
        p->status = COMPLY_MET_LATE;
        p->light = LIGHT_YELLOW;
    } else if ((long long)as_of > deadline) {
        p->status = COMPLY_MISSED;
        p->light = LIGHT_RED;
    } else if ((long long)p->end - as_of > COMPLY_ONCE_WARN_DAYS) {
        p->status = COMPLY_NOT_DUE;
        p->light = LIGHT_GREEN;
    } else {
        p->status = COMPLY_IN_PROGRESS;
        p->light = LIGHT_YELLOW;
    }
}

size_t comply_evaluate(const struct comply_rule *r, const struct comply_event *ev, size_t nev,
                       int as_of, struct comply_period *out, size_t cap)
{
    int grace = r->grace_days > 0 ? r->grace_days : 0;
    int minimum = r->minimum > 0 ? r->minimum : 0;
    if (!ev) nev = 0;
    if (as_of < r->from) return 0;

    if (r->per == PERIOD_ONCE) {
        if (r->due < r->from) return 0;
        if (cap > 0) {
            struct comply_period *p = &out[0];
            *p = (struct comply_period){
                .start = r->from, .end = r->due, .minimum = minimum, .share_pct = 100};
            tally(ev, nev, p->start, p->end, as_of, grace, true, &p->count, &p->count_on_time);
            judge_once(p, as_of, grace);
            p->late = p->status == COMPLY_MET_LATE;
        }
        return 1;
    }

    int last = min_int(as_of, r->to);
    if (last < r->from) return 0;
    size_t n = 0;
    int start, end;
    period_containing(r->per, r->from, &start, &end);
    while (start <= last) {
        if (n < cap) {
            struct comply_period *p = &out[n];
            int days = end - start + 1;
            int in_effect = min_int(end, r->to) - max_int(start, r->from) + 1;
            *p = (struct comply_period){
                .start = start,
                .end = end,
                .minimum = in_effect < days ? prorate(minimum, in_effect, days) : minimum,
                .share_pct = (int)((long long)in_effect * 100 / days),
            };
            tally(ev, nev, max_int(start, r->from), end, as_of, grace, false, &p->count,
                  &p->count_on_time);
            if ((long long)in_effect * 100 < (long long)r->min_share * days) {
                p->status = COMPLY_NOT_ASSESSED;
                p->light = LIGHT_GREY;
            } else {
                judge_recurring(p, as_of, grace);
            }
            p->late = p->status == COMPLY_MET_LATE;
        }
        n++;
        if (end == INT_MAX) break;
        period_containing(r->per, end + 1, &start, &end);
    }
    return n;
}

const char *comply_status_name(enum comply_status s)
{
    switch (s) {
    case COMPLY_NOT_DUE:
        return "not_due";
    case COMPLY_IN_PROGRESS:
        return "in_progress";
    case COMPLY_MET:
        return "met";
    case COMPLY_MET_LATE:
        return "met_late";
    case COMPLY_MISSED:
        return "missed";
    case COMPLY_NOT_ASSESSED:
        return "not_assessed";
    }
    return "?";
}

const char *comply_light_name(enum comply_light l)
{
    switch (l) {
    case LIGHT_GREEN:
        return "green";
    case LIGHT_YELLOW:
        return "yellow";
    case LIGHT_RED:
        return "red";
    case LIGHT_GREY:
        return "grey";
    }
    return "?";
}

const char *comply_status_label(enum comply_status s)
{
    static const char *const labels[COMPLY__STATUSES] = {
        [COMPLY_NOT_DUE] = "未到期", [COMPLY_IN_PROGRESS] = "进行中",
        [COMPLY_MET] = "按时完成",   [COMPLY_MET_LATE] = "补报完成",
        [COMPLY_MISSED] = "未完成",  [COMPLY_NOT_ASSESSED] = "不计入考核"};
    return (unsigned)s < COMPLY__STATUSES ? labels[s] : "?";
}

static const struct {
    const char *label, *desc;
} light_words[COMPLY__LIGHTS] = {
    [LIGHT_GREEN] = {"绿灯", "按时完成或进度正常"},
    [LIGHT_YELLOW] = {"黄灯", "补报完成、临近期限或进度滞后"},
    [LIGHT_RED] = {"红灯", "逾期未完成"},
    [LIGHT_GREY] = {"不考核", "周期大半在义务实施期外，只显示、不考核"},
};

const char *comply_light_label(enum comply_light l)
{
    return (unsigned)l < COMPLY__LIGHTS ? light_words[l].label : "?";
}

const char *comply_light_desc(enum comply_light l)
{
    return (unsigned)l < COMPLY__LIGHTS ? light_words[l].desc : "";
}

bool comply_closed(const struct comply_period *p, int grace, int as_of)
{
    return (long long)as_of > (long long)p->end + (grace > 0 ? grace : 0);
}

bool comply_assessed(const struct comply_period *p)
{
    return p->status != COMPLY_NOT_ASSESSED;
}
