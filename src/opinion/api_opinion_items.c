/* api_opinion_items.c - routes of public-opinion items (office: opinion_admin): vendor channels
 * and their credentials (shown once), the vendor's signed batch ingest (a channel credential of
 * scope opinion:ingest, ROUTE_CHANNEL: up to OPINION_BATCH_MAX items, a result each; a replay
 * answers its first result, changed content under the same id 409), an official's item by hand,
 * the items with the rules they matched, and the events with their summed reach. */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "opinion/opinion.h"
#include "org/units.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *channel_json(const struct opinion_channel *c)
{
    json_t *actions = json_array();
    if (!c->revoked_at) json_array_append_new(actions, json_string("revoke"));
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:o,s:b,s:o}", "id", c->id, "name", c->name,
                     "vendor", c->vendor, "scope", OPINION_SCOPE, "created_by", c->created_by,
                     "created_at", c->created_at, "revoked_at",
                     c->revoked_at ? json_integer(c->revoked_at) : json_null(), "active",
                     !c->revoked_at, "actions", actions);
}

static bool add_channel(void *ctx, const struct opinion_channel *c)
{
    json_array_append_new(ctx, channel_json(c));
    return true;
}

static enum err channels(struct req *r)
{
    json_t *items = json_array();
    enum err e = opinion_channels_each(r->db, add_channel, items);
    if (e != OK) {
        json_decref(items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static enum err channel_create(struct req *r)
{
    static const char *const allowed[] = {"name", "vendor", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", true, 120);
    const char *vendor = jv_str(&v, "vendor", true, 120);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct chancred_secret sec;
    struct problem p = {0};
    long long id = 0;
    enum err e = opinion_channel_create(r->db, &r->app->keys, name, vendor, r->who->user_id, r->now,
                                        &sec, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "opinion_channel:%lld", id);
    struct opinion_channel c;
    e = opinion_channel_get(r->db, id, false, &c);
    if (e != OK) return req_fail_err(r, e);
    json_t *o = channel_json(&c);
    json_object_set_new(o, "token", json_string(sec.token));
    json_object_set_new(o, "secret", json_string(sec.secret));
    json_object_set_new(o, "note",
                        json_string("令牌和签名密钥只显示这一次，请妥善交给监测服务商保存"));
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
    r->audit_object = arena_printf(r->a, "opinion_channel:%lld", id);
    struct problem p = {0};
    e = opinion_channel_revoke(r->db, id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    struct opinion_channel c;
    e = opinion_channel_get(r->db, id, false, &c);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200, channel_json(&c));
}

/* One item of a body into in; false with p. manual: no source_item_id (the URL's hash). */
static bool read_item(struct req *r, json_t *o, struct opinion_item_in *in, bool manual,
                      struct problem *p)
{
    static const char *const allowed[] = {"source_item_id", "source", "url",   "author",
                                          "published_at",   "text",   "reads", "shares",
                                          "comments",       "media",  NULL};
    memset(in, 0, sizeof *in);
    if (!json_is_object(o))
        return problem_set(p, ERR_BAD_REQUEST, "", "每个条目应为 JSON 对象"), false;
    json_t *text = json_object_get(o, "text");
    if (json_is_string(text) && json_string_length(text) > OPINION_TEXT_MAX)
        return problem_set(p, ERR_TOO_LARGE, "text", "正文过长（最多 %d 字节）", OPINION_TEXT_MAX),
               false;
    struct jv v = {0};
    jv_begin(&v, o, allowed);
    in->source_item_id = jv_str(&v, "source_item_id", !manual, 128);
    in->source = jv_str(&v, "source", true, 64);
    in->url = jv_str(&v, "url", true, 2000);
    in->author = jv_str(&v, "author", false, 200);
    in->published_at = jv_int(&v, "published_at", true, 1, (1LL << 40), 0);
    in->text = jv_str(&v, "text", true, OPINION_TEXT_MAX);
    in->reads = jv_int(&v, "reads", false, 0, (1LL << 50), 0);
    in->shares = jv_int(&v, "shares", false, 0, (1LL << 50), 0);
    in->comments = jv_int(&v, "comments", false, 0, (1LL << 50), 0);
    const char *media = jv_str(&v, "media", false, 10);
    in->media = media ? media : "text";
    if (!jv_ok(&v)) {
        if (v.field && strcmp(v.field, "published_at") == 0)
            snprintf(v.msg, sizeof v.msg, "缺少或不正确的发布时间 published_at（Unix 秒）");
        problem_set(p, v.err, v.field ? v.field : "", "%s", v.msg);
        return false;
    }
    char *canon = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    char h[CRYPTO_HASH_HEX];
    hash_hex(canon ? canon : "", canon ? strlen(canon) : 0, h);
    free(canon);
    in->body_hash = arena_strdup(r->a, h);
    if (manual) {
        char u[CRYPTO_HASH_HEX];
        hash_hex(in->url, strlen(in->url), u);
        in->source_item_id = arena_printf(r->a, "manual:%s", u);
    }
    return true;
}

static const char *route_label(const char *route)
{
    if (strcmp(route, "district") == 0) return "属地交办";
    if (strcmp(route, "several") == 0) return "涉及多地，由市级办理";
    return "未识别地名，由办公室研判";
}

static json_t *result_json(size_t i, const char *sid, const struct opinion_result *res)
{
    json_t *o = json_pack("{s:I,s:s,s:b,s:s,s:s,s:I,s:o,s:o,s:s,s:I,s:b}", "index", (long long)i,
                          "source_item_id", sid, "ok", 1, "status", res->kind, "status_label",
                          opinion_kind_label(res->kind), "item_id", res->item_id, "event_id",
                          res->event_id ? json_integer(res->event_id) : json_null(), "duplicate_of",
                          res->duplicate_of ? json_integer(res->duplicate_of) : json_null(),
                          "grade", res->grade, "rules", res->rules, "replayed", res->replayed);
    json_object_set_new(o, "grade_label", json_string(opinion_grade_label(res->grade)));
    json_object_set_new(o, "unit_id", res->unit_id ? json_integer(res->unit_id) : json_null());
    json_object_set_new(o, "route", json_string(res->route));
    json_object_set_new(o, "route_label", json_string(route_label(res->route)));
    json_object_set_new(o, "places", json_string(res->places));
    return o;
}

static json_t *refused_json(struct req *r, size_t i, const char *sid, const struct problem *p)
{
    return json_pack("{s:I,s:o,s:b,s:s,s:s,s:s,s:s}", "index", (long long)i, "source_item_id",
                     sid ? json_string(sid) : json_null(), "ok", 0, "status", "refused", "code",
                     err_code(p->err), "field", arena_printf(r->a, "items[%zu].%s", i, p->field),
                     "message", p->msg);
}

static enum err ingest(struct req *r)
{
    if (r->body_len > OPINION_BATCH_MAX_BYTES)
        return req_fail(r, ERR_TOO_LARGE, "body", "请求体过大（最多 %u 字节）",
                        OPINION_BATCH_MAX_BYTES);
    long long cred;
    enum err e = req_channel(r, OPINION_SCOPE, &cred);
    if (e != OK) return e;
    struct opinion_channel ch;
    e = opinion_channel_get(r->db, cred, true, &ch);
    if (e == ERR_NOT_FOUND || (e == OK && ch.revoked_at))
        return req_fail(r, ERR_UNAUTHORIZED, "Authorization", "该渠道不存在或已停用");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "opinion_channel:%lld", ch.id);
    struct jv v = {0};
    json_t *body = jv_parse(&v, r->body, r->body_len, 6);
    if (!body) return req_fail_jv(r, &v);
    static const char *const allowed[] = {"items", NULL};
    jv_begin(&v, body, allowed);
    json_t *items = json_object_get(body, "items");
    if (jv_ok(&v) && (!json_is_array(items) || json_array_size(items) == 0))
        jv_fail(&v, ERR_BAD_REQUEST, "items", "items 应为非空数组");
    if (!jv_ok(&v)) {
        e = req_fail_jv(r, &v);
        json_decref(body);
        return e;
    }
    size_t n = json_array_size(items);
    if (n > OPINION_BATCH_MAX) {
        json_decref(body);
        return req_fail(r, ERR_TOO_LARGE, "items", "一次最多提交 %d 条", OPINION_BATCH_MAX);
    }
    struct opinion_matcher *m = NULL;
    struct opinion_gazetteer *g = NULL;
    e = opinion_matcher_get(r->db, &m);
    if (e == OK) e = opinion_gazetteer_load(r->db, &g);
    if (e != OK) {
        opinion_matcher_put(m);
        json_decref(body);
        return req_fail_err(r, e);
    }
    json_t *out = json_array();
    long long fresh = 0, near = 0, dups = 0, replays = 0, refused = 0;
    for (size_t i = 0; i < n; i++) {
        struct opinion_item_in in;
        struct opinion_result res;
        struct problem ep = {0};
        json_t *o = json_array_get(items, i);
        if (!read_item(r, o, &in, false, &ep)) {
            json_t *sid = json_object_get(o, "source_item_id");
            json_array_append_new(
                out, refused_json(r, i, json_is_string(sid) ? json_string_value(sid) : NULL, &ep));
            refused++;
            continue;
        }
        e = opinion_item_ingest(r->db, &r->app->keys, m, g, ch.id, &in, 0, r->now, &res, &ep);
        if (e != OK && ep.err == OK) {
            opinion_matcher_put(m);
            opinion_gazetteer_free(g);
            json_decref(out);
            json_decref(body);
            return req_fail_err(r, e);
        }
        if (e != OK) {
            json_array_append_new(out, refused_json(r, i, in.source_item_id, &ep));
            refused++;
            continue;
        }
        json_array_append_new(out, result_json(i, in.source_item_id, &res));
        if (res.replayed)
            replays++;
        else if (strcmp(res.kind, "new") == 0)
            fresh++;
        else if (strcmp(res.kind, "near_duplicate") == 0)
            near++;
        else
            dups++;
    }
    opinion_matcher_put(m);
    opinion_gazetteer_free(g);
    json_decref(body);
    r->audit_detail = arena_printf(r->a,
                                   "%zu items: %lld new, %lld near-duplicates, %lld duplicates, "
                                   "%lld replayed, %lld refused",
                                   n, fresh, near, dups, replays, refused);
    return reply_json(r, 200,
                      json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "total", (long long)n, "new",
                                fresh, "near_duplicates", near, "duplicates", dups, "replayed",
                                replays, "refused", refused, "items", out));
}

static enum err item_enter(struct req *r)
{
    struct opinion_item_in in;
    struct problem p = {0};
    if (!read_item(r, r->json, &in, true, &p)) return req_fail_problem(r, &p);
    struct opinion_matcher *m = NULL;
    struct opinion_gazetteer *g = NULL;
    enum err e = opinion_matcher_get(r->db, &m);
    if (e == OK) e = opinion_gazetteer_load(r->db, &g);
    if (e != OK) {
        opinion_matcher_put(m);
        return req_fail_err(r, e);
    }
    struct opinion_result res;
    e = opinion_item_ingest(r->db, &r->app->keys, m, g, 0, &in, r->who->user_id, r->now, &res, &p);
    opinion_matcher_put(m);
    opinion_gazetteer_free(g);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "opinion_item:%lld", res.item_id);
    return reply_json(r, res.replayed ? 200 : 201, result_json(0, in.source_item_id, &res));
}

static bool add_rule_ref(void *ctx, long long rule_id, const char *topic, const char *grade,
                         long long owner)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:I}", "rule_id", rule_id, "topic", topic ? topic : "",
                       "topic_label", opinion_topic_label(topic), "grade_hint", grade ? grade : "",
                       "grade_hint_label", opinion_grade_label(grade), "owner_unit", owner));
    return true;
}

static json_t *item_json(struct req *r, const struct opinion_item *it, bool full)
{
    json_t *rules = json_array();
    if (opinion_item_rules_each(r->db, it->id, add_rule_ref, rules) != OK) {
        json_decref(rules);
        rules = json_null();
    }
    json_t *o = json_pack(
        "{s:I,s:o,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:I,s:o,s:[]}", "id",
        it->id, "channel_id", it->channel_id ? json_integer(it->channel_id) : json_null(),
        "source_item_id", it->source_item_id, "source", it->source, "url", it->url, "published_at",
        it->published_at, "reads", it->reads, "shares", it->shares, "comments", it->comments,
        "media", it->media, "media_label", opinion_media_label(it->media), "kind", it->kind,
        "kind_label", opinion_kind_label(it->kind), "duplicate_of",
        it->duplicate_of ? json_integer(it->duplicate_of) : json_null(), "event_id",
        it->event_id ? json_integer(it->event_id) : json_null(), "grade", it->grade, "grade_label",
        opinion_grade_label(it->grade), "created_at", it->created_at, "rules", rules, "actions");
    json_object_set_new(o, "unit", it->unit_id ? unit_json(r->db, it->unit_id) : json_null());
    json_object_set_new(o, "route", json_string(it->route));
    json_object_set_new(o, "route_label", json_string(route_label(it->route)));
    json_object_set_new(o, "places", json_string(it->places));
    json_object_set_new(o, "author_hash",
                        it->author_hash[0] ? json_string(it->author_hash) : json_null());
    if (full)
        json_object_set_new(o, "text", json_string(it->text));
    else {
        char cut[400];
        size_t n = 0, chars = 0;
        while (it->text[n] && chars < 100 && n + 5 < sizeof cut) {
            n++;
            while (((unsigned char)it->text[n] & 0xC0) == 0x80)
                n++;
            chars++;
        }
        memcpy(cut, it->text, n);
        cut[n] = 0;
        json_object_set_new(o, "excerpt", json_string(cut));
    }
    return o;
}

struct lctx {
    struct req *r;
    json_t *items;
};

static bool add_item(void *ctx, const struct opinion_item *it)
{
    struct lctx *c = ctx;
    json_array_append_new(c->items, item_json(c->r, it, false));
    return true;
}

static enum err items(struct req *r)
{
    long long limit, before;
    enum err e = req_page(r, &limit, &before);
    if (e != OK) return e;
    if (limit > 200) limit = 200;
    struct lctx c = {r, json_array()};
    e = opinion_items_each(r->db, before, limit, add_item, &c);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    size_t n = json_array_size(c.items);
    long long last =
        n ? json_integer_value(json_object_get(json_array_get(c.items, n - 1), "id")) : 0;
    return reply_page(r, c.items, limit, (long long)n == limit && last > 1 ? last : 0);
}

static _Thread_local struct opinion_item one;
static _Thread_local struct opinion_case oc;

static json_t *case_json(struct req *r, const struct opinion_case *c)
{
    json_t *links = json_array();
    for (const char *s = c->links; *s;) {
        size_t len = strcspn(s, "\n");
        if (len) json_array_append_new(links, json_stringn(s, len));
        s += len;
        if (*s) s++;
    }
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:b,s:o}", "status", c->status, "status_label",
                          opinion_case_status_label(c->status), "grade", c->grade, "grade_label",
                          opinion_grade_label(c->grade), "due_at", c->due_at, "clock_hours",
                          opinion_clock(c->grade) / 3600, "overdue",
                          c->escalated_at != 0 ||
                              (c->due_at < r->now && strcmp(c->status, "released") != 0 &&
                               strcmp(c->status, "closed") != 0),
                          "links", links);
    json_object_set_new(o, "unit", c->unit_id ? unit_json(r->db, c->unit_id) : json_null());
    json_object_set_new(o, "deadline", c->deadline ? json_integer(c->deadline) : json_null());
    json_object_set_new(o, "response", c->response[0] ? json_string(c->response) : json_null());
    json_object_set_new(o, "needs_signoff", json_boolean(strcmp(c->grade, "general") != 0));
    json_object_set_new(o, "signed_by", c->signed_by ? json_integer(c->signed_by) : json_null());
    json_object_set_new(o, "released_at",
                        c->released_at ? json_integer(c->released_at) : json_null());
    json_object_set_new(o, "closed_at", c->closed_at ? json_integer(c->closed_at) : json_null());
    json_object_set_new(o, "escalated_at",
                        c->escalated_at ? json_integer(c->escalated_at) : json_null());
    return o;
}

static enum err item_get(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    e = opinion_item_get(r->db, id, &one);
    if (e == ERR_NOT_FOUND) return req_fail(r, e, "id", "舆情条目不存在");
    if (e != OK) return req_fail_err(r, e);
    json_t *o = item_json(r, &one, true);
    e = opinion_case_get(r->db, id, &oc);
    if (e != OK && e != ERR_NOT_FOUND) {
        json_decref(o);
        return req_fail_err(r, e);
    }
    json_object_set_new(o, "case", e == OK ? case_json(r, &oc) : json_null());
    return reply_json(r, 200, o);
}

enum step { S_ASSESS, S_ASSIGN, S_RESPOND, S_SIGNOFF, S_RELEASE, S_CLOSE };

static enum err step(struct req *r, enum step st)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "opinion_item:%lld", id);
    long long scope =
        roles_scope(r->who->roles, PERM_OPINION_HANDLE) == SCOPE_ALL ? 0 : r->who->unit_id;
    struct problem p = {0};
    struct jv v = {0};
    switch (st) {
    case S_ASSESS: {
        static const char *const allowed[] = {"grade", NULL};
        jv_begin(&v, r->json, allowed);
        const char *grade = jv_str(&v, "grade", false, 11);
        if (!jv_ok(&v)) return req_fail_jv(r, &v);
        e = opinion_case_assess(r->db, id, grade, r->who->user_id, r->now, &p);
        break;
    }
    case S_ASSIGN: {
        static const char *const allowed[] = {"unit", "deadline", NULL};
        jv_begin(&v, r->json, allowed);
        const char *unit = jv_str(&v, "unit", true, 60);
        long long deadline = jv_int(&v, "deadline", false, 1, (1LL << 40), 0);
        if (!jv_ok(&v)) return req_fail_jv(r, &v);
        long long u = unit_find(r->db, unit);
        if (!u) return req_fail(r, ERR_RULE, "unit", "承办单位不存在：%.60s", unit);
        e = opinion_case_assign(r->db, id, u, deadline, r->who->user_id, r->now, &p);
        break;
    }
    case S_RESPOND: {
        static const char *const allowed[] = {"response", "links", NULL};
        jv_begin(&v, r->json, allowed);
        const char *resp = jv_str(&v, "response", true, 4000);
        json_t *links = jv_str_array(&v, "links", false, 10, 190);
        if (!jv_ok(&v)) return req_fail_jv(r, &v);
        char buf[2001] = "";
        size_t at = 0;
        for (size_t i = 0; links && i < json_array_size(links); i++) {
            const char *l = json_string_value(json_array_get(links, i));
            if (strncmp(l, "https://", 8) != 0 && strncmp(l, "http://", 7) != 0)
                return req_fail(r, ERR_RULE, "links",
                                "官方发布的链接应以 http:// 或 https:// 开头");
            at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", at ? "\n" : "", l);
        }
        e = opinion_case_respond(r->db, id, scope, resp, buf, r->who->user_id, r->now, &p);
        break;
    }
    case S_SIGNOFF:
        e = opinion_case_signoff(r->db, id, r->who->user_id, r->who->unit_id, r->now, &p);
        break;
    case S_RELEASE:
        e = opinion_case_release(r->db, id, scope, r->who->user_id, r->now, &p);
        break;
    case S_CLOSE:
        e = opinion_case_close(r->db, id, r->who->user_id, r->now, &p);
        break;
    }
    if (e != OK) {
        if (p.err == ERR_NOT_FOUND) return req_deny(r, p.field, p.msg);
        return req_fail_problem(r, &p);
    }
    e = opinion_case_get(r->db, id, &oc);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200, case_json(r, &oc));
}

static enum err case_assess(struct req *r)
{
    return step(r, S_ASSESS);
}
static enum err case_assign(struct req *r)
{
    return step(r, S_ASSIGN);
}
static enum err case_respond(struct req *r)
{
    return step(r, S_RESPOND);
}
static enum err case_signoff(struct req *r)
{
    return step(r, S_SIGNOFF);
}
static enum err case_release(struct req *r)
{
    return step(r, S_RELEASE);
}
static enum err case_close(struct req *r)
{
    return step(r, S_CLOSE);
}

static enum err settings(struct req *r)
{
    struct opinion_settings st;
    enum err e = opinion_settings_get(r->db, &st);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200,
                      json_pack("{s:I,s:I,s:{s:I,s:I,s:I}}", "reach_major", st.reach_major,
                                "reach_grave", st.reach_grave, "clock_hours", "general", 48LL,
                                "major", 24LL, "grave", 5LL));
}

static enum err settings_set(struct req *r)
{
    static const char *const allowed[] = {"reach_major", "reach_grave", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct opinion_settings st;
    st.reach_major = jv_int(&v, "reach_major", true, 1, (1LL << 50), 0);
    st.reach_grave = jv_int(&v, "reach_grave", true, 1, (1LL << 50), 0);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    enum err e = opinion_settings_set(r->db, &st, &p);
    if (e != OK) return req_fail_problem(r, &p);
    return settings(r);
}

static bool add_event(void *ctx, const struct opinion_event *ev)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:I,s:{s:I,s:I,s:I},s:I,s:I,s:I}", "id", ev->id,
                                         "title", ev->title, "items", ev->items, "reach", "reads",
                                         ev->reads, "shares", ev->shares, "comments", ev->comments,
                                         "first_at", ev->first_at, "last_at", ev->last_at,
                                         "created_at", ev->created_at));
    return true;
}

static enum err events(struct req *r)
{
    long long limit;
    enum err e = req_query_int(r, "limit", 1, 500, 100, &limit);
    if (e != OK) return e;
    json_t *list = json_array();
    e = opinion_events_each(r->db, limit, add_event, list);
    if (e != OK) {
        json_decref(list);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o}", "items", list));
}

static json_t *place_json(struct req *r, const struct opinion_place *pl)
{
    long long u = unit_find(r->db, pl->unit_ref);
    json_t *uj = u ? unit_json(r->db, u) : NULL;
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:I,s:[s]}", "id", pl->id, "name", pl->name, "kind",
                     pl->kind, "unit_ref", pl->unit_ref, "unit", uj ? uj : json_null(),
                     "created_at", pl->created_at, "actions", "delete");
}

struct pctx {
    struct req *r;
    json_t *items;
};

static bool add_place(void *ctx, const struct opinion_place *pl)
{
    struct pctx *c = ctx;
    json_array_append_new(c->items, place_json(c->r, pl));
    return true;
}

static bool add_district(void *ctx, const struct unit *u)
{
    struct pctx *c = ctx;
    if (u->active)
        json_array_append_new(c->items, json_pack("{s:I,s:s,s:s,s:s}", "id", u->id, "code", u->code,
                                                  "name", u->name, "short_name", u->short_name));
    return true;
}

static enum err places(struct req *r)
{
    struct pctx c = {r, json_array()}, d = {r, json_array()};
    struct unit_filter f = {.limit = -1, .district_level = true};
    enum err e = opinion_places_each(r->db, add_place, &c);
    if (e == OK) e = units_each(r->db, &f, add_district, &d);
    if (e != OK) {
        json_decref(c.items);
        json_decref(d.items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:o}", "districts", d.items, "items", c.items));
}

static enum err place_add(struct req *r)
{
    static const char *const allowed[] = {"name", "kind", "unit", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", true, 60);
    const char *kind = jv_str(&v, "kind", true, 10);
    const char *unit = jv_str(&v, "unit", true, 60);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long id = 0;
    enum err e = opinion_place_add(r->db, name, kind, unit, r->who->user_id, r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "opinion_place:%lld", id);
    struct opinion_place pl = {.id = id, .created_by = r->who->user_id, .created_at = r->now};
    snprintf(pl.name, sizeof pl.name, "%s", name);
    snprintf(pl.kind, sizeof pl.kind, "%s", kind);
    snprintf(pl.unit_ref, sizeof pl.unit_ref, "%s", unit);
    return reply_json(r, 201, place_json(r, &pl));
}

static enum err place_delete(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "opinion_place:%lld", id);
    struct problem p = {0};
    e = opinion_place_delete(r->db, id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    return reply_json(r, 200, json_pack("{s:I,s:b}", "id", id, "deleted", 1));
}

const struct route opinion_item_routes[] = {
    {M_GET, "/api/v1/opinion/places", PERM_OPINION_ADMIN, BODY_NONE, NULL, places, 0},
    {M_POST, "/api/v1/opinion/places", PERM_OPINION_ADMIN, BODY_JSON, "opinion.place.add",
     place_add, 0},
    {M_DELETE, "/api/v1/opinion/places/{id}", PERM_OPINION_ADMIN, BODY_NONE, "opinion.place.delete",
     place_delete, 0},
    {M_GET, "/api/v1/opinion/channels", PERM_OPINION_ADMIN, BODY_NONE, NULL, channels, 0},
    {M_POST, "/api/v1/opinion/channels", PERM_OPINION_ADMIN, BODY_JSON, "opinion.channel.create",
     channel_create, ROUTE_SESSION_ONLY},
    {M_POST, "/api/v1/opinion/channels/{id}/revoke", PERM_OPINION_ADMIN, BODY_NONE,
     "opinion.channel.revoke", channel_revoke, 0},
    {M_POST, "/api/v1/opinion/ingest", PERM_PUBLIC, BODY_RAW, "opinion.ingest", ingest,
     ROUTE_CHANNEL},
    {M_GET, "/api/v1/opinion/items", PERM_OPINION_ADMIN, BODY_NONE, NULL, items, 0},
    {M_POST, "/api/v1/opinion/items", PERM_OPINION_ADMIN, BODY_JSON, "opinion.item.enter",
     item_enter, 0},
    {M_GET, "/api/v1/opinion/items/{id}", PERM_OPINION_ADMIN, BODY_NONE, NULL, item_get, 0},
    {M_GET, "/api/v1/opinion/events", PERM_OPINION_ADMIN, BODY_NONE, NULL, events, 0},
    {M_POST, "/api/v1/opinion/items/{id}/assess", PERM_OPINION_ADMIN, BODY_JSON,
     "opinion.case.assess", case_assess, 0},
    {M_POST, "/api/v1/opinion/items/{id}/assign", PERM_OPINION_ADMIN, BODY_JSON,
     "opinion.case.assign", case_assign, 0},
    {M_POST, "/api/v1/opinion/items/{id}/respond", PERM_OPINION_HANDLE, BODY_JSON,
     "opinion.case.respond", case_respond, 0},
    {M_POST, "/api/v1/opinion/items/{id}/signoff", PERM_OPINION_HANDLE, BODY_NONE,
     "opinion.case.signoff", case_signoff, 0},
    {M_POST, "/api/v1/opinion/items/{id}/release", PERM_OPINION_HANDLE, BODY_NONE,
     "opinion.case.release", case_release, 0},
    {M_POST, "/api/v1/opinion/items/{id}/close", PERM_OPINION_ADMIN, BODY_NONE,
     "opinion.case.close", case_close, 0},
    {M_GET, "/api/v1/opinion/settings", PERM_OPINION_ADMIN, BODY_NONE, NULL, settings, 0},
    {M_PUT, "/api/v1/opinion/settings", PERM_OPINION_ADMIN, BODY_JSON, "opinion.settings.set",
     settings_set, 0},
    {0},
};
