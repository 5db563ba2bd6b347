/* units.h - organisational units: city departments, the 41 district-level units (district,
 * county, zone), named groups, and child units (schools, bureaus …) under them. */
#ifndef ECOACT_UNITS_H
#define ECOACT_UNITS_H
#include <jansson.h>
#include <stdbool.h>
#include "base/jw.h"
#include "store/store.h"

/* Tiers a unit may have. */
bool unit_tier_valid(const char *tier);
bool unit_tier_is_district_level(const char *tier); /* district, county, zone */

/* Loads data/units/units.json (embedded) into the database; existing keys are left alone.
 * *added counts new units. Inside the caller's transaction. */
enum err units_load_embedded(struct store *db, long long now, int *added, char *why, size_t whylen);
/* Finds a unit by numeric id, GB/T 2260 code or key (short name). 0 when unknown. */
long long unit_find(struct store *db, const char *id_code_or_key);
/* Whether unit is parent or a direct child unit of parent (a district's own 宣传部, schools …). */
bool unit_within(struct store *db, long long unit, long long parent);
/* The columns unit_write() reads, in order, for SELECT lists. */
#define UNIT_COLUMNS "id, ukey, code, name, short_name, tier, parent_id, joint_meeting, is_host, active"
/* Writes the unit of the current row (selected with UNIT_COLUMNS) as
 * {"id","key","code","name","short_name","tier","parent_id","joint_meeting","is_host","active"}. */
void unit_write(struct jw *w, struct store_stmt *q);
/* The same object as a jansson value; NULL when unknown. */
json_t *unit_json(struct store *db, long long id);
/* Every unit in id order, for areas that name many units at once (a plan's tasks): fn gets
 * its id, key, short name, tier, parent (0 for none) and whether it is active, the texts
 * borrowed for the call; it returns false to stop. The connection's error (OK when all went). */
typedef bool (*unit_each_fn)(void *ctx, long long id, const char *key, const char *short_name,
                             const char *tier, long long parent_id, bool active);
enum err units_each(struct store *db, unit_each_fn fn, void *ctx);

#endif
