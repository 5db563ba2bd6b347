/* facility_store.h - the facility area's storage, private to its services (the tables of
 * 0027_facility.sql; SQL in store_facility.c). Writes run inside the caller's transaction. */
#ifndef ECOACT_FACILITY_STORE_H
#define ECOACT_FACILITY_STORE_H
#include "facility/facility.h"

struct fac_row {
    long long id, org_id, unit_id, filed_by, safety_limit, min_age;
    bool id_required;
    char status[12], category[12], name[FAC_TEXT_MAX + 1];
};
struct fac_session_row {
    long long id, facility_id, starts_at, ends_at, capacity, ind_quota, grp_quota, ind_taken,
        grp_taken, walkins, safety_limit, inside, entered, booking_opens, booking_closes, cancel_by;
    char day[11], status[12];
};
struct fac_booking_row {
    long long id, session_id, citizen_id, headcount, offer_until;
    bool group;
    char state[12];
};

/* facilities */
enum err fac_store_insert(struct store *db, const struct fac_new *f, long long by, long long now,
                          long long *id);
enum err fac_store_get(struct store *db, long long id, struct fac_row *f, bool *found);
enum err fac_store_update(struct store *db, long long id, const struct fac_new *f, long long now);
enum err fac_store_status(struct store *db, long long id, const char *from, const char *to,
                          const char *reviewer, const char *reason, long long now, bool *done);
json_t *fac_store_json(struct store *db, long long id);
json_t *fac_store_list(struct store *db, const struct fac_find *f, long long after, long long limit,
                       long long *last);
/* The facility's sessions starting after now, soonest first, at most max. */
json_t *fac_store_next_sessions(struct store *db, long long facility, long long now, int max);
/* Open facilities (within unit, 0: all) with no live session on day. */
json_t *fac_store_without_session(struct store *db, const char *day, long long unit);

/* sessions */
enum err fac_store_session_insert(struct store *db, long long facility,
                                  const struct fac_session_new *s, const char *day, long long shift,
                                  long long safety_limit, const char *key_date, long long by,
                                  long long now, long long *id);
enum err fac_store_session_get(struct store *db, long long id, struct fac_session_row *s,
                               bool *found);
/* The conditional UPDATE: n places of the group or individual quota, within capacity. */
enum err fac_store_take(struct store *db, long long session, bool group, long long n, bool *ok);
enum err fac_store_release(struct store *db, long long session, bool group, long long n);
enum err fac_store_walkin_take(struct store *db, long long session, long long n, bool *ok);
/* inside += n (entered += n) within the safety limit; *ok tells. */
enum err fac_store_enter(struct store *db, long long session, long long n, bool *ok);
enum err fac_store_exit(struct store *db, long long session, long long n, bool *ok);
enum err fac_store_session_status(struct store *db, long long id, const char *from, const char *to,
                                  bool *done);
enum err fac_store_session_report(struct store *db, long long id, long long report_id,
                                  const char *note);
json_t *fac_store_session_json(struct store *db, long long id);
enum err fac_store_session_held_at(struct store *db, long long id, long long now);
/* The held sessions of a facility: their days and the days they were recorded held. */
enum err fac_store_held_days(struct store *db, long long facility, int *day, int *held, int max,
                             int *n);
json_t *fac_store_roster(struct store *db, long long session);
/* Citizens with a live booking of the session, each once. */
enum err fac_store_session_people(struct store *db, long long session,
                                  enum err (*each)(void *arg, long long citizen), void *arg);
/* Live bookings of the session become cancelled. */
enum err fac_store_session_clear(struct store *db, long long session, long long now);

/* bookings */
/* Locks the person's row for the transaction (two bookings of one person serialise). */
enum err fac_store_visitor_lock(struct store *db, long long citizen, long long now);
enum err fac_store_active_count(struct store *db, long long citizen, long long now, long long *n);
enum err fac_store_noshows(struct store *db, long long citizen, long long since, long long *n,
                           long long *last);
/* A booking row, new or replacing a cancelled or lapsed one; *id 0 on a live one. */
enum err fac_store_booking_put(struct store *db, const struct fac_booking_new *b, const char *state,
                               long long headcount, long long now, long long *id);
enum err fac_store_companion_add(struct store *db, long long booking, int seq, const char *name,
                                 const char *hash, const char *mask, int age);
enum err fac_store_booking_get(struct store *db, long long id, struct fac_booking_row *b,
                               bool *found);
enum err fac_store_booking_set(struct store *db, long long id, const char *from, const char *to,
                               long long offer_until, long long now, bool *done);
/* The first waiting booking of the session (0: none) and its headcount. */
enum err fac_store_next_waiting(struct store *db, long long session, long long *booking,
                                long long *headcount, long long *citizen);
enum err fac_store_lapsed_offers(struct store *db, long long now, long long *ids, int max, int *n);
json_t *fac_store_my_bookings(struct store *db, long long citizen);
json_t *fac_store_waitlist(struct store *db, long long session);
/* Held bookings of the session that never entered become no-shows. */
enum err fac_store_mark_noshows(struct store *db, long long session, long long now);
/* The bookings of the session that came: groups among them. */
enum err fac_store_groups_came(struct store *db, long long session, long long *groups);
enum err fac_store_feedback(struct store *db, long long booking, long long rating,
                            const char *comment, long long now, bool *added);

#endif
