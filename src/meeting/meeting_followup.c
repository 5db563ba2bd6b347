/* meeting_followup.c - the services of follow-up items (议定事项, meeting.h): the decisions of
 * issued minutes, listed with filters, read one by one, and updated by their responsible unit
 * (or the office): the status, the progress, the day it was done. Done settles the unit's inbox
 * item and reminders; every change leaves a history row on the meeting. Rows come from
 * store_meeting.c, the units' names from the org area (meeting_load.c). */
#include "meeting/meeting_service.h"
#include "base/date.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

enum err mt_followup_list(struct store *db, const struct mt_followup_filter *f, long long after,
                          long long limit, long long now, struct arena *a, struct mt_followup **out,
                          size_t *n)
{
    enum err e = mt_store_followup_list(db, f, date_today_shanghai(now), after, limit, a, out, n);
    struct mt_names *names = mt_names_new(a);
    for (size_t i = 0; e == OK && i < *n; i++)
        mt_names_fill(names, db, &(*out)[i].unit);
    return e == OK ? store_err(db) : e;
}

enum err mt_followup_get(struct store *db, long long id, struct arena *a, struct mt_followup *out)
{
    enum err e = mt_store_followup(db, id, a, out);
    if (e == OK) mt_names_fill(mt_names_new(a), db, &out->unit);
    return e == OK ? store_err(db) : e;
}

enum err mt_followup_unit(struct store *db, long long id, long long *unit_id)
{
    struct arena *a = arena_new(1024);
    struct mt_followup f;
    enum err e = mt_store_followup(db, id, a, &f);
    *unit_id = e == OK ? f.unit.id : 0;
    arena_free(a);
    return e;
}

/* Done settles the responsible unit's item and its reminders. */
static enum err settle_done(struct store *db, const struct mt_followup *f,
                            const struct mt_actor *by, long long now)
{
    char key[96];
    snprintf(key, sizeof key, "meeting:%lld:followup:%lld", f->meeting_id, f->id);
    enum err e = inbox_done_key(db, key, by->user_id, now);
    snprintf(key, sizeof key, "meeting:%lld:remind:followup%lld:", f->meeting_id, f->id);
    if (e == OK) e = inbox_done_prefix(db, key, by->user_id, now);
    return e;
}

enum err mt_followup_update(struct store *db, long long id, const char *status,
                            const char *progress, const char *on, const struct mt_actor *by,
                            long long now, struct problem *p)
{
    struct arena *a = arena_new(4096);
    struct mt_followup f;
    enum err e = mt_store_followup(db, id, a, &f);
    enum mt_fu_status to = f.status;
    if (e == ERR_NOT_FOUND) e = problem_set(p, ERR_NOT_FOUND, "id", "议定事项不存在");
    if (e != OK) goto out;
    if (status && !mt_fu_status_parse(status, &to)) {
        e = problem_set(p, ERR_RULE, "status",
                        "status 应为 open（未开始）、in_progress（落实中）或 done（已完成）");
        goto out;
    }
    if (progress && mt_utf8_chars(progress) > MT_TEXT_MAX) {
        e = problem_set(p, ERR_RULE, "progress", "落实情况最多 %d 个字", MT_TEXT_MAX);
        goto out;
    }
    bool done = to == MT_FU_DONE;
    if ((e = mt_store_followup_update(db, id, to, progress, done, on, by->name, now)) != OK)
        goto out;
    if (done && (e = settle_done(db, &f, by, now)) != OK) goto out;
    char note[120];
    snprintf(note, sizeof note, "议定事项 %d：%s → %s", f.seq, mt_fu_status_label(f.status),
             mt_fu_status_label(to));
    e = mt_history(db, f.meeting_id, by, now, mt_day(on), "followup", f.unit.id, false, note);
out:
    arena_free(a);
    return e;
}

bool mt_may_update_followup(const struct mt_actor *by, long long unit)
{
    return by->office || unit == by->unit_id;
}
