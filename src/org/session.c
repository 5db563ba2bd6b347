/* session.c - session and API-token lookup. */
#include "org/session.h"
#include "org/policy.h"
#include "base/gen.h"
#include "org/units.h"
#include <stdio.h>
#include <string.h>

enum err principal_load_grants(struct store *db, struct principal *who)
{
    who->roles = 0;
    who->unmask_pii = false;
    struct store_stmt *q = store_q(db,
                                   "SELECT 'r', role FROM user_roles WHERE user_id = ?"
                                   " UNION ALL SELECT 'p', perm FROM user_perms WHERE user_id = ?",
                                   "ii", who->user_id, who->user_id);
    while (store_row(q)) {
        const char *kind = store_text(q, 0), *name = store_text(q, 1);
        enum role r;
        if (kind[0] == 'r' && role_parse(name, &r)) who->roles |= 1u << r;
        if (kind[0] == 'p' && strcmp(name, UPERM_UNMASK_PII) == 0) who->unmask_pii = true;
    }
    store_done(q);
    return store_err(db);
}

bool principal_may_for_unit(struct store *db, const struct principal *who, enum perm p,
                            long long unit_id)
{
    if (!who) return false;
    switch (roles_scope(who->roles, p)) {
    case SCOPE_ALL: return true;
    case SCOPE_UNIT: return unit_within(db, unit_id, who->unit_id);
    default: return false;
    }
}

static struct principal *from_row(struct arena *a, struct store_stmt *q, int first)
{
    struct principal *p = arena_alloc(a, sizeof *p);
    p->user_id = store_int(q, first);
    p->username = arena_strdup(a, store_text(q, first + 1));
    p->display_name = arena_strdup(a, store_text(q, first + 2));
    p->unit_id = store_int(q, first + 3);
    p->must_change_pw = store_int(q, first + 4) != 0;
    return p;
}

/* Sessions seen lately, per loop thread: a hit answers without the database. An entry is good
 * while the process's write generation has not moved (logout, lock, role changes … on this
 * server empty it at once) and for CACHE_TTL_SECONDS at most (changes made through another app
 * server). The idle and absolute expiry are checked on every hit. */
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
    for (int i = 0; i < 8 && hash[i]; i++) h = (h ^ (unsigned char)hash[i]) * 16777619u;
    return &session_cache[h % SESSION_CACHE_SLOTS];
}

static void cache_put(const char *hash, const struct principal *p, long long last_seen,
                      long long expires, long long now)
{
    struct cached_session *c = cache_slot(hash);
    if (strlen(p->username) >= sizeof c->username || strlen(p->display_name) >= sizeof c->display_name)
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
    *e = store_do(db, "UPDATE sessions SET last_seen = ? WHERE id = ?", "ii", now, sid);
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
    if (strcmp(c->hash, h) == 0 && c->gen == gen_current() && now - c->cached_at < CACHE_TTL_SECONDS &&
        now < c->expires && now - c->last_seen < policy_get(db, now)->idle_minutes * 60LL) {
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
    struct store_stmt *q =
        store_q(db,
                "SELECT s.id, s.last_seen, s.expires_at, u.id, u.username, u.display_name, u.unit_id,"
                " u.must_change_pw FROM sessions s JOIN users u ON u.id = s.user_id"
                " WHERE s.token_hash = ? AND s.revoked = 0 AND u.disabled = 0",
                "t", h);
    long long sid = 0, last_seen = 0, expires = 0;
    struct principal *p = NULL;
    if (store_row(q)) {
        sid = store_int(q, 0);
        last_seen = store_int(q, 1);
        expires = store_int(q, 2);
        if (now < expires && now - last_seen < policy_get(db, now)->idle_minutes * 60LL) p = from_row(a, q, 3);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!p) return OK;
    p->session_id = sid;
    p->via_cookie = true;
    enum err e;
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
    struct store_stmt *q = store_q(db,
                                   "SELECT t.scopes, t.expires_at, u.id, u.username, u.display_name,"
                                   " u.unit_id, u.must_change_pw FROM api_tokens t"
                                   " JOIN users u ON u.id = t.user_id"
                                   " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
                                   "t", h);
    struct principal *p = NULL;
    if (store_row(q)) {
        const char *scopes = store_text(q, 0);
        bool scope_ok = strstr(scopes, write ? "write" : "read") != NULL ||
                        (!write && strstr(scopes, "write") != NULL);
        if (now < store_int(q, 1) && scope_ok) p = from_row(a, q, 2);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!p) return OK;
    p->must_change_pw = false; /* tokens are issued by a logged-in user who has changed it */
    enum err e = principal_load_grants(db, p);
    if (e == OK) *who = p;
    return e;
}

enum err session_create(struct store *db, long long user_id, long long now,
                        char token_out[CRYPTO_TOKEN_CHARS])
{
    char h[CRYPTO_HASH_HEX];
    token_new(token_out);
    token_hash(token_out, h);
    return store_do(db,
                    "INSERT INTO sessions(token_hash, user_id, created_at, last_seen, expires_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    "tiiii", h, user_id, now, now, now + policy_get(db, now)->absolute_hours * 3600LL);
}

enum err principal_load(struct store *db, struct arena *a, long long user_id, struct principal **who)
{
    *who = NULL;
    struct store_stmt *q = store_q(db,
                                   "SELECT id, username, display_name, unit_id, must_change_pw FROM users"
                                   " WHERE id = ? AND disabled = 0",
                                   "i", user_id);
    struct principal *p = store_row(q) ? from_row(a, q, 0) : NULL;
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!p) return OK;
    enum err e = principal_load_grants(db, p);
    if (e == OK) *who = p;
    return e;
}
