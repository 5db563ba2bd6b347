/* facility_rules.c - the facility area's pure rules: categories, statuses and their review, the
 * key dates (六五环境日, 全国低碳日 from a yearly table, 全国生态日), recurrence, the no-show
 * cooldown and the two-month periods of the duty. Places and offers use the volunteer area's
 * places_* rules. Tested in tests/unit/test_facility.c. */
#include "facility/facility.h"
#include "base/date.h"
#include <stdio.h>
#include <string.h>

static const char *const categories[][2] = {
    {"monitoring", "环境监测设施"},
    {"sewage", "城市污水处理设施"},
    {"waste", "城市生活垃圾处理设施"},
    {"hazardous", "危险废物和废弃电器电子产品处理设施"},
    {"voluntary", "其他自愿开放设施（企业开放日、教育基地等）"},
};
#define NCAT (sizeof categories / sizeof *categories)

static const char *lookup(const char *const (*t)[2], size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(t[i][0], code) == 0) return t[i][1];
    return NULL;
}

bool fac_category_valid(const char *c)
{
    return lookup(categories, NCAT, c) != NULL;
}

const char *fac_category_label(const char *c)
{
    return lookup(categories, NCAT, c);
}

static const char *const statuses[][2] = {
    {"registered", "待审核"}, {"open", "开放中"}, {"suspended", "已暂停"}, {"returned", "已退回"}};

const char *fac_status_label(const char *s)
{
    return lookup(statuses, 4, s);
}

const char *fac_decide(const char *status, const char *decision)
{
    if (!status || !decision) return NULL;
    if (strcmp(decision, "approve") == 0 && strcmp(status, "registered") == 0) return "open";
    if (strcmp(decision, "return") == 0 && strcmp(status, "registered") == 0) return "returned";
    if (strcmp(decision, "suspend") == 0 && strcmp(status, "open") == 0) return "suspended";
    if (strcmp(decision, "restore") == 0 && strcmp(status, "suspended") == 0) return "open";
    return NULL;
}

static const char *const states[][2] = {
    {"held", "已预约"},      {"waiting", "候补中"},       {"offered", "候补待确认"},
    {"cancelled", "已取消"}, {"late_cancel", "逾期取消"}, {"lapsed", "候补已失效"},
    {"entered", "已入场"},   {"left", "已离场"},          {"no_show", "未到场"},
};

const char *fac_booking_state_label(const char *s)
{
    return lookup(states, sizeof states / sizeof *states, s);
}

/* 全国低碳日 is the Wednesday of the national energy-saving week, set each year by the
 * ministries: the table is data, a year added when it is announced. */
static const struct {
    int year;
    const char *day;
} low_carbon[] = {
    {2021, "2021-08-25"}, {2022, "2022-06-15"}, {2023, "2023-07-12"},
    {2024, "2024-05-15"}, {2025, "2025-05-14"},
};

static const char *const key_dates[][2] = {
    {"world_env_day", "六五环境日"}, {"low_carbon_day", "全国低碳日"}, {"eco_day", "全国生态日"}};

const char *fac_key_date_label(const char *code)
{
    return lookup(key_dates, 3, code);
}

bool fac_key_date_day(const char *code, int year, char out[11])
{
    out[0] = '\0';
    if (!code || year < 1900 || year > 9999) return false;
    if (strcmp(code, "world_env_day") == 0) {
        snprintf(out, 11, "%04d-06-05", year);
        return true;
    }
    if (strcmp(code, "eco_day") == 0) {
        if (year < 2023) return false; /* established in 2023 */
        snprintf(out, 11, "%04d-08-15", year);
        return true;
    }
    if (strcmp(code, "low_carbon_day") == 0)
        for (size_t i = 0; i < sizeof low_carbon / sizeof *low_carbon; i++)
            if (low_carbon[i].year == year) {
                snprintf(out, 11, "%s", low_carbon[i].day);
                return true;
            }
    return false;
}

const char *fac_key_date(const char *day)
{
    int d, y, m, dd;
    if (!day || !date_parse(day, &d)) return "";
    date_to_ymd(d, &y, &m, &dd);
    for (size_t i = 0; i < 3; i++) {
        char k[11];
        if (fac_key_date_day(key_dates[i][0], y, k) && strcmp(k, day) == 0) return key_dates[i][0];
    }
    return "";
}

int fac_repeat_offset(const char *day, const char *every, int i)
{
    int d, y, m, dd;
    if (!day || !every || i < 0 || !date_parse(day, &d)) return -1;
    if (strcmp(every, "week") == 0) return 7 * i;
    if (strcmp(every, "month") != 0) return -1;
    date_to_ymd(d, &y, &m, &dd);
    int mm = m - 1 + i;
    y += mm / 12;
    mm = mm % 12 + 1;
    if (!date_valid_ymd(y, mm, dd)) return -1;
    return date_from_ymd(y, mm, dd) - d;
}

bool fac_cooldown(long long noshows, long long last_noshow, long long now, long long *until)
{
    *until = 0;
    if (noshows < FAC_NOSHOW_LIMIT) return false;
    *until = last_noshow + FAC_COOLDOWN_DAYS * 86400LL;
    return now < *until;
}

int fac_bimonth(int month)
{
    return month >= 1 && month <= 12 ? (month + 1) / 2 : 0;
}

json_t *fac_options_json(void)
{
    json_t *c = json_array(), *k = json_array(), *s = json_array();
    for (size_t i = 0; i < NCAT; i++)
        json_array_append_new(
            c, json_pack("{s:s,s:s}", "code", categories[i][0], "label", categories[i][1]));
    for (size_t i = 0; i < 3; i++)
        json_array_append_new(
            k, json_pack("{s:s,s:s}", "code", key_dates[i][0], "label", key_dates[i][1]));
    for (size_t i = 0; i < sizeof states / sizeof *states; i++)
        json_array_append_new(s,
                              json_pack("{s:s,s:s}", "code", states[i][0], "label", states[i][1]));
    return json_pack("{s:o,s:o,s:o}", "categories", c, "key_dates", k, "states", s);
}
