/* table_xlsx.c - the .xlsx reader for imports: an .xlsx is a zip (libzip, read from memory) of
 * XML parts (expat). Reads xl/workbook.xml (the 1904 date flag), xl/sharedStrings.xml and the
 * first worksheet into a struct table; the shared strings are kept once by the table and the
 * cells naming one point to it (table_share). It parses untrusted input, so every size is
 * bounded: each decompressed part (TABLE_XLSX_MAX_PART, counted as it streams, whatever the zip
 * header claims), the shared-string count and bytes, each cell (TABLE_CELL_MAX_BYTES), columns,
 * rows and the decoded table (TABLE_MAX_DECODED_BYTES, a shared string counted at each cell, so
 * a small file of cells all naming one long string stops there), and any one XML token expat
 * must hold whole (MAX_TOKEN); a document type declaration (and so any entity) is refused. A
 * pure function of the bytes, so it can be fuzzed. */
#include "base/table.h"
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_ROW_NO 1048576 /* Excel's last row */
#define CHUNK 65536
#define MAX_TOKEN (1u << 20) /* one tag (with its attributes), comment or run of text */

struct xr {
    XML_Parser p;
    char *why;
    size_t whylen;
    bool failed;
    enum err code; /* of the failure: ERR_RULE, or ERR_TOO_LARGE past the table's budget */
    /* text being collected */
    char *text;
    size_t tlen, tcap;
    bool collecting;
    int rph_depth; /* inside <rPh> (phonetic runs): not part of the text */
    /* shared strings, trimmed, in the table (NULL when blank) */
    struct sst {
        const char *s;
        size_t len;
    } * sst;
    size_t nsst, capsst, sst_bytes;
    bool in_si;
    /* sheet */
    struct table *t;
    size_t max_rows;
    int row_no, col;
    char ctype[16];
    bool in_cell, in_v, in_is, have_value;
    bool in_sheet_data, row_open;
    /* workbook */
    bool date1904;
};

static void fail(struct xr *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct xr *x, const char *fmt, ...)
{
    if (x->failed) return;
    x->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->why, x->whylen, fmt, ap);
    va_end(ap);
    if (x->p) XML_StopParser(x->p, XML_FALSE);
}

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0) return atts[i + 1];
    return NULL;
}

static void text_reset(struct xr *x)
{
    x->tlen = 0;
    if (x->text) x->text[0] = '\0';
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct xr *x = ud;
    if (!x->collecting || x->rph_depth || x->failed || len <= 0) return;
    if (x->tlen + (size_t)len > TABLE_CELL_MAX_BYTES) {
        fail(x, "单元格内容过长（最多 %u 字节）", TABLE_CELL_MAX_BYTES);
        return;
    }
    if (x->tlen + (size_t)len + 1 > x->tcap) {
        size_t cap = x->tcap ? x->tcap : 256;
        while (cap < x->tlen + (size_t)len + 1)
            cap *= 2;
        char *b = realloc(x->text, cap);
        if (!b) {
            fail(x, "内存不足");
            return;
        }
        x->text = b;
        x->tcap = cap;
    }
    memcpy(x->text + x->tlen, s, (size_t)len);
    x->tlen += (size_t)len;
    x->text[x->tlen] = '\0';
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    fail(ud, "文件含有文档类型声明（DOCTYPE），不是有效的 .xlsx");
}

/* ---- workbook.xml ---- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xr *x = ud;
    if (strcmp(local(name), "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    }
}

static void wb_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* ---- sharedStrings.xml ---- */

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct xr *x = ud;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        x->in_si = true;
        text_reset(x);
    } else if (strcmp(n, "rPh") == 0) {
        x->rph_depth++;
    } else if (strcmp(n, "t") == 0 && x->in_si) {
        x->collecting = true;
    }
}

static void sst_end(void *ud, const XML_Char *name)
{
    struct xr *x = ud;
    const char *n = local(name);
    if (strcmp(n, "t") == 0) {
        x->collecting = false;
    } else if (strcmp(n, "rPh") == 0) {
        if (x->rph_depth) x->rph_depth--;
    } else if (strcmp(n, "si") == 0 && x->in_si) {
        x->in_si = false;
        if (x->nsst >= TABLE_XLSX_MAX_STRINGS) {
            fail(x, "共享字符串过多（最多 %d 个）", TABLE_XLSX_MAX_STRINGS);
            return;
        }
        x->sst_bytes += x->tlen + 1;
        if (x->sst_bytes > TABLE_MAX_DECODED_BYTES) {
            fail(x, "共享字符串过大（最多 %u MiB）", TABLE_MAX_DECODED_BYTES >> 20);
            x->code = ERR_TOO_LARGE;
            return;
        }
        if (x->nsst == x->capsst) {
            size_t cap = x->capsst ? x->capsst * 2 : 256;
            struct sst *a = realloc(x->sst, cap * sizeof *a);
            if (!a) {
                fail(x, "内存不足");
                return;
            }
            x->sst = a;
            x->capsst = cap;
        }
        struct sst *e = &x->sst[x->nsst++];
        e->len = x->tlen;
        e->s = table_intern(x->t, x->text ? x->text : "", &e->len);
    }
}

/* ---- the worksheet ---- */

/* "B12" → column 1; -1 when malformed. */
static int col_of_ref(const char *ref)
{
    int col = 0, n = 0;
    while (*ref >= 'A' && *ref <= 'Z') {
        if (++n > 3) return -1;
        col = col * 26 + (*ref++ - 'A' + 1);
    }
    if (n == 0 || *ref < '1' || *ref > '9') return -1;
    return col - 1;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xr *x = ud;
    if (x->failed) return;
    const char *n = local(name);
    if (strcmp(n, "sheetData") == 0) {
        x->in_sheet_data = true;
    } else if (strcmp(n, "row") == 0 && x->in_sheet_data) {
        const char *r = attr(atts, "r");
        int no = x->row_no + 1;
        if (r) {
            char *end;
            long v = strtol(r, &end, 10);
            if (*end || v <= x->row_no || v > MAX_ROW_NO) {
                fail(x, "工作表的行号无效：%.16s", r);
                return;
            }
            no = (int)v;
        }
        x->row_no = no;
        x->col = -1;
        x->row_open = false; /* the row joins the table with its first value */
    } else if (strcmp(n, "c") == 0 && x->row_no) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        int col = x->col + 1;
        if (r) {
            col = col_of_ref(r);
            if (col < 0 || col <= x->col) {
                fail(x, "第 %d 行的单元格引用无效：%.16s", x->row_no, r);
                return;
            }
        }
        x->col = col;
        snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
        x->in_cell = true;
        x->have_value = false;
        text_reset(x);
    } else if (x->in_cell && strcmp(n, "v") == 0) {
        x->in_v = x->collecting = true;
        x->have_value = true;
    } else if (x->in_cell && strcmp(n, "is") == 0) {
        x->in_is = true;
        x->have_value = true;
    } else if (x->in_is && strcmp(n, "rPh") == 0) {
        x->rph_depth++;
    } else if (x->in_is && strcmp(n, "t") == 0) {
        x->collecting = true;
    }
}

static void sheet_end(void *ud, const XML_Char *name)
{
    struct xr *x = ud;
    if (x->failed) return;
    const char *n = local(name);
    if (strcmp(n, "sheetData") == 0) {
        x->in_sheet_data = false;
    } else if (strcmp(n, "v") == 0 && x->in_v) {
        x->in_v = x->collecting = false;
    } else if (strcmp(n, "t") == 0 && x->in_is) {
        x->collecting = false;
    } else if (strcmp(n, "rPh") == 0 && x->in_is) {
        if (x->rph_depth) x->rph_depth--;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(n, "c") == 0 && x->in_cell) {
        x->in_cell = false;
        if (!x->have_value) return;
        const char *v = x->text ? x->text : "";
        size_t len = x->tlen;
        bool shared = strcmp(x->ctype, "s") == 0;
        if (shared) {
            char *end;
            unsigned long idx = strtoul(v, &end, 10);
            if (!*v || *end || idx >= x->nsst) {
                fail(x, "第 %d 行：共享字符串编号无效", x->row_no);
                return;
            }
            v = x->sst[idx].s;
            len = x->sst[idx].len;
        } else if (strcmp(x->ctype, "b") == 0) {
            v = strcmp(v, "1") == 0 ? "1" : "0";
            len = 1;
        }
        if (len == 0) return;
        if (x->col >= TABLE_MAX_COLS) {
            fail(x, "第 %d 行：列数过多（最多 %d 列）", x->row_no, TABLE_MAX_COLS);
            return;
        }
        if (!x->row_open) {
            if (x->t->nrows >= x->max_rows) {
                fail(x, "行数过多：除表头外一次最多导入 %zu 行", x->max_rows ? x->max_rows - 1 : 0);
                return;
            }
            if (!table_add_row(x->t, x->row_no)) {
                fail(x, "内存不足");
                return;
            }
            x->row_open = true;
        }
        enum err e = shared ? table_share(x->t, x->col, v, len) : table_set(x->t, x->col, v, len);
        if (e != OK) {
            char why[256];
            table_set_why(e, why, sizeof why);
            fail(x, "%s", why);
            if (e == ERR_TOO_LARGE) x->code = e;
        }
    }
}

/* ---- zip parts ---- */

/* Streams one zip entry through a fresh expat parser with the given handlers. */
static void parse_part(struct xr *x, zip_t *z, zip_int64_t idx, const char *label,
                       XML_StartElementHandler start, XML_EndElementHandler end)
{
    zip_stat_t st;
    if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) != 0) {
        fail(x, "无法读取 %s", label);
        return;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > TABLE_XLSX_MAX_PART) {
        fail(x, "%s 解压后过大（最多 %u MiB）", label, TABLE_XLSX_MAX_PART >> 20);
        return;
    }
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f) {
        fail(x, "无法读取 %s（压缩方式不支持或已加密）", label);
        return;
    }
    x->p = XML_ParserCreate("UTF-8");
    if (!x->p) {
        zip_fclose(f);
        fail(x, "内存不足");
        return;
    }
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, start, end);
    XML_SetCharacterDataHandler(x->p, on_text);
    XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
    char *chunk = malloc(CHUNK);
    size_t total = 0;
    while (chunk && !x->failed) {
        zip_int64_t n = zip_fread(f, chunk, CHUNK);
        if (n < 0) {
            fail(x, "%s 的压缩数据已损坏", label);
            break;
        }
        total += (size_t)n;
        if (total > TABLE_XLSX_MAX_PART) {
            fail(x, "%s 解压后过大（最多 %u MiB）", label, TABLE_XLSX_MAX_PART >> 20);
            break;
        }
        if (XML_Parse(x->p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (!x->failed)
                fail(x, "%s 不是有效的 XML（第 %lu 行）：%s", label,
                     (unsigned long)XML_GetCurrentLineNumber(x->p),
                     XML_ErrorString(XML_GetErrorCode(x->p)));
            break;
        }
        /* expat keeps an unfinished token whole and rescans it with every chunk: a huge one
         * costs memory and time quadratic in its size (here, just past the last parse event) */
        XML_Index done = XML_GetCurrentByteIndex(x->p);
        if (!x->failed && done >= 0 && total - (size_t)done > MAX_TOKEN) {
            fail(x, "%s 含有过长的 XML 标记（超过 %u MiB）", label, MAX_TOKEN >> 20);
            break;
        }
        if (n == 0) break;
    }
    if (!chunk) fail(x, "内存不足");
    free(chunk);
    XML_ParserFree(x->p);
    x->p = NULL;
    if (zip_fclose(f) != 0) fail(x, "%s 的压缩数据已损坏（校验失败）", label);
}

static zip_int64_t first_sheet(zip_t *z)
{
    zip_int64_t idx = zip_name_locate(z, "xl/worksheets/sheet1.xml", 0);
    if (idx >= 0) return idx;
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        size_t l = name ? strlen(name) : 0;
        if (l > 23 && strncmp(name, "xl/worksheets/sheet", 19) == 0 &&
            strcmp(name + l - 4, ".xml") == 0)
            return i;
    }
    return -1;
}

enum err table_xlsx_read(const void *data, size_t len, size_t max_rows, struct table *out,
                         char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    struct xr x = {.why = why, .whylen = whylen, .code = ERR_RULE, .t = out, .max_rows = max_rows};
    zip_error_t ze;
    zip_error_init(&ze);
    zip_t *z = NULL;
    zip_source_t *src = len ? zip_source_buffer_create(data, len, 0, &ze) : NULL;
    if (src) z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!z) {
        if (src) zip_source_free(src);
        fail(&x, "不是有效的 .xlsx 文件（无法作为 zip 打开）");
        goto out;
    }
    zip_int64_t wb = zip_name_locate(z, "xl/workbook.xml", 0);
    zip_int64_t sheet = first_sheet(z);
    if (wb < 0 || sheet < 0) {
        fail(&x, "不是有效的 .xlsx 文件（缺少工作簿或工作表）");
        goto out;
    }
    parse_part(&x, z, wb, "xl/workbook.xml", wb_start, wb_end);
    zip_int64_t ss = zip_name_locate(z, "xl/sharedStrings.xml", 0);
    if (!x.failed && ss >= 0) parse_part(&x, z, ss, "xl/sharedStrings.xml", sst_start, sst_end);
    if (!x.failed) parse_part(&x, z, sheet, "工作表", sheet_start, sheet_end);
    out->date1904 = x.date1904;
out:
    if (z) zip_discard(z);
    zip_error_fini(&ze);
    free(x.sst); /* the strings are the table's */
    free(x.text);
    if (x.failed) {
        table_free(out);
        return x.code;
    }
    return OK;
}
