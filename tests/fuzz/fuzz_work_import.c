/* fuzz_work_import.c - libFuzzer target: the work ledger's import readers on arbitrary bytes.
 * The first byte picks the reader (even: .xlsx, odd: .csv); a table that reads is then run
 * through the import (header mapping, cells, the report check) against a small catalogue. Every
 * size inside the readers is bounded, so no input may crash, leak or run away. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/date.h"
#include "work/work.h"

static long long any_unit(void *ctx, const char *ref, char *why, size_t whylen)
{
    (void)ctx, (void)why, (void)whylen;
    return strcmp(ref, "500103") == 0 ? 23 : 0;
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
    json_decref(kinds);
    table_free(&t);
    return 0;
}
