/* meeting_service.h - internal interface between the service files of the meeting area
 * (meeting.c and meeting_minutes.c: the chain; meeting_load.c: loading and documents;
 * meeting_setup.c, meeting_followup.c, meeting_tick.c): units through the org area, the steps'
 * shared checks, and the inbox items of the chain. Not for other areas: they use meeting.h. */
#ifndef ECOACT_MEETING_SERVICE_H
#define ECOACT_MEETING_SERVICE_H
#include "meeting/meeting_store.h"
#include "org/perm.h"
#include "org/units.h"

/* ---- units, through the org area (meeting_load.c): the one place meeting reads them ---- */

/* org's unit_get(); false when the unit is unknown (or on a storage error:
 * see store_err). */
bool mt_unit_get(struct store *db, long long id, struct unit *out);
/* The short name, or the name when it has none. */
const char *mt_unit_short_of(const struct unit *u);
/* A unit given by id (a JSON integer) or by key, code or name (a string); 0 when unknown. */
long long mt_unit_ref(struct store *db, json_t *v);

/* Labels for one load or one list, each unit asked for once; in the arena. */
struct mt_names;
struct mt_names *mt_names_new(struct arena *a);
/* Fills l's names from its id ("" when unknown). */
void mt_names_fill(struct mt_names *c, struct store *db, struct mt_label *l);
/* The short name of a unit ("" when unknown). */
const char *mt_names_short(struct mt_names *c, struct store *db, long long unit_id);

/* The host among the members active on day; 0 when none. */
long long mt_host_at(struct store *db, int day);

/* Issues a document of the meeting (numbered, rendered from the meeting as stored now, stored
 * once as HTML and PDF) on day `on`; ERR_CONFLICT when it was issued before. */
enum err mt_issue_doc(struct store *db, long long id, enum mt_doc_kind kind, int on, long long now,
                      struct problem *p);

/* ---- the steps' shared checks (meeting.c) ---- */

/* Loads the meeting a step acts on (problem "会议不存在" when unknown). */
enum err mt_step_load(struct store *db, long long id, long long now, unsigned parts,
                      struct mt_meeting **m, struct problem *p);
/* The day a step happened: today, or the office's "on" (never later than today). */
enum err mt_step_day(const struct mt_step_in *s, const struct mt_actor *by, int today, int *on,
                     struct problem *p);
bool mt_has_text(const char *s);
/* A late step needs a reason: 422 naming late_reason without one. */
enum err mt_need_reason(int deadline, int on, const char *reason, const char *what,
                        const char *rule, struct problem *p);
enum err mt_require_host(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                         const char *what, struct problem *p);
/* The member unit a step is done for: the caller's own, or the one the office names. */
enum err mt_acting_unit(const struct mt_meeting *m, const struct mt_step_in *s,
                        const struct mt_actor *by, struct mt_unit **u, struct problem *p);
enum err mt_wrong_stage(const struct mt_meeting *m, const char *what, struct problem *p);

/* ---- who may take each step now: one function per rule, called by the step's service and by
 * mt_meeting_actions() alike (meeting.c, meeting_minutes.c, meeting_setup.c). Each checks the
 * acting unit and the stage (and, where given, the day `on` the step would carry); the service
 * then checks what the request says. ---- */

enum err mt_may_edit(const struct mt_meeting *m, unsigned fields, struct problem *p);
enum err mt_may_notice(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                       struct problem *p);
/* s names the unit the office acts for (NULL: the caller's own); *u gets the unit. */
enum err mt_may_receipt(const struct mt_meeting *m, const struct mt_step_in *s,
                        const struct mt_actor *by, bool no_topics, struct mt_unit **u,
                        struct problem *p);
enum err mt_may_topic(const struct mt_meeting *m, const struct mt_step_in *s,
                      const struct mt_actor *by, int on, struct mt_unit **u, struct problem *p);
enum err mt_may_select(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                       struct problem *p);
/* The host's decision on topic t is possible: the rule of merges and of the reasons. */
enum err mt_selection_check(const struct mt_meeting *m, const struct mt_topic *t,
                            const char *decision, long long into, const char *reason,
                            enum mt_selection *sel, struct problem *p);
enum err mt_may_attach(const struct mt_meeting *m, long long topic_unit, const struct mt_actor *by,
                       struct problem *p);
enum err mt_may_agenda(const struct mt_meeting *m, const struct mt_actor *by, struct problem *p);
enum err mt_may_held(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                     int on, struct problem *p);
enum err mt_may_minutes(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                        struct problem *p);
enum err mt_may_countersign(const struct mt_meeting *m, const struct mt_step_in *s,
                            const struct mt_actor *by, struct mt_unit **u, struct problem *p);
/* *last: the last day a unit signed (the issue may not be earlier). */
enum err mt_may_issue(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                      int *last, struct problem *p);

/* ---- the chain's inbox items (meeting.c) ---- */

/* The roles of a unit that act on its to-do items. */
#define MT_UNIT_ROLES ((1u << ROLE_UNIT_ADMIN) | (1u << ROLE_UNIT_REPORTER))
/* A to-do item of a step for a unit, due on `due` (dedupe key meeting:<id>:todo:<step>:<unit>). */
enum err mt_todo(struct store *db, long long id, const char *step, long long unit, const char *kind,
                 const char *title, int due, long long now);
/* Closes the unit's to-do item and reminders of a step. */
enum err mt_settle(struct store *db, long long id, const char *step, long long unit, long long by,
                   long long now);
/* An item that is no to-do (a change request, an issue, a follow-up), by its dedupe key. */
enum err mt_tell(struct store *db, long long unit, const char *kind, const char *title,
                 const char *link, const char *due, const char *key, long long now);
/* The first max characters of s, with "…" when cut. */
void mt_cut(const char *s, size_t max, char *out, size_t outlen);

#endif
