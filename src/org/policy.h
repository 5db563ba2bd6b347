/* policy.h - the security policy: the numbers secadmin may set (kept in the settings table,
 * within the bounds below) and the fixed ones. policy_get() answers from a per-thread copy that
 * is refreshed like the other caches (base/gen.h). */
#ifndef ECOACT_POLICY_H
#define ECOACT_POLICY_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "store/store.h"

struct policy {
    int max_failures;        /* failed logins before the account locks (default 5; 3..10) */
    int lock_minutes;        /* how long it stays locked (30; 5..1440) */
    int idle_minutes;        /* a session ends after this long unused (30; 5..120) */
    int absolute_hours;      /* and this long after login at most (12; 1..24) */
    int password_min_length; /* characters (12; 12..64: never below the national baseline) */
    int token_max_days;      /* the longest an API token may be issued for (366; 1..366) */
};

/* The policy in force (defaults for what secadmin has not set). Never NULL. */
const struct policy *policy_get(struct store *db, long long now);
/* The policy as {"max_failures", …, "bounds": {name: [min, max]}, "labels": {name: 中文}}. */
json_t *policy_json(const struct policy *p);
/* The Chinese name of a policy field ("lock_minutes" → 锁定时长（分钟）); NULL when unknown. */
const char *policy_field_label(const char *name);
/* Validates and stores the fields present in `changes` (inside the caller's transaction). On a
 * bad field: ERR_BAD_REQUEST or ERR_RULE with *field and a Chinese message in why. */
enum err policy_set(struct store *db, json_t *changes, long long by, long long now,
                    const char **field, char *why, size_t whylen);

/* Other settings, by name ("demo", "demo_history": what `ecoact demo` loaded). setting_get
 * copies the value into out (cut to outlen; "" when unset) and tells whether it is set;
 * setting_put inserts or replaces it (by: the account, 0 for the operator's CLI). */
enum err setting_get(struct store *db, const char *name, char *out, size_t outlen, bool *found);
enum err setting_put(struct store *db, const char *name, const char *value, long long by,
                     long long now);

/* Fixed numbers. */
#define POLICY_SESSION_TOUCH 60         /* last_seen is written at most this often */
#define POLICY_TOKEN_MAX_DAYS 366       /* API tokens expire within a year at most */
#define POLICY_AUDIT_RETENTION_DAYS 183 /* minimum; nothing deletes audit rows today */
#define SESSION_COOKIE "ecoact_session"

#endif
