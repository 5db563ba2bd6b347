/* policy.h - the security policy numbers, in one place. */
#ifndef ECOACT_POLICY_H
#define ECOACT_POLICY_H

#define POLICY_MAX_FAILURES 5           /* failed logins before the account locks */
#define POLICY_LOCK_SECONDS (30 * 60)   /* how long it stays locked */
#define POLICY_SESSION_IDLE (30 * 60)   /* a session ends after this long unused */
#define POLICY_SESSION_ABSOLUTE (12 * 3600)
#define POLICY_SESSION_TOUCH 60         /* last_seen is written at most this often */
#define POLICY_TOKEN_MAX_DAYS 366       /* API tokens expire within a year */
#define POLICY_IDEMPOTENCY_KEEP (24 * 3600)
#define POLICY_AUDIT_RETENTION_DAYS 183 /* minimum; nothing deletes audit rows today */
#define SESSION_COOKIE "ecoact_session"

#endif
