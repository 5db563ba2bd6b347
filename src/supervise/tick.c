/* tick.c - the periodic work of supervision, run by the server's tick (server.c, loop thread 0,
 * every minute) and by `ecoact tick` (cron): overdue notices escalate (each level change is
 * recorded once, by its dedupe key, and the UPDATE is conditional on the level it read), and
 * notices due within SV_DUE_SOON_DAYS days put a reminder in their unit's inbox (once, by key).
 * So several app servers may run it at the same time. */
#include "base/date.h"
#include "base/log.h"
#include "org/perm.h"
#include "notify/notify.h"
#include "supervise/supervise.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err sv_tick(struct store *db, long long now, struct sv_tick_result *out)
{
    memset(out, 0, sizeof *out);
    int today = date_today_shanghai(now);
    char t0[11], t3[11];
    date_format(today, t0);
    date_format(today + SV_DUE_SOON_DAYS, t3);

    /* Escalation: pending notices past their deadline. */
    long long *ids;
    size_t n;
    enum err e = sv_overdue_ids(db, t0, &ids, &n);
    for (size_t i = 0; i < n && e == OK; i++) {
        bool changed;
        e = sv_notice_catch_up(db, ids[i], now, &changed);
        out->escalated += changed;
    }
    free(ids);
    if (e != OK) return e;

    /* Reminders: pending notices due today … in SV_DUE_SOON_DAYS days. */
    e = sv_due_ids(db, t0, t3, &ids, &n);
    for (size_t i = 0; i < n && e == OK; i++) {
        struct sv_state s;
        if ((e = sv_notice_state(db, ids[i], &s)) != OK) break;
        int dl;
        if (!date_parse(s.deadline, &dl) || !sv_due_soon(dl, today)) continue;
        char title[600], cut[4 * 80 + 1], key[64], link[40], due[DATE_CN_LEN];
        sv_utf8_cut(s.title, 80, cut, sizeof cut);
        date_format_cn(dl, due);
        snprintf(title, sizeof title, "督办单将于%s到期：%s%s", due, s.doc_no, cut);
        snprintf(key, sizeof key, "notice:%lld:due", s.id);
        snprintf(link, sizeof link, "/notices/%lld", s.id);
        struct inbox_item it = {
            .to = {.unit_id = s.unit_id,
                   .roles = (1u << ROLE_UNIT_ADMIN) | (1u << ROLE_UNIT_REPORTER)},
            .kind = "notice_due",
            .title = title,
            .link = link,
            .due = s.deadline,
            .dedupe_key = key};
        bool added;
        e = inbox_add(db, &it, now, &added);
        out->reminded += added;
    }
    free(ids);
    return e;
}

enum err supervise_tick(struct store *db, const struct keys *k, long long now, char *summary,
                        size_t n)
{
    (void)k;
    struct sv_tick_result r;
    enum err e = sv_tick(db, now, &r);
    if (e == OK && (r.escalated || r.reminded))
        snprintf(summary, n, "%d notice(s) escalated, %d reminder(s) added", r.escalated,
                 r.reminded);
    return e;
}
