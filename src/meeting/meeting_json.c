/* meeting_json.c - a meeting as the API answers it (GET /api/v1/meetings/{id} and every step),
 * written with jw from struct mt_meeting (meeting.h): each step with its deadline, status and the
 * units that have not acted, the units with their replies and countersigns, topics, attendance
 * with the check of 第三条, minutes, countersigns, documents, follow-ups and the history; also a
 * meeting's topics and one follow-up item. Pure: no storage, no clock (the day is the one the
 * meeting was loaded on). */
#include "meeting/meeting.h"
#include "base/date.h"
#include "base/jw.h"
#include <stdio.h>
#include <string.h>

/* A day as "YYYY-MM-DD", or null. */
static void kdate(struct jw *w, const char *key, int day)
{
    char d[11];
    if (day != MT_NONE) date_format(day, d);
    jw_kstr(w, key, day != MT_NONE ? d : NULL);
}

static void unit_obj(struct jw *w, const struct mt_label *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "short_name", u->short_name);
    jw_obj_end(w);
}

static void kunit(struct jw *w, const char *key, const struct mt_label *u)
{
    jw_key(w, key);
    if (u->id)
        unit_obj(w, u);
    else
        jw_null(w);
}

/* "" is no reason (as a late step always has one). */
static const char *reason(const char *s)
{
    return s && *s ? s : NULL;
}

/* ---- the header ---- */

static void write_ledger(struct jw *w, const struct mt_meeting *m)
{
    jw_key(w, "ledger");
    jw_obj(w);
    jw_kid(w, "report_id", m->report_id);
    jw_kstr(w, "note", m->report_note);
    if (m->report_status) {
        jw_kstr(w, "status", m->report_status);
        jw_kstr(w, "status_label", m->report_status_label);
    }
    jw_kint(w, "task", 83);
    jw_kbool(w, "filed", m->kind == MT_REGULAR);
    jw_obj_end(w);
}

static void write_header(struct jw *w, const struct mt_meeting *m)
{
    jw_kint(w, "id", m->id);
    jw_kstr(w, "kind", mt_kind_name(m->kind));
    jw_kstr(w, "kind_label", mt_kind_label(m->kind));
    jw_kstr(w, "title", m->title);
    kdate(w, "meeting_date", m->meeting);
    jw_kstr(w, "place", m->place);
    jw_kstr(w, "level", mt_level_name(m->level));
    jw_kstr(w, "level_label", mt_level_label(m->level));
    jw_key(w, "guests");
    jw_arr(w);
    for (size_t i = 0; i < m->nguests; i++)
        jw_str(w, m->guests[i]);
    jw_arr_end(w);
    jw_kstr(w, "notes", m->notes);
    jw_kint(w, "countersign_days", m->countersign_days);
    jw_kstr(w, "stage", mt_stage_name(m->stage));
    jw_kstr(w, "stage_label", mt_stage_label(m->stage));
    jw_kstr(w, "notice_body", m->notice_body);
    kdate(w, "notice_date", m->notice);
    jw_kstr(w, "notice_by_name", m->notice_by_name);
    kdate(w, "agenda_date", m->agenda);
    jw_kstr(w, "agenda_by_name", m->agenda_by_name);
    kdate(w, "held_date", m->held);
    jw_kstr(w, "held_by_name", m->held_by_name);
    kdate(w, "minutes_date", m->minutes);
    kdate(w, "issued_date", m->issued);
    jw_kstr(w, "issued_by_name", m->issued_by_name);
    jw_kstr(w, "created_by_name", m->created_by_name);
    jw_kint(w, "created_at", m->created_at);
    jw_kint(w, "updated_at", m->updated_at);
    write_ledger(w, m);
    int y;
    date_to_ymd(m->meeting, &y, NULL, NULL);
    char warn[160];
    snprintf(warn, sizeof warn, "%d 年的节假日安排尚未录入，期限只按周末计算；请联席会议办公室录入",
             y);
    jw_kstr(w, "calendar_warning", mt_calendar_covers(&m->cal, y) ? NULL : warn);
    kunit(w, "host", &m->host);
}

/* ---- units and steps ---- */

/* What the steps of the replies and of the countersigns sum up from the units. */
struct replies {
    bool all_receipt, all_topics, all_signed;
    int last_receipt, last_topics, last_sign, last_selection;
    long long pending_topics;
};

static int later(int a, int b)
{
    return a == MT_NONE || b > a ? b : a;
}

static struct replies sum_replies(const struct mt_meeting *m)
{
    struct replies r = {.all_receipt = m->notice != MT_NONE,
                        .all_topics = m->notice != MT_NONE,
                        .all_signed = m->version > 0,
                        .last_receipt = MT_NONE,
                        .last_topics = MT_NONE,
                        .last_sign = MT_NONE,
                        .last_selection = MT_NONE};
    for (size_t i = 0; i < m->nunits; i++) {
        const struct mt_unit *u = &m->units[i];
        if (!u->host && m->notice != MT_NONE) {
            if (u->confirmed == MT_NONE)
                r.all_receipt = false;
            else
                r.last_receipt = later(r.last_receipt, u->confirmed);
            if (u->topics == MT_NONE)
                r.all_topics = false;
            else
                r.last_topics = later(r.last_topics, u->topics);
        }
        if (m->version > 0) {
            if (u->signed_on == MT_NONE)
                r.all_signed = false;
            else
                r.last_sign = later(r.last_sign, u->signed_on);
        }
    }
    for (size_t i = 0; i < m->ntopics; i++) {
        if (m->topics[i].selection == MT_SEL_PENDING) r.pending_topics++;
        if (m->topics[i].selection_date != MT_NONE)
            r.last_selection = later(r.last_selection, m->topics[i].selection_date);
    }
    return r;
}

static void write_unit(struct jw *w, const struct mt_meeting *m, const struct mt_unit *u)
{
    const char *role = u->convener ? "convener" : "member";
    jw_obj(w);
    jw_key(w, "unit");
    unit_obj(w, &u->unit);
    jw_kstr(w, "role", role);
    jw_kstr(w, "role_label", mt_member_role_label(role));
    jw_kbool(w, "host", u->host);
    kdate(w, "received_date", u->received);
    kdate(w, "confirmed_date", u->confirmed);
    if (!u->host && m->notice != MT_NONE) {
        enum mt_status rs = mt_status_at(m->deadline[MT_STEP_RECEIPT], u->confirmed, m->today);
        enum mt_status ts = mt_status_at(m->deadline[MT_STEP_TOPICS], u->topics, m->today);
        jw_kstr(w, "receipt_status", mt_status_name(rs));
        jw_kstr(w, "receipt_status_label", mt_status_label(rs));
        jw_kstr(w, "topics_status", mt_status_name(ts));
        jw_kstr(w, "topics_status_label", mt_status_label(ts));
    }
    kdate(w, "topics_date", u->topics);
    jw_kbool(w, "no_topics", u->no_topics);
    jw_kint(w, "topic_count", u->ntopics);
    if (m->version > 0) {
        enum mt_status cs = mt_status_at(m->deadline[MT_STEP_COUNTERSIGN], u->signed_on, m->today);
        jw_key(w, "countersign");
        jw_obj(w);
        jw_kint(w, "version", m->version);
        jw_kstr(w, "action", u->signed_on != MT_NONE ? "sign" : u->change ? "change" : "none");
        kdate(w, "on_date", u->signed_on);
        jw_kstr(w, "status", u->change ? MT_CHANGE_REQUESTED : mt_status_name(cs));
        jw_kstr(w, "status_label", u->change ? mt_change_requested_label() : mt_status_label(cs));
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static void write_units(struct jw *w, const struct mt_meeting *m)
{
    jw_key(w, "units");
    jw_arr(w);
    for (size_t i = 0; i < m->nunits; i++)
        write_unit(w, m, &m->units[i]);
    jw_arr_end(w);
    jw_key(w, "conveners");
    jw_arr(w);
    for (size_t i = 0; i < m->nunits; i++)
        if (m->units[i].convener) unit_obj(w, &m->units[i].unit);
    jw_arr_end(w);
}

/* Whose turn a step is, for pending_units. */
enum pending { NOBODY, HOST, CONVENERS, NOT_CONFIRMED, NO_TOPICS, NOT_SIGNED };

static void write_pending(struct jw *w, const struct mt_meeting *m, enum pending who)
{
    jw_key(w, "pending_units");
    jw_arr(w);
    if (who == HOST && m->host.id) unit_obj(w, &m->host);
    for (size_t i = 0; who > HOST && i < m->nunits; i++) {
        const struct mt_unit *u = &m->units[i];
        bool replies = !u->host && m->notice != MT_NONE;
        if ((who == CONVENERS && u->convener) ||
            (who == NOT_CONFIRMED && replies && u->confirmed == MT_NONE) ||
            (who == NO_TOPICS && replies && u->topics == MT_NONE) ||
            (who == NOT_SIGNED && m->version > 0 && u->signed_on == MT_NONE))
            unit_obj(w, &u->unit);
    }
    jw_arr_end(w);
}

void mt_deadlines_write(struct jw *w, int date, const int dl[MT__STEPS], int today)
{
    jw_obj(w);
    kdate(w, "date", date);
    jw_key(w, "steps");
    jw_arr(w);
    for (int s = 0; s < MT__STEPS; s++) {
        if (dl[s] == MT_NONE) continue;
        enum mt_status st = mt_status_at(dl[s], MT_NONE, today);
        jw_obj(w);
        jw_kstr(w, "step", mt_step_name((enum mt_step)s));
        jw_kstr(w, "label", mt_step_label((enum mt_step)s));
        jw_kstr(w, "rule", mt_step_rule((enum mt_step)s));
        jw_kstr(w, "actor_label", mt_step_actor((enum mt_step)s));
        kdate(w, "deadline", dl[s]);
        jw_kstr(w, "status", mt_status_name(st));
        jw_kstr(w, "status_label", mt_status_label(st));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

/* One step; status NULL: as the deadline and the day done say. The object is left open. */
static void step_begin(struct jw *w, const struct mt_meeting *m, enum mt_step s, int done,
                       const char *late_reason, const char *status, const char *status_label,
                       enum pending who)
{
    int deadline = s == MT_STEP_ISSUE ? MT_NONE : m->deadline[s];
    enum mt_status st = mt_status_at(deadline, done, m->today);
    jw_obj(w);
    jw_kstr(w, "step", mt_step_name(s));
    jw_kstr(w, "label", mt_step_label(s));
    jw_kstr(w, "rule", mt_step_rule(s));
    jw_kstr(w, "actor_label", mt_step_actor(s));
    kdate(w, "deadline", deadline);
    kdate(w, "done_date", done);
    jw_kstr(w, "status", status ? status : mt_status_name(st));
    jw_kstr(w, "status_label", status ? status_label : mt_status_label(st));
    jw_kbool(w, "late", st == MT_LATE);
    jw_kstr(w, "late_reason", reason(late_reason));
    write_pending(w, m, who);
}

static void write_steps(struct jw *w, const struct mt_meeting *m)
{
    struct replies r = sum_replies(m);
    jw_key(w, "steps");
    jw_arr(w);
    step_begin(w, m, MT_STEP_NOTICE, m->notice, m->notice_late_reason, NULL, NULL,
               m->notice == MT_NONE ? HOST : NOBODY);
    jw_obj_end(w);
    step_begin(w, m, MT_STEP_RECEIPT, r.all_receipt ? r.last_receipt : MT_NONE, NULL, NULL, NULL,
               NOT_CONFIRMED);
    jw_obj_end(w);
    step_begin(w, m, MT_STEP_TOPICS, r.all_topics ? r.last_topics : MT_NONE, NULL, NULL, NULL,
               NO_TOPICS);
    jw_obj_end(w);
    int selected = m->agenda == MT_NONE          ? MT_NONE
                   : r.last_selection != MT_NONE ? r.last_selection
                                                 : m->agenda;
    step_begin(w, m, MT_STEP_SELECTION, selected, NULL, NULL, NULL,
               m->agenda == MT_NONE ? HOST : NOBODY);
    jw_kint(w, "pending_topics", r.pending_topics);
    jw_obj_end(w);
    step_begin(w, m, MT_STEP_AGENDA, m->agenda, m->agenda_late_reason, NULL, NULL,
               m->agenda == MT_NONE ? CONVENERS : NOBODY);
    jw_obj_end(w);
    step_begin(w, m, MT_STEP_HELD, m->held, NULL, NULL, NULL, m->held == MT_NONE ? HOST : NOBODY);
    jw_obj_end(w);
    step_begin(w, m, MT_STEP_MINUTES, m->minutes, m->minutes_late_reason, NULL, NULL,
               m->minutes == MT_NONE && m->held != MT_NONE ? HOST : NOBODY);
    jw_obj_end(w);
    step_begin(w, m, MT_STEP_COUNTERSIGN, r.all_signed ? r.last_sign : MT_NONE, NULL,
               m->change_requested ? MT_CHANGE_REQUESTED : NULL, mt_change_requested_label(),
               NOT_SIGNED);
    jw_kint(w, "version", m->version);
    jw_kbool(w, "change_requested", m->change_requested);
    jw_obj_end(w);
    bool issuable = m->issued == MT_NONE && r.all_signed && !m->change_requested;
    step_begin(w, m, MT_STEP_ISSUE, m->issued, NULL, issuable ? mt_status_name(MT_DUE) : NULL,
               mt_status_label(MT_DUE), issuable ? HOST : NOBODY);
    jw_obj_end(w);
    jw_arr_end(w);
}

/* ---- topics ---- */

/* "actions": those of m for topic_id (0: the meeting's own); nothing when m has none. */
static void write_actions(struct jw *w, const struct mt_meeting *m, long long topic_id)
{
    if (!m || !m->with_actions) return;
    jw_key(w, "actions");
    jw_arr(w);
    for (size_t i = 0; i < m->nactions; i++) {
        const struct mt_action *a = &m->actions[i];
        if (a->topic_id != topic_id) continue;
        jw_obj(w);
        jw_kstr(w, "name", a->name);
        jw_kstr(w, "label", a->label);
        if (a->deadline != MT_NONE) kdate(w, "deadline", a->deadline);
        if (a->nunits) {
            jw_key(w, "units");
            jw_arr(w);
            for (size_t k = 0; k < a->nunits; k++)
                jw_int(w, a->units[k]);
            jw_arr_end(w);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void mt_topic_write(struct jw *w, const struct mt_meeting *m, const struct mt_topic *t)
{
    jw_obj(w);
    jw_kint(w, "id", t->id);
    jw_key(w, "unit");
    unit_obj(w, &t->unit);
    jw_kint(w, "category", t->category);
    jw_kstr(w, "category_label", mt_category_label(t->category));
    jw_kstr(w, "title", t->title);
    jw_kstr(w, "background", t->background);
    jw_kstr(w, "decision_requested", t->decision_requested);
    kdate(w, "submitted_date", t->submitted);
    jw_kstr(w, "submitted_by_name", t->submitted_by_name);
    jw_kbool(w, "late", t->late);
    jw_kstr(w, "late_reason", t->late_reason);
    jw_kstr(w, "selection", mt_selection_name(t->selection));
    jw_kstr(w, "selection_label", mt_selection_label(t->selection));
    jw_kid(w, "merged_into", t->merged_into);
    jw_kstr(w, "selection_reason", t->selection_reason);
    kdate(w, "selection_date", t->selection_date);
    jw_kstr(w, "selection_by_name", t->selection_by_name);
    jw_kid(w, "agenda_order", t->agenda_order);
    jw_kstr(w, "decision", t->decision);
    jw_key(w, "attachments");
    jw_arr(w);
    for (size_t i = 0; i < t->nfiles; i++) {
        jw_obj(w);
        jw_kstr(w, "name", t->files[i].name);
        jw_kstr(w, "content_type", t->files[i].content_type);
        jw_kint(w, "size", t->files[i].size);
        jw_kstr(w, "hash", t->files[i].hash);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    write_actions(w, m, t->id);
    jw_obj_end(w);
}

void mt_topics_write(struct jw *w, const struct mt_meeting *m)
{
    jw_arr(w);
    for (size_t i = 0; i < m->ntopics; i++)
        mt_topic_write(w, m, &m->topics[i]);
    jw_arr_end(w);
}

/* ---- attendance, minutes, countersigns ---- */

static void write_attendance(struct jw *w, const struct mt_meeting *m)
{
    jw_key(w, "attendance");
    jw_arr(w);
    for (size_t i = 0; i < m->nattendance; i++) {
        const struct mt_attendee *a = &m->attendance[i];
        jw_obj(w);
        jw_kstr(w, "unit_name", a->unit_name);
        jw_kstr(w, "person", a->person);
        jw_kstr(w, "post", a->post);
        jw_kstr(w, "rank", mt_rank_name(a->rank));
        jw_kstr(w, "rank_label", mt_rank_label(a->rank));
        jw_kbool(w, "guest", a->guest);
        jw_kid(w, "unit_id", a->unit.id);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    /* 第三条: each unit attends, at the rank the meeting's level asks */
    jw_key(w, "attendance_warnings");
    jw_arr(w);
    for (size_t k = 0; m->held != MT_NONE && k < m->nunits; k++) {
        const struct mt_unit *u = &m->units[k];
        int best = -1;
        for (size_t i = 0; i < m->nattendance; i++)
            if (m->attendance[i].unit.id == u->unit.id && (int)m->attendance[i].rank > best)
                best = (int)m->attendance[i].rank;
        enum mt_rank need = mt_required_rank(m->level, u->convener);
        if (best >= (int)need) continue;
        char text[600];
        if (best < 0)
            snprintf(text, sizeof text, "%s未出席", u->unit.short_name);
        else
            snprintf(text, sizeof text, "%s出席人员级别低于第三条要求（应为%s）",
                     u->unit.short_name, mt_rank_label(need));
        jw_str(w, text);
    }
    jw_arr_end(w);
}

static void write_decision(struct jw *w, const struct mt_decision *d)
{
    jw_obj(w);
    jw_kint(w, "seq", d->seq);
    jw_kstr(w, "text", d->text);
    jw_kint(w, "unit_id", d->unit.id);
    kdate(w, "due", d->due);
    jw_kid(w, "topic_id", d->topic_id);
    jw_key(w, "unit");
    unit_obj(w, &d->unit);
    jw_obj_end(w);
}

static void write_minutes(struct jw *w, const struct mt_meeting *m)
{
    const struct mt_minutes *cur = mt_meeting_current_minutes(m);
    jw_key(w, "minutes");
    if (!cur) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    jw_kint(w, "version", m->version);
    jw_kstr(w, "body", cur->body);
    jw_key(w, "decisions");
    jw_arr(w);
    for (size_t i = 0; i < cur->ndecisions; i++)
        write_decision(w, &cur->decisions[i]);
    jw_arr_end(w);
    kdate(w, "drafted_date", cur->drafted);
    jw_kstr(w, "drafted_by_name", cur->drafted_by_name);
    jw_kbool(w, "change_requested", m->change_requested);
    kdate(w, "first_drafted_date", m->minutes);
    jw_key(w, "versions");
    jw_arr(w);
    for (size_t i = 0; i < m->nminutes_versions; i++) {
        const struct mt_minutes *v = &m->minutes_versions[i];
        jw_obj(w);
        jw_kint(w, "version", v->version);
        kdate(w, "drafted_date", v->drafted);
        jw_kstr(w, "drafted_by_name", v->drafted_by_name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static void write_signs(struct jw *w, const struct mt_meeting *m)
{
    jw_key(w, "countersigns");
    jw_arr(w);
    for (size_t i = 0; i < m->nsigns; i++) {
        const struct mt_sign *s = &m->signs[i];
        jw_obj(w);
        jw_kint(w, "version", s->version);
        jw_key(w, "unit");
        unit_obj(w, &s->unit);
        jw_kstr(w, "action", s->change ? "change" : "sign");
        jw_kstr(w, "action_label", mt_history_label(s->change ? "change_request" : "countersign"));
        kdate(w, "on_date", s->on);
        jw_kstr(w, "by_name", s->by_name);
        jw_kstr(w, "comment", s->comment);
        jw_kbool(w, "late", s->late_reason != NULL);
        jw_kstr(w, "late_reason", s->late_reason);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* ---- documents, follow-ups, history ---- */

static void write_file(struct jw *w, const char *key, const char *hash, long long size)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "hash", hash);
    jw_kint(w, "size", size);
    jw_obj_end(w);
}

static void write_documents(struct jw *w, const struct mt_meeting *m)
{
    jw_key(w, "documents");
    jw_arr(w);
    for (size_t i = 0; i < m->ndocuments; i++) {
        const struct mt_issued *d = &m->documents[i];
        const char *kind = mt_doc_kind_name(d->kind);
        char url[96];
        jw_obj(w);
        jw_kstr(w, "kind", kind);
        jw_kstr(w, "label", mt_doc_kind_label(d->kind));
        jw_kstr(w, "doc_no", d->doc_no);
        jw_kstr(w, "title", d->title);
        kdate(w, "issued_date", d->issued);
        write_file(w, "html", d->html_hash, d->html_size);
        write_file(w, "pdf", d->pdf_hash, d->pdf_size);
        snprintf(url, sizeof url, "/api/v1/meetings/%lld/documents/%s.html", m->id, kind);
        jw_kstr(w, "html_url", url);
        snprintf(url, sizeof url, "/api/v1/meetings/%lld/documents/%s.pdf", m->id, kind);
        jw_kstr(w, "pdf_url", url);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* "documents_offered": the documents worth reading now, issued or as a draft (mt_doc_offered). */
static void write_offered(struct jw *w, const struct mt_meeting *m)
{
    jw_key(w, "documents_offered");
    jw_arr(w);
    for (int k = 0; k < MT__DOCS; k++) {
        if (!mt_doc_offered(m, (enum mt_doc_kind)k)) continue;
        bool issued = false;
        for (size_t i = 0; i < m->ndocuments; i++)
            if ((int)m->documents[i].kind == k) issued = true;
        jw_obj(w);
        jw_kstr(w, "kind", mt_doc_kind_name((enum mt_doc_kind)k));
        jw_kstr(w, "label", mt_doc_kind_label((enum mt_doc_kind)k));
        jw_kbool(w, "draft", !issued);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void mt_followup_write(struct jw *w, const struct mt_followup *f, int today)
{
    bool done = f->status == MT_FU_DONE;
    bool overdue = !done && f->due != MT_NONE && today > f->due;
    jw_obj(w);
    jw_kint(w, "id", f->id);
    jw_key(w, "meeting");
    jw_obj(w);
    jw_kint(w, "id", f->meeting_id);
    jw_kstr(w, "title", f->meeting_title);
    kdate(w, "meeting_date", f->meeting_date);
    jw_obj_end(w);
    jw_kint(w, "seq", f->seq);
    jw_kid(w, "topic_id", f->topic_id);
    jw_kstr(w, "text", f->text);
    jw_key(w, "unit");
    unit_obj(w, &f->unit);
    kdate(w, "due_date", f->due);
    jw_kstr(w, "status", mt_fu_status_name(f->status));
    jw_kstr(w, "status_label", mt_fu_status_label(f->status));
    jw_kstr(w, "progress", f->progress);
    kdate(w, "done_date", f->done);
    jw_kbool(w, "overdue", overdue);
    jw_kint(w, "overdue_days", overdue ? today - f->due : 0);
    jw_kstr(w, "updated_by_name", f->updated_by_name);
    jw_kint(w, "updated_at", f->updated_at);
    if (f->with_actions) {
        jw_key(w, "actions");
        jw_arr(w);
        if (f->may_update) {
            jw_obj(w);
            jw_kstr(w, "name", "update");
            jw_kstr(w, "label", "更新进展");
            kdate(w, "deadline", f->due);
            jw_obj_end(w);
        }
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

static void write_followups(struct jw *w, const char *key, const struct mt_followup *f, size_t n,
                            int today)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++)
        mt_followup_write(w, &f[i], today);
    jw_arr_end(w);
}

static void write_history(struct jw *w, const struct mt_meeting *m)
{
    jw_key(w, "history");
    jw_arr(w);
    for (size_t i = 0; i < m->nhistory; i++) {
        const struct mt_event *h = &m->history[i];
        jw_obj(w);
        jw_kint(w, "at", h->at);
        kdate(w, "on_date", h->on);
        jw_kstr(w, "by_name", h->by_name);
        jw_kstr(w, "action", h->action);
        jw_kstr(w, "action_label", mt_history_label(h->action));
        jw_kbool(w, "late", h->late);
        kunit(w, "unit", &h->unit);
        jw_kstr(w, "note", h->note);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void mt_meeting_write(struct jw *w, const struct mt_meeting *m)
{
    jw_obj(w);
    write_header(w, m);
    write_units(w, m);
    write_steps(w, m);
    jw_key(w, "topics");
    mt_topics_write(w, m);
    write_attendance(w, m);
    write_minutes(w, m);
    write_signs(w, m);
    write_documents(w, m);
    write_followups(w, "follow_ups", m->follow_ups, m->nfollow_ups, m->today);
    write_followups(w, "follow_ups_to_report", m->to_report, m->nto_report, m->today);
    write_history(w, m);
    write_offered(w, m);
    write_actions(w, m, 0);
    jw_obj_end(w);
}

/* ---- lists: meetings, members, calendars ---- */

void mt_meeting_row_write(struct jw *w, const struct mt_meeting_row *r)
{
    jw_obj(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "kind", mt_kind_name(r->kind));
    jw_kstr(w, "kind_label", mt_kind_label(r->kind));
    jw_kstr(w, "title", r->title);
    kdate(w, "meeting_date", r->meeting);
    jw_kstr(w, "place", r->place);
    jw_kstr(w, "level", mt_level_name(r->level));
    jw_kstr(w, "stage", mt_stage_name(r->stage));
    jw_kstr(w, "stage_label", mt_stage_label(r->stage));
    kdate(w, "notice_date", r->notice);
    kdate(w, "agenda_date", r->agenda);
    kdate(w, "held_date", r->held);
    kdate(w, "minutes_date", r->minutes);
    kdate(w, "issued_date", r->issued);
    jw_kint(w, "minutes_version", r->version);
    jw_kid(w, "report_id", r->report_id);
    jw_obj_end(w);
}

void mt_member_write(struct jw *w, const struct mt_member *m)
{
    jw_obj(w);
    jw_kint(w, "id", m->id);
    jw_key(w, "unit");
    jw_obj(w);
    jw_kint(w, "id", m->unit_id);
    if (m->unit_known) {
        jw_kstr(w, "key", m->unit_key);
        jw_kstr(w, "name", m->unit_name);
        jw_kstr(w, "short_name", m->unit_short);
    }
    jw_obj_end(w);
    jw_kstr(w, "role", m->role);
    jw_kstr(w, "role_label", mt_member_role_label(m->role));
    jw_kbool(w, "host", m->host);
    kdate(w, "joined_on", m->joined);
    kdate(w, "left_on", m->left);
    jw_kbool(w, "active", m->active);
    jw_kstr(w, "note", m->note);
    jw_kint(w, "updated_at", m->updated_at);
    jw_obj_end(w);
}

static void write_days(struct jw *w, const struct mt_calendar_year *y)
{
    jw_key(w, "holidays");
    jw_arr(w);
    for (size_t i = 0; i < y->nholidays; i++) {
        jw_obj(w);
        jw_kstr(w, "name", y->holidays[i].name);
        kdate(w, "from", y->holidays[i].from);
        kdate(w, "to", y->holidays[i].to);
        jw_kint(w, "days", y->holidays[i].days);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "workdays");
    jw_arr(w);
    for (size_t i = 0; i < y->nworkdays; i++) {
        jw_obj(w);
        kdate(w, "date", y->workdays[i].date);
        jw_kstr(w, "name", y->workdays[i].name);
        jw_kstr(w, "weekday", date_weekday(y->workdays[i].date) == 5 ? "星期六" : "星期日");
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void mt_calendar_year_write(struct jw *w, const struct mt_calendar_year *y, bool days)
{
    jw_obj(w);
    jw_kint(w, "year", y->year);
    jw_kstr(w, "title", y->title);
    jw_kstr(w, "doc_no", y->doc_no);
    jw_kstr(w, "source", y->source);
    if (days) jw_kstr(w, "source_label", mt_calendar_source_label(y->source));
    jw_kint(w, "updated_at", y->updated_at);
    if (days) {
        write_days(w, y);
    } else {
        jw_kint(w, "holiday_days", y->holiday_days);
        jw_kint(w, "workdays", y->workday_count);
    }
    jw_obj_end(w);
}

/* ---- the vocabulary ---- */

static void pair(struct jw *w, const char *name, const char *label)
{
    jw_obj(w);
    jw_kstr(w, "name", name);
    jw_kstr(w, "label", label);
    jw_obj_end(w);
}

void mt_vocabulary_write(struct jw *w)
{
    jw_obj(w);
    jw_key(w, "stages");
    jw_arr(w);
    for (int i = 0; i < MT__STAGES; i++)
        pair(w, mt_stage_name((enum mt_stage)i), mt_stage_label((enum mt_stage)i));
    jw_arr_end(w);
    jw_key(w, "kinds");
    jw_arr(w);
    pair(w, mt_kind_name(MT_REGULAR), mt_kind_label(MT_REGULAR));
    pair(w, mt_kind_name(MT_SPECIAL), mt_kind_label(MT_SPECIAL));
    jw_arr_end(w);
    jw_key(w, "levels");
    jw_arr(w);
    pair(w, mt_level_name(MT_LEVEL_STANDARD), mt_level_label(MT_LEVEL_STANDARD));
    pair(w, mt_level_name(MT_LEVEL_SENIOR), mt_level_label(MT_LEVEL_SENIOR));
    jw_arr_end(w);
    jw_key(w, "ranks"); /* highest first */
    jw_arr(w);
    for (int r = MT_RANK_PRINCIPAL; r >= MT_RANK_STAFF; r--)
        pair(w, mt_rank_name((enum mt_rank)r), mt_rank_label((enum mt_rank)r));
    jw_arr_end(w);
    jw_key(w, "categories");
    jw_arr(w);
    for (int c = 1; mt_category_label(c); c++) {
        jw_obj(w);
        jw_kint(w, "value", c);
        jw_kstr(w, "label", mt_category_label(c));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "follow_up_statuses");
    jw_arr(w);
    for (int i = 0; i < MT__FU_STATUSES; i++)
        pair(w, mt_fu_status_name((enum mt_fu_status)i), mt_fu_status_label((enum mt_fu_status)i));
    jw_arr_end(w);
    jw_obj_end(w);
}
