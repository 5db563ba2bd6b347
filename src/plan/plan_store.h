/* plan_store.h - the plan area's private storage interface: every SQL statement of the area
 * (store_plan.c), over the plan's own tables. Only plan's own files include it: the routes and
 * other areas call the service (plan.h), which holds the rules and transactions around these.
 * Writes run inside the caller's transaction; errors are the connection's sticky store_err(). */
#ifndef ECOACT_PLAN_STORE_H
#define ECOACT_PLAN_STORE_H
#include "plan/plan.h"

/* Org's units as the plan names them: a snapshot the service takes through org's units_each()
 * for one call (plan.c), sorted by id. The store's rows hold unit ids; renderings take their
 * keys and names from here. */
struct plan_unit {
    long long id, parent_id; /* parent 0: a top-level unit */
    char *key, *short_name, *tier;
    bool active;
};
struct plan_units {
    struct plan_unit *u;
    size_t n, cap;
    bool loaded;
};
/* The unit with this id; NULL when there is none. */
const struct plan_unit *plan_units_get(const struct plan_units *u, long long id);

/* ---- versions ---- */

/* Finds code's version (> 0), PLAN_V_DRAFT or PLAN_V_DEFAULT. ERR_NOT_FOUND when there is
 * none; a storage error otherwise. */
enum err plan_store_find(struct store *db, const char *code, int version, struct plan_row *out);
/* The latest published version of code; ERR_NOT_FOUND when none is published. */
enum err plan_store_find_published(struct store *db, const char *code, struct plan_row *out);
/* Highest version number of code (0 when the code is unused). */
int plan_store_max_version(struct store *db, const char *code);
/* Whether (code, version) is stored. */
bool plan_store_has_version(struct store *db, const char *code, long long version);
/* The task numbers of a plan version, ascending (*nos malloc'd: free it; NULL when none). */
enum err plan_store_task_numbers(struct store *db, long long plan_id, long long **nos, size_t *n);
/* Plans with id > after (of one status and code when not NULL), in id order, up to limit: their
 * list items appended to items, *last the id of the last one (0 for none). */
enum err plan_store_list(struct store *db, const char *status, const char *code, long long after,
                         long long limit, json_t *items, long long *last);

/* ---- plan rows ---- */

/* The plans row of a checked document as (code, version) with status "draft" or "published",
 * and its activity kinds (new ones join the catalogue); parent_id 0 for none, user 0 for the
 * CLI. The document's items are the caller's to insert. */
enum err plan_store_insert_plan(struct store *db, json_t *doc, int version, const char *status,
                                long long parent_id, long long user, long long now,
                                long long *plan_id);
/* The plan fields of a checked document (title, doc_no, issued, start, end, year_themes, notes). */
enum err plan_store_update_plan(struct store *db, long long plan_id, json_t *doc, long long user,
                                long long now);
/* Marks the plan as changed now by user. */
enum err plan_store_touch(struct store *db, long long plan_id, long long user, long long now);
enum err plan_store_publish(struct store *db, long long plan_id, long long user, long long now);
/* Deletes a plan version with its items. */
enum err plan_store_delete(struct store *db, long long plan_id);

/* ---- items ---- */

/* Ids by number or key inside a plan (a measure inside its action); 0 when there is none. */
long long plan_store_action_id(struct store *db, long long plan_id, long long no);
long long plan_store_measure_id(struct store *db, long long action_id, long long no);
long long plan_store_task_id(struct store *db, long long plan_id, long long no);
long long plan_store_obligation_id(struct store *db, long long plan_id, const char *key);
/* How many tasks an action has; how many obligations a task has. */
long long plan_store_action_tasks(struct store *db, long long action_id);
long long plan_store_task_obligations(struct store *db, long long task_id);
/* The first measure of the action (by number, then task) that a task uses and the list
 * measures (document shape) leaves out: *measure and *task, both 0 when there is none. */
enum err plan_store_measure_in_use(struct store *db, long long action_id, json_t *measures,
                                   long long *measure, long long *task);

/* Item writes inside a draft (checked items; the rows only: a task's units and who owes an
 * obligation are set below). */
enum err plan_store_insert_action(struct store *db, long long plan_id, json_t *a, long long *id);
/* Updates title/kind and upserts measures by number; measures missing from the list are
 * deleted. */
enum err plan_store_update_action(struct store *db, long long action_id, json_t *a);
enum err plan_store_insert_task(struct store *db, long long plan_id, json_t *task,
                                long long *task_id);
enum err plan_store_update_task(struct store *db, long long task_id, json_t *task);
enum err plan_store_insert_obligation(struct store *db, long long plan_id, json_t *o,
                                      long long *id);
enum err plan_store_update_obligation(struct store *db, long long obligation_id, json_t *o);
/* One unit of a task's lead or coop list (role "lead" or "coop") at position pos of the list:
 * named itself (via NULL), or one of the units a selector stands for (via the selector). */
struct plan_task_unit {
    const char *role;
    long long pos, unit_id;
    const char *via;
};
/* Replaces a task's units by rows (resolved by the caller). */
enum err plan_store_set_task_units(struct store *db, long long task_id,
                                   const struct plan_task_unit *rows, size_t n);
/* Replaces who owes an obligation: o's who.units as unit_ids (resolved by the caller, in
 * order), or its who.tiers. */
enum err plan_store_set_obligation_who(struct store *db, long long obligation_id, json_t *o,
                                       const long long *unit_ids, size_t n);
/* Deletes go with what hangs on the item (a task's obligations). */
enum err plan_store_delete_action(struct store *db, long long action_id);
enum err plan_store_delete_task(struct store *db, long long task_id);
enum err plan_store_delete_task_no(struct store *db, long long plan_id, long long no);
enum err plan_store_delete_obligation(struct store *db, long long obligation_id);

/* ---- lists: ids in cursor order, up to min(limit, cap); *last the cursor of the last one ---- */

/* Actions with number > after. */
enum err plan_store_action_ids(struct store *db, long long plan_id, long long after,
                               long long limit, long long *ids, size_t cap, size_t *n,
                               long long *last);
/* Tasks with number > after, of action number action (0: any) and of unit (0: any) in role
 * ("lead", "coop"; NULL: either). */
enum err plan_store_task_ids(struct store *db, long long plan_id, long long action, long long unit,
                             const char *role, long long after, long long limit, long long *ids,
                             size_t cap, size_t *n, long long *last);
/* Obligations with id > after, of task number task (0: any) and owed by unit (0: any), which
 * is of tier: listed by id, or owed by its tier. */
enum err plan_store_obligation_ids(struct store *db, long long plan_id, long long task,
                                   long long unit, const char *tier, long long after,
                                   long long limit, long long *ids, size_t cap, size_t *n);
/* Activity kinds with id > after (of plan_id when not 0) as list items appended to items. */
enum err plan_store_kind_list(struct store *db, long long plan_id, long long after, long long limit,
                              json_t *items, long long *last);
/* The stored activity-kind catalogue as plan_check_ctx.kinds wants it (new reference). */
json_t *plan_store_kinds(struct store *db);

/* ---- documents and renderings (units: loaded) ---- */

/* The stored plan as a document (the data/plans/NAME.json shape); NULL on a storage error. */
json_t *plan_store_export_doc(struct store *db, long long plan_id, const struct plan_units *units);
/* One item in the document shape (for merging a PATCH); NULL when missing. */
json_t *plan_store_action_doc(struct store *db, long long action_id);
json_t *plan_store_task_doc(struct store *db, long long task_id, const struct plan_units *units);
json_t *plan_store_obligation_doc(struct store *db, long long obligation_id,
                                  const struct plan_units *units);
/* The API's renderings. */
json_t *plan_store_plan_json(struct store *db, long long plan_id);
json_t *plan_store_action_json(struct store *db, long long action_id);
json_t *plan_store_task_json(struct store *db, long long task_id, bool with_obligations,
                             const struct plan_units *units);
json_t *plan_store_obligation_json(struct store *db, long long obligation_id,
                                   const struct plan_units *units);

#endif
