/* test_supervise.c - unit tests for the pure rules of supervision (src/supervise/
 * supervise_rules.c): the stage transition table and its refusals, escalation levels (orange
 * when overdue, red after more than 7 days, manual and issue levels, the clock stopped by an
 * answer), "due soon", document numbers, the checks of a notice's own fields and UTF-8
 * cutting. The inbox's kinds and SMS texts are in test_notify.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "supervise/supervise.h"

static int D(const char *s)
{
    int d = 0;
    cr_assert(date_parse(s, &d), "bad test date %s", s);
    return d;
}

/* ---- stages ---- */

Test(stages, names_labels_and_parsing_round_trip)
{
    const char *labels[] = {"立项", "下发", "签收", "办理", "反馈", "办结"};
    for (int i = 0; i < SV__STAGES; i++) {
        enum sv_stage s;
        cr_assert(sv_stage_parse(sv_stage_name((enum sv_stage)i), &s));
        cr_assert_eq((int)s, i);
        cr_assert_str_eq(sv_stage_label((enum sv_stage)i), labels[i]);
    }
    enum sv_stage s;
    cr_assert_not(sv_stage_parse("done", &s));
    cr_assert_not(sv_stage_parse(NULL, &s));
}

/* ---- the stage path ---- */

/* The states of the seven steps as one string: d done, c current, t todo. */
static void states(const struct sv_path_step *p, char out[SV__STEPS + 1])
{
    for (int i = 0; i < SV__STEPS; i++)
        out[i] = p[i].state == SV_STEP_DONE ? 'd' : p[i].state == SV_STEP_CURRENT ? 'c' : 't';
    out[SV__STEPS] = 0;
}

Test(path, each_stage_has_its_current_step_and_note)
{
    const long long at[SV__STEPS] = {100, 200, 300, 400, 500, 600, 700};
    struct sv_path_step p[SV__STEPS];
    char st[SV__STEPS + 1];
    const struct {
        enum sv_stage stage;
        bool returned;
        const char *states;
        int current;
        const char *note;
    } cases[] = {
        {SV_DRAFTED, false, "dcttttt", SV_STEP_ISSUED, "待下发"},
        {SV_ISSUED, false, "ddctttt", SV_STEP_SIGNED, "待单位签收"},
        {SV_SIGNED, false, "dddcttt", SV_STEP_IN_PROGRESS, "待办理"},
        {SV_IN_PROGRESS, false, "dddcttt", SV_STEP_IN_PROGRESS, "办理中"},
        {SV_IN_PROGRESS, true, "dddcttt", SV_STEP_IN_PROGRESS, "被退回重办"},
        {SV_ANSWERED, false,
         "ddddd"
         "ct",
         SV_STEP_REVIEWED, "待办公室复核"},
        {SV_CLOSED, false, "ddddddd", -1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sv_path(cases[i].stage, cases[i].returned, at, p);
        states(p, st);
        cr_assert_str_eq(st, cases[i].states, "stage %d", cases[i].stage);
        for (int k = 0; k < SV__STEPS; k++) {
            if (k == cases[i].current)
                cr_assert_str_eq(p[k].note, cases[i].note);
            else
                cr_assert_null(p[k].note);
            cr_assert_eq(p[k].at, p[k].state == SV_STEP_TODO ? 0 : at[k]);
        }
    }
    cr_assert_str_eq(p[SV_STEP_REVIEWED].key, "reviewed");
    cr_assert_str_eq(p[SV_STEP_REVIEWED].label, "复核");
    cr_assert_str_eq(p[SV_STEP_DRAFTED].label, "立项");
    cr_assert_str_eq(p[SV_STEP_CLOSED].label, "办结");
    cr_assert_str_eq(sv_step_state_name(SV_STEP_CURRENT), "current");
}

Test(path, a_step_never_reached_says_so_and_steps_to_come_have_no_time)
{
    /* answered right after signing: 办理 was never reached */
    const long long at[SV__STEPS] = {100, 200, 300, 0, 500, 0, 0};
    struct sv_path_step p[SV__STEPS];
    sv_path(SV_ANSWERED, false, at, p);
    cr_assert_eq(p[SV_STEP_IN_PROGRESS].state, SV_STEP_DONE);
    cr_assert_str_eq(p[SV_STEP_IN_PROGRESS].note, "未经此步");
    cr_assert_eq(p[SV_STEP_IN_PROGRESS].at, 0);
    /* returned: the earlier answer and review times are not shown on the steps to come */
    const long long back[SV__STEPS] = {100, 200, 300, 400, 500, 600, 0};
    sv_path(SV_IN_PROGRESS, true, back, p);
    cr_assert_eq(p[SV_STEP_ANSWERED].state, SV_STEP_TODO);
    cr_assert_eq(p[SV_STEP_ANSWERED].at, 0);
    cr_assert_eq(p[SV_STEP_IN_PROGRESS].at, 400);
}

Test(history, every_action_has_a_label)
{
    const char *name, *label;
    size_t n = 0;
    for (; sv_history_action(n, &name, &label); n++)
        cr_assert_str_eq(sv_history_label(name), label);
    cr_assert_eq(n, 16);
    cr_assert_str_eq(sv_history_label("urge"), "催办");
    cr_assert_str_eq(sv_history_label("return"), "复核：退回重办");
    cr_assert_null(sv_history_label("nope"));
    cr_assert_null(sv_history_label(NULL));
    cr_assert_str_eq(sv_subject_label(SV_SUBJECT_COMPLIANCE), "预警事项");
}

Test(stages, the_happy_path_and_the_return_loop)
{
    enum sv_stage to;
    cr_assert(sv_transition(SV_DRAFTED, SV_EDIT, &to) && to == SV_DRAFTED);
    cr_assert(sv_transition(SV_DRAFTED, SV_ISSUE, &to) && to == SV_ISSUED);
    cr_assert(sv_transition(SV_ISSUED, SV_SIGN, &to) && to == SV_SIGNED);
    cr_assert(sv_transition(SV_SIGNED, SV_EVIDENCE, &to) && to == SV_IN_PROGRESS);
    cr_assert(sv_transition(SV_IN_PROGRESS, SV_EVIDENCE, &to) && to == SV_IN_PROGRESS);
    cr_assert(sv_transition(SV_SIGNED, SV_ANSWER, &to) && to == SV_ANSWERED);
    cr_assert(sv_transition(SV_IN_PROGRESS, SV_ANSWER, &to) && to == SV_ANSWERED);
    cr_assert(sv_transition(SV_ANSWERED, SV_RETURN, &to) && to == SV_IN_PROGRESS);
    cr_assert(sv_transition(SV_ANSWERED, SV_ACCEPT, &to) && to == SV_CLOSED);
    for (int s = SV_ISSUED; s <= SV_IN_PROGRESS; s++) {
        cr_assert(sv_transition((enum sv_stage)s, SV_ESCALATE, &to));
        cr_assert_eq((int)to, s, "escalation keeps the stage");
    }
}

Test(stages, everything_else_is_refused)
{
    /* allowed[stage][action] */
    static const bool allowed[SV__STAGES][SV__ACTIONS] = {
        [SV_DRAFTED] = {[SV_EDIT] = true,
                        [SV_ISSUE] = true,
                        [SV_DISCARD] = true,
                        [SV_SIGNOFF_REQUEST] = true,
                        [SV_SIGNOFF] = true,
                        [SV_SIGNOFF_RETURN] = true},
        [SV_ISSUED] = {[SV_SIGN] = true, [SV_ESCALATE] = true, [SV_URGE] = true},
        [SV_SIGNED] =
            {[SV_EVIDENCE] = true, [SV_ANSWER] = true, [SV_ESCALATE] = true, [SV_URGE] = true},
        [SV_IN_PROGRESS] =
            {[SV_EVIDENCE] = true, [SV_ANSWER] = true, [SV_ESCALATE] = true, [SV_URGE] = true},
        [SV_ANSWERED] = {[SV_ACCEPT] = true, [SV_RETURN] = true},
        [SV_CLOSED] = {0},
    };
    for (int s = 0; s < SV__STAGES; s++)
        for (int a = 0; a < SV__ACTIONS; a++) {
            enum sv_stage to = (enum sv_stage)99;
            bool ok = sv_transition((enum sv_stage)s, (enum sv_action)a, &to);
            cr_assert_eq(ok, allowed[s][a], "stage %s action %s", sv_stage_name((enum sv_stage)s),
                         sv_action_name((enum sv_action)a));
            if (!ok) cr_assert_eq((int)to, 99, "a refused step leaves *to alone");
        }
}

Test(stages, a_refusal_names_the_current_stage_and_the_step)
{
    char msg[320];
    sv_refusal(SV_CLOSED, SV_ANSWER, msg, sizeof msg);
    cr_assert(strstr(msg, "“办结”"), "%s", msg);
    cr_assert(strstr(msg, "反馈"), "%s", msg);
    sv_refusal(SV_ISSUED, SV_EDIT, msg, sizeof msg);
    cr_assert(strstr(msg, "“下发”"), "%s", msg);
    sv_refusal(SV_ISSUED, SV_DISCARD, msg, sizeof msg);
    cr_assert(strstr(msg, "“下发”") && strstr(msg, "删除"), "%s", msg);
    sv_refusal(SV_DRAFTED, SV_SIGN, msg, 16); /* truncated, still a string */
    cr_assert(strlen(msg) < 16);
}

Test(stages, pending_stages_are_issued_signed_in_progress)
{
    cr_assert_not(sv_stage_pending(SV_DRAFTED));
    cr_assert(sv_stage_pending(SV_ISSUED));
    cr_assert(sv_stage_pending(SV_SIGNED));
    cr_assert(sv_stage_pending(SV_IN_PROGRESS));
    cr_assert_not(sv_stage_pending(SV_ANSWERED));
    cr_assert_not(sv_stage_pending(SV_CLOSED));
}

/* ---- escalation ---- */

Test(levels, orange_when_overdue_red_after_more_than_seven_days)
{
    int dl = D("2026-11-10");
    cr_assert_eq(sv_level_at(SV_BLUE, dl, SV_NO_DAY, D("2026-11-01")), SV_BLUE);
    cr_assert_eq(sv_level_at(SV_BLUE, dl, SV_NO_DAY, dl), SV_BLUE, "due today is not overdue");
    cr_assert_eq(sv_level_at(SV_BLUE, dl, SV_NO_DAY, D("2026-11-11")), SV_ORANGE);
    cr_assert_eq(sv_level_at(SV_BLUE, dl, SV_NO_DAY, D("2026-11-17")), SV_ORANGE,
                 "7 days: still orange");
    cr_assert_eq(sv_level_at(SV_BLUE, dl, SV_NO_DAY, D("2026-11-18")), SV_RED, "8 days: red");
    cr_assert_eq(sv_overdue_days(dl, SV_NO_DAY, D("2026-11-18")), 8);
    cr_assert_eq(sv_overdue_days(dl, SV_NO_DAY, D("2026-11-09")), 0);
}

Test(levels, never_below_the_issue_or_manual_level)
{
    int dl = D("2026-11-10");
    cr_assert_eq(sv_level_at(SV_ORANGE, dl, SV_NO_DAY, D("2026-11-01")), SV_ORANGE);
    cr_assert_eq(sv_level_at(SV_RED, dl, SV_NO_DAY, D("2026-11-01")), SV_RED);
    cr_assert_eq(sv_level_at(SV_RED, dl, SV_NO_DAY, D("2026-11-12")), SV_RED);
}

Test(levels, an_answer_stops_the_clock)
{
    int dl = D("2026-11-10");
    /* answered on time: blue for ever */
    cr_assert_eq(sv_level_at(SV_BLUE, dl, D("2026-11-09"), D("2026-12-31")), SV_BLUE);
    /* answered 3 days late: orange, not red a month later */
    cr_assert_eq(sv_level_at(SV_BLUE, dl, D("2026-11-13"), D("2026-12-31")), SV_ORANGE);
    cr_assert_eq(sv_overdue_days(dl, D("2026-11-13"), D("2026-12-31")), 3);
    /* an answer date after the as-of date (asked about the past) counts up to as-of */
    cr_assert_eq(sv_overdue_days(dl, D("2026-11-30"), D("2026-11-12")), 2);
}

Test(levels, across_month_and_year_ends)
{
    cr_assert_eq(sv_level_at(SV_BLUE, D("2026-12-28"), SV_NO_DAY, D("2027-01-05")), SV_RED);
    /* 2028 is a leap year: 02-29 counts */
    cr_assert_eq(sv_overdue_days(D("2028-02-28"), SV_NO_DAY, D("2028-03-07")), 8);
    cr_assert_eq(sv_level_at(SV_BLUE, D("2028-02-28"), SV_NO_DAY, D("2028-03-07")), SV_RED);
    cr_assert_eq(sv_overdue_days(D("2027-02-28"), SV_NO_DAY, D("2027-03-07")), 7);
    cr_assert_eq(sv_level_at(SV_BLUE, D("2027-02-28"), SV_NO_DAY, D("2027-03-07")), SV_ORANGE);
}

Test(levels, names_and_labels)
{
    enum sv_level l;
    cr_assert(sv_level_parse("orange", &l) && l == SV_ORANGE);
    cr_assert_not(sv_level_parse("yellow", &l));
    cr_assert_str_eq(sv_level_label(SV_RED), "红色");
    cr_assert_str_eq(sv_level_name(SV_BLUE), "blue");
}

Test(due_soon, today_through_three_days_ahead)
{
    int today = D("2026-11-29");
    cr_assert(sv_due_soon(today, today));
    cr_assert(sv_due_soon(D("2026-12-02"), today));
    cr_assert_not(sv_due_soon(D("2026-12-03"), today));
    cr_assert_not(sv_due_soon(D("2026-11-28"), today), "overdue is not due soon");
}

/* ---- document numbers ---- */

Test(doc_no, the_form_of_a_chongqing_document_number)
{
    char out[64];
    sv_doc_no(2025, 3, out, sizeof out);
    cr_assert_str_eq(out, "渝生态宣督〔2025〕3号");
    sv_doc_no(2026, 128, out, sizeof out);
    cr_assert_str_eq(out, "渝生态宣督〔2026〕128号");
}

/* ---- a notice's own fields ---- */

static struct sv_notice_in good(void)
{
    return (struct sv_notice_in){.unit_id = 3,
                                 .subject = SV_SUBJECT_TASK,
                                 .plan = "cq-2021-2025",
                                 .task_no = 17,
                                 .title = "关于新闻发布会的督办",
                                 .requirements = "按季度召开",
                                 .deadline = "2026-12-10",
                                 .level = SV_BLUE};
}

Test(check, a_good_task_notice_passes)
{
    struct sv_notice_in n = good();
    struct problem p = {0};
    cr_assert(sv_notice_check(&n, D("2026-11-29"), &p), "%s", p.msg);
}

static void expect(struct sv_notice_in n, const char *field, const char *words)
{
    struct problem p = {0};
    cr_assert_not(sv_notice_check(&n, D("2026-11-29"), &p), "expected a problem with %s", field);
    cr_assert_eq(p.err, ERR_RULE);
    cr_assert_str_eq(p.field, field, "%s: %s", field, p.msg);
    if (words) cr_assert(strstr(p.msg, words), "%s", p.msg);
}

Test(check, each_field_is_named_when_wrong)
{
    struct sv_notice_in n = good();
    n.title = "";
    expect(n, "title", "标题");
    n = good();
    n.title = "   ";
    expect(n, "title", NULL);
    n = good();
    char long_title[4 * 201 + 1] = "";
    for (int i = 0; i < 201; i++)
        strcat(long_title, "督");
    n.title = long_title;
    expect(n, "title", "200");
    n = good();
    n.requirements = NULL;
    expect(n, "requirements", "督办要求");
    n = good();
    n.deadline = "2026-11-28";
    expect(n, "deadline", "早于今天");
    n = good();
    n.deadline = "2026-02-30";
    expect(n, "deadline", "YYYY-MM-DD");
    n = good();
    n.deadline = NULL;
    expect(n, "deadline", NULL);
    n = good();
    n.task_no = 0;
    expect(n, "task", "重点任务");
    n = good();
    n.obligation = "t16-press-month";
    expect(n, "obligation", NULL);
    n = good();
    n.level = SV__LEVELS;
    expect(n, "level", NULL);
}

Test(check, deadline_today_is_allowed)
{
    struct sv_notice_in n = good();
    n.deadline = "2026-11-29";
    struct problem p = {0};
    cr_assert(sv_notice_check(&n, D("2026-11-29"), &p), "%s", p.msg);
}

Test(check, a_compliance_item_needs_its_obligation_and_period)
{
    struct sv_notice_in n = good();
    n.subject = SV_SUBJECT_COMPLIANCE;
    n.task_no = 0;
    n.obligation = "t17-press-district";
    n.period_start = "2023-07-01";
    n.period_end = "2023-09-30";
    struct problem p = {0};
    cr_assert(sv_notice_check(&n, D("2026-11-29"), &p), "%s", p.msg);
    struct sv_notice_in m = n;
    m.obligation = "Bad Key";
    expect(m, "obligation", NULL);
    m = n;
    m.period_start = "2023-7-1";
    expect(m, "period_start", NULL);
    m = n;
    m.period_end = "2023-06-30";
    expect(m, "period_end", "早于");
    m = n;
    m.task_no = 17;
    expect(m, "task", NULL);
}

Test(subjects, names)
{
    enum sv_subject s;
    cr_assert(sv_subject_parse("compliance", &s) && s == SV_SUBJECT_COMPLIANCE);
    cr_assert(sv_subject_parse("task", &s) && s == SV_SUBJECT_TASK);
    cr_assert_not(sv_subject_parse("other", &s));
    cr_assert_str_eq(sv_subject_name(SV_SUBJECT_COMPLIANCE), "compliance");
}

/* ---- text ---- */

Test(text, counts_code_points_not_bytes)
{
    cr_assert_eq(sv_utf8_chars(""), 0);
    cr_assert_eq(sv_utf8_chars("abc"), 3);
    cr_assert_eq(sv_utf8_chars("督办单"), 3);
    cr_assert_eq(sv_utf8_chars("a〔2025〕b"), 8);
}

Test(text, cutting_keeps_whole_characters_and_marks_the_cut)
{
    char out[64];
    sv_utf8_cut("督办单测试", 10, out, sizeof out);
    cr_assert_str_eq(out, "督办单测试");
    sv_utf8_cut("督办单测试", 3, out, sizeof out);
    cr_assert_str_eq(out, "督办…");
    cr_assert_eq(sv_utf8_chars(out), 3);
    sv_utf8_cut("督办单测试", 0, out, sizeof out);
    cr_assert_str_eq(out, "");
    /* a small buffer: never half a character */
    char small[8];
    sv_utf8_cut("督办单测试", 5, small, sizeof small);
    cr_assert(strlen(small) < sizeof small);
    cr_assert_eq(strlen(small) % 3, 0, "%s", small);
}

/* ---- 催办 ---- */

Test(urge, only_overdue_and_once_in_24_hours)
{
    char why[200];
    /* 2025-02-11 12:00 in Shanghai = 04:00 UTC */
    long long now = 1739246400LL;
    int today = D("2025-02-11");
    cr_assert_not(sv_urge_allowed(D("2025-02-11"), today, 0, now, why, sizeof why),
                  "due today is not overdue");
    cr_assert(strstr(why, "尚未逾期（办理期限 2025年2月11日）"), "%s", why);
    cr_assert(sv_urge_allowed(D("2025-02-10"), today, 0, now, why, sizeof why));
    /* urged at 08:30 Shanghai: the next urge from 2025年2月12日 08:30 */
    long long last = now - 3 * 3600 - 30 * 60;
    cr_assert_not(sv_urge_allowed(D("2025-02-10"), today, last, now, why, sizeof why));
    cr_assert(strstr(why, "可于 2025年2月12日 08:30 后再次催办"), "%s", why);
    cr_assert(sv_urge_allowed(D("2025-02-10"), today, now - SV_URGE_GAP, now, why, sizeof why));
}

/* ---- 签批 ---- */

Test(signoff, issue_needs_approval_and_the_requester_never_approves)
{
    enum err e;
    cr_assert_null(sv_signoff_refusal(SV_ISSUE, false, SV_SIGNOFF_NONE, 1, 0, &e), "not required");
    cr_assert_str_eq(sv_signoff_refusal(SV_ISSUE, true, SV_SIGNOFF_REQUESTED, 1, 1, &e),
                     "须经领导签批后方可下发");
    cr_assert_eq(e, ERR_CONFLICT);
    cr_assert_null(sv_signoff_refusal(SV_ISSUE, true, SV_SIGNOFF_APPROVED, 1, 2, &e));
    cr_assert_not_null(sv_signoff_refusal(SV_SIGNOFF_REQUEST, false, SV_SIGNOFF_NONE, 1, 0, &e));
    cr_assert_null(sv_signoff_refusal(SV_SIGNOFF_REQUEST, true, SV_SIGNOFF_RETURNED, 1, 0, &e));
    cr_assert_not_null(
        sv_signoff_refusal(SV_SIGNOFF_REQUEST, true, SV_SIGNOFF_REQUESTED, 1, 1, &e));
    cr_assert_not_null(sv_signoff_refusal(SV_SIGNOFF, true, SV_SIGNOFF_REQUESTED, 7, 7, &e));
    cr_assert_eq(e, ERR_FORBIDDEN, "whoever asked never approves");
    cr_assert_null(sv_signoff_refusal(SV_SIGNOFF, true, SV_SIGNOFF_REQUESTED, 8, 7, &e));
    cr_assert_not_null(sv_signoff_refusal(SV_SIGNOFF_RETURN, true, SV_SIGNOFF_NONE, 8, 0, &e));
    cr_assert_not_null(sv_signoff_refusal(SV_EDIT, true, SV_SIGNOFF_REQUESTED, 1, 1, &e),
                       "no edits while the leader reads it");
    cr_assert_null(sv_signoff_refusal(SV_EDIT, false, SV_SIGNOFF_REQUESTED, 1, 1, &e),
                   "once sign-off is turned off the draft is the office's again");
    cr_assert_str_eq(sv_signoff_label(sv_signoff_parse("approved")), "已签批");
    cr_assert_eq(sv_signoff_parse(NULL), SV_SIGNOFF_NONE);
}
