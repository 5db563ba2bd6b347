/* facility.h - environmental facilities open to the public (issue 15 §1-§5, DOMAIN.md §7): the
 * registry (one of the four categories or a facility opened voluntarily, run by an organisation
 * account of the citizen area, in a district unit), its sessions (openings, which may recur
 * weekly or monthly, marked on 六五环境日, 全国低碳日 and 全国生态日), bookings (a verified
 * citizen with named companions, or a group with a leader and a headcount that fits whole or not
 * at all), the waitlist with offers confirmed by a deadline, the visit (the booking's signed QR
 * code at the gate, walk-ins, the live count inside against the safety limit, feedback) and the
 * task 74 ledger report filed once when a session is recorded as held.
 *
 * Operators are citizens (PERM_CITIZEN sessions) who administer the facility's organisation
 * (org_admin or member); officials holding PERM_FAC_REVIEW (office everywhere, unit_admin for
 * its unit) review the record. Whoever filed a record never reviews it. Use, inside the caller's
 * transaction:
 *   struct problem p = {0};
 *   long long id; const char *state;
 *   enum err e = fac_book(db, keys, &(struct fac_booking_new){.session = s, .citizen = c}, now,
 *                         &id, &state, &p);   // "held" or "waiting"
 *
 * Rooms: facility.c (registry, review, sessions), facility_booking.c (booking, waitlist, offers,
 * cancellation, the tick), facility_visit.c (QR check-in, walk-ins, leaving, feedback, held and
 * the ledger), facility_rules.c (pure; places reuse the volunteer area's `places_*` rules),
 * store_facility.c behind facility_store.h, api_facility*.c. */
#ifndef ECOACT_FACILITY_H
#define ECOACT_FACILITY_H
#include <jansson.h>
#include <stdbool.h>
#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

/* ---- policy defaults ---- */
#define FAC_TEXT_MAX 200           /* bytes of a name, an address, a rule text */
#define FAC_ACTIVE_MAX 3           /* live bookings (held, offered, waiting) of one person */
#define FAC_NOSHOW_LIMIT 3         /* no-shows in a year that bring a cooldown */
#define FAC_COOLDOWN_DAYS 30       /* days of cooldown after the last of them */
#define FAC_NOSHOW_WINDOW 31536000 /* "a year" */
#define FAC_OFFER_SECONDS 86400    /* a waitlist offer lasts 24 h (never past the session start) */
#define FAC_COMPANIONS_MAX 5       /* companions of one individual booking */
#define FAC_GROUP_MAX 200          /* headcount of a group */
#define FAC_CAPACITY_MAX 10000     /* capacity of one session */
#define FAC_REPEAT_MAX 24          /* sessions one recurrence creates */
#define FAC_COMMENT_MAX 1000       /* bytes of a feedback comment */

/* ---- pure rules (facility_rules.c) ---- */

/* Categories: monitoring (环境监测设施), sewage (城市污水处理设施), waste (城市生活垃圾处理设施),
 * hazardous (危险废物和废弃电器电子产品处理设施), voluntary (another kind opened voluntarily). */
bool fac_category_valid(const char *c);
const char *fac_category_label(const char *c);
const char *fac_status_label(const char *s); /* registered open suspended returned */
/* Review: from status, decision approve (registered/returned→open… returned only after a
 * resubmission, so registered→open), return (registered→returned), suspend (open→suspended),
 * restore (suspended→open): the new status, or NULL. */
const char *fac_decide(const char *status, const char *decision);
const char *fac_booking_state_label(const char *s);
/* The key date a day falls on ("YYYY-MM-DD"): "world_env_day" (六五环境日, 06-05),
 * "low_carbon_day" (全国低碳日, from the yearly table), "eco_day" (全国生态日, 08-15, from 2023),
 * or "" for none. */
const char *fac_key_date(const char *day);
const char *fac_key_date_label(const char *code);
/* The days of a key date in a year (out[11]): false when the year has none on record. */
bool fac_key_date_day(const char *code, int year, char out[11]);
/* The offset in days of the i-th repetition (i >= 0) of a session on `day` repeating every
 * "week" or "month" (the same day of the month; -1 when that month has no such day). */
int fac_repeat_offset(const char *day, const char *every, int i);
/* Whether no-shows (their count in the year and the last one's time) bar booking at now;
 * *until the cooldown's end. */
bool fac_cooldown(long long noshows, long long last_noshow, long long now, long long *until);
/* The two-month period (1..6) of a month (1..12): Jan-Feb 1, Mar-Apr 2 … */
int fac_bimonth(int month);
json_t *fac_options_json(void); /* {"categories","key_dates","states"} */

/* ---- the registry (facility.c) ---- */

struct fac_new {
    const char *category, *kind_note, *name, *address, *accessibility, *batch;
    long long org_id, unit_id, lat_e6, lng_e6, safety_limit, min_age;
    bool id_required;
};
/* Who acts: a citizen operator, or an official (user id with keys for the four-eyes check). */
struct fac_actor {
    long long citizen;
    long long official;
    const struct keys *keys;
    const char *name; /* an official's display name, for history */
};
/* A citizen administering (org_admin) an accepted organisation files its facility (registered). */
enum err fac_file(struct store *db, long long by, const struct fac_new *f, long long now,
                  long long *id, struct problem *p);
/* An operator (a member of the organisation) corrects the record; a returned record goes back to
 * registered. NULL/negative fields keep their value. */
enum err fac_update(struct store *db, long long id, long long by, const struct fac_new *f,
                    long long now, struct problem *p);
/* An official with PERM_FAC_REVIEW for the unit (the caller checks reach) decides; the filer
 * never does (citizen_is_official). */
enum err fac_review(struct store *db, long long id, const char *decision, const char *reason,
                    const struct fac_actor *who, long long now, struct problem *p);
long long fac_unit(struct store *db, long long id); /* 0: none */
/* Whether the citizen operates the facility (a member of its organisation). */
bool fac_is_operator(struct store *db, long long id, long long citizen);
/* The record as JSON (with the next sessions when `sessions`). */
json_t *fac_json(struct store *db, long long id, bool sessions, long long now);
struct fac_find {
    long long unit;         /* 0: any */
    const char *category;   /* NULL: any */
    const char *status;     /* NULL: any */
    long long org;          /* >0: the organisation's */
    long long operator_cid; /* >0: of the organisations this citizen belongs to (all statuses) */
};
json_t *fac_list(struct store *db, const struct fac_find *f, long long now, long long after,
                 long long limit, long long *last);

/* ---- sessions (facility.c) ---- */

struct fac_session_new {
    const char *day; /* "YYYY-MM-DD" (Asia/Shanghai) */
    long long starts_at, ends_at, capacity, ind_quota, grp_quota;
    long long booking_opens, booking_closes, cancel_by;
    const char *every; /* NULL: once; "week" or "month" */
    int times;         /* with every: how many sessions in all (1..FAC_REPEAT_MAX) */
};
/* An operator adds sessions to an open facility: ids[] (up to FAC_REPEAT_MAX) and *n. A
 * recurrence moves each repetition's times, booking close and cancellation deadline by its offset;
 * booking opens at the same time for all of them. */
enum err fac_session_create(struct store *db, long long facility, long long by,
                            const struct fac_session_new *s, long long now, long long *ids, int *n,
                            struct problem *p);
/* An operator cancels a session; every live booking gets a message. */
enum err fac_session_cancel(struct store *db, long long session, long long by, long long now,
                            struct problem *p);
long long fac_session_facility(struct store *db, long long session); /* 0: none */
/* The session with its counts; the roster when `roster` (operators). */
json_t *fac_session_json(struct store *db, long long session, bool roster, long long citizen);
/* Key dates of a year and the facilities (within unit, 0: all) with no session planned on each. */
json_t *fac_key_dates_json(struct store *db, int year, long long unit);

/* The bi-monthly duty of task 74 per facility (facility_lights.c): each open or suspended
 * facility within unit (0: all) with its two-month periods from its approval (not before the
 * duty's start) to the duty's end, evaluated by the compliance engine's rules (base/comply.h:
 * comply_evaluate, its grace days and lights) over its held sessions at as_of (a day number). */
json_t *fac_lights_json(struct store *db, long long unit, int as_of);

/* ---- booking (facility_booking.c) ---- */

struct fac_companion {
    const char *name, *resident_id;
};
struct fac_booking_new {
    long long session, citizen;
    int ncompanions;
    struct fac_companion companions[FAC_COMPANIONS_MAX];
    /* a group: group_name and leader_name set, headcount 1..FAC_GROUP_MAX */
    const char *group_name, *leader_name;
    long long headcount;
};
/* Books: "held" (places taken) or "waiting" (an individual on the waitlist); a group that does
 * not fit is refused whole (409) and changes nothing. Refusals: not verified, outside the window,
 * over the limit, cooldown, under the minimum age, booked already. */
enum err fac_book(struct store *db, const struct keys *k, const struct fac_booking_new *b,
                  long long now, long long *id, const char **state, struct problem *p);
/* The booker cancels; before cancel_by the places pass to the waitlist, later it counts as a
 * no-show. */
enum err fac_cancel(struct store *db, long long booking, long long citizen, long long now,
                    struct problem *p);
enum err fac_confirm(struct store *db, long long booking, long long citizen, long long now,
                     struct problem *p);
/* Whether the booking is the citizen's: its session id (0: not theirs). */
long long fac_booking_session(struct store *db, long long booking, long long citizen);
json_t *fac_my_bookings(struct store *db, long long citizen);
/* The waitlist of a session in order, for its operators. */
json_t *fac_waitlist_json(struct store *db, long long session);
enum err fac_tick(struct store *db, const struct keys *k, long long now, char *summary, size_t n);

/* ---- the visit (facility_visit.c) ---- */

/* The booking's signed QR code text (QR_BOOKING, subject the booking), for its booker. */
enum err fac_booking_qr(struct store *db, const struct keys *k, long long booking,
                        long long citizen, long long now, char *text, struct problem *p);
/* An operator checks a code in at the gate of the session: the booking enters (its headcount
 * counted inside, against the safety limit). Forged, expired, replayed or another session's codes
 * are refused. *booking gets the booking. */
enum err fac_checkin(struct store *db, const struct keys *k, long long session, long long by,
                     const char *code, long long now, long long *booking, struct problem *p);
/* Walk-ins while there is space (capacity and safety limit). */
enum err fac_walkin(struct store *db, long long session, long long by, long long n, long long now,
                    struct problem *p);
/* n visitors leave (a booking's party, or n walk-ins when booking is 0). */
enum err fac_leave(struct store *db, long long session, long long by, long long booking,
                   long long n, long long now, struct problem *p);
enum err fac_feedback(struct store *db, long long booking, long long citizen, long long rating,
                      const char *comment, long long now, struct problem *p);
/* An operator records the session held (after it started): bookings not entered become
 * no-shows; the task 74 ledger report is filed once through the work ledger (metrics
 * participants and sessions). */
enum err fac_session_held(struct store *db, long long session, long long by, long long now,
                          struct problem *p);

#endif
