/* volunteer_activity.c - projects and activities: filing a draft with its shifts, the lifecycle
 * (draft → review by the team's level above → open → closed → held), withdrawing an activity
 * nobody joined (取消发布, silent) and cancelling one with sign-ups (取消活动: each signed-up
 * volunteer gets a message). The level above is the parent team's admins, or for a top-level
 * team the officials holding PERM_VOL_REVIEW for its unit; the filer never reviews. */
#include "volunteer/volunteer_store.h"
#include "base/date.h"
#include "citizen/citizen.h"
#include "notify/notify.h"
#include "org/units.h"
#include <stdio.h>
#include <string.h>

enum err vol_project_create(struct store *db, long long team, long long by, const char *theme,
                            const char *service_type, const char *title, long long now,
                            long long *id, struct problem *p)
{
    *id = 0;
    struct vol_team_row t;
    bool found;
    enum err e = vol_store_team_get(db, team, &t, &found);
    if (e != OK) return e;
    if (!found || !vol_store_is_admin(db, team, by))
        return problem_set(p, ERR_NOT_FOUND, "id", "队伍不存在或您不是其管理员");
    if (strcmp(t.status, "active") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "队伍通过审核启用后才能发布项目");
    if (!vol_theme_valid(theme))
        return problem_set(p, ERR_RULE, "theme",
                           "主题应为生态文明传播、守护绿水青山、城市提升、美丽乡村或垃圾分类之一");
    if (!vol_service_type_valid(service_type))
        return problem_set(p, ERR_RULE, "service_type",
                           "服务类型应为理论宣讲、政策宣传、科学普及、法律服务或实践体验之一");
    return vol_store_project_insert(db, team, by, theme, service_type, title, now, id);
}

static enum err check_activity(struct store *db, const struct vol_activity_new *a,
                               struct problem *p)
{
    int day;
    if (!date_parse(a->day, &day))
        return problem_set(p, ERR_RULE, "day", "活动日期应为 YYYY-MM-DD");
    struct unit u;
    enum err e = unit_get(db, a->unit_id, &u);
    if (e == ERR_NOT_FOUND) return problem_set(p, ERR_RULE, "unit_id", "活动地点所在区县不存在");
    if (e != OK) return e;
    if (a->nshifts < 1) return problem_set(p, ERR_RULE, "shifts", "至少设一个班次");
    if (a->signup_opens >= a->signup_closes)
        return problem_set(p, ERR_RULE, "signup_closes", "报名截止时间应晚于报名开始时间");
    long long first = 0;
    for (int i = 0; i < a->nshifts; i++) {
        const struct vol_shift_new *s = &a->shifts[i];
        if (s->ends_at <= s->starts_at)
            return problem_set(p, ERR_RULE, "shifts", "第%d个班次的结束时间应晚于开始时间", i + 1);
        if (s->places < 1 || s->places > VOL_PLACES_MAX)
            return problem_set(p, ERR_RULE, "shifts", "第%d个班次的名额应为1到%d", i + 1,
                               VOL_PLACES_MAX);
        if (!first || s->starts_at < first) first = s->starts_at;
    }
    if (a->signup_closes > first)
        return problem_set(p, ERR_RULE, "signup_closes", "报名应在第一个班次开始前截止");
    if (a->cancel_by > first)
        return problem_set(p, ERR_RULE, "cancel_by", "取消报名截止时间应不晚于第一个班次开始");
    return OK;
}

enum err vol_activity_create(struct store *db, long long project, long long by,
                             const struct vol_activity_new *a, long long now, long long *id,
                             struct problem *p)
{
    *id = 0;
    long long team;
    enum err e = vol_store_project_team(db, project, &team);
    if (e != OK) return e;
    if (!team || !vol_store_is_admin(db, team, by))
        return problem_set(p, ERR_NOT_FOUND, "id", "项目不存在或您不是其队伍的管理员");
    if ((e = check_activity(db, a, p)) != OK) return e;
    return vol_store_activity_insert(db, project, team, by, a, now, id);
}

long long vol_activity_unit(struct store *db, long long activity)
{
    struct vol_activity_row a;
    bool found;
    if (vol_store_activity_get(db, activity, &a, &found) != OK || !found) return 0;
    return vol_team_unit(db, a.team_id);
}

/* Whether who is the level above the activity's team and not its filer. */
static bool reviews(struct store *db, const struct vol_activity_row *a, const struct vol_actor *who)
{
    struct vol_team_row t;
    bool found;
    if (vol_store_team_get(db, a->team_id, &t, &found) != OK || !found) return false;
    if (who->official)
        return t.parent_id == 0 &&
               !citizen_is_official(db, who->keys, a->filed_by, who->official) &&
               !citizen_is_official(db, who->keys, t.filed_by, who->official);
    return who->citizen != a->filed_by && !vol_store_is_admin(db, t.id, who->citizen) &&
           t.parent_id && vol_store_is_admin(db, t.parent_id, who->citizen);
}

static bool is_review_step(const char *step)
{
    return strcmp(step, "approve") == 0 || strcmp(step, "return") == 0;
}

struct tell {
    struct store *db;
    const char *title;
    long long activity, now;
};

static enum err tell_cancelled(void *arg, long long citizen)
{
    struct tell *t = arg;
    char title[300], key[64], link[48];
    snprintf(title, sizeof title, "活动已取消：%s", t->title);
    snprintf(key, sizeof key, "vol:activity:%lld:cancelled", t->activity);
    snprintf(link, sizeof link, "/m/vol/activities/%lld", t->activity);
    struct citizen_msg m = {.citizen_id = citizen,
                            .kind = "vol_cancelled",
                            .title = title,
                            .link = link,
                            .dedupe_key = key};
    return citizen_inbox_add(t->db, &m, t->now, NULL);
}

enum err vol_activity_act(struct store *db, long long activity, const char *step,
                          const char *reason, const struct vol_actor *who, long long now,
                          struct problem *p)
{
    struct vol_activity_row a;
    bool found;
    enum err e = vol_store_activity_get(db, activity, &a, &found);
    if (e != OK) return e;
    if (!found) return problem_set(p, ERR_NOT_FOUND, "id", "活动不存在");
    if (is_review_step(step)) {
        if (!reviews(db, &a, who))
            return problem_set(p, ERR_FORBIDDEN, "id",
                               "活动由其队伍的上级审核（上级队伍管理员，市级总队由联席会议办公室"
                               "或所属区县审核）；申报人不能审核");
        if (strcmp(step, "return") == 0 && (!reason || !*reason))
            return problem_set(p, ERR_RULE, "reason", "退回时请写明理由");
    } else if (who->official || !vol_store_is_admin(db, a.team_id, who->citizen)) {
        return problem_set(p, ERR_NOT_FOUND, "id", "活动不存在或您不是其队伍的管理员");
    }
    const char *to = vol_activity_step(a.status, step);
    if (!to)
        return problem_set(p, ERR_CONFLICT, "step", "活动当前为“%s”，不能执行该操作",
                           vol_activity_status_label(a.status));
    long long people = 0;
    if (strcmp(step, "cancel") == 0) {
        if ((e = vol_store_activity_people(db, activity, NULL, NULL, &people)) != OK) return e;
        if (!people) to = "withdrawn"; /* nobody joined: 取消发布, silent */
    }
    char actor[40];
    if (who->citizen)
        snprintf(actor, sizeof actor, "citizen:%lld", who->citizen);
    else
        snprintf(actor, sizeof actor, "user:%lld", who->official);
    bool done;
    e = vol_store_activity_status(db, activity, a.status, to, is_review_step(step) ? actor : NULL,
                                  reason, now, &done);
    if (e != OK) return e;
    if (!done) return problem_set(p, ERR_CONFLICT, "step", "活动状态已变化，请刷新后重试");
    if (people) {
        struct tell t = {db, a.title, activity, now};
        if ((e = vol_store_activity_people(db, activity, tell_cancelled, &t, &people)) != OK)
            return e;
        e = vol_store_activity_clear(db, activity, now);
    }
    return e;
}

json_t *vol_activity_json(struct store *db, long long activity, const struct vol_actor *who,
                          long long now)
{
    json_t *o = vol_store_activity_json(db, activity, who->citizen);
    if (!o) return NULL;
    struct vol_activity_row a;
    bool found;
    json_t *acts = json_array();
    if (vol_store_activity_get(db, activity, &a, &found) == OK && found) {
        bool admin = who->citizen && vol_store_is_admin(db, a.team_id, who->citizen);
        static const char *const admin_steps[] = {"submit", "close", "held", "cancel"};
        for (size_t i = 0; admin && i < sizeof admin_steps / sizeof *admin_steps; i++)
            if (vol_activity_step(a.status, admin_steps[i]))
                json_array_append_new(acts, json_string(admin_steps[i]));
        if (strcmp(a.status, "review") == 0 && reviews(db, &a, who)) {
            json_array_append_new(acts, json_string("approve"));
            json_array_append_new(acts, json_string("return"));
        }
        bool window = now >= a.signup_opens && now <= a.signup_closes;
        if (who->citizen && strcmp(a.status, "open") == 0 && window)
            json_array_append_new(acts, json_string("signup"));
        if (admin && strcmp(a.status, "open") == 0 && window)
            json_array_append_new(acts, json_string("group_signup"));
    }
    json_object_set_new(o, "actions", acts);
    return o;
}

json_t *vol_activity_list(struct store *db, const struct vol_find *f, long long after,
                          long long limit, long long *last)
{
    return vol_store_activity_list(db, f, after, limit, last);
}
