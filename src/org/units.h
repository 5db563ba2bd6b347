/* units.h - organisational units: city departments, the 41 district-level units (district,
 * county, zone), named groups, and child units (schools, bureaus …) under them. */
#ifndef ECOACT_UNITS_H
#define ECOACT_UNITS_H
#include <jansson.h>
#include <stdbool.h>
#include "base/jw.h"
#include "store/store.h"

/* A unit as other areas read it. Text fields are NUL-terminated copies; "" stands for SQL NULL
 * (code, joint_meeting: no route or the catalogue writes an empty one). The sizes hold what the
 * routes accept (name 200 bytes, key and short name default to the name, code 12). */
struct unit {
    long long id, parent_id; /* parent_id 0: none */
    char key[256], code[16], name[256], short_name[256], tier[32];
    char joint_meeting[16]; /* "convener", "member" or "" */
    bool is_host, active;
};

/* Tiers a unit may have. */
bool unit_tier_valid(const char *tier);
/* A tier as shown ("district" → 区); the name itself when unknown. */
const char *unit_tier_label(const char *tier);
/* Every tier with its label, in catalogue order: {"city_department": "市级部门", …} (/me). */
json_t *unit_tiers_json(void);
bool unit_tier_is_district_level(const char *tier); /* district, county, zone */
/* Whether a unit of the tier sits under another (a district's schools, departments …): not the
 * district-level units, the city departments or a named group (unit_create's rule). */
bool unit_tier_takes_parent(const char *tier);

/* Loads data/units/units.json (embedded) into the database; existing keys are left alone.
 * *added counts new units. Inside the caller's transaction. */
enum err units_load_embedded(struct store *db, long long now, int *added, char *why, size_t whylen);
/* Finds a unit by numeric id, GB/T 2260 code or key (short name). 0 when unknown. */
long long unit_find(struct store *db, const char *id_code_or_key);
/* The unit with this id into *out: OK, ERR_NOT_FOUND when there is none (or id <= 0), or the
 * storage error. The way to ask whether a unit exists or what its tier, parent, name … are. */
enum err unit_get(struct store *db, long long id, struct unit *out);
/* Whether unit is parent or a direct child unit of parent (a district's own 宣传部, schools …). */
bool unit_within(struct store *db, long long unit, long long parent);

/* Units in id order after f->after, at most f->limit (-1: all), filtered: tier (NULL: any; or
 * district_level), parent (0: any), search (NULL: none; matches name or short name, or equals
 * the code). fn gets each unit (valid during the call); it returns false to stop. */
struct unit_filter {
    long long after, limit, parent;
    const char *tier;
    bool district_level;
    const char *search;
};
typedef bool (*unit_fn)(void *ctx, const struct unit *u);
enum err units_each(struct store *db, const struct unit_filter *f, unit_fn fn, void *ctx);
/* How many units match f (after and limit aside): the list's total. */
enum err units_count(struct store *db, const struct unit_filter *f, long long *n);

/* A unit to add: key defaults to the name, short_name to the name; code and parent optional. */
struct unit_new {
    const char *key, *name, *short_name, *tier, *code;
    long long parent_id;
};
/* Checks the unit rules (known tier, district-level units and city departments have no parent,
 * other tiers but group need one, and it must exist; a code is 6 digits) and adds it; *id gets
 * its id. A broken rule or a duplicate fills p. Inside the caller's transaction. */
enum err unit_create(struct store *db, const struct unit_new *u, long long now, long long *id,
                     struct problem *p);
/* Sets the name and short name (NULL leaves one alone) and, when set_active, active. */
enum err unit_update(struct store *db, long long id, const char *name, const char *short_name,
                     bool set_active, bool active);

/* Writes u as {"id","key","code","name","short_name","tier","parent_id","joint_meeting",
 * "is_host","active"}: the one JSON form of a unit. */
void unit_write(struct jw *w, const struct unit *u);
/* The same object as a jansson value, for answers built with jansson; NULL when unknown. */
json_t *unit_json(struct store *db, long long id);

#endif
