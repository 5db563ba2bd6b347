/* gbdoc.c - official documents in the layout of GB/T 9704-2012 党政机关公文格式, rendered as
 * printable HTML and as PDF: 发文机关标志 in red, 发文字号, the red separator line, 标题
 * (2号小标宋), 主送机关, 正文 (3号仿宋, 22 lines of 28 characters on a 156 × 225 mm text block of
 * an A4 page), 发文机关署名 and 成文日期 (right, 4 characters in), 版记 (抄送, 印发机关 and
 * 印发日期 between rules) and page numbers "— 1 —" (odd right, even left). The meeting's documents,
 * the dispatch notices (督办单), the ledger's reports and the evaluation's scorecards are built as
 * a struct gbdoc by their areas and rendered here.
 *
 * gbdoc_html() writes printable HTML: no scripts; styles inline (a <style> element and
 * attributes), with presentational attributes (<font color>, align) so the red 版头 survives a
 * CSP that blocks styles. gbdoc_pdf() renders with Cairo + Pango. GB/T 9704 asks for 仿宋 and
 * 小标宋, which Debian does not ship; the closest installed fonts are used: Noto Serif CJK SC
 * (仿宋, 楷体), its Bold (小标宋) and Noto Sans CJK SC (黑体), all from fonts-noto-cjk.
 *
 * Each rendering uses its own Pango font map (thread-safe; freed after use). Cairo 1.16's CFF
 * font subsetter leaks a few hundred bytes per PDF (a known bug fixed in later cairo); under
 * AddressSanitizer that one library's leaks are suppressed below, and fontconfig's global state
 * is released at exit (FcFini, found with dlsym: fontconfig comes in through Pango). */
#include "base/gbdoc.h"
#include "base/utf8.h"
#include "base/date.h"
#include <cairo-pdf.h>
#include <cairo.h>
#include <dlfcn.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
/* LeakSanitizer's hook: cairo 1.16's CFF subsetter leaks when it embeds a CJK OpenType font. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\n";
}
#endif

/* ---- building ---- */

void gbdoc_date_cn(int day, char *out, size_t outlen)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    snprintf(out, outlen, "%d年%d月%d日", y, m, d);
}

char *gbdoc_ymd_cn(const char *ymd)
{
    int day;
    char cn[32];
    if (!ymd || !date_parse(ymd, &day)) return gbdoc_dupf("%s", ymd ? ymd : "");
    gbdoc_date_cn(day, cn, sizeof cn);
    return gbdoc_dupf("%s", cn);
}

char *gbdoc_dupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    if (!s) abort();
    return s;
}

void gbdoc_par(struct gbdoc *d, enum gbdoc_par_style st, const char *fmt, ...)
{
    if (d->npars == GBDOC_MAX_PARS) return;
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    if (!s) abort();
    d->pars[d->npars++] = (struct gbdoc_par){st, s};
}

/* Paragraphs of a text typed by a user: one per non-empty line. */
void gbdoc_text_pars(struct gbdoc *d, const char *text)
{
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        while (len && (text[len - 1] == '\r' || text[len - 1] == ' '))
            len--;
        const char *s = text;
        size_t l = len;
        while (l && (*s == ' ' || *s == '\t'))
            s++, l--;
        if (l >= 6 && memcmp(s, "\u3000\u3000", 6) == 0)
            s += 6, l -= 6; /* an indent typed by hand */
        if (l) gbdoc_par(d, GBDOC_TEXT, "%.*s", (int)l, s);
        text = nl ? nl + 1 : text + strlen(text);
    }
}

void gbdoc_free(struct gbdoc *d)
{
    if (!d) return;
    free(d->mark);
    free(d->doc_no);
    free(d->title);
    free(d->to);
    for (size_t i = 0; i < d->npars; i++)
        free(d->pars[i].text);
    free(d->signature);
    free(d->date);
    free(d->cc);
    free(d->printer);
    free(d->print_date);
    memset(d, 0, sizeof *d);
}

/* ---- HTML ---- */

struct buf {
    char *s;
    size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t nc = (b->len + n + 1) * 2;
        char *t = realloc(b->s, nc);
        if (!t) abort();
        b->s = t;
        b->cap = nc;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void esc(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            puts_(b, "&amp;");
            break;
        case '<':
            puts_(b, "&lt;");
            break;
        case '>':
            puts_(b, "&gt;");
            break;
        case '"':
            puts_(b, "&quot;");
            break;
        case '\'':
            puts_(b, "&#39;");
            break;
        default:
            put(b, s, 1);
        }
    }
}

static const char css[] =
    "@page{size:A4;margin:37mm 26mm 35mm 28mm}"
    "html{background:#f2f2f2}"
    "body{margin:0;color:#000;font-family:FangSong,'FangSong_GB2312','仿宋_GB2312','仿宋',"
    "STFangsong,'Noto Serif CJK SC',serif;"
    "font-size:16pt;line-height:28.9pt}"
    ".page{box-sizing:content-box;width:156mm;min-height:225mm;margin:10mm auto;padding:37mm 26mm "
    "35mm 28mm;background:#fff;"
    "box-shadow:0 0 4px rgba(0,0,0,.3)}"
    "@media print{html{background:#fff}.page{margin:0;padding:0;box-shadow:none;min-height:0}}"
    ".draft{float:right;color:#888;font-size:12pt;border:1px solid #888;padding:0 "
    "4pt;line-height:18pt}"
    ".mark{color:#d00;text-align:center;font-family:'FZXiaoBiaoSong-B05S','方正小标宋简体','"
    "华文中宋',STZhongsong,'Noto Serif CJK SC',serif;"
    "font-weight:bold;font-size:22pt;line-height:1.4;margin:10mm 0 0;white-space:nowrap}"
    ".mark font{font-size:inherit}"
    ".docno{text-align:center;margin-top:28.9pt}"
    ".rule{border:0;border-top:1.5pt solid #d00;margin:4mm 0 28.9pt}"
    "h1{font-family:'FZXiaoBiaoSong-B05S','方正小标宋简体','华文中宋',STZhongsong,'Noto Serif CJK "
    "SC',serif;font-size:22pt;"
    "font-weight:bold;text-align:center;line-height:1.5;margin:0 0 28.9pt}"
    ".to{margin:0}"
    "p{margin:0;text-indent:2em;text-align:justify}"
    "p.h1{font-family:SimHei,'黑体','Noto Sans CJK SC',sans-serif}"
    "p.h2{font-family:KaiTi,'楷体_GB2312','楷体',STKaiti,'Noto Serif CJK SC',serif}"
    "p.plain{text-indent:0;padding-left:2em}"
    ".sig{margin-top:57.8pt;text-align:right;padding-right:4em}"
    ".date{text-align:right;padding-right:4em}"
    ".record{margin-top:57.8pt;border-top:1pt solid #000;border-bottom:1pt solid "
    "#000;font-size:14pt;line-height:24pt}"
    ".record div{padding:0 1em}"
    ".record .cc{border-bottom:.5pt solid #000}"
    ".record .print{display:flex;justify-content:space-between}";

bool gbdoc_html(const struct gbdoc *d, char **out, size_t *len)
{
    struct buf b = {0};
    puts_(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    esc(&b, d->title);
    puts_(&b, "</title>\n<meta name=\"generator\" content=\"ecoact\">\n<style>");
    puts_(&b, css);
    puts_(&b, "</style>\n</head>\n<body>\n<div class=\"page\">\n");
    if (d->draft) puts_(&b, "<div class=\"draft\">草稿（未印发）</div>\n");
    /* the mark on one line, as large as fits the 156 mm text block (GB/T 9704 7.2.3) */
    size_t chars = utf8_chars(d->mark);
    double pt = chars ? 156.0 * 72.0 / 25.4 / (double)chars * 0.96 : 30.0;
    char open[160];
    snprintf(open, sizeof open,
             "<div class=\"mark\" align=\"center\" style=\"font-size:%.1fpt\"><font "
             "color=\"#dd0000\" size=\"6\"><b>",
             pt > 36 ? 36.0 : pt);
    puts_(&b, open);
    esc(&b, d->mark);
    puts_(&b, "</b></font></div>\n<div class=\"docno\" align=\"center\">");
    if (d->draft)
        puts_(&b, "（草稿，未编号）");
    else
        esc(&b, d->doc_no);
    puts_(
        &b,
        "</div>\n<hr class=\"rule\" color=\"#dd0000\" size=\"2\" noshade>\n<h1 align=\"center\">");
    esc(&b, d->title);
    puts_(&b, "</h1>\n");
    if (d->to && *d->to) {
        puts_(&b, "<p class=\"to plain\" style=\"text-indent:0;padding-left:0\">");
        esc(&b, d->to);
        puts_(&b, "：</p>\n");
    }
    for (size_t i = 0; i < d->npars; i++) {
        const char *cls = d->pars[i].style == GBDOC_H1      ? " class=\"h1\""
                          : d->pars[i].style == GBDOC_H2    ? " class=\"h2\""
                          : d->pars[i].style == GBDOC_PLAIN ? " class=\"plain\""
                                                            : "";
        puts_(&b, "<p");
        puts_(&b, cls);
        puts_(&b, ">");
        if (d->pars[i].style == GBDOC_H1) puts_(&b, "<b>");
        esc(&b, d->pars[i].text);
        if (d->pars[i].style == GBDOC_H1) puts_(&b, "</b>");
        puts_(&b, "</p>\n");
    }
    puts_(&b, "<div class=\"sig\" align=\"right\">");
    esc(&b, d->signature);
    puts_(&b, "</div>\n<div class=\"date\" align=\"right\">");
    esc(&b, d->date);
    puts_(&b, "</div>\n<div class=\"record\">\n");
    if (d->cc && *d->cc) {
        puts_(&b, "<div class=\"cc\">抄送：");
        esc(&b, d->cc);
        puts_(&b, "。</div>\n");
    }
    puts_(&b, "<div class=\"print\"><span>");
    esc(&b, d->printer);
    puts_(&b, "</span><span>");
    esc(&b, d->print_date);
    puts_(&b, "</span></div>\n</div>\n</div>\n</body>\n</html>\n");
    *out = b.s;
    *len = b.len;
    return b.s != NULL;
}

/* ---- PDF ---- */

#define MM (72.0 / 25.4)
#define PAGE_W (210.0 * MM)
#define PAGE_H (297.0 * MM)
#define LEFT (28.0 * MM)
#define TOP (37.0 * MM)
#define TEXT_W (156.0 * MM)
#define TEXT_H (225.0 * MM)
#define BOTTOM (TOP + TEXT_H)
#define PITCH (TEXT_H / 22.0) /* 22 lines a page */
#define BODY_PT 16.0          /* 3号 */
#define TITLE_PT 22.0         /* 2号 */
#define SMALL_PT 14.0         /* 4号 */

#define FONT_SERIF "Noto Serif CJK SC"
#define FONT_SANS "Noto Sans CJK SC"

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoFontMap *fm;
    PangoContext *ctx;
    double y;
    int page;
    struct buf out;
};

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    put(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* fontconfig is linked through Pango only, so its FcFini() is looked up at run time. */
static void cleanup_at_exit(void)
{
    cairo_debug_reset_static_data();
    void *fini = dlsym(RTLD_DEFAULT, "FcFini");
    if (fini) ((void (*)(void))fini)();
}

static void register_cleanup(void)
{
    atexit(cleanup_at_exit);
}

static PangoLayout *layout(struct pdf *p, const char *family, double pt, bool bold, double width)
{
    PangoLayout *l = pango_layout_new(p->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    return l;
}

static void page_number(struct pdf *p)
{
    char n[32];
    snprintf(n, sizeof n, "— %d —", p->page);
    PangoLayout *l = layout(p, FONT_SERIF, SMALL_PT, false, 0);
    pango_layout_set_text(l, n, -1);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    double x = p->page % 2 ? LEFT + TEXT_W - SMALL_PT - w
                           : LEFT + SMALL_PT; /* odd right, even left, one character in */
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, x, BOTTOM + 7.0 * MM);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void new_page(struct pdf *p)
{
    page_number(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
}

/* Lays text out line by line on the pitch, breaking pages between lines. */
static void flow(struct pdf *p, const char *text, const char *family, double pt, bool bold,
                 PangoAlignment align, double indent, double pitch, double r, double g, double bl)
{
    PangoLayout *l = layout(p, family, pt, bold, TEXT_W);
    pango_layout_set_alignment(l, align);
    if (indent > 0) pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
    if (align == PANGO_ALIGN_LEFT) pango_layout_set_justify(l, TRUE);
    pango_layout_set_text(l, text, -1);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        double top = (double)logical.y / PANGO_SCALE, height = (double)logical.height / PANGO_SCALE;
        if (p->y + pitch > BOTTOM + 0.5) new_page(p);
        double ascent = baseline - top;
        double by = p->y + (pitch - height) / 2.0 + ascent;
        cairo_set_source_rgb(p->cr, r, g, bl);
        cairo_move_to(p->cr, LEFT + (double)logical.x / PANGO_SCALE, by);
        pango_cairo_show_layout_line(p->cr, line);
        p->y += pitch;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
}

static void hline(struct pdf *p, double y, double width, double r)
{
    cairo_set_source_rgb(p->cr, r, 0, 0);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, LEFT, y);
    cairo_line_to(p->cr, LEFT + TEXT_W, y);
    cairo_stroke(p->cr);
}

static double text_width(struct pdf *p, const char *text, double pt)
{
    PangoLayout *l = layout(p, FONT_SERIF, pt, false, 0);
    pango_layout_set_text(l, text, -1);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    g_object_unref(l);
    return w;
}

static void at(struct pdf *p, const char *text, double pt, double x, double y)
{
    PangoLayout *l = layout(p, FONT_SERIF, pt, false, 0);
    pango_layout_set_text(l, text, -1);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

/* 版头: the draft mark, the issuing organ's mark in red as large as fits one line (GB/T 9704
 * 7.2.3), 发文字号 and the red line 4 mm below it, then the title and 主送机关. */
static void pdf_head(struct pdf *p, const struct gbdoc *d)
{
    if (d->draft) {
        PangoLayout *l = layout(p, FONT_SANS, 10.5, false, 0);
        pango_layout_set_text(l, "草稿（未印发）", -1);
        cairo_set_source_rgb(p->cr, 0.5, 0.5, 0.5);
        cairo_move_to(p->cr, LEFT + TEXT_W - 70, TOP - 20);
        pango_cairo_show_layout(p->cr, l);
        g_object_unref(l);
    }
    size_t chars = utf8_chars(d->mark);
    double mark_pt = chars ? TEXT_W / (double)chars * 0.96 : 30;
    if (mark_pt > 36) mark_pt = 36;
    p->y = TOP + 10.0 * MM;
    flow(p, d->mark, FONT_SERIF, mark_pt, true, PANGO_ALIGN_CENTER, 0, mark_pt * 1.5, 0.85, 0, 0);
    p->y += PITCH; /* one blank line, then 发文字号 */
    flow(p, d->draft ? "（草稿，未编号）" : d->doc_no, FONT_SERIF, BODY_PT, false,
         PANGO_ALIGN_CENTER, 0, PITCH, 0, 0, 0);
    hline(p, p->y + 4.0 * MM - PITCH * 0.15, 1.5, 0.85); /* the red line 4 mm below 发文字号 */
    p->y += 4.0 * MM + PITCH;
    flow(p, d->title, FONT_SERIF, TITLE_PT, true, PANGO_ALIGN_CENTER, 0, TITLE_PT * 1.6, 0, 0, 0);
    p->y += PITCH;
    if (d->to && *d->to) {
        char *to = gbdoc_dupf("%s：", d->to);
        flow(p, to, FONT_SERIF, BODY_PT, false, PANGO_ALIGN_LEFT, 0, PITCH, 0, 0, 0);
        free(to);
    }
}

/* 署名 and 成文日期: the date 4 characters in from the right, the signature centred on it. */
static void pdf_signature(struct pdf *p, const struct gbdoc *d)
{
    p->y += PITCH;
    if (p->y + 2 * PITCH > BOTTOM + 0.5) new_page(p);
    double dw = text_width(p, d->date, BODY_PT), sw = text_width(p, d->signature, BODY_PT);
    double dx = LEFT + TEXT_W - 4 * BODY_PT - dw;
    double sx = dx + dw / 2 - sw / 2;
    if (sx + sw > LEFT + TEXT_W) sx = LEFT + TEXT_W - sw;
    if (sx < LEFT) sx = LEFT;
    at(p, d->signature, BODY_PT, sx, p->y + (PITCH - BODY_PT * 1.45) / 2);
    p->y += PITCH;
    at(p, d->date, BODY_PT, dx, p->y + (PITCH - BODY_PT * 1.45) / 2);
    p->y += PITCH;
}

/* 版记 at the foot of the last page: 抄送, 印发机关 and 印发日期 between rules. */
static void pdf_record(struct pdf *p, const struct gbdoc *d)
{
    double rows = (d->cc && *d->cc) ? 2 : 1, rh = SMALL_PT * 1.9;
    double need = rows * rh + 2;
    if (p->y + need > BOTTOM + 0.5) new_page(p);
    double y0 = BOTTOM - need;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    hline(p, y0, 1.0, 0);
    double y = y0;
    if (d->cc && *d->cc) {
        char *cc = gbdoc_dupf("抄送：%s。", d->cc);
        at(p, cc, SMALL_PT, LEFT + SMALL_PT, y + (rh - SMALL_PT * 1.45) / 2);
        free(cc);
        y += rh;
        hline(p, y, 0.5, 0);
    }
    at(p, d->printer, SMALL_PT, LEFT + SMALL_PT, y + (rh - SMALL_PT * 1.45) / 2);
    double pw = text_width(p, d->print_date, SMALL_PT);
    at(p, d->print_date, SMALL_PT, LEFT + TEXT_W - SMALL_PT - pw, y + (rh - SMALL_PT * 1.45) / 2);
    y += rh;
    hline(p, y, 1.0, 0);
}

bool gbdoc_pdf(const struct gbdoc *d, void **out, size_t *len)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_cleanup);
    struct pdf p = {.page = 1, .y = TOP};
    p.surface = cairo_pdf_surface_create_for_stream(pdf_write, &p.out, PAGE_W, PAGE_H);
    if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(p.surface);
        return false;
    }
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "ecoact");
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_SUBJECT,
                                   d->draft ? "草稿" : d->doc_no);
    p.cr = cairo_create(p.surface);
    p.fm = pango_cairo_font_map_new();
    p.ctx = pango_font_map_create_context(p.fm);
    pango_cairo_update_context(p.cr, p.ctx);

    pdf_head(&p, d);
    for (size_t i = 0; i < d->npars; i++) {
        const struct gbdoc_par *pa = &d->pars[i];
        const char *family = pa->style == GBDOC_H1 ? FONT_SANS : FONT_SERIF;
        double indent = pa->style == GBDOC_PLAIN ? 0 : 2 * BODY_PT;
        flow(&p, pa->text, family, BODY_PT, false, PANGO_ALIGN_LEFT, indent, PITCH, 0, 0, 0);
    }
    pdf_signature(&p, d);
    pdf_record(&p, d);
    page_number(&p);
    cairo_show_page(p.cr);

    g_object_unref(p.ctx);
    g_object_unref(p.fm);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    bool ok = cairo_surface_status(p.surface) == CAIRO_STATUS_SUCCESS && p.out.len > 0;
    cairo_surface_destroy(p.surface);
    if (!ok) {
        free(p.out.s);
        return false;
    }
    *out = p.out.s;
    *len = p.out.len;
    return true;
}
