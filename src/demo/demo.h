/* demo.h - the demo history (`ecoact demo --history`, issue 3 §6): a realistic 2021-2025 record
 * of the plan for every district-level unit and the city departments, generated from a seed
 * (splitmix64, never rand()) so the same seed gives the same data: ledger reports of every kind
 * the plan's duties count, filed, returned and corrected, accepted on time or made up late
 * (补报), some still waiting for review at the end of 2025; dispatch notices at every stage;
 * the half-yearly joint meetings; evaluators' scores for each year; the 2021-2024 evaluations
 * published and 2025 left to publish.
 *
 * Everything goes through the areas' services (work_file and the ledger's review, the
 * supervise area's notice steps, the meeting chain, ev_score_put, ev_publish) in the caller's
 * one transaction, with the times of the history as their `now`. The run is marked in the
 * settings (demo_history = seed): a second run changes nothing.
 *
 *   demo.c       the generator: units and their profiles, duties and periods, reports, notices,
 *                scores, publication
 *   demo_text.c  titles, places, summaries, comments (pure, from the random stream)
 *   demo_meet.c  the joint meetings through the meeting area's chain
 *   demo_citizen.c  public accounts and organisations (`ecoact demo`, with or without history)
 *   demo_volunteer.c  a 市级总队 with volunteers, a project and open activities
 *   demo_facility.c   an open facility with weekly sessions and a booking */
#ifndef ECOACT_DEMO_H
#define ECOACT_DEMO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "store/store.h"

#define DEMO_DEFAULT_SEED 2025ULL

/* splitmix64 (Steele, Lea, Flood 2014): a small, fast, well-mixed 64-bit generator. */
struct demo_rng {
    uint64_t s;
};
static inline uint64_t demo_next(struct demo_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
/* Uniform in [0, 1). */
static inline double demo_unit(struct demo_rng *r)
{
    return (double)(demo_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
/* Uniform integer in [lo, hi] (lo ≤ hi). */
static inline long long demo_range(struct demo_rng *r, long long lo, long long hi)
{
    return lo + (long long)(demo_next(r) % (uint64_t)(hi - lo + 1));
}

struct demo_who {
    long long user_id; /* 0: none */
    const char *name;
};

/* Who files for a unit (its demo account), by unit key or code; the list ends with unit NULL.
 * Other units file as "<unit>填报员" with no account. */
struct demo_filer {
    const char *unit;
    struct demo_who who;
};

struct demo_opts {
    uint64_t seed;
    const struct demo_filer *filers;
    struct demo_who office;    /* reviews reports, issues notices, publishes */
    struct demo_who evaluator; /* enters the third-party scores */
    long long now;             /* the real time of the run (nothing is dated later) */
};

struct demo_stats {
    long long reports, accepted, late, returned, corrected, pending, left_returned;
    long long notices, meetings, scores, published;
};

/* Whether a history is loaded; *seed gets its seed. */
bool demo_history_loaded(struct store *db, uint64_t *seed);
/* Fills the history (see above) inside the caller's transaction. ERR_CONFLICT when one is
 * loaded already (nothing is done). On another error why says what failed. */
enum err demo_history(struct store *db, const struct demo_opts *o, struct demo_stats *st, char *why,
                      size_t whylen);

/* ---- texts (demo_text.c) ---- */

struct arena;
/* A title for a report of kind about unit (short name) on day for the period labelled
 * period_label (may be NULL); n counts reports of the same duty and period from 1. */
const char *demo_title(struct arena *a, struct demo_rng *r, const char *kind, const char *unit,
                       int day, const char *period_label, long long task, int n);
const char *demo_place(struct arena *a, struct demo_rng *r, const char *unit, const char *kind);
const char *demo_summary(struct arena *a, struct demo_rng *r, const char *kind, const char *unit,
                         int day);
/* A metric's plausible value for a report of kind. */
long long demo_metric(struct demo_rng *r, const char *kind, const char *metric);
/* Why the office returned a report, and what the correction says. */
const char *demo_return_reason(struct demo_rng *r);
/* An evaluator's comment for a score (hundredths). */
const char *demo_score_comment(struct arena *a, struct demo_rng *r, const char *unit, int year,
                               long long score);
/* A unit's answer to a dispatch notice. */
void demo_answer(struct demo_rng *r, const char **progress, const char **difficulties,
                 const char **next_steps);

/* ---- meetings (demo_meet.c) ---- */

/* Holds the regular joint meeting of each half-year from the plan's start through the meeting
 * area's chain (notice → receipts and topics → selection → agenda → held → minutes →
 * countersigns → issue), recorded by the office on the days they happened. *held counts them. */
enum err demo_meetings(struct store *db, struct demo_rng *r, const struct demo_who *office,
                       long long office_unit, long long now_limit, long long *held, char *why,
                       size_t whylen);

/* Unix time of a Shanghai civil day at hour:minute. */
long long demo_time(int day, int hour, int minute);

/* ---- public accounts (demo_citizen.c) ---- */
#define DEMO_CITIZEN_PHONE "13700137001" /* the citizen login `make run` prints */
struct keys;
struct demo_citizen_opts {
    const char *password;
    long long now, yuzhong_unit, wanzhou_unit;
    long long reviewer; /* the official who accepts the 渝中区 organisation */
};
/* Adds the demo citizens, the guardian link and the organisations once; *added counts the
 * citizens added (0 when they were there). Inside the caller's transaction. */
enum err demo_citizens(struct store *db, const struct keys *k, const struct demo_citizen_opts *o,
                       int *added, char *why, size_t whylen);
/* The volunteer demo (demo_volunteer.c): guardian is 陈绿 (org_admin of the accepted 渝中区
 * organisation org), member 林青; called by demo_citizens once. */
enum err demo_volunteers(struct store *db, const struct keys *k, const struct demo_citizen_opts *o,
                         long long guardian, long long member, long long org, struct problem *p);
/* The facility demo (demo_facility.c): the same people and organisation; called once. */
enum err demo_facilities(struct store *db, const struct keys *k, const struct demo_citizen_opts *o,
                         long long guardian, long long member, long long org, struct problem *p);

#endif
