/* index.h - the compliance engine's in-memory index of accepted reports (no I/O, no locks;
 * engine.c shares one per process behind a read-write lock and keeps it up to date).
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

struct cx_bucket {
    int plan, kind; /* interned codes */
    long long unit; /* owner; 0 = city-wide */
    long long task; /* task number for the task kind, else 0 */
    size_t n, cap;
    struct comply_event *ev;     /* sorted by (activity_day, rid); value 1 */
    long long *rid;              /* report ids, parallel to ev */
    long long *mv[CX_MAX_SLOTS]; /* tracked metric values, parallel to ev; NULL until filled */
};

/* One accepted report as the index stores it. */
struct cx_report {
    long long id, unit, parent; /* parent 0 for none */
    int plan, kind;
    int act, acc;                   /* activity and accepted days (date.h numbers) */
    long long task;                 /* for the task kind: one task it names (0 otherwise) */
    long long values[CX_MAX_SLOTS]; /* the kind's tracked slots (cx_slots) */
};

struct cx_index;

struct cx_index *cx_new(void);
void cx_free(struct cx_index *x); /* NULL is a no-op */

/* Interned names: the id of s, adding it when add is true; -1 when unknown (or the table is
 * full). */
int cx_plan_id(struct cx_index *x, const char *code, bool add);
int cx_kind_id(struct cx_index *x, const char *code, bool add);
const char *cx_kind_name(const struct cx_index *x, int kind);

/* Metric slots of a kind: the slot of metric (by name), -1 when not tracked. */
int cx_slot(const struct cx_index *x, int kind, const char *metric);
int cx_nslots(const struct cx_index *x, int kind);
const char *cx_slot_metric(const struct cx_index *x, int kind, int slot);
/* Starts tracking metric for kind: every bucket of the kind gets a zeroed value array; the
 * caller then sets the values with cx_fill_slot(). Returns the slot, -1 when all are taken. */
int cx_track(struct cx_index *x, int kind, const char *metric);
/* Sets slot values of every event of kind from pairs (report id, value) sorted by id; reports
 * not listed get 0. */
void cx_fill_slot(struct cx_index *x, int kind, int slot, const long long (*pairs)[2], size_t n);

/* City-wide buckets (owner 0) for a kind: built from the kind's buckets now, kept up to date
 * by later inserts. */
void cx_make_city_wide(struct cx_index *x, int kind);
bool cx_is_city_wide(const struct cx_index *x, int kind);

/* Bulk loading, right after cx_reset (or on a new index): between begin and end, cx_add
 * appends without ordering (values of tracked slots along); end sorts and drops duplicates.
 * cx_reset empties every bucket (names, slots and city-wide kinds stay). */
void cx_reset(struct cx_index *x);
void cx_bulk_begin(struct cx_index *x);
bool cx_bulk_end(struct cx_index *x); /* false on out-of-memory: reset the index */

/* Adds the report's event to its buckets (unit, parent, city-wide). Idempotent outside bulk
 * loading. false on out-of-memory (the index is then unusable: reset it). */
bool cx_add(struct cx_index *x, const struct cx_report *r);
/* Removes every event of these reports (ids need not be sorted). Returns how many events. */
size_t cx_remove(struct cx_index *x, const long long *ids, size_t n);

/* The bucket of a key, or NULL. */
const struct cx_bucket *cx_find(const struct cx_index *x, int plan, int kind, long long unit,
                                long long task);
/* Events held (each owner counted), for statistics. */
size_t cx_events(const struct cx_index *x);
/* Bytes held by the buckets, for statistics. */
size_t cx_bytes(const struct cx_index *x);

/* First index in b's events with (activity_day) >= day; b->n when none. */
size_t cx_lower(const struct cx_bucket *b, int day);

#endif
