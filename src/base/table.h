/* table.h - tables read from uploaded spreadsheets: rows of text cells with their row numbers
 * in the file, from .csv (table_csv.c) or the first sheet of an .xlsx (table_xlsx.c: libzip +
 * expat). Both readers parse untrusted input, so every size is bounded and each is a pure
 * function of the bytes (fuzzed by tests/fuzz/fuzz_work_import.c). Imports of the ledger
 * (work_import.c) and of a plan's tasks (plan_sheet.c) read their files through here. */
#ifndef ECOACT_TABLE_H
#define ECOACT_TABLE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"

#define TABLE_MAX_COLS 64
#define TABLE_CELL_MAX_BYTES (128u * 1024)      /* Excel's 32,767 characters, 4 bytes each */
#define TABLE_XLSX_MAX_PART (32u * 1024 * 1024) /* one decompressed zip entry */
#define TABLE_XLSX_MAX_STRINGS 200000           /* shared strings */
#define TABLE_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

struct table_row {
    int no; /* row number in the file, 1-based (the header is usually row 1) */
    int ncells;
    char **cells; /* ncells entries; NULL for an empty cell */
};

struct table {
    struct table_row *rows;
    size_t nrows, cap;
    bool date1904; /* .xlsx workbooks using the 1904 date system */
};

void table_free(struct table *t); /* frees the rows, not t; NULL-safe */
/* Sets the cell (col 0-based) of the last row; text is copied (len bytes). */
bool table_set(struct table *t, int col, const char *text, size_t len);
/* Starts a new row numbered no. */
bool table_add_row(struct table *t, int no);
/* Trims spaces, tabs, line ends and full-width spaces (U+3000) in place; NULL for an empty
 * cell. */
char *table_trim(char *s);
/* Cell col of row r, trimmed (table_trim); NULL when empty or absent. */
char *table_cell(const struct table_row *r, int col);

/* What is wrong in an imported file, row by row: each error names the file's row and the
 * column (its header text, NULL for the row as a whole). The first TABLE_MAX_ERRORS are kept,
 * all are counted. */
struct table_error {
    int row;
    const char *column; /* borrowed: a header cell or a literal */
    char msg[320];
};
struct table_errors {
    struct table_error *items;
    size_t n, cap, total;
};
#define TABLE_MAX_ERRORS 1000
void table_error_add(struct table_errors *l, int row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* [{"row","column","message"}] (new reference). */
json_t *table_errors_json(const struct table_errors *l);
void table_errors_free(struct table_errors *l); /* NULL-safe */

/* CSV (RFC 4180; UTF-8 with or without BOM; CRLF, LF or CR). Records whose cells are all
 * empty are left out (row numbers still count them); at most max_rows other rows (the header
 * counts). Errors are ERR_RULE with a Chinese why naming the row. */
enum err table_csv_read(const char *data, size_t len, size_t max_rows, struct table *out,
                        char *why, size_t whylen);
/* .xlsx: the first worksheet (xl/worksheets/sheet1.xml, else the first sheet part) with
 * xl/sharedStrings.xml; numbers as written in the file, booleans as 0/1, inline and formula
 * strings as text. Every size is bounded (TABLE_XLSX_*, TABLE_CELL_MAX_BYTES,
 * TABLE_MAX_COLS, max_rows). */
enum err table_xlsx_read(const void *data, size_t len, size_t max_rows, struct table *out,
                         char *why, size_t whylen);

/* An uploaded file as a table: .xlsx when the bytes are a zip, .csv when the Content-Type
 * says CSV (text/csv, application/csv, text/plain, or application/vnd.ms-excel as some
 * browsers label .csv). Refuses with why: ERR_TOO_LARGE over max_bytes, ERR_RULE for an empty
 * file or one that cannot be read, ERR_MEDIA_TYPE for any other type (field "Content-Type").
 * *xlsx says which reader was used. */
enum err table_read_upload(const void *data, size_t len, const char *content_type,
                           size_t max_bytes, size_t max_rows, struct table *out, bool *xlsx,
                           char *why, size_t whylen);

#endif
