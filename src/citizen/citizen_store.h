/* citizen_store.h - internal interface of the citizen area between its services (citizen.c,
 * citizen_org.c) and its SQL (store_citizen.c, store_citizen_links.c, store_citizen_org.c; the
 * tables of migration 0008_citizen.sql). Not for other areas: they use citizen.h. Writes run inside
 * the caller's transaction. Sealed values are malloc'd copies the caller frees. */
#ifndef ECOACT_CITIZEN_STORE_H
#define ECOACT_CITIZEN_STORE_H
#include "citizen/citizen.h"

/* A sealed value (pii_seal's output). */
struct sealed {
    unsigned char *b;
    size_t n;
};

/* ---- one-time codes ---- */
struct otp_counts {
    long long last_sent, phone_hour, oldest_phone, ip_hour, oldest_ip;
};
enum err citizen_store_otp_counts(struct store *db, const char *phone_hash, const char *ip,
                                  long long now, struct otp_counts *c);
enum err citizen_store_otp_insert(struct store *db, const char *phone_hash, const char *purpose,
                                  const char *code_hash, const char *ip, long long now);
/* The latest code for the number and purpose: *id 0 when none. code_hash gets its hash. */
enum err citizen_store_otp_latest(struct store *db, const char *phone_hash, const char *purpose,
                                  long long *id, char code_hash[CRYPTO_HASH_HEX],
                                  struct otp_state *s);
enum err citizen_store_otp_wrong(struct store *db, long long id);
/* Marks the code used unless it already is: *won false when a concurrent twin took it. */
enum err citizen_store_otp_use(struct store *db, long long id, long long now, bool *won);

/* ---- values unique across accounts (phone, resident_id, uscc) ---- */
/* Claims key for owner: *owner gets the owner after the claim (another's when taken). */
enum err citizen_store_unique_claim(struct store *db, const char *kind, const char *key,
                                    long long owner_id, long long now, long long *owner);
enum err citizen_store_unique_owner(struct store *db, const char *kind, const char *key,
                                    long long *owner);
enum err citizen_store_unique_release(struct store *db, const char *kind, long long owner_id);

/* ---- accounts ---- */
struct citizen_row {
    long long id, failures, locked_until, realname_at, created_at, updated_at;
    char status[12], realname[20], birth_date[11];
    char phone_mask[16], name_mask[80], id_mask[24], nickname[CITIZEN_NAME_MAX + 1];
    char pw_hash[160];
    struct sealed phone, name, idno;
};
enum err citizen_store_insert(struct store *db, const struct sealed *phone, const char *mask,
                              const char *pw_hash, long long now, long long *id);
/* *found false when there is no such account. */
enum err citizen_store_get(struct store *db, long long id, struct citizen_row *row, bool *found);
void citizen_row_free(struct citizen_row *row); /* wipes and frees the sealed copies */
enum err citizen_store_failures(struct store *db, long long id, long long failures,
                                long long locked_until, long long now);
/* A new password hash; the failures and the lock are cleared. */
enum err citizen_store_set_password(struct store *db, long long id, const char *pw_hash,
                                    long long now);
enum err citizen_store_set_phone(struct store *db, long long id, const struct sealed *phone,
                                 const char *mask, long long now);
/* Sets the real name of an account that has none (*done false when it has one). */
enum err citizen_store_set_realname(struct store *db, long long id, const struct sealed *name,
                                    const char *name_mask, const struct sealed *idno,
                                    const char *id_mask, const char *birth, const char *status,
                                    long long now, bool *done);
enum err citizen_store_set_status(struct store *db, long long id, const char *realname,
                                  long long now);
enum err citizen_store_set_names(struct store *db, long long id, const char *nickname,
                                 const struct sealed *name, const char *name_mask, long long now);
/* Keeps the row (its id, "deleted", the time), clears everything about the person. */
enum err citizen_store_anonymise(struct store *db, long long id, long long now);

/* ---- sessions ---- */
enum err citizen_store_session_insert(struct store *db, long long id, const char *hash,
                                      long long now);
/* *found false when none; else its times. */
enum err citizen_store_session_find(struct store *db, long long id, const char *hash,
                                    long long *last_seen, long long *expires, bool *found);
enum err citizen_store_session_touch(struct store *db, long long id, const char *hash,
                                     long long now);
enum err citizen_store_session_delete(struct store *db, long long id, const char *hash);
enum err citizen_store_sessions_end(struct store *db, long long id);

/* ---- consents ---- */
enum err citizen_store_consent_add(struct store *db, long long id, const char *kind,
                                   const char *version, long long by, long long now);
/* *n gets how many open consents of this kind were withdrawn. */
enum err citizen_store_consent_withdraw(struct store *db, long long id, const char *kind,
                                        long long now, long long *n);
json_t *citizen_store_consents_json(struct store *db, long long id);
enum err citizen_store_consents_delete(struct store *db, long long id);

/* ---- guardians ---- */
enum err citizen_store_guardian_request(struct store *db, long long child, long long guardian,
                                        long long now);
/* status "" when there is no such link. */
enum err citizen_store_guardian_status(struct store *db, long long child, long long guardian,
                                       char status[12]);
enum err citizen_store_guardian_decide(struct store *db, long long child, long long guardian,
                                       bool approve, long long now, bool *done);
/* Links of the person as child ("guardians") and as guardian ("wards"), masked. */
json_t *citizen_store_guardians_json(struct store *db, long long id, bool as_guardian);
enum err citizen_store_guardians_delete(struct store *db, long long id);

/* ---- organisations (store_citizen_org.c) ---- */
enum err citizen_store_org_insert(struct store *db, long long by, const struct citizen_org_new *o,
                                  long long now, long long *id);
enum err citizen_store_member_add(struct store *db, long long org, long long citizen,
                                  const char *role, long long now, bool *added);
/* role "" when the citizen is no member. */
enum err citizen_store_member_role(struct store *db, long long org, long long citizen,
                                   char role[12]);
enum err citizen_store_org_state(struct store *db, long long org, char status[12], long long *unit,
                                 long long *filed_by);
enum err citizen_store_org_review(struct store *db, long long org, bool accept, const char *reason,
                                  long long reviewer, long long now, bool *done);
json_t *citizen_store_org_json(struct store *db, long long org, bool members);
json_t *citizen_store_org_list(struct store *db, const struct citizen_org_filter *f,
                               long long after, long long limit, long long *last);
enum err citizen_store_org_count(struct store *db, const struct citizen_org_filter *f,
                                 long long *n);
/* A returned registration filed again with new fields: pending, the review cleared. */
enum err citizen_store_org_refile(struct store *db, long long org, const struct citizen_org_new *o,
                                  long long now, bool *done);
enum err citizen_store_memberships_delete(struct store *db, long long citizen);
enum err citizen_store_orgs_unlink(struct store *db, long long citizen);

/* ---- in-app messages (citizen_messages.c, through notify's citizen_inbox_*; no SQL) ---- */
/* The guardian is asked to consent (link: the wards page). */
enum err citizen_tell_guardian_request(struct store *db, long long child, long long guardian,
                                       long long now);
/* The guardian decided: the request is closed, the child told the outcome. */
enum err citizen_tell_guardian_decided(struct store *db, long long child, long long guardian,
                                       bool approve, long long now);
/* The guardian withdrew the consent: the child is told. */
enum err citizen_tell_guardian_withdrawn(struct store *db, long long child, long long now);
/* Closes the requests still open to the child's guardians (before its links go). */
enum err citizen_close_guardian_requests(struct store *db, long long child, long long now);
/* The account's deletion: its messages go, and those about it in its guardians' inboxes (they
 * name the person); before its links go. */
enum err citizen_forget_messages(struct store *db, long long id, long long now);
/* The filer of organisation org is told the review (reason: why it was returned). */
enum err citizen_tell_org_review(struct store *db, long long org, long long filer, bool accept,
                                 const char *reason, long long now);

#endif
