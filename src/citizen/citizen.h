/* citizen.h - public accounts (issue 12 §1, §2): citizens who sign up with a mainland mobile
 * number, a password and a one-time code sent by SMS; real-name verification with the resident
 * ID number (GB 11643), one account per number, a guardian's consent under 14; organisations
 * (GB 32100 credit code) reviewed by a unit; and the person's rights under PIPL (see what is
 * held, download it, correct it, withdraw consent, delete the account, which anonymises it).
 *
 * Other areas ask this one about a person through the services below, never its tables:
 *   struct citizen_brief b;
 *   if (citizen_get(db, citizen_id, now, &b) == OK && b.minor) … an age rule applies …
 * and an area keeping history about people (volunteer hours, points) registers, at start-up,
 * what it does when a person deletes the account (its rows keep their counts, no person):
 *   static enum err vol_anonymise(struct store *db, long long citizen_id, long long now);
 *   citizen_anonymise_hook(vol_anonymise);
 *
 * Public sessions are separate from officials': their own table and cookie
 * (PUBLIC_SESSION_COOKIE), resolved by citizen_session_resolve(), which the serve command hands
 * to the server; such a principal has citizen_id set and reaches only PERM_CITIZEN routes.
 *
 * Rooms: citizen.c (codes, registration, log-in, sessions, re-authentication, phone, password
 * reset), citizen_rights.c (real name, guardians, consents, corrections, deletion),
 * citizen_data.c (what is held, as JSON), citizen_org.c (organisations), citizen_rules.c (pure
 * checks, tested in tests/unit/test_citizen.c), store_citizen.c, store_citizen_links.c and
 * store_citizen_org.c behind citizen_store.h (all SQL, over the tables of 0008_citizen.sql),
 * api_citizen.c and api_citizen_org.c (routes). */
#ifndef ECOACT_CITIZEN_H
#define ECOACT_CITIZEN_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

struct principal;

/* ---- policy numbers ---- */
#define CITIZEN_OTP_DIGITS 6
#define CITIZEN_OTP_TTL 300         /* a code lasts 5 minutes */
#define CITIZEN_OTP_TRIES 5         /* and allows 5 tries */
#define CITIZEN_OTP_RESEND 60       /* seconds before a number gets another code */
#define CITIZEN_OTP_PHONE_HOUR 5    /* codes per number per hour */
#define CITIZEN_OTP_IP_HOUR 20      /* codes per client address per hour */
#define CITIZEN_MAX_FAILURES 5      /* failed logins (or re-authentications) before a lock */
#define CITIZEN_LOCK_SECONDS 1800   /* 30 minutes */
#define CITIZEN_SESSION_IDLE 604800 /* a public session ends after 7 days unused */
#define CITIZEN_SESSION_MAX 2592000 /* and 30 days after log-in at most */
#define CITIZEN_CHILD_AGE 14        /* under this: a guardian must consent */
#define CITIZEN_ADULT_AGE 18        /* under this: a minor (age rules of other areas) */
#define CITIZEN_PRIVACY_VERSION "2026-12-01"
#define CITIZEN_NAME_MAX 64      /* bytes of a real name, a nickname */
#define CITIZEN_ORG_NAME_MAX 200 /* bytes */
#define CITIZEN_TOKEN_MAX 80     /* bytes of a public session cookie */

/* ---- the rules (citizen_rules.c, pure) ---- */

/* What a valid resident ID number says. */
struct citizen_birth {
    int y, m, d;   /* birth date */
    int age;       /* full years on the day given */
    bool child;    /* under CITIZEN_CHILD_AGE */
    bool minor;    /* under CITIZEN_ADULT_AGE */
    char date[11]; /* "YYYY-MM-DD" */
};
/* Each fills p (field, Chinese message) and returns false when the value breaks the rule. */
bool citizen_phone_check(const char *phone, struct problem *p);
bool citizen_password_check(const char *pw, const char *phone, struct problem *p);
/* GB 11643 (structure, birth date, check digit); today: date.h day number (Asia/Shanghai). */
bool citizen_id_check(const char *id, int today, struct citizen_birth *b, struct problem *p);
/* GB 32100 (charset, registration department, check character: val_uscc), into p. */
bool citizen_uscc_check(const char *code, struct problem *p);
/* Age and flags on day `today` of a birth date "YYYY-MM-DD"; false when it is malformed. */
bool citizen_birth_on(const char *date, int today, struct citizen_birth *b);

/* One-time codes. */
enum otp_verdict { OTP_OK, OTP_NONE, OTP_EXPIRED, OTP_USED, OTP_WRONG, OTP_LOCKED };
struct otp_state {
    bool exists;          /* a code was sent for this number and purpose */
    long long expires_at; /* of the latest code */
    long long used_at;    /* 0 when unused */
    int tries;            /* wrong tries so far */
    bool matches;         /* the code given is this code */
};
/* What a code given at `now` is worth. A used code is "used" whatever is typed; a code past
 * CITIZEN_OTP_TRIES wrong tries is locked; an expired one expired. */
enum otp_verdict citizen_otp_judge(const struct otp_state *s, long long now);
/* The problem to answer for a verdict other than OTP_OK (field "code"): 422 none, expired,
 * wrong (with the tries left); 409 used; 429 locked (retry gets seconds to wait). */
void citizen_otp_problem(enum otp_verdict v, int tries_left, int *retry, struct problem *p);
/* Seconds before another code may be sent (0: now), from the latest code to this number, the
 * codes to it and from this address in the last hour; p says which limit (429). */
long long citizen_otp_wait(long long last_sent, long long phone_hour, long long ip_hour,
                           long long oldest_phone, long long oldest_ip, long long now,
                           struct problem *p);
/* Organisation kinds: volunteer_org, facility_operator, school, enterprise, social_org. */
bool citizen_org_kind_valid(const char *kind);
const char *citizen_org_kind_label(const char *kind);
/* The kinds as [{"kind","label"}] for forms. */
json_t *citizen_org_kinds_json(void);
/* Member roles: org_admin, org_staff; their Chinese names (管理员, 工作人员). */
bool citizen_org_role_valid(const char *role);
const char *citizen_org_role_label(const char *role);
/* Registration status (pending, accepted, returned) in Chinese: 待审核 已通过 已退回. */
const char *citizen_org_status_label(const char *status);
/* What a member with role may do with a registration in status: add_member, resubmit. */
json_t *citizen_org_member_actions(const char *role, const char *status);

/* ---- accounts and sessions (citizen.c) ---- */

/* What other areas may know of a person. */
struct citizen_brief {
    long long id;
    bool active;
    bool verified; /* real name verified (with a guardian's consent when a child) */
    bool minor;    /* under 18 today; false when not verified */
    bool child;    /* under 14 today */
    int age;       /* -1 when not verified */
};
/* ERR_NOT_FOUND for no such account (or a deleted one: brief.active false, OK). */
enum err citizen_get(struct store *db, long long id, long long now, struct citizen_brief *b);
/* Whether the person is under 18 (false when unknown or unverified). */
bool citizen_is_minor(struct store *db, long long id, long long now);

/* Sends a code for purpose "register", "change_phone" or "reset_password" to phone through the
 * notify area's outbox (outbox_direct_add); the code itself is kept only as a keyed hash. Limits
 * per number and per address (429 with *retry). Inside the caller's transaction. */
enum err citizen_otp_send(struct store *db, const struct keys *k, const char *phone,
                          const char *purpose, const char *ip, long long now, int *retry,
                          struct problem *p);
/* Checks a code: marks it used when right, counts a wrong try (the caller must commit even on
 * an error: the count must stick). */
enum err citizen_otp_take(struct store *db, const struct keys *k, const char *phone,
                          const char *purpose, const char *code, long long now, int *retry,
                          struct problem *p);
/* Registers phone + password after citizen_otp_take; records the privacy notice consent.
 * 409 (field phone) when the number has an account. */
enum err citizen_register(struct store *db, const struct keys *k, const char *phone,
                          const char *password, const char *privacy_version, long long now,
                          long long *id, struct problem *p);
/* The same after the password's checks and its Argon2id hash (pw, from pw_hash()): the steps
 * that touch the database, for citizen_register() and for bench/public, which registers a
 * million accounts through them without paying the hash a million times. */
enum err citizen_register_hashed(struct store *db, const struct keys *k, const char *phone,
                                 const char *pw, long long now, long long *id, struct problem *p);
/* Log-in: 401 for an unknown number or a wrong password (one Argon2id check either way), 423
 * while locked. On success token gets the cookie value. */
enum err citizen_login(struct store *db, const struct keys *k, const char *phone,
                       const char *password, long long now, long long *id,
                       char token[CITIZEN_TOKEN_MAX], int *retry, struct problem *p);
enum err citizen_logout(struct store *db, const char *token);
/* A new public session for account id (after registration); token gets the cookie value. */
enum err citizen_session_new(struct store *db, long long id, long long now,
                             char token[CITIZEN_TOKEN_MAX]);
/* Sets a new password after citizen_otp_take(purpose "reset_password") on the account's
 * number; unlocks the account and ends its sessions. 422 (field phone) for a number with no
 * account. *id gets the account. */
enum err citizen_password_reset(struct store *db, const struct keys *k, const char *phone,
                                const char *password, long long now, long long *id,
                                struct problem *p);
/* Sets a new password for a signed-in account after citizen_reauth: the new one passes
 * citizen_password_check against the account's number (422, field new_password) and differs
 * from the current one; every session ends and token gets a fresh one for this device. */
enum err citizen_password_change(struct store *db, const struct keys *k, long long id,
                                 const char *current, const char *password, long long now,
                                 char token[CITIZEN_TOKEN_MAX], struct problem *p);
/* The server's public_resolve (http/server.h). */
enum err citizen_session_resolve(struct store *db, struct arena *a, const char *token,
                                 long long now, struct principal **who);
/* The password given again for a sensitive step: 401 (field password) when wrong, counted
 * toward the lock; 423 while locked. */
enum err citizen_reauth(struct store *db, long long id, const char *password, long long now,
                        int *retry, struct problem *p);
/* Changes the phone number (after citizen_otp_take on the new number). */
enum err citizen_change_phone(struct store *db, const struct keys *k, long long id,
                              const char *phone, long long now, struct problem *p);

/* ---- real name, guardians, consents ---- */

/* Verifies name + ID number; consent to the sensitive information must be given (version).
 * 409 when the number belongs to another account (message: how to recover it); a child's
 * verification waits for a guardian (*status "pending_guardian"), else "verified". */
enum err citizen_realname(struct store *db, const struct keys *k, long long id, const char *name,
                          const char *id_number, const char *version, long long now,
                          const char **status, struct problem *p);
/* A child asks a guardian (a verified adult account, by phone) to consent. */
enum err citizen_guardian_request(struct store *db, const struct keys *k, long long child,
                                  const char *guardian_phone, long long now, long long *guardian_id,
                                  struct problem *p);
/* The guardian approves (consent to the child's data, version) or refuses; 404 when there is
 * no such request to this guardian. */
enum err citizen_guardian_decide(struct store *db, long long guardian, long long child,
                                 bool approve, const char *version, long long now,
                                 struct problem *p);
/* The guardian withdraws the consent given for the child (PIPL art. 31): as the child's own
 * withdrawal; 404 when this guardian has no approved link to the child. */
enum err citizen_ward_withdraw(struct store *db, long long guardian, long long child, long long now,
                               struct problem *p);
/* Withdraws a consent: "sensitive" removes the ID number (verification is undone); "privacy"
 * is refused (delete the account instead). */
enum err citizen_consent_withdraw(struct store *db, long long id, const char *kind, long long now,
                                  struct problem *p);
/* Corrects the nickname and/or the real name (NULL leaves one alone). */
enum err citizen_correct(struct store *db, const struct keys *k, long long id, const char *nickname,
                         const char *name, long long now, struct problem *p);

/* ---- what is held (JSON for the person; masked for officials) ---- */

/* Everything ecoact holds about the person: clear values (their own data) when clear, masked
 * otherwise. A new jansson object, NULL on a storage error; clear strings are wiped by
 * citizen_json_wipe_free(). */
json_t *citizen_data_json(struct store *db, const struct keys *k, long long id, long long now,
                          bool clear);
void citizen_json_wipe_free(json_t *o);

/* ---- deletion ---- */

/* What an area does with its rows of a person who deletes the account (inside the deletion's
 * transaction). Register at start-up, before threads start; at most 16. */
typedef enum err (*citizen_anonymise_fn)(struct store *db, long long citizen_id, long long now);
void citizen_anonymise_hook(citizen_anonymise_fn fn);
/* Deletes the account: sessions, consents, guardian links and memberships go; the row keeps
 * only its id and "deleted"; phone and ID number are free again; every hook runs. */
enum err citizen_delete(struct store *db, long long id, long long now, struct problem *p);

/* ---- organisations (citizen_org.c) ---- */

struct citizen_org_new {
    const char *kind, *name, *uscc;
    long long unit_id; /* the reviewing unit: a district-level unit or a city department */
};
/* Files a registration by a verified adult, who becomes its responsible person and org_admin.
 * 409 for a credit code already registered. */
enum err citizen_org_file(struct store *db, long long by, const struct citizen_org_new *o,
                          long long now, long long *id, struct problem *p);
/* An org_admin adds a member (a citizen account, by phone) with a role. */
enum err citizen_org_member_add(struct store *db, const struct keys *k, long long by, long long org,
                                const char *phone, const char *role, long long now,
                                struct problem *p);
/* The unit the registration belongs to (0 when none); for scoping officials' routes. */
long long citizen_org_unit(struct store *db, long long org);
/* Accepts or returns (reason required) a pending registration; reviewer: an official. The filer
 * never reviews: an official whose phone number or resident ID number is the filer's public
 * account's is refused (403). */
enum err citizen_org_review(struct store *db, const struct keys *k, long long org, bool accept,
                            const char *reason, long long reviewer, long long now,
                            struct problem *p);
/* An organisation as JSON (people masked, codes with their Chinese labels), with its members
 * when members. NULL: none. */
json_t *citizen_org_json(struct store *db, long long org, bool members);
/* The organisation as its member citizen sees it: with members, my_role and the actions the
 * member may take (citizen_org_member_actions). NULL: no member, no such organisation. */
json_t *citizen_org_for_member(struct store *db, long long org, long long citizen);
/* A member's personal data in clear {"citizen_id","phone","name","id_number"} (for holders of
 * unmask_pii, audited by the route); NULL when the citizen is no member of the organisation (or
 * on a storage error). Release with citizen_json_wipe_free(). */
json_t *citizen_org_member_personal(struct store *db, const struct keys *k, long long org,
                                    long long citizen, long long now);
/* Which organisations a list shows. */
struct citizen_org_filter {
    long long unit;     /* the reviewing unit; 0: any */
    const char *status; /* pending, accepted, returned; NULL: any */
    long long member;   /* > 0: only those this citizen is a member of */
    const char *search; /* NULL: none; part of the name or of the credit code */
};
/* Organisations matching f after a cursor: a new array; *last gets the last id. */
json_t *citizen_org_list(struct store *db, const struct citizen_org_filter *f, long long after,
                         long long limit, long long *last);
enum err citizen_org_count(struct store *db, const struct citizen_org_filter *f, long long *n);
/* What a registration form offers: {"kinds":[{kind,label}], "roles":[{role,label}],
 * "units":[{id,name}]} (the units that review: district-level units and city departments). */
json_t *citizen_org_options_json(struct store *db);
/* Whether a unit of this tier reviews registrations (district-level or a city department). */
bool citizen_org_reviewer_tier(const char *tier);
/* Whether the official is the person (same phone or ID number) who filed the registration. */
bool citizen_org_reviewer_is_filer(struct store *db, const struct keys *k, long long org,
                                   long long reviewer);
/* Whether the official (a users row) is the same person as the public account (same phone or
 * resident ID number): for other areas' four-eyes checks (a volunteer team's filer never reviews
 * it as an official). */
bool citizen_is_official(struct store *db, const struct keys *k, long long citizen,
                         long long official);
/* An org_admin corrects a returned registration and files it again (pending, the review
 * cleared); the same checks as citizen_org_file. */
enum err citizen_org_refile(struct store *db, long long by, long long org,
                            const struct citizen_org_new *o, long long now, struct problem *p);

#endif
