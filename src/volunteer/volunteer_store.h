/* volunteer_store.h - the volunteer area's storage, private to its services (the tables of
 * 0018_volunteer.sql; SQL in store_volunteer.c and store_volunteer_places.c). Writes run inside
 * the caller's transaction. */
#ifndef ECOACT_VOLUNTEER_STORE_H
#define ECOACT_VOLUNTEER_STORE_H
#include "volunteer/volunteer.h"

struct vol_team_row {
    long long id, parent_id, unit_id, org_id, filed_by;
    char level[12], status[12];
};
struct vol_activity_row {
    long long id, team_id, unit_id, filed_by, min_age, signup_opens, signup_closes, cancel_by;
    char status[12], title[VOL_TEXT_MAX + 1], skills[VOL_LIST_MAX + 1], day[11];
};
struct vol_shift_row {
    long long id, activity_id, starts_at, ends_at, places, taken;
};

/* teams */
enum err vol_store_team_insert(struct store *db, const struct vol_team_new *t, long long by,
                               long long now, long long *id);
enum err vol_store_team_get(struct store *db, long long id, struct vol_team_row *t, bool *found);
enum err vol_store_team_status(struct store *db, long long id, const char *from, const char *to,
                               const char *reviewer, long long now, bool *done);
enum err vol_store_team_parent(struct store *db, long long id, long long parent, long long now);
enum err vol_store_history_add(struct store *db, long long team, long long now, const char *actor,
                               const char *event, const char *detail);
enum err vol_store_admin_add(struct store *db, long long team, long long citizen, long long now);
bool vol_store_is_admin(struct store *db, long long team, long long citizen);
json_t *vol_store_team_json(struct store *db, long long id);
json_t *vol_store_team_list(struct store *db, long long unit, const char *status, long long after,
                            long long limit, long long *last);

/* volunteers and members */
enum err vol_store_volunteer_insert(struct store *db, long long citizen, const char *number,
                                    const struct vol_profile *pr, const unsigned char *seal,
                                    size_t sealn, const char *mask, long long now, bool *added);
enum err vol_store_volunteer_update(struct store *db, long long citizen,
                                    const struct vol_profile *pr, const unsigned char *seal,
                                    size_t sealn, const char *mask, long long now, bool *found);
/* Locks the volunteer's row for the transaction (PostgreSQL: a row lock; SQLite writes are
 * serialised anyway); *found false when not a volunteer; *suspended_until, skills filled. */
enum err vol_store_volunteer_lock(struct store *db, long long citizen, long long now, bool *found,
                                  long long *suspended_until, char skills[VOL_LIST_MAX + 1]);
enum err vol_store_volunteer_suspend(struct store *db, long long citizen, long long until);
/* The record as JSON and its sealed contact (malloc'd into *seal, caller frees). */
json_t *vol_store_volunteer_json(struct store *db, long long citizen, unsigned char **seal,
                                 size_t *sealn);
enum err vol_store_member_apply(struct store *db, long long team, long long citizen, long long now,
                                bool *added);
enum err vol_store_member_decide(struct store *db, long long team, long long citizen,
                                 const char *status, long long by, long long now, bool *done);
enum err vol_store_member_status(struct store *db, long long team, long long citizen,
                                 char status[12]);

/* projects and activities */
enum err vol_store_project_insert(struct store *db, long long team, long long by, const char *theme,
                                  const char *type, const char *title, long long now,
                                  long long *id);
enum err vol_store_project_team(struct store *db, long long project, long long *team);
enum err vol_store_activity_insert(struct store *db, long long project, long long team,
                                   long long by, const struct vol_activity_new *a, long long now,
                                   long long *id);
enum err vol_store_activity_get(struct store *db, long long id, struct vol_activity_row *a,
                                bool *found);
enum err vol_store_activity_status(struct store *db, long long id, const char *from, const char *to,
                                   const char *reviewer, const char *reason, long long now,
                                   bool *done);
/* The citizens holding, offered or waiting for a place in the activity, each once. */
enum err vol_store_activity_people(struct store *db, long long id,
                                   enum err (*each)(void *arg, long long citizen), void *arg,
                                   long long *n);
/* Cancels every live sign-up of the activity and frees its shifts' places. */
enum err vol_store_activity_clear(struct store *db, long long id, long long now);
json_t *vol_store_activity_json(struct store *db, long long id, long long citizen);
json_t *vol_store_activity_list(struct store *db, const struct vol_find *f, long long after,
                                long long limit, long long *last);

/* places (store_volunteer_places.c) */
enum err vol_store_shift_get(struct store *db, long long id, struct vol_shift_row *s, bool *found);
/* The conditional UPDATE: taken += n only when it fits; *ok tells. */
enum err vol_store_shift_take(struct store *db, long long id, long long n, bool *ok);
enum err vol_store_shift_release(struct store *db, long long id);
/* A sign-up row, new or replacing a cancelled or lapsed one; *added false on a live one. */
enum err vol_store_signup_put(struct store *db, long long shift, long long citizen,
                              const char *state, long long priority, long long leader,
                              long long now, bool *added);
enum err vol_store_signup_state(struct store *db, long long shift, long long citizen,
                                char state[12], long long *offer_until);
enum err vol_store_signup_set(struct store *db, long long shift, long long citizen,
                              const char *from, const char *to, long long offer_until,
                              long long now, bool *done);
/* Whether the citizen has a live sign-up on another shift overlapping [starts, ends). */
enum err vol_store_overlap(struct store *db, long long citizen, long long shift, long long starts,
                           long long ends, bool *overlap);
enum err vol_store_absences(struct store *db, long long citizen, long long since, long long *n);
/* The first waiting volunteer of the shift in waitlist order (0: none). */
enum err vol_store_next_waiting(struct store *db, long long shift, long long *citizen);
/* Offers past their deadline: (shift, citizen) pairs, at most max. */
enum err vol_store_lapsed_offers(struct store *db, long long now, long long *shift,
                                 long long *citizen, int max, int *n);
json_t *vol_store_my_signups(struct store *db, long long citizen);
json_t *vol_store_waitlist(struct store *db, long long shift);

#endif
