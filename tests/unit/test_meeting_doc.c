/* test_meeting_doc.c - unit tests for the joint meeting's documents (src/meeting/meeting_doc.c):
 * building the notice, the agenda and the minutes from a loaded meeting (struct mt_meeting, no
 * JSON) in the parts GB/T 9704 names (发文机关标志, 发文字号, 标题, 主送机关, 正文, 署名, 成文日期,
 * 抄送, 印发), the printable HTML (escaped, no scripts, red 版头 with presentational fallbacks) and
 * the PDF (a real PDF with its fonts embedded). */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "meeting/meeting.h"

static int D(const char *s);

/* The fixture meeting, as mt_meeting_load() would give it. */
static struct mt_unit units[] = {
    {.unit = {1, "中共重庆市委宣传部", "市委宣传部"}, .convener = true},
    {.unit = {2, "重庆市生态环境局", "市生态环境局"}, .convener = true, .host = true},
    {.unit = {3, "重庆市教育委员会", "市教委"}},
};
static const char *guests[] = {"市人大", "市政协"};
static struct mt_topic topics[] = {
    {.id = 10,
     .unit = {3, "重庆市教育委员会", "市教委"},
     .category = 2,
     .title = "校园主题活动",
     .selection = MT_SEL_SELECTED,
     .decision = "同意举办。"},
    {.id = 11,
     .unit = {1, "中共重庆市委宣传部", "市委宣传部"},
     .category = 1,
     .title = "同类议题",
     .selection = MT_SEL_MERGED,
     .merged_into = 10},
    {.id = 12,
     .unit = {1, "中共重庆市委宣传部", "市委宣传部"},
     .category = 1,
     .title = "不采纳的议题",
     .selection = MT_SEL_DECLINED},
};
static struct mt_followup to_report[] = {{.status = MT_FU_DONE}, {.status = MT_FU_OPEN}};
static struct mt_attendee attendance[] = {
    {.unit = {3, "", ""}, .unit_name = "重庆市教育委员会", .person = "赵处长", .post = "处长"},
    {.unit_name = "市人大常委会办公厅", .person = "吴主任", .post = "", .guest = true},
};
static struct mt_decision decisions[1];
static struct mt_minutes minutes[1];
static struct mt_meeting fixture;

static struct mt_meeting *meeting(void)
{
    decisions[0] = (struct mt_decision){.seq = 1,
                                        .text = "举办校园主题活动",
                                        .unit = {3, "重庆市教育委员会", "市教委"},
                                        .due = D("2025-10-31")};
    minutes[0] = (struct mt_minutes){.version = 1,
                                     .body = "会议听取了汇报。\n会议认为要加强协作。",
                                     .decisions = decisions,
                                     .ndecisions = 1};
    fixture = (struct mt_meeting){
        .title = "2025年上半年重庆市生态文明宣传教育工作联席会议",
        .meeting = D("2025-06-20"),
        .place = "市生态环境局会议室",
        .level = MT_LEVEL_STANDARD,
        .guests = guests,
        .nguests = 2,
        .notes = "",
        .notice_body = "请于会前报送参会名单。\n<b>不是标签</b>",
        .version = 1,
        .host = {2, "重庆市生态环境局", "市生态环境局"},
        .units = units,
        .nunits = 3,
        .topics = topics,
        .ntopics = 3,
        .to_report = to_report,
        .nto_report = 2,
        .attendance = attendance,
        .nattendance = 2,
        .minutes_versions = minutes,
        .nminutes_versions = 1,
    };
    for (int i = 0; i < MT__STEPS; i++)
        fixture.deadline[i] = MT_NONE;
    fixture.deadline[MT_STEP_TOPICS] = D("2025-06-09");
    return &fixture;
}

static int D(const char *s)
{
    int d;
    cr_assert(date_parse(s, &d));
    return d;
}

static bool has_par(const struct gbdoc *d, const char *needle)
{
    for (size_t i = 0; i < d->npars; i++)
        if (strstr(d->pars[i].text, needle)) return true;
    return false;
}

Test(doc, notice_parts)
{
    struct mt_meeting *m = meeting();
    struct gbdoc d;
    cr_assert(mt_doc_build(MT_DOC_NOTICE, m, "渝生态宣联〔2025〕1号", D("2025-06-03"), &d));
    cr_assert_str_eq(d.mark, "重庆市生态文明宣传教育工作联席会议办公室文件");
    cr_assert_str_eq(d.doc_no, "渝生态宣联〔2025〕1号");
    cr_assert_str_eq(d.title, "关于召开2025年上半年重庆市生态文明宣传教育工作联席会议的通知");
    cr_assert_str_eq(d.to, "中共重庆市委宣传部、重庆市教育委员会",
                     "every member unit but the host");
    cr_assert_str_eq(d.date, "2025年6月3日");
    cr_assert_str_eq(d.signature, MT_ORG_NAME);
    cr_assert_str_eq(d.cc, "市人大、市政协");
    cr_assert_str_eq(d.print_date, "2025年6月3日印发");
    cr_assert(has_par(&d, "2025年6月20日（星期五）"));
    cr_assert(has_par(&d, "2025年6月9日前"), "the topic deadline");
    cr_assert(has_par(&d, "拟邀请市人大、市政协有关领导出席会议"));
    cr_assert_not(d.draft);
    gbdoc_free(&d);
}

Test(doc, agenda_lists_central_topics_with_merged_units)
{
    struct mt_meeting *m = meeting();
    struct gbdoc d;
    cr_assert(mt_doc_build(MT_DOC_AGENDA, m, "渝生态宣联〔2025〕2号", D("2025-06-13"), &d));
    cr_assert_str_eq(d.title, "关于2025年上半年重庆市生态文明宣传教育工作联席会议议题的通知");
    cr_assert(has_par(
        &d, "1. 校园主题活动（市教委、市委宣传部提出；（二）研究审议生态文明重大主题活动）"));
    cr_assert_not(has_par(&d, "不采纳的议题"));
    cr_assert(has_par(&d, "共 2 项，已完成 1 项"));
    cr_assert_str_eq(d.signature, "中共重庆市委宣传部　重庆市生态环境局",
                     "the conveners sign jointly");
    gbdoc_free(&d);
}

Test(doc, minutes_parts)
{
    struct mt_meeting *m = meeting();
    struct gbdoc d;
    cr_assert(mt_doc_build(MT_DOC_MINUTES, m, "渝生态宣联〔2025〕3号", D("2025-07-04"), &d));
    cr_assert_str_eq(d.mark, "重庆市生态文明宣传教育工作联席会议纪要");
    cr_assert_str_eq(d.title, "2025年上半年重庆市生态文明宣传教育工作联席会议纪要");
    cr_assert(has_par(&d, "会议由市委宣传部、市生态环境局共同牵头召集，市生态环境局承办"));
    cr_assert(has_par(&d, "会议认为要加强协作。"));
    cr_assert(has_par(&d, "（1）校园主题活动。同意举办。"));
    cr_assert(
        has_par(&d, "1. 举办校园主题活动（责任单位：重庆市教育委员会；完成时限：2025年10月31日）"));
    cr_assert(has_par(&d, "市人大常委会办公厅：吴主任（特邀）"));
    cr_assert(has_par(&d, "三、出席人员"));
    gbdoc_free(&d);
}

Test(doc, html_is_escaped_printable_and_scriptless)
{
    struct mt_meeting *m = meeting();
    struct gbdoc d;
    cr_assert(mt_doc_build(MT_DOC_NOTICE, m, "渝生态宣联〔2025〕1号", D("2025-06-03"), &d));
    char *html;
    size_t len;
    cr_assert(gbdoc_html(&d, &html, &len));
    cr_assert_eq(strlen(html), len);
    cr_assert_not_null(strstr(html, "<!DOCTYPE html>"));
    cr_assert_null(strstr(html, "<script"));
    cr_assert_not_null(strstr(html, "&lt;b&gt;不是标签&lt;/b&gt;"), "user text is escaped");
    cr_assert_null(strstr(html, "<b>不是标签"));
    cr_assert_not_null(strstr(html, "<font color=\"#dd0000\""));
    cr_assert_not_null(strstr(html, "渝生态宣联〔2025〕1号"));
    cr_assert_not_null(strstr(html, "@page{size:A4"));
    cr_assert_not_null(strstr(html, "抄送：市人大、市政协。"));
    free(html);
    gbdoc_free(&d);
}

Test(doc, draft_has_no_number)
{
    struct mt_meeting *m = meeting();
    struct gbdoc d;
    cr_assert(mt_doc_build(MT_DOC_MINUTES, m, NULL, D("2025-07-01"), &d));
    cr_assert(d.draft);
    cr_assert_str_eq(d.doc_no, "");
    char *html;
    size_t len;
    cr_assert(gbdoc_html(&d, &html, &len));
    cr_assert_not_null(strstr(html, "草稿（未印发）"));
    free(html);
    gbdoc_free(&d);
}

Test(doc, pdf_is_a_pdf_with_cjk_fonts)
{
    struct mt_meeting *m = meeting();
    struct gbdoc d;
    cr_assert(mt_doc_build(MT_DOC_MINUTES, m, "渝生态宣联〔2025〕3号", D("2025-07-04"), &d));
    void *pdf;
    size_t len;
    cr_assert(gbdoc_pdf(&d, &pdf, &len));
    cr_assert_gt(len, 1000);
    cr_assert_eq(memcmp(pdf, "%PDF-", 5), 0);
    cr_assert_not_null(memmem(pdf, len, "%%EOF", 5));
    cr_assert_not_null(memmem(pdf, len, "NotoSerifCJK", 12), "the CJK font is embedded");
    cr_assert_not_null(memmem(pdf, len, "/ToUnicode", 10), "text can be extracted");
    free(pdf);
    gbdoc_free(&d);
}

Test(doc, names)
{
    enum mt_doc_kind k;
    cr_assert(mt_doc_kind_parse("minutes", &k));
    cr_assert_eq(k, MT_DOC_MINUTES);
    cr_assert_not(mt_doc_kind_parse("budget", &k));
    cr_assert_str_eq(mt_doc_kind_label(MT_DOC_NOTICE), "会议通知");
    cr_assert_not(mt_doc_build(MT_DOC_NOTICE, NULL, NULL, 0, &(struct gbdoc){0}));
}
