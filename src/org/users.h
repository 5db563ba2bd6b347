/* users.h - accounts: creation with validated and encrypted personal data, passwords with the
 * lockout rule, roles and per-user permissions, and their JSON form (masked by default).
 * Used by the API and by the CLI alike, so each rule lives here once. */
#ifndef ECOACT_USERS_H
#define ECOACT_USERS_H
#include <jansson.h>
#include <stdbool.h>
#include "base/crypto.h"
#include "org/perm.h"
#include "store/store.h"

struct user_new {
    const char *username;
    const char *display_name;
    long long unit_id;
    const char *phone;       /* optional */
    const char *resident_id; /* optional */
    const char *password;    /* NULL: a one-time password is generated */
    role_set roles;
    bool must_change_pw;
};

/* Inside the caller's transaction; a broken rule or a duplicate fills why (a storage error
 * leaves it empty). *id gets the new id; when u->password is NULL, otp (≥ 24 bytes) receives the
 * generated one-time password. */
enum err user_create(struct store *db, const struct keys *k, const struct user_new *u,
                     long long now, long long granted_by, long long *id, char *otp,
                     struct problem *why);
/* Sets personal data fields (NULL leaves a field alone, "" clears it). */
enum err user_set_personal(struct store *db, const struct keys *k, long long id, const char *phone,
                           const char *resident_id, long long now, struct problem *why);
/* Sets a new password after checking the policy; must_change as given. */
enum err user_set_password(struct store *db, long long id, const char *password, bool must_change,
                           long long now, struct problem *why);
enum err user_set_roles(struct store *db, long long id, role_set roles, long long by, long long now,
                        struct problem *why);
/* Replaces the per-user permissions: unmask_pii when unmask, else none (the checks are
 * user_grant_problem()'s). */
enum err user_set_permissions(struct store *db, long long id, bool unmask, long long by,
                              long long now);
enum err user_set_display_name(struct store *db, long long id, const char *name, long long now);
/* Moves the account to unit_id and ends its access (user_revoke_access): its authority came with
 * the old unit. */
enum err user_move(struct store *db, long long id, long long unit_id, long long now);
/* Disables (locks) or enables the account, clearing failed logins and a lockout; disabling ends
 * its access (user_revoke_access). */
enum err user_set_disabled(struct store *db, long long id, bool disabled, long long now);
/* Whether password is the account's (false for an unknown account). */
bool user_password_matches(struct store *db, long long id, const char *password);
/* The id of the account named username; 0 when none. */
long long user_find(struct store *db, const char *username);
void user_generate_password(char out[24]);

/* The account list: ids in id order after `after`, at most limit (≤ cap), of unit (0: any; a
 * unit also lists its child units' accounts) whose username or display name contains search
 * (NULL: any). */
struct user_filter {
    long long after, limit, unit;
    const char *search;
};
enum err users_page(struct store *db, const struct user_filter *f, long long *ids, size_t cap,
                    size_t *n);
/* How many accounts match f (after and limit aside): the list's total. */
enum err users_count(struct store *db, const struct user_filter *f, long long *n);

/* What an account is, for deciding who may manage it. */
struct user_target {
    long long id, unit_id;
    role_set roles;
    bool unmask_pii;
};
/* ERR_NOT_FOUND when there is no such account. */
enum err user_target_load(struct store *db, long long id, struct user_target *t);
/* Why an administrator (or unit_admin) may not change the target account through the API, or
 * NULL when it may: the one rule for editing, locking, unlocking, resetting the password of and
 * granting roles to an account.
 *  - Administrators (三权分立) and holders of unmask_pii are protected: no single
 *    administrator resets, locks, unlocks, edits or re-roles them; that is done with
 *    `ecoact user` on the server, which needs the data key and is audited.
 *  - A unit-scoped manager (unit_admin) manages only accounts whose roles it could grant itself
 *    (unit_reporter), in its own unit and its child units.
 *  - Nobody manages their own account through these routes (that is /me). */
const char *user_manage_problem(struct store *db, long long caller_id, long long caller_unit,
                                enum scope scope, const struct user_target *t);
/* The roles a caller may give: a new account it creates (create, by the reach of its
 * users_write: a unit_admin gives unit_reporter, a sysadmin none, since roles come from secadmin),
 * or an account it re-roles (by the reach of its roles_grant: every role but the administrators',
 * which are never granted online). The one rule behind POST /users, PUT /users/{id}/roles and
 * what the console offers. */
role_set user_grantable_roles(enum scope scope, bool create);
/* Why the caller may not grant unmask_pii to the target, or NULL: nobody grants a permission to
 * themselves, and no administrator holds unmask_pii. */
const char *user_grant_problem(long long caller_id, const struct user_target *t);
/* Ends everything that carries the account's authority, except the session keep_session (0:
 * none): its other sessions, its API tokens and its calendar feeds. Called on a password
 * change or reset, a role or unit change and a lock. Inside the caller's transaction. */
enum err user_revoke_access(struct store *db, long long id, long long keep_session, long long now);
role_set user_roles(struct store *db, long long id);
bool user_username_valid(const char *u);

/* Login outcome. */
enum login_result { LOGIN_OK, LOGIN_BAD, LOGIN_LOCKED, LOGIN_DISABLED };
/* Checks the password and applies the lockout rule (updates counters: commit even on failure).
 * *retry_after is set for LOGIN_LOCKED. */
enum err user_login(struct store *db, const char *username, const char *password, long long now,
                    long long *user_id, enum login_result *res, int *retry_after);

/* Active accounts that can be reached: the one with user_id when it is not 0, else those of
 * unit_id (0: of any unit) holding one of roles. A malloc'd array in id order (caller frees);
 * has_phone says whether a phone is on file (never the number). */
struct user_brief {
    long long id;
    bool has_phone;
};
enum err users_reachable(struct store *db, long long user_id, long long unit_id, role_set roles,
                         struct user_brief **out, size_t *n);

/* An account as user_json() shows it, personal data masked. ERR_NOT_FOUND when absent. */
struct user_info {
    long long id, unit_id, locked_until, created_at;
    bool disabled, must_change_pw;
    char username[64], display_name[128], unit_name[256], unit_tier[32];
    char phone_mask[32], id_mask[32]; /* "": none on file */
};
enum err user_get(struct store *db, long long id, struct user_info *out);
/* The user as JSON, personal data masked; NULL when unknown. */
json_t *user_json(struct store *db, long long id, long long now);
/* Clear personal data {"phone","resident_id"}; caller must hold the unmask permission. */
json_t *user_personal_json(struct store *db, const struct keys *k, long long id);

#endif
