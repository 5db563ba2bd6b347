/* api_opinion.c - routes of public-opinion rules (office: opinion_admin): the rules with their
 * topic, grade hint and owner (a rule that does not parse is 422 with the character position of
 * the fault), labelled examples with precision and recall, going live (never by the last
 * editor), and the test bench (a pasted text through the live rules or one expression: which
 * rules match, and where). Parse, call opinion.h, render. */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "base/utf8.h"
#include "opinion/opinion.h"
#include "org/units.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *pm_json(long long pm)
{
    return pm < 0 ? json_null() : json_real((double)pm / 1000.0);
}

static json_t *owner_json(struct req *r, long long id)
{
    json_t *u = unit_json(r->db, id);
    return u ? u : json_pack("{s:I}", "id", id);
}

static json_t *rule_json(struct req *r, const struct opinion_rule *x)
{
    json_t *actions = json_array();
    bool draft = strcmp(x->status, "draft") == 0;
    if (strcmp(x->status, "retired") != 0) {
        json_array_append_new(actions, json_string("edit"));
        json_array_append_new(actions, json_string("retire"));
    }
    if (draft && x->updated_by != r->who->user_id && x->examples_pos > 0 && x->examples_neg > 0)
        json_array_append_new(actions, json_string("publish"));
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:I,s:I,s:I,s:I,s:o,s:o,s:I,s:I,"
        "s:o}",
        "id", x->id, "name", x->name, "expression", x->expr, "topic", x->topic, "topic_label",
        opinion_topic_label(x->topic), "grade_hint", x->grade_hint, "grade_hint_label",
        opinion_grade_label(x->grade_hint), "owner", owner_json(r, x->owner_unit), "status",
        x->status, "status_label", opinion_rule_status_label(x->status), "created_by",
        x->created_by, "created_at", x->created_at, "updated_by", x->updated_by, "updated_at",
        x->updated_at, "published_by",
        x->published_by ? json_integer(x->published_by) : json_null(), "published_at",
        x->published_at ? json_integer(x->published_at) : json_null(), "examples_match",
        x->examples_pos, "examples_nonmatch", x->examples_neg, "actions", actions);
}

struct lctx {
    struct req *r;
    json_t *items;
};

static bool add_rule(void *ctx, const struct opinion_rule *x)
{
    struct lctx *c = ctx;
    json_array_append_new(c->items, rule_json(c->r, x));
    return true;
}

static enum err rules(struct req *r)
{
    const char *status = req_query(r, "status"), *topic = req_query(r, "topic");
    if (status && strcmp(status, "draft") != 0 && strcmp(status, "live") != 0 &&
        strcmp(status, "retired") != 0)
        return req_fail(r, ERR_RULE, "status", "状态应为 draft、live 或 retired");
    if (topic && !opinion_topic_valid(topic)) return req_fail(r, ERR_RULE, "topic", "主题不正确");
    struct lctx c = {r, json_array()};
    enum err e = opinion_rules_each(r->db, status, topic, add_rule, &c);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o}", "items", c.items));
}

/* A 422 naming the character position of the fault in the expression. */
static enum err expr_fail(struct req *r, const struct om_error *err)
{
    r->audit_detail = arena_printf(r->a, "expression refused at %zu", err->pos);
    return reply_json(r, 422,
                      json_pack("{s:{s:s,s:s,s:s,s:I,s:I,s:s}}", "error", "code", "rule_violation",
                                "message", err->msg, "field", "expression", "position",
                                (json_int_t)err->pos, "byte", (json_int_t)err->byte, "request_id",
                                r->request_id));
}

/* The body of a create or an edit into x; false after answering. */
static bool read_rule(struct req *r, struct opinion_rule *x, enum err *out)
{
    static const char *const allowed[] = {"name",       "expression", "topic",
                                          "grade_hint", "owner",      NULL};
    memset(x, 0, sizeof *x);
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", true, 120);
    const char *expr = jv_str(&v, "expression", false, OM_EXPR_MAX);
    if (!expr) expr = ""; /* refused below as an empty rule, at position 0 */
    const char *topic = jv_str(&v, "topic", true, 15);
    const char *grade = jv_str(&v, "grade_hint", false, 11);
    json_t *owner = json_object_get(r->json, "owner");
    if (jv_ok(&v) && !owner) jv_fail(&v, ERR_BAD_REQUEST, "owner", "缺少必填字段：owner");
    if (!jv_ok(&v)) return *out = req_fail_jv(r, &v), false;
    struct om_error err;
    if (!opinion_expr_check(expr, &err)) return *out = expr_fail(r, &err), false;
    if (json_is_integer(owner))
        x->owner_unit = (long long)json_integer_value(owner);
    else if (json_is_string(owner))
        x->owner_unit = unit_find(r->db, json_string_value(owner));
    else
        return *out = req_fail(r, ERR_BAD_REQUEST, "owner", "owner 应为单位编号或行政区划代码"),
               false;
    snprintf(x->name, sizeof x->name, "%s", name);
    snprintf(x->expr, sizeof x->expr, "%s", expr);
    snprintf(x->topic, sizeof x->topic, "%s", topic);
    snprintf(x->grade_hint, sizeof x->grade_hint, "%s", grade ? grade : "general");
    return true;
}

static _Thread_local struct opinion_rule in, got;

static enum err rule_create(struct req *r)
{
    enum err e;
    if (!read_rule(r, &in, &e)) return e;
    struct problem p = {0};
    long long id = 0;
    e = opinion_rule_create(r->db, &in, r->who->user_id, r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "opinion_rule:%lld", id);
    e = opinion_rule_get(r->db, id, &got);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 201, rule_json(r, &got));
}

static enum err rule_update(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "opinion_rule:%lld", id);
    if (!read_rule(r, &in, &e)) return e;
    struct problem p = {0};
    e = opinion_rule_update(r->db, id, &in, r->who->user_id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    e = opinion_rule_get(r->db, id, &got);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200, rule_json(r, &got));
}

static bool add_example(void *ctx, const struct opinion_example *ex, bool matched)
{
    struct lctx *c = ctx;
    json_array_append_new(c->items, json_pack("{s:I,s:s,s:b,s:b,s:b,s:I,s:I}", "id", ex->id, "text",
                                              ex->text, "match", ex->expect, "matched", matched,
                                              "correct", matched == ex->expect, "created_by",
                                              ex->created_by, "created_at", ex->created_at));
    return true;
}

static json_t *quality_json(const struct opinion_quality *q)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:o,s:o}", "true_positive", q->tp, "false_positive", q->fp,
                     "false_negative", q->fn, "true_negative", q->tn, "precision",
                     pm_json(q->precision_pm), "recall", pm_json(q->recall_pm));
}

static enum err rule_get(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    e = opinion_rule_get(r->db, id, &got);
    if (e == ERR_NOT_FOUND) return req_fail(r, e, "id", "规则不存在");
    if (e != OK) return req_fail_err(r, e);
    struct lctx c = {r, json_array()};
    struct opinion_quality q;
    e = opinion_examples_each(r->db, id, add_example, &c, &q);
    json_t *o = rule_json(r, &got);
    json_object_set_new(o, "examples", c.items);
    json_object_set_new(o, "quality", quality_json(&q));
    if (e != OK) {
        json_decref(o);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, o);
}

static enum err rule_step(struct req *r, bool publish)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "opinion_rule:%lld", id);
    struct problem p = {0};
    e = publish ? opinion_rule_publish(r->db, id, r->who->user_id, r->now, &p)
                : opinion_rule_retire(r->db, id, r->who->user_id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    e = opinion_rule_get(r->db, id, &got);
    struct opinion_quality q;
    if (e == OK) e = opinion_examples_each(r->db, id, NULL, NULL, &q);
    if (e != OK) return req_fail_err(r, e);
    json_t *o = rule_json(r, &got);
    json_object_set_new(o, "quality", quality_json(&q));
    return reply_json(r, 200, o);
}

static enum err rule_publish(struct req *r)
{
    return rule_step(r, true);
}

static enum err rule_retire(struct req *r)
{
    return rule_step(r, false);
}

static enum err example_add(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "opinion_rule:%lld", id);
    static const char *const allowed[] = {"text", "match", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *text = jv_str(&v, "text", true, OPINION_TEXT_MAX);
    bool match = jv_bool(&v, "match", true, false);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long eid = 0;
    e = opinion_example_add(r->db, id, text, match, r->who->user_id, r->now, &eid, &p);
    if (e != OK) return req_fail_problem(r, &p);
    struct opinion_quality q;
    struct lctx c = {r, json_array()};
    e = opinion_examples_each(r->db, id, add_example, &c, &q);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    return reply_json(
        r, 201,
        json_pack("{s:I,s:o,s:o}", "id", eid, "examples", c.items, "quality", quality_json(&q)));
}

static enum err example_delete(struct req *r)
{
    long long id, eid;
    enum err e = req_param_id(r, "id", &id);
    if (e == OK) e = req_param_id(r, "eid", &eid);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "opinion_rule:%lld", id);
    struct problem p = {0};
    e = opinion_example_delete(r->db, id, eid, &p);
    if (e != OK) return req_fail_problem(r, &p);
    return reply_json(r, 200, json_pack("{s:I,s:b}", "id", eid, "deleted", 1));
}

struct bctx {
    struct req *r;
    json_t *items;
    const char *text;
};

static json_t *hits_json(const struct opinion_hit_rule *h, const char *text)
{
    json_t *hs = json_array();
    for (size_t i = 0; i < h->nhits && i < 200; i++) {
        size_t len = 0;
        const char *lit = om_literal(h->set, h->hits[i].lit, &len);
        (void)text;
        json_array_append_new(hs, json_pack("{s:s%,s:I,s:I}", "literal", lit ? lit : "", len,
                                            "start", (json_int_t)h->hits[i].start, "end",
                                            (json_int_t)h->hits[i].end));
    }
    return hs;
}

static bool add_bench(void *ctx, const struct opinion_hit_rule *h)
{
    struct bctx *c = ctx;
    json_t *o =
        h->rule ? json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "rule_id", h->rule->id, "name",
                            h->rule->name, "topic", h->rule->topic, "topic_label",
                            opinion_topic_label(h->rule->topic), "grade_hint", h->rule->grade_hint,
                            "grade_hint_label", opinion_grade_label(h->rule->grade_hint),
                            "owner_unit", h->rule->owner_unit)
                : json_pack("{s:n}", "rule_id");
    json_object_set_new(o, "hits", hits_json(h, c->text));
    json_array_append_new(c->items, o);
    return true;
}

static int by_rule_id(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "rule_id"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "rule_id"));
    return x < y ? -1 : x > y;
}

static enum err bench(struct req *r)
{
    static const char *const allowed[] = {"text", "expression", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *text = jv_str(&v, "text", true, OPINION_TEXT_MAX);
    const char *expr = jv_str(&v, "expression", false, OM_EXPR_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct bctx c = {r, json_array(), text};
    size_t rules_n = 1;
    if (expr) {
        struct om_error err;
        enum err e = opinion_match_expr(expr, text, strlen(text), add_bench, &c, &err);
        if (e == ERR_RULE) {
            json_decref(c.items);
            return expr_fail(r, &err);
        }
        if (e != OK) {
            json_decref(c.items);
            return req_fail_err(r, e);
        }
    } else {
        struct opinion_matcher *m;
        enum err e = opinion_matcher_get(r->db, &m);
        if (e != OK) {
            json_decref(c.items);
            return req_fail_err(r, e);
        }
        rules_n = opinion_matcher_rules(m);
        opinion_match_text(m, text, strlen(text), add_bench, &c);
        opinion_matcher_put(m);
        size_t n = json_array_size(c.items);
        json_t **v2 = malloc((n ? n : 1) * sizeof *v2);
        if (v2) {
            for (size_t i = 0; i < n; i++)
                v2[i] = json_incref(json_array_get(c.items, i));
            qsort(v2, n, sizeof *v2, by_rule_id);
            json_array_clear(c.items);
            for (size_t i = 0; i < n; i++)
                json_array_append_new(c.items, v2[i]);
            free(v2);
        }
    }
    return reply_json(r, 200,
                      json_pack("{s:I,s:I,s:I,s:o}", "rules_checked", (json_int_t)rules_n,
                                "characters", (json_int_t)utf8_chars(text), "matched",
                                (json_int_t)json_array_size(c.items), "items", c.items));
}

const struct route opinion_routes[] = {
    {M_GET, "/api/v1/opinion/rules", PERM_OPINION_ADMIN, BODY_NONE, NULL, rules, 0},
    {M_POST, "/api/v1/opinion/rules", PERM_OPINION_ADMIN, BODY_JSON, "opinion.rule.create",
     rule_create, 0},
    {M_GET, "/api/v1/opinion/rules/{id}", PERM_OPINION_ADMIN, BODY_NONE, NULL, rule_get, 0},
    {M_PUT, "/api/v1/opinion/rules/{id}", PERM_OPINION_ADMIN, BODY_JSON, "opinion.rule.update",
     rule_update, 0},
    {M_POST, "/api/v1/opinion/rules/{id}/publish", PERM_OPINION_ADMIN, BODY_NONE,
     "opinion.rule.publish", rule_publish, 0},
    {M_POST, "/api/v1/opinion/rules/{id}/retire", PERM_OPINION_ADMIN, BODY_NONE,
     "opinion.rule.retire", rule_retire, 0},
    {M_POST, "/api/v1/opinion/rules/{id}/examples", PERM_OPINION_ADMIN, BODY_JSON,
     "opinion.example.add", example_add, 0},
    {M_DELETE, "/api/v1/opinion/rules/{id}/examples/{eid}", PERM_OPINION_ADMIN, BODY_NONE,
     "opinion.example.delete", example_delete, 0},
    {M_POST, "/api/v1/opinion/bench", PERM_OPINION_ADMIN, BODY_JSON, "opinion.bench", bench, 0},
    {0},
};
