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
/* The decoded size of a whole table: every cell's text plus one byte, counted as cells are set
 * and refused (ERR_TOO_LARGE) before the cell that would pass it is stored. A cell sharing a
 * string (an .xlsx shared string) counts in full each time, so what an import builds from the
 * cells stays bounded too; the shared strings themselves are stored once, and are bounded by the
 * same number. 16 MiB is more than any upload (10 MiB) decodes to as .csv. */
#define TABLE_MAX_DECODED_BYTES (16u * 1024 * 1024)

struct arena;

struct table_row {
    int no; /* row number in the file, 1-based (the header is usually row 1) */
    int ncells;
    const char **cells; /* ncells entries, trimmed; NULL for an empty cell. Read-only: the text
                         * belongs to the table and cells may share it. */
};

struct table {
    struct table_row *rows;
    size_t nrows, cap;
    size_t bytes;          /* decoded size so far (TABLE_MAX_DECODED_BYTES) */
    struct arena *strings; /* the cells' text, freed with the table */
    bool date1904;         /* .xlsx workbooks using the 1904 date system */
};

/* Frees the rows and the text, not t; NULL-safe. Gives the memory of a large table back to the
 * system (malloc_trim). */
void table_free(struct table *t);
/* Starts a new row numbered no. */
bool table_add_row(struct table *t, int no);
/* Sets the cell (col 0-based) of the last row to a trimmed copy of text (len bytes; see
 * table_trim; a blank text leaves the cell empty). ERR_TOO_LARGE when the table would pass
 * TABLE_MAX_DECODED_BYTES (nothing is allocated), ERR_RULE for a bad column or no row,
 * ERR_INTERNAL when out of memory. */
enum err table_set(struct table *t, int col, const char *text, size_t len);
/* A trimmed copy of text (*len bytes in, the trimmed length out) kept by the table for cells to
 * share (table_share); NULL when blank. Not counted in t->bytes. */
const char *table_intern(struct table *t, const char *text, size_t *len);
/* Sets the cell to s, a string of len bytes from table_intern(), without copying it; counted
 * in t->bytes like table_set(), with the same errors. */
enum err table_share(struct table *t, int col, const char *s, size_t len);
/* Why table_set() or table_share() failed with e, in Chinese. */
void table_set_why(enum err e, char *why, size_t whylen);
/* Trims spaces, tabs, line ends and full-width spaces (U+3000) in place; NULL for an empty
 * string. */
char *table_trim(char *s);
/* Cell col of row r (trimmed when set); NULL when empty or absent. */
const char *table_cell(const struct table_row *r, int col);

/* A cell quoted in a message: its first TABLE_QUOTE_CHARS characters, then "…" when it is
 * longer; "" for NULL. TABLE_QUOTE(s) gives a buffer living to the end of the enclosing block,
 * e.g. table_error_add(l, row, col, "未知活动类型：%s", TABLE_QUOTE(v)). */
#define TABLE_QUOTE_CHARS 60
#define TABLE_QUOTE_SIZE (TABLE_QUOTE_CHARS * 4 + sizeof "…")
const char *table_quote(const char *s, char *buf);
#define TABLE_QUOTE(s) table_quote((s), (char[TABLE_QUOTE_SIZE]){0})

/* What is wrong in an imported file, row by row: each error names the file's row and the
 * column (its header text, NULL for the row as a whole). The first TABLE_MAX_ERRORS are kept
 * (and answered), all are counted. Messages quote cells with TABLE_QUOTE. */
struct table_error {
    int row;
    const char *column; /* borrowed: a header cell or a literal */
    char msg[512];
};
struct table_errors {
    struct table_error *items;
    size_t n, cap, total;
};
#define TABLE_MAX_ERRORS 100
void table_error_add(struct table_errors *l, int row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* [{"row","column","message"}] of the kept errors, columns quoted (TABLE_QUOTE) (new
 * reference). */
json_t *table_errors_json(const struct table_errors *l);
void table_errors_free(struct table_errors *l); /* NULL-safe */

/* CSV (RFC 4180; UTF-8 with or without BOM; CRLF, LF or CR). Records whose cells are all
 * blank are left out (row numbers still count them); at most max_rows other rows (the header
 * counts). Errors are ERR_RULE with a Chinese why naming the row, ERR_TOO_LARGE past
 * TABLE_MAX_DECODED_BYTES. */
enum err table_csv_read(const char *data, size_t len, size_t max_rows, struct table *out, char *why,
                        size_t whylen);
/* .xlsx: the first worksheet (xl/worksheets/sheet1.xml, else the first sheet part) with
 * xl/sharedStrings.xml; numbers as written in the file, booleans as 0/1, inline and formula
 * strings as text. Cells of a shared string share the table's one copy of it. Every size is
 * bounded (TABLE_XLSX_*, TABLE_CELL_MAX_BYTES, TABLE_MAX_COLS, max_rows, and
 * TABLE_MAX_DECODED_BYTES: ERR_TOO_LARGE); other errors are ERR_RULE. */
enum err table_xlsx_read(const void *data, size_t len, size_t max_rows, struct table *out,
                         char *why, size_t whylen);

/* An uploaded file as a table: .xlsx when the bytes are a zip, .csv when the Content-Type
 * says CSV (text/csv, application/csv, text/plain, or application/vnd.ms-excel as some
 * browsers label .csv). Refuses with why: ERR_TOO_LARGE over max_bytes or when the table
 * decodes past TABLE_MAX_DECODED_BYTES, ERR_RULE for an empty file or one that cannot be read,
 * ERR_MEDIA_TYPE for any other type (field "Content-Type").
 * *xlsx says which reader was used. */
enum err table_read_upload(const void *data, size_t len, const char *content_type, size_t max_bytes,
                           size_t max_rows, struct table *out, bool *xlsx, char *why,
                           size_t whylen);

#endif
