/* session.c - who is calling: session and API-token lookup (with the per-thread session
 * cache), issue and revocation; see session.h. The SQL is in store_org.c. */
#include "org/session.h"
#include "org/org_store.h"
#include "org/policy.h"
#include "base/gen.h"
#include "org/units.h"
#include <stdio.h>
#include <string.h>

enum err principal_load_grants(struct store *db, struct principal *who)
{
    return org_store_user_grants(db, who->user_id, &who->roles, &who->unmask_pii);
}

bool principal_may_for_unit(struct store *db, const struct principal *who, enum perm p,
                            long long unit_id)
{
    if (!who) return false;
    switch (roles_scope(who->roles, p)) {
    case SCOPE_ALL:
        return true;
    case SCOPE_UNIT:
        return unit_within(db, unit_id, who->unit_id);
    default:
        return false;
    }
}

/* Sessions seen lately, per loop thread: a hit answers without the database. An entry is good
 * while the process's write generation has not moved (logout, lock, role changes … on this
 * server, and on the others before the answer returns: store/cluster.h) and for
 * CACHE_TTL_SECONDS at most (changes made straight in the database). The idle and absolute expiry
 * are checked on every hit. */
#define SESSION_CACHE_SLOTS 256
struct cached_session {
    char hash[CRYPTO_HASH_HEX];
    unsigned long long gen;
    long long cached_at, last_seen, expires;
    struct principal p;
    char username[64], display_name[128];
};
static __thread struct cached_session session_cache[SESSION_CACHE_SLOTS];

static struct cached_session *cache_slot(const char *hash)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < 8 && hash[i]; i++)
        h = (h ^ (unsigned char)hash[i]) * 16777619u;
    return &session_cache[h % SESSION_CACHE_SLOTS];
}

static void cache_put(const char *hash, const struct principal *p, long long last_seen,
                      long long expires, long long now)
{
    struct cached_session *c = cache_slot(hash);
    if (strlen(p->username) >= sizeof c->username ||
        strlen(p->display_name) >= sizeof c->display_name)
        return;
    snprintf(c->hash, sizeof c->hash, "%s", hash);
    c->gen = gen_current();
    c->cached_at = now;
    c->last_seen = last_seen;
    c->expires = expires;
    c->p = *p;
    snprintf(c->username, sizeof c->username, "%s", p->username);
    snprintf(c->display_name, sizeof c->display_name, "%s", p->display_name);
}

static bool touch(struct store *db, long long sid, long long *last_seen, long long now, enum err *e)
{
    *e = OK;
    if (now - *last_seen < POLICY_SESSION_TOUCH) return false;
    /* Outside any transaction: a lone autocommit write. */
    *e = org_store_session_touch(db, sid, now);
    *last_seen = now;
    return true;
}

enum err session_resolve(struct store *db, struct arena *a, const char *token, long long now,
                         struct principal **who)
{
    *who = NULL;
    if (!token || strlen(token) != CRYPTO_TOKEN_CHARS - 1) return OK;
    char h[CRYPTO_HASH_HEX];
    token_hash(token, h);
    struct cached_session *c = cache_slot(h);
    if (strcmp(c->hash, h) == 0 && c->gen == gen_current() &&
        now - c->cached_at < CACHE_TTL_SECONDS && now < c->expires &&
        now - c->last_seen < policy_get(db, now)->idle_minutes * 60LL) {
        enum err e;
        touch(db, c->p.session_id, &c->last_seen, now, &e);
        if (e != OK) return e;
        struct principal *p = arena_alloc(a, sizeof *p);
        *p = c->p;
        p->username = arena_strdup(a, c->username);
        p->display_name = arena_strdup(a, c->display_name);
        *who = p;
        return OK;
    }
    long long sid, last_seen, expires;
    struct principal *p;
    enum err e = org_store_session_find(db, a, h, &sid, &last_seen, &expires, &p);
    if (e != OK) return e;
    if (!p || now >= expires || now - last_seen >= policy_get(db, now)->idle_minutes * 60LL)
        return OK;
    p->session_id = sid;
    p->via_cookie = true;
    touch(db, sid, &last_seen, now, &e);
    if (e == OK) e = principal_load_grants(db, p);
    if (e != OK) return e;
    cache_put(h, p, last_seen, expires, now);
    *who = p;
    return OK;
}

enum err apitoken_resolve(struct store *db, struct arena *a, const char *token, long long now,
                          bool write, struct principal **who)
{
    *who = NULL;
    if (!token || strlen(token) > 128) return OK;
    char h[CRYPTO_HASH_HEX];
    token_hash(token, h);
    char scopes[32];
    long long expires;
    struct principal *p;
    enum err e = org_store_token_find(db, a, h, scopes, sizeof scopes, &expires, &p);
    if (e != OK) return e;
    if (!p) return OK;
    bool scope_ok = strstr(scopes, write ? "write" : "read") != NULL ||
                    (!write && strstr(scopes, "write") != NULL);
    if (now >= expires || !scope_ok) return OK;
    p->must_change_pw = false; /* tokens are issued by a logged-in user who has changed it */
    e = principal_load_grants(db, p);
    if (e == OK) *who = p;
    return e;
}

enum err session_create(struct store *db, long long user_id, long long now,
                        char token_out[CRYPTO_TOKEN_CHARS])
{
    char h[CRYPTO_HASH_HEX];
    token_new(token_out);
    token_hash(token_out, h);
    return org_store_session_insert(db, h, user_id, now,
                                    now + policy_get(db, now)->absolute_hours * 3600LL);
}

enum err principal_load(struct store *db, struct arena *a, long long user_id,
                        struct principal **who)
{
    *who = NULL;
    struct principal *p;
    enum err e = org_store_principal(db, a, user_id, &p);
    if (e != OK || !p) return e;
    e = principal_load_grants(db, p);
    if (e == OK) *who = p;
    return e;
}

enum err session_end(struct store *db, long long session_id)
{
    return org_store_session_revoke(db, session_id);
}

enum err apitokens_each(struct store *db, long long user_id, apitoken_fn fn, void *ctx)
{
    return org_store_tokens_each(db, user_id, fn, ctx);
}

enum err apitoken_create(struct store *db, long long user_id, const char *name, const char *scopes,
                         long long now, long long expires_at, char token_out[CRYPTO_TOKEN_CHARS],
                         long long *id)
{
    char h[CRYPTO_HASH_HEX];
    token_new(token_out);
    token_hash(token_out, h);
    return org_store_token_insert(db, h, user_id, name, scopes, now, expires_at, id);
}

enum err apitoken_revoke(struct store *db, long long user_id, long long id, long long now)
{
    bool revoked;
    enum err e = org_store_token_revoke(db, user_id, id, now, &revoked);
    return e == OK && !revoked ? ERR_NOT_FOUND : e;
}

enum err calendar_feed_create(struct store *db, long long user_id, long long unit_id,
                              const char *plan, const char *name, long long now,
                              char token_out[CRYPTO_TOKEN_CHARS], long long *id)
{
    char h[CRYPTO_HASH_HEX];
    token_new(token_out);
    token_hash(token_out, h);
    return org_store_feed_insert(db, unit_id, user_id, plan, name, h, now, id);
}

enum err calendar_feed_get(struct store *db, long long id, struct calendar_feed *out)
{
    return org_store_feed_get(db, id, out, NULL);
}

enum err calendar_feed_by_token(struct store *db, const char *token, struct calendar_feed *out)
{
    char h[CRYPTO_HASH_HEX], stored[CRYPTO_HASH_HEX];
    token_hash(token, h);
    enum err e = org_store_feed_by_hash(db, h, out, stored);
    if (e == OK && !crypto_eq(stored, h)) { /* the stored hash, in constant time */
        memset(out, 0, sizeof *out);
        return ERR_NOT_FOUND;
    }
    return e;
}

enum err calendar_feed_revoke(struct store *db, long long id, long long now)
{
    return org_store_feed_revoke(db, id, now);
}

enum err calendar_feeds_each(struct store *db, long long user_id, calendar_feed_fn fn, void *ctx)
{
    return org_store_feeds_each(db, user_id, fn, ctx);
}

enum err calendar_feeds_revoke_user(struct store *db, long long user_id, long long now)
{
    return org_store_feeds_revoke_user(db, user_id, now);
}
