/* perm.c - the role → permission table (the one place that says who may do what). */
#include "org/perm.h"
#include <jansson.h>
#include <string.h>

static const struct {
    const char *name;
    const char *label;
    perm_set perms;
} roles[ROLE__COUNT] = {
#define P(x) PERM_BIT(x)
    [ROLE_SYSADMIN] = {"sysadmin", "系统管理员",
                       P(PERM_UNITS_READ) | P(PERM_UNITS_WRITE) | P(PERM_USERS_READ) |
                           P(PERM_USERS_WRITE) | P(PERM_OUTBOX_ADMIN)},
    [ROLE_SECADMIN] = {"secadmin", "安全管理员",
                       P(PERM_UNITS_READ) | P(PERM_USERS_READ) | P(PERM_ROLES_GRANT) |
                           P(PERM_POLICY)},
    [ROLE_AUDITOR] = {"auditor", "安全审计员", P(PERM_AUDIT_READ) | P(PERM_UNITS_READ)},
    [ROLE_OFFICE] = {"office", "联席会议办公室",
                     P(PERM_UNITS_READ) | P(PERM_PLAN_READ) | P(PERM_PLAN_EDIT) |
                         P(PERM_REPORT_READ) | P(PERM_REPORT_WRITE) | P(PERM_REPORT_REVIEW) |
                         P(PERM_NOTICE_READ) | P(PERM_NOTICE_MANAGE) | P(PERM_COMPLY_READ) |
                         P(PERM_MEETING_READ) | P(PERM_MEETING_ACT) | P(PERM_MEETING_MANAGE) |
                         P(PERM_EVAL_READ) | P(PERM_EVAL_ADMIN) | P(PERM_ORG_READ) |
                         P(PERM_ORG_REVIEW) | P(PERM_QR_SCAN) | P(PERM_VOL_REVIEW) |
                         P(PERM_GREEN_ADMIN) | P(PERM_OPINION_ADMIN) | P(PERM_SURVEY_ADMIN) |
                         P(PERM_FAC_REVIEW)},
    [ROLE_LEADER] = {"leader", "领导",
                     P(PERM_UNITS_READ) | P(PERM_PLAN_READ) | P(PERM_REPORT_READ) |
                         P(PERM_NOTICE_READ) | P(PERM_COMPLY_READ) | P(PERM_MEETING_READ) |
                         P(PERM_EVAL_READ) | P(PERM_ORG_READ) | P(PERM_SIGNOFF)},
    [ROLE_UNIT_ADMIN] = {"unit_admin", "单位管理员",
                         P(PERM_UNITS_READ) | P(PERM_USERS_READ) | P(PERM_USERS_WRITE) |
                             P(PERM_PLAN_READ) | P(PERM_REPORT_READ) | P(PERM_REPORT_WRITE) |
                             P(PERM_REPORT_REVIEW) | P(PERM_NOTICE_READ) | P(PERM_NOTICE_HANDLE) |
                             P(PERM_COMPLY_READ) | P(PERM_MEETING_READ) | P(PERM_MEETING_ACT) |
                             P(PERM_EVAL_READ) | P(PERM_ORG_READ) | P(PERM_ORG_REVIEW) |
                             P(PERM_QR_SCAN) | P(PERM_VOL_REVIEW) | P(PERM_OPINION_HANDLE) |
                             P(PERM_FAC_REVIEW)},
    [ROLE_UNIT_REPORTER] = {"unit_reporter", "单位填报员",
                            P(PERM_UNITS_READ) | P(PERM_PLAN_READ) | P(PERM_REPORT_READ) |
                                P(PERM_REPORT_WRITE) | P(PERM_NOTICE_READ) | P(PERM_NOTICE_HANDLE) |
                                P(PERM_COMPLY_READ) | P(PERM_MEETING_READ) | P(PERM_MEETING_ACT) |
                                P(PERM_EVAL_READ) | P(PERM_ORG_READ) | P(PERM_QR_SCAN) |
                                P(PERM_OPINION_HANDLE)},
    [ROLE_EVALUATOR] = {"evaluator", "评估人员",
                        P(PERM_UNITS_READ) | P(PERM_PLAN_READ) | P(PERM_REPORT_READ) |
                            P(PERM_NOTICE_READ) | P(PERM_COMPLY_READ) | P(PERM_MEETING_READ) |
                            P(PERM_EVAL_READ) | P(PERM_EVAL_SCORE)},
    [ROLE_GATEWAY] = {"gateway", "消息网关", P(PERM_OUTBOX)},
#undef P
};

const char *role_name(enum role r)
{
    return r < ROLE__COUNT ? roles[r].name : "?";
}

const char *role_label(enum role r)
{
    return r < ROLE__COUNT ? roles[r].label : "?";
}

bool role_parse(const char *s, enum role *out)
{
    for (int i = 0; i < ROLE__COUNT; i++)
        if (s && strcmp(s, roles[i].name) == 0) {
            *out = (enum role)i;
            return true;
        }
    return false;
}

bool role_is_admin(enum role r)
{
    return r == ROLE_SYSADMIN || r == ROLE_SECADMIN || r == ROLE_AUDITOR;
}

bool roles_allow(role_set set, enum perm p)
{
    if (p == PERM_PUBLIC) return true;
    if (p == PERM_LOGGED_IN) return true; /* the caller checked there is an account */
    for (int i = 0; i < ROLE__COUNT; i++)
        if ((set & (1u << i)) && (roles[i].perms & PERM_BIT(p))) return true;
    return false;
}

const char *roles_check_separation(role_set set)
{
    int admins = 0, business = 0;
    for (int i = 0; i < ROLE__COUNT; i++) {
        if (!(set & (1u << i))) continue;
        if (role_is_admin((enum role)i))
            admins++;
        else
            business++;
    }
    if (admins > 1) return "三权分立：系统管理员、安全管理员、安全审计员不能由同一账号兼任";
    if (admins == 1 && business > 0) return "三权分立：管理员账号不能同时拥有业务角色";
    return NULL;
}

bool role_unit_scoped(enum role r)
{
    return r == ROLE_UNIT_ADMIN || r == ROLE_UNIT_REPORTER;
}

enum scope roles_scope(role_set set, enum perm p)
{
    if (p == PERM_PUBLIC || p == PERM_LOGGED_IN) return SCOPE_ALL;
    enum scope s = SCOPE_NONE;
    for (int i = 0; i < ROLE__COUNT; i++) {
        if (!(set & (1u << i)) || !(roles[i].perms & PERM_BIT(p))) continue;
        if (!role_unit_scoped((enum role)i)) return SCOPE_ALL;
        s = SCOPE_UNIT;
    }
    return s;
}

static const char *const perm_names[PERM__COUNT] = {
    [PERM_PUBLIC] = "public",
    [PERM_LOGGED_IN] = "logged_in",
    [PERM_UNITS_READ] = "units_read",
    [PERM_UNITS_WRITE] = "units_write",
    [PERM_USERS_READ] = "users_read",
    [PERM_USERS_WRITE] = "users_write",
    [PERM_ROLES_GRANT] = "roles_grant",
    [PERM_POLICY] = "policy",
    [PERM_AUDIT_READ] = "audit_read",
    [PERM_PLAN_READ] = "plan_read",
    [PERM_PLAN_EDIT] = "plan_edit",
    [PERM_REPORT_READ] = "report_read",
    [PERM_REPORT_WRITE] = "report_write",
    [PERM_REPORT_REVIEW] = "report_review",
    [PERM_NOTICE_READ] = "notice_read",
    [PERM_NOTICE_MANAGE] = "notice_manage",
    [PERM_NOTICE_HANDLE] = "notice_handle",
    [PERM_OUTBOX] = "outbox",
    [PERM_COMPLY_READ] = "comply_read",
    [PERM_MEETING_READ] = "meeting_read",
    [PERM_MEETING_ACT] = "meeting_act",
    [PERM_MEETING_MANAGE] = "meeting_manage",
    [PERM_EVAL_READ] = "eval_read",
    [PERM_EVAL_SCORE] = "eval_score",
    [PERM_EVAL_ADMIN] = "eval_admin",
    [PERM_CITIZEN] = "citizen",
    [PERM_ORG_READ] = "org_read",
    [PERM_ORG_REVIEW] = "org_review",
    [PERM_QR_SCAN] = "qr_scan",
    [PERM_OUTBOX_ADMIN] = "outbox_admin",
    [PERM_SIGNOFF] = "signoff",
    [PERM_VOL_REVIEW] = "vol_review",
    [PERM_GREEN_ADMIN] = "green_admin",
    [PERM_OPINION_ADMIN] = "opinion_admin",
    [PERM_OPINION_HANDLE] = "opinion_handle",
    [PERM_SURVEY_ADMIN] = "survey_admin",
    [PERM_FAC_REVIEW] = "fac_review",
};

const char *perm_name(enum perm p)
{
    return p < PERM__COUNT && perm_names[p] ? perm_names[p] : "?";
}

json_t *roles_can_json(role_set set)
{
    json_t *o = json_object();
    for (int p = PERM_LOGGED_IN + 1; p < PERM__COUNT; p++) {
        enum scope s = roles_scope(set, (enum perm)p);
        if (s != SCOPE_NONE)
            json_object_set_new(o, perm_name((enum perm)p),
                                json_string(s == SCOPE_ALL ? "all" : "unit"));
    }
    return o;
}

json_t *roles_list_json(role_set set)
{
    json_t *a = json_array();
    for (int i = 0; i < ROLE__COUNT; i++)
        if (set & (1u << i))
            json_array_append_new(
                a, json_pack("{s:s,s:s}", "name", roles[i].name, "label", roles[i].label));
    return a;
}
