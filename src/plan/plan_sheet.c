/* plan_sheet.c - reading a 附件1 sheet (序号, 重点内容, 具体任务, 牵头单位, 配合单位, 任务时限)
 * into the tasks of a draft, and saying what replacing the draft's tasks would change. The
 * sheet carries tasks only, so actions and measures come from the draft: 重点内容 names a
 * measure by its title. Pure apart from the unit lookup callback (see plan.h). */
#include "plan/plan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col { COL_NO, COL_CONTENT, COL_TEXT, COL_LEAD, COL_COOP, COL_DEADLINE, NCOLS };
static const char *const col_name[NCOLS] = {PLAN_COL_NO,   PLAN_COL_CONTENT, PLAN_COL_TEXT,
                                            PLAN_COL_LEAD, PLAN_COL_COOP,    PLAN_COL_DEADLINE};
static const bool col_required[NCOLS] = {true, true, true, true, false, false};

#define HEADER_SEARCH_ROWS 10

/* A header cell without any space, tab, line end or U+3000 inside ("序 号" is 序号). */
static void squeeze(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    for (; s && *s && n + 1 < outlen; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') continue;
        if (strncmp(s, "\xE3\x80\x80", 3) == 0) {
            s += 2;
            continue;
        }
        out[n++] = *s;
    }
    out[n] = '\0';
}

/* Finds the header row and each column's index (-1 when absent). */
static size_t find_header(const struct table *t, int cols[NCOLS])
{
    for (size_t r = 0; r < t->nrows && r < HEADER_SEARCH_ROWS; r++) {
        int found[NCOLS];
        for (int c = 0; c < NCOLS; c++)
            found[c] = -1;
        const struct table_row *row = &t->rows[r];
        for (int i = 0; i < row->ncells; i++) {
            char h[64];
            squeeze(row->cells[i], h, sizeof h);
            for (int c = 0; c < NCOLS; c++)
                if (found[c] < 0 && strcmp(h, col_name[c]) == 0) found[c] = i;
        }
        if (found[COL_NO] >= 0 && found[COL_TEXT] >= 0) {
            memcpy(cols, found, sizeof found);
            return r;
        }
    }
    return t->nrows;
}

/* "12" or "12.0" (how a spreadsheet may store a number) in 1..9999. */
static bool task_no(const char *s, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *s == '-' || *s == '+') return false;
    if (*end == '.') {
        end++;
        while (*end == '0')
            end++;
    }
    if (*end || v < 1 || v > 9999) return false;
    *out = v;
    return true;
}

/* The action and measure whose title is content: the one the draft's task of this number
 * uses when its title matches, else the first in the plan. */
static bool measure_by_title(json_t *draft, json_t *old, const char *content, long long *action,
                             long long *measure)
{
    if (old && strcmp(json_string_value(json_object_get(old, "content")), content) == 0) {
        *action = json_integer_value(json_object_get(old, "action"));
        *measure = json_integer_value(json_object_get(old, "measure"));
        return true;
    }
    size_t i, j;
    json_t *a, *m;
    json_array_foreach(json_object_get(draft, "actions"), i, a)
    {
        json_array_foreach(json_object_get(a, "measures"), j, m)
        {
            const char *title = json_string_value(json_object_get(m, "title"));
            if (title && strcmp(title, content) == 0) {
                *action = json_integer_value(json_object_get(a, "no"));
                *measure = json_integer_value(json_object_get(m, "no"));
                return true;
            }
        }
    }
    return false;
}

/* The length of a separator between unit names at s (、，,；; or a line end), 0 for none. */
static size_t separator(const char *s)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", "\n", "\r"};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++)
        if (strncmp(s, seps[i], strlen(seps[i])) == 0) return strlen(seps[i]);
    return 0;
}

static bool resolves(const struct plan_check_ctx *c, const char *ref)
{
    return c->unit(c->unit_ctx, ref) != 0;
}

/* One name of a 牵头单位 / 配合单位 cell into refs; false with the name in bad when nothing
 * it could mean is known. */
static bool add_unit(const struct plan_check_ctx *c, char *name, json_t *refs, char *bad,
                     size_t badlen)
{
    const char *selector = plan_selector_for_label(name);
    if (selector) return json_array_append_new(refs, json_string(selector)) == 0;
    if (resolves(c, name)) return json_array_append_new(refs, json_string(name)) == 0;
    /* "市妇联等部门（单位）", "市妇联等有关部门（单位）": the unit and the group 有关…  */
    char *deng = strstr(name, "等");
    for (char *next; deng && (next = strstr(deng + 1, "等"));)
        deng = next;
    if (deng && deng > name && deng[strlen("等")]) {
        const char *rest = deng + strlen("等");
        char group[256];
        snprintf(group, sizeof group, "%s%s",
                 strncmp(rest, "有关", strlen("有关")) == 0 ? "" : "有关", rest);
        *deng = '\0';
        bool ok = resolves(c, name) && resolves(c, group);
        if (ok) {
            json_array_append_new(refs, json_string(name));
            json_array_append_new(refs, json_string(group));
        }
        *deng = "等"[0];
        if (ok) return true;
    }
    snprintf(bad, badlen, "%s", name);
    return false;
}

/* The refs a 牵头单位 / 配合单位 cell names; NULL with the unknown name in bad. */
static json_t *units_of(const struct plan_check_ctx *c, const char *text, char *bad, size_t badlen)
{
    json_t *refs = json_array();
    char *copy = strdup(text ? text : "");
    if (!refs || !copy) {
        json_decref(refs);
        free(copy);
        snprintf(bad, badlen, "内存不足");
        return NULL;
    }
    char *s = copy;
    bool ok = true;
    while (ok && *s) {
        size_t n = 0, sep = 0;
        while (s[n] && !(sep = separator(s + n)))
            n++;
        bool last = !s[n];
        s[n] = '\0';
        char *name = table_trim(s);
        if (name) ok = add_unit(c, name, refs, bad, badlen);
        s = last ? s + n : s + n + sep;
    }
    free(copy);
    if (!ok) {
        json_decref(refs);
        return NULL;
    }
    return refs;
}

/* The column a plan_check_task() field belongs to. */
static const char *column_of(const char *field)
{
    static const struct {
        const char *prefix;
        enum col col;
    } map[] = {{"no", COL_NO},           {"action", COL_CONTENT},   {"measure", COL_CONTENT},
               {"content", COL_CONTENT}, {"text", COL_TEXT},        {"lead", COL_LEAD},
               {"coop", COL_COOP},       {"deadline", COL_DEADLINE}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strncmp(field, map[i].prefix, strlen(map[i].prefix)) == 0) return col_name[map[i].col];
    return NULL;
}

/* Copies the draft task's resolved field when the sheet's text for it is unchanged. */
static bool same_text(json_t *old, const char *key, const char *text)
{
    const char *was = old ? json_string_value(json_object_get(old, key)) : NULL;
    return was && strcmp(was, text ? text : "") == 0;
}

/* One data row → a task in out->tasks, or errors. prev is the task of the row above. */
static void read_row(const struct table_row *row, const int cols[NCOLS], json_t *draft,
                     const struct plan_check_ctx *c, json_t *prev, struct plan_sheet *out)
{
    struct table_errors *errs = &out->errors;
    size_t before = errs->total;
    const char *cell[NCOLS];
    for (int k = 0; k < NCOLS; k++)
        cell[k] = table_cell(row, cols[k]);

    long long no = 0;
    if (!cell[COL_NO])
        table_error_add(errs, row->no, PLAN_COL_NO, "序号为空：每行任务都要有序号");
    else if (!task_no(cell[COL_NO], &no))
        table_error_add(errs, row->no, PLAN_COL_NO, "序号应为 1 到 9999 的整数（现为 %s）",
                        TABLE_QUOTE(cell[COL_NO]));
    else
        for (size_t i = 0; i < json_array_size(out->tasks); i++)
            if (json_integer_value(json_object_get(json_array_get(out->tasks, i), "no")) == no)
                table_error_add(errs, row->no, PLAN_COL_NO, "序号 %lld 与第 %d 行重复", no,
                                out->rows[i]);
    json_t *old = no ? plan_find_no(json_object_get(draft, "tasks"), no) : NULL;

    long long action = 0, measure = 0;
    const char *content = cell[COL_CONTENT];
    bool continued = !content;
    if (continued) {
        if (!prev)
            table_error_add(errs, row->no, PLAN_COL_CONTENT,
                            "重点内容为空，但上面没有可以接续的任务：第一行任务要写明重点内容");
        else {
            content = json_string_value(json_object_get(prev, "content"));
            action = json_integer_value(json_object_get(prev, "action"));
            measure = json_integer_value(json_object_get(prev, "measure"));
            if (!action)
                table_error_add(errs, row->no, PLAN_COL_CONTENT,
                                "重点内容为空，接续上一行；上一行的重点内容有误，请先修改上一行");
        }
    } else if (!measure_by_title(draft, old, content, &action, &measure)) {
        table_error_add(
            errs, row->no, PLAN_COL_CONTENT,
            "重点内容「%"
            "s」不是草稿中任何措施的标题：请改用已有措施的标题，或先在草稿中添加这项措施",
            TABLE_QUOTE(content));
    }

    if (!cell[COL_TEXT])
        table_error_add(errs, row->no, PLAN_COL_TEXT, "具体任务为空：每行都要写明任务内容");
    if (!cell[COL_LEAD])
        table_error_add(errs, row->no, PLAN_COL_LEAD, "牵头单位为空：每项任务至少要有一个牵头单位");

    json_t *lead = NULL, *coop = NULL;
    char bad[256];
    if (same_text(old, "lead_text", cell[COL_LEAD]))
        lead = json_deep_copy(json_object_get(old, "lead"));
    else if (cell[COL_LEAD] && !(lead = units_of(c, cell[COL_LEAD], bad, sizeof bad)))
        table_error_add(errs, row->no, PLAN_COL_LEAD,
                        "单位不存在：%s（请写单位简称，或先在单位管理中添加）", TABLE_QUOTE(bad));
    if (same_text(old, "coop_text", cell[COL_COOP]))
        coop = json_deep_copy(json_object_get(old, "coop"));
    else if (!(coop = units_of(c, cell[COL_COOP], bad, sizeof bad)))
        table_error_add(errs, row->no, PLAN_COL_COOP,
                        "单位不存在：%s（请写单位简称，或先在单位管理中添加）", TABLE_QUOTE(bad));

    json_t *deadline;
    json_t *old_deadline = old ? json_object_get(old, "deadline") : NULL;
    if (same_text(old_deadline, "text", cell[COL_DEADLINE]))
        deadline = json_deep_copy(old_deadline);
    else
        deadline = json_pack("{s:s}", "text", cell[COL_DEADLINE] ? cell[COL_DEADLINE] : "");

    json_t *task = json_pack(
        "{s:I,s:I,s:I,s:s,s:b,s:s,s:s,s:o,s:s,s:o,s:o}", "no", (json_int_t)no, "action",
        (json_int_t)action, "measure", (json_int_t)measure, "content", content ? content : "",
        "content_continued", continued, "text", cell[COL_TEXT] ? cell[COL_TEXT] : "", "lead_text",
        cell[COL_LEAD] ? cell[COL_LEAD] : "", "lead", lead ? lead : json_array(), "coop_text",
        cell[COL_COOP] ? cell[COL_COOP] : "", "coop", coop ? coop : json_array(), "deadline",
        deadline);
    if (!task) {
        table_error_add(errs, row->no, NULL, "内存不足");
        return;
    }
    json_t *note = old ? json_object_get(old, "note") : NULL;
    if (note) json_object_set(task, "note", note);

    /* the remaining rules of one task (required text, lengths, the time limit), if the cells
     * read so far were fine */
    struct problem p;
    if (errs->total == before && !plan_check_task(task, "", c, &p)) {
        if (strncmp(p.field, "deadline", 8) == 0)
            table_error_add(
                errs, row->no, PLAN_COL_DEADLINE,
                "无法识别任务时限「%s」：可写 "
                "2025年底前、2022年6月底前、2022年6月30日前、2022年上半年、长期坚持，或留空",
                TABLE_QUOTE(cell[COL_DEADLINE]));
        else
            table_error_add(errs, row->no, column_of(p.field), "%s", p.msg);
    }
    out->rows[json_array_size(out->tasks)] = row->no;
    json_array_append_new(out->tasks, task);
}

/* The draft with the sheet's tasks (the obligations of tasks no longer there dropped) as
 * out->doc, after the whole-document check; a problem there is put on the row it is about. */
static enum err whole_plan(json_t *draft, const struct plan_check_ctx *c, struct plan_sheet *out)
{
    json_t *doc = json_deep_copy(draft);
    json_t *obls = json_array();
    if (!doc || !obls) {
        json_decref(doc);
        json_decref(obls);
        return ERR_INTERNAL;
    }
    json_object_set(doc, "tasks", out->tasks);
    size_t i;
    json_t *o;
    json_array_foreach(
        json_object_get(draft, "obligations"), i,
        o) if (plan_find_no(out->tasks, json_integer_value(json_object_get(o, "task"))))
        json_array_append(obls, o);
    json_object_set_new(doc, "obligations", obls);
    struct problem p;
    if (plan_check_doc(doc, c, &p)) {
        out->doc = doc;
        return OK;
    }
    json_decref(doc);
    size_t k;
    int used = 0;
    if (sscanf(p.field, "tasks[%zu].%n", &k, &used) == 1 && used && k < json_array_size(out->tasks))
        table_error_add(&out->errors, out->rows[k], column_of(p.field + used), "%s", p.msg);
    else
        table_error_add(&out->errors, 0, NULL, "%s%s%s", p.field, p.field[0] ? "：" : "", p.msg);
    return ERR_RULE;
}

enum err plan_sheet_read(const struct table *t, json_t *draft, const struct plan_check_ctx *c,
                         struct plan_sheet *out)
{
    memset(out, 0, sizeof *out);
    out->tasks = json_array();
    out->rows = calloc(t->nrows ? t->nrows : 1, sizeof *out->rows);
    if (!out->tasks || !out->rows) return ERR_INTERNAL;
    int cols[NCOLS];
    size_t h = find_header(t, cols);
    if (h == t->nrows) {
        table_error_add(&out->errors, t->nrows ? t->rows[0].no : 1, NULL,
                        "找不到表头：前 %d 行中应有一行写着 "
                        "序号、重点内容、具体任务、牵头单位、配合单位、任务时限",
                        HEADER_SEARCH_ROWS);
        return ERR_RULE;
    }
    for (int k = 0; k < NCOLS; k++)
        if (col_required[k] && cols[k] < 0)
            table_error_add(&out->errors, t->rows[h].no, col_name[k], "缺少「%s」列", col_name[k]);
    if (out->errors.total) return ERR_RULE;

    json_t *prev = NULL;
    for (size_t r = h + 1; r < t->nrows; r++) {
        const struct table_row *row = &t->rows[r];
        bool any = false;
        for (int k = 0; k < NCOLS && !any; k++)
            any = table_cell(row, cols[k]) != NULL;
        if (!any) continue;
        size_t n = json_array_size(out->tasks);
        read_row(row, cols, draft, c, prev, out);
        prev = json_array_size(out->tasks) > n ? json_array_get(out->tasks, n) : NULL;
    }
    if (json_array_size(out->tasks) == 0 && !out->errors.total)
        table_error_add(&out->errors, t->rows[h].no, NULL, "表头下面没有任务：至少要有一行任务");
    if (out->errors.total) return ERR_RULE;
    return whole_plan(draft, c, out);
}

void plan_sheet_free(struct plan_sheet *s)
{
    if (!s) return;
    json_decref(s->tasks);
    json_decref(s->doc);
    free(s->rows);
    table_errors_free(&s->errors);
    memset(s, 0, sizeof *s);
}

json_t *plan_sheet_changes(json_t *draft, json_t *tasks)
{
    static const char *const fields[] = {"action", "measure",   "content", "content_continued",
                                         "text",   "lead_text", "lead",    "coop_text",
                                         "coop",   "deadline",  "note"};
    json_t *added = json_array(), *changed = json_array(), *removed = json_array(),
           *gone = json_array();
    json_t *old_tasks = json_object_get(draft, "tasks");
    long long unchanged = 0;
    size_t i;
    json_t *x;
    json_array_foreach(tasks, i, x)
    {
        json_int_t no = json_integer_value(json_object_get(x, "no"));
        json_t *old = plan_find_no(old_tasks, no);
        if (!old) {
            json_array_append_new(added, json_integer(no));
            continue;
        }
        json_t *diff = json_array();
        for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
            if (!json_equal(json_object_get(old, fields[k]), json_object_get(x, fields[k])) &&
                (json_object_get(old, fields[k]) || json_object_get(x, fields[k])))
                json_array_append_new(diff, json_string(fields[k]));
        if (json_array_size(diff))
            json_array_append_new(changed, json_pack("{s:I,s:o}", "no", no, "fields", diff));
        else {
            json_decref(diff);
            unchanged++;
        }
    }
    json_array_foreach(old_tasks, i, x)
    {
        json_int_t no = json_integer_value(json_object_get(x, "no"));
        if (plan_find_no(tasks, no)) continue;
        json_array_append_new(removed, json_integer(no));
        size_t j;
        json_t *o;
        json_array_foreach(json_object_get(draft, "obligations"), j,
                           o) if (json_integer_value(json_object_get(o, "task")) == no)
            json_array_append_new(gone,
                                  json_pack("{s:O,s:I,s:O}", "key", json_object_get(o, "key"),
                                            "task", no, "title", json_object_get(o, "title")));
    }
    return json_pack("{s:o,s:o,s:o,s:I,s:o}", "added", added, "changed", changed, "removed",
                     removed, "unchanged", (json_int_t)unchanged, "obligations_removed", gone);
}
