/* units.c - unit records: loading the embedded catalogue, lookup, rendering. */
#include "org/units.h"
#include "base/embedded.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tiers[] = {"city_department", "district", "county", "zone", "group",
                                    "school", "enterprise", "social_org", "facility_operator",
                                    "media", "volunteer_team", "evaluator_org", "department", NULL};

bool unit_tier_valid(const char *tier)
{
    for (const char *const *t = tiers; *t; t++)
        if (tier && strcmp(*t, tier) == 0) return true;
    return false;
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
    struct store_stmt *q;
    if (*end == '\0' && strlen(s) != 6) /* all digits but not a 6-digit code: an id */
        q = store_q(db, "SELECT id FROM units WHERE id = ?", "i", id);
    else
        q = store_q(db, "SELECT id FROM units WHERE code = ? OR ukey = ?", "tt", s, s);
    long long found = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return found;
}

void unit_write(struct jw *w, struct store_stmt *q)
{
    jw_obj(w);
    jw_kint(w, "id", store_int(q, 0));
    jw_kstr(w, "key", store_text(q, 1));
    jw_kstr(w, "code", store_text(q, 2));
    jw_kstr(w, "name", store_text(q, 3));
    jw_kstr(w, "short_name", store_text(q, 4));
    jw_kstr(w, "tier", store_text(q, 5));
    jw_kid(w, "parent_id", store_int(q, 6));
    jw_kstr(w, "joint_meeting", store_text(q, 7));
    jw_kbool(w, "is_host", store_int(q, 8) != 0);
    jw_kbool(w, "active", store_int(q, 9) != 0);
    jw_obj_end(w);
}

json_t *unit_json(struct store *db, long long id)
{
    struct store_stmt *q = store_q(db, "SELECT " UNIT_COLUMNS " FROM units WHERE id = ?", "i", id);
    struct jw w;
    jw_init(&w);
    bool found = store_row(q);
    if (found) unit_write(&w, q);
    store_done(q);
    char *text = jw_take(&w, NULL);
    json_t *o = found && text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return o;
}

enum err units_each(struct store *db, unit_each_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(
        db, "SELECT id, ukey, short_name, tier, parent_id, active FROM units ORDER BY id", "");
    while (store_row(q))
        if (!fn(ctx, store_int(q, 0), store_text(q, 1), store_text(q, 2), store_text(q, 3),
                store_null(q, 4) ? 0 : store_int(q, 4), store_int(q, 5) != 0))
            break;
    store_done(q);
    return store_err(db);
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
        json_array_foreach(units, i, u) {
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
                e = store_do(db,
                             "INSERT INTO units(ukey, code, name, short_name, tier, joint_meeting,"
                             " is_host, created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (ukey) DO NOTHING",
                             "ttttttii", key, code, name, shrt ? shrt : name, tier, jm,
                             (long long)host, now);
                if (e == OK) *added += (int)store_changes(db);
            } else if (parent) {
                long long pid = unit_find(db, parent);
                if (!pid) {
                    snprintf(why, whylen, "units.json: parent '%s' of '%s' is unknown", parent, key);
                    e = ERR_INTERNAL;
                    break;
                }
                e = store_do(db, "UPDATE units SET parent_id = ? WHERE ukey = ? AND parent_id IS NULL",
                             "it", pid, key);
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
    struct store_stmt *q =
        store_q(db, "SELECT 1 FROM units WHERE id = ? AND parent_id = ?", "ii", unit, parent);
    bool ok = store_row(q);
    store_done(q);
    return ok;
}
