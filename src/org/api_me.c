/* api_me.c - what /api/v1/me adds so the console keeps no copy of the server's rules: the
 * caller's permissions with their unit scope ("can") and the policy values the console's forms
 * and pages need ("policy": password minimum, the compliance grace days, the default plan), and
 * the roles a new account it creates may get ("create_roles"), and the compliance words it shows
 * ("labels": the compliance lights and statuses, the ledger's, the plan's, the unit tiers and
 * the period kinds in Chinese, each from the one table that holds it). */
#include "http/route.h"
#include "http/server.h"
#include "base/comply.h"
#include "base/period.h"
#include "meeting/meeting.h"
#include "org/api_me.h"
#include "org/audit.h"
#include "org/policy.h"
#include "org/units.h"
#include "org/users.h"
#include "plan/plan.h"
#include "work/work.h"

/* The words the console shows: the compliance lights and statuses, {"lights": {name: {label,
 * desc}}, "statuses": {name: label}} (base/comply.c); the ledger's ("reports": work_rules.c),
 * the plan's ("plans": plan_rules.c), the unit tiers ("tiers": org/units.c) and the period
 * kinds ("periods": base/period.c), a unit's part in the joint meeting ("joint_meeting":
 * meeting_rules.c) and the audit log's actions and results ("audit": org/audit.c). */
static json_t *labels_json(void)
{
    json_t *lights = json_object(), *statuses = json_object();
    for (int l = 0; l < COMPLY__LIGHTS; l++)
        json_object_set_new(lights, comply_light_name((enum comply_light)l),
                            json_pack("{s:s,s:s}", "label",
                                      comply_light_label((enum comply_light)l), "desc",
                                      comply_light_desc((enum comply_light)l)));
    for (int s = 0; s < COMPLY__STATUSES; s++)
        json_object_set_new(statuses, comply_status_name((enum comply_status)s),
                            json_string(comply_status_label((enum comply_status)s)));
    json_t *periods = json_object();
    for (int k = PERIOD_MONTH; k <= PERIOD_ONCE; k++)
        json_object_set_new(periods, period_kind_name((enum period_kind)k),
                            json_string(period_kind_label((enum period_kind)k)));
    json_t *joint = json_object();
    json_object_set_new(joint, "convener", json_string(mt_member_role_label("convener")));
    json_object_set_new(joint, "member", json_string(mt_member_role_label("member")));
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "lights", lights, "statuses", statuses,
                     "reports", work_vocabulary_json(), "plans", plan_vocabulary_json(), "tiers",
                     unit_tiers_json(), "periods", periods, "joint_meeting", joint, "audit",
                     audit_labels_json());
}

void me_add_console(struct req *r, json_t *user)
{
    role_set roles = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(user, "roles"), i, v)
    {
        enum role ro;
        if (role_parse(json_string_value(v), &ro)) roles |= 1u << ro;
    }
    json_object_set_new(user, "can", roles_can_json(roles));
    /* the roles a new account of the caller's may get (user_grantable_roles, as POST /users) */
    json_object_set_new(
        user, "create_roles",
        roles_list_json(user_grantable_roles(roles_scope(roles, PERM_USERS_WRITE), true)));
    json_object_set_new(user, "policy",
                        json_pack("{s:i,s:i,s:s}", "password_min_length",
                                  policy_get(r->db, r->now)->password_min_length, "grace_days",
                                  COMPLY_GRACE_DAYS, "default_plan", WORK_DEFAULT_PLAN));
    json_object_set_new(user, "labels", labels_json());
}
