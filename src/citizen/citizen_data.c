/* citizen_data.c - what ecoact holds about a person (PIPL art. 44-45), as one JSON object: the
 * account, the real name (clear for the person's own download, masked otherwise), the consents
 * with version and time, guardians and wards, organisations, and (in the download) the in-app
 * messages (the notify area's citizen_inbox_json). Clear strings are wiped with
 * citizen_json_wipe_free(). See citizen.h. */
#include "base/date.h"
#include "citizen/citizen.h"
#include "citizen/citizen_store.h"
#include "notify/notify.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The clear value of a sealed field, or the mask; JSON null when neither. */
static json_t *value(const struct keys *k, const char *field, const struct sealed *s,
                     const char *mask, bool clear)
{
    if (clear && s->b) {
        char *t = NULL;
        if (pii_open(k, field, s->b, s->n, &t) == OK) {
            json_t *v = json_string(t);
            sodium_memzero(t, strlen(t));
            free(t);
            return v;
        }
    }
    return mask && *mask ? json_string(mask) : json_null();
}

static json_t *realname_json(const struct keys *k, const struct citizen_row *row, long long now,
                             bool clear)
{
    json_t *o = json_pack("{s:s}", "status", row->realname);
    json_object_set_new(o, "name", value(k, "citizen.name", &row->name, row->name_mask, clear));
    json_object_set_new(o, "id_number",
                        value(k, "citizen.resident_id", &row->idno, row->id_mask, clear));
    struct citizen_birth b;
    if (row->birth_date[0] && citizen_birth_on(row->birth_date, date_today_shanghai(now), &b)) {
        json_object_set_new(o, "birth_date", json_string(row->birth_date));
        json_object_set_new(o, "age", json_integer(b.age));
        json_object_set_new(o, "minor", json_boolean(b.minor));
        json_object_set_new(o, "child", json_boolean(b.child));
    } else {
        json_object_set_new(o, "birth_date", json_null());
        json_object_set_new(o, "age", json_null());
        json_object_set_new(o, "minor", json_false());
        json_object_set_new(o, "child", json_false());
    }
    json_object_set_new(o, "verified_at",
                        row->realname_at ? json_integer(row->realname_at) : json_null());
    return o;
}

json_t *citizen_data_json(struct store *db, const struct keys *k, long long id, long long now,
                          bool clear)
{
    struct citizen_row row;
    bool found;
    if (citizen_store_get(db, id, &row, &found) != OK || !found) return NULL;
    json_t *o =
        json_pack("{s:I,s:s,s:I}", "id", id, "status", row.status, "created_at", row.created_at);
    json_object_set_new(o, "phone", value(k, "citizen.phone", &row.phone, row.phone_mask, clear));
    json_object_set_new(o, "nickname", row.nickname[0] ? json_string(row.nickname) : json_null());
    json_object_set_new(o, "realname", realname_json(k, &row, now, clear));
    citizen_row_free(&row);
    json_t *c = citizen_store_consents_json(db, id);
    json_t *g = citizen_store_guardians_json(db, id, false);
    json_t *w = citizen_store_guardians_json(db, id, true);
    json_t *orgs =
        citizen_org_list(db, &(struct citizen_org_filter){.member = id}, 0, 1000, &(long long){0});
    json_t *msgs = clear ? citizen_inbox_json(db, id) : json_array(); /* in the download only */
    if (!c || !g || !w || !orgs || !msgs) {
        json_decref(msgs);
        json_decref(c);
        json_decref(g);
        json_decref(w);
        json_decref(orgs);
        citizen_json_wipe_free(o);
        return NULL;
    }
    json_object_set_new(o, "consents", c);
    json_object_set_new(o, "guardians", g);
    json_object_set_new(o, "wards", w);
    json_object_set_new(o, "organisations", orgs);
    if (clear)
        json_object_set_new(o, "messages", msgs);
    else
        json_decref(msgs);
    json_object_set_new(o, "privacy_version", json_string(CITIZEN_PRIVACY_VERSION));
    return o;
}

static void wipe(json_t *v)
{
    if (json_is_string(v)) {
        sodium_memzero((char *)json_string_value(v), json_string_length(v));
    } else if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x) wipe(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) wipe(x);
    }
}

void citizen_json_wipe_free(json_t *o)
{
    if (!o) return;
    wipe(o);
    json_decref(o);
}
