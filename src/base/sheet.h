/* sheet.h - a list as an .xlsx workbook (libxlsxwriter), for the exports of lists the console
 * shows (the audit log, accounts, units, 督办单, 单位履职, the compliance matrix): one sheet, a
 * title row naming the list and when it was taken, a bold, frozen, filterable header row, then
 * one row per item of text, numbers and dates. Written in constant memory through a private
 * temporary file (libxlsxwriter 1.1 writes only to files) that is read back into the caller's
 * arena and removed; or the same rows as CSV (sheet_new_csv), written to memory. The ledger, plan
 * and evaluation exports keep their own richer layouts. */
#ifndef ECOACT_SHEET_H
#define ECOACT_SHEET_H
#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"

struct arena;
struct sheet; /* opaque */

struct sheet_col {
    const char *name; /* the header */
    double width;     /* in characters */
};

/* Starts a workbook with one sheet called name (≤ 31 characters), the title in its first row
 * and the header in the second (title NULL: the header in the first, as an import template
 * wants). NULL when out of memory or no temporary file could be made. */
struct sheet *sheet_new(const char *name, const char *title, const struct sheet_col *cols,
                        size_t ncols);
/* The same rows as CSV instead (RFC 4180, UTF-8 with a BOM so spreadsheets read the Chinese,
 * CRLF; the header first, no title; dates as YYYY-MM-DD; a text starting with = + - @ tab or CR
 * gets a leading ' so that it is not a formula). */
struct sheet *sheet_new_csv(const struct sheet_col *cols, size_t ncols);
/* Goes on in a new sheet of the workbook (laid out as sheet_new's); false when it cannot. */
bool sheet_next(struct sheet *s, const char *name, const char *title, const struct sheet_col *cols,
                size_t ncols);
/* The next cell of the current row: text (NULL or "" leaves it blank), a whole number, or a
 * date given as YYYY-MM-DD (shown as a date; other text is written as it is). */
void sheet_text(struct sheet *s, const char *text);
void sheet_int(struct sheet *s, long long v);
void sheet_tenths(struct sheet *s, long long tenths); /* 853 → 85.3, shown with one decimal */
void sheet_date(struct sheet *s, const char *ymd);
/* Ends the current row. */
void sheet_end_row(struct sheet *s);
/* Closes the workbook and hands its bytes (in a) to *out, *len; frees s (also on failure:
 * ERR_INTERNAL). */
enum err sheet_finish(struct sheet *s, struct arena *a, void **out, size_t *len);

#endif
