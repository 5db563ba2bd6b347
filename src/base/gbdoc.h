/* gbdoc.h - an official document in the layout of GB/T 9704-2012 (党政机关公文格式), as the
 * areas build it (the meeting's notice, agenda and minutes; a dispatch notice 督办单; a ledger
 * report with its evidence; a unit's evaluation scorecard), and its two renderings: printable
 * HTML and PDF (gbdoc.c).
 *
 *   struct gbdoc d = {0};
 *   d.mark = gbdoc_dupf("%s文件", organ); d.title = gbdoc_dupf("%s", title); ...
 *   gbdoc_par(&d, GBDOC_TEXT, "……");
 *   void *pdf; size_t len;
 *   if (gbdoc_pdf(&d, &pdf, &len)) { use(pdf, len); free(pdf); }
 *   gbdoc_free(&d);
 */
#ifndef ECOACT_BASE_GBDOC_H
#define ECOACT_BASE_GBDOC_H
#include <stdbool.h>
#include <stddef.h>

enum gbdoc_par_style {
    GBDOC_TEXT,  /* 正文: 3号仿宋, first line indented two characters */
    GBDOC_H1,    /* 一级标题 "一、…": 黑体 */
    GBDOC_H2,    /* 二级标题 "（一）…": 楷体 */
    GBDOC_PLAIN, /* no indent (lists) */
};
struct gbdoc_par {
    enum gbdoc_par_style style;
    char *text;
};
#define GBDOC_MAX_PARS 400
/* Every string is malloc'd and owned by the document (gbdoc_free); NULL reads as "". */
struct gbdoc {
    bool draft; /* not issued yet: marked 草稿, no number */
    char *mark; /* 发文机关标志, red: "重庆市生态文明宣传教育工作联席会议办公室文件" */
    char *doc_no; /* 发文字号 ("" in a draft) */
    char *title;  /* 标题 */
    char *to;     /* 主送机关 ("" for none) */
    struct gbdoc_par pars[GBDOC_MAX_PARS];
    size_t npars;
    char *signature;  /* 发文机关署名 */
    char *date;       /* 成文日期 "2025年6月3日" */
    char *cc;         /* 抄送 ("" for none) */
    char *printer;    /* 印发机关 */
    char *print_date; /* 印发日期 */
};
void gbdoc_free(struct gbdoc *d);

/* A malloc'd formatted string (aborts when out of memory). */
char *gbdoc_dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Appends a paragraph (silently dropped past GBDOC_MAX_PARS). */
void gbdoc_par(struct gbdoc *d, enum gbdoc_par_style st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Paragraphs of a text typed by a user: one GBDOC_TEXT per non-empty line, hand indents dropped. */
void gbdoc_text_pars(struct gbdoc *d, const char *text);

/* "2025年6月3日" of a day number (base/date.h) into out (≥ 24 bytes). */
void gbdoc_date_cn(int day, char *out, size_t outlen);
/* The same of a date "YYYY-MM-DD", malloc'd; the text itself when it is no date. */
char *gbdoc_ymd_cn(const char *ymd);

/* Printable HTML (A4, no scripts, inline styles only, presentational fallbacks for a strict
 * CSP). *out is malloc'd. */
bool gbdoc_html(const struct gbdoc *d, char **out, size_t *len);
/* PDF through Cairo + Pango: Noto Serif CJK SC for 仿宋, its bold for 小标宋, Noto Sans CJK SC
 * for 黑体 (the closest fonts Debian ships). *out is malloc'd. */
bool gbdoc_pdf(const struct gbdoc *d, void **out, size_t *len);

#endif
