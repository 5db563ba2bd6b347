/* supervise_rules.c - the pure rules of supervision (see supervise.h): the stage transition
 * table, escalation levels, document numbers, "due soon", the checks of a notice's own fields.
 * No I/O, no clock: tested in tests/unit/test_supervise.c. */
#include "supervise/supervise.h"
#include "base/date.h"
#include "base/utf8.h"
#include <stdio.h>
#include <string.h>

/* ---- stages ---- */

static const struct {
    const char *name, *label;
} stages[SV__STAGES] = {
    [SV_DRAFTED] = {"drafted", "立项"},   [SV_ISSUED] = {"issued", "下发"},
    [SV_SIGNED] = {"signed", "签收"},     [SV_IN_PROGRESS] = {"in_progress", "办理"},
    [SV_ANSWERED] = {"answered", "反馈"}, [SV_CLOSED] = {"closed", "办结"},
};

const char *sv_stage_name(enum sv_stage s)
{
    return s < SV__STAGES ? stages[s].name : "?";
}

const char *sv_stage_label(enum sv_stage s)
{
    return s < SV__STAGES ? stages[s].label : "?";
}

bool sv_stage_parse(const char *s, enum sv_stage *out)
{
    for (int i = 0; s && i < SV__STAGES; i++)
        if (strcmp(s, stages[i].name) == 0) {
            *out = (enum sv_stage)i;
            return true;
        }
    return false;
}

bool sv_stage_pending(enum sv_stage s)
{
    return s == SV_ISSUED || s == SV_SIGNED || s == SV_IN_PROGRESS;
}

static const struct {
    const char *name, *label;
} actions[SV__ACTIONS] = {
    [SV_EDIT] = {"edit", "修改"},
    [SV_ISSUE] = {"issue", "下发"},
    [SV_SIGN] = {"sign", "签收"},
    [SV_EVIDENCE] = {"evidence", "增删佐证材料"},
    [SV_ANSWER] = {"answer", "反馈"},
    [SV_ACCEPT] = {"accept", "复核通过"},
    [SV_RETURN] = {"return", "复核退回"},
    [SV_ESCALATE] = {"escalate", "升级督办"},
    [SV_DISCARD] = {"discard", "删除草稿"},
    [SV_URGE] = {"urge", "催办"},
    [SV_SIGNOFF_REQUEST] = {"signoff_request", "提请签批"},
    [SV_SIGNOFF] = {"signoff", "签批同意"},
    [SV_SIGNOFF_RETURN] = {"signoff_return", "签批退回"},
};

const char *sv_action_name(enum sv_action a)
{
    return a < SV__ACTIONS ? actions[a].name : "?";
}

const char *sv_action_label(enum sv_action a)
{
    return a < SV__ACTIONS ? actions[a].label : "?";
}

bool sv_transition(enum sv_stage from, enum sv_action a, enum sv_stage *to)
{
    enum sv_stage next = from;
    bool ok = false;
    switch (a) {
    case SV_EDIT:
    case SV_DISCARD:
    case SV_SIGNOFF_REQUEST:
    case SV_SIGNOFF:
    case SV_SIGNOFF_RETURN:
        ok = from == SV_DRAFTED;
        break;
    case SV_ISSUE:
        ok = from == SV_DRAFTED, next = SV_ISSUED;
        break;
    case SV_SIGN:
        ok = from == SV_ISSUED, next = SV_SIGNED;
        break;
    case SV_EVIDENCE:
        ok = from == SV_SIGNED || from == SV_IN_PROGRESS, next = SV_IN_PROGRESS;
        break;
    case SV_ANSWER:
        ok = from == SV_SIGNED || from == SV_IN_PROGRESS, next = SV_ANSWERED;
        break;
    case SV_ACCEPT:
        ok = from == SV_ANSWERED, next = SV_CLOSED;
        break;
    case SV_RETURN:
        ok = from == SV_ANSWERED, next = SV_IN_PROGRESS;
        break;
    case SV_ESCALATE:
    case SV_URGE:
        ok = sv_stage_pending(from);
        break;
    default:
        break;
    }
    if (ok && to) *to = next;
    return ok;
}

void sv_refusal(enum sv_stage from, enum sv_action a, char *out, size_t outlen)
{
    const char *why = "";
    switch (a) {
    case SV_EDIT:
        why = "只有立项阶段（未下发）的督办单可以修改";
        break;
    case SV_ISSUE:
        why = "只有立项阶段的督办单可以下发";
        break;
    case SV_SIGN:
        why = "只有已下发、待签收的督办单可以签收";
        break;
    case SV_EVIDENCE:
        why = "签收后、反馈前才能增删佐证材料";
        break;
    case SV_ANSWER:
        why = "签收后才能反馈，已反馈的须等待复核";
        break;
    case SV_ACCEPT:
    case SV_RETURN:
        why = "只有已反馈、待复核的督办单可以复核";
        break;
    case SV_ESCALATE:
        why = "只有已下发、尚未反馈的督办单可以升级";
        break;
    case SV_DISCARD:
        why = "只有立项阶段（未下发）的督办单可以删除，已下发的须办结";
        break;
    case SV_URGE:
        why = "只有已下发、尚未反馈的督办单可以催办";
        break;
    case SV_SIGNOFF_REQUEST:
    case SV_SIGNOFF:
    case SV_SIGNOFF_RETURN:
        why = "签批在下发之前，只有立项阶段的督办单可以签批";
        break;
    default:
        break;
    }
    snprintf(out, outlen, "督办单当前处于“%s”阶段，不能%s：%s", sv_stage_label(from),
             sv_action_label(a), why);
}

/* ---- history ---- */

static const struct {
    const char *name, *label;
} history_actions[] = {
    {"draft", "立项（起草）"},
    {"update", "修改草稿"},
    {"issue", "下发"},
    {"sign", "签收"},
    {"start", "开始办理"},
    {"evidence_add", "上传佐证材料"},
    {"evidence_replace", "替换佐证材料"},
    {"evidence_remove", "删除佐证材料"},
    {"answer", "反馈办理情况"},
    {"return", "复核：退回重办"},
    {"accept", "复核通过，办结"},
    {"escalate", "升级督办"},
    {"urge", "催办"},
    {"signoff_request", "提请领导签批"},
    {"signoff", "领导签批同意"},
    {"signoff_return", "领导签批退回"},
};
#define HISTORY_ACTIONS (sizeof history_actions / sizeof history_actions[0])

bool sv_history_action(size_t i, const char **name, const char **label)
{
    if (i >= HISTORY_ACTIONS) return false;
    *name = history_actions[i].name;
    *label = history_actions[i].label;
    return true;
}

const char *sv_history_label(const char *action)
{
    for (size_t i = 0; action && i < HISTORY_ACTIONS; i++)
        if (strcmp(action, history_actions[i].name) == 0) return history_actions[i].label;
    return NULL;
}

/* ---- the stage path ---- */

static const char *const step_keys[SV__STEPS][2] = {
    [SV_STEP_DRAFTED] = {"drafted", "立项"},   [SV_STEP_ISSUED] = {"issued", "下发"},
    [SV_STEP_SIGNED] = {"signed", "签收"},     [SV_STEP_IN_PROGRESS] = {"in_progress", "办理"},
    [SV_STEP_ANSWERED] = {"answered", "反馈"}, [SV_STEP_REVIEWED] = {"reviewed", "复核"},
    [SV_STEP_CLOSED] = {"closed", "办结"},
};

const char *sv_step_state_name(enum sv_step_state s)
{
    return s == SV_STEP_DONE ? "done" : s == SV_STEP_CURRENT ? "current" : "todo";
}

/* The step a notice at stage waits for; SV__STEPS when closed. Signed and in progress both wait
 * for 办理. */
static enum sv_step current_step(enum sv_stage stage)
{
    switch (stage) {
    case SV_DRAFTED:
        return SV_STEP_ISSUED;
    case SV_ISSUED:
        return SV_STEP_SIGNED;
    case SV_SIGNED:
    case SV_IN_PROGRESS:
        return SV_STEP_IN_PROGRESS;
    case SV_ANSWERED:
        return SV_STEP_REVIEWED;
    default:
        return SV__STEPS;
    }
}

static const char *current_note(enum sv_step step, enum sv_stage stage, bool returned)
{
    switch (step) {
    case SV_STEP_ISSUED:
        return "待下发";
    case SV_STEP_SIGNED:
        return "待单位签收";
    case SV_STEP_IN_PROGRESS:
        if (stage == SV_SIGNED) return "待办理";
        return returned ? "被退回重办" : "办理中";
    case SV_STEP_REVIEWED:
        return "待办公室复核";
    default:
        return "进行中";
    }
}

void sv_path(enum sv_stage stage, bool returned, const long long at[SV__STEPS],
             struct sv_path_step out[SV__STEPS])
{
    enum sv_step cur = current_step(stage);
    for (int i = 0; i < SV__STEPS; i++) {
        struct sv_path_step *s = &out[i];
        s->key = step_keys[i][0];
        s->label = step_keys[i][1];
        s->state = (enum sv_step)i < cur    ? SV_STEP_DONE
                   : (enum sv_step)i == cur ? SV_STEP_CURRENT
                                            : SV_STEP_TODO;
        s->at = s->state == SV_STEP_TODO ? 0 : at[i];
        s->note = s->state == SV_STEP_CURRENT          ? current_note(cur, stage, returned)
                  : s->state == SV_STEP_DONE && !s->at ? "未经此步"
                                                       : NULL;
    }
}

/* ---- levels ---- */

static const struct {
    const char *name, *label;
} levels[SV__LEVELS] = {
    [SV_BLUE] = {"blue", "蓝色"}, [SV_ORANGE] = {"orange", "橙色"}, [SV_RED] = {"red", "红色"}};

const char *sv_level_name(enum sv_level l)
{
    return l < SV__LEVELS ? levels[l].name : "?";
}

const char *sv_level_label(enum sv_level l)
{
    return l < SV__LEVELS ? levels[l].label : "?";
}

bool sv_level_parse(const char *s, enum sv_level *out)
{
    for (int i = 0; s && i < SV__LEVELS; i++)
        if (strcmp(s, levels[i].name) == 0) {
            *out = (enum sv_level)i;
            return true;
        }
    return false;
}

int sv_overdue_days(int deadline, int answered, int asof)
{
    int until = answered != SV_NO_DAY && answered < asof ? answered : asof;
    return until > deadline ? until - deadline : 0;
}

enum sv_level sv_level_at(enum sv_level base, int deadline, int answered, int asof)
{
    int late = sv_overdue_days(deadline, answered, asof);
    enum sv_level l = late > SV_RED_AFTER_DAYS ? SV_RED : late > 0 ? SV_ORANGE : SV_BLUE;
    return l > base ? l : base;
}

bool sv_due_soon(int deadline, int asof)
{
    return deadline >= asof && deadline - asof <= SV_DUE_SOON_DAYS;
}

/* ---- 签批 ---- */

static const char *const signoff_names[][2] = {
    [SV_SIGNOFF_NONE] = {"none", "未提请签批"},
    [SV_SIGNOFF_REQUESTED] = {"requested", "待领导签批"},
    [SV_SIGNOFF_APPROVED] = {"approved", "已签批"},
    [SV_SIGNOFF_RETURNED] = {"returned", "签批退回"},
};

const char *sv_signoff_name(enum sv_signoff s)
{
    return s <= SV_SIGNOFF_RETURNED ? signoff_names[s][0] : "none";
}

const char *sv_signoff_label(enum sv_signoff s)
{
    return s <= SV_SIGNOFF_RETURNED ? signoff_names[s][1] : "未提请签批";
}

enum sv_signoff sv_signoff_parse(const char *s)
{
    for (int i = 0; s && i <= SV_SIGNOFF_RETURNED; i++)
        if (strcmp(s, signoff_names[i][0]) == 0) return (enum sv_signoff)i;
    return SV_SIGNOFF_NONE;
}

const char *sv_signoff_refusal(enum sv_action a, bool required, enum sv_signoff st, long long user,
                               long long requester, enum err *e)
{
    *e = ERR_CONFLICT;
    switch (a) {
    case SV_SIGNOFF_REQUEST:
        if (!required) return "未设置领导签批，督办单可直接下发";
        if (st == SV_SIGNOFF_REQUESTED) return "已提请领导签批，请等待签批结果";
        if (st == SV_SIGNOFF_APPROVED) return "督办单已经领导签批，可以下发";
        return NULL;
    case SV_SIGNOFF:
    case SV_SIGNOFF_RETURN:
        if (st != SV_SIGNOFF_REQUESTED) return "督办单未提请签批，没有待签批的内容";
        if (user && user == requester) {
            *e = ERR_FORBIDDEN;
            return "提请签批的人不能签批自己提请的督办单";
        }
        return NULL;
    case SV_ISSUE:
        return required && st != SV_SIGNOFF_APPROVED ? "须经领导签批后方可下发" : NULL;
    case SV_EDIT:
        return required && st == SV_SIGNOFF_REQUESTED ? "督办单正在等待领导签批，签批前不能修改"
                                                      : NULL;
    default:
        return NULL;
    }
}

bool sv_urge_allowed(int deadline, int today, long long last, long long now, char *out,
                     size_t outlen)
{
    if (deadline >= today) {
        char d[DATE_CN_LEN];
        date_format_cn(deadline, d);
        snprintf(out, outlen, "督办单尚未逾期（办理期限 %s），逾期后才能催办", d);
        return false;
    }
    if (last && now - last < SV_URGE_GAP) {
        long long next = last + SV_URGE_GAP, local = next + 8 * 3600;
        char d[DATE_CN_LEN];
        date_format_cn(date_today_shanghai(next), d);
        int sec = (int)(((local % 86400) + 86400) % 86400);
        snprintf(out, outlen, "24 小时内已催办过，可于 %s %02d:%02d 后再次催办", d, sec / 3600,
                 sec / 60 % 60);
        return false;
    }
    return true;
}

void sv_doc_no(int year, long long seq, char *out, size_t outlen)
{
    snprintf(out, outlen, SV_DOC_PREFIX "〔%d〕%lld号", year, seq);
}

/* ---- subjects and a notice's own fields ---- */

const char *sv_subject_name(enum sv_subject s)
{
    return s == SV_SUBJECT_COMPLIANCE ? "compliance" : "task";
}

const char *sv_subject_label(enum sv_subject s)
{
    return s == SV_SUBJECT_COMPLIANCE ? "预警事项" : "重点任务";
}

bool sv_subject_parse(const char *s, enum sv_subject *out)
{
    if (s && strcmp(s, "task") == 0)
        *out = SV_SUBJECT_TASK;
    else if (s && strcmp(s, "compliance") == 0)
        *out = SV_SUBJECT_COMPLIANCE;
    else
        return false;
    return true;
}

static bool problem(struct problem *p, enum err e, const char *field, const char *msg)
{
    problem_set(p, e, field, "%s", msg);
    return false;
}

static bool text_ok(const char *s, size_t max)
{
    size_t n = s ? sv_utf8_chars(s) : 0;
    if (n == 0 || n > max) return false;
    for (const char *c = s; *c; c++)
        if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r') return true;
    return false; /* blank */
}

static bool key_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > 64) return false;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

bool sv_notice_check(const struct sv_notice_in *n, int today, struct problem *p)
{
    char msg[160];
    if (!text_ok(n->title, SV_TITLE_MAX)) {
        snprintf(msg, sizeof msg, "标题不能为空，最多 %d 字", SV_TITLE_MAX);
        return problem(p, ERR_RULE, "title", msg);
    }
    if (!text_ok(n->requirements, SV_TEXT_MAX)) {
        snprintf(msg, sizeof msg, "督办要求不能为空，最多 %d 字", SV_TEXT_MAX);
        return problem(p, ERR_RULE, "requirements", msg);
    }
    int dl;
    if (!n->deadline || !date_parse(n->deadline, &dl))
        return problem(p, ERR_RULE, "deadline", "办理期限应为日期 YYYY-MM-DD");
    if (dl < today) {
        char t[DATE_CN_LEN], given[DATE_CN_LEN];
        date_format_cn(today, t);
        date_format_cn(dl, given);
        snprintf(msg, sizeof msg, "办理期限%s早于今天（%s）", given, t);
        return problem(p, ERR_RULE, "deadline", msg);
    }
    if (n->level >= SV__LEVELS)
        return problem(p, ERR_RULE, "level", "督办等级应为 blue、orange 或 red");
    if (n->subject == SV_SUBJECT_TASK) {
        if (n->task_no <= 0) return problem(p, ERR_RULE, "task", "请指明督办的重点任务编号");
        if (n->obligation || n->period_start || n->period_end)
            return problem(p, ERR_RULE, "obligation", "督办重点任务时不填义务和考核周期");
        return true;
    }
    if (n->task_no)
        return problem(p, ERR_RULE, "task", "督办预警事项时不填任务编号，填义务和考核周期");
    if (!key_ok(n->obligation))
        return problem(p, ERR_RULE, "obligation", "请指明预警事项的义务代码");
    int s, e;
    if (!n->period_start || !date_parse(n->period_start, &s))
        return problem(p, ERR_RULE, "period_start", "考核周期开始日应为日期 YYYY-MM-DD");
    if (!n->period_end || !date_parse(n->period_end, &e))
        return problem(p, ERR_RULE, "period_end", "考核周期结束日应为日期 YYYY-MM-DD");
    if (e < s) return problem(p, ERR_RULE, "period_end", "考核周期结束日早于开始日");
    return true;
}

/* ---- text ---- */

size_t sv_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

void sv_utf8_cut(const char *s, size_t max, char *out, size_t outlen)
{
    utf8_cut(s, max, out, outlen);
}
