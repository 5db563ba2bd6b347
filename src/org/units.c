/* units.c - the unit service: loading the embedded catalogue, lookup, the rules for adding a
 * unit, rendering; the SQL is in store_org.c. */
#include "org/units.h"
#include "base/embedded.h"
#include "org/org_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tiers a unit may have, with their names as shown (/me labels.tiers). */
static const char *const tiers[][2] = {
    {"city_department", "市级部门"},
    {"district", "区"},
    {"county", "县"},
    {"zone", "管理区"},
    {"group", "分组"},
    {"department", "区县部门"},
    {"school", "学校"},
    {"enterprise", "企业"},
    {"social_org", "社会组织"},
    {"facility_operator", "设施运营单位"},
    {"media", "媒体"},
    {"volunteer_team", "志愿服务队"},
    {"evaluator_org", "评估机构"},
};
#define TIER_COUNT (sizeof tiers / sizeof tiers[0])

bool unit_tier_valid(const char *tier)
{
    for (size_t i = 0; i < TIER_COUNT; i++)
        if (tier && strcmp(tiers[i][0], tier) == 0) return true;
    return false;
}

const char *unit_tier_label(const char *tier)
{
    for (size_t i = 0; i < TIER_COUNT; i++)
        if (tier && strcmp(tiers[i][0], tier) == 0) return tiers[i][1];
    return tier ? tier : "";
}

json_t *unit_tiers_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < TIER_COUNT; i++)
        json_object_set_new(o, tiers[i][0], json_string(tiers[i][1]));
    return o;
}

bool unit_tier_takes_parent(const char *tier)
{
    return unit_tier_valid(tier) && !unit_tier_is_district_level(tier) &&
           strcmp(tier, "city_department") != 0 && strcmp(tier, "group") != 0;
}

bool unit_tier_is_district_level(const char *tier)
{
    return tier && (strcmp(tier, "district") == 0 || strcmp(tier, "county") == 0 ||
                    strcmp(tier, "zone") == 0);
}

long long unit_find(struct store *db, const char *s)
{
    if (!s || !*s || strlen(s) > 200) return 0;
    char *end;
    long long id = strtoll(s, &end, 10);
    if (*end == '\0' && strlen(s) != 6) /* all digits but not a 6-digit code: an id */
        return org_store_unit_by_id(db, id);
    return org_store_unit_by_ref(db, s);
}

enum err unit_get(struct store *db, long long id, struct unit *out)
{
    if (id <= 0) {
        memset(out, 0, sizeof *out);
        return ERR_NOT_FOUND;
    }
    return org_store_unit_get(db, id, out);
}

enum err units_each(struct store *db, const struct unit_filter *f, unit_fn fn, void *ctx)
{
    return org_store_units_each(db, f, fn, ctx);
}

enum err units_count(struct store *db, const struct unit_filter *f, long long *n)
{
    return org_store_units_count(db, f, n);
}

enum err unit_create(struct store *db, const struct unit_new *u, long long now, long long *id,
                     struct problem *p)
{
    *id = 0;
    if (!unit_tier_valid(u->tier))
        return problem_set(p, ERR_RULE, "tier", "未知单位层级：%s", u->tier);
    if (unit_tier_is_district_level(u->tier) || strcmp(u->tier, "city_department") == 0) {
        if (u->parent_id)
            return problem_set(p, ERR_RULE, "parent_id", "区县级单位和市级部门不能有上级单位");
    } else if (!u->parent_id && unit_tier_takes_parent(u->tier)) {
        return problem_set(p, ERR_RULE, "parent_id", "该层级的单位须指定上级单位（如所属区县）");
    }
    if (u->parent_id) {
        struct unit parent;
        enum err e = unit_get(db, u->parent_id, &parent);
        if (e == ERR_NOT_FOUND) return problem_set(p, ERR_RULE, "parent_id", "上级单位不存在");
        if (e != OK) return e;
    }
    if (u->code && (strlen(u->code) != 6 || strspn(u->code, "0123456789") != 6))
        return problem_set(p, ERR_RULE, "code", "行政区划代码应为 6 位数字");
    enum err e = org_store_unit_insert(db, u, now, id);
    if (e == ERR_CONFLICT)
        return problem_set(p, ERR_CONFLICT, u->key ? "key" : "name", "已有同名（或同代码）的单位");
    return e;
}

enum err unit_update(struct store *db, long long id, const char *name, const char *short_name,
                     bool set_active, bool active)
{
    return org_store_unit_update(db, id, name, short_name, set_active, active);
}

void unit_write(struct jw *w, const struct unit *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "key", u->key);
    jw_kstr(w, "code", u->code[0] ? u->code : NULL);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "short_name", u->short_name);
    jw_kstr(w, "tier", u->tier);
    jw_kid(w, "parent_id", u->parent_id);
    jw_kstr(w, "joint_meeting", u->joint_meeting[0] ? u->joint_meeting : NULL);
    jw_kbool(w, "is_host", u->is_host);
    jw_kbool(w, "active", u->active);
    jw_obj_end(w);
}

json_t *unit_json(struct store *db, long long id)
{
    struct unit u;
    if (unit_get(db, id, &u) != OK) return NULL;
    struct jw w;
    jw_init(&w);
    unit_write(&w, &u);
    char *text = jw_take(&w, NULL);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return o;
}

enum err units_load_embedded(struct store *db, long long now, int *added, char *why, size_t whylen)
{
    *added = 0;
    const char *text = embedded_find(embedded_data, "units.json");
    if (!text) {
        snprintf(why, whylen, "units.json is not embedded in this binary");
        return ERR_INTERNAL;
    }
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    json_t *units = json_object_get(root, "units");
    if (!json_is_array(units)) {
        snprintf(why, whylen, "units.json: %s", root ? "no units array" : je.text);
        json_decref(root);
        return ERR_INTERNAL;
    }
    enum err e = OK;
    /* Two passes: parents may come after children in the file. */
    for (int pass = 0; pass < 2 && e == OK; pass++) {
        size_t i;
        json_t *u;
        json_array_foreach(units, i, u)
        {
            const char *key = json_string_value(json_object_get(u, "key"));
            const char *name = json_string_value(json_object_get(u, "name"));
            const char *shrt = json_string_value(json_object_get(u, "short"));
            const char *tier = json_string_value(json_object_get(u, "tier"));
            const char *code = json_string_value(json_object_get(u, "code"));
            const char *parent = json_string_value(json_object_get(u, "parent"));
            const char *jm = json_string_value(json_object_get(u, "joint_meeting"));
            int host = json_is_true(json_object_get(u, "host"));
            if (!key || !name || !unit_tier_valid(tier)) {
                snprintf(why, whylen, "units.json entry %zu lacks key, name or a known tier", i);
                e = ERR_INTERNAL;
                break;
            }
            if (pass == 0) {
                int one = 0;
                e = org_store_unit_seed(db, key, code, name, shrt ? shrt : name, tier, jm,
                                        host != 0, now, &one);
                *added += one;
            } else if (parent) {
                long long pid = unit_find(db, parent);
                if (!pid) {
                    snprintf(why, whylen, "units.json: parent '%s' of '%s' is unknown", parent,
                             key);
                    e = ERR_INTERNAL;
                    break;
                }
                e = org_store_unit_seed_parent(db, key, pid);
            }
            if (e != OK) {
                snprintf(why, whylen, "loading units: %s", store_errmsg(db));
                break;
            }
        }
    }
    json_decref(root);
    return e;
}

bool unit_within(struct store *db, long long unit, long long parent)
{
    if (unit == parent) return true;
    return org_store_unit_is_child(db, unit, parent);
}
