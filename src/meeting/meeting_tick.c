/* meeting_tick.c - reminders of the joint meeting chain: two days before each deadline and on
 * it, an inbox item (with its SMS, notify/notify.h) goes to exactly the units that have not
 * acted — the host for the notice and the minutes, the member units without a receipt or a
 * topic reply, the conveners for the agenda, the units that have not countersigned the current
 * version of the minutes, and the responsible units of follow-up items. Each reminder is added
 * once, by its dedupe key "meeting:<id>:remind:<step>:<unit>:<deadline>:<1|2>", so the server's
 * periodic tick on several app servers and `ecoact tick` may all run it; acting settles the
 * unit's reminders of that step (meeting.c). */
#include "base/date.h"
#include "base/log.h"
#include "meeting/meeting_service.h"
#include "notify/notify.h"
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
    struct inbox_item it = {.to = {.unit_id = unit, .roles = MT_UNIT_ROLES},
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

/* The steps whose deadline is near, for the units that have not acted. */
static enum err remind_meeting(struct store *db, const struct mt_meeting *m, long long now,
                               int *added)
{
    const int *dl = m->deadline, today = m->today;
    const struct mt_unit *u = m->units;
    size_t n = m->nunits;
    char t[200];
    short_title(m->title, t, sizeof t);
    long long host = m->host.id;
    enum err e = OK;
    int s;
    if (m->stage == MT_STAGE_PLANNED) {
        if (host && (s = mt_remind_stage(dl[MT_STEP_NOTICE], today)))
            e = remind(db, m->id, "notice", host, dl[MT_STEP_NOTICE], s,
                       "发出会议通知（会前十五日）", t, now, added);
    } else if (m->stage == MT_STAGE_NOTIFIED) {
        if ((s = mt_remind_stage(dl[MT_STEP_TOPICS], today)))
            for (size_t i = 0; i < n && e == OK; i++)
                if (!u[i].host && (u[i].confirmed == MT_NONE || u[i].topics == MT_NONE))
                    e = remind(db, m->id, "reply", u[i].unit.id, dl[MT_STEP_TOPICS], s,
                               "确认收到会议通知并提交议题", t, now, added);
        if ((s = mt_remind_stage(dl[MT_STEP_AGENDA], today)))
            for (size_t i = 0; i < n && e == OK; i++)
                if (u[i].convener)
                    e = remind(db, m->id, "agenda", u[i].unit.id, dl[MT_STEP_AGENDA], s,
                               "将中心议题告知参会单位（会前五日）", t, now, added);
    } else if (m->stage == MT_STAGE_HELD) {
        if (host && (s = mt_remind_stage(dl[MT_STEP_MINUTES], today)))
            e = remind(db, m->id, "minutes", host, dl[MT_STEP_MINUTES], s,
                       "制作会议纪要（会议完毕七日内）", t, now, added);
    } else if (m->stage == MT_STAGE_MINUTES && !m->change_requested) {
        char step[32];
        snprintf(step, sizeof step, "countersign.v%d", m->version);
        if ((s = mt_remind_stage(dl[MT_STEP_COUNTERSIGN], today)))
            for (size_t i = 0; i < n && e == OK; i++)
                if (u[i].signed_on == MT_NONE)
                    e = remind(db, m->id, step, u[i].unit.id, dl[MT_STEP_COUNTERSIGN], s,
                               "会签会议纪要", t, now, added);
    }
    return e;
}

/* Follow-ups due in two days or today. */
static enum err remind_followups(struct store *db, long long now, int *added)
{
    int today = date_today_shanghai(now);
    struct arena *a = arena_new(4096);
    struct mt_followup *f;
    size_t n;
    enum err e = mt_store_followups_due(db, today, today + MT_REMIND_BEFORE, a, &f, &n);
    for (size_t i = 0; i < n && e == OK; i++) {
        int s = mt_remind_stage(f[i].due, today);
        char step[40], text[200];
        snprintf(step, sizeof step, "followup%lld", f[i].id);
        short_title(f[i].text, text, sizeof text);
        if (s)
            e = remind(db, f[i].meeting_id, step, f[i].unit.id, f[i].due, s, "落实会议议定事项",
                       text, now, added);
    }
    arena_free(a);
    return e;
}

enum err mt_remind(struct store *db, long long now, int *added)
{
    *added = 0;
    long long *ids;
    size_t n;
    enum err e = mt_store_open_meetings(db, &ids, &n);
    for (size_t i = 0; i < n && e == OK; i++) {
        struct mt_meeting *m;
        e = mt_meeting_load(db, ids[i], now, MT_LOAD_CORE, &m);
        if (e == OK)
            e = remind_meeting(db, m, now, added);
        else if (e == ERR_NOT_FOUND)
            e = OK;
        mt_meeting_free(m);
    }
    free(ids);
    if (e != OK) return e;
    return remind_followups(db, now, added);
}

enum err meeting_tick(struct store *db, const struct keys *k, long long now, char *summary,
                      size_t n)
{
    (void)k;
    int added = 0;
    enum err e = mt_remind(db, now, &added);
    if (e == OK && added) snprintf(summary, n, "%d meeting reminder(s) added", added);
    return e;
}
