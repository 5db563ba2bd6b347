/* test_work.c - unit tests for the pure parts of the work ledger (src/work/): checking a report
 * against the plan's catalogue, spreadsheet cells (dates, Excel serials, integers, task lists),
 * the file rules evidence goes through (base/filetype.c: names, the allow-list and content
 * sniffing, RFC 5987 file names), the .csv
 * reader, the .xlsx reader (workbooks made with libxlsxwriter, and hostile zips made with
 * libzip: DOCTYPE, bad shared-string index, oversized cells, too many rows, not a zip, cells all
 * naming one long shared string, a huge tag), the table itself (trimmed cells, the decoded-size
 * budget, shared strings, quoting a cell, the error list kept and counted) and the import of a
 * table into reports with every error by row and column. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "base/date.h"
#include "base/filetype.h"
#include "work/work.h"

/* ---- a catalogue like the plan's ---- */

static json_t *kinds;
static const long long tasks[] = {5, 16, 17, 43, 44, 51};
static struct work_catalog cat;

static void setup(void)
{
    kinds = json_pack("{s:{s:s,s:[sss]},s:{s:s,s:[s]},s:{s:s,s:[sss]},s:{s:s,s:[]}}",
                      "press_conference", "name", "新闻发布会（媒体通气会）", "metrics",
                      "participants", "media_outlets", "reports", "seminar", "name",
                      "专题研习培训会、座谈交流会", "metrics", "participants", "school_class_hours",
                      "name", "中小学生态文明专题教育课时", "metrics", "schools_total",
                      "schools_met", "class_hours", "work_plan", "name", "工作方案制定", "metrics");
    cr_assert_not_null(kinds);
    cat = (struct work_catalog){.plan = "cq-2021-2025",
                                .start = date_from_ymd(2021, 7, 1),
                                .end = date_from_ymd(2025, 12, 31),
                                .today = date_from_ymd(2024, 6, 30),
                                .tasks = tasks,
                                .ntasks = sizeof tasks / sizeof *tasks,
                                .kinds = kinds};
}

static void teardown(void)
{
    json_decref(kinds);
}

static struct work_report good(void)
{
    struct work_report r = {.unit_id = 1,
                            .kind = "press_conference",
                            .activity_date = "2023-02-10",
                            .title = "一季度新闻发布会",
                            .ntasks = 1,
                            .nmetrics = 1};
    r.tasks[0] = 17;
    r.metrics[0] = (struct work_metric){"participants", 30};
    return r;
}

static const char *first_field(struct work_report r)
{
    static struct work_problems p;
    if (work_report_check(&r, &cat, &p)) return "";
    return p.items[0].field;
}

TestSuite(check, .init = setup, .fini = teardown);

Test(check, a_good_report_passes)
{
    struct work_problems p;
    struct work_report r = good();
    r.links[r.nlinks++] = "https://www.cq.gov.cn/a?b=1#c";
    r.summary = "第一行\n第二行\t缩进";
    cr_assert(work_report_check(&r, &cat, &p), "%s", p.n ? p.items[0].msg : "");
    cr_assert_eq(p.n, 0);
}

Test(check, dates_inside_the_plan_and_not_in_the_future)
{
    struct work_report r = good();
    r.activity_date = "2021-06-30";
    cr_assert_str_eq(first_field(r), "activity_date");
    r.activity_date = "2021-07-01";
    cr_assert_str_eq(first_field(r), "");
    r.activity_date = "2024-06-30"; /* today */
    cr_assert_str_eq(first_field(r), "");
    r.activity_date = "2024-07-01"; /* tomorrow */
    struct work_problems p;
    cr_assert_not(work_report_check(&r, &cat, &p));
    cr_assert(strstr(p.items[0].msg, "晚于今天"), "%s", p.items[0].msg);
    r.activity_date = "2026-01-01";
    cr_assert_str_eq(first_field(r), "activity_date");
    r.activity_date = "2023-02-29";
    cr_assert_str_eq(first_field(r), "activity_date");
    r.activity_date = "2023-2-9";
    cr_assert_str_eq(first_field(r), "activity_date");
    r.activity_date = NULL;
    cr_assert_str_eq(first_field(r), "activity_date");
}

Test(check, kind_tasks_metrics)
{
    struct work_report r = good();
    r.kind = "party";
    cr_assert_str_eq(first_field(r), "kind");
    r = good();
    r.tasks[r.ntasks++] = 999;
    struct work_problems p;
    cr_assert_not(work_report_check(&r, &cat, &p));
    cr_assert_str_eq(p.items[0].field, "tasks");
    cr_assert(strstr(p.items[0].msg, "999"));
    r = good();
    r.ntasks = 0;
    cr_assert_str_eq(first_field(r), "tasks");
    r = good();
    r.tasks[r.ntasks++] = 17;
    cr_assert_str_eq(first_field(r), "tasks");
    r = good();
    r.metrics[0] = (struct work_metric){"views", 3};
    cr_assert_str_eq(first_field(r), "metrics.views");
    r.metrics[0] = (struct work_metric){"participants", -1};
    cr_assert_str_eq(first_field(r), "metrics.participants");
    r.metrics[0] = (struct work_metric){"participants", WORK_METRIC_MAX + 1};
    cr_assert_str_eq(first_field(r), "metrics.participants");
    r.metrics[0] = (struct work_metric){"participants", 0};
    cr_assert_str_eq(first_field(r), "");
    r.metrics[r.nmetrics++] = (struct work_metric){"participants", 1};
    cr_assert_str_eq(first_field(r), "metrics.participants");
    r = good();
    r.kind = "work_plan"; /* no metrics at all */
    cr_assert_str_eq(first_field(r), "metrics.participants");
}

Test(check, every_problem_is_listed)
{
    struct work_report r = {.kind = "party", .activity_date = "2020-01-01", .title = ""};
    r.links[r.nlinks++] = "ftp://x";
    struct work_problems p;
    cr_assert_not(work_report_check(&r, &cat, &p));
    cr_assert_eq(p.n, 5);
    const char *want[] = {"kind", "activity_date", "title", "tasks", "links"};
    for (size_t i = 0; i < 5; i++)
        cr_assert_str_eq(p.items[i].field, want[i]);
}

Test(check, lengths_count_characters_not_bytes)
{
    char title[201 * 3 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(title, "题");
    struct work_report r = good();
    r.title = title;
    cr_assert_str_eq(first_field(r), "");
    strcat(title, "题");
    cr_assert_str_eq(first_field(r), "title");
    r = good();
    r.title = "换行\n标题";
    cr_assert_str_eq(first_field(r), "title");
    r = good();
    r.place = "地点\x01";
    cr_assert_str_eq(first_field(r), "place");
    cr_assert_eq(utf8_chars("a题b"), 3);
}

Test(check, links)
{
    cr_assert(work_link_valid("http://a.b/c"));
    cr_assert(work_link_valid("HTTPS://example.com"));
    cr_assert_not(work_link_valid("https://"));
    cr_assert_not(work_link_valid("https:///path"));
    cr_assert_not(work_link_valid("javascript:alert(1)"));
    cr_assert_not(work_link_valid("https://a.b/has space"));
    cr_assert_not(work_link_valid("https://bank.com@evil.example/"));
    cr_assert_not(work_link_valid("data:text/html,x"));
    cr_assert_not(work_link_valid(""));
}

Test(check, kinds_by_code_or_chinese_name_and_metric_labels)
{
    const char *code = NULL;
    cr_assert_not_null(work_kind_find(&cat, "新闻发布会（媒体通气会）", &code));
    cr_assert_str_eq(code, "press_conference");
    cr_assert_not_null(work_kind_find(&cat, "seminar", &code));
    cr_assert_str_eq(code, "seminar");
    cr_assert_null(work_kind_find(&cat, "发布会", &code));
    cr_assert_str_eq(work_metric_label("participants"), "参与人数");
    cr_assert_str_eq(work_metric_label("new_metric"), "new_metric");
    cr_assert_str_eq(work_history_label("resubmit"), "修改并重新提交");
    cr_assert_str_eq(work_history_label("later"), "later");
    json_t *v = work_vocabulary_json();
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "statuses"), "returned")),
                     "已退回");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "metrics"), "articles")),
                     "稿件数");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "actions"), "accept")),
                     "审核通过");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "sources"), "import")),
                     "批量导入");
    const char *s;
    json_t *l;
    json_object_foreach(json_object_get(v, "statuses"), s, l)
        cr_assert(work_status_valid(s), "%s", s);
    json_decref(v);
    cr_assert_str_eq(work_metric_from_header("参与人数"), "participants");
    cr_assert_str_eq(work_metric_from_header("views"), "views");
    cr_assert_str_eq(work_metric_from_header("new_metric"), "new_metric");
    cr_assert_null(work_metric_from_header("日期"));
    cr_assert_null(work_metric_from_header("Views"));
}

/* ---- UTF-8 ---- */

Test(utf8, validation)
{
    cr_assert(utf8_valid("中文 ok", strlen("中文 ok")));
    cr_assert(utf8_valid("\xF0\x9F\x8C\xB3", 4)); /* 🌳 */
    cr_assert_not(utf8_valid("\xC0\xAF", 2));     /* overlong / */
    cr_assert_not(utf8_valid("\xED\xA0\x80", 3)); /* a surrogate */
    cr_assert_not(utf8_valid("\xE4\xB8", 2));     /* truncated */
    cr_assert_not(utf8_valid("\xFF", 1));
    cr_assert_not(utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    cr_assert_not(utf8_valid("\xb5\xa5\xce\xbb", 4)); /* GBK 单位 */
}

Test(utf8, scrub_drops_what_a_byte_limit_cut)
{
    char cut[64];
    snprintf(cut, sizeof cut, "「%.4s」：错误", "单位名称"); /* 4 bytes: 单 and a third of 位 */
    cr_assert_not(utf8_valid(cut, strlen(cut)));
    cr_assert_str_eq(utf8_scrub(cut), "「单」：错误");
    char mixed[] = "a\xFF"
                   "中\xE4\xB8"
                   "b\xED\xA0\x80"
                   "c";
    cr_assert_str_eq(utf8_scrub(mixed), "a中bc");
    char fine[] = "中文 ok 🌳";
    cr_assert_str_eq(utf8_scrub(fine), "中文 ok 🌳");
}

/* ---- cells ---- */

static const char *cell_date(const char *s, bool d1904)
{
    static char out[11];
    int day;
    if (!work_cell_date(s, d1904, &day)) return "none";
    date_format(day, out);
    return out;
}

Test(cells, dates)
{
    cr_assert_str_eq(cell_date("2023-05-20", false), "2023-05-20");
    cr_assert_str_eq(cell_date(" 2023/5/2 ", false), "2023-05-02");
    cr_assert_str_eq(cell_date("2023.05.20", false), "2023-05-20");
    cr_assert_str_eq(cell_date("2023年5月20日", false), "2023-05-20");
    cr_assert_str_eq(cell_date("2023/5/20 0:00", false), "2023-05-20");
    cr_assert_str_eq(cell_date("20230520", false), "2023-05-20");
    cr_assert_str_eq(cell_date("45082", false), "2023-06-05");
    cr_assert_str_eq(cell_date("45082.75", false), "2023-06-05");
    cr_assert_str_eq(cell_date("61", false), "1900-03-01");
    cr_assert_str_eq(cell_date("59", false), "1900-02-28");
    cr_assert_str_eq(cell_date("60", false), "none"); /* Excel's 1900-02-29 */
    cr_assert_str_eq(cell_date("43620", true), "2023-06-05");
    cr_assert_str_eq(cell_date("0", false), "none");
    cr_assert_str_eq(cell_date("2023-02-30", false), "none");
    cr_assert_str_eq(cell_date("2023-05", false), "none");
    cr_assert_str_eq(cell_date("May 20", false), "none");
    cr_assert_str_eq(cell_date("", false), "none");
    cr_assert_str_eq(cell_date("99999999", false), "none");
    cr_assert_float_eq(work_excel_serial(date_from_ymd(2023, 6, 5)), 45082.0, 1e-9);
}

Test(cells, integers)
{
    long long v;
    cr_assert(work_cell_int("42", &v) && v == 42);
    cr_assert(work_cell_int(" 12000 ", &v) && v == 12000);
    cr_assert(work_cell_int("300.0", &v) && v == 300);
    cr_assert(work_cell_int("-3", &v) && v == -3);
    cr_assert_not(work_cell_int("1.5", &v));
    cr_assert_not(work_cell_int("ten", &v));
    cr_assert_not(work_cell_int("", &v));
    cr_assert_not(work_cell_int("1234567890123456", &v));
}

Test(cells, task_lists)
{
    long long t[WORK_MAX_TASKS];
    size_t n;
    char bad[64];
    cr_assert(work_cell_tasks("16、17", t, WORK_MAX_TASKS, &n, bad, sizeof bad));
    cr_assert_eq(n, 2);
    cr_assert_eq(t[0], 16);
    cr_assert_eq(t[1], 17);
    cr_assert(work_cell_tasks(" 1,2，3；4; 5 ", t, WORK_MAX_TASKS, &n, bad, sizeof bad));
    cr_assert_eq(n, 5);
    cr_assert(work_cell_tasks("51.0", t, WORK_MAX_TASKS, &n, bad, sizeof bad));
    cr_assert_eq(n, 1);
    cr_assert_eq(t[0], 51);
    cr_assert_not(work_cell_tasks("16、x", t, WORK_MAX_TASKS, &n, bad, sizeof bad));
    cr_assert_str_eq(bad, "x");
    cr_assert_not(work_cell_tasks("0", t, WORK_MAX_TASKS, &n, bad, sizeof bad));
    cr_assert_not(work_cell_tasks("16a", t, WORK_MAX_TASKS, &n, bad, sizeof bad));
    cr_assert_not(work_cell_tasks("1,2,3", t, 2, &n, bad, sizeof bad));
}

/* ---- evidence ---- */

Test(evidence, names)
{
    cr_assert(filetype_name_valid("现场照片.png"));
    cr_assert(filetype_name_valid("a b (1).pdf"));
    cr_assert_not(filetype_name_valid(""));
    cr_assert_not(filetype_name_valid("a/b.pdf"));
    cr_assert_not(filetype_name_valid("a\\b.pdf"));
    cr_assert_not(filetype_name_valid("a\tb.pdf"));
    cr_assert_not(filetype_name_valid("a\x7f.pdf"));
    cr_assert_not(filetype_name_valid("a\xC2\x85.pdf")); /* NEL */
    cr_assert_not(filetype_name_valid(".."));
    cr_assert_not(filetype_name_valid("\xFF.pdf"));
    /* bidirectional controls: "invoice<RLO>fdp.exe" shows as "invoiceexe.pdf" */
    cr_assert_not(filetype_name_valid("invoice\xE2\x80\xAE"
                                      "fdp.exe"));
    cr_assert_not(filetype_name_valid("a\xE2\x80\xAA.pdf")); /* U+202A */
    cr_assert_not(filetype_name_valid("a\xE2\x81\xA6.pdf")); /* U+2066 */
    cr_assert_not(filetype_name_valid("a\xE2\x81\xA9.pdf")); /* U+2069 */
    cr_assert_not(filetype_name_valid("a\xE2\x80\x8F.pdf")); /* U+200F */
    cr_assert_not(filetype_name_valid("a\xD8\x9C.pdf"));     /* U+061C */
    cr_assert(filetype_name_valid("a\xE2\x80\x94"
                                  "b.pdf")); /* U+2014 em dash is fine */
    char name[121 * 3 + 1] = "";
    for (int i = 0; i < 120; i++)
        strcat(name, "名");
    cr_assert(filetype_name_valid(name));
    strcat(name, "名");
    cr_assert_not(filetype_name_valid(name));
}

Test(evidence, declared_types)
{
    cr_assert_str_eq(filetype_allowed("application/pdf"), "application/pdf");
    cr_assert_str_eq(filetype_allowed("Image/PNG"), "image/png");
    cr_assert_str_eq(filetype_allowed("image/jpg"), "image/jpeg");
    cr_assert_str_eq(filetype_allowed("text/plain; charset=UTF-8"), "text/plain");
    cr_assert_null(filetype_allowed("text/plain; charset=gbk"));
    cr_assert_null(filetype_allowed("text/html"));
    cr_assert_null(filetype_allowed("application/zip"));
    cr_assert_null(filetype_allowed("application/pdfx"));
    cr_assert_null(filetype_allowed(NULL));
    cr_assert_str_eq(filetype_label("image/png"), "PNG 图片");
}

/* Bytes of a zip holding the named parts (each with a tiny body), made with libzip. */
static void *make_zip(const char *const *names, const char *const *bodies, size_t n, size_t *len)
{
    char path[] = "/tmp/ecoact-test-zip-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    int ze;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &ze);
    cr_assert_not_null(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, bodies[i], strlen(bodies[i]), 0);
        cr_assert(zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE) >= 0);
    }
    cr_assert_eq(zip_close(z), 0);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    void *b = malloc(*len);
    cr_assert_eq(fread(b, 1, *len, f), *len);
    fclose(f);
    unlink(path);
    return b;
}

Test(evidence, sniffing)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F'};
    static const unsigned char mp4[] = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    cr_assert_str_eq(filetype_sniff(png, sizeof png), "image/png");
    cr_assert_str_eq(filetype_sniff(jpeg, sizeof jpeg), "image/jpeg");
    cr_assert_str_eq(filetype_sniff("%PDF-1.7\n", 9), "application/pdf");
    cr_assert_str_eq(filetype_sniff("RIFF\x10\0\0\0WEBPVP8 ", 16), "image/webp");
    cr_assert_str_eq(filetype_sniff(mp4, sizeof mp4), "video/mp4");
    cr_assert_str_eq(filetype_sniff("通知\r\n第二行\t。", strlen("通知\r\n第二行\t。")),
                     "text/plain");
    cr_assert_str_eq(filetype_sniff("\xEF\xBB\xBF"
                                    "BOM text",
                                    11),
                     "text/plain");
    cr_assert_null(filetype_sniff("MZ\x90\0\x03", 5));
    cr_assert_null(filetype_sniff("a\0b", 3));
    cr_assert_null(filetype_sniff("\x1b[31m", 5));
    cr_assert_null(filetype_sniff("\xc4\xe3\xba\xc3", 4)); /* GBK */
    cr_assert_null(filetype_sniff("", 0));
    size_t len;
    const char *docx_parts[] = {"[Content_Types].xml", "word/document.xml"};
    const char *xlsx_parts[] = {"[Content_Types].xml", "xl/workbook.xml"};
    const char *zip_parts[] = {"readme.txt"};
    const char *bodies[] = {"<x/>", "<y/>"};
    void *docx = make_zip(docx_parts, bodies, 2, &len);
    cr_assert_str_eq(filetype_sniff(docx, len),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    free(docx);
    void *xlsx = make_zip(xlsx_parts, bodies, 2, &len);
    cr_assert_str_eq(filetype_sniff(xlsx, len),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    free(xlsx);
    void *zip = make_zip(zip_parts, bodies, 1, &len);
    cr_assert_null(filetype_sniff(zip, len));
    free(zip);
    cr_assert_null(filetype_sniff("PK\x03\x04 not really", 15));
}

Test(evidence, rfc5987_names)
{
    char out[400];
    cr_assert_str_eq(filetype_rfc5987("a b.pdf", out, sizeof out), "a%20b.pdf");
    cr_assert_str_eq(filetype_rfc5987("台账.xlsx", out, sizeof out), "%E5%8F%B0%E8%B4%A6.xlsx");
    cr_assert_str_eq(filetype_rfc5987("x\"y;z'.txt", out, sizeof out), "x%22y%3Bz%27.txt");
    /* too long: shortened at a character boundary, the extension kept */
    char name[121 * 3 + 8] = "";
    for (int i = 0; i < 120; i++)
        strcat(name, "名");
    strcat(name, ".pdf");
    filetype_rfc5987(name, out, 100);
    cr_assert(strlen(out) < 100);
    size_t l = strlen(out);
    cr_assert_str_eq(out + l - 4, ".pdf");
    cr_assert_eq((l - 4) % 9, 0, "whole characters only: %s", out);
}

/* ---- CSV ---- */

static const char *at(const struct table *t, size_t row, int col)
{
    if (row >= t->nrows || col >= t->rows[row].ncells) return NULL;
    return t->rows[row].cells[col];
}

Test(csv, quoting_newlines_bom_and_empty_records)
{
    const char *s = "\xEF\xBB\xBF单位,标题,摘要\r\n500103,\"发布会, "
                    "一\",\"第一行\n\"\"第二行\"\"\"\r\n\r\n,,\n500101,x,\n";
    struct table t;
    char why[256];
    cr_assert_eq(table_csv_read(s, strlen(s), 100, &t, why, sizeof why), OK, "%s", why);
    cr_assert_eq(t.nrows, 3);
    cr_assert_str_eq(at(&t, 0, 0), "单位");
    cr_assert_str_eq(at(&t, 1, 1), "发布会, 一");
    cr_assert_str_eq(at(&t, 1, 2), "第一行\n\"第二行\"");
    cr_assert_eq(t.rows[1].no, 2);
    cr_assert_eq(t.rows[2].no, 5, "empty records keep their numbers");
    cr_assert_str_eq(at(&t, 2, 0), "500101");
    cr_assert_null(at(&t, 2, 2));
    table_free(&t);
}

Test(csv, no_trailing_newline_and_cr_only)
{
    struct table t;
    char why[256];
    cr_assert_eq(table_csv_read("a,b\rc,d", 7, 10, &t, why, sizeof why), OK);
    cr_assert_eq(t.nrows, 2);
    cr_assert_str_eq(at(&t, 1, 1), "d");
    table_free(&t);
    cr_assert_eq(table_csv_read("", 0, 10, &t, why, sizeof why), OK);
    cr_assert_eq(t.nrows, 0);
    table_free(&t);
}

Test(csv, refusals)
{
    struct table t;
    char why[256];
    cr_assert_eq(table_csv_read("a,\"b\nc", 6, 10, &t, why, sizeof why), ERR_RULE);
    cr_assert(strstr(why, "第 1 行"), "%s", why);
    cr_assert_eq(table_csv_read("\xb5\xa5\xce\xbb,x\n", 7, 10, &t, why, sizeof why), ERR_RULE);
    cr_assert(strstr(why, "UTF-8"), "%s", why);
    cr_assert_eq(table_csv_read("a\0b", 3, 10, &t, why, sizeof why), ERR_RULE);
    cr_assert_eq(table_csv_read("1\n2\n3\n4\n", 8, 3, &t, why, sizeof why), ERR_RULE);
    cr_assert(strstr(why, "行数过多"), "%s", why);
    char wide[TABLE_MAX_COLS * 2 + 4];
    memset(wide, 0, sizeof wide);
    for (int i = 0; i <= TABLE_MAX_COLS; i++)
        strcat(wide, "x,");
    cr_assert_eq(table_csv_read(wide, strlen(wide), 10, &t, why, sizeof why), ERR_RULE);
    size_t n = TABLE_CELL_MAX_BYTES + 10;
    char *huge = malloc(n);
    memset(huge, 'a', n);
    cr_assert_eq(table_csv_read(huge, n, 10, &t, why, sizeof why), ERR_RULE);
    cr_assert(strstr(why, "过长"), "%s", why);
    free(huge);
}

/* ---- XLSX ---- */

static void *read_back(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    void *b = malloc(*len);
    cr_assert_eq(fread(b, 1, *len, f), *len);
    fclose(f);
    unlink(path);
    return b;
}

/* A workbook with libxlsxwriter: shared strings (or inline strings in constant-memory mode),
 * numbers, a date serial, a boolean, a gap row. */
static void *make_xlsx(bool constant_memory, size_t *len)
{
    char path[] = "/tmp/ecoact-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    lxw_workbook_options o = {.constant_memory = constant_memory, .tmpdir = "/tmp"};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "台账");
    lxw_format *df = workbook_add_format(wb);
    format_set_num_format(df, "yyyy-mm-dd");
    worksheet_write_string(ws, 0, 0, "单位", NULL);
    worksheet_write_string(ws, 0, 1, "活动日期", NULL);
    worksheet_write_string(ws, 0, 3, "参与人数", NULL);
    worksheet_write_string(ws, 1, 0, "500103", NULL);
    lxw_datetime d = {2023, 6, 5, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 1, &d, df);
    worksheet_write_number(ws, 1, 3, 300, NULL);
    worksheet_write_boolean(ws, 1, 4, 1, NULL);
    worksheet_write_string(ws, 3, 0, "渝中区 & <学校>", NULL);
    worksheet_write_string(ws, 3, 2, "第一行\n第二行", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    return read_back(path, len);
}

static void check_made(void *b, size_t len)
{
    struct table t;
    char why[256] = "";
    cr_assert_eq(table_xlsx_read(b, len, 100, &t, why, sizeof why), OK, "%s", why);
    cr_assert_eq(t.nrows, 3);
    cr_assert_eq(t.rows[0].no, 1);
    cr_assert_eq(t.rows[2].no, 4);
    cr_assert_str_eq(at(&t, 0, 0), "单位");
    cr_assert_null(at(&t, 0, 2));
    cr_assert_str_eq(at(&t, 0, 3), "参与人数");
    cr_assert_str_eq(at(&t, 1, 1), "45082");
    cr_assert_str_eq(at(&t, 1, 3), "300");
    cr_assert_str_eq(at(&t, 1, 4), "1");
    cr_assert_str_eq(at(&t, 2, 0), "渝中区 & <学校>");
    cr_assert_str_eq(at(&t, 2, 2), "第一行\n第二行");
    cr_assert_not(t.date1904);
    table_free(&t);
}

Test(xlsx, shared_strings)
{
    size_t len;
    void *b = make_xlsx(false, &len);
    check_made(b, len);
    free(b);
}

Test(xlsx, inline_strings)
{
    size_t len;
    void *b = make_xlsx(true, &len);
    check_made(b, len);
    free(b);
}

static const char *WB =
    "<workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets/></workbook>";

static enum err read_parts(const char *sst, const char *sheet, size_t max_rows, struct table *t,
                           char *why)
{
    const char *names[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};
    const char *bodies[] = {WB, sheet, sst ? sst : ""};
    size_t len;
    void *b = make_zip(names, bodies, sst ? 3 : 2, &len);
    enum err e = table_xlsx_read(b, len, max_rows, t, why, 256);
    free(b);
    return e;
}

Test(xlsx, prefixed_names_rich_text_and_1904)
{
    const char *names[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};
    const char *bodies[] = {"<workbook><workbookPr date1904=\"1\"/></workbook>",
                            "<x:worksheet xmlns:x=\"m\"><x:sheetData><x:row r=\"1\"><x:c r=\"B1\" "
                            "t=\"s\"><x:v>0</x:v></x:c>"
                            "<x:c "
                            "t=\"inlineStr\"><x:is><x:t>内</x:t><x:rPh><x:t>ネ</x:t></x:rPh></"
                            "x:is></x:c></x:row></x:sheetData></x:worksheet>",
                            "<sst><si><r><t>富</t></r><r><t xml:space=\"preserve\"> "
                            "文本</t></r><rPh><t>フ</t></rPh></si></sst>"};
    size_t len;
    void *b = make_zip(names, bodies, 3, &len);
    struct table t;
    char why[256] = "";
    cr_assert_eq(table_xlsx_read(b, len, 10, &t, why, sizeof why), OK, "%s", why);
    free(b);
    cr_assert(t.date1904);
    cr_assert_str_eq(at(&t, 0, 1), "富 文本");
    cr_assert_str_eq(at(&t, 0, 2), "内");
    table_free(&t);
}

Test(xlsx, hostile_input)
{
    struct table t;
    char why[256];
    cr_assert_eq(table_xlsx_read("not a zip", 9, 10, &t, why, sizeof why), ERR_RULE);
    cr_assert_eq(table_xlsx_read("", 0, 10, &t, why, sizeof why), ERR_RULE);
    /* a DOCTYPE (and so entity expansion) is refused */
    cr_assert_eq(
        read_parts(
            NULL,
            "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            "<worksheet><sheetData><row><c "
            "t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>",
            10, &t, why),
        ERR_RULE);
    cr_assert(strstr(why, "DOCTYPE"), "%s", why);
    /* shared-string index out of range */
    cr_assert_eq(read_parts("<sst><si><t>a</t></si></sst>",
                            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" "
                            "t=\"s\"><v>7</v></c></row></sheetData></worksheet>",
                            10, &t, why),
                 ERR_RULE);
    cr_assert(strstr(why, "共享字符串"), "%s", why);
    /* rows going backwards, bad references, too many columns, too many rows, bad XML */
    cr_assert_eq(
        read_parts(NULL,
                   "<worksheet><sheetData><row r=\"2\"/><row r=\"1\"/></sheetData></worksheet>", 10,
                   &t, why),
        ERR_RULE);
    cr_assert_eq(read_parts(NULL,
                            "<worksheet><sheetData><row r=\"1\"><c "
                            "r=\"1A\"><v>1</v></c></row></sheetData></worksheet>",
                            10, &t, why),
                 ERR_RULE);
    cr_assert_eq(read_parts(NULL,
                            "<worksheet><sheetData><row r=\"1\"><c "
                            "r=\"ZZ1\"><v>1</v></c></row></sheetData></worksheet>",
                            10, &t, why),
                 ERR_RULE);
    cr_assert(strstr(why, "列数过多"), "%s", why);
    cr_assert_eq(
        read_parts(NULL,
                   "<worksheet><sheetData><row><c><v>1</v></c></row><row><c><v>1</v></c></row>"
                   "<row><c><v>1</v></c></row></sheetData></worksheet>",
                   2, &t, why),
        ERR_RULE);
    cr_assert(strstr(why, "行数过多"), "%s", why);
    cr_assert_eq(read_parts(NULL, "<worksheet><sheetData><row>", 10, &t, why), ERR_RULE);
    /* empty rows do not count toward the row limit */
    cr_assert_eq(
        read_parts(
            NULL,
            "<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row><row r=\"2\"/><row r=\"3\"/>"
            "<row r=\"9\"><c><v>2</v></c></row></sheetData></worksheet>",
            2, &t, why),
        OK, "%s", why);
    cr_assert_eq(t.nrows, 2);
    cr_assert_eq(t.rows[1].no, 9);
    table_free(&t);
    /* a zip without the workbook part */
    const char *names[] = {"word/document.xml"};
    const char *bodies[] = {"<w/>"};
    size_t len;
    void *b = make_zip(names, bodies, 1, &len);
    cr_assert_eq(table_xlsx_read(b, len, 10, &t, why, sizeof why), ERR_RULE);
    free(b);
}

Test(xlsx, a_cell_too_long)
{
    size_t n = TABLE_CELL_MAX_BYTES + 100;
    char *sheet = malloc(n + 200);
    strcpy(sheet, "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>");
    size_t at0 = strlen(sheet);
    memset(sheet + at0, 'a', n);
    strcpy(sheet + at0 + n, "</t></is></c></row></sheetData></worksheet>");
    struct table t;
    char why[256];
    cr_assert_eq(read_parts(NULL, sheet, 10, &t, why), ERR_RULE);
    cr_assert(strstr(why, "过长"), "%s", why);
    free(sheet);
}

Test(xlsx, a_huge_tag_is_refused_early)
{
    /* expat holds an unfinished tag whole: one attribute of 8 MB is refused at about 1 MB */
    size_t n = 8u << 20;
    char *sheet = malloc(n + 100);
    strcpy(sheet, "<worksheet><sheetData><row r=\"1\" a=\"");
    size_t at0 = strlen(sheet);
    memset(sheet + at0, 'a', n);
    strcpy(sheet + at0 + n, "\"/></sheetData></worksheet>");
    struct table t;
    char why[256];
    cr_assert_eq(read_parts(NULL, sheet, 10, &t, why), ERR_RULE);
    cr_assert(strstr(why, "过长的 XML 标记"), "%s", why);
    free(sheet);
    /* a long cell is text, reported as it comes: 120,000 bytes read */
    n = 120000;
    sheet = malloc(n + 100);
    strcpy(sheet, "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>");
    at0 = strlen(sheet);
    memset(sheet + at0, 'a', n);
    strcpy(sheet + at0 + n, "</t></is></c></row></sheetData></worksheet>");
    cr_assert_eq(read_parts(NULL, sheet, 10, &t, why), OK, "%s", why);
    cr_assert_eq(strlen(table_cell(&t.rows[0], 0)), n);
    table_free(&t);
    free(sheet);
}

/* ---- the table: trimmed cells, the decoded-size budget, shared strings, quoting ---- */

Test(table, cells_are_trimmed_and_blank_ones_left_empty)
{
    struct table t = {0};
    cr_assert(table_add_row(&t, 1));
    cr_assert_eq(table_set(&t, 0, " \t甲 乙\xE3\x80\x80\r\n", strlen(" \t甲 乙\xE3\x80\x80\r\n")),
                 OK);
    cr_assert_eq(table_set(&t, 2, " \xE3\x80\x80 ", 5), OK);
    cr_assert_str_eq(table_cell(&t.rows[0], 0), "甲 乙");
    cr_assert_null(table_cell(&t.rows[0], 2));
    cr_assert_eq(t.rows[0].ncells, 1, "a blank cell is not stored");
    cr_assert_eq(t.bytes, strlen("甲 乙") + 1);
    cr_assert_eq(table_set(&t, TABLE_MAX_COLS, "x", 1), ERR_RULE);
    table_free(&t);
    cr_assert_eq(table_set(&t, 0, "x", 1), ERR_RULE, "no row");
}

Test(table, the_budget_refuses_the_cell_that_would_pass_it)
{
    struct table t = {0};
    size_t n = 100000;
    char *text = malloc(n);
    memset(text, 'a', n);
    size_t fit = TABLE_MAX_DECODED_BYTES / (n + 1), set = 0;
    enum err e = OK;
    for (int row = 1; e == OK; row++) {
        cr_assert(table_add_row(&t, row));
        if ((e = table_set(&t, 0, text, n)) == OK) set++;
    }
    cr_assert_eq(e, ERR_TOO_LARGE);
    cr_assert_eq(set, fit);
    cr_assert_leq(t.bytes, TABLE_MAX_DECODED_BYTES);
    cr_assert_null(table_cell(&t.rows[t.nrows - 1], 0), "the refused cell is not stored");
    char why[256];
    table_set_why(e, why, sizeof why);
    cr_assert(strstr(why, "16 MiB"), "%s", why);
    table_free(&t);
    free(text);
}

Test(csv, the_budget)
{
    /* 170 lines of 100,000 bytes: 17 MB of cells */
    size_t line = 100001, n = 170 * line;
    char *csv = malloc(n);
    memset(csv, 'a', n);
    for (size_t i = 1; i <= 170; i++)
        csv[i * line - 1] = '\n';
    struct table t;
    char why[256];
    cr_assert_eq(table_csv_read(csv, n, 1000, &t, why, sizeof why), ERR_TOO_LARGE);
    cr_assert(strstr(why, "16 MiB"), "%s", why);
    cr_assert_eq(t.nrows, 0, "freed");
    cr_assert_eq(table_csv_read(csv, 150 * line, 1000, &t, why, sizeof why), OK, "%s", why);
    cr_assert_eq(t.nrows, 150);
    table_free(&t);
    free(csv);
}

/* A sheet of rows × cols cells, all naming shared string 0. */
static char *sheet_of_shared(int rows, int cols)
{
    const char *c = "<c t=\"s\"><v>0</v></c>";
    char *s = malloc((size_t)rows * ((size_t)cols * strlen(c) + 16) + 100), *p = s;
    p += sprintf(p, "<worksheet><sheetData>");
    for (int r = 0; r < rows; r++) {
        p += sprintf(p, "<row>");
        for (int k = 0; k < cols; k++)
            p += sprintf(p, "%s", c);
        p += sprintf(p, "</row>");
    }
    sprintf(p, "</sheetData></worksheet>");
    return s;
}

Test(xlsx, cells_share_a_shared_string_trimmed_once)
{
    char *sheet = sheet_of_shared(3, 2);
    struct table t;
    char why[256] = "";
    cr_assert_eq(
        read_parts("<sst><si><t xml:space=\"preserve\">  甲  </t></si></sst>", sheet, 10, &t, why),
        OK, "%s", why);
    cr_assert_eq(t.nrows, 3);
    cr_assert_str_eq(table_cell(&t.rows[0], 0), "甲");
    for (size_t r = 0; r < t.nrows; r++)
        for (int k = 0; k < 2; k++)
            cr_assert_eq(table_cell(&t.rows[r], k), table_cell(&t.rows[0], 0), "one copy, shared");
    cr_assert_eq(t.bytes, 6 * (strlen("甲") + 1), "each cell counted");
    table_free(&t);
    free(sheet);
}

Test(xlsx, cells_all_naming_one_long_string_stop_at_the_budget)
{
    /* 1,000 × 8 cells of a 120,000-byte string: 960 MB if each were copied */
    size_t n = 120000;
    char *sst = malloc(n + 40);
    strcpy(sst, "<sst><si><t>");
    memset(sst + strlen(sst), 'x', n);
    strcpy(sst + 12 + n, "</t></si></sst>");
    char *sheet = sheet_of_shared(1000, 8);
    struct table t;
    char why[256] = "";
    cr_assert_eq(read_parts(sst, sheet, 5001, &t, why), ERR_TOO_LARGE);
    cr_assert(strstr(why, "16 MiB"), "%s", why);
    cr_assert_eq(t.nrows, 0, "freed");
    free(sst);
    /* shared strings past the budget are refused as well: 170 strings of 100,000 bytes */
    size_t one = 100000, count = 170;
    char *big = malloc(count * (one + 20) + 20), *p = big;
    p += sprintf(p, "<sst>");
    for (size_t i = 0; i < count; i++) {
        p += sprintf(p, "<si><t>");
        memset(p, 'a' + (char)(i % 26), one);
        p += one;
        p += sprintf(p, "</t></si>");
    }
    sprintf(p, "</sst>");
    cr_assert_eq(read_parts(big, sheet, 5001, &t, why), ERR_TOO_LARGE);
    cr_assert(strstr(why, "共享字符串过大"), "%s", why);
    free(big);
    free(sheet);
}

Test(table, quoting_a_cell)
{
    char buf[TABLE_QUOTE_SIZE];
    cr_assert_str_eq(table_quote("短", buf), "短");
    cr_assert_str_eq(table_quote(NULL, buf), "");
    char long_[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(long_, "列");
    char want[400] = "";
    for (int i = 0; i < TABLE_QUOTE_CHARS; i++)
        strcat(want, "列");
    strcat(want, "…");
    cr_assert_str_eq(TABLE_QUOTE(long_), want);
    memset(long_, 'a', TABLE_QUOTE_CHARS);
    long_[TABLE_QUOTE_CHARS] = '\0';
    cr_assert_str_eq(TABLE_QUOTE(long_), long_, "exactly the limit: no ellipsis");
    /* not UTF-8 (continuation bytes only): still bounded by the buffer */
    memset(long_, 0x80, sizeof long_ - 1);
    long_[sizeof long_ - 1] = '\0';
    cr_assert_lt(strlen(table_quote(long_, buf)), TABLE_QUOTE_SIZE);
}

Test(table, errors_kept_and_counted)
{
    struct table_errors l = {0};
    char col[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(col, "列");
    for (int i = 0; i < 150; i++)
        table_error_add(&l, i + 2, col, "未知的列“%s”", TABLE_QUOTE(col));
    cr_assert_eq(l.total, 150);
    cr_assert_eq(l.n, TABLE_MAX_ERRORS);
    json_t *a = table_errors_json(&l);
    cr_assert_eq(json_array_size(a), TABLE_MAX_ERRORS);
    const char *c = json_string_value(json_object_get(json_array_get(a, 0), "column"));
    cr_assert_eq(strlen(c), TABLE_QUOTE_CHARS * strlen("列") + strlen("…"), "%s", c);
    cr_assert_lt(strlen(l.items[0].msg), 250, "%s", l.items[0].msg);
    json_decref(a);
    table_errors_free(&l);
}

/* ---- import ---- */

static long long units(void *ctx, const char *ref, char *why, size_t whylen)
{
    (void)ctx;
    if (strcmp(ref, "500103") == 0) return 23;
    if (strcmp(ref, "巴蜀小学") == 0) return 80;
    snprintf(why, whylen, strcmp(ref, "500101") == 0 ? "无权为该单位报送：%s" : "单位不存在：%s",
             ref);
    return 0;
}

static enum err import_csv(const char *csv, struct table *t, struct work_import *im)
{
    char why[256];
    cr_assert_eq(table_csv_read(csv, strlen(csv), WORK_IMPORT_MAX_ROWS + 1, t, why, sizeof why), OK,
                 "%s", why);
    return work_import_rows(t, &cat, units, NULL, im);
}

TestSuite(import, .init = setup, .fini = teardown);

Test(import, good_rows)
{
    struct table t;
    struct work_import im;
    enum err e =
        import_csv("单位,类型,活动日期,标题,服务任务,参与人数,media_outlets,编号,状态\n"
                   "500103,新闻发布会（媒体通气会）,2023/2/10,一季度发布会,17,20,5,99,已通过\n"
                   "巴蜀小学,seminar,45082,研讨,\"5、16\",,,,\n",
                   &t, &im);
    cr_assert_eq(e, OK, "%s", im.errors.n ? im.errors.items[0].msg : "");
    cr_assert_eq(im.nreports, 2);
    cr_assert_eq(im.reports[0].unit_id, 23);
    cr_assert_str_eq(im.reports[0].kind, "press_conference");
    cr_assert_str_eq(im.reports[0].activity_date, "2023-02-10");
    cr_assert_eq(im.reports[0].nmetrics, 2);
    cr_assert_str_eq(im.reports[1].activity_date, "2023-06-05");
    cr_assert_eq(im.reports[1].ntasks, 2);
    cr_assert_eq(im.row_no[1], 3);
    work_import_free(&im);
    table_free(&t);
}

Test(import, every_error_by_row_and_column)
{
    struct table t;
    struct work_import im;
    enum err e = import_csv("单位,类型,活动日期,标题,服务任务,参与人数\n"
                            "500101,seminar,2023-01-01,a,5,1\n"
                            "500103,开会,2023-02-30,,x,-1\n"
                            ",seminar,2023-01-01,b,5,\n"
                            "500103,seminar,2024-07-01,c,999,ten\n",
                            &t, &im);
    cr_assert_eq(e, ERR_RULE);
    const char *want[][2] = {
        {"2", "单位"},     {"3", "类型"}, {"3", "活动日期"}, {"3", "服务任务"}, {"3", "标题"},
        {"3", "参与人数"}, {"4", "单位"}, {"5", "参与人数"}, {"5", "活动日期"}, {"5", "服务任务"}};
    cr_assert_eq(im.errors.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < im.errors.n; i++) {
        char row[8];
        snprintf(row, sizeof row, "%d", im.errors.items[i].row);
        cr_assert_str_eq(row, want[i][0], "error %zu: row %s %s %s", i, row,
                         im.errors.items[i].column, im.errors.items[i].msg);
        cr_assert_str_eq(im.errors.items[i].column, want[i][1], "error %zu: %s", i,
                         im.errors.items[i].msg);
    }
    work_import_free(&im);
    table_free(&t);
}

Test(import, header_problems)
{
    struct table t;
    struct work_import im;
    cr_assert_eq(
        import_csv("单位,类型,日期,标题,标题,views,views\n500103,seminar,x,y,y,1,1\n", &t, &im),
        ERR_RULE);
    bool unknown = false, dup = false, missing = false, dupm = false;
    for (size_t i = 0; i < im.errors.n; i++) {
        cr_assert_eq(im.errors.items[i].row, 1);
        if (strcmp(im.errors.items[i].column, "日期") == 0) unknown = true;
        if (strcmp(im.errors.items[i].column, "标题") == 0) dup = true;
        if (strcmp(im.errors.items[i].column, "活动日期") == 0) missing = true;
        if (strcmp(im.errors.items[i].column, "views") == 0) dupm = true;
    }
    cr_assert(unknown && dup && missing && dupm);
    work_import_free(&im);
    table_free(&t);
    cr_assert_eq(import_csv("单位,类型,活动日期,标题\n", &t, &im), ERR_RULE);
    cr_assert_eq(im.errors.n, 1);
    work_import_free(&im);
    table_free(&t);
    cr_assert_eq(import_csv("", &t, &im), ERR_RULE);
    work_import_free(&im);
    table_free(&t);
}

Test(import, rows_sharing_a_links_cell)
{
    /* the 链接 cell is split into links; cells naming one shared string must all keep it whole */
    const char *sheet =
        "<worksheet><sheetData>"
        "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c>"
        "<c t=\"s\"><v>3</v></c><c t=\"s\"><v>4</v></c><c t=\"s\"><v>5</v></c></row>"
        "<row><c><v>500103</v></c><c t=\"s\"><v>6</v></c><c t=\"s\"><v>7</v></c>"
        "<c t=\"s\"><v>8</v></c><c><v>5</v></c><c t=\"s\"><v>9</v></c></row>"
        "<row><c><v>500103</v></c><c t=\"s\"><v>6</v></c><c t=\"s\"><v>7</v></c>"
        "<c t=\"s\"><v>8</v></c><c><v>5</v></c><c t=\"s\"><v>9</v></c></row>"
        "</sheetData></worksheet>";
    const char *sst =
        "<sst><si><t>单位</t></si><si><t>类型</t></si><si><t>活动日期</t></si><si><t>标题</t></si>"
        "<si><t>服务任务</t></si><si><t>链接</t></si><si><t>seminar</t></si><si><t>2023-03-01</t></"
        "si>"
        "<si><t>研讨</t></si><si><t>https://a.example/1 https://a.example/2</t></si></sst>";
    struct table t;
    char why[256] = "";
    cr_assert_eq(read_parts(sst, sheet, 10, &t, why), OK, "%s", why);
    struct work_import im;
    cr_assert_eq(work_import_rows(&t, &cat, units, NULL, &im), OK, "%s",
                 im.errors.n ? im.errors.items[0].msg : "");
    cr_assert_eq(im.nreports, 2);
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(im.reports[i].nlinks, 2, "report %zu", i);
        cr_assert_str_eq(im.reports[i].links[1], "https://a.example/2");
    }
    cr_assert_str_eq(table_cell(&t.rows[2], 5), "https://a.example/1 https://a.example/2",
                     "the cell is untouched");
    work_import_free(&im);
    table_free(&t);
}

/* ---- the review queue's orders and periods (issue 19 §6) ---- */

Test(lists, sorts_parse_and_say_how_they_page)
{
    enum work_sort s;
    cr_assert(work_sort_parse("newest", &s) && s == WORK_SORT_NEWEST);
    cr_assert(work_sort_parse("oldest", &s) && s == WORK_SORT_OLDEST);
    cr_assert(work_sort_parse("unit", &s) && s == WORK_SORT_UNIT && work_sort_offset(s));
    cr_assert(work_sort_parse("activity_date", &s) && work_sort_offset(s));
    cr_assert(!work_sort_offset(WORK_SORT_NEWEST) && !work_sort_offset(WORK_SORT_OLDEST));
    cr_assert(!work_sort_parse("random", &s));
    cr_assert(!work_sort_parse(NULL, &s));
}

Test(lists, periods_are_date_ranges)
{
    int from, to;
    char a[11], b[11];
    cr_assert(work_period_range("2025Q4", &from, &to));
    date_format(from, a);
    date_format(to, b);
    cr_assert_str_eq(a, "2025-10-01");
    cr_assert_str_eq(b, "2025-12-31");
    cr_assert(work_period_range("2024H1", &from, &to));
    date_format(to, b);
    cr_assert_str_eq(b, "2024-06-30");
    cr_assert(work_period_range("2024-02", &from, &to));
    date_format(to, b);
    cr_assert_str_eq(b, "2024-02-29", "a leap year's February");
    cr_assert(work_period_range("2023", &from, &to));
    date_format(from, a);
    cr_assert_str_eq(a, "2023-01-01");
    cr_assert(!work_period_range("2025Q5", &from, &to));
    cr_assert(!work_period_range("2025H3", &from, &to));
    cr_assert(!work_period_range("2025-13", &from, &to));
    cr_assert(!work_period_range("2025Q1x", &from, &to));
    cr_assert(!work_period_range("25", &from, &to));
    cr_assert(!work_period_range("", &from, &to));
    cr_assert(!work_period_range(NULL, &from, &to));
}
