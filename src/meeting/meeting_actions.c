/* meeting_actions.c - what one caller may do with a meeting now (meeting.h: mt_meeting_actions),
 * so the console keeps no copy of the chain's rules. Each step is offered when the very check its
 * service makes passes (the mt_may_* functions of meeting_service.h, one per rule, called by the
 * services too), with the step's deadline from the chain of deadlines (m->deadline); the office,
 * which may act for any member unit, is told which units each unit step waits for. Also which
 * documents are worth offering (issued, or a draft to read now). Nothing is stored. */
#include "meeting/meeting_service.h"
#include "base/date.h"
#include <string.h>

static struct mt_action *add(struct mt_meeting *m, const char *name, const char *label,
                             int deadline, long long topic_id)
{
    struct mt_action *a = &m->actions[m->nactions++];
    *a = (struct mt_action){name, label, deadline, topic_id, NULL, 0};
    return a;
}

/* The steps a member unit takes for itself (the office for it). */
enum unit_step { U_RECEIPT, U_NO_TOPICS, U_TOPIC, U_COUNTERSIGN };

static bool unit_may(const struct mt_meeting *m, enum unit_step k, const struct mt_step_in *s,
                     const struct mt_actor *by)
{
    struct problem p = {0};
    struct mt_unit *u;
    switch (k) {
    case U_RECEIPT:
        return mt_may_receipt(m, s, by, false, &u, &p) == OK;
    case U_NO_TOPICS:
        return mt_may_receipt(m, s, by, true, &u, &p) == OK;
    case U_TOPIC:
        return mt_may_topic(m, s, by, m->today, &u, &p) == OK;
    case U_COUNTERSIGN:
        return mt_may_countersign(m, s, by, &u, &p) == OK;
    }
    return false;
}

/* A unit step, with the units the caller may take it for; nothing when there are none. */
static void unit_action(struct mt_meeting *m, const struct mt_actor *by, enum unit_step k,
                        const char *name, const char *label, int deadline)
{
    long long *ids = arena_alloc(m->arena, (m->nunits + 1) * sizeof *ids);
    size_t n = 0;
    if (by->office) {
        for (size_t i = 0; i < m->nunits; i++) {
            struct mt_step_in s = {.unit_id = m->units[i].unit.id};
            if (unit_may(m, k, &s, by)) ids[n++] = s.unit_id;
        }
    } else if (unit_may(m, k, NULL, by)) {
        ids[n++] = by->unit_id;
    }
    if (!n) return;
    struct mt_action *a = add(m, name, label, deadline, 0);
    a->units = ids;
    a->nunits = n;
}

/* The host's decisions on each topic that change it (the rule of mt_selection_check). */
static void topic_actions(struct store *db, struct mt_meeting *m, const struct mt_actor *by,
                          const struct mt_caller *c)
{
    static const struct {
        const char *decision, *label;
    } decisions[] = {
        {"select", "列为中心议题"}, {"merge", "合并"}, {"decline", "不采纳"}, {"reset", "重置"}};
    struct problem p = {0};
    bool select = c->act && mt_may_select(db, m, by, &p) == OK;
    for (size_t i = 0; i < m->ntopics; i++) {
        const struct mt_topic *t = &m->topics[i];
        long long into = 0;
        for (size_t k = 0; k < m->ntopics && !into; k++)
            if (m->topics[k].id != t->id && m->topics[k].selection == MT_SEL_SELECTED)
                into = m->topics[k].id;
        for (size_t d = 0; select && d < sizeof decisions / sizeof *decisions; d++) {
            enum mt_selection sel;
            if (mt_selection_check(m, t, decisions[d].decision, into, "-", &sel, &p) == OK &&
                sel != t->selection)
                add(m, decisions[d].decision, decisions[d].label, m->deadline[MT_STEP_SELECTION],
                    t->id);
        }
        if (c->act && mt_may_attach(m, t->unit.id, by, &p) == OK)
            add(m, "attach", "上传附件", MT_NONE, t->id);
    }
}

/* The meeting held: on its day (the office records it on that day once it has come). */
static bool may_hold(struct store *db, const struct mt_meeting *m, const struct mt_actor *by)
{
    char day[11];
    struct mt_step_in s = {.on = by->office && m->meeting <= m->today ? mt_fmt(m->meeting, day)
                                                                      : NULL};
    struct problem p = {0};
    int on;
    return mt_step_day(&s, by, m->today, &on, &p) == OK && mt_may_held(db, m, by, on, &p) == OK;
}

/* The host's and the conveners' steps of the chain. */
static void chain_actions(struct store *db, struct mt_meeting *m, const struct mt_actor *by)
{
    struct problem p = {0};
    const int *dl = m->deadline;
    if (mt_may_notice(db, m, by, &p) == OK) add(m, "notice", "发出会议通知", dl[MT_STEP_NOTICE], 0);
    unit_action(m, by, U_RECEIPT, "receipt", "确认收到会议通知", dl[MT_STEP_RECEIPT]);
    unit_action(m, by, U_TOPIC, "topic", "提交议题", dl[MT_STEP_TOPICS]);
    unit_action(m, by, U_NO_TOPICS, "no_topics", "反馈无议题", dl[MT_STEP_TOPICS]);
    if (mt_may_agenda(m, by, &p) == OK)
        add(m, "agenda", "告知参会单位中心议题", dl[MT_STEP_AGENDA], 0);
    if (may_hold(db, m, by)) add(m, "held", "登记会议召开", dl[MT_STEP_HELD], 0);
    if (mt_may_minutes(db, m, by, &p) == OK)
        add(m, "minutes", m->version ? "修改会议纪要" : "起草会议纪要",
            m->version ? MT_NONE : dl[MT_STEP_MINUTES], 0);
}

enum err mt_meeting_actions(struct store *db, struct mt_meeting *m, const struct mt_actor *by,
                            const struct mt_caller *c)
{
    m->actions = arena_alloc(m->arena, (16 + 5 * m->ntopics) * sizeof *m->actions);
    m->nactions = 0;
    m->with_actions = true;
    struct problem p = {0};
    int last;
    if (c->manage && mt_may_edit(m, MT_F_CSDAYS, &p) == OK)
        add(m, "edit", "修改会议信息", MT_NONE, 0);
    if (c->act) chain_actions(db, m, by);
    topic_actions(db, m, by, c);
    if (c->act && !c->countersign_refused)
        unit_action(m, by, U_COUNTERSIGN, "countersign",
                    arena_printf(m->arena, "会签会议纪要（第 %d 稿）", m->version),
                    m->deadline[MT_STEP_COUNTERSIGN]);
    if (c->act && mt_may_issue(db, m, by, &last, &p) == OK)
        add(m, "issue", "印发会议纪要", MT_NONE, 0);
    for (size_t i = 0; i < m->nfollow_ups + m->nto_report; i++) {
        struct mt_followup *f =
            i < m->nfollow_ups ? &m->follow_ups[i] : &m->to_report[i - m->nfollow_ups];
        f->with_actions = true;
        f->may_update = c->act && mt_may_update_followup(by, f->unit.id);
    }
    return store_err(db);
}

bool mt_doc_offered(const struct mt_meeting *m, enum mt_doc_kind kind)
{
    for (size_t i = 0; i < m->ndocuments; i++)
        if (m->documents[i].kind == kind) return true;
    switch (kind) {
    case MT_DOC_NOTICE:
        return m->stage == MT_STAGE_PLANNED;
    case MT_DOC_AGENDA:
        for (size_t i = 0; m->stage == MT_STAGE_NOTIFIED && i < m->ntopics; i++)
            if (m->topics[i].selection == MT_SEL_SELECTED) return true;
        return false;
    case MT_DOC_MINUTES:
        return m->version > 0;
    default:
        return false;
    }
}
