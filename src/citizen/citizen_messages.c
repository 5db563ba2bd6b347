/* citizen_messages.c - what the citizen area tells people in their in-app messages (issue 12
 * §4), through the notify area's citizen_inbox_* services, inside the caller's transaction: a
 * guardian asked to consent (closed once decided or no longer asked), the child told the
 * decision or a withdrawal, the filer of an organisation told the review. The dedupe keys name
 * the child ("ward:<child>:…") or the organisation ("org:<id>:…"). See citizen_store.h. */
#include "citizen/citizen_store.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

/* "陈*绿（137****7002）": the person as masked for another person; "" on a storage error. */
static void masked(struct store *db, long long id, char *out, size_t cap)
{
    struct citizen_row row;
    bool found = false;
    out[0] = '\0';
    if (citizen_store_get(db, id, &row, &found) != OK || !found) return;
    if (row.name_mask[0])
        snprintf(out, cap, "%s（%s）", row.name_mask, row.phone_mask);
    else
        snprintf(out, cap, "%s", row.phone_mask);
    citizen_row_free(&row);
}

/* Closes the guardian's open requests for the child. */
static enum err close_request(struct store *db, long long child, long long guardian, long long now)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "ward:%lld:request:", child);
    return citizen_inbox_done_prefix(db, guardian, prefix, now);
}

enum err citizen_tell_guardian_request(struct store *db, long long child, long long guardian,
                                       long long now)
{
    enum err e = close_request(db, child, guardian, now); /* an earlier request is replaced */
    if (e != OK) return e;
    char who[128], title[256], key[96];
    masked(db, child, who, sizeof who);
    snprintf(title, sizeof title, "%s请求您作为监护人同意", who[0] ? who : "一个儿童账号");
    snprintf(key, sizeof key, "ward:%lld:request:%lld", child, now);
    struct citizen_msg m = {.citizen_id = guardian,
                            .kind = "guardian_request",
                            .title = title,
                            .body = "不满十四周岁未成年人的个人信息须经监护人同意。请确认您是其"
                                    "监护人后同意或拒绝。",
                            .link = "/m/me/wards",
                            .dedupe_key = key};
    return citizen_inbox_add(db, &m, now, NULL);
}

enum err citizen_tell_guardian_decided(struct store *db, long long child, long long guardian,
                                       bool approve, long long now)
{
    enum err e = close_request(db, child, guardian, now);
    if (e != OK) return e;
    char key[96];
    snprintf(key, sizeof key, "ward:%lld:decided:%lld:%lld", child, guardian, now);
    struct citizen_msg m = {
        .citizen_id = child,
        .kind = approve ? "guardian_approved" : "guardian_refused",
        .title = approve ? "监护人已同意，您的实名认证已完成" : "监护人未同意您的监护人请求",
        .body = approve ? NULL : "您可以请监护人确认后重新发起，或关联另一位监护人。",
        .link = approve ? "/m/me" : "/m/me/realname",
        .dedupe_key = key};
    return citizen_inbox_add(db, &m, now, NULL);
}

enum err citizen_tell_guardian_withdrawn(struct store *db, long long child, long long now)
{
    char key[96];
    snprintf(key, sizeof key, "ward:%lld:withdrawn:%lld", child, now);
    struct citizen_msg m = {.citizen_id = child,
                            .kind = "guardian_withdrawn",
                            .title = "监护人已撤回同意，您的实名认证已撤销",
                            .body = "您的身份证号已删除。如需继续使用实名服务，请重新实名认证并"
                                    "请监护人同意。",
                            .link = "/m/me/realname",
                            .dedupe_key = key};
    return citizen_inbox_add(db, &m, now, NULL);
}

/* For each guardian of the child: closes its open requests (forget false) or deletes every
 * message about the child (forget true). */
static enum err each_guardian(struct store *db, long long child, bool forget, long long now)
{
    json_t *a = citizen_store_guardians_json(db, child, false);
    if (!a) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "ward:%lld:", child);
    size_t i;
    json_t *g;
    enum err e = OK;
    json_array_foreach(a, i, g)
    {
        long long guardian = json_integer_value(json_object_get(g, "id"));
        const char *st = json_string_value(json_object_get(g, "status"));
        if (e == OK && forget)
            e = citizen_inbox_delete_prefix(db, guardian, prefix);
        else if (e == OK && st && strcmp(st, "pending") == 0)
            e = close_request(db, child, guardian, now);
    }
    json_decref(a);
    return e;
}

enum err citizen_close_guardian_requests(struct store *db, long long child, long long now)
{
    return each_guardian(db, child, false, now);
}

enum err citizen_forget_messages(struct store *db, long long id, long long now)
{
    enum err e = each_guardian(db, id, true, now);
    if (e == OK) e = citizen_inbox_delete_all(db, id);
    return e;
}

enum err citizen_tell_org_review(struct store *db, long long org, long long filer, bool accept,
                                 const char *reason, long long now)
{
    if (!filer) return OK; /* the filer deleted the account */
    json_t *o = citizen_store_org_json(db, org, false);
    if (!o) return store_err(db) ? store_err(db) : ERR_NOT_FOUND;
    char title[256], key[64], link[48];
    snprintf(title, sizeof title, "%s：%.150s", accept ? "组织登记已通过" : "组织登记被退回",
             json_string_value(json_object_get(o, "name"))
                 ? json_string_value(json_object_get(o, "name"))
                 : "");
    json_decref(o);
    /* one message per decision: a returned registration is filed again and decided anew */
    snprintf(key, sizeof key, "org:%lld:%s:%lld", org, accept ? "accepted" : "returned", now);
    snprintf(link, sizeof link, "/m/me/orgs/%lld", org);
    struct citizen_msg m = {.citizen_id = filer,
                            .kind = accept ? "org_accepted" : "org_returned",
                            .title = title,
                            .body = accept ? NULL : reason,
                            .link = link,
                            .dedupe_key = key};
    return citizen_inbox_add(db, &m, now, NULL);
}
