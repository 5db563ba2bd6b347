/* store_opinion.c - all of opinion's SQL (opinion_store.h): prepared statements with `?`,
 * portable to SQLite and PostgreSQL. */
#include "opinion/opinion_store.h"
#include <stdio.h>
#include <string.h>

#define CP(dst, q, col)                                                                            \
    snprintf((dst), sizeof(dst), "%s", store_text((q), (col)) ? store_text((q), (col)) : "")

static enum err done(struct store *db, struct store_stmt *q)
{
    store_done(q);
    return store_err(db);
}

#define RULE_COLS                                                                                  \
    "r.id, r.name, r.expression, r.topic, r.grade_hint, r.owner_unit, r.status, r.created_by, "    \
    "r.created_at, r.updated_by, r.updated_at, COALESCE(r.published_by, 0), "                      \
    "COALESCE(r.published_at, 0), (SELECT COUNT(*) FROM opinion_examples e WHERE e.rule_id = "     \
    "r.id AND e.expect = 1), (SELECT COUNT(*) FROM opinion_examples e WHERE e.rule_id = r.id AND " \
    "e.expect = 0)"

static void read_rule(struct store_stmt *q, struct opinion_rule *r)
{
    memset(r, 0, sizeof *r);
    r->id = store_int(q, 0);
    CP(r->name, q, 1);
    CP(r->expr, q, 2);
    CP(r->topic, q, 3);
    CP(r->grade_hint, q, 4);
    r->owner_unit = store_int(q, 5);
    CP(r->status, q, 6);
    r->created_by = store_int(q, 7);
    r->created_at = store_int(q, 8);
    r->updated_by = store_int(q, 9);
    r->updated_at = store_int(q, 10);
    r->published_by = store_int(q, 11);
    r->published_at = store_int(q, 12);
    r->examples_pos = store_int(q, 13);
    r->examples_neg = store_int(q, 14);
}

enum err opinion_store_rule_insert(struct store *db, const struct opinion_rule *in, long long by,
                                   long long now, long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO opinion_rules (name, expression, topic, grade_hint, "
                "owner_unit, status, created_by, created_at, updated_by, "
                "updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?) "
                "RETURNING id",
                "ttttiiiii", in->name, in->expr, in->topic, in->grade_hint, in->owner_unit, by, now,
                by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err opinion_store_rule_update(struct store *db, long long id, const struct opinion_rule *in,
                                   bool draft, long long by, long long now)
{
    return store_do(db,
                    "UPDATE opinion_rules SET name = ?, expression = ?, topic = ?, grade_hint = ?, "
                    "owner_unit = ?, updated_by = ?, updated_at = ?, status = CASE WHEN "
                    "CAST(? AS BIGINT) = 1 THEN 'draft' ELSE status END WHERE id = ?",
                    "ttttiiiii", in->name, in->expr, in->topic, in->grade_hint, in->owner_unit, by,
                    now, (long long)draft, id);
}

enum err opinion_store_rule_get(struct store *db, long long id, struct opinion_rule *r, bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " RULE_COLS " FROM opinion_rules r WHERE r.id = ?", "i", id);
    *found = store_row(q);
    if (*found) read_rule(q, r);
    return done(db, q);
}

enum err opinion_store_rules_each(struct store *db, const char *status, const char *topic,
                                  opinion_rule_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT " RULE_COLS " FROM opinion_rules r WHERE (CAST(? AS TEXT) = '' "
        "OR r.status = ?) AND (CAST(? AS TEXT) = '' OR r.topic = ?) "
        "ORDER BY r.id",
        "tttt", status ? status : "", status ? status : "", topic ? topic : "", topic ? topic : "");
    static _Thread_local struct opinion_rule r;
    while (store_row(q)) {
        read_rule(q, &r);
        if (!fn(ctx, &r)) break;
    }
    return done(db, q);
}

enum err opinion_store_rule_status(struct store *db, long long id, const char *from, const char *to,
                                   long long by, long long now, bool *changed)
{
    bool live = strcmp(to, "live") == 0;
    enum err e =
        store_do(db,
                 live ? "UPDATE opinion_rules SET status = ?, published_by = ?, published_at = ? "
                        "WHERE id = ? AND status = ?"
                      : "UPDATE opinion_rules SET status = ?, updated_by = ?, updated_at = ? "
                        "WHERE id = ? AND status = ?",
                 "tiiit", to, by, now, id, from);
    *changed = e == OK && store_changes(db) == 1;
    return e;
}

enum err opinion_store_gen_bump(struct store *db)
{
    return store_do(db, "UPDATE opinion_state SET rules_gen = rules_gen + 1 WHERE id = 1", "");
}

enum err opinion_store_gen_get(struct store *db, long long *gen)
{
    struct store_stmt *q = store_q(db, "SELECT rules_gen FROM opinion_state WHERE id = 1", "");
    *gen = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err opinion_store_example_insert(struct store *db, long long rule_id, const char *text,
                                      bool expect, long long by, long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO opinion_examples (rule_id, text, expect, "
                                   "created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                   "itiii", rule_id, text, (long long)expect, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err opinion_store_example_delete(struct store *db, long long rule_id, long long id,
                                      bool *found)
{
    enum err e = store_do(db, "DELETE FROM opinion_examples WHERE id = ? AND rule_id = ?", "ii", id,
                          rule_id);
    *found = e == OK && store_changes(db) == 1;
    return e;
}

enum err opinion_store_examples_each(struct store *db, long long rule_id,
                                     bool (*fn)(void *, const struct opinion_example *), void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, rule_id, text, expect, created_by, created_at FROM "
                                   "opinion_examples WHERE rule_id = ? ORDER BY id",
                                   "i", rule_id);
    static _Thread_local struct opinion_example ex;
    while (store_row(q)) {
        ex.id = store_int(q, 0);
        ex.rule_id = store_int(q, 1);
        CP(ex.text, q, 2);
        ex.expect = store_int(q, 3) != 0;
        ex.created_by = store_int(q, 4);
        ex.created_at = store_int(q, 5);
        if (!fn(ctx, &ex)) break;
    }
    return done(db, q);
}
