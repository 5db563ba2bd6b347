/* console_labels.c - what the officials' console needs from the areas, gathered once at start
 * from the one place in each area that holds it, and handed to the server
 * (server_opts.console) for /api/v1/me: the fixed policy values (grace days, default plan, the
 * input lengths the checks allow) and
 * the words it shows ("labels"). Here, above the areas, so that org needs none of them. */
#include "cli/cli.h"
#include "base/comply.h"
#include "base/period.h"
#include "evaluate/evaluate.h"
#include "meeting/meeting.h"
#include "notify/notify.h"
#include "org/audit.h"
#include "org/units.h"
#include "plan/plan.h"
#include "supervise/supervise.h"
#include "work/work.h"

/* The words the console shows: the compliance lights and statuses, {"lights": {name: {label,
 * desc}}, "statuses": {name: label}} (base/comply.c); the ledger's ("reports": work_rules.c),
 * the plan's ("plans": plan_rules.c), the unit tiers ("tiers": org/units.c) and the period
 * kinds ("periods": base/period.c), a unit's part in the joint meeting ("joint_meeting":
 * meeting_rules.c), the audit log's actions and results ("audit": org/audit.c), the inbox's
 * kinds ("inbox_kinds": notify_rules.c) and the evaluation's components with what each counts
 * ("eval_components": eval_rules.c). */
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
    /* which tiers sit under a district-level unit, and which owe the plan's duties */
    json_t *tiers = unit_tiers_json(), *child = json_array(), *duty = json_array();
    const char *t;
    json_t *label;
    json_object_foreach(tiers, t, label)
    {
        if (unit_tier_takes_parent(t)) json_array_append_new(child, json_string(t));
        if (ev_tier_evaluated(t)) json_array_append_new(duty, json_string(t));
    }
    json_t *components = json_object();
    for (int c = 0; c < EV__COMPONENTS; c++)
        json_object_set_new(components, ev_component_key((enum ev_component)c),
                            json_pack("{s:s,s:s}", "label",
                                      ev_component_label((enum ev_component)c), "hint",
                                      ev_component_hint((enum ev_component)c)));
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o}}", "lights", lights,
                     "statuses", statuses, "reports", work_vocabulary_json(), "plans",
                     plan_vocabulary_json(), "tiers", tiers, "periods", periods, "joint_meeting",
                     joint, "audit", audit_labels_json(), "inbox_kinds", inbox_kinds_json(),
                     "inbox_classes", inbox_classes_json(), "eval_components", components,
                     "unit_rules", "child_tiers", child, "duty_tiers", duty);
}

/* The lengths the servers' checks allow, in characters, so that a form counts against the same
 * limit it will be held to: a report's (work.h) and the joint meeting's (meeting.h: titles,
 * places, texts such as a topic's background, reasons) and a dispatch notice's (supervise.h:
 * title, requirements, a step's note, the units of one request). */
static json_t *limits_json(void)
{
    return json_pack("{s:{s:i,s:i,s:i,s:i,s:i},s:{s:i,s:i,s:i,s:i},s:{s:i,s:i,s:i,s:i}}", "report",
                     "title", WORK_TITLE_MAX, "summary", WORK_SUMMARY_MAX, "place", WORK_PLACE_MAX,
                     "tasks", WORK_MAX_TASKS, "links", WORK_MAX_LINKS, "meeting", "title",
                     MT_TITLE_MAX, "place", MT_PLACE_MAX, "text", MT_TEXT_MAX, "reason",
                     MT_REASON_MAX, "notice", "title", SV_TITLE_MAX, "requirements", SV_TEXT_MAX,
                     "note", SV_NOTE_MAX, "units", SV_UNITS_MAX);
}

json_t *console_json(void)
{
    return json_pack("{s:{s:i,s:s,s:o},s:o}", "policy", "grace_days", COMPLY_GRACE_DAYS,
                     "default_plan", WORK_DEFAULT_PLAN, "limits", limits_json(), "labels",
                     labels_json());
}
