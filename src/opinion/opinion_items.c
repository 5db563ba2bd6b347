/* opinion_items.c - items in (opinion.h): vendor channels with their credential, one item at a
 * time into the caller's transaction: the replay check, duplicates by URL, near-duplicates by
 * simhash joining their original's event, a new event otherwise, and the live rules' matches
 * (the item's grade is the gravest grade hint among them, 一般 when none). */
#include "opinion/opinion.h"
#include "opinion/opinion_store.h"
#include <stdio.h>
#include <string.h>

enum err opinion_channel_create(struct store *db, const struct keys *k, const char *name,
                                const char *vendor, long long by, long long now,
                                struct chancred_secret *out, long long *id, struct problem *p)
{
    if (!name || !name[0]) return problem_set(p, ERR_RULE, "name", "请填写渠道名称");
    if (!vendor || !vendor[0]) return problem_set(p, ERR_RULE, "vendor", "请填写监测服务商");
    long long cred = 0;
    enum err e = chancred_create(db, k, OPINION_SCOPE, name, by, now, out, &cred);
    if (e == OK) e = opinion_store_channel_insert(db, name, vendor, cred, by, now, id);
    return e;
}

enum err opinion_channels_each(struct store *db, opinion_channel_fn fn, void *ctx)
{
    return opinion_store_channels_each(db, fn, ctx);
}

enum err opinion_channel_get(struct store *db, long long id, bool by_cred,
                             struct opinion_channel *out)
{
    bool found = false;
    enum err e = opinion_store_channel_get(db, id, by_cred, out, &found);
    if (e == OK && !found) return ERR_NOT_FOUND;
    return e;
}

enum err opinion_channel_revoke(struct store *db, long long id, long long now, struct problem *p)
{
    struct opinion_channel c;
    enum err e = opinion_channel_get(db, id, false, &c);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "渠道不存在");
    if (e != OK) return e;
    if (c.revoked_at) return problem_set(p, ERR_CONFLICT, "id", "渠道已停用");
    e = chancred_revoke(db, c.cred_id, now);
    if (e == OK) e = opinion_store_channel_revoke(db, id, now);
    return e;
}

static int grade_rank(const char *g)
{
    return strcmp(g, "grave") == 0 ? 2 : strcmp(g, "major") == 0 ? 1 : 0;
}

struct near_ctx {
    unsigned long long h;
    long long id, event;
};

static bool on_near(void *c, long long id, long long event, unsigned long long h)
{
    struct near_ctx *n = c;
    if (opinion_hamming(n->h, h) > OPINION_SIMHASH_DISTANCE) return true;
    n->id = id;
    n->event = event;
    return false;
}

struct match_ctx {
    struct store *db;
    long long item;
    int grade;
    long long rules;
    enum err e;
};

static bool on_rule(void *c, const struct opinion_hit_rule *h)
{
    struct match_ctx *m = c;
    if (m->item) {
        m->e = opinion_store_item_rule_insert(m->db, m->item, h->rule->id, h->rule->topic,
                                              h->rule->grade_hint, h->rule->owner_unit);
        if (m->e != OK) return false;
    }
    int g = grade_rank(h->rule->grade_hint);
    if (g > m->grade) m->grade = g;
    m->rules++;
    return true;
}

/* The event's title: the start of the text, cut on a character boundary. */
static void title_of(const char *text, char *out, size_t len)
{
    size_t n = 0, chars = 0;
    while (text[n] && chars < 40 && n + 4 < len) {
        size_t w = 1;
        while (((unsigned char)text[n + w] & 0xC0) == 0x80)
            w++;
        if (text[n] == '\n' || text[n] == '\r') break;
        n += w;
        chars++;
    }
    memcpy(out, text, n);
    out[n] = 0;
}

enum err opinion_item_ingest(struct store *db, const struct keys *k, struct opinion_matcher *m,
                             const struct opinion_gazetteer *g, long long channel,
                             const struct opinion_item_in *in, long long entered_by, long long now,
                             struct opinion_result *res, struct problem *p)
{
    memset(res, 0, sizeof *res);
    if (!opinion_item_check(in, p)) return p->err;
    bool found = false;
    char hash[CRYPTO_HASH_HEX];
    enum err e = opinion_store_item_find(db, channel, in->source_item_id, &found, hash, res);
    if (e != OK) return e;
    if (found) {
        if (strcmp(hash, in->body_hash) != 0)
            return problem_set(p, ERR_CONFLICT, "source_item_id",
                               "该条目（%s）已收到，内容与首次不同：请换用新的条目编号",
                               in->source_item_id);
        res->replayed = true;
        return OK;
    }
    /* a URL seen before */
    long long dup = 0, event = 0;
    e = opinion_store_item_by_url(db, in->url, &dup, &event);
    if (e != OK) return e;
    unsigned long long h = opinion_simhash(in->text, strlen(in->text));
    if (dup) {
        snprintf(res->kind, sizeof res->kind, "duplicate");
        res->duplicate_of = dup;
        res->event_id = event;
    } else {
        struct near_ctx n = {h, 0, 0};
        e = opinion_store_near_each(db, h, now - OPINION_NEAR_WINDOW, on_near, &n);
        if (e != OK) return e;
        if (n.id) {
            snprintf(res->kind, sizeof res->kind, "near_duplicate");
            res->duplicate_of = n.id;
            res->event_id = n.event;
            e = opinion_store_event_add(db, n.event, in);
        } else {
            snprintf(res->kind, sizeof res->kind, "new");
            char title[200];
            title_of(in->text, title, sizeof title);
            e = opinion_store_event_insert(db, title, in, now, &res->event_id);
        }
        if (e != OK) return e;
    }
    /* the grade from the live rules, before the row is written */
    struct match_ctx mc = {db, 0, 0, 0, OK};
    if (m) opinion_match_text(m, in->text, strlen(in->text), on_rule, &mc);
    static const char *const grades[] = {"general", "major", "grave"};
    struct opinion_settings st;
    e = opinion_settings_get(db, &st);
    if (e != OK) return e;
    int rg = grade_rank(opinion_reach_grade(&st, in->reads, in->shares));
    snprintf(res->grade, sizeof res->grade, "%s", grades[rg > mc.grade ? rg : mc.grade]);
    if (g)
        opinion_route(g, in->text, strlen(in->text), &res->unit_id, res->route, res->places);
    else
        snprintf(res->route, sizeof res->route, "none");
    char author[CRYPTO_HASH_HEX];
    if (in->author && in->author[0]) pii_lookup_hash(k, "opinion.author", in->author, author);
    e = opinion_store_item_insert(db, channel, in, in->author && in->author[0] ? author : NULL, h,
                                  res, entered_by, now, &res->item_id);
    if (e != OK) return e;
    if (!res->item_id) /* a concurrent twin took the key: answer as its replay */
        return problem_set(p, ERR_CONFLICT, "source_item_id", "该条目正被同时提交，请重试");
    struct match_ctx mi = {db, res->item_id, 0, 0, OK};
    if (m) opinion_match_text(m, in->text, strlen(in->text), on_rule, &mi);
    res->rules = mi.rules;
    if (mi.e == OK && strcmp(res->kind, "new") == 0)
        return opinion_store_case_insert(db, res->item_id, res->grade,
                                         now + opinion_clock(res->grade), now);
    return mi.e;
}

enum err opinion_item_get(struct store *db, long long id, struct opinion_item *out)
{
    bool found = false;
    enum err e = opinion_store_item_get(db, id, out, &found);
    if (e == OK && !found) return ERR_NOT_FOUND;
    return e;
}

enum err opinion_items_each(struct store *db, long long before_id, long long limit,
                            opinion_item_fn fn, void *ctx)
{
    return opinion_store_items_each(db, before_id, limit, fn, ctx);
}

enum err opinion_item_rules_each(struct store *db, long long item_id, opinion_item_rule_fn fn,
                                 void *ctx)
{
    return opinion_store_item_rules_each(db, item_id, fn, ctx);
}

enum err opinion_events_each(struct store *db, long long limit, opinion_event_fn fn, void *ctx)
{
    return opinion_store_events_each(db, limit, fn, ctx);
}
