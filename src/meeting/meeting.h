/* meeting.h - the joint meeting system (联席会议制度, 附件2; issue 5): the member units (with join
 * and leave dates), regular (half-yearly) and special meetings, and the chain of 第六条/第八条 —
 * the host's notice at least 15 days before → each member unit confirms receipt and submits
 * topics within 5 days → the host selects the central topics → the conveners send the agenda at
 * least 5 days before → the meeting is held (attendance, a decision per topic) → minutes within
 * 7 days → every member unit countersigns (会签) within the office's window → the minutes are
 * issued, and their decisions become follow-up items. Each step has a deadline and a status;
 * reminders go to the units that have not acted; a regular meeting held files the t83 ledger
 * report through work_file() (one event, one record). Days are counted as 民法典 第二百零一条 and
 * 第二百零三条 say, with the holidays and 调休 working days of the State Council's yearly
 * announcements kept as data (data/calendars/holidays.json, editable for later years).
 *
 * A meeting is loaded once into struct mt_meeting (meeting_load.c); the API's JSON
 * (meeting_json.c) and the GB/T 9704 documents (meeting_doc.c) both render from it, so no
 * document depends on a JSON field name.
 *
 * The rooms of the area:
 *   meeting.h          types and service functions (this file)
 *   meeting.c          the chain to the agenda: notice, receipts, topics, selection, agenda, and
 *                      the checks every step shares; meeting_minutes.c: the meeting held,
 *                      minutes, countersigns, issue (meeting_service.h: their shared helpers)
 *   meeting_load.c     the one load into struct mt_meeting, units through the org area, the
 *                      documents issued and drafted
 *   meeting_setup.c    calendars, member units, meetings planned and edited, topic files
 *   meeting_followup.c follow-up items; meeting_tick.c: reminders
 *   meeting_rules.c    pure: the calendar and the day counting, every step's deadline and status,
 *                      reminders, document numbers, the check of a calendar year, the names and
 *                      labels (the one list); meeting_json.c, meeting_doc.c: pure renderings
 *                      (JSON; HTML and PDF through Cairo + Pango, Noto CJK fonts)
 *   store_meeting.c    all of the area's SQL, over its own tables (meeting_store.h)
 *   api_meeting.c      routes: parse, call the service, render
 * Unit-tested without a database: tests/unit/test_meeting.c, test_meeting_doc.c. Tables:
 * migration 0007_meeting. */
#ifndef ECOACT_MEETING_H
#define ECOACT_MEETING_H
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"
#include "base/gbdoc.h"

/* 第六条, 第八条 and the office's default countersigning window, in days. */
#define MT_NOTICE_DAYS 15     /* the notice at least 15 days before the meeting */
#define MT_TOPIC_DAYS 5       /* topics within 5 days of receiving the notice */
#define MT_AGENDA_DAYS 5      /* the agenda at least 5 days before the meeting */
#define MT_MINUTES_DAYS 7     /* the minutes within 7 days after the meeting */
#define MT_COUNTERSIGN_DAYS 5 /* countersigning window (the office sets it per meeting) */
#define MT_COUNTERSIGN_MAX 30
#define MT_REMIND_BEFORE 2 /* reminders two days before a deadline, and on it */

/* Document numbers: 渝生态宣联〔2025〕1号 (one sequence per year of issue). */
#define MT_DOC_PREFIX "渝生态宣联"
/* 发文机关 of the notice and the minutes (the office sits in the host, 附件2 第二条). */
#define MT_ORG_NAME "重庆市生态文明宣传教育工作联席会议办公室"
#define MT_BODY_NAME "重庆市生态文明宣传教育工作联席会议"
#define MT_PRINTER_NAME "重庆市生态环境局办公室"

/* Bounds, in characters (UTF-8 code points). */
#define MT_TITLE_MAX 200
#define MT_PLACE_MAX 200
#define MT_TEXT_MAX 5000   /* background, decision requested, notice and minutes bodies */
#define MT_REASON_MAX 1000 /* late reasons, decline reasons, comments */
#define MT_NAME_MAX 50     /* a person, a post, a guest */
#define MT_MAX_GUESTS 10
#define MT_MAX_ATTENDANCE 100
#define MT_MAX_DECISIONS 50
#define MT_TOPICS_PER_UNIT 20
#define MT_FILES_PER_TOPIC 10

/* A day number (base/date.h) meaning "none". */
#define MT_NONE INT_MIN

/* ---- the calendar (meeting_rules.c) ---- */

/* Holidays and make-up working days (调休上班) as sorted day numbers, and the years whose
 * announcement is known. Owns its arrays: mt_calendar_free(). */
struct mt_calendar {
    int *holidays, *workdays;
    size_t nholidays, nworkdays, cap_h, cap_w;
    unsigned char years[256]; /* years[y - 1900] = 1 when year y is covered */
};

void mt_calendar_init(struct mt_calendar *c);
void mt_calendar_free(struct mt_calendar *c);
/* Adds one day (a holiday or a make-up working day); false when out of memory. Call
 * mt_calendar_finish() after the last one. */
bool mt_calendar_add(struct mt_calendar *c, int day, bool holiday);
void mt_calendar_cover(struct mt_calendar *c, int year);
void mt_calendar_finish(struct mt_calendar *c);
bool mt_calendar_covers(const struct mt_calendar *c, int year);

/* Whether day is a statutory rest day (法定休假日): a holiday of the announcement, or a Saturday
 * or Sunday that is not a make-up working day. */
bool mt_rest_day(const struct mt_calendar *c, int day);
bool mt_holiday(const struct mt_calendar *c, int day);
bool mt_makeup_workday(const struct mt_calendar *c, int day);
/* The last day of a period of n days after event (民法典 第二百零一条: it starts the day after
 * the event; 第二百零三条: when its last day is a rest day, it ends on the first day after the
 * rest days). */
int mt_days_after(const struct mt_calendar *c, int event, int n);
/* The last day something "at least n days before" date may happen: date − n (a plain calendar
 * comparison). */
int mt_days_before(int date, int n);

/* One year of the calendar as the API and data/calendars/holidays.json write it:
 * {"year", "title", "doc_no", "holidays": [{"name","from","to"}], "workdays": [{"date","name"}]}.
 * Checked: title 1..200 characters, doc_no ≤ 64, dates real, from ≤ to, a range ≤ 15 days,
 * every day within the year (or the last days of December before it, the first of January
 * after it: an announcement may span the new year), no day twice, make-up working days on a
 * Saturday or Sunday outside every holiday. */
#define MT_YEAR_MAX_DAYS 160
struct mt_day {
    int day;
    bool holiday;
    const char *name; /* borrowed from the JSON */
};
struct mt_year {
    int year;
    const char *title, *doc_no; /* borrowed; doc_no may be NULL */
    struct mt_day days[MT_YEAR_MAX_DAYS];
    size_t ndays;
};
/* Checks y (an object; a "year" member, when present, must equal year). The first problem
 * found is a 400 (malformed) or 422 (breaks a rule) naming the field. */
bool mt_year_parse(json_t *y, int year, struct mt_year *out, struct problem *p);
/* Adds every year of a document {"years": [...]} (the embedded file) to c; false with p filled
 * when one is bad. */
bool mt_calendar_from_doc(json_t *doc, struct mt_calendar *c, struct problem *p);

/* ---- steps, deadlines and statuses (meeting_rules.c) ---- */

enum mt_step {
    MT_STEP_NOTICE,      /* 会议通知: the host, at least 15 days before */
    MT_STEP_RECEIPT,     /* 确认收到: each member unit, within 5 days of the notice */
    MT_STEP_TOPICS,      /* 提交议题: each member unit, within 5 days of the notice */
    MT_STEP_SELECTION,   /* 筛选中心议题: the host, before the agenda */
    MT_STEP_AGENDA,      /* 告知议题: the conveners, at least 5 days before */
    MT_STEP_HELD,        /* 召开会议: on the meeting date */
    MT_STEP_MINUTES,     /* 会议纪要: 市生态环境局, within 7 days after */
    MT_STEP_COUNTERSIGN, /* 会签: each member unit, within the window */
    MT_STEP_ISSUE,       /* 印发: the host, once every unit signed (no deadline in 附件2) */
    MT__STEPS
};
const char *mt_step_name(enum mt_step s);  /* "notice" … */
const char *mt_step_label(enum mt_step s); /* 会议通知 … */
const char *mt_step_rule(enum mt_step s);  /* 会前15日通知 … (the rule, for display) */
const char *mt_step_actor(enum mt_step s); /* 承办单位 … (who acts, for display) */
/* A history row's action as shown ("notice" → 发出会议通知; an unknown one as it is). */
const char *mt_history_label(const char *action);

enum mt_status {
    MT_WAITING, /* cannot start yet (no deadline yet) */
    MT_DUE,     /* to do, deadline not passed */
    MT_OVERDUE, /* to do, deadline passed */
    MT_ON_TIME, /* done on or before the deadline */
    MT_LATE,    /* done after the deadline (with a recorded reason) */
    MT_DONE,    /* done, no deadline */
    MT__STATUSES
};
const char *
mt_status_name(enum mt_status s); /* "waiting" "due" "overdue" "on_time" "late" "done" */
const char *mt_status_label(enum mt_status s); /* 未开始 待办 已逾期 按时 逾期完成 已完成 */
/* The status of a step due on deadline (MT_NONE: none yet), done on done (MT_NONE: not done),
 * as of today. */
enum mt_status mt_status_at(int deadline, int done, int today);
/* Whether doing it on day `on` is late. */
bool mt_is_late(int deadline, int on);

/* What the deadlines depend on (MT_NONE for what has not happened). */
struct mt_dates {
    int meeting;          /* the meeting date */
    int notice;           /* the notice sent (= received) */
    int held;             /* the meeting held */
    int drafted;          /* the current version of the minutes drafted */
    int countersign_days; /* the window; MT_COUNTERSIGN_DAYS when ≤ 0 */
};
/* Every step's deadline (MT_NONE when it has none yet). */
void mt_deadlines(const struct mt_calendar *c, const struct mt_dates *d, int out[MT__STEPS]);

/* Reminders: 1 when today is one or two days before the deadline ("two days before"; a tick
 * missed on that day catches up the next), 2 on the deadline, 0 otherwise. */
int mt_remind_stage(int deadline, int today);

/* ---- vocabularies (meeting_rules.c): the one list of names and labels ---- */

/* A meeting's stage, as stored. The labels are the server's; the console shows them as given
 * (its own copy in web/src/format.js MEETING_STAGES disagrees and is to go). */
enum mt_stage {
    MT_STAGE_PLANNED,     /* 筹备中 */
    MT_STAGE_NOTIFIED,    /* 已通知 */
    MT_STAGE_AGENDA_SENT, /* 已告知议题 */
    MT_STAGE_HELD,        /* 已召开，待制作纪要 */
    MT_STAGE_MINUTES,     /* 纪要会签中 */
    MT_STAGE_ISSUED,      /* 纪要已印发 */
    MT__STAGES
};
const char *mt_stage_name(enum mt_stage s); /* "planned" … */
const char *mt_stage_label(enum mt_stage s);
bool mt_stage_parse(const char *s, enum mt_stage *out);
/* Why a step cannot be done at this stage: "尚未发出会议通知" … */
const char *mt_stage_conflict(enum mt_stage s);

/* A topic's selection by the host. */
enum mt_selection {
    MT_SEL_PENDING,
    MT_SEL_SELECTED,
    MT_SEL_MERGED,
    MT_SEL_DECLINED,
    MT__SELECTIONS
};
const char *mt_selection_name(enum mt_selection s); /* "pending" "selected" "merged" "declined" */
const char *mt_selection_label(enum mt_selection s); /* 待筛选 列为中心议题 合并 未采纳 */
bool mt_selection_parse(const char *s, enum mt_selection *out);
/* The host's decision as requested: "select" "merge" "decline" "reset" (back to pending). */
bool mt_selection_decision(const char *decision, enum mt_selection *out);

/* A follow-up item's status. */
enum mt_fu_status { MT_FU_OPEN, MT_FU_IN_PROGRESS, MT_FU_DONE, MT__FU_STATUSES };
const char *mt_fu_status_name(enum mt_fu_status s);  /* "open" "in_progress" "done" */
const char *mt_fu_status_label(enum mt_fu_status s); /* 未开始 落实中 已完成 */
bool mt_fu_status_parse(const char *s, enum mt_fu_status *out);

/* The countersign step's status while a change is requested: "change_requested" and its label. */
#define MT_CHANGE_REQUESTED "change_requested"
const char *mt_change_requested_label(void); /* 有修改意见，待承办单位修改 */
/* A calendar year's source ("embedded" or "office") as shown. */
const char *mt_calendar_source_label(const char *source);

/* 第四条 (一)–(七): topic categories 1..7. NULL outside. */
const char *mt_category_label(int category);

enum mt_kind { MT_REGULAR, MT_SPECIAL };
const char *mt_kind_name(enum mt_kind k);  /* "regular" "special" */
const char *mt_kind_label(enum mt_kind k); /* 全体会议（例会） 专题会议 */
bool mt_kind_parse(const char *s, enum mt_kind *out);

/* 第三条: who attends. standard: the conveners' 分管负责同志 and the members' 业务处室负责人;
 * senior ("when needed"): the conveners' 主要负责同志 and the members' 分管负责同志. */
enum mt_level { MT_LEVEL_STANDARD, MT_LEVEL_SENIOR };
const char *mt_level_name(enum mt_level l); /* "standard" "senior" */
const char *mt_level_label(enum mt_level l);
bool mt_level_parse(const char *s, enum mt_level *out);

/* An attendee's rank, lowest first. */
enum mt_rank { MT_RANK_STAFF, MT_RANK_DIVISION, MT_RANK_DEPUTY, MT_RANK_PRINCIPAL };
const char *mt_rank_name(enum mt_rank r); /* "staff" "division" "deputy" "principal" */
const char *mt_rank_label(enum mt_rank r); /* 工作人员 业务处室负责人 分管负责同志 主要负责同志 */
bool mt_rank_parse(const char *s, enum mt_rank *out);
/* The rank 第三条 asks of a convener or a member unit at a meeting of this level. */
enum mt_rank mt_required_rank(enum mt_level l, bool convener);

/* Membership roles. */
bool mt_member_role_valid(const char *role);        /* "convener" "member" */
const char *mt_member_role_label(const char *role); /* 牵头单位 成员单位 */

/* "渝生态宣联〔2025〕3号" into out (≥ 48 bytes). */
void mt_doc_no(int year, long long seq, char *out, size_t outlen);
/* "2025年6月3日" into out (≥ 24 bytes). */
void mt_date_cn(int day, char *out, size_t outlen);

/* UTF-8 code points of s (valid UTF-8). */
size_t mt_utf8_chars(const char *s);

/* The documents of a meeting (names and labels in meeting_doc.c). */
enum mt_doc_kind { MT_DOC_NOTICE, MT_DOC_AGENDA, MT_DOC_MINUTES, MT__DOCS };
const char *mt_doc_kind_name(enum mt_doc_kind k);  /* "notice" "agenda" "minutes" */
const char *mt_doc_kind_label(enum mt_doc_kind k); /* 会议通知 议题通知 会议纪要 */
bool mt_doc_kind_parse(const char *s, enum mt_doc_kind *out);

/* ---- a meeting, loaded once (meeting_load.c) ---- */

/* A unit as a meeting names it, with its labels from the org area: name "" when unknown,
 * short_name falling back to the name. id 0: no unit. */
struct mt_label {
    long long id;
    const char *name, *short_name;
};

/* One member unit of a meeting: the notice's recipients once it is sent, else the members of
 * the day the meeting is loaded. */
struct mt_unit {
    struct mt_label unit;
    bool convener, host;
    int received, confirmed, topics; /* day numbers or MT_NONE */
    bool no_topics;
    long long ntopics;
    int signed_on;     /* countersigned the current version on (MT_NONE: not) */
    bool change;       /* asked for a change of the current version */
    bool late_confirm; /* recorded late */
};

struct mt_topic_file {
    const char *name, *content_type, *hash;
    long long size;
};

/* A topic a member unit submitted, with the host's selection and the meeting's decision.
 * NULL strings and 0 ids are "none". */
struct mt_topic {
    long long id;
    struct mt_label unit;
    int category;
    const char *title, *background, *decision_requested;
    int submitted; /* day */
    const char *submitted_by_name;
    bool late;
    const char *late_reason;
    enum mt_selection selection;
    long long merged_into;
    const char *selection_reason;
    int selection_date; /* day or MT_NONE */
    const char *selection_by_name;
    long long agenda_order; /* 1… once the agenda is sent */
    const char *decision;
    struct mt_topic_file *files;
    size_t nfiles;
};

/* Who attended: a member unit (unit.id) or an invited one (guest, unit_name only). */
struct mt_attendee {
    struct mt_label unit; /* id 0 for an invited unit that is not in the catalogue */
    const char *unit_name, *person, *post;
    enum mt_rank rank;
    bool guest;
};

/* A decision of the minutes (议定事项): it becomes a follow-up item when they are issued. */
struct mt_decision {
    int seq;
    const char *text;
    struct mt_label unit; /* the responsible unit */
    int due;              /* day */
    long long topic_id;   /* 0: none */
};

/* One version of the minutes. */
struct mt_minutes {
    int version;
    const char *body;
    struct mt_decision *decisions;
    size_t ndecisions;
    int drafted; /* day */
    const char *drafted_by_name;
};

/* A countersign (会签) of one version by one unit: signed, or a change requested. */
struct mt_sign {
    int version;
    struct mt_label unit;
    bool change;
    const char *comment; /* NULL: none */
    int on;              /* day */
    const char *by_name;
    const char *late_reason; /* NULL: on time */
};

/* An issued document (stored once, never changed). */
struct mt_issued {
    enum mt_doc_kind kind;
    const char *doc_no, *title;
    int issued; /* day */
    const char *html_hash, *pdf_hash;
    long long html_size, pdf_size;
};

/* A follow-up item (a decision of issued minutes), with its meeting. */
struct mt_followup {
    long long id, meeting_id;
    const char *meeting_title;
    int meeting_date;
    int seq;
    long long topic_id; /* 0: none */
    const char *text;
    struct mt_label unit; /* the responsible unit */
    int due;              /* day */
    enum mt_fu_status status;
    const char *progress;
    int done; /* day or MT_NONE */
    const char *updated_by_name;
    long long updated_at;
    bool with_actions, may_update; /* for one caller: whether it may update the item */
};

/* A history row of a step. */
struct mt_event {
    long long at;
    int on;
    const char *by_name, *action;
    struct mt_label unit; /* id 0: none */
    bool late;
    const char *note;
};

/* A meeting with everything that renders it: the API's JSON (mt_meeting_write) and the
 * GB/T 9704 documents (mt_doc_build) read this, never the tables or each other. Days are day
 * numbers (base/date.h) or MT_NONE; strings NULL where the column is. Everything is owned by
 * the meeting's arena: mt_meeting_free(). */
struct mt_meeting {
    long long id;
    enum mt_kind kind;
    enum mt_level level;
    enum mt_stage stage;
    const char *title, *place, *notes;
    const char **guests; /* invited units (names) */
    size_t nguests;
    int countersign_days;
    int meeting, notice, agenda, held, minutes, issued; /* the days of the steps */
    const char *notice_body, *notice_by_name, *notice_late_reason;
    const char *agenda_by_name, *agenda_late_reason;
    const char *held_by_name, *minutes_late_reason, *issued_by_name;
    int version; /* of the minutes; 0: none yet */
    int drafted; /* the current version drafted on */
    bool change_requested;
    long long report_id; /* the t83 ledger report; 0: none */
    const char *report_note;
    const char *report_status, *report_status_label; /* in the ledger (work area); NULL: unknown */
    const char *created_by_name;
    long long created_at, updated_at;

    /* derived as of the day it was loaded */
    int today;
    struct mt_calendar cal;
    int deadline[MT__STEPS];
    struct mt_label host; /* the unit hosting it (among the units, else today's host) */

    struct mt_unit *units; /* conveners first, then by unit id */
    size_t nunits;
    struct mt_topic *topics; /* in agenda order, then by id */
    size_t ntopics;
    struct mt_attendee *attendance;
    size_t nattendance;
    struct mt_minutes *minutes_versions; /* oldest first */
    size_t nminutes_versions;
    struct mt_sign *signs; /* by version, then as signed */
    size_t nsigns;
    struct mt_issued *documents;
    size_t ndocuments;
    struct mt_followup *follow_ups, *to_report; /* its own; those to report at it */
    size_t nfollow_ups, nto_report;
    struct mt_event *history;
    size_t nhistory;
    /* what one caller may do now (mt_meeting_actions; none until it is called) */
    struct mt_action *actions;
    size_t nactions;
    bool with_actions;
    struct arena *arena;
};

/* One step a caller may take now: its name (the route it takes: "notice", "receipt", "topic",
 * "select" …), the server's label, the step's deadline (MT_NONE: none), the topic it acts on
 * (0: the meeting) and the member units it may act for (the office: every unit the step waits
 * for; a member unit: its own). In the meeting's arena. */
struct mt_action {
    const char *name, *label;
    int deadline;
    long long topic_id;
    long long *units;
    size_t nunits;
};

/* What mt_meeting_load reads beyond the meeting, its calendar, deadlines and units. */
#define MT_LOAD_CORE 0u
#define MT_LOAD_TOPICS 1u    /* topics and their attachments */
#define MT_LOAD_RECORD 2u    /* attendance, minutes, countersigns, documents, history */
#define MT_LOAD_FOLLOWUPS 4u /* its follow-ups and those to report at it */
#define MT_LOAD_LABELS 8u    /* the units' names (org area) */
#define MT_LOAD_ALL 15u
/* Loads a meeting as of now: ERR_NOT_FOUND when unknown. *out is the caller's. */
enum err mt_meeting_load(struct store *db, long long id, long long now, unsigned parts,
                         struct mt_meeting **out);
void mt_meeting_free(struct mt_meeting *m); /* NULL is a no-op */
/* The meeting's unit, topic, or current version of the minutes; NULL when none. */
struct mt_unit *mt_meeting_unit(const struct mt_meeting *m, long long unit_id);
struct mt_topic *mt_meeting_topic(const struct mt_meeting *m, long long topic_id);
const struct mt_minutes *mt_meeting_current_minutes(const struct mt_meeting *m);

/* ---- the meeting as JSON (meeting_json.c) ---- */

struct jw;
/* GET /api/v1/meetings/{id}: every step with its deadline, status and the units that have not
 * acted, the units, topics, attendance (with the check of 第三条), minutes, countersigns,
 * documents, follow-ups and the history. Needs MT_LOAD_ALL. */
void mt_meeting_write(struct jw *w, const struct mt_meeting *m);
/* The topics (an array), and one topic (with its actions when m has them; m may be NULL). */
void mt_topics_write(struct jw *w, const struct mt_meeting *m);
void mt_topic_write(struct jw *w, const struct mt_meeting *m, const struct mt_topic *t);
/* GET /api/v1/meeting-vocabulary: the names and labels the console's forms and filters offer
 * (stages, kinds, levels, ranks highest first, topic categories, follow-up statuses). */
void mt_vocabulary_write(struct jw *w);
/* GET /api/v1/meeting-deadlines: {"date", "steps": [{"step", "label", "rule", "actor_label",
 * "deadline", "status", "status_label"}]} for the steps of dl that have a deadline, their
 * status as of today with nothing done (overdue: it can no longer be on time). */
void mt_deadlines_write(struct jw *w, int date, const int dl[MT__STEPS], int today);
/* A follow-up item as listed and shown, as of today. */
void mt_followup_write(struct jw *w, const struct mt_followup *f, int today);

struct mt_meeting_row;
struct mt_member;
struct mt_calendar_year;
/* A meeting as listed; a membership; a calendar year (listed, or with its days). */
void mt_meeting_row_write(struct jw *w, const struct mt_meeting_row *r);
void mt_member_write(struct jw *w, const struct mt_member *m);
void mt_calendar_year_write(struct jw *w, const struct mt_calendar_year *y, bool days);

/* ---- documents (meeting_doc.c) ---- */

/* Builds the document of a kind from the meeting (loaded with MT_LOAD_ALL; no JSON, so the
 * API's field names do not reach an official document): doc_no NULL for a draft; date is the
 * issue date (day number). False when m is NULL or the kind unknown. */
bool mt_doc_build(enum mt_doc_kind kind, const struct mt_meeting *m, const char *doc_no, int date,
                  struct gbdoc *out);

/* ---- services ---- */

/* Who acts: 0 / "系统" for the tick and the CLI; office tells the office (it may act for any
 * unit and record past dates). */
struct mt_actor {
    long long user_id;
    const char *name;
    long long unit_id;
    bool office;
};

/* What the caller may do beyond its meeting role, as the routes decide it: the permissions
 * (meeting_act for the steps, meeting_manage for editing) and whether the countersign route
 * refuses it (a member unit with a unit_admin countersigns through that admin). */
struct mt_caller {
    bool act, manage, countersign_refused;
};
/* Fills m->actions for by (meeting_actions.c): each step it may take now, worked out by the very
 * checks the step's service makes (mt_may_* in meeting_service.h), with its deadline. Needs
 * MT_LOAD_TOPICS and MT_LOAD_RECORD. */
enum err mt_meeting_actions(struct store *db, struct mt_meeting *m, const struct mt_actor *by,
                            const struct mt_caller *c);
/* Whether a document of the meeting is offered: issued, or a draft worth reading now (the
 * notice before it is sent, the agenda once a topic is central, the minutes once drafted). */
bool mt_doc_offered(const struct mt_meeting *m, enum mt_doc_kind kind);

/* Whether the org area knows the unit. */
bool mt_unit_exists(struct store *db, long long id);

/* ---- calendars and members (meeting_setup.c) ---- */

/* Loads data/calendars/holidays.json (embedded) and the initial member units (the units whose
 * joint_meeting is convener or member, joined 2021-06-30, the day 附件2 was issued) when none
 * are stored yet. Years already stored are left alone. Inside the caller's transaction. */
enum err meeting_load_embedded(struct store *db, long long now, int *years_added,
                               int *members_added, char *why, size_t whylen);

/* The stored calendar (every year). */
enum err mt_calendar_load(struct store *db, struct mt_calendar *c);

/* A stored year of the calendar, as listed and shown. Strings NULL where the column is. */
struct mt_holiday {
    const char *name;
    int from, to, days; /* consecutive days of one name */
};
struct mt_workday {
    const char *name;
    int date;
};
struct mt_calendar_year {
    int year;
    const char *title, *doc_no, *source;
    long long updated_at;
    long long holiday_days, workday_count; /* as listed */
    struct mt_holiday *holidays;           /* as shown (mt_calendar_year_get) */
    size_t nholidays;
    struct mt_workday *workdays;
    size_t nworkdays;
};
/* The stored years (without their days). */
enum err mt_calendar_years(struct store *db, struct arena *a, struct mt_calendar_year **out,
                           size_t *n);
/* One year with its holidays grouped into ranges; ERR_NOT_FOUND when not stored. */
enum err mt_calendar_year_get(struct store *db, int year, struct arena *a,
                              struct mt_calendar_year *out);
/* Replaces a year (checked with mt_year_parse). ERR_CONFLICT when one of its days belongs to
 * another year. */
enum err mt_calendar_put(struct store *db, const struct mt_year *y, const struct mt_actor *by,
                         long long now, struct problem *p);

/* A membership of the joint meeting (a unit may have several, one after another). */
struct mt_member {
    long long id;
    long long unit_id;
    bool unit_known;                               /* the org area knows the unit */
    const char *unit_key, *unit_name, *unit_short; /* NULL where the catalogue has none */
    const char *role;                              /* "convener" "member" */
    bool host;
    int joined, left; /* left: the first day it is no longer a member, MT_NONE */
    bool active;      /* on the day asked for */
    const char *note;
    long long updated_at;
};
/* Every membership (conveners first, then by the day they joined), active as of asof. */
enum err mt_members(struct store *db, int asof, struct arena *a, struct mt_member **out, size_t *n);
enum err mt_member_add(struct store *db, long long unit_id, const char *role, bool host,
                       const char *joined, const char *note, long long now, long long *id,
                       struct problem *p);
enum err mt_member_update(struct store *db, long long id, const char *role, int host,
                          const char *left, bool clear_left, const char *note, long long now,
                          struct problem *p);

/* ---- meetings (meeting_setup.c) ---- */

/* A meeting as created or edited; strings borrowed. */
struct mt_meeting_in {
    enum mt_kind kind;
    const char *title;
    const char *date; /* YYYY-MM-DD */
    const char *place;
    enum mt_level level;
    json_t *guests;    /* array of strings, or NULL */
    const char *notes; /* 会议主要内容 for the notice */
    int countersign_days;
};
/* The deadlines a meeting planned for date (YYYY-MM-DD, checked as mt_meeting_create checks it:
 * 422 naming "date") would have before anything is done: mt_deadlines of that date alone, with
 * the stored calendar (the notice, the selection, the agenda, the meeting itself; MT_NONE for
 * the steps that wait on a later one). GET /api/v1/meeting-deadlines. */
enum err mt_meeting_deadlines(struct store *db, const char *date, int out[MT__STEPS],
                              struct problem *p);
enum err mt_meeting_create(struct store *db, const struct mt_meeting_in *in,
                           const struct mt_actor *by, long long now, long long *id,
                           struct problem *p);
/* fields: which of in's fields the PATCH names (bit i = order of struct fields). */
#define MT_F_TITLE 1u
#define MT_F_DATE 2u
#define MT_F_PLACE 4u
#define MT_F_LEVEL 8u
#define MT_F_GUESTS 16u
#define MT_F_NOTES 32u
#define MT_F_CSDAYS 64u
enum err mt_meeting_update(struct store *db, long long id, const struct mt_meeting_in *in,
                           unsigned fields, const struct mt_actor *by, long long now,
                           struct problem *p);
bool mt_meeting_exists(struct store *db, long long id);
/* A meeting as listed. */
struct mt_meeting_row {
    long long id;
    enum mt_kind kind;
    enum mt_level level;
    enum mt_stage stage;
    const char *title, *place;
    int meeting, notice, agenda, held, minutes, issued;
    int version;
    long long report_id;
};
/* Meetings newest first (by id, after the cursor), of a year (0: any), kind and stage (NULL:
 * any). */
/* The meetings list's filter: year (0 any), kind and stage (NULL any), search (NULL none: a
 * keyword in the title or the place). */
struct mt_meeting_filter {
    int year;
    const char *kind, *stage, *search;
};
/* A page of meetings (newest first, after the id cursor) and *total, how many match f. */
enum err mt_meeting_list(struct store *db, const struct mt_meeting_filter *f, long long after,
                         long long limit, struct arena *a, struct mt_meeting_row **out, size_t *n,
                         long long *total);

/* ---- the chain (meeting.c, meeting_minutes.c) ---- */

/* A step as requested: the date it happened ("on": only the office may record another day than
 * today; never later than today), the reason when late, and the acting unit (the office may
 * name one; others act for their own). */
struct mt_step_in {
    const char *on;
    const char *late_reason;
    long long unit_id; /* 0: the caller's own unit */
};

enum err mt_send_notice(struct store *db, long long id, const struct mt_step_in *s,
                        const char *body, const struct mt_actor *by, long long now,
                        struct problem *p);
enum err mt_confirm_receipt(struct store *db, long long id, const struct mt_step_in *s,
                            bool no_topics, const struct mt_actor *by, long long now,
                            struct problem *p);
struct mt_topic_in {
    int category;
    const char *title, *background, *decision_requested;
};
enum err mt_submit_topic(struct store *db, long long id, const struct mt_step_in *s,
                         const struct mt_topic_in *t, const struct mt_actor *by, long long now,
                         long long *topic_id, struct problem *p);
/* decision: "select", "merge" (into), "decline" (reason), "reset". */
enum err mt_select_topic(struct store *db, long long id, long long topic_id, const char *decision,
                         long long into, const char *reason, const char *on,
                         const struct mt_actor *by, long long now, struct problem *p);
/* Topic attachments (meeting_setup.c), in the shared file store; until the meeting is held. */
enum err mt_topic_file_put(struct store *db, long long id, long long topic_id, const char *name,
                           const char *type, const void *data, size_t len,
                           const struct mt_actor *by, long long now, bool *created, char hash[65],
                           struct problem *p);
enum err mt_topic_file_get(struct store *db, long long id, long long topic_id, const char *name,
                           void *(*alloc)(void *ctx, size_t n), void *ctx, const void **data,
                           size_t *len, const char **type);
/* The unit that submitted a topic of the meeting; 0 when none. */
long long mt_topic_unit(struct store *db, long long id, long long topic_id);

enum err mt_send_agenda(struct store *db, long long id, const struct mt_step_in *s, json_t *order,
                        const struct mt_actor *by, long long now, struct problem *p);
/* attendance: [{"unit" | "unit_name","person","post","rank","guest"}]; decisions:
 * [{"topic_id","decision"}] (one per selected topic). */
enum err mt_record_held(struct store *db, long long id, const struct mt_step_in *s,
                        json_t *attendance, json_t *decisions, const struct mt_actor *by,
                        long long now, struct problem *p);
/* decisions: [{"topic_id"?,"text","unit","due"}]; a new version reopens countersigning. */
enum err mt_draft_minutes(struct store *db, long long id, const struct mt_step_in *s,
                          const char *body, json_t *decisions, const struct mt_actor *by,
                          long long now, struct problem *p);
/* action "sign" or "change" (comment required). */
enum err mt_countersign(struct store *db, long long id, const struct mt_step_in *s,
                        const char *action, const char *comment, const struct mt_actor *by,
                        long long now, struct problem *p);
enum err mt_issue_minutes(struct store *db, long long id, const struct mt_step_in *s,
                          const struct mt_actor *by, long long now, struct problem *p);

/* The meeting's roles of a unit: member (any role) on the notice's units (or today's members
 * before the notice), convener, host. */
struct mt_unit_role {
    bool member, convener, host;
};
enum err mt_unit_role(struct store *db, long long id, long long unit_id, long long now,
                      struct mt_unit_role *out);

/* A document (meeting_load.c): the stored one once issued (*stored true), else a draft
 * rendered now. pdf picks the format. *data is malloc'd. ERR_NOT_FOUND for the minutes before
 * their first draft. */
enum err mt_document(struct store *db, long long id, enum mt_doc_kind kind, bool pdf, long long now,
                     void **data, size_t *len, bool *stored, char *name, size_t namelen);

/* ---- follow-ups (meeting_followup.c) ---- */

struct mt_followup_filter {
    long long meeting, unit;
    const char *status; /* open | in_progress | done */
    int overdue;        /* 1, 0, -1 any */
};
/* Newest first (by id, after the cursor), as of now; in the arena. */
enum err mt_followup_list(struct store *db, const struct mt_followup_filter *f, long long after,
                          long long limit, long long now, struct arena *a, struct mt_followup **out,
                          size_t *n);
/* One item; ERR_NOT_FOUND when unknown. */
enum err mt_followup_get(struct store *db, long long id, struct arena *a, struct mt_followup *out);
/* Whether by may update an item of unit: the responsible unit, or the office for any (the
 * route's permission reaches both). The one rule of PATCH /follow-ups/{id} and its "actions". */
bool mt_may_update_followup(const struct mt_actor *by, long long unit);
/* ERR_NOT_FOUND when unknown; *unit_id gets the responsible unit. */
enum err mt_followup_unit(struct store *db, long long id, long long *unit_id);
enum err mt_followup_update(struct store *db, long long id, const char *status,
                            const char *progress, const char *on, const struct mt_actor *by,
                            long long now, struct problem *p);

/* ---- reminders (meeting_tick.c) ---- */

/* Adds the inbox items (and SMS) due as of now: two days before and on each deadline, to
 * exactly the units that have not acted (notice → the host; receipts and topics → member units
 * without them; agenda → the conveners; minutes → the host; countersigns → the units that have
 * not signed the current version; follow-ups → their responsible units). Each once, by dedupe
 * key. Inside the caller's transaction. */
enum err mt_remind(struct store *db, long long now, int *added);
/* The server's tick hook form (see server.c ticks[]): mt_remind, logged. */
enum err meeting_tick(struct store *db, const struct keys *k, long long now, char *summary,
                      size_t n);

#endif
