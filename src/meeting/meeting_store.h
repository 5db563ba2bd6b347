/* meeting_store.h - internal interface of the meeting area between its services (meeting.c,
 * meeting_minutes.c, meeting_load.c, meeting_tick.c …) and its SQL (store_meeting.c, the only
 * file of the area that holds SQL, over the area's own tables). Reads fill the structs of
 * meeting.h, strings and arrays in the arena given (units' names are left "": the services fill
 * them through the org area). Writes run inside the caller's transaction; a write guarded by the
 * stage answers ERR_CONFLICT when another request moved the meeting first. Not for other areas:
 * they use meeting.h. */
#ifndef ECOACT_MEETING_STORE_H
#define ECOACT_MEETING_STORE_H
#include "meeting/meeting.h"

/* Day number of a stored 'YYYY-MM-DD' (NULL or bad: MT_NONE). */
int mt_day(const char *s);
/* "YYYY-MM-DD" of a day number, or NULL for MT_NONE (out must hold 11 bytes). */
const char *mt_fmt(int day, char out[11]);

/* ---- reading a meeting (meeting_load.c) ---- */

/* The meeting's row (and the day its current minutes were drafted) into m, strings in
 * m->arena; ERR_NOT_FOUND when unknown. */
enum err mt_store_meeting(struct store *db, long long id, struct mt_meeting *m);
/* The notice's recipients with their replies, topic counts and countersigns of the current
 * version, conveners first, then by unit id. */
enum err mt_store_units(struct store *db, const struct mt_meeting *m, struct mt_unit **out,
                        size_t *n);
/* The members active on day (joined_on ≤ day < left_on), in the same order. */
enum err mt_store_members_at(struct store *db, int day, struct arena *a, struct mt_unit **out,
                             size_t *n);
enum err mt_store_topics(struct store *db, long long id, struct arena *a, struct mt_topic **out,
                         size_t *n);
enum err mt_store_attendance(struct store *db, long long id, struct arena *a,
                             struct mt_attendee **out, size_t *n);
enum err mt_store_minutes(struct store *db, long long id, struct arena *a, struct mt_minutes **out,
                          size_t *n);
enum err mt_store_signs(struct store *db, long long id, struct arena *a, struct mt_sign **out,
                        size_t *n);
enum err mt_store_documents(struct store *db, long long id, struct arena *a, struct mt_issued **out,
                            size_t *n);
enum err mt_store_history(struct store *db, long long id, struct arena *a, struct mt_event **out,
                          size_t *n);
/* Its follow-ups (by seq), and those to report at it: of earlier meetings, not done, or done on
 * or after the date of the meeting before this one. */
enum err mt_store_followups(struct store *db, long long id, struct arena *a,
                            struct mt_followup **out, size_t *n);
enum err mt_store_followups_to_report(struct store *db, long long id, int meeting_date,
                                      struct arena *a, struct mt_followup **out, size_t *n);

/* ---- the steps (meeting.c, meeting_minutes.c) ---- */

/* planned → notified. */
enum err mt_store_notice(struct store *db, long long id, int on, const char *body,
                         const char *late_reason, const char *by_name, long long now);
/* A recipient of the notice, received on day `on`. */
enum err mt_store_unit_add(struct store *db, long long id, const struct mt_unit *u, int on);
/* A unit's receipt (kept when it was given before); no_topics also records "no topics". */
enum err mt_store_receipt(struct store *db, long long id, long long unit_id, int on,
                          const char *by_name, const char *late_reason, bool no_topics);
enum err mt_store_topic_add(struct store *db, long long id, long long unit_id,
                            const struct mt_topic_in *t, int on, const struct mt_actor *by,
                            bool late, const char *late_reason, long long now, long long *topic_id);
/* A topic counts as the unit's reply (and as its receipt when it gave none). */
enum err mt_store_topic_reply(struct store *db, long long id, long long unit_id, int on,
                              const char *by_name, const char *late_reason);
enum err mt_store_topic_select(struct store *db, long long topic_id, enum mt_selection sel,
                               long long into, const char *reason, int on, const char *by_name);
enum err mt_store_topic_order(struct store *db, long long topic_id, long long pos);
/* notified → agenda_sent. */
enum err mt_store_agenda(struct store *db, long long id, int on, const char *late_reason,
                         const char *by_name, long long now);
enum err mt_store_attendee_add(struct store *db, long long id, const struct mt_attendee *a);
enum err mt_store_topic_decision(struct store *db, long long topic_id, const char *decision);
/* agenda_sent → held. */
enum err mt_store_held(struct store *db, long long id, int on, const char *by_name, long long now);
/* The t83 ledger report filed for it, or why none was. */
enum err mt_store_report_id(struct store *db, long long id, long long report_id);
enum err mt_store_report_note(struct store *db, long long id, const char *note);
/* A version of the minutes with its decisions. */
enum err mt_store_minutes_add(struct store *db, long long id, int version, const char *body,
                              const struct mt_decision *d, size_t n, int on, const char *by_name,
                              long long now);
/* held | minutes → minutes at version, from version `from` (ERR_CONFLICT when it moved). The
 * first draft's day and late reason are kept. */
enum err mt_store_minutes_version(struct store *db, long long id, int version, int from, int on,
                                  const char *late_reason, long long now);
enum err mt_store_sign(struct store *db, long long id, int version, long long unit_id, bool change,
                       const char *comment, int on, const char *by_name, const char *late_reason,
                       long long now);
enum err mt_store_change_requested(struct store *db, long long id, long long now);
/* minutes → issued. */
enum err mt_store_issued(struct store *db, long long id, int on, const char *by_name,
                         long long now);
enum err mt_store_followup_add(struct store *db, long long id, const struct mt_decision *d,
                               long long now, long long *followup_id);

/* ---- documents and numbers ---- */

/* The number of the issued document of a kind ("" when none). */
enum err mt_store_document_no(struct store *db, long long id, enum mt_doc_kind kind,
                              char doc_no[64]);
/* The file hash of the issued document of a kind in one format ("" when none). */
enum err mt_store_document_file(struct store *db, long long id, enum mt_doc_kind kind, bool pdf,
                                char hash[65], char doc_no[64]);
enum err mt_store_document_add(struct store *db, long long id, const struct mt_issued *d, int year,
                               long long seq, long long now);
/* Next document number of a year. */
enum err mt_doc_seq_next(struct store *db, int year, long long *seq);

/* A history row of a step. */
enum err mt_history(struct store *db, long long id, const struct mt_actor *by, long long now,
                    int on, const char *action, long long unit_id, bool late, const char *note);

/* ---- calendars, members, meetings, topic files (meeting_setup.c) ---- */

enum err mt_store_years(struct store *db, struct arena *a, struct mt_calendar_year **out,
                        size_t *n);
/* A year's row (ERR_NOT_FOUND when not stored) and its days by date. */
enum err mt_store_year(struct store *db, int year, struct arena *a, struct mt_calendar_year *out);
struct mt_day_row {
    int day;
    bool holiday; /* else a make-up working day */
    const char *name;
};
enum err mt_store_year_days(struct store *db, int year, struct arena *a, struct mt_day_row **out,
                            size_t *n);
enum err mt_store_year_exists(struct store *db, int year, bool *have);
/* The year another than except_year that holds day (0: none). */
enum err mt_store_day_year(struct store *db, int day, int except_year, long long *year);
/* Replaces the year's row and days; skip_taken leaves out days another year holds. */
enum err mt_store_year_put(struct store *db, const struct mt_year *y, const char *source,
                           long long by, long long now, bool skip_taken);

/* Memberships (the unit's names left out: the service adds them). */
enum err mt_store_members(struct store *db, struct arena *a, struct mt_member **out, size_t *n);
enum err mt_store_member(struct store *db, long long id, struct arena *a, struct mt_member *out);
enum err mt_store_member_count(struct store *db, long long *n);
/* The unit's membership still open on day `on` (0: none). */
enum err mt_store_member_open(struct store *db, long long unit_id, const char *on, long long *id);
/* A current host's membership other than except_id (0: none). */
enum err mt_store_host_member(struct store *db, long long except_id, long long *id);
enum err mt_store_member_add(struct store *db, long long unit_id, const char *role, bool host,
                             const char *joined, const char *note, long long now, long long *id);
/* left NULL keeps it, clear_left clears it; note NULL keeps it. */
enum err mt_store_member_edit(struct store *db, long long id, const char *role, bool host,
                              const char *left, bool clear_left, const char *note, long long now);

enum err mt_store_meeting_add(struct store *db, const struct mt_meeting_in *in,
                              const struct mt_actor *by, long long now, long long *id);
/* The fields named (MT_F_…) only. */
enum err mt_store_meeting_edit(struct store *db, long long id, const struct mt_meeting_in *in,
                               unsigned fields, long long now);

/* A topic's attachments: how many, and how many named name (0 or 1). */
enum err mt_store_topic_files(struct store *db, long long topic_id, const char *name,
                              long long *count, long long *same);
enum err mt_store_topic_file_set(struct store *db, long long topic_id, const char *name,
                                 const char *hash, const char *type, size_t len,
                                 const char *by_name, long long now);
/* The file hash of a topic's attachment ("" when none). */
enum err mt_store_topic_file_hash(struct store *db, long long id, long long topic_id,
                                  const char *name, char hash[65]);

/* ---- follow-ups and reminders ---- */

enum err mt_store_followup_update(struct store *db, long long id, enum mt_fu_status to,
                                  const char *progress, bool done, const char *on,
                                  const char *by_name, long long now);

enum err mt_store_followup(struct store *db, long long id, struct arena *a,
                           struct mt_followup *out);
enum err mt_store_followup_list(struct store *db, const struct mt_followup_filter *f, int today,
                                long long after, long long limit, struct arena *a,
                                struct mt_followup **out, size_t *n);
/* Not done, due between from and to. */
enum err mt_store_followups_due(struct store *db, int from, int to, struct arena *a,
                                struct mt_followup **out, size_t *n);
/* The meetings whose minutes are not issued yet, by id (*ids malloc'd). */
enum err mt_store_open_meetings(struct store *db, long long **ids, size_t *n);

#endif
