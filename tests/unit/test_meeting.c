/* test_meeting.c - unit tests for the joint meeting system's pure rules (src/meeting/
 * meeting_rules.c): the day counting of 民法典 第二百零一条/第二百零三条 with the embedded
 * holidays and 调休 working days (deadlines across month and year ends, on the National Day
 * week, on a 调休 Saturday), every step's deadline and status, reminder days, the check of a
 * calendar year, and document numbers. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "base/embedded.h"
#include "meeting/meeting.h"

static struct mt_calendar cal;

static int D(const char *s)
{
    int d;
    cr_assert(date_parse(s, &d), "bad date %s", s);
    return d;
}

static const char *S(int d)
{
    static char buf[8][11];
    static int i;
    i = (i + 1) % 8;
    date_format(d, buf[i]);
    return buf[i];
}

static void load(void)
{
    mt_calendar_init(&cal);
    const char *text = embedded_find(embedded_data, "holidays.json");
    cr_assert_not_null(text, "data/calendars/holidays.json is not embedded");
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    cr_assert_not_null(doc, "holidays.json: %s", je.text);
    struct problem p = {0};
    cr_assert(mt_calendar_from_doc(doc, &cal, &p), "holidays.json: %s %s", p.field, p.msg);
    json_decref(doc);
}

static void unload(void)
{
    mt_calendar_free(&cal);
}

TestSuite(calendar, .init = load, .fini = unload);
TestSuite(steps, .init = load, .fini = unload);

Test(calendar, covers_the_plan_years_and_the_next)
{
    for (int y = 2021; y <= 2026; y++)
        cr_assert(mt_calendar_covers(&cal, y), "year %d", y);
    cr_assert_not(mt_calendar_covers(&cal, 2020));
}

Test(calendar, rest_days)
{
    cr_assert(mt_rest_day(&cal, D("2025-10-01")));     /* 国庆 */
    cr_assert(mt_rest_day(&cal, D("2025-10-08")));     /* 国庆、中秋 8 days */
    cr_assert_not(mt_rest_day(&cal, D("2025-10-09"))); /* Thursday */
    cr_assert_not(mt_rest_day(&cal, D("2025-10-11"))); /* 调休 Saturday: a working day */
    cr_assert_not(mt_rest_day(&cal, D("2025-09-28"))); /* 调休 Sunday */
    cr_assert(mt_rest_day(&cal, D("2025-10-12")));     /* an ordinary Sunday */
    cr_assert(mt_rest_day(&cal, D("2025-06-02")));     /* 端午 Monday */
    cr_assert_not(mt_rest_day(&cal, D("2025-06-03")));
    cr_assert(mt_rest_day(&cal, D("2022-12-31"))); /* 2023's 元旦 starts in 2022 */
    cr_assert(mt_holiday(&cal, D("2022-12-31")));
    cr_assert(mt_makeup_workday(&cal, D("2026-01-04"))); /* 2026 元旦 调休 Sunday */
    cr_assert(mt_rest_day(&cal, D("2027-01-02")));       /* no data: a Saturday rests */
    cr_assert_not(mt_rest_day(&cal, D("2027-01-04")));
}

Test(calendar, a_period_starts_the_next_day)
{
    /* 2025-06-09 (Mon) + 5 = 2025-06-14 (Sat) → rest → Mon 06-16 */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-06-09"), 5)), "2025-06-16");
    /* + 5 from Tuesday lands on Sunday → Monday */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-06-10"), 5)), "2025-06-16");
    /* Wednesday + 5 = Monday: a working day, kept */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-06-11"), 5)), "2025-06-16");
    /* 0 days is the event day itself */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-06-11"), 0)), "2025-06-11");
}

Test(calendar, across_month_ends)
{
    /* 2024 is a leap year: 02-26 + 5 = 03-02 (Sat) → 03-04 (Mon) */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2024-02-26"), 5)), "2024-03-04");
    /* 2025-04-28 (Mon) + 5 = 05-03, inside 劳动节 05-01..05 → 05-06 (Tue) */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-04-28"), 5)), "2025-05-06");
    /* 2023-01-30 + 7 = 02-06 (Mon) */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2023-01-30"), 7)), "2023-02-06");
    /* at least 15 days before 2025-03-10: 02-23 (a plain count across February) */
    cr_assert_str_eq(S(mt_days_before(D("2025-03-10"), 15)), "2025-02-23");
    cr_assert_str_eq(S(mt_days_before(D("2024-03-10"), 15)), "2024-02-24");
}

Test(calendar, across_year_ends)
{
    /* 2025-12-27 (Sat) + 5 = 2026-01-01 元旦 (01-01..03) → 01-04, a 调休 Sunday: working */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-12-27"), 5)), "2026-01-04");
    /* 2022-12-26 + 5 = 2022-12-31, the first day of 2023's 元旦 → 2023-01-03 */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2022-12-26"), 5)), "2023-01-03");
    /* minutes of a meeting held 2024-12-26 (Thu): + 7 = 2025-01-02 (Thu), working */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2024-12-26"), 7)), "2025-01-02");
    /* meeting 2026-01-08: the notice at the latest 2025-12-24 */
    cr_assert_str_eq(S(mt_days_before(D("2026-01-08"), 15)), "2025-12-24");
}

Test(calendar, national_day_week)
{
    /* 2025-09-26 (Fri) + 5 = 10-01: 国庆、中秋 10-01..08 → 10-09 (Thu) */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-09-26"), 5)), "2025-10-09");
    /* 2025-09-30 + 7 = 10-07 → 10-09 */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-09-30"), 7)), "2025-10-09");
    /* 2023-09-25 + 5 = 09-30 (holiday 09-29..10-06) → 10-07, a 调休 Saturday: working */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2023-09-25"), 5)), "2023-10-07");
    /* 2021-09-28 + 5 = 10-03 (holiday 10-01..07) → 10-08 (Fri) */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2021-09-28"), 5)), "2021-10-08");
}

Test(calendar, tiaoxiu_saturday_is_a_working_day)
{
    /* 2025-10-06 + 5 = 10-11 (Sat), a 调休 working day: the deadline stays on it */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2025-10-06"), 5)), "2025-10-11");
    /* 2024-05-06 + 5 = 05-11 (Sat, 劳动节调休) */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2024-05-06"), 5)), "2024-05-11");
    /* an ordinary Saturday moves: 2024-05-13 + 5 = 05-18 (Sat) → 05-20 */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2024-05-13"), 5)), "2024-05-20");
    /* Spring Festival 2024: 02-05 + 5 = 02-10 (holiday 02-10..17) → 02-18, a 调休 Sunday */
    cr_assert_str_eq(S(mt_days_after(&cal, D("2024-02-05"), 5)), "2024-02-18");
}

Test(steps, deadlines_of_every_step)
{
    struct mt_dates d = {.meeting = D("2025-06-20"),
                         .notice = D("2025-06-03"),
                         .held = D("2025-06-20"),
                         .drafted = D("2025-06-25"),
                         .countersign_days = 5};
    int dl[MT__STEPS];
    mt_deadlines(&cal, &d, dl);
    cr_assert_str_eq(S(dl[MT_STEP_NOTICE]), "2025-06-05");
    cr_assert_str_eq(S(dl[MT_STEP_RECEIPT]), "2025-06-09"); /* 06-08 is a Sunday */
    cr_assert_str_eq(S(dl[MT_STEP_TOPICS]), "2025-06-09");
    cr_assert_str_eq(S(dl[MT_STEP_SELECTION]), "2025-06-15");
    cr_assert_str_eq(S(dl[MT_STEP_AGENDA]), "2025-06-15");
    cr_assert_str_eq(S(dl[MT_STEP_HELD]), "2025-06-20");
    cr_assert_str_eq(S(dl[MT_STEP_MINUTES]), "2025-06-27");     /* Friday */
    cr_assert_str_eq(S(dl[MT_STEP_COUNTERSIGN]), "2025-06-30"); /* 06-30 Mon */
    cr_assert_eq(dl[MT_STEP_ISSUE], MT_NONE);

    struct mt_dates none = {
        .meeting = D("2025-06-20"), .notice = MT_NONE, .held = MT_NONE, .drafted = MT_NONE};
    mt_deadlines(&cal, &none, dl);
    cr_assert_eq(dl[MT_STEP_TOPICS], MT_NONE);
    cr_assert_eq(dl[MT_STEP_MINUTES], MT_NONE);
    cr_assert_eq(dl[MT_STEP_COUNTERSIGN], MT_NONE);
    cr_assert_str_eq(S(dl[MT_STEP_NOTICE]), "2025-06-05");

    /* the countersigning window the office sets; 0 means the default 5 */
    d.countersign_days = 10;
    mt_deadlines(&cal, &d, dl);
    cr_assert_str_eq(S(dl[MT_STEP_COUNTERSIGN]), "2025-07-07"); /* 07-05 Sat → 07-07 */
    d.countersign_days = 0;
    mt_deadlines(&cal, &d, dl);
    cr_assert_str_eq(S(dl[MT_STEP_COUNTERSIGN]), "2025-06-30");
}

Test(steps, a_meeting_after_national_day)
{
    /* meeting 2025-10-20; notice 2025-09-26 → topics due 10-09 (after the holiday) */
    struct mt_dates d = {.meeting = D("2025-10-20"),
                         .notice = D("2025-09-26"),
                         .held = D("2025-10-20"),
                         .drafted = D("2025-10-27"),
                         .countersign_days = 5};
    int dl[MT__STEPS];
    mt_deadlines(&cal, &d, dl);
    cr_assert_str_eq(S(dl[MT_STEP_NOTICE]), "2025-10-05");
    cr_assert_str_eq(S(dl[MT_STEP_TOPICS]), "2025-10-09");
    cr_assert_str_eq(S(dl[MT_STEP_AGENDA]), "2025-10-15");
    cr_assert_str_eq(S(dl[MT_STEP_MINUTES]), "2025-10-27");
    cr_assert_str_eq(S(dl[MT_STEP_COUNTERSIGN]), "2025-11-03"); /* 11-01 Sat → 11-03 */
}

Test(steps, statuses)
{
    int dl = D("2025-06-09");
    cr_assert_eq(mt_status_at(dl, MT_NONE, D("2025-06-08")), MT_DUE);
    cr_assert_eq(mt_status_at(dl, MT_NONE, dl), MT_DUE);
    cr_assert_eq(mt_status_at(dl, MT_NONE, D("2025-06-10")), MT_OVERDUE);
    cr_assert_eq(mt_status_at(dl, D("2025-06-09"), D("2025-07-01")), MT_ON_TIME);
    cr_assert_eq(mt_status_at(dl, D("2025-06-01"), D("2025-07-01")), MT_ON_TIME);
    cr_assert_eq(mt_status_at(dl, D("2025-06-10"), D("2025-07-01")), MT_LATE);
    cr_assert_eq(mt_status_at(MT_NONE, MT_NONE, dl), MT_WAITING);
    cr_assert_eq(mt_status_at(MT_NONE, dl, dl), MT_DONE);
    cr_assert_str_eq(mt_status_name(MT_LATE), "late");
    cr_assert_str_eq(mt_status_name(MT_ON_TIME), "on_time");
    cr_assert_str_eq(mt_status_label(MT_OVERDUE), "已逾期");
    /* "at least 15 days before" is a plain comparison: 10 days before is late */
    int meeting = D("2025-06-20");
    cr_assert_not(mt_is_late(mt_days_before(meeting, 15), D("2025-06-05")));
    cr_assert(mt_is_late(mt_days_before(meeting, 15), D("2025-06-10")));
    cr_assert(mt_is_late(mt_days_before(meeting, 5), D("2025-06-17")));
    cr_assert_not(mt_is_late(mt_days_before(meeting, 5), D("2025-06-15")));
    cr_assert_not(mt_is_late(MT_NONE, D("2025-06-15")));
}

Test(steps, names_and_labels)
{
    const char *want[MT__STEPS] = {"notice", "receipt", "topics",      "selection", "agenda",
                                   "held",   "minutes", "countersign", "issue"};
    for (int i = 0; i < MT__STEPS; i++) {
        cr_assert_str_eq(mt_step_name((enum mt_step)i), want[i]);
        cr_assert(strlen(mt_step_label((enum mt_step)i)) > 0);
    }
    cr_assert_str_eq(mt_category_label(1), "（一）研究推动习近平生态文明思想宣传工作");
    cr_assert_not_null(mt_category_label(7));
    cr_assert_null(mt_category_label(0));
    cr_assert_null(mt_category_label(8));
    enum mt_rank r;
    cr_assert(mt_rank_parse("deputy", &r));
    cr_assert_eq(r, MT_RANK_DEPUTY);
    cr_assert_not(mt_rank_parse("boss", &r));
    cr_assert_eq(mt_required_rank(MT_LEVEL_STANDARD, true), MT_RANK_DEPUTY);
    cr_assert_eq(mt_required_rank(MT_LEVEL_STANDARD, false), MT_RANK_DIVISION);
    cr_assert_eq(mt_required_rank(MT_LEVEL_SENIOR, true), MT_RANK_PRINCIPAL);
    cr_assert_eq(mt_required_rank(MT_LEVEL_SENIOR, false), MT_RANK_DEPUTY);
}

/* The stage labels are the server's one list (the console shows them as given). */
Test(steps, stages_selections_and_follow_up_statuses)
{
    const char *names[MT__STAGES] = {"planned", "notified", "agenda_sent",
                                     "held",    "minutes",  "issued"};
    const char *labels[MT__STAGES] = {"筹备中",     "已通知",    "已告知议题", "已召开，待制作纪要",
                                      "纪要会签中", "纪要已印发"};
    for (int i = 0; i < MT__STAGES; i++) {
        enum mt_stage s;
        cr_assert(mt_stage_parse(names[i], &s));
        cr_assert_eq(s, (enum mt_stage)i);
        cr_assert_str_eq(mt_stage_name(s), names[i]);
        cr_assert_str_eq(mt_stage_label(s), labels[i]);
        cr_assert(strlen(mt_stage_conflict(s)) > 0);
    }
    enum mt_stage st;
    cr_assert_not(mt_stage_parse("done", &st));
    enum mt_selection sel;
    cr_assert(mt_selection_decision("merge", &sel));
    cr_assert_eq(sel, MT_SEL_MERGED);
    cr_assert(mt_selection_decision("reset", &sel));
    cr_assert_eq(sel, MT_SEL_PENDING);
    cr_assert_not(mt_selection_decision("merged", &sel));
    cr_assert(mt_selection_parse("declined", &sel));
    cr_assert_str_eq(mt_selection_label(sel), "未采纳");
    enum mt_fu_status fs;
    cr_assert(mt_fu_status_parse("in_progress", &fs));
    cr_assert_str_eq(mt_fu_status_label(fs), "落实中");
    cr_assert_not(mt_fu_status_parse("finished", &fs));
}

Test(steps, reminders_two_days_before_and_on_the_day)
{
    int dl = D("2025-06-09");
    cr_assert_eq(mt_remind_stage(dl, D("2025-06-06")), 0);
    cr_assert_eq(mt_remind_stage(dl, D("2025-06-07")), 1);
    cr_assert_eq(mt_remind_stage(dl, D("2025-06-08")), 1); /* a missed tick catches up */
    cr_assert_eq(mt_remind_stage(dl, dl), 2);
    cr_assert_eq(mt_remind_stage(dl, D("2025-06-10")), 0);
    cr_assert_eq(mt_remind_stage(MT_NONE, dl), 0);
}

Test(steps, document_numbers_and_dates)
{
    char no[64], cn[32];
    mt_doc_no(2025, 1, no, sizeof no);
    cr_assert_str_eq(no, "渝生态宣联〔2025〕1号");
    mt_doc_no(2026, 12, no, sizeof no);
    cr_assert_str_eq(no, "渝生态宣联〔2026〕12号");
    mt_date_cn(D("2025-06-03"), cn, sizeof cn);
    cr_assert_str_eq(cn, "2025年6月3日");
}

/* ---- checking one year of the calendar ---- */

static bool parse(const char *text, int year, struct mt_year *y, struct problem *p)
{
    json_error_t je;
    json_t *o = json_loads(text, 0, &je);
    cr_assert_not_null(o, "%s", je.text);
    bool ok = mt_year_parse(o, year, y, p);
    json_decref(o);
    return ok;
}

Test(year, a_good_year)
{
    struct mt_year y;
    struct problem p;
    cr_assert(parse("{\"title\":\"国务院办公厅关于2027年部分节假日安排的通知\",\"holidays\":[{"
                    "\"name\":\"元旦\",\"from\":"
                    "\"2027-01-01\",\"to\":\"2027-01-03\"}],\"workdays\":[{\"date\":\"2027-01-09\","
                    "\"name\":\"调休\"}]}",
                    2027, &y, &p),
              "%s %s", p.field, p.msg);
    cr_assert_eq(y.ndays, 4);
    cr_assert(y.days[0].holiday);
    cr_assert_not(y.days[3].holiday);
    cr_assert_null(y.doc_no);
}

Test(year, problems_name_the_field)
{
    struct mt_year y;
    struct problem p;
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[{\"name\":\"元旦\",\"from\":\"2027-01-03\","
                        "\"to\":\"2027-01-01\"}]}",
                        2027, &y, &p));
    cr_assert_str_eq(p.field, "holidays[0].to");
    cr_assert_eq(p.err, ERR_RULE);
    /* a make-up working day on a weekday */
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[{\"name\":\"元旦\",\"from\":\"2027-01-01\","
                        "\"to\":\"2027-01-01\"}],"
                        "\"workdays\":[{\"date\":\"2027-01-05\",\"name\":\"x\"}]}",
                        2027, &y, &p));
    cr_assert_str_eq(p.field, "workdays[0].date");
    /* a working day inside a holiday */
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[{\"name\":\"元旦\",\"from\":\"2027-01-01\","
                        "\"to\":\"2027-01-03\"}],"
                        "\"workdays\":[{\"date\":\"2027-01-02\",\"name\":\"x\"}]}",
                        2027, &y, &p));
    cr_assert_str_eq(p.field, "workdays[0].date");
    /* a day of another year */
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[{\"name\":\"国庆\",\"from\":\"2028-10-01\","
                        "\"to\":\"2028-10-07\"}]}",
                        2027, &y, &p));
    cr_assert_str_eq(p.field, "holidays[0].from");
    /* overlapping ranges */
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[{\"name\":\"a\",\"from\":\"2027-10-01\","
                        "\"to\":\"2027-10-07\"},"
                        "{\"name\":\"b\",\"from\":\"2027-10-07\",\"to\":\"2027-10-08\"}]}",
                        2027, &y, &p));
    cr_assert_str_eq(p.field, "holidays[1]");
    /* unknown field, wrong year, missing title */
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[],\"colour\":1}", 2027, &y, &p));
    cr_assert_eq(p.err, ERR_BAD_REQUEST);
    cr_assert_str_eq(p.field, "colour");
    cr_assert_not(parse("{\"year\":2028,\"title\":\"t\",\"holidays\":[]}", 2027, &y, &p));
    cr_assert_str_eq(p.field, "year");
    cr_assert_not(parse("{\"holidays\":[]}", 2027, &y, &p));
    cr_assert_str_eq(p.field, "title");
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[]}", 2027, &y, &p));
    cr_assert_str_eq(p.field, "holidays");
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[{\"name\":\"a\",\"from\":\"2027-02-30\","
                        "\"to\":\"2027-03-01\"}]}",
                        2027, &y, &p));
    cr_assert_str_eq(p.field, "holidays[0].from");
    cr_assert_not(parse("{\"title\":\"t\",\"holidays\":[{\"name\":\"a\",\"from\":\"2027-02-01\","
                        "\"to\":\"2027-02-20\"}]}",
                        2027, &y, &p));
    cr_assert_str_eq(p.field, "holidays[0].to");
}

Test(vocabulary, step_actors_and_history_labels)
{
    cr_assert_str_eq(mt_step_actor(MT_STEP_NOTICE), "承办单位");
    cr_assert_str_eq(mt_step_actor(MT_STEP_AGENDA), "牵头单位");
    cr_assert_str_eq(mt_step_actor(MT_STEP_MINUTES), "市生态环境局");
    cr_assert_str_eq(mt_step_actor(MT_STEP_COUNTERSIGN), "成员单位");
    cr_assert_str_eq(mt_step_actor(MT__STEPS), "?");
    cr_assert_str_eq(mt_history_label("notice"), "发出会议通知");
    cr_assert_str_eq(mt_history_label("change_request"), "提出修改意见");
    cr_assert_str_eq(mt_history_label("topic_late"), "补报议题（逾期）");
    cr_assert_str_eq(mt_history_label("something_new"), "something_new",
                     "an unknown action as it is");
    cr_assert_null(mt_history_label(NULL));
}
