/* supervise.h - supervision (督查督办, issue 3 §4): dispatch notices (督办单) the office issues to
 * a unit about a key task (plan code + task number) or about a red compliance item (obligation key
 * + period), their stages 立项 → 下发 → 签收 → 办理 → 反馈 → 复核 → 办结 with a history of every
 * step, escalation blue → orange → red of overdue notices, and the periodic tick that escalates and
 * reminds. Its inbox items (and their SMS) go through the notify area (notify/notify.h).
 *
 * Pure parts (no I/O, no clock; unit-tested in tests/unit/test_supervise.c):
 *   supervise_rules.c  stages and the transition table, escalation levels, document numbers,
 *                      "due soon", the checks of a notice's own fields
 * Storage: store_supervise.c (notices, answers, evidence links, history). Periodic work:
 * tick.c. Routes: api_supervise.c. */
#ifndef ECOACT_SUPERVISE_H
#define ECOACT_SUPERVISE_H
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

/* The plan a notice is about when the request names none. */
#define SV_DEFAULT_PLAN "cq-2021-2025"
/* Document numbers: 渝生态宣督〔2025〕3号 (sequence per year of issue). */
#define SV_DOC_PREFIX "渝生态宣督"

/* Bounds, in characters (UTF-8 code points). */
#define SV_TITLE_MAX 200
#define SV_TEXT_MAX 5000 /* requirements, progress, difficulties, next steps */
#define SV_NOTE_MAX 1000 /* notes of a step, return reasons */
#define SV_EVIDENCE_PER_NOTICE 50
#define SV_UNITS_MAX 50 /* units of one POST /notices (one notice each) */

/* Escalation: orange as soon as a notice is overdue, red when more than this many days. */
#define SV_RED_AFTER_DAYS 7
/* "Due soon": the deadline is today or within this many days. */
#define SV_DUE_SOON_DAYS 3
/* A day number (base/date.h) meaning "none". */
#define SV_NO_DAY INT_MIN

/* ---- stages and transitions (supervise_rules.c) ---- */

enum sv_stage {
    SV_DRAFTED,     /* 立项: the office's draft, editable, invisible to the unit */
    SV_ISSUED,      /* 下发: sent to the unit, waiting for its signature */
    SV_SIGNED,      /* 签收: the unit signed for it */
    SV_IN_PROGRESS, /* 办理: the unit works on it (first evidence, or an answer returned) */
    SV_ANSWERED,    /* 反馈: the unit answered; the office reviews it (复核) */
    SV_CLOSED,      /* 办结: the office accepted the answer */
    SV__STAGES
};

enum sv_action {
    SV_EDIT,     /* change a draft */
    SV_ISSUE,    /* drafted → issued */
    SV_SIGN,     /* issued → signed */
    SV_EVIDENCE, /* add or remove evidence: signed | in_progress → in_progress */
    SV_ANSWER,   /* signed | in_progress → answered */
    SV_ACCEPT,   /* 复核 accept: answered → closed */
    SV_RETURN,   /* 复核 return: answered → in_progress */
    SV_ESCALATE, /* manual escalation: issued | signed | in_progress, stage unchanged */
    SV_DISCARD,  /* a draft deleted (the audit log keeps what it was): drafted only */
    SV_URGE,     /* 催办 an overdue notice: issued | signed | in_progress, stage unchanged */
    SV_SIGNOFF_REQUEST, /* the office asks a leader's 签批 of a draft: drafted only */
    SV_SIGNOFF,         /* a leader approves the draft (签批同意): drafted only */
    SV_SIGNOFF_RETURN,  /* a leader returns it (签批退回, with a reason): drafted only */
    SV__ACTIONS
};

const char *sv_stage_name(enum sv_stage s);  /* "drafted" … */
const char *sv_stage_label(enum sv_stage s); /* 立项 下发 签收 办理 反馈 办结 */
bool sv_stage_parse(const char *s, enum sv_stage *out);
const char *sv_action_name(enum sv_action a);  /* "issue" … */
const char *sv_action_label(enum sv_action a); /* 下发 签收 … */
/* Whether a is allowed at stage from; *to gets the stage after it. */
bool sv_transition(enum sv_stage from, enum sv_action a, enum sv_stage *to);
/* The Chinese refusal of a at stage from, naming the current stage (for the 409). */
void sv_refusal(enum sv_stage from, enum sv_action a, char *out, size_t outlen);
/* Stages in which a notice is open and not answered (issued, signed, in progress): they
 * escalate when overdue. */
bool sv_stage_pending(enum sv_stage s);

/* The entries of a notice's history ("draft", "issue", "evidence_add" …): *name and *label of
 * the i-th (from 0), false past the last. sv_history_label is NULL for an unknown action. */
bool sv_history_action(size_t i, const char **name, const char **label);
const char *sv_history_label(const char *action);

/* ---- the stage path a notice shows (supervise_rules.c) ---- */

/* The steps of the path 立项 → 下发 → 签收 → 办理 → 反馈 → 复核 → 办结: the stages with the
 * office's review (复核) between the answer and the close. */
enum sv_step {
    SV_STEP_DRAFTED,
    SV_STEP_ISSUED,
    SV_STEP_SIGNED,
    SV_STEP_IN_PROGRESS,
    SV_STEP_ANSWERED,
    SV_STEP_REVIEWED,
    SV_STEP_CLOSED,
    SV__STEPS
};
enum sv_step_state { SV_STEP_DONE, SV_STEP_CURRENT, SV_STEP_TODO };
const char *sv_step_state_name(enum sv_step_state s); /* "done" "current" "todo" */

struct sv_path_step {
    const char *key, *label; /* "drafted" 立项 … "reviewed" 复核 … */
    enum sv_step_state state;
    long long at;     /* when it was reached; 0: not reached, or a step still to come */
    const char *note; /* 待单位签收, 被退回重办 … or NULL */
};
/* The path of a notice at stage whose latest answer was returned (returned: only meaningful in
 * progress), at[step] the time each step was reached (0 when it was not, as 办理 when the unit
 * answered right after signing). The steps before the current one are done (those never reached
 * say 未经此步), the current one says what it waits for, the rest are to do; a closed notice has
 * no current step. */
void sv_path(enum sv_stage stage, bool returned, const long long at[SV__STEPS],
             struct sv_path_step out[SV__STEPS]);

/* ---- escalation (supervise_rules.c) ---- */

enum sv_level { SV_BLUE, SV_ORANGE, SV_RED, SV__LEVELS };

const char *sv_level_name(enum sv_level l);  /* "blue" "orange" "red" */
const char *sv_level_label(enum sv_level l); /* 蓝色 橙色 红色 */
bool sv_level_parse(const char *s, enum sv_level *out);

/* Days overdue at asof of a notice due on deadline, answered on answered (SV_NO_DAY when not
 * answered): counted up to the answer when there is one; 0 when not overdue. */
int sv_overdue_days(int deadline, int answered, int asof);
/* The level of a notice at asof: base is its issue level as raised by manual escalations;
 * overdue (see sv_overdue_days) it is at least orange, more than SV_RED_AFTER_DAYS days
 * overdue red. Never lower than base. */
enum sv_level sv_level_at(enum sv_level base, int deadline, int answered, int asof);
/* Whether a notice due on deadline is due soon at asof: 0 ≤ deadline − asof ≤ SV_DUE_SOON_DAYS. */
bool sv_due_soon(int deadline, int asof);

/* ---- 催办 (supervise_rules.c) ---- */

/* At most one urge of a notice within this many seconds. */
#define SV_URGE_GAP (24 * 3600)
/* Whether a pending notice due on deadline may be urged at now (today its day number), last the
 * time of its latest urge (0: never): only once overdue, and SV_URGE_GAP after the last one.
 * When not, out gets the Chinese reason (saying when the next urge is possible). */
bool sv_urge_allowed(int deadline, int today, long long last, long long now, char *out,
                     size_t outlen);

/* ---- 签批 (supervise_rules.c) ---- */

/* Where the leader's sign-off of a draft stands (notices.signoff_state). */
enum sv_signoff { SV_SIGNOFF_NONE, SV_SIGNOFF_REQUESTED, SV_SIGNOFF_APPROVED, SV_SIGNOFF_RETURNED };
const char *sv_signoff_name(enum sv_signoff s); /* "none" "requested" "approved" "returned" */
const char *sv_signoff_label(enum sv_signoff s); /* 未提请签批 待领导签批 已签批 签批退回 */
enum sv_signoff sv_signoff_parse(const char *s); /* NULL or unknown: none */
/* Why step a (SV_SIGNOFF_REQUEST, SV_SIGNOFF, SV_SIGNOFF_RETURN, SV_ISSUE, SV_EDIT) is refused by
 * the sign-off state st when sign-off is required (required), user the caller and requester
 * who asked for it; NULL when allowed. *e gets the error (ERR_CONFLICT, or ERR_FORBIDDEN for the
 * requester approving their own request). */
const char *sv_signoff_refusal(enum sv_action a, bool required, enum sv_signoff st, long long user,
                               long long requester, enum err *e);

/* ---- document numbers (supervise_rules.c) ---- */

/* "渝生态宣督〔2025〕3号" into out (≥ 48 bytes). */
void sv_doc_no(int year, long long seq, char *out, size_t outlen);

/* ---- a notice's own fields (supervise_rules.c) ---- */

enum sv_subject { SV_SUBJECT_TASK, SV_SUBJECT_COMPLIANCE };
const char *sv_subject_name(enum sv_subject s);  /* "task" "compliance" */
const char *sv_subject_label(enum sv_subject s); /* 重点任务 预警事项 */
bool sv_subject_parse(const char *s, enum sv_subject *out);

/* A notice as drafted; strings borrowed. */
struct sv_notice_in {
    long long unit_id;
    enum sv_subject subject;
    const char *plan;
    long long task_no;                     /* subject task */
    const char *obligation;                /* subject compliance: obligation key */
    const char *period_start, *period_end; /* subject compliance: "YYYY-MM-DD" */
    const char *title, *requirements;
    const char *deadline; /* "YYYY-MM-DD" */
    enum sv_level level;  /* issue level */
};

/* Checks the fields that need no database: title and requirements (1..max characters), the
 * deadline (a date, not before today), the subject's fields (a task number; or an obligation
 * key and a period start ≤ end). today is a day number. */
bool sv_notice_check(const struct sv_notice_in *n, int today, struct problem *p);

/* ---- text helpers (supervise_rules.c) ---- */

/* UTF-8 code points of s (s is valid UTF-8). */
size_t sv_utf8_chars(const char *s);
/* Copies at most max code points of s into out (outlen bytes), ending with "…" when cut
 * (base/utf8.h utf8_cut). */
void sv_utf8_cut(const char *s, size_t max, char *out, size_t outlen);

/* ---- services (store_supervise.c) ---- */

/* Who acts: 0 / "系统" for the tick and the CLI. */
struct sv_actor {
    long long user_id;
    const char *name;
};

/* A notice's stored state, for the rules of who may do what. */
struct sv_state {
    long long id, unit_id, parent_unit_id;
    enum sv_stage stage;
    enum sv_level base_level, level;
    char deadline[11];
    char answered_date[11]; /* "" when not answered */
    char doc_no[64];        /* "" before issue */
    char title[4 * SV_TITLE_MAX + 1];
    long long round; /* answers given so far */
    enum sv_signoff signoff;
    long long signoff_requested_by;
};

/* The setting that makes a leader's 签批 required before a notice is issued ("1" on). */
#define SV_SIGNOFF_SETTING "supervise.signoff_required"
bool sv_signoff_required(struct store *db);
enum err sv_signoff_required_set(struct store *db, bool on, long long by, long long now);

/* Checks n fully (sv_notice_check, the unit, the plan, the task or obligation) and stores it as
 * a draft (立项) with a history row; then issues it when issue is set. Other areas (the
 * compliance engine) call this too. Inside the caller's transaction. */
enum err sv_notice_create(struct store *db, const struct sv_notice_in *n, bool issue,
                          const struct sv_actor *by, long long now, long long *id,
                          struct problem *p);
/* Replaces a draft's fields with n (checked the same way). ERR_CONFLICT when not a draft. */
enum err sv_notice_update(struct store *db, long long id, const struct sv_notice_in *n,
                          const struct sv_actor *by, long long now, struct problem *p);
/* The draft's fields as an sv_notice_in whose strings live in the returned JSON object
 * (decref it when done); NULL when unknown. */
json_t *sv_notice_fields(struct store *db, long long id, struct sv_notice_in *out);
/* The notice not yet closed about a compliance item of unit (obligation key and period), 0
 * when there is none: the compliance engine asks before drafting another. */
long long sv_notice_open_for_item(struct store *db, long long unit_id, const char *obligation,
                                  const char *period_start, const char *period_end);
/* ERR_NOT_FOUND when there is no such notice. */
enum err sv_notice_state(struct store *db, long long id, struct sv_state *out);

/* Transitions. Each checks the stage (ERR_CONFLICT with p->msg naming the current stage),
 * moves it atomically (a concurrent change is a conflict too), writes the history row and
 * the inbox items, and closes the inbox items it settles. */
enum err sv_notice_issue(struct store *db, long long id, const char *note,
                         const struct sv_actor *by, long long now, struct problem *p);
enum err sv_notice_sign(struct store *db, long long id, const char *note, const struct sv_actor *by,
                        long long now, struct problem *p);
enum err sv_notice_answer(struct store *db, long long id, const char *progress,
                          const char *difficulties, const char *next_steps,
                          const struct sv_actor *by, long long now, struct problem *p);
/* The four-eyes rule of 复核: *may is false when user_id signed, answered or added evidence to
 * the notice. sv_notice_review refuses on it (ERR_FORBIDDEN); the notice's "actions" ask it too. */
enum err sv_may_review(struct store *db, long long id, long long user_id, bool *may);
enum err sv_notice_review(struct store *db, long long id, bool accept, const char *reason,
                          const struct sv_actor *by, long long now, struct problem *p);
/* Raises the level by one (manual escalation); ERR_CONFLICT at red or outside the pending
 * stages. */
enum err sv_notice_escalate(struct store *db, long long id, const char *note,
                            const struct sv_actor *by, long long now, struct problem *p);
/* 催办: checks sv_urge_allowed (ERR_CONFLICT with the reason), writes the history row 催办 and
 * an urgent inbox item (notice_urge) for the unit's staff, settled by the answer. *last_urge
 * (sv_last_urge): the time of the latest urge, 0 when none. */
enum err sv_last_urge(struct store *db, long long id, long long *at);
enum err sv_notice_urge(struct store *db, long long id, const char *note, const struct sv_actor *by,
                        long long now, struct problem *p);
/* 签批: the office asks (the leaders get a notice_signoff item), a leader approves (note
 * optional) or returns it (reason required; the requester gets notice_signoff_returned). Each
 * checks sv_signoff_refusal, writes the history row and settles the items. */
enum err sv_notice_signoff_request(struct store *db, long long id, const char *note,
                                   const struct sv_actor *by, long long now, struct problem *p);
enum err sv_notice_signoff(struct store *db, long long id, bool approve, const char *note,
                           const struct sv_actor *by, long long now, struct problem *p);
/* Deletes a draft with its history and evidence links (and settles its 待办 items, as of now);
 * *title gets what it was called (for the audit row). ERR_CONFLICT with p once it has been issued.
 */
enum err sv_notice_discard(struct store *db, long long id, long long now, char *title,
                           size_t titlelen, struct problem *p);
/* For the tick: ids (malloc'd, in id order) of the pending notices (issued, signed, in progress)
 * past their deadline (before "YYYY-MM-DD") and not yet red, or due from … to (inclusive). */
enum err sv_overdue_ids(struct store *db, const char *before, long long **ids, size_t *n);
enum err sv_due_ids(struct store *db, const char *from, const char *to, long long **ids, size_t *n);
/* Brings the stored level up to sv_level_at(today), recording the change once. *changed
 * tells whether it moved. */
enum err sv_notice_catch_up(struct store *db, long long id, long long now, bool *changed);

/* Evidence (bytes in the ledger's content-addressed files). put moves signed → in progress. */
enum err sv_evidence_put(struct store *db, long long id, const char *name, const char *type,
                         const void *data, size_t len, const struct sv_actor *by, long long now,
                         bool *created, char hash[65], struct problem *p);
enum err sv_evidence_delete(struct store *db, long long id, const char *name,
                            const struct sv_actor *by, long long now, struct problem *p);
enum err sv_evidence_get(struct store *db, long long id, const char *name,
                         void *(*alloc)(void *ctx, size_t n), void *ctx, const void **data,
                         size_t *len, const char **type);

/* Whether the unit has an active account holding role_bit (1u << ROLE_…): whether an inbox
 * item for that role of the unit reaches anyone. */
bool sv_unit_has_role(struct store *db, long long unit_id, unsigned role_bit);
/* The roles (1u << ROLE_…) that sign the unit's notices: its unit_admin when it has an active
 * one, else its staff. The signing inbox item goes to them and the sign check asks the same. */
unsigned sv_signer_roles(struct store *db, long long unit_id);

/* The notice as JSON with its answers, evidence and history; NULL on error. */
json_t *sv_notice_json(struct store *db, long long id, long long now);

/* List filters (0 / NULL / -1 = any). */
struct sv_filter {
    long long unit;       /* a unit and its child units */
    long long scope_unit; /* unit-scoped callers: their unit and its child units, no drafts */
    int stage;            /* enum sv_stage or -1 */
    int level;            /* enum sv_level or -1 */
    int overdue;          /* 1 overdue only, 0 not overdue only, -1 any */
    long long task;
    const char *plan;
    const char *search;       /* q: title, requirements or 文号 contain it (NULL: none) */
    const char *search_units; /* q's units as ",id,id," (theirs and their child units' notices) */
};
struct jw;
/* Writes the items of one page (newest first, after the cursor id) into w; *n and *last get
 * how many and the last id. */
enum err sv_notice_list(struct store *db, const struct sv_filter *f, long long after,
                        long long limit, long long now, struct jw *w, long long *n,
                        long long *last);
/* How many notices match f (the cursor aside): the list's total. */
enum err sv_notice_count(struct store *db, const struct sv_filter *f, long long now,
                         long long *total);

/* A notice as other areas read it (evaluation counts answers against deadlines); strings
 * valid during the callback, NULL when absent (deadline, answered_date: "YYYY-MM-DD"). */
struct sv_notice_brief {
    long long id, unit_id;
    bool issued; /* issued_at is set */
    long long issued_at;
    const char *doc_no, *title, *deadline, *stage, *level, *answered_date;
};
/* Returns false to stop. */
typedef bool (*sv_notice_fn)(void *ctx, const struct sv_notice_brief *n);
/* Every notice of the plan (NULL: of any plan), drafts too, newest first. */
enum err sv_notices_each(struct store *db, const char *plan, sv_notice_fn fn, void *ctx);

/* ---- the periodic tick (tick.c) ---- */

struct sv_tick_result {
    int escalated; /* notices whose level rose */
    int reminded;  /* "due soon" inbox items added */
};
/* Escalates overdue notices and adds "due in 3 days" inbox items, as of now. Idempotent (each
 * change and each reminder is recorded once, by key), so several app servers and `ecoact tick`
 * may run it. Inside the caller's transaction. */
enum err sv_tick(struct store *db, long long now, struct sv_tick_result *out);
/* The server's tick hook (server.c): sv_tick in the form every area's tick has. */
enum err supervise_tick(struct store *db, const struct keys *k, long long now, char *summary,
                        size_t n);

#endif
