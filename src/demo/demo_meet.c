/* demo_meet.c - the demo history's joint meetings (附件2): one regular meeting each half-year
 * from 2021H2 to 2025H2, taken through the meeting area's whole chain on the days it happened
 * (the office records past steps): notice 20 days before → receipts and topics from the member
 * units → selection → agenda a week before → held (attendance, a decision per topic; the
 * meeting files its t83 ledger report itself) → minutes → every unit countersigns → issued. */
#include "demo/demo.h"
#include "base/date.h"
#include "meeting/meeting.h"
#include "org/units.h"
#include <stdio.h>
#include <string.h>

/* Meeting days: weekdays away from holidays, one per half-year. */
static const char *const dates[] = {"2021-12-16", "2022-06-23", "2022-12-15",
                                    "2023-06-29", "2023-12-14", "2024-06-20",
                                    "2024-12-19", "2025-06-19", "2025-12-18"};

static const struct {
    const char *unit, *person, *post, *rank;
} attendees[] = {
    {"市委宣传部", "张明远", "副部长", "deputy"}, {"市生态环境局", "李建国", "副局长", "deputy"},
    {"市文明办", "王丽华", "处长", "division"},   {"市教委", "赵志强", "处长", "division"},
    {"市民政局", "钱国庆", "处长", "division"},   {"团市委", "孙晓雯", "部长", "division"},
    {"市妇联", "周敏", "部长", "division"},
};

static const struct {
    const char *unit;
    int category;
    const char *title, *decision;
} topics[] = {
    {"市委宣传部", 1, "联合开展习近平生态文明思想进基层宣讲",
     "同意联合开展宣讲，由市委宣传部牵头制定方案。"},
    {"市教委", 2, "生态文明教育进校园品牌活动安排", "同意举办校园主题活动，市教委牵头组织。"},
    {"团市委", 4, "青年生态环保志愿服务项目推进", "支持青年志愿服务项目，纳入年度重点工作。"},
    {"市文明办", 3, "生态环境志愿服务纳入文明创建测评", "同意纳入测评体系，由市文明办研究细则。"},
    {"市妇联", 3, "“绿色家庭”创建活动", "同意开展“绿色家庭”创建，市妇联牵头。"},
};

static enum err step(enum err e, struct problem *p, const char *what, const char *date, char *why,
                     size_t whylen)
{
    if (e != OK) snprintf(why, whylen, "joint meeting %s, %s: %s", date, what, p->msg);
    return e;
}

enum err demo_meetings(struct store *db, struct demo_rng *r, const struct demo_who *office,
                       long long office_unit, long long now_limit, long long *held, char *why,
                       size_t whylen)
{
    *held = 0;
    struct mt_actor by = {office->user_id, office->name, office_unit, true};
    long long unit_ids[sizeof attendees / sizeof *attendees];
    for (size_t i = 0; i < sizeof attendees / sizeof *attendees; i++)
        unit_ids[i] = unit_find(db, attendees[i].unit);
    for (size_t m = 0; m < sizeof dates / sizeof *dates; m++) {
        int day;
        if (!date_parse(dates[m], &day)) continue;
        if (demo_time(day + 12, 10, 0) >= now_limit) break;
        int y, mo;
        date_to_ymd(day, &y, &mo, NULL);
        struct problem p = {0};
        char title[160];
        snprintf(title, sizeof title, "%d年%s半年重庆市生态文明宣传教育工作联席会议", y,
                 mo <= 6 ? "上" : "下");
        struct mt_meeting_in in = {.kind = MT_REGULAR,
                                   .title = title,
                                   .date = dates[m],
                                   .place = "重庆市生态环境局三楼会议室",
                                   .level = MT_LEVEL_STANDARD,
                                   .notes =
                                       "听取各成员单位半年工作情况汇报，研究部署下阶段重点工作。",
                                   .countersign_days = MT_COUNTERSIGN_DAYS};
        long long id;
        enum err e = mt_meeting_create(db, &in, &by, demo_time(day - 25, 10, 0), &id, &p);
        if ((e = step(e, &p, "create", dates[m], why, whylen)) != OK) return e;
        int notice = day - 20;
        struct mt_step_in s = {0};
        e = mt_send_notice(db, id, &s, "请各成员单位做好会议准备，按时报送议题。", &by,
                           demo_time(notice, 9, 30), &p);
        if ((e = step(e, &p, "notice", dates[m], why, whylen)) != OK) return e;
        /* receipts from every member but the host; three topics */
        for (size_t i = 0; i < sizeof attendees / sizeof *attendees; i++) {
            if (strcmp(attendees[i].unit, "市生态环境局") == 0 || !unit_ids[i]) continue;
            struct mt_step_in rs = {.unit_id = unit_ids[i]};
            e = mt_confirm_receipt(db, id, &rs, false, &by,
                                   demo_time(notice + 1 + (int)demo_range(r, 0, 1), 10, 0), &p);
            if ((e = step(e, &p, "receipt", dates[m], why, whylen)) != OK) return e;
        }
        size_t first = (size_t)demo_range(r, 0, (long long)(sizeof topics / sizeof *topics) - 1);
        long long tid[3];
        size_t nt = 0;
        for (size_t k = 0; k < 3; k++) {
            size_t t = (first + k) % (sizeof topics / sizeof *topics);
            struct mt_step_in ts = {.unit_id = unit_find(db, topics[t].unit)};
            struct mt_topic_in ti = {.category = topics[t].category,
                                     .title = topics[t].title,
                                     .background = "根据行动计划年度重点任务和前期工作情况提出。",
                                     .decision_requested = "请联席会议研究决定。"};
            e = mt_submit_topic(db, id, &ts, &ti, &by, demo_time(notice + 2 + (int)k, 15, 0),
                                &tid[nt], &p);
            if ((e = step(e, &p, "topic", dates[m], why, whylen)) != OK) return e;
            nt++;
        }
        for (size_t k = 0; k < nt; k++) {
            e = mt_select_topic(db, id, tid[k], "select", 0, NULL, NULL, &by,
                                demo_time(notice + 7, 10, 0), &p);
            if ((e = step(e, &p, "selection", dates[m], why, whylen)) != OK) return e;
        }
        struct mt_step_in as = {0};
        e = mt_send_agenda(db, id, &as, NULL, &by, demo_time(day - 7, 10, 0), &p);
        if ((e = step(e, &p, "agenda", dates[m], why, whylen)) != OK) return e;
        json_t *att = json_array(), *dec = json_array();
        for (size_t i = 0; i < sizeof attendees / sizeof *attendees; i++)
            json_array_append_new(att, json_pack("{s:s,s:s,s:s,s:s}", "unit", attendees[i].unit,
                                                 "person", attendees[i].person, "post",
                                                 attendees[i].post, "rank", attendees[i].rank));
        for (size_t k = 0; k < nt; k++) {
            size_t t = (first + k) % (sizeof topics / sizeof *topics);
            json_array_append_new(dec, json_pack("{s:I,s:s}", "topic_id", (json_int_t)tid[k],
                                                 "decision", topics[t].decision));
        }
        struct mt_step_in hs = {0};
        e = mt_record_held(db, id, &hs, att, dec, &by, demo_time(day, 16, 0), &p);
        json_decref(att);
        json_decref(dec);
        if ((e = step(e, &p, "held", dates[m], why, whylen)) != OK) return e;
        (*held)++;
        struct mt_step_in ms = {0};
        json_t *none = json_array();
        e = mt_draft_minutes(
            db, id, &ms, "会议听取了各成员单位工作情况汇报，研究了中心议题，部署了下阶段重点工作。",
            none, &by, demo_time(day + 3, 10, 0), &p);
        json_decref(none);
        if ((e = step(e, &p, "minutes", dates[m], why, whylen)) != OK) return e;
        for (size_t i = 0; i < sizeof attendees / sizeof *attendees; i++) {
            if (unit_ids[i] == office_unit) continue; /* the host signed by drafting them */
            struct mt_step_in cs = {.unit_id = unit_ids[i]};
            e = mt_countersign(db, id, &cs, "sign", NULL, &by,
                               demo_time(day + 4 + (int)demo_range(r, 0, 1), 11, 0), &p);
            if (e == ERR_RULE && strcmp(p.field, "unit") == 0) continue; /* not asked to sign */
            if ((e = step(e, &p, "countersign", dates[m], why, whylen)) != OK) return e;
        }
        struct mt_step_in is = {0};
        e = mt_issue_minutes(db, id, &is, &by, demo_time(day + 7, 10, 0), &p);
        if ((e = step(e, &p, "issue", dates[m], why, whylen)) != OK) return e;
    }
    return OK;
}
