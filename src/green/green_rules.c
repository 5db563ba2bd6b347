/* green_rules.c - the pure rules of green points: evidence grades, dedup kinds, labels, the check
 * of a factor, the claim window, amounts, caps, usage periods, shards, the four-eyes rule of
 * publishing and the hash of an entry. No store, no HTTP. */
#include "green/green.h"
#include "base/date.h"
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *label;
} grades[] = {
    [GREEN_GRADE_PARTNER] = {"partner", "渠道核验"},
    [GREEN_GRADE_PROOF] = {"proof", "凭证（截图）"},
    [GREEN_GRADE_SELF] = {"self", "自主打卡"},
};

bool green_grade_parse(const char *s, enum green_grade *out)
{
    for (size_t i = 0; s && i < sizeof grades / sizeof grades[0]; i++)
        if (strcmp(s, grades[i].name) == 0) {
            *out = (enum green_grade)i;
            return true;
        }
    return false;
}

const char *green_grade_name(enum green_grade g)
{
    return grades[g].name;
}

const char *green_grade_label(enum green_grade g)
{
    return grades[g].label;
}

bool green_dedup_parse(const char *s, enum green_dedup *out)
{
    if (!s) return false;
    if (strcmp(s, "none") == 0)
        *out = GREEN_DEDUP_NONE;
    else if (strcmp(s, "trip") == 0)
        *out = GREEN_DEDUP_TRIP;
    else if (strcmp(s, "day") == 0)
        *out = GREEN_DEDUP_DAY;
    else
        return false;
    return true;
}

const char *green_dedup_label(enum green_dedup d)
{
    switch (d) {
    case GREEN_DEDUP_TRIP:
        return "同一人、同一线路、出发时间相近的行程只计一次";
    case GREEN_DEDUP_DAY:
        return "同一人每天只计一次";
    default:
        return "按渠道事件编号去重";
    }
}

const char *green_status_label(const char *status)
{
    if (strcmp(status, "credited") == 0) return "已入账";
    if (strcmp(status, "capped") == 0) return "已达上限，按上限入账";
    if (strcmp(status, "duplicate") == 0) return "同一行为已由其他渠道入账，不重复计分";
    return status;
}

const char *green_kind_label(const char *kind)
{
    if (strcmp(kind, "earn") == 0) return "获得";
    if (strcmp(kind, "reverse") == 0) return "冲正";
    if (strcmp(kind, "expire") == 0) return "过期";
    if (strcmp(kind, "spend") == 0) return "兑换";
    return kind;
}

bool green_factor_check(const struct green_factor *f, struct problem *p)
{
    if (f->mg_per_unit < 0 || f->mg_per_unit > 1000000000LL)
        return problem_set(p, ERR_RULE, "mg_per_unit", "减排因子须为 0 至 10 亿毫克之间的整数"),
               false;
    if (f->points_per_unit < 0 || f->points_per_unit > 1000000)
        return problem_set(p, ERR_RULE, "points_per_unit", "每单位积分须为 0 至 100 万之间的整数"),
               false;
    static const char *const pf[] = {"pct_partner", "pct_proof", "pct_self"};
    for (int i = 0; i < 3; i++)
        if (f->pct[i] < 0 || f->pct[i] > 100)
            return problem_set(p, ERR_RULE, pf[i], "凭证等级的计分比例须在 0 至 100 之间"), false;
    if (f->pct[GREEN_GRADE_SELF] > f->pct[GREEN_GRADE_PROOF] ||
        f->pct[GREEN_GRADE_PROOF] > f->pct[GREEN_GRADE_PARTNER])
        return problem_set(p, ERR_RULE, "pct_self", "凭证越弱计分越少：自主打卡 ≤ 凭证 ≤ 渠道核验"),
               false;
    if (f->cap_day < 0 || f->cap_month < 0 || f->cap_year < 0)
        return problem_set(p, ERR_RULE, "cap_day", "上限不能为负数（0 表示不设上限）"), false;
    if (f->claim_days < 1 || f->claim_days > 366)
        return problem_set(p, ERR_RULE, "claim_days", "申报期限须为 1 至 366 天"), false;
    if (f->validity_days < 1 || f->validity_days > GREEN_VALIDITY_MAX)
        return problem_set(p, ERR_RULE, "validity_days",
                           "积分有效期须为 1 至 3650 天（不超过10年）"),
               false;
    if (!f->source_doc[0])
        return problem_set(p, ERR_RULE, "source_doc", "请注明因子的来源文件"), false;
    return true;
}

bool green_claim_check(int activity_day, int today, long long claim_days, struct problem *p)
{
    if (activity_day > today)
        return problem_set(p, ERR_RULE, "activity_date", "活动日期不能晚于今天"), false;
    if (today - activity_day >= claim_days)
        return problem_set(p, ERR_RULE, "activity_date", "已超出申报期限（活动后 %lld 天内申报）",
                           claim_days),
               false;
    return true;
}

void green_amounts(const struct green_factor *f, long long scale, long long quantity,
                   enum green_grade g, long long *points, long long *mg)
{
    if (scale < 1) scale = 1;
    /* quantity ≤ 1e9 and factors ≤ 1e9 (green_factor_check): the products fit in 63 bits */
    *mg = quantity * f->mg_per_unit / scale;
    *points = quantity * f->points_per_unit / scale * f->pct[g] / 100;
}

static long long room(long long cap, long long used)
{
    if (cap <= 0) return -1; /* none */
    return cap > used ? cap - used : 0;
}

long long green_cap_credit(const struct green_factor *f, long long used_day, long long used_month,
                           long long used_year, long long requested, const char **cap)
{
    long long credit = requested;
    *cap = "";
    const struct {
        long long room;
        const char *name;
    } c[] = {{room(f->cap_day, used_day), "day"},
             {room(f->cap_month, used_month), "month"},
             {room(f->cap_year, used_year), "year"}};
    for (int i = 0; i < 3; i++)
        if (c[i].room >= 0 && c[i].room < credit) {
            credit = c[i].room;
            *cap = c[i].name;
        }
    return credit;
}

void green_periods(int day, char d[12], char m[9], char y[6])
{
    int yy, mm, dd;
    date_to_ymd(day, &yy, &mm, &dd);
    snprintf(d, 12, "d%04d-%02d-%02d", yy, mm, dd);
    snprintf(m, 9, "m%04d-%02d", yy, mm);
    snprintf(y, 6, "y%04d", yy);
}

int green_shard(long long citizen_id)
{
    return (int)((citizen_id < 0 ? -citizen_id : citizen_id) % GREEN_SHARDS);
}

bool green_publish_check(const struct green_version *v, long long by, struct problem *p)
{
    if (strcmp(v->status, "draft") != 0)
        return problem_set(p, ERR_CONFLICT, "status", "该方法学版本已发布，不能再次发布或修改"),
               false;
    if (v->drafted_by == by)
        return problem_set(p, ERR_FORBIDDEN, "published_by",
                           "起草人不能发布自己起草的方法学版本，请由另一位工作人员发布"),
               false;
    return true;
}

void green_entry_hash(const struct green_entry *e, char out[CRYPTO_HASH_HEX])
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf,
                     "ecoact-green-v1|%lld|%lld|%s|%lld|%lld|%s|%lld|%lld|%lld|%s|%lld|%s|%lld|%s",
                     e->citizen_id, e->seq, e->kind, e->amount, e->saved_mg, e->behaviour,
                     e->version_id, e->event_id, e->reverses, e->issuer_day, e->issuer_shard,
                     e->activity_date, e->created_at, e->prev_hash);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
    hash_hex(buf, (size_t)n, out);
}

bool green_channel_allows(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *s = list; s && *s;) {
        size_t len = strcspn(s, ",");
        if (len == n && strncmp(s, code, n) == 0) return true;
        s += len;
        if (*s == ',') s++;
    }
    return false;
}
