/* meeting_doc.c - the joint meeting's documents (the notice, the agenda, the minutes) in the
 * layout of GB/T 9704-2012 党政机关公文格式 (base/gbdoc.h renders them: printable HTML and PDF).
 *
 * mt_doc_build() turns a loaded meeting (struct mt_meeting, meeting_load.c) into a struct gbdoc:
 * pure, and independent of the API's JSON, so renaming an API field cannot change a document. */
#include "meeting/meeting.h"
#include "base/date.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

static const char *const doc_names[MT__DOCS] = {"notice", "agenda", "minutes"};
static const char *const doc_labels[MT__DOCS] = {"会议通知", "议题通知", "会议纪要"};

const char *mt_doc_kind_name(enum mt_doc_kind k)
{
    return k < MT__DOCS ? doc_names[k] : "?";
}

const char *mt_doc_kind_label(enum mt_doc_kind k)
{
    return k < MT__DOCS ? doc_labels[k] : "?";
}

bool mt_doc_kind_parse(const char *s, enum mt_doc_kind *out)
{
    for (int i = 0; s && i < MT__DOCS; i++)
        if (strcmp(s, doc_names[i]) == 0) {
            *out = (enum mt_doc_kind)i;
            return true;
        }
    return false;
}

/* ---- building ---- */

static const char *weekday_cn(int day)
{
    static const char *const w[] = {"星期一", "星期二", "星期三", "星期四",
                                    "星期五", "星期六", "星期日"};
    return w[date_weekday(day)];
}

/* "2025年6月20日" of a day. */
static char *date_cn_of(int day)
{
    char out[32];
    mt_date_cn(day, out, sizeof out);
    return gbdoc_dupf("%s", out);
}

static const char * or (const char *s, const char *none)
{
    return s && *s ? s : none;
}

/* A growing "、"-joined list. */
struct list {
    char *s;
    size_t len, cap;
};

static void list_add(struct list *l, const char *item)
{
    size_t need = l->len + strlen(item) + 8;
    if (need > l->cap) {
        l->cap = need * 2;
        char *t = realloc(l->s, l->cap);
        if (!t) abort();
        l->s = t;
    }
    l->len += (size_t)sprintf(l->s + l->len, "%s%s", l->len ? "、" : "", item);
}

static char *list_take(struct list *l)
{
    return l->s ? l->s : gbdoc_dupf("%s", "");
}

/* Names of the meeting's units joined with "、": all, or without the host. */
static char *unit_list(const struct mt_meeting *m, bool without_host)
{
    struct list l = {0};
    for (size_t i = 0; i < m->nunits; i++) {
        const struct mt_unit *u = &m->units[i];
        if (without_host && u->host) continue;
        list_add(&l, u->unit.name);
    }
    return list_take(&l);
}

static char *guest_list(const struct mt_meeting *m)
{
    struct list l = {0};
    for (size_t i = 0; i < m->nguests; i++)
        list_add(&l, m->guests[i]);
    return list_take(&l);
}

static void build_notice(struct gbdoc *d, const struct mt_meeting *m)
{
    const char *title = m->title;
    char *when = date_cn_of(m->meeting);
    d->mark = gbdoc_dupf("%s文件", MT_ORG_NAME);
    d->title = gbdoc_dupf("关于召开%s的通知", title);
    d->to = unit_list(m, true);
    gbdoc_par(d, GBDOC_TEXT,
              "根据《重庆市生态文明宣传教育工作联席会议制度》，经各成员单位协商，定于%s召开%"
              "s。现将有关事项通知如下：",
              when, title);
    gbdoc_par(d, GBDOC_H1, "一、会议时间");
    gbdoc_par(d, GBDOC_TEXT, "%s（%s）。", when,
              m->meeting != MT_NONE ? weekday_cn(m->meeting) : "");
    gbdoc_par(d, GBDOC_H1, "二、会议地点");
    gbdoc_par(d, GBDOC_TEXT, "%s。", or (m->place, "另行通知"));
    gbdoc_par(d, GBDOC_H1, "三、参会人员");
    gbdoc_par(d, GBDOC_TEXT, "%s。", mt_level_label(m->level));
    if (m->nguests) {
        char *g = guest_list(m);
        gbdoc_par(d, GBDOC_TEXT, "根据会议议程，拟邀请%s有关领导出席会议。", g);
        free(g);
    }
    gbdoc_par(d, GBDOC_H1, "四、议题征集");
    int dl = m->deadline[MT_STEP_TOPICS];
    char *dlcn = dl != MT_NONE ? date_cn_of(dl) : gbdoc_dupf("收到通知后五日内");
    gbdoc_par(
        d, GBDOC_TEXT,
        "请各成员单位于%"
        "s前，围绕联席会议主要职责（制度第四条），提交需要联席会议研究解决的议题，写明议题类别、名"
        "称、背景情况和需要联席会议决定的事项；无议题的，也请按时反馈。本通知经系统送达之日即为收到"
        "之日，请及时确认收到。",
        dlcn);
    free(dlcn);
    const char *body = or (m->notice_body, ""), *notes = or (m->notes, "");
    if (*notes || *body) {
        gbdoc_par(d, GBDOC_H1, "五、其他事项");
        if (*notes) gbdoc_text_pars(d, notes);
        if (*body) gbdoc_text_pars(d, body);
    }
    gbdoc_par(d, GBDOC_TEXT, "联系人：联席会议办公室（%s）。", "市生态环境宣传教育中心");
    d->signature = gbdoc_dupf("%s", MT_ORG_NAME);
    d->cc = guest_list(m);
    free(when);
}

/* "、市委宣传部" for each topic merged into the topic tid. */
static void merged_units(const struct mt_meeting *m, long long tid, char *out, size_t outlen)
{
    size_t ml = 0;
    out[0] = '\0';
    for (size_t k = 0; k < m->ntopics; k++) {
        const struct mt_topic *u = &m->topics[k];
        if (u->selection != MT_SEL_MERGED || u->merged_into != tid) continue;
        const char *un = u->unit.short_name;
        if (ml + strlen(un) + 8 < outlen) ml += (size_t)snprintf(out + ml, outlen - ml, "、%s", un);
    }
}

static void build_agenda(struct gbdoc *d, const struct mt_meeting *m)
{
    const char *title = m->title;
    char *when = date_cn_of(m->meeting);
    d->mark = gbdoc_dupf("%s文件", MT_ORG_NAME);
    d->title = gbdoc_dupf("关于%s议题的通知", title);
    d->to = unit_list(m, false);
    gbdoc_par(
        d, GBDOC_TEXT,
        "%s定于%s在%s召开。经承办单位从各成员单位提交的议题中筛选，本次会议研究以下中心议题：",
        title, when, or (m->place, "（地点另行通知）"));
    int no = 0;
    for (size_t i = 0; i < m->ntopics; i++) {
        const struct mt_topic *t = &m->topics[i];
        if (t->selection != MT_SEL_SELECTED) continue;
        char merged[800];
        merged_units(m, t->id, merged, sizeof merged);
        gbdoc_par(d, GBDOC_TEXT, "%d. %s（%s%s提出；%s）", ++no, t->title, t->unit.short_name,
                  merged, or (mt_category_label(t->category), ""));
    }
    if (!no) gbdoc_par(d, GBDOC_TEXT, "（中心议题尚未筛选确定。）");
    if (m->nto_report) {
        size_t done = 0;
        for (size_t i = 0; i < m->nto_report; i++)
            if (m->to_report[i].status == MT_FU_DONE) done++;
        gbdoc_par(d, GBDOC_TEXT,
                  "会议还将通报上次会议议定事项落实情况（共 %zu 项，已完成 %zu "
                  "项），请各责任单位做好汇报准备。",
                  m->nto_report, done);
    }
    gbdoc_par(d, GBDOC_TEXT, "请各参会单位做好相关准备工作，按要求参加会议。");
    size_t len = 0;
    char sig[1024] = "";
    for (size_t i = 0; i < m->nunits; i++) {
        if (!m->units[i].convener) continue;
        const char *name = m->units[i].unit.name;
        if (len + strlen(name) + 8 < sizeof sig)
            len += (size_t)snprintf(sig + len, sizeof sig - len, "%s%s", len ? "　" : "", name);
    }
    d->signature = gbdoc_dupf("%s", len ? sig : MT_ORG_NAME);
    d->cc = guest_list(m);
    free(when);
}

/* The conveners' short names joined with "、". */
static char *convener_list(const struct mt_meeting *m)
{
    size_t len = 0;
    char buf[512] = "";
    for (size_t i = 0; i < m->nunits; i++) {
        if (!m->units[i].convener) continue;
        const char *n = m->units[i].unit.short_name;
        if (len + strlen(n) + 8 < sizeof buf)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? "、" : "", n);
    }
    return gbdoc_dupf("%s", buf);
}

static void minutes_record(struct gbdoc *d, const struct mt_meeting *m,
                           const struct mt_minutes *min)
{
    static const char *const nums[] = {"一", "二", "三", "四"};
    int h = 0, no = 0;
    for (size_t i = 0; i < m->ntopics; i++) {
        const struct mt_topic *t = &m->topics[i];
        if (t->selection != MT_SEL_SELECTED) continue;
        if (!no) gbdoc_par(d, GBDOC_H1, "%s、议题审议情况", nums[h++]);
        gbdoc_par(d, GBDOC_TEXT, "（%d）%s。%s", ++no, t->title, or (t->decision, ""));
    }
    if (min && min->ndecisions) {
        gbdoc_par(d, GBDOC_H1, "%s、议定事项", nums[h++]);
        for (size_t i = 0; i < min->ndecisions; i++) {
            const struct mt_decision *x = &min->decisions[i];
            char *due = date_cn_of(x->due);
            gbdoc_par(d, GBDOC_TEXT, "%zu. %s（责任单位：%s；完成时限：%s）", i + 1, x->text,
                      x->unit.name, due);
            free(due);
        }
    }
    if (m->nattendance) {
        gbdoc_par(d, GBDOC_H1, "%s、出席人员", nums[h++]);
        for (size_t i = 0; i < m->nattendance; i++) {
            const struct mt_attendee *a = &m->attendance[i];
            const char *post = or (a->post, "");
            gbdoc_par(d, GBDOC_PLAIN, "%s：%s%s%s%s%s", a->unit_name, a->person, *post ? "（" : "",
                      post, *post ? "）" : "", a->guest ? "（特邀）" : "");
        }
    }
}

static void build_minutes(struct gbdoc *d, const struct mt_meeting *m)
{
    const char *title = m->title;
    char *when = date_cn_of(m->meeting);
    const struct mt_minutes *min = mt_meeting_current_minutes(m);
    d->mark = gbdoc_dupf("%s纪要", MT_BODY_NAME);
    d->title = gbdoc_dupf("%s纪要", title);
    d->to = unit_list(m, false);
    char *conv = convener_list(m);
    gbdoc_par(d, GBDOC_TEXT,
              "%s，%s在%s召开。会议由%s共同牵头召集，%s承办。现将会议议定事项纪要如下：", when,
              title, or (m->place, "重庆"), or (conv, "牵头单位"), m->host.short_name);
    free(conv);
    gbdoc_text_pars(d, min ? min->body : "");
    minutes_record(d, m, min);
    d->signature = gbdoc_dupf("%s", MT_ORG_NAME);
    d->cc = guest_list(m);
    free(when);
}

bool mt_doc_build(enum mt_doc_kind kind, const struct mt_meeting *m, const char *doc_no, int date,
                  struct gbdoc *out)
{
    memset(out, 0, sizeof *out);
    if (!m || kind >= MT__DOCS) return false;
    out->draft = doc_no == NULL;
    out->doc_no = gbdoc_dupf("%s", doc_no ? doc_no : "");
    char cn[32];
    mt_date_cn(date, cn, sizeof cn);
    out->date = gbdoc_dupf("%s", cn);
    out->print_date = gbdoc_dupf("%s印发", cn);
    out->printer = gbdoc_dupf("%s", MT_PRINTER_NAME);
    if (kind == MT_DOC_NOTICE)
        build_notice(out, m);
    else if (kind == MT_DOC_AGENDA)
        build_agenda(out, m);
    else
        build_minutes(out, m);
    return true;
}
