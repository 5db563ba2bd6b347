/* api_notice_doc.c - routes of a dispatch notice as an official document and of batch issue
 * (issue 19 §6, §8): the 督办单 printable (document.html) and as PDF (document.pdf) in the
 * GB/T 9704 layout, the office's 文号 prefix (notice-settings), and 批量下发 of drafts
 * (issue-batch: sv_notice_issue per draft, each in its own transaction, http/batch.c). */
#include "base/date.h"
#include "base/jv.h"
#include "base/utf8.h"
#include "http/batch.h"
#include "http/document.h"
#include "http/route.h"
#include "http/server.h"
#include "supervise/notice_doc.h"
#include "supervise/supervise.h"
#include <stdio.h>
#include <string.h>

/* The notice's document, if the caller may see the notice: unit-scoped roles their unit's (and
 * child units') notices once issued, as GET /notices/{id} rules. */
static enum err notice_document(struct req *r, bool pdf)
{
    long long id, unit;
    bool drafted;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    struct gbdoc d;
    enum err e = sv_notice_doc(r->db, id, &d, &unit, &drafted);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "督办单不存在");
    if (e != OK) return req_fail_err(r, e);
    if (req_unit_scoped(r) && (drafted || !req_may_act_for_unit(r, unit))) {
        gbdoc_free(&d);
        return drafted ? req_fail(r, ERR_NOT_FOUND, "id", "督办单不存在")
                       : req_deny(r, "id", "督办单不存在");
    }
    char name[160];
    snprintf(name, sizeof name, "督办单_%s.pdf", d.draft ? "草稿" : d.doc_no);
    e = req_reply_gbdoc(r, &d, pdf, name);
    gbdoc_free(&d);
    return e;
}

static enum err notice_pdf(struct req *r)
{
    return notice_document(r, true);
}

static enum err notice_html(struct req *r)
{
    return notice_document(r, false);
}

/* ---- the 文号 prefix ---- */

static enum err reply_settings(struct req *r)
{
    char prefix[4 * SV_DOC_PREFIX_MAX + 1], example[96], next[96];
    enum err e = sv_doc_prefix(r->db, prefix, sizeof prefix);
    if (e == OK) e = sv_notice_number_peek(r->db, date_today_shanghai(r->now), next, sizeof next);
    if (e != OK) return req_fail_err(r, e);
    snprintf(example, sizeof example, "%s〔2025〕12号", prefix);
    return reply_json(r, 200,
                      json_pack("{s:s,s:s,s:s,s:i,s:b}", "doc_prefix", prefix, "doc_no_example",
                                example, "doc_no_next", next, "doc_prefix_max", SV_DOC_PREFIX_MAX,
                                "signoff_required", sv_signoff_required(r->db)));
}

static enum err get_settings(struct req *r)
{
    return reply_settings(r);
}

static enum err put_settings(struct req *r)
{
    static const char *const allowed[] = {"doc_prefix", "signoff_required", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *prefix = jv_str(&v, "doc_prefix", false, 4 * SV_DOC_PREFIX_MAX);
    json_t *so = json_object_get(r->json, "signoff_required");
    bool signoff = jv_bool(&v, "signoff_required", false, false);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (!prefix && !so)
        return req_fail(r, ERR_BAD_REQUEST, "doc_prefix",
                        "请填写文号前缀（doc_prefix）或是否须经领导签批（signoff_required）");
    struct problem p = {0};
    if (prefix && sv_doc_prefix_set(r->db, prefix, r->who->user_id, r->now, &p) != OK)
        return req_fail_problem(r, &p);
    if (so) {
        enum err e = sv_signoff_required_set(r->db, signoff, r->who->user_id, r->now);
        if (e != OK) return req_fail_err(r, e);
    }
    r->audit_object = prefix ? "setting:" SV_DOC_PREFIX_SETTING : "setting:" SV_SIGNOFF_SETTING;
    r->audit_detail = prefix && so
                          ? arena_printf(r->a, "doc_prefix=%s signoff_required=%d", prefix, signoff)
                      : prefix ? arena_printf(r->a, "doc_prefix=%s", prefix)
                               : arena_printf(r->a, "signoff_required=%d", signoff);
    return reply_settings(r);
}

/* ---- 批量下发 ---- */

static enum err issue_item(struct req *r, long long id, void *ctx)
{
    const char *note = ctx;
    struct sv_state s;
    enum err e = sv_notice_state(r->db, id, &s);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "督办单不存在");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "notice:%lld", id);
    if (!req_may_act_for_unit(r, s.unit_id)) return req_deny(r, "id", "督办单不存在");
    struct sv_actor by = {r->who->user_id, r->who->display_name};
    struct problem p = {0};
    if ((e = sv_notice_issue(r->db, id, note, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return OK;
}

static enum err issue_batch(struct req *r)
{
    static const char *const allowed[] = {"ids", "note", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *note = jv_str(&v, "note", false, 4 * SV_NOTE_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (note && utf8_chars(note) > SV_NOTE_MAX)
        return req_fail(r, ERR_RULE, "note", "最多 %d 字", SV_NOTE_MAX);
    long long *ids;
    size_t n;
    enum err e = req_batch_ids(r, json_object_get(r->json, "ids"), &ids, &n);
    if (e != OK) return e;
    return req_batch_run(r, ids, n, "notice.issue", issue_item, (void *)note);
}

const struct route notice_doc_routes[] = {
    {M_GET, "/api/v1/notices/{id}/document.pdf", PERM_NOTICE_READ, BODY_NONE, NULL, notice_pdf,
     ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/notices/{id}/document.html", PERM_NOTICE_READ, BODY_NONE, NULL, notice_html,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/issue-batch", PERM_NOTICE_MANAGE, BODY_JSON, "notice.issue",
     issue_batch, ROUTE_NO_TX},
    {M_GET, "/api/v1/notice-settings", PERM_NOTICE_READ, BODY_NONE, NULL, get_settings, 0},
    {M_PUT, "/api/v1/notice-settings", PERM_NOTICE_MANAGE, BODY_JSON, "notice.settings",
     put_settings, 0},
    {0},
};
