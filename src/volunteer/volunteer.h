/* volunteer.h - the volunteer service platform (issue 13 §1-§3, DOMAIN.md §5): teams in a tree
 * (市级总队 → 直属分队 / 区县分队 → 环保志愿服务组织 → 乡镇街道), each with a unit, an approved
 * organisation account (citizen area), admins and service areas, reviewed by the level above;
 * the volunteer registry of real-name-verified citizens with their numbers; team memberships;
 * projects and activities with shifts; and fair recruitment (places, waitlists, offers, group
 * sign-up, absences and suspension).
 *
 * Team admins and volunteers are citizens (PERM_CITIZEN sessions); officials holding
 * PERM_VOL_REVIEW (office everywhere, unit_admin for its unit) review top-level teams and the
 * activities of top-level teams. Use, inside the caller's transaction:
 *   struct problem p = {0};
 *   enum err e = vol_signup(db, shift_id, citizen_id, now, &state, &p);  // "held" or "waiting"
 *
 * Rooms: volunteer.c (teams, volunteers, memberships), volunteer_activity.c (projects,
 * activities, lifecycle), volunteer_places.c (sign-up, waitlist, offers, absences, the tick),
 * volunteer_rules.c (pure; the place and waitlist rules are `places_*`, for any area that hands
 * out limited places), store_volunteer*.c behind volunteer_store.h, api_volunteer*.c. */
#ifndef ECOACT_VOLUNTEER_H
#define ECOACT_VOLUNTEER_H
#include <jansson.h>
#include <stdbool.h>
#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

/* ---- policy defaults ---- */
#define VOL_ABSENCE_LIMIT 5         /* unexcused absences in a year that suspend sign-up */
#define VOL_SUSPEND_DAYS 30         /* for this many days */
#define VOL_ABSENCE_WINDOW 31536000 /* "a year": 365 days back from now */
#define VOL_OFFER_SECONDS 86400     /* a waitlist offer lasts 24 h (never past the shift start) */
#define VOL_GROUP_MAX 50            /* members in one group sign-up */
#define VOL_SHIFTS_MAX 20           /* shifts of one activity */
#define VOL_PLACES_MAX 10000        /* places of one shift */
#define VOL_TEXT_MAX 200            /* bytes of a name, a title, a place */
#define VOL_LIST_MAX 500            /* bytes of skills, areas, availability, districts */

/* ---- pure rules (volunteer_rules.c) ---- */

/* Places: a resource with `places` and `taken` (held + offered). Any area handing out limited
 * places (shifts here, facility bookings next) takes n with the conditional UPDATE
 * `SET taken = taken + n WHERE id = ? AND taken + n <= places` and asks these for the rest. */
bool places_fit(long long places, long long taken, long long n);
/* Waitlist order: lower priority value first, then earlier arrival (seq). <0, 0, >0. */
struct places_queued {
    long long priority, seq;
};
int places_queue_cmp(const struct places_queued *a, const struct places_queued *b);
/* An offer's deadline: now + ttl, but never after `latest` (the shift's start); 0 when the
 * offer could not be confirmed in time (latest <= now). */
long long places_offer_until(long long now, long long ttl, long long latest);
/* Cancelling at now with deadline cancel_by: true frees the place without an absence. */
bool places_cancel_free(long long now, long long cancel_by);

/* A volunteer's waitlist priority: the unexcused absences of the last 12 months (fewer first). */
long long vol_priority(long long absences);
/* Whether `absences` in the year suspend sign-up (policy limit). */
bool vol_absences_suspend(long long absences, long long limit);
/* Whether two [start, end) intervals overlap. */
bool vol_overlap(long long a0, long long a1, long long b0, long long b1);
/* Whether every skill of the comma-separated `need` is among `have` ("" needs nothing). */
bool vol_skills_cover(const char *need, const char *have);
/* The volunteer number: "ZY" + 4-digit year of joining + 8-digit account id, zero-padded. */
void vol_number(long long citizen_id, int year, char out[32]);

/* Team levels: city (市级总队), direct (直属分队), district (区县分队), org (环保志愿服务组织),
 * street (乡镇街道志愿服务队). */
bool vol_level_valid(const char *level);
const char *vol_level_label(const char *level);
/* Whether a team of level `child` may sit under one of level `parent` (NULL: top level; only a
 * city team is top level). */
bool vol_level_under(const char *parent, const char *child);
const char *vol_team_status_label(const char *status); /* registered active suspended */
/* Team review: from status, decision "approve" (registered→active), "suspend" (active→
 * suspended), "restore" (suspended→active): the new status, or NULL when not allowed. */
const char *vol_team_decide(const char *status, const char *decision);
/* Themes of task 45 and service types of task 47 (data: code → label). */
bool vol_theme_valid(const char *theme);
const char *vol_theme_label(const char *theme);
bool vol_service_type_valid(const char *type);
const char *vol_service_type_label(const char *type);
json_t *vol_options_json(void); /* {"levels","themes","service_types"}: [{code,label}] */
/* Activity lifecycle: draft → review → open → closed → held; withdrawn, cancelled. The status
 * after `step` (submit, approve, return, close, held, cancel) from `status`, or NULL. cancel
 * from draft/review/open/closed gives "cancelled" (the caller tells withdrawn apart). */
const char *vol_activity_step(const char *status, const char *step);
const char *vol_activity_status_label(const char *status);
const char *vol_signup_state_label(const char *state);

/* ---- teams and volunteers (volunteer.c) ---- */

struct vol_team_new {
    long long parent_id; /* 0: top level (a city team) */
    const char *level, *name, *areas;
    long long unit_id, org_id; /* a district-level unit (or the city); an accepted organisation */
};
/* Files a team; the filer (a verified citizen, org_admin of the organisation) is its first
 * admin. Status registered until the level above approves. */
enum err vol_team_file(struct store *db, long long by, const struct vol_team_new *t, long long now,
                       long long *id, struct problem *p);
/* Who reviews a team: the parent team's admins (citizen > 0), or for a top-level team the
 * officials holding PERM_VOL_REVIEW for its unit (official > 0). Never its filer or admins. */
struct vol_actor {
    long long citizen;       /* a citizen account, or 0 */
    long long official;      /* an official's user id, or 0 */
    const struct keys *keys; /* with an official: to tell whether they are the filer */
};
enum err vol_team_review(struct store *db, long long team, const char *decision,
                         const struct vol_actor *who, long long now, struct problem *p);
/* Moves a team under another parent (the new parent's admins or an official act; its history
 * keeps the move). */
enum err vol_team_move(struct store *db, long long team, long long parent,
                       const struct vol_actor *who, long long now, struct problem *p);
/* Adds an admin (an approved member of the team), by one of its admins. */
enum err vol_team_admin_add(struct store *db, long long team, long long by, long long citizen,
                            long long now, struct problem *p);
/* The team's unit (0: none), for officials' scoping. */
long long vol_team_unit(struct store *db, long long team);
/* Whether the citizen may review the team (an admin of its parent, not its filer nor admin). */
bool vol_team_citizen_reviews(struct store *db, long long team, long long citizen);
bool vol_team_is_admin(struct store *db, long long team, long long citizen);
/* The team as JSON with history and admins; actions for the citizen (or none: 0). */
json_t *vol_team_json(struct store *db, long long team, long long citizen);
/* Teams: unit (0: any), status (NULL: any), after a cursor. */
json_t *vol_team_list(struct store *db, long long unit, const char *status, long long after,
                      long long limit, long long *last);

struct vol_profile {
    const char *skills, *availability, *districts; /* comma-separated, NULL: keep */
    const char *emergency;                         /* "姓名 电话", sealed; NULL: keep */
};
/* A verified citizen joins the registry (409 when already in it). */
enum err vol_join(struct store *db, const struct keys *k, long long citizen,
                  const struct vol_profile *pr, long long now, struct problem *p);
enum err vol_profile_update(struct store *db, const struct keys *k, long long citizen,
                            const struct vol_profile *pr, long long now, struct problem *p);
/* The volunteer's own record (emergency contact in clear), NULL when not a volunteer. */
json_t *vol_me_json(struct store *db, const struct keys *k, long long citizen, long long now);
/* Memberships: a volunteer applies; an admin of the team approves or rejects. */
enum err vol_member_apply(struct store *db, long long team, long long citizen, long long now,
                          struct problem *p);
enum err vol_member_decide(struct store *db, long long team, long long by, long long citizen,
                           bool approve, long long now, struct problem *p);

/* ---- projects and activities (volunteer_activity.c) ---- */

struct vol_shift_new {
    const char *label;
    long long starts_at, ends_at, places;
};
struct vol_activity_new {
    const char *title, *day, *place, *skills;
    long long unit_id, min_age;
    long long signup_opens, signup_closes, cancel_by;
    int nshifts;
    struct vol_shift_new shifts[VOL_SHIFTS_MAX];
};
enum err vol_project_create(struct store *db, long long team, long long by, const char *theme,
                            const char *service_type, const char *title, long long now,
                            long long *id, struct problem *p);
enum err vol_activity_create(struct store *db, long long project, long long by,
                             const struct vol_activity_new *a, long long now, long long *id,
                             struct problem *p);
/* A lifecycle step by a citizen (team admin: submit, close, held, cancel; parent team's admin:
 * approve, return) or an official (approve, return of a top-level team's activity). Cancelling
 * one nobody joined withdraws it silently; with sign-ups every signed-up volunteer gets a
 * message. */
enum err vol_activity_act(struct store *db, long long activity, const char *step,
                          const char *reason, const struct vol_actor *who, long long now,
                          struct problem *p);
long long vol_activity_unit(struct store *db, long long activity); /* its team's unit */
/* The activity with its shifts (places, taken, my state) and actions for the actor. */
json_t *vol_activity_json(struct store *db, long long activity, const struct vol_actor *who,
                          long long now);
struct vol_find {
    long long unit;        /* district; 0: any */
    const char *theme;     /* NULL: any */
    const char *from, *to; /* days "YYYY-MM-DD"; NULL: open-ended */
    const char *status;    /* NULL: open */
    long long team;        /* 0: any */
    long long team_unit;   /* the running team's unit (officials' reach); 0: any */
};
json_t *vol_activity_list(struct store *db, const struct vol_find *f, long long after,
                          long long limit, long long *last);

/* ---- places (volunteer_places.c) ---- */

/* Signs the volunteer up for the shift: a place ("held") or the waitlist ("waiting"). Refusals:
 * not a volunteer, suspended, outside the window, under age, skills, double sign-up (409),
 * overlapping shift (409). */
enum err vol_signup(struct store *db, long long shift, long long citizen, long long now,
                    const char **state, struct problem *p);
/* A team admin signs up approved members all at once: all get places or none (409). */
enum err vol_signup_group(struct store *db, long long shift, long long leader,
                          const long long *members, int n, long long now, struct problem *p);
/* The volunteer cancels (before cancel_by: free; later: an absence); the place passes on. */
enum err vol_signup_cancel(struct store *db, long long shift, long long citizen, long long now,
                           struct problem *p);
/* The volunteer confirms the waitlist offer made to them before its deadline. */
enum err vol_offer_confirm(struct store *db, long long shift, long long citizen, long long now,
                           struct problem *p);
/* A team admin records that a volunteer holding a place did not come (an absence). */
enum err vol_mark_absent(struct store *db, long long shift, long long by, long long citizen,
                         long long now, struct problem *p);
/* The volunteer's sign-ups, newest first. */
json_t *vol_my_signups(struct store *db, long long citizen);
/* The waitlist of a shift in order (citizen_id, priority, state), for the admins of the team
 * running it; NULL for anyone else (or on a storage error). */
json_t *vol_waitlist_json(struct store *db, long long shift, long long citizen);
/* Lapses unconfirmed offers past their deadline and passes them on. */
enum err vol_tick(struct store *db, const struct keys *k, long long now, char *summary, size_t n);

#endif
