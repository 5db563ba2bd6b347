/* opinion.c - the services of public-opinion rules (opinion.h): rules as data with their
 * examples, and the one matcher of the live rules, cached per process by rules_gen. */
#include "opinion/opinion.h"
#include "opinion/opinion_store.h"
#include "base/utf8.h"
#include "org/units.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool opinion_expr_check(const char *expr, struct om_error *err)
{
    return om_check(expr, err);
}

static enum err check_rule(struct store *db, const struct opinion_rule *in, struct problem *p)
{
    if (!in->name[0]) return problem_set(p, ERR_RULE, "name", "请填写规则名称");
    if (!opinion_topic_valid(in->topic))
        return problem_set(p, ERR_RULE, "topic",
                           "主题应为 air、water、noise、waste、soil、ecology、eia、enforcement、"
                           "climate 或 other");
    if (!opinion_grade_valid(in->grade_hint))
        return problem_set(p, ERR_RULE, "grade_hint", "等级应为 general、major 或 grave");
    struct unit u;
    enum err e = unit_get(db, in->owner_unit, &u);
    if (e == ERR_NOT_FOUND || (e == OK && !u.active))
        return problem_set(p, ERR_RULE, "owner", "责任单位不存在");
    if (e != OK) return e;
    struct om_error err;
    if (!om_check(in->expr, &err)) return problem_set(p, ERR_RULE, "expression", "%s", err.msg);
    return OK;
}

enum err opinion_rule_create(struct store *db, const struct opinion_rule *in, long long by,
                             long long now, long long *id, struct problem *p)
{
    enum err e = check_rule(db, in, p);
    if (e != OK) return e;
    return opinion_store_rule_insert(db, in, by, now, id);
}

enum err opinion_rule_get(struct store *db, long long id, struct opinion_rule *out)
{
    bool found = false;
    enum err e = opinion_store_rule_get(db, id, out, &found);
    if (e == OK && !found) return ERR_NOT_FOUND;
    return e;
}

enum err opinion_rule_update(struct store *db, long long id, const struct opinion_rule *in,
                             long long by, long long now, struct problem *p)
{
    static _Thread_local struct opinion_rule cur;
    enum err e = opinion_rule_get(db, id, &cur);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "规则不存在");
    if (e != OK) return e;
    if (strcmp(cur.status, "retired") == 0)
        return problem_set(p, ERR_CONFLICT, "status", "规则已停用，不能再修改");
    e = check_rule(db, in, p);
    if (e != OK) return e;
    bool changed = strcmp(cur.expr, in->expr) != 0;
    e = opinion_store_rule_update(db, id, in, changed, by, now);
    /* a live rule's topic, grade or owner changed, or it left the live set */
    if (e == OK && strcmp(cur.status, "live") == 0) e = opinion_store_gen_bump(db);
    return e;
}

enum err opinion_rules_each(struct store *db, const char *status, const char *topic,
                            opinion_rule_fn fn, void *ctx)
{
    return opinion_store_rules_each(db, status, topic, fn, ctx);
}

enum err opinion_rule_publish(struct store *db, long long id, long long by, long long now,
                              struct problem *p)
{
    static _Thread_local struct opinion_rule cur;
    enum err e = opinion_rule_get(db, id, &cur);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "规则不存在");
    if (e != OK) return e;
    if (strcmp(cur.status, "draft") != 0)
        return problem_set(p, ERR_CONFLICT, "status", "只有草稿状态的规则可以启用");
    if (cur.updated_by == by)
        return problem_set(p, ERR_FORBIDDEN, "id",
                           "规则的最后修改人不能启用自己修改的规则，请由另一位工作人员审核启用");
    if (cur.examples_pos < 1 || cur.examples_neg < 1)
        return problem_set(p, ERR_RULE, "examples",
                           "启用前请至少标注一条应命中和一条不应命中的样例，以核对准确率和召回率");
    bool changed = false;
    e = opinion_store_rule_status(db, id, "draft", "live", by, now, &changed);
    if (e == OK && !changed) return problem_set(p, ERR_CONFLICT, "status", "规则状态已变化");
    if (e == OK) e = opinion_store_gen_bump(db);
    return e;
}

enum err opinion_rule_retire(struct store *db, long long id, long long by, long long now,
                             struct problem *p)
{
    static _Thread_local struct opinion_rule cur;
    enum err e = opinion_rule_get(db, id, &cur);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "规则不存在");
    if (e != OK) return e;
    if (strcmp(cur.status, "retired") == 0)
        return problem_set(p, ERR_CONFLICT, "status", "规则已停用");
    bool changed = false;
    e = opinion_store_rule_status(db, id, cur.status, "retired", by, now, &changed);
    if (e == OK && !changed) return problem_set(p, ERR_CONFLICT, "status", "规则状态已变化");
    if (e == OK && strcmp(cur.status, "live") == 0) e = opinion_store_gen_bump(db);
    return e;
}

enum err opinion_example_add(struct store *db, long long rule_id, const char *text, bool expect,
                             long long by, long long now, long long *id, struct problem *p)
{
    static _Thread_local struct opinion_rule cur;
    enum err e = opinion_rule_get(db, rule_id, &cur);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "规则不存在");
    if (e != OK) return e;
    if (!text || !text[0]) return problem_set(p, ERR_RULE, "text", "请填写样例文本");
    if (strlen(text) > OPINION_TEXT_MAX)
        return problem_set(p, ERR_TOO_LARGE, "text", "样例文本过长（最多 %d 字节）",
                           OPINION_TEXT_MAX);
    if (cur.examples_pos + cur.examples_neg >= OPINION_EXAMPLES_MAX)
        return problem_set(p, ERR_RULE, "text", "每条规则最多 %d 条样例", OPINION_EXAMPLES_MAX);
    return opinion_store_example_insert(db, rule_id, text, expect, by, now, id);
}

enum err opinion_example_delete(struct store *db, long long rule_id, long long id,
                                struct problem *p)
{
    bool found = false;
    enum err e = opinion_store_example_delete(db, rule_id, id, &found);
    if (e == OK && !found) return problem_set(p, ERR_NOT_FOUND, "eid", "样例不存在");
    return e;
}

struct ex_ctx {
    struct om_set *set;
    struct om_scratch *sc;
    opinion_example_fn fn;
    void *ctx;
    struct opinion_quality *q;
    bool stop;
};

static bool on_example(void *c, const struct opinion_example *ex)
{
    struct ex_ctx *x = c;
    bool matched = om_match(x->set, x->sc, ex->text, strlen(ex->text), NULL, NULL) > 0;
    if (matched && ex->expect) x->q->tp++;
    if (matched && !ex->expect) x->q->fp++;
    if (!matched && ex->expect) x->q->fn++;
    if (!matched && !ex->expect) x->q->tn++;
    if (x->fn && !x->stop && !x->fn(x->ctx, ex, matched)) x->stop = true;
    return true;
}

enum err opinion_examples_each(struct store *db, long long rule_id, opinion_example_fn fn,
                               void *ctx, struct opinion_quality *q)
{
    memset(q, 0, sizeof *q);
    static _Thread_local struct opinion_rule cur;
    enum err e = opinion_rule_get(db, rule_id, &cur);
    if (e != OK) return e;
    struct om_rule_src src = {cur.expr};
    struct om_error err;
    size_t bad;
    struct ex_ctx x = {.fn = fn, .ctx = ctx, .q = q};
    x.set = om_build(&src, 1, &err, &bad);
    x.sc = x.set ? om_scratch_new(x.set) : NULL;
    if (!x.sc) {
        om_free(x.set);
        return ERR_INTERNAL;
    }
    e = opinion_store_examples_each(db, rule_id, on_example, &x);
    om_scratch_free(x.sc);
    om_free(x.set);
    opinion_quality_compute(q);
    return e;
}

/* ---- the matcher of the live rules ---- */

struct opinion_matcher {
    int refs;
    long long gen;
    struct om_set *set;
    struct opinion_rule_brief *rules;
    size_t n;
    struct om_scratch *free_scratch[8];
    int nfree;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct opinion_matcher *cached;

static void matcher_free(struct opinion_matcher *m)
{
    for (int i = 0; i < m->nfree; i++)
        om_scratch_free(m->free_scratch[i]);
    om_free(m->set);
    free(m->rules);
    free(m);
}

void opinion_matcher_put(struct opinion_matcher *m)
{
    if (!m) return;
    pthread_mutex_lock(&cache_lock);
    bool last = --m->refs == 0;
    pthread_mutex_unlock(&cache_lock);
    if (last) matcher_free(m);
}

size_t opinion_matcher_rules(const struct opinion_matcher *m)
{
    return m->n;
}

struct load_ctx {
    struct opinion_rule_brief *rules;
    char **exprs;
    size_t n, cap;
    bool oom;
};

static bool on_live(void *c, const struct opinion_rule *r)
{
    struct load_ctx *l = c;
    struct om_error err;
    if (!om_check(r->expr, &err)) return true; /* cannot happen: checked when written */
    if (l->n >= OPINION_RULES_MAX) return false;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        void *a = realloc(l->rules, nc * sizeof *l->rules);
        if (a) l->rules = a;
        void *b = realloc(l->exprs, nc * sizeof *l->exprs);
        if (b) l->exprs = b;
        if (!a || !b) return l->oom = true, false;
        l->cap = nc;
    }
    struct opinion_rule_brief *b = &l->rules[l->n];
    memset(b, 0, sizeof *b);
    b->id = r->id;
    b->owner_unit = r->owner_unit;
    snprintf(b->name, sizeof b->name, "%s", r->name);
    snprintf(b->topic, sizeof b->topic, "%s", r->topic);
    snprintf(b->grade_hint, sizeof b->grade_hint, "%s", r->grade_hint);
    l->exprs[l->n] = strdup(r->expr);
    if (!l->exprs[l->n]) return l->oom = true, false;
    l->n++;
    return true;
}

enum err opinion_matcher_get(struct store *db, struct opinion_matcher **out)
{
    *out = NULL;
    long long gen = 0;
    enum err e = opinion_store_gen_get(db, &gen);
    if (e != OK) return e;
    pthread_mutex_lock(&cache_lock);
    if (cached && cached->gen == gen) {
        cached->refs++;
        *out = cached;
        pthread_mutex_unlock(&cache_lock);
        return OK;
    }
    pthread_mutex_unlock(&cache_lock);
    struct load_ctx l = {0};
    e = opinion_store_rules_each(db, "live", NULL, on_live, &l);
    struct opinion_matcher *m = calloc(1, sizeof *m);
    struct om_rule_src *src = calloc(l.n ? l.n : 1, sizeof *src);
    if (e == OK && (l.oom || !m || !src)) e = ERR_INTERNAL;
    if (e == OK) {
        for (size_t i = 0; i < l.n; i++)
            src[i].expr = l.exprs[i];
        struct om_error err;
        size_t bad;
        m->set = om_build(src, l.n, &err, &bad);
        if (!m->set) e = ERR_INTERNAL;
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.exprs[i]);
    free(l.exprs);
    free(src);
    if (e != OK) {
        free(l.rules);
        if (m) om_free(m->set);
        free(m);
        return e;
    }
    m->rules = l.rules;
    m->n = l.n;
    m->gen = gen;
    m->refs = 2; /* the cache's and the caller's */
    pthread_mutex_lock(&cache_lock);
    struct opinion_matcher *old = cached;
    bool free_old = old && --old->refs == 0;
    cached = m;
    pthread_mutex_unlock(&cache_lock);
    if (free_old) matcher_free(old);
    *out = m;
    return OK;
}

struct hit_ctx {
    const struct opinion_rule_brief *rules;
    const struct om_set *set;
    opinion_hit_fn fn;
    void *ctx;
};

static bool on_hit(void *c, size_t rule, const struct om_hit *hits, size_t n)
{
    struct hit_ctx *h = c;
    struct opinion_hit_rule r = {h->rules ? &h->rules[rule] : NULL, hits, n, h->set};
    return h->fn(h->ctx, &r);
}

size_t opinion_match_text(struct opinion_matcher *m, const char *text, size_t len,
                          opinion_hit_fn fn, void *ctx)
{
    struct om_scratch *sc = NULL;
    pthread_mutex_lock(&cache_lock);
    if (m->nfree) sc = m->free_scratch[--m->nfree];
    pthread_mutex_unlock(&cache_lock);
    if (!sc) sc = om_scratch_new(m->set);
    if (!sc) return 0;
    struct hit_ctx h = {m->rules, m->set, fn, ctx};
    size_t n = om_match(m->set, sc, text, len, fn ? on_hit : NULL, &h);
    pthread_mutex_lock(&cache_lock);
    if (m->nfree < 8) {
        m->free_scratch[m->nfree++] = sc;
        sc = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
    om_scratch_free(sc);
    return n;
}

enum err opinion_match_expr(const char *expr, const char *text, size_t len, opinion_hit_fn fn,
                            void *ctx, struct om_error *err)
{
    struct om_rule_src src = {expr};
    size_t bad;
    struct om_set *set = om_build(&src, 1, err, &bad);
    if (!set) return bad == 0 ? ERR_RULE : ERR_INTERNAL;
    struct om_scratch *sc = om_scratch_new(set);
    if (!sc) {
        om_free(set);
        return ERR_INTERNAL;
    }
    struct hit_ctx h = {NULL, set, fn, ctx};
    om_match(set, sc, text, len, fn ? on_hit : NULL, &h);
    om_scratch_free(sc);
    om_free(set);
    return OK;
}
