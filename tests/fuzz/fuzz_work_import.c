/* fuzz_work_import.c - libFuzzer target: the spreadsheet imports on arbitrary bytes. The first
 * byte picks the reader (even: .xlsx, odd: .csv); a table that reads is then run through the
 * ledger's import (header mapping, cells, the report check) against a small catalogue, and
 * through the plan's 附件1 sheet reader (header search, measures by title, unit cells, time
 * limits, the whole-draft check) against a small draft. Every size inside the readers is
 * bounded, so no input may crash, leak or run away. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/date.h"
#include "plan/plan.h"
#include "work/work.h"

static long long any_unit(void *ctx, const char *ref, char *why, size_t whylen)
{
    (void)ctx, (void)why, (void)whylen;
    return strcmp(ref, "500103") == 0 ? 23 : 0;
}

static long long plan_unit(void *ctx, const char *ref)
{
    (void)ctx;
    static const char *const known[] = {"市生态环境局", "市委宣传部", "市文明办",
                                        "有关部门（单位）", "500103"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(ref, known[i]) == 0) return (long long)i + 1;
    return 0;
}

/* A draft of two actions, three tasks and one duty, the shape plan_sheet_read() reads against. */
static const char DRAFT[] =
    "{\"code\":\"fz\",\"title\":\"t\",\"start\":\"2026-01-01\",\"end\":\"2030-12-31\","
    "\"actions\":[{\"no\":1,\"title\":\"a\",\"measures\":[{\"no\":1,\"title\":\"加强新闻宣传\","
    "\"text\":\"m\"},"
    "{\"no\":2,\"title\":\"做好新闻发布\",\"text\":\"m\"}]},{\"no\":2,\"kind\":\"safeguard\","
    "\"title\":\"b\","
    "\"measures\":[{\"no\":1,\"title\":\"加强督导评估\",\"text\":\"m\"}]}],"
    "\"tasks\":[{\"no\":1,\"action\":1,\"measure\":1,\"content\":\"加强新闻宣传\",\"text\":\"x\","
    "\"lead_text\":\"办市生态环境局\",\"lead\":[\"市生态环境局\"],\"deadline\":{\"text\":"
    "\"2026年底前\"}},"
    "{\"no\":2,\"action\":1,\"measure\":2,\"content\":\"做好新闻发布\",\"text\":\"y\","
    "\"lead_text\":\"各区县\",\"lead\":[\"@districts\"],\"coop_text\":\"市委宣传部\",\"coop\":["
    "\"市委宣传部\"]},"
    "{\"no\":3,\"action\":2,\"measure\":1,\"content\":\"加强督导评估\",\"text\":\"z\","
    "\"lead_text\":\"市文明办\",\"lead\":[\"市文明办\"],\"deadline\":{\"text\":\"长期坚持\"}}],"
    "\"activity_kinds\":[{\"code\":\"seminar\",\"name\":\"座谈会\",\"metrics\":[\"participants\"]}]"
    ","
    "\"obligations\":[{\"key\":\"t2\",\"task\":2,\"title\":\"d\",\"who\":{\"tiers\":[\"district\"]}"
    ","
    "\"kind\":\"seminar\",\"minimum\":1,\"per\":\"quarter\"}]}";

static void plan_sheet(const struct table *t)
{
    static json_t *draft;
    if (!draft) {
        draft = json_loads(DRAFT, 0, NULL);
        struct plan_check_ctx c = {.unit = plan_unit};
        struct problem p;
        if (!draft || !plan_check_doc(draft, &c, &p)) { /* the fixture itself must be a plan */
            fprintf(stderr, "fixture: %s %s\n", p.field, p.msg);
            abort();
        }
    }
    struct plan_check_ctx c = {.unit = plan_unit};
    struct plan_sheet s;
    if (plan_sheet_read(t, draft, &c, &s) == OK) json_decref(plan_sheet_changes(draft, s.tasks));
    plan_sheet_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    bool xlsx = (data[0] & 1) == 0;
    struct table t;
    char why[320];
    enum err e = xlsx ? table_xlsx_read(data + 1, size - 1, 50, &t, why, sizeof why)
                      : table_csv_read((const char *)data + 1, size - 1, 50, &t, why, sizeof why);
    if (e != OK) return 0;
    static const long long tasks[] = {5, 17, 51};
    json_t *kinds = json_pack("{s:{s:s,s:[ss]}}", "seminar", "name", "座谈会", "metrics",
                              "participants", "views");
    struct work_catalog c = {.plan = "p",
                             .start = date_from_ymd(2021, 7, 1),
                             .end = date_from_ymd(2025, 12, 31),
                             .today = date_from_ymd(2026, 1, 1),
                             .tasks = tasks,
                             .ntasks = 3,
                             .kinds = kinds};
    struct work_import im;
    work_import_rows(&t, &c, any_unit, NULL, &im);
    work_import_free(&im);
    plan_sheet(&t);
    json_decref(kinds);
    table_free(&t);
    return 0;
}
