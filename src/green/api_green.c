/* api_green.c - routes of green points: the behaviour catalogue and methodology versions (office:
 * green_admin; the drafter never publishes), channels and their credentials (shown once), a
 * correction by reversing entry, the partner's ingest (a channel credential, ROUTE_CHANNEL: a
 * batch of up to GREEN_BATCH_MAX events, a result for each), and a citizen's own account and
 * entries (PERM_CITIZEN: only the caller's). Parse, call green.h, render. */
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "base/jv.h"
#include "green/green.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *date_json(const char *ymd)
{
    int d;
    if (!ymd || !date_parse(ymd, &d)) return json_null();
    char cn[DATE_CN_LEN];
    date_format_cn(d, cn);
    return json_string(cn);
}

static json_t *factor_json(const struct green_factor *f)
{
    return json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:s?}", "version_id",
                     f->version_id, "behaviour", f->behaviour, "mg_per_unit", f->mg_per_unit,
                     "points_per_unit", f->points_per_unit, "pct_partner", f->pct[0], "pct_proof",
                     f->pct[1], "pct_self", f->pct[2], "cap_day", f->cap_day, "cap_month",
                     f->cap_month, "cap_year", f->cap_year, "claim_days", f->claim_days,
                     "validity_days", f->validity_days, "source_doc", f->source_doc, "source_date",
                     f->source_date[0] ? f->source_date : NULL);
}

static bool add_behaviour(void *ctx, const struct green_behaviour *b, const struct green_factor *f)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:o,s:[]}", "code",
                                         b->code, "name", b->name, "category", b->category,
                                         "qty_unit", b->qty_unit, "factor_unit", b->factor_unit,
                                         "scale", b->scale, "dedup",
                                         b->dedup == GREEN_DEDUP_TRIP  ? "trip"
                                         : b->dedup == GREEN_DEDUP_DAY ? "day"
                                                                       : "none",
                                         "dedup_label", green_dedup_label(b->dedup), "factor",
                                         f ? factor_json(f) : json_null(), "actions"));
    return true;
}

static enum err behaviours(struct req *r)
{
    char today[11];
    date_format(date_today_shanghai(r->now), today);
    json_t *items = json_array();
    enum err e = green_behaviours_each(r->db, today, add_behaviour, items);
    if (e != OK) {
        json_decref(items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:s}", "items", items, "as_of", today));
}

struct vctx {
    struct req *r;
    json_t *items;
};

static json_t *version_json(struct req *r, const struct green_version *v)
{
    bool draft = strcmp(v->status, "draft") == 0;
    json_t *actions = json_array();
    if (draft && v->drafted_by != r->who->user_id)
        json_array_append_new(actions, json_string("publish"));
    return json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:I,s:I,s:I,s:I,s:o}", "id", v->id, "title",
                     v->title, "effective_from", v->effective_from, "effective_from_label",
                     date_json(v->effective_from), "status", v->status, "status_label",
                     draft ? "草稿" : "已发布", "drafted_by", v->drafted_by, "created_at",
                     v->created_at, "published_by", v->published_by, "published_at",
                     v->published_at, "actions", actions);
}

static bool add_version(void *ctx, const struct green_version *v)
{
    struct vctx *c = ctx;
    json_array_append_new(c->items, version_json(c->r, v));
    return true;
}

static enum err versions(struct req *r)
{
    struct vctx c = {r, json_array()};
    enum err e = green_versions_each(r->db, add_version, &c);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o}", "items", c.items));
}

static bool add_factor(void *ctx, const struct green_factor *f)
{
    json_array_append_new(ctx, factor_json(f));
    return true;
}

static enum err version_get(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    struct green_version v;
    e = green_version_get(r->db, id, &v);
    if (e == ERR_NOT_FOUND) return req_fail(r, e, "id", "方法学版本不存在");
    if (e != OK) return req_fail_err(r, e);
    json_t *fs = json_array();
    e = green_factors_each(r->db, id, add_factor, fs);
    json_t *o = version_json(r, &v);
    json_object_set_new(o, "factors", fs);
    if (e != OK) {
        json_decref(o);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, o);
}

/* One factor of a draft's body. */
static bool read_factor(struct req *r, json_t *o, struct green_factor *f, struct jv *v)
{
    static const char *const allowed[] = {
        "behaviour",     "mg_per_unit", "points_per_unit", "pct_partner", "pct_proof",
        "pct_self",      "cap_day",     "cap_month",       "cap_year",    "claim_days",
        "validity_days", "source_doc",  "source_date",     NULL};
    (void)r;
    memset(f, 0, sizeof *f);
    if (!jv_begin(v, o, allowed)) return false;
    const char *b = jv_str(v, "behaviour", true, 31);
    f->mg_per_unit = jv_int(v, "mg_per_unit", true, 0, 1000000000LL, 0);
    f->points_per_unit = jv_int(v, "points_per_unit", true, 0, 1000000, 0);
    f->pct[0] = jv_int(v, "pct_partner", false, 0, 100, 100);
    f->pct[1] = jv_int(v, "pct_proof", false, 0, 100, 100);
    f->pct[2] = jv_int(v, "pct_self", false, 0, 100, 50);
    f->cap_day = jv_int(v, "cap_day", false, 0, 1000000000LL, 0);
    f->cap_month = jv_int(v, "cap_month", false, 0, 1000000000LL, 0);
    f->cap_year = jv_int(v, "cap_year", false, 0, 1000000000LL, 0);
    f->claim_days = jv_int(v, "claim_days", false, 1, 366, 7);
    f->validity_days = jv_int(v, "validity_days", false, 1, GREEN_VALIDITY_MAX, GREEN_VALIDITY_MAX);
    const char *doc = jv_str(v, "source_doc", true, 390);
    const char *date = jv_str(v, "source_date", false, 10);
    if (!jv_ok(v)) return false;
    snprintf(f->behaviour, sizeof f->behaviour, "%s", b);
    snprintf(f->source_doc, sizeof f->source_doc, "%s", doc);
    snprintf(f->source_date, sizeof f->source_date, "%s", date ? date : "");
    return true;
}

static enum err version_draft(struct req *r)
{
    static const char *const allowed[] = {"title", "effective_from", "factors", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *title = jv_str(&v, "title", true, 120);
    const char *from = jv_str(&v, "effective_from", true, 10);
    json_t *arr = json_object_get(r->json, "factors");
    if (jv_ok(&v) && (!json_is_array(arr) || json_array_size(arr) > 64))
        jv_fail(&v, ERR_BAD_REQUEST, "factors", "factors 应为数组（最多 64 项）");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    size_t n = json_array_size(arr);
    struct green_factor *fs = arena_alloc(r->a, (n ? n : 1) * sizeof *fs);
    for (size_t i = 0; i < n; i++) {
        struct jv fv = {0};
        if (!read_factor(r, json_array_get(arr, i), &fs[i], &fv)) {
            fv.field = arena_printf(r->a, "factors[%zu].%s", i, fv.field ? fv.field : "");
            return req_fail_jv(r, &fv);
        }
    }
    struct problem p = {0};
    long long id = 0;
    enum err e = green_version_draft(r->db, title, from, fs, n, r->who->user_id, r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "green_version:%lld", id);
    struct green_version gv;
    e = green_version_get(r->db, id, &gv);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 201, version_json(r, &gv));
}

static enum err version_publish(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "green_version:%lld", id);
    struct problem p = {0};
    e = green_version_publish(r->db, id, r->who->user_id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    struct green_version gv;
    e = green_version_get(r->db, id, &gv);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200, version_json(r, &gv));
}

static json_t *channel_json(const struct green_channel *c)
{
    json_t *actions = json_array();
    if (!c->revoked_at) json_array_append_new(actions, json_string("revoke"));
    json_t *bs = json_array();
    for (const char *s = c->behaviours; *s;) {
        size_t len = strcspn(s, ",");
        json_array_append_new(bs, json_stringn(s, len));
        s += len;
        if (*s == ',') s++;
    }
    return json_pack("{s:I,s:s,s:s,s:o,s:s,s:I,s:I,s:o,s:b,s:o}", "id", c->id, "name", c->name,
                     "operator", c->operator_name, "behaviours", bs, "scope", GREEN_SCOPE,
                     "created_by", c->created_by, "created_at", c->created_at, "revoked_at",
                     c->revoked_at ? json_integer(c->revoked_at) : json_null(), "active",
                     !c->revoked_at, "actions", actions);
}

static bool add_channel(void *ctx, const struct green_channel *c)
{
    json_array_append_new(ctx, channel_json(c));
    return true;
}

static enum err channels(struct req *r)
{
    json_t *items = json_array();
    enum err e = green_channels_each(r->db, add_channel, items);
    if (e != OK) {
        json_decref(items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static enum err channel_create(struct req *r)
{
    static const char *const allowed[] = {"name", "operator", "behaviours", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", true, 120);
    const char *op = jv_str(&v, "operator", true, 120);
    json_t *bs = jv_str_array(&v, "behaviours", true, 16, 31);
    if (jv_ok(&v) && json_array_size(bs) == 0)
        jv_fail(&v, ERR_RULE, "behaviours", "请至少选择一项该渠道可上报的行为");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    char list[400] = "";
    size_t at = 0;
    for (size_t i = 0; i < json_array_size(bs); i++) {
        const char *s = json_string_value(json_array_get(bs, i));
        if (strchr(s, ',')) return req_fail(r, ERR_RULE, "behaviours", "行为代码不正确");
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? "," : "", s);
    }
    struct chancred_secret sec;
    struct problem p = {0};
    long long id = 0;
    enum err e = green_channel_create(r->db, &r->app->keys, name, op, list, r->who->user_id, r->now,
                                      &sec, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "green_channel:%lld", id);
    struct green_channel c;
    e = green_channel_get(r->db, id, &c);
    if (e != OK) return req_fail_err(r, e);
    json_t *o = channel_json(&c);
    json_object_set_new(o, "token", json_string(sec.token));
    json_object_set_new(o, "secret", json_string(sec.secret));
    json_object_set_new(o, "note", json_string("令牌和签名密钥只显示这一次，请妥善交给渠道方保存"));
    sodium_memzero(&sec, sizeof sec);
    req_secret_answer(r, "token");
    req_secret_answer(r, "secret");
    return reply_json(r, 201, o);
}

static enum err channel_revoke(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "green_channel:%lld", id);
    struct problem p = {0};
    e = green_channel_revoke(r->db, id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    struct green_channel c;
    e = green_channel_get(r->db, id, &c);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200, channel_json(&c));
}

static enum err entry_reverse(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *reason = jv_str(&v, "reason", true, 190);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    r->audit_object = arena_printf(r->a, "green_entry:%lld", id);
    struct problem p = {0};
    long long nid = 0;
    e = green_reverse(r->db, id, reason, r->who->user_id, r->now, &nid, &p);
    if (e != OK) return req_fail_problem(r, &p);
    struct green_entry en;
    e = green_entry_get(r->db, nid, &en);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 201,
                      json_pack("{s:I,s:I,s:s,s:I,s:I}", "id", en.id, "reverses", en.reverses,
                                "kind", en.kind, "amount", en.amount, "citizen_id", en.citizen_id));
}

/* ---- ingest ---- */

static json_t *result_json(size_t i, const char *seid, const struct green_result *res)
{
    json_t *o =
        json_pack("{s:I,s:s,s:b,s:s,s:s,s:I,s:I,s:I,s:b}", "index", (long long)i, "source_event_id",
                  seid, "ok", 1, "status", res->status, "status_label",
                  green_status_label(res->status), "event_id", res->event_id, "requested_points",
                  res->requested, "points", res->points, "replayed", res->replayed);
    json_object_set_new(o, "entry_id", res->entry_id ? json_integer(res->entry_id) : json_null());
    if (res->cap[0]) {
        json_object_set_new(o, "cap", json_string(res->cap));
        const char *cn = strcmp(res->cap, "day") == 0     ? "每日"
                         : strcmp(res->cap, "month") == 0 ? "每月"
                                                          : "每年";
        json_object_set_new(o, "message",
                            json_sprintf("已达%s上限：申报 %lld 分，按上限入账 %lld 分", cn,
                                         res->requested, res->points));
    }
    if (res->duplicate_of) json_object_set_new(o, "duplicate_of", json_integer(res->duplicate_of));
    return o;
}

static json_t *refused_json(struct req *r, size_t i, const char *seid, const struct problem *p)
{
    return json_pack("{s:I,s:o,s:b,s:s,s:s,s:s,s:s}", "index", (long long)i, "source_event_id",
                     seid ? json_string(seid) : json_null(), "ok", 0, "status", "refused", "code",
                     err_code(p->err), "field", arena_printf(r->a, "events[%zu].%s", i, p->field),
                     "message", p->msg);
}

/* One event of the body into ev; false with p. */
static bool read_event(struct req *r, json_t *o, struct green_event *ev, struct problem *p)
{
    static const char *const allowed[] = {"source_event_id", "citizen_id",    "behaviour",
                                          "quantity",        "activity_date", "started_at",
                                          "route",           "grade",         NULL};
    memset(ev, 0, sizeof *ev);
    struct jv v = {0};
    if (!json_is_object(o))
        return problem_set(p, ERR_BAD_REQUEST, "", "每个事件应为 JSON 对象"), false;
    jv_begin(&v, o, allowed);
    ev->source_event_id = jv_str(&v, "source_event_id", true, 128);
    ev->citizen_id = jv_int(&v, "citizen_id", true, 1, (1LL << 53), 0);
    ev->behaviour = jv_str(&v, "behaviour", true, 31);
    ev->quantity = jv_int(&v, "quantity", true, 1, 1000000000LL, 0);
    ev->activity_date = jv_str(&v, "activity_date", true, 10);
    ev->started_at = jv_int(&v, "started_at", false, 1, (1LL << 40), 0);
    ev->route = jv_str(&v, "route", false, 64);
    const char *grade = jv_str(&v, "grade", false, 16);
    if (jv_ok(&v) && !green_grade_parse(grade ? grade : "partner", &ev->grade))
        jv_fail(&v, ERR_RULE, "grade", "凭证等级应为 partner、proof 或 self");
    if (!jv_ok(&v)) {
        if (v.field && strcmp(v.field, "quantity") == 0 && v.err == ERR_RULE)
            snprintf(v.msg, sizeof v.msg, "数量须为正整数（1 至 10 亿）");
        problem_set(p, v.err, v.field ? v.field : "", "%s", v.msg);
        return false;
    }
    char *canon = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    char h[CRYPTO_HASH_HEX];
    hash_hex(canon ? canon : "", canon ? strlen(canon) : 0, h);
    free(canon);
    ev->body_hash = arena_strdup(r->a, h);
    return true;
}

static enum err ingest(struct req *r)
{
    if (r->body_len > GREEN_BATCH_MAX_BYTES)
        return req_fail(r, ERR_TOO_LARGE, "body", "请求体过大（最多 %u 字节）",
                        GREEN_BATCH_MAX_BYTES);
    long long cred;
    enum err e = req_channel(r, GREEN_SCOPE, &cred);
    if (e != OK) return e;
    struct green_channel ch;
    e = green_channel_by_cred(r->db, cred, &ch);
    if (e == ERR_NOT_FOUND || (e == OK && ch.revoked_at))
        return req_fail(r, ERR_UNAUTHORIZED, "Authorization", "该渠道不存在或已停用");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "green_channel:%lld", ch.id);
    struct jv v = {0};
    json_t *body = jv_parse(&v, r->body, r->body_len, 6);
    if (!body) return req_fail_jv(r, &v);
    static const char *const allowed[] = {"events", NULL};
    jv_begin(&v, body, allowed);
    json_t *events = json_object_get(body, "events");
    if (jv_ok(&v) && (!json_is_array(events) || json_array_size(events) == 0))
        jv_fail(&v, ERR_BAD_REQUEST, "events", "events 应为非空数组");
    if (!jv_ok(&v)) {
        e = req_fail_jv(r, &v);
        json_decref(body);
        return e;
    }
    size_t n = json_array_size(events);
    if (n > GREEN_BATCH_MAX) {
        json_decref(body);
        return req_fail(r, ERR_TOO_LARGE, "events", "一次最多提交 %d 个事件", GREEN_BATCH_MAX);
    }
    json_t *items = json_array();
    long long credited = 0, capped = 0, dups = 0, refused = 0, replays = 0, points = 0;
    for (size_t i = 0; i < n; i++) {
        struct green_event ev;
        struct green_result res;
        struct problem ep = {0};
        json_t *o = json_array_get(events, i);
        if (!read_event(r, o, &ev, &ep)) {
            json_t *sid = json_object_get(o, "source_event_id");
            json_array_append_new(
                items,
                refused_json(r, i, json_is_string(sid) ? json_string_value(sid) : NULL, &ep));
            refused++;
            continue;
        }
        e = green_ingest(r->db, &ch, &ev, r->now, &res, &ep);
        if (e != OK && ep.err == OK) {
            json_decref(items);
            json_decref(body);
            return req_fail_err(r, e);
        }
        if (e != OK) {
            json_array_append_new(items, refused_json(r, i, ev.source_event_id, &ep));
            refused++;
            continue;
        }
        json_array_append_new(items, result_json(i, ev.source_event_id, &res));
        if (res.replayed)
            replays++;
        else if (strcmp(res.status, "credited") == 0)
            credited++;
        else if (strcmp(res.status, "capped") == 0)
            capped++;
        else
            dups++;
        if (!res.replayed) points += res.points;
    }
    json_decref(body);
    r->audit_detail = arena_printf(r->a,
                                   "%zu events: %lld credited, %lld capped, %lld duplicates, %lld "
                                   "replayed, %lld refused; %lld points",
                                   n, credited, capped, dups, replays, refused, points);
    return reply_json(r, 200,
                      json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "total", (long long)n,
                                "credited", credited, "capped", capped, "duplicates", dups,
                                "replayed", replays, "refused", refused, "points", points, "items",
                                items));
}

/* ---- a citizen's own ---- */

static bool add_total(void *ctx, const struct green_total *t)
{
    struct vctx *c = ctx;
    struct green_behaviour b;
    const char *name =
        green_behaviour_get(c->r->db, t->behaviour, &b) == OK ? b.name : t->behaviour;
    json_array_append_new(c->items,
                          json_pack("{s:s,s:s,s:I,s:I,s:I}", "behaviour", t->behaviour, "name",
                                    arena_strdup(c->r->a, name), "points", t->points, "saved_mg",
                                    t->saved_mg, "entries", t->entries));
    return true;
}

static enum err my_account(struct req *r)
{
    struct green_account a;
    enum err e = green_account_get(r->db, r->who->citizen_id, date_today_shanghai(r->now), &a);
    struct vctx c = {r, json_array()};
    if (e == OK) e = green_totals_each(r->db, r->who->citizen_id, add_total, &c);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    json_t *next = a.next_expiry[0]
                       ? json_pack("{s:s,s:o,s:I}", "date", a.next_expiry, "date_label",
                                   date_json(a.next_expiry), "points", a.next_expiry_amount)
                       : json_null();
    return reply_json(r, 200,
                      json_pack("{s:I,s:I,s:I,s:o,s:o,s:s,s:[]}", "balance", a.balance, "saved_mg",
                                a.saved_mg, "entries", a.entries, "next_expiry", next,
                                "by_behaviour", c.items, "note", "积分不可转让，不具有货币价值",
                                "actions"));
}

static bool add_entry(void *ctx, const struct green_entry *en)
{
    struct vctx *c = ctx;
    struct green_behaviour b;
    const char *name =
        en->behaviour[0] && green_behaviour_get(c->r->db, en->behaviour, &b) == OK ? b.name : "";
    json_array_append_new(
        c->items,
        json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:s,s:s,s:o,s:I,s:[]}", "id", en->id, "seq", en->seq,
                  "kind", en->kind, "kind_label", green_kind_label(en->kind), "amount", en->amount,
                  "saved_mg", en->saved_mg, "behaviour", en->behaviour, "behaviour_name",
                  arena_strdup(c->r->a, name), "activity_date_label", date_json(en->activity_date),
                  "created_at", en->created_at, "actions"));
    return true;
}

static enum err my_entries(struct req *r)
{
    long long limit, before;
    enum err e = req_page(r, &limit, &before);
    if (e != OK) return e;
    if (limit > 200) limit = 200;
    struct vctx c = {r, json_array()};
    e = green_entries_each(r->db, r->who->citizen_id, before, limit, add_entry, &c);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    size_t n = json_array_size(c.items);
    long long last =
        n ? json_integer_value(json_object_get(json_array_get(c.items, n - 1), "seq")) : 0;
    return reply_page(r, c.items, limit, last > 1 ? last : 0);
}

const struct route green_routes[] = {
    {M_GET, "/api/v1/green/behaviours", PERM_GREEN_ADMIN, BODY_NONE, NULL, behaviours, 0},
    {M_GET, "/api/v1/green/versions", PERM_GREEN_ADMIN, BODY_NONE, NULL, versions, 0},
    {M_GET, "/api/v1/green/versions/{id}", PERM_GREEN_ADMIN, BODY_NONE, NULL, version_get, 0},
    {M_POST, "/api/v1/green/versions", PERM_GREEN_ADMIN, BODY_JSON, "green.version.draft",
     version_draft, 0},
    {M_POST, "/api/v1/green/versions/{id}/publish", PERM_GREEN_ADMIN, BODY_NONE,
     "green.version.publish", version_publish, 0},
    {M_GET, "/api/v1/green/channels", PERM_GREEN_ADMIN, BODY_NONE, NULL, channels, 0},
    {M_POST, "/api/v1/green/channels", PERM_GREEN_ADMIN, BODY_JSON, "green.channel.create",
     channel_create, 0},
    {M_POST, "/api/v1/green/channels/{id}/revoke", PERM_GREEN_ADMIN, BODY_NONE,
     "green.channel.revoke", channel_revoke, 0},
    {M_POST, "/api/v1/green/entries/{id}/reverse", PERM_GREEN_ADMIN, BODY_JSON,
     "green.entry.reverse", entry_reverse, 0},
    {M_POST, "/api/v1/green/ingest", PERM_PUBLIC, BODY_RAW, "green.ingest", ingest, ROUTE_CHANNEL},
    {M_GET, "/api/v1/citizen/green", PERM_CITIZEN, BODY_NONE, NULL, my_account, 0},
    {M_GET, "/api/v1/citizen/green/entries", PERM_CITIZEN, BODY_NONE, NULL, my_entries, 0},
    {0},
};
