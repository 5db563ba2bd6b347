/* org_store.h - the storage of the org area (store_org.c: units, users, roles and permissions,
 * sessions, API tokens, calendar feeds, the audit chain, settings), for org's own services only:
 * routes and other areas call the services in units.h, users.h, session.h, audit.h and
 * policy.h. Functions return the connection's error (store_err) unless they say otherwise;
 * writes run inside the caller's transaction unless they say otherwise. */
#ifndef ECOACT_ORG_STORE_H
#define ECOACT_ORG_STORE_H
#include "org/units.h"

/* ---- units ---- */

/* ERR_NOT_FOUND when there is no unit with this id. */
enum err org_store_unit_get(struct store *db, long long id, struct unit *out);
/* The id of the unit with this id, or with this code or key; 0 when none (or on an error). */
long long org_store_unit_by_id(struct store *db, long long id);
long long org_store_unit_by_ref(struct store *db, const char *code_or_key);
/* Whether unit's parent is parent. */
bool org_store_unit_is_child(struct store *db, long long unit, long long parent);
enum err org_store_units_each(struct store *db, const struct unit_filter *f, unit_fn fn, void *ctx);
/* Inserts a unit; *id 0 when it was a duplicate (ERR_CONFLICT is the connection's error). */
enum err org_store_unit_insert(struct store *db, const struct unit_new *u, long long now,
                               long long *id);
/* A catalogue unit, left alone when its key exists; *added is 1 when it was new. */
enum err org_store_unit_seed(struct store *db, const char *key, const char *code, const char *name,
                             const char *short_name, const char *tier, const char *joint_meeting,
                             bool host, long long now, int *added);
/* Sets the parent of the unit with this key when it has none. */
enum err org_store_unit_seed_parent(struct store *db, const char *key, long long parent_id);
enum err org_store_unit_update(struct store *db, long long id, const char *name,
                               const char *short_name, bool set_active, bool active);

#endif
