/* notice_doc.c - a dispatch notice (督办单) as an official document: its 文号 (the office's
 * prefix setting and a per-year sequence, assigned by sv_notice_issue through
 * sv_notice_number) and its GB/T 9704 form (rendered by base/gbdoc.c as HTML and PDF). The
 * document is built from the notice's own columns (store_notice_doc.c), never from the API's
 * JSON, so renaming an API field cannot change an official document. See notice_doc.h. */
#include "supervise/notice_doc.h"
#include "base/date.h"
#include "base/utf8.h"
#include "org/policy.h"
#include "org/units.h"
#include "supervise/supervise.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The office that issues dispatch notices: 发文机关 and 印发机关. */
#define SV_ORGAN "重庆市生态文明宣传教育工作联席会议办公室"

enum err sv_doc_prefix(struct store *db, char *out, size_t outlen)
{
    bool found = false;
    enum err e = setting_get(db, SV_DOC_PREFIX_SETTING, out, outlen, &found);
    if (e != OK) return e;
    if (!found || !out[0]) snprintf(out, outlen, "%s", SV_DOC_PREFIX);
    return OK;
}

enum err sv_doc_prefix_set(struct store *db, const char *prefix, long long by, long long now,
                           struct problem *p)
{
    size_t n = prefix ? utf8_chars(prefix) : 0;
    if (n < 1 || n > SV_DOC_PREFIX_MAX)
        return problem_set(p, ERR_RULE, "doc_prefix", "文号前缀应为 1 到 %d 个字",
                           SV_DOC_PREFIX_MAX);
    for (const char *c = prefix; *c; c++)
        if ((unsigned char)*c <= ' ' || (*c >= '0' && *c <= '9') || *c == '[' || *c == ']')
            return problem_set(p, ERR_RULE, "doc_prefix",
                               "文号前缀不能含空格、数字或括号：年份和序号由系统编排");
    if (strstr(prefix, "〔") || strstr(prefix, "〕") || strstr(prefix, "号"))
        return problem_set(p, ERR_RULE, "doc_prefix",
                           "文号前缀只写机关代字（如 渝生宣督），〔年份〕和序号由系统编排");
    return setting_put(db, SV_DOC_PREFIX_SETTING, prefix, by, now);
}

enum err sv_notice_number(struct store *db, int day, int *year, long long *seq, char *out,
                          size_t outlen)
{
    date_to_ymd(day, year, NULL, NULL);
    char prefix[4 * SV_DOC_PREFIX_MAX + 1];
    enum err e = sv_doc_prefix(db, prefix, sizeof prefix);
    if (e == OK) e = sv_store_doc_seq_next(db, *year, seq);
    if (e != OK) return e;
    snprintf(out, outlen, "%s〔%d〕%lld号", prefix, *year, *seq);
    return OK;
}

enum err sv_notice_number_peek(struct store *db, int day, char *out, size_t outlen)
{
    int year;
    date_to_ymd(day, &year, NULL, NULL);
    char prefix[4 * SV_DOC_PREFIX_MAX + 1];
    long long last = 0;
    enum err e = sv_doc_prefix(db, prefix, sizeof prefix);
    if (e == OK) e = sv_store_doc_seq_last(db, year, &last);
    if (e != OK) return e;
    snprintf(out, outlen, "%s〔%d〕%lld号", prefix, year, last + 1);
    return OK;
}

static void body(struct gbdoc *d, const struct sv_doc_row *n)
{
    gbdoc_par(d, GBDOC_TEXT,
              "根据《重庆市生态文明宣传教育工作联席会议制度》和全市生态文明宣传教育工作安排，"
              "现将以下事项交你单位办理，请按要求抓好落实。");
    gbdoc_par(d, GBDOC_H1, "一、督办事项");
    if (strcmp(n->subject, "compliance") == 0) {
        char *from = gbdoc_ymd_cn(n->period_start), *to = gbdoc_ymd_cn(n->period_end);
        gbdoc_par(d, GBDOC_TEXT, "%s至%s期间应完成的工作未按期完成（预警事项）：%s。", from, to,
                  n->title);
        free(from);
        free(to);
    } else {
        gbdoc_par(d, GBDOC_TEXT, "行动计划重点任务第%lld项：%s。", n->task_no, n->title);
    }
    gbdoc_par(d, GBDOC_H1, "二、督办要求");
    gbdoc_text_pars(d, n->requirements);
    gbdoc_par(d, GBDOC_H1, "三、办理期限");
    char *dl = gbdoc_ymd_cn(n->deadline);
    gbdoc_par(d, GBDOC_TEXT,
              "请于%s前办结，并通过系统反馈办理进展、存在困难和下一步打算，上传佐证材料。逾期未办结"
              "的，将按督办升级规定提级督办。",
              dl);
    free(dl);
}

enum err sv_notice_doc(struct store *db, long long id, struct gbdoc *out, long long *unit_id,
                       bool *drafted)
{
    memset(out, 0, sizeof *out);
    struct sv_doc_row n;
    enum err e = sv_store_doc_row(db, id, &n);
    if (e != OK) return e;
    struct unit u;
    if (unit_get(db, n.unit_id, &u) != OK) snprintf(u.name, sizeof u.name, "%s", "");
    *unit_id = n.unit_id;
    *drafted = strcmp(n.stage, "drafted") == 0;
    out->draft = *drafted;
    out->mark = gbdoc_dupf("%s", SV_ORGAN);
    out->doc_no = gbdoc_dupf("%s", n.doc_no);
    out->title = gbdoc_dupf("督办单：%s", n.title);
    out->to = gbdoc_dupf("%s", u.name);
    body(out, &n);
    char cn[32];
    gbdoc_date_cn(date_today_shanghai(n.issued_at ? n.issued_at : n.created_at), cn, sizeof cn);
    out->signature = gbdoc_dupf("%s", SV_ORGAN);
    out->date = gbdoc_dupf("%s", cn);
    out->cc = gbdoc_dupf("%s", "");
    out->printer = gbdoc_dupf("%s", SV_ORGAN);
    out->print_date = gbdoc_dupf("%s印发", cn);
    free(n.title);
    free(n.requirements);
    return OK;
}
