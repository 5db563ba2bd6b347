/* plan.h - the plan as data (issue 3 §1): plans with versions and drafts, their actions and
 * measures, key tasks (附件1) with lead and cooperating units, obligations (duties) and the
 * activity-kind catalogue.
 *
 * The one exchange format is the plan document: the JSON shape of data/plans/NAME.json. It is
 * checked by the pure functions below (plan_rules.c: no I/O, unit lookups through a callback),
 * stored and rebuilt by the service (plan.c, over the area's private store_plan.c), so
 * `ecoact init`, import, export and "copy into a draft" all go through the same two paths.
 * Other areas read plans through the service; routes are in api_plan.c. */
#ifndef ECOACT_PLAN_H
#define ECOACT_PLAN_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/comply.h"
#include "base/err.h"
#include "base/table.h"
#include "store/store.h"

/* ---- pure rules (plan_rules.c) ---- */

/* The checks below report the first problem they find as a struct problem (base/err.h): 400
 * for a malformed document (wrong type, missing or unknown field), 422 for one that breaks a
 * rule. Its field is the JSON path, e.g. "tasks[12].lead" or, for one item checked alone,
 * "minimum"; inside a document the message starts with that path. */

enum plan_deadline_kind { PLAN_DL_NONE, PLAN_DL_DATE, PLAN_DL_STANDING };

/* "none", "date", "standing". */
const char *plan_deadline_kind_name(enum plan_deadline_kind k);
bool plan_deadline_kind_parse(const char *s, enum plan_deadline_kind *k);
/* A 任务时限 as written in 附件1 → kind and, for a date, the last day it allows:
 *   ""                           → none
 *   "2021年底前", "2025年年底前"  → date, 12-31 of that year
 *   "2022年6月前", "2022年6月底前" → date, last day of that month
 *   "2022年6月30日前"             → date, that day
 *   "2022年上半年" / "…下半年"     → date, 06-30 / 12-31
 *   text with "长期坚持" or "持续推进", "立即落实" alone → standing
 * Surrounding spaces are ignored. false for anything else (the caller then needs an explicit
 * kind). *day is a date.h day number, set only for a date. */
bool plan_deadline_parse(const char *text, enum plan_deadline_kind *kind, int *day);

/* Unit selectors in a task's lead or coop list. "@districts" (各区县) stands for every
 * district-level unit: tiers district, county and zone (zones count as districts unless
 * configured otherwise, DOMAIN.md §1). */
bool plan_selector_known(const char *ref);
/* Whether a unit of this tier belongs to the selector. */
bool plan_selector_covers(const char *selector, const char *tier);
/* How the selector reads in Chinese ("各区县"); NULL when unknown. */
const char *plan_selector_label(const char *selector);
/* The selector a Chinese label stands for ("各区县" → "@districts"); NULL for none. */
const char *plan_selector_for_label(const char *label);

/* Plan code: 2..64 of [a-z0-9-], starting with a letter or digit (e.g. "cq-2021-2025"). */
bool plan_code_valid(const char *code);
/* Obligation key and activity-kind code: 1..64 of [a-z0-9_-], starting with a letter or digit. */
bool plan_key_valid(const char *key);
/* Recognised obligation rules (counting variants): "all_schools" (task 51: a district's
 * report of schools_total and schools_met; met when all schools taught ≥ 12 课时). */
bool plan_rule_known(const char *rule);
/* The plan's words as /me labels.plans gives them: {"statuses": {draft, published},
 * "deadline_kinds" (date, standing, none), "action_kinds" (action, safeguard), "rules"
 * (all_schools)}, each {name: label}. */
json_t *plan_vocabulary_json(void);

/* Unit lookup while checking: the id of the unit with this id, GB/T 2260 code or key; 0 when
 * unknown. ctx is passed back. */
typedef long long (*plan_unit_lookup)(void *ctx, const char *ref);

struct plan_check_ctx {
    plan_unit_lookup unit; /* required */
    void *unit_ctx;
    /* Known activity kinds: object code → {"name": s, "metrics": [s…]}; borrowed. NULL skips
     * the kind and metric checks. */
    json_t *kinds;
    /* Plan period (day numbers, 0 = unknown): an obligation without from/to takes these;
     * with strict_period it must also lie inside them. */
    int plan_start, plan_end;
    bool strict_period;
};

/* Check one item in the document shape, filling defaults in place (kind "action",
 * content_continued false, coop [], deadline kind/date from its text, due null …). path
 * prefixes the field names ("" for an item checked alone, "tasks[3]" inside a document).
 * Task → action/measure and obligation → task references are the caller's to check. */
bool plan_check_action(json_t *action, const char *path, struct problem *p);
bool plan_check_task(json_t *task, const char *path, const struct plan_check_ctx *c,
                     struct problem *p);
bool plan_check_deadline(json_t *deadline, const char *path, struct problem *p);
bool plan_check_obligation(json_t *obligation, const char *path, const struct plan_check_ctx *c,
                           struct problem *p);
bool plan_check_activity_kind(json_t *kind, const char *path, struct problem *p);
/* A whole plan document: every field, every reference (task → action and measure,
 * obligation → task and kind, units), unique numbers and keys, obligations inside the plan
 * period. c->kinds holds the stored catalogue (may be NULL); the document's own
 * activity_kinds are added to it for the check, and one that redefines a stored kind
 * differently is refused. The document's own start/end are the period (strictly). */
bool plan_check_doc(json_t *doc, const struct plan_check_ctx *c, struct problem *p);

/* The item of arr (actions, measures or tasks in the document shape) whose "no" is no; NULL
 * when none (borrowed). */
json_t *plan_find_no(json_t *arr, long long no);

/* The compliance rule (base/comply.h) of a checked obligation in the document shape: its
 * period kind, minimum, from/to and due as day numbers, the standard grace. false when a
 * field is missing or bad (an unchecked obligation). */
bool plan_obligation_rule(json_t *obligation, struct comply_rule *out);

/* ---- the service (plan.c) ----
 * What the routes and other areas call; the SQL behind it is the area's own (plan_store.h).
 * Writes run inside the caller's transaction (the request's, or `ecoact init`'s), so a refused
 * write stores nothing. A function that can refuse fills a struct problem and returns its
 * error; on a storage error it leaves the problem empty and returns the connection's error. */

/* A stored plan version. */
struct plan_row {
    long long id;
    char code[72];
    int version;
    bool draft;
    char start[11], end[11];
    char title[512]; /* 《…实施方案》 as officials call it; names its exports */
};

/* Which version a request means. */
#define PLAN_V_DEFAULT 0 /* latest published, else the draft */
#define PLAN_V_DRAFT (-1)

/* -- reads for other areas -- */

/* Finds code's version (> 0), PLAN_V_DRAFT or PLAN_V_DEFAULT. ERR_NOT_FOUND when there is
 * none; a storage error otherwise. */
enum err plan_find(struct store *db, const char *code, int version, struct plan_row *out);
/* The latest published version of code; ERR_NOT_FOUND when none is published. */
enum err plan_find_published(struct store *db, const char *code, struct plan_row *out);
/* The task numbers of a plan version, ascending (*nos malloc'd: free it; NULL when none). */
enum err plan_task_numbers(struct store *db, long long plan_id, long long **nos, size_t *n);
/* The stored plan as a document (the data/plans/NAME.json shape, new reference); NULL on a
 * storage error. */
json_t *plan_export_doc(struct store *db, long long plan_id);
/* The activity-kind catalogue: code → {"name": s, "metrics": [s…]} (new reference), as
 * plan_check_ctx.kinds wants it. */
json_t *plan_kinds(struct store *db);
/* Loads every plan document embedded in the binary (data/plans/NAME.json) that is not stored
 * yet (by code and version), with its own status. Every unit key must resolve: otherwise
 * fails with why naming the file, the JSON path and the key. */
enum err plans_load_embedded(struct store *db, long long now, int *added, char *why, size_t whylen);

/* -- plans, for the routes -- */

/* The version a read means (plan_find) with the problem of a missing one (404). */
enum err plan_get(struct store *db, const char *code, int version, struct plan_row *out,
                  struct problem *pr);
/* The draft a write means: code's draft for PLAN_V_DEFAULT, else that version when it is a
 * draft. A published version never changes: 409, saying to create a draft. */
enum err plan_get_draft(struct store *db, const char *code, int version, struct plan_row *out,
                        struct problem *pr);
/* The plans after the cursor (of one status and code when not NULL) as list items (*items a
 * new array; *last the cursor of the last one). */
enum err plan_list(struct store *db, const char *status, const char *code, long long after,
                   long long limit, json_t **items, long long *last);
/* The API's rendering of a plan version; NULL on a storage error. */
json_t *plan_json(struct store *db, long long plan_id);
/* Sets a draft's plan fields from fields (title, doc_no, issued, start, end, year_themes,
 * notes: the caller has refused others), checked with the rest of the plan fields. */
enum err plan_update(struct store *db, const struct plan_row *p, json_t *fields, long long user,
                     long long now, struct problem *pr);
/* Deletes a draft with its items. */
enum err plan_delete(struct store *db, const struct plan_row *p, struct problem *pr);
/* Copies a published version of src_code (src_version, or the latest for PLAN_V_DEFAULT)
 * into a new draft: of the same code (when it has no draft yet), or of a new code (NULL: the
 * source's) as its version 1; title NULL keeps the source's. *src and *out: the two versions. */
enum err plan_create_draft(struct store *db, const char *src_code, int src_version,
                           const char *code, const char *title, long long user, long long now,
                           struct plan_row *src, struct plan_row *out, struct problem *pr);
/* Publishes a draft once the whole plan passes plan_check_doc(). */
enum err plan_publish(struct store *db, const struct plan_row *p, long long user, long long now,
                      struct problem *pr);
/* Stores a plan document (checked here, filled with defaults in place) as a new draft of its
 * code, the version after the highest; refused while the code has a draft. */
enum err plan_import(struct store *db, json_t *doc, long long user, long long now,
                     struct plan_row *out, struct problem *pr);
struct plan_sheet;
/* Replaces a draft's tasks by those of a 附件1 sheet (plan_sheet_read()): tasks are matched
 * by 序号, so the ones kept keep their obligations; tasks missing from the sheet are deleted
 * with their obligations. *changes (new reference) says what changes (plan_sheet_changes());
 * dry_run stores nothing. ERR_RULE when the sheet has errors: they are in sheet->errors. The
 * caller frees sheet (plan_sheet_free(), also on failure). */
enum err plan_import_tasks(struct store *db, const struct plan_row *p, const struct table *t,
                           bool dry_run, long long user, long long now, struct plan_sheet *sheet,
                           json_t **changes, struct problem *pr);

/* -- the items of a plan: actions (with measures), tasks, obligations -- */

enum plan_item { PLAN_ACTION, PLAN_TASK, PLAN_OBLIGATION };

/* The item a path names: ref is an action's or task's number (text), or an obligation's key.
 * 404 when the plan has none. */
enum err plan_item_find(struct store *db, const struct plan_row *p, enum plan_item kind,
                        const char *ref, long long *id, struct problem *pr);
/* The API's rendering of an item (a task with its obligations); NULL on a storage error. */
json_t *plan_item_json(struct store *db, enum plan_item kind, long long id);
/* Adds an item in the document shape to a draft: checked (defaults filled in place), with its
 * references (task → action and measure, obligation → task), a number or key not yet used. */
enum err plan_item_create(struct store *db, const struct plan_row *p, enum plan_item kind,
                          json_t *doc, long long user, long long now, long long *id,
                          struct problem *pr);
/* Merges patch into the item and stores it after the same checks (a new per without due, or a
 * new who, replaces an obligation's old one; a measure dropped from an action must not be
 * used by a task). */
enum err plan_item_update(struct store *db, const struct plan_row *p, enum plan_item kind,
                          long long id, json_t *patch, long long user, long long now,
                          struct problem *pr);
/* Deletes an item of a draft (ref as for plan_item_find): an action only without tasks; a
 * task with its obligations, which *obligations counts (0 for the other kinds). */
enum err plan_item_delete(struct store *db, const struct plan_row *p, enum plan_item kind,
                          long long id, const char *ref, long long user, long long now,
                          long long *obligations, struct problem *pr);

/* Lists of one plan version after the cursor, up to limit (≤ 1000), as the API renders them:
 * *items a new array, *last the cursor of the last one. */
enum err plan_action_list(struct store *db, long long plan_id, long long after, long long limit,
                          json_t **items, long long *last);
/* Tasks of action number action (0: any) and of unit (id, code or key; NULL: any) in role
 * ("lead", "coop"; NULL: either). */
enum err plan_task_list(struct store *db, long long plan_id, long long action, const char *unit,
                        const char *role, long long after, long long limit, json_t **items,
                        long long *last, struct problem *pr);
/* Obligations of task number task (0: any) owed by unit (NULL: any): listed by it, or by its
 * tier. */
enum err plan_obligation_list(struct store *db, long long plan_id, long long task, const char *unit,
                              long long after, long long limit, json_t **items, long long *last,
                              struct problem *pr);
/* The activity kinds, of plan code's default version when plan is not NULL. */
enum err plan_kind_list(struct store *db, const char *plan, long long after, long long limit,
                        json_t **items, long long *last, struct problem *pr);

/* ---- .xlsx (plan_xlsx.c) ---- */

struct arena;
/* The key tasks of a plan document as .xlsx bytes (in arena a) in the layout of 附件1. */
enum err plan_xlsx_tasks(json_t *doc, struct arena *a, void **out, size_t *len);

/* ---- .xlsx import in the layout of 附件1 (plan_sheet.c) ---- */

#define PLAN_SHEET_MAX_BYTES (10u * 1024 * 1024)
/* A whole plan's tasks (plan_check_doc allows 5,000) and titles. */
#define PLAN_SHEET_MAX_ROWS 5010

/* The columns of 附件1, as headers. */
#define PLAN_COL_NO "序号"
#define PLAN_COL_CONTENT "重点内容"
#define PLAN_COL_TEXT "具体任务"
#define PLAN_COL_LEAD "牵头单位"
#define PLAN_COL_COOP "配合单位"
#define PLAN_COL_DEADLINE "任务时限"

/* The tasks of a 附件1 sheet (an export of plan_xlsx_tasks() edited, or the printed table
 * typed in) as they would replace those of draft (a plan document). The header row is found
 * among the first ten rows by its 序号 and 具体任务 cells; 序号, 重点内容, 具体任务 and 牵头单位
 * are required columns. Per row:
 *   序号      the task number (1..9999, unique); it matches the draft's task of that number
 *   重点内容  a measure's title in the draft, which gives the task's action and measure; blank
 *             continues the row above (a merged cell)
 *   具体任务  the task text
 *   牵头单位, 配合单位  unit names split at 、，,；; "各区县" is @districts; "甲、乙等部门（单位）"
 *             gives 甲, 乙 and the group 有关部门（单位）. A cell equal to the draft task's keeps
 *             its resolved units (task 44's garbled cell stays as the draft has it)
 *   任务时限  as plan_deadline_parse() reads it; blank is none; equal to the draft's keeps it
 * and the draft task's note stays. Each task then passes plan_check_task(), and the draft
 * with these tasks (the obligations of tasks no longer there dropped) passes plan_check_doc():
 * out->doc. Every problem is listed in out->errors by row and column (row 0 for the plan as a
 * whole); ERR_RULE when there is any, ERR_INTERNAL when memory runs out. */
struct plan_sheet {
    json_t *tasks; /* document shape, in row order */
    int *rows;     /* the file row of each task */
    json_t *doc;   /* the draft as it would be; NULL unless OK */
    struct table_errors errors;
};
enum err plan_sheet_read(const struct table *t, json_t *draft, const struct plan_check_ctx *c,
                         struct plan_sheet *out);
void plan_sheet_free(struct plan_sheet *s);
/* What replacing draft's tasks with tasks changes: {"added":[no…], "changed":[{"no",
 * "fields":[…]}], "removed":[no…], "unchanged":n, "obligations_removed":[{"key","task",
 * "title"}]} (the obligations of removed tasks go with them). New reference. */
json_t *plan_sheet_changes(json_t *draft, json_t *tasks);

#endif
