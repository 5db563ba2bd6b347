/* green.c - the service of green points (green.h): the catalogue and methodology versions,
 * channels, crediting events into the double-entry ledger with its hash chain, reversals, the
 * citizen's account and the verification. Rules from green_rules.c, SQL in store_green.c, inside
 * the caller's transaction. */
#include "green/green.h"
#include "green/green_store.h"
#include "base/date.h"
#include "citizen/citizen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- catalogue and versions ---- */

struct beh_ctx {
    struct store *db;
    long long version;
    green_behaviour_fn fn;
    void *ctx;
    enum err e;
    struct green_behaviour *list;
    size_t n, cap;
};

static bool collect_beh(void *ctx, const struct green_behaviour *b)
{
    struct beh_ctx *c = ctx;
    if (c->n == c->cap) return false;
    c->list[c->n++] = *b;
    return true;
}

enum err green_behaviours_each(struct store *db, const char *day, green_behaviour_fn fn, void *ctx)
{
    struct green_behaviour list[64];
    struct beh_ctx c = {.db = db, .list = list, .cap = 64};
    enum err e = green_store_version_in_force(db, day, &c.version);
    if (e == OK) e = green_store_behaviours_each(db, collect_beh, &c);
    for (size_t i = 0; e == OK && i < c.n; i++) {
        struct green_factor f;
        bool found = false;
        if (c.version) e = green_store_factor_get(db, c.version, list[i].code, &f, &found);
        if (e == OK && !fn(ctx, &list[i], found ? &f : NULL)) break;
    }
    return e;
}

enum err green_behaviour_get(struct store *db, const char *code, struct green_behaviour *out)
{
    bool found = false;
    enum err e = green_store_behaviour_get(db, code, out, &found);
    return e != OK ? e : (found ? OK : ERR_NOT_FOUND);
}

enum err green_versions_each(struct store *db, green_version_fn fn, void *ctx)
{
    return green_store_versions_each(db, fn, ctx);
}

enum err green_version_get(struct store *db, long long id, struct green_version *out)
{
    bool found = false;
    enum err e = green_store_version_get(db, id, out, &found);
    return e != OK ? e : (found ? OK : ERR_NOT_FOUND);
}

enum err green_factors_each(struct store *db, long long version_id, green_factor_fn fn, void *ctx)
{
    return green_store_factors_each(db, version_id, fn, ctx);
}

enum err green_version_draft(struct store *db, const char *title, const char *effective_from,
                             const struct green_factor *fs, size_t n, long long by, long long now,
                             long long *id, struct problem *p)
{
    int day;
    if (!date_parse(effective_from, &day))
        return problem_set(p, ERR_RULE, "effective_from", "生效日期格式应为 YYYY-MM-DD");
    if (n == 0) return problem_set(p, ERR_RULE, "factors", "请至少填写一项行为的因子");
    for (size_t i = 0; i < n; i++) {
        struct green_behaviour b;
        enum err e = green_behaviour_get(db, fs[i].behaviour, &b);
        if (e == ERR_NOT_FOUND)
            return problem_set(p, ERR_RULE, "factors", "未知的低碳行为：%s", fs[i].behaviour);
        if (e != OK) return e;
        for (size_t j = 0; j < i; j++)
            if (strcmp(fs[i].behaviour, fs[j].behaviour) == 0)
                return problem_set(p, ERR_RULE, "factors", "行为「%s」重复填写", b.name);
        if (!green_factor_check(&fs[i], p)) return p->err;
    }
    enum err e = green_store_version_insert(db, title, effective_from, by, now, id);
    for (size_t i = 0; e == OK && i < n; i++) {
        struct green_factor f = fs[i];
        f.version_id = *id;
        e = green_store_factor_insert(db, &f);
    }
    return e;
}

enum err green_version_publish(struct store *db, long long id, long long by, long long now,
                               struct problem *p)
{
    struct green_version v;
    enum err e = green_version_get(db, id, &v);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "方法学版本不存在");
    if (e != OK) return e;
    if (!green_publish_check(&v, by, p)) return p->err;
    e = green_store_version_publish(db, id, by, now);
    if (e == OK && store_changes(db) != 1)
        return problem_set(p, ERR_CONFLICT, "status", "该方法学版本已由他人发布");
    return e;
}

/* ---- channels ---- */

enum err green_channel_create(struct store *db, const struct keys *k, const char *name,
                              const char *operator_name, const char *behaviours, long long by,
                              long long now, struct chancred_secret *out, long long *id,
                              struct problem *p)
{
    /* every listed behaviour must exist */
    for (const char *s = behaviours; *s;) {
        size_t len = strcspn(s, ",");
        char code[32];
        if (len == 0 || len >= sizeof code)
            return problem_set(p, ERR_RULE, "behaviours", "行为代码不正确");
        memcpy(code, s, len);
        code[len] = 0;
        struct green_behaviour b;
        enum err e = green_behaviour_get(db, code, &b);
        if (e == ERR_NOT_FOUND)
            return problem_set(p, ERR_RULE, "behaviours", "未知的低碳行为：%s", code);
        if (e != OK) return e;
        s += len;
        if (*s == ',') s++;
    }
    long long cred = 0;
    enum err e = chancred_create(db, k, GREEN_SCOPE, name, by, now, out, &cred);
    if (e == OK)
        e = green_store_channel_insert(db, name, operator_name, behaviours, cred, by, now, id);
    return e;
}

enum err green_channels_each(struct store *db, green_channel_fn fn, void *ctx)
{
    return green_store_channels_each(db, fn, ctx);
}

enum err green_channel_get(struct store *db, long long id, struct green_channel *out)
{
    bool found = false;
    enum err e = green_store_channel_get(db, id, false, out, &found);
    return e != OK ? e : (found ? OK : ERR_NOT_FOUND);
}

enum err green_channel_by_cred(struct store *db, long long cred_id, struct green_channel *out)
{
    bool found = false;
    enum err e = green_store_channel_get(db, cred_id, true, out, &found);
    return e != OK ? e : (found ? OK : ERR_NOT_FOUND);
}

enum err green_channel_revoke(struct store *db, long long id, long long now, struct problem *p)
{
    struct green_channel c;
    enum err e = green_channel_get(db, id, &c);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "渠道不存在");
    if (e != OK) return e;
    if (c.revoked_at) return problem_set(p, ERR_CONFLICT, "id", "该渠道已停用");
    e = green_store_channel_revoke(db, id, now);
    if (e == OK) e = chancred_revoke(db, c.cred_id, now);
    return e;
}

/* ---- the ledger ---- */

/* Appends entry e (kind, amount, saved_mg, behaviour … set) to account a (locked): seq, issuing
 * account, chain; updates a and the issuing account. */
static enum err append(struct store *db, struct green_account *a, struct green_entry *e,
                       long long now, long long *id)
{
    e->citizen_id = a->citizen_id;
    e->seq = a->entries + 1;
    e->created_at = now;
    date_format(date_today_shanghai(now), e->issuer_day);
    e->issuer_shard = green_shard(a->citizen_id);
    snprintf(e->prev_hash, sizeof e->prev_hash, "%s", a->last_hash);
    green_entry_hash(e, e->hash);
    enum err r = green_store_entry_insert(db, e, id);
    if (r == OK && !*id) r = ERR_INTERNAL;
    if (r == OK) r = green_store_issuer_add(db, e->issuer_day, e->issuer_shard, -e->amount);
    if (r != OK) return r;
    a->balance += e->amount;
    a->saved_mg += e->saved_mg;
    a->entries = e->seq;
    snprintf(a->last_hash, sizeof a->last_hash, "%s", e->hash);
    return green_store_account_set(db, a, now);
}

static void replayed(struct green_result *res)
{
    res->replayed = true;
}

enum err green_ingest(struct store *db, const struct green_channel *c, const struct green_event *ev,
                      long long now, struct green_result *res, struct problem *p)
{
    memset(res, 0, sizeof *res);
    char hash[CRYPTO_HASH_HEX];
    bool found = false;
    enum err e = green_store_event_find(db, c->id, ev->source_event_id, &found, hash, res);
    if (e != OK) return e;
    if (found) {
        if (strcmp(hash, ev->body_hash) != 0)
            return problem_set(p, ERR_CONFLICT, "source_event_id",
                               "该渠道事件编号已提交过不同的内容");
        replayed(res);
        return OK;
    }
    struct green_behaviour b;
    e = green_behaviour_get(db, ev->behaviour, &b);
    if (e == ERR_NOT_FOUND)
        return problem_set(p, ERR_RULE, "behaviour", "未知的低碳行为：%s", ev->behaviour);
    if (e != OK) return e;
    if (!green_channel_allows(c->behaviours, b.code))
        return problem_set(p, ERR_RULE, "behaviour", "本渠道未获准上报「%s」", b.name);
    int day, today = date_today_shanghai(now);
    if (!date_parse(ev->activity_date, &day))
        return problem_set(p, ERR_RULE, "activity_date", "活动日期格式应为 YYYY-MM-DD");
    if (day > today) return problem_set(p, ERR_RULE, "activity_date", "活动日期不能晚于今天");
    long long version = 0;
    e = green_store_version_in_force(db, ev->activity_date, &version);
    if (e != OK) return e;
    struct green_factor f;
    found = false;
    if (version) e = green_store_factor_get(db, version, b.code, &f, &found);
    if (e != OK) return e;
    if (!found)
        return problem_set(p, ERR_RULE, "behaviour", "活动日期当天生效的方法学未规定「%s」的计分",
                           b.name);
    if (!green_claim_check(day, today, f.claim_days, p)) return p->err;
    if (b.dedup == GREEN_DEDUP_TRIP && ev->started_at <= 0)
        return problem_set(p, ERR_RULE, "started_at", "出行类行为须提供出发时间（started_at）");
    struct citizen_brief cb;
    e = citizen_get(db, ev->citizen_id, now, &cb);
    if (e == ERR_NOT_FOUND || (e == OK && !cb.active))
        return problem_set(p, ERR_RULE, "citizen_id", "公众账号不存在或已注销");
    if (e != OK) return e;

    struct green_account a;
    e = green_store_account_lock(db, ev->citizen_id, now, &a);
    if (e != OK) return e;
    long long dup = 0;
    if (b.dedup == GREEN_DEDUP_TRIP)
        e = green_store_dedup_trip(db, ev->citizen_id, b.code, ev->route,
                                   ev->started_at - b.dedup_window, ev->started_at + b.dedup_window,
                                   &dup);
    else if (b.dedup == GREEN_DEDUP_DAY)
        e = green_store_dedup_day(db, ev->citizen_id, b.code, ev->activity_date, &dup);
    if (e != OK) return e;
    res->version_id = version;
    green_amounts(&f, b.scale, ev->quantity, ev->grade, &res->requested, &res->saved_mg);
    long long id = 0;
    if (dup) {
        snprintf(res->status, sizeof res->status, "duplicate");
        res->duplicate_of = dup;
        res->saved_mg = 0;
        e = green_store_event_insert(db, c->id, ev, res, now, &id);
        res->event_id = id;
        return e != OK ? e : (id ? OK : ERR_CONFLICT);
    }
    char pd[12], pm[9], py[6];
    green_periods(day, pd, pm, py);
    long long ud, um, uy;
    e = green_store_usage_get(db, ev->citizen_id, b.code, pd, &ud);
    if (e == OK) e = green_store_usage_get(db, ev->citizen_id, b.code, pm, &um);
    if (e == OK) e = green_store_usage_get(db, ev->citizen_id, b.code, py, &uy);
    if (e != OK) return e;
    const char *cap;
    res->points = green_cap_credit(&f, ud, um, uy, res->requested, &cap);
    snprintf(res->cap, sizeof res->cap, "%s", cap);
    snprintf(res->status, sizeof res->status, "%s", cap[0] ? "capped" : "credited");
    if (res->requested > 0 && res->points < res->requested)
        res->saved_mg = res->saved_mg * res->points / res->requested;
    e = green_store_event_insert(db, c->id, ev, res, now, &id);
    if (e != OK) return e;
    if (!id) return problem_set(p, ERR_CONFLICT, "source_event_id", "该事件正在由另一请求处理");
    res->event_id = id;
    if (res->points == 0) return OK;
    struct green_entry en = {
        .amount = res->points, .saved_mg = res->saved_mg, .version_id = version, .event_id = id};
    snprintf(en.kind, sizeof en.kind, "earn");
    snprintf(en.behaviour, sizeof en.behaviour, "%s", b.code);
    snprintf(en.activity_date, sizeof en.activity_date, "%s", ev->activity_date);
    e = append(db, &a, &en, now, &res->entry_id);
    char expires[11];
    date_format(day + (int)f.validity_days, expires);
    if (e == OK)
        e = green_store_lot_insert(db, a.citizen_id, res->entry_id, ev->activity_date, expires,
                                   res->points);
    if (e == OK) e = green_store_usage_add(db, ev->citizen_id, b.code, pd, res->points);
    if (e == OK) e = green_store_usage_add(db, ev->citizen_id, b.code, pm, res->points);
    if (e == OK) e = green_store_usage_add(db, ev->citizen_id, b.code, py, res->points);
    if (e == OK) e = green_store_event_set_entry(db, id, res->entry_id);
    return e;
}

enum err green_entry_get(struct store *db, long long id, struct green_entry *out)
{
    bool found = false;
    enum err e = green_store_entry_get(db, id, out, &found);
    return e != OK ? e : (found ? OK : ERR_NOT_FOUND);
}

enum err green_reverse(struct store *db, long long entry_id, const char *memo, long long by,
                       long long now, long long *new_id, struct problem *p)
{
    struct green_entry o;
    enum err e = green_entry_get(db, entry_id, &o);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "积分记录不存在");
    if (e != OK) return e;
    if (strcmp(o.kind, "earn") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "只有获得积分的记录可以冲正");
    struct green_account a;
    e = green_store_account_lock(db, o.citizen_id, now, &a);
    long long rev = 0;
    if (e == OK) e = green_store_reversal_of(db, o.citizen_id, o.id, &rev);
    if (e != OK) return e;
    if (rev) return problem_set(p, ERR_CONFLICT, "id", "该记录已冲正过");
    bool ok = false;
    e = green_store_lot_take(db, o.citizen_id, o.id, o.amount, &ok);
    if (e != OK) return e;
    if (!ok)
        return problem_set(p, ERR_CONFLICT, "id", "该记录的积分已部分使用或过期，不能整笔冲正");
    struct green_entry en = {.amount = -o.amount,
                             .saved_mg = -o.saved_mg,
                             .version_id = o.version_id,
                             .event_id = o.event_id,
                             .reverses = o.id,
                             .created_by = by};
    snprintf(en.kind, sizeof en.kind, "reverse");
    snprintf(en.behaviour, sizeof en.behaviour, "%s", o.behaviour);
    snprintf(en.activity_date, sizeof en.activity_date, "%s", o.activity_date);
    snprintf(en.memo, sizeof en.memo, "%s", memo ? memo : "");
    return append(db, &a, &en, now, new_id);
}

enum err green_account_get(struct store *db, long long citizen_id, int today,
                           struct green_account *out)
{
    memset(out, 0, sizeof *out);
    out->citizen_id = citizen_id;
    snprintf(out->last_hash, sizeof out->last_hash, "%s", GREEN_GENESIS);
    bool found = false;
    enum err e = green_store_account_read(db, citizen_id, out, &found);
    char d[11];
    date_format(today, d);
    if (e == OK)
        e = green_store_next_expiry(db, citizen_id, d, out->next_expiry, &out->next_expiry_amount);
    return e;
}

enum err green_entries_each(struct store *db, long long citizen_id, long long before_seq,
                            long long limit, green_entry_fn fn, void *ctx)
{
    return green_store_entries_each(db, citizen_id, before_seq > 0 ? before_seq : (1LL << 62),
                                    limit, fn, ctx);
}

enum err green_totals_each(struct store *db, long long citizen_id, green_total_fn fn, void *ctx)
{
    return green_store_totals_each(db, citizen_id, fn, ctx);
}

/* ---- verification ---- */

struct vctx {
    struct store *db;
    bool *bad;
    char *why;
    size_t len;
    long long n, cur, sum, mg, count, total;
    char prev[CRYPTO_HASH_HEX];
    enum err e;
};

static bool fail(struct vctx *v, const char *fmt, long long a, long long b, long long c)
{
    *v->bad = true;
    snprintf(v->why, v->len, fmt, a, b, c);
    return false;
}

/* The account cur against the sums of its entries. */
static bool close_account(struct vctx *v)
{
    if (!v->cur) return true;
    struct green_account a;
    bool found = false;
    v->e = green_store_account_read(v->db, v->cur, &a, &found);
    if (v->e != OK) return false;
    if (!found)
        return fail(v, "account of citizen %lld is missing (%lld entries, %lld points)", v->cur,
                    v->count, v->sum);
    if (a.balance != v->sum)
        return fail(v, "citizen %lld: balance %lld differs from the sum of its entries %lld",
                    v->cur, a.balance, v->sum);
    if (a.entries != v->count)
        return fail(v, "citizen %lld: the account counts %lld entries, the ledger holds %lld",
                    v->cur, a.entries, v->count);
    if (strcmp(a.last_hash, v->prev) != 0)
        return fail(v,
                    "citizen %lld: the account's last hash is not that of its entry seq %lld%.0lld",
                    v->cur, v->count, 0);
    return true;
}

static bool walk(void *ctx, const struct green_entry *e)
{
    struct vctx *v = ctx;
    v->n++;
    v->total += e->amount;
    if (e->citizen_id != v->cur) {
        if (!close_account(v)) return false;
        v->cur = e->citizen_id;
        v->sum = v->mg = v->count = 0;
        snprintf(v->prev, sizeof v->prev, "%s", GREEN_GENESIS);
    }
    if (e->seq != v->count + 1)
        return fail(
            v, "citizen %lld: entry %lld has seq %lld out of order (an entry removed or moved)",
            e->citizen_id, e->id, e->seq);
    if (strcmp(e->prev_hash, v->prev) != 0)
        return fail(
            v,
            "citizen %lld: entry %lld (seq %lld) does not follow the entry before it in the chain",
            e->citizen_id, e->id, e->seq);
    char h[CRYPTO_HASH_HEX];
    green_entry_hash(e, h);
    if (strcmp(h, e->hash) != 0)
        return fail(
            v,
            "citizen %lld: entry %lld (seq %lld) was altered: its hash does not match its fields",
            e->citizen_id, e->id, e->seq);
    v->sum += e->amount;
    v->mg += e->saved_mg;
    v->count++;
    snprintf(v->prev, sizeof v->prev, "%s", e->hash);
    return true;
}

struct ictx {
    struct vctx *v;
    struct {
        char day[11];
        long long shard, balance, entries;
    } * rows;
    size_t n, cap, at;
};

static bool keep_issuer(void *ctx, const char *day, long long shard, long long balance,
                        long long entries)
{
    struct ictx *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        void *p = realloc(c->rows, cap * sizeof *c->rows);
        if (!p) return false;
        c->rows = p;
        c->cap = cap;
    }
    snprintf(c->rows[c->n].day, 11, "%s", day);
    c->rows[c->n].shard = shard;
    c->rows[c->n].balance = balance;
    c->rows[c->n].entries = entries;
    c->n++;
    return true;
}

static bool check_issuer(void *ctx, const char *day, long long shard, long long balance,
                         long long entries)
{
    struct ictx *c = ctx;
    struct vctx *v = c->v;
    if (c->at >= c->n || strcmp(c->rows[c->at].day, day) != 0 || c->rows[c->at].shard != shard) {
        *v->bad = true;
        snprintf(v->why, v->len, "issuing account %s/%lld is missing or has no entries", day,
                 shard);
        return false;
    }
    if (c->rows[c->at].balance != balance || c->rows[c->at].entries != entries) {
        *v->bad = true;
        snprintf(v->why, v->len,
                 "issuing account %s/%lld: balance %lld and %lld entries, its entries sum to %lld "
                 "in %lld",
                 day, shard, balance, entries, c->rows[c->at].balance, c->rows[c->at].entries);
        return false;
    }
    c->at++;
    return true;
}

static bool count_account(void *ctx, const struct green_account *a)
{
    struct vctx *v = ctx;
    v->count++;
    v->sum += a->balance;
    return true;
}

enum err green_verify(struct store *db, long long *entries, bool *bad, char *why, size_t len)
{
    *bad = false;
    *entries = 0;
    why[0] = 0;
    struct vctx v = {.db = db, .bad = bad, .why = why, .len = len};
    snprintf(v.prev, sizeof v.prev, "%s", GREEN_GENESIS);
    enum err e = green_store_entries_walk(db, walk, &v);
    if (e == OK) e = v.e;
    if (e == OK && !*bad) {
        close_account(&v);
        e = v.e;
    }
    *entries = v.n;
    if (e != OK || *bad) return e;
    /* every account with entries was checked; an account row with no entries must be empty */
    long long total = v.total;
    v.count = v.sum = 0;
    e = green_store_accounts_each(db, count_account, &v);
    if (e != OK) return e;
    if (v.sum != total) {
        *bad = true;
        snprintf(why, len, "the accounts' balances sum to %lld, their entries to %lld", v.sum,
                 total);
        return OK;
    }
    /* the issuing side: each (day, shard) against its entries, and nothing made from nothing */
    struct ictx ic = {.v = &v};
    e = green_store_issuer_sums_each(db, keep_issuer, &ic);
    if (e == OK) e = green_store_issuers_each(db, check_issuer, &ic);
    if (e == OK && !*bad && ic.at != ic.n) {
        *bad = true;
        snprintf(why, len, "issuing account %s/%lld is missing", ic.rows[ic.at].day,
                 ic.rows[ic.at].shard);
    }
    free(ic.rows);
    return e;
}
