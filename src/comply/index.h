/* index.h - the compliance engine's in-memory index of accepted reports (no I/O, no locks;
 * comply.c shares one per process behind a read-write lock and keeps it up to date).
 *
 * Every accepted report becomes an event {activity day, accepted day} in one bucket per owner:
 * key (plan code, activity kind, owner unit, task). The owner is the report's unit and, when it
 * has one, its parent unit (child units' reports count for their district); progress reports
 * are keyed by the task they name (the loader adds one event per task named), every other kind
 * by task 0; kinds marked city-wide also get each report once under owner 0 (task 74 "every open
 * facility, city-wide until facilities are registered").
 *
 * A bucket keeps its events sorted by (activity day, report id) in parallel arrays: `ev` is
 * exactly what comply_evaluate() takes (value 1: a count), so a count duty over one owner
 * passes a slice of it without copying; `rid` names the report; `mv[slot]` holds the values of
 * the metrics tracked for the kind (e.g. original_article.articles for task 79's sum), filled
 * on demand by the engine, 0 where a report lacks the metric.
 *
 * Inserting is idempotent (a report already in a bucket is not added twice), so a change seen
 * twice is harmless; removal scans every bucket and is only needed for a report that was
 * accepted before (the change log says so). */
#ifndef ECOACT_COMPLY_INDEX_H
#define ECOACT_COMPLY_INDEX_H
#include <stdbool.h>
#include <stddef.h>
#include "base/comply.h"

#define CX_MAX_SLOTS 4    /* tracked metrics per kind */
#define CX_MAX_NAMES 4096 /* distinct plan codes, kinds or metric names */

struct comply_index_bucket {
    int plan, kind; /* interned codes */
    long long unit; /* owner; 0 = city-wide */
    long long task; /* task number for the task kind, else 0 */
    size_t n, cap;
    struct comply_event *ev;     /* sorted by (activity_day, rid); value 1 */
    long long *rid;              /* report ids, parallel to ev */
    long long *mv[CX_MAX_SLOTS]; /* tracked metric values, parallel to ev; NULL until filled */
};

/* One accepted report as the index stores it. */
struct comply_index_report {
    long long id, unit, parent; /* parent 0 for none */
    int plan, kind;
    int act, acc;                   /* activity and accepted days (date.h numbers) */
    long long task;                 /* for the task kind: one task it names (0 otherwise) */
    long long values[CX_MAX_SLOTS]; /* the kind's tracked slots (comply_index_slots) */
};

struct comply_index;

struct comply_index *comply_index_new(void);
void comply_index_free(struct comply_index *x); /* NULL is a no-op */

/* Interned names: the id of s, adding it when add is true; -1 when unknown (or the table is
 * full). */
int comply_index_plan_id(struct comply_index *x, const char *code, bool add);
int comply_index_kind_id(struct comply_index *x, const char *code, bool add);
const char *comply_index_kind_name(const struct comply_index *x, int kind);

/* Metric slots of a kind: the slot of metric (by name), -1 when not tracked. */
int comply_index_slot(const struct comply_index *x, int kind, const char *metric);
int comply_index_nslots(const struct comply_index *x, int kind);
const char *comply_index_slot_metric(const struct comply_index *x, int kind, int slot);
/* Starts tracking metric for kind: every bucket of the kind gets a zeroed value array; the
 * caller then sets the values with comply_index_fill_slot(). Returns the slot, -1 when all are
 * taken. */
int comply_index_track(struct comply_index *x, int kind, const char *metric);
/* Sets slot values of every event of kind from pairs (report id, value) sorted by id; reports
 * not listed get 0. */
void comply_index_fill_slot(struct comply_index *x, int kind, int slot, const long long (*pairs)[2],
                            size_t n);

/* City-wide buckets (owner 0) for a kind: built from the kind's buckets now, kept up to date
 * by later inserts. */
void comply_index_make_city_wide(struct comply_index *x, int kind);
bool comply_index_is_city_wide(const struct comply_index *x, int kind);

/* Bulk loading, right after comply_index_reset (or on a new index): between begin and end,
 * comply_index_add appends without ordering (values of tracked slots along); end sorts and drops
 * duplicates. comply_index_reset empties every bucket (names, slots and city-wide kinds stay). */
void comply_index_reset(struct comply_index *x);
void comply_index_bulk_begin(struct comply_index *x);
bool comply_index_bulk_end(struct comply_index *x); /* false on out-of-memory: reset the index */

/* Adds the report's event to its buckets (unit, parent, city-wide). Idempotent outside bulk
 * loading. false on out-of-memory (the index is then unusable: reset it). */
bool comply_index_add(struct comply_index *x, const struct comply_index_report *r);
/* Removes every event of these reports (ids need not be sorted). Returns how many events. */
size_t comply_index_remove(struct comply_index *x, const long long *ids, size_t n);

/* The bucket of a key, or NULL. */
const struct comply_index_bucket *comply_index_find(const struct comply_index *x, int plan,
                                                    int kind, long long unit, long long task);
/* Events held (each owner counted), for statistics. */
size_t comply_index_events(const struct comply_index *x);
/* Bytes held by the buckets, for statistics. */
size_t comply_index_bytes(const struct comply_index *x);

/* First index in b's events with (activity_day) >= day; b->n when none. */
size_t comply_index_lower(const struct comply_index_bucket *b, int day);

#endif
