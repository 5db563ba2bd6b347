/* perm.h - roles, permissions and the one table that says which role holds which permission.
 * Routes name the permission they need; handlers additionally scope by unit. The three
 * administrator roles (三权分立) are exclusive: no account holds two of them, nor one of them
 * with a business role. */
#ifndef ECOACT_PERM_H
#define ECOACT_PERM_H
#include <stdbool.h>
#include <stdint.h>

enum role {
    ROLE_SYSADMIN,
    ROLE_SECADMIN,
    ROLE_AUDITOR,
    ROLE_OFFICE,
    ROLE_LEADER,
    ROLE_UNIT_ADMIN,
    ROLE_UNIT_REPORTER,
    ROLE_EVALUATOR,
    ROLE_GATEWAY, /* a machine account of the SMS gateway: claims outbox messages (docs/outbox.md)
                   */
    ROLE__COUNT
};

enum perm {
    PERM_PUBLIC,    /* no login needed */
    PERM_LOGGED_IN, /* any account */
    PERM_UNITS_READ,
    PERM_UNITS_WRITE,
    PERM_USERS_READ,  /* scoped by unit for unit_admin */
    PERM_USERS_WRITE, /* scoped by unit for unit_admin */
    PERM_ROLES_GRANT,
    PERM_POLICY,
    PERM_AUDIT_READ,
    PERM_PLAN_READ,     /* plans, tasks, obligations, activity kinds: every business role */
    PERM_PLAN_EDIT,     /* drafts: copy, edit, import, publish (office) */
    PERM_REPORT_READ,   /* the work ledger: business roles, leader, evaluator; scoped by unit */
    PERM_REPORT_WRITE,  /* file, correct, evidence, import: office, unit_admin, unit_reporter */
    PERM_REPORT_REVIEW, /* accept or return: office; unit_admin for its child units */
    PERM_NOTICE_READ,   /* dispatch notices (督办单): business roles; scoped by unit */
    PERM_NOTICE_MANAGE, /* draft, issue, review, escalate notices: office */
    PERM_NOTICE_HANDLE, /* sign, answer, evidence: unit_admin, unit_reporter of the notice's unit */
    PERM_OUTBOX,        /* claim outbox messages and report results: gateway (+ unmask_pii) */
    PERM_COMPLY_READ,   /* compliance matrix, summary, duties due, calendar feeds: business roles;
                           scoped by unit */
    PERM_MEETING_READ,  /* the joint meeting: members, meetings, documents, follow-ups, calendars:
                           business roles */
    PERM_MEETING_ACT,   /* steps of the meeting chain for one's own unit (the service checks host,
                           convener, member): office, unit_admin, unit_reporter */
    PERM_MEETING_MANAGE, /* create and edit meetings, member units, holiday calendars, reminders:
                            office */
    PERM_EVAL_READ,      /* annual evaluations, the final evaluation, the rubric: office, leader,
                            evaluator;      unit_admin, unit_reporter for their own unit's scorecard */
    PERM_EVAL_SCORE,     /* enter a third-party score and comment per unit and year: evaluator */
    PERM_EVAL_ADMIN,     /* edit the rubric, publish a year's evaluation: office */
    PERM_CITIZEN,        /* a public account (citizen) signed in: held by no official's role; only
                            a citizen session reaches it, and it reaches nothing else */
    PERM_ORG_READ,       /* registered organisations (masked people): office, leader; unit_admin,
                            unit_reporter for their own unit's */
    PERM_ORG_REVIEW,     /* accept or return an organisation's registration: office; unit_admin
                            for its unit and child units */
    PERM_QR_SCAN,        /* scan (verify, redeem) signed QR codes at a desk: office, unit_admin,
                            unit_reporter, the staff who run activities and open days */
    PERM_OUTBOX_ADMIN,   /* list the outbox's dead letters and send them again: sysadmin (an
                            operator's task; the messages' texts hold no personal data) */
    PERM_SIGNOFF,    /* 签批: a leader's sign-off before something goes out (a notice before it is
                        issued, a year's evaluation before it is published): leader; never whoever
                        asked for it */
    PERM_VOL_REVIEW, /* volunteer teams and activities: read and review top-level teams (市级总队)
                        and their activities: office; unit_admin for its unit and child units */
    PERM_GREEN_ADMIN, /* the green-points catalogue, methodology versions (drafted by one, published
                         by another), channels and corrections: office */
    PERM_OPINION_ADMIN, /* public-opinion keyword rules (drafted by one, put live by another), their
                           examples and the test bench: office */
    PERM_OPINION_HANDLE, /* a public-opinion item assigned to one's unit: respond and release; for
                            市委宣传部's accounts, sign off 重大/特别重大 responses: unit_admin,
                            unit_reporter (their own unit's) */
    PERM_SURVEY_ADMIN, /* surveys: questionnaires (drafted by one, published by another), waves and
                          quotas, margins and analysis: office */
    PERM_FAC_REVIEW,   /* environmental facilities open to the public: read the registry and review
                          a record, the key dates: office; unit_admin for its unit and child units */
    PERM__COUNT
};

/* Per-user permissions granted by secadmin, stored in user_perms. */
#define UPERM_UNMASK_PII "unmask_pii"

typedef uint32_t role_set; /* bit i = enum role i */
/* What a role holds: bit i = enum perm i. */
typedef uint64_t perm_set;
#define PERM_BIT(p) ((perm_set)1 << (p))
_Static_assert(PERM__COUNT <= 64, "enum perm outgrew perm_set");

const char *role_name(enum role r);
bool role_parse(const char *s, enum role *out);
const char *role_label(enum role r); /* Chinese */
bool role_is_admin(enum role r);     /* sysadmin, secadmin, auditor */
bool roles_allow(role_set roles, enum perm p);
/* NULL when the set may be held by one account, else a Chinese reason. */
const char *roles_check_separation(role_set roles);
/* How far a permission reaches for the holder of a set of roles. Each permission is scoped by
 * the role that grants it: a wide role (office, leader, evaluator, the administrators) grants it
 * for every unit, a unit-scoped role (unit_admin, unit_reporter) for its own unit and child
 * units only. So leader + unit_reporter reads every unit's reports but writes its own unit's
 * only: a wide reading role never widens a unit-scoped writing role. */
enum scope { SCOPE_NONE, SCOPE_UNIT, SCOPE_ALL };
enum scope roles_scope(role_set roles, enum perm p);
bool role_unit_scoped(enum role r); /* unit_admin, unit_reporter */
const char *perm_name(enum perm p); /* "report_write", for `ecoact routes --rules` */
/* The permissions a set of roles holds, with their reach: {"report_write": "unit",
 * "report_read": "all", …} (public and logged_in left out). A new jansson object. */
struct json_t;
struct json_t *roles_can_json(role_set roles);
/* The roles of a set as [{"name","label"}] in the table's order (what the console offers to
 * grant). A new jansson array. */
struct json_t *roles_list_json(role_set roles);
/* The roles a unit_admin may grant and manage: unit_reporter. */
#define ROLES_UNIT_ADMIN_GRANTS (1u << ROLE_UNIT_REPORTER)
/* Administrator roles (三权分立). */
#define ROLES_ADMIN ((1u << ROLE_SYSADMIN) | (1u << ROLE_SECADMIN) | (1u << ROLE_AUDITOR))

#endif
