/* opinion_places.c - the gazetteer and routing (opinion.h): the district-level units' names from
 * org's units, the office's townships, streets and places from opinion_places, compiled into one
 * matcher (each name a phrase rule); an item goes to the one district it names, to the city
 * office (the joint meeting's host unit) when it names several, nowhere when it names none. */
#include "opinion/opinion.h"
#include "opinion/opinion_store.h"
#include "base/utf8.h"
#include "org/units.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAZ_MAX 4000

struct opinion_gazetteer {
    struct om_set *set;
    long long *unit;   /* per rule */
    char (*name)[128]; /* per rule */
    size_t n;
    long long city;
};

struct load {
    struct store *db;
    char (*exprs)[136];
    char (*name)[128];
    long long *unit;
    size_t n;
    long long city;
};

static void add(struct load *l, const char *name, long long unit)
{
    if (l->n >= GAZ_MAX || !name[0] || !unit || strchr(name, '"')) return;
    snprintf(l->exprs[l->n], sizeof l->exprs[l->n], "\"%s\"", name);
    snprintf(l->name[l->n], sizeof l->name[l->n], "%s", name);
    struct om_error err;
    if (!om_check(l->exprs[l->n], &err)) return;
    l->unit[l->n++] = unit;
}

static bool on_unit(void *c, const struct unit *u)
{
    struct load *l = c;
    if (u->is_host) l->city = u->id;
    if (!u->active || !unit_tier_is_district_level(u->tier)) return true;
    const char *s = u->short_name[0] ? u->short_name : u->name;
    add(l, s, u->id);
    if (strcmp(s, u->name) != 0) add(l, u->name, u->id);
    /* the stem: 万州区 → 万州, when at least two characters remain */
    size_t len = strlen(s);
    if (len > 3 && (strcmp(s + len - 3, "区") == 0 || strcmp(s + len - 3, "县") == 0) &&
        len - 3 >= 6 && strcmp(u->tier, "zone") != 0) {
        char stem[128];
        snprintf(stem, sizeof stem, "%.*s", (int)(len - 3), s);
        add(l, stem, u->id);
    }
    return true;
}

static bool on_place(void *c, const struct opinion_place *pl)
{
    struct load *l = c;
    add(l, pl->name, unit_find(l->db, pl->unit_ref));
    return true;
}

void opinion_gazetteer_free(struct opinion_gazetteer *g)
{
    if (!g) return;
    om_free(g->set);
    free(g->unit);
    free(g->name);
    free(g);
}

enum err opinion_gazetteer_load(struct store *db, struct opinion_gazetteer **out)
{
    *out = NULL;
    struct load l = {.db = db};
    l.exprs = malloc(GAZ_MAX * sizeof *l.exprs);
    l.name = malloc(GAZ_MAX * sizeof *l.name);
    l.unit = malloc(GAZ_MAX * sizeof *l.unit);
    struct opinion_gazetteer *g = calloc(1, sizeof *g);
    struct om_rule_src *src = malloc(GAZ_MAX * sizeof *src);
    enum err e = l.exprs && l.name && l.unit && g && src ? OK : ERR_INTERNAL;
    struct unit_filter f = {.limit = -1};
    if (e == OK) e = units_each(db, &f, on_unit, &l);
    if (e == OK) e = opinion_store_places_each(db, on_place, &l);
    if (e == OK) {
        for (size_t i = 0; i < l.n; i++)
            src[i].expr = l.exprs[i];
        struct om_error err;
        size_t bad;
        g->set = om_build(src, l.n, &err, &bad);
        if (!g->set) e = ERR_INTERNAL;
    }
    free(src);
    free(l.exprs);
    if (e != OK) {
        free(l.name);
        free(l.unit);
        if (g) om_free(g->set);
        free(g);
        return e;
    }
    g->unit = l.unit;
    g->name = l.name;
    g->n = l.n;
    g->city = l.city;
    *out = g;
    return OK;
}

struct route_ctx {
    const struct opinion_gazetteer *g;
    long long units[8];
    size_t nunits;
    bool several;
    char *places;
    size_t at;
};

static bool on_name(void *c, size_t rule, const struct om_hit *hits, size_t n)
{
    (void)hits;
    (void)n;
    struct route_ctx *r = c;
    long long u = r->g->unit[rule];
    bool seen = false;
    for (size_t i = 0; i < r->nunits; i++)
        seen |= r->units[i] == u;
    if (!seen) {
        if (r->nunits < 8)
            r->units[r->nunits++] = u;
        else
            r->several = true;
    }
    const char *name = r->g->name[rule];
    size_t len = strlen(name);
    if (r->at + len + 4 < 400) {
        r->at += (size_t)snprintf(r->places + r->at, 400 - r->at, "%s%s", r->at ? "、" : "", name);
    }
    return true;
}

void opinion_route(const struct opinion_gazetteer *g, const char *text, size_t len, long long *unit,
                   char route[12], char places[400])
{
    places[0] = 0;
    struct route_ctx r = {.g = g, .places = places};
    struct om_scratch *sc = om_scratch_new(g->set);
    if (sc) om_match(g->set, sc, text, len, on_name, &r);
    om_scratch_free(sc);
    if (r.nunits == 1 && !r.several) {
        *unit = r.units[0];
        snprintf(route, 12, "district");
    } else if (r.nunits > 1) {
        *unit = g->city;
        snprintf(route, 12, "several");
    } else {
        *unit = 0;
        snprintf(route, 12, "none");
    }
}

enum err opinion_places_each(struct store *db, opinion_place_fn fn, void *ctx)
{
    return opinion_store_places_each(db, fn, ctx);
}

enum err opinion_place_add(struct store *db, const char *name, const char *kind,
                           const char *unit_ref, long long by, long long now, long long *id,
                           struct problem *p)
{
    if (!name || utf8_chars(name) < 2) return problem_set(p, ERR_RULE, "name", "地名至少两个字");
    if (strchr(name, '"')) return problem_set(p, ERR_RULE, "name", "地名不能含引号");
    if (!kind || (strcmp(kind, "township") != 0 && strcmp(kind, "street") != 0 &&
                  strcmp(kind, "place") != 0))
        return problem_set(p, ERR_RULE, "kind", "类型应为 township、street 或 place");
    long long u = unit_find(db, unit_ref ? unit_ref : "");
    struct unit un;
    if (!u || unit_get(db, u, &un) != OK || !unit_tier_is_district_level(un.tier))
        return problem_set(p, ERR_RULE, "unit", "应为区县级单位（41 个区县之一）");
    enum err e = opinion_store_place_insert(db, name, kind, unit_ref, by, now, id);
    if (e == OK && !*id)
        return problem_set(p, ERR_CONFLICT, "name", "地名「%s」已在地名库中", name);
    return e;
}

enum err opinion_place_delete(struct store *db, long long id, struct problem *p)
{
    bool found = false;
    enum err e = opinion_store_place_delete(db, id, &found);
    if (e == OK && !found) return problem_set(p, ERR_NOT_FOUND, "id", "地名不存在");
    return e;
}
