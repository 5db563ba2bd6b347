/* api_units.c - unit routes: everyone logged in reads units; sysadmin adds and edits them
 * (child units under a district, schools, enterprises …). */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "org/units.h"
#include "base/gen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The units catalogue is read on every console page and changes rarely: each loop thread keeps
 * its last answers per query string, good until the process writes anything or another app
 * server announces a change (gen.h, store/cluster.h) and for CACHE_TTL_SECONDS at most. Fixed
 * buffers: an answer over UNITS_CACHE_BYTES is not kept. */
#define UNITS_CACHE_SLOTS 8
#define UNITS_CACHE_BYTES (32 * 1024)
struct cached_units {
    char query[256];
    unsigned long long gen;
    long long at;
    size_t len;
    char text[UNITS_CACHE_BYTES];
};
static __thread struct cached_units units_cache[UNITS_CACHE_SLOTS];
static __thread unsigned units_cache_next;

static struct cached_units *units_cached(struct req *r)
{
    const char *q = r->query ? r->query : "";
    for (int i = 0; i < UNITS_CACHE_SLOTS; i++) {
        struct cached_units *c = &units_cache[i];
        if (c->len && strcmp(c->query, q) == 0 && c->gen == gen_current() &&
            r->now - c->at < CACHE_TTL_SECONDS)
            return c;
    }
    return NULL;
}

static void units_keep(struct req *r, const char *text, unsigned long long gen)
{
    const char *q = r->query ? r->query : "";
    size_t n = strlen(text);
    if (strlen(q) >= sizeof units_cache[0].query || n >= UNITS_CACHE_BYTES) return;
    struct cached_units *c = &units_cache[units_cache_next++ % UNITS_CACHE_SLOTS];
    snprintf(c->query, sizeof c->query, "%s", q);
    memcpy(c->text, text, n + 1);
    c->len = n;
    c->gen = gen;
    c->at = r->now;
}

struct units_page {
    struct jw *w;
    long long n, last;
};

static bool write_unit(void *ctx, const struct unit *u)
{
    struct units_page *pg = ctx;
    pg->last = u->id;
    pg->n++;
    unit_write(pg->w, u);
    return true;
}

static enum err list_units(struct req *r)
{
    struct cached_units *hit = units_cached(r);
    if (hit) return reply_text(r, 200, strndup(hit->text, hit->len));
    unsigned long long gen = gen_current(); /* before reading: a write meanwhile makes it stale */
    struct unit_filter f = {0};
    enum err pe = req_page(r, &f.limit, &f.after);
    if (pe != OK) return pe;
    const char *tier = req_query(r, "tier");
    const char *parent_s = req_query(r, "parent");
    const char *search = req_query(r, "q");
    if (search && strlen(search) > 64)
        return req_fail(r, ERR_RULE, "q", "搜索词过长（最多 64 字节）");
    if (tier && !unit_tier_valid(tier) && strcmp(tier, "district_level") != 0)
        return req_fail(r, ERR_RULE, "tier", "未知单位层级：%s", tier);
    if (parent_s && !(f.parent = unit_find(r->db, parent_s)))
        return req_fail(r, ERR_RULE, "parent", "上级单位不存在：%s", parent_s);
    f.tier = tier;
    f.district_level = tier && strcmp(tier, "district_level") == 0;
    f.search = search;
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    struct units_page pg = {.w = &w};
    long long total = 0;
    enum err e = units_each(r->db, &f, write_unit, &pg);
    if (e == OK) e = units_count(r->db, &f, &total);
    if (e != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    e = reply_jw_page_total(r, &w, f.limit, pg.n, pg.last, total);
    if (e == OK) units_keep(r, r->resp_text, gen);
    return e;
}

static enum err get_unit(struct req *r)
{
    long long id = unit_find(r->db, req_param(r, "id"));
    json_t *o = id ? unit_json(r->db, id) : NULL;
    if (!o)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "id", "单位不存在");
    return reply_json(r, 200, o);
}

static enum err create_unit(struct req *r)
{
    static const char *const allowed[] = {"key",       "name", "short_name", "tier",
                                          "parent_id", "code", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct unit_new u = {0};
    u.name = jv_str(&v, "name", true, 200);
    u.key = jv_str(&v, "key", false, 100);
    u.short_name = jv_str(&v, "short_name", false, 100);
    u.tier = jv_str(&v, "tier", true, 32);
    u.code = jv_str(&v, "code", false, 12);
    u.parent_id = jv_int(&v, "parent_id", false, 1, 1LL << 53, 0);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    long long id;
    struct problem p = {0};
    enum err e = unit_create(r->db, &u, r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "unit:%lld", id);
    return reply_json(r, 201, unit_json(r->db, id));
}

static enum err update_unit(struct req *r)
{
    long long id = unit_find(r->db, req_param(r, "id"));
    if (!id) return req_fail(r, ERR_NOT_FOUND, "id", "单位不存在");
    static const char *const allowed[] = {"name", "short_name", "active", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", false, 200);
    const char *shrt = jv_str(&v, "short_name", false, 100);
    json_t *act = json_object_get(r->json, "active");
    bool active = jv_bool(&v, "active", false, true);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    enum err e = unit_update(r->db, id, name, shrt, act != NULL, active);
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "unit:%lld", id);
    return reply_json(r, 200, unit_json(r->db, id));
}

const struct route unit_routes[] = {
    {M_GET, "/api/v1/units", PERM_UNITS_READ, BODY_NONE, NULL, list_units, 0},
    {M_POST, "/api/v1/units", PERM_UNITS_WRITE, BODY_JSON, "unit.create", create_unit, 0},
    {M_GET, "/api/v1/units/{id}", PERM_UNITS_READ, BODY_NONE, NULL, get_unit, 0},
    {M_PATCH, "/api/v1/units/{id}", PERM_UNITS_WRITE, BODY_JSON, "unit.update", update_unit, 0},
    {0},
};
