/* table_upload.c - an uploaded spreadsheet (.csv or .xlsx) as a table: the size, emptiness
 * and type checks every import shares, then the matching reader. The bytes decide .xlsx (a
 * zip); the declared Content-Type decides .csv. */
#include "base/table.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ct's media type (parameters and trailing spaces ignored) is type, case-insensitively. */
static bool type_is(const char *ct, const char *type)
{
    size_t n = ct ? strcspn(ct, ";") : 0;
    while (n && ct[n - 1] == ' ')
        n--;
    return ct && n == strlen(type) && strncasecmp(ct, type, n) == 0;
}

enum err table_read_upload(const void *data, size_t len, const char *content_type, size_t max_bytes,
                           size_t max_rows, struct table *out, bool *xlsx, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    if (len > max_bytes) {
        snprintf(why, whylen, "导入文件过大（最多 %zu MiB）", max_bytes >> 20);
        return ERR_TOO_LARGE;
    }
    if (len == 0) {
        snprintf(why, whylen, "导入文件为空");
        return ERR_RULE;
    }
    bool zip = len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
    bool ms_csv = type_is(content_type, "application/vnd.ms-excel");
    bool csv = type_is(content_type, "text/csv") || type_is(content_type, "application/csv") ||
               type_is(content_type, "text/plain") || ms_csv;
    if (!zip && !csv) {
        snprintf(why, whylen, "%s",
                 type_is(content_type, TABLE_XLSX_TYPE)
                     ? "文件内容不是 .xlsx 工作簿"
                     : "导入文件应为 .csv（text/csv，UTF-8）或 .xlsx 工作簿");
        return ERR_MEDIA_TYPE;
    }
    if (zip && csv && !ms_csv) {
        snprintf(why, whylen, "声明为 CSV，但文件内容是 zip（.xlsx？）");
        return ERR_MEDIA_TYPE;
    }
    *xlsx = zip;
    enum err e = zip ? table_xlsx_read(data, len, max_rows, out, why, whylen)
                     : table_csv_read(data, len, max_rows, out, why, whylen);
    return e == OK || e == ERR_INTERNAL || e == ERR_TOO_LARGE ? e : ERR_RULE;
}
