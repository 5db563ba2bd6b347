/* eval_doc.c - a unit's evaluation scorecard (考核评估结果) printed in the GB/T 9704 layout of the
 * official documents (base/gbdoc.h; issue 19 §8): the total and the rank within its tier, each
 * component's points with its weight, and what they were counted from. Pure: built from the
 * year and the card as ev_year_get() gives them. A year not yet published prints marked 草稿
 * (the result may still change). */
#include "evaluate/evaluate.h"
#include "base/date.h"
#include "base/gbdoc.h"
#include "org/units.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EV_ORGAN "重庆市生态文明宣传教育工作联席会议办公室"

/* Hundredths as "87.50", or "—" for EV_NONE. */
static void pts(long long v, char *out, size_t n)
{
    if (v == EV_NONE)
        snprintf(out, n, "—");
    else
        snprintf(out, n, "%lld.%02lld", v / 100, v % 100);
}

static void components(struct gbdoc *d, const struct ev_card *c)
{
    gbdoc_par(d, GBDOC_H1, "二、分项得分");
    for (int k = 0; k < EV__COMPONENTS; k++) {
        char p[32], raw[32];
        pts(c->s.points[k], p, sizeof p);
        pts(c->s.raw[k], raw, sizeof raw);
        if (c->s.raw[k] == EV_NONE)
            gbdoc_par(d, GBDOC_PLAIN, "%s：本年度无数据，不计入（其余分项按权重折算为百分制）",
                      ev_component_label((enum ev_component)k));
        else
            gbdoc_par(d, GBDOC_PLAIN, "%s：%s 分（分项得分 %s，权重 %lld.%02lld%%）",
                      ev_component_label((enum ev_component)k), p, raw, c->s.applied[k] / 100,
                      c->s.applied[k] % 100);
    }
}

static void basis(struct gbdoc *d, const struct ev_tally *t)
{
    gbdoc_par(d, GBDOC_H1, "三、计分依据");
    gbdoc_par(
        d, GBDOC_PLAIN,
        "履职合规：本年度已结束的考核期 %lld 个，按期完成 %lld 个，补报 %lld 个，未完成 %lld 个。",
        t->closed, t->met, t->late, t->missed);
    gbdoc_par(d, GBDOC_PLAIN,
              "督办反馈：本年度到期的督办单 %lld 件，按期反馈 %lld 件，逾期反馈 %lld 件，未反馈 "
              "%lld 件，办理中 %lld 件。",
              t->notices, t->on_time, t->answered_late, t->unanswered, t->pending);
    gbdoc_par(d, GBDOC_PLAIN, "第三方评估：评估人员评分 %lld 次。", t->scores);
}

void ev_card_doc(const struct ev_year *y, const struct ev_card *c, struct gbdoc *out)
{
    memset(out, 0, sizeof *out);
    char total[32], day[32];
    pts(c->s.total, total, sizeof total);
    out->draft = !y->published;
    out->mark = gbdoc_dupf("%s", EV_ORGAN);
    out->doc_no = gbdoc_dupf("%d年度考核评估", y->year);
    out->title = gbdoc_dupf("%s%d年度生态文明宣传教育工作考核评估结果", c->name, y->year);
    out->to = gbdoc_dupf("%s", c->name);
    gbdoc_par(out, GBDOC_H1, "一、年度总分与排名");
    if (c->s.total == EV_NONE)
        gbdoc_par(out, GBDOC_TEXT, "本年度没有可计分的数据，不参加排名。");
    else
        gbdoc_par(out, GBDOC_TEXT, "年度总分 %s 分，在%s中排名第 %d 名（共 %d 个单位）。", total,
                  unit_tier_label(c->tier), c->rank, c->rank_of);
    if (c->has_prev && c->prev_total != EV_NONE && c->s.total != EV_NONE) {
        char prev[32], diff[32];
        pts(c->prev_total, prev, sizeof prev);
        long long dv = c->s.total - c->prev_total;
        pts(dv < 0 ? -dv : dv, diff, sizeof diff);
        gbdoc_par(out, GBDOC_TEXT, "上年度总分 %s 分、排名第 %d 名，本年度%s %s 分。", prev,
                  c->prev_rank, dv < 0 ? "下降" : "提高", diff);
    }
    components(out, c);
    basis(out, &c->t);
    if (!y->published)
        gbdoc_par(out, GBDOC_TEXT, "本结果尚未发布，按截至计算日的数据得出，发布前可能变化。");
    gbdoc_date_cn(y->published ? date_today_shanghai(y->published_at) : y->as_of, day, sizeof day);
    out->signature = gbdoc_dupf("%s", EV_ORGAN);
    out->date = gbdoc_dupf("%s", day);
    out->cc = gbdoc_dupf("%s", "");
    out->printer = gbdoc_dupf("%s", EV_ORGAN);
    out->print_date = gbdoc_dupf("%s%s", day, y->published ? "发布" : "计算");
}
