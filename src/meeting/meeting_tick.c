/* meeting_tick.c - reminders of the joint meeting chain: two days before each deadline and on
 * it, an inbox item (with its SMS, supervise/inbox.h) goes to exactly the units that have not
 * acted — the host for the notice and the minutes, the member units without a receipt or a
 * topic reply, the conveners for the agenda, the units that have not countersigned the current
 * version of the minutes, and the responsible units of follow-up items. Each reminder is added
 * once, by its dedupe key "meeting:<id>:remind:<step>:<unit>:<deadline>:<1|2>", so the server's
 * periodic tick on several app servers and `ecoact tick` may all run it; acting settles the
 * unit's reminders of that step (meeting.c). */
#include "base/date.h"
#include "base/log.h"
#include "meeting/meeting_store.h"
#include "supervise/inbox.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum err remind(struct store *db, long long id, const char *step, long long unit,
                       int deadline, int stage, const char *what, const char *title, long long now,
                       int *added)
{
    char key[128], link[48], d[11], text[600];
    mt_fmt(deadline, d);
    snprintf(key, sizeof key, "meeting:%lld:remind:%s:%lld:%s:%d", id, step, unit, d, stage);
    snprintf(link, sizeof link, "/meetings/%lld", id);
    snprintf(text, sizeof text, "%s：%s（%s，期限 %s）", stage == 2 ? "今天到期" : "即将到期", what,
             title, d);
    struct inbox_item it = {
        .to = {.unit_id = unit, .roles = (1u << ROLE_UNIT_ADMIN) | (1u << ROLE_UNIT_REPORTER)},
        .kind = "meeting_due",
        .title = text,
        .link = link,
        .due = d,
        .dedupe_key = key};
    bool a = false;
    enum err e = inbox_add(db, &it, now, &a);
    *added += a;
    return e;
}

static void short_title(const char *s, char *out, size_t outlen)
{
    size_t n = 0, i = 0, used = 0;
    while (s[i] && n < 40 && used + 5 < outlen) {
        size_t len = 1;
        while (s[i + len] && ((unsigned char)s[i + len] & 0xC0) == 0x80)
            len++;
        memcpy(out + used, s + i, len);
        used += len, i += len, n++;
    }
    out[used] = '\0';
}

static enum err remind_meeting(struct store *db, long long id, const struct mt_calendar *cal,
                               int today, long long now, int *added)
{
    struct mt_state st;
    enum err e = mt_state_load(db, id, &st);
    if (e != OK) return e == ERR_NOT_FOUND ? OK : e;
    struct mt_unit *u;
    size_t n;
    if ((e = mt_units_load(db, &st, today, &u, &n)) != OK) return e;
    int dl[MT__STEPS];
    struct mt_dates d = {.meeting = st.meeting,
                         .notice = st.notice,
                         .held = st.held,
                         .drafted = st.drafted,
                         .countersign_days = st.countersign_days};
    mt_deadlines(cal, &d, dl);
    char t[200];
    short_title(st.title, t, sizeof t);
    long long host = 0;
    for (size_t i = 0; i < n; i++)
        if (u[i].host) host = u[i].unit_id;
    int s;
    if (st.stage == MT_STAGE_PLANNED) {
        if (!host) host = mt_host_at(db, today);
        if (host && (s = mt_remind_stage(dl[MT_STEP_NOTICE], today)))
            e = remind(db, id, "notice", host, dl[MT_STEP_NOTICE], s, "发出会议通知（会前十五日）",
                       t, now, added);
    } else if (st.stage == MT_STAGE_NOTIFIED) {
        if ((s = mt_remind_stage(dl[MT_STEP_TOPICS], today)))
            for (size_t i = 0; i < n && e == OK; i++)
                if (!u[i].host && (u[i].confirmed == MT_NONE || u[i].topics == MT_NONE))
                    e = remind(db, id, "reply", u[i].unit_id, dl[MT_STEP_TOPICS], s,
                               "确认收到会议通知并提交议题", t, now, added);
        if ((s = mt_remind_stage(dl[MT_STEP_AGENDA], today)))
            for (size_t i = 0; i < n && e == OK; i++)
                if (u[i].convener)
                    e = remind(db, id, "agenda", u[i].unit_id, dl[MT_STEP_AGENDA], s,
                               "将中心议题告知参会单位（会前五日）", t, now, added);
    } else if (st.stage == MT_STAGE_HELD) {
        if (host && (s = mt_remind_stage(dl[MT_STEP_MINUTES], today)))
            e = remind(db, id, "minutes", host, dl[MT_STEP_MINUTES], s,
                       "制作会议纪要（会议完毕七日内）", t, now, added);
    } else if (st.stage == MT_STAGE_MINUTES && !st.change_requested) {
        char step[32];
        snprintf(step, sizeof step, "countersign.v%d", st.version);
        if ((s = mt_remind_stage(dl[MT_STEP_COUNTERSIGN], today)))
            for (size_t i = 0; i < n && e == OK; i++)
                if (u[i].signed_on == MT_NONE)
                    e = remind(db, id, step, u[i].unit_id, dl[MT_STEP_COUNTERSIGN], s,
                               "会签会议纪要", t, now, added);
    }
    free(u);
    return e;
}

enum err mt_remind(struct store *db, long long now, int *added)
{
    *added = 0;
    int today = date_today_shanghai(now);
    struct mt_calendar cal;
    enum err e = mt_calendar_load(db, &cal);
    long long *ids = NULL;
    size_t n = 0, cap = 0;
    struct store_stmt *q =
        store_q(db, "SELECT id FROM meetings WHERE stage <> 'issued' ORDER BY id", "");
    while (store_row(q)) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            long long *t = realloc(ids, cap * sizeof *t);
            if (!t) abort();
            ids = t;
        }
        ids[n++] = store_int(q, 0);
    }
    store_done(q);
    if (e == OK) e = store_err(db);
    for (size_t i = 0; i < n && e == OK; i++)
        e = remind_meeting(db, ids[i], &cal, today, now, added);
    free(ids);
    mt_calendar_free(&cal);
    if (e != OK) return e;

    /* follow-ups due in two days or today */
    char t0[11], t2[11];
    date_format(today, t0);
    date_format(today + MT_REMIND_BEFORE, t2);
    q = store_q(db,
                "SELECT f.id, f.meeting_id, f.unit_id, f.due_date, f.text FROM meeting_followups f"
                " WHERE f.status <> 'done' AND f.due_date >= ? AND f.due_date <= ? ORDER BY f.id",
                "tt", t0, t2);
    struct fu {
        long long id, meeting, unit;
        int due;
        char text[200];
    } *fus = NULL;
    size_t nf = 0, fcap = 0;
    while (store_row(q)) {
        if (nf == fcap) {
            fcap = fcap ? fcap * 2 : 16;
            struct fu *t = realloc(fus, fcap * sizeof *t);
            if (!t) abort();
            fus = t;
        }
        fus[nf].id = store_int(q, 0);
        fus[nf].meeting = store_int(q, 1);
        fus[nf].unit = store_int(q, 2);
        fus[nf].due = mt_day(store_text(q, 3));
        short_title(store_text(q, 4), fus[nf].text, sizeof fus[nf].text);
        nf++;
    }
    store_done(q);
    e = store_err(db);
    for (size_t i = 0; i < nf && e == OK; i++) {
        int s = mt_remind_stage(fus[i].due, today);
        char step[40];
        snprintf(step, sizeof step, "followup%lld", fus[i].id);
        if (s)
            e = remind(db, fus[i].meeting, step, fus[i].unit, fus[i].due, s, "落实会议议定事项",
                       fus[i].text, now, added);
    }
    free(fus);
    return e;
}

enum err meeting_tick(struct store *db, const struct keys *k, long long now, char *summary, size_t n)
{
    (void)k;
    int added = 0;
    enum err e = mt_remind(db, now, &added);
    if (e == OK && added) snprintf(summary, n, "%d meeting reminder(s) added", added);
    return e;
}
