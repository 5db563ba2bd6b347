/* volunteer_rules.c - the volunteer area's pure rules: places and waitlists (places_*, callable
 * by any area that hands out limited places), priority, absences, overlaps, skills, the
 * volunteer number, team levels and statuses, themes and service types, the activity
 * lifecycle and the Chinese labels. Tested in tests/unit/test_volunteer.c. */
#include "volunteer/volunteer.h"
#include <stdio.h>
#include <string.h>

bool places_fit(long long places, long long taken, long long n)
{
    return n > 0 && taken >= 0 && places > 0 && taken <= places && n <= places - taken;
}

int places_queue_cmp(const struct places_queued *a, const struct places_queued *b)
{
    if (a->priority != b->priority) return a->priority < b->priority ? -1 : 1;
    if (a->seq != b->seq) return a->seq < b->seq ? -1 : 1;
    return 0;
}

long long places_offer_until(long long now, long long ttl, long long latest)
{
    if (latest <= now) return 0;
    return now + ttl < latest ? now + ttl : latest;
}

bool places_cancel_free(long long now, long long cancel_by)
{
    return now <= cancel_by;
}

long long vol_priority(long long absences)
{
    return absences > 0 ? absences : 0;
}

bool vol_absences_suspend(long long absences, long long limit)
{
    return limit > 0 && absences >= limit;
}

bool vol_overlap(long long a0, long long a1, long long b0, long long b1)
{
    return a0 < b1 && b0 < a1;
}

/* Whether the comma-separated list holds the item (len bytes). */
static bool list_has(const char *list, const char *item, size_t len)
{
    const char *s = list;
    while (s && *s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == len && strncmp(s, item, len) == 0) return true;
        s = e ? e + 1 : NULL;
    }
    return false;
}

bool vol_skills_cover(const char *need, const char *have)
{
    const char *s = need;
    while (s && *s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n && !list_has(have ? have : "", s, n)) return false;
        s = e ? e + 1 : NULL;
    }
    return true;
}

void vol_number(long long citizen_id, int year, char out[32])
{
    snprintf(out, 32, "ZY%04d%08lld", year % 10000, citizen_id % 100000000LL);
}

struct code_label {
    const char *code, *label;
};
#define N_OF(a) (sizeof(a) / sizeof *(a))

static const struct code_label levels[] = {
    {"city", "市级总队"},        {"direct", "直属分队"},           {"district", "区县分队"},
    {"org", "环保志愿服务组织"}, {"street", "乡镇街道志愿服务队"},
};
static const struct code_label themes[] = {
    {"eco_culture", "生态文明传播"}, {"green_hills", "守护绿水青山"}, {"city", "城市提升"},
    {"village", "美丽乡村"},         {"waste_sorting", "垃圾分类"},
};
static const struct code_label service_types[] = {
    {"theory", "理论宣讲"}, {"policy", "政策宣传"},   {"science", "科学普及"},
    {"legal", "法律服务"},  {"practice", "实践体验"},
};
static const struct code_label team_statuses[] = {
    {"registered", "待审核"}, {"active", "已启用"}, {"suspended", "已暂停"}};
static const struct code_label activity_statuses[] = {
    {"draft", "草稿"},          {"review", "待审核"}, {"open", "招募中"},
    {"closed", "已截止"},       {"held", "已举办"},   {"withdrawn", "已取消发布"},
    {"cancelled", "已取消活动"}};
static const struct code_label signup_states[] = {{"held", "已报名"},
                                                  {"waiting", "候补中"},
                                                  {"offered", "候补待确认"},
                                                  {"cancelled", "已取消"},
                                                  {"late_cancel", "逾期取消（计缺席）"},
                                                  {"absent", "缺席"},
                                                  {"lapsed", "候补已过期"}};

static const char *label_of(const struct code_label *t, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (code && strcmp(t[i].code, code) == 0) return t[i].label;
    return NULL;
}
#define LABEL(t, c) label_of(t, N_OF(t), c)

bool vol_level_valid(const char *level)
{
    return LABEL(levels, level) != NULL;
}
const char *vol_level_label(const char *level)
{
    return LABEL(levels, level);
}
bool vol_theme_valid(const char *theme)
{
    return LABEL(themes, theme) != NULL;
}
const char *vol_theme_label(const char *theme)
{
    return LABEL(themes, theme);
}
bool vol_service_type_valid(const char *t)
{
    return LABEL(service_types, t) != NULL;
}
const char *vol_service_type_label(const char *t)
{
    return LABEL(service_types, t);
}
const char *vol_team_status_label(const char *s)
{
    return LABEL(team_statuses, s);
}
const char *vol_activity_status_label(const char *s)
{
    return LABEL(activity_statuses, s);
}
const char *vol_signup_state_label(const char *s)
{
    return LABEL(signup_states, s);
}

bool vol_level_under(const char *parent, const char *child)
{
    if (!vol_level_valid(child)) return false;
    if (!parent) return strcmp(child, "city") == 0;
    if (strcmp(child, "city") == 0) return false;
    if (strcmp(parent, "city") == 0) return true; /* direct, district, org or street */
    if (strcmp(parent, "district") == 0)
        return strcmp(child, "org") == 0 || strcmp(child, "street") == 0;
    if (strcmp(parent, "direct") == 0 || strcmp(parent, "org") == 0)
        return strcmp(child, "street") == 0;
    return false; /* a street team is a leaf */
}

const char *vol_team_decide(const char *status, const char *decision)
{
    if (!status || !decision) return NULL;
    if (strcmp(decision, "approve") == 0 && strcmp(status, "registered") == 0) return "active";
    if (strcmp(decision, "suspend") == 0 && strcmp(status, "active") == 0) return "suspended";
    if (strcmp(decision, "restore") == 0 && strcmp(status, "suspended") == 0) return "active";
    return NULL;
}

const char *vol_activity_step(const char *status, const char *step)
{
    if (!status || !step) return NULL;
    static const struct {
        const char *from, *step, *to;
    } t[] = {
        {"draft", "submit", "review"},     {"review", "approve", "open"},
        {"review", "return", "draft"},     {"open", "close", "closed"},
        {"closed", "held", "held"},        {"draft", "cancel", "cancelled"},
        {"review", "cancel", "cancelled"}, {"open", "cancel", "cancelled"},
        {"closed", "cancel", "cancelled"},
    };
    for (size_t i = 0; i < N_OF(t); i++)
        if (strcmp(t[i].from, status) == 0 && strcmp(t[i].step, step) == 0) return t[i].to;
    return NULL;
}

static json_t *table_json(const struct code_label *t, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "code", t[i].code, "label", t[i].label));
    return a;
}

json_t *vol_options_json(void)
{
    return json_pack("{s:o,s:o,s:o}", "levels", table_json(levels, N_OF(levels)), "themes",
                     table_json(themes, N_OF(themes)), "service_types",
                     table_json(service_types, N_OF(service_types)));
}
