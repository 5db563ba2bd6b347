/* comply.h - the compliance engine (issue 3 §3): for every obligation × unit in scope × period
 * of a plan, up to an as-of date, the count (or metric sum) of accepted reports, the status
 * (met / met late 补报 / missed / in progress / not yet due) and the warning light, by
 * DOMAIN.md's counting rules as base/comply.h implements them.
 *
 *   store_comply.c  the area's storage: the in-memory index of accepted reports per (plan,
 *             kind, owner unit, task); comply owns no tables (types in index.h)
 *   comply_rules.c  (pure) plan model, who owes each duty (rows), event selection, per-period
 *             evaluation (types in scope.h)
 *   comply.c  the service: one index per process shared by the loop threads behind a read-write
 * lock, brought up to date on each request from the ledger's change log ledger.c  the index fed
 * through the work ledger's service (work_accepted_*) units.c   the units evaluated, through org's
 * service (comply owns no tables) ics.c     RFC 5545 text (pure) api_comply.c    routes: the
 * matrix, its summary, a unit's next 90 days, calendar feeds (the feeds themselves are org's
 * credentials: org/session.h)
 *
 * Other areas (supervision's red-item notices) call comply_run() with a query and get the
 * cells through a callback. */
#ifndef ECOACT_COMPLY_H
#define ECOACT_COMPLY_H
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"
#include "comply/index.h"
#include "comply/scope.h"
#include "store/store.h"

/* The 90-day outlook of obligations-due and the calendar feeds. */
#define COMPLY_OUTLOOK_DAYS 90

/* Light filter bits. */
#define COMPLY_LIGHT_BIT(l) (1u << (l))

struct comply_query {
    const char *plan; /* plan code */
    int version;      /* PLAN_V_DEFAULT (latest published, else the draft), PLAN_V_DRAFT or > 0 */
    int as_of;        /* day number; must be >= the plan's start (ERR_RULE otherwise) */
    int horizon;      /* also periods starting after as_of up to this day (0: none) */
    long long unit;   /* only rows this unit owes (0: all) */
    long long task;   /* only obligations of this task number (0: all) */
    long long action; /* only obligations of tasks under this action number (0: all) */
    const char *obligation; /* only this obligation key (NULL: all); unknown → ERR_RULE */
    unsigned lights;        /* COMPLY_LIGHT_BIT()s to keep (0: all) */
    const char *period;     /* a period label ("2023Q3", "2022-12-31前") or a date "YYYY-MM-DD"
                               (the periods holding it); NULL: all */
    bool open_only;         /* only periods not yet closed (as_of <= end + grace) and not met */
    bool want_events;       /* the callback gets the events behind each cell */
};

/* One cell: an obligation × its unit(s) × one period. Everything is borrowed for the call. */
struct comply_cell {
    const struct comply_plan *plan;
    const struct comply_obl *o;
    const struct comply_unit *units[CM_MAX_JOINT]; /* one, or the joint units */
    size_t nunits;
    bool city_wide; /* task 74 before facilities are registered: every unit's reports count */
    const struct comply_period *p;
    char label[40];
    bool future; /* starts after as_of (outlook only) */
    /* with want_events: the period's events; those with comply_counts(ev, as_of) are counted */
    const struct comply_event *ev;
    const long long *rid;
    size_t nev;
    int as_of;
};
typedef bool (*comply_cell_fn)(void *ctx, const struct comply_cell *c);

/* What comply_run found out, for the answer. */
struct comply_info {
    long long plan_id;
    char code[72];
    int version;
    bool draft;
    int start, end;
    long long seq;      /* change counter the index reflected */
    size_t rows, cells; /* rows in scope, cells passed to fn */
};

struct comply_engine;

/* The process's engine, created on first use and freed at exit. */
struct comply_engine *comply_engine(void);
struct comply_engine *comply_engine_new(void);
void comply_engine_free(struct comply_engine *e); /* NULL is a no-op */

/* Brings the index up to date with db and calls fn for every cell the query selects, in
 * the plan's obligation order, then the units' order, then period order. The units a cell
 * names live in arena a and stay valid after the call; the obligation and plan only during
 * it (a draft's model is freed at the end). Errors: ERR_NOT_FOUND (no such plan), ERR_RULE
 * with why and *field (bad as_of, unknown obligation), or a storage error (the index is then
 * reloaded on the next call). */
enum err comply_run(struct comply_engine *e, struct store *db, struct arena *a,
                    const struct comply_query *q, comply_cell_fn fn, void *ctx,
                    struct comply_info *info, const char **field, char *why, size_t whylen);

/* Statistics: events held, bytes, change counter. */
void comply_engine_stats(struct comply_engine *e, size_t *events, size_t *bytes, long long *seq);

/* ---- the index fed through the work ledger's service (ledger.c) ---- */

/* Every accepted report into x (comply_index_reset, bulk load, tracked slots filled). */
enum err comply_ledger_load_all(struct store *db, struct comply_index *x);
/* The ledger's changes (from, to] into x; *too_many when more than max reports changed
 * (nothing done: reload everything). */
enum err comply_ledger_apply_changes(struct store *db, struct comply_index *x, long long from,
                                     long long to, size_t max, bool *too_many);
/* Fills the values of one tracked slot from the accepted reports' metrics. */
enum err comply_ledger_fill_slot(struct store *db, struct comply_index *x, int kind, int slot);

/* ---- units (units.c) ---- */

/* Every unit (arena copies; name is the short name), in id order, from org's units_each(). */
enum err comply_units(struct store *db, struct arena *a, struct comply_unit **out, size_t *n);

/* ---- .ics (ics.c, pure) ---- */

/* An iCalendar (RFC 5545) text being written: CRLF line ends, content lines folded at 75
 * octets (never inside a UTF-8 sequence), TEXT values escaped. */
struct ics {
    char *buf; /* malloc'd, NUL-terminated */
    size_t len, cap;
    bool failed;
};
void comply_ics_begin(struct ics *c, const char *calname, const char *prodid);
/* One all-day event on `day` (DTSTART;VALUE=DATE, DTEND the day after). dtstamp: unix seconds. */
void comply_ics_event(struct ics *c, const char *uid, long long dtstamp, int day,
                      const char *summary, const char *description);
void comply_ics_end(struct ics *c);
/* Hands the text over (caller frees); NULL when writing failed. */
char *comply_ics_take(struct ics *c, size_t *len);
/* Appends one content line, escaped value already included, folded. Exposed for tests. */
void comply_ics_line(struct ics *c, const char *line);

#endif
