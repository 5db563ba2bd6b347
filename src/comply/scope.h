/* scope.h - the pure half of the compliance engine (no I/O, no locks; unit-tested in
 * tests/unit/test_comply_scope.c):
 *   - the plan model: a plan document (plan_export_doc's shape) read into obligations
 *     with their compliance rule (plan_obligation_rule) and how a report is valued;
 *   - scopes: which rows an obligation makes over the units — one row per unit of the listed
 *     tiers; ONE row for units listed jointly (met by reports of any of them); task 74's
 *     "every open facility" as one city-wide row owed by 市生态环境局 until facilities are
 *     registered (reports of every unit count);
 *   - event selection: a row's events for one period, from the index buckets of its units
 *     (a report counted once even when two of the row's units hold it), valued as a count, a
 *     metric sum, or task 51's all-schools flag;
 *   - evaluation of every period of a row from the plan's start up to the as-of date (and, for
 *     the 90-day outlook, the periods still to come) with comply_evaluate(), one period at a
 *     time over just that period's events. */
#ifndef ECOACT_COMPLY_SCOPE_H
#define ECOACT_COMPLY_SCOPE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/comply.h"
#include "comply/index.h"

/* Progress reports on standing tasks: counted per task they name (report_tasks). */
#define CM_TASK_KIND "progress_report"
/* Who owes a facilities duty while no facility is registered (DOMAIN.md §2, task 74). */
#define CM_FACILITY_OWNER "市生态环境局"
/* Task 51 (rule all_schools): a report's metrics. */
#define CM_RULE_ALL_SCHOOLS "all_schools"
#define CM_SCHOOLS_TOTAL "schools_total"
#define CM_SCHOOLS_MET "schools_met"
/* Most units one row can hold (joint duties list a handful). */
#define CM_MAX_JOINT 16

enum comply_who { CM_WHO_UNITS, CM_WHO_TIERS, CM_WHO_FACILITIES };

/* How one accepted report counts toward a duty. */
enum comply_value {
    CM_COUNT,      /* 1 */
    CM_METRIC,     /* the obligation's metric (0 when the report lacks it) */
    CM_ALL_SCHOOLS /* 1 when schools_total > 0 and schools_met >= schools_total, else 0 */
};

struct comply_obl {
    char *key, *title, *kind, *metric, *rule_name, *note, *per_name; /* owned */
    long long task;
    int action; /* the task's action number (0 when unknown) */
    enum comply_who who;
    char **units; /* unit keys (CM_WHO_UNITS) */
    size_t nunits;
    char **tiers; /* CM_WHO_TIERS */
    size_t ntiers;
    struct comply_rule rule;
    enum comply_value value;
    /* resolved against the index by the engine (under its write lock) */
    int index_kind, slot_a, slot_b;
};

struct comply_action {
    int no;
    char *title;
};

struct comply_plan {
    long long id;
    char *code, *title;
    int version;
    bool draft;
    int start, end; /* plan period (day numbers) */
    struct comply_obl *o;
    size_t no;
    struct comply_action *a;
    size_t na;
    int index_plan; /* interned code, set by the engine */
    bool resolved;  /* index_plan and the obligations' index_kind valid */
};

/* Reads a plan document (already checked when it was stored). NULL with why on a field that
 * cannot be read. */
struct comply_plan *comply_plan_from_doc(json_t *doc, long long id, bool draft, char *why,
                                         size_t whylen);
void comply_plan_free(struct comply_plan *p); /* NULL is a no-op */
/* The obligation of this key, or NULL. */
const struct comply_obl *comply_plan_obligation(const struct comply_plan *p, const char *key);
/* Whether a report of this kind serving these tasks counts toward the duty, as the index files
 * it: by kind; progress reports (CM_TASK_KIND) only for the tasks they name. */
bool comply_obl_counts(const struct comply_obl *o, const char *kind, const long long *tasks,
                       size_t ntasks);
/* The action's title, or NULL. */
const char *comply_plan_action_title(const struct comply_plan *p, int no);

/* A unit as scopes need it; strings borrowed. */
struct comply_unit {
    long long id, parent;
    const char *key, *code, *name, *tier;
    bool active;
};

/* One row: an obligation owed by units[idx[first] .. idx[first + n - 1]] (one unit, or the
 * joint units; for city_wide, the unit that answers for the city). */
struct comply_row {
    size_t obl;
    size_t first, n;
    bool city_wide;
};

struct comply_rows {
    struct comply_row *r;
    size_t n, cap;
    size_t *idx; /* indexes into the units array */
    size_t nidx, capidx;
};

/* Every row of the plan over the units, in the plan's obligation order, tier rows in the
 * units' order. Inactive units and named groups owe nothing. false on out-of-memory. */
bool comply_rows_build(const struct comply_plan *p, const struct comply_unit *u, size_t nu,
                       struct comply_rows *out);
void comply_rows_free(struct comply_rows *rows);

/* ---- event selection ---- */

/* Growable buffers for one thread's selections. */
struct comply_scratch {
    struct comply_event *ev;
    long long *rid;
    size_t cap;
};
void comply_scratch_free(struct comply_scratch *s);

/* Where a row's events come from: one bucket per unit that holds any (NULLs left out). */
struct comply_source {
    const struct comply_index_bucket *b[CM_MAX_JOINT];
    size_t nb;
    enum comply_value value;
    int slot_a, slot_b; /* CM_METRIC: slot_a; CM_ALL_SCHOOLS: total (a) and met (b); -1 none */
};

/* The source's events with activity day in [lo, hi], sorted by (activity day, report id),
 * each report once, valued for the duty. *ev and *rid point into the bucket (one bucket
 * counted: no copy) or into sc. Returns the count, or (size_t)-1 on out-of-memory. */
size_t comply_select(const struct comply_source *s, int lo, int hi, struct comply_scratch *sc,
                     const struct comply_event **ev, const long long **rid);

/* Whether an event was done and accepted by as_of (it counts at as_of). */
static inline bool comply_counts(const struct comply_event *e, int as_of)
{
    return e->activity_day <= as_of && e->accepted_day <= as_of;
}

/* ---- evaluation ---- */

/* One period of a row. ev/rid/n: the events comply_evaluate() saw for it (those with
 * comply_counts() are behind the count). future: a period that starts after as_of (only with a
 * horizon): nothing is counted yet, status not_due, light green. Return false to stop. */
typedef bool (*comply_period_fn)(void *ctx, const struct comply_period *p, bool future,
                                 const struct comply_event *ev, const long long *rid, size_t n);

/* Evaluates the rule's periods from its start up to the one holding as_of (recurring rules
 * stop at rule->to), then, when horizon > as_of, the periods starting up to horizon. Returns
 * false when fn stopped or on out-of-memory (*oom set). */
bool comply_eval(const struct comply_rule *rule, const struct comply_source *s, int as_of,
                 int horizon, struct comply_scratch *sc, comply_period_fn fn, void *ctx, bool *oom);

/* The label of a row's period: period_label(), or for a once-by-date duty "YYYY-MM-DD前" (its
 * due date). */
void comply_period_label(const struct comply_rule *rule, int start, char *buf, size_t n);

#endif
