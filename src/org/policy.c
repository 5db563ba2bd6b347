/* policy.c - the security policy secadmin sets: defaults, bounds, storage in `settings` under
 * "policy.<name>", and a per-thread copy; see policy.h. The SQL is in store_org.c. */
#include "org/policy.h"
#include "base/gen.h"
#include "org/org_store.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct field {
    const char *name, *label;
    size_t offset;
    int def, min, max;
} fields[] = {
    {"max_failures", "连续登录失败锁定次数", offsetof(struct policy, max_failures), 5, 3, 10},
    {"lock_minutes", "锁定时长（分钟）", offsetof(struct policy, lock_minutes), 30, 5, 1440},
    {"idle_minutes", "会话空闲超时（分钟）", offsetof(struct policy, idle_minutes), 30, 5, 120},
    {"absolute_hours", "会话最长时间（小时）", offsetof(struct policy, absolute_hours), 12, 1, 24},
    {"password_min_length", "密码最短长度", offsetof(struct policy, password_min_length), 12, 12,
     64},
    {"token_max_days", "API 令牌最长有效期（天）", offsetof(struct policy, token_max_days),
     POLICY_TOKEN_MAX_DAYS, 1, POLICY_TOKEN_MAX_DAYS},
};
#define NFIELDS (sizeof fields / sizeof *fields)

static int *slot(struct policy *p, const struct field *f)
{
    return (int *)((char *)p + f->offset);
}

static __thread struct policy cached;
static __thread unsigned long long cached_gen;
static __thread long long cached_at;
static __thread int cached_ok;

/* One stored setting "policy.<name>" into the policy, when it is known and within bounds. */
static void read_setting(void *ctx, const char *name, const char *value)
{
    struct policy *p = ctx;
    int v = atoi(value ? value : "");
    for (size_t i = 0; i < NFIELDS; i++)
        if (strcmp(name + 7, fields[i].name) == 0 && v >= fields[i].min && v <= fields[i].max)
            *slot(p, &fields[i]) = v;
}

const struct policy *policy_get(struct store *db, long long now)
{
    if (cached_ok && cached_gen == gen_current() && now - cached_at < CACHE_TTL_SECONDS)
        return &cached;
    unsigned long long gen = gen_current();
    struct policy p;
    for (size_t i = 0; i < NFIELDS; i++)
        *slot(&p, &fields[i]) = fields[i].def;
    if (org_store_policy_each(db, read_setting, &p) != OK) {
        /* keep serving with what we had, or the defaults */
        store_clear_err(db);
        if (!cached_ok) cached = p;
        return &cached;
    }
    cached = p;
    cached_gen = gen;
    cached_at = now;
    cached_ok = 1;
    return &cached;
}

json_t *policy_json(const struct policy *p)
{
    json_t *o = json_object(), *bounds = json_object(), *labels = json_object();
    for (size_t i = 0; i < NFIELDS; i++) {
        json_object_set_new(o, fields[i].name, json_integer(*slot((struct policy *)p, &fields[i])));
        json_object_set_new(bounds, fields[i].name,
                            json_pack("[i,i]", fields[i].min, fields[i].max));
        json_object_set_new(labels, fields[i].name, json_string(fields[i].label));
    }
    json_object_set_new(o, "bounds", bounds);
    json_object_set_new(o, "labels", labels);
    return o;
}

const char *policy_field_label(const char *name)
{
    for (size_t i = 0; name && i < NFIELDS; i++)
        if (strcmp(name, fields[i].name) == 0) return fields[i].label;
    return NULL;
}

enum err setting_get(struct store *db, const char *name, char *out, size_t outlen, bool *found)
{
    return org_store_setting_get(db, name, out, outlen, found);
}

enum err setting_put(struct store *db, const char *name, const char *value, long long by,
                     long long now)
{
    return org_store_setting_put(db, name, value, by, now);
}

enum err policy_set(struct store *db, json_t *changes, long long by, long long now,
                    const char **field, char *why, size_t whylen)
{
    if (!json_is_object(changes) || json_object_size(changes) == 0) {
        *field = NULL;
        snprintf(why, whylen, "请求体应为包含至少一项策略的 JSON 对象");
        return ERR_BAD_REQUEST;
    }
    const char *key;
    json_t *val;
    json_object_foreach(changes, key, val)
    {
        const struct field *f = NULL;
        for (size_t i = 0; i < NFIELDS; i++)
            if (strcmp(key, fields[i].name) == 0) f = &fields[i];
        *field = key;
        if (!f) {
            snprintf(why, whylen, "未知策略项：%s", key);
            return ERR_BAD_REQUEST;
        }
        if (!json_is_integer(val)) {
            snprintf(why, whylen, "%s 应为整数", f->label);
            return ERR_BAD_REQUEST;
        }
        long long v = json_integer_value(val);
        if (v < f->min || v > f->max) {
            snprintf(why, whylen, "%s 应在 %d 到 %d 之间", f->label, f->min, f->max);
            return ERR_RULE;
        }
    }
    json_object_foreach(changes, key, val)
    {
        char name[64], value[24];
        snprintf(name, sizeof name, "policy.%s", key);
        snprintf(value, sizeof value, "%lld", json_integer_value(val));
        enum err e = org_store_setting_put(db, name, value, by, now);
        if (e != OK) return e;
    }
    return OK;
}
