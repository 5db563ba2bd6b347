/* store_comply.c - the SQL of the compliance engine: the units. The accepted reports the index
 * counts come through the work ledger's service (ledger.c), never from the ledger's tables;
 * calendar feeds are org's (org/session.h). */
#include "comply/comply.h"
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err comply_store_units(struct store *db, struct arena *a, struct cm_unit **out, size_t *n)
{
    size_t cap = 128;
    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, parent_id, ukey, code, short_name, tier, active"
                                   " FROM units ORDER BY id",
                                   "");
    while (store_row(q)) {
        if (*n == cap) {
            struct cm_unit *m = arena_alloc(a, cap * 2 * sizeof *m);
            memcpy(m, *out, cap * sizeof *m);
            *out = m;
            cap *= 2;
        }
        struct cm_unit *u = &(*out)[(*n)++];
        u->id = store_int(q, 0);
        u->parent = store_null(q, 1) ? 0 : store_int(q, 1);
        u->key = arena_strdup(a, store_text(q, 2));
        u->code = store_null(q, 3) ? NULL : arena_strdup(a, store_text(q, 3));
        u->name = arena_strdup(a, store_text(q, 4));
        u->tier = arena_strdup(a, store_text(q, 5));
        u->active = store_int(q, 6) != 0;
    }
    store_done(q);
    return store_err(db);
}
