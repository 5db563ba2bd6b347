/* meeting_load.c - a meeting loaded once into struct mt_meeting (meeting.h) over the store's
 * reads (store_meeting.c): the meeting, the holiday calendar and every step's deadline as of the
 * day, its units (the notice's recipients, or the members of the day before it is sent) and its
 * host, and, as asked, its topics, its record (attendance, minutes, countersigns, documents,
 * history and the ledger's status of its t83 report), its follow-ups and the names of every unit
 * it names, from the org area. The API's JSON (meeting_json.c) and the GB/T 9704 documents
 * (meeting_doc.c) render from the struct; the steps (meeting.c) check and act on it. */
#include "meeting/meeting_service.h"
#include "base/date.h"
#include "org/units.h"
#include "store/files.h"
#include "work/work.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- units, through the org area ---- */

bool mt_unit_get(struct store *db, long long id, struct unit *out)
{
    return unit_get(db, id, out) == OK;
}

bool mt_unit_exists(struct store *db, long long id)
{
    struct unit u;
    return mt_unit_get(db, id, &u);
}

const char *mt_unit_short_of(const struct unit *u)
{
    return u->short_name[0] ? u->short_name : u->name;
}

/* Labels for one load or one list: each unit asked for once. */
struct mt_names {
    struct mt_label *l;
    size_t n, cap;
    struct arena *a;
};

struct mt_names *mt_names_new(struct arena *a)
{
    struct mt_names *c = arena_alloc(a, sizeof *c);
    c->a = a;
    return c;
}

void mt_names_fill(struct mt_names *c, struct store *db, struct mt_label *l)
{
    if (l->id <= 0) return;
    for (size_t i = 0; i < c->n; i++)
        if (c->l[i].id == l->id) {
            *l = c->l[i];
            return;
        }
    struct unit u;
    l->name = l->short_name = "";
    if (mt_unit_get(db, l->id, &u)) {
        l->name = arena_strdup(c->a, u.name);
        l->short_name = arena_strdup(c->a, mt_unit_short_of(&u));
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        struct mt_label *t = arena_alloc(c->a, nc * sizeof *t);
        if (c->n) memcpy(t, c->l, c->n * sizeof *t);
        c->l = t;
        c->cap = nc;
    }
    c->l[c->n++] = *l;
}

long long mt_host_at(struct store *db, int day)
{
    struct arena *a = arena_new(1024);
    struct mt_unit *u;
    size_t n;
    long long host = 0;
    if (mt_store_members_at(db, day, a, &u, &n) == OK)
        for (size_t i = 0; i < n; i++)
            if (u[i].host) host = u[i].unit.id;
    arena_free(a);
    return host;
}

/* ---- the parts ---- */

static enum err load_record(struct store *db, struct mt_meeting *m)
{
    struct arena *a = m->arena;
    enum err e = mt_store_attendance(db, m->id, a, &m->attendance, &m->nattendance);
    if (e == OK) e = mt_store_minutes(db, m->id, a, &m->minutes_versions, &m->nminutes_versions);
    if (e == OK) e = mt_store_signs(db, m->id, a, &m->signs, &m->nsigns);
    if (e == OK) e = mt_store_documents(db, m->id, a, &m->documents, &m->ndocuments);
    if (e == OK) e = mt_store_history(db, m->id, a, &m->history, &m->nhistory);
    struct work_row_state ws;
    if (e == OK && m->report_id && work_store_state(db, m->report_id, &ws) == OK) {
        m->report_status = arena_strdup(a, ws.status);
        m->report_status_label = arena_strdup(a, work_status_label(ws.status));
    }
    return e == OK ? store_err(db) : e;
}

static void label_all(struct store *db, struct mt_meeting *m)
{
    struct mt_names *c = mt_names_new(m->arena);
    mt_names_fill(c, db, &m->host);
    for (size_t i = 0; i < m->nunits; i++)
        mt_names_fill(c, db, &m->units[i].unit);
    for (size_t i = 0; i < m->ntopics; i++)
        mt_names_fill(c, db, &m->topics[i].unit);
    for (size_t i = 0; i < m->nminutes_versions; i++)
        for (size_t k = 0; k < m->minutes_versions[i].ndecisions; k++)
            mt_names_fill(c, db, &m->minutes_versions[i].decisions[k].unit);
    for (size_t i = 0; i < m->nsigns; i++)
        mt_names_fill(c, db, &m->signs[i].unit);
    for (size_t i = 0; i < m->nfollow_ups; i++)
        mt_names_fill(c, db, &m->follow_ups[i].unit);
    for (size_t i = 0; i < m->nto_report; i++)
        mt_names_fill(c, db, &m->to_report[i].unit);
    for (size_t i = 0; i < m->nhistory; i++)
        mt_names_fill(c, db, &m->history[i].unit);
}

static enum err load_parts(struct store *db, struct mt_meeting *m, unsigned parts)
{
    enum err e = OK;
    if (parts & MT_LOAD_TOPICS) e = mt_store_topics(db, m->id, m->arena, &m->topics, &m->ntopics);
    if (e == OK && (parts & MT_LOAD_RECORD)) e = load_record(db, m);
    if (e == OK && (parts & MT_LOAD_FOLLOWUPS))
        e = mt_store_followups(db, m->id, m->arena, &m->follow_ups, &m->nfollow_ups);
    if (e == OK && (parts & MT_LOAD_FOLLOWUPS))
        e = mt_store_followups_to_report(db, m->id, m->meeting, m->arena, &m->to_report,
                                         &m->nto_report);
    if (e == OK && (parts & MT_LOAD_LABELS)) label_all(db, m);
    return e == OK ? store_err(db) : e;
}

/* ---- the meeting ---- */

enum err mt_meeting_load(struct store *db, long long id, long long now, unsigned parts,
                         struct mt_meeting **out)
{
    *out = NULL;
    struct arena *a = arena_new(16384);
    struct mt_meeting *m = arena_alloc(a, sizeof *m);
    m->arena = a;
    mt_calendar_init(&m->cal);
    m->today = date_today_shanghai(now);
    enum err e = mt_store_meeting(db, id, m);
    if (e == OK) e = mt_calendar_load(db, &m->cal);
    if (e == OK)
        e = m->notice == MT_NONE ? mt_store_members_at(db, m->today, a, &m->units, &m->nunits)
                                 : mt_store_units(db, m, &m->units, &m->nunits);
    if (e == OK) {
        struct mt_dates d = {.meeting = m->meeting,
                             .notice = m->notice,
                             .held = m->held,
                             .drafted = m->drafted,
                             .countersign_days = m->countersign_days};
        mt_deadlines(&m->cal, &d, m->deadline);
        for (size_t i = 0; i < m->nunits; i++)
            if (m->units[i].host) m->host.id = m->units[i].unit.id;
        if (!m->host.id) m->host.id = mt_host_at(db, m->today);
        m->host.name = m->host.short_name = "";
        e = load_parts(db, m, parts);
    }
    if (e != OK) {
        mt_meeting_free(m);
        return e;
    }
    *out = m;
    return OK;
}

void mt_meeting_free(struct mt_meeting *m)
{
    if (!m) return;
    mt_calendar_free(&m->cal);
    arena_free(m->arena); /* m lives in it */
}

struct mt_unit *mt_meeting_unit(const struct mt_meeting *m, long long unit_id)
{
    for (size_t i = 0; i < m->nunits; i++)
        if (m->units[i].unit.id == unit_id) return &m->units[i];
    return NULL;
}

struct mt_topic *mt_meeting_topic(const struct mt_meeting *m, long long topic_id)
{
    for (size_t i = 0; i < m->ntopics; i++)
        if (m->topics[i].id == topic_id) return &m->topics[i];
    return NULL;
}

const struct mt_minutes *mt_meeting_current_minutes(const struct mt_meeting *m)
{
    for (size_t i = 0; m->version > 0 && i < m->nminutes_versions; i++)
        if (m->minutes_versions[i].version == m->version) return &m->minutes_versions[i];
    return NULL;
}

/* ---- units named in requests ---- */

long long mt_unit_ref(struct store *db, json_t *v)
{
    if (json_is_integer(v)) {
        long long id = (long long)json_integer_value(v);
        return id > 0 && mt_unit_exists(db, id) ? id : 0;
    }
    if (json_is_string(v)) return unit_find(db, json_string_value(v));
    return 0;
}

const char *mt_names_short(struct mt_names *c, struct store *db, long long unit_id)
{
    struct mt_label l = {unit_id, "", ""};
    mt_names_fill(c, db, &l);
    return l.short_name;
}

/* ---- documents ---- */

/* The document of a kind for the meeting as loaded: HTML and PDF (each when asked), malloc'd. */
static enum err render(const struct mt_meeting *m, enum mt_doc_kind kind, const char *doc_no,
                       int date, struct gbdoc *d, char **html, size_t *hl, void **pdf, size_t *pl)
{
    bool ok = mt_doc_build(kind, m, doc_no, date, d);
    if (ok && html) ok = gbdoc_html(d, html, hl);
    if (ok && pdf) ok = gbdoc_pdf(d, pdf, pl);
    return ok ? OK : ERR_INTERNAL;
}

enum err mt_issue_doc(struct store *db, long long id, enum mt_doc_kind kind, int on, long long now,
                      struct problem *p)
{
    char no[64];
    enum err e = mt_store_document_no(db, id, kind, no);
    if (e != OK) return e;
    if (no[0])
        return problem_set(p, ERR_CONFLICT, "id", "%s已印发（%s），不能重复印发",
                           mt_doc_kind_label(kind), no);
    int y;
    date_to_ymd(on, &y, NULL, NULL);
    long long seq;
    if ((e = mt_doc_seq_next(db, y, &seq)) != OK) return e;
    mt_doc_no(y, seq, no, sizeof no);
    struct gbdoc d = {0};
    char *html = NULL, hh[65], ph[65];
    void *pdf = NULL;
    size_t hl = 0, pl = 0;
    struct mt_meeting *m;
    if ((e = mt_meeting_load(db, id, now, MT_LOAD_ALL, &m)) != OK) return e;
    e = render(m, kind, no, on, &d, &html, &hl, &pdf, &pl);
    mt_meeting_free(m);
    if (e == OK) e = files_put(db, html, hl, "text/html; charset=utf-8", now, hh);
    if (e == OK) e = files_put(db, pdf, pl, "application/pdf", now, ph);
    struct mt_issued doc = {.kind = kind,
                            .doc_no = no,
                            .title = d.title,
                            .issued = on,
                            .html_hash = hh,
                            .pdf_hash = ph,
                            .html_size = (long long)hl,
                            .pdf_size = (long long)pl};
    if (e == OK) e = mt_store_document_add(db, id, &doc, y, seq, now);
    gbdoc_free(&d);
    free(html);
    free(pdf);
    return e;
}

static void *malloc_cb(void *ctx, size_t n)
{
    (void)ctx;
    void *p = malloc(n);
    if (!p) abort();
    return p;
}

enum err mt_document(struct store *db, long long id, enum mt_doc_kind kind, bool pdf, long long now,
                     void **data, size_t *len, bool *stored, char *name, size_t namelen)
{
    *data = NULL;
    *len = 0;
    *stored = false;
    char hash[65], no[64];
    enum err e = mt_store_document_file(db, id, kind, pdf, hash, no);
    if (e != OK) return e;
    if (hash[0]) {
        const void *b;
        const char *type;
        if ((e = files_get(db, hash, malloc_cb, NULL, &b, len, &type)) != OK) return e;
        free((void *)type);
        *data = (void *)b;
        *stored = true;
        snprintf(name, namelen, "%s_%s.%s", mt_doc_kind_label(kind), no, pdf ? "pdf" : "html");
        return OK;
    }
    struct mt_meeting *m;
    if ((e = mt_meeting_load(db, id, now, MT_LOAD_ALL, &m)) != OK) return e;
    if (kind == MT_DOC_MINUTES && m->version == 0) {
        mt_meeting_free(m);
        return ERR_NOT_FOUND;
    }
    struct gbdoc d = {0};
    char *html = NULL;
    e = render(m, kind, NULL, m->today, &d, pdf ? NULL : &html, len, pdf ? data : NULL, len);
    mt_meeting_free(m);
    if (e == OK && !pdf) *data = html;
    gbdoc_free(&d);
    snprintf(name, namelen, "%s_草稿.%s", mt_doc_kind_label(kind), pdf ? "pdf" : "html");
    return e;
}
