/* units.c - the units the compliance engine evaluates, read through org's unit service
 * (units_each): comply owns no tables. */
#include "comply/comply.h"
#include "org/units.h"
#include <string.h>

struct copying {
    struct arena *a;
    struct comply_unit *items;
    size_t n, cap;
};

static bool copy_unit(void *ctx, const struct unit *u)
{
    struct copying *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 128;
        struct comply_unit *m = arena_alloc(c->a, cap * sizeof *m);
        if (c->n) memcpy(m, c->items, c->n * sizeof *m);
        c->items = m;
        c->cap = cap;
    }
    c->items[c->n++] = (struct comply_unit){.id = u->id,
                                            .parent = u->parent_id,
                                            .key = arena_strdup(c->a, u->key),
                                            .code = u->code[0] ? arena_strdup(c->a, u->code) : NULL,
                                            .name = arena_strdup(c->a, u->short_name),
                                            .tier = arena_strdup(c->a, u->tier),
                                            .active = u->active};
    return true;
}

enum err comply_units(struct store *db, struct arena *a, struct comply_unit **out, size_t *n)
{
    struct copying c = {.a = a};
    const struct unit_filter all = {.limit = -1};
    enum err e = units_each(db, &all, copy_unit, &c);
    *out = c.items;
    *n = c.n;
    return e;
}
