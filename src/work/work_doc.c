/* work_doc.c - a ledger report (台账) printed in the GB/T 9704 layout the official documents use
 * (base/gbdoc.h; issue 19 §8): its particulars, summary, metrics, evidence list and links, under
 * the filing unit's name. Built from the report as the ledger stores it
 * (work_store_report_json), with the labels of work_rules.c. */
#include "work/work.h"
#include "base/date.h"
#include "base/gbdoc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* 一、基本情况: who, what, when, where, which tasks, the review. */
static void particulars(struct gbdoc *d, json_t *o)
{
    gbdoc_par(d, GBDOC_H1, "一、基本情况");
    char *when = gbdoc_ymd_cn(str(o, "activity_date"));
    gbdoc_par(d, GBDOC_PLAIN, "填报单位：%s", str(json_object_get(o, "unit"), "name"));
    gbdoc_par(d, GBDOC_PLAIN, "活动类型：%s", str(o, "kind_name"));
    gbdoc_par(d, GBDOC_PLAIN, "活动日期：%s", when);
    free(when);
    if (*str(o, "place")) gbdoc_par(d, GBDOC_PLAIN, "活动地点：%s", str(o, "place"));
    char tasks[512] = "";
    size_t i, used = 0;
    json_t *t;
    json_array_foreach(json_object_get(o, "tasks"), i, t) if (used + 32 < sizeof tasks) used +=
        (size_t)snprintf(tasks + used, sizeof tasks - used, "%s第%lld项", i ? "、" : "",
                         (long long)json_integer_value(t));
    gbdoc_par(d, GBDOC_PLAIN, "服务任务：行动计划重点任务%s", tasks);
    gbdoc_par(d, GBDOC_PLAIN, "填报人：%s", str(json_object_get(o, "created_by"), "name"));
    if (*str(o, "accepted_date")) {
        char *acc = gbdoc_ymd_cn(str(o, "accepted_date"));
        gbdoc_par(d, GBDOC_PLAIN, "审核：%s（%s，%s）", str(o, "status_label"),
                  str(o, "reviewer_name"), acc);
        free(acc);
    } else {
        gbdoc_par(d, GBDOC_PLAIN, "审核：%s", str(o, "status_label"));
    }
}

/* 三、工作指标 … 五、相关链接, each only when there is something to list. */
static void lists(struct gbdoc *d, json_t *o, int *next)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六"};
    json_t *metrics = json_object_get(o, "metrics"), *ev = json_object_get(o, "evidence"),
           *links = json_object_get(o, "links"), *v;
    const char *name;
    size_t i;
    if (json_object_size(metrics)) {
        gbdoc_par(d, GBDOC_H1, "%s、工作指标", cn[(*next)++]);
        json_object_foreach(metrics, name, v) gbdoc_par(
            d, GBDOC_PLAIN, "%s：%lld", work_metric_label(name), (long long)json_integer_value(v));
    }
    gbdoc_par(d, GBDOC_H1, "%s、佐证材料", cn[(*next)++]);
    if (!json_array_size(ev)) gbdoc_par(d, GBDOC_PLAIN, "（无）");
    json_array_foreach(ev, i, v)
    {
        long long kb = (json_integer_value(json_object_get(v, "size")) + 1023) / 1024;
        gbdoc_par(d, GBDOC_PLAIN, "%zu. %s（%s，%lld KB）", i + 1, str(v, "name"),
                  str(v, "type_label"), kb);
    }
    if (json_array_size(links)) {
        gbdoc_par(d, GBDOC_H1, "%s、相关链接", cn[(*next)++]);
        json_array_foreach(links, i, v)
            gbdoc_par(d, GBDOC_PLAIN, "%zu. %s", i + 1, json_string_value(v));
    }
}

enum err work_report_doc(struct store *db, long long id, long long now, struct gbdoc *out)
{
    memset(out, 0, sizeof *out);
    json_t *o = work_store_report_json(db, id, false);
    if (!o) return store_err(db) ? store_err(db) : ERR_NOT_FOUND;
    const char *unit = str(json_object_get(o, "unit"), "name");
    out->mark = gbdoc_dupf("%s", "生态文明宣传教育工作台账");
    out->doc_no = gbdoc_dupf("台账编号 %lld", id);
    out->title = gbdoc_dupf("%s", str(o, "title"));
    out->to = gbdoc_dupf("%s", "");
    particulars(out, o);
    gbdoc_par(out, GBDOC_H1, "二、活动概述");
    if (*str(o, "summary"))
        gbdoc_text_pars(out, str(o, "summary"));
    else
        gbdoc_par(out, GBDOC_PLAIN, "（未填写）");
    int next = 2;
    lists(out, o, &next);
    char today[32];
    gbdoc_date_cn(date_today_shanghai(now), today, sizeof today);
    out->signature = gbdoc_dupf("%s", unit);
    out->date = gbdoc_ymd_cn(str(o, "activity_date"));
    out->cc = gbdoc_dupf("%s", "");
    out->printer = gbdoc_dupf("%s", unit);
    out->print_date = gbdoc_dupf("%s打印", today);
    json_decref(o);
    return OK;
}
