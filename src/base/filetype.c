/* filetype.c - the files ecoact takes and hands out (see filetype.h): safe names, the
 * allow-listed media types with their Chinese labels, what a file's first bytes say it is (an
 * office file by the parts of its zip, read with libzip), and RFC 5987 file names. Pure: no
 * I/O beyond the bytes given; tested in tests/unit/test_work.c (evidence). */
#include "base/filetype.h"
#include "base/utf8.h"
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* ---- names ---- */

bool filetype_name_valid(const char *name)
{
    if (!name) return false;
    size_t len = strlen(name);
    if (len == 0 || !utf8_valid(name, len)) return false;
    size_t chars = utf8_chars(name);
    if (chars > FILETYPE_NAME_MAX) return false;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7F || *p == '/' || *p == '\\') return false;
        /* C1 controls U+0080..U+009F (C2 80 .. C2 9F) */
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return false;
        /* Bidirectional controls, which make "invoice<RLO>fdp.exe" read as "invoiceexe.pdf":
         * U+061C (D8 9C), U+200E..U+200F (E2 80 8E..8F), U+202A..U+202E (E2 80 AA..AE),
         * U+2066..U+2069 (E2 81 A6..A9). */
        if (*p == 0xD8 && p[1] == 0x9C) return false;
        if (*p == 0xE2 && p[1] == 0x80 &&
            ((p[2] >= 0x8E && p[2] <= 0x8F) || (p[2] >= 0xAA && p[2] <= 0xAE)))
            return false;
        if (*p == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9) return false;
    }
    return true;
}

/* ---- the allow-list and sniffing ---- */

#define T_PDF "application/pdf"
#define T_JPEG "image/jpeg"
#define T_PNG "image/png"
#define T_WEBP "image/webp"
#define T_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define T_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define T_TEXT "text/plain"
#define T_MP4 "video/mp4"

static const char *const allowed_types[][2] = {
    {T_PDF, "PDF 文档"},
    {T_JPEG, "JPEG 图片"},
    {T_PNG, "PNG 图片"},
    {T_WEBP, "WebP 图片"},
    {T_DOCX, "Word 文档（.docx）"},
    {T_XLSX, "Excel 表格（.xlsx）"},
    {T_TEXT, "纯文本（UTF-8）"},
    {T_MP4, "MP4 视频"},
};

const char *filetype_label(const char *type)
{
    for (size_t i = 0; i < sizeof allowed_types / sizeof *allowed_types; i++)
        if (type && strcmp(allowed_types[i][0], type) == 0) return allowed_types[i][1];
    return type ? type : "未知类型";
}

const char *filetype_allowed(const char *ct)
{
    if (!ct) return NULL;
    const char *s = skip_space(ct);
    size_t n = strcspn(s, ";");
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    const char *params = s + strcspn(s, ";");
    if (n == 9 && strncasecmp(s, "image/jpg", 9) == 0) return T_JPEG;
    for (size_t i = 0; i < sizeof allowed_types / sizeof *allowed_types; i++) {
        const char *t = allowed_types[i][0];
        if (strlen(t) != n || strncasecmp(s, t, n) != 0) continue;
        if (strcmp(t, T_TEXT) == 0) {
            /* text: UTF-8 only */
            const char *cs = strcasestr(params, "charset=");
            if (cs) {
                cs += 8;
                if (*cs == '"') cs++;
                if (strncasecmp(cs, "utf-8", 5) != 0 && strncasecmp(cs, "utf8", 4) != 0 &&
                    strncasecmp(cs, "us-ascii", 8) != 0)
                    return NULL;
            }
        }
        return t;
    }
    return NULL;
}

/* Which office document a zip holds, by its parts. */
static const char *office_kind(const void *data, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    const char *kind = NULL;
    if (src) {
        zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (z) {
            if (zip_name_locate(z, "word/document.xml", 0) >= 0)
                kind = T_DOCX;
            else if (zip_name_locate(z, "xl/workbook.xml", 0) >= 0)
                kind = T_XLSX;
            zip_discard(z);
        } else {
            zip_source_free(src);
        }
    }
    zip_error_fini(&ze);
    return kind;
}

static bool is_text(const unsigned char *p, size_t len)
{
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3, len -= 3;
    for (size_t i = 0; i < len; i++)
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' && p[i] != '\f') ||
            p[i] == 0x7F)
            return false;
    return utf8_valid((const char *)p, len);
}

const char *filetype_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (!p || len == 0) return NULL;
    if (len >= 5 && memcmp(p, "%PDF-", 5) == 0) return T_PDF;
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return T_JPEG;
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return T_PNG;
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) return T_WEBP;
    if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0) return T_MP4;
    if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) return office_kind(data, len);
    if (is_text(p, len)) return T_TEXT;
    return NULL;
}

/* ---- RFC 5987 ---- */

static bool attr_char(unsigned char c)
{
    return isalnum(c) || strchr("!#$&+-.^_`|~", c) != NULL;
}

/* Encodes s[0..n) at out+at; returns the new length or (size_t)-1 when it does not fit. */
static size_t enc(const char *s, size_t n, char *out, size_t at, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c && attr_char(c)) {
            if (at + 1 >= cap) return (size_t)-1;
            out[at++] = (char)c;
        } else {
            if (at + 3 >= cap) return (size_t)-1;
            out[at++] = '%';
            out[at++] = hex[c >> 4];
            out[at++] = hex[c & 15];
        }
    }
    out[at] = '\0';
    return at;
}

char *filetype_rfc5987(const char *name, char *out, size_t outlen)
{
    if (outlen == 0) return out;
    out[0] = '\0';
    size_t n = strlen(name);
    if (enc(name, n, out, 0, outlen) != (size_t)-1) return out;
    /* too long: keep the extension, shorten the rest at a character boundary */
    const char *dot = strrchr(name, '.');
    size_t extlen = dot && n - (size_t)(dot - name) <= 16 ? n - (size_t)(dot - name) : 0;
    char ext[64];
    if (enc(name + n - extlen, extlen, ext, 0, sizeof ext) == (size_t)-1) extlen = 0, ext[0] = '\0';
    size_t el = strlen(ext);
    if (el + 1 >= outlen) {
        out[0] = '\0';
        return out;
    }
    size_t at = 0, i = 0, base = n - extlen;
    while (i < base) {
        size_t cl = 1;
        while (i + cl < base && ((unsigned char)name[i + cl] & 0xC0) == 0x80)
            cl++;
        size_t next = enc(name + i, cl, out, at, outlen - el);
        if (next == (size_t)-1) break;
        at = next;
        i += cl;
    }
    memcpy(out + at, ext, el + 1);
    return out;
}
