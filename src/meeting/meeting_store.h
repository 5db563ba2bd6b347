/* meeting_store.h - internal interface of the meeting area between its services (meeting.c,
 * meeting_tick.c) and its SQL (store_meeting.c): a meeting's stored state, its member units
 * with their replies, unit labels, history rows, files and document numbers. Not for other
 * areas: they use meeting.h. */
#ifndef ECOACT_MEETING_STORE_H
#define ECOACT_MEETING_STORE_H
#include "meeting/meeting.h"

/* Day number of a stored 'YYYY-MM-DD' (NULL or bad: MT_NONE). */
int mt_day(const char *s);
/* "YYYY-MM-DD" of a day number, or NULL for MT_NONE (out must hold 11 bytes). */
const char *mt_fmt(int day, char out[11]);

/* A meeting's stored state. */
struct mt_state {
    long long id;
    enum mt_kind kind;
    enum mt_level level;
    enum mt_stage stage;
    char title[4 * MT_TITLE_MAX + 1];
    char place[4 * MT_PLACE_MAX + 1];
    int meeting, notice, agenda, held, minutes, issued; /* day numbers or MT_NONE */
    int version;                                        /* minutes version, 0 = none */
    int drafted;                                        /* current version drafted */
    bool change_requested;
    int countersign_days;
    long long report_id;
};
enum err mt_state_load(struct store *db, long long id, struct mt_state *out);

/* One member unit of a meeting: the notice's recipients once it is sent, else today's members. */
struct mt_unit {
    long long unit_id;
    bool convener, host;
    int received, confirmed, topics; /* day numbers or MT_NONE */
    bool no_topics;
    long long ntopics;
    int signed_on;     /* countersigned the current version on (MT_NONE: not) */
    bool change;       /* asked for a change of the current version */
    bool late_confirm; /* recorded late */
};
/* *out malloc'd (free it), ordered conveners first, then by unit id. */
enum err mt_units_load(struct store *db, const struct mt_state *st, int today, struct mt_unit **out,
                       size_t *n);
/* The members active on day (joined_on ≤ day < left_on). */
enum err mt_members_at(struct store *db, int day, struct mt_unit **out, size_t *n);
/* The host among the members active on day; 0 when none. */
long long mt_host_at(struct store *db, int day);

/* Unit labels for one call, through the org area's unit_json() (cached). */
struct mt_names;
const char *mt_unit_name(struct mt_names **c, struct store *db, long long id);  /* full */
const char *mt_unit_short(struct mt_names **c, struct store *db, long long id); /* short */
void mt_names_free(struct mt_names *c);

/* A history row of a step. */
enum err mt_history(struct store *db, long long id, const struct mt_actor *by, long long now,
                    int on, const char *action, long long unit_id, bool late, const char *note);

/* The follow-ups of one meeting, or (to_report) those to report at it: of earlier meetings,
 * not done, or done on or after previous_date (the meeting before this one). */
json_t *mt_followups_of(struct store *db, long long id, bool to_report, const char *meeting_date,
                        const char *previous_date, int today);

/* Next document number of a year. */
enum err mt_doc_seq_next(struct store *db, int year, long long *seq);

#endif
