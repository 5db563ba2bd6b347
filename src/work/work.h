/* work.h - the work ledger (台账, issue 3 §2): units report activities (a kind from the plan's
 * activity-kind catalogue, an activity date, title, tasks served, integer metrics, links and
 * evidence files); the office, or the unit_admin of the parent unit for a child unit's report,
 * accepts or returns them; only accepted reports count for the compliance engine.
 *
 * Pure parts (no I/O, no clock; unit-tested in tests/unit/test_work.c):
 *   work_rules.c   checking one report against the plan's catalogue, dates read from
 *                  spreadsheets (evidence names and types: base/filetype.h)
 *   work_import.c  a table read from .csv or .xlsx (base/table.h) → reports, every error as
 *                  {row, column, message}
 * Storage and rendering: store_work.c (the SQL), work_export.c (.xlsx with libxlsxwriter).
 * Routes: api_work.c. */
#ifndef ECOACT_WORK_H
#define ECOACT_WORK_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"
#include "base/jw.h"
#include "base/table.h"
#include "base/utf8.h"
#include "store/store.h"

/* The plan a report serves when the request names none. */
#define WORK_DEFAULT_PLAN "cq-2021-2025"

/* Bounds. Lengths in characters (UTF-8 code points) unless said otherwise. */
#define WORK_TITLE_MAX 200
#define WORK_SUMMARY_MAX 5000
#define WORK_PLACE_MAX 200
#define WORK_REASON_MAX 1000
#define WORK_MAX_TASKS 20
#define WORK_MAX_METRICS 16
#define WORK_METRIC_MAX 1000000000000LL /* 10^12 */
#define WORK_MAX_LINKS 20
#define WORK_LINK_MAX 2000 /* bytes */
#define WORK_EVIDENCE_PER_REPORT 50
#define WORK_IMPORT_MAX_ROWS 5000                 /* data rows, the header not counted */
#define WORK_IMPORT_MAX_BYTES (10u * 1024 * 1024) /* the uploaded file */
#define WORK_EXPORT_MAX_ROWS 100000

/* ---- one report, checked against the plan (work_rules.c) ---- */

struct work_metric {
    const char *name;
    long long value;
};

/* A report as filed; strings are borrowed (NULL or "" when absent). */
struct work_report {
    long long unit_id;
    const char *kind;
    const char *activity_date; /* "YYYY-MM-DD" */
    const char *title, *summary, *place;
    long long tasks[WORK_MAX_TASKS];
    size_t ntasks;
    struct work_metric metrics[WORK_MAX_METRICS];
    size_t nmetrics;
    const char *links[WORK_MAX_LINKS];
    size_t nlinks;
};

/* What a report is checked against: the plan's period, its task numbers, the activity-kind
 * catalogue and today's date. Everything is borrowed. */
struct work_catalog {
    const char *plan;       /* plan code, for messages */
    int start, end;         /* plan period, date.h day numbers */
    int today;              /* Asia/Shanghai civil date of the request */
    const long long *tasks; /* task numbers of the plan */
    size_t ntasks;
    json_t *kinds; /* object code → {"name": s, "metrics": [s…]} (plan_kinds) */
};

/* Problems found by a check, in field order (each ERR_RULE, 422). field is the request field at
 * fault: "kind", "activity_date", "title", "summary", "place", "tasks", "metrics.<name>",
 * "links". */
#define WORK_MAX_PROBLEMS 16
struct work_problems {
    struct problem items[WORK_MAX_PROBLEMS];
    size_t n;
};

/* Checks every field of r; returns true when there is no problem. */
bool work_report_check(const struct work_report *r, const struct work_catalog *c,
                       struct work_problems *out);
/* The kind's catalogue entry, or NULL. */
json_t *work_kind(const struct work_catalog *c, const char *code);
/* The kind whose code or Chinese name is s, or NULL; *code gets its code. */
json_t *work_kind_find(const struct work_catalog *c, const char *s, const char **code);
/* Whether the kind has a metric of this name. */
bool work_kind_has_metric(json_t *kind, const char *metric);
/* Chinese label of a metric name ("participants" → "参与人数"); the name itself when unknown. */
const char *work_metric_label(const char *metric);
/* Metric name for a label or a name; NULL when neither. */
const char *work_metric_from_header(const char *header);

/* An http:// or https:// URL with a host and no spaces or control characters. */
bool work_link_valid(const char *s);

/* Review states. */
const char *work_status_label(const char *status); /* 待审核 / 已通过 / 已退回 */
bool work_status_valid(const char *status);
/* A history row's action as shown ("resubmit" → 修改并重新提交); the name itself when unknown. */
const char *work_history_label(const char *action);
/* The ledger's words as /me labels.reports gives them: {"statuses": {name: label}, "metrics",
 * "actions" (history rows), "fields" (what a history row's changes name), "sources"}. */
json_t *work_vocabulary_json(void);

/* The row's JSON copies of tasks ([16,17]) and metrics ({"articles":4}), as store_work.c writes
 * them, read back: at most max items; metric names are copied into names (namelen bytes), which
 * the results then point into. Return the count. */
size_t work_tasks_parse(const char *json, long long *out, size_t max);
size_t work_metrics_parse(const char *json, struct work_metric *out, size_t max, char *names,
                          size_t namelen);

/* ---- dates in spreadsheets (work_rules.c) ---- */

/* A date cell of an import: "2023-05-20", "2023/5/20", "2023.5.20", "2023年5月20日", or an Excel
 * serial number (a whole or fractional day count; 1904 system when date1904). false when none. */
bool work_cell_date(const char *s, bool date1904, int *day);
/* Excel serial (1900 system) of a day, for writing dates. */
double work_excel_serial(int day);
/* An integer cell: an optional minus, up to 15 digits, optionally ".0…" (numbers from
 * spreadsheets). Negative numbers are read so the check can name them. false otherwise. */
bool work_cell_int(const char *s, long long *out);
/* Task numbers separated by 、 , ， ; ； or spaces: "16、17". false on a bad item; *bad gets it. */
bool work_cell_tasks(const char *s, long long *tasks, size_t max, size_t *n, char *bad,
                     size_t badlen);

/* ---- import: table → reports (work_import.c) ---- */

/* Finds the unit named by a 单位 cell and says whether the caller may report for it: returns
 * its id, or 0 with why filled. */
typedef long long (*work_unit_resolver)(void *ctx, const char *ref, char *why, size_t whylen);

struct work_import {
    struct work_report *reports; /* one per data row, in order; strings borrowed from the table */
    int *row_no;                 /* the file row of each report */
    char (*dates)[11];           /* activity dates as text, referenced by the reports */
    char **link_text;            /* each row's 链接 cell, copied to be split into the links */
    size_t nlink_text;
    size_t nreports;
    struct table_errors errors;
};

/* Reads the header (row 1: 单位, 类型, 活动日期, 标题 required; 摘要, 地点, 服务任务, 链接 and one
 * column per metric, by name or Chinese label; 编号, 状态, 提交人, 审核日期 and 单位名称, which the
 * export writes, are ignored) and every data row. Empty rows are skipped. Returns ERR_RULE when
 * any error was found (out lists them), OK otherwise. */
enum err work_import_rows(const struct table *t, const struct work_catalog *c,
                          work_unit_resolver unit, void *unit_ctx, struct work_import *out);
void work_import_free(struct work_import *im);

/* ---- services (work.c) ---- */

/* A report's stored state, for rules about who may do what. */
struct work_row_state {
    long long id, unit_id, parent_unit_id;
    char status[16];
    char plan[72];
};

/* Who acts, for history rows and created_by. */
struct work_actor {
    long long user_id; /* 0 for the CLI */
    const char *name;
};

/* Whether a unit can hold reports: it exists, is active and is not a named group (why says
 * otherwise). *parent gets its parent unit, 0 for none: child units' reports roll up to it. */
bool work_unit_can_report(struct store *db, long long id, long long *parent, char *why,
                          size_t whylen);
/* Files a report (status submitted) for r->unit_id under plan (NULL: WORK_DEFAULT_PLAN) after
 * the same checks as the API: ERR_RULE with pr filled (fields as work_report_check, or "unit",
 * "plan"); a storage error otherwise. For other areas recording an event an obligation counts
 * (one event, one record): source names the area, source_ref its record. Inside the caller's
 * transaction; who may file for the unit is the caller's rule. */
enum err work_file(struct store *db, const struct work_report *r, const char *plan,
                   const char *source, const char *source_ref, const struct work_actor *by,
                   long long now, long long *id, struct work_problems *pr);

/* Corrects a report that is not accepted yet (s: its stored state, from work_store_state) with
 * r after the checks of work_file against the report's plan: ERR_RULE with pr filled ("unit"
 * or "plan" when r or plan would move it, fields as work_report_check otherwise); ERR_CONFLICT
 * when it was accepted meanwhile; a storage error otherwise. r->unit_id 0 keeps the unit; plan
 * NULL keeps the plan. Inside the caller's transaction; who may correct it is the caller's rule. */
enum err work_correct(struct store *db, const struct work_row_state *s, const struct work_report *r,
                      const char *plan, const struct work_actor *by, long long now,
                      struct work_problems *pr);
/* Files n reports, each as work_file (the plan loaded once), all or none: the ids go to ids[i].
 * On ERR_RULE, *bad is the index of the report at fault and pr says why. For the import. */
enum err work_file_all(struct store *db, const struct work_report *rs, size_t n, const char *plan,
                       const char *source, const struct work_actor *by, long long now,
                       long long *ids, size_t *bad, struct work_problems *pr);

/* ---- accepted reports, for the compliance index (work.c) ----
 * The compliance engine (src/comply) counts only accepted reports and keeps them in memory. It
 * reads them here: all at once, one by one, or the metric values of one kind; and it keeps
 * current through the ledger's change log, written by triggers on reports (0004_comply.sql;
 * the log's tables comply_counter and comply_changes belong to the ledger, see
 * docs/architecture.md): a counter (the last change) and, per change, the report and whether
 * it was accepted before the change. */
#define WORK_ACCEPTED_MAX_TASKS 64   /* more tasks on a row (hand-written SQL) are not counted */
#define WORK_ACCEPTED_MAX_METRICS 32 /* likewise metrics */
/* An accepted report; strings valid during the callback; parent_unit_id 0 for none. */
struct work_accepted {
    long long id, unit_id, parent_unit_id;
    const char *plan, *kind, *activity_date, *accepted_date;
    long long tasks[WORK_ACCEPTED_MAX_TASKS];
    size_t ntasks;
    struct work_metric metrics[WORK_ACCEPTED_MAX_METRICS];
    size_t nmetrics;
};
/* Returns false to stop. */
typedef bool (*work_accepted_fn)(void *ctx, const struct work_accepted *r);
/* Every accepted report, in no particular order. The connection's error (OK when all went). */
enum err work_accepted_each(struct store *db, work_accepted_fn fn, void *ctx);
/* Report id, when it is accepted (fn is then called once). */
enum err work_accepted_get(struct store *db, long long id, work_accepted_fn fn, void *ctx);
/* (report id, value of metric, 0 when absent) of every accepted report of kind. */
typedef bool (*work_value_fn)(void *ctx, long long id, long long value);
enum err work_accepted_values(struct store *db, const char *kind, const char *metric,
                              work_value_fn fn, void *ctx);
/* The change log: the last change's number (0 before any), the oldest kept (0 when none), and
 * the changes numbered from + 1 .. to, in order. */
enum err work_accepted_counter(struct store *db, long long *seq);
enum err work_accepted_oldest(struct store *db, long long *seq);
typedef bool (*work_change_fn)(void *ctx, long long report_id, bool was_accepted);
enum err work_accepted_changes(struct store *db, long long from, long long to, work_change_fn fn,
                               void *ctx);

/* ---- storage (store_work.c) ---- */

/* The plan's published version: code, period and task numbers (tasks malloc'd: free it). */
struct work_plan {
    long long plan_id;
    char code[72];
    int start, end;
    long long *tasks;
    size_t ntasks;
};
enum err work_plan_load(struct store *db, const char *code, struct work_plan *p);
void work_plan_free(struct work_plan *p);

/* Inserts a checked report (status submitted) with its tasks, metrics and a history row.
 * source: "api", "import" or the filing area ("volunteer", "facility" …) with source_ref naming
 * its record (NULL for none). */
enum err work_store_insert(struct store *db, const struct work_report *r, const char *plan,
                           long long parent_unit_id, const char *source, const char *source_ref,
                           const struct work_actor *by, long long now, long long *id);
/* Replaces the report's fields with r; status becomes submitted; a history row records what
 * changed ("update", or "resubmit" after a return). ERR_CONFLICT when it is accepted (also for
 * the evidence writes below: the report's row is claimed first, see store_work.c). */
enum err work_store_update(struct store *db, long long id, const struct work_report *r,
                           const struct work_actor *by, long long now);
/* The four-eyes rule: *may is false when user_id filed, corrected or added evidence to the
 * report (then it never reviews it). work_store_review refuses on it; the report's "actions"
 * ask it too. */
enum err work_may_review(struct store *db, long long id, long long user_id, bool *may);
/* Accepts (accepted_date = Asia/Shanghai date of now) or returns with reason; ERR_FORBIDDEN
 * when work_may_review says no. */
enum err work_store_review(struct store *db, long long id, bool accept, const char *reason,
                           const struct work_actor *by, long long now);
/* Storage behind the accepted-report services (work.c): id 0 scans every accepted report. */
enum err work_store_accepted_scan(struct store *db, long long id, work_accepted_fn fn, void *ctx);
enum err work_store_accepted_values(struct store *db, const char *kind, const char *metric,
                                    work_value_fn fn, void *ctx);
enum err work_store_changes_counter(struct store *db, long long *seq);
enum err work_store_changes_oldest(struct store *db, long long *seq);
enum err work_store_changes_scan(struct store *db, long long from, long long to, work_change_fn fn,
                                 void *ctx);
/* ERR_NOT_FOUND when there is no such report. */
enum err work_store_state(struct store *db, long long id, struct work_row_state *out);
/* The report as JSON: with evidence always, with history when asked; NULL on error. */
json_t *work_store_report_json(struct store *db, long long id, bool with_history);

struct gbdoc;
/* The report printed in the GB/T 9704 layout (work_doc.c): particulars, summary, metrics,
 * evidence list, links. ERR_NOT_FOUND when there is no such report; gbdoc_free() it. */
enum err work_report_doc(struct store *db, long long id, long long now, struct gbdoc *out);

/* Evidence. put: *created tells a new name from a replaced one. */
enum err work_store_evidence_put(struct store *db, long long report_id, const char *name,
                                 const char *type, const void *data, size_t len,
                                 const struct work_actor *by, long long now, bool *created,
                                 char hash_out[65]);
enum err work_store_evidence_count(struct store *db, long long report_id, long long *n);
/* The evidence bytes, copied with copy(ctx, len) (e.g. into a request arena). ERR_NOT_FOUND
 * when there is no such name. */
enum err work_store_evidence_get(struct store *db, long long report_id, const char *name,
                                 void *(*alloc)(void *ctx, size_t n), void *ctx, const void **data,
                                 size_t *len, const char **type);
enum err work_store_evidence_delete(struct store *db, long long report_id, const char *name,
                                    const struct work_actor *by, long long now);

/* List filters (0 / NULL = any). */
/* The orders of a list: newest or oldest first (keyset paging by id), by unit or by activity
 * date (the period it counts for closes first; offset paging). */
enum work_sort { WORK_SORT_NEWEST, WORK_SORT_OLDEST, WORK_SORT_UNIT, WORK_SORT_ACTIVITY };
/* "newest" "oldest" "unit" "activity_date"; false for any other text. */
bool work_sort_parse(const char *s, enum work_sort *out);
/* Whether a sort pages by offset rather than by id. */
bool work_sort_offset(enum work_sort s);
/* A period's activity dates [*from, *to] (day numbers): "2025", "2025Q1", "2025H2", "2025-03". */
bool work_period_range(const char *s, int *from, int *to);
/* The longest search term, in bytes. */
#define WORK_SEARCH_MAX 64

struct work_filter {
    long long unit;            /* a unit and its child units */
    long long scope_unit;      /* unit-scoped callers: their unit and its child units */
    long long reviewer_parent; /* review queue of a unit_admin: reports of this unit's children */
    const char *kind;
    long long task;
    const char *from, *to; /* activity dates, inclusive */
    const char *status;
    const char *plan;
    const char *search; /* q: title, summary, place or filer contain it (literally) */
    long long sub_from,
        sub_to;          /* submitted (last filed or corrected) in [from, to), unix s; 0 open */
    enum work_sort sort; /* the order of the page */
};
/* One report of a scan; strings valid during the callback. tasks, metrics and links are JSON
 * text. */
struct work_list_row {
    long long id, unit_id, parent_unit_id, created_at, updated_at, evidence_count;
    const char *plan, *kind, *activity_date, *title, *summary, *place, *tasks, *metrics, *links;
    const char *status, *accepted_date, *created_by_name;
};
/* Returns false to stop the scan. */
typedef bool (*work_row_fn)(void *ctx, const struct work_list_row *row);
/* The filtered reports in f->sort order, after the cursor (an id, or an offset for
 * work_sort_offset sorts; 0 = from the start), at most limit. */
enum err work_store_each(struct store *db, const struct work_filter *f, long long after,
                         long long limit, work_row_fn fn, void *ctx);
/* How many reports match f (the cursor aside). */
enum err work_store_count(struct store *db, const struct work_filter *f, long long *n);

/* Unit labels cached for one request (unit_json underneath); free with work_units_free. */
struct work_unit_label {
    long long id;
    char *key, *code, *name; /* NULL when unknown */
};
struct work_units;
const struct work_unit_label *work_unit_label(struct work_units **cache, struct store *db,
                                              long long id);
void work_units_free(struct work_units *c); /* NULL is a no-op */

/* Writes the filtered reports (newest first) as an .xlsx workbook (sheet 台账); *out is
 * malloc'd. ERR_RULE when more than WORK_EXPORT_MAX_ROWS match. */
/* The import template as .xlsx (work_template.c): the header, one example row of unit (a key
 * or code), and a sheet 填写说明; the bytes in a. */
struct arena;
enum err work_import_template(const char *unit, struct arena *a, void **out, size_t *len);
enum err work_export_xlsx(struct store *db, const struct work_filter *f, json_t *kinds, void **out,
                          size_t *outlen, char *why, size_t whylen);

#endif
